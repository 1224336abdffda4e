package command

import (
	"bytes"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/dict"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
	setval "github.com/redis-clone/redis-clone/internal/set"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// The sorted set commands (Redis's t_zset.c). Values are *zset.ZSet in an
// Object of keyspace.TypeZSet: a listpack while small, else a skiplist with
// a member → node dict (see internal/zset). Sets (keyspace.TypeSet) are
// accepted as inputs of ZUNION, ZINTER, ZDIFF and their STORE forms, with
// every score 1.

var _ = register(
	zcmd("zadd", -4, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, zaddCommand, "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists"),
	zcmd("zincrby", 4, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, zincrbyCommand, "1.2.0", "Increment the score of a member in a sorted set"),
	zcmd("zrem", -3, core.FlagWrite|core.FlagFast, 1, 1, 1, zremCommand, "1.2.0", "Remove one or more members from a sorted set"),
	zcmd("zremrangebyscore", 4, core.FlagWrite, 1, 1, 1, zremrangebyscoreCommand, "1.2.0", "Remove all members in a sorted set within the given scores"),
	zcmd("zremrangebyrank", 4, core.FlagWrite, 1, 1, 1, zremrangebyrankCommand, "2.0.0", "Remove all members in a sorted set within the given indexes"),
	zcmd("zremrangebylex", 4, core.FlagWrite, 1, 1, 1, zremrangebylexCommand, "2.8.9", "Remove all members in a sorted set between the given lexicographical range"),
	zkeys(zcmd("zunionstore", -4, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, zunionstoreCommand, "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key"), zstoreKeys),
	zkeys(zcmd("zinterstore", -4, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, zinterstoreCommand, "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key"), zstoreKeys),
	zkeys(zcmd("zdiffstore", -4, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, zdiffstoreCommand, "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key"), zstoreKeys),
	zkeys(zcmd("zunion", -3, core.FlagReadOnly, 0, 0, 0, zunionCommand, "6.2.0", "Add multiple sorted sets"), znumkeys1),
	zkeys(zcmd("zinter", -3, core.FlagReadOnly, 0, 0, 0, zinterCommand, "6.2.0", "Intersect multiple sorted sets"), znumkeys1),
	zkeys(zcmd("zintercard", -3, core.FlagReadOnly, 0, 0, 0, zintercardCommand, "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result"), znumkeys1),
	zkeys(zcmd("zdiff", -3, core.FlagReadOnly, 0, 0, 0, zdiffCommand, "6.2.0", "Subtract multiple sorted sets"), znumkeys1),
	zcmd("zrange", -4, core.FlagReadOnly, 1, 1, 1, zrangeCommand, "1.2.0", "Return a range of members in a sorted set"),
	zcmd("zrangestore", -5, core.FlagWrite|core.FlagDenyOOM, 1, 2, 1, zrangestoreCommand, "6.2.0", "Store a range of members from sorted set into another key"),
	zcmd("zrangebyscore", -4, core.FlagReadOnly, 1, 1, 1, zrangebyscoreCommand, "1.0.5", "Return a range of members in a sorted set, by score"),
	zcmd("zrevrangebyscore", -4, core.FlagReadOnly, 1, 1, 1, zrevrangebyscoreCommand, "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low"),
	zcmd("zrangebylex", -4, core.FlagReadOnly, 1, 1, 1, zrangebylexCommand, "2.8.9", "Return a range of members in a sorted set, by lexicographical range"),
	zcmd("zrevrangebylex", -4, core.FlagReadOnly, 1, 1, 1, zrevrangebylexCommand, "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings."),
	zcmd("zcount", 4, core.FlagReadOnly|core.FlagFast, 1, 1, 1, zcountCommand, "2.0.0", "Count the members in a sorted set with scores within the given values"),
	zcmd("zlexcount", 4, core.FlagReadOnly|core.FlagFast, 1, 1, 1, zlexcountCommand, "2.8.9", "Count the number of members in a sorted set between a given lexicographical range"),
	zcmd("zrevrange", -4, core.FlagReadOnly, 1, 1, 1, zrevrangeCommand, "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low"),
	zcmd("zcard", 2, core.FlagReadOnly|core.FlagFast, 1, 1, 1, zcardCommand, "1.2.0", "Get the number of members in a sorted set"),
	zcmd("zscore", 3, core.FlagReadOnly|core.FlagFast, 1, 1, 1, zscoreCommand, "1.2.0", "Get the score associated with the given member in a sorted set"),
	zcmd("zmscore", -3, core.FlagReadOnly|core.FlagFast, 1, 1, 1, zmscoreCommand, "6.2.0", "Get the score associated with the given members in a sorted set"),
	zcmd("zrank", 3, core.FlagReadOnly|core.FlagFast, 1, 1, 1, zrankCommand, "2.0.0", "Determine the index of a member in a sorted set"),
	zcmd("zrevrank", 3, core.FlagReadOnly|core.FlagFast, 1, 1, 1, zrevrankCommand, "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low"),
	zcmd("zscan", -3, core.FlagReadOnly, 1, 1, 1, zscanCommand, "2.8.0", "Incrementally iterate sorted sets elements and associated scores"),
	zcmd("zpopmin", -2, core.FlagWrite|core.FlagFast, 1, 1, 1, zpopminCommand, "5.0.0", "Remove and return members with the lowest scores in a sorted set"),
	zcmd("zpopmax", -2, core.FlagWrite|core.FlagFast, 1, 1, 1, zpopmaxCommand, "5.0.0", "Remove and return members with the highest scores in a sorted set"),
	zkeys(zcmd("zmpop", -4, core.FlagWrite, 0, 0, 0, zmpopCommand, "7.0.0", "Remove and return members with scores in a sorted set"), znumkeys1),
	zcmd("bzpopmin", -3, core.FlagWrite|core.FlagNoScript|core.FlagFast|core.FlagBlocking, 1, -2, 1, bzpopminCommand, "5.0.0", "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available"),
	zcmd("bzpopmax", -3, core.FlagWrite|core.FlagNoScript|core.FlagFast|core.FlagBlocking, 1, -2, 1, bzpopmaxCommand, "5.0.0", "Remove and return the member with the highest score from one or more sorted sets, or block until one is available"),
	zkeys(zcmd("bzmpop", -5, core.FlagWrite|core.FlagBlocking, 0, 0, 0, bzmpopCommand, "7.0.0", "Remove and return members with scores in a sorted set or block until one is available"), znumkeys2),
	zcmd("zrandmember", -2, core.FlagReadOnly, 1, 1, 1, zrandmemberCommand, "6.2.0", "Get one or multiple random elements from a sorted set"),
)

// zcmd builds a command of the "sorted-set" group.
func zcmd(name string, arity int, flags core.Flag, first, last, step int, h core.Handler, since, summary string) *core.Command {
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: first, LastKey: last, Step: step,
		Handler: h, Group: "sorted-set", Since: since, Summary: summary, Categories: []string{"sortedset"}}
}

