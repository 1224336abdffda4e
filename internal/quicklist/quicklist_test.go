package quicklist

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"github.com/redis-clone/redis-clone/internal/listpack"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// check verifies l's invariants against the model and fails t if one is
// broken: links, counts, non-empty nodes, well-formed listpack entries
// whose encoding is the one Redis would choose, and contents.
func check(t testing.TB, l *List, model [][]byte) {
	t.Helper()
	if l.Len() != len(model) {
		t.Fatalf("Len %d, model %d", l.Len(), len(model))
	}
	count, nodes := 0, 0
	var prev *node
	scratch := intBuf{scratch: new([20]byte)}
	for nd := l.head; nd != nil; nd = nd.next {
		nodes++
		if nd.prev != prev {
			t.Fatalf("node %d: bad prev link", nodes)
		}
		prev = nd
		n := nd.n()
		if n == 0 {
			t.Fatalf("node %d is empty", nodes)
		}
		if nd.plain {
			if n != 1 {
				t.Fatalf("plain node with %d elements", n)
			}
		} else {
			got, err := validateEntries(nd.live())
			if err != nil || got != n {
				t.Fatalf("node %d: %d valid entries (%v), count %d", nodes, got, err, n)
			}
			size := 0
			for _, p := range nd.entryOffsets() {
				v := entryValue(nd.lp, p, &scratch)
				if e := appendEntry(nil, v); !bytes.Equal(e, nd.lp[p:nextEntry(nd.lp, p)]) {
					t.Fatalf("node %d: entry for %q encoded as %x, want %x", nodes, v, nd.lp[p:nextEntry(nd.lp, p)], e)
				}
				size += listpack.EntrySize(v)
			}
			if size != len(nd.live()) {
				t.Fatalf("node %d: entrySize sum %d, bytes %d", nodes, size, len(nd.live()))
			}
		}
		count += n
	}
	if prev != l.tail {
		t.Fatalf("tail link wrong")
	}
	if count != l.count || nodes != l.nodes {
		t.Fatalf("counted %d elements in %d nodes, list says %d in %d", count, nodes, l.count, l.nodes)
	}
	i := 0
	l.Range(0, false, func(j int, v []byte) bool {
		if j != i || !bytes.Equal(v, model[i]) {
			t.Fatalf("element %d (index %d) = %q, model %q", i, j, v, model[i])
		}
		i++
		return true
	})
	if i != len(model) {
		t.Fatalf("Range visited %d of %d", i, len(model))
	}
	i = len(model) - 1
	l.Range(-1, true, func(j int, v []byte) bool {
		if j != i || !bytes.Equal(v, model[i]) {
			t.Fatalf("reverse: element %d (index %d) = %q, model %q", i, j, v, model[i])
		}
		i--
		return true
	})
}

func TestPushPopBothEnds(t *testing.T) {
	for _, fill := range []int{-5, -2, -1, 0, 1, 2, 5, 128} {
		t.Run(strconv.Itoa(fill), func(t *testing.T) {
			l := New(fill)
			var model [][]byte
			for i := 0; i < 3000; i++ {
				v := []byte(fmt.Sprintf("v%d", i))
				if i%3 == 0 {
					l.PushFront(v)
					model = append([][]byte{v}, model...)
				} else {
					l.PushBack(v)
					model = append(model, v)
				}
			}
			check(t, l, model)
			for len(model) > 0 {
				var v []byte
				var ok bool
				if len(model)%2 == 0 {
					v, ok = l.PopFront()
					if !ok || !bytes.Equal(v, model[0]) {
						t.Fatalf("PopFront %q %v, want %q", v, ok, model[0])
					}
					model = model[1:]
				} else {
					v, ok = l.PopBack()
					if !ok || !bytes.Equal(v, model[len(model)-1]) {
						t.Fatalf("PopBack %q %v, want %q", v, ok, model[len(model)-1])
					}
					model = model[:len(model)-1]
				}
			}
			check(t, l, model)
			if _, ok := l.PopFront(); ok {
				t.Fatal("pop from empty list")
			}
		})
	}
}

