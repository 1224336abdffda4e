package quicklist

import (
	"encoding/binary"
	"github.com/redis-clone/redis-clone/internal/listpack"
)

// Node filling rules of quicklist.c.
const (
	sizeSafetyLimit      = 8192
	sizeEstimateOverhead = 8
	// DefaultPackedThreshold is the element size from which an element
	// gets a node of its own (Redis's packed_threshold, a PLAIN node).
	DefaultPackedThreshold = 1 << 30
	fillMax                = 1<<15 - 1
)

// optimizationLevel are the node size limits of fill -1 … -5.
var optimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

// List is a Redis list. The zero value is not usable; call New.
type List struct {
	head, tail *node
	count      int
	nodes      int
	fill       int
	scratch    [20]byte // Index and the pops format integer elements here
}

// New returns an empty list whose nodes are filled according to fill, the
// list-max-listpack-size directive (clamped to -5 … 32767 as Redis does).
func New(fill int) *List {
	if fill > fillMax {
		fill = fillMax
	} else if fill < -5 {
		fill = -5
	}
	return &List{fill: fill}
}

// Len returns the number of elements.
func (l *List) Len() int { return l.count }

// Fill returns the list's fill factor.
func (l *List) Fill() int { return l.fill }

// NodeCount returns the number of nodes.
func (l *List) NodeCount() int { return l.nodes }

// packedThreshold is the current PLAIN node threshold; only the data owner
// changes it (DEBUG QUICKLIST-PACKED-THRESHOLD), like Redis's global.
var packedThreshold = DefaultPackedThreshold

// SetPackedThreshold sets the element size from which elements get PLAIN
// nodes, as Redis's quicklistisSetPackedThreshold (DEBUG
// QUICKLIST-PACKED-THRESHOLD): 0 restores the default, and sizes above
// 4 GB minus 1 MB are refused (false). It affects lists process-wide.
func SetPackedThreshold(sz int64) bool {
	if sz > 1<<32-1<<20 || sz < 0 {
		return false
	}
	if sz == 0 {
		sz = DefaultPackedThreshold
	}
	packedThreshold = int(sz)
	return true
}

func isLarge(sz int) bool { return sz >= packedThreshold }

// sizeMeetsOptimization is _quicklistNodeSizeMeetsOptimizationRequirement.
func sizeMeetsOptimization(sz, fill int) bool {
	if fill >= 0 {
		return false
	}
	off := -fill - 1
	return off < len(optimizationLevel) && sz <= optimizationLevel[off]
}

// allowInsert is _quicklistNodeAllowInsert: may an element of sz bytes go
// into nd?
func (l *List) allowInsert(nd *node, sz int) bool {
	if nd == nil || nd.plain || isLarge(sz) {
		return false
	}
	newSz := nd.sz() + sz + sizeEstimateOverhead
	if sizeMeetsOptimization(newSz, l.fill) {
		return true
	}
	if newSz > sizeSafetyLimit {
		return false
	}
	return nd.n() < l.fill
}

// allowMerge is _quicklistNodeAllowMerge.
func (l *List) allowMerge(a, b *node) bool {
	if a == nil || b == nil || a.plain || b.plain {
		return false
	}
	mergeSz := a.sz() + b.sz() - 11 // one header/trailer less, as Redis estimates
	if sizeMeetsOptimization(mergeSz, l.fill) {
		return true
	}
	if mergeSz > sizeSafetyLimit {
		return false
	}
	return a.n()+b.n() <= l.fill
}

// linkAfter inserts nd after old (at the head when old is nil).
func (l *List) linkAfter(old, nd *node) {
	if old == nil {
		nd.prev, nd.next = nil, l.head
		if l.head != nil {
			l.head.prev = nd
		}
		l.head = nd
		if l.tail == nil {
			l.tail = nd
		}
	} else {
		nd.prev, nd.next = old, old.next
		if old.next != nil {
			old.next.prev = nd
		} else {
			l.tail = nd
		}
		old.next = nd
	}
	l.nodes++
}

// linkBefore inserts nd before old (at the tail when old is nil).
func (l *List) linkBefore(old, nd *node) {
	if old == nil {
		l.linkAfter(l.tail, nd)
		return
	}
	l.linkAfter(old.prev, nd)
}

// unlink removes nd from the list (its elements are not counted here).
func (l *List) unlink(nd *node) {
	if nd.prev != nil {
		nd.prev.next = nd.next
	} else {
		l.head = nd.next
	}
	if nd.next != nil {
		nd.next.prev = nd.prev
	} else {
		l.tail = nd.prev
	}
	nd.prev, nd.next = nil, nil
	l.nodes--
}

