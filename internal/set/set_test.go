package set

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// members returns every member of s as strings, sorted.
func members(s *Set) []string {
	var out []string
	s.Range(func(m Member) bool {
		out = append(out, m.String())
		return true
	})
	sort.Strings(out)
	return out
}

func TestIntsetBasics(t *testing.T) {
	s := New()
	if !s.IsIntset() || s.Encoding() != "intset" || s.Len() != 0 {
		t.Fatalf("New: %v %q %d", s.IsIntset(), s.Encoding(), s.Len())
	}
	for _, v := range []string{"5", "-3", "9223372036854775807", "-9223372036854775808", "0", "5"} {
		s.Add([]byte(v), 512)
	}
	if got := s.Ints(); !slices.Equal(got, []int64{-9223372036854775808, -3, 0, 5, 9223372036854775807}) {
		t.Errorf("Ints = %v", got)
	}
	for _, c := range []struct {
		m    string
		want bool
	}{{"5", true}, {"05", false}, {"-0", false}, {"+5", false}, {" 5", false}, {"x", false}, {"-3", true}, {"6", false}} {
		if got := s.Contains([]byte(c.m)); got != c.want {
			t.Errorf("Contains(%q) = %v", c.m, got)
		}
		if got := s.ContainsMember(StrMember(c.m)); got != c.want {
			t.Errorf("ContainsMember(%q) = %v", c.m, got)
		}
	}
	if !s.ContainsMember(IntMember(0)) || s.ContainsMember(IntMember(1)) {
		t.Error("ContainsMember(int)")
	}
	if s.Remove([]byte("05")) || !s.Remove([]byte("5")) || s.Remove([]byte("5")) {
		t.Error("Remove")
	}
	if !s.IsIntset() {
		t.Error("converted by lookups")
	}
	// A non-integer converts, once.
	if !s.Add([]byte("05"), 512) || s.IsIntset() {
		t.Fatal("Add(05) did not convert")
	}
	if got := members(s); !slices.Equal(got, []string{"-3", "-9223372036854775808", "0", "05", "9223372036854775807"}) {
		t.Errorf("members after conversion: %q", got)
	}
	if !s.ContainsMember(IntMember(-3)) || !s.RemoveMember(IntMember(-3)) || s.ContainsMember(IntMember(-3)) {
		t.Error("int members of a hashtable")
	}
	if s.Add([]byte("0"), 512) || !s.AddInt(7, 512) || s.AddInt(7, 512) || !s.Contains([]byte("7")) {
		t.Error("AddInt on a hashtable")
	}
}

func TestThresholds(t *testing.T) {
	s := New()
	for i := 0; i < 4; i++ {
		s.AddInt(int64(i), 4)
	}
	if !s.IsIntset() {
		t.Fatal("converted at the limit")
	}
	s.AddInt(2, 4) // not added: no conversion
	if !s.IsIntset() {
		t.Fatal("converted by a duplicate")
	}
	s.AddInt(4, 4)
	if s.IsIntset() || s.Len() != 5 {
		t.Fatal("not converted past the limit")
	}
	for i := 0; i < 5; i++ {
		s.RemoveMember(IntMember(int64(i)))
	}
	if s.IsIntset() || s.Len() != 0 {
		t.Fatal("converted back")
	}
	z := New()
	z.Add([]byte("1"), 0)
	if z.IsIntset() {
		t.Error("set-max-intset-entries 0 keeps an intset")
	}
	if limit(1<<40) != 1<<30 {
		t.Error("limit not clamped")
	}
	if NewFor([]byte("12")).Encoding() != "intset" || NewFor([]byte("x")).Encoding() != "hashtable" {
		t.Error("NewFor")
	}
	if NewForMember(IntMember(1)).Encoding() != "intset" || NewForMember(StrMember("1")).Encoding() != "intset" ||
		NewForMember(StrMember("01")).Encoding() != "hashtable" {
		t.Error("NewForMember")
	}
	if NewHashtable(10).Encoding() != "hashtable" {
		t.Error("NewHashtable")
	}
}

