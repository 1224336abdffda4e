package numfmt

import (
	"math/bits"
	"strconv"
)

// This file holds an allocation-free fast path for IncrByFloat that covers
// the usual operands: decimal strings with at most 19 significant digits
// and a small exponent. Such values, and sums of two of them, stay far from
// the x87 overflow and subnormal ranges, so a 64-bit significand and an
// unbounded exponent model long double exactly; every rounding is done on
// 128-bit intermediates with round-half-even, like the FPU and glibc. Any
// operand or result outside this envelope falls back to the math/big path.

// ld64 is a finite long double m × 2^e with m normalised (top bit set) or
// zero.
type ld64 struct {
	neg bool
	m   uint64
	e   int
}

// pow10u64 holds 10^0 ... 10^19.
var pow10u64 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// roundUp reports whether a value whose kept bits end in odd parity and
// whose dropped bits are rem (out of a field whose half is half) rounds up,
// with sticky marking nonzero bits below rem.
func roundUp(rem, half uint64, sticky, odd bool) bool {
	return rem > half || rem == half && (sticky || odd)
}

// parseFast is parseLongDouble for plain decimal constants with up to 19
// significant digits and a decimal exponent within ±19.
func parseFast(s string) (ld64, bool) {
	if len(s) == 0 || len(s) > 64 || isSpace(s[0]) {
		return ld64{}, false
	}
	fs := scanFloat(s)
	if fs.end != len(s) || fs.kind != kindDec {
		return ld64{}, false
	}
	var mant uint64
	digits, exp := 0, fs.exp
	frac := false
	for i := fs.mantStart; i < fs.mantEnd; i++ {
		c := s[i]
		if c == '.' {
			frac = true
			continue
		}
		if frac {
			exp--
		}
		if mant == 0 && c == '0' {
			continue
		}
		if digits == 19 {
			return ld64{}, false
		}
		mant = mant*10 + uint64(c-'0')
		digits++
	}
	x := ld64{neg: fs.neg}
	if mant == 0 {
		return x, true
	}
	if exp < -19 || exp > 19 {
		return ld64{}, false
	}
	if exp >= 0 {
		hi, lo := bits.Mul64(mant, pow10u64[exp])
		x.m, x.e = normRound(hi, lo, false, 0)
		return x, true
	}
	// mant / 10^k: choose a shift so that the quotient has exactly 64 bits,
	// then round with the exact remainder.
	d := pow10u64[-exp]
	s0 := 64 - bits.Len64(mant) + bits.Len64(d)
	hi, lo := shl128(0, mant, s0)
	if hi >= d {
		s0--
		hi, lo = shl128(0, mant, s0)
	}
	q, r := bits.Div64(hi, lo, d)
	if r > d-r || r == d-r && q&1 == 1 {
		q++
		if q == 0 {
			x.m, x.e = 1<<63, -s0+1
			return x, true
		}
	}
	x.m, x.e = q, -s0
	return x, true
}

// shl128 shifts the 128-bit value hi:lo left by n (0 <= n < 128).
func shl128(hi, lo uint64, n int) (uint64, uint64) {
	switch {
	case n == 0:
		return hi, lo
	case n >= 64:
		return lo << (n - 64), 0
	}
	return hi<<n | lo>>(64-n), lo << n
}

// normRound rounds the 128-bit value hi:lo × 2^e0 (hi:lo nonzero, sticky
// marking further nonzero bits below lo) to a normalised 64-bit mantissa.
func normRound(hi, lo uint64, sticky bool, e0 int) (uint64, int) {
	if hi == 0 {
		hi, lo, e0 = lo, 0, e0-64
	}
	if z := bits.LeadingZeros64(hi); z > 0 {
		hi, lo = shl128(hi, lo, z)
		e0 -= z
	}
	// The value is now hi:lo × 2^e0 with hi's top bit set; keep hi.
	if roundUp(lo, 1<<63, sticky, hi&1 == 1) {
		hi++
		if hi == 0 {
			return 1 << 63, e0 + 64 + 1
		}
	}
	return hi, e0 + 64
}

