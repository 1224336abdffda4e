package kvtable

import (
	"math/bits"
	"math/rand/v2"
	"strings"

	"github.com/redis-clone/redis-clone/internal/dict"
)

// Range calls fn for every entry until fn returns false. Each key present
// for the whole iteration is visited exactly once. fn may Set, Upsert and
// Delete any key: keys deleted before being reached are not visited, keys
// inserted may or may not be. If fn calls Clear the iteration stops.
func (t *Table[V]) Range(fn func(r Ref) bool) {
	if t.Len() == 0 {
		return
	}
	t.paused++
	defer t.resume()
	gen := t.gen
	var stack [16]Ref
	for ti := 0; ti < 2; ti++ {
		tab := t.ht[ti]
		for i := 0; i < len(tab); i++ {
			if tab[i] == 0 {
				continue
			}
			// Snapshot the chain so that fn may unlink entries.
			snap := stack[:0]
			for r := tab[i]; r != 0; r = t.next(r) {
				snap = append(snap, r)
			}
			for _, r := range snap {
				if t.deleted(r) {
					continue
				}
				if !fn(r) || t.gen != gen {
					return
				}
			}
		}
		if t.ht[1] == nil || ti == 1 {
			break
		}
	}
}

// rev reverses the bits of v.
func rev(v uint64) uint64 { return bits.Reverse64(v) }

// Scan is Redis's dictScan: it calls fn for the entries of the bucket(s)
// addressed by cursor and returns the next cursor, 0 when the iteration
// is complete. Every key present from the first to the last call is
// visited at least once, however the table grows or shrinks in between.
// fn may modify the Table.
func (t *Table[V]) Scan(cursor uint64, fn func(r Ref)) (next uint64) {
	if t.Len() == 0 {
		return 0
	}
	snap := t.takeBuf()
	v := cursor
	if t.ht[1] == nil {
		t0 := t.ht[0]
		m0 := uint64(len(t0) - 1)
		for r := t0[v&m0]; r != 0; r = t.next(r) {
			snap = append(snap, r)
		}
		v |= ^m0
		v = rev(rev(v) + 1)
	} else {
		t0, t1 := t.ht[0], t.ht[1]
		if len(t0) > len(t1) {
			t0, t1 = t1, t0
		}
		m0, m1 := uint64(len(t0)-1), uint64(len(t1)-1)
		for r := t0[v&m0]; r != 0; r = t.next(r) {
			snap = append(snap, r)
		}
		for {
			for r := t1[v&m1]; r != 0; r = t.next(r) {
				snap = append(snap, r)
			}
			v |= ^m1
			v = rev(rev(v) + 1)
			if v&(m0^m1) == 0 {
				break
			}
		}
	}
	t.callSnapshot(snap, fn)
	return v
}

// takeBuf borrows the scratch buffer (a nested call gets a fresh one).
func (t *Table[V]) takeBuf() []Ref {
	b := t.buf[:0]
	t.buf = nil
	return b
}

// callSnapshot calls fn for the live entries of snap, with the reuse of
// freed records deferred, and keeps the buffer for reuse.
func (t *Table[V]) callSnapshot(snap []Ref, fn func(r Ref)) {
	t.paused++
	gen := t.gen
	for _, r := range snap {
		if t.gen != gen {
			break
		}
		if !t.deleted(r) {
			fn(r)
		}
	}
	t.resume()
	if cap(snap) <= 1024 {
		t.buf = snap[:0]
	}
}

// RandomEntry returns a random entry like dictGetFairRandomKey, or 0 when
// the table is empty.
func (t *Table[V]) RandomEntry() Ref {
	if t.Len() == 0 {
		return 0
	}
	snap := t.someEntries(t.takeBuf(), fairSample)
	var r Ref
	if len(snap) > 0 {
		r = snap[rand.IntN(len(snap))]
	} else {
		r = t.randomEntry()
	}
	t.buf = snap[:0]
	return r
}

// randomEntry is dictGetRandomKey.
func (t *Table[V]) randomEntry() Ref {
	t.step()
	var he Ref
	if t.ht[1] != nil {
		s0 := uint64(len(t.ht[0]))
		span := s0 + uint64(len(t.ht[1])) - uint64(t.rehashIdx)
		for he == 0 {
			h := uint64(t.rehashIdx) + rand.Uint64N(span)
			if h >= s0 {
				he = t.ht[1][h-s0]
			} else {
				he = t.ht[0][h]
			}
		}
	} else {
		m := uint64(len(t.ht[0]) - 1)
		for he == 0 {
			he = t.ht[0][rand.Uint64()&m]
		}
	}
	n := 0
	for r := he; r != 0; r = t.next(r) {
		n++
	}
	for i := rand.IntN(n); i > 0; i-- {
		he = t.next(he)
	}
	return he
}

// SampleEntries calls fn for up to n entries sampled like dictGetSomeKeys
// (for eviction and expiry sampling, not uniform selection). fn may modify
// the Table.
func (t *Table[V]) SampleEntries(n int, fn func(r Ref)) {
	if n <= 0 || t.Len() == 0 {
		return
	}
	t.callSnapshot(t.someEntries(t.takeBuf(), n), fn)
}

// someEntries appends up to count sampled entries to des (dictGetSomeKeys).
func (t *Table[V]) someEntries(des []Ref, count int) []Ref {
	count = min(count, t.Len())
	maxSteps := count * 10
	for j := 0; j < count && t.ht[1] != nil; j++ {
		t.step()
	}
	tables := 1
	maxMask := uint64(len(t.ht[0]) - 1)
	if t.ht[1] != nil {
		tables = 2
		maxMask = max(maxMask, uint64(len(t.ht[1])-1))
	}
	i := rand.Uint64() & maxMask
	emptyLen, stored := 0, 0
	for stored < count && maxSteps > 0 {
		maxSteps--
		for j := 0; j < tables; j++ {
			if tables == 2 && j == 0 && i < uint64(t.rehashIdx) {
				if i >= uint64(len(t.ht[1])) {
					i = uint64(t.rehashIdx)
				} else {
					continue
				}
			}
			if i >= uint64(len(t.ht[j])) {
				continue
			}
			he := t.ht[j][i]
			if he == 0 {
				emptyLen++
				if emptyLen >= 5 && emptyLen > count {
					i = rand.Uint64() & maxMask
					emptyLen = 0
				}
				continue
			}
			emptyLen = 0
			for ; he != 0; he = t.next(he) {
				if stored < count {
					des = append(des, he)
				} else if r := rand.IntN(stored + 1); r < count {
					des[r] = he
				}
				stored++
			}
			if stored >= count {
				return des
			}
		}
		i = (i + 1) & maxMask
	}
	return des
}

// Stats returns the table's statistics in the text of Redis's
// dictGetStats (DEBUG HTSTATS), cut at 4095 bytes.
func (t *Table[V]) Stats() string {
	var b strings.Builder
	for ti := 0; ti < 2 && (ti == 0 || t.ht[1] != nil); ti++ {
		dict.TableStats(&b, ti, len(t.ht[ti]), t.used[ti], func(chain func(n int)) {
			for _, r := range t.ht[ti] {
				n := 0
				for ; r != 0; r = t.next(r) {
					n++
				}
				chain(n)
			}
		})
	}
	s := b.String()
	if len(s) > 4095 {
		s = s[:4095]
	}
	return s
}
