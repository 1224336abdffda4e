package hash

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"unsafe"

	"github.com/redis-clone/redis-clone/internal/dict"
)

// Encoding names, as OBJECT ENCODING reports them.
const (
	EncListpack  = "listpack"
	EncHashtable = "hashtable"
)

// maxListpackBytes is LISTPACK_MAX_SAFETY_SIZE: a listpack never grows past
// 1 GB; an addition that would cross it converts to a hashtable.
const maxListpackBytes = 1 << 30

// Limits are the conversion thresholds of the listpack encoding.
type Limits struct {
	// MaxEntries is hash-max-listpack-entries: more pairs convert.
	MaxEntries int
	// MaxValue is hash-max-listpack-value: a longer field or value converts.
	MaxValue int
}

// DefaultLimits are Redis 7.0's default thresholds (512 entries, 64 bytes).
var DefaultLimits = Limits{MaxEntries: 512, MaxValue: 64}

// Hash is a Redis hash. The zero value is an empty listpack ready to use.
type Hash struct {
	// lp is the listpack encoding: uvarint-length-prefixed entries,
	// alternately field and value. Unused once ht is set.
	lp []byte
	// n is the number of pairs in lp.
	n int
	// ht is the hashtable encoding, nil while the hash is a listpack. Its
	// values point at packed allocations (see pack).
	ht *dict.Dict[*byte]
}

// New returns an empty listpack-encoded hash.
func New() *Hash { return &Hash{} }

// NewHashtable returns an empty hashtable-encoded hash with room for
// sizeHint pairs (a loader that knows the size uses it, as Redis's
// dictExpand).
func NewHashtable(sizeHint int) *Hash { return &Hash{ht: dict.New[*byte](sizeHint)} }

// IsListpack reports whether h uses the listpack encoding.
func (h *Hash) IsListpack() bool { return h.ht == nil }

// Encoding returns "listpack" or "hashtable".
func (h *Hash) Encoding() string {
	if h.ht == nil {
		return EncListpack
	}
	return EncHashtable
}

// Len returns the number of fields.
func (h *Hash) Len() int {
	if h.ht == nil {
		return h.n
	}
	return h.ht.Len()
}

// ListpackBytes returns the size of the listpack buffer, 0 for a hashtable.
func (h *Hash) ListpackBytes() int {
	if h.ht == nil {
		return len(h.lp)
	}
	return 0
}

// Get returns the value of field. The slice is read-only and valid until
// the next change to h.
func (h *Hash) Get(field []byte) ([]byte, bool) {
	if h.ht == nil {
		_, vo, _, ok := h.lpFind(field)
		if !ok {
			return nil, false
		}
		v, _ := h.lpEntry(vo)
		return v, true
	}
	p, ok := h.ht.GetBytes(field)
	if !ok {
		return nil, false
	}
	return packedValue(p), true
}

// Exists reports whether field is present.
func (h *Hash) Exists(field []byte) bool {
	_, ok := h.Get(field)
	return ok
}

// TryConvert converts a listpack to a hashtable if any of args (the fields
// and values about to be added) is longer than lim.MaxValue, or if adding
// them all could push the listpack past its 1 GB safety size. It is
// Redis's hashTypeTryConversion, called by HSET before any change.
func (h *Hash) TryConvert(lim Limits, args [][]byte) {
	if h.ht != nil {
		return
	}
	sum := 0
	for _, a := range args {
		if len(a) > lim.MaxValue {
			h.Convert()
			return
		}
		sum += len(a)
	}
	if len(h.lp)+sum > maxListpackBytes {
		h.Convert()
	}
}

// Set sets field to value and reports whether the field was added (false:
// an existing value was replaced). A listpack is converted first when
// field or value is longer than lim.MaxValue, and afterwards when it holds
// more than lim.MaxEntries pairs (Redis's hashTypeSet). field and value
// are copied.
func (h *Hash) Set(field, value []byte, lim Limits) (added bool) {
	if h.ht == nil && (len(field) > lim.MaxValue || len(value) > lim.MaxValue ||
		len(h.lp)+len(field)+len(value)+2*binary.MaxVarintLen64 > maxListpackBytes) {
		h.Convert()
	}
	if h.ht != nil {
		return h.htSet(field, value)
	}
	added = h.lpSet(field, value)
	if h.n > lim.MaxEntries {
		h.Convert()
	}
	return added
}

