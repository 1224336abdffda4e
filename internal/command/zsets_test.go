package command_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// The sorted set tests run against a fresh server in each mode. With
// ZSETS_ORACLE=host:port they also run against that server (a real
// redis-server 7.0, whose database 9 is flushed and whose zset thresholds
// are restored afterwards), which checks that the expectations written
// here are Redis's; the differential test (TestZSetDifferential) compares
// every reply of a long random command stream byte for byte and runs only
// with an oracle.

type ztEnv struct {
	t    *testing.T
	s    *servertest.Server // nil against the oracle
	addr string
	conn net.Conn
	rd   *bufio.Reader
}

func ztRun(t *testing.T, fn func(e *ztEnv)) {
	t.Helper()
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		fn(ztDial(t, s, s.Addr))
	})
	if addr := os.Getenv("ZSETS_ORACLE"); addr != "" {
		t.Run("oracle", func(t *testing.T) {
			e := ztDial(t, nil, addr)
			e.do("FLUSHDB")
			ent := e.do("CONFIG", "GET", "zset-max-listpack-entries").Array[1].Str
			val := e.do("CONFIG", "GET", "zset-max-listpack-value").Array[1].Str
			t.Cleanup(func() {
				c := ztDial(t, nil, addr)
				c.do("CONFIG", "SET", "zset-max-listpack-entries", ent)
				c.do("CONFIG", "SET", "zset-max-listpack-value", val)
				c.do("FLUSHDB")
			})
			fn(e)
		})
	}
}

func ztDial(t *testing.T, s *servertest.Server, addr string) *ztEnv {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	e := &ztEnv{t: t, s: s, addr: addr, conn: c, rd: bufio.NewReader(c)}
	if s == nil {
		e.do("SELECT", "9")
	}
	return e
}

// other opens a second connection to the same server (same database).
func (e *ztEnv) other() *ztEnv { return ztDial(e.t, e.s, e.addr) }

func (e *ztEnv) send(args ...string) {
	e.t.Helper()
	_ = e.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := e.conn.Write([]byte(servertest.Encode(args...))); err != nil {
		e.t.Fatalf("%q: write: %v", args, err)
	}
}

func (e *ztEnv) read(d time.Duration) resp.Value {
	e.t.Helper()
	_ = e.conn.SetReadDeadline(time.Now().Add(d))
	v, err := resp.ReadReply(e.rd)
	if err != nil {
		e.t.Fatalf("read: %v", err)
	}
	return v
}

func (e *ztEnv) do(args ...string) resp.Value {
	e.t.Helper()
	e.send(args...)
	return e.read(10 * time.Second)
}

// ztFmt renders a reply with its types: "+OK", "-ERR x", ":1", "$a",
// "$nil", "*nil", "_", ",1.5", "[a b]", "%[k v]", "~[a]".
func ztFmt(v resp.Value) string {
	switch v.Type {
	case '+', '-', ',', '(':
		return string(v.Type) + v.Str
	case ':':
		return ":" + strconv.FormatInt(v.Int, 10)
	case '_':
		return "_"
	case '#':
		return "#" + strconv.FormatInt(v.Int, 10)
	case '$':
		if v.Null {
			return "$nil"
		}
		return "$" + v.Str
	case '*', '%', '~', '>':
		if v.Null {
			return string(v.Type) + "nil"
		}
		parts := make([]string, len(v.Array))
		for i, x := range v.Array {
			parts[i] = ztFmt(x)
		}
		p := ""
		if v.Type != '*' {
			p = string(v.Type)
		}
		return p + "[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprintf("%c%v", v.Type, v)
}

// expect checks the rendered reply to args.
func (e *ztEnv) expect(want string, args ...string) {
	e.t.Helper()
	if got := ztFmt(e.do(args...)); got != want {
		e.t.Errorf("%q:\n got %s\nwant %s", args, got, want)
	}
}

func (e *ztEnv) err(want string, args ...string) { e.t.Helper(); e.expect("-"+want, args...) }
func (e *ztEnv) int(want int64, args ...string) {
	e.t.Helper()
	e.expect(":"+strconv.FormatInt(want, 10), args...)
}

// encodings runs fn once with listpack-encoded sets and once with
// skiplist-encoded ones.
func (e *ztEnv) encodings(fn func(enc string)) {
	e.t.Helper()
	for _, enc := range []string{"listpack", "skiplist"} {
		e.do("FLUSHDB")
		if enc == "listpack" {
			e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "128")
		} else {
			e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "0")
		}
		fn(enc)
	}
	e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "128")
}

const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

func TestZSetAddScore(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.encodings(func(enc string) {
			e.int(3, "ZADD", "z", "0.1", "a", "1e17", "b", "-inf", "c")
			e.expect("$"+enc, "OBJECT", "ENCODING", "z")
			e.expect("+zset", "TYPE", "z")
			e.expect("$0.10000000000000001", "ZSCORE", "z", "a")
			e.expect("$1e+17", "ZSCORE", "z", "b")
			e.expect("$-inf", "ZSCORE", "z", "c")
			e.expect("$nil", "ZSCORE", "z", "nope")
			e.expect("$nil", "ZSCORE", "nokey", "a")
			e.int(3, "ZCARD", "z")
			e.int(0, "ZCARD", "nokey")
			e.expect("[$0.10000000000000001 $nil $-inf]", "ZMSCORE", "z", "a", "x", "c")
			e.expect("[$nil $nil]", "ZMSCORE", "nokey", "a", "b")
			// Re-adding with the same score changes nothing; CH counts updates.
			e.int(0, "ZADD", "z", "0.1", "a")
			e.int(1, "ZADD", "z", "CH", "2", "a", "1e17", "b")
			e.int(0, "ZADD", "z", "NX", "5", "a")
			e.expect("$2", "ZSCORE", "z", "a")
			e.int(0, "ZADD", "z", "XX", "5", "new")
			e.expect("$nil", "ZSCORE", "z", "new")
			e.int(0, "ZADD", "z", "XX", "CH", "GT", "1", "a")
			e.int(1, "ZADD", "z", "XX", "CH", "GT", "3", "a")
			e.int(1, "ZADD", "z", "LT", "CH", "1", "a")
			e.int(1, "ZADD", "z", "GT", "7", "fresh") // GT/LT do not stop additions
			e.expect("$3.5", "ZADD", "z", "INCR", "2.5", "a")
			e.expect("$nil", "ZADD", "z", "INCR", "NX", "2.5", "a")
			e.expect("$nil", "ZADD", "z", "INCR", "GT", "-1", "a")
			e.expect("$nil", "ZADD", "nokey", "XX", "INCR", "1", "a")
			e.int(0, "ZADD", "nokey", "XX", "1", "a")
			e.int(0, "EXISTS", "nokey")
			e.expect("$1", "ZINCRBY", "z2", "1", "m")
			e.expect("$-0.5", "ZINCRBY", "z2", "-1.5", "m")
			e.expect("$inf", "ZINCRBY", "z2", "+inf", "m")
			e.err("ERR resulting score is not a number (NaN)", "ZINCRBY", "z2", "-inf", "m")
			e.expect("$inf", "ZSCORE", "z2", "m")
			// -0: the listpack stores integral scores as integers.
			e.expect("$-0", "ZADD", "z3", "INCR", "-0", "m")
			if enc == "listpack" {
				e.expect("$0", "ZSCORE", "z3", "m")
			} else {
				e.expect("$-0", "ZSCORE", "z3", "m")
			}
			e.int(1, "ZADD", "z4", "0x10", "hex")
			e.expect("$16", "ZSCORE", "z4", "hex")
		})
	})
}

