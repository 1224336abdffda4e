package dict

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strconv"
	"testing"
	"time"
)

// check verifies the structural invariants of d against the model m.
func check[V comparable](t testing.TB, d *Dict[V], m map[string]V) {
	t.Helper()
	if d.Len() != len(m) {
		t.Fatalf("Len = %d, model has %d", d.Len(), len(m))
	}
	seen := make(map[string]bool, len(m))
	for ti := 0; ti < 2; ti++ {
		tab := d.ht[ti]
		if ti == 1 && d.ht[1] == nil {
			if tab != nil {
				t.Fatal("ht[1] allocated while not rehashing")
			}
			break
		}
		if len(tab)&(len(tab)-1) != 0 {
			t.Fatalf("table %d size %d is not a power of two", ti, len(tab))
		}
		n := 0
		for i, e := range tab {
			if ti == 0 && d.ht[1] != nil && i < d.rehashIdx && e != nil {
				t.Fatalf("bucket %d below rehashIdx %d is not empty", i, d.rehashIdx)
			}
			for ; e != nil; e = e.next {
				if e.next == e {
					t.Fatal("deleted entry still linked")
				}
				if hashString(e.key)&uint64(len(tab)-1) != uint64(i) {
					t.Fatalf("key %q in wrong bucket", e.key)
				}
				if seen[e.key] {
					t.Fatalf("key %q stored twice", e.key)
				}
				seen[e.key] = true
				want, ok := m[e.key]
				if !ok || want != e.val {
					t.Fatalf("key %q = %v, model has %v %v", e.key, e.val, want, ok)
				}
				n++
			}
		}
		if n != d.used[ti] {
			t.Fatalf("table %d holds %d entries, used says %d", ti, n, d.used[ti])
		}
	}
}

func TestModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		d := New[int](r.IntN(3) * 50)
		m := map[string]int{}
		space := 1 + r.IntN(3000)
		for op := 0; op < 20000; op++ {
			k := strconv.Itoa(r.IntN(space))
			// Bias phases towards growth or shrinkage to force resizes.
			phase := (op / 2000) % 2
			switch x := r.IntN(100); {
			case x < 35+phase*-20:
				v := r.Int()
				added := d.Set(k, v)
				_, had := m[k]
				if added == had {
					t.Fatalf("Set(%q) added=%v but model had=%v", k, added, had)
				}
				m[k] = v
			case x < 50:
				old, ok := d.Delete(k)
				want, had := m[k]
				if ok != had || old != want {
					t.Fatalf("Delete(%q) = %v %v, want %v %v", k, old, ok, want, had)
				}
				delete(m, k)
			case x < 60:
				old, ok := d.DeleteBytes([]byte(k))
				want, had := m[k]
				if ok != had || old != want {
					t.Fatalf("DeleteBytes(%q) = %v %v, want %v %v", k, old, ok, want, had)
				}
				delete(m, k)
			case x < 70:
				v, ok := d.Get(k)
				want, had := m[k]
				if ok != had || v != want {
					t.Fatalf("Get(%q) = %v %v, want %v %v", k, v, ok, want, had)
				}
			case x < 80:
				v, ok := d.GetBytes([]byte(k))
				want, had := m[k]
				if ok != had || v != want {
					t.Fatalf("GetBytes(%q) = %v %v, want %v %v", k, v, ok, want, had)
				}
			case x < 85:
				p := d.Ref([]byte(k))
				if _, had := m[k]; had != (p != nil) {
					t.Fatalf("Ref(%q) = %v, model had %v", k, p, had)
				}
				if p != nil {
					*p++
					m[k]++
				}
			case x < 92:
				p, added := d.Upsert(k)
				if _, had := m[k]; had == added {
					t.Fatalf("Upsert(%q) added=%v, model had=%v", k, added, had)
				}
				*p += 7
				m[k] += 7
			case x < 93:
				d.Rehash(r.IntN(10))
			case x < 94:
				if _, _, ok := d.RandomEntry(); ok != (len(m) > 0) {
					t.Fatal("RandomEntry ok mismatch")
				}
			case x < 95:
				d.SampleEntries(r.IntN(20), func(key string, v int) {
					if m[key] != v {
						t.Fatalf("SampleEntries returned %q=%v, model %v", key, v, m[key])
					}
				})
			default:
				if r.IntN(200) == 0 {
					d.Clear()
					clear(m)
				}
			}
			if op%997 == 0 {
				check(t, d, m)
			}
		}
		check(t, d, m)
		got := map[string]int{}
		d.Range(func(k string, v int) bool {
			if _, dup := got[k]; dup {
				t.Fatalf("Range visited %q twice", k)
			}
			got[k] = v
			return true
		})
		if fmt.Sprint(got) != fmt.Sprint(m) {
			t.Fatal("Range does not match the model")
		}
	}
}