func TestCloneIndependent(t *testing.T) {
	for _, s := range []*Set{New(), NewHashtable(0)} {
		for i := 0; i < 100; i++ {
			s.AddInt(int64(i), 512)
		}
		c := s.Clone()
		if c.Encoding() != s.Encoding() || !slices.Equal(members(c), members(s)) {
			t.Fatalf("clone differs")
		}
		c.AddInt(1000, 512)
		c.RemoveMember(IntMember(0))
		if s.Len() != 100 || !s.ContainsMember(IntMember(0)) || s.ContainsMember(IntMember(1000)) {
			t.Error("clone shares storage")
		}
	}
}

func TestRandomCoversAll(t *testing.T) {
	for _, s := range []*Set{New(), NewHashtable(0)} {
		if _, ok := s.Random(); ok {
			t.Fatal("Random on an empty set")
		}
		for i := 0; i < 20; i++ {
			s.AddInt(int64(i), 512)
		}
		seen := map[string]int{}
		for i := 0; i < 20000; i++ {
			m, ok := s.Random()
			if !ok {
				t.Fatal("Random failed")
			}
			seen[m.String()]++
		}
		if len(seen) != 20 {
			t.Errorf("%s: Random saw %d of 20 members", s.Encoding(), len(seen))
		}
		for k, n := range seen {
			if n < 500 || n > 1500 {
				t.Errorf("%s: member %s drawn %d times of 20000", s.Encoding(), k, n)
			}
		}
	}
}

func TestScanGuarantee(t *testing.T) {
	s := NewHashtable(0)
	for i := 0; i < 5000; i++ {
		s.AddString("m"+strconv.Itoa(i), 512)
	}
	seen := map[string]bool{}
	cursor := uint64(0)
	step := 0
	for {
		cursor = s.Scan(cursor, func(m Member) { seen[m.Str] = true })
		// Grow and shrink meanwhile: members present throughout must
		// still be returned.
		step++
		switch {
		case step < 1000 && step%10 == 0:
			for j := 0; j < 100; j++ {
				s.AddString("tmp"+strconv.Itoa(step)+"_"+strconv.Itoa(j), 512)
			}
		case step == 1000:
			for st := 10; st < 1000; st += 10 {
				for j := 0; j < 100; j++ {
					s.Remove([]byte("tmp" + strconv.Itoa(st) + "_" + strconv.Itoa(j)))
				}
			}
		}
		if cursor == 0 {
			break
		}
	}
	for i := 0; i < 5000; i++ {
		if !seen["m"+strconv.Itoa(i)] {
			t.Fatalf("member m%d not returned by Scan", i)
		}
	}
	is := New()
	is.AddInt(3, 512)
	is.AddInt(1, 512)
	var got []int64
	if next := is.Scan(12345, func(m Member) { got = append(got, m.Int) }); next != 0 || !slices.Equal(got, []int64{1, 3}) {
		t.Errorf("intset Scan: %v %d", got, next)
	}
}

// model is the reference: a plain map plus the encoding rule.
type model struct {
	m         map[string]bool
	converted bool
}

func (md *model) add(v string, max int) bool {
	if md.m[v] {
		return false
	}
	md.m[v] = true
	if _, ok := numfmt.ParseIntString(v); !ok || len(md.m) > max {
		md.converted = true
	}
	return true
}

// check verifies every invariant of s against md.
func check(t testing.TB, s *Set, md *model) {
	t.Helper()
	if s.Len() != len(md.m) {
		t.Fatalf("Len %d, model %d", s.Len(), len(md.m))
	}
	if s.IsIntset() == md.converted {
		t.Fatalf("encoding %s, model converted=%v", s.Encoding(), md.converted)
	}
	if s.IsIntset() {
		ints := s.Ints()
		for i := 1; i < len(ints); i++ {
			if ints[i-1] >= ints[i] {
				t.Fatalf("intset not strictly ascending: %v", ints)
			}
		}
	}
	got := members(s)
	want := make([]string, 0, len(md.m))
	for k := range md.m {
		want = append(want, k)
		if !s.Contains([]byte(k)) || !s.ContainsMember(StrMember(k)) {
			t.Fatalf("member %q missing", k)
		}
	}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("members %q, model %q", got, want)
	}
}

