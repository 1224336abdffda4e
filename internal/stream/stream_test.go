package stream

import (
	"bytes"
	"fmt"
	"github.com/redis-clone/redis-clone/internal/listpack"
	"math"
	"math/rand"
	"slices"
	"strconv"
	"testing"
)

func TestParseID(t *testing.T) {
	type res struct {
		id       ID
		seqGiven bool
		ok       bool
	}
	cases := []struct {
		in              string
		strict, seqStar bool
		want            res
	}{
		{"-", false, false, res{MinID, true, true}},
		{"+", false, false, res{MaxID, true, true}},
		{"-", true, false, res{}},
		{"+", true, false, res{}},
		{"5", true, false, res{ID{5, 0}, true, true}},
		{"5-7", true, false, res{ID{5, 7}, true, true}},
		{"5-*", true, true, res{ID{5, 0}, false, true}},
		{"5-*", true, false, res{}},
		{"*", true, true, res{}},
		{"18446744073709551615-18446744073709551615", true, false, res{MaxID, true, true}},
		{"18446744073709551616", true, false, res{}},
		{" 5", true, false, res{ID{5, 0}, true, true}},
		{"+6", true, false, res{ID{6, 0}, true, true}},
		{"007-01", true, false, res{ID{7, 1}, true, true}},
		{"-0", true, false, res{}},
		{"7--0", true, false, res{ID{7, 0}, true, true}},
		{"7--5", true, false, res{}},
		{"7--18446744073709551615", true, false, res{ID{7, 1}, true, true}},
		{"-9223372036854775809", false, false, res{}},
		{"1-", true, false, res{}},
		{"", true, false, res{}},
		{"5 ", true, false, res{}},
		{"5-1-1", true, false, res{}},
		{"5\x00junk", true, false, res{ID{5, 0}, true, true}},
		{"abc", true, false, res{}},
		{string(bytes.Repeat([]byte("0"), 127)), true, false, res{ID{}, true, true}},
		{string(bytes.Repeat([]byte("0"), 128)), true, false, res{}},
	}
	for _, c := range cases {
		id, sg, ok := ParseID([]byte(c.in), 0, c.strict, c.seqStar)
		if got := (res{id, sg, ok}); ok != c.want.ok || (ok && got != c.want) {
			t.Errorf("ParseID(%q, strict=%v, star=%v) = %+v, want %+v", c.in, c.strict, c.seqStar, got, c.want)
		}
	}
	if id, _, _ := ParseID([]byte("9"), math.MaxUint64, true, false); id != (ID{9, math.MaxUint64}) {
		t.Errorf("missing sequence not applied: %v", id)
	}
}

func TestIDNextPrev(t *testing.T) {
	if id, ok := MaxID.Next(); ok || id != MinID {
		t.Errorf("MaxID.Next = %v %v", id, ok)
	}
	if id, ok := MinID.Prev(); ok || id != MaxID {
		t.Errorf("MinID.Prev = %v %v", id, ok)
	}
	if id, _ := (ID{1, math.MaxUint64}).Next(); id != (ID{2, 0}) {
		t.Errorf("carry: %v", id)
	}
	if id, _ := (ID{2, 0}).Prev(); id != (ID{1, math.MaxUint64}) {
		t.Errorf("borrow: %v", id)
	}
	if s := (ID{12, 3}).String(); s != "12-3" {
		t.Errorf("String = %q", s)
	}
}

func TestListpackSizes(t *testing.T) {
	// Element sizes of Redis's listpack (encoding + back-length).
	cases := []struct {
		b    string
		size int
	}{
		{"0", 2}, {"127", 2}, {"128", 3}, {"-1", 3}, {"-4096", 3}, {"4095", 3},
		{"4096", 4}, {"-32768", 4}, {"32768", 5}, {"8388607", 5}, {"8388608", 6},
		{"2147483647", 6}, {"2147483648", 10}, {"-9223372036854775808", 10},
		{"", 2}, {"a", 3}, {"01", 4}, {"-0", 4}, {"+1", 4},
		{string(bytes.Repeat([]byte("x"), 63)), 65},
		{string(bytes.Repeat([]byte("x"), 64)), 67},   // 2-byte header
		{string(bytes.Repeat([]byte("x"), 126)), 130}, // encoding 128 > 127
		{string(bytes.Repeat([]byte("x"), 4095)), 4097 + 2},
		{string(bytes.Repeat([]byte("x"), 4096)), 4101 + 2},
	}
	for _, c := range cases {
		if got := listpack.EntrySize([]byte(c.b)); got != c.size {
			t.Errorf("listpack.EntrySize(%.10q… len %d) = %d, want %d", c.b, len(c.b), got, c.size)
		}
	}
}

