package command_test

import (
	"bufio"
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// The string and bitmap tests run against a fresh server in each mode. With
// STRINGS_ORACLE=host:port they also run against that server (a real
// redis-server 7.0, whose database 9 is flushed), which checks that the
// expectations written here are Redis's; checks that need the server's
// internals (propagation) are skipped there.

// stEnv is one server under test with a raw RESP connection.
type stEnv struct {
	t    *testing.T
	s    *servertest.Server // nil against the oracle
	conn net.Conn
	rd   *bufio.Reader
}

// stRun runs fn against a fresh server in each mode (started with the
// redis.conf-style directives, as name/value pairs), and against the oracle
// if one is configured.
func stRun(t *testing.T, fn func(e *stEnv), directives ...string) {
	t.Helper()
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		fn(stDial(t, s, s.Addr))
	}, directives...)
	if addr := os.Getenv("STRINGS_ORACLE"); addr != "" {
		t.Run("oracle", func(t *testing.T) {
			e := stDial(t, nil, addr)
			e.do("SELECT", "9")
			e.do("FLUSHDB")
			for i := 0; i+1 < len(directives); i += 2 {
				name := strings.TrimPrefix(directives[i], "--")
				old := e.do("CONFIG", "GET", name).Array[1].Str
				e.ok("CONFIG", "SET", name, directives[i+1])
				t.Cleanup(func() { stDial(t, nil, addr).do("CONFIG", "SET", name, old) })
			}
			fn(e)
		})
	}
}

func stDial(t *testing.T, s *servertest.Server, addr string) *stEnv {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &stEnv{t: t, s: s, conn: c, rd: bufio.NewReader(c)}
}

// oracle reports whether e is the reference redis-server.
func (e *stEnv) oracle() bool { return e.s == nil }

// do sends one command and returns its reply.
func (e *stEnv) do(args ...string) resp.Value {
	e.t.Helper()
	_ = e.conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := e.conn.Write([]byte(servertest.Encode(args...))); err != nil {
		e.t.Fatalf("%q: write: %v", args, err)
	}
	v, err := resp.ReadReply(e.rd)
	if err != nil {
		e.t.Fatalf("%q: read: %v", args, err)
	}
	return v
}

// stFmt renders a reply with its type: "+OK", "$foo", "$(nil)", ":1",
// "-ERR ...", "[a b]", ",1.5".
func stFmt(v resp.Value) string {
	switch v.Type {
	case '+', '-', ',':
		return string(v.Type) + v.Str
	case ':':
		return ":" + strconv.FormatInt(v.Int, 10)
	case '_':
		return "(null)"
	case '$':
		if v.Null {
			return "$(nil)"
		}
		return "$" + v.Str
	case '*', '%':
		if v.Null {
			return "*(nil)"
		}
		parts := make([]string, len(v.Array))
		for i, x := range v.Array {
			parts[i] = stFmt(x)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return v.String()
}

// stShort cuts s for failure messages.
func stShort(s string) string {
	if len(s) > 200 {
		return fmt.Sprintf("%s...(%d bytes)", s[:200], len(s))
	}
	return s
}

// expect checks the rendered reply to args.
func (e *stEnv) expect(want string, args ...string) {
	e.t.Helper()
	if got := stFmt(e.do(args...)); got != want {
		e.t.Errorf("%s:\n got %s\nwant %s", stShort(fmt.Sprintf("%q", args)), stShort(fmt.Sprintf("%q", got)), stShort(fmt.Sprintf("%q", want)))
	}
}

func (e *stEnv) ok(args ...string) { e.t.Helper(); e.expect("+OK", args...) }

func (e *stEnv) bulk(want string, args ...string) { e.t.Helper(); e.expect("$"+want, args...) }

func (e *stEnv) null(args ...string) { e.t.Helper(); e.expect("$(nil)", args...) }

func (e *stEnv) int(want int64, args ...string) {
	e.t.Helper()
	e.expect(":"+strconv.FormatInt(want, 10), args...)
}

// err checks an error reply; want is the text without the '-'.
func (e *stEnv) err(want string, args ...string) { e.t.Helper(); e.expect("-"+want, args...) }

// wrongType checks that args answers WRONGTYPE.
func (e *stEnv) wrongType(args ...string) {
	e.t.Helper()
	e.err("WRONGTYPE Operation against a key holding the wrong kind of value", args...)
}

// nonString makes key hold a value that is not a string.
func (e *stEnv) nonString(key string) {
	e.t.Helper()
	if e.oracle() {
		e.do("DEL", key)
		e.int(1, "HSET", key, "f", "v")
		return
	}
	e.s.Srv.Lock()
	defer e.s.Srv.Unlock()
	db := e.s.Srv.Core().KS.DB(0)
	db.Set([]byte(key), &keyspace.Object{Type: keyspace.TypeHash}, false)
}

// pttl returns key's remaining time to live in ms, -1 without a TTL, -2
// for a missing key.
func (e *stEnv) pttl(key string) int64 {
	e.t.Helper()
	if e.oracle() {
		return e.do("PTTL", key).Int
	}
	e.s.Srv.Lock()
	defer e.s.Srv.Unlock()
	core := e.s.Srv.Core()
	core.KS.SetNow(time.Now().UnixMilli())
	db := core.KS.DB(0)
	if db.Peek([]byte(key)) == nil {
		return -2
	}
	when := db.Expire([]byte(key))
	if when < 0 {
		return -1
	}
	return when - time.Now().UnixMilli()
}

// expectTTL checks that key's TTL is in (lo, hi] ms; lo = hi = -1 means no
// TTL.
func (e *stEnv) expectTTL(key string, lo, hi int64) {
	e.t.Helper()
	got := e.pttl(key)
	if lo == -1 && hi == -1 {
		if got != -1 {
			e.t.Errorf("TTL of %q: got %d, want none", key, got)
		}
		return
	}
	if got <= lo || got > hi {
		e.t.Errorf("TTL of %q: got %d ms, want in (%d, %d]", key, got, lo, hi)
	}
}

// stFeed records the propagated command stream.
type stFeed struct {
	mu   sync.Mutex
	cmds []string
}

func (f *stFeed) Feed(db int, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	f.mu.Lock()
	f.cmds = append(f.cmds, strings.Join(parts, " "))
	f.mu.Unlock()
}

// take returns and forgets what was propagated so far.
func (f *stFeed) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.cmds
	f.cmds = nil
	return out
}

// feed starts recording what the server propagates (AOF/replicas).
func (e *stEnv) feed() *stFeed {
	f := &stFeed{}
	e.s.Srv.Lock()
	e.s.Srv.Core().AddFeed(f)
	e.s.Srv.Unlock()
	return f
}

// expectProp checks what the commands since the last call propagated.
func expectProp(t *testing.T, f *stFeed, want ...string) {
	t.Helper()
	got := f.take()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("propagated:\n got %q\nwant %q", got, want)
	}
}