// Delete removes field and reports whether it was present. A hashtable
// stays a hashtable (its table shrinks as Redis's does).
func (h *Hash) Delete(field []byte) bool {
	if h.ht != nil {
		_, ok := h.ht.DeleteBytes(field)
		return ok
	}
	fo, _, end, ok := h.lpFind(field)
	if !ok {
		return false
	}
	h.lp = append(h.lp[:fo], h.lp[end:]...)
	h.n--
	h.lpMaybeShrink()
	return true
}

// Convert switches a listpack to the hashtable encoding, keeping every
// pair; it does nothing to a hashtable. The dict is presized for the
// current length, as Redis's hashTypeConvertListpack does.
func (h *Hash) Convert() {
	if h.ht != nil {
		return
	}
	d := dict.New[*byte](h.n)
	for off := 0; off < len(h.lp); {
		f, vo := h.lpEntry(off)
		v, next := h.lpEntry(vo)
		k, p := pack(f, v)
		d.Set(k, p)
		off = next
	}
	h.ht, h.lp, h.n = d, nil, 0
}

// Range calls fn for every pair until fn returns false: in insertion order
// for a listpack, in dict order for a hashtable. fn must not change h; the
// slices are valid only during the call.
func (h *Hash) Range(fn func(field, value []byte) bool) {
	if h.ht == nil {
		for off := 0; off < len(h.lp); {
			f, vo := h.lpEntry(off)
			v, next := h.lpEntry(vo)
			if !fn(f, v) {
				return
			}
			off = next
		}
		return
	}
	h.ht.Range(func(k string, p *byte) bool {
		return fn(stringBytes(k), packedValue(p))
	})
}

// Scan is one step of HSCAN. A hashtable visits the bucket(s) at cursor
// (dict.Scan's guarantee: every pair present for the whole scan is
// returned at least once) and returns the next cursor, 0 at the end. A
// listpack ignores cursor, visits every pair and returns 0, as Redis does
// for small encodings. fn must not change h.
func (h *Hash) Scan(cursor uint64, fn func(field, value []byte)) uint64 {
	if h.ht == nil {
		h.Range(func(f, v []byte) bool { fn(f, v); return true })
		return 0
	}
	return h.ht.Scan(cursor, func(k string, p *byte) {
		fn(stringBytes(k), packedValue(p))
	})
}

// Random returns a random pair of a non-empty hash (ok is false when it is
// empty): uniform for a listpack, dictGetFairRandomKey for a hashtable.
func (h *Hash) Random() (field, value []byte, ok bool) {
	if h.ht == nil {
		if h.n == 0 {
			return nil, nil, false
		}
		off := 0
		for i := rand.IntN(h.n); i > 0; i-- {
			_, vo := h.lpEntry(off)
			_, off = h.lpEntry(vo)
		}
		f, vo := h.lpEntry(off)
		v, _ := h.lpEntry(vo)
		return f, v, true
	}
	k, p, ok := h.ht.RandomEntry()
	if !ok {
		return nil, nil, false
	}
	return stringBytes(k), packedValue(p), true
}

// RandomPairs calls fn count times with a random pair each time,
// repetitions allowed and in random order (HRANDFIELD with a negative
// count). A listpack is indexed once, so the cost is O(len + count).
func (h *Hash) RandomPairs(count int, fn func(field, value []byte)) {
	if count <= 0 || h.Len() == 0 {
		return
	}
	if h.ht != nil {
		for ; count > 0; count-- {
			k, p, _ := h.ht.RandomEntry()
			fn(stringBytes(k), packedValue(p))
		}
		return
	}
	offs := h.lpOffsets()
	for ; count > 0; count-- {
		off := offs[rand.IntN(len(offs))]
		f, vo := h.lpEntry(off)
		v, _ := h.lpEntry(vo)
		fn(f, v)
	}
}

// subStrategyMul is HRANDFIELD_SUB_STRATEGY_MUL: when the hash is at most
// this many times larger than the sample, pick by elimination instead of
// by repeated random draws.
const subStrategyMul = 3

