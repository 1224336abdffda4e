package command_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// expectLines sends cmd (RESP-encoded args) and checks the exact reply
// lines.
func expectLines(t *testing.T, r *servertest.Raw, args []string, want ...string) {
	t.Helper()
	r.Send(servertest.Encode(args...))
	for _, w := range want {
		if got := r.ReadLine(); got != w {
			t.Fatalf("%q: got %q want %q", args, got, w)
		}
	}
}

func TestEvalConversions(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		expectLines(t, r, []string{"EVAL", "return 100.5", "0"}, ":100\r\n")
		expectLines(t, r, []string{"EVAL", "return 'hello'", "0"}, "$5\r\n", "hello\r\n")
		expectLines(t, r, []string{"EVAL", "return true", "0"}, ":1\r\n")
		expectLines(t, r, []string{"EVAL", "return false", "0"}, "$-1\r\n")
		expectLines(t, r, []string{"EVAL", "return {ok='fine'}", "0"}, "+fine\r\n")
		expectLines(t, r, []string{"EVAL", "return {err='ERR this is an error'}", "0"}, "-ERR this is an error\r\n")
		expectLines(t, r, []string{"EVAL", "return redis.error_reply('My Error')", "0"}, "-My Error\r\n")
		expectLines(t, r, []string{"EVAL", "return {1,2,'ciao',{1,2}}", "0"},
			"*4\r\n", ":1\r\n", ":2\r\n", "$4\r\n", "ciao\r\n", "*2\r\n", ":1\r\n", ":2\r\n")
		expectLines(t, r, []string{"EVAL", "return {KEYS[1],ARGV[1]}", "1", "k", "a"}, "*2\r\n", "$1\r\n", "k\r\n", "$1\r\n", "a\r\n")
		// Redis replies become Lua values.
		expectLines(t, r, []string{"SET", "x", "0"}, "+OK\r\n")
		expectLines(t, r, []string{"EVAL", "local v = redis.pcall('incr', KEYS[1]) return {type(v), v}", "1", "x"},
			"*2\r\n", "$6\r\n", "number\r\n", ":1\r\n")
		expectLines(t, r, []string{"EVAL", "local v = redis.call('set', 'y', 'z') return {type(v), v['ok']}", "0"},
			"*2\r\n", "$5\r\n", "table\r\n", "$2\r\n", "OK\r\n")
		expectLines(t, r, []string{"EVAL", "return redis.call('get', 'nosuchkey') == false", "0"}, ":1\r\n")
		// RESP3 replies inside the script, converted back for a RESP2 caller.
		expectLines(t, r, []string{"HSET", "h", "f", "v"}, ":1\r\n")
		expectLines(t, r, []string{"EVAL", "redis.setresp(3) return redis.call('hgetall', 'h')", "0"},
			"*2\r\n", "$1\r\n", "f\r\n", "$1\r\n", "v\r\n")
		expectLines(t, r, []string{"EVAL", "redis.setresp(3) return redis.call('hgetall', 'h')['map']['f']", "0"}, "$1\r\n", "v\r\n")
		expectLines(t, r, []string{"EVAL", "return redis.sha1hex('')", "0"}, "$40\r\n", "da39a3ee5e6b4b0d3255bfef95601890afd80709\r\n")
		expectLines(t, r, []string{"EVAL", "return bit.tohex(65535, -2147483648)", "0"}, "$8\r\n", "0000FFFF\r\n")
		expectLines(t, r, []string{"EVAL", "return cjson.encode({1,2,3})", "0"}, "$7\r\n", "[1,2,3]\r\n")
		expectLines(t, r, []string{"EVAL", "return cjson.decode('{\"a\":[1,2]}').a[2]", "0"}, ":2\r\n")
		expectLines(t, r, []string{"EVAL", "return cmsgpack.unpack(cmsgpack.pack({1,'x'}))[2]", "0"}, "$1\r\n", "x\r\n")
		// A recursive table stops at the stack limit.
		r.Send(servertest.Encode("EVAL", "local a = {}; local b = {a}; a[1] = b; return a", "0"))
		for {
			l := r.ReadLine()
			if l == "-ERR reached lua stack limit\r\n" {
				break
			}
			if l != "*1\r\n" {
				t.Fatalf("recursive reply: got %q", l)
			}
		}
		expectLines(t, r, []string{"PING"}, "+PONG\r\n")
	})
}

