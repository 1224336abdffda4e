package command_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/server"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// The server, connection and introspection tests compare exact reply
// bytes. They run against a fresh server in each mode; with SERVER_ORACLE
// set to host:port of a real redis-server 7.0 (default configuration,
// started with --save "" --appendonly no) the tests marked as portable
// also run against it, which checks that the expected bytes are Redis's.

// svConn is a raw connection that returns replies as their exact bytes.
type svConn struct {
	t testing.TB
	c net.Conn
	r *bufio.Reader
}

func svDial(t testing.TB, addr string) *svConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &svConn{t: t, c: c, r: bufio.NewReader(c)}
}

// send writes a command without reading its reply.
func (c *svConn) send(args ...string) {
	c.t.Helper()
	_ = c.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.c.Write([]byte(servertest.Encode(args...))); err != nil {
		c.t.Fatalf("%q: write: %v", args, err)
	}
}

// read reads one reply and returns its bytes.
func (c *svConn) read() string {
	c.t.Helper()
	_ = c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	s, err := svReadRaw(c.r)
	if err != nil {
		c.t.Fatalf("read: %v (got %q)", err, s)
	}
	return s
}

// do sends a command and returns the exact bytes of its reply.
func (c *svConn) do(args ...string) string {
	c.t.Helper()
	c.send(args...)
	return c.read()
}

// expect checks the exact reply bytes of a command.
func (c *svConn) expect(want string, args ...string) {
	c.t.Helper()
	if got := c.do(args...); got != want {
		c.t.Errorf("%q:\n got %q\nwant %q", args, svShort(got), svShort(want))
	}
}

// match checks a reply against a regular expression.
func (c *svConn) match(re string, args ...string) string {
	c.t.Helper()
	got := c.do(args...)
	if !regexp.MustCompile(re).MatchString(got) {
		c.t.Errorf("%q:\n got %q\nwant match %q", args, svShort(got), re)
	}
	return got
}

// closed reports whether the server closed the connection within d.
func (c *svConn) closed(d time.Duration) bool {
	_ = c.c.SetReadDeadline(time.Now().Add(d))
	_, err := c.r.ReadByte()
	return err != nil && !isTimeout(err)
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

func svShort(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%s...(%d bytes)", s[:300], len(s))
	}
	return s
}

// svReadRaw reads one RESP2/RESP3 reply (an attribute included) and
// returns its bytes.
func svReadRaw(r *bufio.Reader) (string, error) { return resp.ReadRawReply(r) }

// svRun runs fn against a fresh server in each mode.
func svRun(t *testing.T, fn func(t *testing.T, s *servertest.Server), directives ...string) {
	t.Helper()
	servertest.ForEachMode(t, fn, directives...)
}

// svPortable runs fn against a fresh server in each mode and, with
// SERVER_ORACLE set, against that real Redis (database 9, flushed).
func svPortable(t *testing.T, fn func(t *testing.T, addr string)) {
	t.Helper()
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) { fn(t, s.Addr) })
	if addr := os.Getenv("SERVER_ORACLE"); addr != "" {
		t.Run("oracle", func(t *testing.T) {
			c := svDial(t, addr)
			c.do("SELECT", "9")
			c.do("FLUSHDB")
			fn(t, addr)
		})
	}
}

// bulk encodes s as a RESP bulk string.
func bulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

const (
	okReply  = "+OK\r\n"
	nilBulk  = "$-1\r\n"
	syntaxEr = "-ERR syntax error\r\n"
)