func TestStringCommandTable(t *testing.T) {
	tab := command.Table()
	type info struct {
		arity             int
		flags             string
		first, last, step int
		group             string
	}
	want := map[string]info{
		"get":         {2, "readonly fast", 1, 1, 1, "string"},
		"set":         {-3, "write denyoom", 1, 1, 1, "string"},
		"setnx":       {3, "write denyoom fast", 1, 1, 1, "string"},
		"setex":       {4, "write denyoom", 1, 1, 1, "string"},
		"psetex":      {4, "write denyoom", 1, 1, 1, "string"},
		"getset":      {3, "write denyoom fast", 1, 1, 1, "string"},
		"getdel":      {2, "write fast", 1, 1, 1, "string"},
		"getex":       {-2, "write fast", 1, 1, 1, "string"},
		"mget":        {-2, "readonly fast", 1, -1, 1, "string"},
		"mset":        {-3, "write denyoom", 1, -1, 2, "string"},
		"msetnx":      {-3, "write denyoom", 1, -1, 2, "string"},
		"append":      {3, "write denyoom fast", 1, 1, 1, "string"},
		"strlen":      {2, "readonly fast", 1, 1, 1, "string"},
		"getrange":    {4, "readonly", 1, 1, 1, "string"},
		"substr":      {4, "readonly", 1, 1, 1, "string"},
		"setrange":    {4, "write denyoom", 1, 1, 1, "string"},
		"incr":        {2, "write denyoom fast", 1, 1, 1, "string"},
		"decr":        {2, "write denyoom fast", 1, 1, 1, "string"},
		"incrby":      {3, "write denyoom fast", 1, 1, 1, "string"},
		"decrby":      {3, "write denyoom fast", 1, 1, 1, "string"},
		"incrbyfloat": {3, "write denyoom fast", 1, 1, 1, "string"},
		"lcs":         {-3, "readonly", 1, 2, 1, "string"},
		"setbit":      {4, "write denyoom", 1, 1, 1, "bitmap"},
		"getbit":      {3, "readonly fast", 1, 1, 1, "bitmap"},
		"bitcount":    {-2, "readonly", 1, 1, 1, "bitmap"},
		"bitpos":      {-3, "readonly", 1, 1, 1, "bitmap"},
		"bitop":       {-4, "write denyoom", 2, -1, 1, "bitmap"},
		"bitfield":    {-2, "write denyoom", 1, 1, 1, "bitmap"},
		"bitfield_ro": {-2, "readonly fast", 1, 1, 1, "bitmap"},
	}
	for name, w := range want {
		c := tab[name]
		if c == nil {
			t.Errorf("%s: not registered", name)
			continue
		}
		got := info{c.Arity, strings.Join(c.Flags.Names(), " "), c.FirstKey, c.LastKey, c.Step, c.Group}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", name, got, w)
		}
		if c.Handler == nil || c.Since == "" || c.Summary == "" {
			t.Errorf("%s: missing handler, since or summary", name)
		}
	}
	if got := tab["mset"].KeyPositions([][]byte{[]byte("mset"), []byte("a"), []byte("1"), []byte("b"), []byte("2")}); fmt.Sprint(got) != "[1 3]" {
		t.Errorf("MSET key positions: %v", got)
	}
	if got := tab["bitop"].KeyPositions([][]byte{[]byte("bitop"), []byte("and"), []byte("d"), []byte("a"), []byte("b")}); fmt.Sprint(got) != "[2 3 4]" {
		t.Errorf("BITOP key positions: %v", got)
	}
}

func TestStringArity(t *testing.T) {
	stRun(t, func(e *stEnv) {
		for _, args := range [][]string{
			{"GET"}, {"GET", "a", "b"}, {"SET", "a"}, {"SETNX", "a"}, {"SETEX", "a", "1"},
			{"PSETEX", "a", "1"}, {"GETSET", "a"}, {"GETDEL"}, {"GETEX"}, {"MGET"}, {"MSET", "a"},
			{"MSETNX", "a"}, {"APPEND", "a"}, {"STRLEN"}, {"GETRANGE", "a", "0"}, {"SUBSTR", "a", "0"},
			{"SETRANGE", "a", "0"}, {"INCR"}, {"DECR"}, {"INCRBY", "a"}, {"DECRBY", "a"},
			{"INCRBYFLOAT", "a"}, {"LCS", "a"},
		} {
			e.err(fmt.Sprintf("ERR wrong number of arguments for '%s' command", strings.ToLower(args[0])), args...)
		}
		// MSET and MSETNX need pairs, which the arity alone does not say.
		e.err("ERR wrong number of arguments for 'mset' command", "MSET", "a", "1", "b")
		e.err("ERR wrong number of arguments for 'msetnx' command", "MSETNX", "a", "1", "b")
		e.null("GET", "a")
	})
}

