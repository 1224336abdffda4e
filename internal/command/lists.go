package command

import (
	"bytes"
	"math"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/quicklist"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// The list commands (Redis's t_list.c), blocking ones included. Values are
// *quicklist.List in an Object of keyspace.TypeList; a list that becomes
// empty is deleted. Redis 7.0 has one list encoding, "quicklist".

var _ = register(
	listCmd("lpush", -3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, lpushCommand, "1.0.0", "Prepend one or multiple elements to a list"),
	listCmd("rpush", -3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, rpushCommand, "1.0.0", "Append one or multiple elements to a list"),
	listCmd("lpushx", -3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, lpushxCommand, "2.2.0", "Prepend an element to a list, only if the list exists"),
	listCmd("rpushx", -3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, rpushxCommand, "2.2.0", "Append an element to a list, only if the list exists"),
	listCmd("lpop", -2, core.FlagWrite|core.FlagFast, 1, 1, lpopCommand, "1.0.0", "Remove and get the first elements in a list"),
	listCmd("rpop", -2, core.FlagWrite|core.FlagFast, 1, 1, rpopCommand, "1.0.0", "Remove and get the last elements in a list"),
	listCmd("llen", 2, core.FlagReadOnly|core.FlagFast, 1, 1, llenCommand, "1.0.0", "Get the length of a list"),
	listCmd("lrange", 4, core.FlagReadOnly, 1, 1, lrangeCommand, "1.0.0", "Get a range of elements from a list"),
	listCmd("lindex", 3, core.FlagReadOnly, 1, 1, lindexCommand, "1.0.0", "Get an element from a list by its index"),
	listCmd("lset", 4, core.FlagWrite|core.FlagDenyOOM, 1, 1, lsetCommand, "1.0.0", "Set the value of an element in a list by its index"),
	listCmd("linsert", 5, core.FlagWrite|core.FlagDenyOOM, 1, 1, linsertCommand, "2.2.0", "Insert an element before or after another element in a list"),
	listCmd("lrem", 4, core.FlagWrite, 1, 1, lremCommand, "1.0.0", "Remove elements from a list"),
	listCmd("ltrim", 4, core.FlagWrite, 1, 1, ltrimCommand, "1.0.0", "Trim a list to the specified range"),
	listCmd("lpos", -3, core.FlagReadOnly, 1, 1, lposCommand, "6.0.6", "Return the index of matching elements on a list"),
	listCmd("rpoplpush", 3, core.FlagWrite|core.FlagDenyOOM, 1, 2, rpoplpushCommand, "1.2.0", "Remove the last element in a list, prepend it to another list and return it"),
	listCmd("lmove", 5, core.FlagWrite|core.FlagDenyOOM, 1, 2, lmoveCommand, "6.2.0", "Pop an element from a list, push it to another list and return it"),
	listKeys(listCmd("lmpop", -4, core.FlagWrite, 0, 0, lmpopCommand, "7.0.0", "Pop elements from a list"), 1),
	listCmd("blpop", -3, core.FlagWrite|core.FlagNoScript|core.FlagBlocking, 1, -2, blpopCommand, "2.0.0", "Remove and get the first element in a list, or block until one is available"),
	listCmd("brpop", -3, core.FlagWrite|core.FlagNoScript|core.FlagBlocking, 1, -2, brpopCommand, "2.0.0", "Remove and get the last element in a list, or block until one is available"),
	listCmd("brpoplpush", 4, core.FlagWrite|core.FlagDenyOOM|core.FlagNoScript|core.FlagBlocking, 1, 2, brpoplpushCommand, "2.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available"),
	listCmd("blmove", 6, core.FlagWrite|core.FlagDenyOOM|core.FlagNoScript|core.FlagBlocking, 1, 2, blmoveCommand, "6.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available"),
	listKeys(listCmd("blmpop", -5, core.FlagWrite|core.FlagBlocking, 0, 0, blmpopCommand, "7.0.0", "Pop elements from a list or block until one is available"), 2),
)

func init() {
	keyspace.CloneValue[keyspace.TypeList] = func(v any) any { return v.(*quicklist.List).Clone() }
	keyspace.EncodingOf[keyspace.TypeList] = func(any) string { return "quicklist" }
}

// listCmd builds a command of the "list" group.
func listCmd(name string, arity int, flags core.Flag, first, last int, h core.Handler, since, summary string) *core.Command {
	step := 1
	if first == 0 {
		step = 0
	}
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: first, LastKey: last, Step: step,
		Handler: h, Group: "list", Since: since, Summary: summary, Categories: []string{"list"}}
}

