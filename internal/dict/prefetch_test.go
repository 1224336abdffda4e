package dict

import (
	"fmt"
	"testing"
)

// chainPos returns the position of key in the chain of the table
// Prefetch looks in (0 for the head) and its value, or -1.
func chainPos[V any](d *Dict[V], key string) (int, V) {
	h := hashString(key)
	tab := d.ht[0]
	j := h & uint64(len(tab)-1)
	if d.ht[1] != nil && j < uint64(d.rehashIdx) {
		tab = d.ht[1]
		j = h & uint64(len(tab)-1)
	}
	pos := 0
	for e := tab[j]; e != nil; e = e.next {
		if e.key == key {
			return pos, e.val
		}
		pos++
	}
	var zero V
	return -1, zero
}

// TestPrefetch: Prefetch finds the value of every key among the first
// prefetchDepth entries of its chain, leaves the others (missing keys,
// keys further down a chain) alone, also while rehashing, and changes
// nothing (no rehash step).
func TestPrefetch(t *testing.T) {
	d := New[int](0)
	for i := 1; i <= 1000; i++ {
		d.Set(fmt.Sprint("k", i), i)
	}
	for d.IsRehashing() {
		d.Rehash(1)
	}
	// 1024 keys: the next insert starts a rehash to 2048 buckets.
	for i := 1001; i <= 1025; i++ {
		d.Set(fmt.Sprint("k", i), i)
	}
	if !d.IsRehashing() {
		t.Fatal("not rehashing")
	}
	d.Rehash(100)
	for _, rehashing := range []bool{true, false} {
		if !rehashing {
			for d.IsRehashing() {
				d.Rehash(100)
			}
		}
		idx, gen := d.rehashIdx, d.gen
		found, near := 0, 0
		for start := 1; start <= 1100; start += PrefetchMax {
			var keys [][]byte
			for i := start; i < start+PrefetchMax; i++ {
				keys = append(keys, []byte(fmt.Sprint("k", i)))
			}
			vals := make([]int, len(keys))
			d.Prefetch(keys, vals)
			for i, k := range keys {
				want := 0
				if pos, v := chainPos(d, string(k)); pos >= 0 && pos < prefetchDepth {
					want = v
					near++
				}
				if vals[i] != want {
					t.Fatalf("rehashing %v: %s: got %d, want %d", rehashing, k, vals[i], want)
				}
				if vals[i] != 0 {
					found++
				}
			}
		}
		if d.rehashIdx != idx || d.gen != gen {
			t.Errorf("Prefetch moved the rehash (%d → %d)", idx, d.rehashIdx)
		}
		// With about one key per bucket nearly all keys are among the
		// first three of their chain (about 97 %).
		if found != near || found < 900 {
			t.Errorf("rehashing %v: found %d of 1025 keys (%d near their chain's head)", rehashing, found, near)
		}
	}
	// An empty dict and an empty batch.
	var e Dict[int]
	vals := []int{7}
	if e.Prefetch([][]byte{[]byte("x")}, vals); vals[0] != 7 {
		t.Errorf("empty dict wrote %d", vals[0])
	}
	d.Prefetch(nil, nil)
}

// BenchmarkPrefetch: batches of 16 random lookups in a table of 100000
// keys (redis-benchmark -r 100000 -P 16), without and with Prefetch
// first; one op is one lookup. Each lookup's key depends on the value the
// previous one read (always 0), as in the server, where the thousands of
// instructions that run a command keep the CPU from starting the next
// lookup early.
func BenchmarkPrefetch(b *testing.B) {
	d := New[*[64]byte](0)
	const nkeys = 100000
	for i := 0; i < nkeys; i++ {
		d.Set(fmt.Sprintf("key:%012d", i), new([64]byte))
	}
	keys := make([][]byte, 1<<16)
	for i := range keys {
		keys[i] = fmt.Appendf(nil, "key:%012d", (i*7919+13)%nkeys*31%nkeys)
	}
	for _, pre := range []bool{false, true} {
		b.Run(fmt.Sprint("prefetch=", pre), func(b *testing.B) {
			var vals [PrefetchMax]*[64]byte
			var sum uintptr
			for i := 0; i < b.N; i += PrefetchMax {
				batch := keys[i%len(keys):][:PrefetchMax]
				if pre {
					// As keyspace.DB.Prefetch: then the values.
					vals = [PrefetchMax]*[64]byte{}
					sum += d.Prefetch(batch, vals[:])
					for _, v := range vals {
						if v != nil {
							sum += uintptr(v[0])
						}
					}
				}
				dep := 0
				for j := range batch {
					v, _ := d.GetBytes(batch[j+dep])
					dep = int(v[0])
				}
				sum += uintptr(dep)
			}
			if sum == 1 {
				b.Log(sum)
			}
		})
	}
}