func TestStringGetSet(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.null("GET", "k")
		e.ok("SET", "k", "v")
		e.bulk("v", "GET", "k")
		e.ok("set", "k", "other")
		e.bulk("other", "get", "k")
		bin := "a\r\nb\x00c\xff"
		e.ok("SET", "bin", bin)
		e.bulk(bin, "GET", "bin")
		e.ok("SET", "empty", "")
		e.bulk("", "GET", "empty")
		e.int(0, "STRLEN", "empty")
		// SET replaces a value of any type; GET refuses other types.
		e.nonString("h")
		e.wrongType("GET", "h")
		e.ok("SET", "h", "now a string")
		e.bulk("now a string", "GET", "h")
	})
}

func TestStringGetSetGoRedis(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := s.Client()
		ctx := servertest.Ctx(t)
		if err := c.Set(ctx, "k", "hello", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if v, err := c.Get(ctx, "k").Result(); err != nil || v != "hello" {
			t.Fatalf("GET: %q %v", v, err)
		}
		if _, err := c.Get(ctx, "missing").Result(); err == nil || err.Error() != "redis: nil" {
			t.Fatalf("GET missing: %v", err)
		}
		if n, err := c.IncrBy(ctx, "n", 41).Result(); err != nil || n != 41 {
			t.Fatalf("INCRBY: %d %v", n, err)
		}
		if f, err := c.IncrByFloat(ctx, "n", 1.5).Result(); err != nil || f != 42.5 {
			t.Fatalf("INCRBYFLOAT: %v %v", f, err)
		}
		vals, err := c.MGet(ctx, "k", "missing", "n").Result()
		if err != nil || fmt.Sprint(vals) != "[hello <nil> 42.5]" {
			t.Fatalf("MGET: %v %v", vals, err)
		}
		if err := c.Set(ctx, "ttl", "x", 1500*time.Millisecond).Err(); err != nil {
			t.Fatal(err)
		}
		if d, err := c.PTTL(ctx, "ttl").Result(); err == nil && (d <= time.Second || d > 1500*time.Millisecond) {
			t.Fatalf("PTTL after SET PX: %v", d)
		}
		if err := c.Incr(ctx, "k").Err(); err == nil || err.Error() != "ERR value is not an integer or out of range" {
			t.Fatalf("INCR on text: %v", err)
		}
	})
}

func TestStringSetOptions(t *testing.T) {
	stRun(t, func(e *stEnv) {
		// NX / XX.
		e.null("SET", "k", "v", "XX")
		e.null("GET", "k")
		e.ok("SET", "k", "v1", "NX")
		e.null("SET", "k", "v2", "nx")
		e.bulk("v1", "GET", "k")
		e.ok("SET", "k", "v3", "xx")
		e.bulk("v3", "GET", "k")
		e.err("ERR syntax error", "SET", "k", "v", "NX", "XX")
		e.err("ERR syntax error", "SET", "k", "v", "XX", "NX")
		e.ok("SET", "k", "v4", "XX", "XX")
		e.err("ERR syntax error", "SET", "k", "v", "FOO")
		e.err("ERR syntax error", "SET", "k", "v", "EX")
		e.err("ERR syntax error", "SET", "k", "v", "NX", "EX")
		e.bulk("v4", "GET", "k")

		// GET returns the old value, also with NX/XX (Redis 7.0).
		e.bulk("v4", "SET", "k", "v5", "GET")
		e.bulk("v5", "GET", "k")
		e.null("SET", "new", "n1", "GET")
		e.bulk("n1", "GET", "new")
		e.bulk("v5", "SET", "k", "v6", "NX", "GET")
		e.bulk("v5", "GET", "k")
		e.null("SET", "absent", "x", "GET", "XX")
		e.null("GET", "absent")
		e.bulk("v5", "SET", "k", "v7", "get", "GET")
		e.bulk("v7", "GET", "k")
		e.nonString("h")
		e.wrongType("SET", "h", "x", "GET")
		e.wrongType("GET", "h")

		// Expire options.
		e.ok("SET", "k", "v", "EX", "100")
		e.expectTTL("k", 99000, 100000)
		e.ok("SET", "k", "v", "PX", "5000")
		e.expectTTL("k", 4000, 5000)
		at := time.Now().Unix() + 200
		e.ok("SET", "k", "v", "EXAT", strconv.FormatInt(at, 10))
		e.expectTTL("k", 198000, 200000)
		atMs := time.Now().UnixMilli() + 300000
		e.ok("SET", "k", "v", "PXAT", strconv.FormatInt(atMs, 10))
		e.expectTTL("k", 298000, 300000)
		e.ok("SET", "k", "v", "KEEPTTL")
		e.expectTTL("k", 298000, 300000)
		e.bulk("v", "SET", "k", "v2", "KEEPTTL", "XX", "GET")
		e.expectTTL("k", 298000, 300000)
		e.ok("SET", "k", "v")
		e.expectTTL("k", -1, -1)
		e.err("ERR syntax error", "set", "k", "v", "ex", "10", "nx", "get", "xx")

		// Conflicting expire options.
		for _, opts := range [][]string{
			{"EX", "1", "PX", "1"}, {"PX", "1", "EX", "1"}, {"EX", "1", "EXAT", "1"},
			{"EXAT", "1", "PXAT", "1"}, {"PXAT", "1", "EX", "1"}, {"KEEPTTL", "EX", "1"},
			{"EX", "1", "KEEPTTL"}, {"PX", "1", "KEEPTTL"}, {"PERSIST"}, {"EX", "1", "PXAT", "1", "EX", "1"},
		} {
			e.err("ERR syntax error", append([]string{"SET", "k", "v"}, opts...)...)
		}
		// Bad expire values: not an integer, not positive, overflowing.
		e.err("ERR value is not an integer or out of range", "SET", "k", "v", "EX", "abc")
		e.err("ERR value is not an integer or out of range", "SET", "k", "v", "PX", "1.5")
		e.err("ERR value is not an integer or out of range", "SET", "k", "v", "EX", " 1")
		for _, opts := range [][]string{
			{"EX", "0"}, {"EX", "-1"}, {"PX", "0"}, {"PX", "-100"}, {"EXAT", "0"}, {"PXAT", "-1"},
			{"EX", "9223372036854775"}, {"EX", "9223372036854776"}, {"EXAT", "9999999999999999"},
			{"PX", "9223372036854775807"},
		} {
			e.err("ERR invalid expire time in 'set' command", append([]string{"SET", "k", "v"}, opts...)...)
		}
		// A failed SET changed nothing.
		e.bulk("v", "GET", "k")
		e.expectTTL("k", -1, -1)
		// An absolute time in the past stores an already expired key.
		e.ok("SET", "k", "v", "PXAT", "1")
		e.null("GET", "k")
		e.ok("SET", "k", "v", "EXAT", "1")
		e.int(0, "EXISTS", "k")
	})
}

