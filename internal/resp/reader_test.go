package resp

import (
	"bufio"
	"io"
	"reflect"
	"strings"
	"testing"
)

func read(t *testing.T, s string) Value {
	t.Helper()
	v, err := ReadReply(bufio.NewReader(strings.NewReader(s)))
	if err != nil {
		t.Fatalf("ReadReply(%q): %v", s, err)
	}
	return v
}

func TestReadReply(t *testing.T) {
	tests := []struct {
		in   string
		want Value
	}{
		{"+OK\r\n", Value{Type: '+', Str: "OK"}},
		{"-ERR bad thing\r\n", Value{Type: '-', Str: "ERR bad thing"}},
		{":-12\r\n", Value{Type: ':', Int: -12}},
		{"$5\r\na\r\nbc\r\n", Value{Type: '$', Str: "a\r\nbc"}},
		{"$0\r\n\r\n", Value{Type: '$'}},
		{"$-1\r\n", Value{Type: '$', Null: true}},
		{"*-1\r\n", Value{Type: '*', Null: true}},
		{"_\r\n", Value{Type: '_', Null: true}},
		{",1e+21\r\n", Value{Type: ',', Str: "1e+21"}},
		{"#t\r\n", Value{Type: '#', Int: 1}},
		{"#f\r\n", Value{Type: '#'}},
		{"(3492890328409238509324850943850943825024385\r\n", Value{Type: '(', Str: "3492890328409238509324850943850943825024385"}},
		{"!21\r\nSYNTAX invalid syntax\r\n", Value{Type: '!', Str: "SYNTAX invalid syntax"}},
		{"=15\r\ntxt:Some string\r\n", Value{Type: '=', Str: "Some string", Format: "txt"}},
		{"*2\r\n:1\r\n$1\r\nx\r\n", Value{Type: '*', Array: []Value{{Type: ':', Int: 1}, {Type: '$', Str: "x"}}}},
		{"*0\r\n", Value{Type: '*', Array: []Value{}}},
		{"%1\r\n+k\r\n:2\r\n", Value{Type: '%', Array: []Value{{Type: '+', Str: "k"}, {Type: ':', Int: 2}}}},
		{"~1\r\n_\r\n", Value{Type: '~', Array: []Value{{Type: '_', Null: true}}}},
		{">2\r\n+message\r\n+x\r\n", Value{Type: '>', Array: []Value{{Type: '+', Str: "message"}, {Type: '+', Str: "x"}}}},
		{"|1\r\n+ttl\r\n:3600\r\n+OK\r\n", Value{Type: '+', Str: "OK"}},
	}
	for _, tc := range tests {
		if got := read(t, tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ReadReply(%q) = %#v; want %#v", tc.in, got, tc.want)
		}
	}
}

func TestReadReplyErrors(t *testing.T) {
	for _, in := range []string{
		"", "+OK", "+OK\n", "?1\r\n", ":x\r\n", "$3\r\nab", "$3\r\nabcde", "$-2\r\n",
		"*2\r\n:1\r\n", "#x\r\n", "=3\r\nabc\r\n", "\r\n", "$99999999999\r\n",
	} {
		if v, err := ReadReply(bufio.NewReader(strings.NewReader(in))); err == nil {
			t.Errorf("ReadReply(%q) = %v; want an error", in, v)
		}
	}
	if _, err := ReadReply(bufio.NewReader(strings.NewReader(""))); err != io.EOF {
		t.Errorf("empty input: got %v; want io.EOF", err)
	}
}

// TestWriterReaderRoundTrip decodes what Writer encodes.
func TestWriterReaderRoundTrip(t *testing.T) {
	for _, proto := range []int{2, 3} {
		w := &Writer{Proto: proto}
		w.ArrayLen(6)
		w.BulkString("a")
		w.Null()
		w.Double(2.5)
		w.Bool(true)
		h := w.DeferLen()
		w.BulkString("k")
		w.Int(1)
		w.SetDeferredMapLen(h, 1)
		w.Verbatim("hello", "txt")
		r := bufio.NewReader(strings.NewReader(string(w.Bytes())))
		v, err := ReadReply(r)
		if err != nil {
			t.Fatalf("RESP%d: %v", proto, err)
		}
		want := `["a" (nil) "2.5" (integer) 1 ["k" (integer) 1] "hello"]`
		if proto == 3 {
			want = `["a" (nil) (double) 2.5 true {"k" (integer) 1} "hello"]`
		}
		if got := v.String(); got != want {
			t.Errorf("RESP%d: got %s want %s", proto, got, want)
		}
		if _, err := r.ReadByte(); err != io.EOF {
			t.Errorf("RESP%d: trailing bytes", proto)
		}
	}
}
