package zset

import (
	"math"
	"math/rand/v2"
	"unsafe"

	"github.com/redis-clone/redis-clone/internal/dict"
)

// Limits are the conversion thresholds, read from the configuration at each
// write as Redis does: zset-max-listpack-entries and
// zset-max-listpack-value.
type Limits struct {
	MaxListpackEntries int
	MaxListpackValue   int
}

// ZSet is a sorted set of unique members ordered by (score, member). It is
// either listpack-encoded (one compact byte slice, linear operations) or
// skiplist-encoded (a skiplist with spans plus a member → node dict).
// The zero value is an empty listpack-encoded set. A ZSet is not safe for
// concurrent use.
type ZSet struct {
	lp   []byte // listpack encoding, used while sl == nil
	lpn  int    // number of elements in lp
	sl   *skiplist
	dict *dict.Dict[*node] // member → its node (the node holds the score)
}

// New returns an empty listpack-encoded sorted set.
func New() *ZSet { return &ZSet{} }

// NewSkiplist returns an empty skiplist-encoded sorted set; sizeHint
// presizes its dict.
func NewSkiplist(sizeHint int) *ZSet {
	return &ZSet{sl: newSkiplist(), dict: dict.New[*node](sizeHint)}
}

// NewFor returns the empty set ZADD creates for a first member of
// memberLen bytes: a skiplist when listpacks are disabled
// (zset-max-listpack-entries 0) or the member is too long, else a
// listpack.
func NewFor(lim Limits, memberLen int) *ZSet {
	if lim.MaxListpackEntries == 0 || memberLen > lim.MaxListpackValue {
		return NewSkiplist(0)
	}
	return New()
}

// bstr views b as a string without copying, for transient lookups only.
func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// sbytes views s as bytes without copying; the result must not be
// modified.
func sbytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// Len returns the number of elements.
func (z *ZSet) Len() int {
	if z.sl != nil {
		return z.sl.length
	}
	return z.lpn
}

// IsListpack reports whether z uses the small encoding.
func (z *ZSet) IsListpack() bool { return z.sl == nil }

// Encoding returns the name OBJECT ENCODING reports: "listpack" or
// "skiplist".
func (z *ZSet) Encoding() string {
	if z.sl == nil {
		return "listpack"
	}
	return "skiplist"
}

// convert turns a listpack-encoded set into a skiplist-encoded one.
func (z *ZSet) convert() {
	if z.sl != nil {
		return
	}
	sl := newSkiplist()
	d := dict.New[*node](z.lpn)
	for off := 0; off < len(z.lp); {
		m, s, next := lpEntry(z.lp, off)
		ms := string(m)
		d.Set(ms, sl.insert(s, ms))
		off = next
	}
	z.sl, z.dict, z.lp, z.lpn = sl, d, nil, 0
}

// ConvertToSkiplist switches z to the skiplist encoding (used by loaders
// that know the final size).
func (z *ZSet) ConvertToSkiplist() { z.convert() }

// ShrinkIfSmall converts a skiplist-encoded z that is within lim (element
// count and longest member) to a listpack, as zsetConvertToListpackIfNeeded
// does for the destination of ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE.
func (z *ZSet) ShrinkIfSmall(lim Limits) {
	if z.sl == nil || z.sl.length > lim.MaxListpackEntries {
		return
	}
	total := 0
	for x := z.sl.first(); x != nil; x = x.next0 {
		if len(x.member) > lim.MaxListpackValue {
			return
		}
		total += lpEncodedLen(len(x.member))
	}
	if total > lpMaxBytes {
		return
	}
	buf := make([]byte, 0, total)
	for x := z.sl.first(); x != nil; x = x.next0 {
		buf = lpAppend(buf, sbytes(x.member), x.score)
	}
	z.lp, z.lpn, z.sl, z.dict = buf, z.sl.length, nil, nil
}

// Score returns member's score.
func (z *ZSet) Score(member []byte) (float64, bool) {
	if z.sl != nil {
		x, ok := z.dict.GetBytes(member)
		if !ok {
			return 0, false
		}
		return x.score, true
	}
	_, _, s, ok := lpFind(z.lp, member)
	return s, ok
}

// Flags select ZADD's behaviour.
type Flags uint8

// ZADD options.
const (
	NX   Flags = 1 << iota // only add new elements
	XX                     // only update existing elements
	GT                     // only update when the new score is greater
	LT                     // only update when the new score is less
	Incr                   // add the score to the current one (0 if new)
)

