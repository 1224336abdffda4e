package rdb

import "encoding/binary"

// Ziplist layout (ziplist.c, read only: Redis 7.0 no longer writes it):
// zlbytes (uint32 LE), zltail (uint32 LE, offset of the last entry), zllen
// (uint16 LE, 65535 when unknown), entries, 0xFF. An entry is prevlen (1
// byte, or 0xFE and a uint32 LE), an encoding with the string length or
// integer type, and the data.
const (
	zlHeaderSize = 10
	zlEnd        = 0xFF
	zlBigPrevlen = 0xFE
)

// walkZiplist validates a ziplist like ziplistValidateIntegrity with deep
// checks (sizes, terminator, tail offset, each entry's bounds and prevlen,
// element count) and calls fn for each entry. Strings alias zl.
func walkZiplist(zl []byte, fn func(it lpItem) error) error {
	if len(zl) < zlHeaderSize+1 {
		return errCorrupt("Ziplist integrity check failed: too short")
	}
	if int(binary.LittleEndian.Uint32(zl)) != len(zl) {
		return errCorrupt("Ziplist integrity check failed: header size mismatch")
	}
	last := len(zl) - 1 // index of the terminator
	if zl[last] != zlEnd {
		return errCorrupt("Ziplist integrity check failed: no terminator")
	}
	tail := int(binary.LittleEndian.Uint32(zl[4:]))
	if tail > last {
		return errCorrupt("Ziplist integrity check failed: tail offset out of range")
	}
	header := int(binary.LittleEndian.Uint16(zl[8:]))
	p, prevStart, prevSize, count := zlHeaderSize, -1, 0, 0
	for zl[p] != zlEnd {
		// prevlen
		var prevlen, plen int
		if zl[p] < zlBigPrevlen {
			prevlen, plen = int(zl[p]), 1
		} else {
			if p+5 > last {
				return errCorrupt("Ziplist integrity check failed: entry header out of range")
			}
			prevlen, plen = int(binary.LittleEndian.Uint32(zl[p+1:])), 5
		}
		if prevlen != prevSize {
			return errCorrupt("Ziplist integrity check failed: prevlen mismatch")
		}
		q := p + plen
		if q >= last {
			return errCorrupt("Ziplist integrity check failed: entry header out of range")
		}
		enc := zl[q]
		var hdr, dlen int
		var it lpItem
		switch {
		case enc>>6 == 0:
			hdr, dlen = 1, int(enc&0x3F)
		case enc>>6 == 1:
			if q+2 > last {
				return errCorrupt("Ziplist integrity check failed: entry header out of range")
			}
			hdr, dlen = 2, int(enc&0x3F)<<8|int(zl[q+1])
		case enc == 0x80:
			if q+5 > last {
				return errCorrupt("Ziplist integrity check failed: entry header out of range")
			}
			hdr, dlen = 5, int(binary.BigEndian.Uint32(zl[q+1:]))
		case enc == 0xC0:
			hdr, dlen, it.isInt = 1, 2, true
		case enc == 0xD0:
			hdr, dlen, it.isInt = 1, 4, true
		case enc == 0xE0:
			hdr, dlen, it.isInt = 1, 8, true
		case enc == 0xF0:
			hdr, dlen, it.isInt = 1, 3, true
		case enc == 0xFE:
			hdr, dlen, it.isInt = 1, 1, true
		case enc >= 0xF1 && enc <= 0xFD:
			hdr, dlen, it.isInt, it.v = 1, 0, true, int64(enc&0x0F)-1
		default:
			return errCorrupt("Ziplist integrity check failed: bad entry encoding")
		}
		if dlen > last || q+hdr+dlen > last {
			return errCorrupt("Ziplist integrity check failed: entry out of range")
		}
		d := zl[q+hdr : q+hdr+dlen]
		switch {
		case !it.isInt:
			it.s = d[:len(d):len(d)]
		case enc == 0xC0:
			it.v = int64(int16(binary.LittleEndian.Uint16(d)))
		case enc == 0xD0:
			it.v = int64(int32(binary.LittleEndian.Uint32(d)))
		case enc == 0xE0:
			it.v = int64(binary.LittleEndian.Uint64(d))
		case enc == 0xF0:
			it.v = signExtend(uint64(d[0])|uint64(d[1])<<8|uint64(d[2])<<16, 24)
		case enc == 0xFE:
			it.v = int64(int8(d[0]))
		}
		if err := fn(it); err != nil {
			return err
		}
		prevStart, prevSize = p, q+hdr+dlen-p
		p = q + hdr + dlen
		count++
	}
	if p != last {
		return errCorrupt("Ziplist integrity check failed: entries overrun the terminator")
	}
	if prevStart >= 0 && prevStart != tail {
		return errCorrupt("Ziplist integrity check failed: tail offset mismatch")
	}
	if header != 65535 && header != count {
		return errCorrupt("Ziplist integrity check failed: element count mismatch")
	}
	return nil
}
