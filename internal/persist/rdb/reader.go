package rdb

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// reader is the input side of the loader: a window over a bufio.Reader (or
// over an in-memory payload) that tracks the input offset and the CRC64 of
// every byte consumed. Bytes are consumed from the window; the bufio.Reader
// is only advanced (Discard) when the window is refilled or at the end, so
// it is never read past the last byte the loader consumed.
type reader struct {
	br      *bufio.Reader // nil for an in-memory payload
	win     []byte        // bytes available without blocking
	pos     int           // bytes of win consumed
	crcPos  int           // bytes of win already in crc
	crc     uint64        // CRC64 of the consumed input before win[crcPos]
	base    int64         // input offset of win[0]
	inMem   bool          // win is the whole input
	limit   int64         // input size when known (Len() of the reader), else -1
	noCRC   bool          // skip CRC computation
	readErr error         // a non-EOF I/O error from the underlying reader
}

// readerBufSize is the buffer size used when the caller's io.Reader is not
// already a *bufio.Reader.
const readerBufSize = 64 << 10

// maxPrealloc caps the capacity reserved up front from a length read in
// the input, before the data behind it has been seen.
const maxPrealloc = 1 << 20

func newReader(r io.Reader) *reader {
	limit := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		limit = int64(l.Len()) // bytes.Reader, strings.Reader, bytes.Buffer
	}
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, readerBufSize)
	} else {
		limit = -1 // Len is not defined there; Buffered is only a part
	}
	return &reader{br: br, limit: limit}
}

func newBytesReader(b []byte) *reader {
	return &reader{win: b, inMem: true, limit: int64(len(b))}
}

// offset is the input offset of the next byte.
func (r *reader) offset() int64 { return r.base + int64(r.pos) }

// remaining returns how many bytes are known to be left, or -1.
func (r *reader) remaining() int64 {
	if r.limit < 0 {
		return -1
	}
	return r.limit - r.offset()
}

// sum returns the CRC64 of everything consumed so far.
func (r *reader) sum() uint64 {
	if !r.noCRC && r.crcPos < r.pos {
		r.crc = crcUpdate(r.crc, r.win[r.crcPos:r.pos])
	}
	r.crcPos = r.pos
	return r.crc
}

// commit folds the consumed part of the window into the CRC and releases it
// from the bufio.Reader.
func (r *reader) commit() {
	r.sum()
	if r.br != nil && r.pos > 0 {
		r.br.Discard(r.pos)
		r.base += int64(r.pos)
		r.win = r.win[r.pos:]
		r.pos, r.crcPos = 0, 0
	}
}

// shortRead is the error for input that ends too early (or fails).
func (r *reader) shortRead() error {
	if r.readErr != nil {
		return fmt.Errorf("rdb: reading input at offset %d: %w", r.offset(), r.readErr)
	}
	return &LoadError{Kind: ErrShortRead, Offset: r.offset()}
}

// fill makes at least n (a small number) unconsumed bytes available.
func (r *reader) fill(n int) error {
	if len(r.win)-r.pos >= n {
		return nil
	}
	if r.br == nil {
		return r.shortRead()
	}
	r.commit()
	w, err := r.br.Peek(n)
	if len(w) < n {
		if err != nil && !errors.Is(err, io.EOF) {
			r.readErr = err
		}
		r.win = w
		return r.shortRead()
	}
	// Take everything already buffered, without blocking for more.
	if b := r.br.Buffered(); b > n {
		w, _ = r.br.Peek(b)
	}
	r.win = w
	return nil
}

// readByte consumes one byte.
func (r *reader) readByte() (byte, error) {
	if r.pos < len(r.win) {
		b := r.win[r.pos]
		r.pos++
		return b, nil
	}
	if err := r.fill(1); err != nil {
		return 0, err
	}
	b := r.win[r.pos]
	r.pos++
	return b, nil
}

// next consumes n (at most 16) bytes and returns them; the slice is only
// valid until the next read.
func (r *reader) next(n int) ([]byte, error) {
	if err := r.fill(n); err != nil {
		return nil, err
	}
	b := r.win[r.pos : r.pos+n]
	r.pos += n
	return b, nil
}

// peekN returns the next n bytes without consuming them if they are
// already in the window, else nil.
func (r *reader) peekN(n int) []byte {
	if len(r.win)-r.pos >= n {
		return r.win[r.pos : r.pos+n]
	}
	return nil
}

// readFull fills dst from the input.
func (r *reader) readFull(dst []byte) error {
	k := copy(dst, r.win[r.pos:])
	r.pos += k
	if k == len(dst) {
		return nil
	}
	if r.br == nil {
		return r.shortRead()
	}
	r.commit()
	// The window is empty now; read the rest straight from the bufio.Reader
	// (large reads bypass its buffer).
	r.win, r.pos, r.crcPos = nil, 0, 0
	m, err := io.ReadFull(r.br, dst[k:])
	if !r.noCRC {
		r.crc = crcUpdate(r.crc, dst[k:k+m])
	}
	r.base += int64(m)
	if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			r.readErr = err
		}
		return r.shortRead()
	}
	return nil
}

// readAlloc reads n bytes into a new slice. A corrupt huge n cannot make it
// allocate much more than the input really holds: known-size input is
// checked first, other input is read in chunks that grow as data arrives.
func (r *reader) readAlloc(n uint64) ([]byte, error) {
	if rem := r.remaining(); rem >= 0 && n > uint64(rem) {
		r.pos = len(r.win)
		return nil, r.shortRead()
	}
	if n <= maxPrealloc {
		b := make([]byte, n)
		if err := r.readFull(b); err != nil {
			return nil, err
		}
		return b, nil
	}
	if n > 1<<62 {
		return nil, errCorrupt(fmt.Sprintf("string length %d out of range", n))
	}
	b := make([]byte, 0, maxPrealloc)
	for uint64(len(b)) < n {
		if len(b) == cap(b) {
			b = slices.Grow(b, int(min(uint64(len(b)), n-uint64(len(b)))))
		}
		start := len(b)
		b = b[:int(min(uint64(cap(b)), n))]
		if err := r.readFull(b[start:]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// readLen reads an RDB length (rdbLoadLenByRef). When the first two bits
// announce a special encoding, encoded is true and n is the encoding type.
func (r *reader) readLen() (n uint64, encoded bool, err error) {
	c, err := r.readByte()
	if err != nil {
		return 0, false, err
	}
	switch c >> 6 {
	case encVal:
		return uint64(c & 0x3F), true, nil
	case len6Bit:
		return uint64(c & 0x3F), false, nil
	case len14Bit:
		d, err := r.readByte()
		if err != nil {
			return 0, false, err
		}
		return uint64(c&0x3F)<<8 | uint64(d), false, nil
	}
	switch c {
	case len32Bit:
		b, err := r.next(4)
		if err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(b)), false, nil
	case len64Bit:
		b, err := r.next(8)
		if err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(b), false, nil
	}
	return 0, false, errCorrupt(fmt.Sprintf("Unknown length encoding %d in rdbLoadLen()", c>>6))
}

// readPlainLen reads a count or size.
func (r *reader) readPlainLen() (uint64, error) {
	// Like rdbLoadLen(rdb,NULL), a special encoding byte is taken as the
	// length given by its low six bits.
	n, _, err := r.readLen()
	return n, err
}
