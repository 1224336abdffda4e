package command_test

import (
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

func TestMultiExec(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		r.Send("MULTI\r\nSET a 1\r\nINCR a\r\nGET a\r\nEXEC\r\n")
		for _, want := range []string{"+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "*3\r\n", "+OK\r\n", ":2\r\n", "$1\r\n", "2\r\n"} {
			if got := r.ReadLine(); got != want {
				t.Fatalf("got %q want %q", got, want)
			}
		}
		// A rejected command aborts the whole transaction.
		r.Send("MULTI\r\nSET b 1\r\nNOSUCH\r\nEXEC\r\nEXISTS b\r\n")
		for _, want := range []string{"+OK\r\n", "+QUEUED\r\n",
			"-ERR unknown command 'NOSUCH', with args beginning with: \r\n",
			"-EXECABORT Transaction discarded because of previous errors.\r\n", ":0\r\n"} {
			if got := r.ReadLine(); got != want {
				t.Fatalf("got %q want %q", got, want)
			}
		}
		// Runtime errors do not abort: the other commands run.
		r.Send("MULTI\r\nSET c x\r\nINCR c\r\nSET d 1\r\nEXEC\r\n")
		for _, want := range []string{"+OK\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "+QUEUED\r\n", "*3\r\n", "+OK\r\n",
			"-ERR value is not an integer or out of range\r\n", "+OK\r\n"} {
			if got := r.ReadLine(); got != want {
				t.Fatalf("got %q want %q", got, want)
			}
		}
		for _, tc := range []struct{ cmd, want string }{
			{"EXEC\r\n", "-ERR EXEC without MULTI\r\n"},
			{"DISCARD\r\n", "-ERR DISCARD without MULTI\r\n"},
		} {
			r.Send(tc.cmd)
			if got := r.ReadLine(); got != tc.want {
				t.Fatalf("%q: got %q want %q", tc.cmd, got, tc.want)
			}
		}
		r.Send("MULTI\r\nMULTI\r\nWATCH x\r\nDISCARD\r\n")
		for _, want := range []string{"+OK\r\n", "-ERR MULTI calls can not be nested\r\n", "-ERR WATCH inside MULTI is not allowed\r\n", "+OK\r\n"} {
			if got := r.ReadLine(); got != want {
				t.Fatalf("got %q want %q", got, want)
			}
		}
	})
}

func TestWatch(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		a, b := s.Raw(), s.Raw()
		// Modified by another client: EXEC fails with a null array.
		a.Do("SET", "k", "1")
		a.Do("WATCH", "k")
		b.Do("SET", "k", "2")
		a.Do("MULTI")
		a.Do("SET", "k", "3")
		a.Send("EXEC\r\n")
		if got := a.ReadLine(); got != "*-1\r\n" {
			t.Fatalf("EXEC after touched watch: %q", got)
		}
		if got := b.Do("GET", "k"); got.Str != "2" {
			t.Fatalf("k = %q", got.Str)
		}
		// Untouched: EXEC runs.
		a.Do("WATCH", "k")
		a.Do("MULTI")
		a.Do("SET", "k", "4")
		if got := a.Do("EXEC"); len(got.Array) != 1 {
			t.Fatalf("EXEC: %+v", got)
		}
		// UNWATCH forgets; FLUSHALL and expiry invalidate.
		a.Do("WATCH", "k")
		a.Do("UNWATCH")
		b.Do("SET", "k", "5")
		a.Do("MULTI")
		a.Do("PING")
		if got := a.Do("EXEC"); len(got.Array) != 1 {
			t.Fatalf("EXEC after UNWATCH: %+v", got)
		}
		a.Do("WATCH", "k")
		b.Do("FLUSHALL")
		a.Do("MULTI")
		a.Do("PING")
		a.Send("EXEC\r\n")
		if got := a.ReadLine(); got != "*-1\r\n" {
			t.Fatalf("EXEC after FLUSHALL: %q", got)
		}
		a.Do("SET", "e", "1", "PX", "20")
		a.Do("WATCH", "e")
		a.Do("MULTI")
		a.Do("PING")
		time.Sleep(40 * time.Millisecond)
		if got := b.Do("EXISTS", "e"); got.Int != 0 {
			t.Fatalf("e not expired")
		}
		a.Send("EXEC\r\n")
		if got := a.ReadLine(); got != "*-1\r\n" {
			t.Fatalf("EXEC after expiry: %q", got)
		}
	})
}
