package hash

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// model is the reference: a map plus the encoding Redis would pick.
type model struct {
	m     map[string]string
	order []string // insertion order while a listpack
	big   bool
	lim   Limits
}

func newModel(lim Limits) *model { return &model{m: map[string]string{}, lim: lim} }

func (m *model) set(f, v string) bool {
	if !m.big && (len(f) > m.lim.MaxValue || len(v) > m.lim.MaxValue) {
		m.big = true
	}
	_, had := m.m[f]
	m.m[f] = v
	if !had && !m.big {
		m.order = append(m.order, f)
	}
	if !m.big && len(m.m) > m.lim.MaxEntries {
		m.big = true
	}
	return !had
}

func (m *model) del(f string) bool {
	if _, ok := m.m[f]; !ok {
		return false
	}
	delete(m.m, f)
	if !m.big {
		m.order = slices.DeleteFunc(m.order, func(s string) bool { return s == f })
	}
	return true
}

// check compares h with the model: length, encoding, every pair through
// Get, Range (in order for a listpack) and a full Scan.
func check(t testing.TB, h *Hash, m *model) {
	t.Helper()
	if h.Len() != len(m.m) {
		t.Fatalf("Len = %d, model %d", h.Len(), len(m.m))
	}
	want := EncListpack
	if m.big {
		want = EncHashtable
	}
	if h.Encoding() != want {
		t.Fatalf("Encoding = %s, model %s (len %d)", h.Encoding(), want, len(m.m))
	}
	for f, v := range m.m {
		got, ok := h.Get([]byte(f))
		if !ok || string(got) != v {
			t.Fatalf("Get(%q) = %q %v, want %q", f, got, ok, v)
		}
	}
	var fields []string
	h.Range(func(f, v []byte) bool {
		if m.m[string(f)] != string(v) {
			t.Fatalf("Range pair %q=%q, model %q", f, v, m.m[string(f)])
		}
		fields = append(fields, string(f))
		return true
	})
	if !m.big {
		if !slices.Equal(fields, m.order) {
			t.Fatalf("listpack order %q, want %q", fields, m.order)
		}
	} else if len(fields) != len(m.m) {
		t.Fatalf("Range visited %d, want %d", len(fields), len(m.m))
	}
	seen := map[string]bool{}
	cursor := uint64(0)
	for {
		cursor = h.Scan(cursor, func(f, v []byte) {
			if m.m[string(f)] != string(v) {
				t.Fatalf("Scan pair %q=%q, model %q", f, v, m.m[string(f)])
			}
			seen[string(f)] = true
		})
		if cursor == 0 {
			break
		}
	}
	if len(seen) != len(m.m) {
		t.Fatalf("Scan saw %d fields, want %d", len(seen), len(m.m))
	}
}

func TestBasic(t *testing.T) {
	h := New()
	lim := DefaultLimits
	if !h.Set([]byte("a"), []byte("1"), lim) || h.Set([]byte("a"), []byte("2"), lim) {
		t.Fatal("Set added flags wrong")
	}
	h.Set([]byte(""), []byte(""), lim)
	h.Set([]byte("b"), []byte("bb"), lim)
	if v, ok := h.Get([]byte("a")); !ok || string(v) != "2" {
		t.Fatalf("Get a = %q %v", v, ok)
	}
	if v, ok := h.Get([]byte("")); !ok || len(v) != 0 {
		t.Fatalf("Get empty = %q %v", v, ok)
	}
	if _, ok := h.Get([]byte("zz")); ok {
		t.Fatal("Get of missing field")
	}
	if h.Encoding() != "listpack" || h.Len() != 3 {
		t.Fatalf("%s %d", h.Encoding(), h.Len())
	}
	if !h.Delete([]byte("a")) || h.Delete([]byte("a")) {
		t.Fatal("Delete")
	}
	h.Convert()
	if h.Encoding() != "hashtable" || h.Len() != 2 {
		t.Fatalf("%s %d", h.Encoding(), h.Len())
	}
	if v, _ := h.Get([]byte("b")); string(v) != "bb" {
		t.Fatalf("after convert b = %q", v)
	}
	if v, ok := h.Get([]byte("")); !ok || len(v) != 0 {
		t.Fatalf("after convert empty = %q %v", v, ok)
	}
	// Same-length update in place, other length re-packed.
	h.Set([]byte("b"), []byte("cc"), lim)
	h.Set([]byte("b"), []byte(strings.Repeat("z", 300)), lim)
	h.Set([]byte(""), []byte("e"), lim)
	if v, _ := h.Get([]byte("b")); string(v) != strings.Repeat("z", 300) {
		t.Fatalf("b = %q", v)
	}
	if v, _ := h.Get([]byte("")); string(v) != "e" {
		t.Fatalf("empty field = %q", v)
	}
}