func TestNodeFill(t *testing.T) {
	// Positive fill: at most fill elements per node.
	l := New(4)
	for i := 0; i < 10; i++ {
		l.PushBack([]byte("a"))
	}
	if l.NodeCount() != 3 {
		t.Fatalf("fill 4, 10 elements: %d nodes", l.NodeCount())
	}
	// -2: 8 KB of listpack per node. 100-byte strings take 103 bytes
	// (2 header + 100 + 1 backlen); a node with k of them takes one more
	// while 7 + 103*k + 100 + 8 <= 8192, so 79 per node, as redis-server
	// 7.0 (DEBUG OBJECT: ql_nodes:3, ql_uncompressed_size:20621).
	l = New(-2)
	v := bytes.Repeat([]byte("x"), 100)
	for i := 0; i < 200; i++ {
		l.PushBack(v)
	}
	got := []int{}
	l.Nodes(func(plain bool, lp []byte) bool {
		got = append(got, int(binary.LittleEndian.Uint16(lp[4:])))
		return true
	})
	if fmt.Sprint(got) != "[79 79 42]" {
		t.Fatalf("node sizes %v", got)
	}
	if nodes, size := l.ListpackStats(); nodes != 3 || size != 20621 {
		t.Fatalf("ListpackStats = %d, %d", nodes, size)
	}
}

// redisListpack is the listpack redis-server 7.0.15 stores (DUMP, RDB
// QUICKLIST_2) for RPUSH of redisElems, integer encodings at every
// boundary included.
const redisListpack = "d2000000190000017f01c08002dfff02cfff02d00002f1001003f1ff7f03f1008003f200800004f2ffff7f04f200008004f30000800005f3ffffff7f05f30000008005f4000000800000000009f4ffffffffffffff7f09f40000000000000080098330303704822d30038001816102e046787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878784893393232333337323033363835343737353830381482203103ff"

var redisElems = []string{"0", "127", "128", "-1", "4095", "-4096", "4096", "32767", "-32768", "32768",
	"8388607", "-8388608", "8388608", "2147483647", "-2147483648", "2147483648", "9223372036854775807",
	"-9223372036854775808", "007", "-0", "", "a", strings.Repeat("x", 70), "9223372036854775808", " 1"}

func TestListpackMatchesRedis(t *testing.T) {
	want, _ := hex.DecodeString(redisListpack)
	l := New(-2)
	var model [][]byte
	for _, e := range redisElems {
		l.PushBack([]byte(e))
		model = append(model, []byte(e))
	}
	check(t, l, model)
	var got []byte
	l.Nodes(func(plain bool, lp []byte) bool {
		if plain || got != nil {
			t.Fatal("expected one packed node")
		}
		got = append([]byte(nil), lp...)
		return true
	})
	if !bytes.Equal(got, want) {
		t.Fatalf("listpack\n got  %x\n want %x", got, want)
	}
	if _, size := l.ListpackStats(); size != len(want) {
		t.Fatalf("ListpackStats size %d, want %d", size, len(want))
	}
	// Loading Redis's listpack gives the same elements, and the list
	// keeps working on the adopted node.
	l2 := New(-2)
	if err := l2.AppendListpack(want); err != nil {
		t.Fatal(err)
	}
	check(t, l2, model)
	l2.PushFront([]byte("front"))
	l2.AppendPlain([]byte("plain"))
	model = append(append([][]byte{[]byte("front")}, model...), []byte("plain"))
	check(t, l2, model)
	// Corrupt listpacks are refused.
	for i, bad := range [][]byte{nil, want[:len(want)-1], append(append([]byte(nil), want[:20]...), 0xff)} {
		if err := New(-2).AppendListpack(bad); err == nil {
			t.Errorf("bad listpack %d accepted", i)
		}
	}
	for i := 6; i < len(want)-1; i++ {
		bad := append([]byte(nil), want...)
		bad[i] ^= 0x40
		l3 := New(-2)
		if err := l3.AppendListpack(bad); err == nil {
			// A flipped bit may still be a valid listpack (another
			// string or integer): it must then be fully readable.
			l3.Range(0, false, func(int, []byte) bool { return true })
		}
	}
}

func TestEntrySize(t *testing.T) {
	for _, c := range []struct {
		v    string
		want int
	}{
		{"0", 2}, {"127", 2}, {"128", 3}, {"-1", 3}, {"4095", 3}, {"4096", 4},
		{"-32768", 4}, {"8388607", 5}, {"2147483647", 6}, {"9223372036854775807", 10},
		{"01", 4}, {"", 2}, {"a", 3}, {string(make([]byte, 63)), 65}, {string(make([]byte, 64)), 67},
		{string(make([]byte, 125)), 128}, {string(make([]byte, 126)), 130}, {string(make([]byte, 4096)), 4103},
	} {
		if got := listpack.EntrySize([]byte(c.v)); got != c.want {
			t.Errorf("listpack.EntrySize(%q) = %d, want %d", c.v, got, c.want)
		}
	}
}