// RandomUnique calls fn for count distinct random pairs, each subset of
// that size equally likely (HRANDFIELD with a positive count). When count
// is at least Len, every pair is visited in Range order. A listpack is
// sampled in one pass (selection sampling, results in listpack order, like
// lpRandomPairsUnique); a hashtable close to count in size is shuffled, and
// a larger one is sampled with dictGetFairRandomKey until count distinct
// fields were found, as Redis does.
func (h *Hash) RandomUnique(count int, fn func(field, value []byte)) {
	size := h.Len()
	if count <= 0 || size == 0 {
		return
	}
	if count >= size {
		h.Range(func(f, v []byte) bool { fn(f, v); return true })
		return
	}
	if h.ht == nil {
		need, left := count, size
		for off := 0; off < len(h.lp) && need > 0; left-- {
			f, vo := h.lpEntry(off)
			v, next := h.lpEntry(vo)
			if rand.IntN(left) < need {
				fn(f, v)
				need--
			}
			off = next
		}
		return
	}
	if count*subStrategyMul > size {
		type pair struct {
			k string
			p *byte
		}
		all := make([]pair, 0, size)
		h.ht.Range(func(k string, p *byte) bool {
			all = append(all, pair{k, p})
			return true
		})
		for i := 0; i < count; i++ {
			j := i + rand.IntN(len(all)-i)
			all[i], all[j] = all[j], all[i]
			fn(stringBytes(all[i].k), packedValue(all[i].p))
		}
		return
	}
	seen := make(map[string]struct{}, count)
	for len(seen) < count {
		k, p, _ := h.ht.RandomEntry()
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		fn(stringBytes(k), packedValue(p))
	}
}

// Clone returns a deep copy of h with the same encoding (hashTypeDup).
func (h *Hash) Clone() *Hash {
	if h.ht == nil {
		return &Hash{lp: bytes.Clone(h.lp), n: h.n}
	}
	d := dict.New[*byte](h.ht.Len())
	h.ht.Range(func(k string, p *byte) bool {
		nk, np := pack(stringBytes(k), packedValue(p))
		d.Set(nk, np)
		return true
	})
	return &Hash{ht: d}
}

// hashStructSize is the size of a Hash and dictEntrySize that of one
// dict entry holding a string key and a pointer.
const (
	hashStructSize = int64(unsafe.Sizeof(Hash{}))
	dictEntrySize  = 32
)

// MemoryUsage estimates the bytes h occupies, for MEMORY USAGE (Redis's
// objectComputeSize): the listpack buffer, or the table slots plus, for a
// hashtable, the average size of the first samples pairs (every pair when
// samples is 0) times the number of pairs.
func (h *Hash) MemoryUsage(samples int) int64 {
	if h.ht == nil {
		return hashStructSize + int64(cap(h.lp))
	}
	size := hashStructSize + int64(h.ht.Buckets())*8
	n, sum := 0, int64(0)
	h.ht.Range(func(k string, p *byte) bool {
		v := packedValue(p)
		sum += dictEntrySize + allocSize(uvarintLen(len(v))+len(v)+len(k))
		n++
		return samples <= 0 || n < samples
	})
	if n > 0 {
		size += sum * int64(h.ht.Len()) / int64(n)
	}
	return size
}

// uvarintLen is the encoded size of n as a uvarint.
func uvarintLen(n int) int {
	l := 1
	for ; n >= 0x80; n >>= 7 {
		l++
	}
	return l
}

// allocSize approximates the heap size class an n-byte block gets.
func allocSize(n int) int64 {
	switch {
	case n <= 16:
		return 16
	case n <= 256:
		return int64(n+15) / 16 * 16
	default:
		return int64(n+127) / 128 * 128
	}
}

// Rehash performs up to n incremental rehash steps of a hashtable (for a
// server cron, like Redis's incrementallyRehash) and reports whether
// rehashing is still in progress.
func (h *Hash) Rehash(n int) bool {
	if h.ht == nil {
		return false
	}
	return h.ht.Rehash(n)
}

// htSet sets field in the hashtable encoding. A value of the same length
// is overwritten in place; otherwise the pair is re-packed, and the entry
// replaced so that the old allocation is freed.
func (h *Hash) htSet(field, value []byte) bool {
	if pp := h.ht.Ref(field); pp != nil {
		old := packedValue(*pp)
		if len(old) == len(value) {
			copy(old, value)
			return false
		}
		k, p := pack(field, value)
		h.ht.DeleteBytes(field)
		h.ht.Set(k, p)
		return false
	}
	k, p := pack(field, value)
	h.ht.Set(k, p)
	return true
}

// pack allocates one pointer-free block holding uvarint(len(value)), value
// and field, and returns the field as a string viewing that block (the
// dict key) and a pointer to the block's start (the dict value).
func pack(field, value []byte) (string, *byte) {
	var hdr [binary.MaxVarintLen64]byte
	hn := binary.PutUvarint(hdr[:], uint64(len(value)))
	buf := make([]byte, hn+len(value)+len(field))
	copy(buf, hdr[:hn])
	copy(buf[hn:], value)
	copy(buf[hn+len(value):], field)
	if len(field) == 0 {
		return "", &buf[0]
	}
	return unsafe.String(&buf[hn+len(value)], len(field)), &buf[0]
}

