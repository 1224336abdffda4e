package rdb

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/redis-clone/redis-clone/internal/listpack"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// WriterOptions are the redis.conf settings that shape an RDB file. Start
// from DefaultWriterOptions: the zero value disables compression, the
// checksum and every compact encoding.
type WriterOptions struct {
	// Compression LZF-compresses strings longer than 20 bytes when that
	// saves at least 4 bytes (rdbcompression).
	Compression bool
	// Checksum writes the CRC64 trailer; without it the trailer is 0, which
	// readers take as "not checked" (rdbchecksum).
	Checksum bool
	// ListMaxListpackSize sizes quicklist nodes (list-max-listpack-size):
	// -1 to -5 limit a node to 4, 8, 16, 32 or 64 KB, a positive value to
	// that many elements (and at most 8 KB). Clamped to [-5, 32767].
	ListMaxListpackSize int
	// HashMaxListpackEntries and HashMaxListpackValue decide when a hash is
	// written as a listpack (hash-max-listpack-*).
	HashMaxListpackEntries, HashMaxListpackValue int
	// SetMaxIntsetEntries decides when a set of integers is written as an
	// intset (set-max-intset-entries).
	SetMaxIntsetEntries int
	// ZSetMaxListpackEntries and ZSetMaxListpackValue decide when a sorted
	// set is written as a listpack (zset-max-listpack-*).
	ZSetMaxListpackEntries, ZSetMaxListpackValue int
}

// DefaultWriterOptions returns Redis 7.0's defaults: compression and
// checksum on, list-max-listpack-size -2, hash-max-listpack-entries 128,
// hash-max-listpack-value 64, set-max-intset-entries 512,
// zset-max-listpack-entries 128, zset-max-listpack-value 64.
func DefaultWriterOptions() WriterOptions {
	return WriterOptions{
		Compression:            true,
		Checksum:               true,
		ListMaxListpackSize:    defaultListMaxListpackSize,
		HashMaxListpackEntries: defaultHashMaxListpackEntries,
		HashMaxListpackValue:   defaultHashMaxListpackValue,
		SetMaxIntsetEntries:    defaultSetMaxIntsetEntries,
		ZSetMaxListpackEntries: defaultZSetMaxListpackEntries,
		ZSetMaxListpackValue:   defaultZSetMaxListpackValue,
	}
}

// Aux is one AUX field of an RDB header.
type Aux struct {
	Key, Value string
}

// DefaultAux returns the AUX fields Redis 7.0.15 writes at the start of a
// file: redis-ver, redis-bits, ctime (now), used-mem and aof-base (1 for
// the base file of a multi-part AOF).
func DefaultAux(usedMem int64, aofBase bool) []Aux {
	base := "0"
	if aofBase {
		base = "1"
	}
	return []Aux{
		{"redis-ver", "7.0.15"},
		{"redis-bits", "64"},
		{"ctime", strconv.FormatInt(time.Now().Unix(), 10)},
		{"used-mem", strconv.FormatInt(usedMem, 10)},
		{"aof-base", base},
	}
}

// Writer streams an RDB file: Header, then for each non-empty database
// SelectDB followed by its keys, then Close. Every method returns the first
// error met (an I/O error of the underlying writer, or misuse such as an
// empty collection or an element count that does not match n); after an
// error the output is unusable and later calls return the same error.
//
// Values are encoded the way redis-server 7.0 encodes them with the
// configured thresholds, so it loads them with its native encodings:
// strings as integers or LZF blobs where Redis would; lists as QUICKLIST_2
// with listpack nodes (PLAIN nodes for elements of 1 GB or more); sets as
// intsets or plain sets; hashes and sorted sets as listpacks or plain
// (ZSET_2) encodings.
type Writer struct {
	w     io.Writer
	opts  WriterOptions
	buf   []byte
	crc   uint64
	n     int64
	err   error
	str   stringEncoder
	lp    listpackBuilder
	dump  bool // writing a DUMP payload: no key, no expiry
	ints  []int64
	elems [][]byte
	pairs [][2][]byte
	zms   []ZMember
}

// flushSize is the buffered amount that triggers a write, and the size
// from which a string is written straight from the caller's slice.
const flushSize = 64 << 10

