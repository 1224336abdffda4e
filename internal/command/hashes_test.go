package command_test

import (
	"bufio"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// The hash tests run against a fresh server in each mode and compare reply
// bytes exactly; the expected bytes were taken from redis-server 7.0.15.

// hsConn is a raw connection that returns each reply's exact bytes.
type hsConn struct {
	t  *testing.T
	s  *servertest.Server
	c  net.Conn
	rd *bufio.Reader
}

func hsDial(t *testing.T, s *servertest.Server) *hsConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &hsConn{t: t, s: s, c: c, rd: bufio.NewReader(c)}
}

// hsRun runs fn against a fresh server in each mode.
func hsRun(t *testing.T, fn func(c *hsConn), directives ...string) {
	t.Helper()
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		fn(hsDial(t, s))
	}, directives...)
}

// raw sends args and returns the exact bytes of the reply.
func (c *hsConn) raw(args ...string) string {
	c.t.Helper()
	_ = c.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.c.Write([]byte(servertest.Encode(args...))); err != nil {
		c.t.Fatalf("%q: write: %v", args, err)
	}
	var b strings.Builder
	if err := hsReadRaw(c.rd, &b); err != nil {
		c.t.Fatalf("%q: read: %v", args, err)
	}
	return b.String()
}

// hsReadRaw copies one complete RESP2/RESP3 reply from rd to b.
func hsReadRaw(rd *bufio.Reader, b *strings.Builder) error {
	s, err := resp.ReadRawReply(rd)
	b.WriteString(s)
	return err
}

// expect checks the exact reply bytes of a command.
func (c *hsConn) expect(want string, args ...string) {
	c.t.Helper()
	if got := c.raw(args...); got != want {
		c.t.Errorf("%q:\n got %q\nwant %q", args, got, want)
	}
}

// val sends args and parses the reply.
func (c *hsConn) val(args ...string) resp.Value {
	c.t.Helper()
	raw := c.raw(args...)
	v, err := resp.ReadReply(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		c.t.Fatalf("%q: parse %q: %v", args, raw, err)
	}
	return v
}

// strs returns the reply's elements as strings (flattening one level of
// nested arrays, as RESP3 HRANDFIELD WITHVALUES replies pairs).
func (c *hsConn) strs(args ...string) []string {
	c.t.Helper()
	v := c.val(args...)
	if v.Type == '-' {
		c.t.Fatalf("%q: %s", args, v.Str)
	}
	var out []string
	for _, e := range v.Array {
		if len(e.Array) > 0 {
			for _, x := range e.Array {
				out = append(out, x.Str)
			}
			continue
		}
		out = append(out, e.Str)
	}
	return out
}

func (c *hsConn) encoding(key, want string) {
	c.t.Helper()
	c.expect(fmt.Sprintf("$%d\r\n%s\r\n", len(want), want), "OBJECT", "ENCODING", key)
}

const (
	hsWrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	hsNotInt    = "-ERR value is not an integer or out of range\r\n"
	hsSyntax    = "-ERR syntax error\r\n"
)

