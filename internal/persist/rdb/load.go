package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/lzf"
	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// Handler receives what Load decodes, in file order. Keys and values are
// freshly allocated for each call and owned by the handler from then on
// (strings inside one value may share a backing array; each slice has its
// capacity capped, so appending to one never overwrites another).
//
// expireMs is the absolute Unix time in milliseconds at which the key
// expires, or NoExpiry. Already expired keys are reported like the others:
// whether to drop them (Redis drops them when loading as a master, keeps
// them in an AOF preamble or on a replica) is the caller's decision.
//
// A non-nil error from a method stops Load, which returns that error
// unchanged.
type Handler interface {
	// Aux reports an AUX field (redis-ver, redis-bits, ctime, used-mem,
	// aof-base, repl-id, lua scripts ...).
	Aux(key, val []byte) error
	// SelectDB reports a SELECTDB opcode: the following keys belong to db.
	SelectDB(db int) error
	// ResizeDB reports the RESIZEDB size hint of the current database.
	ResizeDB(keys, expires uint64) error
	// String reports a string.
	String(key, val []byte, expireMs int64) error
	// List reports a list, elements from head to tail.
	List(key []byte, elems [][]byte, expireMs int64) error
	// Set reports a set.
	Set(key []byte, members [][]byte, expireMs int64) error
	// Hash reports a hash as field/value pairs.
	Hash(key []byte, pairs [][2][]byte, expireMs int64) error
	// ZSet reports a sorted set; members are in file order, which is not
	// necessarily score order.
	ZSet(key []byte, members []ZMember, expireMs int64) error
	// Stream reports a stream.
	Stream(key []byte, s *Stream, expireMs int64) error
}

// FunctionHandler is implemented by handlers that want the function
// libraries (FUNCTION LOAD payloads) an RDB may carry. When the handler
// does not implement it, libraries are skipped.
type FunctionHandler interface {
	// Function reports the source code of one library, as FUNCTION LOAD
	// takes it ("#!lua name=mylib\n...").
	Function(code []byte) error
}

// EvictionHandler is implemented by handlers that want the LRU idle time
// and LFU counter Redis stores with keys when maxmemory-policy is an LRU or
// LFU policy. When the handler does not implement it, they are ignored.
type EvictionHandler interface {
	// Eviction is called right after the value callback of key, only when
	// the file carried an IDLE or FREQ opcode for it; the missing one is -1.
	Eviction(key []byte, idleSeconds int64, freq int) error
}

// Borrower is implemented by handlers that copy what they keep of the key
// (in every method) and of the value of String before returning. Load
// then passes those in buffers it reuses, or straight from its input
// buffer, instead of allocating them for each key.
type Borrower interface {
	Handler
	// BorrowsKeys marks the handler; it is never called.
	BorrowsKeys()
}

// NopHandler implements Handler by accepting and discarding everything.
// Embed it to implement only the methods of interest.
type NopHandler struct{}

// Aux ignores the field.
func (NopHandler) Aux(key, val []byte) error { return nil }

// SelectDB ignores the switch.
func (NopHandler) SelectDB(db int) error { return nil }

// ResizeDB ignores the hint.
func (NopHandler) ResizeDB(keys, expires uint64) error { return nil }

// String ignores the key.
func (NopHandler) String(key, val []byte, expireMs int64) error { return nil }

// List ignores the key.
func (NopHandler) List(key []byte, elems [][]byte, expireMs int64) error { return nil }

// Set ignores the key.
func (NopHandler) Set(key []byte, members [][]byte, expireMs int64) error { return nil }

// Hash ignores the key.
func (NopHandler) Hash(key []byte, pairs [][2][]byte, expireMs int64) error { return nil }

// ZSet ignores the key.
func (NopHandler) ZSet(key []byte, members []ZMember, expireMs int64) error { return nil }

// Stream ignores the key.
func (NopHandler) Stream(key []byte, s *Stream, expireMs int64) error { return nil }

