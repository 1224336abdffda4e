package dict

// Batched lookups overlap their cache misses. A lookup in a large table
// takes two dependent misses (the bucket slot, then the entry with its
// inline key) and the caller usually a third (the value's object); one
// lookup after the other, a pipeline of 16 GETs waits for 48 misses in
// a row. Prefetch walks a batch of keys in stages instead, each stage a
// loop of loads that do not depend on each other (every bucket slot, then
// every first entry), so the CPU has all of a stage's misses in flight at
// once; the lookups that follow find their lines in the cache. It only
// reads: no rehash step, nothing moves.

// PrefetchMax is the largest batch Prefetch takes.
const PrefetchMax = 16

// Prefetch loads the bucket slots and first chain entries of keys (at
// most PrefetchMax) into the CPU cache and stores in vals[i] the value of
// keys[i] when its entry heads its chain (vals[i] is left alone for a
// missing key or one further down a chain). It returns a number computed
// from the bytes it read, which the caller must keep (store it
// somewhere), so that the compiler cannot drop the loads.
func (d *Dict[V]) Prefetch(keys [][]byte, vals []V) uintptr {
	var heads [PrefetchMax]*entry[V]
	n := min(len(keys), len(vals), PrefetchMax)
	if n == 0 || d.Len() == 0 {
		return 0
	}
	// Stage 1: every key's bucket slot.
	t0 := d.ht[0]
	mask0 := uint64(len(t0) - 1)
	for i, k := range keys[:n] {
		h := hashBytes(k)
		tab, j := t0, h&mask0
		if d.ht[1] != nil && (len(t0) == 0 || j < uint64(d.rehashIdx)) {
			// Already migrated to the new table.
			tab = d.ht[1]
			j = h & uint64(len(tab)-1)
		}
		heads[i] = tab[j]
	}
	// Stage 2: every first entry, with its key (in the entry's block).
	var sum uintptr
	for i, e := range heads[:n] {
		if e == nil {
			continue
		}
		k := e.key
		if len(k) > 0 {
			sum += uintptr(k[len(k)-1])
		}
		if k == string(keys[i]) {
			vals[i] = e.val
		}
	}
	return sum
}