// fv builds field-value pairs.
func fv(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, x := range s {
		out[i] = []byte(x)
	}
	return out
}

// collect returns the live entries of a range as "id f v f v".
func collect(s *Stream, start, end ID, rev bool) []string {
	var out []string
	s.Range(start, end, rev, func(e *Entry) bool {
		x := e.ID.String()
		e.Fields(func(f, v []byte) { x += " " + string(f) + " " + string(v) })
		out = append(out, x)
		return true
	})
	return out
}

func TestAppendRangeDelete(t *testing.T) {
	s := New()
	lim := Limits{MaxBytes: 4096, MaxEntries: 3}
	for i := 1; i <= 10; i++ {
		f := "a"
		if i%4 == 0 {
			f = "b"
		}
		if _, err := s.Append(fv(f, strconv.Itoa(i)), ID{uint64(i), 0}, false, true, 0, lim); err != nil {
			t.Fatal(err)
		}
	}
	if s.NumNodes() != 4 || s.Len() != 10 {
		t.Fatalf("nodes %d len %d", s.NumNodes(), s.Len())
	}
	if got := collect(s, ID{3, 0}, ID{5, 0}, false); !slices.Equal(got, []string{"3-0 a 3", "4-0 b 4", "5-0 a 5"}) {
		t.Errorf("range: %q", got)
	}
	if got := collect(s, ID{3, 0}, ID{5, 0}, true); !slices.Equal(got, []string{"5-0 a 5", "4-0 b 4", "3-0 a 3"}) {
		t.Errorf("rev range: %q", got)
	}
	if _, err := s.Append(fv("a", "x"), ID{10, 0}, false, true, 0, lim); err != ErrIDNotGreater {
		t.Errorf("equal ID: %v", err)
	}
	if id, err := s.Append(fv("a", "x"), ID{10, 0}, false, false, 0, lim); err != nil || id != (ID{10, 1}) {
		t.Errorf("10-*: %v %v", id, err)
	}
	if id, _ := s.Append(fv("a", "x"), ID{}, true, false, 5, lim); id != (ID{10, 2}) {
		t.Errorf("auto in the past: %v", id)
	}
	if id, _ := s.Append(fv("a", "x"), ID{}, true, false, 50, lim); id != (ID{50, 0}) {
		t.Errorf("auto: %v", id)
	}
	// Delete every entry of the second node: it goes.
	for _, ms := range []uint64{4, 5, 6} {
		if !s.Delete(ID{ms, 0}) {
			t.Fatalf("delete %d", ms)
		}
	}
	if s.Delete(ID{5, 0}) || s.Delete(ID{7, 7}) {
		t.Error("deleted twice or a missing ID")
	}
	if s.NumNodes() != 4 || s.Len() != 10 {
		t.Errorf("after deletes: nodes %d len %d", s.NumNodes(), s.Len())
	}
	if got := collect(s, ID{3, 0}, ID{7, 0}, false); !slices.Equal(got, []string{"3-0 a 3", "7-0 a 7"}) {
		t.Errorf("range over a deleted node: %q", got)
	}
	if e := s.EdgeID(false, true); e != (ID{50, 0}) {
		t.Errorf("last: %v", e)
	}
	s.Delete(ID{1, 0})
	if e := s.EdgeID(true, true); e != (ID{2, 0}) {
		t.Errorf("first live: %v", e)
	}
	if e := s.EdgeID(true, false); e != (ID{1, 0}) {
		t.Errorf("first with tombstones: %v", e)
	}
}