// LoadOptions tune Load.
type LoadOptions struct {
	// SkipChecksum disables the CRC64 check of the trailer, like
	// "rdbchecksum no". A file whose stored checksum is 0 (written with
	// rdbchecksum no) is never checked.
	SkipChecksum bool
}

// Load decodes an RDB file (versions 1 to 10) from r and reports its
// contents to h. It returns nil once the EOF opcode and the checksum
// trailer have been read and verified.
//
// When r is a *bufio.Reader, Load consumes exactly the RDB from it and
// nothing more, so data following the RDB (the AOF tail after an RDB
// preamble) can then be read from the same *bufio.Reader. Any other reader
// is wrapped in a bufio.Reader and may be read beyond the end of the RDB.
//
// Bad input gives a *LoadError (see the Err* kinds); Load never panics on
// bad input, and never allocates much more than the input holds whatever
// lengths the input claims.
func Load(r io.Reader, h Handler, opts LoadOptions) error {
	d := &decoder{r: newReader(r)}
	d.r.noCRC = opts.SkipChecksum
	err := d.load(h, opts)
	d.r.commit()
	return d.fixOffset(err)
}

// decoder holds the state of one load.
type decoder struct {
	r     *reader
	arena []byte // backing store for integers rendered as strings
	seed  maphash.Seed
	seen  map[uint64]int
	// keyBuf and valBuf are the reused buffers of a Borrower's keys and
	// string values.
	keyBuf, valBuf []byte
}

func (d *decoder) fixOffset(err error) error {
	var le *LoadError
	if errors.As(err, &le) && le.Offset < 0 {
		le.Offset = d.r.offset()
	}
	return err
}

func (d *decoder) load(h Handler, opts LoadOptions) error {
	magic, err := d.r.next(9)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(magic, []byte("REDIS")) {
		return &LoadError{Kind: ErrSignature, Offset: 0}
	}
	// Redis takes atoi() of the four characters; insisting on four digits
	// as well means no single corrupted byte turns "0010" into an old
	// version (which would go unchecksummed).
	ver := atoi(magic[5:])
	if ver < 1 || ver > Version || !allDigits(magic[5:]) {
		return &LoadError{Kind: ErrVersion, Offset: 5, Detail: fmt.Sprintf("Can't handle RDB format version %d", ver)}
	}
	fh, _ := h.(FunctionHandler)
	eh, _ := h.(EvictionHandler)
	_, borrow := h.(Borrower)
	expire, idle, freq := NoExpiry, int64(-1), -1
	for {
		t, err := d.r.readByte()
		if err != nil {
			return err
		}
		switch t {
		case opExpireTime:
			b, err := d.r.next(4)
			if err != nil {
				return err
			}
			expire = int64(int32(binary.LittleEndian.Uint32(b))) * 1000
			continue
		case opExpireTimeMs:
			b, err := d.r.next(8)
			if err != nil {
				return err
			}
			expire = int64(binary.LittleEndian.Uint64(b))
			continue
		case opFreq:
			b, err := d.r.readByte()
			if err != nil {
				return err
			}
			freq = int(b)
			continue
		case opIdle:
			n, err := d.r.readPlainLen()
			if err != nil {
				return err
			}
			idle = int64(min(n, math.MaxInt64))
			continue
		case opEOF:
			return d.trailer(ver, opts)
		case opSelectDB:
			n, err := d.r.readPlainLen()
			if err != nil {
				return err
			}
			if n > math.MaxInt32 {
				return errCorrupt(fmt.Sprintf("SELECTDB %d out of range", n))
			}
			if err := h.SelectDB(int(n)); err != nil {
				return err
			}
			continue
		case opResizeDB:
			keys, err := d.r.readPlainLen()
			if err != nil {
				return err
			}
			exp, err := d.r.readPlainLen()
			if err != nil {
				return err
			}
			if err := h.ResizeDB(keys, exp); err != nil {
				return err
			}
			continue
		case opAux:
			k, err := d.readString()
			if err != nil {
				return err
			}
			v, err := d.readString()
			if err != nil {
				return err
			}
			if err := h.Aux(k, v); err != nil {
				return err
			}
			continue
		case opModuleAux:
			id, err := d.r.readPlainLen()
			if err != nil {
				return err
			}
			return &LoadError{Kind: ErrUnsupported, Offset: -1,
				Detail: fmt.Sprintf("The RDB file contains AUX module data I can't load: no matching module '%s'", moduleName(id))}
		case opFunction, opFunction2:
			code, err := d.readFunction(t)
			if err != nil {
				return err
			}
			if fh != nil {
				if err := fh.Function(code); err != nil {
					return err
				}
			}
			continue
		}
		var key []byte
		if borrow {
			key, err = d.readStringScratch(&d.keyBuf)
		} else {
			key, err = d.readString()
		}
		if err != nil {
			return err
		}
		if borrow && t == typeString {
			val, err := d.readStringBorrowed()
			if err != nil {
				return withKey(err, key, t)
			}
			if err := h.String(key, val, expire); err != nil {
				return err
			}
			if eh != nil && (idle >= 0 || freq >= 0) {
				if err := eh.Eviction(key, idle, freq); err != nil {
					return err
				}
			}
			expire, idle, freq = NoExpiry, -1, -1
			continue
		}
		v, err := d.readValue(int(t))
		if err == errEmptyKey {
			// Redis skips empty keys (once written by a bug) silently.
			expire, idle, freq = NoExpiry, -1, -1
			continue
		}
		if err != nil {
			return withKey(err, key, t)
		}
		if err := dispatch(h, key, v, expire); err != nil {
			return err
		}
		if eh != nil && (idle >= 0 || freq >= 0) {
			if err := eh.Eviction(key, idle, freq); err != nil {
				return err
			}
		}
		expire, idle, freq = NoExpiry, -1, -1
	}
}

