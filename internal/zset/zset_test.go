package zset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// elem is one element of the model: a sorted slice of (member, score).
type elem struct {
	m string
	s float64
}

type model []elem

func (md model) find(m string) int {
	for i, e := range md {
		if e.m == m {
			return i
		}
	}
	return -1
}

func (md *model) insert(m string, s float64) {
	*md = append(*md, elem{m, s})
	sort.Slice(*md, func(i, j int) bool {
		a, b := (*md)[i], (*md)[j]
		return a.s < b.s || (a.s == b.s && a.m < b.m)
	})
}

func (md *model) remove(i int) { *md = slices.Delete(*md, i, i+1) }

// add mirrors zsetAdd on the model.
func (md *model) add(m string, s float64, f Flags) (Result, float64) {
	if math.IsNaN(s) {
		return NaN, 0
	}
	if i := md.find(m); i >= 0 {
		cur := (*md)[i].s
		if f&NX != 0 {
			return NOP, cur
		}
		if f&Incr != 0 {
			s += cur
			if math.IsNaN(s) {
				return NaN, 0
			}
		}
		if (f&LT != 0 && s >= cur) || (f&GT != 0 && s <= cur) {
			return NOP, cur
		}
		if s == cur {
			return 0, s
		}
		md.remove(i)
		md.insert(m, s)
		return Updated, s
	}
	if f&XX != 0 {
		return NOP, 0
	}
	md.insert(m, s)
	return Added, s
}

func (md model) allEqualScores() bool {
	for _, e := range md {
		if e.s != md[0].s {
			return false
		}
	}
	return true
}

// collect gathers the elements visited by an iteration.
func collect(run func(Visit)) []elem {
	var out []elem
	run(func(m []byte, s float64) { out = append(out, elem{string(m), s}) })
	return out
}

// checkInvariants verifies z's structure and contents against md.
func checkInvariants(t testing.TB, z *ZSet, md model) {
	t.Helper()
	if z.Len() != len(md) {
		t.Fatalf("Len = %d, model %d", z.Len(), len(md))
	}
	got := collect(func(v Visit) { z.Range(false, v) })
	if len(got) != len(md) {
		t.Fatalf("Range visited %d, model %d", len(got), len(md))
	}
	for i := range md {
		if got[i] != md[i] {
			t.Fatalf("element %d = %v, model %v", i, got[i], md[i])
		}
	}
	if z.sl == nil {
		if z.lpn != len(md) {
			t.Fatalf("lpn %d", z.lpn)
		}
		return
	}
	sl := z.sl
	if sl.length != len(md) || z.dict.Len() != len(md) {
		t.Fatalf("length %d dict %d model %d", sl.length, z.dict.Len(), len(md))
	}
	// Level 0: order, backward links, tail, dict.
	rank := map[*node]int{sl.header: 0}
	var prev *node
	r := 0
	for x := sl.first(); x != nil; x = x.next0 {
		r++
		rank[x] = r
		if x.prev != prev {
			t.Fatalf("backward link of %q wrong", x.member)
		}
		if prev != nil && !before(prev.score, prev.member, x.score, x.member) {
			t.Fatalf("order broken at %q", x.member)
		}
		if y, ok := z.dict.Get(x.member); !ok || y != x {
			t.Fatalf("dict has %q = %v %v, skiplist %p", x.member, y, ok, x)
		}
		if h := x.height(); h < 1 || h > maxLevel {
			t.Fatalf("height %d", h)
		}
		prev = x
	}
	if sl.tail != prev {
		t.Fatal("tail wrong")
	}
	if sl.level < 1 || sl.level > maxLevel {
		t.Fatalf("level %d", sl.level)
	}
	if sl.level > 1 && sl.header.lv(sl.level-1).next == nil {
		t.Fatal("top level empty")
	}
	for i := sl.level; i < maxLevel; i++ {
		if sl.header.lv(i).next != nil {
			t.Fatalf("header level %d above skiplist level linked", i)
		}
	}
	// Upper levels: every link skips exactly span nodes, and visits nodes
	// of at least that height in order.
	for i := 1; i < sl.level; i++ {
		for x := sl.header; ; {
			l := x.lv(i)
			if l.next == nil {
				break
			}
			if l.next.height() <= i {
				t.Fatalf("level %d links a node of height %d", i, l.next.height())
			}
			if want := rank[l.next] - rank[x]; l.span != want {
				t.Fatalf("level %d span from rank %d = %d, want %d", i, rank[x], l.span, want)
			}
			x = l.next
		}
	}
}

