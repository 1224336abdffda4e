package dict

// Batched lookups overlap their cache misses. A lookup in a large table
// takes two dependent misses (the bucket slot, then the entry with its
// inline key) and the caller usually a third (the value's object); one
// lookup after the other, a pipeline of 16 GETs waits for 48 misses in
// a row. Prefetch walks a batch of keys in stages instead, each stage a
// loop of loads that do not depend on each other (every bucket slot, then
// every first entry, then the next entry of the chains whose first entry
// was another key's), so the CPU has all of a stage's misses in flight at
// once; the lookups that follow find their lines in the cache. It only
// reads: no rehash step, nothing moves.

// PrefetchMax is the largest batch Prefetch takes.
const PrefetchMax = 16

// prefetchDepth is how far down its chain Prefetch looks for a key.
const prefetchDepth = 3

// Prefetch loads the bucket slots and chain entries of keys (at most
// PrefetchMax) into the CPU cache and stores in vals[i] the value of
// keys[i] when it is among the first prefetchDepth entries of its chain
// (vals[i] is left alone for a missing key or one further down). It
// returns a number computed from the bytes it read, which the caller must
// keep (store it somewhere), so that the compiler cannot drop the loads.
func (d *Dict[V]) Prefetch(keys [][]byte, vals []V) uintptr {
	n := min(len(keys), len(vals), PrefetchMax)
	if n == 0 || d.Len() == 0 || len(d.ht[0]) == 0 {
		return 0
	}
	// Each stage is a loop of a few instructions per key with no call in
	// it, so that all of its loads fit in the CPU's out-of-order window
	// (a hash call between two bucket loads kept only two or three of
	// them in flight).
	var hs [PrefetchMax]uint64
	for i, k := range keys[:n] {
		hs[i] = hashBytes(k)
	}
	// Stage 1: every key's bucket slot.
	var heads [PrefetchMax]*entry[V]
	t0, t1 := d.ht[0], d.ht[1]
	mask0, mask1 := uint64(len(t0)-1), uint64(len(t1)-1)
	idx := uint64(d.rehashIdx)
	for i, h := range hs[:n] {
		if j := h & mask0; t1 == nil || j >= idx {
			heads[i] = t0[j]
		} else {
			// Already migrated to the new table.
			heads[i] = t1[h&mask1]
		}
	}
	// Stage 2 and on: the entries, a chain link per stage. A key heads
	// its chain most of the time, but at the load factors the table
	// keeps (1/2 to 1) 20-37 % of the keys present sit behind another.
	var sum uintptr
	var ks [PrefetchMax]string
	var vs [PrefetchMax]V
	var next [PrefetchMax]*entry[V]
	cur := heads
	for depth := 0; depth < prefetchDepth; depth++ {
		// The loads: every entry's key header, value and link.
		for i, e := range cur[:n] {
			if e != nil {
				ks[i], vs[i], next[i] = e.key, e.val, e.next
			}
		}
		// Then the key bytes (in the entry's block, usually its cache
		// line) and the compares.
		more := false
		for i, e := range cur[:n] {
			if e == nil {
				continue
			}
			k := ks[i]
			if len(k) > 0 {
				sum += uintptr(k[len(k)-1])
			}
			if k == string(keys[i]) {
				vals[i] = vs[i]
				cur[i] = nil
			} else {
				cur[i] = next[i]
				more = more || cur[i] != nil
			}
		}
		if !more {
			break
		}
	}
	return sum
}