// PushFront inserts v (copied) at the head.
func (l *List) PushFront(v []byte) {
	l.count++
	if isLarge(len(v)) {
		l.linkAfter(nil, newPlain(v))
		return
	}
	if l.allowInsert(l.head, len(v)) {
		l.head.pushFront(v)
		return
	}
	nd := newNode()
	if h := l.head; h != nil {
		h.shrink()
		nd = newNodeSized(max(len(h.live()), listpack.EntrySize(v)), true)
	}
	nd.pushFront(v)
	l.linkAfter(nil, nd)
}

// PushBack appends v (copied) at the tail.
func (l *List) PushBack(v []byte) {
	l.count++
	if isLarge(len(v)) {
		l.linkAfter(l.tail, newPlain(v))
		return
	}
	if l.allowInsert(l.tail, len(v)) {
		l.tail.pushBack(v)
		return
	}
	nd := newNode()
	if t := l.tail; t != nil {
		t.shrink()
		nd = newNodeSized(max(len(t.live()), listpack.EntrySize(v)), false)
	}
	nd.pushBack(v)
	l.linkAfter(l.tail, nd)
}

// PopFront removes and returns the head element; ok is false when the
// list is empty. The slice is valid until the next call on the list.
func (l *List) PopFront() (v []byte, ok bool) {
	nd := l.head
	if nd == nil {
		return nil, false
	}
	v = nd.popFront(&intBuf{scratch: &l.scratch})
	l.count--
	if nd.n() == 0 {
		l.unlink(nd)
	}
	return v, true
}

// PopBack removes and returns the tail element; ok is false when the list
// is empty. The slice is valid until the next call on the list.
func (l *List) PopBack() (v []byte, ok bool) {
	nd := l.tail
	if nd == nil {
		return nil, false
	}
	v = nd.popBack(&intBuf{scratch: &l.scratch})
	l.count--
	if nd.n() == 0 {
		l.unlink(nd)
	}
	return v, true
}

// locate returns the node holding element i (0 ≤ i < Len) and i's offset
// in it, walking from the nearer end.
func (l *List) locate(i int) (*node, int) {
	if i <= (l.count-1)/2 {
		acc := 0
		for nd := l.head; nd != nil; nd = nd.next {
			if acc+nd.n() > i {
				return nd, i - acc
			}
			acc += nd.n()
		}
	} else {
		acc := l.count
		for nd := l.tail; nd != nil; nd = nd.prev {
			acc -= nd.n()
			if acc <= i {
				return nd, i - acc
			}
		}
	}
	panic("quicklist: index out of range")
}

// norm turns a Redis index (negative counts from the tail) into 0…Len-1;
// ok is false when it is out of range.
func (l *List) norm(i int) (int, bool) {
	if i < 0 {
		i += l.count
	}
	return i, i >= 0 && i < l.count
}

// Index returns element i (negative i counts from the tail, -1 being the
// last); ok is false when i is out of range. The slice is valid until the
// next call on the list.
func (l *List) Index(i int) ([]byte, bool) {
	i, ok := l.norm(i)
	if !ok {
		return nil, false
	}
	nd, k := l.locate(i)
	return nd.value(k, &intBuf{scratch: &l.scratch}), true
}

// Set replaces element i (negative i counts from the tail) with v and
// reports whether i was in range (quicklistReplaceAtIndex).
func (l *List) Set(i int, v []byte) bool {
	i, ok := l.norm(i)
	if !ok {
		return false
	}
	nd, k := l.locate(i)
	switch {
	case !nd.plain && !isLarge(len(v)):
		nd.replace(k, v)
	case nd.plain && isLarge(len(v)):
		nd.lp, nd.start = append(make([]byte, 0, len(v)), v...), 0
	case nd.plain:
		l.insertAt(nd, k, v, true)
		l.count--
		l.unlink(nd)
	default:
		// A large value into a packed node: it goes after the old element
		// (splitting the node), then the old element, now the last of nd,
		// is removed.
		l.insertAt(nd, k, v, true)
		l.deleteIn(nd, nd.n()-1, 1)
	}
	return true
}

// Insert inserts v (copied) next to element i (negative i counts from the
// tail): after it when after is set, else before it. It reports whether i
// was in range.
func (l *List) Insert(i int, v []byte, after bool) bool {
	i, ok := l.norm(i)
	if !ok {
		return false
	}
	nd, k := l.locate(i)
	l.insertAt(nd, k, v, after)
	return true
}