var scorePool = []float64{math.Inf(-1), -3.5, -1, 0, 0.1, 1, 2, 2, 3, 10, 1e17, math.Inf(1)}

func randMember(r *rand.Rand) string {
	// Small alphabet, varying length, so that members collide and some
	// exceed small value limits.
	n := r.IntN(6)
	b := make([]byte, n)
	for i := range b {
		b[i] = "abc\x00\xff"[r.IntN(5)]
	}
	return string(b)
}

func randScore(r *rand.Rand, lexMode bool) float64 {
	if lexMode {
		return 0
	}
	if r.IntN(4) == 0 {
		return float64(r.IntN(100)) / 4
	}
	return scorePool[r.IntN(len(scorePool))]
}

func randScoreRange(r *rand.Rand) ScoreRange {
	return ScoreRange{Min: randScore(r, false), Max: randScore(r, false), MinEx: r.IntN(2) == 0, MaxEx: r.IntN(2) == 0}
}

func randLexBound(r *rand.Rand) LexBound {
	switch r.IntN(6) {
	case 0:
		return LexBound{Inf: -1, Ex: true}
	case 1:
		return LexBound{Inf: 1, Ex: true}
	}
	return LexBound{Value: randMember(r), Ex: r.IntN(2) == 0}
}

func modelScoreRange(md model, sr *ScoreRange, offset, limit int, reverse bool) []elem {
	var in []elem
	for _, e := range md {
		if sr.Contains(e.s) {
			in = append(in, e)
		}
	}
	return window(in, offset, limit, reverse)
}

func modelLexRange(md model, lr *LexRange, offset, limit int, reverse bool) []elem {
	var in []elem
	for _, e := range md {
		if lr.Contains(e.m) {
			in = append(in, e)
		}
	}
	return window(in, offset, limit, reverse)
}

func window(in []elem, offset, limit int, reverse bool) []elem {
	if reverse {
		slices.Reverse(in)
	}
	if offset < 0 || offset >= len(in) {
		return nil
	}
	in = in[offset:]
	if limit >= 0 && limit < len(in) {
		in = in[:limit]
	}
	if len(in) == 0 {
		return nil
	}
	return in
}

