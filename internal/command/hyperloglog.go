package command

import (
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/hll"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// The HyperLogLog commands (Redis's hyperloglog.c). An HLL is an ordinary
// string value holding Redis's exact representation (internal/hll), so
// GET, DUMP/RESTORE and RDB files carry it unchanged. Writes mutate the
// string in place through LookupWrite, as Redis mutates its sds.

var _ = register(
	hllCmd("pfadd", -2, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, pfaddCommand, "Adds the specified elements to the specified HyperLogLog."),
	hllCmd("pfcount", -2, core.FlagReadOnly|core.FlagMayReplicate, 1, -1, 1, pfcountCommand, "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s)."),
	hllCmd("pfmerge", -2, core.FlagWrite|core.FlagDenyOOM, 1, -1, 1, pfmergeCommand, "Merge N different HyperLogLogs into a single one."),
	hllCmd("pfselftest", 1, core.FlagAdmin, 0, 0, 0, pfselftestCommand, "An internal command for testing HyperLogLog values"),
	hllCmd("pfdebug", 3, core.FlagWrite|core.FlagDenyOOM|core.FlagAdmin, 2, 2, 1, pfdebugCommand, "Internal commands for debugging HyperLogLog values"),
)

// hllCmd builds a command of the "hyperloglog" group.
func hllCmd(name string, arity int, flags core.Flag, first, last, step int, h core.Handler, summary string) *core.Command {
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: first, LastKey: last, Step: step,
		Handler: h, Group: "hyperloglog", Since: "2.8.9", Summary: summary, Categories: []string{"hyperloglog"}}
}

// hllCheck is isHLLObjectOrReply: o must be a string holding a valid HLL
// header; otherwise it replies WRONGTYPE (the generic text for another
// type, the HLL text for a string) and returns false.
func hllCheck(ctx *core.Ctx, o *keyspace.Object) bool {
	if o.Type != keyspace.TypeString {
		ctx.WrongType()
		return false
	}
	if !hll.Valid(o.Str) {
		ctx.Error(rerr.HLLWrongType)
		return false
	}
	return true
}

// hllSparseMax returns the hll-sparse-max-bytes directive.
func hllSparseMax(ctx *core.Ctx) int { return ctx.Srv.Config.HLLSparseMaxBytes }

// pfaddCommand implements PFADD key [element ...].
func pfaddCommand(ctx *core.Ctx) {
	key := ctx.Args[1]
	o := ctx.DB.LookupWrite(key)
	updated := 0
	if o == nil {
		o = keyspace.NewString(hll.New())
		ctx.DB.Add(key, o)
		updated++
	} else if !hllCheck(ctx, o) {
		return
	}
	o.RawStr = true
	max := hllSparseMax(ctx)
	for _, ele := range ctx.Args[2:] {
		b, r := hll.Add(o.Str, ele, max)
		o.Str = b
		switch r {
		case 1:
			updated++
		case -1:
			ctx.Error(rerr.HLLInvalid)
			return
		}
	}
	if updated > 0 {
		hll.InvalidateCache(o.Str)
		ctx.DB.Modified(key)
		ctx.Notify(nString, "pfadd", key)
		ctx.Dirty(updated)
		ctx.W.Int(1)
		return
	}
	ctx.W.Int(0)
}

// pfcountCommand implements PFCOUNT key [key ...]: the cached or computed
// cardinality of one HLL (refreshing the cache, which makes the command a
// write to propagate), or that of the union of several.
func pfcountCommand(ctx *core.Ctx) {
	if len(ctx.Args) > 2 {
		var raw hll.Raw
		for _, key := range ctx.Args[1:] {
			o := ctx.DB.Lookup(key)
			if o == nil {
				continue
			}
			if !hllCheck(ctx, o) {
				return
			}
			if !raw.Merge(o.Str) {
				ctx.Error(rerr.HLLInvalid)
				return
			}
		}
		ctx.W.Int(int64(raw.Count()))
		return
	}
	key := ctx.Args[1]
	o := ctx.DB.Lookup(key)
	if o == nil {
		ctx.W.Int(0)
		return
	}
	if !hllCheck(ctx, o) {
		return
	}
	// Like Redis, take the value for writing (unshared, raw) even when the
	// cache is valid; a snapshot in progress keeps its own copy.
	o = ctx.DB.LookupWrite(key)
	o.RawStr = true
	if card, ok := hll.CachedCard(o.Str); ok {
		ctx.W.Int(int64(card))
		return
	}
	card, ok := hll.Count(o.Str)
	if !ok {
		ctx.Error(rerr.HLLInvalid)
		return
	}
	hll.SetCachedCard(o.Str, card)
	ctx.DB.Modified(key)
	ctx.Dirty(1)
	ctx.W.Int(int64(card))
}

