package rdb

import (
	"encoding/binary"
	"math"
	"slices"
)

// Intset layout (intset.c): encoding (uint32 LE: 2, 4 or 8 bytes per
// integer), length (uint32 LE), then the integers, little endian, sorted
// ascending without duplicates.

// walkIntset validates an intset blob like intsetValidateIntegrity with
// deep checks and calls fn with each integer in order.
func walkIntset(b []byte, fn func(v int64)) error {
	if len(b) < 8 {
		return errCorrupt("Intset integrity check failed: too short")
	}
	enc := binary.LittleEndian.Uint32(b)
	if enc != 2 && enc != 4 && enc != 8 {
		return errCorrupt("Intset integrity check failed: bad encoding")
	}
	n := uint64(binary.LittleEndian.Uint32(b[4:]))
	if 8+n*uint64(enc) != uint64(len(b)) {
		return errCorrupt("Intset integrity check failed: size mismatch")
	}
	if n == 0 {
		return errCorrupt("Intset integrity check failed: empty intset")
	}
	var prev int64
	for i := uint64(0); i < n; i++ {
		p := b[8+i*uint64(enc):]
		var v int64
		switch enc {
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(p)))
		case 4:
			v = int64(int32(binary.LittleEndian.Uint32(p)))
		default:
			v = int64(binary.LittleEndian.Uint64(p))
		}
		if i > 0 && v <= prev {
			return errCorrupt("Intset integrity check failed: duplicate or unordered integers")
		}
		prev = v
		fn(v)
	}
	return nil
}

// appendIntset appends the intset of vals (sorted in place) to dst. It
// returns false if vals has duplicates.
func appendIntset(dst []byte, vals []int64) ([]byte, bool) {
	slices.Sort(vals)
	enc := 2
	for i, v := range vals {
		if i > 0 && v == vals[i-1] {
			return dst, false
		}
		switch {
		case v < math.MinInt32 || v > math.MaxInt32:
			enc = 8
		case (v < math.MinInt16 || v > math.MaxInt16) && enc < 4:
			enc = 4
		}
	}
	dst = binary.LittleEndian.AppendUint32(dst, uint32(enc))
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(vals)))
	for _, v := range vals {
		switch enc {
		case 2:
			dst = binary.LittleEndian.AppendUint16(dst, uint16(v))
		case 4:
			dst = binary.LittleEndian.AppendUint32(dst, uint32(v))
		default:
			dst = binary.LittleEndian.AppendUint64(dst, uint64(v))
		}
	}
	return dst, true
}
