package command_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// SWAPDB as Redis's dbSwapDatabases: a WATCH is touched when the key
// exists in either database, not when it exists in neither; tracked keys
// are not invalidated (checked against redis-server 7.0.15).
func TestSwapDBWatchAndTracking(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		w, o := s.Raw(), s.Raw()
		expect := func(r *servertest.Raw, want string, args ...string) {
			t.Helper()
			if got := r.Do(args...); got.Str != want {
				t.Fatalf("%v: got %+v, want %q", args, got, want)
			}
		}
		expect(w, "OK", "SELECT", "2")
		expect(w, "OK", "WATCH", "nokey")
		expect(o, "OK", "SWAPDB", "2", "3")
		expect(w, "OK", "MULTI")
		expect(w, "QUEUED", "PING")
		if got := w.Do("EXEC"); len(got.Array) != 1 {
			t.Fatalf("EXEC after a swap of a key in neither db: %+v, want it to run", got)
		}
		expect(o, "OK", "SELECT", "3")
		expect(o, "OK", "SET", "w", "1")
		expect(w, "OK", "WATCH", "w")
		expect(o, "OK", "SWAPDB", "2", "3")
		expect(w, "OK", "MULTI")
		expect(w, "QUEUED", "PING")
		if got := w.Do("EXEC"); !got.Null {
			t.Fatalf("EXEC after the watched key came in by SWAPDB: %+v, want a null reply", got)
		}

		tr := s.Raw()
		tr.Do("HELLO", "3")
		expect(tr, "OK", "CLIENT", "TRACKING", "on")
		expect(o, "OK", "SELECT", "0")
		expect(o, "OK", "SET", "k", "1")
		expect(tr, "1", "GET", "k")
		expect(o, "OK", "SWAPDB", "0", "1")
		_ = tr.Conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if b, err := tr.R.Peek(1); err == nil {
			t.Fatalf("tracking client got %q after SWAPDB, want nothing", b)
		} else if ne := (net.Error)(nil); !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatal(err)
		}
		_ = tr.Conn.SetReadDeadline(time.Time{})
	})
}