func TestTrimRedisSemantics(t *testing.T) {
	build := func(n, perNode int) *Stream {
		s := New()
		for i := 1; i <= n; i++ {
			s.Append(fv("f", "v"), ID{uint64(i), 0}, false, true, 0, Limits{MaxEntries: int64(perNode)})
		}
		return s
	}
	// XTRIM MAXLEN ~ with 100 per node keeps whole nodes.
	s := build(1000, 100)
	if d := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: 444, Approx: true, Limit: 10000}); d != 500 || s.Len() != 500 {
		t.Errorf("~ 444: deleted %d len %d", d, s.Len())
	}
	if d := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: 400}); d != 100 || s.Len() != 400 {
		t.Errorf("= 400: deleted %d len %d", d, s.Len())
	}
	if s.FirstID != (ID{601, 0}) {
		t.Errorf("first %v", s.FirstID)
	}
	// LIMIT stops before a node that would exceed it.
	s = build(100, 10)
	if d := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: 55, Approx: true, Limit: 30}); d != 30 {
		t.Errorf("limit 30: %d", d)
	}
	// MINID exact marks entries inside a node.
	s = build(10, 4)
	if d := s.Trim(TrimArgs{Strategy: TrimMinID, MinID: ID{6, 0}}); d != 5 || s.Len() != 5 {
		t.Errorf("minid: %d %d", d, s.Len())
	}
	if got := collect(s, MinID, MaxID, false); len(got) != 5 || got[0] != "6-0 f v" {
		t.Errorf("after minid: %q", got)
	}
	// A node whose tail is a tombstone at or above MINID keeps its tail:
	// its live entries all go, the node stays (as in Redis).
	s = build(4, 4)
	s.Delete(ID{4, 0})
	if d := s.Trim(TrimArgs{Strategy: TrimMinID, MinID: ID{4, 0}}); d != 3 || s.Len() != 0 || s.NumNodes() != 1 {
		t.Errorf("tombstone tail: %d len %d nodes %d", d, s.Len(), s.NumNodes())
	}
	if s.FirstID != (ID{}) {
		t.Errorf("empty stream first ID %v", s.FirstID)
	}
	// The empty node goes with the next trim by length.
	if d := s.Trim(TrimArgs{Strategy: TrimMaxLen, MaxLen: 0}); d != 0 || s.NumNodes() != 1 {
		t.Errorf("len 0 <= 0 stops first: %d %d", d, s.NumNodes())
	}
}

func TestRaxNodes(t *testing.T) {
	s := New()
	if s.RaxNodes() != 1 {
		t.Errorf("empty: %d", s.RaxNodes())
	}
	s.Append(fv("f", "v"), ID{1, 0}, false, true, 0, Limits{MaxEntries: 1})
	if s.RaxNodes() != 2 {
		t.Errorf("one key: %d", s.RaxNodes())
	}
	s.Append(fv("f", "v"), ID{2, 0}, false, true, 0, Limits{MaxEntries: 1})
	// Compressed prefix (7 bytes), branch on byte 8, two tails + leaves.
	if s.RaxNodes() != 6 {
		t.Errorf("two keys: %d", s.RaxNodes())
	}
}

