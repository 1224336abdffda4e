package command_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// SORT and SORT_RO, against each mode and (with SETS_ORACLE) redis-server.

// seList renders the expected array of bulk strings for space separated
// elements.
func seList(elems string) string {
	f := strings.Fields(elems)
	for i, x := range f {
		switch x {
		case "nil":
			f[i] = "$(nil)"
		case "''":
			f[i] = "$"
		default:
			f[i] = "$" + x
		}
	}
	return "[" + strings.Join(f, " ") + "]"
}

func TestSortBasics(t *testing.T) {
	seRun(t, func(e *seEnv) {
		e.do("RPUSH", "l", "3", "1", "2", "10", "-5", "1.5")
		e.expect(seList("-5 1 1.5 2 3 10"), "SORT", "l")
		e.expect(seList("10 3 2 1.5 1 -5"), "SORT", "l", "DESC")
		e.expect(seList("-5 1 1.5 10 2 3"), "SORT", "l", "ALPHA")
		e.expect(seList("3 2 10 1.5 1 -5"), "SORT", "l", "alpha", "desc")
		e.expect(seList("1 1.5 2"), "SORT", "l", "LIMIT", "1", "3")
		e.expect(seList("1 1.5 2 3 10"), "SORT", "l", "LIMIT", "1", "-1")
		e.expect(seList("-5 1"), "SORT", "l", "LIMIT", "-5", "2")
		e.expect("[]", "SORT", "l", "LIMIT", "10", "2")
		e.expect("[]", "SORT", "l", "LIMIT", "0", "0")
		e.expect(seList("10"), "SORT", "l", "LIMIT", "5", "9223372036854775807")
		e.expect(seList("2 3 10"), "SORT", "l", "LIMIT", "3", "100", "DESC", "ASC")
		e.expect("[]", "SORT", "nokey")
		e.expect("[]", "SORT", "nokey", "BY", "nosort", "LIMIT", "1", "2")

		e.do("SADD", "s", "5", "3", "10", "1", "-2", "7")
		e.expect(seList("-2 1 3 5 7 10"), "SORT", "s")
		e.expect(seList("10 7 5 3 1 -2"), "SORT", "s", "DESC")
		e.expect(seList("-2 1 10 3 5 7"), "SORT", "s", "ALPHA")
		e.do("SADD", "w", "b", "a", "c", "aa", "A", "10", "2")
		e.expect(seList("10 2 A a aa b c"), "SORT", "w", "ALPHA")
		e.err("ERR One or more scores can't be converted into double", "SORT", "w")

		e.do("ZADD", "z", "1", "a", "5", "b", "2", "c", "10", "d", "3", "e")
		e.expect(seList("e d c b a"), "SORT", "z", "ALPHA", "DESC")
		e.err("ERR One or more scores can't be converted into double", "SORT", "z")

		// Floats (issue #19) and the numeric forms strtod accepts.
		e.do("RPUSH", "floats", "1.1", "5.10", "3.10", "7.44", "2.1", "5.75", "6.12", "0.25", "1.15")
		e.expect(seList("0.25 1.1 1.15 2.1 3.10 5.10 5.75 6.12 7.44"), "SORT", "floats")
		e.do("RPUSH", "forms", "0x10", "1e1", " 3", "", "-inf", "+Infinity", "5\x00junk")
		e.expect("[$-inf $ $ 3 $5\x00junk $1e1 $0x10 $+Infinity]", "SORT", "forms")

		// Errors.
		e.do("SET", "str", "x")
		e.do("HSET", "h", "f", "v")
		e.wrongType("SORT", "str")
		e.wrongType("SORT", "h")
		e.wrongType("SORT_RO", "h", "BY", "nosort")
		e.err("ERR syntax error", "SORT", "l", "foo")
		e.err("ERR syntax error", "SORT", "str", "foo") // options first
		e.err("ERR syntax error", "SORT", "l", "LIMIT", "1")
		e.err("ERR syntax error", "SORT", "l", "STORE")
		e.err("ERR syntax error", "SORT", "l", "BY")
		e.err("ERR syntax error", "SORT", "l", "GET")
		e.err("ERR syntax error", "SORT_RO", "l", "STORE", "x")
		e.err("ERR value is not an integer or out of range", "SORT", "l", "LIMIT", "a", "1")
		e.err("ERR value is not an integer or out of range", "SORT", "l", "LIMIT", "0", "1.5")
		e.err("ERR wrong number of arguments for 'sort' command", "SORT")
		e.err("ERR wrong number of arguments for 'sort_ro' command", "SORT_RO")
		e.do("SADD", "bad", "1", "2", "3", "4", "not-a-double")
		e.err("ERR One or more scores can't be converted into double", "SORT", "bad")
		e.err("ERR One or more scores can't be converted into double", "SORT", "bad", "STORE", "bs")
		e.int(0, "EXISTS", "bs")
	})
}