// zkeys sets a command's key finder.
func zkeys(c *core.Command, fn func(args [][]byte) []int) *core.Command {
	c.KeysFunc = fn
	return c
}

// znumkeysAt returns the positions of the numkeys keys that follow the
// numkeys argument at index i, plus extra.
func znumkeysAt(args [][]byte, i int, extra ...int) []int {
	if len(args) <= i {
		return extra
	}
	n, ok := numfmt.ParseInt(args[i])
	if !ok || n < 1 || n > int64(len(args)-i-1) {
		return extra
	}
	out := append([]int(nil), extra...)
	for j := 0; j < int(n); j++ {
		out = append(out, i+1+j)
	}
	return out
}

// znumkeys1 finds the keys of ZUNION, ZINTER, ZDIFF, ZINTERCARD, ZMPOP.
func znumkeys1(args [][]byte) []int { return znumkeysAt(args, 1) }

// znumkeys2 finds the keys of BZMPOP.
func znumkeys2(args [][]byte) []int { return znumkeysAt(args, 2) }

// zstoreKeys finds the keys of ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: the
// destination, then numkeys sources.
func zstoreKeys(args [][]byte) []int { return znumkeysAt(args, 2, 1) }

// zopt reports whether argument b is the option name (any case).
func zopt(b []byte, name string) bool { return bytes.EqualFold(b, []byte(name)) }

// zlimits returns the configured listpack thresholds.
func zlimits(ctx *core.Ctx) zset.Limits {
	c := ctx.Srv.Config
	return zset.Limits{MaxListpackEntries: c.ZSetMaxListpackEntries, MaxListpackValue: c.ZSetMaxListpackValue}
}

// readZSet looks key up for reading. It returns nil for a missing key,
// and false after replying WRONGTYPE.
func readZSet(ctx *core.Ctx, key []byte) (*zset.ZSet, bool) {
	return readTyped[*zset.ZSet](ctx, key, keyspace.TypeZSet)
}

// writeZSet looks key up for a write, like readZSet.
func writeZSet(ctx *core.Ctx, key []byte) (*zset.ZSet, bool) {
	o := ctx.DB.LookupWrite(key)
	if o == nil {
		return nil, true
	}
	if o.Type != keyspace.TypeZSet {
		ctx.WrongType()
		return nil, false
	}
	return o.Val.(*zset.ZSet), true
}

// zlong parses argument i as a long, replying msg (or the standard integer
// error when msg is empty) if it is not one.
func zlong(ctx *core.Ctx, i int, msg string) (int64, bool) {
	n, ok := numfmt.ParseInt(ctx.Args[i])
	if !ok {
		if msg == "" {
			msg = rerr.NotInteger
		}
		ctx.Error(msg)
	}
	return n, ok
}

// ---------------------------------------------------------------------
// ZADD, ZINCRBY, ZREM

// zaddCommand implements ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ...
func zaddCommand(ctx *core.Ctx) { zaddGeneric(ctx, 0) }

// zincrbyCommand implements ZINCRBY key increment member (ZADD INCR).
func zincrbyCommand(ctx *core.Ctx) { zaddGeneric(ctx, zset.Incr) }

// zaddGeneric implements ZADD and ZINCRBY (zaddGenericCommand).
func zaddGeneric(ctx *core.Ctx, flags zset.Flags) {
	args := ctx.Args
	ch := false
	i := 2
options:
	for ; i < len(args); i++ {
		if a := args[i]; len(a) < 2 || len(a) > 4 {
			break // not an option (a score such as redis-benchmark's 12 digits)
		}
		switch a := args[i]; {
		case zopt(a, "nx"):
			flags |= zset.NX
		case zopt(a, "xx"):
			flags |= zset.XX
		case zopt(a, "ch"):
			ch = true
		case zopt(a, "incr"):
			flags |= zset.Incr
		case zopt(a, "gt"):
			flags |= zset.GT
		case zopt(a, "lt"):
			flags |= zset.LT
		default:
			break options
		}
	}
	incr := flags&zset.Incr != 0
	nx, xx := flags&zset.NX != 0, flags&zset.XX != 0
	gt, lt := flags&zset.GT != 0, flags&zset.LT != 0
	elements := len(args) - i
	if elements%2 != 0 || elements == 0 {
		ctx.Error(rerr.Syntax)
		return
	}
	elements /= 2
	if nx && xx {
		ctx.Error(rerr.ZAddXXNX)
		return
	}
	if (gt && nx) || (lt && nx) || (gt && lt) {
		ctx.Error(rerr.ZAddGTLTNX)
		return
	}
	if incr && elements > 1 {
		ctx.Error(rerr.ZAddIncrPairs)
		return
	}
	var scoreBuf [8]float64
	scores := scoreBuf[:0]
	for j := 0; j < elements; j++ {
		s, ok := numfmt.ParseFloat(args[i+2*j])
		if !ok {
			ctx.Error(rerr.NotFloat)
			return
		}
		scores = append(scores, s)
	}
	key := args[1]
	z, ok := writeZSet(ctx, key)
	if !ok {
		return
	}
	added, updated, processed := 0, 0, 0
	var score float64
	if z == nil && !xx {
		z = zset.NewFor(zlimits(ctx), len(args[i+1]))
		ctx.DB.Add(key, keyspace.NewZSet(z))
	}
	if z != nil {
		lim := zlimits(ctx)
		for j := 0; j < elements; j++ {
			res, ns := z.Add(args[i+2*j+1], scores[j], flags, lim)
			if res&zset.NaN != 0 {
				if z.Len() == 0 {
					ctx.DB.Delete(key)
				}
				ctx.Error(rerr.ZScoreNaN)
				return
			}
			if res&zset.Added != 0 {
				added++
			}
			if res&zset.Updated != 0 {
				updated++
			}
			if res&zset.NOP == 0 {
				processed++
			}
			score = ns
		}
		if added+updated > 0 {
			ctx.DB.Modified(key)
			ctx.Dirty(added + updated)
			if incr {
				ctx.Notify(nZSet, "zincr", key)
			} else {
				ctx.Notify(nZSet, "zadd", key)
			}
		}
	}
	switch {
	case incr && processed > 0:
		ctx.W.Double(score)
	case incr:
		ctx.W.Null()
	case ch:
		ctx.W.Int(int64(added + updated))
	default:
		ctx.W.Int(int64(added))
	}
}

