package numfmt

// Syntax kinds recognised by scanFloat.
const (
	kindNone = iota // no conversion
	kindDec         // decimal floating constant
	kindHex         // hexadecimal floating constant (0x...)
	kindInf         // "inf" or "infinity"
	kindNaN         // "nan" or "nan(chars)"
)

// maxExpDigitsValue bounds the exponent value accumulated by scanFloat;
// anything beyond it is certainly out of range for every format here.
const maxExpValue = 1 << 30

// floatSyntax describes the longest prefix of a string that glibc's strtod
// (and strtold) would consume in the "C" locale.
type floatSyntax struct {
	end       int  // bytes consumed; 0 when there was no conversion
	start     int  // first byte after leading white space (the sign, if any)
	kind      int  // kindNone ... kindNaN
	neg       bool // leading '-'
	nonzero   bool // the mantissa has a nonzero digit
	mantStart int  // first byte of the mantissa (after "0x" for hex)
	mantEnd   int  // end of the mantissa digits and '.'
	exp       int  // exponent value, saturated at ±maxExpValue
}

func isSpace(c byte) bool {
	return c == ' ' || c >= '\t' && c <= '\r'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f'
}

// hasPrefixFold reports whether s[i:] starts with the lower-case ASCII word
// w, ignoring case.
func hasPrefixFold[T ~string | ~[]byte](s T, i int, w string) bool {
	if len(s)-i < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if s[i+j]|0x20 != w[j] {
			return false
		}
	}
	return true
}

// scanExp scans an optional exponent marker m ('e' or 'p') at s[i:]. It
// returns the new end and the exponent; when the marker is not followed by
// digits the marker is not consumed, as with strtod.
func scanExp[T ~string | ~[]byte](s T, i int, m byte) (int, int) {
	if i >= len(s) || s[i]|0x20 != m {
		return i, 0
	}
	j := i + 1
	neg := false
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		neg = s[j] == '-'
		j++
	}
	if j >= len(s) || !isDigit(s[j]) {
		return i, 0
	}
	e := 0
	for ; j < len(s) && isDigit(s[j]); j++ {
		if e < maxExpValue {
			e = e*10 + int(s[j]-'0')
		}
	}
	if e > maxExpValue {
		e = maxExpValue
	}
	if neg {
		e = -e
	}
	return j, e
}

// scanFloat finds the longest prefix of s that strtod accepts: leading
// white space, an optional sign, then "inf"/"infinity", "nan"/"nan(...)",
// a hexadecimal constant "0x<hex>[.<hex>][p<exp>]" or a decimal constant
// "<dig>[.<dig>][e<exp>]" (case-insensitive, at least one mantissa digit).
func scanFloat[T ~string | ~[]byte](s T) (fs floatSyntax) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	fs.start = i
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		fs.neg = s[i] == '-'
		i++
	}
	if i >= len(s) {
		return floatSyntax{}
	}
	switch s[i] | 0x20 {
	case 'i':
		if !hasPrefixFold(s, i, "inf") {
			return floatSyntax{}
		}
		fs.kind, fs.end = kindInf, i+3
		if hasPrefixFold(s, i+3, "inity") {
			fs.end = i + 8
		}
		return fs
	case 'n':
		if !hasPrefixFold(s, i, "nan") {
			return floatSyntax{}
		}
		fs.kind, fs.end = kindNaN, i+3
		if j := i + 3; j < len(s) && s[j] == '(' {
			for j++; j < len(s); j++ {
				c := s[j]
				if !isDigit(c) && !(c|0x20 >= 'a' && c|0x20 <= 'z') && c != '_' {
					break
				}
			}
			if j < len(s) && s[j] == ')' {
				fs.end = j + 1
			}
		}
		return fs
	}
	if s[i] == '0' && i+1 < len(s) && s[i+1]|0x20 == 'x' {
		j, digits := i+2, 0
		fs.mantStart = j
		for ; j < len(s) && isHex(s[j]); j++ {
			digits++
			fs.nonzero = fs.nonzero || s[j] != '0'
		}
		if j < len(s) && s[j] == '.' {
			for j++; j < len(s) && isHex(s[j]); j++ {
				digits++
				fs.nonzero = fs.nonzero || s[j] != '0'
			}
		}
		if digits > 0 {
			fs.kind, fs.mantEnd = kindHex, j
			fs.end, fs.exp = scanExp(s, j, 'p')
			return fs
		}
		// "0x" without hex digits: strtod converts just the "0".
		fs.nonzero = false
	}
	j, digits := i, 0
	fs.mantStart = j
	for ; j < len(s) && isDigit(s[j]); j++ {
		digits++
		fs.nonzero = fs.nonzero || s[j] != '0'
	}
	if j < len(s) && s[j] == '.' {
		for j++; j < len(s) && isDigit(s[j]); j++ {
			digits++
			fs.nonzero = fs.nonzero || s[j] != '0'
		}
	}
	if digits == 0 {
		return floatSyntax{}
	}
	fs.kind, fs.mantEnd = kindDec, j
	fs.end, fs.exp = scanExp(s, j, 'e')
	return fs
}