func TestIndexSetInsertDelete(t *testing.T) {
	l := New(3)
	var model [][]byte
	for i := 0; i < 20; i++ {
		v := []byte(strconv.Itoa(i))
		l.PushBack(v)
		model = append(model, v)
	}
	for i := -25; i < 25; i++ {
		v, ok := l.Index(i)
		j := i
		if j < 0 {
			j += len(model)
		}
		inRange := j >= 0 && j < len(model)
		if ok != inRange || (ok && !bytes.Equal(v, model[j])) {
			t.Fatalf("Index(%d) = %q %v", i, v, ok)
		}
	}
	if !l.Set(-1, []byte("last")) || l.Set(20, []byte("x")) {
		t.Fatal("Set range")
	}
	model[19] = []byte("last")
	check(t, l, model)
	l.Insert(4, []byte("after4"), true)
	model = append(model[:5], append([][]byte{[]byte("after4")}, model[5:]...)...)
	l.Insert(0, []byte("before0"), false)
	model = append([][]byte{[]byte("before0")}, model...)
	check(t, l, model)
	if n := l.DeleteRange(-3, 10); n != 3 {
		t.Fatalf("DeleteRange(-3,10) = %d", n)
	}
	model = model[:len(model)-3]
	check(t, l, model)
	if n := l.DeleteRange(2, 5); n != 5 {
		t.Fatalf("DeleteRange(2,5) = %d", n)
	}
	model = append(model[:2], model[7:]...)
	check(t, l, model)
}

func TestRemoveFunc(t *testing.T) {
	l := New(2)
	var model [][]byte
	for i := 0; i < 30; i++ {
		v := []byte{byte('a' + i%3)}
		l.PushBack(v)
		model = append(model, v)
	}
	isA := func(v []byte) bool { return string(v) == "a" }
	if n := l.RemoveFunc(isA, 2, true); n != 2 {
		t.Fatalf("removed %d", n)
	}
	// the last two "a" are at 27 and 24
	model = append(append(model[:24:24], model[25:27]...), model[28:]...)
	check(t, l, model)
	if n := l.RemoveFunc(isA, 0, false); n != 8 {
		t.Fatalf("removed %d", n)
	}
	var keep [][]byte
	for _, v := range model {
		if !isA(v) {
			keep = append(keep, v)
		}
	}
	check(t, l, keep)
}

func TestClone(t *testing.T) {
	l := New(-2)
	var model [][]byte
	for i := 0; i < 1000; i++ {
		v := []byte(strconv.Itoa(i * 7))
		l.PushFront(v)
		model = append([][]byte{v}, model...)
	}
	c := l.Clone()
	l.PushBack([]byte("x"))
	l.Set(0, []byte("changed"))
	check(t, c, model)
	if c.NodeCount() != l.NodeCount() {
		t.Fatalf("clone has %d nodes, original %d", c.NodeCount(), l.NodeCount())
	}
}

func TestQueueStaysBounded(t *testing.T) {
	l := New(-2)
	for i := 0; i < 10; i++ {
		l.PushBack([]byte("0123456789"))
	}
	for i := 0; i < 100000; i++ {
		l.PushBack([]byte("0123456789"))
		l.PopFront()
	}
	if c := cap(l.head.lp); c > 1024 {
		t.Fatalf("queue node buffer grew to %d bytes", c)
	}
	l2 := New(-2)
	for i := 0; i < 100000; i++ {
		l2.PushFront([]byte("0123456789"))
		l2.PopBack()
	}
	if l2.Len() != 0 || l2.head != nil {
		t.Fatalf("front queue: len %d", l2.Len())
	}
	l3 := New(-2)
	l3.PushBack([]byte("x"))
	for i := 0; i < 100000; i++ {
		l3.PushFront([]byte("0123456789"))
		l3.PopBack()
	}
	if c := cap(l3.head.lp); c > 1024 {
		t.Fatalf("front queue node buffer grew to %d bytes", c)
	}
}