// zremCommand implements ZREM key member [member ...].
func zremCommand(ctx *core.Ctx) {
	key := ctx.Args[1]
	z, ok := writeZSet(ctx, key)
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Int(0)
		return
	}
	removeMembers(ctx, key, ctx.Args[2:], z.Delete, z.Len, nZSet, "zrem")
}

// ---------------------------------------------------------------------
// ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX

// zrangeKind is how a range is given: by rank, score or member.
type zrangeKind uint8

const (
	zrangeAuto zrangeKind = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

// zremrangebyrankCommand and its two siblings implement ZREMRANGEBYRANK,
// ZREMRANGEBYSCORE and ZREMRANGEBYLEX.
func zremrangebyrankCommand(ctx *core.Ctx)  { zremrangeGeneric(ctx, zrangeRank) }
func zremrangebyscoreCommand(ctx *core.Ctx) { zremrangeGeneric(ctx, zrangeScore) }
func zremrangebylexCommand(ctx *core.Ctx)   { zremrangeGeneric(ctx, zrangeLex) }

// zremrangeGeneric implements the ZREMRANGEBY* commands.
func zremrangeGeneric(ctx *core.Ctx, kind zrangeKind) {
	var start, end int64
	var sr zset.ScoreRange
	var lr zset.LexRange
	var ok bool
	switch kind {
	case zrangeRank:
		if start, ok = zlong(ctx, 2, ""); !ok {
			return
		}
		if end, ok = zlong(ctx, 3, ""); !ok {
			return
		}
	case zrangeScore:
		if sr, ok = zset.ParseScoreRange(ctx.Args[2], ctx.Args[3]); !ok {
			ctx.Error(rerr.ZMinMaxFloat)
			return
		}
	case zrangeLex:
		if lr, ok = zset.ParseLexRange(ctx.Args[2], ctx.Args[3]); !ok {
			ctx.Error(rerr.ZMinMaxLex)
			return
		}
	}
	key := ctx.Args[1]
	z, ok := writeZSet(ctx, key)
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Int(0)
		return
	}
	var deleted int
	switch kind {
	case zrangeRank:
		start, end, ok := rankRange(start, end, int64(z.Len()))
		if !ok {
			ctx.W.Int(0)
			return
		}
		deleted = z.DeleteRangeByRank(int(start), int(end))
	case zrangeScore:
		deleted = z.DeleteRangeByScore(&sr)
	case zrangeLex:
		deleted = z.DeleteRangeByLex(&lr)
	}
	if deleted > 0 {
		removed := z.Len() == 0
		if removed {
			ctx.DB.Delete(key)
		} else {
			ctx.DB.Modified(key)
		}
		switch kind {
		case zrangeRank:
			ctx.Notify(nZSet, "zremrangebyrank", key)
		case zrangeScore:
			ctx.Notify(nZSet, "zremrangebyscore", key)
		default:
			ctx.Notify(nZSet, "zremrangebylex", key)
		}
		if removed {
			ctx.Notify(nGeneric, "del", key)
		}
		ctx.Dirty(deleted)
	}
	ctx.W.Int(int64(deleted))
}

// ---------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms

// zsetOp is the operation of ZUNION, ZINTER or ZDIFF.
type zsetOp uint8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

// zaggregate is the AGGREGATE option.
type zaggregate uint8

const (
	zaggSum zaggregate = iota
	zaggMin
	zaggMax
)

// zsrc is one input of a set operation: a sorted set, a set (scores 1) or
// a missing key (empty).
type zsrc struct {
	obj    *keyspace.Object
	z      *zset.ZSet
	s      *setval.Set
	weight float64
}

// len returns the number of elements of the input.
func (s *zsrc) len() int {
	switch {
	case s.z != nil:
		return s.z.Len()
	case s.s != nil:
		return s.s.Len()
	}
	return 0
}

// each calls fn for every element until it returns false.
func (s *zsrc) each(fn func(m []byte, score float64) bool) {
	switch {
	case s.z != nil:
		s.z.Each(fn)
	case s.s != nil:
		var buf []byte
		s.s.Range(func(m setval.Member) bool {
			buf = m.Append(buf[:0])
			return fn(buf, 1)
		})
	}
}

// find returns member's score in s (1 for a set member).
func (s *zsrc) find(m []byte) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.Score(m)
	case s.s != nil:
		if s.s.Contains(m) {
			return 1, true
		}
	}
	return 0, false
}

// zaggr is zunionInterAggregate.
func zaggr(target *float64, v float64, agg zaggregate) {
	switch agg {
	case zaggSum:
		*target += v
		if math.IsNaN(*target) {
			*target = 0
		}
	case zaggMin:
		if v < *target {
			*target = v
		}
	case zaggMax:
		if v > *target {
			*target = v
		}
	}
}