// withKey adds the key being read, and its RDB type, to a corruption or
// unsupported-data error, as redis-check-rdb reports them.
func withKey(err error, key []byte, t byte) error {
	var le *LoadError
	if errors.As(err, &le) && (le.Kind == ErrCorrupt || le.Kind == ErrUnsupported) {
		k := key
		if len(k) > 64 {
			k = k[:64]
		}
		le.Detail = fmt.Sprintf("%s (reading key %q, RDB type %d: %s)", le.Detail, k, t, typeName(int(t)))
	}
	return err
}

// trailer checks the CRC64 that follows the EOF opcode (RDB 5 and later).
func (d *decoder) trailer(ver int, opts LoadOptions) error {
	if ver < 5 {
		return nil
	}
	expected := d.r.sum()
	b, err := d.r.next(8)
	if err != nil {
		return err
	}
	got := binary.LittleEndian.Uint64(b)
	if opts.SkipChecksum || got == 0 || got == expected {
		return nil
	}
	return &LoadError{Kind: ErrChecksum, Offset: d.r.offset() - 8, Expected: expected, Got: got}
}

// dispatch passes a decoded value to the handler method of its kind.
func dispatch(h Handler, key []byte, v Value, expire int64) error {
	switch v.Kind {
	case KindString:
		return h.String(key, v.Str, expire)
	case KindList:
		return h.List(key, v.List, expire)
	case KindSet:
		return h.Set(key, v.Set, expire)
	case KindHash:
		return h.Hash(key, v.Hash, expire)
	case KindZSet:
		return h.ZSet(key, v.ZSet, expire)
	case KindStream:
		return h.Stream(key, v.Stream, expire)
	}
	return nil
}

// atoi parses leading decimal digits like C's atoi (RDB versions are four
// digits after "REDIS").
func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// moduleName decodes the nine-character type name packed in a module type
// ID (moduleTypeNameByID).
func moduleName(id uint64) string {
	const cset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var name [9]byte
	id >>= 10
	for j := 8; j >= 0; j-- {
		name[j] = cset[id&63]
		id >>= 6
	}
	return string(name[:])
}

