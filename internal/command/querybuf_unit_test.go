package command_test

import (
	"strings"
	"testing"
	"time"
)

// Reproductions of Redis's unit/querybuf: CLIENT LIST's qbuf and
// qbuf-free follow the query buffer's allocation, which the cron gives
// back when the client is idle and trims to the recent peak after a large
// request. In both modes and against SERVER_ORACLE.

// queryBufSize returns qbuf+qbuf-free of the client named name.
func queryBufSize(r *svConn, name string) int {
	q, f := clientField(r, name, "qbuf"), clientField(r, name, "qbuf-free")
	if q < 0 || f < 0 {
		return -1
	}
	return q + f
}

// "query buffer resized correctly"
func TestQueryBufResizedWhenIdle(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		namedClient(t, addr, "test_client")
		if n := queryBufSize(r, "test_client"); n < 16384 || n >= 32768 {
			t.Fatalf("query buffer %d after one command", n)
		}
		deadline := time.Now().Add(10 * time.Second)
		for clientField(r, "test_client", "idle") < 3 || queryBufSize(r, "test_client") != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("query buffer not resized: %q", clientLine(r, "test_client"))
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// "query buffer resized correctly when not idle"
func TestQueryBufResizedWhenNotIdle(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		rd := namedClient(t, addr, "test_client")
		rd.expect(okReply, "SET", "x", strings.Repeat("A", 400000))
		orig := queryBufSize(r, "test_client")
		if orig <= 32768 {
			t.Fatalf("query buffer %d after a 400 kB request", orig)
		}
		start := time.Now()
		for {
			rd.expect(okReply, "SET", "x", strings.Repeat("A", 100))
			if n := queryBufSize(r, "test_client"); n < orig || time.Since(start) > time.Second {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if n := queryBufSize(r, "test_client"); n <= 0 || n >= orig {
			t.Errorf("query buffer %d, was %d", n, orig)
		}
		r.do("DEL", "x")
	})
}