// zunionstoreCommand and the functions below are the set operation
// commands, all implemented by zsetOpGeneric.
func zunionstoreCommand(ctx *core.Ctx) { zsetOpGeneric(ctx, ctx.Args[1], 2, zopUnion, false) }
func zinterstoreCommand(ctx *core.Ctx) { zsetOpGeneric(ctx, ctx.Args[1], 2, zopInter, false) }
func zdiffstoreCommand(ctx *core.Ctx)  { zsetOpGeneric(ctx, ctx.Args[1], 2, zopDiff, false) }
func zunionCommand(ctx *core.Ctx)      { zsetOpGeneric(ctx, nil, 1, zopUnion, false) }
func zinterCommand(ctx *core.Ctx)      { zsetOpGeneric(ctx, nil, 1, zopInter, false) }
func zintercardCommand(ctx *core.Ctx)  { zsetOpGeneric(ctx, nil, 1, zopInter, true) }
func zdiffCommand(ctx *core.Ctx)       { zsetOpGeneric(ctx, nil, 1, zopDiff, false) }

// zsetOpGeneric implements the set operations
// (zunionInterDiffGenericCommand): dst is the destination key of a STORE
// form (nil otherwise), numkeysIdx the position of numkeys, cardOnly
// selects ZINTERCARD.
func zsetOpGeneric(ctx *core.Ctx, dst []byte, numkeysIdx int, op zsetOp, cardOnly bool) {
	args := ctx.Args
	setnum, ok := zlong(ctx, numkeysIdx, "")
	if !ok {
		return
	}
	if setnum < 1 {
		ctx.Errorf(rerr.ZAtLeastOneKey, ctx.Cmd.Name)
		return
	}
	if setnum > int64(len(args)-(numkeysIdx+1)) {
		ctx.Error(rerr.Syntax)
		return
	}
	src := make([]zsrc, setnum)
	j := numkeysIdx + 1
	for i := range src {
		o := ctx.DB.Lookup(args[j])
		if o != nil {
			switch o.Type {
			case keyspace.TypeZSet:
				src[i].z = o.Val.(*zset.ZSet)
			case keyspace.TypeSet:
				src[i].s = o.Val.(*setval.Set)
			default:
				ctx.WrongType()
				return
			}
			src[i].obj = o
		}
		src[i].weight = 1
		j++
	}
	agg := zaggSum
	withScores := false
	var limit int64
	for j < len(args) {
		remaining := len(args) - j
		a := args[j]
		switch {
		case op != zopDiff && !cardOnly && remaining >= len(src)+1 && zopt(a, "weights"):
			j++
			for i := range src {
				w, ok := numfmt.ParseFloat(args[j])
				if !ok {
					ctx.Error(rerr.ZWeightFloat)
					return
				}
				src[i].weight = w
				j++
			}
		case op != zopDiff && !cardOnly && remaining >= 2 && zopt(a, "aggregate"):
			switch v := args[j+1]; {
			case zopt(v, "sum"):
				agg = zaggSum
			case zopt(v, "min"):
				agg = zaggMin
			case zopt(v, "max"):
				agg = zaggMax
			default:
				ctx.Error(rerr.Syntax)
				return
			}
			j += 2
		case remaining >= 1 && dst == nil && !cardOnly && zopt(a, "withscores"):
			withScores = true
			j++
		case cardOnly && remaining >= 2 && zopt(a, "limit"):
			n, ok := numfmt.ParseInt(args[j+1])
			if !ok || n < 0 {
				ctx.Error(rerr.ZLimitNegative)
				return
			}
			limit = n
			j += 2
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	if op != zopDiff {
		sort.SliceStable(src, func(a, b int) bool { return src[a].len() < src[b].len() })
	}

	// The result is built as a skiplist (ordered output), as Redis does.
	res := zset.NewSkiplist(0)
	lim := zset.Limits{}
	cardinality := int64(0)
	switch op {
	case zopInter:
		if src[0].len() == 0 {
			break
		}
		src[0].each(func(m []byte, s float64) bool {
			score := src[0].weight * s
			if math.IsNaN(score) {
				score = 0
			}
			k := 1
			for ; k < len(src); k++ {
				if src[k].obj == src[0].obj {
					zaggr(&score, s*src[k].weight, agg)
				} else if v, ok := src[k].find(m); ok {
					zaggr(&score, v*src[k].weight, agg)
				} else {
					break
				}
			}
			if k < len(src) {
				return true
			}
			if cardOnly {
				cardinality++
				return limit == 0 || cardinality < limit
			}
			res.Set(string(m), score, lim)
			return true
		})
	case zopUnion:
		acc := make(map[string]float64, src[len(src)-1].len())
		for i := range src {
			if src[i].len() == 0 {
				continue
			}
			src[i].each(func(m []byte, s float64) bool {
				score := src[i].weight * s
				if math.IsNaN(score) {
					score = 0
				}
				if p, ok := acc[string(m)]; ok {
					zaggr(&p, score, agg)
					acc[string(m)] = p
				} else {
					acc[string(m)] = score
				}
				return true
			})
		}
		res = zset.NewSkiplist(len(acc))
		for m, s := range acc {
			res.Set(m, s, lim)
		}
	case zopDiff:
		zdiff(src, res)
	}

	switch {
	case dst != nil:
		event := "zdiffstore"
		switch op {
		case zopUnion:
			event = "zunionstore"
		case zopInter:
			event = "zinterstore"
		}
		res.ShrinkIfSmall(zlimits(ctx))
		storeResult(ctx, dst, keyspace.NewZSet(res), res.Len(), nZSet, event, 1)
	case cardOnly:
		ctx.W.Int(cardinality)
	default:
		zwriteAll(ctx.W, res, withScores)
	}
}

// zdiff computes src[0] minus the other inputs into res, choosing Redis's
// cheaper algorithm (zsetChooseDiffAlgorithm).
func zdiff(src []zsrc, res *zset.ZSet) {
	if src[0].len() == 0 {
		return
	}
	one, two := 0, 0
	for j := range src {
		if j > 0 && src[j].obj != nil && src[j].obj == src[0].obj {
			return // subtracting the set from itself
		}
		one += src[0].len()
		two += src[j].len()
	}
	one /= 2
	lim := zset.Limits{}
	if one <= two {
		// Algorithm 1: keep the elements of the first input found in no
		// other, testing the largest inputs first.
		rest := append([]zsrc(nil), src[1:]...)
		sort.SliceStable(rest, func(a, b int) bool { return rest[a].len() > rest[b].len() })
		src[0].each(func(m []byte, s float64) bool {
			for k := range rest {
				if _, ok := rest[k].find(m); ok {
					return true
				}
			}
			res.Set(string(m), s, lim)
			return true
		})
		return
	}
	// Algorithm 2: add the first input, remove the others.
	src[0].each(func(m []byte, s float64) bool {
		res.Set(string(m), s, lim)
		return true
	})
	for k := 1; k < len(src) && res.Len() > 0; k++ {
		src[k].each(func(m []byte, _ float64) bool {
			res.Delete(m)
			return res.Len() > 0
		})
	}
}

// zwriteAll replies every element of z in order, with scores if asked (a
// flat array in RESP2, [member, score] pairs in RESP3).
func zwriteAll(w *resp.Writer, z *zset.ZSet, withScores bool) {
	n := z.Len()
	if withScores && w.Proto != 3 {
		w.ArrayLen(2 * n)
	} else {
		w.ArrayLen(n)
	}
	z.Range(false, func(m []byte, s float64) {
		if withScores && w.Proto == 3 {
			w.ArrayLen(2)
		}
		w.Bulk(m)
		if withScores {
			w.Double(s)
		}
	})
}

// ---------------------------------------------------------------------
// ZRANGE family

// zdirection is the order of a range reply.
type zdirection uint8

const (
	zdirAuto zdirection = iota
	zdirForward
	zdirReverse
)

// zrangeSink receives the elements of a range: the client's reply, or a
// new sorted set for ZRANGESTORE (zrange_result_handler).
type zrangeSink struct {
	ctx        *core.Ctx
	store      bool
	dstKey     []byte
	dst        *zset.ZSet
	lim        zset.Limits
	withScores bool
	deferred   int // DeferLen handle, or -1
}

// begin starts the result; length is the number of elements when known,
// else -1.
func (h *zrangeSink) begin(length int) {
	h.deferred = -1
	if h.store {
		h.lim = zlimits(h.ctx)
		if length > h.lim.MaxListpackEntries {
			h.dst = zset.NewSkiplist(0)
		} else {
			h.dst = zset.New()
		}
		return
	}
	w := h.ctx.W
	if length > 0 {
		if h.withScores && w.Proto != 3 {
			length *= 2
		}
		w.ArrayLen(length)
		return
	}
	h.deferred = w.DeferLen()
}

// emit adds one element.
func (h *zrangeSink) emit(m []byte, s float64) {
	if h.store {
		h.dst.Add(m, s, 0, h.lim)
		return
	}
	w := h.ctx.W
	if h.withScores && w.Proto == 3 {
		w.ArrayLen(2)
	}
	w.Bulk(m)
	if h.withScores {
		w.Double(s)
	}
}

// finalize ends the result of count elements.
func (h *zrangeSink) finalize(count int) {
	ctx := h.ctx
	if h.store {
		storeResult(ctx, h.dstKey, keyspace.NewZSet(h.dst), count, nZSet, "zrangestore", 1)
		return
	}
	if h.deferred >= 0 {
		if h.withScores && ctx.W.Proto != 3 {
			count *= 2
		}
		ctx.W.SetDeferredArrayLen(h.deferred, count)
	}
}

// zrangeCommand and the functions below are the range reading commands,
// all implemented by zrangeGeneric.
func zrangeCommand(ctx *core.Ctx) { zrangeGeneric(ctx, 1, false, zrangeAuto, zdirAuto) }
func zrangestoreCommand(ctx *core.Ctx) {
	zrangeGeneric(ctx, 2, true, zrangeAuto, zdirAuto)
}
func zrevrangeCommand(ctx *core.Ctx) { zrangeGeneric(ctx, 1, false, zrangeRank, zdirReverse) }
func zrangebyscoreCommand(ctx *core.Ctx) {
	zrangeGeneric(ctx, 1, false, zrangeScore, zdirForward)
}
func zrevrangebyscoreCommand(ctx *core.Ctx) {
	zrangeGeneric(ctx, 1, false, zrangeScore, zdirReverse)
}
func zrangebylexCommand(ctx *core.Ctx) { zrangeGeneric(ctx, 1, false, zrangeLex, zdirForward) }
func zrevrangebylexCommand(ctx *core.Ctx) {
	zrangeGeneric(ctx, 1, false, zrangeLex, zdirReverse)
}

// zrangeGeneric implements ZRANGE, ZRANGESTORE and the older
// Z[REV]RANGE[BYSCORE|BYLEX] (zrangeGenericCommand). argStart is the
// position of the source key.
func zrangeGeneric(ctx *core.Ctx, argStart int, store bool, kind zrangeKind, dir zdirection) {
	args := ctx.Args
	key := args[argStart]
	minIdx, maxIdx := argStart+1, argStart+2
	withScores := false
	var offset, limit int64 = 0, -1
	for j := argStart + 3; j < len(args); j++ {
		left := len(args) - j - 1
		a := args[j]
		switch {
		case !store && zopt(a, "withscores"):
			withScores = true
		case zopt(a, "limit") && left >= 2:
			var ok bool
			if offset, ok = zlong(ctx, j+1, ""); !ok {
				return
			}
			if limit, ok = zlong(ctx, j+2, ""); !ok {
				return
			}
			j += 2
		case dir == zdirAuto && zopt(a, "rev"):
			dir = zdirReverse
		case kind == zrangeAuto && zopt(a, "bylex"):
			kind = zrangeLex
		case kind == zrangeAuto && zopt(a, "byscore"):
			kind = zrangeScore
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	if dir == zdirAuto {
		dir = zdirForward
	}
	if kind == zrangeAuto {
		kind = zrangeRank
	}
	if limit != -1 && kind == zrangeRank {
		ctx.Error(rerr.ZRangeLimit)
		return
	}
	if withScores && kind == zrangeLex {
		ctx.Error(rerr.ZRangeWithScoresLex)
		return
	}
	reverse := dir == zdirReverse
	if reverse && kind != zrangeRank {
		minIdx, maxIdx = maxIdx, minIdx
	}
	var start, end int64
	var sr zset.ScoreRange
	var lr zset.LexRange
	var ok bool
	switch kind {
	case zrangeRank:
		if start, ok = zlong(ctx, minIdx, ""); !ok {
			return
		}
		if end, ok = zlong(ctx, maxIdx, ""); !ok {
			return
		}
	case zrangeScore:
		if sr, ok = zset.ParseScoreRange(args[minIdx], args[maxIdx]); !ok {
			ctx.Error(rerr.ZMinMaxFloat)
			return
		}
	case zrangeLex:
		if lr, ok = zset.ParseLexRange(args[minIdx], args[maxIdx]); !ok {
			ctx.Error(rerr.ZMinMaxLex)
			return
		}
	}
	h := &zrangeSink{ctx: ctx, store: store, withScores: withScores || store}
	if store {
		h.dstKey = args[1]
		h.withScores = false // scores go into the new set, not the reply
	}
	z, ok := readZSet(ctx, key)
	if !ok {
		return
	}
	if z == nil {
		if store {
			h.begin(-1)
			h.finalize(0)
		} else {
			ctx.W.ArrayLen(0)
		}
		return
	}
	switch kind {
	case zrangeRank:
		start, end, ok := rankRange(start, end, int64(z.Len()))
		if !ok {
			h.begin(0)
			h.finalize(0)
			return
		}
		n := int(end - start + 1)
		h.begin(n)
		z.RangeByRank(int(start), int(end), reverse, h.emit)
		h.finalize(n)
	case zrangeScore:
		h.begin(-1)
		h.finalize(z.RangeByScore(&sr, int(offset), int(limit), reverse, h.emit))
	case zrangeLex:
		h.begin(-1)
		h.finalize(z.RangeByLex(&lr, int(offset), int(limit), reverse, h.emit))
	}
}

// ---------------------------------------------------------------------
// ZCOUNT, ZLEXCOUNT, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK

// zcountCommand implements ZCOUNT key min max.
func zcountCommand(ctx *core.Ctx) {
	sr, ok := zset.ParseScoreRange(ctx.Args[2], ctx.Args[3])
	if !ok {
		ctx.Error(rerr.ZMinMaxFloat)
		return
	}
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(z.CountByScore(&sr)))
}

// zlexcountCommand implements ZLEXCOUNT key min max.
func zlexcountCommand(ctx *core.Ctx) {
	lr, ok := zset.ParseLexRange(ctx.Args[2], ctx.Args[3])
	if !ok {
		ctx.Error(rerr.ZMinMaxLex)
		return
	}
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(z.CountByLex(&lr)))
}

// zcardCommand implements ZCARD key.
func zcardCommand(ctx *core.Ctx) {
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(z.Len()))
}

// zscoreCommand implements ZSCORE key member.
func zscoreCommand(ctx *core.Ctx) {
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Null()
		return
	}
	if s, ok := z.Score(ctx.Args[2]); ok {
		ctx.W.Double(s)
	} else {
		ctx.W.Null()
	}
}

