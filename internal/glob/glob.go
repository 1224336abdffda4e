package glob

// maxNesting mirrors the "nesting > 1000" guard of Redis's
// stringmatchlen_impl: a pattern needing more nested '*' expansions than
// this never matches.
const maxNesting = 1000

// Match reports whether s matches the glob pattern, exactly as Redis 7.0's
// stringmatchlen(pattern, s, nocase) does. See the package documentation for
// the syntax. Match does not allocate.
//
// Like stringmatchlen, Match never matches the empty subject with a
// pattern of only '*' ("*" vs "" is false). Redis's KEYS, SCAN and ACL code
// test for the lone "*" pattern before calling the matcher and treat it as
// "everything", so callers reproducing those commands must do the same.
func Match(pattern, s []byte, nocase bool) bool {
	skip := false
	return match(pattern, s, nocase, &skip, 0)
}

// MatchString is Match for string arguments.
func MatchString(pattern, s string, nocase bool) bool {
	skip := false
	return match(pattern, s, nocase, &skip, 0)
}

// lower is glibc's tolower in the "C" locale applied to a signed char value,
// as Redis does for range ends in a set under nocase: 'A'..'Z' fold to lower
// case, and negative values -128..-2 map to c+256 (glibc's table serves
// signed chars by mirroring 128..255) while -1 stays -1 because it is EOF.
// This makes case-insensitive ranges with high bytes behave as in Redis.
func lower(c int) int {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	if c < -1 {
		return c + 256
	}
	return c
}

// lowerByte is lower for bytes.
func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// match is the recursive core of Match. The C original reads the NUL that
// terminates the pattern in a few places; the bounds checks below give the
// same results as reading a 0 byte there. skipLonger is shared by every
// level of one top-level call.
func match[T ~string | ~[]byte](p, s T, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > maxNesting {
		return false
	}
	pi, si := 0, 0
	for pi < len(p) && si < len(s) {
		switch p[pi] {
		case '*':
			for pi+1 < len(p) && p[pi+1] == '*' {
				pi++
			}
			if pi == len(p)-1 {
				return true // trailing '*' matches the rest
			}
			for si < len(s) {
				if match(p[pi+1:], s[si:], nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				si++
			}
			// The tail matched nowhere in the rest of s, so no earlier '*'
			// can succeed by consuming more of s either.
			*skipLonger = true
			return false
		case '?':
			si++
		case '[':
			pi++
			not := pi < len(p) && p[pi] == '^'
			if not {
				pi++
			}
			matched := false
			c := s[si]
			for {
				if pi < len(p) && p[pi] == '\\' && len(p)-pi >= 2 {
					pi++
					if p[pi] == c {
						matched = true
					}
				} else if pi < len(p) && p[pi] == ']' {
					break
				} else if pi == len(p) {
					// Unterminated set: step back so the pi++ after the
					// switch lands exactly on the end of the pattern.
					pi--
					break
				} else if len(p)-pi >= 3 && p[pi+1] == '-' {
					start, end := int(int8(p[pi])), int(int8(p[pi+2]))
					ci := int(int8(c))
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, ci = lower(start), lower(end), lower(ci)
					}
					pi += 2
					if ci >= start && ci <= end {
						matched = true
					}
				} else if nocase {
					if lowerByte(p[pi]) == lowerByte(c) {
						matched = true
					}
				} else if p[pi] == c {
					matched = true
				}
				pi++
			}
			if not {
				matched = !matched
			}
			if !matched {
				return false
			}
			si++
		case '\\':
			if len(p)-pi >= 2 {
				pi++
			}
			fallthrough
		default:
			if nocase {
				if lowerByte(p[pi]) != lowerByte(s[si]) {
					return false
				}
			} else if p[pi] != s[si] {
				return false
			}
			si++
		}
		pi++
		if si == len(s) {
			for pi < len(p) && p[pi] == '*' {
				pi++
			}
			break
		}
	}
	return pi == len(p) && si == len(s)
}
