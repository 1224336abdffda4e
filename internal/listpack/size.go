package listpack

import "github.com/redis-clone/redis-clone/internal/numfmt"

// Fixed sizes.
const (
	HeaderSize = 6 // total bytes (32 bit) + element count (16 bit)
	EOFSize    = 1 // the 0xFF terminator
	EmptySize  = HeaderSize + EOFSize
)

// BacklenSize is the size of the back-length that follows an entry whose
// encoding+data take l bytes (lpEncodeBacklen).
func BacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// IntEncSize is the size of encoding+data of integer v
// (lpEncodeIntegerGetType).
func IntEncSize(v int64) int {
	switch {
	case v >= 0 && v <= 127:
		return 1
	case v >= -4096 && v <= 4095:
		return 2
	case v >= -32768 && v <= 32767:
		return 3
	case v >= -8388608 && v <= 8388607:
		return 4
	case v >= -2147483648 && v <= 2147483647:
		return 5
	}
	return 9
}

// StrEncSize is the size of encoding+data of a string of l bytes.
func StrEncSize(l int) int {
	switch {
	case l < 64:
		return 1 + l
	case l < 4096:
		return 2 + l
	}
	return 5 + l
}

// IntSize is the whole size of an integer entry (lpAppendInteger).
func IntSize(v int64) int {
	n := IntEncSize(v)
	return n + BacklenSize(n)
}

// AsInt reports whether lpAppend stores b as an integer (lpStringToInt64:
// the canonical decimal form of an int64) and its value.
func AsInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	return numfmt.ParseInt(b)
}

// EntrySize is the whole size of b appended with lpAppend, which stores
// strings that are canonical 64-bit integers as integers.
func EntrySize(b []byte) int {
	if v, ok := AsInt(b); ok {
		return IntSize(v)
	}
	n := StrEncSize(len(b))
	return n + BacklenSize(n)
}
