package zset

import (
	"math/rand/v2"
	"unsafe"
)

// The skiplist is Redis's zskiplist (t_zset.c): nodes ordered by (score,
// member), random levels with p = 1/4 and at most 32 levels, and for each
// forward link the number of nodes it skips (its span), so that ranks are
// computed in O(log n). A backward link per node makes reverse walks O(1)
// per step.
//
// Memory layout: 3/4 of the nodes have a single level, so level 0 lives in
// the node itself (its span is always 1 and is not stored), and the upper
// levels 1..height-1 of taller nodes follow the node in the same block
// (as Redis's flexible level[] array), at a fixed offset: no pointer to
// them, no slot for level 0. The node starts with the two fields a search
// reads on every node it steps on at level 0, the score and the level-0
// link: as blocks are 16-byte aligned they always share a cache line, and
// a height-2 node (64 bytes, a 64-byte size class) has its score and its
// level 1 in one line too. A height-1 node is 48 bytes, a height-h node
// 48+16*(h-1) up to height 8 (taller ones, one in 4^8, get room for all
// 32 levels).

const (
	maxLevel = 32 // ZSKIPLIST_MAXLEVEL
	// levelP is ZSKIPLIST_P (0.25) scaled to the 16-bit random draw of
	// zslRandomLevel.
	levelThreshold = 0xFFFF / 4
)

// level is one upper forward link of a node.
type level struct {
	next *node
	span int
}

// node is a skiplist element; levels 1..height-1 follow it in its block.
type node struct {
	score  float64
	next0  *node // forward link at level 0 (span 1)
	member string
	prev   *node // backward link at level 0; nil for the first node
	h      int   // height: number of levels
}

// levelsOffset is the offset of level 1 from the start of a node.
const levelsOffset = unsafe.Sizeof(node{})

// height returns the number of levels of x.
func (x *node) height() int { return x.h }

// lv returns level i >= 1 of x, which must be below x's height (callers
// only follow levels below the list's or the node's height).
func (x *node) lv(i int) *level {
	return (*level)(unsafe.Add(unsafe.Pointer(x), levelsOffset+uintptr(i-1)*unsafe.Sizeof(level{})))
}

// next returns x's forward link at level i.
func (x *node) next(i int) *node {
	if i == 0 {
		return x.next0
	}
	return x.lv(i).next
}

// span returns the span of x's forward link at level i.
func (x *node) span(i int) int {
	if i == 0 {
		return 1
	}
	return x.lv(i).span
}

// tallNode is a node followed by its levels 1..height-1 (L is
// [height-1]level) in one block. The levels are reached through the
// node's address (lv), never by name: the field is blank.
type tallNode[L any] struct {
	n node
	_ L
}

// inline allocates a node of the given height whose upper levels (L)
// follow it in one block.
func inline[L any](height int, score float64, member string) *node {
	b := &tallNode[L]{n: node{member: member, score: score, h: height}}
	return &b.n
}

// newNode allocates a node of the given height.
func newNode(height int, score float64, member string) *node {
	switch height {
	case 1:
		return &node{member: member, score: score, h: 1}
	case 2:
		return inline[[1]level](height, score, member)
	case 3:
		return inline[[2]level](height, score, member)
	case 4:
		return inline[[3]level](height, score, member)
	case 5:
		return inline[[4]level](height, score, member)
	case 6:
		return inline[[5]level](height, score, member)
	case 7:
		return inline[[6]level](height, score, member)
	case 8:
		return inline[[7]level](height, score, member)
	}
	// One node in 4^8, and the header: room for every level.
	return inline[[maxLevel - 1]level](height, score, member)
}

// randomLevel is zslRandomLevel: each further level with probability 1/4.
func randomLevel() int {
	lvl := 1
	for lvl < maxLevel && rand.Uint32()&0xFFFF < levelThreshold {
		lvl++
	}
	return lvl
}

// before reports whether (s1, m1) sorts before (s2, m2).
func before(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

// skiplist is an ordered sequence of (score, member) pairs.
type skiplist struct {
	header *node
	tail   *node
	length int
	level  int
}

// newSkiplist returns an empty skiplist with a full-height header.
func newSkiplist() *skiplist {
	return &skiplist{header: newNode(maxLevel, 0, ""), level: 1}
}

// first returns the first node, or nil.
func (sl *skiplist) first() *node { return sl.header.next0 }

// insert adds a node for (score, member), which must not be present, and
// returns it (zslInsert).
func (sl *skiplist) insert(score float64, member string) *node {
	return sl.link(newNode(randomLevel(), score, member))
}

// link inserts x, a node not in the list (new, or unlinked with its
// levels as they were), at the place of its score and member.
func (sl *skiplist) link(x *node) *node {
	score, member := x.score, x.member
	var update [maxLevel]*node
	var rank [maxLevel]int
	y := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		if i < sl.level-1 {
			rank[i] = rank[i+1]
		}
		for {
			n := y.next(i)
			if n == nil || !before(n.score, n.member, score, member) {
				break
			}
			rank[i] += y.span(i)
			y = n
		}
		update[i] = y
	}
	sl.linkAt(x, &update, &rank)
	return x
}

