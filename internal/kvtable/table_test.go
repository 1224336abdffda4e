package kvtable

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// model is what a table should hold: per key an inline value or an object.
type model struct {
	inline map[string][]byte
	obj    map[string]int
}

func (m model) check(t *testing.T, tb *Table[int]) {
	t.Helper()
	if n := len(m.inline) + len(m.obj); tb.Len() != n {
		t.Fatalf("Len %d, want %d", tb.Len(), n)
	}
	seen := 0
	tb.Range(func(r Ref) bool {
		seen++
		k := tb.KeyString(r)
		if tb.IsObject(r) {
			if v, ok := m.obj[k]; !ok || tb.Val(r) != v {
				t.Fatalf("key %q: object %d, model %v %v", k, tb.Val(r), v, ok)
			}
		} else if v, ok := m.inline[k]; !ok || !bytes.Equal(tb.Inline(r), v) {
			t.Fatalf("key %q: inline %q, model %q %v", k, tb.Inline(r), v, ok)
		}
		return true
	})
	if seen != tb.Len() {
		t.Fatalf("Range saw %d of %d", seen, tb.Len())
	}
}

func randKey(rng *rand.Rand) []byte {
	switch rng.IntN(20) {
	case 0:
		return bytes.Repeat([]byte{'L'}, longKey+rng.IntN(3)-1) // around the long-key form
	case 1:
		return []byte{}
	}
	return fmt.Appendf(nil, "key:%d", rng.IntN(3000))
}

func randVal(rng *rand.Rand) []byte {
	n := rng.IntN(40)
	if rng.IntN(10) == 0 {
		n = rng.IntN(1100)
	}
	return bytes.Repeat([]byte{byte('a' + rng.IntN(26))}, n)
}

// TestTableModel runs random inserts, overwrites (inline and object, in
// place and moved), deletes, lookups and iterations against a map.
func TestTableModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tb := New[int](0)
	m := model{inline: map[string][]byte{}, obj: map[string]int{}}
	for i := 0; i < 200000; i++ {
		key := randKey(rng)
		k := string(key)
		switch op := rng.IntN(10); {
		case op < 4:
			val := randVal(rng)
			if !Fits(len(key), len(val)) {
				r, _ := tb.Upsert(key)
				tb.SetVal(r, len(val))
				delete(m.inline, k)
				m.obj[k] = len(val)
				continue
			}
			r, added := tb.SetInline(key, val)
			_, had1 := m.inline[k]
			_, had2 := m.obj[k]
			if added == (had1 || had2) {
				t.Fatalf("SetInline %q added %v", k, added)
			}
			if !bytes.Equal(tb.Inline(r), val) || !bytes.Equal(tb.Key(r), key) {
				t.Fatalf("SetInline %q: read back differs", k)
			}
			delete(m.obj, k)
			m.inline[k] = val
		case op < 6:
			r, _ := tb.Upsert(key)
			v := rng.IntN(1000)
			tb.SetVal(r, v)
			delete(m.inline, k)
			m.obj[k] = v
		case op < 8:
			_, had1 := m.inline[k]
			_, had2 := m.obj[k]
			if tb.Delete(key) != (had1 || had2) {
				t.Fatalf("Delete %q", k)
			}
			delete(m.inline, k)
			delete(m.obj, k)
		default:
			r := tb.Find(key)
			_, had1 := m.inline[k]
			_, had2 := m.obj[k]
			if (r != 0) != (had1 || had2) {
				t.Fatalf("Find %q: %v", k, r)
			}
			if r != 0 {
				tb.SetLRU(r, uint32(i))
				if tb.LRU(r) != uint32(i)&lruMask || !bytes.Equal(tb.Key(r), key) {
					t.Fatalf("LRU/key of %q", k)
				}
			}
		}
		if i%20000 == 0 {
			m.check(t, tb)
		}
	}
	m.check(t, tb)
	// Delete everything while ranging: records freed behind the
	// iteration are not reused until it ends.
	tb.Range(func(r Ref) bool {
		k := tb.Key(r)
		tb.SetInline([]byte("new:"+string(k[:min(len(k), 10)])), []byte("x"))
		if !tb.Delete(append([]byte(nil), k...)) {
			t.Fatalf("delete during Range")
		}
		return true
	})
	for k := range m.inline {
		if tb.FindString(k) != 0 && !strings.HasPrefix(k, "new:") {
			t.Fatalf("%q survived", k)
		}
	}
}