// Result reports what Add did.
type Result uint8

// Add outcomes.
const (
	Added   Result = 1 << iota // the element was new
	Updated                    // the element's score changed
	NOP                        // nothing done because of NX, XX, GT or LT
	NaN                        // the score (or the incremented score) is NaN: nothing done
)

// Add adds member with score, or updates its score, following flags as
// zsetAdd does, and converts a listpack to a skiplist when lim requires it.
// It returns what happened and the element's resulting score (meaningful
// unless the result is NOP or NaN). member is copied.
func (z *ZSet) Add(member []byte, score float64, flags Flags, lim Limits) (Result, float64) {
	if math.IsNaN(score) {
		return NaN, 0
	}
	nx, xx := flags&NX != 0, flags&XX != 0
	gt, lt := flags&GT != 0, flags&LT != 0
	if z.sl == nil {
		off, next, cur, ok := lpFind(z.lp, member)
		if ok {
			if nx {
				return NOP, cur
			}
			if flags&Incr != 0 {
				score += cur
				if math.IsNaN(score) {
					return NaN, 0
				}
			}
			if (lt && score >= cur) || (gt && score <= cur) {
				return NOP, cur
			}
			if score == cur {
				return 0, score
			}
			z.lp = lpCut(z.lp, off, next)
			z.lp = lpInsert(z.lp, member, score)
			return Updated, score
		}
		if xx {
			return NOP, 0
		}
		if z.lpn+1 > lim.MaxListpackEntries || len(member) > lim.MaxListpackValue ||
			len(z.lp)+lpEncodedLen(len(member)) > lpMaxBytes {
			z.convert()
		} else {
			z.lp = lpInsert(z.lp, member, score)
			z.lpn++
			return Added, score
		}
	}
	if x, ok := z.dict.GetBytes(member); ok {
		cur := x.score
		if nx {
			return NOP, cur
		}
		if flags&Incr != 0 {
			score += cur
			if math.IsNaN(score) {
				return NaN, 0
			}
		}
		if (lt && score >= cur) || (gt && score <= cur) {
			return NOP, cur
		}
		if score == cur {
			return 0, score
		}
		z.sl.move(x, score)
		return Updated, score
	}
	if xx {
		return NOP, 0
	}
	ms := string(member)
	z.dict.Set(ms, z.sl.insert(score, ms))
	return Added, score
}

// Set adds member with score or replaces its score, like a plain ZADD;
// the member string is kept as is (not copied). It reports whether the
// member was added. Loaders and the store commands use it.
func (z *ZSet) Set(member string, score float64, lim Limits) bool {
	if z.sl == nil {
		r, _ := z.Add(sbytes(member), score, 0, lim)
		return r&Added != 0
	}
	if x, ok := z.dict.Get(member); ok {
		if x.score != score {
			z.sl.move(x, score)
		}
		return false
	}
	z.dict.Set(member, z.sl.insert(score, member))
	return true
}

// Delete removes member and reports whether it was present.
func (z *ZSet) Delete(member []byte) bool {
	if z.sl != nil {
		x, ok := z.dict.DeleteBytes(member)
		if !ok {
			return false
		}
		z.sl.delete(x.score, x.member)
		return true
	}
	off, next, _, ok := lpFind(z.lp, member)
	if !ok {
		return false
	}
	z.lp = lpCut(z.lp, off, next)
	z.lpn--
	return true
}

// Rank returns member's 0-based rank, counted from the lowest score, or
// from the highest with reverse.
func (z *ZSet) Rank(member []byte, reverse bool) (int, bool) {
	n := z.Len()
	var r int
	if z.sl != nil {
		x, ok := z.dict.GetBytes(member)
		if !ok {
			return 0, false
		}
		r = z.sl.rank(x.score, x.member) - 1
		if r < 0 {
			return 0, false
		}
	} else {
		found := false
		for off := 0; off < len(z.lp); r++ {
			m, _, next := lpEntry(z.lp, off)
			if string(m) == string(member) {
				found = true
				break
			}
			off = next
		}
		if !found {
			return 0, false
		}
	}
	if reverse {
		r = n - 1 - r
	}
	return r, true
}

// Visit is called with each element of an iteration. member aliases the
// set's memory: it must not be modified, and is valid only during the call.
type Visit func(member []byte, score float64)

// Range calls fn for every element, in ascending order, or descending
// with reverse.
func (z *ZSet) Range(reverse bool, fn Visit) {
	if n := z.Len(); n > 0 {
		z.RangeByRank(0, n-1, reverse, fn)
	}
}