func TestStringSetExpiresForReal(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.ok("SET", "k", "v", "PX", "50")
		e.ok("PSETEX", "p", "50", "v")
		e.bulk("v", "GET", "k")
		time.Sleep(120 * time.Millisecond)
		e.null("GET", "k")
		e.null("GET", "p")
		// KEEPTTL on an expired key keeps nothing.
		e.ok("SET", "k2", "v", "PX", "30")
		time.Sleep(60 * time.Millisecond)
		e.ok("SET", "k2", "w", "KEEPTTL")
		e.expectTTL("k2", -1, -1)
		e.bulk("w", "GET", "k2")
	})
}

func TestStringSetnxSetexPsetex(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.int(1, "SETNX", "k", "a")
		e.int(0, "SETNX", "k", "b")
		e.bulk("a", "GET", "k")
		e.nonString("h")
		e.int(0, "SETNX", "h", "b")

		e.ok("SETEX", "k", "100", "v")
		e.bulk("v", "GET", "k")
		e.expectTTL("k", 99000, 100000)
		e.ok("SETEX", "h", "100", "v")
		e.bulk("v", "GET", "h")
		e.ok("PSETEX", "k", "7000", "w")
		e.bulk("w", "GET", "k")
		e.expectTTL("k", 6000, 7000)
		e.err("ERR invalid expire time in 'setex' command", "SETEX", "k", "0", "v")
		e.err("ERR invalid expire time in 'setex' command", "SETEX", "k", "-10", "v")
		e.err("ERR invalid expire time in 'setex' command", "SETEX", "k", "9223372036854775807", "v")
		e.err("ERR invalid expire time in 'psetex' command", "PSETEX", "k", "0", "v")
		e.err("ERR invalid expire time in 'psetex' command", "PSETEX", "k", "9223372036854775807", "v")
		e.err("ERR value is not an integer or out of range", "SETEX", "k", "ten", "v")
		e.err("ERR value is not an integer or out of range", "PSETEX", "k", "", "v")
		e.bulk("w", "GET", "k")
	})
}

func TestStringGetsetGetdel(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.null("GETSET", "k", "a")
		e.bulk("a", "GETSET", "k", "b")
		e.bulk("b", "GET", "k")
		e.ok("SET", "t", "v", "EX", "100")
		e.bulk("v", "GETSET", "t", "w")
		e.expectTTL("t", -1, -1)
		e.nonString("h")
		e.wrongType("GETSET", "h", "x")
		e.wrongType("GET", "h")

		e.bulk("b", "GETDEL", "k")
		e.null("GET", "k")
		e.null("GETDEL", "k")
		e.wrongType("GETDEL", "h")
		e.int(1, "EXISTS", "h")
	})
}

func TestStringGetex(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.null("GETEX", "k")
		// A missing key answers nil before the options' values are checked.
		e.null("GETEX", "k", "EX", "abc")
		e.null("GETEX", "k", "EX", "0")
		e.err("ERR syntax error", "GETEX", "k", "FOO")

		e.ok("SET", "k", "v")
		e.bulk("v", "GETEX", "k")
		e.expectTTL("k", -1, -1)
		e.bulk("v", "GETEX", "k", "EX", "100")
		e.expectTTL("k", 99000, 100000)
		e.bulk("v", "GETEX", "k", "px", "5000")
		e.expectTTL("k", 4000, 5000)
		e.bulk("v", "GETEX", "k", "EXAT", strconv.FormatInt(time.Now().Unix()+200, 10))
		e.expectTTL("k", 198000, 200000)
		e.bulk("v", "GETEX", "k", "PXAT", strconv.FormatInt(time.Now().UnixMilli()+300000, 10))
		e.expectTTL("k", 298000, 300000)
		e.bulk("v", "GETEX", "k")
		e.expectTTL("k", 298000, 300000)
		e.bulk("v", "GETEX", "k", "PERSIST")
		e.expectTTL("k", -1, -1)
		e.bulk("v", "GETEX", "k", "PERSIST")
		e.expectTTL("k", -1, -1)

		for _, opts := range [][]string{
			{"PERSIST", "EX", "1"}, {"EX", "1", "PERSIST"}, {"EX", "1", "PX", "1"}, {"NX"}, {"XX"},
			{"GET"}, {"KEEPTTL"}, {"EX"}, {"PXAT"},
		} {
			e.err("ERR syntax error", append([]string{"GETEX", "k"}, opts...)...)
		}
		e.err("ERR value is not an integer or out of range", "GETEX", "k", "EX", "abc")
		e.err("ERR invalid expire time in 'getex' command", "GETEX", "k", "EX", "0")
		e.err("ERR invalid expire time in 'getex' command", "GETEX", "k", "PXAT", "-5")
		e.err("ERR invalid expire time in 'getex' command", "GETEX", "k", "EX", "9223372036854775807")
		e.expectTTL("k", -1, -1)

		// An absolute time in the past deletes the key after replying.
		e.bulk("v", "GETEX", "k", "PXAT", "1")
		e.int(0, "EXISTS", "k")
		e.ok("SET", "k", "v")
		e.bulk("v", "GETEX", "k", "EXAT", "1")
		e.null("GET", "k")

		e.nonString("h")
		e.wrongType("GETEX", "h")
		e.wrongType("GETEX", "h", "EX", "abc")
		// Syntax is checked before the key.
		e.err("ERR syntax error", "GETEX", "h", "FOO")
	})
}