// listKeys gives LMPOP (numkeys at 1) and BLMPOP (numkeys at 2) their key
// finder: numkeys keys after the numkeys argument.
func listKeys(c *core.Command, numkeysIdx int) *core.Command {
	c.KeysFunc = func(args [][]byte) []int {
		if len(args) <= numkeysIdx {
			return nil
		}
		n, ok := numfmt.ParseInt(args[numkeysIdx])
		if !ok || n < 1 || n > int64(len(args)-numkeysIdx-1) {
			return nil
		}
		out := make([]int, n)
		for i := range out {
			out[i] = numkeysIdx + 1 + i
		}
		return out
	}
	return c
}

// Ends of a list.
const (
	listHead = iota
	listTail
)

var (
	bLPOP      = []byte("LPOP")
	bRPOP      = []byte("RPOP")
	bLMOVE     = []byte("LMOVE")
	bRPOPLPUSH = []byte("RPOPLPUSH")
	bLeft      = []byte("left")
	bRight     = []byte("right")
)

// popName returns LPOP or RPOP, the propagated form of a pop at where.
func popName(where int) []byte {
	if where == listHead {
		return bLPOP
	}
	return bRPOP
}

// listOf returns the list held by o.
func listOf(o *keyspace.Object) *quicklist.List { return o.Val.(*quicklist.List) }

// newListObject returns an empty list object filled by the configured
// list-max-listpack-size.
func newListObject(ctx *core.Ctx) *keyspace.Object {
	return &keyspace.Object{Type: keyspace.TypeList, Val: quicklist.New(ctx.Srv.Config.ListMaxListpackSize)}
}

// lookupListWrite looks key up for a write: the object (nil when missing)
// and false after replying WRONGTYPE for another type.
func lookupListWrite(ctx *core.Ctx, key []byte) (*keyspace.Object, bool) {
	o := ctx.DB.LookupWrite(key)
	if o != nil && o.Type != keyspace.TypeList {
		ctx.WrongType()
		return nil, false
	}
	return o, true
}

// lookupListRead is lookupListWrite for reading (counts a hit or miss).
func lookupListRead(ctx *core.Ctx, key []byte) (*keyspace.Object, bool) {
	o := ctx.DB.Lookup(key)
	if o != nil && o.Type != keyspace.TypeList {
		ctx.WrongType()
		return nil, false
	}
	return o, true
}

// listLong parses argument i as a Redis long (getLongFromObjectOrReply),
// replying msg (or the standard error when msg is "") on failure.
func listLong(ctx *core.Ctx, i int, msg string) (int64, bool) {
	n, ok := numfmt.ParseInt(ctx.Args[i])
	if !ok {
		if msg == "" {
			msg = rerr.NotInteger
		}
		ctx.Error(msg)
	}
	return n, ok
}

// listRangeLong is getRangeLongFromObjectOrReply(min, LONG_MAX, msg).
func listRangeLong(ctx *core.Ctx, i int, lo int64, msg string) (int64, bool) {
	n, ok := listLong(ctx, i, msg)
	if ok && n < lo {
		ctx.Error(msg)
		return 0, false
	}
	return n, ok
}

// listPosition parses LEFT or RIGHT (any case), replying a syntax error.
func listPosition(ctx *core.Ctx, i int) (int, bool) {
	switch {
	case bytes.EqualFold(ctx.Args[i], []byte("left")):
		return listHead, true
	case bytes.EqualFold(ctx.Args[i], []byte("right")):
		return listTail, true
	}
	ctx.Error(rerr.Syntax)
	return 0, false
}

// positionName is the propagated name of a list end ("left"/"right").
func positionName(where int) []byte {
	if where == listHead {
		return bLeft
	}
	return bRight
}

// listPush pushes v at where.
func listPush(l *quicklist.List, v []byte, where int) {
	if where == listHead {
		l.PushFront(v)
	} else {
		l.PushBack(v)
	}
}

// listPop pops at where; the slice aliases the list.
func listPop(l *quicklist.List, where int) ([]byte, bool) {
	if where == listHead {
		return l.PopFront()
	}
	return l.PopBack()
}