// RangeByRank calls fn for the elements with 0-based ranks start..end
// (inclusive; 0 <= start <= end < Len()), ranks counted from the lowest
// score, or from the highest with reverse, in rank order.
func (z *ZSet) RangeByRank(start, end int, reverse bool, fn Visit) {
	n := end - start + 1
	if z.sl != nil {
		sl := z.sl
		var x *node
		if reverse {
			x = sl.tail
			if start > 0 {
				x = sl.byRank(sl.length - start)
			}
			for ; n > 0 && x != nil; n-- {
				fn(sbytes(x.member), x.score)
				x = x.prev
			}
			return
		}
		x = sl.first()
		if start > 0 {
			x = sl.byRank(start + 1)
		}
		for ; n > 0 && x != nil; n-- {
			fn(sbytes(x.member), x.score)
			x = x.next0
		}
		return
	}
	if reverse {
		var stack [128]int
		offs := lpOffsets(z.lp, stack[:0])
		for i := len(offs) - 1 - start; n > 0 && i >= 0; i, n = i-1, n-1 {
			m, s, _ := lpEntry(z.lp, offs[i])
			fn(m, s)
		}
		return
	}
	for off := lpSeek(z.lp, start); n > 0 && off < len(z.lp); n-- {
		m, s, next := lpEntry(z.lp, off)
		fn(m, s)
		off = next
	}
}

// rangePred is a score or member range as the range walks of both
// encodings test elements against it: its two bounds as predicates and
// whether it is empty by construction.
type rangePred struct {
	gteMin, lteMax func(m []byte, s float64) bool
	empty          bool
}

// scorePred is the rangePred of a score range.
func scorePred(r *ScoreRange) rangePred {
	return rangePred{
		gteMin: func(_ []byte, s float64) bool { return r.GteMin(s) },
		lteMax: func(_ []byte, s float64) bool { return r.LteMax(s) },
		empty:  r.Empty(),
	}
}

// lexPred is the rangePred of a member range.
func lexPred(r *LexRange) rangePred {
	return rangePred{
		gteMin: func(m []byte, _ float64) bool { return r.GteMin(bstr(m)) },
		lteMax: func(m []byte, _ float64) bool { return r.LteMax(bstr(m)) },
		empty:  r.Empty(),
	}
}

// lpAt decodes the element at offset off.
func (z *ZSet) lpAt(off int) ([]byte, float64) {
	m, s, _ := lpEntry(z.lp, off)
	return m, s
}

// lpInRange is zzlIsInRange: the range is not empty, the last element is
// at or above the minimum and the first at or below the maximum.
func (z *ZSet) lpInRange(p *rangePred, offs []int) bool {
	if p.empty || len(offs) == 0 {
		return false
	}
	if !p.gteMin(z.lpAt(offs[len(offs)-1])) {
		return false
	}
	return p.lteMax(z.lpAt(offs[0]))
}

// lpFirst is zzlFirstInRange: the index of the first element at or above
// the minimum if it is also at or below the maximum, else -1.
func (z *ZSet) lpFirst(p *rangePred, offs []int) int {
	if !z.lpInRange(p, offs) {
		return -1
	}
	for i, off := range offs {
		m, s := z.lpAt(off)
		if p.gteMin(m, s) {
			if p.lteMax(m, s) {
				return i
			}
			return -1
		}
	}
	return -1
}

// lpLast is zzlLastInRange, scanning from the end.
func (z *ZSet) lpLast(p *rangePred, offs []int) int {
	if !z.lpInRange(p, offs) {
		return -1
	}
	for i := len(offs) - 1; i >= 0; i-- {
		m, s := z.lpAt(offs[i])
		if p.lteMax(m, s) {
			if p.gteMin(m, s) {
				return i
			}
			return -1
		}
	}
	return -1
}

// lpRange is the listpack side of RangeByScore and RangeByLex.
func (z *ZSet) lpRange(p *rangePred, offset, limit int, reverse bool, fn Visit) int {
	var stack [128]int
	offs := lpOffsets(z.lp, stack[:0])
	count := 0
	if reverse {
		i := z.lpLast(p, offs)
		if i < 0 || offset > i {
			return 0
		}
		for i -= offset; i >= 0 && limit != 0; i, limit = i-1, limit-1 {
			m, s := z.lpAt(offs[i])
			if !p.gteMin(m, s) {
				break
			}
			fn(m, s)
			count++
		}
		return count
	}
	i := z.lpFirst(p, offs)
	if i < 0 || offset >= len(offs)-i {
		return 0
	}
	for i += offset; i < len(offs) && limit != 0; i, limit = i+1, limit-1 {
		m, s := z.lpAt(offs[i])
		if !p.lteMax(m, s) {
			break
		}
		fn(m, s)
		count++
	}
	return count
}