// memberFrom maps a byte to a member drawn from a small universe mixing
// canonical integers, near-integers and strings.
func memberFrom(b byte) string {
	switch b % 8 {
	case 0, 1, 2:
		return strconv.Itoa(int(b/8) - 8)
	case 3:
		return "0" + strconv.Itoa(int(b/8))
	case 4:
		return []string{"9223372036854775807", "-9223372036854775808", "9223372036854775808", "-0", "+1", " 1", "", "1.0"}[b/8%8]
	default:
		return "k" + strconv.Itoa(int(b/8))
	}
}

// apply runs op on s and md and checks the results agree.
func apply(t testing.TB, s *Set, md *model, op, arg byte, max int) {
	t.Helper()
	v := memberFrom(arg)
	switch op % 8 {
	case 0, 1:
		if got, want := s.Add([]byte(v), max), md.add(v, max); got != want {
			t.Fatalf("Add(%q) = %v, want %v", v, got, want)
		}
	case 2:
		if got, want := s.AddString(v, max), md.add(v, max); got != want {
			t.Fatalf("AddString(%q) = %v, want %v", v, got, want)
		}
	case 3:
		n, isInt := numfmt.ParseIntString(v)
		if !isInt {
			n = int64(arg)
			v = strconv.FormatInt(n, 10)
		}
		if got, want := s.AddInt(n, max), md.add(v, max); got != want {
			t.Fatalf("AddInt(%d) = %v, want %v", n, got, want)
		}
	case 4, 5:
		want := md.m[v]
		delete(md.m, v)
		if got := s.Remove([]byte(v)); got != want {
			t.Fatalf("Remove(%q) = %v, want %v", v, got, want)
		}
	case 6:
		m, ok := s.Random()
		if ok != (len(md.m) > 0) || (ok && !md.m[m.String()]) {
			t.Fatalf("Random = %v %v", m, ok)
		}
		if ok {
			delete(md.m, m.String())
			if !s.RemoveMember(m) {
				t.Fatalf("RemoveMember(%v) failed", m)
			}
		}
	case 7:
		if got, want := s.Contains([]byte(v)), md.m[v]; got != want {
			t.Fatalf("Contains(%q) = %v, want %v", v, got, want)
		}
		c := s.Clone()
		check(t, c, md)
	}
}

// TestModel drives random operations against the model.
func TestModel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 100; round++ {
		max := []int{0, 1, 4, 16, 512}[round%5]
		s := New()
		md := &model{m: map[string]bool{}}
		for i := 0; i < 400; i++ {
			apply(t, s, md, byte(r.IntN(256)), byte(r.IntN(256)), max)
			if i%37 == 0 {
				check(t, s, md)
			}
		}
		check(t, s, md)
	}
}

// FuzzSet interprets the input as (op, member) pairs.
func FuzzSet(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 4, 1, 7, 0})
	f.Add([]byte{0, 3, 0, 4, 0, 5, 6, 0, 6, 0, 7, 7})
	f.Add([]byte{3, 255, 3, 254, 0, 12, 5, 12, 7, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		max := int(data[0] % 20)
		s := New()
		md := &model{m: map[string]bool{}}
		for i := 1; i+1 < len(data); i += 2 {
			apply(t, s, md, data[i], data[i+1], max)
		}
		check(t, s, md)
	})
}

func BenchmarkAddHashtable(b *testing.B) {
	keys := make([][]byte, 1<<16)
	for i := range keys {
		keys[i] = []byte("member:" + strconv.Itoa(i))
	}
	b.ReportAllocs()
	s := New()
	for i := 0; b.Loop(); i++ {
		s.Add(keys[i&(len(keys)-1)], 512)
	}
}

func BenchmarkPopRandom(b *testing.B) {
	s := New()
	for j := 0; j < 1000000; j++ {
		s.AddString("element:"+strconv.Itoa(j), 512)
	}
	b.ReportAllocs()
	for b.Loop() {
		if s.Len() == 0 {
			b.Fatal("benchtime too long: the set ran empty")
		}
		m, _ := s.Random()
		s.RemoveMember(m)
	}
}
