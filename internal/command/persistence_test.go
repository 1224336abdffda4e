package command_test

import (
	"encoding/binary"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// DUMP payloads of redis-server 7.0.15 for the values created below.
var redisDumps = map[string]string{
	"s":  "\x00\x05hello\n\x00cr\xdfve4 \n",
	"l":  "\x12\x01\x02\x0f\x0f\x00\x00\x00\x03\x00\x81a\x02\x81b\x02\x01\x01\xff\n\x00\xe0\x1b\xabJG\xceY\"",
	"st": "\x0b\x0e\x02\x00\x00\x00\x03\x00\x00\x00\x01\x00\x02\x00\x03\x00\n\x00\xa5\x02\\\xe2mnM\x1b",
	"h":  "\x10\r\r\x00\x00\x00\x02\x00\x81f\x02\x81v\x02\xff\n\x00 \xf1=D#T\b\x9d",
	"z":  "\x11\x0f\x0f\x00\x00\x00\x02\x00\x81m\x02\x831.5\x04\xff\n\x00I\xd9\x87`x%N\x8a",
}

func createDumpKeys(t *testing.T, r *servertest.Raw) {
	t.Helper()
	kxExpect(t, r, "+OK", "SET", "s", "hello")
	kxExpect(t, r, ":3", "RPUSH", "l", "a", "b", "1")
	kxExpect(t, r, ":3", "SADD", "st", "1", "2", "3")
	kxExpect(t, r, ":1", "HSET", "h", "f", "v")
	kxExpect(t, r, ":1", "ZADD", "z", "1.5", "m")
}

func TestDumpMatchesRedis(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		createDumpKeys(t, r)
		for k, want := range redisDumps {
			if got := r.Do("DUMP", k); got.Str != want {
				t.Errorf("DUMP %s = %q, want redis-server's %q", k, got.Str, want)
			}
		}
		kxExpect(t, r, "$(nil)", "DUMP", "nokey")
		kxExpect(t, r, "-ERR wrong number of arguments for 'dump' command", "DUMP")
	})
}

