package command_test

import (
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestLongReplyOverOutputLimit checks that KEYS and the random-element
// commands with a large negative count close a client whose hard output
// buffer limit the reply passes, sending none of it, as redis-server
// 7.0.15 does, and that other clients are served meanwhile.
func TestLongReplyOverOutputLimit(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		admin := s.Raw()
		if v := admin.Do("DEBUG", "POPULATE", "20000"); v.Str != "OK" {
			t.Fatalf("DEBUG POPULATE: %v", v)
		}
		admin.Do("HSET", "h", "a", "1", "b", "2")
		admin.Do("SADD", "s", "a", "b")
		admin.Do("ZADD", "z", "1", "a", "2", "b")
		if v := admin.Do("CONFIG", "SET", "client-output-buffer-limit", "normal 100000 0 0"); v.Str != "OK" {
			t.Fatalf("CONFIG SET: %v", v)
		}
		for _, cmd := range [][]string{
			{"KEYS", "*"},
			{"KEYS", "key:*"},
			{"HRANDFIELD", "h", "-100000"},
			{"HRANDFIELD", "h", "-100000", "WITHVALUES"},
			{"SRANDMEMBER", "s", "-100000"},
			{"ZRANDMEMBER", "z", "-100000"},
			{"ZRANDMEMBER", "z", "-100000", "WITHSCORES"},
		} {
			r := s.Raw()
			r.Send(servertest.Encode(cmd...))
			r.ExpectClosed(5 * time.Second)
			if v := admin.Do("PING"); v.Str != "PONG" {
				t.Fatalf("after %q: PING = %v", cmd, v)
			}
		}
		// Short replies are not affected.
		r := s.Raw()
		if v := r.Do("KEYS", "key:1"); len(v.Array) != 1 {
			t.Fatalf("KEYS key:1 = %v", v)
		}
		if v := r.Do("ZRANDMEMBER", "z", "-10"); len(v.Array) != 10 {
			t.Fatalf("ZRANDMEMBER z -10 = %v", v)
		}
	}, "--enable-debug-command", "yes")
}