// addFast returns x+y rounded to 64 significant bits (nearest even).
func addFast(x, y ld64) ld64 {
	if x.m == 0 {
		if y.m == 0 {
			return ld64{neg: x.neg && y.neg} // IEEE: -0 + -0 is -0
		}
		return y
	}
	if y.m == 0 {
		return x
	}
	// Let a be the operand of larger magnitude.
	a, b := x, y
	if b.e > a.e || b.e == a.e && b.m > a.m {
		a, b = b, a
	}
	d := a.e - b.e
	// A = a.m:0 and B = b.m:0 >> d, both × 2^(a.e-64); sticky collects the
	// bits of B shifted out of the 128-bit window.
	var bhi, blo uint64
	sticky := false
	switch {
	case d == 0:
		bhi = b.m
	case d < 64:
		bhi, blo = b.m>>d, b.m<<(64-d)
	case d < 128:
		blo = b.m >> (d - 64)
		sticky = d > 64 && b.m<<(128-d) != 0
	default:
		sticky = true
	}
	e0 := a.e - 64
	if a.neg == b.neg {
		lo, c := bits.Add64(0, blo, 0)
		hi, carry := bits.Add64(a.m, bhi, c)
		if carry != 0 {
			sticky = sticky || lo&1 == 1
			lo = lo>>1 | hi<<63
			hi = hi>>1 | 1<<63
			e0++
		}
		m, e := normRound(hi, lo, sticky, e0)
		return ld64{neg: a.neg, m: m, e: e}
	}
	lo, br := bits.Sub64(0, blo, 0)
	hi, _ := bits.Sub64(a.m, bhi, br)
	if sticky {
		// The true B exceeds the window by a fraction of the last bit:
		// take one more unit off and keep the remainder sticky.
		lo, br = bits.Sub64(lo, 1, 0)
		hi -= br
	}
	if hi == 0 && lo == 0 && !sticky {
		return ld64{} // exact cancellation gives +0
	}
	m, e := normRound(hi, lo, sticky, e0)
	return ld64{neg: a.neg, m: m, e: e}
}

// appendFast appends x formatted by ld2string(LD_STR_HUMAN), or reports
// false when x is an integer of 2^64 or more (left to math/big).
func appendFast(dst []byte, x ld64) ([]byte, bool) {
	if x.m == 0 {
		return append(dst, '0'), true
	}
	if x.e > 0 {
		return dst, false
	}
	if x.e == 0 {
		if x.neg {
			dst = append(dst, '-')
		}
		return strconv.AppendUint(dst, x.m, 10), true
	}
	// N = round(m × 10^17 × 2^e), with m × 10^17 < 2^121.
	const scale = 100000000000000000 // 10^17
	hi, lo := bits.Mul64(x.m, scale)
	sh := -x.e
	var nhi, nlo uint64
	switch {
	case sh >= 122:
		// Below 2^-58 × 2^64 / 2^122 < 10^-17 / 2: rounds to zero.
	case sh >= 64:
		n := sh - 64
		// Quotient hi >> n; remainder is (hi mod 2^n):lo against half.
		q := hi >> n
		var remHi uint64
		if n > 0 {
			remHi = hi & (1<<n - 1)
		}
		var up bool
		if n == 0 {
			up = roundUp(lo, 1<<63, false, q&1 == 1)
		} else {
			up = roundUp(remHi, 1<<(n-1), lo != 0, q&1 == 1)
		}
		nlo = q
		if up {
			nlo++
		}
	default:
		q := lo>>sh | hi<<(64-sh)
		qhi := hi >> sh
		rem := lo & (1<<sh - 1)
		if roundUp(rem, 1<<(sh-1), false, q&1 == 1) {
			var c uint64
			q, c = bits.Add64(q, 1, 0)
			qhi += c
		}
		nhi, nlo = qhi, q
	}
	if nhi == 0 && nlo == 0 {
		return append(dst, '0'), true // "-0" becomes "0" too
	}
	// N < 2^63 × 10^17, so nhi < 10^17 and the integer part fits in 64
	// bits.
	ip, fp := bits.Div64(nhi, nlo, scale)
	if x.neg {
		dst = append(dst, '-')
	}
	dst = strconv.AppendUint(dst, ip, 10)
	if fp == 0 {
		return dst, true
	}
	var frac [17]byte
	for i := 16; i >= 0; i-- {
		frac[i] = byte('0' + fp%10)
		fp /= 10
	}
	n := 17
	for frac[n-1] == '0' {
		n--
	}
	dst = append(dst, '.')
	return append(dst, frac[:n]...), true
}

// incrFast computes IncrByFloat when both operands and the result fit the
// fast path.
func incrFast(cur, incr string) (string, bool) {
	x, ok := parseFast(cur)
	if !ok {
		return "", false
	}
	y, ok := parseFast(incr)
	if !ok {
		return "", false
	}
	var buf [48]byte
	out, ok := appendFast(buf[:0], addFast(x, y))
	if !ok {
		return "", false
	}
	return string(out), true
}
