package command

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
	setval "github.com/redis-clone/redis-clone/internal/set"
)

// The set commands (Redis's t_set.c). Values are *setval.Set in an Object of
// keyspace.TypeSet: an intset while small and all-integer, else a
// hashtable (see internal/set).

var _ = register(
	setCmd("sadd", -3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, saddCommand, "1.0.0", "Add one or more members to a set"),
	setCmd("srem", -3, core.FlagWrite|core.FlagFast, 1, 1, 1, sremCommand, "1.0.0", "Remove one or more members from a set"),
	setCmd("smove", 4, core.FlagWrite|core.FlagFast, 1, 2, 1, smoveCommand, "1.0.0", "Move a member from one set to another"),
	setCmd("sismember", 3, core.FlagReadOnly|core.FlagFast, 1, 1, 1, sismemberCommand, "1.0.0", "Determine if a given value is a member of a set"),
	setCmd("smismember", -3, core.FlagReadOnly|core.FlagFast, 1, 1, 1, smismemberCommand, "6.2.0", "Returns the membership associated with the given elements for a set"),
	setCmd("scard", 2, core.FlagReadOnly|core.FlagFast, 1, 1, 1, scardCommand, "1.0.0", "Get the number of members in a set"),
	setCmd("spop", -2, core.FlagWrite|core.FlagFast, 1, 1, 1, spopCommand, "1.0.0", "Remove and return one or multiple random members from a set"),
	setCmd("srandmember", -2, core.FlagReadOnly, 1, 1, 1, srandmemberCommand, "1.0.0", "Get one or multiple random members from a set"),
	setCmd("smembers", 2, core.FlagReadOnly, 1, 1, 1, sinterCommand, "1.0.0", "Get all the members in a set"),
	setCmd("sinter", -2, core.FlagReadOnly, 1, -1, 1, sinterCommand, "1.0.0", "Intersect multiple sets"),
	withKeys(setCmd("sintercard", -3, core.FlagReadOnly, 0, 0, 0, sintercardCommand, "7.0.0", "Intersect multiple sets and return the cardinality of the result"), sintercardKeys),
	setCmd("sinterstore", -3, core.FlagWrite|core.FlagDenyOOM, 1, -1, 1, sinterstoreCommand, "1.0.0", "Intersect multiple sets and store the resulting set in a key"),
	setCmd("sunion", -2, core.FlagReadOnly, 1, -1, 1, sunionCommand, "1.0.0", "Add multiple sets"),
	setCmd("sunionstore", -3, core.FlagWrite|core.FlagDenyOOM, 1, -1, 1, sunionstoreCommand, "1.0.0", "Add multiple sets and store the resulting set in a key"),
	setCmd("sdiff", -2, core.FlagReadOnly, 1, -1, 1, sdiffCommand, "1.0.0", "Subtract multiple sets"),
	setCmd("sdiffstore", -3, core.FlagWrite|core.FlagDenyOOM, 1, -1, 1, sdiffstoreCommand, "1.0.0", "Subtract multiple sets and store the resulting set in a key"),
	setCmd("sscan", -3, core.FlagReadOnly, 1, 1, 1, sscanCommand, "2.8.0", "Incrementally iterate Set elements"),
)

// setCmd builds a command of the "set" group.
func setCmd(name string, arity int, flags core.Flag, first, last, step int, h core.Handler, since, summary string) *core.Command {
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: first, LastKey: last, Step: step,
		Handler: h, Group: "set", Since: since, Summary: summary, Categories: []string{"set"}}
}

// withKeys sets a command's key finder.
func withKeys(c *core.Command, fn func(args [][]byte) []int) *core.Command {
	c.KeysFunc = fn
	return c
}

// sintercardKeys finds SINTERCARD's keys: numkeys of them after numkeys.
func sintercardKeys(args [][]byte) []int {
	if len(args) < 3 {
		return nil
	}
	n, ok := numfmt.ParseInt(args[1])
	if !ok || n < 1 || n > int64(len(args)-2) {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = 2 + i
	}
	return out
}

