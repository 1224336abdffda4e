package resp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Value is a decoded reply, as read by ReadReply.
//
// Type is the RESP type byte: '+' simple string, '-' error, ':' integer,
// '$' bulk string, '*' array, '_' null, ',' double, '#' boolean, '!' bulk
// error, '=' verbatim string, '(' big number, '%' map, '~' set, '>' push.
//
// Str holds the text of '+', '-', '$', '!', ',' (as sent), '(' and '='
// (without its "fmt:" prefix, which goes to Format). Int holds ':' and '#'
// (1 or 0). Array holds the elements of '*', '~' and '>', and the keys and
// values of '%' alternately. Null is set for '_' and for the RESP2 nulls
// "$-1" and "*-1" (Type is then '$' or '*').
type Value struct {
	Type   byte
	Str    string
	Int    int64
	Array  []Value
	Null   bool
	Format string // '=' only: the 3-byte format, e.g. "txt"
}

// maxReadBulk bounds the bulk and aggregate lengths ReadReply accepts.
const maxReadBulk = 1 << 30

// ReadReply reads one RESP2 or RESP3 reply from r. Error replies are
// returned as values of Type '-' (or '!'), not as errors; the error result
// is for I/O failures and malformed input. Attributes ('|') are read and
// dropped: the value they annotate is returned.
func ReadReply(r *bufio.Reader) (Value, error) {
	line, err := readLine(r)
	if err != nil {
		return Value{}, err
	}
	if len(line) == 0 {
		return Value{}, errors.New("resp: empty reply line")
	}
	t, rest := line[0], line[1:]
	v := Value{Type: t}
	switch t {
	case '+', '-', ',', '(':
		v.Str = rest
	case ':':
		v.Int, err = strconv.ParseInt(rest, 10, 64)
	case '_':
		v.Null = true
	case '#':
		switch rest {
		case "t":
			v.Int = 1
		case "f":
		default:
			err = fmt.Errorf("resp: bad boolean %q", rest)
		}
	case '$', '!', '=':
		var n int64
		n, err = readLen(rest)
		if err != nil {
			break
		}
		if n < 0 {
			v.Null = true
			break
		}
		buf := make([]byte, n+2)
		if _, err = io.ReadFull(r, buf); err != nil {
			break
		}
		if buf[n] != '\r' || buf[n+1] != '\n' {
			err = errors.New("resp: bulk not terminated by CRLF")
			break
		}
		v.Str = string(buf[:n])
		if t == '=' {
			if len(v.Str) < 4 || v.Str[3] != ':' {
				err = fmt.Errorf("resp: bad verbatim string %q", v.Str)
				break
			}
			v.Format, v.Str = v.Str[:3], v.Str[4:]
		}
	case '*', '~', '>', '%', '|':
		var n int64
		n, err = readLen(rest)
		if err != nil {
			break
		}
		if n < 0 {
			v.Null = true
			break
		}
		if t == '%' || t == '|' {
			n *= 2
		}
		v.Array = make([]Value, 0, min(n, 1024))
		for i := int64(0); i < n; i++ {
			var e Value
			if e, err = ReadReply(r); err != nil {
				return Value{}, err
			}
			v.Array = append(v.Array, e)
		}
		if t == '|' {
			return ReadReply(r)
		}
	default:
		err = fmt.Errorf("resp: unknown reply type %q", t)
	}
	if err != nil {
		return Value{}, err
	}
	return v, nil
}

func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		if err == io.EOF && line != "" {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return "", fmt.Errorf("resp: line not terminated by CRLF: %q", line)
	}
	return line[:len(line)-2], nil
}

func readLen(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < -1 || n > maxReadBulk {
		return 0, fmt.Errorf("resp: bad length %q", s)
	}
	return n, nil
}

// String renders v for test failure messages, e.g. `["OK" (integer) 1]`.
func (v Value) String() string {
	var b strings.Builder
	v.format(&b)
	return b.String()
}

func (v Value) format(b *strings.Builder) {
	if v.Null {
		b.WriteString("(nil)")
		return
	}
	switch v.Type {
	case '+', '$', '=', '(':
		b.WriteString(strconv.Quote(v.Str))
	case '-', '!':
		b.WriteString("(error) ")
		b.WriteString(v.Str)
	case ':':
		b.WriteString("(integer) ")
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case ',':
		b.WriteString("(double) ")
		b.WriteString(v.Str)
	case '#':
		b.WriteString(strconv.FormatBool(v.Int != 0))
	default:
		opening, closing := "[", "]"
		switch v.Type {
		case '%':
			opening, closing = "{", "}"
		case '~':
			opening, closing = "~[", "]"
		case '>':
			opening, closing = ">[", "]"
		}
		b.WriteString(opening)
		for i, e := range v.Array {
			if i > 0 {
				b.WriteByte(' ')
			}
			e.format(b)
		}
		b.WriteString(closing)
	}
}