func TestServerKeyspaceCommands(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect(okReply, "SELECT", "9")
		c.expect(okReply, "FLUSHDB")
		c.expect(":0\r\n", "DBSIZE")
		c.expect(okReply, "SET", "a", "1")
		c.expect(okReply, "SET", "b", "2")
		c.expect(":2\r\n", "DBSIZE")
		c.expect("-ERR wrong number of arguments for 'dbsize' command\r\n", "DBSIZE", "x")
		c.expect(syntaxEr, "FLUSHDB", "x")
		c.expect(syntaxEr, "FLUSHDB", "sync", "async")
		c.expect(syntaxEr, "FLUSHALL", "x")
		c.expect(okReply, "FLUSHDB", "SYNC")
		c.expect(":0\r\n", "DBSIZE")

		// SWAPDB
		c.expect(okReply, "SET", "k", "v9")
		c.expect("-ERR invalid first DB index\r\n", "SWAPDB", "x", "1")
		c.expect("-ERR invalid second DB index\r\n", "SWAPDB", "9", "x")
		c.expect("-ERR invalid first DB index\r\n", "SWAPDB", "99999999999", "1")
		c.expect("-ERR DB index is out of range\r\n", "SWAPDB", "9", "16")
		c.expect("-ERR DB index is out of range\r\n", "SWAPDB", "-1", "9")
		c.expect(okReply, "SWAPDB", "9", "8")
		c.expect(":0\r\n", "DBSIZE")
		c.expect(okReply, "SELECT", "8")
		c.expect(bulk("v9"), "GET", "k")
		c.expect(okReply, "SWAPDB", "8", "9")
		c.expect(okReply, "SWAPDB", "8", "8")
		c.expect(nilBulk, "GET", "k")
		c.expect(okReply, "SELECT", "9")
		c.expect(bulk("v9"), "GET", "k")
		c.expect(okReply, "FLUSHALL", "ASYNC")
		c.expect(":0\r\n", "DBSIZE")

		c.match(`^\*2\r\n\$10\r\n\d{10}\r\n\$\d+\r\n\d{1,6}\r\n$`, "TIME")
		c.match(`^:\d{10}\r\n$`, "LASTSAVE")
		c.expect("-ERR wrong number of arguments for 'time' command\r\n", "TIME", "x")
	})
}

func TestFlushWakesAndPropagates(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect(okReply, "SET", "a", "1")
		c.expect(okReply, "SELECT", "3")
		c.expect(okReply, "SET", "b", "1")
		c.expect(okReply, "FLUSHALL")
		c.expect(":0\r\n", "DBSIZE")
		c.expect(okReply, "SELECT", "0")
		c.expect(":0\r\n", "DBSIZE")
		c.expect(okReply, "FLUSHDB")
	})
}