// zmscoreCommand implements ZMSCORE key member [member ...]; a missing key
// is an empty set.
func zmscoreCommand(ctx *core.Ctx) {
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	ctx.W.ArrayLen(len(ctx.Args) - 2)
	for _, m := range ctx.Args[2:] {
		if z == nil {
			ctx.W.Null()
			continue
		}
		if s, ok := z.Score(m); ok {
			ctx.W.Double(s)
		} else {
			ctx.W.Null()
		}
	}
}

// zrankCommand implements ZRANK key member, zrevrankCommand ZREVRANK.
func zrankCommand(ctx *core.Ctx)    { zrankGeneric(ctx, false) }
func zrevrankCommand(ctx *core.Ctx) { zrankGeneric(ctx, true) }

// zrankGeneric replies member's rank, or a null.
func zrankGeneric(ctx *core.Ctx, reverse bool) {
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Null()
		return
	}
	if r, ok := z.Rank(ctx.Args[2], reverse); ok {
		ctx.W.Int(int64(r))
	} else {
		ctx.W.Null()
	}
}

// ---------------------------------------------------------------------
// ZSCAN

// zscanCommand implements ZSCAN key cursor [MATCH pattern] [COUNT count]
// (scanGenericCommand for a sorted set).
func zscanCommand(ctx *core.Ctx) {
	cursor, ok := parseScanCursor(ctx, ctx.Args[2])
	if !ok {
		return
	}
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	w := ctx.W
	if z == nil {
		writeEmptyScan(w)
		return
	}
	opt, ok := parseScanOptions(ctx, 3, false)
	if !ok {
		return
	}
	type pair struct {
		m string
		s float64
	}
	var pairs []pair
	listpack := z.IsListpack()
	collect := func(m []byte, s float64) { pairs = append(pairs, pair{string(m), s}) }
	if listpack {
		cursor = z.Scan(0, collect)
	} else {
		// Redis doubles COUNT for member/score pairs.
		cursor = scanTable(cursor, opt.count, 2,
			func(c uint64) uint64 { return z.Scan(c, collect) },
			func() int64 { return 2 * int64(len(pairs)) })
	}
	w.ArrayLen(2)
	w.BulkString(strconv.FormatUint(cursor, 10))
	h := w.DeferLen()
	n := 0
	var buf []byte
	for _, p := range pairs {
		if !opt.matches([]byte(p.m)) {
			continue
		}
		w.BulkString(p.m)
		// A listpack stores scores as d2string writes them (integral
		// values as integers); the skiplist's dict scan formats with
		// "%.17Lg".
		if listpack {
			buf = numfmt.AppendD2String(buf[:0], p.s)
		} else {
			buf = numfmt.AppendFloat(buf[:0], p.s)
		}
		w.Bulk(buf)
		n += 2
	}
	w.SetDeferredArrayLen(h, n)
}