func TestHashBasics(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect(":3\r\n", "HSET", "h", "a", "1", "b", "2", "c", "3")
		c.expect(":0\r\n", "HSET", "h", "a", "1", "b", "20")
		c.expect("+OK\r\n", "HMSET", "h", "d", "4")
		c.expect(":0\r\n", "HSETNX", "h", "a", "5")
		c.expect(":1\r\n", "HSETNX", "h", "z", "26")
		c.expect(":1\r\n", "HSETNX", "newh", "f", "v")
		c.expect("$1\r\n1\r\n", "HGET", "h", "a")
		c.expect("$-1\r\n", "HGET", "h", "nope")
		c.expect("$-1\r\n", "HGET", "nokey", "a")
		c.expect("*3\r\n$1\r\n1\r\n$-1\r\n$2\r\n20\r\n", "HMGET", "h", "a", "nope", "b")
		c.expect("*2\r\n$-1\r\n$-1\r\n", "HMGET", "nokey", "a", "b")
		// A listpack keeps insertion order, updates in place.
		c.expect("*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n20\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nz\r\n$2\r\n26\r\n", "HGETALL", "h")
		c.expect("*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\nz\r\n", "HKEYS", "h")
		c.expect("*5\r\n$1\r\n1\r\n$2\r\n20\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n26\r\n", "HVALS", "h")
		c.expect("*0\r\n", "HGETALL", "nokey")
		c.expect("*0\r\n", "HKEYS", "nokey")
		c.expect("*0\r\n", "HVALS", "nokey")
		c.expect(":5\r\n", "HLEN", "h")
		c.expect(":0\r\n", "HLEN", "nokey")
		c.expect(":2\r\n", "HSTRLEN", "h", "b")
		c.expect(":0\r\n", "HSTRLEN", "h", "nope")
		c.expect(":0\r\n", "HSTRLEN", "nokey", "a")
		c.expect(":1\r\n", "HEXISTS", "h", "a")
		c.expect(":0\r\n", "HEXISTS", "h", "nope")
		c.expect(":0\r\n", "HEXISTS", "nokey", "a")
		c.expect(":0\r\n", "HDEL", "h", "nope")
		c.expect(":2\r\n", "HDEL", "h", "a", "nope", "b")
		c.expect(":0\r\n", "HDEL", "nokey", "a")
		c.expect("*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nz\r\n$2\r\n26\r\n", "HGETALL", "h")
		c.expect("+hash\r\n", "TYPE", "h")
		c.encoding("h", "listpack")

		// The key goes with its last field.
		c.expect(":3\r\n", "HDEL", "h", "c", "d", "z", "c")
		c.expect(":0\r\n", "EXISTS", "h")

		// Empty field and value, binary data.
		c.expect(":1\r\n", "HSET", "e", "", "")
		c.expect("$0\r\n\r\n", "HGET", "e", "")
		c.expect(":0\r\n", "HSTRLEN", "e", "")
		c.expect(":1\r\n", "HSET", "e", "a\x00b", "\r\n\x00")
		c.expect("$3\r\n\r\n\x00\r\n", "HGET", "e", "a\x00b")
		c.expect(":0\r\n", "HEXISTS", "e", "a")
	})
}

func TestHashIncr(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect(":3\r\n", "HINCRBY", "h", "c", "3")
		c.expect(":13\r\n", "HINCRBY", "h", "c", "10")
		c.expect(":0\r\n", "HINCRBY", "h", "c", "-13")
		c.expect(hsNotInt, "HINCRBY", "h", "c", "x")
		c.expect(hsNotInt, "HINCRBY", "h", "c", "1.5")
		c.expect(":1\r\n", "HSET", "h", "s", "abc")
		c.expect("-ERR hash value is not an integer\r\n", "HINCRBY", "h", "s", "1")
		c.expect(":1\r\n", "HSET", "h", "sp", " 11")
		c.expect("-ERR hash value is not an integer\r\n", "HINCRBY", "h", "sp", "1")
		c.expect(":1\r\n", "HSET", "h", "big", "9223372036854775807")
		c.expect("-ERR increment or decrement would overflow\r\n", "HINCRBY", "h", "big", "1")
		c.expect(":9223372036854775806\r\n", "HINCRBY", "h", "big", "-1")
		c.expect(":1\r\n", "HSET", "h", "small", "-9223372036854775808")
		c.expect("-ERR increment or decrement would overflow\r\n", "HINCRBY", "h", "small", "-1")
		c.expect(":-9223372036854775808\r\n", "HINCRBY", "h", "small", "0")
		c.expect(":17179869185\r\n", "HINCRBY", "h", "n32", "17179869185")

		c.expect("$3\r\n1.5\r\n", "HINCRBYFLOAT", "h", "c", "1.5")
		c.expect("$6\r\n1001.5\r\n", "HINCRBYFLOAT", "h", "c", "1e3")
		c.expect("$2\r\n16\r\n", "HINCRBYFLOAT", "h", "hex", "0x10")
		c.expect("$4\r\n1.23\r\n", "HINCRBYFLOAT", "h", "f", "1.23")
		c.expect("$1\r\n2\r\n", "HINCRBYFLOAT", "h", "f", "0.77")
		c.expect("$3\r\n1.9\r\n", "HINCRBYFLOAT", "h", "f", "-0.1")
		c.expect("-ERR hash value is not a float\r\n", "HINCRBYFLOAT", "h", "s", "1")
		c.expect(":1\r\n", "HSET", "h", "nul", "1\x002")
		c.expect("-ERR hash value is not a float\r\n", "HINCRBYFLOAT", "h", "nul", "1")
		c.expect("-ERR value is not a valid float\r\n", "HINCRBYFLOAT", "h", "c", "abc")
		c.expect("-ERR value is not a valid float\r\n", "HINCRBYFLOAT", "h", "c", "nan")
		c.expect("-ERR value is NaN or Infinity\r\n", "HINCRBYFLOAT", "h", "c", "inf")
		c.expect("-ERR value is NaN or Infinity\r\n", "HINCRBYFLOAT", "h", "c", "-inf")
		c.expect(":1\r\n", "HSET", "h", "inff", "inf")
		c.expect("-ERR increment would produce NaN or Infinity\r\n", "HINCRBYFLOAT", "h", "inff", "1")
		// Errors never leave an empty key behind.
		c.expect("-ERR value is NaN or Infinity\r\n", "HINCRBYFLOAT", "hfoo", "f", "+inf")
		c.expect(hsNotInt, "HINCRBY", "hfoo", "f", "x")
		c.expect(":0\r\n", "EXISTS", "hfoo")
		c.expect("$1\r\n3\r\n", "HINCRBYFLOAT", "new", "f", "3")
		c.expect("$1\r\n3\r\n", "HGET", "new", "f")
	})
}

