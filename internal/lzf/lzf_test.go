package lzf

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
)

func roundTrip(t *testing.T, src []byte) []byte {
	t.Helper()
	dst := make([]byte, len(src)+len(src)/32+8)
	n := Compress(dst, src)
	if n == 0 {
		t.Fatalf("Compress(%d bytes) failed with a roomy buffer", len(src))
	}
	out := make([]byte, len(src))
	m, err := Decompress(out, dst[:n])
	if err != nil || m != len(src) || !bytes.Equal(out, src) {
		t.Fatalf("round trip of %d bytes: n=%d err=%v equal=%v", len(src), m, err, bytes.Equal(out, src))
	}
	return dst[:n]
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	inputs := [][]byte{
		{1}, {1, 2}, []byte("abc"), []byte("aaaa"),
		bytes.Repeat([]byte("a"), 21),
		bytes.Repeat([]byte("a"), 1000),
		bytes.Repeat([]byte("abcdefgh"), 5000),
		[]byte("hello hello hello hello hello world world world"),
	}
	for _, n := range []int{31, 32, 33, 64, 65, 100, 8191, 8192, 8193, 70000, 300000} {
		b := make([]byte, n)
		rng.Read(b)
		inputs = append(inputs, b)
		c := make([]byte, n)
		for i := range c {
			c[i] = "abcd"[rng.Intn(4)]
		}
		inputs = append(inputs, c)
		// Matches at the maximum distance and beyond.
		d := make([]byte, n)
		rng.Read(d[:min(n, 9000)])
		for i := 9000; i < n; i++ {
			d[i] = d[i-8192]
		}
		inputs = append(inputs, d)
	}
	for _, in := range inputs {
		roundTrip(t, in)
	}
}

func TestCompressRatio(t *testing.T) {
	src := bytes.Repeat([]byte("a"), 100000)
	c := roundTrip(t, src)
	// 264 bytes per 3-byte back reference.
	if len(c) > len(src)/80 {
		t.Fatalf("compressed 100000 'a' into %d bytes", len(c))
	}
	if MaxExpansion*len(c) < len(src) {
		t.Fatalf("MaxExpansion %d too small: %d -> %d", MaxExpansion, len(c), len(src))
	}
}

func TestCompressRespectsLimit(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		n := 1 + rng.Intn(300)
		src := make([]byte, n)
		alpha := 1 + rng.Intn(255)
		for j := range src {
			src[j] = byte(rng.Intn(alpha))
		}
		limit := rng.Intn(n + 10)
		dst := make([]byte, limit+16)
		for j := range dst {
			dst[j] = 0xEE
		}
		c := Compress(dst[:limit], src)
		for j := limit; j < len(dst); j++ {
			if dst[j] != 0xEE {
				t.Fatalf("Compress wrote past its %d-byte limit (n=%d)", limit, n)
			}
		}
		if c == 0 {
			continue
		}
		out := make([]byte, n)
		m, err := Decompress(out, dst[:c])
		if err != nil || m != n || !bytes.Equal(out, src) {
			t.Fatalf("limited round trip failed: %v", err)
		}
	}
}

func TestDecompressErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		out  int
		want error
	}{
		{"literal past input", []byte{5, 'a'}, 10, ErrCorrupt},
		{"literal past output", []byte{3, 'a', 'b', 'c', 'd'}, 2, ErrShortBuffer},
		{"ref before start", []byte{0, 'a', 0x20, 5}, 10, ErrCorrupt},
		{"ref missing offset", []byte{0, 'a', 0x20}, 10, ErrCorrupt},
		{"long ref missing length", []byte{0, 'a', 0xE0}, 10, ErrCorrupt},
		{"long ref missing offset", []byte{0, 'a', 0xE0, 1}, 10, ErrCorrupt},
		{"ref past output", []byte{0, 'a', 0x20, 0}, 2, ErrShortBuffer},
	}
	for _, c := range cases {
		_, err := Decompress(make([]byte, c.out), c.in)
		if err != c.want {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	// A valid overlapping reference: "a" then copy 3 from distance 1.
	out := make([]byte, 4)
	n, err := Decompress(out, []byte{0, 'a', 0x20, 0})
	if err != nil || n != 4 || string(out) != "aaaa" {
		t.Fatalf("overlap: %q %v", out[:n], err)
	}
}

// TestLiblzfVectors decodes blobs written by redis-server 7.0.15's liblzf
// (taken from DUMP payloads of 100 x "a" and of a repeated sentence).
func TestLiblzfVectors(t *testing.T) {
	cases := []struct {
		blob []byte
		want string
	}{
		{[]byte("\x01aa\xe0W\x00\x01aa"), strings.Repeat("a", 100)},
		{[]byte("\rhello world, h`\x0c\x04redis\xc0\x0c\x03lzf!\xa0\x17\xe0\x83$\x01! "),
			strings.Repeat("hello world, hello redis, hello lzf! ", 5)},
	}
	for _, c := range cases {
		out := make([]byte, len(c.want))
		n, err := Decompress(out, c.blob)
		if err != nil || string(out[:n]) != c.want {
			t.Errorf("liblzf blob: got %q, %v", out[:n], err)
		}
		// Our own encoding must not be larger than liblzf's by much.
		dst := make([]byte, len(c.want))
		m := Compress(dst, []byte(c.want))
		if m == 0 || m > len(c.blob)+len(c.blob)/4 {
			t.Errorf("Compress gave %d bytes, liblzf %d", m, len(c.blob))
		}
	}
}

func FuzzDecompress(f *testing.F) {
	f.Add([]byte{0, 'a', 0x20, 0}, 4)
	f.Add([]byte{1, 'a', 'b', 0xE0, 10, 1}, 20)
	c := make([]byte, 200)
	n := Compress(c, bytes.Repeat([]byte("abcabcabd"), 20))
	f.Add(c[:n], 180)
	f.Fuzz(func(t *testing.T, in []byte, outLen int) {
		if outLen < 0 || outLen > 1<<16 {
			return
		}
		out := make([]byte, outLen)
		m, err := Decompress(out, in)
		if m > outLen {
			t.Fatalf("wrote %d > %d", m, outLen)
		}
		if err == nil && outLen > MaxExpansion*len(in) {
			// Valid streams respect the documented bound.
			if m > MaxExpansion*len(in) {
				t.Fatalf("expansion bound violated: %d -> %d", len(in), m)
			}
		}
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("hello hello hello hello"))
	f.Add(bytes.Repeat([]byte{0}, 1000))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) == 0 {
			return
		}
		dst := make([]byte, len(src)+len(src)/32+8)
		n := Compress(dst, src)
		if n == 0 {
			t.Fatalf("Compress failed with a roomy buffer")
		}
		out := make([]byte, len(src))
		m, err := Decompress(out, dst[:n])
		if err != nil || m != len(src) || !bytes.Equal(out, src) {
			t.Fatalf("round trip mismatch: %v", err)
		}
	})
}