func sameElems(a, b []elem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// step applies one random operation to z and the model and checks the
// results agree.
func step(t testing.TB, r *rand.Rand, z *ZSet, md *model, lim Limits, lexMode bool) {
	t.Helper()
	switch op := r.IntN(16); op {
	case 0, 1, 2, 3:
		m, s := randMember(r), randScore(r, lexMode)
		var f Flags
		switch r.IntN(8) {
		case 1:
			f = NX
		case 2:
			f = XX
		case 3:
			f = GT
		case 4:
			f = LT | XX
		case 5:
			f = Incr
		}
		if lexMode && f&Incr != 0 {
			f = 0
		}
		if f == 0 && r.IntN(4) == 0 {
			added := z.Set(m, s, lim)
			wres, _ := md.add(m, s, 0)
			if added != (wres == Added) {
				t.Fatalf("Set(%q, %v) = %v, model %b", m, s, added, wres)
			}
			return
		}
		res, ns := z.Add([]byte(m), s, f, lim)
		wres, wns := md.add(m, s, f)
		if res != wres || (res&(Added|Updated) != 0 && ns != wns) {
			t.Fatalf("Add(%q, %v, %b) = %b %v, model %b %v", m, s, f, res, ns, wres, wns)
		}
	case 4:
		m := randMember(r)
		i := md.find(m)
		if got := z.Delete([]byte(m)); got != (i >= 0) {
			t.Fatalf("Delete(%q) = %v", m, got)
		}
		if i >= 0 {
			md.remove(i)
		}
	case 5:
		m := randMember(r)
		i := md.find(m)
		s, ok := z.Score([]byte(m))
		if ok != (i >= 0) || (ok && s != (*md)[i].s) {
			t.Fatalf("Score(%q) = %v %v", m, s, ok)
		}
		rev := r.IntN(2) == 0
		rk, ok := z.Rank([]byte(m), rev)
		want := i
		if rev && i >= 0 {
			want = len(*md) - 1 - i
		}
		if ok != (i >= 0) || (ok && rk != want) {
			t.Fatalf("Rank(%q, %v) = %d %v, want %d", m, rev, rk, ok, want)
		}
	case 6:
		n := len(*md)
		if n == 0 {
			return
		}
		start := r.IntN(n)
		end := start + r.IntN(n-start)
		rev := r.IntN(2) == 0
		got := collect(func(v Visit) { z.RangeByRank(start, end, rev, v) })
		want := slices.Clone((*md))
		if rev {
			slices.Reverse(want)
		}
		want = want[start : end+1]
		if !sameElems(got, want) {
			t.Fatalf("RangeByRank(%d, %d, %v) = %v, want %v", start, end, rev, got, want)
		}
	case 7:
		sr := randScoreRange(r)
		offset, limit := r.IntN(4)-1, r.IntN(5)-1
		rev := r.IntN(2) == 0
		got := collect(func(v Visit) {
			if n := z.RangeByScore(&sr, offset, limit, rev, v); n != len(modelScoreRange(*md, &sr, offset, limit, rev)) {
				t.Fatalf("RangeByScore count %d", n)
			}
		})
		if want := modelScoreRange(*md, &sr, offset, limit, rev); !sameElems(got, want) {
			t.Fatalf("RangeByScore(%+v, %d, %d, %v) = %v, want %v", sr, offset, limit, rev, got, want)
		}
		if got, want := z.CountByScore(&sr), len(modelScoreRange(*md, &sr, 0, -1, false)); got != want {
			t.Fatalf("CountByScore(%+v) = %d, want %d", sr, got, want)
		}
	case 8:
		if !md.allEqualScores() {
			return
		}
		lr := LexRange{Min: randLexBound(r), Max: randLexBound(r)}
		offset, limit := r.IntN(4)-1, r.IntN(5)-1
		rev := r.IntN(2) == 0
		got := collect(func(v Visit) { z.RangeByLex(&lr, offset, limit, rev, v) })
		if want := modelLexRange(*md, &lr, offset, limit, rev); !sameElems(got, want) {
			t.Fatalf("RangeByLex(%+v, %d, %d, %v) = %v, want %v", lr, offset, limit, rev, got, want)
		}
		if got, want := z.CountByLex(&lr), len(modelLexRange(*md, &lr, 0, -1, false)); got != want {
			t.Fatalf("CountByLex(%+v) = %d, want %d", lr, got, want)
		}
	case 9:
		n := len(*md)
		if n == 0 || r.IntN(4) != 0 {
			return
		}
		start := r.IntN(n)
		end := start + r.IntN(min(n-start, 3))
		if got := z.DeleteRangeByRank(start, end); got != end-start+1 {
			t.Fatalf("DeleteRangeByRank = %d", got)
		}
		*md = slices.Delete(*md, start, end+1)
	case 10:
		if r.IntN(4) != 0 {
			return
		}
		sr := randScoreRange(r)
		var keep model
		for _, e := range *md {
			if !sr.Contains(e.s) {
				keep = append(keep, e)
			}
		}
		if got := z.DeleteRangeByScore(&sr); got != len(*md)-len(keep) {
			t.Fatalf("DeleteRangeByScore(%+v) = %d, want %d", sr, got, len(*md)-len(keep))
		}
		*md = keep
	case 11:
		if !md.allEqualScores() || r.IntN(4) != 0 {
			return
		}
		lr := LexRange{Min: randLexBound(r), Max: randLexBound(r)}
		var keep model
		for _, e := range *md {
			if !lr.Contains(e.m) {
				keep = append(keep, e)
			}
		}
		if got := z.DeleteRangeByLex(&lr); got != len(*md)-len(keep) {
			t.Fatalf("DeleteRangeByLex(%+v) = %d, want %d", lr, got, len(*md)-len(keep))
		}
		*md = keep
	case 12:
		if len(*md) == 0 {
			return
		}
		mx := r.IntN(2) == 0
		m, s := z.Pop(mx)
		i := 0
		if mx {
			i = len(*md) - 1
		}
		if (elem{m, s}) != (*md)[i] {
			t.Fatalf("Pop(%v) = %q %v, want %v", mx, m, s, (*md)[i])
		}
		md.remove(i)
	case 13:
		if len(*md) == 0 {
			return
		}
		m, s := z.Random()
		if i := md.find(string(m)); i < 0 || (*md)[i].s != s {
			t.Fatalf("Random = %q %v not in model", m, s)
		}
	case 14:
		seen := map[string]float64{}
		var cur uint64
		for {
			cur = z.Scan(cur, func(m []byte, s float64) { seen[string(m)] = s })
			if cur == 0 {
				break
			}
		}
		if len(seen) != len(*md) {
			t.Fatalf("Scan saw %d, model %d", len(seen), len(*md))
		}
		for _, e := range *md {
			if s, ok := seen[e.m]; !ok || s != e.s {
				t.Fatalf("Scan missed %v", e)
			}
		}
	case 15:
		c := z.Clone()
		if c.Encoding() != z.Encoding() {
			t.Fatal("Clone changed the encoding")
		}
		checkInvariants(t, c, *md)
		// The copy is independent.
		c.Add([]byte("zzzz-clone"), 1, 0, lim)
		if _, ok := z.Score([]byte("zzzz-clone")); ok {
			t.Fatal("clone shares state")
		}
	}
}

func runModel(t testing.TB, seed uint64, steps int) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	lim := Limits{MaxListpackEntries: r.IntN(20), MaxListpackValue: r.IntN(8)}
	lexMode := r.IntN(3) == 0
	z := NewFor(lim, r.IntN(10))
	var md model
	for i := 0; i < steps; i++ {
		step(t, r, z, &md, lim, lexMode)
		if i%25 == 0 {
			checkInvariants(t, z, md)
		}
	}
	checkInvariants(t, z, md)
	z.ShrinkIfSmall(lim)
	checkInvariants(t, z, md)
}

