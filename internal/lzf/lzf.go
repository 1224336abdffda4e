package lzf

import (
	"errors"
	"sync"
)

// Format limits shared by the compressor and the decompressor.
const (
	maxLit = 1 << 5              // longest literal run
	maxOff = 1 << 13             // farthest back reference distance
	maxRef = (1 << 8) + (1 << 3) // longest back reference (264 bytes)
	minRef = 3                   // shortest back reference the compressor emits
)

// MaxExpansion bounds how much a valid blob can grow when decompressed: a
// three-byte back reference produces at most 264 bytes, so no valid blob of
// n bytes decompresses to more than MaxExpansion*n bytes. Readers use it to
// reject absurd recorded lengths before allocating.
const MaxExpansion = maxRef/3 + 1

// Errors returned by Decompress. They correspond to liblzf's E2BIG and
// EINVAL.
var (
	// ErrShortBuffer means the data decompresses to more bytes than the
	// destination holds.
	ErrShortBuffer = errors.New("lzf: output buffer too small")
	// ErrCorrupt means the data is not a valid LZF stream: a chunk runs past
	// the end of the input or refers back before the start of the output.
	ErrCorrupt = errors.New("lzf: corrupt input")
)

// Decompress decodes the LZF blob src into dst and returns the number of
// bytes written. It never writes beyond len(dst) and never panics, whatever
// src holds: an output larger than dst gives ErrShortBuffer, a malformed
// stream gives ErrCorrupt. An empty src decodes to nothing.
func Decompress(dst, src []byte) (int, error) {
	ip, op := 0, 0
	for ip < len(src) {
		ctrl := int(src[ip])
		ip++
		if ctrl < maxLit {
			// Literal run of ctrl+1 bytes.
			n := ctrl + 1
			if op+n > len(dst) {
				return op, ErrShortBuffer
			}
			if ip+n > len(src) {
				return op, ErrCorrupt
			}
			copy(dst[op:op+n], src[ip:ip+n])
			ip += n
			op += n
			continue
		}
		// Back reference.
		n := ctrl >> 5
		if ip >= len(src) {
			return op, ErrCorrupt
		}
		if n == 7 {
			n += int(src[ip])
			ip++
			if ip >= len(src) {
				return op, ErrCorrupt
			}
		}
		ref := op - (ctrl&0x1f)<<8 - 1 - int(src[ip])
		ip++
		n += 2
		if op+n > len(dst) {
			return op, ErrShortBuffer
		}
		if ref < 0 {
			return op, ErrCorrupt
		}
		if op-ref >= n {
			copy(dst[op:op+n], dst[ref:ref+n])
			op += n
		} else {
			// Overlapping areas repeat a pattern: copy byte by byte.
			for i := 0; i < n; i++ {
				dst[op+i] = dst[ref+i]
			}
			op += n
		}
	}
	return op, nil
}

// tablePool recycles the hash tables of Compress.
var tablePool = sync.Pool{New: func() any { return new([1 << hashLogMax]int32) }}

const (
	hashLogMin = 8
	hashLogMax = 16
)

// Compress encodes src as an LZF blob into dst and returns its length, or 0
// when the blob would not fit in len(dst) (or src is empty). Like liblzf,
// callers wanting compression only when it pays pass a dst shorter than src
// and store the data uncompressed when Compress returns 0.
func Compress(dst, src []byte) int {
	n := len(src)
	if n == 0 || len(dst) == 0 {
		return 0
	}
	// The hash table only speeds up match finding; its size does not
	// affect the format. Size it to the input so short strings do not pay
	// for clearing 64K slots.
	hlog := hashLogMin
	for hlog < hashLogMax && 1<<hlog < n {
		hlog++
	}
	tp := tablePool.Get().(*[1 << hashLogMax]int32)
	defer tablePool.Put(tp)
	table := tp[:1<<hlog]
	clear(table) // slot = position+1, 0 = empty
	shift := 24 - hlog
	mask := uint32(1)<<hlog - 1
	hash := func(v uint32) uint32 { return ((v >> shift) - v*5) & mask }

	out := dst
	op := 1  // out[0] is reserved for the control byte of the first literal run
	lit := 0 // bytes in the current literal run
	ip := 0

	// closeRun finishes the current literal run before a back reference:
	// it writes the run's control byte, or gives back the reserved byte of
	// an empty run.
	closeRun := func() {
		if lit > 0 {
			out[op-lit-1] = byte(lit - 1)
		} else {
			op--
		}
	}
	// literal appends src[ip] to the current run; false means out is full.
	literal := func() bool {
		if op >= len(out) {
			return false
		}
		out[op] = src[ip]
		op++
		ip++
		lit++
		if lit == maxLit {
			out[op-lit-1] = byte(lit - 1)
			lit = 0
			if op >= len(out) {
				return false
			}
			op++ // reserve the next run's control byte
		}
		return true
	}

	for ip < n-2 {
		v := uint32(src[ip])<<16 | uint32(src[ip+1])<<8 | uint32(src[ip+2])
		h := hash(v)
		ref := int(table[h]) - 1
		table[h] = int32(ip + 1)
		if ref >= 0 && ip-ref-1 < maxOff &&
			src[ref] == src[ip] && src[ref+1] == src[ip+1] && src[ref+2] == src[ip+2] {
			// Extend the match as far as allowed.
			limit := n - ip
			if limit > maxRef {
				limit = maxRef
			}
			l := minRef
			for l < limit && src[ref+l] == src[ip+l] {
				l++
			}
			// Back reference: at most 3 bytes, plus the reserved control
			// byte of the next literal run.
			closeRun()
			if op+4 > len(out) {
				return 0
			}
			off := ip - ref - 1
			code := l - 2
			if code < 7 {
				out[op] = byte(off>>8 | code<<5)
				op++
			} else {
				out[op] = byte(off>>8 | 7<<5)
				out[op+1] = byte(code - 7)
				op += 2
			}
			out[op] = byte(off)
			op++
			lit = 0
			op++ // reserve the next run's control byte
			// Index the positions inside the match so later data can refer
			// to them.
			end := ip + l
			for p := ip + 1; p < end && p < n-2; p++ {
				w := uint32(src[p])<<16 | uint32(src[p+1])<<8 | uint32(src[p+2])
				table[hash(w)] = int32(p + 1)
			}
			ip = end
			continue
		}
		if !literal() {
			return 0
		}
	}
	for ip < n {
		if !literal() {
			return 0
		}
	}
	closeRun()
	return op
}