func TestInfoSections(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		headers := func(args ...string) []string {
			t.Helper()
			raw := c.do(append([]string{"INFO"}, args...)...)
			if !strings.HasPrefix(raw, "$") {
				t.Fatalf("INFO %v: not a bulk: %q", args, svShort(raw))
			}
			var out []string
			for _, l := range strings.Split(raw, "\r\n") {
				if strings.HasPrefix(l, "# ") {
					out = append(out, l[2:])
				}
			}
			return out
		}
		def := "Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace"
		all := "Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Latencystats Cluster Keyspace"
		for _, tc := range []struct {
			args []string
			want string
		}{
			{nil, def},
			{[]string{"default"}, def},
			{[]string{"all"}, all},
			{[]string{"everything"}, all},
			{[]string{"cpu"}, "CPU"},
			{[]string{"commandSTATS"}, "Commandstats"},
			{[]string{"cpu", "sentinel"}, "CPU"},
			{[]string{"keyspace", "server"}, "Server Keyspace"},
			{[]string{"cpu", "all"}, all},
			{[]string{"cpu", "default"}, def},
			{[]string{"modules"}, "Modules"},
			{[]string{"foo"}, ""},
		} {
			if got := strings.Join(headers(tc.args...), " "); got != tc.want {
				t.Errorf("INFO %v sections:\n got %s\nwant %s", tc.args, got, tc.want)
			}
		}
		c.expect(bulk(""), "INFO", "foo")
		c.expect(bulk("# Keyspace\r\n"), "INFO", "keyspace")
		c.expect(okReply, "SET", "a", "1")
		c.expect(okReply, "SET", "b", "1")
		c.expect(":1\r\n", "EXPIRE", "b", "100")
		c.expect(okReply, "SELECT", "2")
		c.expect(okReply, "SET", "c", "1")
		c.expect(bulk("# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n"), "INFO", "keyspace")
		c.expect(bulk("# Cluster\r\ncluster_enabled:0\r\n"), "INFO", "cluster")

		info := c.do("INFO", "server", "clients", "replication", "persistence", "stats")
		for _, re := range []string{
			`\$\d+\r\n# Server\r\nredis_version:7\.0\.15\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:\w+\r\nredis_mode:standalone\r\nos:[^\r]+\r\narch_bits:64\r\n`,
			`\r\nprocess_id:` + strconv.Itoa(os.Getpid()) + `\r\n`,
			`\r\ntcp_port:` + strconv.Itoa(s.Port) + `\r\n`,
			`\r\nuptime_in_seconds:\d+\r\nuptime_in_days:0\r\nhz:10\r\nconfigured_hz:10\r\nlru_clock:\d+\r\nexecutable:[^\r]*\r\nconfig_file:\r\nio_threads_active:0\r\n\r\n# Clients\r\nconnected_clients:1\r\n`,
			`\r\nmaxclients:10000\r\n`,
			`\r\n# Persistence\r\nloading:0\r\n`,
			`\r\nrdb_changes_since_last_save:\d+\r\n`,
			`\r\n# Stats\r\ntotal_connections_received:1\r\ntotal_commands_processed:\d+\r\n`,
			`\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:[0-9a-f]{40}\r\nmaster_replid2:0{40}\r\nmaster_repl_offset:0\r\nsecond_repl_offset:-1\r\n`,
		} {
			if !regexp.MustCompile(re).MatchString(info) {
				t.Errorf("INFO does not match %q:\n%s", re, info)
			}
		}
		c.match(`# CPU\r\nused_cpu_sys:\d+\.\d{6}\r\nused_cpu_user:\d+\.\d{6}\r\nused_cpu_sys_children:\d+\.\d{6}\r\nused_cpu_user_children:\d+\.\d{6}\r\nused_cpu_sys_main_thread:\d+\.\d{6}\r\nused_cpu_user_main_thread:\d+\.\d{6}\r\n\r\n$`, "INFO", "cpu")
		c.match(`# Memory\r\nused_memory:\d+\r\nused_memory_human:[\d.]+[BKMG]\r\n`, "INFO", "memory")
	})
}

func TestInfoCommandAndErrorStats(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.expect(okReply, "SET", "k", "v")
		c.do("SET", "k")
		c.do("NOSUCHCOMMAND")
		c.do("CLIENT", "ID")
		c.do("INCR", "k")
		stats := c.do("INFO", "commandstats")
		for _, re := range []string{
			`\r\ncmdstat_set:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n`,
			`\r\ncmdstat_client\|id:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n`,
			`\r\ncmdstat_incr:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n`,
			`\r\ncmdstat_config\|resetstat:calls=1,`,
		} {
			if !regexp.MustCompile(re).MatchString(stats) {
				t.Errorf("commandstats does not match %q:\n%s", re, stats)
			}
		}
		if strings.Contains(stats, "cmdstat_get:") {
			t.Errorf("uncalled command listed:\n%s", stats)
		}
		c.expect(bulk("# Errorstats\r\nerrorstat_ERR:count=3\r\n"), "INFO", "errorstats")
		c.match(`\r\ntotal_error_replies:3\r\n`, "INFO", "stats")
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.expect(bulk("# Errorstats\r\n"), "INFO", "errorstats")
		c.match(`\r\ntotal_error_replies:0\r\n`, "INFO", "stats")
		c.match(`^\$\d+\r\n# Commandstats\r\n(cmdstat_config\|resetstat:calls=1,[^\r]+\r\ncmdstat_info:calls=\d+,[^\r]+\r\n|cmdstat_info:calls=\d+,[^\r]+\r\ncmdstat_config\|resetstat:calls=1,[^\r]+\r\n)\r\n$`, "INFO", "commandstats")
	})
}

