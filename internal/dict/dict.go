package dict

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
)

// seed is the per-process hash seed shared by every Dict.
var seed = maphash.MakeSeed()

const (
	// initialSize is DICT_HT_INITIAL_SIZE: the first table allocated.
	initialSize = 4
	// minFillPercent is HASHTABLE_MIN_FILL: below this fill a table shrinks.
	minFillPercent = 10
	// emptyVisitsPerStep bounds the empty buckets one rehash step may skip.
	emptyVisitsPerStep = 10
	// fairSample is GETFAIR_NUM_ENTRIES, the sample RandomEntry draws from.
	fairSample = 15
)

// entry is one key/value pair in a bucket chain. A deleted entry points to
// itself, which lets iterators skip entries removed behind their back.
type entry[V any] struct {
	// val comes first: a zero-size V (sets) at the end of the struct would
	// be padded to a full word.
	val  V
	key  string
	next *entry[V]
}

// Dict is a hash table from string keys to values of type V with Redis dict
// semantics. The zero value is an empty Dict ready to use.
type Dict[V any] struct {
	ht        [2][]*entry[V] // ht[1] is non-nil only while rehashing
	used      [2]int
	rehashIdx int // next ht[0] bucket to migrate while rehashing (ht[1] != nil)
	paused    int // rehashing is paused while > 0 (during Range)
	gen       uint64
	buf       []*entry[V] // scratch for Scan/SampleEntries snapshots
}

// New returns an empty Dict. A positive sizeHint preallocates buckets for
// that many keys (rounded up to a power of two, like dictExpand).
func New[V any](sizeHint int) *Dict[V] {
	d := &Dict[V]{}
	if sizeHint > 0 {
		d.ht[0] = make([]*entry[V], nextPow2(sizeHint))
	}
	return d
}

// nextPow2 is _dictNextExp as a size: the smallest power of two >= n, and
// at least initialSize.
func nextPow2(n int) int {
	if n <= initialSize {
		return initialSize
	}
	return 1 << bits.Len(uint(n-1))
}

func hashString(s string) uint64 { return maphash.String(seed, s) }

func hashBytes(b []byte) uint64 { return maphash.Bytes(seed, b) }

// Len returns the number of keys.
func (d *Dict[V]) Len() int { return d.used[0] + d.used[1] }

// Buckets returns the total number of buckets of both tables (dictSlots).
func (d *Dict[V]) Buckets() int { return len(d.ht[0]) + len(d.ht[1]) }

// IsRehashing reports whether an incremental rehash is in progress.
func (d *Dict[V]) IsRehashing() bool { return d.ht[1] != nil }

// step performs one incremental rehash step unless rehashing is paused,
// like _dictRehashStep.
func (d *Dict[V]) step() {
	if d.ht[1] != nil && d.paused == 0 {
		d.Rehash(1)
	}
}

// Rehash performs up to n steps of incremental rehashing, each migrating
// one non-empty bucket of the old table (visiting at most 10*n empty
// buckets in total), like dictRehash. It reports whether rehashing is still
// in progress; a server cron can call it to finish rehashing idle tables.
// Rehash does nothing while a Range is running.
func (d *Dict[V]) Rehash(n int) bool {
	if d.ht[1] == nil || d.paused > 0 {
		return false
	}
	emptyVisits := n * emptyVisitsPerStep
	old, nt := d.ht[0], d.ht[1]
	mask := uint64(len(nt) - 1)
	for ; n > 0 && d.used[0] != 0; n-- {
		for old[d.rehashIdx] == nil {
			d.rehashIdx++
			if emptyVisits--; emptyVisits == 0 {
				return true
			}
		}
		e := old[d.rehashIdx]
		for e != nil {
			next := e.next
			i := hashString(e.key) & mask
			e.next = nt[i]
			nt[i] = e
			d.used[0]--
			d.used[1]++
			e = next
		}
		old[d.rehashIdx] = nil
		d.rehashIdx++
	}
	if d.used[0] == 0 {
		d.ht[0], d.ht[1] = nt, nil
		d.used[0], d.used[1] = d.used[1], 0
		d.rehashIdx = 0
		// Keys deleted while rehashing could not shrink the table; catch up
		// now rather than waiting for the next deletion.
		d.shrinkIfNeeded()
		return d.ht[1] != nil
	}
	return true
}

// resize starts migrating to a table of size buckets (a power of two), or
// allocates the first table. It mirrors _dictExpand: nothing happens while
// already rehashing or when the size would not change.
func (d *Dict[V]) resize(size int) {
	if d.ht[1] != nil || size == len(d.ht[0]) || d.used[0] > size {
		return
	}
	nt := make([]*entry[V], size)
	if d.ht[0] == nil {
		d.ht[0] = nt
		return
	}
	d.ht[1] = nt
	d.rehashIdx = 0
}