func TestZSetErrors(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.expect("+OK", "SET", "str", "x")
		e.int(1, "ZADD", "z", "1", "a")
		for _, c := range [][]string{
			{"ERR wrong number of arguments for 'zadd' command", "ZADD", "z", "1"},
			{"ERR syntax error", "ZADD", "z", "1", "a", "2"},
			{"ERR syntax error", "ZADD", "z", "NX", "1"},
			{"ERR syntax error", "ZADD", "z", "NX", "XX", "1"},
			{"ERR XX and NX options at the same time are not compatible", "ZADD", "z", "XX", "NX", "1", "a"},
			{"ERR GT, LT, and/or NX options at the same time are not compatible", "ZADD", "z", "GT", "LT", "1", "a"},
			{"ERR GT, LT, and/or NX options at the same time are not compatible", "ZADD", "z", "NX", "GT", "1", "a"},
			{"ERR INCR option supports a single increment-element pair", "ZADD", "z", "INCR", "1", "a", "2", "b"},
			{"ERR value is not a valid float", "ZADD", "z", "abc", "a"},
			{"ERR value is not a valid float", "ZADD", "z", "nan", "a"},
			{"ERR value is not a valid float", "ZADD", "z", "1", "a", "x", "b"},
			{"ERR value is not a valid float", "ZADD", "z", " 1", "a"},
			{"ERR syntax error", "ZINCRBY", "z", "NX", "a"},
			{"ERR value is not a valid float", "ZINCRBY", "z", "x", "a"},
			{wrongType, "ZADD", "str", "1", "a"},
			{wrongType, "ZSCORE", "str", "a"},
			{wrongType, "ZMSCORE", "str", "a"},
			{wrongType, "ZCARD", "str"},
			{wrongType, "ZREM", "str", "a"},
			{wrongType, "ZRANK", "str", "a"},
			{wrongType, "ZRANGE", "str", "0", "1"},
			{wrongType, "ZUNION", "2", "z", "str"},
			{wrongType, "ZPOPMIN", "str"},
			{wrongType, "ZMPOP", "2", "nokey", "str", "MIN"},
			{wrongType, "ZRANDMEMBER", "str"},
			{wrongType, "ZRANDMEMBER", "str", "2"},
			{wrongType, "ZSCAN", "str", "0"},
			{wrongType, "BZPOPMIN", "str", "0"},
			{"ERR min or max is not a float", "ZCOUNT", "z", "(a", "1"},
			{"ERR min or max is not a float", "ZCOUNT", "z", "nan", "1"},
			{"ERR min or max is not a float", "ZRANGEBYSCORE", "z", "1", "[2"},
			{"ERR min or max is not a float", "ZREMRANGEBYSCORE", "z", "1", "x"},
			{"ERR min or max not valid string range item", "ZLEXCOUNT", "z", "a", "+"},
			{"ERR min or max not valid string range item", "ZRANGEBYLEX", "z", "-", "+a"},
			{"ERR min or max not valid string range item", "ZREMRANGEBYLEX", "z", "", "+"},
			{"ERR value is not an integer or out of range", "ZRANGE", "z", "a", "1"},
			{"ERR value is not an integer or out of range", "ZREMRANGEBYRANK", "z", "0", "1.5"},
			{"ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX", "ZRANGE", "z", "0", "1", "LIMIT", "0", "1"},
			{"ERR syntax error, WITHSCORES not supported in combination with BYLEX", "ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"},
			{"ERR syntax error, WITHSCORES not supported in combination with BYLEX", "ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"},
			{"ERR syntax error", "ZRANGEBYSCORE", "z", "1", "2", "LIMIT", "0"},
			{"ERR syntax error", "ZRANGEBYSCORE", "z", "1", "2", "REV"},
			{"ERR syntax error", "ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"},
			{"ERR syntax error", "ZRANGESTORE", "d", "z", "0", "1", "WITHSCORES"},
			{"ERR value is not an integer or out of range", "ZRANGEBYSCORE", "z", "1", "2", "LIMIT", "x", "1"},
			{"ERR at least 1 input key is needed for 'zunion' command", "ZUNION", "0", "z"},
			{"ERR at least 1 input key is needed for 'zinterstore' command", "ZINTERSTORE", "d", "0", "z"},
			{"ERR at least 1 input key is needed for 'zintercard' command", "ZINTERCARD", "0", "z"},
			{"ERR value is not an integer or out of range", "ZUNION", "x", "z"},
			{"ERR syntax error", "ZUNION", "2", "z"},
			{"ERR syntax error", "ZUNION", "9223372036854775807", "z"},
			{"ERR weight value is not a float", "ZUNION", "1", "z", "WEIGHTS", "x"},
			{"ERR syntax error", "ZUNION", "2", "z", "z", "WEIGHTS", "1"},
			{"ERR syntax error", "ZUNION", "1", "z", "AGGREGATE", "avg"},
			{"ERR syntax error", "ZUNIONSTORE", "d", "1", "z", "WITHSCORES"},
			{"ERR syntax error", "ZDIFF", "1", "z", "WEIGHTS", "1"},
			{"ERR syntax error", "ZINTERCARD", "1", "z", "WITHSCORES"},
			{"ERR LIMIT can't be negative", "ZINTERCARD", "1", "z", "LIMIT", "-1"},
			{"ERR LIMIT can't be negative", "ZINTERCARD", "1", "z", "LIMIT", "x"},
			{"ERR syntax error", "ZPOPMIN", "z", "1", "2"},
			{"ERR value is out of range, must be positive", "ZPOPMIN", "z", "-1"},
			{"ERR value is out of range, must be positive", "ZPOPMAX", "z", "x"},
			{"ERR numkeys should be greater than 0", "ZMPOP", "0", "z", "MIN"},
			{"ERR numkeys should be greater than 0", "ZMPOP", "x", "z", "MIN"},
			{"ERR wrong number of arguments for 'zmpop' command", "ZMPOP", "1", "z"},
			{"ERR syntax error", "ZMPOP", "2", "z", "MIN"},
			{"ERR syntax error", "ZMPOP", "1", "z", "MID"},
			{"ERR syntax error", "ZMPOP", "1", "z", "MIN", "COUNT"},
			{"ERR syntax error", "ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"},
			{"ERR count should be greater than 0", "ZMPOP", "1", "z", "MIN", "COUNT", "0"},
			{"ERR count should be greater than 0", "ZMPOP", "1", "z", "MIN", "COUNT", "x"},
			{"ERR timeout is not a float or out of range", "BZPOPMIN", "z", "x"},
			{"ERR timeout is negative", "BZPOPMAX", "z", "-1"},
			{"ERR numkeys should be greater than 0", "BZMPOP", "0", "0", "z", "MIN"},
			{"ERR timeout is negative", "BZMPOP", "-1", "1", "z", "MIN"},
			{"ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807", "ZRANDMEMBER", "z", "-9223372036854775808"},
			{"ERR value is out of range", "ZRANDMEMBER", "z", "-9223372036854770000", "WITHSCORES"},
			{"ERR value is not an integer or out of range", "ZRANDMEMBER", "z", "x"},
			{"ERR syntax error", "ZRANDMEMBER", "z", "1", "WITHSCORE"},
			{"ERR syntax error", "ZRANDMEMBER", "z", "1", "WITHSCORES", "x"},
			{"ERR invalid cursor", "ZSCAN", "z", "x"},
			{"ERR syntax error", "ZSCAN", "z", "0", "COUNT", "0"},
			{"ERR syntax error", "ZSCAN", "z", "0", "MATCH"},
			{"ERR value is not an integer or out of range", "ZSCAN", "z", "0", "COUNT", "x"},
		} {
			e.err(c[0], c[1:]...)
		}
		// Validation errors leave the data alone.
		e.expect("[$a $1]", "ZRANGE", "z", "0", "-1", "WITHSCORES")
	})
}

