package command_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// The HyperLogLog tests compare reply and value bytes with redis-server
// 7.0.15 for the same commands.

// hllABC is GET of an HLL after PFADD h a b c on redis-server 7.0.15
// (sparse, cached cardinality stale), and hllABCCounted after PFCOUNT h
// (cache 3 valid).
const (
	hllABC        = "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80`\xf3\x80P\xb1\x84K\xfb\x80BZ"
	hllABCCounted = "HYLL\x01\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00`\xf3\x80P\xb1\x84K\xfb\x80BZ"
)

func hllBulk(s string) string { return fmt.Sprintf("$%d\r\n%s\r\n", len(s), s) }

func TestPFAddValueBytes(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect(":1\r\n", "PFADD", "h", "a", "b", "c")
		c.expect(hllBulk(hllABC), "GET", "h")
		c.expect(":0\r\n", "PFADD", "h", "a", "b")
		c.expect(":3\r\n", "PFCOUNT", "h")
		c.expect(hllBulk(hllABCCounted), "GET", "h")
		c.expect("+sparse\r\n", "PFDEBUG", "ENCODING", "h")
		// Redis keeps an HLL in the raw string encoding, short as it is.
		c.expect(hllBulk("raw"), "OBJECT", "ENCODING", "h")
		c.expect(hllBulk("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603"), "PFDEBUG", "DECODE", "h")
		// PFADD with no element creates the key, once.
		c.expect(":1\r\n", "PFADD", "empty")
		c.expect(":0\r\n", "PFADD", "empty")
		c.expect(":0\r\n", "PFCOUNT", "empty")
		c.expect(":0\r\n", "PFCOUNT", "nokey")
		// A value moves through SET/GET like any string.
		c.expect("+OK\r\n", "SET", "copy", hllABC)
		c.expect(hllBulk("embstr"), "OBJECT", "ENCODING", "copy")
		c.expect(":3\r\n", "PFCOUNT", "copy")
		c.expect(hllBulk("raw"), "OBJECT", "ENCODING", "copy")
	})
}

func TestPFAddPromotesToDense(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		args := []string{"PFADD", "h"}
		for i := 0; i < 100; i++ {
			args = append(args, fmt.Sprintf("e%d", i))
		}
		c.expect(":1\r\n", args...)
		c.expect("+sparse\r\n", "PFDEBUG", "ENCODING", "h")
		c.expect("+OK\r\n", "CONFIG", "SET", "hll-sparse-max-bytes", "30")
		c.expect(":1\r\n", "PFADD", "h", "more")
		c.expect("+dense\r\n", "PFDEBUG", "ENCODING", "h")
		c.expect(":12304\r\n", "STRLEN", "h")
		c.expect("-ERR HLL encoding is not sparse\r\n", "PFDEBUG", "DECODE", "h")
		c.expect(":0\r\n", "PFDEBUG", "TODENSE", "h")
		c.expect(":1\r\n", "PFADD", "s", "x")
		c.expect(":1\r\n", "PFDEBUG", "TODENSE", "s")
		c.expect(":1\r\n", "PFCOUNT", "s")
		v := c.val("PFDEBUG", "GETREG", "s")
		if len(v.Array) != 16384 {
			t.Fatalf("getreg: %d registers", len(v.Array))
		}
		nonzero := 0
		for _, r := range v.Array {
			if r.Int != 0 {
				nonzero++
			}
		}
		if nonzero != 1 {
			t.Fatalf("getreg: %d non-zero registers, want 1", nonzero)
		}
	})
}

func TestPFCountMergeUnion(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		a := []string{"PFADD", "a"}
		b := []string{"PFADD", "b"}
		for i := 0; i < 1000; i++ {
			a = append(a, fmt.Sprintf("x%d", i))
			b = append(b, fmt.Sprintf("x%d", i+500))
		}
		c.expect(":1\r\n", a...)
		c.expect(":1\r\n", b...)
		union := c.val("PFCOUNT", "a", "b", "missing").Int
		if union < 1450 || union > 1550 {
			t.Fatalf("union count %d, want about 1500", union)
		}
		c.expect("+OK\r\n", "PFMERGE", "u", "a", "b")
		c.expect(fmt.Sprintf(":%d\r\n", union), "PFCOUNT", "u")
		c.expect("+OK\r\n", "PFMERGE", "nothing")
		c.expect(":0\r\n", "PFCOUNT", "nothing")
		c.expect("+OK\r\n", "PFSELFTEST")
	})
}

