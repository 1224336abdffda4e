package kvtable

import (
	"encoding/binary"
	"hash/maphash"
	"unsafe"

	"github.com/redis-clone/redis-clone/internal/arena"
	"github.com/redis-clone/redis-clone/internal/dict"
)

// Ref addresses one entry (its record). The zero Ref is no entry.
type Ref = arena.Ref

// seed is the per-process hash seed of every Table.
var seed = maphash.MakeSeed()

const (
	// emptyVisitsPerStep bounds the empty buckets one rehash step may skip.
	emptyVisitsPerStep = 10
	// fairSample is GETFAIR_NUM_ENTRIES, the sample RandomEntry draws from.
	fairSample = 15

	hdr     = 16     // record header bytes
	longKey = 0xFFFF // klen of a key whose length follows the header
	maxVlen = 0xFFFE // longest inline value

	flagObject  = 1 << 24
	flagDeleted = 1 << 25
	slackShift  = 26
	maxSlack    = 63
	lruMask     = 1<<24 - 1
)

// Table is a hash table from keys to values that are either inline
// strings or Go values of type V. The zero value is not usable: see New.
type Table[V any] struct {
	ar        arena.Arena
	ht        [2][]Ref // ht[1] is non-nil only while rehashing
	used      [2]int
	rehashIdx int // next ht[0] bucket to migrate while rehashing
	// paused is > 0 while an iteration runs: no rehash steps, and freed
	// records wait in deferred.
	paused int
	gen    uint64
	// vals holds the Go values of object entries, in chunks so that
	// growing it never copies more than a chunk's pointers at once.
	vals     [][]V
	nvals    uint32
	freeVals []uint32
	deferred []Ref
	buf      []Ref // scratch for Scan/SampleEntries snapshots
}

// New returns an empty Table. A positive sizeHint preallocates buckets for
// that many keys (rounded up to a power of two, like dictExpand).
func New[V any](sizeHint int) *Table[V] {
	t := &Table[V]{}
	if sizeHint > 0 {
		t.ht[0] = make([]Ref, dict.SizeFor(sizeHint))
	}
	return t
}

func hashBytes(b []byte) uint64 { return maphash.Bytes(seed, b) }

func le16(b []byte) int        { return int(binary.LittleEndian.Uint16(b)) }
func le32(b []byte) uint32     { return binary.LittleEndian.Uint32(b) }
func put32(b []byte, v uint32) { binary.LittleEndian.PutUint32(b, v) }
func put16(b []byte, v int)    { binary.LittleEndian.PutUint16(b, uint16(v)) }

// keyOff returns where a key of length klen starts in its record.
func keyOff(klen int) int {
	if klen >= longKey {
		return hdr + 4
	}
	return hdr
}

// recordSize returns the bytes of a record for a key of klen bytes and a
// value part of vlen bytes (at least 4: room for an object index).
func recordSize(klen, vlen int) int {
	return (keyOff(klen) + klen + max(vlen, 4) + 7) &^ 7
}

// Fits reports whether a value of vlen bytes under a key of klen bytes
// can be stored inline.
func Fits(klen, vlen int) bool {
	return vlen <= maxVlen && recordSize(klen, vlen) <= arena.MaxSlab
}

// Len returns the number of keys.
func (t *Table[V]) Len() int { return t.used[0] + t.used[1] }

// Buckets returns the total number of buckets of both tables (dictSlots).
func (t *Table[V]) Buckets() int { return len(t.ht[0]) + len(t.ht[1]) }

// IsRehashing reports whether an incremental rehash is in progress.
func (t *Table[V]) IsRehashing() bool { return t.ht[1] != nil }

// ArenaBytes returns the bytes of the records' pages.
func (t *Table[V]) ArenaBytes() int64 { return t.ar.Held() }

// --- records ---

// header returns the 16 header bytes of r.
func (t *Table[V]) header(r Ref) []byte { return t.ar.Bytes(r, hdr) }

// keyLen returns r's key length and where the key starts.
func (t *Table[V]) keyLen(r Ref, h []byte) (klen, off int) {
	klen = le16(h[12:])
	if klen != longKey {
		return klen, hdr
	}
	return int(le32(t.ar.Bytes(r, hdr+4)[hdr:])), hdr + 4
}

// size returns the bytes r was allocated with.
func (t *Table[V]) size(r Ref) int {
	h := t.header(r)
	klen, _ := t.keyLen(r, h)
	return recordSize(klen, le16(h[14:])) + int(le32(h[4:])>>slackShift)<<3
}

