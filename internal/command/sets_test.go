package command_test

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// The set tests run against a fresh server in each mode and, with
// SETS_ORACLE=host:port, against that server too (a real redis-server
// 7.0.15 whose database 9 is flushed), which checks that the expectations
// written here are Redis's. Checks that need the server's internals
// (propagation) are skipped against the oracle.

// seEnv is one server under test with a raw RESP connection.
type seEnv struct {
	t    *testing.T
	s    *servertest.Server // nil against the oracle
	addr string
	conn net.Conn
	rd   *bufio.Reader
}

// seRun runs fn against a fresh server in each mode and the oracle.
func seRun(t *testing.T, fn func(e *seEnv)) {
	t.Helper()
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		fn(seDial(t, s, s.Addr))
	})
	if addr := os.Getenv("SETS_ORACLE"); addr != "" {
		t.Run("oracle", func(t *testing.T) {
			e := seDial(t, nil, addr)
			e.do("CONFIG", "SET", "set-max-intset-entries", "512")
			fn(e)
		})
	}
}

func seDial(t *testing.T, s *servertest.Server, addr string) *seEnv {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	e := &seEnv{t: t, s: s, addr: addr, conn: c, rd: bufio.NewReader(c)}
	if s == nil {
		e.do("SELECT", "9")
		e.do("FLUSHDB")
	}
	return e
}

// other opens a second connection to the same server (and database).
func (e *seEnv) other() *seEnv {
	e.t.Helper()
	if e.s != nil {
		return seDial(e.t, e.s, e.addr)
	}
	c, err := net.DialTimeout("tcp", e.addr, 5*time.Second)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	o := &seEnv{t: e.t, addr: e.addr, conn: c, rd: bufio.NewReader(c)}
	o.do("SELECT", "9")
	return o
}

func (e *seEnv) oracle() bool { return e.s == nil }

// do sends one command and returns its reply.
func (e *seEnv) do(args ...string) resp.Value {
	e.t.Helper()
	_ = e.conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := e.conn.Write([]byte(servertest.Encode(args...))); err != nil {
		e.t.Fatalf("%q: write: %v", args, err)
	}
	v, err := resp.ReadReply(e.rd)
	if err != nil {
		e.t.Fatalf("%q: read: %v", args, err)
	}
	return v
}

// seFmt renders a reply with its type: "+OK", "$foo", "$(nil)", ":1",
// "-ERR ...", "[a b]" for arrays, "~[a b]" for RESP3 sets, "_" for the
// RESP3 null.
func seFmt(v resp.Value) string {
	switch v.Type {
	case '+', '-':
		return string(v.Type) + v.Str
	case ':':
		return ":" + strconv.FormatInt(v.Int, 10)
	case '_':
		return "_"
	case '$':
		if v.Null {
			return "$(nil)"
		}
		return "$" + v.Str
	case '*', '~':
		if v.Null {
			return "*(nil)"
		}
		parts := make([]string, len(v.Array))
		for i, x := range v.Array {
			parts[i] = seFmt(x)
		}
		s := "[" + strings.Join(parts, " ") + "]"
		if v.Type == '~' {
			s = "~" + s
		}
		return s
	}
	return v.String()
}

// expect checks the rendered reply to args.
func (e *seEnv) expect(want string, args ...string) {
	e.t.Helper()
	if got := seFmt(e.do(args...)); got != want {
		e.t.Errorf("%s:\n got %s\nwant %s", seShort(fmt.Sprintf("%q", args)), seShort(got), seShort(want))
	}
}

func seShort(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%s...(%d bytes)", s[:300], len(s))
	}
	return s
}

func (e *seEnv) int(want int64, args ...string) {
	e.t.Helper()
	e.expect(":"+strconv.FormatInt(want, 10), args...)
}

func (e *seEnv) err(want string, args ...string) { e.t.Helper(); e.expect("-"+want, args...) }

func (e *seEnv) wrongType(args ...string) {
	e.t.Helper()
	e.err("WRONGTYPE Operation against a key holding the wrong kind of value", args...)
}

// members returns the elements of an array or set reply, sorted.
func (e *seEnv) members(args ...string) []string {
	e.t.Helper()
	v := e.do(args...)
	if v.Type != '*' && v.Type != '~' {
		e.t.Fatalf("%q: want an array, got %s", args, seFmt(v))
	}
	out := make([]string, len(v.Array))
	for i, x := range v.Array {
		out[i] = x.Str
	}
	sort.Strings(out)
	return out
}