// expectPropAbs checks that exactly one command was propagated, made of
// prefix and an absolute Unix ms time within [lo, hi].
func expectPropAbs(t *testing.T, f *stFeed, prefix string, lo, hi int64) {
	t.Helper()
	got := f.take()
	if len(got) != 1 || !strings.HasPrefix(got[0], prefix+" ") {
		t.Errorf("propagated %q, want %q <time>", got, prefix)
		return
	}
	ms, err := strconv.ParseInt(strings.TrimPrefix(got[0], prefix+" "), 10, 64)
	if err != nil || ms < lo || ms > hi {
		t.Errorf("propagated %q, want time in [%d, %d]", got[0], lo, hi)
	}
}

func TestStringPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		e := stDial(t, s, s.Addr)
		f := e.feed()
		now := func() int64 { return time.Now().UnixMilli() }

		e.ok("SET", "k", "v")
		expectProp(t, f, "SET k v")
		e.ok("SET", "k", "v", "PXAT", "4000000000000")
		expectProp(t, f, "SET k v PXAT 4000000000000")
		e.ok("SET", "k", "v", "EXAT", "4000000000", "XX")
		expectProp(t, f, "SET k v PXAT 4000000000000")
		t0 := now()
		e.ok("SET", "k", "v", "EX", "100")
		expectPropAbs(t, f, "SET k v PXAT", t0+100000, now()+100000)
		t0 = now()
		e.bulk("v", "SET", "k", "w", "PX", "100", "GET")
		expectPropAbs(t, f, "SET k w PXAT", t0+100, now()+100)
		t0 = now()
		e.ok("SETEX", "k", "10", "x")
		expectPropAbs(t, f, "SET k x PXAT", t0+10000, now()+10000)
		t0 = now()
		e.ok("PSETEX", "k", "100000", "y") // long enough to outlive a loaded machine
		expectPropAbs(t, f, "SET k y PXAT", t0+100000, now()+100000)
		// GET options are dropped.
		e.bulk("y", "SET", "k", "z", "GET", "KEEPTTL", "get")
		expectProp(t, f, "SET k z KEEPTTL")
		// Nothing is sent when nothing changed.
		e.null("SET", "k", "v", "NX")
		e.int(0, "SETNX", "k", "v")
		e.bulk("z", "GET", "k")
		e.int(0, "MSETNX", "k", "1", "other", "2")
		e.err("ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "0")
		expectProp(t, f)
		e.int(1, "SETNX", "n", "1")
		expectProp(t, f, "SETNX n 1")

		e.bulk("z", "GETSET", "k", "g")
		expectProp(t, f, "SET k g")
		e.bulk("g", "GETDEL", "k")
		expectProp(t, f, "DEL k")
		e.null("GETDEL", "k")
		expectProp(t, f)

		e.ok("SET", "k", "v")
		f.take()
		e.bulk("v", "GETEX", "k")
		e.bulk("v", "GETEX", "k", "PERSIST")
		expectProp(t, f)
		t0 = now()
		e.bulk("v", "GETEX", "k", "EX", "50")
		expectPropAbs(t, f, "PEXPIREAT k", t0+50000, now()+50000)
		e.bulk("v", "GETEX", "k", "PXAT", "4000000000000")
		expectProp(t, f, "PEXPIREAT k 4000000000000")
		e.bulk("v", "GETEX", "k", "PERSIST")
		expectProp(t, f, "PERSIST k")
		e.bulk("v", "GETEX", "k", "PXAT", "1")
		expectProp(t, f, "DEL k")

		e.bulk("1.5", "INCRBYFLOAT", "f", "1.5")
		expectProp(t, f, "SET f 1.5 KEEPTTL")
		e.bulk("3", "INCRBYFLOAT", "f", "1.5")
		expectProp(t, f, "SET f 3 KEEPTTL")
		e.int(4, "INCR", "f")
		expectProp(t, f, "INCR f")
		e.ok("MSET", "a", "1", "b", "2")
		expectProp(t, f, "MSET a 1 b 2")
		e.int(2, "APPEND", "a", "x")
		e.int(5, "SETRANGE", "a", "4", "y")
		e.int(5, "SETRANGE", "a", "1", "")
		expectProp(t, f, "APPEND a x", "SETRANGE a 4 y")
		e.int(1, "DECR", "b")
		e.err("ERR value is not an integer or out of range", "INCR", "a")
		expectProp(t, f, "DECR b")

		// An expired key is deleted (and that is sent) before a SET
		// replaces it.
		e.ok("SET", "old", "v", "PX", "20")
		f.take()
		time.Sleep(40 * time.Millisecond)
		e.ok("SET", "old", "w")
		expectProp(t, f, "DEL old", "SET old w")
	})
}

func TestStringMgetMset(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.ok("MSET", "a", "1", "b", "2")
		e.nonString("h")
		e.expect("[$1 $(nil) $2 $(nil) $1]", "MGET", "a", "missing", "b", "h", "a")
		e.ok("SET", "t", "v", "EX", "100")
		e.ok("MSET", "t", "w", "a", "3", "a", "4")
		e.expectTTL("t", -1, -1)
		e.expect("[$w $4]", "MGET", "t", "a")
		e.ok("MSET", "h", "now string")
		e.bulk("now string", "GET", "h")

		e.int(0, "MSETNX", "x", "1", "a", "5")
		e.null("GET", "x")
		e.bulk("4", "GET", "a")
		e.int(1, "MSETNX", "x", "1", "y", "2")
		e.expect("[$1 $2]", "MGET", "x", "y")
		// The same key twice: the last value wins (BAD-INPUTS 18).
		e.int(1, "MSETNX", "z", "a", "z", "b")
		e.bulk("b", "GET", "z")
		e.nonString("h2")
		e.int(0, "MSETNX", "q", "1", "h2", "2")
		e.null("GET", "q")
	})
}