func TestSortByGet(t *testing.T) {
	seRun(t, func(e *seEnv) {
		e.do("RPUSH", "tosort", "1", "2", "3", "4")
		e.do("MSET", "weight_1", "40", "weight_2", "10", "weight_3", "30", "weight_4", "20")
		for i, w := range []string{"40", "10", "30", "20"} {
			e.do("HSET", "wobj_"+strconv.Itoa(i+1), "weight", w)
		}
		e.expect(seList("2 4 3 1"), "SORT", "tosort", "BY", "weight_*")
		e.expect(seList("1 3 4 2"), "SORT", "tosort", "BY", "weight_*", "DESC")
		e.expect(seList("4 3"), "SORT", "tosort", "BY", "weight_*", "LIMIT", "1", "2")
		e.expect(seList("2 4 3 1"), "SORT", "tosort", "BY", "wobj_*->weight")
		e.expect(seList("1 2 3 4"), "SORT", "tosort", "GET", "#")
		e.expect(seList("nil nil nil nil"), "SORT", "tosort", "GET", "foo")
		e.expect(seList("2 10 4 20 3 30 1 40"), "SORT", "tosort", "BY", "weight_*", "GET", "#", "GET", "weight_*")
		e.expect(seList("10 10 20 20"), "SORT", "tosort", "BY", "weight_*", "GET", "wobj_*->weight", "GET", "weight_*", "LIMIT", "0", "2")
		e.expect(seList("nil nil nil nil"), "SORT", "tosort", "GET", "wobj_*->nofield")
		e.expect(seList("nil nil nil nil"), "SORT", "tosort", "GET", "weight_*->weight") // not a hash
		e.expect(seList("nil nil nil nil"), "SORT", "tosort", "GET", "wobj_*")           // not a string

		// Missing BY keys weigh 0; equal weights sort by the elements.
		e.do("DEL", "weight_3")
		e.expect(seList("3 2 4 1"), "SORT", "tosort", "BY", "weight_*")
		e.do("SADD", "myset", "a", "b", "c", "d", "e", "f", "g", "h", "i", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "z", "aa", "aaa", "azz")
		e.expect(seList("a aa aaa azz b c d e f g h i l m n o p q r s t u v z"), "SORT", "myset", "BY", "score:*")
		// BY with ALPHA compares the BY values; missing ones first.
		e.do("MSET", "aw_1", "b", "aw_2", "a", "aw_4", "c")
		e.expect(seList("3 2 1 4"), "SORT", "tosort", "BY", "aw_*", "ALPHA")
		e.expect(seList("4 1 2 3"), "SORT", "tosort", "BY", "aw_*", "ALPHA", "DESC")
		e.expect(":4", "SORT", "tosort", "BY", "aw_*", "ALPHA", "STORE", "dst")
		e.expect(seList("3 2 1 4"), "LRANGE", "dst", "0", "-1")
		e.err("ERR One or more scores can't be converted into double", "SORT", "tosort", "BY", "aw_*")

		// A pattern ending in "->" names a plain key.
		e.do("DEL", "mylist")
		e.do("RPUSH", "mylist", "a")
		e.do("SET", "x:a->", "100")
		e.expect(seList("100"), "SORT", "mylist", "BY", "num", "GET", "x:*->")
		e.expect(seList("100"), "SORT_RO", "mylist", "BY", "nosort", "GET", "x:*->")
		e.do("HSET", "x:a", "f->g", "hv")
		e.expect(seList("hv"), "SORT_RO", "mylist", "BY", "nosort", "GET", "x:*->f->g")
		e.do("SET", "pre-a-post", "v1")
		e.expect(seList("v1"), "SORT_RO", "mylist", "BY", "nosort", "GET", "pre-*-post")
		e.expect(seList("a"), "SORT_RO", "mylist", "BY", "nosort", "GET", "#")
		e.expect(seList("nil"), "SORT_RO", "mylist", "BY", "nosort", "GET", "##")
		e.expect(seList("nil"), "SORT_RO", "mylist", "BY", "nosort", "GET", "x:a") // no '*'

		// BY with a constant (no '*') keeps the native order.
		e.do("DEL", "testa")
		e.do("LPUSH", "testa", "2", "1", "4", "3", "5")
		e.expect(seList("5 3 4 1 2"), "SORT", "testa", "BY", "nosort")
		e.expect(seList("2 1 4 3 5"), "SORT", "testa", "BY", "nosort", "DESC")
		e.expect(seList("3 4"), "SORT", "testa", "BY", "nosort", "LIMIT", "1", "2")
		e.expect(seList("1 4"), "SORT", "testa", "BY", "nosort", "LIMIT", "1", "2", "DESC")
		e.expect(seList("5"), "SORT", "testa", "BY", "nosort", "LIMIT", "4", "2", "DESC")
		e.expect("[]", "SORT", "testa", "BY", "nosort", "LIMIT", "5", "2")
		e.expect(seList("5 3 4 1 2"), "SORT", "testa", "BY", "nosort", "LIMIT", "-10", "100")
		e.expect(seList("5 3 4 1 2"), "SORT", "testa", "BY", "weight_*", "BY", "nosort") // a constant BY sticks
		e.do("ZADD", "zset", "1", "a", "5", "b", "2", "c", "10", "d", "3", "e")
		e.expect(seList("a c e b d"), "SORT", "zset", "BY", "nosort", "ASC")
		e.expect(seList("d b e c a"), "SORT", "zset", "BY", "nosort", "DESC")
		e.expect(seList("a"), "SORT", "zset", "BY", "nosort", "LIMIT", "0", "1")
		e.expect(seList("d b"), "SORT", "zset", "BY", "nosort", "DESC", "LIMIT", "0", "2")
		e.expect(seList("b e c"), "SORT", "zset", "BY", "nosort", "DESC", "LIMIT", "1", "3")
		e.expect(seList("a"), "SORT", "zset", "BY", "nosort", "DESC", "LIMIT", "4", "10")
		e.expect("[]", "SORT", "zset", "BY", "nosort", "LIMIT", "5", "10")
		e.expect(seList("a c e b d"), "SORT", "zset", "BY", "nosort", "LIMIT", "-10", "100")
	})
}