// expectMembers checks the sorted members of an array/set reply; want is
// space separated (sorted as strings).
func (e *seEnv) expectMembers(want string, args ...string) {
	e.t.Helper()
	w := strings.Fields(want)
	sort.Strings(w)
	if got := e.members(args...); strings.Join(got, " ") != strings.Join(w, " ") {
		e.t.Errorf("%q:\n got %s\nwant %s", args, seShort(strings.Join(got, " ")), seShort(strings.Join(w, " ")))
	}
}

// encoding checks OBJECT ENCODING of key.
func (e *seEnv) encoding(key, want string) {
	e.t.Helper()
	e.expect("$"+want, "OBJECT", "ENCODING", key)
}

// sadd fills key with members in one SADD.
func (e *seEnv) sadd(key string, members ...string) {
	e.t.Helper()
	e.do(append([]string{"SADD", key}, members...)...)
}

// seRange returns the decimal strings lo..hi-1.
func seRange(lo, hi int) []string {
	out := make([]string, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

// seFeed records the propagated command stream.
type seFeed struct {
	mu   sync.Mutex
	cmds []string
}

func (f *seFeed) Feed(db int, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	f.mu.Lock()
	f.cmds = append(f.cmds, strings.Join(parts, " "))
	f.mu.Unlock()
}

func (f *seFeed) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.cmds
	f.cmds = nil
	return out
}

func (e *seEnv) feed() *seFeed {
	f := &seFeed{}
	e.s.Srv.Lock()
	e.s.Srv.Core().AddFeed(f)
	e.s.Srv.Unlock()
	return f
}

func TestSetBasics(t *testing.T) {
	seRun(t, func(e *seEnv) {
		e.int(1, "SADD", "s", "foo")
		e.encoding("s", "hashtable")
		e.int(1, "SADD", "s", "bar")
		e.int(0, "SADD", "s", "bar")
		e.int(2, "SADD", "s", "a", "b", "a", "foo")
		e.int(4, "SCARD", "s")
		e.int(1, "SISMEMBER", "s", "foo")
		e.int(0, "SISMEMBER", "s", "bla")
		e.expect("[:1 :0 :1]", "SMISMEMBER", "s", "foo", "bla", "a")
		e.expect("[:0 :0]", "SMISMEMBER", "nokey", "foo", "bar")
		e.expectMembers("a b bar foo", "SMEMBERS", "s")
		e.expect("[]", "SMEMBERS", "nokey")
		e.int(0, "SCARD", "nokey")
		e.int(0, "SISMEMBER", "nokey", "a")

		e.int(1, "SADD", "i", "17")
		e.encoding("i", "intset")
		e.int(2, "SADD", "i", "16", "-5", "17")
		e.expect("[$-5 $16 $17]", "SMEMBERS", "i") // intsets iterate in order
		e.int(1, "SISMEMBER", "i", "16")
		e.int(0, "SISMEMBER", "i", "016")
		e.int(0, "SISMEMBER", "i", "x")
		e.expect("[:1 :0 :0]", "SMISMEMBER", "i", "17", "18", "a")

		// Not integers for an intset: converted.
		e.int(1, "SADD", "i", "016")
		e.encoding("i", "hashtable")
		e.int(1, "SISMEMBER", "i", "16")
		e.int(1, "SISMEMBER", "i", "016")
		e.int(1, "SADD", "big", "213244124402402314402033402")
		e.encoding("big", "hashtable")
		e.int(2, "SADD", "edge", "9223372036854775807", "-9223372036854775808")
		e.int(0, "SADD", "edge", "-9223372036854775808")
		e.encoding("edge", "intset")
		e.expect("[$-9223372036854775808 $9223372036854775807]", "SMEMBERS", "edge")

		// SREM.
		e.int(0, "SREM", "s", "qux")
		e.int(2, "SREM", "s", "foo", "bar", "foo", "zz")
		e.expectMembers("a b", "SMEMBERS", "s")
		e.int(2, "SREM", "s", "a", "b", "c")
		e.int(0, "EXISTS", "s")
		e.int(0, "SREM", "nokey", "a")
		e.sadd("is", "1", "2", "3")
		e.int(3, "SREM", "is", "1", "2", "3", "4", "5")
		e.int(0, "EXISTS", "is")

		// Wrong types and arities.
		e.do("SET", "str", "x")
		for _, c := range [][]string{
			{"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SCARD", "str"}, {"SISMEMBER", "str", "a"},
			{"SMISMEMBER", "str", "a"}, {"SMEMBERS", "str"}, {"SPOP", "str"}, {"SPOP", "str", "0"},
			{"SRANDMEMBER", "str"}, {"SRANDMEMBER", "str", "0"}, {"SINTER", "str"}, {"SUNION", "str"},
			{"SDIFF", "str"}, {"SSCAN", "str", "0"}, {"SINTERCARD", "1", "str"},
		} {
			e.wrongType(c...)
		}
		for _, c := range [][]string{
			{"SADD", "s"}, {"SREM", "s"}, {"SCARD"}, {"SISMEMBER", "s"}, {"SMISMEMBER", "s"}, {"SMEMBERS"},
			{"SPOP"}, {"SRANDMEMBER"}, {"SINTER"}, {"SINTERSTORE", "d"}, {"SUNIONSTORE", "d"},
			{"SDIFFSTORE", "d"}, {"SMOVE", "a", "b"}, {"SSCAN", "s"}, {"SINTERCARD", "1"},
		} {
			e.err(fmt.Sprintf("ERR wrong number of arguments for '%s' command", strings.ToLower(c[0])), c...)
		}
		e.err("ERR syntax error", "SPOP", "i", "1", "2")
		e.err("ERR syntax error", "SRANDMEMBER", "i", "1", "2")
		e.expect("+string", "TYPE", "str")
		e.expect("+set", "TYPE", "i")
	})
}

func TestSetEncodingThresholds(t *testing.T) {
	seRun(t, func(e *seEnv) {
		e.sadd("s", seRange(0, 512)...)
		e.encoding("s", "intset")
		e.int(1, "SADD", "s", "512")
		e.encoding("s", "hashtable")
		// Never back, even when small again.
		e.int(510, append([]string{"SREM", "s"}, seRange(0, 510)...)...)
		e.encoding("s", "hashtable")

		// Stores build their result from an intset, like Redis.
		e.int(3, "SUNIONSTORE", "u", "s")
		e.encoding("u", "intset")
		e.int(3, "SINTERSTORE", "u2", "s", "s")
		e.encoding("u2", "intset")
		e.int(3, "SDIFFSTORE", "u3", "s", "nokey")
		e.encoding("u3", "intset")
		e.sadd("h", "a", "1")
		e.int(2, "SDIFFSTORE", "u4", "h", "s")
		e.encoding("u4", "hashtable")

		// COPY keeps the encoding.
		e.int(1, "COPY", "s", "s2")
		e.encoding("s2", "hashtable")
		e.int(1, "COPY", "u", "u5")
		e.encoding("u5", "intset")
		e.expect("[$510 $511 $512]", "SMEMBERS", "u5")

		// The threshold is read at each write.
		e.expect("+OK", "CONFIG", "SET", "set-max-intset-entries", "2")
		e.int(2, "SADD", "t", "1", "2")
		e.encoding("t", "intset")
		e.int(1, "SADD", "t", "3")
		e.encoding("t", "hashtable")
		e.expect("+OK", "CONFIG", "SET", "set-max-intset-entries", "0")
		e.int(1, "SADD", "z", "1")
		e.encoding("z", "hashtable")
		e.expect("+OK", "CONFIG", "SET", "set-max-intset-entries", "512")

		// SPOP rebuilding the set from the few members left starts again
		// from an intset when they are integers.
		e.sadd("p", seRange(0, 600)...)
		e.encoding("p", "hashtable")
		if n := len(e.members("SPOP", "p", "590")); n != 590 {
			t.Errorf("SPOP 590 returned %d members", n)
		}
		e.int(10, "SCARD", "p")
		e.encoding("p", "intset")
	})
}

func TestSetAlgebra(t *testing.T) {
	seRun(t, func(e *seEnv) {
		for _, typ := range []string{"hashtable", "intset"} {
			for i := 1; i <= 5; i++ {
				e.do("DEL", fmt.Sprintf("set%d", i))
			}
			e.sadd("set1", seRange(0, 200)...)
			e.sadd("set2", seRange(195, 395)...)
			e.sadd("set3", "199", "195", "1000", "2000")
			e.sadd("set4", seRange(5, 200)...)
			e.sadd("set5", "0")
			large := "200"
			if typ == "hashtable" {
				large = "foo"
			}
			for i := 1; i <= 5; i++ {
				e.sadd(fmt.Sprintf("set%d", i), large)
				e.encoding(fmt.Sprintf("set%d", i), typ)
			}
			e.expectMembers("195 196 197 198 199 "+large, "SINTER", "set1", "set2")
			e.int(6, "SINTERCARD", "2", "set1", "set2")
			e.int(6, "SINTERCARD", "2", "set1", "set2", "LIMIT", "0")
			e.int(3, "SINTERCARD", "2", "set1", "set2", "limit", "3")
			e.int(6, "SINTERCARD", "2", "set1", "set2", "LIMIT", "10")
			e.int(6, "SINTERSTORE", "res", "set1", "set2")
			e.encoding("res", typ)
			e.expectMembers("195 196 197 198 199 "+large, "SMEMBERS", "res")
			e.expectMembers("195 199 "+large, "SINTER", "set1", "set2", "set3")
			e.int(2, "SINTERCARD", "3", "set1", "set2", "set3", "LIMIT", "2")

			union := seRange(0, 395)
			if typ == "hashtable" {
				union = append(union, large)
			}
			e.expectMembers(strings.Join(union, " "), "SUNION", "set1", "set2")
			e.expectMembers(strings.Join(union, " "), "SUNION", "nokey1", "set1", "set2", "nokey2")
			e.int(int64(len(union)), "SUNIONSTORE", "res", "set1", "set2")
			e.encoding("res", typ)
			e.expectMembers("0 1 2 3 4", "SDIFF", "set1", "set4")
			e.expectMembers("1 2 3 4", "SDIFF", "set1", "set4", "set5")
			e.int(4, "SDIFFSTORE", "res", "set1", "set4", "set5")
			e.encoding("res", "intset")
			e.expectMembers(strings.Join(append(seRange(0, 200), large), " "), "SINTER", "set1", "set1", "set1")
			e.expect("[]", "SDIFF", "set1", "set1", "set1")
		}

		// Missing keys are empty sets.
		e.do("DEL", "set1", "set2", "set3")
		e.sadd("set1", "a", "b", "c")
		e.sadd("set2", "b", "c", "d")
		e.expect("[]", "SINTER", "set1", "set2", "set3")
		e.expectMembers("a", "SDIFF", "set1", "set2", "set3")
		e.expect("[]", "SDIFF", "set3", "set2", "set1")
		e.expectMembers("a b c d", "SUNION", "set1", "set2", "set3")
		e.int(0, "SINTERCARD", "1", "nokey")
		e.int(0, "SINTERCARD", "1", "nokey", "LIMIT", "10")

		// Stores: an empty result deletes the destination, any result
		// replaces its value and TTL.
		e.do("SET", "dst", "xxx")
		e.int(0, "SINTERSTORE", "dst", "foo", "bar")
		e.int(0, "EXISTS", "dst")
		e.do("SET", "dst", "xxx")
		e.int(0, "SUNIONSTORE", "dst", "foo", "bar")
		e.int(0, "EXISTS", "dst")
		e.sadd("dst", "z")
		e.int(0, "SDIFFSTORE", "dst", "set2", "set2")
		e.int(0, "EXISTS", "dst")
		e.do("SET", "dst", "xxx", "EX", "100")
		e.int(3, "SUNIONSTORE", "dst", "set1")
		e.int(-1, "TTL", "dst")
		e.expectMembers("a b c", "SMEMBERS", "dst")
		e.int(2, "SINTERSTORE", "set1", "set1", "set2") // the destination may be a source
		e.expectMembers("b c", "SMEMBERS", "set1")

		// WRONGTYPE wins over missing keys, and the destination stays.
		e.do("SET", "str", "x")
		e.sadd("keep", "e")
		for _, c := range [][]string{
			{"SINTER", "nokey", "str"}, {"SINTER", "set1", "str"}, {"SUNION", "nokey", "str"},
			{"SDIFF", "nokey", "str"}, {"SDIFF", "str", "nokey"},
			{"SINTERSTORE", "keep", "nokey", "str"}, {"SUNIONSTORE", "keep", "set1", "str"},
			{"SDIFFSTORE", "keep", "str", "set1"}, {"SINTERCARD", "2", "nokey", "str"},
		} {
			e.wrongType(c...)
		}
		e.expect("[$e]", "SMEMBERS", "keep")

		// SINTERCARD's argument errors.
		e.err("ERR numkeys should be greater than 0", "SINTERCARD", "0", "s")
		e.err("ERR numkeys should be greater than 0", "SINTERCARD", "a", "s")
		e.err("ERR numkeys should be greater than 0", "SINTERCARD", "-1", "s")
		e.err("ERR Number of keys can't be greater than number of args", "SINTERCARD", "2", "s")
		e.err("ERR Number of keys can't be greater than number of args", "SINTERCARD", "3", "s", "t")
		e.err("ERR syntax error", "SINTERCARD", "1", "s", "t")
		e.err("ERR syntax error", "SINTERCARD", "1", "s", "LIMIT")
		e.err("ERR LIMIT can't be negative", "SINTERCARD", "1", "s", "LIMIT", "-1")
		e.err("ERR LIMIT can't be negative", "SINTERCARD", "1", "s", "LIMIT", "a")
		e.int(2, "SINTERCARD", "1", "set1", "LIMIT", "5", "LIMIT", "0")
	})
}

func TestSetRESP3(t *testing.T) {
	seRun(t, func(e *seEnv) {
		e.do("HELLO", "3")
		e.sadd("i", "3", "1", "2")
		e.expect("~[$1 $2 $3]", "SMEMBERS", "i")
		e.expect("~[]", "SMEMBERS", "nokey")
		e.expect("~[$1 $2 $3]", "SUNION", "i", "nokey")
		e.expect("~[$1 $2 $3]", "SINTER", "i", "i")
		e.expect("~[]", "SINTER", "i", "nokey")
		e.expect("~[]", "SDIFF", "i", "i")
		e.expect("~[]", "SPOP", "nokey", "3")
		e.expect("~[]", "SPOP", "i", "0")
		e.expect("_", "SPOP", "nokey")
		e.expect("_", "SRANDMEMBER", "nokey")
		e.expect("[]", "SRANDMEMBER", "nokey", "5")
		e.expect("[]", "SRANDMEMBER", "i", "0")
		e.expect("[$1 $2 $3]", "SRANDMEMBER", "i", "3")
		e.expect("[:1 :0]", "SMISMEMBER", "i", "1", "0")
		e.expect("~[$1 $2 $3]", "SPOP", "i", "3")
	})
}

func TestSpop(t *testing.T) {
	seRun(t, func(e *seEnv) {
		var f *seFeed
		if !e.oracle() {
			f = e.feed()
		}
		prop := func(want ...string) {
			t.Helper()
			if f == nil {
				return
			}
			got := f.take()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("propagated:\n got %q\nwant %q", got, want)
			}
		}
		drain := func() {
			if f != nil {
				f.take()
			}
		}
		for _, contents := range []string{"a b c", "1 2 3"} {
			e.do("DEL", "s")
			e.sadd("s", strings.Fields(contents)...)
			drain()
			var got []string
			for i := 0; i < 3; i++ {
				v := e.do("SPOP", "s")
				got = append(got, v.Str)
				prop("SREM s " + v.Str)
			}
			sort.Strings(got)
			if strings.Join(got, " ") != contents {
				t.Errorf("SPOP popped %q, want %q", got, contents)
			}
			e.int(0, "EXISTS", "s")
			e.expect("$(nil)", "SPOP", "s")
			prop()
		}

		// With a count: every member exactly once over the pops.
		for _, contents := range [][]string{strings.Fields("a b c d e f g h i j k l m n o p q r s t u v w x y z"), seRange(1, 27)} {
			e.do("DEL", "s")
			e.sadd("s", contents...)
			drain()
			var all []string
			left := len(contents)
			for _, n := range []int{11, 9, 0, 4, 1, 0, 1, 0} {
				got := e.members("SPOP", "s", strconv.Itoa(n))
				if len(got) != n {
					t.Errorf("SPOP s %d returned %d members", n, len(got))
				}
				var want []string
				for _, m := range got {
					want = append(want, "SREM s "+m)
				}
				if n > 0 && n >= left {
					want = []string{"DEL s"}
				}
				if len(want) > 1 {
					// Several effects of one command are one transaction.
					want = append(append([]string{"MULTI"}, want...), "EXEC")
				}
				left -= n
				if f != nil {
					gotProp := f.take()
					sort.Strings(gotProp)
					sort.Strings(want)
					if strings.Join(gotProp, "\n") != strings.Join(want, "\n") {
						t.Errorf("SPOP %d propagated %q, want %q", n, gotProp, want)
					}
				}
				all = append(all, got...)
			}
			sort.Strings(all)
			w := append([]string(nil), contents...)
			sort.Strings(w)
			if strings.Join(all, " ") != strings.Join(w, " ") {
				t.Errorf("SPOP with counts popped %q, want %q", all, w)
			}
			e.int(0, "SCARD", "s")
		}

		// Case 1: everything, propagated as DEL.
		e.sadd("s", seRange(1, 21)...)
		drain()
		e.expectMembers(strings.Join(seRange(1, 21), " "), "SPOP", "s", "30")
		prop("DEL s")
		e.int(0, "EXISTS", "s")
		// Case 3: most of the set; the members left are kept with the TTL.
		e.sadd("s", seRange(1, 21)...)
		e.do("EXPIRE", "s", "100")
		drain()
		res := e.members("SPOP", "s", "18")
		if len(res) != 18 {
			t.Errorf("SPOP 18 returned %d", len(res))
		}
		if f != nil {
			if n := len(f.take()); n != 18+2 {
				t.Errorf("SPOP 18 propagated %d commands, want 18 SREM in MULTI/EXEC", n)
			}
		}
		left := e.members("SMEMBERS", "s")
		if all := append(left, res...); len(all) != 20 {
			t.Errorf("SPOP 18 left %q", left)
		}
		if ttl := e.do("TTL", "s").Int; ttl <= 0 {
			t.Errorf("TTL after SPOP: %d", ttl)
		}

		// Errors and empty results.
		e.expect("[]", "SPOP", "nokey", "100")
		e.expect("[]", "SPOP", "s", "0")
		e.err("ERR value is out of range, must be positive", "SPOP", "s", "-1")
		e.err("ERR value is out of range, must be positive", "SPOP", "s", "abc")
		e.err("ERR value is out of range, must be positive", "SPOP", "nokey", "-1")
		e.do("SET", "str", "x")
		drain()
		e.wrongType("SPOP", "str", "0")
		prop()
	})
}

