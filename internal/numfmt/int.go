package numfmt

import "math"

// longStrSize is LONG_STR_SIZE from util.h: strings this long or longer are
// never valid integers for string2ll.
const longStrSize = 21

// ParseInt parses b like Redis's string2ll: an optional '-' followed by
// decimal digits with no leading zeros (except "0" itself), no '+', no
// spaces, and no overflow of int64. "-0" is rejected. ParseInt does not
// allocate.
func ParseInt(b []byte) (int64, bool) { return parseInt(b) }

// ParseIntString is ParseInt for a string.
func ParseIntString(s string) (int64, bool) { return parseInt(s) }

func parseInt[T ~string | ~[]byte](s T) (int64, bool) {
	n := len(s)
	if n == 0 || n >= longStrSize {
		return 0, false
	}
	if n == 1 && s[0] == '0' {
		return 0, true
	}
	i := 0
	neg := s[0] == '-'
	if neg {
		i++
		if n == 1 {
			return 0, false
		}
	}
	if s[i] < '1' || s[i] > '9' {
		return 0, false
	}
	v := uint64(s[i] - '0')
	for i++; i < n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		d := uint64(c - '0')
		if v > math.MaxUint64-d {
			return 0, false
		}
		v += d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}