func TestPFErrors(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		c.expect("+OK\r\n", "SET", "str", "hello")
		c.expect(":1\r\n", "LPUSH", "list", "x")
		const notHLL = "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"
		const wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
		c.expect(notHLL, "PFADD", "str", "a")
		c.expect(notHLL, "PFCOUNT", "str")
		c.expect(notHLL, "PFCOUNT", "str", "nokey")
		c.expect(notHLL, "PFMERGE", "dst", "str")
		c.expect(wrongType, "PFADD", "list", "a")
		c.expect(wrongType, "PFCOUNT", "list", "str")
		c.expect(":0\r\n", "EXISTS", "dst")
		c.expect("-ERR The specified key does not exist\r\n", "PFDEBUG", "GETREG", "nokey")
		c.expect(":1\r\n", "PFADD", "h", "a")
		c.expect("-ERR Unknown PFDEBUG subcommand 'foo'\r\n", "PFDEBUG", "foo", "h")
		c.expect("-ERR wrong number of arguments for 'pfdebug' command\r\n", "PFDEBUG", "getreg", "h", "x")
		// A dense value of the wrong length is not an HLL.
		c.expect(":1\r\n", "PFDEBUG", "TODENSE", "h")
		c.expect(":12305\r\n", "APPEND", "h", "x")
		c.expect(notHLL, "PFCOUNT", "h")
		// A sparse value whose runs do not add up is corrupt.
		c.expect("+OK\r\n", "SET", "bad", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xff\x7f\xff")
		c.expect("-INVALIDOBJ Corrupted HLL object detected\r\n", "PFCOUNT", "bad")
		c.expect("-INVALIDOBJ Corrupted HLL object detected\r\n", "PFCOUNT", "bad", "h2")
		c.expect("-INVALIDOBJ Corrupted HLL object detected\r\n", "PFMERGE", "bad2", "bad")
		if got := c.raw("PFDEBUG", "GETREG", "bad"); got != "-INVALIDOBJ Corrupted HLL object detected\r\n" {
			t.Fatalf("pfdebug getreg on corrupt value: %.100q", got)
		}
		v := c.raw("PFADD", "bad", "a", "b", "c", "d", "e")
		if v != "-INVALIDOBJ Corrupted HLL object detected\r\n" && v != ":1\r\n" {
			t.Fatalf("pfadd on corrupt value: %q", v)
		}
	})
}

func TestHLLGeoNotifications(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := s.Raw()
		c.Do("CONFIG", "SET", "notify-keyspace-events", "KEA")
		n := newNotifySub(t, s, false)
		steps := []struct {
			cmd  []string
			want []string
		}{
			{[]string{"PFADD", "h", "a"}, ev("pfadd h")},
			{[]string{"PFADD", "h", "a"}, nil},
			{[]string{"PFCOUNT", "h"}, nil},
			{[]string{"PFMERGE", "h2", "h"}, ev("pfadd h2")},
			{[]string{"GEOADD", "g", "1", "2", "m"}, ev("zadd g")},
			{[]string{"GEOADD", "g", "NX", "1", "2", "m"}, nil},
			{[]string{"GEORADIUS", "g", "1", "2", "10", "km", "STORE", "g2"}, ev("georadiusstore g2")},
			{[]string{"GEOSEARCHSTORE", "g3", "g", "FROMMEMBER", "m", "BYRADIUS", "10", "km"}, ev("geosearchstore g3")},
			{[]string{"GEOSEARCHSTORE", "g3", "g", "FROMLONLAT", "50", "50", "BYRADIUS", "10", "km"}, ev("del g3")},
		}
		for _, st := range steps {
			c.Do(st.cmd...)
			n.expect(strings.Join(st.cmd, " "), st.want...)
		}
	})
}

// TestHLLGeoPropagation checks what the AOF receives: PFADD and PFMERGE
// as typed, PFCOUNT when it refreshed the cached cardinality, GEOADD as
// the ZADD of its encoded scores, GEORADIUS STORE as typed.
func TestHLLGeoPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := s.Raw()
		cmds := [][]string{
			{"PFADD", "h", "a", "b"},
			{"PFADD", "h", "a"},
			{"PFCOUNT", "h"},
			{"PFCOUNT", "h"},
			{"PFMERGE", "h2", "h"},
			{"GEOADD", "g", "CH", "13.361389", "38.115556", "Palermo"},
			{"GEOADD", "g", "NX", "13.361389", "38.115556", "Palermo"},
			{"GEORADIUS", "g", "13", "38", "100", "km", "STORE", "g2"},
			{"GEORADIUS", "g", "13", "38", "100", "km"},
			{"SET", "end", "1"},
		}
		for _, cmd := range cmds {
			if v := c.Do(cmd...); v.Type == '-' {
				t.Fatalf("%v: %s", cmd, v.Str)
			}
		}
		dir := c.Do("CONFIG", "GET", "dir").Array[1].Str
		want := servertest.Encode("PFADD", "h", "a", "b") +
			servertest.Encode("PFCOUNT", "h") +
			servertest.Encode("PFMERGE", "h2", "h") +
			servertest.Encode("zadd", "g", "CH", "3479099956230698", "Palermo") +
			servertest.Encode("GEORADIUS", "g", "13", "38", "100", "km", "STORE", "g2") +
			servertest.Encode("SET", "end", "1")
		deadline := time.Now().Add(5 * time.Second)
		var got string
		for {
			files, _ := filepath.Glob(filepath.Join(dir, "appendonlydir", "*.incr.aof"))
			if len(files) == 1 {
				b, _ := os.ReadFile(files[0])
				got = string(b)
				if i := strings.Index(got, "*3\r\n$3\r\nSET\r\n$3\r\nend"); i >= 0 {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("AOF never got the commands: %q", got)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Skip the SELECT that opens the file.
		got = strings.TrimPrefix(got, servertest.Encode("SELECT", "0"))
		if got != want {
			t.Fatalf("AOF:\n got %q\nwant %q", got, want)
		}
	}, "--appendonly", "yes", "--appendfsync", "always")
}