func TestSrandmember(t *testing.T) {
	seRun(t, func(e *seEnv) {
		for _, contents := range [][]string{
			append(strings.Fields("1 5 10 50 125 50000 33959417 4775547 65434162 MARY PATRICIA LINDA"), seRange(200, 238)...),
			seRange(0, 50),
		} {
			e.do("DEL", "s")
			e.sadd("s", contents...)
			want := append([]string(nil), contents...)
			sort.Strings(want)
			inSet := map[string]bool{}
			for _, m := range contents {
				inSet[m] = true
			}
			e.expect("[]", "SRANDMEMBER", "s", "0")
			res := e.do("SRANDMEMBER", "s", "-100")
			if len(res.Array) != 100 {
				t.Fatalf("SRANDMEMBER -100 returned %d", len(res.Array))
			}
			for _, x := range res.Array {
				if !inSet[x.Str] {
					t.Errorf("SRANDMEMBER -100 returned non-member %q", x.Str)
				}
			}
			for _, n := range []string{"50", "100"} {
				if got := e.members("SRANDMEMBER", "s", n); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("SRANDMEMBER %s = %q", n, got)
				}
			}
			// Cases 3 and 4: distinct members, every member eventually.
			for _, n := range []int{45, 5, 1} {
				seen := map[string]bool{}
				for iter := 0; iter < 1000 && len(seen) < len(contents); iter++ {
					got := e.members("SRANDMEMBER", "s", strconv.Itoa(n))
					if len(got) != n {
						t.Fatalf("SRANDMEMBER %d returned %d", n, len(got))
					}
					for i, m := range got {
						if !inSet[m] || (i > 0 && got[i-1] == m) {
							t.Fatalf("SRANDMEMBER %d returned %q", n, got)
						}
						seen[m] = true
					}
				}
				if len(seen) != len(contents) {
					t.Errorf("SRANDMEMBER %d: only %d of %d members seen", n, len(seen), len(contents))
				}
			}
			one := e.do("SRANDMEMBER", "s")
			if one.Type != '$' || !inSet[one.Str] {
				t.Errorf("SRANDMEMBER s = %s", seFmt(one))
			}
		}
		e.expect("[]", "SRANDMEMBER", "nokey", "100")
		e.expect("[]", "SRANDMEMBER", "nokey", "-100")
		e.expect("$(nil)", "SRANDMEMBER", "nokey")
		e.err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807", "SRANDMEMBER", "s", "-9223372036854775808")
		e.err("ERR value is not an integer or out of range", "SRANDMEMBER", "s", "9223372036854775808")
		e.err("ERR value is not an integer or out of range", "SRANDMEMBER", "s", "x")
		e.err("ERR value is not an integer or out of range", "SRANDMEMBER", "nokey", "x")
	})
}