func TestSortStore(t *testing.T) {
	seRun(t, func(e *seEnv) {
		e.do("RPUSH", "l", "3", "1", "2")
		e.int(3, "SORT", "l", "STORE", "dst")
		e.expect(seList("1 2 3"), "LRANGE", "dst", "0", "-1")
		e.encoding("dst", "quicklist")
		e.int(2, "SORT", "l", "LIMIT", "0", "2", "STORE", "ignored", "STORE", "dst") // the last STORE wins
		e.expect(seList("1 2"), "LRANGE", "dst", "0", "-1")
		e.int(0, "EXISTS", "ignored")
		// STORE replaces any value and drops its TTL.
		e.do("SET", "dst", "x", "EX", "100")
		e.int(3, "SORT", "l", "DESC", "STORE", "dst")
		e.expect(seList("3 2 1"), "LRANGE", "dst", "0", "-1")
		e.int(-1, "TTL", "dst")
		// GET with STORE: a missing value is stored as "".
		e.do("SET", "v_1", "one")
		e.int(6, "SORT", "l", "GET", "#", "GET", "v_*", "STORE", "dst")
		e.expect(seList("1 one 2 '' 3 ''"), "LRANGE", "dst", "0", "-1")
		// The sorted key may be the destination.
		e.int(3, "SORT", "l", "STORE", "l")
		e.expect(seList("1 2 3"), "LRANGE", "l", "0", "-1")
		// An empty result stores nothing and deletes the destination.
		e.int(0, "SORT", "nokey", "STORE", "bar")
		e.int(0, "EXISTS", "bar")
		e.int(0, "SORT", "l", "ALPHA", "LIMIT", "10", "10", "STORE", "zap")
		e.int(0, "EXISTS", "zap")
		e.do("RPUSH", "foo", "bar")
		e.int(0, "SORT", "emptylist", "STORE", "foo")
		e.int(0, "EXISTS", "foo")
		// A set sorted BY a constant is still sorted (ALPHA) when stored.
		e.do("SADD", "myset", "a", "b", "c", "d", "e", "f", "g", "h", "i", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "z", "aa", "aaa", "azz")
		e.int(24, "SORT", "myset", "ALPHA", "BY", "_", "STORE", "mylist")
		e.expect(seList("a aa aaa azz b c d e f g h i l m n o p q r s t u v z"), "LRANGE", "mylist", "0", "-1")
		// Lists and sorted sets keep their order BY a constant with STORE.
		e.do("DEL", "testa")
		e.do("LPUSH", "testa", "2", "1", "4", "3", "5")
		e.int(5, "SORT", "testa", "BY", "nosort", "STORE", "testb")
		e.expect(seList("5 3 4 1 2"), "LRANGE", "testb", "0", "-1")
		e.int(3, "SORT", "testa", "BY", "nosort", "LIMIT", "0", "3", "STORE", "testb")
		e.expect(seList("5 3 4"), "LRANGE", "testb", "0", "-1")

		e.expect(seList("abc def"), "COMMAND", "GETKEYS", "SORT", "abc", "STORE", "def")
		e.expect(seList("abc def"), "COMMAND", "GETKEYS", "SORT", "abc", "STORE", "invalid", "STORE", "stillbad", "STORE", "def")
		e.expect(seList("abc"), "COMMAND", "GETKEYS", "SORT_RO", "abc")
		e.expect(seList("abc"), "COMMAND", "GETKEYS", "SORT", "abc", "GET", "STORE", "LIMIT", "STORE", "x")
		e.expect(seList("b c"), "COMMAND", "GETKEYS", "SINTERCARD", "2", "b", "c", "LIMIT", "1")
	})
}

