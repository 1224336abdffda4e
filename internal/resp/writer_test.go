package resp

import (
	"math"
	"testing"
)

func TestWriterReplies(t *testing.T) {
	tests := []struct {
		name       string
		write      func(w *Writer)
		resp2, re3 string
	}{
		{"Simple", func(w *Writer) { w.Simple("PONG") }, "+PONG\r\n", "+PONG\r\n"},
		{"OK", func(w *Writer) { w.OK() }, "+OK\r\n", "+OK\r\n"},
		{"Error", func(w *Writer) { w.Error("ERR unknown command 'a\r\nb'") },
			"-ERR unknown command 'a  b'\r\n", "-ERR unknown command 'a  b'\r\n"},
		{"WrongType", func(w *Writer) { w.Error("WRONGTYPE Operation against a key holding the wrong kind of value") },
			"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
			"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
		{"Int", func(w *Writer) { w.Int(-42) }, ":-42\r\n", ":-42\r\n"},
		{"IntMin", func(w *Writer) { w.Int(math.MinInt64) }, ":-9223372036854775808\r\n", ":-9223372036854775808\r\n"},
		{"Bulk", func(w *Writer) { w.Bulk([]byte("a\r\nb")) }, "$4\r\na\r\nb\r\n", "$4\r\na\r\nb\r\n"},
		{"BulkNil", func(w *Writer) { w.Bulk(nil) }, "$0\r\n\r\n", "$0\r\n\r\n"},
		{"BulkString", func(w *Writer) { w.BulkString("") }, "$0\r\n\r\n", "$0\r\n\r\n"},
		{"BulkInt", func(w *Writer) { w.BulkInt(-123) }, "$4\r\n-123\r\n", "$4\r\n-123\r\n"},
		{"Null", func(w *Writer) { w.Null() }, "$-1\r\n", "_\r\n"},
		{"NullArray", func(w *Writer) { w.NullArray() }, "*-1\r\n", "_\r\n"},
		{"ArrayLen", func(w *Writer) { w.ArrayLen(3) }, "*3\r\n", "*3\r\n"},
		{"MapLen", func(w *Writer) { w.MapLen(7) }, "*14\r\n", "%7\r\n"},
		{"SetLen", func(w *Writer) { w.SetLen(1) }, "*1\r\n", "~1\r\n"},
		{"PushLen", func(w *Writer) { w.PushLen(3) }, "*3\r\n", ">3\r\n"},
		{"Double", func(w *Writer) { w.Double(0.1) }, "$19\r\n0.10000000000000001\r\n", ",0.10000000000000001\r\n"},
		{"DoubleExp", func(w *Writer) { w.Double(1e21) }, "$5\r\n1e+21\r\n", ",1e+21\r\n"},
		{"DoubleSmall", func(w *Writer) { w.Double(1e-7) }, "$22\r\n9.9999999999999995e-08\r\n", ",9.9999999999999995e-08\r\n"},
		{"DoubleBig", func(w *Writer) { w.Double(1.5e300) }, "$23\r\n1.5000000000000001e+300\r\n", ",1.5000000000000001e+300\r\n"},
		{"DoubleInt", func(w *Writer) { w.Double(3) }, "$1\r\n3\r\n", ",3\r\n"},
		{"DoubleInf", func(w *Writer) { w.Double(math.Inf(1)) }, "$3\r\ninf\r\n", ",inf\r\n"},
		{"DoubleNegInf", func(w *Writer) { w.Double(math.Inf(-1)) }, "$4\r\n-inf\r\n", ",-inf\r\n"},
		{"BoolTrue", func(w *Writer) { w.Bool(true) }, ":1\r\n", "#t\r\n"},
		{"BoolFalse", func(w *Writer) { w.Bool(false) }, ":0\r\n", "#f\r\n"},
		{"Verbatim", func(w *Writer) { w.Verbatim("id=1\n", "txt") }, "$5\r\nid=1\n\r\n", "=9\r\ntxt:id=1\n\r\n"},
		{"VerbatimShortFormat", func(w *Writer) { w.Verbatim("x", "md") }, "$1\r\nx\r\n", "=5\r\nmd :x\r\n"},
		{"VerbatimLongFormat", func(w *Writer) { w.Verbatim("x", "markdown") }, "$1\r\nx\r\n", "=5\r\nmar:x\r\n"},
		{"BulkStrings", func(w *Writer) { w.BulkStrings([]string{"a", "bc"}) }, "*2\r\n$1\r\na\r\n$2\r\nbc\r\n", "*2\r\n$1\r\na\r\n$2\r\nbc\r\n"},
		{"BulkStringsEmpty", func(w *Writer) { w.BulkStrings(nil) }, "*0\r\n", "*0\r\n"},
		{"Raw", func(w *Writer) { w.Raw([]byte("+X\r\n")); w.RawString(":1\r\n") }, "+X\r\n:1\r\n", "+X\r\n:1\r\n"},
		{"DeferredArray", func(w *Writer) {
			h := w.DeferLen()
			w.BulkString("a")
			w.BulkString("b")
			w.SetDeferredArrayLen(h, 2)
		}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{"DeferredMapNested", func(w *Writer) {
			w.Int(7)
			outer := w.DeferLen()
			w.BulkString("k")
			inner := w.DeferLen()
			w.BulkString("m")
			w.SetDeferredSetLen(inner, 1)
			w.SetDeferredMapLen(outer, 1)
			w.OK()
		}, ":7\r\n*2\r\n$1\r\nk\r\n*1\r\n$1\r\nm\r\n+OK\r\n", ":7\r\n%1\r\n$1\r\nk\r\n~1\r\n$1\r\nm\r\n+OK\r\n"},
		{"DeferredOuterFirst", func(w *Writer) {
			outer := w.DeferLen()
			inner := w.DeferLen()
			w.BulkString("m")
			w.SetDeferredArrayLen(outer, 1)
			w.SetDeferredPushLen(inner, 1)
		}, "*1\r\n*1\r\n$1\r\nm\r\n", "*1\r\n>1\r\n$1\r\nm\r\n"},
		{"DeferredEmpty", func(w *Writer) {
			h := w.DeferLen()
			w.SetDeferredArrayLen(h, 0)
		}, "*0\r\n", "*0\r\n"},
		{"DeferredLarge", func(w *Writer) {
			h := w.DeferLen()
			w.SetDeferredMapLen(h, math.MaxInt64/2)
		}, "*9223372036854775806\r\n", "%4611686018427387903\r\n"},
		{"TruncateDropsDeferred", func(w *Writer) {
			w.OK()
			n := w.Len()
			w.DeferLen()
			w.BulkString("x")
			w.Truncate(n)
			h := w.DeferLen()
			w.SetDeferredArrayLen(h, 0)
		}, "+OK\r\n*0\r\n", "+OK\r\n*0\r\n"},
	}
	for _, tc := range tests {
		for _, proto := range []int{2, 3} {
			w := &Writer{Proto: proto}
			tc.write(w)
			want := tc.resp2
			if proto == 3 {
				want = tc.re3
			}
			if got := string(w.Bytes()); got != want {
				t.Errorf("%s RESP%d: got %q want %q", tc.name, proto, got, want)
			}
			if w.Len() != len(want) {
				t.Errorf("%s RESP%d: Len %d want %d", tc.name, proto, w.Len(), len(want))
			}
		}
	}
}

func TestWriterZeroValueIsRESP2(t *testing.T) {
	var w Writer
	w.Null()
	w.MapLen(1)
	if got := string(w.Bytes()); got != "$-1\r\n*2\r\n" {
		t.Fatalf("got %q", got)
	}
	w.Reset()
	if w.Len() != 0 {
		t.Fatal("Reset left bytes")
	}
}

func TestWriterDeferredPanics(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: no panic", name)
			}
		}()
		f()
	}
	mustPanic("unknown handle", func() {
		var w Writer
		w.SetDeferredArrayLen(3, 1)
	})
	mustPanic("used twice", func() {
		var w Writer
		h := w.DeferLen()
		w.DeferLen()
		w.SetDeferredArrayLen(h, 1)
		w.SetDeferredArrayLen(h, 1)
	})
	mustPanic("truncate out of range", func() {
		var w Writer
		w.Truncate(1)
	})
}

func TestWriterNoAlloc(t *testing.T) {
	var w Writer
	w.Proto = 3
	val := []byte("value")
	run := func() {
		w.Reset()
		h := w.DeferLen()
		w.MapLen(1)
		w.BulkString("key")
		w.Bulk(val)
		w.Double(1.5)
		w.Int(12345)
		w.Error("ERR x")
		w.SetDeferredArrayLen(h, 4)
	}
	run()
	if a := testing.AllocsPerRun(100, run); a != 0 {
		t.Errorf("Writer allocates %v times; want 0", a)
	}
}