func TestStringAppendStrlen(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.int(0, "STRLEN", "k")
		e.int(5, "APPEND", "k", "hello")
		e.int(11, "APPEND", "k", " world")
		e.int(11, "APPEND", "k", "")
		e.bulk("hello world", "GET", "k")
		e.int(11, "STRLEN", "k")
		e.int(0, "APPEND", "empty", "")
		e.int(1, "EXISTS", "empty")
		e.ok("SET", "n", "10")
		e.int(3, "APPEND", "n", "0")
		e.int(101, "INCR", "n")
		e.ok("SET", "t", "a", "EX", "100")
		e.int(2, "APPEND", "t", "b")
		e.expectTTL("t", 98000, 100000)
		e.nonString("h")
		e.wrongType("APPEND", "h", "x")
		e.wrongType("STRLEN", "h")
		bin := "\x00\r\n\xff"
		e.int(4, "APPEND", "bin", bin)
		e.int(8, "APPEND", "bin", bin)
		e.bulk(bin+bin, "GET", "bin")
	})
}

func TestStringGetrange(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.ok("SET", "k", "Hello World")
		for _, c := range []struct{ start, end, want string }{
			{"0", "-1", "Hello World"}, {"0", "4", "Hello"}, {"-5", "-1", "World"},
			{"5", "3", ""}, {"-1", "-5", ""}, {"0", "100", "Hello World"}, {"-100", "2", "Hel"},
			{"-100", "-50", "H"}, {"20", "30", ""}, {"0", "0", "H"}, {"10", "10", "d"},
			{"-1", "-1", "d"}, {"3", "-8", "l"}, {"3", "-9", ""},
			{"-9223372036854775808", "9223372036854775807", "Hello World"},
		} {
			e.bulk(c.want, "GETRANGE", "k", c.start, c.end)
			e.bulk(c.want, "SUBSTR", "k", c.start, c.end)
		}
		e.bulk("", "GETRANGE", "missing", "0", "-1")
		e.ok("SET", "empty", "")
		e.bulk("", "GETRANGE", "empty", "0", "-1")
		e.bulk("", "GETRANGE", "empty", "-1", "0")
		e.ok("SET", "n", "1234")
		e.bulk("12", "GETRANGE", "n", "0", "1")
		e.err("ERR value is not an integer or out of range", "GETRANGE", "k", "a", "1")
		e.err("ERR value is not an integer or out of range", "GETRANGE", "k", "0", "1.0")
		e.err("ERR value is not an integer or out of range", "GETRANGE", "missing", "0", "x")
		e.nonString("h")
		e.wrongType("GETRANGE", "h", "0", "-1")
		e.err("ERR value is not an integer or out of range", "SUBSTR", "h", "x", "-1")
	})
}

func TestStringSetrange(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.int(5, "SETRANGE", "k", "0", "hello")
		e.int(11, "SETRANGE", "k", "6", "world")
		e.bulk("hello\x00world", "GET", "k")
		e.int(11, "SETRANGE", "k", "5", " ")
		e.bulk("hello world", "GET", "k")
		e.int(11, "SETRANGE", "k", "0", "J")
		e.bulk("Jello world", "GET", "k")
		e.int(11, "SETRANGE", "k", "100", "")
		e.bulk("Jello world", "GET", "k")
		e.int(0, "SETRANGE", "missing", "10", "")
		e.int(0, "EXISTS", "missing")
		e.int(4, "SETRANGE", "pad", "3", "x")
		e.bulk("\x00\x00\x00x", "GET", "pad")
		e.ok("SET", "n", "1234")
		e.int(4, "SETRANGE", "n", "1", "9")
		e.int(1935, "INCR", "n")
		e.ok("SET", "t", "abc", "EX", "100")
		e.int(3, "SETRANGE", "t", "0", "x")
		e.expectTTL("t", 98000, 100000)

		e.err("ERR offset is out of range", "SETRANGE", "k", "-1", "x")
		e.err("ERR offset is out of range", "SETRANGE", "missing", "-1", "")
		e.err("ERR value is not an integer or out of range", "SETRANGE", "k", "a", "x")
		e.err("ERR string exceeds maximum allowed size (proto-max-bulk-len)", "SETRANGE", "k", "9223372036854775807", "A")
		e.err("ERR string exceeds maximum allowed size (proto-max-bulk-len)", "SETRANGE", "missing", "536870911", "AB")
		e.err("ERR string exceeds maximum allowed size (proto-max-bulk-len)", "SETRANGE", "k", "536870912", "A")
		e.int(0, "EXISTS", "missing")
		e.nonString("h")
		e.wrongType("SETRANGE", "h", "0", "x")
		e.wrongType("SETRANGE", "h", "0", "")
		e.err("ERR offset is out of range", "SETRANGE", "h", "-1", "x")
	})
}

// TestStringSizeLimit runs with proto-max-bulk-len at its 1 MB minimum.
func TestStringSizeLimit(t *testing.T) {
	stRun(t, func(e *stEnv) {
		const limit = 1 << 20
		tooBig := "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
		e.int(limit, "SETRANGE", "k", strconv.Itoa(limit-1), "A")
		e.err(tooBig, "SETRANGE", "k", strconv.Itoa(limit-1), "AB")
		e.err(tooBig, "SETRANGE", "new", strconv.Itoa(limit), "A")
		e.err(tooBig, "APPEND", "k", "B")
		e.int(limit, "APPEND", "k", "")
		e.int(limit, "STRLEN", "k")
		e.ok("SET", "a", strings.Repeat("x", limit-1))
		e.int(limit, "APPEND", "a", "y")
		e.err(tooBig, "APPEND", "a", "y")
		// Bit offsets must address a byte below the limit.
		e.int(0, "SETBIT", "b", strconv.Itoa(limit*8-1), "1")
		e.int(limit, "STRLEN", "b")
		e.err("ERR bit offset is not an integer or out of range", "SETBIT", "b", strconv.Itoa(limit*8), "1")
		e.err("ERR bit offset is not an integer or out of range", "GETBIT", "b", strconv.Itoa(limit*8))
		e.int(1, "GETBIT", "b", strconv.Itoa(limit*8-1))
		e.err("ERR bit offset is not an integer or out of range", "BITFIELD", "b", "SET", "u8", strconv.Itoa(limit*8), "1")
		e.err("ERR bit offset is not an integer or out of range", "BITFIELD", "b", "GET", "u8", "#"+strconv.Itoa(limit))
		e.expect("[:1]", "BITFIELD", "b", "GET", "u8", "#"+strconv.Itoa(limit-1))
		// LCS's table must fit the limit too: 4 bytes per cell.
		e.ok("SET", "x", strings.Repeat("a", 600))
		e.ok("SET", "y", strings.Repeat("a", 600))
		e.err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len", "LCS", "x", "y")
		e.ok("SET", "y", strings.Repeat("a", 400))
		e.int(400, "LCS", "x", "y", "LEN")
	}, "--proto-max-bulk-len", "1048576")
}