func TestRestore(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		for k, payload := range redisDumps {
			kxExpect(t, r, "+OK", "RESTORE", "r"+k, "0", payload)
		}
		kxExpect(t, r, "$hello", "GET", "rs")
		kxExpect(t, r, "[$a $b $1]", "LRANGE", "rl", "0", "-1")
		kxExpect(t, r, "$intset", "OBJECT", "ENCODING", "rst")
		kxExpect(t, r, "$v", "HGET", "rh", "f")
		kxExpect(t, r, "$1.5", "ZSCORE", "rz", "m")
		kxExpect(t, r, "$listpack", "OBJECT", "ENCODING", "rz")

		// Errors, in Redis's order of checks.
		kxExpect(t, r, "-BUSYKEY Target key name already exists.", "RESTORE", "rs", "0", redisDumps["s"])
		kxExpect(t, r, "-ERR Invalid TTL value, must be >= 0", "RESTORE", "new", "-1", redisDumps["s"])
		kxExpect(t, r, "-ERR value is not an integer or out of range", "RESTORE", "new", "x", redisDumps["s"])
		kxExpect(t, r, "-ERR DUMP payload version or checksum are wrong", "RESTORE", "new", "0", "garbage")
		// RESTORE-ASKING is RESTORE without cluster mode (checked against
		// redis-server 7.0.15, including COMMAND INFO's "asking" flag).
		kxExpect(t, r, "+OK", "RESTORE-ASKING", "ra", "0", redisDumps["s"])
		kxExpect(t, r, "$hello", "GET", "ra")
		kxExpect(t, r, "-BUSYKEY Target key name already exists.", "RESTORE-ASKING", "ra", "0", redisDumps["s"])
		info := r.Do("COMMAND", "INFO", "restore-asking")
		var flags []string
		if len(info.Array) == 1 && len(info.Array[0].Array) > 2 {
			for _, f := range info.Array[0].Array[2].Array {
				flags = append(flags, f.Str)
			}
		}
		if got := strings.Join(flags, " "); got != "write denyoom asking" {
			t.Errorf("COMMAND INFO restore-asking flags %q, want Redis's \"write denyoom asking\"", got)
		}
		bad := []byte(redisDumps["s"])
		bad[3] ^= 1
		kxExpect(t, r, "-ERR DUMP payload version or checksum are wrong", "RESTORE", "new", "0", string(bad))
		short := []byte("\x00\x05hel\n\x00") // a 5-byte string holding 3
		short = binary.LittleEndian.AppendUint64(short, rdb.Checksum(short))
		kxExpect(t, r, "-ERR Bad data format", "RESTORE", "new", "0", string(short))
		kxExpect(t, r, "-ERR Invalid IDLETIME value, must be >= 0", "RESTORE", "new", "0", redisDumps["s"], "IDLETIME", "-1")
		kxExpect(t, r, "-ERR Invalid FREQ value, must be >= 0 and <= 255", "RESTORE", "new", "0", redisDumps["s"], "FREQ", "256")
		kxExpect(t, r, "-ERR syntax error", "RESTORE", "new", "0", redisDumps["s"], "IDLETIME", "1", "FREQ", "1")
		kxExpect(t, r, "-ERR syntax error", "RESTORE", "new", "0", redisDumps["s"], "BOGUS")
		kxExpect(t, r, ":0", "EXISTS", "new")

		// REPLACE, TTL, ABSTTL, IDLETIME.
		kxExpect(t, r, "+OK", "RESTORE", "rs", "0", redisDumps["l"], "REPLACE")
		kxExpect(t, r, "+list", "TYPE", "rs")
		kxExpect(t, r, "+OK", "RESTORE", "ttl", "5000", redisDumps["s"])
		if v := r.Do("PTTL", "ttl"); v.Int <= 4000 || v.Int > 5000 {
			t.Errorf("PTTL after RESTORE 5000: %d", v.Int)
		}
		at := time.Now().Add(time.Hour).UnixMilli()
		kxExpect(t, r, "+OK", "RESTORE", "abs", strconv.FormatInt(at, 10), redisDumps["s"], "ABSTTL")
		kxExpect(t, r, ":"+strconv.FormatInt(at, 10), "PEXPIRETIME", "abs")
		kxExpect(t, r, "+OK", "RESTORE", "idle", "0", redisDumps["s"], "IDLETIME", "1000")
		if v := r.Do("OBJECT", "IDLETIME", "idle"); v.Int < 999 || v.Int > 1001 {
			t.Errorf("OBJECT IDLETIME after RESTORE IDLETIME 1000: %d", v.Int)
		}
		// An absolute TTL in the past: OK, but no key (and a replaced one
		// is gone).
		kxExpect(t, r, "+OK", "RESTORE", "abs", "1", redisDumps["s"], "ABSTTL", "REPLACE")
		kxExpect(t, r, ":0", "EXISTS", "abs")
		// DUMP/RESTORE round trip of a big value of every type.
		for i := 0; i < 300; i++ {
			n := strconv.Itoa(i)
			r.Do("RPUSH", "bl", strings.Repeat("e", i))
			r.Do("SADD", "bs", "m"+n)
			r.Do("HSET", "bh", "f"+n, n)
			r.Do("ZADD", "bz", n, "m"+n)
		}
		for _, k := range []string{"bl", "bs", "bh", "bz"} {
			payload := r.Do("DUMP", k).Str
			kxExpect(t, r, "+OK", "RESTORE", k+"2", "0", payload)
			if a, b := r.Do("DEBUG", "DIGEST-VALUE", k), r.Do("DEBUG", "DIGEST-VALUE", k+"2"); a.Type == '*' && kxFormat(a) != kxFormat(b) {
				t.Errorf("%s: restored value differs", k)
			}
			kxExpect(t, r, kxFormat(r.Do("OBJECT", "ENCODING", k)), "OBJECT", "ENCODING", k+"2")
		}
		kxExpect(t, r, kxFormat(r.Do("ZRANGE", "bz", "0", "-1", "WITHSCORES")), "ZRANGE", "bz2", "0", "-1", "WITHSCORES")
		kxExpect(t, r, kxFormat(r.Do("LRANGE", "bl", "0", "-1")), "LRANGE", "bl2", "0", "-1")
	}, "--enable-debug-command", "yes")
}