// readFunction reads a FUNCTION2 payload, or converts the 7.0-rc format of
// FUNCTION into one as rdbFunctionLoad does.
func (d *decoder) readFunction(op byte) ([]byte, error) {
	if op == opFunction2 {
		return d.readString()
	}
	name, err := d.readString()
	if err != nil {
		return nil, err
	}
	engine, err := d.readString()
	if err != nil {
		return nil, err
	}
	hasDesc, err := d.r.readPlainLen()
	if err != nil {
		return nil, err
	}
	if hasDesc != 0 {
		if _, err := d.readString(); err != nil {
			return nil, err
		}
	}
	blob, err := d.readString()
	if err != nil {
		return nil, err
	}
	code := make([]byte, 0, len(engine)+len(name)+len(blob)+10)
	code = append(code, "#!"...)
	code = append(code, engine...)
	code = append(code, " name="...)
	code = append(code, name...)
	code = append(code, '\n')
	return append(code, blob...), nil
}

// intString renders v in decimal in the decoder's arena.
func (d *decoder) intString(v int64) []byte {
	if cap(d.arena)-len(d.arena) < 20 {
		d.arena = make([]byte, 0, 4096)
	}
	start := len(d.arena)
	d.arena = strconv.AppendInt(d.arena, v, 10)
	return d.arena[start:len(d.arena):len(d.arena)]
}

// readString reads an RDB string in any of its encodings
// (rdbGenericLoadStringObject) into a new slice.
func (d *decoder) readString() ([]byte, error) {
	n, enc, err := d.r.readLen()
	if err != nil {
		return nil, err
	}
	if !enc {
		return d.r.readAlloc(n)
	}
	return d.readEncodedString(n)
}

// readEncodedString reads a string stored with the special encoding n
// (an integer or LZF).
func (d *decoder) readEncodedString(n uint64) ([]byte, error) {
	switch n {
	case encInt8:
		b, err := d.r.readByte()
		if err != nil {
			return nil, err
		}
		return d.intString(int64(int8(b))), nil
	case encInt16:
		b, err := d.r.next(2)
		if err != nil {
			return nil, err
		}
		return d.intString(int64(int16(binary.LittleEndian.Uint16(b)))), nil
	case encInt32:
		b, err := d.r.next(4)
		if err != nil {
			return nil, err
		}
		return d.intString(int64(int32(binary.LittleEndian.Uint32(b)))), nil
	case encLZF:
		return d.readLZF()
	}
	return nil, errCorrupt(fmt.Sprintf("Unknown RDB string encoding type %d", n))
}

// readStringScratch reads an RDB string like readString, into *buf (grown
// as needed and reused) when it is stored plainly: the result is only
// valid until the next use of *buf.
func (d *decoder) readStringScratch(buf *[]byte) ([]byte, error) {
	n, enc, err := d.r.readLen()
	if err != nil {
		return nil, err
	}
	if enc {
		return d.readEncodedString(n)
	}
	return d.readPlainInto(buf, n)
}

// readPlainInto reads n bytes into *buf, which it grows as needed (only
// once the bytes arrive for large n).
func (d *decoder) readPlainInto(buf *[]byte, n uint64) ([]byte, error) {
	if n > maxPrealloc {
		return d.r.readAlloc(n)
	}
	if uint64(cap(*buf)) < n {
		*buf = make([]byte, n, max(n, 64))
	}
	b := (*buf)[:n]
	if err := d.r.readFull(b); err != nil {
		return nil, err
	}
	return b, nil
}

// readStringBorrowed reads an RDB string that is only valid until the next
// read: a plain string already in the input window is returned in place.
func (d *decoder) readStringBorrowed() ([]byte, error) {
	n, enc, err := d.r.readLen()
	if err != nil {
		return nil, err
	}
	if enc {
		return d.readEncodedString(n)
	}
	if n <= readerBufSize {
		if b := d.r.peekN(int(n)); b != nil {
			d.r.pos += int(n)
			return b[:n:n], nil
		}
	}
	return d.readPlainInto(&d.valBuf, n)
}