func TestGrowShrink(t *testing.T) {
	d := New[int](0)
	const n = 100000
	for i := 0; i < n; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	for d.Rehash(100) {
	}
	if d.Buckets() != 131072 {
		t.Fatalf("buckets = %d after %d inserts", d.Buckets(), n)
	}
	for i := 0; i < n-10; i++ {
		d.Delete(strconv.Itoa(i))
	}
	for d.Rehash(100) {
	}
	if d.Buckets() > 64 {
		t.Fatalf("buckets = %d after shrinking to 10 keys", d.Buckets())
	}
	for i := n - 10; i < n; i++ {
		if v, ok := d.Get(strconv.Itoa(i)); !ok || v != i {
			t.Fatalf("lost key %d", i)
		}
	}
}

// TestScanGuarantee checks that every key present for a whole scan is
// returned, while the table grows and shrinks between Scan calls.
func TestScanGuarantee(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	grewAndShrank := 0
	for round := 0; round < 300; round++ {
		d := New[int](0)
		stable := map[string]bool{}
		nStable := r.IntN(500)
		for i := 0; i < nStable; i++ {
			k := "s" + strconv.Itoa(i)
			d.Set(k, i)
			stable[k] = true
		}
		var volatile []string
		next := 0
		seen := map[string]int{}
		cursor := uint64(0)
		calls := 0
		grew, shrank := false, false
		for {
			before := len(d.ht[0])
			cursor = d.Scan(cursor, func(k string, v int) { seen[k]++ })
			calls++
			// Mutate between calls: bursts of inserts and deletes of
			// volatile keys drive the table through grows and shrinks.
			switch r.IntN(32) {
			case 0:
				for i := r.IntN(1000); i > 0 && len(volatile) < 3000; i-- {
					k := "v" + strconv.Itoa(next)
					next++
					d.Set(k, 0)
					volatile = append(volatile, k)
				}
			case 1:
				for i := r.IntN(1000); i > 0 && len(volatile) > 0; i-- {
					j := r.IntN(len(volatile))
					d.Delete(volatile[j])
					volatile[j] = volatile[len(volatile)-1]
					volatile = volatile[:len(volatile)-1]
				}
			case 2, 3, 4:
				d.Rehash(r.IntN(5))
			}
			if d.IsRehashing() {
				grew = grew || len(d.ht[1]) > before
				shrank = shrank || len(d.ht[1]) < before
			}
			if cursor == 0 {
				break
			}
			if calls > 1e6 {
				t.Fatal("scan does not terminate")
			}
		}
		for k := range stable {
			if seen[k] == 0 {
				t.Fatalf("round %d: stable key %q never returned (%d calls)", round, k, calls)
			}
		}
		if grew && shrank {
			grewAndShrank++
		}
	}
	if grewAndShrank < 50 {
		t.Fatalf("only %d scans saw both growth and shrinking", grewAndShrank)
	}
	t.Logf("%d of 300 scans saw both growth and shrinking", grewAndShrank)
}

func TestScanNoDuplicatesWithoutResize(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 5000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	for d.Rehash(100) {
	}
	seen := map[string]int{}
	calls := 0
	for c := d.Scan(0, func(k string, _ int) { seen[k]++ }); c != 0; c = d.Scan(c, func(k string, _ int) { seen[k]++ }) {
		calls++
	}
	if len(seen) != 5000 {
		t.Fatalf("scan returned %d keys", len(seen))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("key %q returned %d times", k, n)
		}
	}
	if calls+1 != d.Buckets() {
		t.Fatalf("%d calls for %d buckets", calls+1, d.Buckets())
	}
}

func TestScanCallbackMutates(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 1000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	c := uint64(0)
	for {
		c = d.Scan(c, func(k string, _ int) {
			d.Delete(k)
			d.Set("new"+k, 1)
		})
		if c == 0 {
			break
		}
	}
	for i := 0; i < 1000; i++ {
		if _, ok := d.Get(strconv.Itoa(i)); ok {
			// Keys returned were deleted; a key can only survive if the
			// scan never returned it, which the guarantee forbids.
			t.Fatalf("key %d never scanned", i)
		}
	}
}