// lpSpan returns the index of the first listpack element of the range
// (as zzlFirstInRange finds it) and how many elements from there on stay
// at or below the maximum; offs are the element offsets.
func (z *ZSet) lpSpan(p *rangePred, offs []int) (first, n int) {
	first = z.lpFirst(p, offs)
	if first < 0 {
		return 0, 0
	}
	for i := first; i < len(offs); i++ {
		if !p.lteMax(z.lpAt(offs[i])) {
			break
		}
		n++
	}
	return first, n
}

// lpCount counts the listpack elements in range, like ZCOUNT does.
func (z *ZSet) lpCount(p rangePred) int {
	var stack [128]int
	_, n := z.lpSpan(&p, lpOffsets(z.lp, stack[:0]))
	return n
}

// lpDeleteRange removes the listpack elements in range
// (zzlDeleteRangeByScore/Lex).
func (z *ZSet) lpDeleteRange(p rangePred) int {
	var stack [128]int
	offs := lpOffsets(z.lp, stack[:0])
	first, n := z.lpSpan(&p, offs)
	if n == 0 {
		return 0
	}
	to := len(z.lp)
	if first+n < len(offs) {
		to = offs[first+n]
	}
	z.lp = lpCut(z.lp, offs[first], to)
	z.lpn -= n
	return n
}

// RangeByScore calls fn for the elements whose score is in r, ascending
// (or descending with reverse), skipping the first offset of them and
// stopping after limit (no limit when negative). A negative offset yields
// nothing, as in Redis. It returns the number of elements visited.
func (z *ZSet) RangeByScore(r *ScoreRange, offset, limit int, reverse bool, fn Visit) int {
	if offset < 0 || limit == 0 || (offset > 0 && offset >= z.Len()) {
		return 0
	}
	p := scorePred(r)
	return z.rangeBy(&p, offset, limit, reverse, fn)
}

// RangeByLex is RangeByScore for a member range. Like Redis, it assumes
// that all scores are equal (members then sort by their bytes); otherwise
// the result follows Redis's algorithms, which for a skiplist depend on
// its random levels.
func (z *ZSet) RangeByLex(r *LexRange, offset, limit int, reverse bool, fn Visit) int {
	if offset < 0 || limit == 0 {
		return 0
	}
	p := lexPred(r)
	return z.rangeBy(&p, offset, limit, reverse, fn)
}

// rangeBy is RangeByScore and RangeByLex once the arguments are checked.
func (z *ZSet) rangeBy(p *rangePred, offset, limit int, reverse bool, fn Visit) int {
	if z.sl == nil {
		return z.lpRange(p, offset, limit, reverse, fn)
	}
	sl := z.sl
	count := 0
	if reverse {
		x := sl.lastInRange(p)
		for ; x != nil && offset > 0; offset-- {
			x = x.prev
		}
		for ; x != nil && limit != 0 && p.nodeGteMin(x); limit-- {
			fn(sbytes(x.member), x.score)
			count++
			x = x.prev
		}
		return count
	}
	x := sl.firstInRange(p)
	for ; x != nil && offset > 0; offset-- {
		x = x.next0
	}
	for ; x != nil && limit != 0 && p.nodeLteMax(x); limit-- {
		fn(sbytes(x.member), x.score)
		count++
		x = x.next0
	}
	return count
}

// CountByScore returns the number of elements whose score is in r.
func (z *ZSet) CountByScore(r *ScoreRange) int { return z.countBy(scorePred(r)) }

// CountByLex returns the number of elements whose member is in r.
func (z *ZSet) CountByLex(r *LexRange) int { return z.countBy(lexPred(r)) }

// countBy counts the elements in p from the ranks of the first and last
// (zsetCount, zsetLexCount).
func (z *ZSet) countBy(p rangePred) int {
	if z.sl == nil {
		return z.lpCount(p)
	}
	sl := z.sl
	x := sl.firstInRange(&p)
	if x == nil {
		return 0
	}
	count := sl.length - (sl.rank(x.score, x.member) - 1)
	if y := sl.lastInRange(&p); y != nil {
		count -= sl.length - sl.rank(y.score, y.member)
	}
	return count
}