func TestEvalErrors(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		sha := func(body string) string {
			v := r.Do("SCRIPT", "LOAD", body)
			return v.Str
		}
		expectLines(t, r, []string{"EVAL", "return a", "0"},
			"-ERR user_script:1: Script attempted to access nonexistent global variable 'a' script: "+sha("return a")+", on @user_script:1.\r\n")
		expectLines(t, r, []string{"EVAL", "a = 10", "0"},
			"-ERR user_script:1: Attempt to modify a readonly table script: "+sha("a = 10")+", on @user_script:1.\r\n")
		expectLines(t, r, []string{"SET", "foo", "bar"}, "+OK\r\n")
		body := "redis.call('lpush', KEYS[1], 'v')"
		expectLines(t, r, []string{"EVAL", body, "1", "foo"},
			"-WRONGTYPE Operation against a key holding the wrong kind of value script: "+sha(body)+", on @user_script:1.\r\n")
		body = "return redis.call('nosuchcommand')"
		expectLines(t, r, []string{"EVAL", body, "0"},
			"-ERR Unknown Redis command called from script script: "+sha(body)+", on @user_script:1.\r\n")
		body = "return redis.call('get', 'a', 'b')"
		expectLines(t, r, []string{"EVAL", body, "0"},
			"-ERR Wrong number of args calling Redis command from script script: "+sha(body)+", on @user_script:1.\r\n")
		body = "return redis.pcall('blpop', 'l', 0)"
		expectLines(t, r, []string{"EVAL", body, "0"}, "-ERR This Redis command is not allowed from script\r\n")
		expectLines(t, r, []string{"EVAL", "return redis.pcall('incr', 'foo')", "0"}, "-ERR value is not an integer or out of range\r\n")
		expectLines(t, r, []string{"EVAL", "setmetatable(_G, {})", "0"},
			"-ERR user_script:1: Attempt to modify a readonly table script: "+sha("setmetatable(_G, {})")+", on @user_script:1.\r\n")
		expectLines(t, r, []string{"EVAL", "redis.call = function() end", "0"},
			"-ERR user_script:1: Attempt to modify a readonly table script: "+sha("redis.call = function() end")+", on @user_script:1.\r\n")
		// Bad arguments.
		expectLines(t, r, []string{"EVAL", "return 1", "2", "a"}, "-ERR Number of keys can't be greater than number of args\r\n")
		expectLines(t, r, []string{"EVAL", "return 1", "-1"}, "-ERR Number of keys can't be negative\r\n")
		expectLines(t, r, []string{"EVAL", "return 1", "x"}, "-ERR value is not an integer or out of range\r\n")
		expectLines(t, r, []string{"EVALSHA", "NotValidShaSUM", "0"}, "-NOSCRIPT No matching script. Please use EVAL.\r\n")
		expectLines(t, r, []string{"EVALSHA", "ffd632c7d33e571e9f24556ebed26c3479a87130", "0"}, "-NOSCRIPT No matching script. Please use EVAL.\r\n")
		// Read-only variants and flags.
		expectLines(t, r, []string{"EVAL_RO", "return redis.call('set', 'k', 'v')", "0"},
			"-ERR Write commands are not allowed from read-only scripts. script: "+sha("return redis.call('set', 'k', 'v')")+", on @user_script:1.\r\n")
		expectLines(t, r, []string{"EVAL_RO", "#!lua\nreturn 1", "0"}, "-ERR Can not execute a script with write flag using *_ro command.\r\n")
		expectLines(t, r, []string{"EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('get', 'foo')", "0"}, "$3\r\n", "bar\r\n")
		expectLines(t, r, []string{"EVAL", "#!lua flags=no-writes\nreturn redis.call('set', 'foo', 'x')", "0"},
			"-ERR Write commands are not allowed from read-only scripts. script: "+sha("#!lua flags=no-writes\nreturn redis.call('set', 'foo', 'x')")+", on @user_script:2.\r\n")
		expectLines(t, r, []string{"EVAL", "#!lua flags=bogus\nreturn 1", "0"}, "-ERR Unexpected flag in script shebang: bogus\r\n")
		expectLines(t, r, []string{"EVAL", "#!python\nreturn 1", "0"}, "-ERR Unexpected engine in script shebang: #!python\r\n")
	})
}