// readLZF reads an LZF-compressed string (rdbLoadLzfStringObject).
func (d *decoder) readLZF() ([]byte, error) {
	clen, err := d.r.readPlainLen()
	if err != nil {
		return nil, err
	}
	ulen, err := d.r.readPlainLen()
	if err != nil {
		return nil, err
	}
	if ulen/lzf.MaxExpansion > clen {
		return nil, errCorrupt("Invalid LZF compressed string")
	}
	var comp []byte
	if clen <= readerBufSize {
		comp = d.r.peekN(int(clen))
	}
	if comp != nil {
		d.r.pos += int(clen)
	} else if comp, err = d.r.readAlloc(clen); err != nil {
		return nil, err
	}
	out := make([]byte, ulen)
	if ulen == 0 {
		// lzf_decompress into an empty buffer "returns" 0, which Redis
		// takes as the expected length.
		return out, nil
	}
	n, err := lzf.Decompress(out, comp)
	if err != nil || uint64(n) != ulen {
		return nil, errCorrupt("Invalid LZF compressed string")
	}
	return out, nil
}

// errEmptyKey reports a collection with no elements, which Redis skips
// when loading a file and refuses in RESTORE.
var errEmptyKey = errors.New("empty key")

// capHint bounds the capacity reserved for n elements read from the input.
func (d *decoder) capHint(n uint64) int {
	if rem := d.r.remaining(); rem >= 0 && n > uint64(rem) {
		n = uint64(rem)
	}
	return int(min(n, 1<<16))
}

// readDouble reads a double in the old string form (rdbLoadDoubleValue).
func (d *decoder) readDouble() (float64, error) {
	l, err := d.r.readByte()
	if err != nil {
		return 0, err
	}
	switch l {
	case 255:
		return math.Inf(-1), nil
	case 254:
		return math.Inf(1), nil
	case 253:
		return math.NaN(), nil
	}
	buf := make([]byte, l)
	if err := d.r.readFull(buf); err != nil {
		return 0, err
	}
	f, ok := numfmt.ParseFloatLoose(buf)
	if !ok {
		return 0, errCorrupt("Zset with invalid score detected")
	}
	return f, nil
}

