package zset

import (
	"bytes"
	"encoding/binary"
	"math"
)

// The small encoding ("listpack" in OBJECT ENCODING) keeps every element
// in one byte slice, in (score, member) order, like Redis's listpack: per
// element the member length as a uvarint, the member bytes and the score's
// 8 IEEE-754 bytes (little endian). It holds no pointers, so small sorted
// sets cost the garbage collector nothing; lookups are linear, which is
// what Redis does too below zset-max-listpack-entries.

// lpMaxBytes mirrors lpSafeToAdd's limit (LISTPACK_MAX_SAFETY_SIZE): a
// listpack never grows beyond 1 GB; the set converts to a skiplist first.
const lpMaxBytes = 1 << 30

// lpEntry decodes the element at off and returns its member (aliasing
// buf), its score and the offset of the next element.
func lpEntry(buf []byte, off int) (member []byte, score float64, next int) {
	n, w := binary.Uvarint(buf[off:])
	start := off + w
	end := start + int(n)
	score = math.Float64frombits(binary.LittleEndian.Uint64(buf[end:]))
	return buf[start:end:end], score, end + 8
}

// lpSkip returns the offset of the element after the one at off.
func lpSkip(buf []byte, off int) int {
	n, w := binary.Uvarint(buf[off:])
	return off + w + int(n) + 8
}

// lpFind returns the offsets of the element holding member (off, next) and
// its score.
func lpFind(buf, member []byte) (off, next int, score float64, ok bool) {
	for off < len(buf) {
		m, s, nx := lpEntry(buf, off)
		if bytes.Equal(m, member) {
			return off, nx, s, true
		}
		off = nx
	}
	return 0, 0, 0, false
}

// lpEncodedLen is the size of an element with a member of n bytes.
func lpEncodedLen(n int) int {
	var tmp [binary.MaxVarintLen64]byte
	return binary.PutUvarint(tmp[:], uint64(n)) + n + 8
}

// lpNormalize maps -0 to 0: Redis stores an integral score in a listpack
// as an integer, which loses the sign of zero.
func lpNormalize(score float64) float64 {
	if score == 0 {
		return 0
	}
	return score
}

// lpInsert inserts (member, score), which must not be present, at its
// place in order and returns the grown buffer.
func lpInsert(buf, member []byte, score float64) []byte {
	score = lpNormalize(score)
	off := 0
	for off < len(buf) {
		m, s, nx := lpEntry(buf, off)
		if s > score || (s == score && bytes.Compare(m, member) > 0) {
			break
		}
		off = nx
	}
	return lpInsertAt(buf, off, member, score)
}

// lpInsertAt inserts (member, score) at byte offset off.
func lpInsertAt(buf []byte, off int, member []byte, score float64) []byte {
	size := lpEncodedLen(len(member))
	old := len(buf)
	if cap(buf)-old >= size {
		buf = buf[:old+size]
	} else {
		nb := make([]byte, old+size, growCap(old+size))
		copy(nb, buf[:off])
		copy(nb[off+size:], buf[off:old])
		buf = nb
		old = off // nothing left to move
	}
	if old > off {
		copy(buf[off+size:], buf[off:old])
	}
	p := off + binary.PutUvarint(buf[off:], uint64(len(member)))
	p += copy(buf[p:], member)
	binary.LittleEndian.PutUint64(buf[p:], math.Float64bits(score))
	return buf
}

// growCap picks a capacity for a buffer that must hold n bytes.
func growCap(n int) int {
	if n < 64 {
		return 64
	}
	return n + n/4
}

// lpAppend appends (member, score), which must sort after every element.
func lpAppend(buf, member []byte, score float64) []byte {
	return lpInsertAt(buf, len(buf), member, lpNormalize(score))
}

// lpCut removes the bytes [from, to) and returns the shrunk buffer.
func lpCut(buf []byte, from, to int) []byte {
	n := copy(buf[from:], buf[to:])
	buf = buf[:from+n]
	if len(buf) == 0 {
		return nil
	}
	return buf
}

// lpSeek returns the offset of the element with 0-based index i (or
// len(buf) when i is the length).
func lpSeek(buf []byte, i int) int {
	off := 0
	for ; i > 0; i-- {
		off = lpSkip(buf, off)
	}
	return off
}

// lpOffsets appends the offset of every element to dst.
func lpOffsets(buf []byte, dst []int) []int {
	for off := 0; off < len(buf); off = lpSkip(buf, off) {
		dst = append(dst, off)
	}
	return dst
}