// linkAt inserts x after update[i] at each of its levels i, given the
// rank of each update[i] (0 for the header) for every level below the
// list's level.
func (sl *skiplist) linkAt(x *node, update *[maxLevel]*node, rank *[maxLevel]int) {
	h := x.height()
	if h > sl.level {
		for i := sl.level; i < h; i++ {
			rank[i] = 0
			update[i] = sl.header
			sl.header.lv(i).span = sl.length
		}
		sl.level = h
	}
	x.prev = nil
	x.next0 = update[0].next0
	update[0].next0 = x
	for i := 1; i < h; i++ {
		ul, xl := update[i].lv(i), x.lv(i)
		xl.next = ul.next
		ul.next = x
		xl.span = ul.span - (rank[0] - rank[i])
		ul.span = rank[0] - rank[i] + 1
	}
	// Untouched levels skip one more node.
	for i := h; i < sl.level; i++ {
		update[i].lv(i).span++
	}
	if update[0] != sl.header {
		x.prev = update[0]
	}
	if x.next0 != nil {
		x.next0.prev = x
	} else {
		sl.tail = x
	}
	sl.length++
}

// unlink removes x given the rightmost node before it at every level
// (zslDeleteNode).
func (sl *skiplist) unlink(x *node, update *[maxLevel]*node) {
	if update[0].next0 == x {
		update[0].next0 = x.next0
	}
	for i := 1; i < sl.level; i++ {
		ul := update[i].lv(i)
		if ul.next == x {
			xl := x.lv(i)
			ul.span += xl.span - 1
			ul.next = xl.next
		} else {
			ul.span--
		}
	}
	if x.next0 != nil {
		x.next0.prev = x.prev
	} else {
		sl.tail = x.prev
	}
	for sl.level > 1 && sl.header.lv(sl.level-1).next == nil {
		sl.level--
	}
	sl.length--
}

// path fills update with the rightmost node before (score, member) at every
// level and returns the node at level 0 after it.
func (sl *skiplist) path(score float64, member string, update *[maxLevel]*node) *node {
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for {
			n := x.next(i)
			if n == nil || !before(n.score, n.member, score, member) {
				break
			}
			x = n
		}
		update[i] = x
	}
	return x.next0
}

// delete removes (score, member) and reports whether it was present
// (zslDelete).
func (sl *skiplist) delete(score float64, member string) bool {
	var update [maxLevel]*node
	x := sl.path(score, member, &update)
	if x != nil && x.score == score && x.member == member {
		sl.unlink(x, &update)
		return true
	}
	return false
}

// move changes the score of x, a node of the list, to score and returns
// x (zslUpdateScore): in place when the order does not change, else by
// unlinking x and linking it again at its new place (Redis frees the node
// and allocates another, of a new random height; keeping x and its height
// is the same list without the allocation).
//
// Both places are found in one descent that advances two cursors side by
// side, one towards x (for unlinking) and one towards the new score (for
// linking): the two chains of dependent loads are independent of each
// other, so the processor overlaps their cache misses, where Redis runs
// one search after the other. The insertion path is found with x still
// in the list and corrected for its removal.
func (sl *skiplist) move(x *node, score float64) *node {
	if (x.prev == nil || x.prev.score < score) && (x.next0 == nil || x.next0.score > score) {
		x.score = score
		return x
	}
	cur, member := x.score, x.member
	var del, ins [maxLevel]*node
	var delRank, insRank [maxLevel]int
	d, in := sl.header, sl.header
	dr, ir := 0, 0
	for i := sl.level - 1; i >= 0; i-- {
		dDone, iDone := false, false
		for !dDone || !iDone {
			if !dDone {
				if n := d.next(i); n == x || n == nil || !before(n.score, n.member, cur, member) {
					dDone = true
				} else {
					dr += d.span(i)
					d = n
				}
			}
			if !iDone {
				if n := in.next(i); n == nil || !before(n.score, n.member, score, member) {
					iDone = true
				} else {
					ir += in.span(i)
					in = n
				}
			}
		}
		del[i], delRank[i] = d, dr
		ins[i], insRank[i] = in, ir
	}
	if del[0].next0 != x {
		panic("zset: move of a node not in the list")
	}
	xr := delRank[0] + 1 // x's rank
	for i := 0; i < sl.level; i++ {
		switch {
		case ins[i] == x:
			ins[i], insRank[i] = del[i], delRank[i]
		case insRank[i] > xr:
			insRank[i]--
		}
	}
	sl.unlink(x, &del)
	x.score = score
	sl.linkAt(x, &ins, &insRank)
	return x
}