// ---- push ----

func lpushCommand(ctx *core.Ctx)  { pushGeneric(ctx, listHead, false) }
func rpushCommand(ctx *core.Ctx)  { pushGeneric(ctx, listTail, false) }
func lpushxCommand(ctx *core.Ctx) { pushGeneric(ctx, listHead, true) }
func rpushxCommand(ctx *core.Ctx) { pushGeneric(ctx, listTail, true) }

// pushGeneric is LPUSH/RPUSH/LPUSHX/RPUSHX; xx pushes only to an existing
// list.
func pushGeneric(ctx *core.Ctx, where int, xx bool) {
	key := ctx.Args[1]
	o, ok := lookupListWrite(ctx, key)
	if !ok {
		return
	}
	if o == nil {
		if xx {
			ctx.W.Int(0)
			return
		}
		o = newListObject(ctx)
		ctx.DB.Add(key, o)
	}
	l := listOf(o)
	for _, v := range ctx.Args[2:] {
		listPush(l, v, where)
	}
	ctx.Dirty(len(ctx.Args) - 2)
	ctx.W.Int(int64(l.Len()))
	ctx.DB.Modified(key)
	ctx.Notify(nList, pushEvent(where), key)
}

// pushEvent and popEvent are the keyspace events of a push or pop at where.
func pushEvent(where int) string {
	if where == listHead {
		return "lpush"
	}
	return "rpush"
}

func popEvent(where int) string {
	if where == listHead {
		return "lpop"
	}
	return "rpop"
}

// ---- pop ----

func lpopCommand(ctx *core.Ctx) { popGeneric(ctx, listHead) }
func rpopCommand(ctx *core.Ctx) { popGeneric(ctx, listTail) }

// popGeneric is LPOP/RPOP key [count].
func popGeneric(ctx *core.Ctx, where int) {
	args := ctx.Args
	if len(args) > 3 {
		ctx.Errorf(rerr.WrongArity, ctx.Cmd.Name)
		return
	}
	hasCount := len(args) == 3
	var count int64
	if hasCount {
		var ok bool
		if count, ok = listRangeLong(ctx, 2, 0, rerr.OutOfRangePos); !ok {
			return
		}
	}
	o, ok := lookupListWrite(ctx, args[1])
	if !ok {
		return
	}
	if o == nil {
		if hasCount {
			ctx.W.NullArray()
		} else {
			ctx.W.Null()
		}
		return
	}
	if hasCount && count == 0 {
		ctx.W.ArrayLen(0)
		return
	}
	l := listOf(o)
	if !hasCount {
		v, _ := listPop(l, where)
		ctx.W.Bulk(v)
		listElementsRemoved(ctx, args[1], l, where, 1)
		return
	}
	n := listReplyPopRange(ctx, l, where, count)
	listElementsRemoved(ctx, args[1], l, where, n)
}

// listReplyPopRange replies with (and removes) up to count elements from
// where, nearest first, and returns how many.
func listReplyPopRange(ctx *core.Ctx, l *quicklist.List, where int, count int64) int {
	n := l.Len()
	if count < int64(n) {
		n = int(count)
	}
	start := 0
	if where == listTail {
		start = -1
	}
	ctx.W.ArrayLen(n)
	left := n
	l.Range(start, where == listTail, func(_ int, v []byte) bool {
		ctx.W.Bulk(v)
		left--
		return left > 0
	})
	if where == listHead {
		l.DeleteRange(0, n)
	} else {
		l.DeleteRange(-n, n)
	}
	return n
}

// listElementsRemoved does the bookkeeping after n elements were popped
// from the list at key: the key goes when the list is empty, the change is
// signalled, notified and counted.
func listElementsRemoved(ctx *core.Ctx, key []byte, l *quicklist.List, where, n int) {
	ctx.Notify(nList, popEvent(where), key)
	if l.Len() == 0 {
		ctx.DB.Delete(key)
		ctx.Notify(nGeneric, "del", key)
	} else {
		ctx.DB.Modified(key)
	}
	ctx.Dirty(n)
}

