package kvtable

// Batched lookups overlap their cache misses (see internal/dict's
// Prefetch): a lookup takes two dependent misses, the bucket slot and then
// the record, which holds the key and an inline value together. Prefetch
// walks a batch in stages, each a loop of independent loads, so that all
// of a stage's misses are in flight at once. It only reads.

// PrefetchMax is the largest batch Prefetch takes.
const PrefetchMax = 16

// prefetchDepth is how far down its chain Prefetch looks for a key.
const prefetchDepth = 3

// Prefetch loads the bucket slots and records of keys (at most
// PrefetchMax) into the CPU cache and stores in vals[i] the Go value of
// keys[i] when it is an object entry among the first prefetchDepth of
// its chain. It returns a number computed from the bytes read, which the
// caller must keep so that the compiler cannot drop the loads.
func (t *Table[V]) Prefetch(keys [][]byte, vals []V) uintptr {
	n := min(len(keys), len(vals), PrefetchMax)
	if n == 0 || t.Len() == 0 || len(t.ht[0]) == 0 {
		return 0
	}
	var hs [PrefetchMax]uint64
	for i, k := range keys[:n] {
		hs[i] = hashBytes(k)
	}
	var cur [PrefetchMax]Ref
	t0, t1 := t.ht[0], t.ht[1]
	mask0, mask1 := uint64(len(t0)-1), uint64(len(t1)-1)
	idx := uint64(t.rehashIdx)
	for i, h := range hs[:n] {
		if j := h & mask0; t1 == nil || j >= idx {
			cur[i] = t0[j]
		} else {
			cur[i] = t1[h&mask1]
		}
	}
	var sum uintptr
	var meta [PrefetchMax]uint32
	for depth := 0; depth < prefetchDepth; depth++ {
		// The loads: every record's header.
		for i, r := range cur[:n] {
			if r != 0 {
				meta[i] = le32(t.header(r)[4:])
			}
		}
		more := false
		for i, r := range cur[:n] {
			if r == 0 {
				continue
			}
			h := t.header(r)
			sum += uintptr(meta[i])
			if t.keyIs(r, h, keys[i]) {
				if meta[i]&flagObject != 0 {
					vals[i] = t.Val(r)
				}
				cur[i] = 0
			} else {
				cur[i] = Ref(le32(h))
				more = more || cur[i] != 0
			}
		}
		if !more {
			break
		}
	}
	return sum
}