// ---------------------------------------------------------------------
// ZPOPMIN, ZPOPMAX, ZMPOP and the blocking forms

var (
	bZPOPMIN = []byte("ZPOPMIN")
	bZPOPMAX = []byte("ZPOPMAX")
)

// zpopOpts describe how a pop replies (genericZpopCommand's flags).
type zpopOpts struct {
	max      bool
	emitKey  bool  // reply the key name (BZPOP*, ZMPOP, BZMPOP)
	count    int64 // -1 for a single pop
	nested   bool  // [member, score] pairs (RESP3 ZPOP* with count, *MPOP)
	nilEmpty bool  // reply a null array when nothing is popped (*MPOP)
}

// zpopGeneric pops from the first existing key of keys (genericZpopCommand)
// and writes the reply. It returns the key it popped from and how many
// elements (before popping, capped by count) it replied, or a nil key.
func zpopGeneric(ctx *core.Ctx, keys [][]byte, o zpopOpts) (key []byte, n int64) {
	var z *zset.ZSet
	for _, k := range keys {
		zz, ok := writeZSet(ctx, k)
		if !ok {
			return nil, 0
		}
		if zz != nil {
			z, key = zz, k
			break
		}
	}
	w := ctx.W
	if z == nil {
		if o.nilEmpty {
			w.NullArray()
		} else {
			w.ArrayLen(0)
		}
		return nil, 0
	}
	if o.count == 0 {
		w.ArrayLen(0)
		return nil, 0
	}
	count := o.count
	if count == -1 {
		count = 1
	}
	llen := int64(z.Len())
	rangelen := min(count, llen)
	switch {
	case !o.nested && !o.emitKey:
		w.ArrayLen(int(rangelen * 2))
	case o.nested && !o.emitKey:
		w.ArrayLen(int(rangelen))
	case !o.nested && o.emitKey:
		w.ArrayLen(int(rangelen*2 + 1))
		w.Bulk(key)
	default:
		w.ArrayLen(2)
		w.Bulk(key)
		w.ArrayLen(int(rangelen))
	}
	for i := int64(0); i < rangelen; i++ {
		m, s := z.Pop(o.max)
		if o.nested {
			w.ArrayLen(2)
		}
		w.BulkString(m)
		w.Double(s)
	}
	ctx.Dirty(int(rangelen))
	if rangelen > 0 {
		if o.max {
			ctx.Notify(nZSet, "zpopmax", key)
		} else {
			ctx.Notify(nZSet, "zpopmin", key)
		}
	}
	if z.Len() == 0 {
		ctx.DB.Delete(key)
		ctx.Notify(nGeneric, "del", key)
	} else {
		ctx.DB.Modified(key)
	}
	return key, rangelen
}