func TestZSetRanges(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.encodings(func(enc string) {
			e.int(6, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "+inf", "f")
			e.expect("[$a $b $c]", "ZRANGE", "z", "0", "2")
			e.expect("[$e $5]", "ZRANGE", "z", "-2", "-2", "WITHSCORES")
			e.expect("[$f $inf $e $5]", "ZRANGE", "z", "0", "1", "REV", "WITHSCORES")
			e.expect("[$f $e]", "ZREVRANGE", "z", "0", "1")
			e.expect("[$a $b $c $d $e $f]", "ZRANGE", "z", "-100", "100")
			e.expect("[]", "ZRANGE", "z", "3", "2")
			e.expect("[]", "ZRANGE", "z", "6", "10")
			e.expect("[]", "ZRANGE", "nokey", "0", "-1")
			e.expect("[$a $b]", "ZRANGE", "z", "-9223372036854775808", "-5")
			e.expect("[$b $c $d]", "ZRANGEBYSCORE", "z", "(1", "4")
			e.expect("[$d $c $b]", "ZREVRANGEBYSCORE", "z", "4", "(1")
			e.expect("[$d $c $b]", "ZRANGE", "z", "4", "(1", "BYSCORE", "REV")
			e.expect("[$e $5 $f $inf]", "ZRANGEBYSCORE", "z", "5", "+inf", "WITHSCORES")
			e.expect("[$c $d]", "ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "2")
			e.expect("[$d $c]", "ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "2", "2")
			e.expect("[$c $d $e $f]", "ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "-1")
			e.expect("[]", "ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2")
			e.expect("[]", "ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "6", "2")
			e.expect("[]", "ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0", "0")
			e.expect("[]", "ZRANGEBYSCORE", "z", "(3", "(3")
			e.expect("[$c]", "ZRANGEBYSCORE", "z", "3", "3")
			e.expect("[]", "ZRANGEBYSCORE", "z", "4", "2")
			e.expect("[$a $b]", "ZRANGEBYSCORE", "z", "", "(3")
			e.expect("[$a]", "ZRANGEBYSCORE", "z", "0x1", "1\x00junk")
			e.int(4, "ZCOUNT", "z", "(1", "5")
			e.int(6, "ZCOUNT", "z", "-inf", "+inf")
			e.int(0, "ZCOUNT", "z", "(5", "(5")
			e.int(0, "ZCOUNT", "nokey", "-inf", "+inf")
			e.int(2, "ZRANK", "z", "c")
			e.int(3, "ZREVRANK", "z", "c")
			e.expect("$nil", "ZRANK", "z", "zz")
			e.expect("$nil", "ZREVRANK", "nokey", "a")

			e.int(7, "ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e", "0", "f", "0", "")
			e.expect("[$ $a $b]", "ZRANGEBYLEX", "l", "-", "[b")
			e.expect("[$c $d]", "ZRANGEBYLEX", "l", "(b", "(e")
			e.expect("[$d $c]", "ZREVRANGEBYLEX", "l", "(e", "(b")
			e.expect("[$d $c]", "ZRANGE", "l", "(e", "(b", "BYLEX", "REV")
			e.expect("[$b $c]", "ZRANGEBYLEX", "l", "[a", "+", "LIMIT", "1", "2")
			e.expect("[$e $d]", "ZREVRANGEBYLEX", "l", "+", "-", "LIMIT", "1", "2")
			e.expect("[]", "ZRANGEBYLEX", "l", "+", "-")
			e.expect("[]", "ZRANGEBYLEX", "l", "[c", "(c")
			e.expect("[$]", "ZRANGEBYLEX", "l", "[", "[")
			e.int(7, "ZLEXCOUNT", "l", "-", "+")
			e.int(3, "ZLEXCOUNT", "l", "[b", "[d")
			e.int(0, "ZLEXCOUNT", "l", "[d", "[b")
			e.int(0, "ZLEXCOUNT", "nokey", "-", "+")
		})
	})
}

func TestZSetRESP3(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.do("HELLO", "3")
		e.encodings(func(enc string) {
			e.int(3, "ZADD", "z", "1", "a", "2.5", "b", "3", "c")
			e.expect(",2.5", "ZSCORE", "z", "b")
			e.expect("_", "ZSCORE", "z", "x")
			e.expect("_", "ZRANK", "z", "x")
			e.expect("[,1 _]", "ZMSCORE", "z", "a", "x")
			e.expect(",3.5", "ZINCRBY", "z", "1", "b")
			e.expect("_", "ZADD", "z", "NX", "INCR", "1", "b")
			e.expect("[[$a ,1] [$c ,3]]", "ZRANGE", "z", "0", "1", "WITHSCORES")
			e.expect("[[$b ,3.5]]", "ZRANGEBYSCORE", "z", "(3", "+inf", "WITHSCORES")
			e.expect("[[$a ,1] [$c ,3] [$b ,3.5]]", "ZUNION", "1", "z", "WITHSCORES")
			e.expect("[$a ,1]", "ZPOPMIN", "z")
			e.expect("[[$b ,3.5]]", "ZPOPMAX", "z", "1")
			e.expect("[]", "ZPOPMAX", "z", "0")
			e.expect("[$z [[$c ,3]]]", "ZMPOP", "1", "z", "MIN", "COUNT", "5")
			e.expect("_", "ZMPOP", "1", "z", "MIN")
			e.expect("[]", "ZPOPMIN", "z")
			e.int(1, "ZADD", "z", "7", "x")
			e.expect("[[$x ,7]]", "ZRANDMEMBER", "z", "1", "WITHSCORES")
			e.expect("[[$x ,7] [$x ,7]]", "ZRANDMEMBER", "z", "-2", "WITHSCORES")
			e.expect("[$z $x ,7]", "BZPOPMIN", "z", "0")
			e.expect("_", "BZPOPMIN", "z", "0.01")
			e.int(1, "ZADD", "z", "1", "inf")
			e.expect("[$z [[$inf ,1]]]", "BZMPOP", "0", "1", "z", "MAX", "COUNT", "2")
			e.expect("_", "BZMPOP", "0.01", "1", "z", "MAX")
		})
	})
}

