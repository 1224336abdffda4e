package rdb

import (
	"encoding/binary"
	"math"

	"github.com/redis-clone/redis-clone/internal/lzf"
	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// appendLen appends an RDB length (rdbSaveLen).
func appendLen(dst []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(dst, byte(n))
	case n < 1<<14:
		return append(dst, byte(n>>8)|len14Bit<<6, byte(n))
	case n <= math.MaxUint32:
		dst = append(dst, len32Bit)
		return binary.BigEndian.AppendUint32(dst, uint32(n))
	default:
		dst = append(dst, len64Bit)
		return binary.BigEndian.AppendUint64(dst, n)
	}
}

// appendIntEncoded appends v as an RDB integer-encoded string when it fits
// in 32 bits (rdbEncodeInteger) and reports whether it did.
func appendIntEncoded(dst []byte, v int64) ([]byte, bool) {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return append(dst, encVal<<6|encInt8, byte(v)), true
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return append(dst, encVal<<6|encInt16, byte(v), byte(v>>8)), true
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return append(dst, encVal<<6|encInt32, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)), true
	}
	return dst, false
}

// stringEncoder encodes RDB strings (rdbSaveRawString): integers that fit
// in 32 bits as integer encodings, strings longer than 20 bytes as LZF
// blobs when compression is on and saves at least 4 bytes, the rest
// verbatim. It keeps a reusable buffer for compressed data.
type stringEncoder struct {
	compress bool
	lzfBuf   []byte
}

// encode appends the encoding of s to dst. The encoding may be split: the
// returned tail (s itself, or compressed bytes in the encoder's buffer,
// valid until the next call) follows the returned head. Callers append the
// tail or write it directly, which avoids copying big values.
func (e *stringEncoder) encode(dst, s []byte) (head, tail []byte) {
	if len(s) <= 11 {
		if v, ok := numfmt.ParseInt(s); ok {
			if out, ok := appendIntEncoded(dst, v); ok {
				return out, nil
			}
		}
	}
	if e.compress && len(s) > 20 {
		// At least four bytes must be saved for compression to pay.
		limit := len(s) - 4
		if cap(e.lzfBuf) < limit {
			e.lzfBuf = make([]byte, limit)
		}
		if n := lzf.Compress(e.lzfBuf[:limit], s); n > 0 {
			dst = append(dst, encVal<<6|encLZF)
			dst = appendLen(dst, uint64(n))
			dst = appendLen(dst, uint64(len(s)))
			return dst, e.lzfBuf[:n]
		}
	}
	return appendLen(dst, uint64(len(s))), s
}

// appendString appends the complete encoding of s to dst.
func (e *stringEncoder) appendString(dst, s []byte) []byte {
	head, tail := e.encode(dst, s)
	return append(head, tail...)
}

// appendBinaryDouble appends a little-endian IEEE 754 double
// (rdbSaveBinaryDouble), as ZSET_2 stores scores.
func appendBinaryDouble(dst []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(dst, math.Float64bits(f))
}