// DeleteRangeByRank removes the elements with 0-based ranks start..end
// (inclusive; 0 <= start <= end < Len()) and returns how many it removed.
func (z *ZSet) DeleteRangeByRank(start, end int) int {
	if z.sl != nil {
		return z.sl.deleteRangeByRank(start+1, end+1, z.dictDelete)
	}
	from := lpSeek(z.lp, start)
	to := from
	n := 0
	for ; n < end-start+1 && to < len(z.lp); n++ {
		to = lpSkip(z.lp, to)
	}
	z.lp = lpCut(z.lp, from, to)
	z.lpn -= n
	return n
}

// DeleteRangeByScore removes the elements whose score is in r.
func (z *ZSet) DeleteRangeByScore(r *ScoreRange) int {
	return z.deleteBy(scorePred(r))
}

// DeleteRangeByLex removes the elements whose member is in r.
func (z *ZSet) DeleteRangeByLex(r *LexRange) int {
	return z.deleteBy(lexPred(r))
}

// deleteBy removes the elements in p.
func (z *ZSet) deleteBy(p rangePred) int {
	if z.sl != nil {
		return z.sl.deleteRange(&p, z.dictDelete)
	}
	return z.lpDeleteRange(p)
}

// dictDelete removes member from the dict (skiplist range deletions).
func (z *ZSet) dictDelete(member string) { z.dict.Delete(member) }

// Pop removes and returns the element with the lowest score, or the
// highest with max. The set must not be empty.
func (z *ZSet) Pop(max bool) (member string, score float64) {
	if z.sl != nil {
		var x *node
		if max {
			x = z.sl.tail
			z.sl.delete(x.score, x.member)
		} else {
			x = z.sl.unlinkFirst()
		}
		z.dict.Delete(x.member)
		return x.member, x.score
	}
	off := 0
	if max {
		off = lpSeek(z.lp, z.lpn-1)
	}
	m, s, next := lpEntry(z.lp, off)
	member = string(m)
	z.lp = lpCut(z.lp, off, next)
	z.lpn--
	return member, s
}

// Random returns a random element, uniformly chosen (from a fair sample
// of the dict for the skiplist encoding, like dictGetFairRandomKey). The
// set must not be empty. member is valid until z is modified and must not
// be modified.
func (z *ZSet) Random() (member []byte, score float64) {
	if z.sl != nil {
		k, x, _ := z.dict.RandomEntry()
		return sbytes(k), x.score
	}
	m, s, _ := lpEntry(z.lp, lpSeek(z.lp, rand.IntN(z.lpn)))
	return m, s
}

// Scan is one step of ZSCAN: for the skiplist encoding it visits the dict
// bucket(s) at cursor and returns the next cursor (0 when done), with
// Redis's SCAN guarantees; for the listpack encoding it visits every
// element and returns 0.
func (z *ZSet) Scan(cursor uint64, fn Visit) uint64 {
	if z.sl != nil {
		return z.dict.Scan(cursor, func(k string, x *node) { fn(sbytes(k), x.score) })
	}
	for off := 0; off < len(z.lp); {
		m, s, next := lpEntry(z.lp, off)
		fn(m, s)
		off = next
	}
	return 0
}

// Clone returns a deep copy of z with the same encoding. Member strings of
// a skiplist are immutable and shared with the copy.
func (z *ZSet) Clone() *ZSet {
	if z.sl == nil {
		return &ZSet{lp: append([]byte(nil), z.lp...), lpn: z.lpn}
	}
	c := NewSkiplist(z.sl.length)
	// From the greatest to the smallest, so that every insertion stops at
	// the head (zsetDup).
	for x := z.sl.tail; x != nil; x = x.prev {
		c.dict.Set(x.member, c.sl.insert(x.score, x.member))
	}
	return c
}

// MaxMemberLen returns the length of the longest member.
func (z *ZSet) MaxMemberLen() int {
	n := 0
	z.Range(false, func(m []byte, _ float64) { n = max(n, len(m)) })
	return n
}

// Each calls fn for every element in ascending order until fn returns
// false.
func (z *ZSet) Each(fn func(member []byte, score float64) bool) {
	if z.sl != nil {
		for x := z.sl.first(); x != nil; x = x.next0 {
			if !fn(sbytes(x.member), x.score) {
				return
			}
		}
		return
	}
	for off := 0; off < len(z.lp); {
		m, s, next := lpEntry(z.lp, off)
		if !fn(m, s) {
			return
		}
		off = next
	}
}