func TestHashErrors(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect("+OK\r\n", "SET", "str", "v")
		for _, args := range [][]string{
			{"HSET", "str", "a", "b"}, {"HSETNX", "str", "a", "b"}, {"HMSET", "str", "a", "b"},
			{"HGET", "str", "a"}, {"HMGET", "str", "a"}, {"HDEL", "str", "a"}, {"HLEN", "str"},
			{"HSTRLEN", "str", "a"}, {"HEXISTS", "str", "a"}, {"HKEYS", "str"}, {"HVALS", "str"},
			{"HGETALL", "str"}, {"HINCRBY", "str", "a", "1"}, {"HINCRBYFLOAT", "str", "a", "1"},
			{"HRANDFIELD", "str"}, {"HRANDFIELD", "str", "1"}, {"HRANDFIELD", "str", "0"},
			{"HRANDFIELD", "str", "-3", "WITHVALUES"}, {"HSCAN", "str", "0"}, {"HSCAN", "str", "0", "foo"},
		} {
			c.expect(hsWrongType, args...)
		}
		// Argument errors come before the type check.
		c.expect(hsNotInt, "HINCRBY", "str", "a", "x")
		c.expect("-ERR value is not a valid float\r\n", "HINCRBYFLOAT", "str", "a", "x")
		c.expect(hsNotInt, "HRANDFIELD", "str", "x")
		c.expect(hsSyntax, "HRANDFIELD", "str", "1", "foo")
		c.expect("-ERR invalid cursor\r\n", "HSCAN", "str", "x")

		for _, args := range [][]string{
			{"HSET", "h"}, {"HSET", "h", "a"}, {"HSET", "h", "a", "b", "c"},
			{"HMSET", "h", "a"}, {"HMSET", "h", "a", "b", "c"}, {"HSETNX", "h", "a"},
			{"HGET", "h"}, {"HMGET", "h"}, {"HDEL", "h"}, {"HLEN"}, {"HSTRLEN", "h"},
			{"HEXISTS", "h"}, {"HKEYS"}, {"HVALS", "h", "x"}, {"HGETALL"},
			{"HINCRBY", "h", "f"}, {"HINCRBYFLOAT", "h", "f"}, {"HRANDFIELD"}, {"HSCAN", "h"},
		} {
			name := strings.ToLower(args[0])
			c.expect("-ERR wrong number of arguments for '"+name+"' command\r\n", args...)
		}
		c.expect(":0\r\n", "EXISTS", "h")
	})
}