// zpopName returns ZPOPMIN or ZPOPMAX.
func zpopName(max bool) []byte {
	if max {
		return bZPOPMAX
	}
	return bZPOPMIN
}

// zpopminCommand implements ZPOPMIN, zpopmaxCommand ZPOPMAX.
func zpopminCommand(ctx *core.Ctx) { zpopMinMax(ctx, false) }
func zpopmaxCommand(ctx *core.Ctx) { zpopMinMax(ctx, true) }

// zpopMinMax implements ZPOPMIN and ZPOPMAX key [count].
func zpopMinMax(ctx *core.Ctx, max bool) {
	if len(ctx.Args) > 3 {
		ctx.Error(rerr.Syntax)
		return
	}
	count := int64(-1)
	if len(ctx.Args) == 3 {
		n, ok := numfmt.ParseInt(ctx.Args[2])
		if !ok || n < 0 {
			ctx.Error(rerr.OutOfRangePos)
			return
		}
		count = n
	}
	zpopGeneric(ctx, ctx.Args[1:2], zpopOpts{max: max, count: count, nested: ctx.W.Proto == 3 && count != -1})
}

// zmpopArgs parses the numkeys, keys, MIN|MAX and COUNT of ZMPOP and
// BZMPOP (zmpopGenericCommand).
func zmpopArgs(ctx *core.Ctx, numkeysIdx int) (keys [][]byte, max bool, count int64, ok bool) {
	args := ctx.Args
	numkeys, ok := zlong(ctx, numkeysIdx, rerr.ZNumkeys)
	if !ok {
		return nil, false, 0, false
	}
	if numkeys < 1 {
		ctx.Error(rerr.ZNumkeys)
		return nil, false, 0, false
	}
	if numkeys >= int64(len(args)-numkeysIdx-1) {
		ctx.Error(rerr.Syntax)
		return nil, false, 0, false
	}
	whereIdx := numkeysIdx + int(numkeys) + 1
	switch w := args[whereIdx]; {
	case zopt(w, "min"):
	case zopt(w, "max"):
		max = true
	default:
		ctx.Error(rerr.Syntax)
		return nil, false, 0, false
	}
	count = -1
	for j := whereIdx + 1; j < len(args); j++ {
		more := len(args) - 1 - j
		if count == -1 && zopt(args[j], "count") && more > 0 {
			j++
			n, ok := numfmt.ParseInt(args[j])
			if !ok || n < 1 {
				ctx.Error(rerr.ZCount)
				return nil, false, 0, false
			}
			count = n
		} else {
			ctx.Error(rerr.Syntax)
			return nil, false, 0, false
		}
	}
	if count == -1 {
		count = 1
	}
	return args[numkeysIdx+1 : whereIdx], max, count, true
}

// zmpopCommand implements ZMPOP numkeys key [key ...] MIN|MAX [COUNT n],
// propagated as ZPOPMIN/ZPOPMAX key n.
func zmpopCommand(ctx *core.Ctx) {
	keys, max, count, ok := zmpopArgs(ctx, 1)
	if !ok {
		return
	}
	key, n := zpopGeneric(ctx, keys, zpopOpts{max: max, emitKey: true, count: count, nested: true, nilEmpty: true})
	if key != nil {
		ctx.Propagate(zpopName(max), key, []byte(strconv.FormatInt(n, 10)))
	}
}