func TestModel(t *testing.T) {
	for seed := uint64(0); seed < 300; seed++ {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) { runModel(t, seed, 600) })
	}
}

func TestSkiplistLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	z := NewSkiplist(0)
	var md model
	lim := Limits{}
	for i := 0; i < 3000; i++ {
		m := fmt.Sprintf("m%d", r.IntN(2000))
		s := float64(r.IntN(500))
		z.Add([]byte(m), s, 0, lim)
		md.add(m, s, 0)
		if r.IntN(3) == 0 {
			d := fmt.Sprintf("m%d", r.IntN(2000))
			if z.Delete([]byte(d)) {
				md.remove(md.find(d))
			}
		}
	}
	checkInvariants(t, z, md)
	for i, e := range md {
		if rk, ok := z.Rank([]byte(e.m), false); !ok || rk != i {
			t.Fatalf("Rank(%q) = %d, want %d", e.m, rk, i)
		}
		if x := z.sl.byRank(i + 1); x == nil || x.member != e.m {
			t.Fatalf("byRank(%d) wrong", i+1)
		}
	}
	if z.sl.byRank(0) != nil || z.sl.byRank(len(md)+1) != nil {
		t.Fatal("byRank out of range returns a node")
	}
}

func TestListpackNegativeZero(t *testing.T) {
	lim := Limits{MaxListpackEntries: 128, MaxListpackValue: 64}
	z := New()
	if r, s := z.Add([]byte("a"), math.Copysign(0, -1), 0, lim); r != Added || !math.Signbit(s) {
		t.Fatalf("Add -0 = %v %v (the reply keeps the sign)", r, s)
	}
	if s, _ := z.Score([]byte("a")); math.Signbit(s) {
		t.Fatal("listpack kept -0")
	}
	sk := NewSkiplist(0)
	sk.Add([]byte("a"), math.Copysign(0, -1), 0, lim)
	if s, _ := sk.Score([]byte("a")); !math.Signbit(s) {
		t.Fatal("skiplist lost -0")
	}
}