func TestRangeDeleteAny(t *testing.T) {
	for _, n := range []int{1, 10, 1000, 50000} {
		d := New[int](0)
		m := map[string]int{}
		for i := 0; i < n; i++ {
			k := strconv.Itoa(i)
			d.Set(k, i)
			m[k] = i
		}
		// Leave the dict mid-rehash in some rounds.
		d.Set("extra", -1)
		m["extra"] = -1
		visited := map[string]bool{}
		deleted := map[string]bool{}
		r := rand.New(rand.NewPCG(uint64(n), 9))
		d.Range(func(k string, v int) bool {
			if visited[k] || deleted[k] {
				t.Fatalf("visited %q twice or after deletion", k)
			}
			visited[k] = true
			if m[k] != v {
				t.Fatalf("bad value for %q", k)
			}
			switch r.IntN(4) {
			case 0:
				d.Delete(k)
				deleted[k] = true
			case 1:
				// Delete some other, maybe not yet visited, key.
				o := strconv.Itoa(r.IntN(n))
				if _, ok := d.Delete(o); ok {
					deleted[o] = true
				}
			case 2:
				d.Set("ins"+k, 0) // may trigger a resize
			}
			return true
		})
		for k := range m {
			if !visited[k] && !deleted[k] {
				t.Fatalf("n=%d: key %q not visited", n, k)
			}
		}
	}
}

func TestRangeStop(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 100; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	n := 0
	d.Range(func(string, int) bool { n++; return n < 10 })
	if n != 10 {
		t.Fatalf("Range kept going: %d", n)
	}
	n = 0
	d.Range(func(string, int) bool { n++; d.Clear(); return true })
	if n != 1 || d.Len() != 0 {
		t.Fatalf("Range after Clear: %d calls, Len %d", n, d.Len())
	}
}

func TestRandomEntryFairness(t *testing.T) {
	d := New[int](0)
	const n = 100
	for i := 0; i < n; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	counts := make([]int, n)
	const draws = 200000
	for i := 0; i < draws; i++ {
		k, v, ok := d.RandomEntry()
		if !ok || k != strconv.Itoa(v) {
			t.Fatal("bad random entry")
		}
		counts[v]++
	}
	sort.Ints(counts)
	// Every key must come up, and none wildly more than average.
	if counts[0] == 0 || counts[n-1] > 4*draws/n {
		t.Fatalf("unfair distribution: min %d max %d (mean %d)", counts[0], counts[n-1], draws/n)
	}
	var empty Dict[int]
	if _, _, ok := empty.RandomEntry(); ok {
		t.Fatal("RandomEntry on empty dict")
	}
}

func TestSampleEntries(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 10000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	// Like Redis's dictGetSomeKeys, a sample may hold a key twice (a
	// random jump can land on a bucket already visited); it never holds
	// more than asked, nor a key that is not there.
	for i := 0; i < 1000; i++ {
		calls := 0
		d.SampleEntries(20, func(k string, v int) {
			calls++
			if got, ok := d.Get(k); !ok || got != v {
				t.Fatalf("sampled %q=%d not in the dict", k, v)
			}
		})
		if calls > 20 || calls == 0 {
			t.Fatalf("sampled %d entries", calls)
		}
	}
	small := New[int](0)
	small.Set("a", 1)
	n := 0
	small.SampleEntries(5, func(string, int) { n++ })
	if n != 1 {
		t.Fatalf("sampled %d of 1", n)
	}
}

func TestNoAllocs(t *testing.T) {
	d := New[int](0)
	for i := 0; i < 1000; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	kb := []byte("500")
	if n := testing.AllocsPerRun(100, func() { d.GetBytes(kb) }); n != 0 {
		t.Fatalf("GetBytes allocates %v", n)
	}
	if n := testing.AllocsPerRun(100, func() { d.Ref(kb) }); n != 0 {
		t.Fatalf("Ref allocates %v", n)
	}
	if n := testing.AllocsPerRun(100, func() { d.Get("500") }); n != 0 {
		t.Fatalf("Get allocates %v", n)
	}
	if n := testing.AllocsPerRun(100, func() { d.Set("500", 1) }); n != 0 {
		t.Fatalf("Set (replace) allocates %v", n)
	}
	if n := testing.AllocsPerRun(100, func() { d.DeleteBytes([]byte("nope")) }); n != 0 {
		t.Fatalf("DeleteBytes allocates %v", n)
	}
	c := uint64(0)
	d.Scan(0, func(string, int) {}) // warm the scratch buffer
	if n := testing.AllocsPerRun(100, func() { c = d.Scan(c, func(string, int) {}) }); n != 0 {
		t.Fatalf("Scan allocates %v", n)
	}
	if n := testing.AllocsPerRun(100, func() { d.RandomEntry() }); n != 0 {
		t.Fatalf("RandomEntry allocates %v", n)
	}
}