func TestGroups(t *testing.T) {
	s := New()
	for i := 1; i <= 5; i++ {
		s.Append(fv("f", strconv.Itoa(i)), ID{uint64(i), 0}, false, true, 0, Limits{})
	}
	if s.CreateGroup("g", MinID, InvalidEntriesRead) == nil || s.CreateGroup("g", MinID, 0) != nil {
		t.Fatal("CreateGroup")
	}
	s.CreateGroup("a", MinID, 0)
	var names []string
	s.Groups(func(g *Group) bool { names = append(names, g.Name()); return true })
	if !slices.Equal(names, []string{"a", "g"}) {
		t.Errorf("groups order %q", names)
	}
	g := s.Group("g")
	alice := g.CreateConsumer("alice", 100)
	bob := g.CreateConsumer("bob", 100)
	if g.CreateConsumer("alice", 5) != nil || g.NumConsumers() != 2 {
		t.Fatal("CreateConsumer")
	}
	for i := 1; i <= 3; i++ {
		g.Deliver(ID{uint64(i), 0}, alice, 200)
	}
	n := g.Deliver(ID{2, 0}, bob, 300) // redelivery after SETID: moves, count 1
	if n.Consumer != bob || n.DeliveryCount != 1 || n.DeliveryTime != 300 {
		t.Errorf("redeliver: %+v", n)
	}
	if alice.PendingLen() != 2 || bob.PendingLen() != 1 || g.PendingLen() != 3 {
		t.Errorf("PELs %d %d %d", alice.PendingLen(), bob.PendingLen(), g.PendingLen())
	}
	if !g.Ack(ID{1, 0}) || g.Ack(ID{1, 0}) || alice.PendingLen() != 1 {
		t.Error("Ack")
	}
	f := g.AddPending(ID{5, 0}, 400)
	g.Claim(ID{5, 0}, f, bob)
	g.Claim(ID{3, 0}, g.Pending(ID{3, 0}), bob)
	if alice.PendingLen() != 0 || bob.PendingLen() != 3 {
		t.Errorf("claim: %d %d", alice.PendingLen(), bob.PendingLen())
	}
	if next, ok := g.NextPendingAfter(ID{3, 0}); !ok || next != (ID{5, 0}) {
		t.Errorf("NextPendingAfter %v %v", next, ok)
	}

	cp := s.Clone()
	if got := g.DeleteConsumer(bob); got != 3 || g.PendingLen() != 0 {
		t.Errorf("DeleteConsumer %d, PEL %d", got, g.PendingLen())
	}
	s.Delete(ID{1, 0})
	s.DestroyGroup("a")
	cg := cp.Group("g")
	if cp.Len() != 5 || cp.NumGroups() != 2 || cg.PendingLen() != 3 || cg.NumConsumers() != 2 {
		t.Fatalf("clone changed: len %d groups %d pel %d consumers %d", cp.Len(), cp.NumGroups(), cg.PendingLen(), cg.NumConsumers())
	}
	cb := cg.Consumer("bob")
	cg.RangePending(MinID, func(id ID, n *NACK) bool {
		if n.Consumer != cb {
			t.Errorf("clone NACK %v owned by %v", id, n.Consumer)
		}
		return true
	})
	if cb == bob || cb.PendingLen() != 3 {
		t.Errorf("clone consumer not deep")
	}
}

func TestLagAndDistance(t *testing.T) {
	s := New()
	g := s.CreateGroup("g", MinID, InvalidEntriesRead)
	if lag, ok := s.Lag(g); !ok || lag != 0 {
		t.Errorf("fresh: %d %v", lag, ok)
	}
	for i := 1; i <= 5; i++ {
		s.Append(fv("f", "v"), ID{uint64(i), 0}, false, true, 0, Limits{})
	}
	if lag, ok := s.Lag(g); !ok || lag != 5 {
		t.Errorf("5 unread: %d %v", lag, ok)
	}
	s.Delete(ID{3, 0})
	s.MaxDeletedID = ID{3, 0}
	if _, ok := s.Lag(g); ok {
		t.Error("lag known across a tombstone")
	}
	if d := s.EstimateDistance(ID{5, 0}); d != 5 {
		t.Errorf("distance of last: %d", d)
	}
	if d := s.EstimateDistance(ID{9, 0}); d != InvalidEntriesRead {
		t.Errorf("future: %d", d)
	}
}

