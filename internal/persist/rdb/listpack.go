package rdb

import (
	"encoding/binary"
	"github.com/redis-clone/redis-clone/internal/listpack"

	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// Listpack layout (listpack.c): a 6-byte header (total bytes, uint32 LE;
// number of elements, uint16 LE, 65535 when unknown), the entries, and a
// 0xFF terminator. An entry is an encoding byte (with inline length or
// value bits), the data, and a "backlen": the size of encoding+data in
// 7-bit groups, stored so it can be read right to left.
const (
	lpHeaderSize = 6
	lpEOF        = 0xFF
	lpNumUnknown = 65535
)

// appendBacklen appends the backlen of an entry whose encoding+data take l
// bytes (lpEncodeBacklen).
func appendBacklen(dst []byte, l int) []byte {
	switch listpack.BacklenSize(l) {
	case 1:
		return append(dst, byte(l))
	case 2:
		return append(dst, byte(l>>7), byte(l&127)|128)
	case 3:
		return append(dst, byte(l>>14), byte(l>>7&127)|128, byte(l&127)|128)
	case 4:
		return append(dst, byte(l>>21), byte(l>>14&127)|128, byte(l>>7&127)|128, byte(l&127)|128)
	}
	return append(dst, byte(l>>28), byte(l>>21&127)|128, byte(l>>14&127)|128, byte(l>>7&127)|128, byte(l&127)|128)
}

// listpackBuilder builds a listpack in a reusable buffer.
type listpackBuilder struct {
	buf   []byte
	count int
}

func (b *listpackBuilder) reset() {
	b.buf = append(b.buf[:0], 0, 0, 0, 0, 0, 0)
	b.count = 0
}

// appendInt appends integer v (lpAppendInteger).
func (b *listpackBuilder) appendInt(v int64) {
	start := len(b.buf)
	switch l := listpack.IntEncSize(v); l {
	case 1:
		b.buf = append(b.buf, byte(v))
	case 2:
		u := uint64(v) & (1<<13 - 1)
		b.buf = append(b.buf, byte(u>>8)|0xC0, byte(u))
	case 3:
		b.buf = append(b.buf, 0xF1, byte(v), byte(v>>8))
	case 4:
		b.buf = append(b.buf, 0xF2, byte(v), byte(v>>8), byte(v>>16))
	case 5:
		b.buf = append(b.buf, 0xF3, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	default:
		b.buf = append(b.buf, 0xF4)
		b.buf = binary.LittleEndian.AppendUint64(b.buf, uint64(v))
	}
	b.buf = appendBacklen(b.buf, len(b.buf)-start)
	b.count++
}

// appendString appends s, as an integer when it is one in canonical form
// (lpAppend).
func (b *listpackBuilder) appendString(s []byte) {
	if v, ok := numfmt.ParseInt(s); ok {
		b.appendInt(v)
		return
	}
	start := len(b.buf)
	switch n := len(s); {
	case n < 64:
		b.buf = append(b.buf, 0x80|byte(n))
	case n < 4096:
		b.buf = append(b.buf, 0xE0|byte(n>>8), byte(n))
	default:
		b.buf = append(b.buf, 0xF0)
		b.buf = binary.LittleEndian.AppendUint32(b.buf, uint32(n))
	}
	b.buf = append(b.buf, s...)
	b.buf = appendBacklen(b.buf, len(b.buf)-start)
	b.count++
}

// finish terminates the listpack, fills in its header and returns it. The
// result aliases the builder's buffer.
func (b *listpackBuilder) finish() []byte {
	b.buf = append(b.buf, lpEOF)
	binary.LittleEndian.PutUint32(b.buf[0:], uint32(len(b.buf)))
	n := b.count
	if n >= lpNumUnknown {
		n = lpNumUnknown
	}
	binary.LittleEndian.PutUint16(b.buf[4:], uint16(n))
	return b.buf
}

// lpItem is one decoded listpack or ziplist entry: a string (s != nil or
// isInt false) or an integer.
type lpItem struct {
	s     []byte
	v     int64
	isInt bool
}

// walkListpack validates the listpack lp like lpValidateIntegrity with
// deep checks (header size, terminator, every entry's bounds and backlen,
// element count) and calls fn for each entry. Strings passed to fn alias lp.
func walkListpack(lp []byte, fn func(it lpItem) error) error {
	if len(lp) < lpHeaderSize+1 {
		return errCorrupt("Listpack integrity check failed: too short")
	}
	if int(binary.LittleEndian.Uint32(lp)) != len(lp) {
		return errCorrupt("Listpack integrity check failed: header size mismatch")
	}
	if lp[len(lp)-1] != lpEOF {
		return errCorrupt("Listpack integrity check failed: no terminator")
	}
	numele := int(binary.LittleEndian.Uint16(lp[4:]))
	end := len(lp) - 1 // index of the terminator
	p := lpHeaderSize
	count := 0
	for p < end {
		c := lp[p]
		var it lpItem
		var hdr, dlen int // encoding bytes and data bytes
		switch {
		case c&0x80 == 0: // 7-bit uint
			hdr, it.isInt, it.v = 1, true, int64(c&0x7F)
		case c&0xC0 == 0x80: // 6-bit string
			hdr, dlen = 1, int(c&0x3F)
		case c&0xE0 == 0xC0: // 13-bit int
			hdr, dlen, it.isInt = 1, 1, true
		case c&0xF0 == 0xE0: // 12-bit string
			if p+2 > end {
				return errCorrupt("Listpack integrity check failed: entry header out of range")
			}
			hdr, dlen = 2, int(c&0x0F)<<8|int(lp[p+1])
		case c == 0xF0: // 32-bit string
			if p+5 > end {
				return errCorrupt("Listpack integrity check failed: entry header out of range")
			}
			hdr, dlen = 5, int(binary.LittleEndian.Uint32(lp[p+1:]))
		case c == 0xF1:
			hdr, dlen, it.isInt = 1, 2, true
		case c == 0xF2:
			hdr, dlen, it.isInt = 1, 3, true
		case c == 0xF3:
			hdr, dlen, it.isInt = 1, 4, true
		case c == 0xF4:
			hdr, dlen, it.isInt = 1, 8, true
		default:
			return errCorrupt("Listpack integrity check failed: bad entry encoding")
		}
		l := hdr + dlen
		bl := listpack.BacklenSize(l)
		if dlen > end || p+l+bl > end {
			return errCorrupt("Listpack integrity check failed: entry out of range")
		}
		// The backlen, read right to left, must encode l.
		q := p + l + bl - 1
		var back uint64
		for shift := uint(0); ; shift += 7 {
			if shift > 28 || q < p+l {
				return errCorrupt("Listpack integrity check failed: bad backlen")
			}
			back |= uint64(lp[q]&127) << shift
			if lp[q]&128 == 0 {
				break
			}
			q--
		}
		if back != uint64(l) || q != p+l {
			return errCorrupt("Listpack integrity check failed: backlen mismatch")
		}
		d := lp[p+hdr : p+l]
		switch {
		case !it.isInt:
			it.s = d[:len(d):len(d)]
		case c&0xE0 == 0xC0:
			u := uint64(c&0x1F)<<8 | uint64(d[0])
			it.v = signExtend(u, 13)
		case c == 0xF1:
			it.v = int64(int16(binary.LittleEndian.Uint16(d)))
		case c == 0xF2:
			it.v = signExtend(uint64(d[0])|uint64(d[1])<<8|uint64(d[2])<<16, 24)
		case c == 0xF3:
			it.v = int64(int32(binary.LittleEndian.Uint32(d)))
		case c == 0xF4:
			it.v = int64(binary.LittleEndian.Uint64(d))
		}
		if err := fn(it); err != nil {
			return err
		}
		count++
		p += l + bl
	}
	if p != end {
		return errCorrupt("Listpack integrity check failed: entries overrun the terminator")
	}
	if numele != lpNumUnknown && numele != count {
		return errCorrupt("Listpack integrity check failed: element count mismatch")
	}
	return nil
}

// signExtend interprets the low bits of u as a two's complement integer.
func signExtend(u uint64, bits uint) int64 {
	shift := 64 - bits
	return int64(u<<shift) >> shift
}