func TestHashRandfield(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect("$-1\r\n", "HRANDFIELD", "nokey")
		c.expect("*0\r\n", "HRANDFIELD", "nokey", "5")
		c.expect("*0\r\n", "HRANDFIELD", "nokey", "-5", "WITHVALUES")
		c.expect(":1\r\n", "HSET", "h1", "only", "1")
		c.expect("$4\r\nonly\r\n", "HRANDFIELD", "h1")
		c.expect("*0\r\n", "HRANDFIELD", "h1", "0")
		c.expect("*0\r\n", "HRANDFIELD", "h1", "0", "withvalues")
		c.expect("*3\r\n$4\r\nonly\r\n$4\r\nonly\r\n$4\r\nonly\r\n", "HRANDFIELD", "h1", "-3")
		c.expect("*6\r\n$4\r\nonly\r\n$1\r\n1\r\n$4\r\nonly\r\n$1\r\n1\r\n$4\r\nonly\r\n$1\r\n1\r\n", "HRANDFIELD", "h1", "-3", "withvalues")
		c.expect("*2\r\n$4\r\nonly\r\n$1\r\n1\r\n", "HRANDFIELD", "h1", "1", "WITHVALUES")
		c.expect("*2\r\n$4\r\nonly\r\n$1\r\n1\r\n", "HRANDFIELD", "h1", "2", "withvalues")
		c.expect("*2\r\n$4\r\nonly\r\n$1\r\n1\r\n", "HRANDFIELD", "h1", "2", "withvalues\x00junk")
		c.expect(hsSyntax, "HRANDFIELD", "h1", "1", "foo")
		c.expect(hsSyntax, "HRANDFIELD", "h1", "1", "withvalues", "x")
		c.expect(hsNotInt, "HRANDFIELD", "h1", "9223372036854775808")
		rangeErr := "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
		c.expect(rangeErr, "HRANDFIELD", "h1", "-9223372036854775808")
		c.expect(rangeErr, "HRANDFIELD", "h1", "-9223372036854775808", "withvalues")
		c.expect(rangeErr, "HRANDFIELD", "nokey", "-9223372036854775808")
		c.expect("-ERR value is out of range\r\n", "HRANDFIELD", "h1", "-9223372036854770000", "withvalues")
		c.expect("-ERR value is out of range\r\n", "HRANDFIELD", "h1", "4611686018427387904", "withvalues")
		c.expect("-ERR value is out of range\r\n", "HRANDFIELD", "h1", "-4611686018427387904", "withvalues")
		c.expect("*2\r\n$4\r\nonly\r\n$1\r\n1\r\n", "HRANDFIELD", "h1", "4611686018427387903", "withvalues")

		for _, enc := range []string{"listpack", "hashtable"} {
			key := "h-" + enc
			want := map[string]string{}
			args := []string{"HSET", key}
			for i := range 10 {
				f, v := fmt.Sprintf("f%d", i), fmt.Sprintf("v%d", i)
				want[f] = v
				args = append(args, f, v)
			}
			if enc == "hashtable" {
				args = append(args, strings.Repeat("x", 70), "big")
				want[strings.Repeat("x", 70)] = "big"
			}
			c.raw(args...)
			c.encoding(key, enc)
			n := len(want)

			// Negative counts repeat fields.
			if got := c.strs("HRANDFIELD", key, "-1001"); len(got) != 1001 {
				t.Fatalf("%s: -1001 gave %d", enc, len(got))
			}
			got := c.strs("HRANDFIELD", key, "-20", "WITHVALUES")
			if len(got) != 40 {
				t.Fatalf("%s: -20 WITHVALUES gave %d", enc, len(got))
			}
			for i := 0; i < len(got); i += 2 {
				if want[got[i]] != got[i+1] {
					t.Fatalf("%s: pair %q %q", enc, got[i], got[i+1])
				}
			}
			// Positive counts: distinct fields, all of them at most.
			for _, count := range []int{1, 2, 5, 9, 10, 11, 20} {
				got := c.strs("HRANDFIELD", key, strconv.Itoa(count), "WITHVALUES")
				if len(got) != 2*min(count, n) {
					t.Fatalf("%s: count %d gave %d", enc, count, len(got))
				}
				seen := map[string]bool{}
				for i := 0; i < len(got); i += 2 {
					if seen[got[i]] || want[got[i]] != got[i+1] {
						t.Fatalf("%s: count %d: bad or repeated %q", enc, count, got[i])
					}
					seen[got[i]] = true
				}
			}
			// Every field eventually comes out.
			seen := map[string]bool{}
			for i := 0; i < 200 && len(seen) < n; i++ {
				for _, f := range c.strs("HRANDFIELD", key, "2") {
					seen[f] = true
				}
			}
			if len(seen) != n {
				t.Fatalf("%s: saw %d of %d fields", enc, len(seen), n)
			}
		}

		// RESP3: WITHVALUES replies [field, value] pairs.
		c.raw("HELLO", "3")
		c.expect("*1\r\n*2\r\n$4\r\nonly\r\n$1\r\n1\r\n", "HRANDFIELD", "h1", "1", "withvalues")
		c.expect("*2\r\n*2\r\n$4\r\nonly\r\n$1\r\n1\r\n*2\r\n$4\r\nonly\r\n$1\r\n1\r\n", "HRANDFIELD", "h1", "-2", "withvalues")
		c.expect("*1\r\n$4\r\nonly\r\n", "HRANDFIELD", "h1", "5")
		c.expect("_\r\n", "HRANDFIELD", "nokey")
		c.expect("*0\r\n", "HRANDFIELD", "nokey", "3", "withvalues")
		v := c.val("HRANDFIELD", "h-listpack", "3", "WITHVALUES")
		if len(v.Array) != 3 || len(v.Array[1].Array) != 2 {
			t.Fatalf("RESP3 WITHVALUES shape: %s", v)
		}
	})
}