func TestScriptCache(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		expectLines(t, r, []string{"SET", "mykey", "myval"}, "+OK\r\n")
		expectLines(t, r, []string{"EVAL", "return redis.call('get',KEYS[1])", "1", "mykey"}, "$5\r\n", "myval\r\n")
		expectLines(t, r, []string{"EVALSHA", "FD758D1589D044DD850A6F05D52F2EEFD27F033F", "1", "mykey"}, "$5\r\n", "myval\r\n")
		expectLines(t, r, []string{"SCRIPT", "EXISTS", "fd758d1589d044dd850a6f05d52f2eefd27f033f", "ffd632c7d33e571e9f24556ebed26c3479a87130"},
			"*2\r\n", ":1\r\n", ":0\r\n")
		if v := r.Do("INFO", "memory"); !strings.Contains(v.Str, "number_of_cached_scripts:1\r\n") {
			t.Fatalf("INFO memory: %q", v.Str)
		}
		expectLines(t, r, []string{"SCRIPT", "FLUSH", "ASYNC"}, "+OK\r\n")
		expectLines(t, r, []string{"SCRIPT", "EXISTS", "fd758d1589d044dd850a6f05d52f2eefd27f033f"}, "*1\r\n", ":0\r\n")
		expectLines(t, r, []string{"SCRIPT", "LOAD", "return 'loaded'"}, "$40\r\n", "b534286061d4b9e4026607613b95c06c06015ae8\r\n")
		expectLines(t, r, []string{"EVALSHA", "b534286061d4b9e4026607613b95c06c06015ae8", "0"}, "$6\r\n", "loaded\r\n")
		if v := r.Do("SCRIPT", "LOAD", "return ="); !strings.HasPrefix(v.Str, "ERR Error compiling script (new function): user_script:1: ") {
			t.Fatalf("compile error: %q", v.Str)
		}
		expectLines(t, r, []string{"SCRIPT", "KILL"}, "-NOTBUSY No scripts in execution right now.\r\n")
		// The script's SELECT does not change the caller's database.
		expectLines(t, r, []string{"EVAL", "redis.call('select', '3') return redis.call('set', 'k', 'db3')", "0"}, "+OK\r\n")
		expectLines(t, r, []string{"GET", "k"}, "$-1\r\n")
		expectLines(t, r, []string{"SELECT", "3"}, "+OK\r\n")
		expectLines(t, r, []string{"GET", "k"}, "$3\r\n", "db3\r\n")
		// Blocking commands inside scripts do not block.
		expectLines(t, r, []string{"EVAL", "return redis.pcall('xread', 'BLOCK', 0, 'STREAMS', 's', '$')", "0"},
			"-ERR xread command is not allowed with BLOCK option from scripts\r\n")
		// MULTI/EXEC with EVAL inside.
		expectLines(t, r, []string{"MULTI"}, "+OK\r\n")
		expectLines(t, r, []string{"EVAL", "return redis.call('incr', 'n')", "0"}, "+QUEUED\r\n")
		expectLines(t, r, []string{"EXEC"}, "*1\r\n", ":1\r\n")
	})
}