// readValue decodes the value of an object of RDB type t (rdbLoadObject).
func (d *decoder) readValue(t int) (Value, error) {
	switch t {
	case typeString:
		s, err := d.readString()
		return Value{Kind: KindString, Str: s}, err

	case typeList:
		n, err := d.r.readPlainLen()
		if err != nil {
			return Value{}, err
		}
		if n == 0 {
			return Value{}, errEmptyKey
		}
		elems := make([][]byte, 0, d.capHint(n))
		for ; n > 0; n-- {
			s, err := d.readString()
			if err != nil {
				return Value{}, err
			}
			elems = append(elems, s)
		}
		return Value{Kind: KindList, List: elems}, nil

	case typeSet:
		n, err := d.r.readPlainLen()
		if err != nil {
			return Value{}, err
		}
		if n == 0 {
			return Value{}, errEmptyKey
		}
		members := make([][]byte, 0, d.capHint(n))
		for ; n > 0; n-- {
			s, err := d.readString()
			if err != nil {
				return Value{}, err
			}
			members = append(members, s)
		}
		if d.hasDup(len(members), func(i int) []byte { return members[i] }) {
			return Value{}, errCorrupt("Duplicate set members detected")
		}
		return Value{Kind: KindSet, Set: members}, nil

	case typeZSet, typeZSet2:
		n, err := d.r.readPlainLen()
		if err != nil {
			return Value{}, err
		}
		if n == 0 {
			return Value{}, errEmptyKey
		}
		members := make([]ZMember, 0, d.capHint(n))
		for ; n > 0; n-- {
			m, err := d.readString()
			if err != nil {
				return Value{}, err
			}
			var score float64
			if t == typeZSet2 {
				b, err := d.r.next(8)
				if err != nil {
					return Value{}, err
				}
				score = math.Float64frombits(binary.LittleEndian.Uint64(b))
			} else if score, err = d.readDouble(); err != nil {
				return Value{}, err
			}
			if math.IsNaN(score) {
				return Value{}, errCorrupt("Zset with NAN score detected")
			}
			members = append(members, ZMember{Member: m, Score: score})
		}
		if d.hasDup(len(members), func(i int) []byte { return members[i].Member }) {
			return Value{}, errCorrupt("Duplicate zset fields detected")
		}
		return Value{Kind: KindZSet, ZSet: members}, nil

	case typeHash:
		n, err := d.r.readPlainLen()
		if err != nil {
			return Value{}, err
		}
		if n == 0 {
			return Value{}, errEmptyKey
		}
		pairs := make([][2][]byte, 0, d.capHint(n))
		for ; n > 0; n-- {
			f, err := d.readString()
			if err != nil {
				return Value{}, err
			}
			v, err := d.readString()
			if err != nil {
				return Value{}, err
			}
			pairs = append(pairs, [2][]byte{f, v})
		}
		if d.hasDup(len(pairs), func(i int) []byte { return pairs[i][0] }) {
			return Value{}, errCorrupt("Duplicate hash fields detected")
		}
		return Value{Kind: KindHash, Hash: pairs}, nil

	case typeListQuicklist, typeListQuicklist2:
		return d.readQuicklist(t)

	case typeListZiplist:
		blob, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		var elems [][]byte
		if err := walkZiplist(blob, func(it lpItem) error {
			elems = append(elems, d.itemBytes(it))
			return nil
		}); err != nil {
			return Value{}, err
		}
		if len(elems) == 0 {
			return Value{}, errEmptyKey
		}
		return Value{Kind: KindList, List: elems}, nil

	case typeSetIntset:
		blob, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		var members [][]byte
		if err := walkIntset(blob, func(v int64) {
			members = append(members, d.intString(v))
		}); err != nil {
			return Value{}, err
		}
		return Value{Kind: KindSet, Set: members}, nil

	case typeZSetZiplist, typeZSetListpack:
		blob, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		items, err := d.pairItems(t, blob)
		if err != nil {
			return Value{}, err
		}
		members := make([]ZMember, 0, len(items)/2)
		for i := 0; i < len(items); i += 2 {
			var score float64
			if it := items[i+1]; it.isInt {
				score = float64(it.v)
			} else {
				f, ok := numfmt.ParseFloatLoose(it.s)
				if !ok || math.IsNaN(f) {
					return Value{}, errCorrupt("Zset listpack integrity check failed: bad score")
				}
				score = f
			}
			members = append(members, ZMember{Member: d.itemBytes(items[i]), Score: score})
		}
		if len(members) == 0 {
			return Value{}, errEmptyKey
		}
		if d.hasDup(len(members), func(i int) []byte { return members[i].Member }) {
			return Value{}, errCorrupt("Duplicate zset fields detected")
		}
		return Value{Kind: KindZSet, ZSet: members}, nil

	case typeHashZiplist, typeHashListpack:
		blob, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		items, err := d.pairItems(t, blob)
		if err != nil {
			return Value{}, err
		}
		pairs := make([][2][]byte, 0, len(items)/2)
		for i := 0; i < len(items); i += 2 {
			pairs = append(pairs, [2][]byte{d.itemBytes(items[i]), d.itemBytes(items[i+1])})
		}
		if len(pairs) == 0 {
			return Value{}, errEmptyKey
		}
		if d.hasDup(len(pairs), func(i int) []byte { return pairs[i][0] }) {
			return Value{}, errCorrupt("Hash with dup elements")
		}
		return Value{Kind: KindHash, Hash: pairs}, nil

	case typeHashZipmap:
		blob, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		var pairs [][2][]byte
		if err := walkZipmap(blob, func(f, v []byte) error {
			pairs = append(pairs, [2][]byte{f, v})
			return nil
		}); err != nil {
			return Value{}, err
		}
		if d.hasDup(len(pairs), func(i int) []byte { return pairs[i][0] }) {
			return Value{}, errCorrupt("Hash zipmap with dup elements")
		}
		return Value{Kind: KindHash, Hash: pairs}, nil

	case typeStreamListpacks, typeStreamListpacks2:
		return d.readStream(t)

	case typeModule, typeModule2:
		id, err := d.r.readPlainLen()
		if err != nil {
			return Value{}, err
		}
		return Value{}, &LoadError{Kind: ErrUnsupported, Offset: -1,
			Detail: fmt.Sprintf("The RDB file contains module data I can't load: no matching module type '%s'", moduleName(id))}
	}
	return Value{}, errCorrupt(fmt.Sprintf("Unknown RDB encoding type %d", t))
}