func TestConversion(t *testing.T) {
	lim := Limits{MaxListpackEntries: 3, MaxListpackValue: 4}
	z := NewFor(lim, 2)
	for i, m := range []string{"a", "b", "c"} {
		z.Add([]byte(m), float64(i), 0, lim)
	}
	if z.Encoding() != "listpack" {
		t.Fatal(z.Encoding())
	}
	z.Add([]byte("d"), 3, 0, lim)
	if z.Encoding() != "skiplist" {
		t.Fatal("no conversion on entries")
	}
	z.Delete([]byte("d"))
	z.Delete([]byte("c"))
	if z.Encoding() != "skiplist" {
		t.Fatal("converted back")
	}
	z.ShrinkIfSmall(lim)
	if z.Encoding() != "listpack" || z.Len() != 2 {
		t.Fatal("ShrinkIfSmall")
	}
	z.Add([]byte("toolong"), 3, 0, lim)
	if z.Encoding() != "skiplist" {
		t.Fatal("no conversion on value length")
	}
	if NewFor(Limits{MaxListpackEntries: 0, MaxListpackValue: 64}, 1).Encoding() != "skiplist" ||
		NewFor(lim, 5).Encoding() != "skiplist" || NewFor(lim, 4).Encoding() != "listpack" {
		t.Fatal("NewFor")
	}
}

func TestParseRanges(t *testing.T) {
	for _, c := range []struct {
		min, max string
		ok       bool
		want     ScoreRange
	}{
		{"1", "2", true, ScoreRange{Min: 1, Max: 2}},
		{"(1", "(2", true, ScoreRange{Min: 1, Max: 2, MinEx: true, MaxEx: true}},
		{"-inf", "+inf", true, ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}},
		{"(", "", true, ScoreRange{MinEx: true}},
		{" 1", "2", true, ScoreRange{Min: 1, Max: 2}},
		{"1x", "2", false, ScoreRange{}},
		{"nan", "2", false, ScoreRange{}},
		{"1", "((2", false, ScoreRange{}},
		{"[1", "2", false, ScoreRange{}},
		{"1\x00junk", "2", true, ScoreRange{Min: 1, Max: 2}},
	} {
		got, ok := ParseScoreRange([]byte(c.min), []byte(c.max))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseScoreRange(%q, %q) = %+v %v", c.min, c.max, got, ok)
		}
	}
	for _, c := range []struct {
		min, max  string
		ok, empty bool
	}{
		{"-", "+", true, false}, {"+", "-", true, true}, {"-", "-", true, true},
		{"[a", "[a", true, false}, {"(a", "[a", true, true}, {"[b", "[a", true, true},
		{"a", "+", false, false}, {"+a", "+", false, false}, {"", "+", false, false},
		{"[", "(", true, true}, {"+\x00x", "-", true, true},
	} {
		got, ok := ParseLexRange([]byte(c.min), []byte(c.max))
		if ok != c.ok || (ok && got.Empty() != c.empty) {
			t.Errorf("ParseLexRange(%q, %q) = %+v %v empty %v", c.min, c.max, got, ok, got.Empty())
		}
	}
}