func TestFunctions(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		lib := "#!lua name=mylib\nredis.register_function('myget', function(KEYS, ARGV) return redis.call('get', KEYS[1]) end)\n" +
			"redis.register_function{function_name='myro', callback=function(KEYS, ARGV) return ARGV[1] end, flags={'no-writes'}, description='desc'}"
		expectLines(t, r, []string{"FUNCTION", "LOAD", lib}, "$5\r\n", "mylib\r\n")
		expectLines(t, r, []string{"FUNCTION", "LOAD", lib}, "-ERR Library 'mylib' already exists\r\n")
		expectLines(t, r, []string{"FUNCTION", "LOAD", "REPLACE", lib}, "$5\r\n", "mylib\r\n")
		expectLines(t, r, []string{"SET", "k", "v"}, "+OK\r\n")
		expectLines(t, r, []string{"FCALL", "myget", "1", "k"}, "$1\r\n", "v\r\n")
		expectLines(t, r, []string{"FCALL_RO", "myro", "0", "arg"}, "$3\r\n", "arg\r\n")
		expectLines(t, r, []string{"FCALL_RO", "myget", "1", "k"}, "-ERR Can not execute a script with write flag using *_ro command.\r\n")
		expectLines(t, r, []string{"FCALL", "nosuch", "0"}, "-ERR Function not found\r\n")
		expectLines(t, r, []string{"FCALL", "myget", "x"}, "-ERR Bad number of keys provided\r\n")
		expectLines(t, r, []string{"FUNCTION", "LOAD", "return 1"}, "-ERR Missing library metadata\r\n")
		expectLines(t, r, []string{"FUNCTION", "LOAD", "#!lua name=x\nreturn 1"}, "-ERR No functions registered\r\n")
		expectLines(t, r, []string{"FUNCTION", "LOAD", "#!lua name=bad-name\nreturn 1"},
			"-ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long\r\n")
		expectLines(t, r, []string{"FUNCTION", "LOAD", "#!lua name=other\nredis.register_function('myget', function() end)"},
			"-ERR Function myget already exists\r\n")
		expectLines(t, r, []string{"FUNCTION", "LIST", "LIBRARYNAME", "my*"},
			"*1\r\n", "*6\r\n", "$12\r\n", "library_name\r\n", "$5\r\n", "mylib\r\n", "$6\r\n", "engine\r\n", "$3\r\n", "LUA\r\n",
			"$9\r\n", "functions\r\n", "*2\r\n",
			"*6\r\n", "$4\r\n", "name\r\n", "$5\r\n", "myget\r\n", "$11\r\n", "description\r\n", "$-1\r\n", "$5\r\n", "flags\r\n", "*0\r\n",
			"*6\r\n", "$4\r\n", "name\r\n", "$4\r\n", "myro\r\n", "$11\r\n", "description\r\n", "$4\r\n", "desc\r\n", "$5\r\n", "flags\r\n", "*1\r\n", "$9\r\n", "no-writes\r\n")
		dump := r.Do("FUNCTION", "DUMP").Str
		expectLines(t, r, []string{"FUNCTION", "FLUSH"}, "+OK\r\n")
		expectLines(t, r, []string{"FCALL", "myget", "1", "k"}, "-ERR Function not found\r\n")
		expectLines(t, r, []string{"FUNCTION", "RESTORE", dump}, "+OK\r\n")
		expectLines(t, r, []string{"FUNCTION", "RESTORE", dump}, "-ERR Library mylib already exists\r\n")
		expectLines(t, r, []string{"FUNCTION", "RESTORE", dump, "REPLACE"}, "+OK\r\n")
		expectLines(t, r, []string{"FUNCTION", "RESTORE", "bad"}, "-ERR DUMP payload version or checksum are wrong\r\n")
		expectLines(t, r, []string{"FCALL", "myget", "1", "k"}, "$1\r\n", "v\r\n")
		expectLines(t, r, []string{"FUNCTION", "DELETE", "mylib"}, "+OK\r\n")
		expectLines(t, r, []string{"FUNCTION", "DELETE", "mylib"}, "-ERR Library not found\r\n")
		expectLines(t, r, []string{"FUNCTION", "STATS"},
			"*4\r\n", "$14\r\n", "running_script\r\n", "$-1\r\n", "$7\r\n", "engines\r\n", "*2\r\n", "$3\r\n", "LUA\r\n",
			"*4\r\n", "$15\r\n", "libraries_count\r\n", ":0\r\n", "$15\r\n", "functions_count\r\n", ":0\r\n")
	})
}

// TestScriptBusy checks -BUSY and SCRIPT KILL while a script runs past
// busy-reply-threshold, for clients connected before the script started
// (the event loop does not accept connections while a script runs).
func TestScriptBusy(t *testing.T) {
	servertest.ForEachMode(t, testScriptBusy, "--busy-reply-threshold", "50")
}