// unlinkFirst removes the first node and returns it: the header is the
// rightmost node before it at every level, so no search is needed.
func (sl *skiplist) unlinkFirst() *node {
	x := sl.header.next0
	var update [maxLevel]*node
	for i := 0; i < sl.level; i++ {
		update[i] = sl.header
	}
	sl.unlink(x, &update)
	return x
}

// rank returns the 1-based rank of (score, member), or 0 if it is not
// present (zslGetRank).
func (sl *skiplist) rank(score float64, member string) int {
	x := sl.header
	r := 0
	for i := sl.level - 1; i >= 0; i-- {
		for {
			n := x.next(i)
			if n == nil || !(n.score < score || (n.score == score && n.member <= member)) {
				break
			}
			r += x.span(i)
			x = n
		}
		if x != sl.header && x.member == member {
			return r
		}
	}
	return 0
}

// byRank returns the node with 1-based rank r, or nil
// (zslGetElementByRank).
func (sl *skiplist) byRank(r int) *node {
	x := sl.header
	traversed := 0
	for i := sl.level - 1; i >= 0; i-- {
		for {
			n := x.next(i)
			if n == nil || traversed+x.span(i) > r {
				break
			}
			traversed += x.span(i)
			x = n
		}
		if traversed == r {
			if x == sl.header {
				return nil
			}
			return x
		}
	}
	return nil
}

// nodeGteMin and nodeLteMax test node x against p's bounds.
func (p *rangePred) nodeGteMin(x *node) bool { return p.gteMin(sbytes(x.member), x.score) }
func (p *rangePred) nodeLteMax(x *node) bool { return p.lteMax(sbytes(x.member), x.score) }

// inRange reports whether some element may lie in p (zslIsInRange,
// zslIsInLexRange).
func (sl *skiplist) inRange(p *rangePred) bool {
	if p.empty {
		return false
	}
	if sl.tail == nil || !p.nodeGteMin(sl.tail) {
		return false
	}
	f := sl.header.next0
	return f != nil && p.nodeLteMax(f)
}

// firstInRange returns the first node in p, or nil (zslFirstInRange,
// zslFirstInLexRange).
func (sl *skiplist) firstInRange(p *rangePred) *node {
	if !sl.inRange(p) {
		return nil
	}
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for {
			n := x.next(i)
			if n == nil || p.nodeGteMin(n) {
				break
			}
			x = n
		}
	}
	x = x.next0
	if x == nil || !p.nodeLteMax(x) {
		return nil
	}
	return x
}

// lastInRange returns the last node in p, or nil (zslLastInRange,
// zslLastInLexRange).
func (sl *skiplist) lastInRange(p *rangePred) *node {
	if !sl.inRange(p) {
		return nil
	}
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for {
			n := x.next(i)
			if n == nil || !p.nodeLteMax(n) {
				break
			}
			x = n
		}
	}
	if x == sl.header || !p.nodeGteMin(x) {
		return nil
	}
	return x
}

// deleteRange removes the nodes in p, calling del for each, and returns
// how many were removed (zslDeleteRangeByScore, zslDeleteRangeByLex).
func (sl *skiplist) deleteRange(p *rangePred, del func(member string)) int {
	var update [maxLevel]*node
	x := sl.header
	for i := sl.level - 1; i >= 0; i-- {
		for {
			n := x.next(i)
			if n == nil || p.nodeGteMin(n) {
				break
			}
			x = n
		}
		update[i] = x
	}
	x = x.next0
	removed := 0
	for x != nil && p.nodeLteMax(x) {
		next := x.next0
		sl.unlink(x, &update)
		del(x.member)
		removed++
		x = next
	}
	return removed
}

// deleteRangeByRank removes the nodes with 1-based ranks start..end
// (inclusive).
func (sl *skiplist) deleteRangeByRank(start, end int, del func(member string)) int {
	var update [maxLevel]*node
	x := sl.header
	traversed := 0
	for i := sl.level - 1; i >= 0; i-- {
		for {
			n := x.next(i)
			if n == nil || traversed+x.span(i) >= start {
				break
			}
			traversed += x.span(i)
			x = n
		}
		update[i] = x
	}
	traversed++
	x = x.next0
	removed := 0
	for x != nil && traversed <= end {
		next := x.next0
		sl.unlink(x, &update)
		del(x.member)
		removed++
		traversed++
		x = next
	}
	return removed
}