// expandIfNeeded is _dictExpandIfNeeded: allocate the first table, or
// double once the number of keys reaches the number of buckets.
func (d *Dict[V]) expandIfNeeded() {
	if d.ht[1] == nil {
		if n := GrowTo(d.used[0], len(d.ht[0])); n > 0 {
			d.resize(n)
		}
	}
}

// GrowTo returns the size a table of size buckets holding used keys must
// have before one more key goes in (_dictExpandIfNeeded: the first table,
// or double once the keys reach the buckets), or 0 to keep it. The
// keyspace's table (internal/kvtable) follows the same policy.
func GrowTo(used, size int) int {
	if size == 0 {
		return initialSize
	}
	if used >= size {
		return nextPow2(used + 1)
	}
	return 0
}

// ShrinkTo returns the size a table of size buckets holding used keys
// should shrink to (htNeedsResize + dictResize: when fewer than 10% of
// more than initialSize buckets are used, the smallest power of two
// holding every key), or 0 to keep it.
func ShrinkTo(used, size int) int {
	if size > initialSize && used*100/size < minFillPercent {
		return nextPow2(used)
	}
	return 0
}

// SizeFor is dictExpand's table size for n keys: the smallest power of
// two >= n, and at least the initial size.
func SizeFor(n int) int { return nextPow2(n) }

// shrinkIfNeeded applies htNeedsResize + dictResize: when fewer than 10% of
// more than initialSize buckets are used, shrink to the smallest power of
// two holding every key.
func (d *Dict[V]) shrinkIfNeeded() {
	if d.ht[1] == nil {
		if n := ShrinkTo(d.used[0], len(d.ht[0])); n > 0 {
			d.resize(n)
		}
	}
}

// find returns the entry for key, whose hash is h, or nil.
func find[V any, K ~string | ~[]byte](d *Dict[V], key K, h uint64) *entry[V] {
	if d.Len() == 0 {
		return nil
	}
	d.step()
	for t := 0; t < 2; t++ {
		tab := d.ht[t]
		for e := tab[h&uint64(len(tab)-1)]; e != nil; e = e.next {
			if e.key == string(key) {
				return e
			}
		}
		if d.ht[1] == nil {
			break
		}
	}
	return nil
}

// Get returns the value stored for key.
func (d *Dict[V]) Get(key string) (V, bool) {
	if e := find(d, key, hashString(key)); e != nil {
		return e.val, true
	}
	var zero V
	return zero, false
}

// GetBytes is Get for a []byte key. It does not allocate.
func (d *Dict[V]) GetBytes(key []byte) (V, bool) {
	if e := find(d, key, hashBytes(key)); e != nil {
		return e.val, true
	}
	var zero V
	return zero, false
}

// Contains reports whether key is present.
func (d *Dict[V]) Contains(key string) bool {
	return find(d, key, hashString(key)) != nil
}

// Ref returns a pointer to the value stored for key, or nil. The pointer
// stays valid, and keeps pointing at the key's value across Set, rehashing
// and resizing, until the key is deleted or the Dict cleared; after that it
// points at a zeroed, detached value.
func (d *Dict[V]) Ref(key []byte) *V {
	if e := find(d, key, hashBytes(key)); e != nil {
		return &e.val
	}
	return nil
}

// RefString is Ref for a string key.
func (d *Dict[V]) RefString(key string) *V {
	if e := find(d, key, hashString(key)); e != nil {
		return &e.val
	}
	return nil
}

// Set inserts key with value v, or replaces the value of an existing key.
// It reports whether the key was added.
func (d *Dict[V]) Set(key string, v V) (added bool) {
	p, added := d.Upsert(key)
	*p = v
	return added
}

// Upsert returns a pointer to the value slot of key, inserting the key with
// the zero value first if it is absent (added reports which). The pointer
// has the lifetime described for Ref. It is one lookup for
// read-modify-write commands such as HINCRBY.
func (d *Dict[V]) Upsert(key string) (p *V, added bool) {
	h := hashString(key)
	if e := find(d, key, h); e != nil {
		return &e.val, false
	}
	e := &entry[V]{key: key}
	d.link(e, h)
	return &e.val, true
}