// TestSrandmemberDistribution is Redis's chi-square check of the negative
// count and the sampling paths.
func TestSrandmemberDistribution(t *testing.T) {
	seRun(t, func(e *seEnv) {
		for _, contents := range [][]string{
			strings.Fields("1 5 10 50 125 MARY PATRICIA LINDA BARBARA ELIZABETH"),
			seRange(0, 10),
		} {
			e.do("DEL", "s")
			e.sadd("s", contents...)
			res := e.do("SRANDMEMBER", "s", "-1000")
			var all []string
			for _, x := range res.Array {
				all = append(all, x.Str)
			}
			if c := chiSquare(all); c >= 40 {
				t.Errorf("negative count: chi-square %.1f", c)
			}
			for _, size := range []int{8, 2} {
				all = all[:0]
				for i := 0; i < 1000/size; i++ {
					all = append(all, e.members("SRANDMEMBER", "s", strconv.Itoa(size))...)
				}
				if c := chiSquare(all); c >= 40 {
					t.Errorf("count %d: chi-square %.1f", size, c)
				}
			}
		}
	})
}

// chiSquare is the suite's chi_square_value: the statistic of the counts of
// the values in vals against a uniform distribution.
func chiSquare(vals []string) float64 {
	counts := map[string]int{}
	for _, v := range vals {
		counts[v]++
	}
	expected := float64(len(vals)) / float64(len(counts))
	var sum float64
	for _, c := range counts {
		d := float64(c) - expected
		sum += d * d / expected
	}
	return sum
}