func TestZSetRemoveRanges(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.encodings(func(enc string) {
			add := func() {
				e.do("DEL", "z")
				e.int(5, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
			}
			add()
			e.int(2, "ZREM", "z", "a", "x", "b")
			e.int(3, "ZREM", "z", "c", "d", "e", "c")
			e.int(0, "EXISTS", "z")
			e.int(0, "ZREM", "z", "a")
			add()
			e.int(3, "ZREMRANGEBYRANK", "z", "1", "-2")
			e.expect("[$a $e]", "ZRANGE", "z", "0", "-1")
			e.int(0, "ZREMRANGEBYRANK", "z", "5", "10")
			e.int(0, "ZREMRANGEBYRANK", "z", "1", "0")
			e.int(2, "ZREMRANGEBYRANK", "z", "-100", "100")
			e.int(0, "EXISTS", "z")
			e.int(0, "ZREMRANGEBYRANK", "z", "0", "1")
			add()
			e.int(2, "ZREMRANGEBYSCORE", "z", "(1", "3")
			e.int(0, "ZREMRANGEBYSCORE", "z", "(5", "+inf")
			e.int(3, "ZREMRANGEBYSCORE", "z", "-inf", "+inf")
			e.int(0, "EXISTS", "z")
			e.do("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d")
			e.int(2, "ZREMRANGEBYLEX", "l", "(a", "[c")
			e.expect("[$a $d]", "ZRANGE", "l", "0", "-1")
			e.int(2, "ZREMRANGEBYLEX", "l", "-", "+")
			e.int(0, "EXISTS", "l")
			e.int(0, "ZREMRANGEBYLEX", "l", "-", "+")
		})
	})
}

func TestZSetSetOperations(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.encodings(func(enc string) {
			e.int(3, "ZADD", "z1", "1", "a", "2", "b", "3", "c")
			e.int(3, "ZADD", "z2", "10", "b", "20", "c", "30", "d")
			e.int(3, "SADD", "s", "a", "d", "1")
			e.int(2, "SADD", "is", "1", "2")
			e.expect("[$a $1 $b $12 $c $23 $d $30]", "ZUNION", "2", "z1", "z2", "WITHSCORES")
			e.expect("[$a $b $c $d]", "ZUNION", "2", "z1", "z2")
			e.expect("[$a $2 $b $24 $c $46 $d $60]", "ZUNION", "2", "z1", "z2", "WEIGHTS", "2", "2", "WITHSCORES")
			e.expect("[$a $1 $b $2 $c $3 $d $30]", "ZUNION", "2", "z1", "z2", "AGGREGATE", "MIN", "WITHSCORES")
			e.expect("[$a $1 $b $10 $c $20 $d $30]", "ZUNION", "2", "z1", "z2", "aggregate", "max", "withscores")
			e.expect("[$b $12 $c $23]", "ZINTER", "2", "z1", "z2", "WITHSCORES")
			e.expect("[$c $-17 $b $-8]", "ZINTER", "2", "z1", "z2", "WEIGHTS", "1", "-1", "WITHSCORES")
			e.expect("[$a]", "ZDIFF", "2", "z1", "z2")
			e.expect("[$a $1]", "ZDIFF", "2", "z1", "z2", "WITHSCORES")
			e.expect("[]", "ZDIFF", "2", "z1", "z1")
			e.expect("[$b $c]", "ZDIFF", "2", "z1", "s")
			e.expect("[$1 $1 $a $2 $b $12 $c $23 $d $31]", "ZUNION", "3", "z1", "z2", "s", "WITHSCORES")
			e.expect("[$a $2]", "ZINTER", "2", "z1", "s", "WITHSCORES")
			e.expect("[$1 $5 $2 $5]", "ZUNION", "1", "is", "WEIGHTS", "5", "WITHSCORES")
			e.expect("[]", "ZINTER", "2", "z1", "nokey")
			e.expect("[$a $b $c]", "ZUNION", "2", "z1", "nokey")
			e.int(2, "ZINTERCARD", "2", "z1", "z2")
			e.int(1, "ZINTERCARD", "2", "z1", "z2", "LIMIT", "1")
			e.int(2, "ZINTERCARD", "2", "z1", "z2", "LIMIT", "0")
			e.int(3, "ZINTERCARD", "1", "z1", "LIMIT", "10")
			e.int(0, "ZINTERCARD", "2", "z1", "nokey")
			// inf + -inf sums to 0; weight 0 times inf is 0.
			e.int(1, "ZADD", "pinf", "+inf", "m")
			e.int(1, "ZADD", "ninf", "-inf", "m")
			e.expect("[$m $0]", "ZUNION", "2", "pinf", "ninf", "WITHSCORES")
			e.expect("[$m $0]", "ZINTER", "2", "pinf", "ninf", "WITHSCORES")
			e.expect("[$m $0]", "ZUNION", "1", "pinf", "WEIGHTS", "0", "WITHSCORES")
			e.expect("[$m $-inf]", "ZINTER", "2", "pinf", "ninf", "AGGREGATE", "MIN", "WITHSCORES")

			e.int(4, "ZUNIONSTORE", "dst", "2", "z1", "z2")
			e.expect("[$a $1 $b $12 $c $23 $d $30]", "ZRANGE", "dst", "0", "-1", "WITHSCORES")
			e.expect("$"+enc, "OBJECT", "ENCODING", "dst")
			e.int(2, "ZINTERSTORE", "dst", "2", "z1", "z2", "AGGREGATE", "MAX")
			e.expect("[$b $10 $c $20]", "ZRANGE", "dst", "0", "-1", "WITHSCORES")
			e.int(1, "ZDIFFSTORE", "dst", "2", "z1", "z2")
			e.expect("[$a]", "ZRANGE", "dst", "0", "-1")
			e.int(0, "ZINTERSTORE", "dst", "2", "z1", "nokey")
			e.int(0, "EXISTS", "dst")
			e.int(0, "ZDIFFSTORE", "dst", "1", "nokey")
			// The destination may be an input, and any type is replaced.
			e.expect("+OK", "SET", "str", "x")
			e.int(1, "EXPIRE", "z1", "1000")
			e.int(3, "ZUNIONSTORE", "str", "1", "z1")
			e.expect("+zset", "TYPE", "str")
			e.int(4, "ZUNIONSTORE", "z1", "2", "z1", "z2")
			e.int(-1, "TTL", "z1")
			e.expect("[$a $1 $b $12 $c $23 $d $30]", "ZRANGE", "z1", "0", "-1", "WITHSCORES")
		})
		// A store result small enough becomes a listpack again.
		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "2")
		e.int(3, "ZADD", "big", "1", "a", "2", "b", "3", "c")
		e.expect("$skiplist", "OBJECT", "ENCODING", "big")
		e.int(2, "ZRANGESTORE", "d1", "big", "0", "1")
		e.expect("$listpack", "OBJECT", "ENCODING", "d1")
		e.int(3, "ZRANGESTORE", "d2", "big", "0", "-1")
		e.expect("$skiplist", "OBJECT", "ENCODING", "d2")
		e.int(2, "ZINTERSTORE", "d3", "2", "big", "d1")
		e.expect("$listpack", "OBJECT", "ENCODING", "d3")
		e.int(3, "ZUNIONSTORE", "d4", "1", "big")
		e.expect("$skiplist", "OBJECT", "ENCODING", "d4")
		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "128")
	})
}