// listPopRangeWithKey replies [key, [elements…]] popping up to count
// elements from where (LMPOP, BLMPOP) and propagates the effect as
// LPOP/RPOP key n.
func listPopRangeWithKey(ctx *core.Ctx, key []byte, l *quicklist.List, where int, count int64) {
	ctx.W.ArrayLen(2)
	ctx.W.Bulk(key)
	n := listReplyPopRange(ctx, l, where, count)
	listElementsRemoved(ctx, key, l, where, n)
	ctx.Propagate(popName(where), append([]byte(nil), key...), []byte(strconv.Itoa(n)))
}

// ---- read ----

func llenCommand(ctx *core.Ctx) {
	o, ok := lookupListRead(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if o == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(listOf(o).Len()))
}

func lindexCommand(ctx *core.Ctx) {
	o, ok := lookupListRead(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if o == nil {
		ctx.W.Null()
		return
	}
	idx, ok := listLong(ctx, 2, "")
	if !ok {
		return
	}
	if v, ok := listOf(o).Index(int(idx)); ok {
		ctx.W.Bulk(v)
	} else {
		ctx.W.Null()
	}
}

func lrangeCommand(ctx *core.Ctx) {
	start, ok := listLong(ctx, 2, "")
	if !ok {
		return
	}
	end, ok := listLong(ctx, 3, "")
	if !ok {
		return
	}
	o, ok := lookupListRead(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if o == nil {
		ctx.W.ArrayLen(0)
		return
	}
	listReplyRange(ctx, listOf(o), start, end)
}

// rankRange resolves an inclusive index range over a sequence of llen
// elements the way Redis's range commands do (LRANGE, LTRIM, ZRANGE,
// ZREMRANGEBYRANK): negative indexes count from the end, start is
// clamped at 0 and end at the last element. ok is false when the range
// is empty.
func rankRange(start, end, llen int64) (int64, int64, bool) {
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= llen {
		return 0, 0, false
	}
	return start, min(end, llen-1), true
}

// listReplyRange is addListRangeReply without reverse: the elements from
// start to end inclusive, negative indexes counting from the tail.
func listReplyRange(ctx *core.Ctx, l *quicklist.List, start, end int64) {
	start, end, ok := rankRange(start, end, int64(l.Len()))
	if !ok {
		ctx.W.ArrayLen(0)
		return
	}
	n := int(end - start + 1)
	ctx.W.ArrayLen(n)
	l.Range(int(start), false, func(_ int, v []byte) bool {
		ctx.W.Bulk(v)
		n--
		return n > 0
	})
}

// ---- LPOS ----

func lposCommand(ctx *core.Ctx) {
	args := ctx.Args
	ele := args[2]
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(args); j++ {
		more := j < len(args)-1
		var ok bool
		switch {
		case optIsC(args[j], "RANK") && more:
			j++
			if rank, ok = listLong(ctx, j, ""); !ok {
				return
			}
			if rank == 0 {
				ctx.Error(rerr.LPosRankZero)
				return
			}
		case optIsC(args[j], "COUNT") && more:
			j++
			if count, ok = listRangeLong(ctx, j, 0, rerr.LPosCountNegative); !ok {
				return
			}
		case optIsC(args[j], "MAXLEN") && more:
			j++
			if maxlen, ok = listRangeLong(ctx, j, 0, rerr.LPosMaxlenNegative); !ok {
				return
			}
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	reverse := false
	if rank < 0 {
		rank = -rank // LONG_MIN stays negative, as in Redis
		reverse = true
	}
	o, ok := lookupListRead(ctx, args[1])
	if !ok {
		return
	}
	if o == nil {
		if count != -1 {
			ctx.W.ArrayLen(0)
		} else {
			ctx.W.Null()
		}
		return
	}
	l := listOf(o)
	h := -1
	if count != -1 {
		h = ctx.W.DeferLen()
	}
	start := 0
	if reverse {
		start = -1
	}
	var scanned, matches, arraylen int64
	match := int64(-1)
	l.Range(start, reverse, func(i int, v []byte) bool {
		if maxlen != 0 && scanned >= maxlen {
			return false
		}
		scanned++
		if !bytes.Equal(v, ele) {
			return true
		}
		matches++
		if matches < rank {
			return true
		}
		if h < 0 {
			match = int64(i)
			return false
		}
		arraylen++
		ctx.W.Int(int64(i))
		return count == 0 || matches-rank+1 < count
	})
	if h >= 0 {
		ctx.W.SetDeferredArrayLen(h, int(arraylen))
	} else if match >= 0 {
		ctx.W.Int(match)
	} else {
		ctx.W.Null()
	}
}

// optIsC reports whether argument b is the option name (ASCII, any case),
// compared as a C string as Redis's strcasecmp does.
func optIsC(b []byte, name string) bool {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return bytes.EqualFold(b, []byte(name))
}

// ---- write in place ----

func lsetCommand(ctx *core.Ctx) {
	key := ctx.Args[1]
	o, ok := lookupListWrite(ctx, key)
	if !ok {
		return
	}
	if o == nil {
		ctx.Error(rerr.NoSuchKey)
		return
	}
	idx, ok := listLong(ctx, 2, "")
	if !ok {
		return
	}
	if !listOf(o).Set(int(idx), ctx.Args[3]) {
		ctx.Error(rerr.IndexOutOfRange)
		return
	}
	ctx.W.OK()
	ctx.DB.Modified(key)
	ctx.Notify(nList, "lset", key)
	ctx.Dirty(1)
}

func linsertCommand(ctx *core.Ctx) {
	args := ctx.Args
	var after bool
	switch {
	case optIsC(args[2], "after"):
		after = true
	case optIsC(args[2], "before"):
	default:
		ctx.Error(rerr.Syntax)
		return
	}
	o, ok := lookupListWrite(ctx, args[1])
	if !ok {
		return
	}
	if o == nil {
		ctx.W.Int(0)
		return
	}
	l := listOf(o)
	pivot := -1
	l.Range(0, false, func(i int, v []byte) bool {
		if bytes.Equal(v, args[3]) {
			pivot = i
			return false
		}
		return true
	})
	if pivot < 0 {
		ctx.W.Int(-1)
		return
	}
	l.Insert(pivot, args[4], after)
	ctx.DB.Modified(args[1])
	ctx.Notify(nList, "linsert", args[1])
	ctx.Dirty(1)
	ctx.W.Int(int64(l.Len()))
}

func lremCommand(ctx *core.Ctx) {
	args := ctx.Args
	toremove, ok := listLong(ctx, 2, "")
	if !ok {
		return
	}
	o, ok := lookupListWrite(ctx, args[1])
	if !ok {
		return
	}
	if o == nil {
		ctx.W.Int(0)
		return
	}
	l := listOf(o)
	fromTail := toremove < 0
	limit := toremove
	if fromTail {
		limit = -toremove
		if limit < 0 { // LONG_MIN
			limit = 0
		}
	}
	if limit > int64(l.Len()) {
		limit = 0 // no limit within reach
	}
	removed := l.RemoveFunc(func(v []byte) bool { return bytes.Equal(v, args[3]) }, int(limit), fromTail)
	if removed > 0 {
		ctx.DB.Modified(args[1])
		ctx.Notify(nList, "lrem", args[1])
		ctx.Dirty(removed)
	}
	if l.Len() == 0 {
		ctx.DB.Delete(args[1])
		ctx.Notify(nGeneric, "del", args[1])
	}
	ctx.W.Int(int64(removed))
}

func ltrimCommand(ctx *core.Ctx) {
	start, ok := listLong(ctx, 2, "")
	if !ok {
		return
	}
	end, ok := listLong(ctx, 3, "")
	if !ok {
		return
	}
	key := ctx.Args[1]
	o, ok := lookupListWrite(ctx, key)
	if !ok {
		return
	}
	if o == nil {
		ctx.W.OK()
		return
	}
	l := listOf(o)
	llen := int64(l.Len())
	ltrim, rtrim := llen, int64(0) // an empty range empties the list
	if start, end, ok := rankRange(start, end, llen); ok {
		ltrim, rtrim = start, llen-end-1
	}
	l.DeleteRange(0, int(ltrim))
	l.DeleteRange(-int(rtrim), int(rtrim))
	ctx.Notify(nList, "ltrim", key)
	if l.Len() == 0 {
		ctx.DB.Delete(key)
		ctx.Notify(nGeneric, "del", key)
	} else {
		ctx.DB.Modified(key)
	}
	ctx.Dirty(int(ltrim + rtrim))
	ctx.W.OK()
}

// ---- move ----

func rpoplpushCommand(ctx *core.Ctx) { lmoveGeneric(ctx, listTail, listHead) }

func lmoveCommand(ctx *core.Ctx) {
	from, ok := listPosition(ctx, 3)
	if !ok {
		return
	}
	to, ok := listPosition(ctx, 4)
	if !ok {
		return
	}
	lmoveGeneric(ctx, from, to)
}

// lmoveGeneric is LMOVE/RPOPLPUSH, and BLMOVE/BRPOPLPUSH when the source
// holds elements (propagated then as LMOVE/RPOPLPUSH).
func lmoveGeneric(ctx *core.Ctx, from, to int) {
	src, dst := ctx.Args[1], ctx.Args[2]
	so, ok := lookupListWrite(ctx, src)
	if !ok {
		return
	}
	if so == nil {
		ctx.W.Null()
		return
	}
	if !listMove(ctx, so, src, dst, from, to) {
		return
	}
	switch ctx.Cmd.Name {
	case "blmove":
		a := ctx.Args
		ctx.Propagate(bLMOVE, a[1], a[2], a[3], a[4])
	case "brpoplpush":
		ctx.Propagate(bRPOPLPUSH, ctx.Args[1], ctx.Args[2])
	}
}

// listMove pops from the list so (at key src) at from and pushes to dst at
// to, replying the element. It returns false after replying WRONGTYPE for
// a destination of another type (nothing changed then).
func listMove(ctx *core.Ctx, so *keyspace.Object, src, dst []byte, from, to int) bool {
	do, ok := lookupListWrite(ctx, dst)
	if !ok {
		return false
	}
	sl := listOf(so)
	v, _ := listPop(sl, from)
	v = append([]byte(nil), v...) // the pop's slice may be reused by the push
	if do == nil {
		do = newListObject(ctx)
		ctx.DB.Add(dst, do)
	}
	listPush(listOf(do), v, to)
	ctx.DB.Modified(dst)
	ctx.Notify(nList, pushEvent(to), dst)
	ctx.W.Bulk(v)
	ctx.Notify(nList, popEvent(from), src)
	if sl.Len() == 0 {
		ctx.DB.Delete(src)
		ctx.Notify(nGeneric, "del", src)
	} else {
		ctx.DB.Modified(src)
	}
	ctx.Dirty(1)
	return true
}

// ---- LMPOP ----

func lmpopCommand(ctx *core.Ctx)  { lmpopGeneric(ctx, 1, false) }
func blmpopCommand(ctx *core.Ctx) { lmpopGeneric(ctx, 2, true) }

// lmpopGeneric parses LMPOP numkeys key… LEFT|RIGHT [COUNT n] (BLMPOP has
// the timeout first) and runs it.
func lmpopGeneric(ctx *core.Ctx, numkeysIdx int, block bool) {
	args := ctx.Args
	numkeys, ok := listRangeLong(ctx, numkeysIdx, 1, rerr.LNumkeys)
	if !ok {
		return
	}
	if numkeys > int64(len(args)) {
		ctx.Error(rerr.Syntax)
		return
	}
	whereIdx := numkeysIdx + int(numkeys) + 1
	if whereIdx >= len(args) {
		ctx.Error(rerr.Syntax)
		return
	}
	where, ok := listPosition(ctx, whereIdx)
	if !ok {
		return
	}
	count := int64(-1)
	for j := whereIdx + 1; j < len(args); j++ {
		if count == -1 && optIsC(args[j], "COUNT") && j < len(args)-1 {
			j++
			if count, ok = listRangeLong(ctx, j, 1, rerr.LCount); !ok {
				return
			}
			continue
		}
		ctx.Error(rerr.Syntax)
		return
	}
	if count == -1 {
		count = 1
	}
	keys := args[numkeysIdx+1 : whereIdx]
	if block {
		blockingPop(ctx, keys, where, 1, count)
		return
	}
	for _, key := range keys {
		o, ok := lookupListWrite(ctx, key)
		if !ok {
			return
		}
		if o == nil {
			continue
		}
		listPopRangeWithKey(ctx, key, listOf(o), where, count)
		return
	}
	ctx.W.NullArray()
}

// ---- blocking ----

func blpopCommand(ctx *core.Ctx) {
	blockingPop(ctx, ctx.Args[1:len(ctx.Args)-1], listHead, len(ctx.Args)-1, -1)
}

func brpopCommand(ctx *core.Ctx) {
	blockingPop(ctx, ctx.Args[1:len(ctx.Args)-1], listTail, len(ctx.Args)-1, -1)
}

// blockingPop is BLPOP/BRPOP (count -1: reply [key, element]) and BLMPOP
// (count ≥ 1: reply [key, [elements…]]), after Redis's
// blockingPopGenericCommand.
func blockingPop(ctx *core.Ctx, keys [][]byte, where, timeoutIdx int, count int64) {
	deadline, ok := blockTimeout(ctx, timeoutIdx)
	if !ok {
		return
	}
	for _, key := range keys {
		o, ok := lookupListWrite(ctx, key)
		if !ok {
			return
		}
		if o == nil {
			continue
		}
		listServePop(ctx, key, listOf(o), where, count)
		return
	}
	if ctx.DenyBlocking() {
		ctx.W.NullArray()
		return
	}
	blockOnKeys(ctx, keys, deadline, func(ctx *core.Ctx, key []byte) bool {
		o := ctx.DB.LookupWrite(key)
		if o == nil || o.Type != keyspace.TypeList {
			return false
		}
		listServePop(ctx, key, listOf(o), where, count)
		return true
	})
}

// listServePop pops from the non-empty list l at key for BLPOP/BRPOP
// (count -1) or BLMPOP, replying and propagating as Redis does.
func listServePop(ctx *core.Ctx, key []byte, l *quicklist.List, where int, count int64) {
	if count != -1 {
		listPopRangeWithKey(ctx, key, l, where, count)
		return
	}
	v, _ := listPop(l, where)
	ctx.W.ArrayLen(2)
	ctx.W.Bulk(key)
	ctx.W.Bulk(v)
	listElementsRemoved(ctx, key, l, where, 1)
	ctx.Propagate(popName(where), append([]byte(nil), key...))
}

func brpoplpushCommand(ctx *core.Ctx) {
	deadline, ok := blockTimeout(ctx, 3)
	if !ok {
		return
	}
	blmoveGeneric(ctx, listTail, listHead, deadline)
}

func blmoveCommand(ctx *core.Ctx) {
	from, ok := listPosition(ctx, 3)
	if !ok {
		return
	}
	to, ok := listPosition(ctx, 4)
	if !ok {
		return
	}
	deadline, ok := blockTimeout(ctx, 5)
	if !ok {
		return
	}
	blmoveGeneric(ctx, from, to, deadline)
}

// blmoveGeneric is BLMOVE/BRPOPLPUSH: LMOVE when the source holds a list,
// else a wait on the source.
func blmoveGeneric(ctx *core.Ctx, from, to int, deadline int64) {
	so, ok := lookupListWrite(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if so != nil {
		lmoveGeneric(ctx, from, to)
		return
	}
	if ctx.DenyBlocking() {
		ctx.W.Null()
		return
	}
	brpoplpush := ctx.Cmd.Name == "brpoplpush"
	blockOnKeys(ctx, ctx.Args[1:2], deadline, func(ctx *core.Ctx, key []byte) bool {
		so := ctx.DB.LookupWrite(key)
		if so == nil || so.Type != keyspace.TypeList {
			return false
		}
		dst := ctx.Args[2]
		if !listMove(ctx, so, key, dst, from, to) {
			return true // WRONGTYPE for the destination ends the wait
		}
		if brpoplpush {
			ctx.Propagate(bRPOPLPUSH, ctx.Args[1], dst)
		} else {
			ctx.Propagate(bLMOVE, ctx.Args[1], dst, positionName(from), positionName(to))
		}
		return true
	})
}

// ---- DEBUG QUICKLIST-PACKED-THRESHOLD ----

var _ = registerDebug("quicklist-packed-threshold", debugQuicklistPackedThreshold)

// debugQuicklistPackedThreshold sets the size from which list elements get
// PLAIN nodes (process-wide, as Redis's global): a memory value as
// memtoull reads it, 0 restoring the 1 GB default.
func debugQuicklistPackedThreshold(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	sz, ok := config.Memtoull(string(ctx.Args[2]))
	if !ok || sz > math.MaxInt64 || !quicklist.SetPackedThreshold(int64(sz)) {
		ctx.Error(rerr.LPackedThreshold)
		return
	}
	ctx.W.OK()
}