// packedValue returns the value of a block made by pack, as a slice of it.
func packedValue(p *byte) []byte {
	var n uint64
	var shift uint
	i := 0
	for {
		b := *(*byte)(unsafe.Add(unsafe.Pointer(p), i))
		i++
		n |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
		shift += 7
	}
	if n == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(p), i)), int(n))
}

// stringBytes views s as a read-only byte slice.
func stringBytes(s string) []byte {
	if len(s) == 0 {
		return []byte{}
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// lpEntry decodes the listpack entry at off, returning its bytes and the
// offset of the next entry.
func (h *Hash) lpEntry(off int) ([]byte, int) {
	lp := h.lp
	var n uint64
	if b := lp[off]; b < 0x80 {
		n = uint64(b)
		off++
	} else {
		var w int
		n, w = binary.Uvarint(lp[off:])
		off += w
	}
	end := off + int(n)
	return lp[off:end:end], end
}

// lpFind locates field in the listpack: the offsets of its entry, of its
// value's entry and just past the value.
func (h *Hash) lpFind(field []byte) (fo, vo, end int, ok bool) {
	for off := 0; off < len(h.lp); {
		f, v := h.lpEntry(off)
		_, next := h.lpEntry(v)
		if bytes.Equal(f, field) {
			return off, v, next, true
		}
		off = next
	}
	return 0, 0, 0, false
}

// lpOffsets returns the offset of every pair's field entry.
func (h *Hash) lpOffsets() []int {
	offs := make([]int, 0, h.n)
	for off := 0; off < len(h.lp); {
		offs = append(offs, off)
		_, vo := h.lpEntry(off)
		_, off = h.lpEntry(vo)
	}
	return offs
}

// lpSet sets field in the listpack: the value entry is rewritten in place
// when its encoded size is unchanged, else spliced; a new pair is appended.
func (h *Hash) lpSet(field, value []byte) bool {
	var hdr [binary.MaxVarintLen64]byte
	vh := binary.PutUvarint(hdr[:], uint64(len(value)))
	if _, vo, end, ok := h.lpFind(field); ok {
		dst := h.lpSplice(vo, end, vh+len(value))
		copy(dst, hdr[:vh])
		copy(dst[vh:], value)
		return false
	}
	var fhdr [binary.MaxVarintLen64]byte
	fh := binary.PutUvarint(fhdr[:], uint64(len(field)))
	at := len(h.lp)
	dst := h.lpSplice(at, at, fh+len(field)+vh+len(value))
	copy(dst, fhdr[:fh])
	copy(dst[fh:], field)
	copy(dst[fh+len(field):], hdr[:vh])
	copy(dst[fh+len(field)+vh:], value)
	h.n++
	return true
}

// lpSplice replaces lp[lo:hi] with n bytes, shifting the tail, and returns
// the n-byte region to fill. Growth leaves about 1/8 spare capacity, so a
// run of appends is amortised without doubling the buffer.
func (h *Hash) lpSplice(lo, hi, n int) []byte {
	old := len(h.lp)
	delta := n - (hi - lo)
	switch {
	case delta > 0:
		need := old + delta
		if need > cap(h.lp) {
			nb := make([]byte, need, need+need/8+8)
			copy(nb, h.lp[:lo])
			copy(nb[lo+n:], h.lp[hi:])
			h.lp = nb
			return h.lp[lo : lo+n]
		}
		h.lp = h.lp[:need]
		copy(h.lp[hi+delta:], h.lp[hi:old])
	case delta < 0:
		copy(h.lp[lo+n:], h.lp[hi:])
		h.lp = h.lp[:old+delta]
		h.lpMaybeShrink()
	}
	return h.lp[lo : lo+n]
}

// lpMaybeShrink reallocates a listpack that uses less than half of its
// buffer, as Redis's listpack reallocates on every deletion.
func (h *Hash) lpMaybeShrink() {
	if len(h.lp) == 0 {
		h.lp = nil
		return
	}
	if cap(h.lp) > 64 && len(h.lp) < cap(h.lp)/2 {
		h.lp = bytes.Clone(h.lp)
	}
}

// Slots returns the number of buckets of the hashtable encoding (Redis's
// dictSlots), 0 for a listpack.
func (h *Hash) Slots() int {
	if h.ht == nil {
		return 0
	}
	return h.ht.Buckets()
}