// FuzzDict drives a Dict with an operation tape and checks it against a map.
func FuzzDict(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, again and again"))
	f.Fuzz(func(t *testing.T, tape []byte) {
		d := New[int](0)
		m := map[string]int{}
		cursor := uint64(0)
		for i := 0; i+1 < len(tape); i += 2 {
			op, arg := tape[i]%8, tape[i+1]
			k := strconv.Itoa(int(arg) % 97)
			switch op {
			case 0, 1:
				// Insert a burst so resizes happen with short tapes.
				for j := 0; j <= int(arg)%16; j++ {
					kk := k + "." + strconv.Itoa(j)
					d.Set(kk, int(arg))
					m[kk] = int(arg)
				}
			case 2, 3:
				for j := 0; j <= int(arg)%16; j++ {
					kk := k + "." + strconv.Itoa(j)
					_, ok := d.DeleteBytes([]byte(kk))
					if _, had := m[kk]; had != ok {
						t.Fatalf("delete %q: %v vs model %v", kk, ok, had)
					}
					delete(m, kk)
				}
			case 4:
				v, ok := d.Get(k + ".0")
				if w, had := m[k+".0"]; had != ok || v != w {
					t.Fatal("get mismatch")
				}
			case 5:
				cursor = d.Scan(cursor, func(k string, v int) {
					if m[k] != v {
						t.Fatal("scan returned a stale entry")
					}
				})
			case 6:
				d.Rehash(int(arg) % 4)
			case 7:
				d.Range(func(k string, v int) bool {
					if arg&1 == 1 {
						d.Delete(k)
						delete(m, k)
					}
					return arg&2 == 0
				})
			}
		}
		check(t, d, m)
	})
}

var sink int

func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	return keys
}

func BenchmarkGet(b *testing.B) {
	keys := benchKeys(1 << 16)
	d := New[int](0)
	for i, k := range keys {
		d.Set(k, i)
	}
	i := 0
	for b.Loop() {
		v, _ := d.Get(keys[i&(len(keys)-1)])
		sink += v
		i++
	}
}

func BenchmarkGetBytes(b *testing.B) {
	keys := benchKeys(1 << 16)
	bkeys := make([][]byte, len(keys))
	d := New[int](0)
	for i, k := range keys {
		d.Set(k, i)
		bkeys[i] = []byte(k)
	}
	i := 0
	for b.Loop() {
		v, _ := d.GetBytes(bkeys[i&(len(keys)-1)])
		sink += v
		i++
	}
}

func BenchmarkGetMiss(b *testing.B) {
	keys := benchKeys(1 << 16)
	d := New[int](0)
	for i, k := range keys[:1<<15] {
		d.Set(k, i)
	}
	i := 0
	for b.Loop() {
		_, ok := d.Get(keys[(1<<15)+i&(1<<15-1)])
		if ok {
			b.Fatal("hit")
		}
		i++
	}
}

func BenchmarkSetReplace(b *testing.B) {
	keys := benchKeys(1 << 16)
	d := New[int](0)
	for i, k := range keys {
		d.Set(k, i)
	}
	i := 0
	for b.Loop() {
		d.Set(keys[i&(len(keys)-1)], i)
		i++
	}
}

// BenchmarkSetGrow inserts fresh keys into a growing Dict (including the
// incremental rehashing that growth causes).
func BenchmarkSetGrow(b *testing.B) {
	keys := benchKeys(1 << 20)
	d := New[int](0)
	i := 0
	for b.Loop() {
		if i == len(keys) {
			b.StopTimer()
			d = New[int](0)
			i = 0
			b.StartTimer()
		}
		d.Set(keys[i], i)
		i++
	}
}

func BenchmarkDeleteInsert(b *testing.B) {
	keys := benchKeys(1 << 16)
	d := New[int](0)
	for i, k := range keys {
		d.Set(k, i)
	}
	i := 0
	for b.Loop() {
		k := keys[i&(len(keys)-1)]
		d.Delete(k)
		d.Set(k, i)
		i++
	}
}

func BenchmarkScan(b *testing.B) {
	keys := benchKeys(1 << 16)
	d := New[int](0)
	for i, k := range keys {
		d.Set(k, i)
	}
	c := uint64(0)
	for b.Loop() {
		c = d.Scan(c, func(string, int) { sink++ })
	}
}

// object stands in for a value of two words (the size of a keyspace object header).
type object [2]int64

