package hll

import (
	"encoding/binary"
	"math"
)

// Layout constants (Redis's HLL_*).
const (
	P            = 14          // register index bits
	Q            = 64 - P      // bits counted for the run of zeroes
	Registers    = 1 << P      // 16384 registers
	RegisterMax  = 1<<bits - 1 // 63
	HeaderSize   = 16          // magic, encoding, unused, cached cardinality
	DenseSize    = HeaderSize + (Registers*bits+7)/8
	EncDense     = 0
	EncSparse    = 1
	bits         = 6
	pMask        = Registers - 1
	maxEncoding  = 1
	alphaInf     = 0.721347520444481703680 // 0.5/ln(2)
	hashSeed     = 0xadc83b19
	xzeroBit     = 0x40
	valBit       = 0x80
	valMaxValue  = 32
	valMaxLen    = 4
	zeroMaxLen   = 64
	xzeroMaxLen  = 16384
	emptySparseN = HeaderSize + ((Registers+xzeroMaxLen-1)/xzeroMaxLen)*2
)

// MurmurHash64A is Austin Appleby's 64-bit MurmurHash2 as Redis uses it
// (little-endian 8-byte blocks).
func MurmurHash64A(key []byte, seed uint64) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := seed ^ (uint64(len(key)) * m)
	n := len(key) &^ 7
	for i := 0; i < n; i += 8 {
		k := binary.LittleEndian.Uint64(key[i:])
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
	}
	// The last 1 to 7 bytes, little-endian (the fall-through switch of
	// the C code).
	if tail := key[n:]; len(tail) > 0 {
		for i, b := range tail {
			h ^= uint64(b) << (8 * i)
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// PatLen returns the register index for element ele and the length of its
// run of zeroes plus one (hllPatLen).
func PatLen(ele []byte) (index int, count uint8) {
	hash := MurmurHash64A(ele, hashSeed)
	index = int(hash & pMask)
	hash >>= P
	hash |= 1 << Q
	count = 1
	for bit := uint64(1); hash&bit == 0; bit <<= 1 {
		count++
	}
	return index, count
}

// New returns an empty HLL in the sparse encoding (createHLLObject).
func New() []byte {
	b := make([]byte, emptySparseN, emptySparseN+16)
	copy(b, "HYLL")
	b[4] = EncSparse
	p := b[HeaderSize:]
	for aux := Registers; aux > 0; {
		x := min(aux, xzeroMaxLen)
		setXZero(p, x)
		p = p[2:]
		aux -= x
	}
	return b
}

// Valid reports whether b passes Redis's isHLLObjectOrReply checks: long
// enough for a header, the "HYLL" magic, a known encoding, and exactly
// DenseSize bytes when dense. The registers are checked only when used.
func Valid(b []byte) bool {
	if len(b) < HeaderSize || string(b[:4]) != "HYLL" || b[4] > maxEncoding {
		return false
	}
	return b[4] != EncDense || len(b) == DenseSize
}

// Encoding returns b's encoding byte (EncDense or EncSparse); b must be Valid.
func Encoding(b []byte) int { return int(b[4]) }

// CachedCard returns the cached cardinality and whether it is valid.
func CachedCard(b []byte) (uint64, bool) {
	if b[15]&0x80 != 0 {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[8:16]), true
}

// SetCachedCard stores card as the valid cached cardinality.
func SetCachedCard(b []byte, card uint64) { binary.LittleEndian.PutUint64(b[8:16], card) }

// InvalidateCache marks the cached cardinality stale.
func InvalidateCache(b []byte) { b[15] |= 0x80 }

// ---------------------------------------------------------------------
// Dense registers

// getReg reads dense register i from regs (12288 bytes).
func getReg(regs []byte, i int) uint8 {
	byteIdx := i * bits / 8
	fb := uint(i * bits & 7)
	b0 := uint(regs[byteIdx])
	var b1 uint
	if byteIdx+1 < len(regs) {
		b1 = uint(regs[byteIdx+1])
	}
	return uint8((b0>>fb | b1<<(8-fb)) & RegisterMax)
}

// setReg writes dense register i of regs.
func setReg(regs []byte, i int, val uint8) {
	byteIdx := i * bits / 8
	fb := uint(i * bits & 7)
	fb8 := 8 - fb
	v := uint(val)
	regs[byteIdx] &^= byte(RegisterMax << fb)
	regs[byteIdx] |= byte(v << fb)
	if byteIdx+1 < len(regs) {
		regs[byteIdx+1] &^= byte(RegisterMax >> fb8)
		regs[byteIdx+1] |= byte(v >> fb8)
	}
}

// denseSet raises dense register i to count, reporting a change.
func denseSet(regs []byte, i int, count uint8) bool {
	if count > getReg(regs, i) {
		setReg(regs, i, count)
		return true
	}
	return false
}

// ---------------------------------------------------------------------
// Sparse opcodes

func isZero(c byte) bool    { return c&0xc0 == 0 }
func isXZero(c byte) bool   { return c&0xc0 == xzeroBit }
func isVal(c byte) bool     { return c&valBit != 0 }
func zeroLen(c byte) int    { return int(c&0x3f) + 1 }
func valValue(c byte) int   { return int(c>>2&0x1f) + 1 }
func valLen(c byte) int     { return int(c&0x3) + 1 }
func xzeroLen(p []byte) int { return (int(p[0]&0x3f)<<8 | int(p[1])) + 1 }

func setVal(p []byte, val, n int) { p[0] = byte((val-1)<<2|(n-1)) | valBit }
func setZero(p []byte, n int)     { p[0] = byte(n - 1) }
func setXZero(p []byte, n int) {
	l := n - 1
	p[0] = byte(l>>8) | xzeroBit
	p[1] = byte(l)
}

// walkSparse calls fn(first, runlen, value) for every opcode of the sparse
// registers in data (value 0 for ZERO/XZERO runs). It reports false when an
// opcode is truncated, overflows the register count, or the runs do not
// cover exactly Registers registers.
func walkSparse(data []byte, fn func(first, n, val int)) bool {
	idx := 0
	for p := 0; p < len(data); {
		c := data[p]
		var n, val int
		switch {
		case isZero(c):
			n = zeroLen(c)
			p++
		case isXZero(c):
			if p+1 >= len(data) {
				// Redis reads the byte past the end (the sds terminator, 0).
				n = (int(c&0x3f) << 8) + 1
			} else {
				n = xzeroLen(data[p:])
			}
			p += 2
		default:
			n, val = valLen(c), valValue(c)
			p++
		}
		if idx+n > Registers {
			return false
		}
		if fn != nil {
			fn(idx, n, val)
		}
		idx += n
	}
	return idx == Registers
}

// ToDense converts a sparse HLL to the dense encoding, keeping the header
// (magic and cached cardinality). A dense b is returned as is. ok is false
// for a corrupt sparse representation (hllSparseToDense).
func ToDense(b []byte) ([]byte, bool) {
	if b[4] == EncDense {
		return b, true
	}
	d := make([]byte, DenseSize)
	copy(d, b[:HeaderSize])
	d[4] = EncDense
	regs := d[HeaderSize:]
	ok := walkSparse(b[HeaderSize:], func(first, n, val int) {
		if val != 0 {
			for i := first; i < first+n; i++ {
				setReg(regs, i, uint8(val))
			}
		}
	})
	if !ok {
		return nil, false
	}
	return d, true
}

// Set raises register index to count (hllDenseSet / hllSparseSet). It
// returns the possibly reallocated value and 1 when a register changed, 0
// when not, -1 when the sparse representation is corrupt. A sparse value
// that would grow beyond sparseMax bytes, or a count above 32, is promoted
// to dense.
func Set(b []byte, index int, count uint8, sparseMax int) ([]byte, int) {
	switch b[4] {
	case EncDense:
		if len(b) != DenseSize {
			return b, -1
		}
		if denseSet(b[HeaderSize:], index, count) {
			return b, 1
		}
		return b, 0
	case EncSparse:
		return sparseSet(b, index, count, sparseMax)
	}
	return b, -1
}

// Add adds element ele (hllAdd), with Set's results.
func Add(b []byte, ele []byte, sparseMax int) ([]byte, int) {
	index, count := PatLen(ele)
	return Set(b, index, count, sparseMax)
}

// promote converts b to dense and sets the register.
func promote(b []byte, index int, count uint8) ([]byte, int) {
	d, ok := ToDense(b)
	if !ok {
		return b, -1
	}
	denseSet(d[HeaderSize:], index, count)
	return d, 1
}

// sparseSet is hllSparseSet: it rewrites the opcode covering index in
// place, splitting it into up to three opcodes, then merges adjacent equal
// VAL opcodes, exactly as Redis does so that the bytes match.
func sparseSet(b []byte, index int, count uint8, sparseMax int) ([]byte, int) {
	if count > valMaxValue {
		return promote(b, index, count)
	}
	end := len(b)
	p := HeaderSize
	first, span, prev := 0, 0, -1
	for p < end {
		oplen := 1
		c := b[p]
		switch {
		case isZero(c):
			span = zeroLen(c)
		case isVal(c):
			span = valLen(c)
		default:
			if p+1 >= end {
				return b, -1
			}
			span = xzeroLen(b[p:])
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return b, -1
	}
	c := b[p]
	isz, isx, isv := isZero(c), isXZero(c), isVal(c)
	next := p + 1
	if isx {
		next = p + 2
	}
	if isv {
		old := valValue(c)
		if old >= int(count) {
			return b, 0
		}
		if valLen(c) == 1 {
			setVal(b[p:], int(count), 1)
			return sparseMerge(b, prev, end), 1
		}
	}
	if isz && zeroLen(c) == 1 {
		setVal(b[p:], int(count), 1)
		return sparseMerge(b, prev, end), 1
	}
	var seq [5]byte
	n := 0
	last := first + span - 1
	if isz || isx {
		if index != first {
			l := index - first
			if l > zeroMaxLen {
				setXZero(seq[n:], l)
				n += 2
			} else {
				setZero(seq[n:], l)
				n++
			}
		}
		setVal(seq[n:], int(count), 1)
		n++
		if index != last {
			l := last - index
			if l > zeroMaxLen {
				setXZero(seq[n:], l)
				n += 2
			} else {
				setZero(seq[n:], l)
				n++
			}
		}
	} else {
		cur := valValue(c)
		if index != first {
			setVal(seq[n:], cur, index-first)
			n++
		}
		setVal(seq[n:], int(count), 1)
		n++
		if index != last {
			setVal(seq[n:], cur, last-index)
			n++
		}
	}
	oldlen := 1
	if isx {
		oldlen = 2
	}
	delta := n - oldlen
	if delta > 0 && len(b)+delta > sparseMax {
		return promote(b, index, count)
	}
	if delta != 0 {
		if delta > 0 {
			b = append(b, make([]byte, delta)...)
		}
		if next < end {
			copy(b[next+delta:], b[next:end])
		}
		b = b[:end+delta]
		end += delta
	}
	copy(b[p:], seq[:n])
	return sparseMerge(b, prev, end), 1
}

// sparseMerge merges adjacent VAL opcodes of equal value, scanning up to
// five opcodes from prev (or the first opcode), then invalidates the
// cached cardinality.
func sparseMerge(b []byte, prev, end int) []byte {
	p := prev
	if p < 0 {
		p = HeaderSize
	}
	for scan := 5; p < end && scan > 0; scan-- {
		c := b[p]
		if isXZero(c) {
			p += 2
			continue
		} else if isZero(c) {
			p++
			continue
		}
		if p+1 < end && isVal(b[p+1]) {
			v1, v2 := valValue(c), valValue(b[p+1])
			if v1 == v2 {
				l := valLen(c) + valLen(b[p+1])
				if l <= valMaxLen {
					setVal(b[p+1:], v1, l)
					copy(b[p:], b[p+1:end])
					end--
					b = b[:end]
					continue
				}
			}
		}
		p++
	}
	InvalidateCache(b)
	return b
}

// ---------------------------------------------------------------------
// Counting and merging

// histogram fills h with the number of registers of each value. It
// reports false for a corrupt sparse representation (the histogram is then
// partial, as Redis's).
func histogram(b []byte, h *[64]int) bool {
	if b[4] == EncDense {
		regs := b[HeaderSize:]
		if len(regs) < Registers*bits/8 {
			return false
		}
		for i := 0; i < Registers; i++ {
			h[getReg(regs, i)]++
		}
		return true
	}
	return walkSparse(b[HeaderSize:], func(_, n, val int) { h[val] += n })
}

// sigma is hllSigma (Ertl's estimator).
func sigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y := 1.0
	z := x
	for {
		x *= x
		zp := z
		z += x * y
		y += y
		if zp == z {
			return z
		}
	}
}

// tau is hllTau.
func tau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y := 1.0
	z := 1 - x
	for {
		x = math.Sqrt(x)
		zp := z
		y *= 0.5
		d := 1 - x
		z -= d * d * y
		if zp == z {
			return z / 3
		}
	}
}

// estimate turns a register histogram into a cardinality (hllCount).
func estimate(h *[64]int) uint64 {
	m := float64(Registers)
	z := m * tau((m-float64(h[Q+1]))/m)
	for j := Q; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += m * sigma(float64(h[0])/m)
	return uint64(math.Round(alphaInf * m * m / z))
}

// Count estimates the cardinality of the HLL b (valid per Valid); ok is
// false when its sparse representation is corrupt.
func Count(b []byte) (card uint64, ok bool) {
	var h [64]int
	ok = histogram(b, &h)
	return estimate(&h), ok
}

// Raw is the register array of a union (one byte per register), the
// internal HLL_RAW encoding of a multi-key PFCOUNT and of PFMERGE.
type Raw [Registers]uint8

// Merge raises every register of r to at least the matching register of
// b (hllMerge); false for a corrupt sparse b.
func (r *Raw) Merge(b []byte) bool {
	if b[4] == EncDense {
		regs := b[HeaderSize:]
		if len(regs) < Registers*bits/8 {
			return false
		}
		for i := range r {
			if v := getReg(regs, i); v > r[i] {
				r[i] = v
			}
		}
		return true
	}
	return walkSparse(b[HeaderSize:], func(first, n, val int) {
		if val == 0 {
			return
		}
		for i := first; i < first+n; i++ {
			if uint8(val) > r[i] {
				r[i] = uint8(val)
			}
		}
	})
}

// Count estimates the cardinality of the union in r.
func (r *Raw) Count() uint64 {
	var h [64]int
	for _, v := range r {
		h[v&63]++
	}
	return estimate(&h)
}

// Registers returns the 16384 register values of a dense b.
func DenseRegisters(b []byte) []uint8 {
	out := make([]uint8, Registers)
	regs := b[HeaderSize:]
	for i := range out {
		out[i] = getReg(regs, i)
	}
	return out
}

// Decode renders a sparse b as PFDEBUG DECODE does ("z:N", "Z:N", "v:V,N"
// separated by spaces). Unlike Redis it stops at a truncated XZERO.
func Decode(b []byte) string {
	out := make([]byte, 0, 64)
	data := b[HeaderSize:]
	for p := 0; p < len(data); {
		c := data[p]
		switch {
		case isZero(c):
			out = append(out, "z:"...)
			out = appendInt(out, zeroLen(c))
			p++
		case isXZero(c):
			n := (int(c&0x3f) << 8) + 1
			if p+1 < len(data) {
				n = xzeroLen(data[p:])
			}
			out = append(out, "Z:"...)
			out = appendInt(out, n)
			p += 2
		default:
			out = append(out, "v:"...)
			out = appendInt(out, valValue(c))
			out = append(out, ',')
			out = appendInt(out, valLen(c))
			p++
		}
		out = append(out, ' ')
	}
	for len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return string(out)
}

func appendInt(b []byte, n int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}
