package numfmt

import (
	"errors"
	"math/big"
)

// Errors returned by IncrByFloat and HIncrByFloat. Their texts are Redis's
// error replies without the "ERR " prefix.
var (
	// ErrNotFloat is "value is not a valid float": the current value (of
	// INCRBYFLOAT) or the increment does not parse as a long double.
	ErrNotFloat = errors.New("value is not a valid float")
	// ErrNaNOrInfinity is "increment would produce NaN or Infinity": the
	// sum is not finite.
	ErrNaNOrInfinity = errors.New("increment would produce NaN or Infinity")
	// ErrHashValueNotFloat is HINCRBYFLOAT's "hash value is not a float".
	ErrHashValueNotFloat = errors.New("hash value is not a float")
	// ErrIncrNaNOrInfinity is HINCRBYFLOAT's "value is NaN or Infinity",
	// returned when the increment itself is infinite.
	ErrIncrNaNOrInfinity = errors.New("value is NaN or Infinity")
)

// Parameters of the x87 80-bit extended format (C long double on amd64),
// in math/big's convention x = mant × 2^exp with 0.5 <= mant < 1.
const (
	ldPrec       = 64       // significand bits of normal values
	ldMaxExp     = 16384    // finite values are < 2^16384
	ldMinNormExp = -16381   // the smallest normal value is 2^-16382
	ldMinSubExp  = -16444   // the smallest subnormal value is 2^-16445
	ldSubBits    = 16445    // a subnormal with exponent e has e+ldSubBits bits
	maxLDChars   = 5 * 1024 // MAX_LONG_DOUBLE_CHARS, string2ld's input limit
	ldDecMax     = 4933     // 10^4933 > LDBL_MAX: certain overflow
	ldDecMin     = -4951    // 10^-4951 < half the smallest subnormal
	ldFormatPrec = 17       // digits after the point in "%.17Lf"
)

// longDouble is a value of the x87 extended type: a finite big.Float rounded
// to that format, or an infinity.
type longDouble struct {
	f   big.Float
	inf bool // f holds only the sign when inf is set
}

// newLD returns a zero long double with the x87 precision and rounding.
func newLD() *longDouble {
	ld := &longDouble{}
	ld.f.SetPrec(ldPrec).SetMode(big.ToNearestEven)
	return ld
}

// parseLongDouble mirrors Redis's string2ld: strtold must consume all of s,
// s must not start with white space or be longer than
// MAX_LONG_DOUBLE_CHARS-1, and NaN, overflow and underflow to zero are
// rejected. Infinities are accepted.
func parseLongDouble(s string) (*longDouble, bool) {
	if len(s) == 0 || len(s) >= maxLDChars || isSpace(s[0]) {
		return nil, false
	}
	fs := scanFloat(s)
	if fs.end != len(s) {
		return nil, false
	}
	ld := newLD()
	switch fs.kind {
	case kindInf:
		ld.inf = true
		ld.f.SetInf(fs.neg)
		return ld, true
	case kindDec, kindHex:
	default:
		return nil, false // NaN
	}
	if !fs.nonzero {
		ld.f.SetInt64(0)
		if fs.neg {
			ld.f.Neg(&ld.f)
		}
		return ld, true
	}
	var ok bool
	if fs.kind == kindDec {
		ok = ld.setDecimal(s[fs.mantStart:fs.mantEnd], fs.exp)
	} else {
		ok = ld.setHex(s[fs.mantStart:fs.mantEnd], fs.exp)
	}
	if !ok {
		return nil, false
	}
	if fs.neg {
		ld.f.Neg(&ld.f)
	}
	return ld, true
}

// setDecimal sets ld to the nonzero decimal mantissa m (digits with at most
// one '.') times 10^exp, rounded once to the x87 format. It reports false on
// overflow and on underflow to zero (strtold's ERANGE cases).
func (ld *longDouble) setDecimal(m string, exp int) bool {
	digits := make([]byte, 0, len(m))
	frac := false
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c == '.' {
			frac = true
			continue
		}
		if frac {
			exp-- // every fraction digit, even a leading zero, scales by 1/10
		}
		if c == '0' && len(digits) == 0 {
			continue // leading zeros carry no value
		}
		digits = append(digits, c)
	}
	// Trailing zeros only scale by ten.
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	n := len(digits) // > 0 because the mantissa is nonzero
	switch mag := exp + n; {
	case mag-1 >= ldDecMax:
		return false // >= 10^4933: overflow
	case mag <= ldDecMin:
		return false // < 10^-4951: rounds to zero
	}
	var mi big.Int
	mi.SetString(string(digits), 10)
	if exp >= 0 {
		var p big.Int
		p.Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)
		mi.Mul(&mi, &p)
		var x big.Float
		x.SetInt(&mi) // exact: precision grows to the bit length
		return ld.round(&x, nil)
	}
	var p big.Int
	p.Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil)
	var r big.Rat
	r.SetFrac(&mi, &p)
	return ld.round(nil, &r)
}

// setHex sets ld to the nonzero hexadecimal mantissa m times 2^exp.
func (ld *longDouble) setHex(m string, exp int) bool {
	digits := make([]byte, 0, len(m))
	seenDot := false
	for i := 0; i < len(m); i++ {
		if m[i] == '.' {
			seenDot = true
			continue
		}
		digits = append(digits, m[i])
		if seenDot {
			exp -= 4
		}
	}
	var mi big.Int
	mi.SetString(string(digits), 16)
	// The value lies in [2^(bits-1), 2^bits).
	switch bits := mi.BitLen() + exp; {
	case bits > ldMaxExp:
		return false // >= 2^16384: overflow
	case bits < ldMinSubExp-1:
		return false // < 2^-16447: rounds to zero
	}
	var x big.Float
	x.SetInt(&mi)
	x.SetMantExp(&x, exp)
	return ld.round(&x, nil)
}

