package quicklist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"github.com/redis-clone/redis-clone/internal/listpack"
	"strconv"
)

// Listpack entries (listpack.c), the format nodes keep their elements in:
// an encoding byte (with the length or the integer), the data, then the
// entry's own length (encoding + data) as a back-length read from the
// right, so that entries can be walked both ways. Integers that are the
// canonical decimal form of an int64 are stored as integers.

// Listpack sizes.
const (
	lpHeaderSize = 6 // total bytes (32 bit) + element count (16 bit)
	lpEndSize    = 1 // the 0xFF terminator
	lpEmptySize  = lpHeaderSize + lpEndSize
	lpEOF        = 0xFF
	lpCountMax   = 65535 // the header's count when it does not fit
)

// Encoding bytes.
const (
	enc7BitUintMask = 0x80
	enc6BitStr      = 0x80
	enc6BitStrMask  = 0xC0
	enc13BitInt     = 0xC0
	enc13BitIntMask = 0xE0
	enc12BitStr     = 0xE0
	enc12BitStrMask = 0xF0
	enc16BitInt     = 0xF1
	enc24BitInt     = 0xF2
	enc32BitInt     = 0xF3
	enc64BitInt     = 0xF4
	enc32BitStr     = 0xF0
)

// appendEntry appends v encoded as a listpack entry to dst.
func appendEntry(dst, v []byte) []byte {
	start := len(dst)
	if n, ok := listpack.AsInt(v); ok {
		switch listpack.IntEncSize(n) {
		case 1:
			dst = append(dst, byte(n))
		case 2:
			u := uint64(n) & (1<<13 - 1)
			dst = append(dst, byte(u>>8)|enc13BitInt, byte(u))
		case 3:
			dst = append(dst, enc16BitInt, byte(n), byte(n>>8))
		case 4:
			dst = append(dst, enc24BitInt, byte(n), byte(n>>8), byte(n>>16))
		case 5:
			dst = append(dst, enc32BitInt, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
		default:
			dst = append(dst, enc64BitInt)
			dst = binary.LittleEndian.AppendUint64(dst, uint64(n))
		}
	} else {
		switch l := len(v); {
		case l < 64:
			dst = append(dst, byte(l)|enc6BitStr)
		case l < 4096:
			dst = append(dst, byte(l>>8)|enc12BitStr, byte(l))
		default:
			dst = append(dst, enc32BitStr)
			dst = binary.LittleEndian.AppendUint32(dst, uint32(l))
		}
		dst = append(dst, v...)
	}
	return appendBacklen(dst, len(dst)-start)
}

// appendBacklen appends lpEncodeBacklen(l).
func appendBacklen(dst []byte, l int) []byte {
	switch listpack.BacklenSize(l) {
	case 1:
		return append(dst, byte(l))
	case 2:
		return append(dst, byte(l>>7), byte(l&127)|128)
	case 3:
		return append(dst, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case 4:
		return append(dst, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return append(dst, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
}

// encLen returns the encoding+data length of the entry at b[p:] (whose
// encoding byte must be valid).
func encLen(b []byte, p int) int {
	c := b[p]
	switch {
	case c&enc7BitUintMask == 0:
		return 1
	case c&enc6BitStrMask == enc6BitStr:
		return 1 + int(c&0x3f)
	case c&enc13BitIntMask == enc13BitInt:
		return 2
	case c&enc12BitStrMask == enc12BitStr:
		return 2 + (int(c&0x0f)<<8 | int(b[p+1]))
	case c == enc16BitInt:
		return 3
	case c == enc24BitInt:
		return 4
	case c == enc32BitInt:
		return 5
	case c == enc64BitInt:
		return 9
	case c == enc32BitStr:
		return 5 + int(binary.LittleEndian.Uint32(b[p+1:]))
	}
	panic("quicklist: bad listpack encoding")
}

// nextEntry returns the offset after the entry at p.
func nextEntry(b []byte, p int) int {
	l := encLen(b, p)
	return p + l + listpack.BacklenSize(l)
}

// prevEntry returns the offset of the entry that ends at end.
func prevEntry(b []byte, end int) int {
	p := end - 1
	var l, shift int
	for {
		l |= int(b[p]&127) << shift
		if b[p]&128 == 0 {
			break
		}
		shift += 7
		p--
	}
	return end - listpack.BacklenSize(l) - l
}

// intBuf is where integer entries are formatted: a scratch buffer reused
// by every call, or, when stable is set, an arena that is never
// overwritten (a new one is allocated when it fills up), so that every
// slice handed out stays valid.
type intBuf struct {
	scratch *[20]byte
	arena   []byte
	stable  bool
}

// format returns the decimal form of n.
func (ib *intBuf) format(n int64) []byte {
	if !ib.stable {
		return strconv.AppendInt(ib.scratch[:0], n, 10)
	}
	if cap(ib.arena)-len(ib.arena) < 20 {
		ib.arena = make([]byte, 0, min(max(64, 2*cap(ib.arena)), 4096))
	}
	s := len(ib.arena)
	ib.arena = strconv.AppendInt(ib.arena, n, 10)
	return ib.arena[s:len(ib.arena):len(ib.arena)]
}

// entryValue returns the element of the entry at p: a slice of b for a
// string, the decimal form of an integer in ib.
func entryValue(b []byte, p int, ib *intBuf) []byte {
	c := b[p]
	var n int64
	switch {
	case c&enc7BitUintMask == 0:
		n = int64(c)
	case c&enc6BitStrMask == enc6BitStr:
		l := int(c & 0x3f)
		return b[p+1 : p+1+l : p+1+l]
	case c&enc13BitIntMask == enc13BitInt:
		u := int64(c&0x1f)<<8 | int64(b[p+1])
		if u >= 1<<12 {
			u -= 1 << 13
		}
		n = u
	case c&enc12BitStrMask == enc12BitStr:
		l := int(c&0x0f)<<8 | int(b[p+1])
		return b[p+2 : p+2+l : p+2+l]
	case c == enc16BitInt:
		n = int64(int16(binary.LittleEndian.Uint16(b[p+1:])))
	case c == enc24BitInt:
		u := uint32(b[p+1]) | uint32(b[p+2])<<8 | uint32(b[p+3])<<16
		n = int64(int32(u<<8) >> 8)
	case c == enc32BitInt:
		n = int64(int32(binary.LittleEndian.Uint32(b[p+1:])))
	case c == enc64BitInt:
		n = int64(binary.LittleEndian.Uint64(b[p+1:]))
	case c == enc32BitStr:
		l := int(binary.LittleEndian.Uint32(b[p+1:]))
		return b[p+5 : p+5+l : p+5+l]
	default:
		panic("quicklist: bad listpack encoding")
	}
	return ib.format(n)
}

// ErrBadListpack is returned for a listpack that fails validation.
var ErrBadListpack = errors.New("quicklist: invalid listpack")

// validateEntries checks that b is a sequence of well-formed entries and
// returns how many there are.
func validateEntries(b []byte) (int, error) {
	n := 0
	for p := 0; p < len(b); n++ {
		c := b[p]
		if c == lpEOF {
			return 0, ErrBadListpack
		}
		var hdr int
		switch {
		case c&enc7BitUintMask == 0, c&enc6BitStrMask == enc6BitStr:
			hdr = 1
		case c&enc13BitIntMask == enc13BitInt, c&enc12BitStrMask == enc12BitStr:
			hdr = 2
		case c == enc16BitInt, c == enc24BitInt, c == enc32BitInt, c == enc64BitInt, c == enc32BitStr:
			hdr = 1
			if c == enc32BitStr {
				hdr = 5
			}
		default:
			return 0, ErrBadListpack
		}
		if p+hdr > len(b) {
			return 0, ErrBadListpack
		}
		l := encLen(b, p)
		if l < 0 || p+l > len(b) || p+l+listpack.BacklenSize(l) > len(b) {
			return 0, ErrBadListpack
		}
		var bl [5]byte
		end := p + l + listpack.BacklenSize(l)
		if !bytes.Equal(b[p+l:end], appendBacklen(bl[:0], l)) {
			return 0, ErrBadListpack
		}
		p = end
	}
	return n, nil
}