func TestHashRESP3(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.raw("HELLO", "3")
		c.expect(":2\r\n", "HSET", "h", "a", "1", "b", "2")
		c.expect("%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "HGETALL", "h")
		c.expect("%0\r\n", "HGETALL", "nokey")
		c.expect("*0\r\n", "HKEYS", "nokey")
		c.expect("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "HVALS", "h")
		c.expect("_\r\n", "HGET", "nokey", "a")
		c.expect("*2\r\n_\r\n$1\r\n1\r\n", "HMGET", "h", "x", "a")
		c.expect("*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "HSCAN", "h", "0")
		c.expect("*2\r\n$1\r\n0\r\n*0\r\n", "HSCAN", "nokey", "0")
	})
}

func TestHashEncoding(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect(":1\r\n", "HSET", "h", "f", strings.Repeat("v", 64))
		c.encoding("h", "listpack")
		c.expect(":1\r\n", "HSET", "h", strings.Repeat("f", 65), "v")
		c.encoding("h", "hashtable")
		c.expect(":2\r\n", "HDEL", "h", "f", strings.Repeat("f", 65))
		c.expect(":0\r\n", "EXISTS", "h")

		args := []string{"HSET", "n"}
		for i := range 512 {
			args = append(args, strconv.Itoa(i), "v")
		}
		c.expect(":512\r\n", args...)
		c.encoding("n", "listpack")
		c.expect(":1\r\n", "HSET", "n", "512", "v")
		c.encoding("n", "hashtable")
		// Never back, however small it gets.
		c.expect(":1\r\n", "HDEL", "n", "512")
		c.encoding("n", "hashtable")
		// COPY keeps the encoding.
		c.expect(":1\r\n", "COPY", "n", "n2")
		c.encoding("n2", "hashtable")
		c.expect(":512\r\n", "HLEN", "n2")
		c.expect(":1\r\n", "HSET", "small", "a", "b")
		c.expect(":1\r\n", "COPY", "small", "small2")
		c.encoding("small2", "listpack")
		c.expect(":1\r\n", "HSET", "small2", "c", "d")
		c.expect(":1\r\n", "HLEN", "small")

		// The thresholds are read at every write.
		c.expect("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-value", "8")
		c.expect(":1\r\n", "HSET", "smallhash", "tmp", "0")
		c.expect(":1\r\n", "HSET", "bighash", "tmp", "0")
		c.expect("$8\r\n0.000005\r\n", "HINCRBYFLOAT", "smallhash", "tmp", "0.000005")
		c.expect("$9\r\n0.0000005\r\n", "HINCRBYFLOAT", "bighash", "tmp", "0.0000005")
		c.encoding("smallhash", "listpack")
		c.encoding("bighash", "hashtable")
		c.expect("$1\r\n1\r\n", "HINCRBYFLOAT", "f8", "abcdefgh", "1")
		c.expect("$1\r\n1\r\n", "HINCRBYFLOAT", "f9", "abcdefghi", "1")
		c.encoding("f8", "listpack")
		c.encoding("f9", "hashtable")
		c.expect(":1\r\n", "HINCRBY", "i9", "abcdefghi", "1")
		c.encoding("i9", "hashtable")
		c.expect("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-entries", "0")
		c.expect(":1\r\n", "HSETNX", "z", "a", "b")
		c.encoding("z", "hashtable")
		c.expect("+OK\r\n", "CONFIG", "SET", "hash-max-ziplist-entries", "2")
		c.expect(":2\r\n", "HSET", "two", "a", "1", "b", "2")
		c.encoding("two", "listpack")
		c.expect("+OK\r\n", "HMSET", "two", "c", "3")
		c.encoding("two", "hashtable")
	})
}