func TestSmove(t *testing.T) {
	seRun(t, func(e *seEnv) {
		setup := func() {
			e.do("DEL", "myset1", "myset2", "myset3")
			e.sadd("myset1", "1", "a", "b")
			e.sadd("myset2", "2", "3", "4")
		}
		setup()
		e.int(1, "SMOVE", "myset1", "myset2", "a")
		e.expectMembers("1 b", "SMEMBERS", "myset1")
		e.expectMembers("2 3 4 a", "SMEMBERS", "myset2")
		e.encoding("myset2", "hashtable")
		setup()
		e.int(1, "SMOVE", "myset1", "myset2", "1")
		e.expectMembers("1 2 3 4", "SMEMBERS", "myset2")
		e.encoding("myset2", "intset")
		setup()
		e.int(1, "SMOVE", "myset2", "myset1", "2")
		e.expectMembers("1 2 a b", "SMEMBERS", "myset1")
		setup()
		e.int(0, "SMOVE", "myset1", "myset2", "foo")
		e.int(0, "SMOVE", "myset1", "myset1", "foo")
		e.int(1, "SMOVE", "myset1", "myset1", "a")
		e.expectMembers("1 a b", "SMEMBERS", "myset1")
		e.int(0, "SMOVE", "noset", "myset2", "foo")
		e.int(1, "SMOVE", "myset1", "myset3", "a")
		e.encoding("myset3", "hashtable")
		e.int(1, "SMOVE", "myset2", "myset4", "2")
		e.encoding("myset4", "intset")
		// Moving the last member deletes the source.
		e.sadd("one", "x")
		e.int(1, "SMOVE", "one", "myset3", "x")
		e.int(0, "EXISTS", "one")
		e.expectMembers("a x", "SMEMBERS", "myset3")
		// Already in the destination: still moved out of the source.
		e.sadd("src", "a", "b")
		e.int(1, "SMOVE", "src", "myset3", "a")
		e.expectMembers("b", "SMEMBERS", "src")

		e.do("SET", "x", "10")
		e.wrongType("SMOVE", "x", "myset2", "foo")
		e.wrongType("SMOVE", "myset2", "x", "foo")
		e.int(0, "SMOVE", "noset", "x", "foo") // a missing source wins

		// The destination is only signalled when the member was added.
		e.do("DEL", "srcset", "dstset")
		e.sadd("srcset", "a", "b")
		e.sadd("dstset", "a")
		e.expect("+OK", "WATCH", "dstset")
		e.expect("+OK", "MULTI")
		e.expect("+QUEUED", "SADD", "dstset", "c")
		e.other().int(1, "SMOVE", "srcset", "dstset", "a")
		e.expect("[:1]", "EXEC")
		e.int(2, "SCARD", "dstset")
		e.expect("+OK", "WATCH", "dstset")
		e.expect("+OK", "MULTI")
		e.expect("+QUEUED", "SCARD", "dstset")
		e.other().int(1, "SMOVE", "srcset", "dstset", "b")
		e.expect("*(nil)", "EXEC")
	})
}

