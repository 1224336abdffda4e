package command_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestMemoryUsageCollections checks MEMORY USAGE of collections against
// the figures redis-server 7.0.15 (jemalloc, 64-bit) reports for the
// same commands: every encoding whose layout is deterministic (a skiplist's
// node levels are random, so only its bounds are checked).
func TestMemoryUsageCollections(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		do := func(args ...string) {
			t.Helper()
			if v := r.Do(args...); v.Type == '-' {
				t.Fatalf("%q: %s", args, v.Str)
			}
		}
		usage := func(args ...string) int64 {
			t.Helper()
			v := r.Do(append([]string{"MEMORY", "USAGE"}, args...)...)
			if v.Type != ':' {
				t.Fatalf("MEMORY USAGE %q = %v", args, v)
			}
			return v.Int
		}
		do("RPUSH", "l", "a", "b", "c")
		do("SADD", "si", "1", "2", "3")
		do("SADD", "bigint", "1", "70000", "5000000000")
		do("SADD", "sh", "a", "b", "c")
		do("ZADD", "zl", "1", "a", "2", "b")
		do("HSET", "hl", "a", "1", "b", "2")
		do("HSET", "hh", "a", "1", "b", strings.Repeat("v", 70))
		do("XADD", "st", "1-1", "f", "v")
		for i := 1; i <= 300; i++ {
			n := fmt.Sprint(i)
			do("RPUSH", "bl", "element-"+n)
			do("SADD", "bs", "member-"+n)
			do("ZADD", "bz", n, "member-"+n)
			do("HSET", "bh", "field-"+n, "value-"+n)
			do("XADD", "bst", "1-"+n, "f", n)
		}
		do("XGROUP", "CREATE", "bst", "g", "0")
		do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "10", "STREAMS", "bst", ">")
		do("CONFIG", "SET", "list-max-listpack-size", "4")
		do("RPUSH", "ll", "1", "2", "3", "4", "5", "6", "7", "8", "9")

		for _, c := range []struct {
			key  string
			want int64
		}{
			{"l", 144}, {"si", 64}, {"bigint", 80}, {"sh", 232}, {"zl", 80},
			{"hl", 80}, {"hh", 288}, {"st", 4728}, {"bl", 4224}, {"bs", 18248},
			{"bh", 7216}, {"bst", 14281}, {"ll", 256},
		} {
			if got := usage(c.key); got != c.want {
				t.Errorf("MEMORY USAGE %s = %d, want %d", c.key, got, c.want)
			}
			if got := usage(c.key, "SAMPLES", "0"); got != c.want {
				t.Errorf("MEMORY USAGE %s SAMPLES 0 = %d, want %d", c.key, got, c.want)
			}
		}
		// SAMPLES 1 scales the first stream listpack to the others.
		if got := usage("bst", "SAMPLES", "1"); got != 14025 {
			t.Errorf("MEMORY USAGE bst SAMPLES 1 = %d, want 14025", got)
		}
		// A skiplist: the structures, 300 members' sds and dict entries,
		// nodes of one level at least, 32 at most.
		if got := usage("bz", "SAMPLES", "0"); got < 33000 || got > 40000 {
			t.Errorf("MEMORY USAGE bz SAMPLES 0 = %d, want about 34800", got)
		}
	})
}