// pfmergeCommand implements PFMERGE destkey [sourcekey ...].
func pfmergeCommand(ctx *core.Ctx) {
	var raw hll.Raw
	useDense := false
	for _, key := range ctx.Args[1:] {
		o := ctx.DB.Lookup(key)
		if o == nil {
			continue
		}
		if !hllCheck(ctx, o) {
			return
		}
		if hll.Encoding(o.Str) == hll.EncDense {
			useDense = true
		}
		if !raw.Merge(o.Str) {
			ctx.Error(rerr.HLLInvalid)
			return
		}
	}
	key := ctx.Args[1]
	o := ctx.DB.LookupWrite(key)
	if o == nil {
		o = keyspace.NewString(hll.New())
		ctx.DB.Add(key, o)
	}
	o.RawStr = true
	if useDense {
		d, ok := hll.ToDense(o.Str)
		if !ok {
			ctx.Error(rerr.HLLInvalid)
			return
		}
		o.Str = d
	}
	max := hllSparseMax(ctx)
	for i, v := range raw {
		if v != 0 {
			o.Str, _ = hll.Set(o.Str, i, v, max)
		}
	}
	hll.InvalidateCache(o.Str)
	ctx.DB.Modified(key)
	ctx.Notify(nString, "pfadd", key)
	ctx.Dirty(1)
	ctx.W.OK()
}

// pfselftestCommand implements PFSELFTEST.
func pfselftestCommand(ctx *core.Ctx) {
	if msg := hll.SelfTest(hllSparseMax(ctx)); msg != "" {
		ctx.Error(msg)
		return
	}
	ctx.W.OK()
}

// pfdebugCommand implements PFDEBUG GETREG|DECODE|ENCODING|TODENSE key.
func pfdebugCommand(ctx *core.Ctx) {
	sub, key := ctx.Args[1], ctx.Args[2]
	o := ctx.DB.LookupWrite(key)
	if o == nil {
		ctx.Error(rerr.HLLNoKey)
		return
	}
	if !hllCheck(ctx, o) {
		return
	}
	o.RawStr = true
	toDense := func() bool {
		if hll.Encoding(o.Str) == hll.EncDense {
			return false
		}
		d, ok := hll.ToDense(o.Str)
		if !ok {
			ctx.Error(rerr.HLLInvalid)
			return false
		}
		o.Str = d
		ctx.DB.Modified(key)
		ctx.Dirty(1)
		return true
	}
	switch {
	case zopt(sub, "getreg"):
		if hll.Encoding(o.Str) == hll.EncSparse && !toDense() {
			return
		}
		regs := hll.DenseRegisters(o.Str)
		ctx.W.ArrayLen(len(regs))
		for _, v := range regs {
			ctx.W.Int(int64(v))
		}
	case zopt(sub, "decode"):
		if hll.Encoding(o.Str) != hll.EncSparse {
			ctx.Error(rerr.HLLNotSparse)
			return
		}
		ctx.W.Bulk([]byte(hll.Decode(o.Str)))
	case zopt(sub, "encoding"):
		if hll.Encoding(o.Str) == hll.EncDense {
			ctx.W.Simple("dense")
		} else {
			ctx.W.Simple("sparse")
		}
	case zopt(sub, "todense"):
		if hll.Encoding(o.Str) == hll.EncDense {
			ctx.W.Int(0)
			return
		}
		if !toDense() {
			return
		}
		ctx.W.Int(1)
	default:
		ctx.Errorf(rerr.HLLUnknownSub, sub)
	}
}