// TestScanCursor checks that a SCAN over a table that grows and shrinks
// in between calls sees every key present throughout.
func TestScanCursor(t *testing.T) {
	tb := New[int](0)
	for i := 0; i < 5000; i++ {
		tb.SetInline(fmt.Appendf(nil, "k%d", i), []byte("v"))
	}
	seen := map[string]bool{}
	cursor, calls := uint64(0), 0
	for {
		cursor = tb.Scan(cursor, func(r Ref) { seen[tb.KeyString(r)] = true })
		calls++
		switch calls {
		case 100: // grow
			for i := 5000; i < 20000; i++ {
				tb.SetInline(fmt.Appendf(nil, "k%d", i), []byte("v"))
			}
		case 3000: // shrink
			for i := 5000; i < 20000; i++ {
				tb.Delete(fmt.Appendf(nil, "k%d", i))
			}
		}
		if cursor == 0 {
			break
		}
	}
	for i := 0; i < 5000; i++ {
		if !seen[fmt.Sprintf("k%d", i)] {
			t.Fatalf("k%d not scanned", i)
		}
	}
}

// TestSampleAndRandom draws from a table while it rehashes.
func TestSampleAndRandom(t *testing.T) {
	tb := New[int](0)
	for i := 0; i < 1000; i++ {
		tb.SetInline(fmt.Appendf(nil, "k%d", i), []byte("v"))
	}
	for i := 0; i < 100; i++ {
		if r := tb.RandomEntry(); r == 0 || !strings.HasPrefix(tb.KeyString(r), "k") {
			t.Fatal("RandomEntry")
		}
		n := 0
		tb.SampleEntries(5, func(r Ref) { n++; tb.Delete(tb.Key(r)) })
		if n == 0 {
			t.Fatal("SampleEntries found nothing")
		}
	}
	if !strings.Contains(tb.Stats(), "number of elements") {
		t.Fatal(tb.Stats())
	}
}

// TestRecordBytes checks the memory a short string key costs: a 48-byte
// record for a 16-byte key and value.
func TestRecordBytes(t *testing.T) {
	tb := New[int](0)
	const n = 100000
	for i := 0; i < n; i++ {
		tb.SetInline(fmt.Appendf(nil, "key:%012d", i), fmt.Appendf(nil, "value:%010d", i))
	}
	if per := tb.ar.InUse() / n; per != 48 {
		t.Fatalf("%d bytes per record, want 48", per)
	}
}

// FuzzTable applies a byte-coded sequence of operations and checks the
// table against a map.
func FuzzTable(f *testing.F) {
	f.Add([]byte("\x00a\x05hello\x01a\x02a\x00bb\x00"))
	f.Fuzz(func(t *testing.T, ops []byte) {
		tb := New[int](0)
		m := model{inline: map[string][]byte{}, obj: map[string]int{}}
		for len(ops) >= 3 {
			op, kl := ops[0]%4, int(ops[1]%8)
			ops = ops[2:]
			kl = min(kl, len(ops))
			key := ops[:kl]
			ops = ops[kl:]
			k := string(key)
			switch op {
			case 0:
				vl := 0
				if len(ops) > 0 {
					vl = min(int(ops[0]), len(ops)-1)
					ops = ops[1:]
				}
				val := ops[:vl]
				ops = ops[vl:]
				tb.SetInline(key, val)
				delete(m.obj, k)
				m.inline[k] = append([]byte(nil), val...)
			case 1:
				r, _ := tb.Upsert(key)
				tb.SetVal(r, kl)
				delete(m.inline, k)
				m.obj[k] = kl
			case 2:
				tb.Delete(key)
				delete(m.inline, k)
				delete(m.obj, k)
			case 3:
				tb.Rehash(1)
			}
		}
		m.check(t, tb)
	})
}