// Key returns r's key. The bytes are the record's: valid until r is
// freed, and not to be modified.
func (t *Table[V]) Key(r Ref) []byte {
	klen, off := t.keyLen(r, t.header(r))
	return t.ar.Bytes(r, off+klen)[off:]
}

// KeyString returns a copy of r's key.
func (t *Table[V]) KeyString(r Ref) string { return string(t.Key(r)) }

// IsObject reports whether r's value is a Go value (Val) rather than
// inline bytes (Inline).
func (t *Table[V]) IsObject(r Ref) bool { return le32(t.header(r)[4:])&flagObject != 0 }

// Inline returns the inline value of r, which must not be an object
// entry. The bytes are the record's: valid until r is freed or its value
// re-stored; they may be modified in place (same length).
func (t *Table[V]) Inline(r Ref) []byte {
	h := t.header(r)
	klen, off := t.keyLen(r, h)
	off += klen
	return t.ar.Bytes(r, off+le16(h[14:]))[off:]
}

// handle returns the index of object entry r's value.
func (t *Table[V]) handle(r Ref) uint32 {
	h := t.header(r)
	klen, off := t.keyLen(r, h)
	off += klen
	return le32(t.ar.Bytes(r, off+4)[off:])
}

// valChunk is how many Go values a chunk of vals holds.
const valChunk = 1 << 12

// slot returns the place of Go value i.
func (t *Table[V]) slot(i uint32) *V { return &t.vals[i/valChunk][i%valChunk] }

// Val returns the Go value of object entry r.
func (t *Table[V]) Val(r Ref) V { return *t.slot(t.handle(r)) }

// LRU returns r's 24-bit access field.
func (t *Table[V]) LRU(r Ref) uint32 { return le32(t.header(r)[4:]) & lruMask }

// SetLRU sets r's 24-bit access field.
func (t *Table[V]) SetLRU(r Ref, lru uint32) {
	h := t.header(r)
	put32(h[4:], le32(h[4:])&^lruMask|lru&lruMask)
}

// Epochs returns r's born and saved snapshot epochs (low 16 bits).
func (t *Table[V]) Epochs(r Ref) (born, saved uint16) {
	h := t.header(r)
	return uint16(le16(h[8:])), uint16(le16(h[10:]))
}

// SetBorn sets r's born epoch.
func (t *Table[V]) SetBorn(r Ref, e uint16) { put16(t.header(r)[8:], int(e)) }

// SetSaved sets r's saved epoch.
func (t *Table[V]) SetSaved(r Ref, e uint16) { put16(t.header(r)[10:], int(e)) }

// deleted reports whether r was deleted during the current iteration.
func (t *Table[V]) deleted(r Ref) bool { return le32(t.header(r)[4:])&flagDeleted != 0 }

// next returns the Ref after r in its chain.
func (t *Table[V]) next(r Ref) Ref { return Ref(le32(t.header(r))) }

func (t *Table[V]) setNext(r, n Ref) { put32(t.header(r), uint32(n)) }

// newRecord allocates a record for key with a value part of vlen bytes
// and writes its header (flags as given, access field and epochs zero)
// and key. It returns the record and the bytes of its value part.
func (t *Table[V]) newRecord(key []byte, vlen int, flags uint32) (Ref, []byte) {
	klen := len(key)
	n := recordSize(klen, vlen)
	r, b := t.ar.Alloc(n)
	put32(b, 0)
	put32(b[4:], flags)
	put32(b[8:], 0)
	off := hdr
	if klen >= longKey {
		put16(b[12:], longKey)
		put32(b[hdr:], uint32(klen))
		off += 4
	} else {
		put16(b[12:], klen)
	}
	put16(b[14:], vlen)
	copy(b[off:], key)
	return r, b[off+klen:]
}

// newHandle stores v in the value slice and returns its index.
func (t *Table[V]) newHandle(v V) uint32 {
	if n := len(t.freeVals); n > 0 {
		i := t.freeVals[n-1]
		t.freeVals = t.freeVals[:n-1]
		*t.slot(i) = v
		return i
	}
	i := t.nvals
	if i%valChunk == 0 {
		t.vals = append(t.vals, make([]V, valChunk))
	}
	t.nvals++
	*t.slot(i) = v
	return i
}

// dropHandle releases the Go value slot of index i.
func (t *Table[V]) dropHandle(i uint32) {
	var zero V
	*t.slot(i) = zero
	t.freeVals = append(t.freeVals, i)
}