var bSREM = []byte("SREM")

// maxIntset returns set-max-intset-entries.
func maxIntset(ctx *core.Ctx) int { return ctx.Srv.Config.SetMaxIntsetEntries }

// setOf returns the set held by o.
func setOf(o *keyspace.Object) *setval.Set { return o.Val.(*setval.Set) }

// readSet looks key up for reading. It returns the set (nil when the key
// is missing) and false after replying WRONGTYPE for another type.
func readSet(ctx *core.Ctx, key []byte) (*setval.Set, bool) {
	return readTyped[*setval.Set](ctx, key, keyspace.TypeSet)
}

// writeSet looks key up for a write, like readSet.
func writeSet(ctx *core.Ctx, key []byte) (*setval.Set, bool) {
	o := ctx.DB.LookupWrite(key)
	if o == nil {
		return nil, true
	}
	if o.Type != keyspace.TypeSet {
		ctx.WrongType()
		return nil, false
	}
	return setOf(o), true
}

// writeMember replies m as a bulk string.
func writeMember(w *resp.Writer, m setval.Member) {
	if m.IsInt {
		w.BulkInt(m.Int)
	} else {
		w.BulkString(m.Str)
	}
}

// writeSetMembers replies every member of s as a set (RESP3 '~').
func writeSetMembers(w *resp.Writer, s *setval.Set) {
	w.SetLen(s.Len())
	s.Range(func(m setval.Member) bool {
		writeMember(w, m)
		return true
	})
}

// memberBytes returns m's bytes in a fresh slice (for propagation).
func memberBytes(m setval.Member) []byte { return m.Append(nil) }

// emptySet replies an empty set: "*0" in RESP2, "~0" in RESP3.
func emptySet(w *resp.Writer) { w.SetLen(0) }

// saddCommand implements SADD key member [member ...].
func saddCommand(ctx *core.Ctx) {
	key := ctx.Args[1]
	s, ok := writeSet(ctx, key)
	if !ok {
		return
	}
	if s == nil {
		s = setval.NewFor(ctx.Args[2])
		ctx.DB.Add(key, keyspace.NewSet(s))
	}
	limit := maxIntset(ctx)
	added := 0
	for _, m := range ctx.Args[2:] {
		if s.Add(m, limit) {
			added++
		}
	}
	if added > 0 {
		ctx.DB.Modified(key)
		ctx.Notify(nSet, "sadd", key)
	}
	ctx.Dirty(added)
	ctx.W.Int(int64(added))
}

// sremCommand implements SREM key member [member ...].
func sremCommand(ctx *core.Ctx) {
	key := ctx.Args[1]
	s, ok := writeSet(ctx, key)
	if !ok {
		return
	}
	if s == nil {
		ctx.W.Int(0)
		return
	}
	removeMembers(ctx, key, ctx.Args[2:], s.Remove, s.Len, nSet, "srem")
}

// smoveCommand implements SMOVE source destination member.
func smoveCommand(ctx *core.Ctx) {
	srcKey, dstKey, ele := ctx.Args[1], ctx.Args[2], ctx.Args[3]
	db := ctx.DB
	src := db.LookupWrite(srcKey)
	dst := db.LookupWrite(dstKey)
	if src == nil {
		ctx.W.Int(0)
		return
	}
	if src.Type != keyspace.TypeSet || (dst != nil && dst.Type != keyspace.TypeSet) {
		ctx.WrongType()
		return
	}
	srcSet := setOf(src)
	if src == dst {
		ctx.W.Int(b2i(srcSet.Contains(ele)))
		return
	}
	if !srcSet.Remove(ele) {
		ctx.W.Int(0)
		return
	}
	ctx.Notify(nSet, "srem", srcKey)
	if srcSet.Len() == 0 {
		db.Delete(srcKey)
		ctx.Notify(nGeneric, "del", srcKey)
	} else {
		db.Modified(srcKey)
	}
	var dstSet *setval.Set
	if dst == nil {
		dstSet = setval.NewFor(ele)
		db.Add(dstKey, keyspace.NewSet(dstSet))
	} else {
		dstSet = setOf(dst)
	}
	ctx.Dirty(1)
	if dstSet.Add(ele, maxIntset(ctx)) {
		ctx.Dirty(1)
		db.Modified(dstKey)
		ctx.Notify(nSet, "sadd", dstKey)
	}
	ctx.W.Int(1)
}