// NewWriter returns a Writer with DefaultWriterOptions.
func NewWriter(w io.Writer) *Writer { return NewWriterOptions(w, DefaultWriterOptions()) }

// NewWriterOptions returns a Writer with the given options.
func NewWriterOptions(w io.Writer, opts WriterOptions) *Writer {
	opts.ListMaxListpackSize = min(max(opts.ListMaxListpackSize, -5), 32767)
	if opts.ListMaxListpackSize == 0 {
		opts.ListMaxListpackSize = 1 // as quicklist: a fill of 0 behaves like 1
	}
	return &Writer{w: w, opts: opts, buf: make([]byte, 0, flushSize+1024), str: stringEncoder{compress: opts.Compression}}
}

// Written returns the number of bytes written to the underlying writer so
// far (buffered bytes excluded).
func (w *Writer) Written() int64 { return w.n }

// flush writes the buffer out.
func (w *Writer) flush() error {
	if w.err != nil || len(w.buf) == 0 {
		return w.err
	}
	w.crc = crcUpdate(w.crc, w.buf)
	n, err := w.w.Write(w.buf)
	w.n += int64(n)
	if err == nil && n < len(w.buf) {
		err = io.ErrShortWrite
	}
	w.buf = w.buf[:0]
	if err != nil {
		w.err = err
	}
	return w.err
}

// maybeFlush flushes once enough is buffered.
func (w *Writer) maybeFlush() error {
	if len(w.buf) >= flushSize {
		return w.flush()
	}
	return w.err
}

// writeTail appends the tail of an encoded string, writing big ones
// directly instead of copying them into the buffer.
func (w *Writer) writeTail(tail []byte) error {
	if len(tail) < flushSize {
		w.buf = append(w.buf, tail...)
		return w.maybeFlush()
	}
	if err := w.flush(); err != nil {
		return err
	}
	w.crc = crcUpdate(w.crc, tail)
	n, err := w.w.Write(tail)
	w.n += int64(n)
	if err == nil && n < len(tail) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.err = err
	}
	return w.err
}

// putString writes s in its RDB string encoding.
func (w *Writer) putString(s []byte) error {
	var tail []byte
	w.buf, tail = w.str.encode(w.buf, s)
	return w.writeTail(tail)
}

// Header writes the "REDIS0010" signature and the given AUX fields
// (usually DefaultAux).
func (w *Writer) Header(aux []Aux) error {
	if w.err != nil {
		return w.err
	}
	w.buf = fmt.Appendf(w.buf, "REDIS%04d", Version)
	for _, a := range aux {
		if err := w.AuxField([]byte(a.Key), []byte(a.Value)); err != nil {
			return err
		}
	}
	return w.err
}

// AuxField writes one AUX field.
func (w *Writer) AuxField(key, val []byte) error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, opAux)
	if err := w.putString(key); err != nil {
		return err
	}
	return w.putString(val)
}

// Function writes a function library (the code FUNCTION LOAD was given) as
// a FUNCTION2 opcode. Redis writes them after the header, before the
// databases.
func (w *Writer) Function(code []byte) error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, opFunction2)
	return w.putString(code)
}

// SelectDB starts database db, announcing how many keys, and how many of
// them with an expiry, follow (SELECTDB and RESIZEDB). Redis writes nothing
// for an empty database.
func (w *Writer) SelectDB(db int, keys, expires uint64) error {
	if w.err != nil {
		return w.err
	}
	if db < 0 {
		return w.fail(fmt.Errorf("rdb: invalid database %d", db))
	}
	w.buf = append(w.buf, opSelectDB)
	w.buf = appendLen(w.buf, uint64(db))
	w.buf = append(w.buf, opResizeDB)
	w.buf = appendLen(w.buf, keys)
	w.buf = appendLen(w.buf, expires)
	return w.maybeFlush()
}

func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// begin writes what precedes a value: the expiry, the type and the key (or
// only the type in a DUMP payload).
func (w *Writer) begin(t byte, key []byte, expireMs int64) error {
	if w.err != nil {
		return w.err
	}
	if w.dump {
		w.buf = append(w.buf, t)
		return nil
	}
	if expireMs != NoExpiry {
		w.buf = append(w.buf, opExpireTimeMs)
		w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(expireMs))
	}
	w.buf = append(w.buf, t)
	return w.putString(key)
}