func TestZSetRangeStore(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.encodings(func(enc string) {
			e.int(4, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
			e.int(2, "ZRANGESTORE", "d", "z", "1", "2")
			e.expect("[$b $2 $c $3]", "ZRANGE", "d", "0", "-1", "WITHSCORES")
			e.int(2, "ZRANGESTORE", "d", "z", "3", "(1", "BYSCORE", "REV", "LIMIT", "0", "2")
			e.expect("[$b $c]", "ZRANGE", "d", "0", "-1")
			e.int(1, "ZRANGESTORE", "d", "z", "[b", "(c", "BYLEX")
			e.int(0, "ZRANGESTORE", "d", "z", "5", "6")
			e.int(0, "EXISTS", "d")
			e.int(0, "ZRANGESTORE", "d", "nokey", "0", "-1")
			e.int(4, "ZRANGESTORE", "z", "z", "0", "-1")
			e.expect("+OK", "SET", "str", "x")
			e.err(wrongType, "ZRANGESTORE", "d", "str", "0", "-1")
		})
	})
}

func TestZSetPop(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.encodings(func(enc string) {
			e.int(4, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
			e.expect("[$a $1]", "ZPOPMIN", "z")
			e.expect("[$d $4]", "ZPOPMAX", "z")
			e.expect("[]", "ZPOPMIN", "z", "0")
			e.expect("[$b $2 $c $3]", "ZPOPMIN", "z", "10")
			e.int(0, "EXISTS", "z")
			e.expect("[]", "ZPOPMIN", "z")
			e.expect("[]", "ZPOPMAX", "nokey", "3")
			e.int(3, "ZADD", "z", "1", "a", "2", "b", "3", "c")
			e.expect("[$z [[$c $3] [$b $2]]]", "ZMPOP", "2", "nokey", "z", "MAX", "COUNT", "2")
			e.expect("[$z [[$a $1]]]", "ZMPOP", "1", "z", "MIN")
			e.expect("*nil", "ZMPOP", "2", "nokey", "z", "MIN")
			e.int(1, "ZADD", "z", "5", "x")
			e.expect("[$z $x $5]", "BZPOPMAX", "nokey", "z", "0")
			e.expect("*nil", "BZPOPMAX", "nokey", "z", "0.01")
		})
	})
}

func TestZSetRandMember(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.encodings(func(enc string) {
			e.expect("$nil", "ZRANDMEMBER", "nokey")
			e.expect("[]", "ZRANDMEMBER", "nokey", "5")
			e.expect("[]", "ZRANDMEMBER", "nokey", "-5", "WITHSCORES")
			args := []string{"ZADD", "z"}
			want := map[string]string{}
			for i := 0; i < 20; i++ {
				m := "m" + strconv.Itoa(i)
				args = append(args, strconv.Itoa(i), m)
				want[m] = strconv.Itoa(i)
			}
			e.int(20, args...)
			e.expect("[]", "ZRANDMEMBER", "z", "0")
			for _, count := range []int{1, 3, 10, 19, 20, 25} {
				v := e.do("ZRANDMEMBER", "z", strconv.Itoa(count), "WITHSCORES")
				n := min(count, 20)
				if len(v.Array) != 2*n {
					t.Fatalf("ZRANDMEMBER %d WITHSCORES: %d items", count, len(v.Array))
				}
				seen := map[string]bool{}
				for i := 0; i < len(v.Array); i += 2 {
					m, s := v.Array[i].Str, v.Array[i+1].Str
					if want[m] != s || seen[m] {
						t.Fatalf("ZRANDMEMBER %d: bad or repeated %q %q", count, m, s)
					}
					seen[m] = true
				}
			}
			v := e.do("ZRANDMEMBER", "z", "-100")
			if len(v.Array) != 100 {
				t.Fatalf("negative count: %d items", len(v.Array))
			}
			for _, x := range v.Array {
				if _, ok := want[x.Str]; !ok {
					t.Fatalf("unknown member %q", x.Str)
				}
			}
			if m := e.do("ZRANDMEMBER", "z").Str; want[m] == "" {
				t.Fatalf("ZRANDMEMBER = %q", m)
			}
			// All 20 members come up over many single draws.
			hits := map[string]bool{}
			for i := 0; i < 40 && len(hits) < 20; i++ {
				for _, x := range e.do("ZRANDMEMBER", "z", "-50").Array {
					hits[x.Str] = true
				}
			}
			if len(hits) != 20 {
				t.Errorf("only %d members ever drawn", len(hits))
			}
		})
	})
}