func TestSscan(t *testing.T) {
	seRun(t, func(e *seEnv) {
		e.expect("[$0 []]", "SSCAN", "nokey", "0")
		e.err("ERR invalid cursor", "SSCAN", "nokey", "abc")
		e.do("SET", "str", "x")
		e.wrongType("SSCAN", "str", "0")
		e.err("ERR invalid cursor", "SSCAN", "str", "x")

		// An intset comes back whole, with cursor 0.
		e.sadd("i", seRange(0, 100)...)
		v := e.do("SSCAN", "i", "0", "COUNT", "5")
		if v.Array[0].Str != "0" || len(v.Array[1].Array) != 100 {
			t.Errorf("SSCAN of an intset: %s", seShort(seFmt(v)))
		}
		e.expect("[$0 [$1 $10 $11 $12 $13 $14 $15 $16 $17 $18 $19]]", "SSCAN", "i", "0", "MATCH", "1*")
		e.expect("[$0 [$7]]", "SSCAN", "i", "0", "MATCH", "7", "COUNT", "1")

		e.err("ERR syntax error", "SSCAN", "i", "0", "TYPE", "string")
		e.err("ERR syntax error", "SSCAN", "i", "0", "COUNT", "0")
		e.err("ERR syntax error", "SSCAN", "i", "0", "COUNT")
		e.err("ERR value is not an integer or out of range", "SSCAN", "i", "0", "COUNT", "x")
		e.err("ERR syntax error", "SSCAN", "i", "0", "foo", "bar")
		e.err("ERR invalid cursor", "SSCAN", "i", "18446744073709551616")

		// A hashtable is walked with a cursor; every member is returned.
		var members []string
		for i := 0; i < 1000; i++ {
			members = append(members, "m:"+strconv.Itoa(i))
		}
		e.sadd("h", members...)
		for _, count := range []string{"", "1", "7", "100"} {
			seen := map[string]bool{}
			cursor := "0"
			for calls := 0; ; calls++ {
				args := []string{"SSCAN", "h", cursor}
				if count != "" {
					args = append(args, "COUNT", count)
				}
				v := e.do(args...)
				cursor = v.Array[0].Str
				for _, x := range v.Array[1].Array {
					seen[x.Str] = true
				}
				if cursor == "0" {
					break
				}
				if calls > 5000 {
					t.Fatal("SSCAN does not terminate")
				}
			}
			if len(seen) != 1000 {
				t.Errorf("SSCAN COUNT %q saw %d of 1000 members", count, len(seen))
			}
		}
		// MATCH filters after collecting.
		cursor, got := "0", 0
		for {
			v := e.do("SSCAN", "h", cursor, "MATCH", "m:1??", "COUNT", "50")
			cursor = v.Array[0].Str
			got += len(v.Array[1].Array)
			if cursor == "0" {
				break
			}
		}
		if got != 100 {
			t.Errorf("SSCAN MATCH m:1?? returned %d members, want 100", got)
		}
	})
}

func TestSetCommandsPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		e := seDial(t, s, s.Addr)
		f := e.feed()
		check := func(want ...string) {
			t.Helper()
			got := f.take()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("propagated:\n got %q\nwant %q", got, want)
			}
		}
		e.int(2, "SADD", "s", "a", "b")
		e.int(0, "SADD", "s", "a")
		check("SADD s a b")
		e.int(0, "SREM", "s", "x")
		e.int(1, "SREM", "s", "a", "x")
		check("SREM s a x")
		e.int(1, "SMOVE", "s", "d", "b")
		check("SMOVE s d b")
		e.int(0, "SMOVE", "s", "d", "b")
		e.int(0, "SUNIONSTORE", "x", "nokey")
		check()
		e.int(1, "SUNIONSTORE", "x", "d")
		check("SUNIONSTORE x d")
		e.do("SPOP", "x")
		check("SREM x b")
		e.sadd("y", "1")
		e.do("SRANDMEMBER", "y", "-5")
		e.do("SMEMBERS", "y")
		check("SADD y 1")
	})
}
