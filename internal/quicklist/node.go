package quicklist

import "github.com/redis-clone/redis-clone/internal/listpack"

// node is a run of elements: a listpack's entries (without its header and
// terminator) in lp[start:], with free room for pushes at the front in
// lp[:start] and at the back in the capacity beyond len(lp). A PLAIN node
// holds one raw element in lp[start:] instead.
type node struct {
	prev, next *node
	lp         []byte
	start      int
	count      int
	plain      bool
}

// nodeOverhead is the memory of a node besides its buffer.
const nodeOverhead = 72

// newNode returns an empty packed node.
func newNode() *node { return &node{} }

// newNodeSized returns an empty node with room for about bytes bytes, at
// the back (front false) or at the front: a node started next to a full
// one will most likely grow as large.
func newNodeSized(bytes int, front bool) *node {
	if front {
		return &node{lp: make([]byte, bytes), start: bytes}
	}
	return &node{lp: make([]byte, 0, bytes)}
}

// newNodeEntries returns a packed node holding a copy of the entries.
func newNodeEntries(entries []byte, count int) *node {
	return &node{lp: append(make([]byte, 0, len(entries)), entries...), count: count}
}

// newPlain returns a PLAIN node holding v.
func newPlain(v []byte) *node {
	return &node{lp: append(make([]byte, 0, len(v)), v...), count: 1, plain: true}
}

// n returns the number of elements.
func (nd *node) n() int { return nd.count }

// live returns the node's entries (or a plain node's element).
func (nd *node) live() []byte { return nd.lp[nd.start:] }

// sz returns the node's size as Redis counts it: the listpack's bytes, or
// a plain element's length.
func (nd *node) sz() int {
	if nd.plain {
		return len(nd.lp) - nd.start
	}
	return lpEmptySize + len(nd.lp) - nd.start
}

// offset returns the byte offset of entry k, walking from the nearer end.
func (nd *node) offset(k int) int {
	if k <= nd.count/2 {
		p := nd.start
		for ; k > 0; k-- {
			p = nextEntry(nd.lp, p)
		}
		return p
	}
	p := len(nd.lp)
	for k = nd.count - k; k > 0; k-- {
		p = prevEntry(nd.lp, p)
	}
	return p
}

// value returns element k (a slice of the node or of ib).
func (nd *node) value(k int, ib *intBuf) []byte {
	if nd.plain {
		return nd.live()
	}
	return entryValue(nd.lp, nd.offset(k), ib)
}

// forEach calls fn for the elements from k on, towards the end (or the
// start with reverse), until fn returns false; it returns false then.
func (nd *node) forEach(k int, reverse bool, ib *intBuf, fn func(v []byte) bool) bool {
	if nd.plain {
		return fn(nd.live())
	}
	p := nd.offset(k)
	if reverse {
		for {
			if !fn(entryValue(nd.lp, p, ib)) {
				return false
			}
			if p == nd.start {
				return true
			}
			p = prevEntry(nd.lp, p)
		}
	}
	for p < len(nd.lp) {
		if !fn(entryValue(nd.lp, p, ib)) {
			return false
		}
		p = nextEntry(nd.lp, p)
	}
	return true
}

// compact moves the entries to the start of the buffer, when the room at
// the back is exhausted but the front holds dead space.
func (nd *node) compact() {
	if nd.start == 0 {
		return
	}
	n := copy(nd.lp, nd.lp[nd.start:])
	nd.lp = nd.lp[:n]
	nd.start = 0
}

// pushBack appends v. When the buffer is full and its front holds at least
// as much dead room (left by popFront) as half the live entries, they are
// moved down first instead of growing the buffer: a node used as a queue
// stays bounded, and each move is paid for by the pops that freed the
// room.
func (nd *node) pushBack(v []byte) {
	if len(nd.lp)+len(v)+11 > cap(nd.lp) && nd.start > 0 && 2*nd.start >= len(nd.lp)-nd.start {
		nd.compact()
	}
	nd.lp = appendEntry(nd.lp, v)
	nd.count++
}

// pushFront prepends v.
func (nd *node) pushFront(v []byte) {
	sz := listpack.EntrySize(v)
	if nd.start < sz {
		nd.regrowFront(sz)
	}
	nd.start -= sz
	appendEntry(nd.lp[nd.start:nd.start], v)
	nd.count++
}

