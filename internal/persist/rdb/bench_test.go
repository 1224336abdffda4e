package rdb

import (
	"bytes"
	"fmt"
	"iter"
	"strconv"
	"testing"
)

// benchFile writes n keys: 80% short strings (some integers), and small
// lists, sets, hashes and sorted sets.
func benchFile(b *testing.B, n int) []byte {
	b.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	writeBenchKeys(b, w, n)
	return buf.Bytes()
}

func writeBenchKeys(b *testing.B, w *Writer, n int) {
	w.Header(DefaultAux(0, false))
	w.SelectDB(0, uint64(n), 0)
	val := []byte("value-value-value")
	elems := [][]byte{[]byte("alpha"), []byte("beta"), []byte("1234"), []byte("gamma"), []byte("delta")}
	seq := func(yield func([]byte) bool) {
		for _, e := range elems {
			if !yield(e) {
				return
			}
		}
	}
	var pairs iter.Seq2[[]byte, []byte] = func(yield func([]byte, []byte) bool) {
		for i := 0; i+1 < len(elems); i += 2 {
			if !yield(elems[i], elems[i+1]) {
				return
			}
		}
	}
	var zs iter.Seq2[[]byte, float64] = func(yield func([]byte, float64) bool) {
		for i, e := range elems {
			if !yield(e, float64(i)) {
				return
			}
		}
	}
	key := make([]byte, 0, 32)
	for i := 0; i < n; i++ {
		key = fmt.Appendf(key[:0], "key:%08d", i)
		var err error
		switch i % 10 {
		case 0:
			err = w.List(key, len(elems), seq, NoExpiry)
		case 1:
			err = w.Set(key, len(elems), seq, NoExpiry)
		case 2:
			err = w.Hash(key, 2, pairs, NoExpiry)
		case 3:
			err = w.ZSet(key, len(elems), zs, NoExpiry)
		case 4:
			err = w.String(key, strconv.AppendInt(nil, int64(i), 10), NoExpiry)
		default:
			err = w.String(key, val, NoExpiry)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func BenchmarkWrite100kKeys(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var cw countingWriter
		writeBenchKeys(b, NewWriter(&cw), 100000)
		b.SetBytes(cw.n)
	}
}

func BenchmarkLoad100kKeys(b *testing.B) {
	data := benchFile(b, 100000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Load(bytes.NewReader(data), NopHandler{}, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadBigString(b *testing.B) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Header(nil)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<20) // 16 MB, compressible
	w.String([]byte("big"), big, NoExpiry)
	w.Close()
	data := buf.Bytes()
	b.SetBytes(int64(len(big)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Load(bytes.NewReader(data), NopHandler{}, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