// insertAt is _quicklistInsert: v goes after (or before) element k of nd.
func (l *List) insertAt(nd *node, k int, v []byte, after bool) {
	sz := len(v)
	full := !l.allowInsert(nd, sz)
	atTail := after && k == nd.n()-1
	atHead := !after && k == 0
	availNext := atTail && l.allowInsert(nd.next, sz)
	availPrev := atHead && l.allowInsert(nd.prev, sz)
	l.count++

	if isLarge(sz) {
		if nd.plain || atTail || atHead {
			if after {
				l.linkAfter(nd, newPlain(v))
			} else {
				l.linkBefore(nd, newPlain(v))
			}
			return
		}
		rest := l.split(nd, k, after)
		p := newPlain(v)
		if after {
			l.linkAfter(nd, p)
			l.linkAfter(p, rest)
		} else {
			l.linkBefore(nd, p)
			l.linkBefore(p, rest)
		}
		return
	}

	switch {
	case !full && after:
		nd.insert(k+1, v)
	case !full:
		nd.insert(k, v)
	case atTail && availNext:
		nd.next.pushFront(v)
	case atHead && availPrev:
		nd.prev.pushBack(v)
	case atTail || atHead:
		fresh := newNode()
		fresh.pushBack(v)
		if after {
			l.linkAfter(nd, fresh)
		} else {
			l.linkBefore(nd, fresh)
		}
	default:
		rest := l.split(nd, k, after)
		if after {
			rest.pushFront(v)
			l.linkAfter(nd, rest)
		} else {
			rest.pushBack(v)
			l.linkBefore(nd, rest)
		}
		l.mergeAround(nd)
	}
}

// split is _quicklistSplitNode: with after, nd keeps elements 0…k and the
// returned (unlinked) node gets the rest; without, nd keeps k… and the
// returned node gets 0…k-1.
func (l *List) split(nd *node, k int, after bool) *node {
	if after {
		return nd.splitAt(k+1, false)
	}
	return nd.splitAt(k, true)
}

// merge appends b's elements to a and drops b.
func (l *List) merge(a, b *node) *node {
	lp := make([]byte, 0, len(a.live())+len(b.live()))
	lp = append(append(lp, a.live()...), b.live()...)
	a.lp, a.start, a.count = lp, 0, a.count+b.count
	l.unlink(b)
	return a
}

// mergeAround is _quicklistMergeNodes.
func (l *List) mergeAround(center *node) {
	var prev, prevPrev, next, nextNext *node
	if center.prev != nil {
		prev = center.prev
		prevPrev = prev.prev
	}
	if center.next != nil {
		next = center.next
		nextNext = next.next
	}
	if l.allowMerge(prev, prevPrev) {
		l.merge(prevPrev, prev)
	}
	if l.allowMerge(next, nextNext) {
		l.merge(next, nextNext)
	}
	target := center
	if l.allowMerge(center, center.prev) {
		target = l.merge(center.prev, center)
	}
	if l.allowMerge(target, target.next) {
		l.merge(target, target.next)
	}
}

// deleteIn removes del elements of nd from k on (within nd), unlinking nd
// when it becomes empty.
func (l *List) deleteIn(nd *node, k, del int) {
	if del >= nd.n() || nd.plain {
		l.count -= nd.n()
		l.unlink(nd)
		return
	}
	nd.deleteRange(k, del)
	l.count -= del
}

// DeleteRange removes count elements from start on (a negative start
// counts from the tail), as quicklistDelRange: the range is clipped to the
// list. It returns the number of elements removed.
func (l *List) DeleteRange(start, count int) int {
	if count <= 0 {
		return 0
	}
	extent := count
	if start >= 0 && extent > l.count-start {
		extent = l.count - start
	} else if start < 0 && extent > -start {
		extent = -start
	}
	i, ok := l.norm(start)
	if !ok {
		return 0
	}
	if extent > l.count-i {
		extent = l.count - i
	}
	removed := extent
	nd, k := l.locate(i)
	for extent > 0 && nd != nil {
		next := nd.next
		del := min(nd.n()-k, extent)
		l.deleteIn(nd, k, del)
		extent -= del
		nd, k = next, 0
	}
	return removed
}

// Range calls fn for the elements from index start on (negative counts
// from the tail), towards the tail, or towards the head when reverse is
// set, until fn returns false or the list ends. i is the element's
// index. v stays valid until the list changes (integer elements are
// formatted into memory of their own), so a caller may gather the
// elements; fn must not change the list.
func (l *List) Range(start int, reverse bool, fn func(i int, v []byte) bool) {
	i, ok := l.norm(start)
	if !ok {
		return
	}
	ints := intBuf{stable: true}
	nd, k := l.locate(i)
	each := func(v []byte) bool {
		if !fn(i, v) {
			return false
		}
		if reverse {
			i--
		} else {
			i++
		}
		return true
	}
	for nd != nil {
		if !nd.forEach(k, reverse, &ints, each) {
			return
		}
		if reverse {
			nd = nd.prev
			if nd != nil {
				k = nd.n() - 1
			}
		} else {
			nd, k = nd.next, 0
		}
	}
}

