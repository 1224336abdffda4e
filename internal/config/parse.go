package config

import (
	"math"
	"strconv"
	"strings"
)

// This file holds the C-library-flavoured number parsers Redis uses while
// reading configuration values. Each mirrors one C routine, quirks
// included, because the error a user sees depends on them.

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// string2ll is Redis's strict integer parser (util.c string2ll): optional
// '-', no '+', no spaces, no leading zeros, at most 20 bytes, no overflow.
func string2ll(s string) (int64, bool) {
	if len(s) == 0 || len(s) >= 21 {
		return 0, false
	}
	if s == "0" {
		return 0, true
	}
	neg := false
	p := 0
	if s[0] == '-' {
		neg = true
		p++
		if p == len(s) {
			return 0, false
		}
	}
	if s[p] < '1' || s[p] > '9' {
		return 0, false
	}
	var v uint64
	for ; p < len(s); p++ {
		c := s[p]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		if v > math.MaxUint64-uint64(c-'0') {
			return 0, false
		}
		v += uint64(c - '0')
	}
	if neg {
		if v > uint64(math.MaxInt64)+1 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// strtoll is C's strtoll(s, &end, base) for base 8 or 10: leading
// whitespace, an optional sign, then digits. It returns the value, the
// unparsed remainder (the whole input when no digit was read, as C sets
// endptr back to the start) and whether the value overflowed (ERANGE, the
// value is then clamped).
func strtoll(s string, base uint64) (v int64, rest string, overflow bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var u uint64
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	for i < len(s) && s[i] >= '0' && s[i] < byte('0'+base) {
		d := uint64(s[i] - '0')
		if !overflow {
			if u > (limit-d)/base {
				overflow = true
			} else {
				u = u*base + d
			}
		}
		i++
	}
	if i == start {
		return 0, s, false
	}
	if overflow {
		if neg {
			return math.MinInt64, s[i:], true
		}
		return math.MaxInt64, s[i:], true
	}
	if neg {
		return int64(-u), s[i:], false
	}
	return int64(u), s[i:], false
}

// atoiC is strtoll(s, &end, 10) followed by Redis's usual "*end != '\0'"
// check: it reports the (possibly clamped) value and whether all of s was
// consumed. An empty string is a valid 0, as it is in C.
func atoiC(s string) (int64, bool) {
	v, rest, _ := strtoll(s, 10)
	return v, rest == ""
}

// Memtoull parses a memory amount the way Redis's util.c memtoull does:
// digits followed by an optional unit b, k (1000), kb (1024), m, mb, g, gb,
// case-insensitive. A leading '-' is an error; digits that overflow
// saturate and units multiply with wrap-around, as in C. An empty number
// ("" or "kb") is 0.
func Memtoull(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	var mul uint64
	switch strings.ToLower(s[i:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i >= 128 {
		return 0, false
	}
	var v uint64
	for _, c := range []byte(s[:i]) {
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			v = math.MaxUint64
			break
		}
		v = v*10 + d
	}
	return v * mul, true
}

// string2d is Redis's util.c string2d: strtod over the whole string, no
// leading space, no NaN, no overflow or underflow.
func string2d(s string) (float64, bool) {
	if s == "" || isCSpace(s[0]) || strings.ContainsRune(s, '_') {
		return 0, false
	}
	t := s
	low := strings.ToLower(t)
	body := strings.TrimLeft(low, "+-")
	if strings.HasPrefix(body, "0x") && !strings.ContainsRune(body, 'p') {
		t += "p0" // C accepts hex floats without a binary exponent
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// formatPercentile is sprintf("%f") followed by Redis's trimDoubleString.
func formatPercentile(f float64) string {
	s := strconv.FormatFloat(f, 'f', 6, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// repr quotes s the way sds.c sdscatrepr does: within double quotes,
// escaping \\ \" \n \r \t \a \b and writing other non-printable bytes as
// \xHH. The result always reads back through splitargs to s.
func repr(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		default:
			if c >= 0x20 && c <= 0x7e {
				b.WriteByte(c)
			} else {
				const hex = "0123456789abcdef"
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// formatMemory writes bytes the way rewriteConfigFormatMemory does: in gb,
// mb or kb when the amount is an exact multiple, else as plain bytes.
func formatMemory(v int64) string {
	const kb, mb, gb = 1024, 1024 * 1024, 1024 * 1024 * 1024
	switch {
	case v != 0 && v%gb == 0:
		return strconv.FormatInt(v/gb, 10) + "gb"
	case v != 0 && v%mb == 0:
		return strconv.FormatInt(v/mb, 10) + "mb"
	case v != 0 && v%kb == 0:
		return strconv.FormatInt(v/kb, 10) + "kb"
	}
	return strconv.FormatInt(v, 10)
}

// splitSpaces is sdssplitlen(s, " "): every single space separates, so
// adjacent spaces yield empty fields; an empty string yields no fields.
func splitSpaces(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " ")
}