// bzpopminCommand implements BZPOPMIN, bzpopmaxCommand BZPOPMAX.
func bzpopminCommand(ctx *core.Ctx) { bzpopGeneric(ctx, false) }
func bzpopmaxCommand(ctx *core.Ctx) { bzpopGeneric(ctx, true) }

// bzpopGeneric implements BZPOPMIN and BZPOPMAX key [key ...] timeout.
func bzpopGeneric(ctx *core.Ctx, max bool) {
	n := len(ctx.Args)
	zblockingPop(ctx, ctx.Args[1:n-1], n-1, zpopOpts{max: max, emitKey: true, count: -1})
}

// bzmpopCommand implements BZMPOP timeout numkeys key [key ...] MIN|MAX
// [COUNT n].
func bzmpopCommand(ctx *core.Ctx) {
	keys, max, count, ok := zmpopArgs(ctx, 2)
	if !ok {
		return
	}
	zblockingPop(ctx, keys, 1, zpopOpts{max: max, emitKey: true, count: count, nested: true, nilEmpty: true})
}

// zblockingPop is blockingGenericZpopCommand: pop at once from the first
// non-empty key, else park the client until one of keys holds a sorted set.
// A served pop is propagated as ZPOPMIN/ZPOPMAX key [count].
func zblockingPop(ctx *core.Ctx, keys [][]byte, timeoutIdx int, o zpopOpts) {
	deadline, ok := blockTimeout(ctx, timeoutIdx)
	if !ok {
		return
	}
	for _, k := range keys {
		z, ok := writeZSet(ctx, k)
		if !ok {
			return
		}
		if z == nil || z.Len() == 0 {
			continue
		}
		zservePop(ctx, k, o)
		return
	}
	if ctx.DenyBlocking() {
		ctx.W.NullArray()
		return
	}
	blockOnKeys(ctx, keys, deadline, func(sctx *core.Ctx, key []byte) bool {
		obj := sctx.DB.LookupWrite(key)
		if obj == nil || obj.Type != keyspace.TypeZSet {
			return false
		}
		zservePop(sctx, key, o)
		return true
	})
}

// zservePop pops from key, which holds a non-empty sorted set, and
// propagates the effect.
func zservePop(ctx *core.Ctx, key []byte, o zpopOpts) {
	_, n := zpopGeneric(ctx, [][]byte{key}, o)
	if o.count == -1 {
		ctx.Propagate(zpopName(o.max), key)
	} else {
		ctx.Propagate(zpopName(o.max), key, []byte(strconv.FormatInt(n, 10)))
	}
}

// ---------------------------------------------------------------------
// ZRANDMEMBER

// zrandSubStrategyMul is ZRANDMEMBER_SUB_STRATEGY_MUL.
const zrandSubStrategyMul = 3

// zrandmemberCommand implements ZRANDMEMBER key [count [WITHSCORES]].
func zrandmemberCommand(ctx *core.Ctx) {
	args := ctx.Args
	if len(args) >= 3 {
		l, ok := zlong(ctx, 2, "")
		if !ok {
			return
		}
		if l == math.MinInt64 {
			ctx.Error(rerr.ZRangeLong)
			return
		}
		withScores := false
		if len(args) > 4 || (len(args) == 4 && !zopt(args[3], "withscores")) {
			ctx.Error(rerr.Syntax)
			return
		} else if len(args) == 4 {
			withScores = true
			if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
				ctx.Error(rerr.OutOfRange)
				return
			}
		}
		zrandmemberWithCount(ctx, l, withScores)
		return
	}
	z, ok := readZSet(ctx, args[1])
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Null()
		return
	}
	m, _ := z.Random()
	ctx.W.Bulk(m)
}

// zrandmemberWithCount is zrandmemberWithCountCommand.
func zrandmemberWithCount(ctx *core.Ctx, l int64, withScores bool) {
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	w := ctx.W
	if z == nil {
		w.ArrayLen(0)
		return
	}
	size := int64(z.Len())
	count, uniq := l, true
	if l < 0 {
		count, uniq = -l, false
	}
	if count == 0 {
		w.ArrayLen(0)
		return
	}
	resp2 := w.Proto != 3
	emit := func(m []byte, s float64) {
		if withScores && !resp2 {
			w.ArrayLen(2)
		}
		w.Bulk(m)
		if withScores {
			w.Double(s)
		}
	}
	header := func(n int64) {
		if withScores && resp2 {
			n *= 2
		}
		w.ArrayLen(int(n))
	}
	// CASE 1: repetitions allowed (or a single element).
	if !uniq || count == 1 {
		header(count)
		start := w.Len()
		for ; count > 0; count-- {
			emit(z.Random())
			if stopLongReply(ctx, start) {
				break
			}
		}
		return
	}
	header(min(count, size))
	// CASE 2: the whole set, in Redis's iteration order (from the tail).
	if count >= size {
		z.Range(true, emit)
		return
	}
	// CASE 3: a large share of the set: copy it all and drop random
	// elements.
	if count*zrandSubStrategyMul > size {
		d := dict.New[float64](int(size))
		z.Range(true, func(m []byte, s float64) { d.Set(string(m), s) })
		for n := size; n > count; n-- {
			k, _, _ := d.RandomEntry()
			d.Delete(k)
		}
		d.Range(func(k string, s float64) bool {
			if withScores && !resp2 {
				w.ArrayLen(2)
			}
			w.BulkString(k)
			if withScores {
				w.Double(s)
			}
			return true
		})
		return
	}
	// CASE 4: few elements of a large set.
	if z.IsListpack() {
		// Selection sampling in order (lpRandomPairsUnique).
		picked, index := int64(0), int64(0)
		z.Range(false, func(m []byte, s float64) {
			if picked < count && rand.Float64()*float64(size-index) < float64(count-picked) {
				emit(m, s)
				picked++
			}
			index++
		})
		return
	}
	seen := make(map[string]struct{}, count)
	for int64(len(seen)) < count {
		m, s := z.Random()
		if _, dup := seen[string(m)]; dup {
			continue
		}
		seen[string(m)] = struct{}{}
		emit(m, s)
	}
}