// RemoveFunc removes the elements for which match returns true, scanning
// from the head (or from the tail when fromTail is set) and stopping after
// limit removals (0: no limit), as LREM does. It returns how many were
// removed. match must not keep the slice it is given.
func (l *List) RemoveFunc(match func(v []byte) bool, limit int, fromTail bool) int {
	removed := 0
	nd := l.head
	if fromTail {
		nd = l.tail
	}
	for nd != nil && (limit == 0 || removed < limit) {
		following := nd.next
		if fromTail {
			following = nd.prev
		}
		if nd.plain {
			if match(nd.live()) {
				removed++
				l.count--
				l.unlink(nd)
			}
			nd = following
			continue
		}
		offs := nd.entryOffsets()
		n := len(offs)
		drop := make([]bool, n)
		hits := 0
		for j := 0; j < n && (limit == 0 || removed+hits < limit); j++ {
			k := j
			if fromTail {
				k = n - 1 - j
			}
			if match(entryValue(nd.lp, offs[k], &intBuf{scratch: &l.scratch})) {
				drop[k] = true
				hits++
			}
		}
		if hits > 0 {
			removed += hits
			l.count -= hits
			if hits == n {
				l.unlink(nd)
			} else {
				lp := make([]byte, 0, len(nd.live()))
				for k, p := range offs {
					if !drop[k] {
						lp = append(lp, nd.lp[p:nextEntry(nd.lp, p)]...)
					}
				}
				nd.lp, nd.start, nd.count = lp, 0, n-hits
			}
		}
		nd = following
	}
	return removed
}

// ListpackStats returns the number of nodes and the bytes their listpacks
// would take in Redis (DEBUG OBJECT's ql_nodes and ql_uncompressed_size).
func (l *List) ListpackStats() (nodes, bytes int) {
	for nd := l.head; nd != nil; nd = nd.next {
		bytes += nd.sz()
	}
	return l.nodes, bytes
}

// Nodes calls fn for each node from head to tail, until fn returns false,
// with what Redis's RDB QUICKLIST_2 encoding stores for it: a packed node
// as a complete listpack (header, entries, terminator), a PLAIN node as
// its raw element. The slice is valid during the call only.
func (l *List) Nodes(fn func(plain bool, data []byte) bool) {
	var buf []byte
	for nd := l.head; nd != nil; nd = nd.next {
		if nd.plain {
			if !fn(true, nd.live()) {
				return
			}
			continue
		}
		buf = appendListpack(buf[:0], nd.live(), nd.count)
		if !fn(false, buf) {
			return
		}
	}
}

// appendListpack appends a whole listpack of the given entries to dst.
func appendListpack(dst, entries []byte, count int) []byte {
	total := lpEmptySize + len(entries)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(total))
	dst = binary.LittleEndian.AppendUint16(dst, uint16(min(count, lpCountMax)))
	dst = append(dst, entries...)
	return append(dst, lpEOF)
}

// AppendListpack appends the elements of a complete listpack (as Nodes
// gives it, or as an RDB QUICKLIST_2 packed node holds it) at the tail as
// one node, after checking its structure; an empty listpack is skipped.
func (l *List) AppendListpack(lp []byte) error {
	if len(lp) < lpEmptySize || lp[len(lp)-1] != lpEOF ||
		int(binary.LittleEndian.Uint32(lp)) != len(lp) {
		return ErrBadListpack
	}
	entries := lp[lpHeaderSize : len(lp)-1]
	n, err := validateEntries(entries)
	if err != nil {
		return err
	}
	if hc := int(binary.LittleEndian.Uint16(lp[4:])); hc != lpCountMax && hc != n {
		return ErrBadListpack
	}
	if n == 0 {
		return nil
	}
	l.linkAfter(l.tail, newNodeEntries(entries, n))
	l.count += n
	return nil
}

// AppendPlain appends v at the tail in a PLAIN node of its own (an RDB
// QUICKLIST_2 plain node).
func (l *List) AppendPlain(v []byte) {
	l.linkAfter(l.tail, newPlain(v))
	l.count++
}

// MemoryUsage estimates the bytes the list occupies (MEMORY USAGE).
func (l *List) MemoryUsage() int64 {
	size := int64(48)
	for nd := l.head; nd != nil; nd = nd.next {
		size += nodeOverhead + int64(cap(nd.lp))
	}
	return size
}

// Clone returns a deep copy of l with the same node layout.
func (l *List) Clone() *List {
	c := &List{fill: l.fill}
	for nd := l.head; nd != nil; nd = nd.next {
		c.linkAfter(c.tail, nd.clone())
	}
	c.count = l.count
	return c
}
