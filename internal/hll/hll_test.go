package hll

import (
	"bytes"
	"fmt"
	"testing"
)

// redisABC is the value redis-server 7.0.15 stores after PFADD h a b c.
const redisABC = "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80`\xf3\x80P\xb1\x84K\xfb\x80BZ"

func add(t *testing.T, b []byte, eles ...string) []byte {
	t.Helper()
	for _, e := range eles {
		var r int
		b, r = Add(b, []byte(e), 3000)
		if r < 0 {
			t.Fatalf("add %q: corrupt", e)
		}
	}
	InvalidateCache(b)
	return b
}

func TestAddMatchesRedisBytes(t *testing.T) {
	b := add(t, New(), "a", "b", "c")
	if string(b) != redisABC {
		t.Fatalf("got %q\nwant %q", b, redisABC)
	}
	if got := Decode(b); got != "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603" {
		t.Fatalf("decode: %s", got)
	}
	if c, ok := Count(b); !ok || c != 3 {
		t.Fatalf("count %d %v", c, ok)
	}
}

func TestNewIsEmptySparse(t *testing.T) {
	b := New()
	if !Valid(b) || Encoding(b) != EncSparse || Decode(b) != "Z:16384" {
		t.Fatalf("new: %q", b)
	}
	if c, ok := Count(b); !ok || c != 0 {
		t.Fatalf("count %d %v", c, ok)
	}
}

// TestSparseDenseAgree adds the same elements to a sparse and a dense HLL
// and checks that the registers and counts agree at every step, and that
// the sparse value is promoted past sparseMax.
func TestSparseDenseAgree(t *testing.T) {
	s := New()
	d, _ := ToDense(New())
	for i := 0; i < 3000; i++ {
		e := []byte(fmt.Sprintf("ele:%d", i))
		var r1, r2 int
		s, r1 = Add(s, e, 3000)
		d, r2 = Add(d, e, 3000)
		if r1 != r2 {
			t.Fatalf("element %d: sparse %d dense %d", i, r1, r2)
		}
		if i%97 == 0 {
			sd, ok := ToDense(s)
			if !ok {
				t.Fatalf("element %d: sparse corrupt", i)
			}
			if !bytes.Equal(sd[HeaderSize:], d[HeaderSize:]) {
				t.Fatalf("element %d: registers differ", i)
			}
			c1, _ := Count(s)
			c2, _ := Count(d)
			if c1 != c2 {
				t.Fatalf("element %d: counts %d vs %d", i, c1, c2)
			}
		}
		if Encoding(s) == EncSparse && len(s) > 3000 {
			t.Fatalf("sparse value of %d bytes beyond the limit", len(s))
		}
	}
	if Encoding(s) != EncDense || len(s) != DenseSize {
		t.Fatalf("not promoted: encoding %d, %d bytes", Encoding(s), len(s))
	}
	c, _ := Count(d)
	if c < 2850 || c > 3150 {
		t.Fatalf("count %d for 3000 elements", c)
	}
}

func TestRawUnion(t *testing.T) {
	a := add(t, New(), "x", "y")
	b := add(t, New(), "y", "z")
	var r Raw
	if !r.Merge(a) || !r.Merge(b) {
		t.Fatal("merge failed")
	}
	if c := r.Count(); c != 3 {
		t.Fatalf("union count %d", c)
	}
}

func TestCorruptSparseDetected(t *testing.T) {
	hdr := []byte(redisABC[:HeaderSize])
	for _, regs := range []string{
		"\x7f\xff\x7f\xff", // two XZERO runs of 16384: overflow
		"\x7f",             // truncated XZERO
		"\x00",             // covers one register only
		"",                 // covers none
	} {
		b := append(append([]byte(nil), hdr...), regs...)
		if _, ok := Count(b); ok {
			t.Errorf("%q: count accepted", regs)
		}
		if _, ok := ToDense(b); ok {
			t.Errorf("%q: todense accepted", regs)
		}
		var r Raw
		if r.Merge(b) {
			t.Errorf("%q: merge accepted", regs)
		}
		if _, res := Add(b, []byte("foo"), 3000); res != -1 && len(regs) == 0 {
			t.Errorf("%q: add on empty registers gave %d", regs, res)
		}
	}
}

func TestValid(t *testing.T) {
	d, _ := ToDense(New())
	for _, tc := range []struct {
		b    string
		want bool
	}{
		{redisABC, true},
		{string(d), true},
		{string(d[:len(d)-1]), false},
		{"HYLL\x02" + redisABC[5:], false},
		{"HYLX" + redisABC[4:], false},
		{"HYLL", false},
	} {
		if got := Valid([]byte(tc.b)); got != tc.want {
			t.Errorf("Valid(%.20q) = %v", tc.b, got)
		}
	}
}

// FuzzDecoders feeds arbitrary register bytes behind a valid header to
// every decoder: none may panic, and a value that converts to dense must
// count the same both ways.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte(redisABC[HeaderSize:]), false)
	f.Add([]byte("\x7f\xff\x7f\xff"), false)
	f.Add([]byte("\x7f"), false)
	f.Add([]byte{0x80, 0xff, 0x3f}, true)
	f.Add(make([]byte, DenseSize-HeaderSize), true)
	f.Fuzz(func(t *testing.T, regs []byte, dense bool) {
		b := append([]byte(redisABC[:HeaderSize]), regs...)
		if dense {
			b[4] = EncDense
		}
		if !Valid(b) {
			return
		}
		c1, ok1 := Count(b)
		var r Raw
		r.Merge(b)
		_ = Decode(b)
		d, ok := ToDense(append([]byte(nil), b...))
		if ok {
			c2, ok2 := Count(d)
			if ok1 != ok2 || c1 != c2 {
				t.Fatalf("count %d/%v vs dense %d/%v", c1, ok1, c2, ok2)
			}
			_ = DenseRegisters(d)
		}
		cp := append([]byte(nil), b...)
		for i := 0; i < 20; i++ {
			var res int
			cp, res = Add(cp, []byte{byte(i), byte(len(regs))}, 3000)
			if res < 0 {
				break
			}
		}
		_, _ = Set(append([]byte(nil), b...), Registers-1, 33, 3000)
	})
}

func TestSelfTest(t *testing.T) {
	if testing.Short() {
		t.Skip("ten million additions")
	}
	if msg := SelfTest(3000); msg != "" {
		t.Fatal(msg)
	}
}