// round sets ld to the exact value x (or r when x is nil) rounded to
// nearest-even in the x87 format: 64 significant bits for normal values,
// fewer for subnormals (the last bit always weighs 2^-16445). It reports
// false on overflow or when a nonzero value rounds to zero.
func (ld *longDouble) round(x *big.Float, r *big.Rat) bool {
	// The exponent of the exact value; rounding toward zero never changes
	// it, so a tiny precision is enough.
	var probe big.Float
	probe.SetPrec(8).SetMode(big.ToZero)
	if x != nil {
		probe.Set(x)
	} else {
		probe.SetRat(r)
	}
	e := probe.MantExp(nil)
	prec := ldPrec
	if e < ldMinNormExp {
		prec = e + ldSubBits
	}
	if prec <= 0 {
		// Below the smallest subnormal. Exactly half of it rounds to even
		// (zero); anything above half rounds up to it.
		if prec < 0 || !aboveHalfMinSub(x, r) {
			return false
		}
		ld.f.SetMantExp(big.NewFloat(0.5), ldMinSubExp)
		return true
	}
	ld.f.SetPrec(uint(prec))
	if x != nil {
		ld.f.Set(x)
	} else {
		ld.f.SetRat(r)
	}
	ld.f.SetPrec(ldPrec) // widening is exact
	return ld.f.MantExp(nil) <= ldMaxExp
}

// aboveHalfMinSub reports whether the positive value x (or r when x is nil)
// exceeds half the smallest subnormal, 2^-16446.
func aboveHalfMinSub(x *big.Float, r *big.Rat) bool {
	half := new(big.Float).SetMantExp(big.NewFloat(0.5), ldMinSubExp-1)
	if x != nil {
		return x.Cmp(half) > 0
	}
	var h big.Rat
	half.Rat(&h)
	return r.Cmp(&h) > 0
}

// addLD returns x+y rounded to the x87 format, or false when the sum is an
// infinity or NaN (including any sum with an infinite operand).
func addLD(x, y *longDouble) (*big.Float, bool) {
	if x.inf || y.inf {
		return nil, false
	}
	sum := new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven)
	sum.Add(&x.f, &y.f)
	// Sums of subnormals are exact at 64 bits (both are multiples of
	// 2^-16445), so only overflow needs checking.
	if sum.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return sum, true
}

// formatHuman mirrors ld2string with LD_STR_HUMAN for a finite value:
// "%.17Lf", then trailing zeros and a trailing '.' removed, and "-0"
// replaced by "0".
func formatHuman(f *big.Float) string {
	b := f.Append(make([]byte, 0, 40), 'f', ldFormatPrec)
	n := len(b)
	for n > 0 && b[n-1] == '0' {
		n--
	}
	if n > 0 && b[n-1] == '.' {
		n--
	}
	b = b[:n]
	if string(b) == "-0" {
		return "0"
	}
	return string(b)
}

// IncrByFloat computes the new value of INCRBYFLOAT key incr when the key
// holds the string cur (pass "0" for a missing key), exactly like Redis 7.0
// on amd64: both strings are parsed with string2ld (strtold, whole string,
// no leading space, no NaN, no overflow or underflow to zero, "inf"
// allowed), added in 80-bit long double with a single rounding, and
// formatted by ld2string(LD_STR_HUMAN): "%.17Lf" without trailing zeros.
// So "1" + "-1.1" is "-0.1", "10.5" + "0.1" is "10.6" and "3.0e3" + "0" is
// "3000". It returns ErrNotFloat if either string is not a valid float
// (the current value is checked first) and ErrNaNOrInfinity if the result
// is not finite.
func IncrByFloat(cur, incr string) (string, error) {
	if out, ok := incrFast(cur, incr); ok {
		return out, nil
	}
	x, ok := parseLongDouble(cur)
	if !ok {
		return "", ErrNotFloat
	}
	y, ok := parseLongDouble(incr)
	if !ok {
		return "", ErrNotFloat
	}
	sum, ok := addLD(x, y)
	if !ok {
		return "", ErrNaNOrInfinity
	}
	return formatHuman(sum), nil
}

// HIncrByFloat computes the new value of HINCRBYFLOAT key field incr, where
// cur is the field's current value and exists reports whether the field is
// present (a missing field counts as 0). It checks in Redis's order: the
// increment must parse (ErrNotFloat) and be finite (ErrIncrNaNOrInfinity),
// then the current value must parse (ErrHashValueNotFloat), and the sum
// must be finite (ErrNaNOrInfinity). Arithmetic and formatting are those of
// IncrByFloat.
func HIncrByFloat(cur string, exists bool, incr string) (string, error) {
	if !exists {
		cur = "0"
	}
	if out, ok := incrFast(cur, incr); ok {
		return out, nil
	}
	y, ok := parseLongDouble(incr)
	if !ok {
		return "", ErrNotFloat
	}
	if y.inf {
		return "", ErrIncrNaNOrInfinity
	}
	x := newLD()
	if exists {
		if x, ok = parseLongDouble(cur); !ok {
			return "", ErrHashValueNotFloat
		}
	}
	sum, ok := addLD(x, y)
	if !ok {
		return "", ErrNaNOrInfinity
	}
	return formatHuman(sum), nil
}
