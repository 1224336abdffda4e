package numfmt

import (
	"math"
	"strconv"
)

// FormatFloat formats f as Redis 7.0's addReplyDouble does for RESP2 bulk
// replies and RESP3 doubles: C's "%.17g" (so 0.1 is "0.10000000000000001"
// and 1e17 is "1e+17"), with infinities spelled "inf" and "-inf". This is
// the format of ZSCORE, ZINCRBY, ZADD INCR, ZMSCORE and WITHSCORES replies.
// NaN, which Redis never replies with, is "nan" or "-nan" like glibc.
func FormatFloat(f float64) string {
	var buf [32]byte
	return string(AppendFloat(buf[:0], f))
}

// AppendFloat appends FormatFloat(f) to dst.
func AppendFloat(dst []byte, f float64) []byte {
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
	// Integral values below 1e17 print as their digits under %.17g; Go's
	// 'g' with 17 digits takes its slow multiprecision path for them.
	if f > -1e17 && f < 1e17 && f == math.Trunc(f) {
		if f == 0 && math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return strconv.AppendInt(dst, int64(f), 10)
	}
	// Go's 'g' with an explicit precision follows C's %g rules: exponent
	// form when exp < -4 or exp >= precision, trailing zeros removed, and a
	// two-digit minimum exponent.
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}

// D2String formats f like Redis's d2string (util.c): "nan", "inf", "-inf",
// "0" and "-0" spelled out; integral values within ±2^62 printed as
// integers (so 1e17 is "100000000000000000"); everything else as "%.17g".
// Redis 7.0 uses it to store sorted-set scores in listpacks and for module
// string conversions.
func D2String(f float64) string {
	var buf [32]byte
	return string(AppendD2String(buf[:0], f))
}

// AppendD2String appends D2String(f) to dst.
func AppendD2String(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	case f >= -(1<<62) && f <= 1<<62 && f == math.Trunc(f):
		// double2ll: in range for a safe cast and without fraction.
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return AppendFloat(dst, f)
}