func TestStringIncrDecr(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.int(1, "INCR", "n")
		e.int(2, "INCR", "n")
		e.int(12, "INCRBY", "n", "10")
		e.int(11, "DECR", "n")
		e.int(-9, "DECRBY", "n", "20")
		e.int(-4, "INCRBY", "n", "5")
		e.bulk("-4", "GET", "n")
		e.int(-1, "DECR", "new")
		e.int(-5, "DECRBY", "new2", "5")
		e.int(5, "INCRBY", "new3", "5")
		e.ok("SET", "n", "-0")
		e.err("ERR value is not an integer or out of range", "INCR", "n")
		e.ok("SET", "n", "0")
		e.err("ERR value is not an integer or out of range", "INCRBY", "n", "-0")

		notInt := "ERR value is not an integer or out of range"
		for _, v := range []string{"", " 1", "1 ", "01", "+1", "1.5", "1e3", "abc", "0x10",
			"9223372036854775808", "-9223372036854775809", "1\x00"} {
			e.ok("SET", "bad", v)
			e.err(notInt, "INCR", "bad")
			e.err(notInt, "DECRBY", "bad", "1")
			e.bulk(v, "GET", "bad")
		}
		e.err(notInt, "INCRBY", "n", "x")
		e.err(notInt, "INCRBY", "n", "1.0")
		e.err(notInt, "DECRBY", "n", " 1")
		e.err(notInt, "INCRBY", "n", "9223372036854775808")

		overflow := "ERR increment or decrement would overflow"
		e.ok("SET", "max", "9223372036854775807")
		e.err(overflow, "INCR", "max")
		e.err(overflow, "INCRBY", "max", "1")
		e.int(9223372036854775806, "DECR", "max")
		e.int(9223372036854775807, "INCR", "max")
		e.ok("SET", "min", "-9223372036854775808")
		e.err(overflow, "DECR", "min")
		e.err(overflow, "INCRBY", "min", "-1")
		e.err(overflow, "DECRBY", "min", "1")
		e.int(-1, "INCRBY", "min", "9223372036854775807")
		e.ok("SET", "z", "0")
		e.err("ERR decrement would overflow", "DECRBY", "z", "-9223372036854775808")
		e.int(math.MinInt64, "INCRBY", "z", "-9223372036854775808")
		e.int(-1, "DECRBY", "z", "-9223372036854775807")
		e.err("ERR decrement would overflow", "DECRBY", "missing", "-9223372036854775808")
		e.int(0, "EXISTS", "missing")

		e.ok("SET", "t", "5", "EX", "100")
		e.int(6, "INCR", "t")
		e.expectTTL("t", 98000, 100000)
		// A counter kept in its record, then made an object by OBJECT.
		e.int(1, "INCR", "c")
		e.int(100, "INCRBY", "c", "99")
		e.bulk("int", "OBJECT", "ENCODING", "c")
		e.int(101, "INCR", "c")
		e.int(1, "DECRBY", "c", "100")
		e.bulk("1", "GET", "c")
		e.bulk("int", "OBJECT", "ENCODING", "c")
		e.nonString("h")
		e.wrongType("INCR", "h")
		e.wrongType("DECRBY", "h", "1")
		e.err(notInt, "INCRBY", "h", "x")
	})
}

func TestStringIncrbyfloat(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.bulk("10.5", "INCRBYFLOAT", "f", "10.5")
		e.bulk("10.6", "INCRBYFLOAT", "f", "0.1")
		e.bulk("10.6", "GET", "f")
		e.bulk("5.6", "INCRBYFLOAT", "f", "-5")
		e.ok("SET", "f", "5.0e3")
		e.bulk("5200", "INCRBYFLOAT", "f", "2.0e2")
		e.ok("SET", "f", "1")
		e.bulk("-0.1", "INCRBYFLOAT", "f", "-1.1")
		e.ok("SET", "f", "17179869184")
		e.bulk("17179869185.5", "INCRBYFLOAT", "f", "1.5")
		e.ok("SET", "f", "1")
		e.bulk("0", "INCRBYFLOAT", "f", "-1")
		e.bulk("0.00001", "INCRBYFLOAT", "f", "1e-5")
		e.ok("SET", "f", "3")
		e.bulk("4", "INCRBYFLOAT", "f", "1.0")
		e.ok("SET", "f", "0x10")
		e.bulk("17", "INCRBYFLOAT", "f", "1")

		notFloat := "ERR value is not a valid float"
		for _, v := range []string{"", " 1", "1 ", "abc", "nan", "1.5.5", "1\x00"} {
			e.ok("SET", "bad", v)
			e.err(notFloat, "INCRBYFLOAT", "bad", "1")
			e.bulk(v, "GET", "bad")
		}
		e.err(notFloat, "INCRBYFLOAT", "f", "x")
		e.err(notFloat, "INCRBYFLOAT", "f", "")
		e.err(notFloat, "INCRBYFLOAT", "f", " 1")
		e.err(notFloat, "INCRBYFLOAT", "f", "nan")
		e.err(notFloat, "INCRBYFLOAT", "missing", "abc")
		e.int(0, "EXISTS", "missing")
		nan := "ERR increment would produce NaN or Infinity"
		e.err(nan, "INCRBYFLOAT", "f", "+inf")
		e.err(nan, "INCRBYFLOAT", "missing", "-inf")
		e.ok("SET", "big", "1e4932")
		e.err(notFloat, "INCRBYFLOAT", "big", "1.5e4932")
		e.err(nan, "INCRBYFLOAT", "big", "1e4932")
		e.bulk("17", "GET", "f")

		e.ok("SET", "t", "1", "EX", "100")
		e.bulk("2.5", "INCRBYFLOAT", "t", "1.5")
		e.expectTTL("t", 98000, 100000)
		e.nonString("h")
		e.wrongType("INCRBYFLOAT", "h", "1")
		e.wrongType("INCRBYFLOAT", "h", "x")
	})
}