// regrowFront reallocates the buffer with room for at least need bytes at
// the front (and more, so that pushes at the front are O(1) amortized).
func (nd *node) regrowFront(need int) {
	live := len(nd.lp) - nd.start
	room := max(need, live/2, 16)
	lp := make([]byte, room+live, room+live+live/4)
	copy(lp[room:], nd.lp[nd.start:])
	nd.lp, nd.start = lp, room
}

// popFront removes the first element and returns it (a slice of the node,
// valid until it next grows, or of ib).
func (nd *node) popFront(ib *intBuf) []byte {
	if nd.plain {
		v := nd.live()
		nd.start, nd.count = len(nd.lp), 0
		return v
	}
	v := entryValue(nd.lp, nd.start, ib)
	nd.start = nextEntry(nd.lp, nd.start)
	nd.count--
	return v
}

// popBack removes the last element and returns it.
func (nd *node) popBack(ib *intBuf) []byte {
	if nd.plain {
		v := nd.live()
		nd.start, nd.count = len(nd.lp), 0
		return v
	}
	p := prevEntry(nd.lp, len(nd.lp))
	v := entryValue(nd.lp, p, ib)
	nd.lp = nd.lp[:p]
	nd.count--
	return v
}

// splice replaces the bytes lp[from:to] with ins (copying the node into a
// fresh, exact buffer: O(node size)).
func (nd *node) splice(from, to int, ins []byte) {
	size := (len(nd.lp) - nd.start) - (to - from) + len(ins)
	lp := make([]byte, 0, size)
	lp = append(lp, nd.lp[nd.start:from]...)
	lp = append(lp, ins...)
	lp = append(lp, nd.lp[to:]...)
	nd.lp, nd.start = lp, 0
}

// insert inserts v before entry k (k == n appends).
func (nd *node) insert(k int, v []byte) {
	switch k {
	case 0:
		nd.pushFront(v)
	case nd.count:
		nd.pushBack(v)
	default:
		p := nd.offset(k)
		nd.splice(p, p, appendEntry(nil, v))
		nd.count++
	}
}

// replace replaces entry k with v.
func (nd *node) replace(k int, v []byte) {
	p := nd.offset(k)
	nd.splice(p, nextEntry(nd.lp, p), appendEntry(nil, v))
}

// deleteRange removes del (≥ 1) entries from k on; the node must keep at
// least one.
func (nd *node) deleteRange(k, del int) {
	from := nd.offset(k)
	to := from
	for i := 0; i < del; i++ {
		to = nextEntry(nd.lp, to)
	}
	switch {
	case from == nd.start:
		nd.start = to
	case to == len(nd.lp):
		nd.lp = nd.lp[:from]
	default:
		nd.splice(from, to, nil)
	}
	nd.count -= del
}

// splitAt cuts the node before entry k: it keeps entries k… when keepBack
// is set, else 0…k-1, and returns a new node with the others.
func (nd *node) splitAt(k int, keepBack bool) *node {
	p := nd.offset(k)
	front := newNodeEntries(nd.lp[nd.start:p], k)
	back := newNodeEntries(nd.lp[p:], nd.count-k)
	if keepBack {
		nd.lp, nd.start, nd.count = back.lp, 0, back.count
		return front
	}
	nd.lp, nd.start, nd.count = front.lp, 0, front.count
	return back
}

// shrink trims the buffer to its contents when it wastes more than a few
// percent (a node that stops growing: its neighbour takes the next
// pushes).
func (nd *node) shrink() {
	live := len(nd.lp) - nd.start
	if cap(nd.lp)-live <= max(64, live/32) {
		return
	}
	nd.lp, nd.start = append(make([]byte, 0, live), nd.lp[nd.start:]...), 0
}

// clone returns a compact copy of the node (links not copied).
func (nd *node) clone() *node {
	c := newNodeEntries(nd.live(), nd.count)
	c.plain = nd.plain
	return c
}

// entryOffsets returns the offset of every entry, in order.
func (nd *node) entryOffsets() []int {
	offs := make([]int, 0, nd.count)
	for p := nd.start; p < len(nd.lp); p = nextEntry(nd.lp, p) {
		offs = append(offs, p)
	}
	return offs
}