func TestHashScan(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect(":3\r\n", "HSET", "h", "a", "1", "b", "2", "c", "3")
		all := "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"
		// A listpack ignores the cursor and COUNT.
		c.expect(all, "HSCAN", "h", "0")
		c.expect(all, "HSCAN", "h", "123", "COUNT", "1")
		c.expect(all, "HSCAN", "h", "-1")
		c.expect(all, "HSCAN", "h", "18446744073709551615")
		c.expect("*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", "HSCAN", "h", "0", "MATCH", "b*")
		c.expect(all, "HSCAN", "h", "0", "match", "*")
		c.expect(hsSyntax, "HSCAN", "h", "0", "COUNT", "0")
		c.expect(hsSyntax, "HSCAN", "h", "0", "COUNT", "-1")
		c.expect(hsNotInt, "HSCAN", "h", "0", "COUNT", "x")
		c.expect(hsSyntax, "HSCAN", "h", "0", "MATCH")
		c.expect(hsSyntax, "HSCAN", "h", "0", "TYPE", "string")
		c.expect(hsSyntax, "HSCAN", "h", "0", "foo", "bar")
		c.expect("-ERR invalid cursor\r\n", "HSCAN", "h", "18446744073709551616")
		c.expect("-ERR invalid cursor\r\n", "HSCAN", "h", " 1")
		// A missing key is an empty scan, options unchecked.
		c.expect("*2\r\n$1\r\n0\r\n*0\r\n", "HSCAN", "nokey", "0", "COUNT", "0")
		c.expect("-ERR invalid cursor\r\n", "HSCAN", "nokey", "abc")

		// A hashtable: every field is returned over the iteration, COUNT
		// bounds each step, MATCH filters.
		const n = 1000
		args := []string{"HSET", "big"}
		for i := range n {
			args = append(args, fmt.Sprintf("field:%d", i), strconv.Itoa(i))
		}
		c.raw(args...)
		c.encoding("big", "hashtable")
		for _, count := range []string{"", "1", "7", "100", "9223372036854775807"} {
			seen := map[string]bool{}
			cursor, calls := "0", 0
			for {
				cmd := []string{"HSCAN", "big", cursor}
				if count != "" {
					cmd = append(cmd, "COUNT", count)
				}
				v := c.val(cmd...)
				calls++
				cursor = v.Array[0].Str
				items := v.Array[1].Array
				if len(items)%2 != 0 {
					t.Fatalf("odd item count %d", len(items))
				}
				for i := 0; i < len(items); i += 2 {
					f, val := items[i].Str, items[i+1].Str
					if "field:"+val != f {
						t.Fatalf("pair %q %q", f, val)
					}
					seen[f] = true
				}
				if cursor == "0" {
					break
				}
			}
			if len(seen) != n {
				t.Fatalf("COUNT %q: saw %d of %d", count, len(seen), n)
			}
			if count == "" && calls < 20 {
				t.Fatalf("default COUNT finished in %d calls", calls)
			}
		}
		var matched []string
		cursor := "0"
		for {
			v := c.val("HSCAN", "big", cursor, "MATCH", "field:1?", "COUNT", "50")
			cursor = v.Array[0].Str
			for i := 0; i < len(v.Array[1].Array); i += 2 {
				matched = append(matched, v.Array[1].Array[i].Str)
			}
			if cursor == "0" {
				break
			}
		}
		sort.Strings(matched)
		if len(matched) != 10 || matched[0] != "field:10" || matched[9] != "field:19" {
			t.Fatalf("MATCH field:1? gave %q", matched)
		}
	})
}