func TestStringLCS(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.ok("MSET", "key1", "ohmytext", "key2", "mynewtext")
		e.bulk("mytext", "LCS", "key1", "key2")
		e.int(6, "LCS", "key1", "key2", "LEN")
		e.expect("[$matches [[[:4 :7] [:5 :8]] [[:2 :3] [:0 :1]]] $len :6]", "LCS", "key1", "key2", "IDX")
		e.expect("[$matches [[[:4 :7] [:5 :8]]] $len :6]", "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4")
		e.expect("[$matches [[[:4 :7] [:5 :8] :4] [[:2 :3] [:0 :1] :2]] $len :6]", "LCS", "key1", "key2", "idx", "withmatchlen")
		e.expect("[$matches [[[:4 :7] [:5 :8] :4]] $len :6]", "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "3", "WITHMATCHLEN")
		e.expect("[$matches [[[:4 :7] [:5 :8]] [[:2 :3] [:0 :1]]] $len :6]", "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5")
		e.expect("[$matches [] $len :0]", "LCS", "key1", "missing", "IDX")
		e.bulk("", "LCS", "missing", "other")
		e.int(0, "LCS", "missing", "key1", "LEN")
		e.int(6, "LCS", "key1", "key2", "LEN", "len", "WITHMATCHLEN")
		e.err("ERR If you want both the length and indexes, please just use IDX.", "LCS", "key1", "key2", "LEN", "IDX")
		e.err("ERR syntax error", "LCS", "key1", "key2", "FOO")
		e.err("ERR syntax error", "LCS", "key1", "key2", "MINMATCHLEN")
		e.err("ERR value is not an integer or out of range", "LCS", "key1", "key2", "MINMATCHLEN", "x")
		e.nonString("h")
		e.err("ERR The specified keys must contain string values", "LCS", "key1", "h")
		e.err("ERR The specified keys must contain string values", "LCS", "h", "missing", "FOO")

		e.ok("MSET", "a", "ABCBDAB", "b", "BDCABA")
		e.int(4, "LCS", "a", "b", "LEN")
		e.bulk("BDAB", "LCS", "a", "b")
		e.expect("[$matches [[[:5 :6] [:3 :4]] [[:3 :4] [:0 :1]]] $len :4]", "LCS", "a", "b", "IDX")
		e.expect("[$matches [[[:5 :6] [:3 :4] :2] [[:3 :4] [:0 :1] :2]] $len :4]", "LCS", "a", "b", "IDX", "MINMATCHLEN", "9", "WITHMATCHLEN", "MINMATCHLEN", "2")
		e.ok("MSET", "a", "same", "b", "same")
		e.expect("[$matches [[[:0 :3] [:0 :3] :4]] $len :4]", "LCS", "a", "b", "IDX", "WITHMATCHLEN")
		e.bulk("same", "LCS", "a", "a")
	})
}

func TestStringLCSRandom(t *testing.T) {
	// The LCS length agrees with a simple recursive definition, and the
	// returned string is a common subsequence of that length.
	stRun(t, func(e *stEnv) {
		isSubseq := func(s, of string) bool {
			i := 0
			for j := 0; i < len(s) && j < len(of); j++ {
				if s[i] == of[j] {
					i++
				}
			}
			return i == len(s)
		}
		var memo map[[2]int]int
		var lcsLen func(a, b string, i, j int) int
		lcsLen = func(a, b string, i, j int) int {
			if i == len(a) || j == len(b) {
				return 0
			}
			if v, ok := memo[[2]int{i, j}]; ok {
				return v
			}
			v := 0
			if a[i] == b[j] {
				v = 1 + lcsLen(a, b, i+1, j+1)
			} else {
				v = max(lcsLen(a, b, i+1, j), lcsLen(a, b, i, j+1))
			}
			memo[[2]int{i, j}] = v
			return v
		}
		seed := uint32(7)
		rnd := func(n int) int {
			seed = seed*1664525 + 1013904223
			return int(seed>>8) % n
		}
		for iter := 0; iter < 30; iter++ {
			mk := func() string {
				b := make([]byte, rnd(40))
				for i := range b {
					b[i] = "abc"[rnd(3)]
				}
				return string(b)
			}
			a, b := mk(), mk()
			e.ok("MSET", "a", a, "b", b)
			memo = map[[2]int]int{}
			want := lcsLen(a, b, 0, 0)
			got := e.do("LCS", "a", "b").Str
			if len(got) != want || !isSubseq(got, a) || !isSubseq(got, b) {
				e.t.Errorf("LCS(%q, %q) = %q, want a common subsequence of length %d", a, b, got, want)
			}
			e.int(int64(want), "LCS", "a", "b", "LEN")
		}
	})
}

func TestStringPropagationLazyfree(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		e := stDial(t, s, s.Addr)
		f := e.feed()
		e.ok("MSET", "a", "1", "b", "2")
		f.take()
		e.bulk("1", "GETDEL", "a")
		expectProp(t, f, "UNLINK a")
		e.bulk("2", "GETEX", "b", "PXAT", "1")
		expectProp(t, f, "UNLINK b")
	}, "--lazyfree-lazy-user-del", "yes", "--lazyfree-lazy-expire", "yes")
}