func TestLargeElements(t *testing.T) {
	SetPackedThreshold(100)
	defer SetPackedThreshold(0)
	big := bytes.Repeat([]byte("B"), 100)
	l := New(-2)
	l.PushBack([]byte("a"))
	l.PushBack([]byte("b"))
	l.PushBack(big)
	l.PushFront(big)
	if l.NodeCount() != 3 || !l.head.plain || !l.tail.plain {
		t.Fatalf("plain nodes: %d nodes", l.NodeCount())
	}
	l.Insert(1, big, true) // between a and b: splits the packed node
	if l.NodeCount() != 5 {
		t.Fatalf("after split insert: %d nodes", l.NodeCount())
	}
	l.Set(0, []byte("small"))
	if v, _ := l.Index(0); string(v) != "small" {
		t.Fatal("Set on plain node")
	}
	model := [][]byte{[]byte("small"), []byte("a"), big, []byte("b"), big}
	check(t, l, model)
	// A large value over a packed element splits its node.
	l.Set(1, big)
	model[1] = big
	check(t, l, model)
	l.Set(4, bytes.Repeat([]byte("C"), 150))
	model[4] = bytes.Repeat([]byte("C"), 150)
	check(t, l, model)
	var kinds []bool
	l.Nodes(func(plain bool, _ []byte) bool { kinds = append(kinds, plain); return true })
	if fmt.Sprint(kinds) != "[false true true false true]" {
		t.Fatalf("node kinds %v", kinds)
	}
	// The random model with plain nodes in play.
	r := rand.New(rand.NewSource(3))
	vals := [][]byte{[]byte("a"), []byte("77"), big, bytes.Repeat([]byte("z"), 99)}
	l = New(2)
	model = nil
	for i := 0; i < 5000; i++ {
		model = op(t, l, model, byte(r.Intn(11)), uint16(r.Intn(65536)), vals[r.Intn(len(vals))])
	}
	check(t, l, model)
}

// op applies one random operation to l and the model, driven by r.
func op(t testing.TB, l *List, model [][]byte, code byte, arg uint16, val []byte) [][]byte {
	n := len(model)
	idx := 0
	if n > 0 {
		idx = int(arg) % (2 * n)
		idx -= n // -n … n-1
	}
	pos := idx
	if pos < 0 {
		pos += n
	}
	switch code % 11 {
	case 0:
		l.PushFront(val)
		model = append([][]byte{val}, model...)
	case 1:
		l.PushBack(val)
		model = append(model, val)
	case 2:
		v, ok := l.PopFront()
		if ok != (n > 0) || (ok && !bytes.Equal(v, model[0])) {
			t.Fatalf("PopFront = %q %v", v, ok)
		}
		if ok {
			model = model[1:]
		}
	case 3:
		v, ok := l.PopBack()
		if ok != (n > 0) || (ok && !bytes.Equal(v, model[n-1])) {
			t.Fatalf("PopBack = %q %v", v, ok)
		}
		if ok {
			model = model[:n-1]
		}
	case 4:
		v, ok := l.Index(idx)
		if ok != (n > 0) || (ok && !bytes.Equal(v, model[pos])) {
			t.Fatalf("Index(%d) = %q %v", idx, v, ok)
		}
	case 5:
		if l.Set(idx, val) != (n > 0) {
			t.Fatalf("Set(%d) range", idx)
		}
		if n > 0 {
			model = append([][]byte(nil), model...)
			model[pos] = val
		}
	case 6, 7:
		after := code%2 == 0
		if l.Insert(idx, val, after) != (n > 0) {
			t.Fatalf("Insert(%d) range", idx)
		}
		if n > 0 {
			at := pos
			if after {
				at++
			}
			model = append(model[:at:at], append([][]byte{val}, model[at:]...)...)
		}
	case 8:
		cnt := int(arg>>8) % 8
		got := l.DeleteRange(idx, cnt)
		if n == 0 || cnt == 0 {
			if got != 0 {
				t.Fatalf("DeleteRange on empty/zero = %d", got)
			}
			break
		}
		end := min(pos+cnt, n)
		if got != end-pos {
			t.Fatalf("DeleteRange(%d,%d) = %d, want %d", idx, cnt, got, end-pos)
		}
		model = append(model[:pos:pos], model[end:]...)
	case 9:
		limit := int(arg>>8) % 4
		fromTail := arg&1 == 1
		match := func(v []byte) bool { return bytes.Equal(v, val) }
		got := l.RemoveFunc(match, limit, fromTail)
		var keep [][]byte
		removed := 0
		if fromTail {
			for i := n - 1; i >= 0; i-- {
				if match(model[i]) && (limit == 0 || removed < limit) {
					removed++
					continue
				}
				keep = append([][]byte{model[i]}, keep...)
			}
		} else {
			for _, v := range model {
				if match(v) && (limit == 0 || removed < limit) {
					removed++
					continue
				}
				keep = append(keep, v)
			}
		}
		if got != removed {
			t.Fatalf("RemoveFunc = %d, want %d", got, removed)
		}
		model = keep
	case 10:
		c := l.Clone()
		check(t, c, model)
	}
	return model
}