// String writes a string key. expireMs is an absolute Unix time in
// milliseconds, or NoExpiry (-1), as in every method that takes one.
func (w *Writer) String(key, val []byte, expireMs int64) error {
	if err := w.begin(typeString, key, expireMs); err != nil {
		return err
	}
	return w.putString(val)
}

// errCount reports an iterator that yielded a different number of
// elements than announced.
func errCount(kind string, key []byte, n, got int) error {
	return fmt.Errorf("rdb: %s %q: announced %d elements, iterator yielded %d", kind, key, n, got)
}

// errEmpty reports an empty collection, which Redis never stores.
func errEmpty(kind string, key []byte) error {
	return fmt.Errorf("rdb: empty %s %q cannot be written", kind, key)
}

// List writes a list of n elements, head to tail, as a QUICKLIST_2.
//
// elems is iterated twice (first to size the quicklist nodes, whose count
// precedes them, then to write them) and must yield the same n elements
// both times; slices it yields are not retained. A different count is
// reported as an error.
func (w *Writer) List(key []byte, n int, elems iter.Seq[[]byte], expireMs int64) error {
	if n <= 0 {
		return w.fail(errEmpty("list", key))
	}
	// Pass 1: count nodes.
	var qs quicklistSizer
	qs.fill = w.opts.ListMaxListpackSize
	count := 0
	for e := range elems {
		qs.add(e)
		count++
	}
	if count != n {
		return w.fail(errCount("list", key, n, count))
	}
	nodes := qs.finish()
	if err := w.begin(typeListQuicklist2, key, expireMs); err != nil {
		return err
	}
	w.buf = appendLen(w.buf, uint64(nodes))

	// Pass 2: write them, splitting exactly as pass 1 did.
	var qs2 quicklistSizer
	qs2.fill = w.opts.ListMaxListpackSize
	written, count := 0, 0
	w.lp.reset()
	flushNode := func() error {
		if w.lp.count == 0 {
			return w.err
		}
		w.buf = appendLen(w.buf, containerPacked)
		written++
		err := w.putString(w.lp.finish())
		w.lp.reset()
		return err
	}
	for e := range elems {
		count++
		if count > n {
			break
		}
		switch qs2.add(e) {
		case nodeAppend:
		case nodeNew:
			if err := flushNode(); err != nil {
				return err
			}
		case nodePlain:
			if err := flushNode(); err != nil {
				return err
			}
			w.buf = appendLen(w.buf, containerPlain)
			written++
			if err := w.putString(e); err != nil {
				return err
			}
			continue
		}
		w.lp.appendString(e)
	}
	if err := flushNode(); err != nil {
		return err
	}
	if count != n || written != nodes {
		return w.fail(fmt.Errorf("rdb: list %q changed between the two passes", key))
	}
	return w.maybeFlush()
}

// quicklistSizer splits a list into quicklist nodes the way quicklist's
// _quicklistNodeAllowInsert decides to start a new node when pushing at the
// tail.
type quicklistSizer struct {
	fill  int
	nodes int
	open  bool // a packed node is being filled
	sz    int  // its listpack size
	count int  // its element count
}

const (
	nodeAppend = iota // the element goes into the open node
	nodeNew           // the element starts a new packed node
	nodePlain         // the element is a PLAIN node of its own
)

// optimizationLevel is quicklist's size limit for fills -1 to -5.
var optimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

func (q *quicklistSizer) allowInsert(sz int) bool {
	newSz := q.sz + sz + 8 // SIZE_ESTIMATE_OVERHEAD
	if q.fill < 0 {
		if off := -q.fill - 1; off < len(optimizationLevel) {
			return newSz <= optimizationLevel[off]
		}
		return false
	}
	return newSz <= 8192 && q.count < q.fill
}

// add places element e and reports where it went.
func (q *quicklistSizer) add(e []byte) int {
	if len(e) >= packedThreshold {
		q.open = false
		q.nodes++
		return nodePlain
	}
	esz := listpack.EntrySize(e)
	if q.open && q.allowInsert(len(e)) {
		q.sz += esz
		q.count++
		return nodeAppend
	}
	q.open = true
	q.nodes++
	q.sz = lpHeaderSize + 1 + esz
	q.count = 1
	return nodeNew
}