// b2i returns 1 for true and 0 for false.
func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// sismemberCommand implements SISMEMBER key member.
func sismemberCommand(ctx *core.Ctx) {
	s, ok := readSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	ctx.W.Int(b2i(s != nil && s.Contains(ctx.Args[2])))
}

// smismemberCommand implements SMISMEMBER key member [member ...]: an array
// of integers, all zero for a missing key.
func smismemberCommand(ctx *core.Ctx) {
	s, ok := readSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	ctx.W.ArrayLen(len(ctx.Args) - 2)
	for _, m := range ctx.Args[2:] {
		ctx.W.Int(b2i(s != nil && s.Contains(m)))
	}
}

// scardCommand implements SCARD key.
func scardCommand(ctx *core.Ctx) {
	s, ok := readSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if s == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(s.Len()))
}

// spopCommand implements SPOP key [count]. The effect is propagated as
// SREM of the popped members (or DEL when all were popped), as Redis does.
func spopCommand(ctx *core.Ctx) {
	if len(ctx.Args) == 3 {
		spopWithCount(ctx)
		return
	}
	if len(ctx.Args) > 3 {
		ctx.Error(rerr.Syntax)
		return
	}
	key := ctx.Args[1]
	s, ok := writeSet(ctx, key)
	if !ok {
		return
	}
	if s == nil {
		ctx.W.Null()
		return
	}
	m, _ := s.Random()
	s.RemoveMember(m)
	ctx.Notify(nSet, "spop", key)
	ctx.Propagate(bSREM, key, memberBytes(m))
	writeMember(ctx.W, m)
	if s.Len() == 0 {
		ctx.DB.Delete(key)
		ctx.Notify(nGeneric, "del", key)
	} else {
		ctx.DB.Modified(key)
	}
	ctx.Dirty(1)
}

// spopMoveStrategyMul is SPOP_MOVE_STRATEGY_MUL: when the members left
// after the pop are fewer than count/5, the set is rebuilt from them.
const spopMoveStrategyMul = 5

// spopWithCount is spopWithCountCommand.
func spopWithCount(ctx *core.Ctx) {
	count, ok := numfmt.ParseInt(ctx.Args[2])
	if !ok || count < 0 {
		ctx.Error(rerr.OutOfRangePos)
		return
	}
	key := ctx.Args[1]
	o := ctx.DB.LookupWrite(key)
	if o == nil {
		emptySet(ctx.W)
		return
	}
	if o.Type != keyspace.TypeSet {
		ctx.WrongType()
		return
	}
	if count == 0 {
		emptySet(ctx.W)
		return
	}
	s := setOf(o)
	size := int64(s.Len())
	w := ctx.W
	ctx.Notify(nSet, "spop", key)

	// Case 1: everything goes; propagated as DEL.
	if count >= size {
		ctx.Dirty(int(size))
		writeSetMembers(w, s)
		ctx.DB.Delete(key)
		ctx.Notify(nGeneric, "del", key)
		ctx.Propagate(bDEL, key)
		return
	}
	ctx.Dirty(int(count))
	remaining := size - count
	w.SetLen(int(count))
	if remaining*spopMoveStrategyMul > count {
		// Case 2: pop count random members one by one.
		for ; count > 0; count-- {
			m, _ := s.Random()
			writeMember(w, m)
			s.RemoveMember(m)
			ctx.Propagate(bSREM, key, memberBytes(m))
		}
	} else {
		// Case 3: move the members that stay into a new set, reply what
		// is left of the old one, and store the new set in its place.
		limit := maxIntset(ctx)
		var kept *setval.Set
		for ; remaining > 0; remaining-- {
			m, _ := s.Random()
			if kept == nil {
				kept = setval.NewForMember(m)
			}
			kept.AddMember(m, limit)
			s.RemoveMember(m)
		}
		s.Range(func(m setval.Member) bool {
			writeMember(w, m)
			ctx.Propagate(bSREM, key, memberBytes(m))
			return true
		})
		o.Val = kept
	}
	ctx.DB.Modified(key)
}

