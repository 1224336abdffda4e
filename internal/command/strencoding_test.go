package command_test

import (
	"strings"
	"testing"
)

// TestStringEncodingAfterEdits checks OBJECT ENCODING of strings made or
// edited by commands other than SET, against redis-server 7.0.15: APPEND,
// SETRANGE, SETBIT, BITFIELD writes and BITOP leave Redis's "raw"
// encoding whatever the length; INCRBYFLOAT's result is never "int";
// INCR makes an "int" again; COPY keeps the encoding.
func TestStringEncodingAfterEdits(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		enc := func(key, want string) {
			t.Helper()
			c.expect(hllBulk(want), "OBJECT", "ENCODING", key)
		}
		c.raw("SET", "a", "1")
		c.raw("APPEND", "a", "2")
		enc("a", "raw")
		c.raw("SET", "p", "1")
		c.raw("APPEND", "p", "")
		enc("p", "raw")
		c.raw("APPEND", "b", "12") // a new key is encoded as SET would
		enc("b", "int")
		c.raw("APPEND", "q", "")
		enc("q", "embstr")

		c.raw("SETRANGE", "d", "0", "x")
		enc("d", "raw")
		c.raw("SET", "e", "12")
		c.raw("SETRANGE", "e", "0", "3")
		enc("e", "raw")
		c.raw("SET", "e2", "12")
		c.raw("SETRANGE", "e2", "0", "") // no edit, no copy
		enc("e2", "int")

		c.raw("SETBIT", "f", "1", "1")
		enc("f", "raw")
		c.raw("SET", "g", "0")
		c.raw("SETBIT", "g", "1", "0")
		enc("g", "raw")
		c.raw("BITFIELD", "k", "SET", "u8", "0", "1")
		enc("k", "raw")
		c.raw("SET", "k2", "1")
		c.raw("BITFIELD", "k2", "GET", "u8", "0") // read only: untouched
		enc("k2", "int")
		c.raw("BITOP", "OR", "l", "a", "b")
		enc("l", "raw")

		c.raw("INCRBYFLOAT", "h", "1")
		enc("h", "embstr")
		c.raw("SET", "s", "1")
		c.raw("SETBIT", "s", "0", "0")
		c.raw("INCRBYFLOAT", "s", "1")
		enc("s", "embstr")
		c.raw("INCRBYFLOAT", "j", "1e300")
		enc("j", "raw")

		c.raw("INCR", "a") // "12" raw → 13, a new int object
		enc("a", "int")
		c.raw("COPY", "d", "dd")
		enc("dd", "raw")
		c.raw("SET", "d", "x")
		enc("d", "embstr")
		c.raw("SET", "long", strings.Repeat("x", 45))
		enc("long", "raw")
	})
}