func TestConfigCommands(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect("*2\r\n"+bulk("maxmemory")+bulk("0")+"", "CONFIG", "GET", "maxmemory")
		c.expect("*2\r\n"+bulk("MaxMemory")+bulk("0"), "CONFIG", "GET", "MaxMemory")
		c.expect("*0\r\n", "CONFIG", "GET", "nosuch")
		c.expect("-ERR wrong number of arguments for 'config|get' command\r\n", "CONFIG", "GET")
		c.expect("-ERR wrong number of arguments for 'config|set' command\r\n", "CONFIG", "SET", "maxmemory")
		c.expect(syntaxEr, "CONFIG", "SET", "maxmemory", "1", "hz")
		c.expect("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n", "CONFIG", "SET", "foo", "bar")
		c.expect("-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter\r\n",
			"CONFIG", "SET", "maxmemory", "10000001", "maxmemory", "10000002")
		c.expect("-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config\r\n", "CONFIG", "SET", "daemonize", "yes")
		c.expect("-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n", "CONFIG", "SET", "dir", "/x")
		c.expect(okReply, "CONFIG", "SET", "maxmemory-samples", "7", "slowlog-max-len", "11")
		c.expect("*2\r\n"+bulk("slowlog-max-len")+bulk("11"), "CONFIG", "GET", "slowlog-max-len")
		got := c.do("CONFIG", "GET", "slowlog-max-len", "maxmemory-sam*")
		if got != "*4\r\n"+bulk("slowlog-max-len")+bulk("11")+bulk("maxmemory-samples")+bulk("7") &&
			got != "*4\r\n"+bulk("maxmemory-samples")+bulk("7")+bulk("slowlog-max-len")+bulk("11") {
			t.Errorf("CONFIG GET slowlog-max-len maxmemory-sam*: %q", got)
		}
		c.expect(okReply, "CONFIG", "SET", "maxmemory-samples", "5", "slowlog-max-len", "128")
		c.expect("-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", "CONFIG", "foo")
		c.expect("-ERR wrong number of arguments for 'config' command\r\n", "CONFIG")
		help := c.do("CONFIG", "HELP")
		if !strings.HasPrefix(help, "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET <pattern>\r\n") ||
			!strings.HasSuffix(help, "+HELP\r\n+    Prints this help.\r\n") {
			t.Errorf("CONFIG HELP: %q", help)
		}
		c.expect("-ERR The server is running without a config file\r\n", "CONFIG", "REWRITE")
	})
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.do("HELLO", "3")
		c.expect("%1\r\n"+bulk("maxmemory")+bulk("0"), "CONFIG", "GET", "maxmemory")
		c.expect("%0\r\n", "CONFIG", "GET", "nosuch")
	})
}

func TestConfigSetTakesEffect(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		idle := svDial(t, s.Addr)
		idle.expect("+PONG\r\n", "PING")
		c.expect(okReply, "CONFIG", "SET", "timeout", "1")
		if !idle.closed(5 * time.Second) {
			t.Errorf("idle client not closed after CONFIG SET timeout 1")
		}
		// The first c may or may not have timed out too (it went idle a
		// moment after idle did): close it, and wait until the new c is
		// the only client before counting.
		old := c
		c = svDial(t, s.Addr)
		c.expect(okReply, "CONFIG", "SET", "timeout", "0")
		_ = old.c.Close()
		deadline := time.Now().Add(5 * time.Second)
		for infoField(t, c, "clients", "connected_clients") != "1" && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}

		c.expect(okReply, "CONFIG", "SET", "maxclients", "2")
		other := svDial(t, s.Addr)
		other.expect("+PONG\r\n", "PING")
		third := svDial(t, s.Addr)
		third.expect("-ERR max number of clients reached\r\n", "PING")
		c.expect(okReply, "CONFIG", "SET", "maxclients", "10000")

		c.expect(okReply, "CONFIG", "SET", "requirepass", "secret")
		fresh := svDial(t, s.Addr)
		fresh.expect("-NOAUTH Authentication required.\r\n", "GET", "x")
		fresh.expect(okReply, "AUTH", "secret")
		c.expect("+PONG\r\n", "PING") // existing connections stay authenticated
		c.expect(okReply, "CONFIG", "SET", "requirepass", "")
	})
}

