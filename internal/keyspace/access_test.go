package keyspace_test

import (
	"testing"
	"unsafe"

	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// TestObjectSize: the 24-bit access field lives in the padding, so a key
// costs no more than before LRU/LFU tracking.
func TestObjectSize(t *testing.T) {
	if n := unsafe.Sizeof(keyspace.Object{}); n != 56 {
		t.Errorf("Object is %d bytes, want 56", n)
	}
}

// TestLRUClockAndIdle: idle time on the one-second LRU clock, including
// across the 24-bit wrap-around (Redis's estimateObjectIdleTime).
func TestLRUClockAndIdle(t *testing.T) {
	ks := keyspace.New(1)
	db := ks.DB(0)
	ks.SetNow(5_000)
	db.Set([]byte("k"), keyspace.NewString([]byte("v")), false)
	o := db.Peek([]byte("k"))
	if o.LRU() != 5 {
		t.Fatalf("lru %d", o.LRU())
	}
	ks.SetNow(65_999)
	if got := ks.IdleTime(o); got != 60_000 {
		t.Errorf("idle %d", got)
	}
	db.Lookup([]byte("k"))
	if got := ks.IdleTime(o); got != 0 {
		t.Errorf("idle after access %d", got)
	}
	// The clock wraps every 2^24 s: an access just before the wrap is
	// still 10 s old just after it.
	ks.SetNow((keyspace.LRUClockMax - 4) * 1000)
	db.Lookup([]byte("k"))
	ks.SetNow((keyspace.LRUClockMax + 1 + 5) * 1000)
	if got := ks.IdleTime(o); got != 9_000 {
		t.Errorf("idle across wrap %d", got)
	}
}

// TestLFUCounter: new keys start at LFUInitVal, the counter grows by one
// per access with log factor 0, and decays by one per lfu-decay-time
// minutes without access.
func TestLFUCounter(t *testing.T) {
	ks := keyspace.New(1)
	ks.SetAccessPolicy(true, 0, 1)
	db := ks.DB(0)
	ks.SetNow(60_000 * 100)
	db.Set([]byte("k"), keyspace.NewString([]byte("v")), false)
	o := db.Peek([]byte("k"))
	if c := ks.LFUCount(o); c != keyspace.LFUInitVal {
		t.Fatalf("new counter %d", c)
	}
	for i := 0; i < 10; i++ {
		db.Lookup([]byte("k"))
	}
	if c := ks.LFUCount(o); c != 15 {
		t.Fatalf("counter after 10 hits %d", c)
	}
	ks.SetNow(60_000 * 103)
	if c := ks.LFUCount(o); c != 12 {
		t.Errorf("counter after 3 idle minutes %d", c)
	}
	ks.SetNow(60_000 * 200)
	if c := ks.LFUCount(o); c != 0 {
		t.Errorf("counter after 100 idle minutes %d", c)
	}
	// With log factor 10 the counter grows logarithmically.
	ks.SetAccessPolicy(true, 10, 0)
	db.Set([]byte("h"), keyspace.NewString([]byte("v")), false)
	h := db.Peek([]byte("h"))
	for i := 0; i < 100_000; i++ {
		db.Lookup([]byte("h"))
	}
	if c := ks.LFUCount(h); c < 120 || c > 165 {
		t.Errorf("counter after 100k hits with factor 10: %d (redis.conf's table: 142)", c)
	}
}
