package resp

import (
	"math"
	"strconv"
)

// FormatDouble formats f exactly like C's printf("%.17g", f) with glibc,
// which is how Redis 7.0 renders doubles in replies: 17 significant digits,
// trailing zeros removed, exponent form (with at least two exponent digits)
// when the decimal exponent is below -4 or at least 17, and "inf", "-inf",
// "nan" or "-nan" for the special values.
func FormatDouble(f float64) string {
	var b [32]byte
	return string(AppendDouble(b[:0], f))
}

// AppendDouble appends FormatDouble(f) to dst and returns the result.
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		if math.Signbit(f) {
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	}

	// Correctly rounded to 17 significant digits: "d.dddddddddddddddde±XX".
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', 16, 64)
	if e[0] == '-' {
		dst = append(dst, '-')
		e = e[1:]
	}
	var digits [17]byte
	digits[0] = e[0]
	copy(digits[1:], e[2:18])
	exp := 0
	for _, c := range e[20:] {
		exp = exp*10 + int(c-'0')
	}
	if e[19] == '-' {
		exp = -exp
	}
	nd := len(digits)
	for nd > 1 && digits[nd-1] == '0' {
		nd--
	}
	d := digits[:nd]

	switch {
	case exp < -4 || exp >= 17:
		dst = append(dst, d[0])
		if len(d) > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	case exp < 0:
		dst = append(dst, '0', '.')
		for i := -1; i > exp; i-- {
			dst = append(dst, '0')
		}
		return append(dst, d...)
	default:
		if len(d) <= exp+1 {
			dst = append(dst, d...)
			for i := len(d); i <= exp; i++ {
				dst = append(dst, '0')
			}
			return dst
		}
		dst = append(dst, d[:exp+1]...)
		dst = append(dst, '.')
		return append(dst, d[exp+1:]...)
	}
}
