package command_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// lazyStats reads lazyfree_pending_objects and lazyfreed_objects from INFO
// once no object is pending any more.
func lazyStats(t *testing.T, c *svConn) (freed int64) {
	t.Helper()
	re := regexp.MustCompile(`lazyfree_pending_objects:(\d+)\r\n(?s:.*)lazyfreed_objects:(\d+)\r\n`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		m := re.FindStringSubmatch(c.do("INFO"))
		if m == nil {
			t.Fatal("INFO has no lazyfree_pending_objects/lazyfreed_objects")
		}
		if m[1] == "0" {
			n, _ := strconv.ParseInt(m[2], 10, 64)
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("lazyfree_pending_objects still %s after 5s", m[1])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLazyfreeCountsOnlyBigValues checks that UNLINK counts in
// lazyfreed_objects only the values Redis frees on its background thread:
// those whose free effort (hashtable/skiplist elements, quicklist nodes,
// stream tree nodes and groups) is over 64; smaller ones are freed at once.
// FLUSHDB ASYNC counts every key. Same figures as Redis 7.0 (lazyfree.c).
func TestLazyfreeCountsOnlyBigValues(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect("+OK\r\n", "CONFIG", "RESETSTAT")
		if n := lazyStats(t, c); n != 0 {
			t.Fatalf("after RESETSTAT lazyfreed_objects = %d", n)
		}
		// Small values of every type: effort at most 64.
		c.do("SET", "str", "v")
		c.do("RPUSH", "list", "a", "b")
		c.do("SADD", "intset", "1", "2")
		c.do("HSET", "smallhash", "f", "v")
		c.do("XADD", "s", "*", "a", "b")
		c.do("XGROUP", "CREATE", "s", "g", "$")
		c.expect(":5\r\n", "UNLINK", "str", "list", "intset", "smallhash", "s", "nokey")
		if n := lazyStats(t, c); n != 0 {
			t.Fatalf("UNLINK of small values: lazyfreed_objects = %d, want 0", n)
		}
		// A hashtable set of exactly 64 members is still freed at once;
		// 65 members go to the background.
		args64 := []string{"SADD", "set64"}
		for i := 0; i < 64; i++ {
			args64 = append(args64, fmt.Sprintf("m%d", i))
		}
		c.do(args64...)
		args65 := append(append([]string{"SADD", "set65"}, args64[2:]...), "m64")
		c.do(args65...)
		c.expect(":1\r\n", "UNLINK", "set64")
		if n := lazyStats(t, c); n != 0 {
			t.Fatalf("UNLINK of a 64-member set: lazyfreed_objects = %d, want 0", n)
		}
		c.expect(":1\r\n", "UNLINK", "set65")
		if n := lazyStats(t, c); n != 1 {
			t.Fatalf("UNLINK of a 65-member set: lazyfreed_objects = %d, want 1", n)
		}
		// DEL never frees in the background (lazyfree-lazy-user-del no).
		c.do(args65...)
		c.expect(":1\r\n", "DEL", "set65")
		if n := lazyStats(t, c); n != 1 {
			t.Fatalf("DEL: lazyfreed_objects = %d, want still 1", n)
		}
		// A stream of 100 entries in nodes of 1 entry: 100 macro nodes.
		c.expect("+OK\r\n", "CONFIG", "SET", "stream-node-max-entries", "1")
		for i := 0; i < 100; i++ {
			c.do("XADD", "bigstream", "*", "f", strconv.Itoa(i))
		}
		c.expect(":1\r\n", "UNLINK", "bigstream")
		if n := lazyStats(t, c); n != 2 {
			t.Fatalf("UNLINK of a 100-node stream: lazyfreed_objects = %d, want 2", n)
		}
		// FLUSHDB ASYNC counts every key, small or not.
		c.do("SET", "a", "1")
		c.do("SET", "b", "2")
		c.do("SET", "c", "3")
		c.expect("+OK\r\n", "FLUSHDB", "ASYNC")
		if n := lazyStats(t, c); n != 5 {
			t.Fatalf("FLUSHDB ASYNC of 3 keys: lazyfreed_objects = %d, want 5", n)
		}
	})
}
