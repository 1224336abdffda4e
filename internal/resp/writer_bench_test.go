package resp

import (
	"strconv"
	"testing"
)

// BenchmarkWriterBulk measures the reply of a GET: one bulk string.
func BenchmarkWriterBulk(b *testing.B) {
	var w Writer
	v := []byte("value-0123456789")
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		for range 100 {
			w.Bulk(v)
		}
	}
}

// BenchmarkWriterInt measures the reply of INCR/LPUSH/HSET: an integer.
func BenchmarkWriterInt(b *testing.B) {
	var w Writer
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		for i := range 100 {
			w.Int(int64(i) * 7919)
		}
	}
}

// BenchmarkWriterLRange100 measures the reply of LRANGE 0 99: an array of
// 100 short bulk strings.
func BenchmarkWriterLRange100(b *testing.B) {
	var w Writer
	elems := make([][]byte, 100)
	for i := range elems {
		elems[i] = []byte("xxx")
	}
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		w.ArrayLen(len(elems))
		for _, e := range elems {
			w.Bulk(e)
		}
	}
}

// BenchmarkParseSetPipeline16 parses a redis-benchmark style pipeline of 16
// SET commands with random 12-digit keys (-r), the P16 SET workload.
func BenchmarkParseSetPipeline16(b *testing.B) {
	var buf []byte
	for i := range 16 {
		k := "key:" + strconv.Itoa(100000000000+i*7919)
		buf = append(buf, "*3\r\n$3\r\nSET\r\n$"+strconv.Itoa(len(k))+"\r\n"+k+"\r\n$3\r\nxxx\r\n"...)
	}
	var p Parser
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		rest := buf
		for len(rest) > 0 {
			_, n, err := p.Parse(rest)
			if err != nil || n == 0 {
				b.Fatal("bad pipeline")
			}
			rest = rest[n:]
		}
	}
}