func TestThresholds(t *testing.T) {
	lim := Limits{MaxEntries: 3, MaxValue: 4}
	h := New()
	for i := range 3 {
		h.Set(fmt.Appendf(nil, "f%d", i), []byte("v"), lim)
	}
	if !h.IsListpack() {
		t.Fatal("converted at 3 entries")
	}
	h.Set([]byte("f3"), []byte("v"), lim)
	if h.IsListpack() {
		t.Fatal("not converted at 4 entries")
	}
	// Never back.
	for i := range 4 {
		h.Delete(fmt.Appendf(nil, "f%d", i))
	}
	if h.IsListpack() || h.Len() != 0 {
		t.Fatal("converted back")
	}

	h = New()
	h.Set([]byte("abcd"), []byte("abcd"), lim)
	if !h.IsListpack() {
		t.Fatal("4-byte value converted")
	}
	h.Set([]byte("abcde"), []byte("x"), lim)
	if h.IsListpack() {
		t.Fatal("5-byte field not converted")
	}

	h = New()
	h.TryConvert(lim, [][]byte{[]byte("a"), []byte("12345")})
	if h.IsListpack() {
		t.Fatal("TryConvert did not convert")
	}
	h = New()
	h.TryConvert(lim, [][]byte{[]byte("a"), []byte("1234")})
	if !h.IsListpack() {
		t.Fatal("TryConvert converted")
	}

	// Zero thresholds: the first field converts.
	h = New()
	h.Set([]byte("a"), []byte("b"), Limits{})
	if h.IsListpack() {
		t.Fatal("entries 0 did not convert")
	}
	h = New()
	h.Set([]byte(""), []byte(""), Limits{MaxEntries: 10})
	if !h.IsListpack() {
		t.Fatal("empty field and value converted with value limit 0")
	}
}

func TestLongEntries(t *testing.T) {
	// Entries longer than 127 bytes need multi-byte lengths.
	lim := Limits{MaxEntries: 1000, MaxValue: 100000}
	h := New()
	m := newModel(lim)
	for i := range 50 {
		f := strings.Repeat("f", i*37) + fmt.Sprint(i)
		v := strings.Repeat("v", (i*91)%3000)
		h.Set([]byte(f), []byte(v), lim)
		m.set(f, v)
	}
	check(t, h, m)
	for i := 0; i < 50; i += 3 {
		f := strings.Repeat("f", i*37) + fmt.Sprint(i)
		v := strings.Repeat("w", i*7)
		h.Set([]byte(f), []byte(v), lim)
		m.set(f, v)
	}
	check(t, h, m)
	for i := 0; i < 50; i += 4 {
		f := strings.Repeat("f", i*37) + fmt.Sprint(i)
		h.Delete([]byte(f))
		m.del(f)
	}
	check(t, h, m)
	h.Convert()
	m.big = true
	check(t, h, m)
}