func TestZSetScan(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.expect("[$0 []]", "ZSCAN", "nokey", "0")
		e.int(3, "ZADD", "lp", "1e17", "a", "0.1", "b", "-0", "c")
		e.expect("[$0 [$c $0 $b $0.10000000000000001 $a $100000000000000000]]", "ZSCAN", "lp", "0")
		e.expect("[$0 [$a $100000000000000000]]", "ZSCAN", "lp", "0", "MATCH", "a*")
		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "0")
		e.int(3, "ZADD", "sk", "1e17", "a", "0.1", "b", "-0", "c")
		v := e.do("ZSCAN", "sk", "0", "COUNT", "100")
		got := map[string]string{}
		for i := 0; i+1 < len(v.Array[1].Array); i += 2 {
			got[v.Array[1].Array[i].Str] = v.Array[1].Array[i+1].Str
		}
		if v.Array[0].Str != "0" || fmt.Sprint(got) != "map[a:1e+17 b:0.10000000000000001 c:-0]" {
			t.Errorf("ZSCAN skiplist = %s", ztFmt(v))
		}
		args := []string{"ZADD", "big"}
		for i := 0; i < 500; i++ {
			args = append(args, strconv.Itoa(i), "m"+strconv.Itoa(i))
		}
		e.int(500, args...)
		seen := map[string]bool{}
		cursor := "0"
		for rounds := 0; ; rounds++ {
			v := e.do("ZSCAN", "big", cursor, "COUNT", "20", "MATCH", "m1*")
			items := v.Array[1].Array
			for i := 0; i < len(items); i += 2 {
				if !strings.HasPrefix(items[i].Str, "m1") || items[i+1].Str != items[i].Str[1:] {
					t.Fatalf("ZSCAN item %q %q", items[i].Str, items[i+1].Str)
				}
				seen[items[i].Str] = true
			}
			cursor = v.Array[0].Str
			if cursor == "0" {
				break
			}
			if rounds > 1000 {
				t.Fatal("ZSCAN does not terminate")
			}
		}
		if len(seen) != 111 { // m1, m10-m19, m100-m199
			t.Errorf("ZSCAN MATCH m1* saw %d members", len(seen))
		}
		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "128")
	})
}

func TestZSetEncodingAndCopy(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "3")
		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-value", "5")
		e.int(3, "ZADD", "z", "1", "a", "2", "b", "3", "c")
		e.expect("$listpack", "OBJECT", "ENCODING", "z")
		e.int(1, "ZADD", "z", "4", "d")
		e.expect("$skiplist", "OBJECT", "ENCODING", "z")
		e.int(2, "ZREM", "z", "a", "b")
		e.expect("$skiplist", "OBJECT", "ENCODING", "z") // never back
		e.int(1, "ZADD", "v", "1", "abcde")
		e.expect("$listpack", "OBJECT", "ENCODING", "v")
		e.int(1, "ZADD", "v", "1", "abcdef")
		e.expect("$skiplist", "OBJECT", "ENCODING", "v")
		e.int(1, "ZADD", "w", "1", "abcdef") // created big
		e.expect("$skiplist", "OBJECT", "ENCODING", "w")
		e.expect("$1", "ZADD", "inc", "INCR", "1", "abcdef")
		e.expect("$skiplist", "OBJECT", "ENCODING", "inc")

		e.int(1, "COPY", "z", "zc")
		e.int(1, "ZADD", "zc", "9", "new")
		e.expect("[$c $d]", "ZRANGE", "z", "0", "-1")
		e.expect("[$c $d $new]", "ZRANGE", "zc", "0", "-1")
		e.expect("$skiplist", "OBJECT", "ENCODING", "zc")
		e.int(1, "ZADD", "small", "1", "a")
		e.int(1, "COPY", "small", "sc")
		e.int(1, "ZREM", "small", "a")
		e.expect("[$a]", "ZRANGE", "sc", "0", "-1")
		e.expect("$listpack", "OBJECT", "ENCODING", "sc")
		e.expect("+OK", "RENAME", "sc", "sc2")
		e.expect("[$a $1]", "ZRANGE", "sc2", "0", "-1", "WITHSCORES")

		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-entries", "128")
		e.expect("+OK", "CONFIG", "SET", "zset-max-listpack-value", "64")
	})
}

func TestZSetBlocking(t *testing.T) {
	ztRun(t, func(e *ztEnv) {
		e.do("DEL", "bz1", "bz2")
		c := e.other()
		c.send("BZPOPMIN", "bz1", "bz2", "5")
		e.waitBlocked(1)
		e.int(2, "ZADD", "bz2", "2", "b", "1", "a")
		if got := ztFmt(c.read(5 * time.Second)); got != "[$bz2 $a $1]" {
			t.Errorf("BZPOPMIN woke with %s", got)
		}
		e.expect("[$b]", "ZRANGE", "bz2", "0", "-1")

		// Two waiters are served in the order they blocked.
		c2 := e.other()
		c.send("BZMPOP", "5", "1", "bz1", "MAX", "COUNT", "2")
		e.waitBlocked(1)
		c2.send("BZPOPMAX", "bz1", "5")
		e.waitBlocked(2)
		e.int(3, "ZADD", "bz1", "1", "x", "2", "y", "3", "z")
		if got := ztFmt(c.read(5 * time.Second)); got != "[$bz1 [[$z $3] [$y $2]]]" {
			t.Errorf("BZMPOP woke with %s", got)
		}
		if got := ztFmt(c2.read(5 * time.Second)); got != "[$bz1 $x $1]" {
			t.Errorf("second BZPOPMAX woke with %s", got)
		}
		e.int(0, "EXISTS", "bz1")

		// A key of another type does not serve the waiter; the timeout does.
		start := time.Now()
		c.send("BZPOPMIN", "bz1", "0.3")
		e.waitBlocked(1)
		e.expect("+OK", "SET", "bz1", "str")
		if got := ztFmt(c.read(5 * time.Second)); got != "*nil" {
			t.Errorf("BZPOPMIN timeout = %s", got)
		}
		if d := time.Since(start); d < 250*time.Millisecond {
			t.Errorf("timed out after %v", d)
		}
		e.do("DEL", "bz1")

		// Inside MULTI a blocking pop does not block.
		e.expect("+OK", "MULTI")
		e.expect("+QUEUED", "BZPOPMIN", "bz1", "0")
		e.expect("[*nil]", "EXEC")

		// A zset added and deleted in one transaction wakes nobody.
		c.send("BZPOPMIN", "bz1", "5")
		e.waitBlocked(1)
		e.expect("+OK", "MULTI")
		e.expect("+QUEUED", "ZADD", "bz1", "1", "a")
		e.expect("+QUEUED", "DEL", "bz1")
		e.expect("[:1 :1]", "EXEC")
		e.int(1, "ZADD", "bz1", "7", "later")
		if got := ztFmt(c.read(5 * time.Second)); got != "[$bz1 $later $7]" {
			t.Errorf("BZPOPMIN after MULTI = %s", got)
		}
	})
}