// release frees an unlinked record (and its Go value), or while an
// iteration runs marks it deleted and frees it when the iteration ends.
func (t *Table[V]) release(r Ref) {
	h := t.header(r)
	meta := le32(h[4:])
	if meta&flagObject != 0 {
		t.dropHandle(t.handle(r))
		put32(h[4:], meta&^flagObject)
	}
	if t.paused > 0 {
		put32(h[4:], le32(h[4:])|flagDeleted)
		t.deferred = append(t.deferred, r)
		return
	}
	t.ar.Free(r, t.size(r))
}

// resume ends an iteration: the records freed during it are released.
func (t *Table[V]) resume() {
	if t.paused--; t.paused > 0 || len(t.deferred) == 0 {
		return
	}
	for _, r := range t.deferred {
		t.ar.Free(r, t.size(r))
	}
	clear(t.deferred)
	t.deferred = t.deferred[:0]
}

// --- rehashing ---

// step performs one incremental rehash step unless rehashing is paused.
func (t *Table[V]) step() {
	if t.ht[1] != nil && t.paused == 0 {
		t.Rehash(1)
	}
}

// Rehash performs up to n steps of incremental rehashing (dictRehash) and
// reports whether rehashing is still in progress. It does nothing while an
// iteration runs.
func (t *Table[V]) Rehash(n int) bool {
	if t.ht[1] == nil || t.paused > 0 {
		return false
	}
	emptyVisits := n * emptyVisitsPerStep
	old, nt := t.ht[0], t.ht[1]
	mask := uint64(len(nt) - 1)
	for ; n > 0 && t.used[0] != 0; n-- {
		for old[t.rehashIdx] == 0 {
			t.rehashIdx++
			if emptyVisits--; emptyVisits == 0 {
				return true
			}
		}
		for r := old[t.rehashIdx]; r != 0; {
			next := t.next(r)
			i := hashBytes(t.Key(r)) & mask
			t.setNext(r, nt[i])
			nt[i] = r
			t.used[0]--
			t.used[1]++
			r = next
		}
		old[t.rehashIdx] = 0
		t.rehashIdx++
	}
	if t.used[0] == 0 {
		t.ht[0], t.ht[1] = nt, nil
		t.used[0], t.used[1] = t.used[1], 0
		t.rehashIdx = 0
		t.shrinkIfNeeded()
		return t.ht[1] != nil
	}
	return true
}

// resize starts migrating to a table of size buckets, or allocates the
// first table (_dictExpand).
func (t *Table[V]) resize(size int) {
	if t.ht[1] != nil || size == len(t.ht[0]) || t.used[0] > size {
		return
	}
	nt := make([]Ref, size)
	if t.ht[0] == nil {
		t.ht[0] = nt
		return
	}
	t.ht[1] = nt
	t.rehashIdx = 0
}

// Expand grows the table ahead of n keys (dictExpand).
func (t *Table[V]) Expand(n int) {
	if n <= t.Len() || dict.SizeFor(n) <= len(t.ht[0]) {
		return
	}
	t.resize(dict.SizeFor(n))
}

// expandIfNeeded is _dictExpandIfNeeded (dict.GrowTo).
func (t *Table[V]) expandIfNeeded() {
	if t.ht[1] == nil {
		if n := dict.GrowTo(t.used[0], len(t.ht[0])); n > 0 {
			t.resize(n)
		}
	}
}

// shrinkIfNeeded is htNeedsResize + dictResize (dict.ShrinkTo).
func (t *Table[V]) shrinkIfNeeded() {
	if t.ht[1] == nil {
		if n := dict.ShrinkTo(t.used[0], len(t.ht[0])); n > 0 {
			t.resize(n)
		}
	}
}

// --- lookups and changes ---

// keyIs reports whether record r (header h) holds key.
func (t *Table[V]) keyIs(r Ref, h []byte, key []byte) bool {
	klen := le16(h[12:])
	if klen != longKey {
		return klen == len(key) && string(t.ar.Bytes(r, hdr+klen)[hdr:]) == string(key)
	}
	return len(key) >= longKey && string(t.Key(r)) == string(key)
}

// locate finds key (hash h) after a rehash step: its table, bucket,
// predecessor in the chain (0 at the head) and record (0 if absent).
func (t *Table[V]) locate(key []byte, h uint64) (ti int, bi uint64, prev, r Ref) {
	if t.Len() == 0 {
		return 0, 0, 0, 0
	}
	t.step()
	for ti = 0; ti < 2; ti++ {
		tab := t.ht[ti]
		bi = h & uint64(len(tab)-1)
		prev = 0
		for r = tab[bi]; r != 0; {
			hd := t.header(r)
			if t.keyIs(r, hd, key) {
				return ti, bi, prev, r
			}
			prev, r = r, Ref(le32(hd))
		}
		if t.ht[1] == nil {
			break
		}
	}
	return 0, 0, 0, 0
}

