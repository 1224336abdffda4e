package keyspace_test

import (
	"testing"

	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// TestPrefetchReadsOnly: Prefetch counts no hit or miss, leaves the
// access time alone and does not expire a key whose TTL passed.
func TestPrefetchReadsOnly(t *testing.T) {
	ks := keyspace.New(1)
	db := ks.DB(0)
	ks.SetNow(5_000)
	db.Set([]byte("k"), keyspace.NewStringCopy([]byte("v")), false)
	db.Set([]byte("gone"), keyspace.NewStringCopy([]byte("v")), false)
	db.SetExpire([]byte("gone"), 6_000)
	o := db.Peek([]byte("k"))
	ks.SetNow(65_000)
	db.Prefetch([][]byte{[]byte("k"), []byte("gone"), []byte("missing"), nil})
	if ks.Hits != 0 || ks.Misses != 0 || ks.Expired != 0 {
		t.Errorf("hits %d misses %d expired %d", ks.Hits, ks.Misses, ks.Expired)
	}
	if o.LRU() != 5 {
		t.Errorf("lru %d, want 5", o.LRU())
	}
	if db.Len() != 2 {
		t.Errorf("%d keys", db.Len())
	}
}