// TestModel runs random operations against the model under several
// thresholds, checking after every step.
func TestModel(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		lim := Limits{MaxEntries: []int{0, 1, 4, 16, 128}[rng.IntN(5)], MaxValue: []int{0, 3, 8, 64}[rng.IntN(4)]}
		h, m := New(), newModel(lim)
		nf := 5 + rng.IntN(200)
		for step := 0; step < 400; step++ {
			f := fmt.Sprintf("k%d", rng.IntN(nf))
			if rng.IntN(10) == 0 {
				f = strings.Repeat("L", rng.IntN(12))
			}
			switch rng.IntN(6) {
			case 0, 1, 2:
				v := strings.Repeat("v", rng.IntN(10)) + fmt.Sprint(rng.IntN(1000))
				if h.Set([]byte(f), []byte(v), lim) != m.set(f, v) {
					t.Fatalf("seed %d: Set(%q) added mismatch", seed, f)
				}
			case 3:
				if h.Delete([]byte(f)) != m.del(f) {
					t.Fatalf("seed %d: Delete(%q) mismatch", seed, f)
				}
			case 4:
				if h.Exists([]byte(f)) != hasKey(m.m, f) {
					t.Fatalf("seed %d: Exists(%q) mismatch", seed, f)
				}
			case 5:
				c := h.Clone()
				if c.Encoding() != h.Encoding() {
					t.Fatalf("clone encoding %s vs %s", c.Encoding(), h.Encoding())
				}
				check(t, c, m)
				c.Set([]byte("clone-only"), []byte("x"), lim)
				if h.Exists([]byte("clone-only")) {
					t.Fatal("clone shares memory")
				}
			}
			if step%20 == 0 || step == 399 {
				check(t, h, m)
			}
		}
	}
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func TestRandom(t *testing.T) {
	for _, big := range []bool{false, true} {
		h := New()
		lim := Limits{MaxEntries: 1000, MaxValue: 64}
		for i := range 10 {
			h.Set(fmt.Appendf(nil, "f%d", i), fmt.Appendf(nil, "v%d", i), lim)
		}
		if big {
			h.Convert()
		}
		counts := map[string]int{}
		for range 10000 {
			f, v, ok := h.Random()
			if !ok || "v"+string(f[1:]) != string(v) {
				t.Fatalf("Random = %q %q %v", f, v, ok)
			}
			counts[string(f)]++
		}
		for f, n := range counts {
			if n < 700 || n > 1300 {
				t.Errorf("big=%v: %s drawn %d times of 10000", big, f, n)
			}
		}
		n := 0
		h.RandomPairs(2500, func(f, v []byte) {
			if "v"+string(f[1:]) != string(v) {
				t.Fatalf("RandomPairs pair %q %q", f, v)
			}
			n++
		})
		if n != 2500 {
			t.Fatalf("RandomPairs gave %d", n)
		}
		for _, count := range []int{1, 2, 3, 4, 8, 9, 10, 20} {
			seen := map[string]bool{}
			h.RandomUnique(count, func(f, v []byte) {
				if seen[string(f)] {
					t.Fatalf("RandomUnique(%d) repeated %q", count, f)
				}
				seen[string(f)] = true
			})
			if len(seen) != min(count, 10) {
				t.Fatalf("big=%v RandomUnique(%d) gave %d", big, count, len(seen))
			}
		}
		// Uniformity of RandomUnique for the two hashtable strategies.
		for _, count := range []int{2, 8} {
			counts := map[string]int{}
			for range 5000 {
				h.RandomUnique(count, func(f, _ []byte) { counts[string(f)]++ })
			}
			exp := 5000 * count / 10
			for f, n := range counts {
				if n < exp*8/10 || n > exp*12/10 {
					t.Errorf("big=%v RandomUnique(%d): %s drawn %d, expected ~%d", big, count, f, n, exp)
				}
			}
		}
	}
	var empty Hash
	if _, _, ok := empty.Random(); ok {
		t.Fatal("Random on empty hash")
	}
	empty.RandomPairs(3, func(_, _ []byte) { t.Fatal("RandomPairs on empty hash") })
	empty.RandomUnique(3, func(_, _ []byte) { t.Fatal("RandomUnique on empty hash") })
}