// hsFeed records the propagated command stream.
type hsFeed struct {
	mu   sync.Mutex
	cmds []string
}

func (f *hsFeed) Feed(db int, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	f.mu.Lock()
	f.cmds = append(f.cmds, strings.Join(parts, " "))
	f.mu.Unlock()
}

func (f *hsFeed) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.cmds
	f.cmds = nil
	return out
}

func TestHashPropagation(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		f := &hsFeed{}
		c.s.Srv.Lock()
		c.s.Srv.Core().AddFeed(f)
		c.s.Srv.Unlock()
		c.raw("HSET", "h", "a", "1")
		c.raw("HINCRBYFLOAT", "h", "a", "1.5")
		c.raw("HINCRBYFLOAT", "h", "x", "abc")   // error: nothing
		c.raw("HDEL", "h", "nope")               // no change: nothing
		c.raw("HSETNX", "h", "a", "2")           // no change: nothing
		c.raw("HINCRBYFLOAT", "h", "b", "3.0e3") // formatted as Redis does
		c.raw("HINCRBY", "h", "c", "5")
		c.raw("HDEL", "h", "a", "b", "c")
		got := f.take()
		want := []string{"HSET h a 1", "HSET h a 2.5", "HSET h b 3000", "HINCRBY h c 5", "HDEL h a b c"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("propagated %q, want %q", got, want)
		}
	})
}

func TestHashWatch(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		other := hsDial(t, c.s)
		c.raw("HSET", "h", "a", "1")
		// A change by another client aborts the transaction.
		c.expect("+OK\r\n", "WATCH", "h")
		other.raw("HSET", "h", "a", "2")
		c.expect("+OK\r\n", "MULTI")
		c.expect("+QUEUED\r\n", "HGET", "h", "a")
		c.expect("*-1\r\n", "EXEC")
		// A no-op (missing field) does not.
		c.expect("+OK\r\n", "WATCH", "h")
		other.raw("HDEL", "h", "nope")
		c.expect("+OK\r\n", "MULTI")
		c.expect("+QUEUED\r\n", "HGET", "h", "a")
		c.expect("*1\r\n$1\r\n2\r\n", "EXEC")
		// Deleting the last field touches the key.
		c.expect("+OK\r\n", "WATCH", "h")
		other.raw("HDEL", "h", "a")
		c.expect("+OK\r\n", "MULTI")
		c.expect("+QUEUED\r\n", "HLEN", "h")
		c.expect("*-1\r\n", "EXEC")
	})
}

func TestHashGoRedis(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		rc := s.Client()
		ctx := servertest.Ctx(t)
		if n, err := rc.HSet(ctx, "h", map[string]any{"a": "1", "b": "2"}).Result(); err != nil || n != 2 {
			t.Fatalf("HSet = %d %v", n, err)
		}
		m, err := rc.HGetAll(ctx, "h").Result()
		if err != nil || len(m) != 2 || m["a"] != "1" || m["b"] != "2" {
			t.Fatalf("HGetAll = %v %v", m, err)
		}
		if f, err := rc.HIncrByFloat(ctx, "h", "a", 0.5).Result(); err != nil || f != 1.5 {
			t.Fatalf("HIncrByFloat = %v %v", f, err)
		}
		// go-redis sends a map's fields in Go's random map order, so the
		// listpack order varies: compare sorted.
		if keys, err := rc.HKeys(ctx, "h").Result(); err != nil || strings.Join(sortedCopy(keys), ",") != "a,b" {
			t.Fatalf("HKeys = %v %v", keys, err)
		}
		if ok, err := rc.HExists(ctx, "h", "b").Result(); err != nil || !ok {
			t.Fatalf("HExists = %v %v", ok, err)
		}
		kv, err := rc.HRandFieldWithValues(ctx, "h", 5).Result()
		if err != nil || len(kv) != 2 {
			t.Fatalf("HRandFieldWithValues = %v %v", kv, err)
		}
	})
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}