// Find returns key's entry, or 0.
func (t *Table[V]) Find(key []byte) Ref {
	_, _, _, r := t.locate(key, hashBytes(key))
	return r
}

// FindString is Find for a string key.
func (t *Table[V]) FindString(key string) Ref {
	return t.Find(unsafe.Slice(unsafe.StringData(key), len(key)))
}

// link adds the new record r (hash h), growing the table first when due.
func (t *Table[V]) link(r Ref, h uint64) {
	t.expandIfNeeded()
	ti := 0
	if t.ht[1] != nil {
		ti = 1 // new keys go straight to the new table
	}
	tab := t.ht[ti]
	i := h & uint64(len(tab)-1)
	t.setNext(r, tab[i])
	tab[i] = r
	t.used[ti]++
}

// Upsert returns key's entry, adding it first as an object entry holding
// the zero V when it is absent (added reports which).
func (t *Table[V]) Upsert(key []byte) (r Ref, added bool) {
	h := hashBytes(key)
	if _, _, _, r = t.locate(key, h); r != 0 {
		return r, false
	}
	var zero V
	r, v := t.newRecord(key, 0, flagObject)
	put32(v, t.newHandle(zero))
	t.link(r, h)
	return r, true
}

// SetVal makes r an object entry holding v (an inline value is dropped;
// the record keeps its size).
func (t *Table[V]) SetVal(r Ref, v V) {
	h := t.header(r)
	meta := le32(h[4:])
	if meta&flagObject != 0 {
		*t.slot(t.handle(r)) = v
		return
	}
	klen, off := t.keyLen(r, h)
	put32(h[4:], meta|flagObject)
	put32(t.ar.Bytes(r, off+klen+4)[off+klen:], t.newHandle(v))
}

// SetInline stores a copy of val as key's inline value (Fits must hold):
// in the key's record when it has room, else in a new record that takes
// the old one's place (copying its access field and epochs). A Go value
// the key held is dropped. It returns the entry and whether key was added.
func (t *Table[V]) SetInline(key, val []byte) (Ref, bool) {
	hash := hashBytes(key)
	ti, bi, prev, r := t.locate(key, hash)
	if r == 0 {
		r, v := t.newRecord(key, len(val), 0)
		copy(v, val)
		t.link(r, hash)
		return r, true
	}
	h := t.header(r)
	meta := le32(h[4:])
	if meta&flagObject != 0 {
		t.dropHandle(t.handle(r))
		meta &^= flagObject
		put32(h[4:], meta)
	}
	have := t.size(r)
	klen, off := t.keyLen(r, h)
	need := recordSize(klen, len(val))
	if slack := (have - need) >> 3; need <= have && have <= arena.MaxSlab && slack <= maxSlack {
		put32(h[4:], meta&^(maxSlack<<slackShift)|uint32(slack)<<slackShift)
		put16(h[14:], len(val))
		copy(t.ar.Bytes(r, off+klen+len(val))[off+klen:], val)
		return r, false
	}
	nr, v := t.newRecord(key, len(val), 0)
	copy(v, val)
	nh := t.header(nr)
	put32(nh[4:], meta&lruMask)
	copy(nh[8:12], h[8:12])
	t.setNext(nr, t.next(r))
	if prev == 0 {
		t.ht[ti][bi] = nr
	} else {
		t.setNext(prev, nr)
	}
	t.release(r)
	return nr, false
}

// Delete removes key and reports whether it was there.
func (t *Table[V]) Delete(key []byte) bool {
	ti, bi, prev, r := t.locate(key, hashBytes(key))
	if r == 0 {
		return false
	}
	if prev == 0 {
		t.ht[ti][bi] = t.next(r)
	} else {
		t.setNext(prev, t.next(r))
	}
	t.used[ti]--
	t.release(r)
	t.shrinkIfNeeded()
	return true
}

// DeleteString is Delete for a string key.
func (t *Table[V]) DeleteString(key string) bool {
	return t.Delete(unsafe.Slice(unsafe.StringData(key), len(key)))
}

// Clear removes every key and releases the records and tables.
func (t *Table[V]) Clear() {
	t.ar.Reset()
	t.ht = [2][]Ref{}
	t.used = [2]int{}
	t.rehashIdx = 0
	t.vals, t.nvals, t.freeVals, t.deferred = nil, 0, nil, nil
	t.gen++
}