func (q *quicklistSizer) finish() int { return q.nodes }

// Set writes a set of n members: an intset when all members are integers
// in canonical form and n <= SetMaxIntsetEntries, a plain set otherwise.
// Members must be distinct. Small sets are gathered before being encoded,
// so yielded slices must stay unchanged until Set returns; none is retained
// afterwards (the same holds for Hash and ZSet).
func (w *Writer) Set(key []byte, n int, members iter.Seq[[]byte], expireMs int64) error {
	if n <= 0 {
		return w.fail(errEmpty("set", key))
	}
	if n <= w.opts.SetMaxIntsetEntries {
		w.elems = w.elems[:0]
		w.ints = w.ints[:0]
		allInts := true
		for m := range members {
			w.elems = append(w.elems, m)
			if allInts {
				v, ok := numfmt.ParseInt(m)
				allInts = ok
				w.ints = append(w.ints, v)
			}
		}
		if len(w.elems) != n {
			return w.fail(errCount("set", key, n, len(w.elems)))
		}
		if allInts {
			if err := w.begin(typeSetIntset, key, expireMs); err != nil {
				return err
			}
			blob, ok := appendIntset(nil, w.ints)
			if !ok {
				return w.fail(fmt.Errorf("rdb: set %q has duplicate members", key))
			}
			err := w.putString(blob)
			clear(w.elems)
			return err
		}
		err := w.plainSeq(typeSet, key, n, slices.Values(w.elems), expireMs)
		clear(w.elems)
		return err
	}
	return w.plainSeq(typeSet, key, n, members, expireMs)
}

// plainSeq writes a length-prefixed sequence of strings.
func (w *Writer) plainSeq(t byte, key []byte, n int, seq iter.Seq[[]byte], expireMs int64) error {
	if err := w.begin(t, key, expireMs); err != nil {
		return err
	}
	w.buf = appendLen(w.buf, uint64(n))
	count := 0
	for s := range seq {
		if count++; count > n {
			break
		}
		if err := w.putString(s); err != nil {
			return err
		}
	}
	if count != n {
		return w.fail(errCount(typeName(int(t)), key, n, count))
	}
	return w.maybeFlush()
}

// Hash writes a hash of n field/value pairs: a listpack when n <=
// HashMaxListpackEntries and no field or value is longer than
// HashMaxListpackValue, a plain hash otherwise. Fields must be distinct.
func (w *Writer) Hash(key []byte, n int, pairs iter.Seq2[[]byte, []byte], expireMs int64) error {
	if n <= 0 {
		return w.fail(errEmpty("hash", key))
	}
	if n > w.opts.HashMaxListpackEntries {
		return w.plainHash(key, n, pairs, expireMs)
	}
	w.pairs = w.pairs[:0]
	small := true
	for f, v := range pairs {
		w.pairs = append(w.pairs, [2][]byte{f, v})
		if len(f) > w.opts.HashMaxListpackValue || len(v) > w.opts.HashMaxListpackValue {
			small = false
		}
	}
	defer clear(w.pairs)
	if len(w.pairs) != n {
		return w.fail(errCount("hash", key, n, len(w.pairs)))
	}
	if !small {
		return w.plainHash(key, n, func(yield func([]byte, []byte) bool) {
			for _, p := range w.pairs {
				if !yield(p[0], p[1]) {
					return
				}
			}
		}, expireMs)
	}
	if err := w.begin(typeHashListpack, key, expireMs); err != nil {
		return err
	}
	w.lp.reset()
	for _, p := range w.pairs {
		w.lp.appendString(p[0])
		w.lp.appendString(p[1])
	}
	return w.putString(w.lp.finish())
}

func (w *Writer) plainHash(key []byte, n int, pairs iter.Seq2[[]byte, []byte], expireMs int64) error {
	if err := w.begin(typeHash, key, expireMs); err != nil {
		return err
	}
	w.buf = appendLen(w.buf, uint64(n))
	count := 0
	for f, v := range pairs {
		if count++; count > n {
			break
		}
		if err := w.putString(f); err != nil {
			return err
		}
		if err := w.putString(v); err != nil {
			return err
		}
	}
	if count != n {
		return w.fail(errCount("hash", key, n, count))
	}
	return w.maybeFlush()
}