func testScriptBusy(t *testing.T, s *servertest.Server) {
	r1 := s.Raw()
	r2 := s.Raw()
	expectLines(t, r2, []string{"PING"}, "+PONG\r\n")
	r1.Send(servertest.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		v := r2.Do("PING")
		if v.Type == '-' {
			if !strings.HasPrefix(v.Str, "BUSY Redis is busy running a script. You can only call SCRIPT KILL") {
				t.Fatalf("got %q", v.Str)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no BUSY reply")
		}
		time.Sleep(20 * time.Millisecond)
	}
	expectLines(t, r2, []string{"FUNCTION", "KILL"}, "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n")
	expectLines(t, r2, []string{"SCRIPT", "KILL"}, "+OK\r\n")
	if l := r1.ReadLine(); !strings.HasPrefix(l, "-ERR Script killed by user with SCRIPT KILL...") {
		t.Fatalf("killed script: %q", l)
	}
	expectLines(t, r2, []string{"PING"}, "+PONG\r\n")
	// A script that wrote cannot be killed.
	r1.Send(servertest.Encode("EVAL", "redis.call('set', 'x', 'y') local function now() local t = redis.call('time') return t[1]*1000000 + t[2] end "+
		"local s = now() while now() - s < 500000 do end return 'done'", "0"))
	for {
		if v := r2.Do("PING"); v.Type == '-' {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	r2.Send(servertest.Encode("SCRIPT", "KILL"))
	if l := r2.ReadLine(); !strings.HasPrefix(l, "-UNKILLABLE Sorry the script already executed write commands") {
		t.Fatalf("got %q", l)
	}
	if l := r1.ReadLine(); l != "$4\r\n" {
		t.Fatalf("unkillable script: %q", l)
	}
}

// TestFunctionsPersisted checks that function libraries survive a restart
// through the RDB (FUNCTION2 records).
func TestFunctionsPersisted(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			s := servertest.Start(t, mode, "--dir", dir)
			r := s.Raw()
			expectLines(t, r, []string{"FUNCTION", "LOAD", "#!lua name=plib\nredis.register_function('pf', function() return 'persisted' end)"},
				"$4\r\n", "plib\r\n")
			expectLines(t, r, []string{"SAVE"}, "+OK\r\n")
			s.Srv.Stop()
			s2 := servertest.Start(t, mode, "--dir", dir)
			expectLines(t, s2.Raw(), []string{"FCALL", "pf", "0"}, "$9\r\n", "persisted\r\n")
		})
	}
}

// TestScriptEffectsPropagated checks effects replication: the AOF gets
// the commands a script ran, wrapped in MULTI/EXEC, never the EVAL.
func TestScriptEffectsPropagated(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			s := servertest.Start(t, mode, "--dir", dir, "--appendonly", "yes", "--appendfsync", "always")
			r := s.Raw()
			expectLines(t, r, []string{"EVAL", "redis.call('set', KEYS[1], 'a') redis.call('incr', 'n') return redis.call('get', 'n')", "1", "k"},
				"$1\r\n", "1\r\n")
			expectLines(t, r, []string{"EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set', 'hidden', '1') return 1", "0"}, ":1\r\n")
			expectLines(t, r, []string{"EVAL", "return redis.call('get', 'k')", "0"}, "$1\r\n", "a\r\n")
			files, _ := filepath.Glob(filepath.Join(dir, "appendonlydir", "*.incr.aof"))
			if len(files) != 1 {
				t.Fatalf("incr files: %v", files)
			}
			b, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			got := string(b)
			want := servertest.Encode("MULTI") + servertest.Encode("set", "k", "a") + servertest.Encode("incr", "n") + servertest.Encode("EXEC")
			if !strings.Contains(got, want) {
				t.Fatalf("AOF %q does not contain %q", got, want)
			}
			if strings.Contains(got, "EVAL") || strings.Contains(got, "hidden") {
				t.Fatalf("AOF has the script or a REPL_NONE write: %q", got)
			}
		})
	}
}

// TestScriptPauseFlags checks that CLIENT PAUSE WRITE judges EVAL and
// FCALL by their scripts' declared flags.
func TestScriptPauseFlags(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		expectLines(t, r, []string{"FUNCTION", "LOAD", "#!lua name=l\nredis.register_function{function_name='ro', callback=function() return 'ro' end, flags={'no-writes'}}\n" +
			"redis.register_function('rw', function() return redis.call('set', 'k', 'v') end)"}, "$1\r\n", "l\r\n")
		expectLines(t, r, []string{"CLIENT", "PAUSE", "100000", "WRITE"}, "+OK\r\n")
		r2 := s.Raw()
		expectLines(t, r2, []string{"EVAL", "#!lua flags=no-writes\nreturn 'unique'", "0"}, "$6\r\n", "unique\r\n")
		expectLines(t, r2, []string{"FCALL", "ro", "0"}, "$2\r\n", "ro\r\n")
		// A writing function waits for the end of the pause.
		r2.Send(servertest.Encode("FCALL", "rw", "0"))
		time.Sleep(50 * time.Millisecond)
		expectLines(t, r, []string{"GET", "k"}, "$-1\r\n")
		expectLines(t, r, []string{"CLIENT", "UNPAUSE"}, "+OK\r\n")
		if l := r2.ReadLine(); l != "+OK\r\n" {
			t.Fatalf("FCALL rw after unpause: %q", l)
		}
	})
}