// itemBytes returns a listpack or ziplist item as a string.
func (d *decoder) itemBytes(it lpItem) []byte {
	if it.isInt {
		return d.intString(it.v)
	}
	return it.s
}

// pairItems decodes the ziplist or listpack blob of a hash or sorted set
// and checks it holds whole pairs.
func (d *decoder) pairItems(t int, blob []byte) ([]lpItem, error) {
	var items []lpItem
	collect := func(it lpItem) error {
		items = append(items, it)
		return nil
	}
	var err error
	if t == typeZSetZiplist || t == typeHashZiplist {
		err = walkZiplist(blob, collect)
	} else {
		err = walkListpack(blob, collect)
	}
	if err != nil {
		return nil, err
	}
	if len(items)%2 != 0 {
		return nil, errCorrupt(fmt.Sprintf("%s with an odd number of entries", typeName(t)))
	}
	return items, nil
}

// readQuicklist decodes a QUICKLIST (ziplist nodes) or QUICKLIST_2
// (listpack or plain nodes) list.
func (d *decoder) readQuicklist(t int) (Value, error) {
	nodes, err := d.r.readPlainLen()
	if err != nil {
		return Value{}, err
	}
	if nodes == 0 {
		return Value{}, errEmptyKey
	}
	var elems [][]byte
	add := func(it lpItem) error {
		elems = append(elems, d.itemBytes(it))
		return nil
	}
	for ; nodes > 0; nodes-- {
		container := uint64(containerPacked)
		if t == typeListQuicklist2 {
			if container, err = d.r.readPlainLen(); err != nil {
				return Value{}, err
			}
			if container != containerPacked && container != containerPlain {
				return Value{}, errCorrupt("Quicklist integrity check failed.")
			}
		}
		data, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		if len(data) == 0 {
			return Value{}, errCorrupt("Quicklist integrity check failed: empty node")
		}
		switch {
		case container == containerPlain:
			elems = append(elems, data)
		case t == typeListQuicklist2:
			err = walkListpack(data, add)
		default:
			err = walkZiplist(data, add)
		}
		if err != nil {
			return Value{}, err
		}
	}
	if len(elems) == 0 {
		return Value{}, errEmptyKey
	}
	return Value{Kind: KindList, List: elems}, nil
}

// hasDup reports whether the n strings returned by get hold a duplicate.
func (d *decoder) hasDup(n int, get func(i int) []byte) bool {
	if n < 2 {
		return false
	}
	if n <= 16 {
		for i := 1; i < n; i++ {
			a := get(i)
			for j := 0; j < i; j++ {
				if bytes.Equal(a, get(j)) {
					return true
				}
			}
		}
		return false
	}
	if d.seen == nil {
		d.seed = maphash.MakeSeed()
		d.seen = make(map[uint64]int, n)
	} else {
		clear(d.seen)
	}
	for i := 0; i < n; i++ {
		s := get(i)
		h := maphash.Bytes(d.seed, s)
		if j, ok := d.seen[h]; ok {
			if bytes.Equal(get(j), s) {
				return true
			}
			return slowHasDup(n, get) // a 64-bit hash collision
		}
		d.seen[h] = i
	}
	if len(d.seen) > 1<<16 {
		d.seen = nil // do not keep a huge map around
	}
	return false
}

func slowHasDup(n int, get func(i int) []byte) bool {
	seen := make(map[string]struct{}, n)
	for i := 0; i < n; i++ {
		s := get(i)
		if _, ok := seen[string(s)]; ok {
			return true
		}
		seen[string(s)] = struct{}{}
	}
	return false
}