func TestConfigRewrite(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			conf := filepath.Join(dir, "redis.conf")
			if err := os.WriteFile(conf, []byte("# test\nmaxmemory 1000000\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := config.Default()
			if err := cfg.LoadFile(conf); err != nil {
				t.Fatal(err)
			}
			if err := cfg.ApplyArgs([]string{"--bind", "127.0.0.1", "--port", "0", "--dir", dir, "--save", "", "--appendonly", "no"}); err != nil {
				t.Fatal(err)
			}
			srv, err := server.New(core.NewServer(cfg, command.Table(), slog.New(slog.NewTextHandler(io.Discard, nil))), mode)
			if err != nil {
				t.Fatal(err)
			}
			srv.FreePortForZero = true
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Stop)
			c := svDial(t, "127.0.0.1:"+strconv.Itoa(srv.Port()))
			c.expect("*2\r\n"+bulk("maxmemory")+bulk("1000000"), "CONFIG", "GET", "maxmemory")
			c.expect(okReply, "CONFIG", "SET", "maxmemory", "2mb")
			c.expect(okReply, "CONFIG", "REWRITE")
			data, _ := os.ReadFile(conf)
			if !strings.Contains(string(data), "maxmemory 2mb") {
				t.Errorf("rewritten file:\n%s", data)
			}
			c.match(`\r\nconfig_file:`+regexp.QuoteMeta(conf)+`\r\n`, "INFO", "server")
		})
	}
}

func TestShutdown(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect(syntaxEr, "SHUTDOWN", "foo")
		c.expect(syntaxEr, "SHUTDOWN", "SAVE", "NOSAVE")
		c.expect(syntaxEr, "SHUTDOWN", "ABORT", "NOW")
		c.expect("-ERR No shutdown in progress.\r\n", "SHUTDOWN", "ABORT")
		if c.do("MULTI") == okReply {
			c.expect("-ERR Command not allowed inside a transaction\r\n", "SHUTDOWN")
			c.expect(okReply, "DISCARD")
		}
		c.send("SHUTDOWN", "NOSAVE", "NOW", "FORCE")
		if !c.closed(5 * time.Second) {
			t.Fatal("connection still open after SHUTDOWN")
		}
		select {
		case <-s.Srv.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("server still running after SHUTDOWN")
		}
	})
}

func TestDebugCommand(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect("-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n", "DEBUG", "HELP")
		c.expect("-ERR wrong number of arguments for 'debug' command\r\n", "DEBUG")
	})
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.match(`^\*\d+\r\n\+DEBUG <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n\+AOF-FLUSH-SLEEP`, "DEBUG", "HELP")
		c.expect("-ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.\r\n", "DEBUG", "nosuch")
		c.expect("-ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.\r\n", "DEBUG", "sleep")
		start := time.Now()
		c.expect(okReply, "DEBUG", "SLEEP", "0.2")
		if d := time.Since(start); d < 200*time.Millisecond {
			t.Errorf("DEBUG SLEEP 0.2 took %v", d)
		}
		c.expect(okReply, "DEBUG", "SLEEP", "0")
		c.expect(okReply, "DEBUG", "LOG", "hello")
		c.expect(okReply, "DEBUG", "SET-ACTIVE-EXPIRE", "0")
		c.expect(okReply, "DEBUG", "SET-ACTIVE-EXPIRE", "1")
		c.expect("-ERR no such key\r\n", "DEBUG", "OBJECT", "nokey")
		c.expect(okReply, "SET", "k", "v")
		c.match(`^\+Value at:0x[0-9a-f]+ refcount:1 encoding:\w+ serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+\r\n$`, "DEBUG", "OBJECT", "k")
		c.expect(okReply, "DEBUG", "POPULATE", "10", "p", "20")
		c.expect(":11\r\n", "DBSIZE")
		c.expect(bulk("value:3"+strings.Repeat("\x00", 13)), "GET", "p:3")
		c.expect("-my error\r\n", "DEBUG", "ERROR", "my error")

		// DEBUG PROTOCOL in both protocols.
		for _, tc := range []struct{ typ, resp2, resp3 string }{
			{"string", bulk("Hello World"), bulk("Hello World")},
			{"integer", ":12345\r\n", ":12345\r\n"},
			{"double", bulk("3.141"), ",3.141\r\n"},
			{"bignum", bulk("1234567999999999999999999999999999999"), "(1234567999999999999999999999999999999\r\n"},
			{"null", nilBulk, "_\r\n"},
			{"array", "*3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"},
			{"set", "*3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n"},
			{"map", "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"},
			{"attrib", bulk("Some real reply following the attribute"), "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n" + bulk("Some real reply following the attribute")},
			{"true", ":1\r\n", "#t\r\n"},
			{"false", ":0\r\n", "#f\r\n"},
			{"verbatim", bulk("This is a verbatim\nstring"), "=29\r\ntxt:This is a verbatim\nstring\r\n"},
			{"push", "-ERR RESP2 is not supported by this command\r\n", ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n"},
		} {
			c.expect(tc.resp2, "DEBUG", "PROTOCOL", tc.typ)
			c.do("HELLO", "3")
			got := c.do("DEBUG", "PROTOCOL", tc.typ)
			if tc.typ == "push" {
				got += c.read()
				tc.resp3 += bulk("Some real reply following the push reply")
			}
			if got != tc.resp3 {
				t.Errorf("DEBUG PROTOCOL %s in RESP3:\n got %q\nwant %q", tc.typ, got, tc.resp3)
			}
			c.do("HELLO", "2")
		}
	}, "--enable-debug-command", "yes")
}