// TestScanGuarantee checks that a field present for a whole hashtable scan
// is returned even when the table grows and shrinks between steps.
func TestScanGuarantee(t *testing.T) {
	lim := DefaultLimits
	h := New()
	for i := range 500 {
		h.Set(fmt.Appendf(nil, "keep%d", i), []byte("v"), lim)
	}
	seen := map[string]bool{}
	cursor, step := uint64(0), 0
	for {
		cursor = h.Scan(cursor, func(f, _ []byte) { seen[string(f)] = true })
		step++
		if step < 20 {
			for j := range 200 {
				h.Set(fmt.Appendf(nil, "tmp%d-%d", step, j), []byte("x"), lim)
			}
		} else if step < 40 {
			for j := range 200 {
				h.Delete(fmt.Appendf(nil, "tmp%d-%d", step-20, j))
			}
		}
		if cursor == 0 {
			break
		}
	}
	for i := range 500 {
		if !seen[fmt.Sprintf("keep%d", i)] {
			t.Fatalf("keep%d missed by scan", i)
		}
	}
}

func TestNewHashtable(t *testing.T) {
	h := NewHashtable(100)
	if h.Encoding() != "hashtable" {
		t.Fatal(h.Encoding())
	}
	h.Set([]byte("a"), []byte("b"), DefaultLimits)
	if v, _ := h.Get([]byte("a")); string(v) != "b" {
		t.Fatal(string(v))
	}
	for h.Rehash(100) {
	}
}

// FuzzHash decodes operations from the input and checks them against the
// model.
func FuzzHash(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(4), uint8(8))
	f.Add(bytes.Repeat([]byte{0, 200, 17}, 50), uint8(128), uint8(64))
	f.Add([]byte("hello world, this is a longer input with more ops"), uint8(2), uint8(3))
	f.Fuzz(fuzzOps)
}

// fuzzOps runs the operations encoded in ops against a Hash and the model.
func fuzzOps(t *testing.T, ops []byte, ent, val uint8) {
	lim := Limits{MaxEntries: int(ent), MaxValue: int(val)}
	h, m := New(), newModel(lim)
	for i := 0; i+2 < len(ops); i += 3 {
		op, a, b := ops[i], ops[i+1], ops[i+2]
		f := strings.Repeat("f", int(a%5)) + fmt.Sprint(a%32)
		switch op % 5 {
		case 0, 1:
			v := strings.Repeat("v", int(b%150))
			if h.Set([]byte(f), []byte(v), lim) != m.set(f, v) {
				t.Fatalf("Set(%q) added mismatch", f)
			}
		case 2:
			if h.Delete([]byte(f)) != m.del(f) {
				t.Fatalf("Delete(%q) mismatch", f)
			}
		case 3:
			args := [][]byte{[]byte(f), bytes.Repeat([]byte{'x'}, int(b))}
			h.TryConvert(lim, args)
			if int(b) > lim.MaxValue || len(f) > lim.MaxValue {
				m.big = true
			}
		case 4:
			c := h.Clone()
			check(t, c, m)
		}
	}
	check(t, h, m)
}

func BenchmarkSetListpack(b *testing.B) {
	fields := make([][]byte, 100)
	for i := range fields {
		fields[i] = fmt.Appendf(nil, "field:%d", i)
	}
	val := []byte("value")
	for b.Loop() {
		h := New()
		for _, f := range fields {
			h.Set(f, val, DefaultLimits)
		}
	}
}

func BenchmarkGetHashtable(b *testing.B) {
	h := New()
	fields := make([][]byte, 100000)
	for i := range fields {
		fields[i] = fmt.Appendf(nil, "field:%d", i)
		h.Set(fields[i], []byte("value"), DefaultLimits)
	}
	i := 0
	for b.Loop() {
		h.Get(fields[i%len(fields)])
		i++
	}
}

func TestMemoryUsage(t *testing.T) {
	h := New()
	small := h.MemoryUsage(5)
	for i := range 1000 {
		h.Set(fmt.Appendf(nil, "field:%d", i), fmt.Appendf(nil, "value:%d", i), DefaultLimits)
	}
	if h.IsListpack() {
		t.Fatal("still a listpack")
	}
	all, sampled := h.MemoryUsage(0), h.MemoryUsage(5)
	if all < 1000*64 || all > 1000*128 || small <= 0 {
		t.Fatalf("MemoryUsage: empty %d, 1000 pairs %d", small, all)
	}
	if sampled < all/2 || sampled > all*2 {
		t.Fatalf("sampled %d vs full %d", sampled, all)
	}
}