// ZSet writes a sorted set of n member/score pairs: a listpack (sorted by
// score, then member) when n <= ZSetMaxListpackEntries and no member is
// longer than ZSetMaxListpackValue, a ZSET_2 with binary scores otherwise.
// Members must be distinct and scores not NaN.
func (w *Writer) ZSet(key []byte, n int, members iter.Seq2[[]byte, float64], expireMs int64) error {
	if n <= 0 {
		return w.fail(errEmpty("zset", key))
	}
	if n > w.opts.ZSetMaxListpackEntries {
		return w.plainZSet(key, n, members, expireMs)
	}
	w.zms = w.zms[:0]
	small := true
	for m, s := range members {
		w.zms = append(w.zms, ZMember{m, s})
		if len(m) > w.opts.ZSetMaxListpackValue {
			small = false
		}
	}
	defer clear(w.zms)
	if len(w.zms) != n {
		return w.fail(errCount("zset", key, n, len(w.zms)))
	}
	if !small {
		return w.plainZSet(key, n, func(yield func([]byte, float64) bool) {
			for _, z := range w.zms {
				if !yield(z.Member, z.Score) {
					return
				}
			}
		}, expireMs)
	}
	slices.SortFunc(w.zms, func(a, b ZMember) int {
		if c := cmp.Compare(a.Score, b.Score); c != 0 {
			return c
		}
		return bytes.Compare(a.Member, b.Member)
	})
	if err := w.begin(typeZSetListpack, key, expireMs); err != nil {
		return err
	}
	w.lp.reset()
	var sbuf [32]byte
	for _, z := range w.zms {
		if math.IsNaN(z.Score) {
			return w.fail(fmt.Errorf("rdb: zset %q has a NaN score", key))
		}
		w.lp.appendString(z.Member)
		w.lp.appendString(numfmt.AppendD2String(sbuf[:0], z.Score))
	}
	return w.putString(w.lp.finish())
}

func (w *Writer) plainZSet(key []byte, n int, members iter.Seq2[[]byte, float64], expireMs int64) error {
	if err := w.begin(typeZSet2, key, expireMs); err != nil {
		return err
	}
	w.buf = appendLen(w.buf, uint64(n))
	count := 0
	for m, s := range members {
		if count++; count > n {
			break
		}
		if math.IsNaN(s) {
			return w.fail(fmt.Errorf("rdb: zset %q has a NaN score", key))
		}
		if err := w.putString(m); err != nil {
			return err
		}
		w.buf = appendBinaryDouble(w.buf, s)
	}
	if count != n {
		return w.fail(errCount("zset", key, n, count))
	}
	return w.maybeFlush()
}

// Value writes a key holding v, whatever its kind.
func (w *Writer) Value(key []byte, v Value, expireMs int64) error {
	switch v.Kind {
	case KindString:
		return w.String(key, v.Str, expireMs)
	case KindList:
		return w.List(key, len(v.List), slices.Values(v.List), expireMs)
	case KindSet:
		return w.Set(key, len(v.Set), slices.Values(v.Set), expireMs)
	case KindHash:
		return w.Hash(key, len(v.Hash), func(yield func([]byte, []byte) bool) {
			for _, p := range v.Hash {
				if !yield(p[0], p[1]) {
					return
				}
			}
		}, expireMs)
	case KindZSet:
		return w.ZSet(key, len(v.ZSet), func(yield func([]byte, float64) bool) {
			for _, z := range v.ZSet {
				if !yield(z.Member, z.Score) {
					return
				}
			}
		}, expireMs)
	case KindStream:
		return w.Stream(key, v.Stream, expireMs)
	}
	return w.fail(fmt.Errorf("rdb: value of key %q has no kind", key))
}

// errClosed is returned by a Writer used after Close.
var errClosed = errors.New("rdb: writer closed")

// Close writes the EOF opcode and the CRC64 trailer and flushes. It does
// not close the underlying writer (nor sync it).
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, opEOF)
	if err := w.flush(); err != nil {
		return err
	}
	var sum uint64
	if w.opts.Checksum {
		sum = w.crc
	}
	w.buf = binary.LittleEndian.AppendUint64(w.buf, sum)
	err := w.flush()
	if err == nil {
		w.err = errClosed
	}
	return err
}
