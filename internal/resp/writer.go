package resp

import (
	"strconv"

	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// deferReserve is the room reserved by DeferLen: a type byte, up to 20
// digits and "\r\n".
const deferReserve = 23

// Writer encodes replies into an in-memory buffer, in RESP2 or RESP3
// according to Proto, following Redis's addReply* functions. The zero value
// is an empty RESP2 writer.
type Writer struct {
	// Proto is the protocol version negotiated with HELLO: 3 selects RESP3,
	// anything else RESP2.
	Proto int

	buf    []byte
	defers []int // offsets of pending DeferLen placeholders; -1 once filled
	open   int   // number of pending placeholders
}

func (w *Writer) resp3() bool { return w.Proto == 3 }

// Bytes returns the encoded replies. The slice aliases the internal buffer
// and is valid until the next write, Reset or Truncate. All lengths reserved
// with DeferLen must have been set before the bytes are sent.
func (w *Writer) Bytes() []byte { return w.buf }

// Len returns the number of buffered bytes.
func (w *Writer) Len() int { return len(w.buf) }

// Reset empties the buffer, keeping its memory, and forgets pending deferred
// lengths.
func (w *Writer) Reset() {
	w.buf = w.buf[:0]
	w.defers = w.defers[:0]
	w.open = 0
}

// Truncate discards all but the first n buffered bytes, for example to undo
// a partly written reply. Deferred lengths whose placeholder does not lie
// wholly before n are forgotten. It panics if n is out of range.
func (w *Writer) Truncate(n int) {
	if n < 0 || n > len(w.buf) {
		panic("resp: Truncate out of range")
	}
	w.buf = w.buf[:n]
	for i, pos := range w.defers {
		if pos >= 0 && pos+deferReserve > n {
			w.defers[i] = -1
			w.open--
		}
	}
	if w.open == 0 {
		w.defers = w.defers[:0]
	}
}

// Raw appends pre-encoded protocol bytes.
func (w *Writer) Raw(b []byte) { w.buf = append(w.buf, b...) }

// RawString appends pre-encoded protocol bytes.
func (w *Writer) RawString(s string) { w.buf = append(w.buf, s...) }

func (w *Writer) header(prefix byte, n int64) {
	w.buf = append(w.buf, prefix)
	w.buf = strconv.AppendInt(w.buf, n, 10)
	w.buf = append(w.buf, '\r', '\n')
}

// Simple appends a simple string reply: "+s\r\n". s must not contain \r or
// \n.
func (w *Writer) Simple(s string) {
	w.buf = append(w.buf, '+')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// OK appends "+OK\r\n".
func (w *Writer) OK() { w.buf = append(w.buf, "+OK\r\n"...) }

// Error appends an error reply: "-" + msg + "\r\n". msg starts with its
// error code ("ERR ...", "WRONGTYPE ..."). Any \r or \n in msg is sent as a
// space, as Redis does for error texts that may contain user input.
func (w *Writer) Error(msg string) {
	w.buf = append(w.buf, '-')
	start := len(w.buf)
	w.buf = append(w.buf, msg...)
	for i := start; i < len(w.buf); i++ {
		if c := w.buf[i]; c == '\r' || c == '\n' {
			w.buf[i] = ' '
		}
	}
	w.buf = append(w.buf, '\r', '\n')
}

// Int appends an integer reply: ":n\r\n".
func (w *Writer) Int(n int64) { w.header(':', n) }

// Bulk appends a bulk string reply: "$len\r\nb\r\n". A nil b is sent as an
// empty bulk string, not as a null.
func (w *Writer) Bulk(b []byte) {
	w.header('$', int64(len(b)))
	w.buf = append(w.buf, b...)
	w.buf = append(w.buf, '\r', '\n')
}

// BulkString appends s as a bulk string reply.
func (w *Writer) BulkString(s string) {
	w.header('$', int64(len(s)))
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// BulkInt appends the decimal form of n as a bulk string reply
// (addReplyBulkLongLong).
func (w *Writer) BulkInt(n int64) {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], n, 10)
	w.header('$', int64(len(s)))
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// BulkStrings appends an array of bulk strings.
func (w *Writer) BulkStrings(ss []string) {
	w.ArrayLen(len(ss))
	for _, s := range ss {
		w.BulkString(s)
	}
}

// Null appends a null: "$-1\r\n" in RESP2, "_\r\n" in RESP3.
func (w *Writer) Null() {
	if w.resp3() {
		w.buf = append(w.buf, "_\r\n"...)
	} else {
		w.buf = append(w.buf, "$-1\r\n"...)
	}
}

// NullArray appends a null array: "*-1\r\n" in RESP2, "_\r\n" in RESP3.
func (w *Writer) NullArray() {
	if w.resp3() {
		w.buf = append(w.buf, "_\r\n"...)
	} else {
		w.buf = append(w.buf, "*-1\r\n"...)
	}
}

// ArrayLen starts an array of n elements: "*n\r\n".
func (w *Writer) ArrayLen(n int) { w.header('*', int64(n)) }

// MapLen starts a map of n key/value pairs: "%n\r\n" in RESP3, a flat array
// of 2n elements in RESP2.
func (w *Writer) MapLen(n int) {
	if w.resp3() {
		w.header('%', int64(n))
	} else {
		w.header('*', 2*int64(n))
	}
}

// SetLen starts a set of n elements: "~n\r\n" in RESP3, an array in RESP2.
func (w *Writer) SetLen(n int) {
	if w.resp3() {
		w.header('~', int64(n))
	} else {
		w.header('*', int64(n))
	}
}

// PushLen starts a push message of n elements: ">n\r\n" in RESP3, an array
// in RESP2.
func (w *Writer) PushLen(n int) {
	if w.resp3() {
		w.header('>', int64(n))
	} else {
		w.header('*', int64(n))
	}
}

// Double appends a double like addReplyDouble: in RESP2 a bulk string with
// the "%.17g" form ("inf" and "-inf" for infinities), in RESP3 ",%.17g\r\n".
func (w *Writer) Double(f float64) {
	if w.resp3() {
		w.buf = append(w.buf, ',')
		w.buf = numfmt.AppendFloat(w.buf, f)
		w.buf = append(w.buf, '\r', '\n')
		return
	}
	var tmp [32]byte
	s := numfmt.AppendFloat(tmp[:0], f)
	w.header('$', int64(len(s)))
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// Bool appends a boolean: ":1\r\n" or ":0\r\n" in RESP2, "#t\r\n" or
// "#f\r\n" in RESP3.
func (w *Writer) Bool(b bool) {
	switch {
	case w.resp3() && b:
		w.buf = append(w.buf, "#t\r\n"...)
	case w.resp3():
		w.buf = append(w.buf, "#f\r\n"...)
	case b:
		w.buf = append(w.buf, ":1\r\n"...)
	default:
		w.buf = append(w.buf, ":0\r\n"...)
	}
}

// Verbatim appends a verbatim string like addReplyVerbatim: a plain bulk
// string in RESP2; in RESP3 "=len\r\nfmt:s\r\n", where fmt is format cut or
// padded with spaces to three bytes (usually "txt" or "mkd").
func (w *Writer) Verbatim(s string, format string) {
	if !w.resp3() {
		w.BulkString(s)
		return
	}
	w.header('=', int64(len(s))+4)
	for i := 0; i < 3; i++ {
		if i < len(format) {
			w.buf = append(w.buf, format[i])
		} else {
			w.buf = append(w.buf, ' ')
		}
	}
	w.buf = append(w.buf, ':')
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\r', '\n')
}

// DeferLen reserves room for the header of an aggregate whose length is not
// known yet, and returns a handle for SetDeferredArrayLen,
// SetDeferredMapLen or SetDeferredSetLen, one of which must be called before
// the bytes are sent. Deferred lengths may be nested and filled in any order.
func (w *Writer) DeferLen() int {
	w.defers = append(w.defers, len(w.buf))
	w.open++
	w.buf = append(w.buf, make([]byte, deferReserve)...)
	return len(w.defers) - 1
}

// SetDeferredArrayLen sets the length reserved by DeferLen to an array of n
// elements.
func (w *Writer) SetDeferredArrayLen(h int, n int) { w.setDeferred(h, '*', int64(n)) }

// SetDeferredMapLen sets the length reserved by DeferLen to a map of n
// pairs ("%n" in RESP3, "*2n" in RESP2).
func (w *Writer) SetDeferredMapLen(h int, n int) {
	if w.resp3() {
		w.setDeferred(h, '%', int64(n))
	} else {
		w.setDeferred(h, '*', 2*int64(n))
	}
}

// SetDeferredSetLen sets the length reserved by DeferLen to a set of n
// elements ("~n" in RESP3, "*n" in RESP2).
func (w *Writer) SetDeferredSetLen(h int, n int) {
	if w.resp3() {
		w.setDeferred(h, '~', int64(n))
	} else {
		w.setDeferred(h, '*', int64(n))
	}
}

// SetDeferredPushLen sets the length reserved by DeferLen to a push message
// of n elements (">n" in RESP3, "*n" in RESP2).
func (w *Writer) SetDeferredPushLen(h int, n int) {
	if w.resp3() {
		w.setDeferred(h, '>', int64(n))
	} else {
		w.setDeferred(h, '*', int64(n))
	}
}

// setDeferred writes the header into the placeholder of handle h and closes
// the gap, moving the bytes after it (and later placeholders) back.
func (w *Writer) setDeferred(h int, prefix byte, n int64) {
	if h < 0 || h >= len(w.defers) || w.defers[h] < 0 {
		panic("resp: invalid or already used deferred length handle")
	}
	pos := w.defers[h]
	var tmp [deferReserve]byte
	hdr := append(tmp[:0], prefix)
	hdr = strconv.AppendInt(hdr, n, 10)
	hdr = append(hdr, '\r', '\n')
	copy(w.buf[pos:], hdr)
	gap := deferReserve - len(hdr)
	copy(w.buf[pos+len(hdr):], w.buf[pos+deferReserve:])
	w.buf = w.buf[:len(w.buf)-gap]
	w.defers[h] = -1
	w.open--
	if w.open == 0 {
		w.defers = w.defers[:0]
		return
	}
	for i, p := range w.defers {
		if p > pos {
			w.defers[i] = p - gap
		}
	}
}

// Swap returns the buffered bytes and continues writing into spare
// (emptied). Front ends use it to write a reply buffer to a socket while
// new replies accumulate in the other buffer.
func (w *Writer) Swap(spare []byte) []byte {
	out := w.buf
	w.buf = spare[:0]
	w.defers = w.defers[:0]
	w.open = 0
	return out
}