func TestRandomAgainstModel(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	vals := [][]byte{[]byte("a"), []byte("b"), []byte("123"), []byte("-7"), bytes.Repeat([]byte("z"), 300), bytes.Repeat([]byte("y"), 5000),
		[]byte("9223372036854775807"), []byte("-4097"), []byte("8388608"), []byte("007"), []byte("")}
	for _, fill := range []int{-2, -1, 1, 3, 0} {
		l := New(fill)
		var model [][]byte
		for i := 0; i < 20000; i++ {
			model = op(t, l, model, byte(r.Intn(11)), uint16(r.Intn(65536)), vals[r.Intn(len(vals))])
			if i%97 == 0 {
				check(t, l, model)
			}
		}
		check(t, l, model)
	}
}

// FuzzList runs a program of operations (3 bytes each: opcode, 16-bit
// argument, then a value chosen by the opcode's high bits) against a
// model.
func FuzzList(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 1, 1, 2, 0, 0, 6, 3, 0, 8, 1, 2})
	f.Add([]byte{1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 7, 9, 0, 9, 1, 1, 5, 2, 0})
	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > 3*600 {
			prog = prog[:3*600] // the model is O(n) per op
		}
		vals := [][]byte{[]byte("a"), []byte("12"), bytes.Repeat([]byte("q"), 70), bytes.Repeat([]byte("w"), 3000),
			[]byte("-9223372036854775808"), []byte("40000"), []byte(""), []byte("-0")}
		fill := int(int8(len(prog)%9)) - 4 // -4 … 4
		l := New(fill)
		var model [][]byte
		for len(prog) >= 3 {
			code, arg := prog[0], binary.LittleEndian.Uint16(prog[1:3])
			prog = prog[3:]
			model = op(t, l, model, code, arg, vals[int(code>>4)%len(vals)])
		}
		check(t, l, model)
	})
}

func BenchmarkPushFront(b *testing.B) {
	l := New(-2)
	v := []byte("xxx")
	for i := 0; i < b.N; i++ {
		l.PushFront(v)
	}
}

func BenchmarkPushBack(b *testing.B) {
	l := New(-2)
	v := []byte("element:123456")
	for i := 0; i < b.N; i++ {
		l.PushBack(v)
	}
}

func BenchmarkQueue(b *testing.B) {
	l := New(-2)
	v := []byte("element:123456")
	for i := 0; i < 1000; i++ {
		l.PushBack(v)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.PushBack(v)
		l.PopFront()
	}
}

func BenchmarkIndexMiddle(b *testing.B) {
	l := New(-2)
	for i := 0; i < 100000; i++ {
		l.PushBack([]byte(strconv.Itoa(i)))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Index(50000)
	}
}

func BenchmarkRange100(b *testing.B) {
	l := New(-2)
	for i := 0; i < 1000; i++ {
		l.PushBack([]byte("xxx"))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		l.Range(0, false, func(int, []byte) bool { n++; return n < 100 })
	}
}

// TestRangeValuesStayValid: what Range yields may be gathered and used
// after it returns (integers included), until the list changes.
func TestRangeValuesStayValid(t *testing.T) {
	l := New(-2)
	var want []string
	for i := 0; i < 500; i++ {
		v := strconv.Itoa(i*37 - 100)
		if i%3 == 0 {
			v = "s" + v
		}
		l.PushBack([]byte(v))
		want = append(want, v)
	}
	var got [][]byte
	l.Range(0, false, func(_ int, v []byte) bool { got = append(got, v); return true })
	l.Index(3) // uses the list's own scratch, not Range's memory
	for i, v := range got {
		if string(v) != want[i] {
			t.Fatalf("element %d = %q, want %q", i, v, want[i])
		}
	}
}
