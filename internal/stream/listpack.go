package stream

import "github.com/redis-clone/redis-clone/internal/numfmt"

// Sizes of the listpack Redis would hold for a node, so that nodes split
// exactly where Redis's split (stream-node-max-bytes compares the real
// listpack size). Nothing is encoded; only lengths are computed.

const (
	lpHeaderSize = 6 // total bytes (4) + number of elements (2)
	lpEOFSize    = 1
)

// lpBacklenSize is the size of the back-length that follows an element
// whose encoding takes l bytes (lpEncodeBacklen).
func lpBacklenSize(l int) int {
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

// lpIntEncSize is the encoded size of integer v (lpEncodeIntegerGetType).
func lpIntEncSize(v int64) int {
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

// lpIntSize is the whole size of an integer element (lpAppendInteger).
func lpIntSize(v int64) int {
	n := lpIntEncSize(v)
	return n + lpBacklenSize(n)
}

// lpStrSize is the whole size of element b appended with lpAppend, which
// stores strings that are canonical 64-bit integers as integers.
func lpStrSize(b []byte) int {
	if v, ok := numfmt.ParseInt(b); ok {
		return lpIntSize(v)
	}
	var n int
	switch l := len(b); {
	case l < 64:
		n = 1 + l
	case l < 4096:
		n = 2 + l
	default:
		n = 5 + l
	}
	return n + lpBacklenSize(n)
}