// waitBlocked waits until n clients are blocked.
func (e *ztEnv) waitBlocked(n int) {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		info := e.do("INFO", "clients").Str
		if strings.Contains(info, "blocked_clients:"+strconv.Itoa(n)+"\r\n") {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.t.Fatalf("never %d blocked clients: %q", n, e.do("INFO", "clients").Str)
}

// ztFeed records what a server propagates.
type ztFeed struct {
	mu   sync.Mutex
	cmds []string
}

func (f *ztFeed) Feed(db int, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	f.mu.Lock()
	f.cmds = append(f.cmds, strings.Join(parts, " "))
	f.mu.Unlock()
}

func (f *ztFeed) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.cmds
	f.cmds = nil
	return out
}

func TestZSetPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		e := ztDial(t, s, s.Addr)
		f := &ztFeed{}
		s.Srv.Lock()
		s.Srv.Core().AddFeed(f)
		s.Srv.Unlock()
		expect := func(want ...string) {
			t.Helper()
			// Served blocked clients propagate after the command that woke them.
			deadline := time.Now().Add(2 * time.Second)
			var got []string
			for {
				f.mu.Lock()
				n := len(f.cmds)
				f.mu.Unlock()
				if n >= len(want) || time.Now().After(deadline) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			got = f.take()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("propagated:\n got %q\nwant %q", got, want)
			}
		}
		e.int(4, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
		expect("ZADD z 1 a 2 b 3 c 4 d")
		e.do("ZADD", "z", "XX", "1", "nope")
		e.do("ZREM", "z", "nope")
		e.do("ZPOPMIN", "nokey")
		expect()
		e.do("ZMPOP", "2", "nokey", "z", "MAX", "COUNT", "10")
		expect("ZPOPMAX z 4")
		e.do("ZADD", "z", "1", "a", "2", "b")
		expect("ZADD z 1 a 2 b")
		e.do("BZPOPMIN", "nokey", "z", "0")
		expect("ZPOPMIN z")
		e.do("BZMPOP", "0", "1", "z", "MIN", "COUNT", "5")
		expect("ZPOPMIN z 1")
		c := e.other()
		c.send("BZPOPMAX", "z", "5")
		e.waitBlocked(1)
		e.do("ZADD", "z", "1", "a", "2", "b")
		expect("ZADD z 1 a 2 b", "ZPOPMAX z")
		c.read(5 * time.Second)
		e.do("DEL", "z")
		expect("DEL z")
		c.send("BZMPOP", "5", "1", "z", "MIN", "COUNT", "5")
		e.waitBlocked(1)
		e.do("ZADD", "z", "7", "q", "8", "r")
		expect("ZADD z 7 q 8 r", "ZPOPMIN z 2")
		c.read(5 * time.Second)
		e.do("ZRANGESTORE", "d", "nokey", "0", "-1")
		expect()
	})
}

// TestZSetDifferential runs a long random stream of sorted set commands
// against the server and a real redis-server (ZSETS_ORACLE) and compares
// every reply. Commands with random replies are left out.
func TestZSetDifferential(t *testing.T) {
	addr := os.Getenv("ZSETS_ORACLE")
	if addr == "" {
		t.Skip("ZSETS_ORACLE not set")
	}
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			s := servertest.Start(t, mode)
			ours := ztDial(t, s, s.Addr)
			ref := ztDial(t, nil, addr)
			ref.do("FLUSHDB")
			ent := ref.do("CONFIG", "GET", "zset-max-listpack-entries").Array[1].Str
			val := ref.do("CONFIG", "GET", "zset-max-listpack-value").Array[1].Str
			t.Cleanup(func() {
				c := ztDial(t, nil, addr)
				c.do("CONFIG", "SET", "zset-max-listpack-entries", ent)
				c.do("CONFIG", "SET", "zset-max-listpack-value", val)
				c.do("FLUSHDB")
			})
			seed := uint64(11)
			if v, err := strconv.ParseUint(os.Getenv("ZSETS_DIFF_SEED"), 10, 64); err == nil {
				seed = v
			}
			r := rand.New(rand.NewPCG(seed, 12))
			for i := 0; i < 20000; i++ {
				args := ztRandomCommand(r)
				gv, wv := ours.do(args...), ref.do(args...)
				if args[0] == "HELLO" {
					continue // the replies carry each server's client id
				}
				if args[0] == "ZSCAN" {
					// Hash tables order elements differently: compare sorted.
					ztSortScan(&gv)
					ztSortScan(&wv)
				}
				got, want := ztFmt(gv), ztFmt(wv)
				if got != want {
					t.Fatalf("step %d %q:\n got %s\nwant %s", i, args, got, want)
				}
			}
		})
	}
}

// ztSortScan sorts the (member, score) pairs of a ZSCAN reply.
func ztSortScan(v *resp.Value) {
	if v.Type != '*' || len(v.Array) != 2 {
		return
	}
	items := v.Array[1].Array
	pairs := make([][2]resp.Value, 0, len(items)/2)
	for i := 0; i+1 < len(items); i += 2 {
		pairs = append(pairs, [2]resp.Value{items[i], items[i+1]})
	}
	slices.SortFunc(pairs, func(a, b [2]resp.Value) int { return strings.Compare(a[0].Str, b[0].Str) })
	for i, p := range pairs {
		items[2*i], items[2*i+1] = p[0], p[1]
	}
}