func TestMemoryCommand(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect(okReply, "SELECT", "9")
		c.expect(okReply, "SET", "foo", "bar")
		c.expect(":64\r\n", "MEMORY", "USAGE", "foo")
		c.expect(okReply, "SET", "n", "12345")
		c.expect(":48\r\n", "MEMORY", "USAGE", "n")
		c.expect(okReply, "SET", "big", strings.Repeat("a", 100))
		c.expect(nilBulk, "MEMORY", "USAGE", "nokey")
		c.expect(syntaxEr, "MEMORY", "USAGE", "foo", "samples")
		c.expect(syntaxEr, "MEMORY", "USAGE", "foo", "samples", "-1")
		c.expect("-ERR value is not an integer or out of range\r\n", "MEMORY", "USAGE", "foo", "samples", "x")
		c.expect(syntaxEr, "MEMORY", "USAGE", "foo", "bar")
		c.expect(":64\r\n", "MEMORY", "USAGE", "foo", "SAMPLES", "0")
		c.expect(okReply, "MEMORY", "PURGE")
		c.expect("-ERR unknown subcommand 'foo'. Try MEMORY HELP.\r\n", "MEMORY", "foo")
		c.match(`^\*14\r\n\+MEMORY <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n\+DOCTOR\r\n`, "MEMORY", "HELP")
		c.match(`^\$\d+\r\nHi Sam, `, "MEMORY", "DOCTOR")
	})
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect(okReply, "SET", "big", strings.Repeat("a", 100))
		c.match(`^:\d+\r\n$`, "MEMORY", "USAGE", "big")
		c.match(`^\*56\r\n\$14\r\npeak\.allocated\r\n:\d+\r\n\$15\r\ntotal\.allocated\r\n`, "MEMORY", "STATS")
		c.expect(bulk("Stats not supported for the current allocator"), "MEMORY", "MALLOC-STATS")
	})
}

func TestScriptAndFunctionFlush(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect(okReply, "FUNCTION", "FLUSH")
		c.expect(okReply, "FUNCTION", "FLUSH", "SYNC")
		c.expect(okReply, "FUNCTION", "FLUSH", "async")
		c.expect("-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n", "FUNCTION", "FLUSH", "x")
		c.expect("-ERR unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION HELP.\r\n", "FUNCTION", "FLUSH", "a", "b")
		c.expect(okReply, "SCRIPT", "FLUSH")
		c.expect(okReply, "SCRIPT", "FLUSH", "ASYNC")
		c.expect("-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n", "SCRIPT", "FLUSH", "x")
		c.match(`^\*\d+\r\n\+SCRIPT <subcommand> `, "SCRIPT", "HELP")
		c.match(`^\*40\r\n\+FUNCTION <subcommand> `, "FUNCTION", "HELP")
	})
}