func TestNodesRoundTrip(t *testing.T) {
	s := New()
	r := rand.New(rand.NewSource(1))
	for i := 1; i <= 300; i++ {
		f := []string{"a", "b"}[r.Intn(2)]
		s.Append(fv(f, strconv.Itoa(r.Intn(1000)), "c", "x"), ID{uint64(i), uint64(r.Intn(3))}, false, true, 0, Limits{MaxBytes: 200, MaxEntries: 7})
		if r.Intn(4) == 0 {
			s.Delete(ID{uint64(r.Intn(i) + 1), uint64(r.Intn(3))})
		}
	}
	cp := New()
	s.Nodes(func(n *Node) bool {
		if err := cp.AppendNode(n.Master, n.MasterFields, n.Entries); err != nil {
			t.Fatal(err)
		}
		return true
	})
	if cp.Len() != s.Len() || cp.NumNodes() != s.NumNodes() {
		t.Fatalf("len %d/%d nodes %d/%d", cp.Len(), s.Len(), cp.NumNodes(), s.NumNodes())
	}
	if !slices.Equal(collect(cp, MinID, MaxID, false), collect(s, MinID, MaxID, false)) {
		t.Fatal("entries differ")
	}
	var a, b []*Node
	s.Nodes(func(n *Node) bool { a = append(a, n); return true })
	cp.Nodes(func(n *Node) bool { b = append(b, n); return true })
	for i := range a {
		if fmt.Sprint(a[i]) != fmt.Sprint(b[i]) {
			t.Fatalf("node %d differs", i)
		}
	}
	if err := cp.AppendNode(ID{1, 0}, nil, []RawEntry{{ID: ID{1, 0}}}); err == nil {
		t.Error("overlapping node accepted")
	}
	if err := New().AppendNode(ID{5, 0}, fv("x"), []RawEntry{{ID: ID{5, 0}, SameFields: true, Fields: fv("y", "1")}}); err == nil {
		t.Error("same-fields entry with other fields accepted")
	}
}

// model is a plain sorted list of live entries.
type model struct {
	ids    []ID
	vals   []string
	lastID ID
}

func (m *model) find(id ID) int {
	i, _ := slices.BinarySearchFunc(m.ids, id, ID.Compare)
	return i
}

// runOps applies operations decoded from ops to a Stream and a model and
// checks they agree.
func runOps(t *testing.T, ops []byte) {
	s := New()
	m := &model{}
	lim := Limits{MaxBytes: 120, MaxEntries: 4}
	now := int64(1)
	next := func() byte {
		if len(ops) == 0 {
			return 0
		}
		b := ops[0]
		ops = ops[1:]
		return b
	}
	randID := func() ID {
		// IDs near the model's, so that operations hit existing entries.
		return ID{uint64(next() % 40), uint64(next() % 4)}
	}
	for len(ops) > 0 {
		switch op := next() % 8; op {
		case 0, 1, 2: // append
			val := strconv.Itoa(int(next())) + string(bytes.Repeat([]byte("x"), int(next()%40)))
			var id ID
			var err error
			switch next() % 3 {
			case 0:
				now += int64(next() % 3)
				id, err = s.Append(fv("f", val), ID{}, true, false, now, lim)
				val = "f " + val
			case 1:
				id, err = s.Append(fv("f", val, "g", "1"), randID(), false, true, now, lim)
				val = "f " + val + " g 1"
			default:
				id, err = s.Append(fv("g", val), ID{uint64(next() % 40), 0}, false, false, now, lim)
				val = "g " + val
			}
			if err != nil {
				continue
			}
			if !m.lastID.Less(id) {
				t.Fatalf("appended %v not above %v", id, m.lastID)
			}
			m.ids = append(m.ids, id)
			m.vals = append(m.vals, val)
			m.lastID = id
		case 3: // delete
			id := randID()
			i := m.find(id)
			want := i < len(m.ids) && m.ids[i] == id
			if got := s.Delete(id); got != want {
				t.Fatalf("Delete(%v) = %v, want %v", id, got, want)
			}
			if want {
				m.ids = slices.Delete(m.ids, i, i+1)
				m.vals = slices.Delete(m.vals, i, i+1)
			}
		case 4: // exact trim
			var a TrimArgs
			if next()%2 == 0 {
				a = TrimArgs{Strategy: TrimMaxLen, MaxLen: int64(next() % 20)}
			} else {
				a = TrimArgs{Strategy: TrimMinID, MinID: randID()}
			}
			var k int
			if a.Strategy == TrimMaxLen {
				k = max(len(m.ids)-int(a.MaxLen), 0)
			} else {
				k = m.find(a.MinID)
			}
			if d := s.Trim(a); d != int64(k) {
				t.Fatalf("Trim(%+v) = %d, want %d", a, d, k)
			}
			m.ids, m.vals = m.ids[k:], m.vals[k:]
		case 5: // approximate trim: a prefix goes, never too much
			a := TrimArgs{Approx: true, Limit: int64(next() % 12)}
			if next()%2 == 0 {
				a.Strategy, a.MaxLen = TrimMaxLen, int64(next()%20)
			} else {
				a.Strategy, a.MinID = TrimMinID, randID()
			}
			d := int(s.Trim(a))
			if a.Limit > 0 && d > int(a.Limit) {
				t.Fatalf("Trim(%+v) removed %d", a, d)
			}
			if a.Strategy == TrimMaxLen && len(m.ids)-d < int(min(a.MaxLen, int64(len(m.ids)))) {
				t.Fatalf("Trim(%+v) removed %d of %d", a, d, len(m.ids))
			}
			if a.Strategy == TrimMinID && d > m.find(a.MinID) {
				t.Fatalf("Trim(%+v) removed %d, beyond MINID", a, d)
			}
			m.ids, m.vals = m.ids[d:], m.vals[d:]
		case 6: // range
			a, b := randID(), randID()
			rev := next()%2 == 0
			got := collect(s, a, b, rev)
			var want []string
			for i, id := range m.ids {
				if !id.Less(a) && !b.Less(id) {
					want = append(want, id.String()+" "+m.vals[i])
				}
			}
			if rev {
				slices.Reverse(want)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("Range(%v, %v, rev=%v)\n got %q\nwant %q", a, b, rev, got, want)
			}
		case 7: // clone
			cp := s.Clone()
			if !slices.Equal(collect(cp, MinID, MaxID, false), collect(s, MinID, MaxID, false)) {
				t.Fatal("clone differs")
			}
		}
		checkInvariants(t, s, m, lim)
	}
}