// link adds e, the new entry of a key d does not hold (hash h), growing the
// table first when it is due.
func (d *Dict[V]) link(e *entry[V], h uint64) {
	d.expandIfNeeded()
	t := 0
	if d.ht[1] != nil {
		t = 1 // new keys go straight to the new table
	}
	tab := d.ht[t]
	i := h & uint64(len(tab)-1)
	e.next = tab[i]
	tab[i] = e
	d.used[t]++
}

// Delete removes key and returns its value.
func (d *Dict[V]) Delete(key string) (old V, ok bool) {
	return del(d, key, hashString(key))
}

// DeleteBytes is Delete for a []byte key. It does not allocate.
func (d *Dict[V]) DeleteBytes(key []byte) (V, bool) {
	return del(d, key, hashBytes(key))
}

func del[V any, K ~string | ~[]byte](d *Dict[V], key K, h uint64) (old V, ok bool) {
	if d.Len() == 0 {
		return old, false
	}
	d.step()
	for t := 0; t < 2; t++ {
		tab := d.ht[t]
		i := h & uint64(len(tab)-1)
		var prev *entry[V]
		for e := tab[i]; e != nil; prev, e = e, e.next {
			if e.key != string(key) {
				continue
			}
			if prev == nil {
				tab[i] = e.next
			} else {
				prev.next = e.next
			}
			d.used[t]--
			old = e.val
			var zero V
			e.key, e.val, e.next = "", zero, e // mark deleted, release memory
			d.shrinkIfNeeded()
			return old, true
		}
		if d.ht[1] == nil {
			break
		}
	}
	return old, false
}

// Clear removes every key and releases the tables.
func (d *Dict[V]) Clear() {
	d.ht = [2][]*entry[V]{}
	d.used = [2]int{}
	d.rehashIdx = 0
	d.gen++
}

// Range calls fn for every key until fn returns false. Each key present
// for the whole iteration is visited exactly once. Rehashing is paused
// while Range runs, and fn may freely Set, Upsert and Delete (any key, not
// only the current one): keys deleted before being reached are not
// visited, and keys inserted during the iteration may or may not be. If fn
// calls Clear the iteration stops.
func (d *Dict[V]) Range(fn func(key string, v V) bool) {
	if d.Len() == 0 {
		return
	}
	d.paused++
	defer func() { d.paused-- }()
	gen := d.gen
	var stack [16]*entry[V]
	for t := 0; t < 2; t++ {
		tab := d.ht[t]
		for i := 0; i < len(tab); i++ {
			if tab[i] == nil {
				continue
			}
			// Snapshot the chain so that fn may unlink entries.
			snap := stack[:0]
			for e := tab[i]; e != nil; e = e.next {
				snap = append(snap, e)
			}
			for _, e := range snap {
				if e.next == e {
					continue // deleted by fn
				}
				if !fn(e.key, e.val) {
					return
				}
				if d.gen != gen {
					return
				}
			}
		}
		if d.ht[1] == nil || t == 1 {
			break
		}
		// Table 1 exists: either rehashing was under way, or fn triggered
		// a resize (whose table then holds only keys fn inserted).
	}
}

// rev reverses the bits of v.
func rev(v uint64) uint64 { return bits.Reverse64(v) }

// Scan implements Redis's dictScan: it visits the bucket(s) addressed by
// cursor, calls fn for every entry there and returns the next cursor, 0 when
// the iteration is complete. Start with cursor 0. Every key present from
// the first to the last call is returned at least once, however the table
// grows or shrinks in between; keys may be returned more than once. The
// cursor advances in reverse-binary order over the smaller table, and while
// rehashing the matching buckets of the larger table are visited too, so a
// call visits about one bucket. fn may modify the Dict.
func (d *Dict[V]) Scan(cursor uint64, fn func(key string, v V)) (next uint64) {
	if d.Len() == 0 {
		return 0
	}
	snap := d.takeBuf()
	v := cursor
	if d.ht[1] == nil {
		t0 := d.ht[0]
		m0 := uint64(len(t0) - 1)
		for e := t0[v&m0]; e != nil; e = e.next {
			snap = append(snap, e)
		}
		v |= ^m0
		v = rev(rev(v) + 1)
	} else {
		t0, t1 := d.ht[0], d.ht[1]
		if len(t0) > len(t1) {
			t0, t1 = t1, t0
		}
		m0, m1 := uint64(len(t0)-1), uint64(len(t1)-1)
		for e := t0[v&m0]; e != nil; e = e.next {
			snap = append(snap, e)
		}
		// Visit every bucket of the larger table that expands the small
		// table's bucket v&m0.
		for {
			for e := t1[v&m1]; e != nil; e = e.next {
				snap = append(snap, e)
			}
			v |= ^m1
			v = rev(rev(v) + 1)
			if v&(m0^m1) == 0 {
				break
			}
		}
	}
	d.callSnapshot(snap, fn)
	return v
}