// TestSortScoreRange checks the ERANGE rule of SORT's strtod: overflow and
// inexact tiny values are errors, exact subnormals are not. (Redis never
// clears errno before its strtod, so after one of these errors it may
// reject a valid weight once; these cases run last against the oracle.)
func TestSortScoreRange(t *testing.T) {
	seRun(t, func(e *seEnv) {
		for _, c := range []struct {
			v  string
			ok bool
		}{
			{"0x1p-1074", true}, {"2.2250738585072014e-308", true}, {"0e-500", true}, {"0x0p-5000", true},
			{"1e-310", false}, {"1e-400", false}, {"1e400", false}, {"2.2250738585072011e-308", false},
			{"5 ", false}, {" ", false}, {"nan", false}, {"1.5abc", false},
		} {
			e.do("DEL", "l")
			e.do("RPUSH", "l", c.v)
			got := e.do("SORT", "l")
			if c.ok != (got.Type == '*') {
				t.Errorf("SORT of %q: %s", c.v, seFmt(got))
			}
		}
	})
}

func TestSortPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		e := seDial(t, s, s.Addr)
		e.do("RPUSH", "l", "2", "1")
		f := e.feed()
		e.do("SORT", "l")
		e.do("SORT_RO", "l")
		e.do("SORT", "nokey", "STORE", "d")
		e.int(2, "SORT", "l", "STORE", "d")
		e.int(0, "SORT", "nokey", "STORE", "d")
		got := f.take()
		want := []string{"SORT l STORE d", "SORT nokey STORE d"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("propagated %q, want %q", got, want)
		}
	})
}