// ztRandomCommand returns a random deterministic sorted set command.
func ztRandomCommand(r *rand.Rand) []string {
	keys := []string{"za", "zb", "zc", "s", "str"}
	key := func() string { return keys[r.IntN(len(keys))] }
	zkey := func() string { return keys[r.IntN(3)] }
	// Lex ranges are only well defined when all scores are equal (with
	// mixed scores a skiplist's answer depends on its random levels, in
	// Redis too), so they use "zl", whose scores are all 0.
	lexKey := func() string { return []string{"zl", "zl", "zl", "s", "str", "nokey"}[r.IntN(6)] }
	member := func() string {
		if r.IntN(10) == 0 {
			return strings.Repeat("long", 1+r.IntN(20))
		}
		return string([]byte{"abcdefg"[r.IntN(7)]}) + strconv.Itoa(r.IntN(3))
	}
	scores := []string{"0", "1", "-1", "2.5", "0.1", "1e17", "-inf", "+inf", "3", "10", "-0", "0x10", "1e-320", "123456789012345678"}
	score := func() string { return scores[r.IntN(len(scores))] }
	bound := func() string {
		b := score()
		switch r.IntN(5) {
		case 0:
			return "(" + b
		case 1:
			return []string{"x", "(", "nan", "[1"}[r.IntN(4)]
		}
		return b
	}
	lex := func() string {
		switch r.IntN(8) {
		case 0:
			return "-"
		case 1:
			return "+"
		case 2:
			return []string{"a", "", "+a"}[r.IntN(3)]
		}
		return "[("[r.IntN(2):][:1] + member()
	}
	idx := func() string { return strconv.Itoa(r.IntN(14) - 7) }
	opts := func(pool ...string) []string {
		var out []string
		for _, o := range pool {
			if r.IntN(3) == 0 {
				out = append(out, o)
			}
		}
		r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out
	}
	switch r.IntN(30) {
	case 0:
		a := append([]string{"ZADD", "zl"}, opts("NX", "XX", "CH")...)
		for n := 1 + r.IntN(4); n > 0; n-- {
			a = append(a, "0", member())
		}
		return a
	case 1, 2, 3, 4, 5:
		a := append([]string{"ZADD", zkey()}, opts("NX", "XX", "GT", "LT", "CH", "INCR")...)
		n := 1 + r.IntN(4)
		for i := 0; i < n; i++ {
			a = append(a, score(), member())
		}
		return a
	case 6:
		return []string{"ZINCRBY", zkey(), score(), member()}
	case 7:
		return []string{"ZREM", zkey(), member(), member()}
	case 8:
		return []string{"ZSCORE", key(), member()}
	case 9:
		return []string{"ZMSCORE", key(), member(), member()}
	case 10:
		return []string{[]string{"ZRANK", "ZREVRANK"}[r.IntN(2)], key(), member()}
	case 11:
		return []string{"ZCARD", key()}
	case 12:
		return []string{"ZCOUNT", key(), bound(), bound()}
	case 13:
		return []string{"ZLEXCOUNT", lexKey(), lex(), lex()}
	case 14, 15:
		a := []string{"ZRANGE", key()}
		switch r.IntN(3) {
		case 0:
			a = append(a, idx(), idx())
		case 1:
			a = append(a, bound(), bound(), "BYSCORE")
		default:
			a[1] = lexKey()
			a = append(a, lex(), lex(), "BYLEX")
		}
		a = append(a, opts("REV", "WITHSCORES")...)
		if r.IntN(3) == 0 {
			a = append(a, "LIMIT", strconv.Itoa(r.IntN(4)-1), strconv.Itoa(r.IntN(5)-1))
		}
		return a
	case 16:
		name := []string{"ZRANGEBYSCORE", "ZREVRANGEBYSCORE"}[r.IntN(2)]
		a := append([]string{name, key(), bound(), bound()}, opts("WITHSCORES")...)
		if r.IntN(2) == 0 {
			a = append(a, "LIMIT", strconv.Itoa(r.IntN(4)-1), strconv.Itoa(r.IntN(5)-1))
		}
		return a
	case 17:
		name := []string{"ZRANGEBYLEX", "ZREVRANGEBYLEX"}[r.IntN(2)]
		a := []string{name, lexKey(), lex(), lex()}
		if r.IntN(2) == 0 {
			a = append(a, "LIMIT", strconv.Itoa(r.IntN(4)-1), strconv.Itoa(r.IntN(5)-1))
		}
		return a
	case 18:
		return append([]string{"ZREVRANGE", key(), idx(), idx()}, opts("WITHSCORES")...)
	case 19:
		a := []string{"ZRANGESTORE", zkey(), key()}
		if r.IntN(2) == 0 {
			a = append(a, idx(), idx())
		} else {
			a = append(a, bound(), bound(), "BYSCORE")
		}
		return append(a, opts("REV")...)
	case 20:
		if r.IntN(3) == 0 {
			return []string{"ZREMRANGEBYLEX", lexKey(), lex(), lex()}
		}
		return []string{[]string{"ZREMRANGEBYRANK", "ZREMRANGEBYSCORE"}[r.IntN(2)], zkey(),
			[]string{idx(), bound()}[r.IntN(2)], []string{idx(), bound()}[r.IntN(2)]}
	case 21, 22:
		name := []string{"ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD"}[r.IntN(7)]
		a := []string{name}
		if strings.HasSuffix(name, "STORE") {
			a = append(a, zkey())
		}
		n := 1 + r.IntN(3)
		a = append(a, strconv.Itoa(n))
		for i := 0; i < n; i++ {
			a = append(a, key())
		}
		if r.IntN(2) == 0 {
			a = append(a, "WEIGHTS")
			for i := 0; i < n; i++ {
				a = append(a, []string{"1", "2", "-1", "0", "0.5", "inf"}[r.IntN(6)])
			}
		}
		if r.IntN(3) == 0 {
			a = append(a, "AGGREGATE", []string{"SUM", "MIN", "MAX"}[r.IntN(3)])
		}
		if r.IntN(3) == 0 {
			a = append(a, "WITHSCORES")
		}
		if r.IntN(4) == 0 {
			a = append(a, "LIMIT", strconv.Itoa(r.IntN(3)))
		}
		return a
	case 23:
		a := []string{[]string{"ZPOPMIN", "ZPOPMAX"}[r.IntN(2)], key()}
		if r.IntN(2) == 0 {
			a = append(a, strconv.Itoa(r.IntN(4)))
		}
		return a
	case 24:
		a := []string{"ZMPOP", "2", key(), key(), []string{"MIN", "MAX"}[r.IntN(2)]}
		if r.IntN(2) == 0 {
			a = append(a, "COUNT", strconv.Itoa(1+r.IntN(3)))
		}
		return a
	case 25:
		return []string{"BZPOPMIN", key(), zkey(), "0.01"}
	case 26:
		// Deterministic ZRANDMEMBER: whole-set reply or a missing key.
		return []string{"ZRANDMEMBER", zkey(), "1000", "WITHSCORES"}
	case 27:
		if r.IntN(2) == 0 {
			a := []string{"ZSCAN", key(), "0", "COUNT", "1000"}
			if r.IntN(3) == 0 {
				a = append(a, "MATCH", []string{"a*", "*1", "long*", "[bc]?"}[r.IntN(4)])
			}
			return a
		}
		return []string{"OBJECT", "ENCODING", zkey()}
	case 28:
		switch r.IntN(4) {
		case 0:
			return []string{"CONFIG", "SET", "zset-max-listpack-entries", []string{"0", "1", "3", "128"}[r.IntN(4)]}
		case 1:
			return []string{"CONFIG", "SET", "zset-max-listpack-value", []string{"0", "2", "64"}[r.IntN(3)]}
		case 2:
			return []string{"SADD", "s", member(), "1", "2"}
		}
		return []string{"SET", "str", "v"}
	}
	if r.IntN(2) == 0 {
		return []string{"HELLO", []string{"2", "3"}[r.IntN(2)]}
	}
	return []string{"DEL", zkey()}
}