// checkInvariants checks s against m and its own structure.
func checkInvariants(t *testing.T, s *Stream, m *model, lim Limits) {
	t.Helper()
	if s.Len() != uint64(len(m.ids)) {
		t.Fatalf("Len %d, model %d", s.Len(), len(m.ids))
	}
	if s.LastID != m.lastID {
		t.Fatalf("LastID %v, model %v", s.LastID, m.lastID)
	}
	if last, ok := s.LastValidID(); ok != (len(m.ids) > 0) || (ok && last != m.ids[len(m.ids)-1]) {
		t.Fatalf("LastValidID %v %v", last, ok)
	}
	var prev ID
	var live int64
	first := true
	s.Nodes(func(n *Node) bool {
		if len(n.Entries) == 0 || n.Live+n.Deleted != int64(len(n.Entries)) {
			t.Fatalf("node %v: live %d deleted %d entries %d", n.Master, n.Live, n.Deleted, len(n.Entries))
		}
		if int64(len(n.Entries)) > lim.MaxEntries {
			t.Fatalf("node %v has %d entries", n.Master, len(n.Entries))
		}
		if n.Entries[0].ID != n.Master {
			t.Fatalf("node %v starts with %v", n.Master, n.Entries[0].ID)
		}
		var d int64
		for _, e := range n.Entries {
			if !first && !prev.Less(e.ID) {
				t.Fatalf("entry %v after %v", e.ID, prev)
			}
			prev, first = e.ID, false
			if e.Deleted {
				d++
			}
		}
		if d != n.Deleted {
			t.Fatalf("node %v: %d flagged, %d counted", n.Master, d, n.Deleted)
		}
		live += n.Live
		return true
	})
	if live != int64(s.Len()) {
		t.Fatalf("nodes hold %d live entries, Len %d", live, s.Len())
	}
}

func TestStreamAgainstModel(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 300; i++ {
		ops := make([]byte, 600)
		r.Read(ops)
		runOps(t, ops)
	}
}

func FuzzStream(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add(bytes.Repeat([]byte{0, 7, 9, 0}, 50))
	f.Add(bytes.Repeat([]byte{1, 200, 30, 1, 5, 2, 6, 3, 4, 0, 5, 5, 3, 1}, 30))
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 4000 {
			return
		}
		runOps(t, ops)
	})
}
