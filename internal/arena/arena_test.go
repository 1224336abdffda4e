package arena

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestAllocFree allocates, writes, frees and reuses records of random
// sizes (slab and large) and checks that no live record's bytes are
// disturbed by the others.
func TestAllocFree(t *testing.T) {
	var a Arena
	type rec struct {
		r Ref
		n int
		b byte
	}
	var live []rec
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 100000; i++ {
		if len(live) > 0 && rng.IntN(3) == 0 {
			j := rng.IntN(len(live))
			x := live[j]
			if got := a.Bytes(x.r, x.n); !bytes.Equal(got, bytes.Repeat([]byte{x.b}, x.n)) {
				t.Fatalf("record %d of %d bytes was overwritten", x.r, x.n)
			}
			a.Free(x.r, x.n)
			live[j] = live[len(live)-1]
			live = live[:len(live)-1]
			continue
		}
		n := 1 + rng.IntN(200)
		if rng.IntN(50) == 0 {
			n = MaxSlab - 10 + rng.IntN(3000)
		}
		r, b := a.Alloc(n)
		if r == 0 || len(b) != n {
			t.Fatalf("Alloc(%d) = %d, %d bytes", n, r, len(b))
		}
		x := rec{r, n, byte(i)}
		for k := range b {
			b[k] = x.b
		}
		live = append(live, x)
	}
	var want int64
	for _, x := range live {
		if got := a.Bytes(x.r, x.n); !bytes.Equal(got, bytes.Repeat([]byte{x.b}, x.n)) {
			t.Fatalf("record %d of %d bytes was overwritten", x.r, x.n)
		}
		want += int64(Cap(x.n))
	}
	if a.InUse() != want {
		t.Fatalf("InUse %d, want %d", a.InUse(), want)
	}
	if a.Held() < want {
		t.Fatalf("Held %d < InUse %d", a.Held(), want)
	}
	a.Reset()
	if a.InUse() != 0 || a.Held() != 0 {
		t.Fatal("Reset kept memory")
	}
}

// TestPacking checks that records of one class fill their pages: 100k
// records of 48 bytes take 74 pages of 64 KiB, not more.
func TestPacking(t *testing.T) {
	var a Arena
	for i := 0; i < 100000; i++ {
		a.Alloc(44)
	}
	perPage := pageSize / 48
	if pages := a.Held() / pageSize; pages != int64((100000+perPage-1)/perPage) {
		t.Fatalf("%d pages", pages)
	}
}

// TestSlabSpaceFull: once the slab pages' address space is used up,
// records still come, as large ones.
func TestSlabSpaceFull(t *testing.T) {
	defer func(n int) { maxPages = n }(maxPages)
	maxPages = 2
	var a Arena
	var refs []Ref
	for i := 0; i < 5000; i++ { // 5000 × 48 B: more than two pages
		r, b := a.Alloc(48)
		b[0], b[47] = byte(i), byte(i>>8)
		refs = append(refs, r)
	}
	if len(a.pages) != 2 || len(a.large) == 0 {
		t.Fatalf("%d pages, %d large", len(a.pages), len(a.large))
	}
	for i, r := range refs {
		if b := a.Bytes(r, 48); b[0] != byte(i) || b[47] != byte(i>>8) {
			t.Fatalf("record %d changed", i)
		}
	}
	for _, r := range refs {
		a.Free(r, 48)
	}
	if a.InUse() != 0 {
		t.Fatalf("InUse %d after freeing all", a.InUse())
	}
}