// BenchmarkMemoryPerEntry reports the heap bytes the Dict itself uses per
// entry for 1M string keys with pointer values (the keys' bytes and the
// pointed-to values are allocated beforehand and not counted).
func BenchmarkMemoryPerEntry(b *testing.B) {
	const n = 1_000_000
	keys := benchKeys(n)
	vals := make([]*object, n)
	for i := range vals {
		vals[i] = &object{}
	}
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		d := New[*object](0)
		for i, k := range keys {
			d.Set(k, vals[i])
		}
		for d.Rehash(1000) {
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/entry")
		runtime.KeepAlive(d)
	}
}

func TestZeroValue(t *testing.T) {
	var d Dict[string]
	if _, ok := d.Get("a"); ok || d.Len() != 0 || d.Scan(0, func(string, string) {}) != 0 {
		t.Fatal("zero Dict is not empty")
	}
	if _, ok := d.Delete("a"); ok {
		t.Fatal("deleted from an empty Dict")
	}
	d.Range(func(string, string) bool { t.Fatal("Range on empty Dict"); return true })
	d.SampleEntries(3, func(string, string) { t.Fatal("sample from empty Dict") })
	for i := 0; i < 100; i++ {
		d.Set(strconv.Itoa(i), "v")
	}
	if v, ok := d.Get("42"); !ok || v != "v" || d.Len() != 100 {
		t.Fatal("zero Dict does not work after inserts")
	}
}

// TestUpsertBytes checks keys stored in their entry's block, of every
// length class: found by every lookup, the stored key returned again on
// an update, unchanged when the caller's buffer is reused, and surviving
// rehashing and deletion of others.
func TestUpsertBytes(t *testing.T) {
	d := New[int](0)
	buf := make([]byte, 0, 200)
	key := func(i int) []byte {
		buf = buf[:0]
		for j := 0; j < i%130; j++ {
			buf = append(buf, byte('a'+(i+j)%26))
		}
		return append(buf, fmt.Sprint(i)...)
	}
	stored := map[int]string{}
	for i := 0; i < 3000; i++ {
		p, k, added := d.UpsertBytes(key(i))
		if !added || k != string(key(i)) {
			t.Fatalf("key %d: added %v, stored %q", i, added, k)
		}
		*p = i
		stored[i] = k
	}
	if _, k, added := d.UpsertBytes(nil); !added || k != "" {
		t.Fatalf("empty key: %v %q", added, k)
	}
	for i := 0; i < 3000; i += 2 {
		if _, ok := d.Delete(string(key(i))); !ok {
			t.Fatalf("delete %d", i)
		}
	}
	for i := 1; i < 3000; i += 2 {
		if v, ok := d.GetBytes(key(i)); !ok || v != i {
			t.Fatalf("GetBytes %d: %v %v", i, v, ok)
		}
		if v, ok := d.Get(stored[i]); !ok || v != i {
			t.Fatalf("Get %d: %v %v", i, v, ok)
		}
		p, k, added := d.UpsertBytes(key(i))
		if added || *p != i || k != stored[i] || k != string(key(i)) {
			t.Fatalf("update %d: %v %v %q", i, added, *p, k)
		}
	}
	if d.Len() != 1500+1 {
		t.Fatalf("len %d", d.Len())
	}
}

// BenchmarkGrowthStall fills a Dict from empty to 10M keys with pointer
// values (the keyspace's shape, so the garbage collector has as many
// objects to mark as a server would) and reports the slowest single Set,
// the key count at which it happened and the slowest Set that started a
// resize: a stall at a power of two is the cost of starting a rehash (the
// new table's allocation), one elsewhere a rehash step or the runtime
// (a garbage collection's mark assists). Run it pinned to one CPU
// (taskset -c 0, -benchtime 1x) to see a one-core server's view.
func BenchmarkGrowthStall(b *testing.B) {
	const n = 10_000_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	for b.Loop() {
		d := New[*object](0)
		var worst, worstResize time.Duration
		at := 0
		for i, k := range keys {
			resizing := d.IsRehashing()
			t0 := time.Now()
			d.Set(k, &object{})
			el := time.Since(t0)
			if el > worst {
				worst, at = el, i
			}
			if !resizing && d.IsRehashing() && el > worstResize {
				worstResize = el
			}
		}
		b.ReportMetric(float64(worst.Microseconds()), "max-µs")
		b.ReportMetric(float64(at), "max-at-keys")
		b.ReportMetric(float64(worstResize.Microseconds()), "resize-max-µs")
		runtime.KeepAlive(d)
	}
}
