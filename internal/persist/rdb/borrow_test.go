package rdb

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand"
	"testing"
)

// borrower is a collector that takes keys and string values as borrowed
// (Borrower): it copies them, as a Borrower must.
type borrower struct{ collector }

func (b *borrower) BorrowsKeys() {}

func (b *borrower) String(k, v []byte, exp int64) error {
	return b.collector.String(k, bytes.Clone(v), exp)
}

// TestBorrowedKeysAndStrings loads the same files with a Borrower, through
// input buffers of several sizes (so keys and values straddle refills,
// come from the window or from the scratch buffers), and expects what a
// plain handler gets.
func TestBorrowedKeysAndStrings(t *testing.T) {
	es := sample(rand.New(rand.NewSource(7)))
	for i := range 3000 {
		// Many small string keys, some with TTLs and integer-encoded values.
		e := entry{key: fmt.Sprintf("k:%d", i), v: Value{Kind: KindString, Str: []byte(fmt.Sprintf("v-%d-%s", i, bytes.Repeat([]byte{'x'}, i%97)))}, exp: NoExpiry}
		if i%3 == 0 {
			e.v.Str = []byte(fmt.Sprint(i * 7919))
		}
		if i%5 == 0 {
			e.exp = 1e13 + int64(i)
		}
		es = append(es, e)
	}
	for _, compress := range []bool{true, false} {
		var buf bytes.Buffer
		opts := DefaultWriterOptions()
		opts.Compression = compress
		writeEntries(t, NewWriterOptions(&buf, opts), es)
		for _, size := range []int{16, 100, 4096, 1 << 20} {
			t.Run(fmt.Sprintf("compression=%v/buf=%d", compress, size), func(t *testing.T) {
				b := &borrower{}
				if err := Load(bufio.NewReaderSize(bytes.NewReader(buf.Bytes()), size), b, LoadOptions{}); err != nil {
					t.Fatal(err)
				}
				compareEntries(t, es, &b.collector)
			})
		}
		t.Run(fmt.Sprintf("compression=%v/bytes", compress), func(t *testing.T) {
			b := &borrower{}
			if err := Load(bytes.NewReader(buf.Bytes()), b, LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			compareEntries(t, es, &b.collector)
		})
	}
}
