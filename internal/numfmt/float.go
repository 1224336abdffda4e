package numfmt

import (
	"math"
	"strconv"
)

// ParseFloat parses b like Redis's string2d, the rule behind
// getDoubleFromObject (ZADD/ZINCRBY scores and other double arguments): the
// whole of b must be a strtod floating constant in the "C" locale, with no
// leading or trailing white space. Accepted are decimal ("1", "-.5",
// "1e10", "5."), hexadecimal ("0x10", "0x1.8p3") and infinite ("inf",
// "+Infinity") values. Rejected are the empty string, NaN, values that
// overflow a double and nonzero values that underflow to zero; subnormal
// results are accepted. ParseFloat does not allocate for inputs of up to 32
// bytes.
func ParseFloat(b []byte) (float64, bool) { return parseFloat(b) }

// ParseFloatString is ParseFloat for a string.
func ParseFloatString(s string) (float64, bool) { return parseFloat(s) }

func parseFloat[T ~string | ~[]byte](s T) (float64, bool) {
	if len(s) == 0 || isSpace(s[0]) {
		return 0, false
	}
	if f, ok := smallInt(s); ok {
		return f, true
	}
	fs := scanFloat(s)
	if fs.end != len(s) {
		return 0, false
	}
	return float64Value(s, &fs, true)
}

// smallInt converts s when it is an optional '-' and 1 to 15 decimal
// digits (the scores clients send most, such as redis-benchmark's
// 12-digit ones): below 2^53, so the integer converts exactly, as strtod
// would ("-0" is -0). Anything else is left to the general parser.
func smallInt[T ~string | ~[]byte](s T) (float64, bool) {
	neg := s[0] == '-'
	i := 0
	if neg {
		i = 1
	}
	if n := len(s) - i; n == 0 || n > 15 {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + uint64(c)
	}
	f := float64(v)
	if neg {
		f = -f
	}
	return f, true
}

// ParseFloatLoose parses b like the strtod check in Redis's zslParseRange
// (the min/max of ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE, ...), after the
// caller has removed any '(' prefix: strtod(b) must stop at the end of b or
// at a NUL byte, and the value must not be NaN. Unlike ParseFloat, leading
// white space is skipped, overflow yields ±Inf, underflow yields zero, and
// an empty string is 0.
func ParseFloatLoose(b []byte) (float64, bool) { return parseFloatLoose(b) }

// ParseFloatLooseString is ParseFloatLoose for a string.
func ParseFloatLooseString(s string) (float64, bool) { return parseFloatLoose(s) }

func parseFloatLoose[T ~string | ~[]byte](s T) (float64, bool) {
	fs := scanFloat(s)
	if fs.end != len(s) && s[fs.end] != 0 {
		return 0, false
	}
	if fs.kind == kindNone {
		return 0, true // strtod("") is 0 and leaves eptr at the NUL
	}
	return float64Value(s, &fs, false)
}

// float64Value converts the constant described by fs to a double, rounding
// to nearest like glibc. With strict set it applies string2d's ERANGE rule:
// overflow, and underflow to zero, are errors.
func float64Value[T ~string | ~[]byte](s T, fs *floatSyntax, strict bool) (float64, bool) {
	var f float64
	var err error
	switch fs.kind {
	case kindInf:
		if fs.neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case kindDec:
		f, err = strconv.ParseFloat(string(s[fs.start:fs.end]), 64)
	case kindHex:
		// strconv wants the binary exponent that C makes optional.
		buf := make([]byte, 0, 16+fs.mantEnd-fs.mantStart)
		if fs.neg {
			buf = append(buf, '-')
		}
		buf = append(buf, "0x"...)
		buf = append(buf, s[fs.mantStart:fs.mantEnd]...)
		buf = append(buf, 'p')
		buf = strconv.AppendInt(buf, int64(fs.exp), 10)
		f, err = strconv.ParseFloat(string(buf), 64)
	default:
		return 0, false // NaN
	}
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
		if strict {
			return 0, false // ERANGE with ±HUGE_VAL
		}
	}
	if strict && f == 0 && fs.nonzero {
		return 0, false // ERANGE with a zero result
	}
	return f, true
}