// srandmemberSubStrategyMul is SRANDMEMBER_SUB_STRATEGY_MUL.
const srandmemberSubStrategyMul = 3

// srandmemberCommand implements SRANDMEMBER key [count].
func srandmemberCommand(ctx *core.Ctx) {
	if len(ctx.Args) == 3 {
		srandmemberWithCount(ctx)
		return
	}
	if len(ctx.Args) > 3 {
		ctx.Error(rerr.Syntax)
		return
	}
	s, ok := readSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if s == nil {
		ctx.W.Null()
		return
	}
	m, _ := s.Random()
	writeMember(ctx.W, m)
}

// srandmemberWithCount is srandmemberWithCountCommand: a negative count
// may repeat members, a positive one returns distinct members.
func srandmemberWithCount(ctx *core.Ctx) {
	l, ok := numfmt.ParseInt(ctx.Args[2])
	if !ok {
		ctx.Error(rerr.NotInteger)
		return
	}
	if l == math.MinInt64 {
		ctx.Error(rerr.SrandmemberRange)
		return
	}
	uniq := l >= 0
	count := l
	if !uniq {
		count = -l
	}
	s, ok := readSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	w := ctx.W
	if s == nil || count == 0 {
		w.ArrayLen(0)
		return
	}
	size := int64(s.Len())

	// Case 1: repeats allowed (or a single member).
	if !uniq || count == 1 {
		w.ArrayLen(int(count))
		start := w.Len()
		for ; count > 0; count-- {
			m, _ := s.Random()
			writeMember(w, m)
			if stopLongReply(ctx, start) {
				break
			}
		}
		return
	}

	// Case 2: the whole set.
	if count >= size {
		w.ArrayLen(int(size))
		s.Range(func(m setval.Member) bool {
			writeMember(w, m)
			return true
		})
		return
	}

	var picked []setval.Member
	if count*srandmemberSubStrategyMul > size {
		// Case 3: copy the set and drop random members down to count.
		picked = make([]setval.Member, 0, size)
		s.Range(func(m setval.Member) bool {
			picked = append(picked, m)
			return true
		})
		for n := size; n > count; n-- {
			i := rand.IntN(int(n))
			picked[i] = picked[n-1]
			picked = picked[:n-1]
		}
	} else {
		// Case 4: sample until count distinct members were seen.
		seen := make(map[setval.Member]struct{}, count)
		picked = make([]setval.Member, 0, count)
		for int64(len(picked)) < count {
			m, _ := s.Random()
			if _, dup := seen[m]; dup {
				continue
			}
			seen[m] = struct{}{}
			picked = append(picked, m)
		}
	}
	w.ArrayLen(len(picked))
	for _, m := range picked {
		writeMember(w, m)
	}
}

// collectSets looks up keys as sets for SINTER/SUNION/SDIFF. Missing keys
// are nil entries. It returns false after replying WRONGTYPE.
func collectSets(ctx *core.Ctx, keys [][]byte) ([]*setval.Set, bool) {
	sets := make([]*setval.Set, len(keys))
	for i, k := range keys {
		s, ok := readSet(ctx, k)
		if !ok {
			return nil, false
		}
		sets[i] = s
	}
	return sets, true
}

