package splitargs

import (
	"bytes"
	"errors"
)

// ErrUnbalanced is returned when a quoted part is not terminated, or when a
// closing quote is followed by something other than whitespace.
var ErrUnbalanced = errors.New("unbalanced quotes")

// isSpace reports whether c is whitespace for C's isspace in the "C" locale.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// endsUnquoted reports whether c ends an unquoted part of a token. Unlike
// isspace this set has no \v and \f, exactly as in sdssplitargs.
func endsUnquoted(c byte) bool {
	switch c {
	case ' ', '\n', '\r', '\t', 0:
		return true
	}
	return false
}

func isHexDigit(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexValue(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Split splits line into arguments exactly like Redis's sdssplitargs.
// A blank line yields an empty (non-nil) slice and a nil error; unbalanced
// quotes yield a nil slice and ErrUnbalanced.
func Split(line string) ([]string, error) {
	toks, _, err := AppendSplit(nil, nil, []byte(line))
	if err != nil {
		return nil, err
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t)
	}
	return out, nil
}

// SplitBytes is like Split for a byte slice. Tokens that contain no quotes
// are sub-slices of line (capacity-limited, so appending to one never
// writes into line); the others are freshly allocated.
func SplitBytes(line []byte) ([][]byte, error) {
	toks, _, err := AppendSplit(nil, nil, line)
	if err != nil {
		return nil, err
	}
	if toks == nil {
		toks = [][]byte{}
	}
	return toks, nil
}

// AppendSplit splits line like Split and appends the tokens to dst. It is the
// allocation-free form used by the inline request parser.
//
// Tokens without quotes are capacity-limited sub-slices of line. Tokens with
// quoted parts are built in scratch, which is appended to and returned so the
// caller can reuse it; those tokens stay valid until the caller overwrites
// the scratch memory (for example by passing scratch[:0] to the next call).
// On error dst and scratch are returned truncated to their original lengths
// together with ErrUnbalanced.
func AppendSplit(dst [][]byte, scratch []byte, line []byte) ([][]byte, []byte, error) {
	dst0, scratch0 := len(dst), len(scratch)
	// The C code stops at the first NUL byte.
	if k := bytes.IndexByte(line, 0); k >= 0 {
		line = line[:k]
	}
	n := len(line)
	// at returns the byte at i, or 0 (the C terminator) past the end.
	at := func(i int) byte {
		if i < n {
			return line[i]
		}
		return 0
	}
	i := 0
	for {
		for i < n && isSpace(line[i]) {
			i++
		}
		if i >= n {
			return dst, scratch, nil
		}

		// Fast path: a token made of one unquoted run is a sub-slice.
		j := i
		for j < n && !endsUnquoted(line[j]) && line[j] != '"' && line[j] != '\'' {
			j++
		}
		if j >= n || endsUnquoted(line[j]) {
			dst = append(dst, line[i:j:j])
			i = j
			if i < n {
				i++ // skip the terminator
			}
			continue
		}

		// General case: the token has quoted parts; build it in scratch.
		start := len(scratch)
		scratch = append(scratch, line[i:j]...)
		i = j
		inq, insq, done := false, false, false
		for !done {
			c := at(i)
			switch {
			case inq:
				switch {
				case c == '\\' && at(i+1) == 'x' && isHexDigit(at(i+2)) && isHexDigit(at(i+3)):
					scratch = append(scratch, hexValue(at(i+2))*16+hexValue(at(i+3)))
					i += 3
				case c == '\\' && at(i+1) != 0:
					i++
					e := at(i)
					switch e {
					case 'n':
						e = '\n'
					case 'r':
						e = '\r'
					case 't':
						e = '\t'
					case 'b':
						e = '\b'
					case 'a':
						e = '\a'
					}
					scratch = append(scratch, e)
				case c == '"':
					// A closing quote must be followed by a space or nothing.
					if nx := at(i + 1); nx != 0 && !isSpace(nx) {
						return dst[:dst0], scratch[:scratch0], ErrUnbalanced
					}
					done = true
				case c == 0:
					return dst[:dst0], scratch[:scratch0], ErrUnbalanced
				default:
					scratch = append(scratch, c)
				}
			case insq:
				switch {
				case c == '\\' && at(i+1) == '\'':
					i++
					scratch = append(scratch, '\'')
				case c == '\'':
					if nx := at(i + 1); nx != 0 && !isSpace(nx) {
						return dst[:dst0], scratch[:scratch0], ErrUnbalanced
					}
					done = true
				case c == 0:
					return dst[:dst0], scratch[:scratch0], ErrUnbalanced
				default:
					scratch = append(scratch, c)
				}
			default:
				switch c {
				case ' ', '\n', '\r', '\t', 0:
					done = true
				case '"':
					inq = true
				case '\'':
					insq = true
				default:
					scratch = append(scratch, c)
				}
			}
			if at(i) != 0 {
				i++
			}
		}
		end := len(scratch)
		dst = append(dst, scratch[start:end:end])
	}
}