// FuzzZSet drives random operation sequences from the fuzzer's seed
// against the model.
func FuzzZSet(f *testing.F) {
	for _, s := range []uint64{0, 1, 42, 1 << 40} {
		f.Add(s, uint16(200))
	}
	f.Fuzz(func(t *testing.T, seed uint64, steps uint16) {
		runModel(t, seed, int(steps%2000))
	})
}

// FuzzOps interprets the fuzzer's bytes as operations on a set with
// small limits, checking it against the model.
func FuzzOps(f *testing.F) {
	f.Add([]byte("\x00a\x01\x00b\x02\x03a\x04"))
	f.Add([]byte("\x00\x00\x00\x01\x00\x02\x00\x03\x00\x04\x05\x06\x07"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxListpackEntries: 4, MaxListpackValue: 3}
		z := New()
		var md model
		for i := 0; i+2 < len(data); i += 3 {
			op, a, b := data[i], data[i+1], data[i+2]
			m := string([]byte("abcdefgh")[:a%6])
			s := scorePool[int(b)%len(scorePool)]
			switch op % 6 {
			case 0, 1:
				f := Flags(b>>4) & (NX | XX | GT | LT | Incr)
				if f&NX != 0 && f&(XX|GT|LT) != 0 || f&GT != 0 && f&LT != 0 {
					f = 0
				}
				res, ns := z.Add([]byte(m), s, f, lim)
				wres, wns := md.add(m, s, f)
				if res != wres || (res&(Added|Updated) != 0 && ns != wns) {
					t.Fatalf("Add(%q, %v, %b) = %b %v, model %b %v", m, s, f, res, ns, wres, wns)
				}
			case 2:
				i := md.find(m)
				if z.Delete([]byte(m)) != (i >= 0) {
					t.Fatal("Delete")
				}
				if i >= 0 {
					md.remove(i)
				}
			case 3:
				if len(md) > 0 {
					m, s := z.Pop(b&1 == 1)
					j := 0
					if b&1 == 1 {
						j = len(md) - 1
					}
					if (elem{m, s}) != md[j] {
						t.Fatal("Pop")
					}
					md.remove(j)
				}
			case 4:
				sr := ScoreRange{Min: s, Max: scorePool[int(a)%len(scorePool)], MinEx: b&1 == 1, MaxEx: a&1 == 1}
				got := collect(func(v Visit) { z.RangeByScore(&sr, 0, -1, b&2 == 2, v) })
				if want := modelScoreRange(md, &sr, 0, -1, b&2 == 2); !sameElems(got, want) {
					t.Fatalf("RangeByScore %v want %v", got, want)
				}
			case 5:
				sr := ScoreRange{Min: s, Max: scorePool[int(a)%len(scorePool)]}
				var keep model
				for _, e := range md {
					if !sr.Contains(e.s) {
						keep = append(keep, e)
					}
				}
				if z.DeleteRangeByScore(&sr) != len(md)-len(keep) {
					t.Fatal("DeleteRangeByScore")
				}
				md = keep
			}
		}
		checkInvariants(t, z, md)
	})
}