// storeSetResult stores a computed set at dst (replacing any value and
// TTL), or deletes dst when the result is empty, and replies its size;
// event is the keyspace event of a store.
func storeSetResult(ctx *core.Ctx, dst []byte, s *setval.Set, event string) {
	storeResult(ctx, dst, keyspace.NewSet(s), s.Len(), nSet, event, 1)
}

func sinterCommand(ctx *core.Ctx) { sinterGeneric(ctx, ctx.Args[1:], nil, false, 0) }

func sinterstoreCommand(ctx *core.Ctx) { sinterGeneric(ctx, ctx.Args[2:], ctx.Args[1], false, 0) }

// sintercardCommand implements SINTERCARD numkeys key [key ...] [LIMIT n].
func sintercardCommand(ctx *core.Ctx) {
	args := ctx.Args
	numkeys, ok := numfmt.ParseInt(args[1])
	if !ok || numkeys < 1 {
		ctx.Error(rerr.NumkeysPositive)
		return
	}
	if numkeys > int64(len(args)-2) {
		ctx.Error(rerr.NumkeysTooMany)
		return
	}
	var limit int64
	for j := 2 + int(numkeys); j < len(args); j++ {
		if optIs(args[j], "LIMIT") && j+1 < len(args) {
			j++
			n, ok := numfmt.ParseInt(args[j])
			if !ok || n < 0 {
				ctx.Error(rerr.LimitNegative)
				return
			}
			limit = n
			continue
		}
		ctx.Error(rerr.Syntax)
		return
	}
	sinterGeneric(ctx, args[2:2+numkeys], nil, true, limit)
}

// sinterGeneric is sinterGenericCommand: SINTER and SMEMBERS (dst nil),
// SINTERSTORE (dst set) and SINTERCARD (cardOnly, stopping at limit when
// it is positive).
func sinterGeneric(ctx *core.Ctx, keys [][]byte, dst []byte, cardOnly bool, limit int64) {
	sets, ok := collectSets(ctx, keys)
	if !ok {
		return
	}
	w := ctx.W
	for _, s := range sets {
		if s == nil {
			switch {
			case dst != nil:
				if ctx.DB.Delete(dst) {
					ctx.Dirty(1)
					ctx.Notify(nGeneric, "del", dst)
				}
				w.Int(0)
			case cardOnly:
				w.Int(0)
			default:
				emptySet(w)
			}
			return
		}
	}
	// Smallest set first: fewer membership tests.
	slices.SortStableFunc(sets, func(a, b *setval.Set) int { return cmp.Compare(a.Len(), b.Len()) })

	if dst == nil && !cardOnly && len(sets) == 1 {
		writeSetMembers(w, sets[0]) // SMEMBERS
		return
	}
	var out *setval.Set
	var h int
	if dst != nil {
		out = setval.New()
	} else if !cardOnly {
		h = w.DeferLen()
	}
	limitIntset := maxIntset(ctx)
	var card int64
	sets[0].Range(func(m setval.Member) bool {
		for _, other := range sets[1:] {
			if other != sets[0] && !other.ContainsMember(m) {
				return true
			}
		}
		switch {
		case cardOnly:
			card++
			if limit > 0 && card >= limit {
				return false
			}
		case dst == nil:
			writeMember(w, m)
			card++
		default:
			out.AddMember(m, limitIntset)
		}
		return true
	})
	switch {
	case cardOnly:
		w.Int(card)
	case dst != nil:
		storeSetResult(ctx, dst, out, "sinterstore")
	default:
		w.SetDeferredSetLen(h, int(card))
	}
}

func sunionCommand(ctx *core.Ctx) { sunionDiffGeneric(ctx, ctx.Args[1:], nil, false) }

func sunionstoreCommand(ctx *core.Ctx) { sunionDiffGeneric(ctx, ctx.Args[2:], ctx.Args[1], false) }

