package keyspace_test

import (
	"testing"
	"unsafe"

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

// TestNewStringRoom: the value is copied into the object's block with the
// rest of the block as capacity, so a counter that grows in place (as
// INCR does) keeps its digits beside the object.
func TestNewStringRoom(t *testing.T) {
	for _, tc := range []struct {
		val      string
		cap      int
		embedded bool
	}{
		{"", 0, false},
		{"9", 8, true},
		{"12345678", 8, true},
		{"123456789", 24, true},
		{"123456789012345678901234", 24, true},
		{"1234567890123456789012345", -1, false}, // a block of its own
	} {
		b := []byte(tc.val)
		o := keyspace.NewStringRoom(b)
		if len(b) > 0 {
			b[0] = 'x'
		}
		if string(o.Str) != tc.val || (tc.cap >= 0 && cap(o.Str) != tc.cap) || o.Type != keyspace.TypeString {
			t.Errorf("%q: %q cap %d type %v", tc.val, o.Str, cap(o.Str), o.Type)
		}
		if tc.cap == 0 {
			continue
		}
		inBlock := uintptr(unsafe.Pointer(unsafe.SliceData(o.Str)))-uintptr(unsafe.Pointer(o)) == unsafe.Sizeof(*o)
		if inBlock != tc.embedded {
			t.Errorf("%q: embedded %v, want %v", tc.val, inBlock, tc.embedded)
		}
		if grown := append(o.Str, '0'); tc.embedded && len(grown) <= tc.cap &&
			unsafe.SliceData(grown) != unsafe.SliceData(o.Str) {
			t.Errorf("%q: a digit more moved the value", tc.val)
		}
	}
}