// takeBuf borrows the scratch buffer (a nested call gets a fresh one).
func (d *Dict[V]) takeBuf() []*entry[V] {
	b := d.buf[:0]
	d.buf = nil
	return b
}

// callSnapshot calls fn for the live entries of snap and returns the
// buffer for reuse.
func (d *Dict[V]) callSnapshot(snap []*entry[V], fn func(key string, v V)) {
	for _, e := range snap {
		if e.next != e {
			fn(e.key, e.val)
		}
	}
	clear(snap)
	if cap(snap) <= 1024 {
		d.buf = snap[:0]
	}
}

// RandomEntry returns a random key and its value, like
// dictGetFairRandomKey: a random entry from a sample of up to 15 adjacent
// entries, falling back to a random non-empty bucket. Expected O(1).
func (d *Dict[V]) RandomEntry() (key string, v V, ok bool) {
	if d.Len() == 0 {
		return key, v, false
	}
	snap := d.someEntries(d.takeBuf(), fairSample)
	var e *entry[V]
	if len(snap) > 0 {
		e = snap[rand.IntN(len(snap))]
	} else {
		e = d.randomEntry()
	}
	clear(snap)
	d.buf = snap[:0]
	return e.key, e.val, true
}

// randomEntry is dictGetRandomKey: pick random non-empty buckets until one
// is found, then a random element of its chain.
func (d *Dict[V]) randomEntry() *entry[V] {
	d.step()
	var he *entry[V]
	if d.ht[1] != nil {
		s0 := uint64(len(d.ht[0]))
		span := s0 + uint64(len(d.ht[1])) - uint64(d.rehashIdx)
		for he == nil {
			// Buckets below rehashIdx in table 0 are known to be empty.
			h := uint64(d.rehashIdx) + rand.Uint64N(span)
			if h >= s0 {
				he = d.ht[1][h-s0]
			} else {
				he = d.ht[0][h]
			}
		}
	} else {
		m := uint64(len(d.ht[0]) - 1)
		for he == nil {
			he = d.ht[0][rand.Uint64()&m]
		}
	}
	n := 0
	for e := he; e != nil; e = e.next {
		n++
	}
	for i := rand.IntN(n); i > 0; i-- {
		he = he.next
	}
	return he
}

// SampleEntries calls fn for up to n entries sampled like dictGetSomeKeys:
// the chains of consecutive buckets from a random position, jumping
// elsewhere after runs of empty buckets, with at most 10*n bucket visits.
// It is meant for eviction and active-expiry sampling, not for uniform
// random selection; fewer than n entries (possibly none) may be returned
// even when the Dict holds more, and fn may modify the Dict.
func (d *Dict[V]) SampleEntries(n int, fn func(key string, v V)) {
	if n <= 0 || d.Len() == 0 {
		return
	}
	d.callSnapshot(d.someEntries(d.takeBuf(), n), fn)
}

// someEntries appends up to count sampled entries to des (dictGetSomeKeys).
func (d *Dict[V]) someEntries(des []*entry[V], count int) []*entry[V] {
	if size := d.Len(); size < count {
		count = size
	}
	maxSteps := count * 10
	// Do rehashing work proportional to count.
	for j := 0; j < count && d.ht[1] != nil; j++ {
		d.step()
	}
	tables := 1
	maxMask := uint64(len(d.ht[0]) - 1)
	if d.ht[1] != nil {
		tables = 2
		if m1 := uint64(len(d.ht[1]) - 1); m1 > maxMask {
			maxMask = m1
		}
	}
	i := rand.Uint64() & maxMask
	emptyLen := 0
	stored := 0
	for stored < count && maxSteps > 0 {
		maxSteps--
		for j := 0; j < tables; j++ {
			// Table 0 buckets below rehashIdx are empty while rehashing.
			if tables == 2 && j == 0 && i < uint64(d.rehashIdx) {
				if i >= uint64(len(d.ht[1])) {
					i = uint64(d.rehashIdx)
				} else {
					continue
				}
			}
			if i >= uint64(len(d.ht[j])) {
				continue
			}
			he := d.ht[j][i]
			if he == nil {
				emptyLen++
				if emptyLen >= 5 && emptyLen > count {
					i = rand.Uint64() & maxMask
					emptyLen = 0
				}
				continue
			}
			emptyLen = 0
			for ; he != nil; he = he.next {
				// Reservoir-sample the rest of a long chain.
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