func sdiffCommand(ctx *core.Ctx) { sunionDiffGeneric(ctx, ctx.Args[1:], nil, true) }

func sdiffstoreCommand(ctx *core.Ctx) { sunionDiffGeneric(ctx, ctx.Args[2:], ctx.Args[1], true) }

// sunionDiffGeneric is sunionDiffGenericCommand: the union or difference
// of the sets at keys (missing keys are empty), replied as a set or stored
// at dst. The result is built like Redis's, starting from an intset, so a
// stored result gets the encoding Redis would give it.
func sunionDiffGeneric(ctx *core.Ctx, keys [][]byte, dst []byte, diff bool) {
	sets, ok := collectSets(ctx, keys)
	if !ok {
		return
	}
	sameset := false
	for _, s := range sets[1:] {
		if s != nil && s == sets[0] {
			sameset = true
		}
	}
	out := setval.New()
	limit := maxIntset(ctx)
	switch {
	case !diff:
		for _, s := range sets {
			if s == nil {
				continue
			}
			s.Range(func(m setval.Member) bool {
				out.AddMember(m, limit)
				return true
			})
		}
	case sameset || sets[0] == nil:
		// A set minus itself (or nothing minus anything) is empty.
	default:
		// Algorithm 1 (test each member of the first set against the
		// others, O(N*M)) unless algorithm 2 (copy the first set, remove
		// the others' members, O(total)) is clearly cheaper.
		var work1, work2 int64
		for _, s := range sets {
			if s != nil {
				work1 += int64(sets[0].Len())
				work2 += int64(s.Len())
			}
		}
		if work1/2 <= work2 {
			others := make([]*setval.Set, 0, len(sets)-1)
			for _, s := range sets[1:] {
				if s != nil {
					others = append(others, s)
				}
			}
			// Biggest first: members found early are rejected early.
			slices.SortStableFunc(others, func(a, b *setval.Set) int { return cmp.Compare(b.Len(), a.Len()) })
			sets[0].Range(func(m setval.Member) bool {
				for _, s := range others {
					if s.ContainsMember(m) {
						return true
					}
				}
				out.AddMember(m, limit)
				return true
			})
		} else {
			sets[0].Range(func(m setval.Member) bool {
				out.AddMember(m, limit)
				return true
			})
			for _, s := range sets[1:] {
				if s == nil {
					continue
				}
				s.Range(func(m setval.Member) bool {
					out.RemoveMember(m)
					return out.Len() > 0
				})
				if out.Len() == 0 {
					break
				}
			}
		}
	}
	if dst != nil {
		event := "sunionstore"
		if diff {
			event = "sdiffstore"
		}
		storeSetResult(ctx, dst, out, event)
		return
	}
	writeSetMembers(ctx.W, out)
}

// sscanCommand implements SSCAN key cursor [MATCH pattern] [COUNT count].
func sscanCommand(ctx *core.Ctx) {
	cursor, ok := parseScanCursor(ctx, ctx.Args[2])
	if !ok {
		return
	}
	s, ok := readSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	w := ctx.W
	if s == nil {
		writeEmptyScan(w)
		return
	}
	opt, ok := parseScanOptions(ctx, 3, false)
	if !ok {
		return
	}

	var members []setval.Member
	collect := func(m setval.Member) { members = append(members, m) }
	if s.IsIntset() {
		cursor = s.Scan(0, collect)
	} else {
		cursor = scanTable(cursor, opt.count, 1,
			func(c uint64) uint64 { return s.Scan(c, collect) },
			func() int64 { return int64(len(members)) })
	}
	w.ArrayLen(2)
	w.BulkInt(int64(cursor))
	h := w.DeferLen()
	n := 0
	var buf []byte
	for _, m := range members {
		if opt.usePat {
			buf = m.Append(buf[:0])
			if !opt.matches(buf) {
				continue
			}
		}
		writeMember(w, m)
		n++
	}
	w.SetDeferredArrayLen(h, n)
}