func BenchmarkAddSkiplist(b *testing.B) {
	z := NewSkiplist(0)
	keys := make([][]byte, 1<<16)
	for i := range keys {
		keys[i] = []byte("member:" + strconv.Itoa(i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.Add(keys[i&(len(keys)-1)], float64(i), 0, Limits{})
	}
}

// BenchmarkMemory1M builds a skiplist-encoded set of 1M members
// ("member:N", random scores) and reports the live heap per member after
// a full GC, for comparison with redis-server's used_memory.
func BenchmarkMemory1M(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := rand.New(rand.NewPCG(1, 2))
		z := NewSkiplist(0)
		var buf []byte
		for j := 0; j < 1_000_000; j++ {
			buf = strconv.AppendInt(append(buf[:0], "member:"...), int64(j), 10)
			z.Add(buf, r.Float64()*1e6, 0, Limits{})
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "B/member")
		runtime.KeepAlive(z)
	}
}

// benchMembers returns redis-benchmark's ZADD members for -r 100000
// ("element:" and 12 digits).
func benchMembers() [][]byte {
	ms := make([][]byte, 100000)
	for i := range ms {
		ms[i] = fmt.Appendf(nil, "element:%012d", i)
	}
	return ms
}

// BenchmarkAddRandom is redis-benchmark's ZADD with -r 100000 once the set
// holds most members: a random member gets a random integral score below
// 100000, so nearly every op is a score update that moves the node.
func BenchmarkAddRandom(b *testing.B) {
	ms := benchMembers()
	r := rand.New(rand.NewPCG(1, 2))
	z := NewSkiplist(0)
	for range 4 * len(ms) {
		z.Add(ms[r.IntN(len(ms))], float64(r.IntN(100000)), 0, Limits{})
	}
	b.ReportAllocs()
	cpu := startCPU(b)
	defer cpu.Report()
	for range b.N {
		z.Add(ms[r.IntN(len(ms))], float64(r.IntN(100000)), 0, Limits{})
	}
}

// BenchmarkInsertRandom adds new members with random scores to a set
// growing to 100000 (redis-benchmark's ZADD while the set fills up).
func BenchmarkInsertRandom(b *testing.B) {
	ms := benchMembers()
	r := rand.New(rand.NewPCG(1, 2))
	z := NewSkiplist(0)
	b.ReportAllocs()
	cpu := startCPU(b)
	defer cpu.Report()
	for i := range b.N {
		if i%len(ms) == 0 && i > 0 {
			cpu.Stop()
			z = NewSkiplist(0)
			cpu.Start()
		}
		z.Add(ms[i%len(ms)], float64(r.IntN(100000)), 0, Limits{})
	}
}

// BenchmarkPopMin pops the lowest element of a set of 100000 random
// scores (ZPOPMIN), refilling it when it runs empty.
func BenchmarkPopMin(b *testing.B) {
	ms := benchMembers()
	r := rand.New(rand.NewPCG(1, 2))
	fill := func() *ZSet {
		z := NewSkiplist(0)
		for _, m := range ms {
			z.Add(m, float64(r.IntN(100000)), 0, Limits{})
		}
		return z
	}
	z := fill()
	b.ReportAllocs()
	cpu := startCPU(b)
	defer cpu.Report()
	for range b.N {
		if z.Len() == 0 {
			cpu.Stop()
			z = fill()
			cpu.Start()
		}
		z.Pop(false)
	}
}

// TestMoveAndPop checks the spans and links after score updates that move
// nodes in both directions, next to themselves and across the list
// (skiplist.move), interleaved with pops at both ends (unlinkFirst and
// the searched delete) and a set that empties and fills again.
func TestMoveAndPop(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	z := NewSkiplist(0)
	var md model
	for i := 0; i < 6000; i++ {
		m := fmt.Sprintf("m%d", r.IntN(400))
		var s float64
		switch r.IntN(3) {
		case 0:
			s = float64(r.IntN(50)) // many equal scores: members decide
		case 1:
			if j := md.find(m); j >= 0 {
				s = md[j].s + float64(r.IntN(3)-1)*0.5 // small moves, some in place
			}
		default:
			s = r.Float64() * 1000
		}
		res, ns := z.Add([]byte(m), s, 0, Limits{})
		wres, wns := md.add(m, s, 0)
		if res != wres || ns != wns {
			t.Fatalf("Add(%q, %v) = %b %v, model %b %v", m, s, res, ns, wres, wns)
		}
		if r.IntN(4) == 0 && len(md) > 0 {
			max := r.IntN(2) == 0
			gm, gs := z.Pop(max)
			j := 0
			if max {
				j = len(md) - 1
			}
			if (elem{gm, gs}) != md[j] {
				t.Fatalf("Pop(%v) = %q %v, model %v", max, gm, gs, md[j])
			}
			md.remove(j)
		}
		if i%3000 == 2999 {
			for len(md) > 0 {
				z.Pop(false)
				md.remove(0)
			}
		}
		if i%97 == 0 {
			checkInvariants(t, z, md)
		}
	}
	checkInvariants(t, z, md)
}