func TestSaveCommands(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		before := r.Do("LASTSAVE").Int
		kxExpect(t, r, "+OK", "SET", "k", "v")
		time.Sleep(1100 * time.Millisecond)
		kxExpect(t, r, "+OK", "SAVE")
		if after := r.Do("LASTSAVE").Int; after <= before {
			t.Errorf("LASTSAVE did not move: %d then %d", before, after)
		}
		info := r.Do("INFO", "persistence").Str
		for _, want := range []string{"rdb_changes_since_last_save:0", "rdb_saves:1", "aof_enabled:0", "rdb_last_bgsave_status:ok"} {
			if !strings.Contains(info, want+"\r\n") {
				t.Errorf("INFO lacks %s:\n%s", want, info)
			}
		}
		kxExpect(t, r, "-ERR syntax error", "BGSAVE", "NOW")
		kxExpect(t, r, "-ERR syntax error", "BGSAVE", "SCHEDULE", "X")
		kxExpect(t, r, "+Background saving started", "BGSAVE")
		// A second one while the first runs, or right after.
		if v := r.Do("BGSAVE"); v.Str != "Background saving started" && v.Str != "ERR Background save already in progress" {
			t.Errorf("second BGSAVE: %s", kxFormat(v))
		}
		waitNoJob(t, r)
		kxExpect(t, r, "+Background append only file rewriting started", "BGREWRITEAOF")
		waitNoJob(t, r)
		kxExpect(t, r, "+OK", "MULTI")
		kxExpect(t, r, "-ERR Command not allowed inside a transaction", "SAVE")
		kxExpect(t, r, "+QUEUED", "BGSAVE")
		kxExpect(t, r, "-EXECABORT Transaction discarded because of previous errors.", "EXEC")
		kxExpect(t, r, "+OK", "MULTI")
		kxExpect(t, r, "+QUEUED", "BGSAVE")
		kxExpect(t, r, "[+Background saving scheduled]", "EXEC")
		waitNoJob(t, r)
		kxExpect(t, r, "+OK", "DEBUG", "RELOAD")
		kxExpect(t, r, "$v", "GET", "k")
		kxExpect(t, r, "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.", "DEBUG", "RELOAD", "FAST")
		kxExpect(t, r, "+OK", "SET", "k2", "v2")
		kxExpect(t, r, "+OK", "DEBUG", "RELOAD", "NOSAVE")
		kxExpect(t, r, ":0", "EXISTS", "k2")
		kxExpect(t, r, "+OK", "SET", "k3", "v3")
		kxExpect(t, r, "+OK", "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")
		kxExpect(t, r, ":1", "EXISTS", "k3")
	}, "--enable-debug-command", "yes")
}

// TestDebugLoadAOF reloads the AOF in place.
func TestDebugLoadAOF(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "k", "v")
		kxExpect(t, r, ":3", "RPUSH", "l", "a", "b", "c")
		kxExpect(t, r, "+OK", "DEBUG", "LOADAOF")
		kxExpect(t, r, "$v", "GET", "k")
		kxExpect(t, r, "[$a $b $c]", "LRANGE", "l", "0", "-1")
		info := r.Do("INFO", "persistence").Str
		for _, want := range []string{"aof_enabled:1", "aof_rewrite_scheduled:0", "aof_pending_rewrite:0", "aof_buffer_length:0", "aof_delayed_fsync:0"} {
			if !strings.Contains(info, want+"\r\n") {
				t.Errorf("INFO lacks %s:\n%s", want, info)
			}
		}
	}, "--enable-debug-command", "yes", "--appendonly", "yes")
}

// TestConfigSetAppendonly turns the AOF on and off at runtime.
func TestConfigSetAppendonly(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "k", "v")
		kxExpect(t, r, "+OK", "CONFIG", "SET", "appendonly", "yes")
		waitNoJob(t, r)
		info := r.Do("INFO", "persistence").Str
		if !strings.Contains(info, "aof_enabled:1\r\n") || !strings.Contains(info, "aof_rewrites:1\r\n") {
			t.Fatalf("INFO after CONFIG SET appendonly yes:\n%s", info)
		}
		kxExpect(t, r, "+OK", "SET", "k2", "v2")
		kxExpect(t, r, "+OK", "CONFIG", "SET", "appendfsync", "always")
		kxExpect(t, r, "+OK", "SET", "k3", "v3")
		kxExpect(t, r, "+OK", "DEBUG", "LOADAOF")
		kxExpect(t, r, "[$v $v2 $v3]", "MGET", "k", "k2", "k3")
		kxExpect(t, r, "+OK", "CONFIG", "SET", "appendonly", "no")
		if info := r.Do("INFO", "persistence").Str; !strings.Contains(info, "aof_enabled:0\r\n") {
			t.Fatalf("INFO after CONFIG SET appendonly no:\n%s", info)
		}
	}, "--enable-debug-command", "yes")
}

func waitNoJob(t *testing.T, r *servertest.Raw) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		info := r.Do("INFO", "persistence").Str
		if strings.Contains(info, "rdb_bgsave_in_progress:0") && strings.Contains(info, "aof_rewrite_in_progress:0") &&
			strings.Contains(info, "aof_rewrite_scheduled:0") && !strings.Contains(info, "aof_pending_rewrite:1") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("background job did not end")
}
