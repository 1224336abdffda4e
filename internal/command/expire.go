package command

import (
	"math"
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// The expire commands (Redis's expire.c): setting, reading and removing a
// key's time to live. TTLs are stored as absolute Unix milliseconds; a
// relative or second-based TTL is logged as PEXPIREAT with the absolute
// time, and a TTL already in the past deletes the key and is logged as DEL.

var _ = register(
	&core.Command{Name: "expire", Arity: -3, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: expireCommand, Group: "generic", Since: "1.0.0", Summary: "Set a key's time to live in seconds", Categories: keyspaceCat},
	&core.Command{Name: "pexpire", Arity: -3, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: pexpireCommand, Group: "generic", Since: "2.6.0", Summary: "Set a key's time to live in milliseconds", Categories: keyspaceCat},
	&core.Command{Name: "expireat", Arity: -3, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: expireatCommand, Group: "generic", Since: "1.2.0", Summary: "Set the expiration for a key as a UNIX timestamp", Categories: keyspaceCat},
	&core.Command{Name: "pexpireat", Arity: -3, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: pexpireatCommand, Group: "generic", Since: "2.6.0", Summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds", Categories: keyspaceCat},
	&core.Command{Name: "ttl", Arity: 2, Flags: core.FlagReadOnly | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: ttlCommand, Group: "generic", Since: "1.0.0", Summary: "Get the time to live for a key in seconds", Categories: keyspaceCat},
	&core.Command{Name: "pttl", Arity: 2, Flags: core.FlagReadOnly | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: pttlCommand, Group: "generic", Since: "2.6.0", Summary: "Get the time to live for a key in milliseconds", Categories: keyspaceCat},
	&core.Command{Name: "expiretime", Arity: 2, Flags: core.FlagReadOnly | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: expiretimeCommand, Group: "generic", Since: "7.0.0", Summary: "Get the expiration Unix timestamp for a key", Categories: keyspaceCat},
	&core.Command{Name: "pexpiretime", Arity: 2, Flags: core.FlagReadOnly | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: pexpiretimeCommand, Group: "generic", Since: "7.0.0", Summary: "Get the expiration Unix timestamp for a key in milliseconds", Categories: keyspaceCat},
	&core.Command{Name: "persist", Arity: 2, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: persistCommand, Group: "generic", Since: "2.2.0", Summary: "Remove the expiration from a key", Categories: keyspaceCat},
)

func expireCommand(ctx *core.Ctx)    { expireGeneric(ctx, ctx.Now(), true) }
func expireatCommand(ctx *core.Ctx)  { expireGeneric(ctx, 0, true) }
func pexpireCommand(ctx *core.Ctx)   { expireGeneric(ctx, ctx.Now(), false) }
func pexpireatCommand(ctx *core.Ctx) { expireGeneric(ctx, 0, false) }

// The NX XX GT LT options of the expire commands.
const (
	expireNX = 1 << iota
	expireXX
	expireGT
	expireLT
)

// parseExpireFlags parses the options after the time argument like
// Redis's parseExtendedExpireArgumentsOrReply: an unknown option first,
// then the conflicts.
func parseExpireFlags(ctx *core.Ctx) (int, bool) {
	flags := 0
	for _, a := range ctx.Args[3:] {
		switch strings.ToLower(string(a)) {
		case "nx":
			flags |= expireNX
		case "xx":
			flags |= expireXX
		case "gt":
			flags |= expireGT
		case "lt":
			flags |= expireLT
		default:
			ctx.Errorf(rerr.ExpireUnsupportedOption, a)
			return 0, false
		}
	}
	if flags&expireNX != 0 && flags&(expireXX|expireGT|expireLT) != 0 {
		ctx.Error(rerr.ExpireNXConflict)
		return 0, false
	}
	if flags&expireGT != 0 && flags&expireLT != 0 {
		ctx.Error(rerr.ExpireGTLTConflict)
		return 0, false
	}
	return flags, true
}

// expireGeneric implements EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT.
// basetime is 0 for the absolute forms and the command clock for the
// relative ones; seconds says argument 2 is in seconds.
func expireGeneric(ctx *core.Ctx, basetime int64, seconds bool) {
	flags, ok := parseExpireFlags(ctx)
	if !ok {
		return
	}
	when, ok := ctx.Int(2)
	if !ok {
		return
	}
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			ctx.Errorf(rerr.InvalidExpire, ctx.Cmd.Name)
			return
		}
		when *= 1000
	}
	if when > math.MaxInt64-basetime {
		ctx.Errorf(rerr.InvalidExpire, ctx.Cmd.Name)
		return
	}
	when += basetime

	db, key := ctx.DB, ctx.Args[1]
	if !db.TouchWrite(key) {
		ctx.W.Int(0)
		return
	}
	if flags != 0 {
		cur := db.Expire(key)
		if (flags&expireNX != 0 && cur != -1) ||
			(flags&expireXX != 0 && cur == -1) ||
			// No TTL counts as an infinite one: GT never beats it, LT
			// always does.
			(flags&expireGT != 0 && (cur == -1 || when <= cur)) ||
			(flags&expireLT != 0 && cur != -1 && when >= cur) {
			ctx.W.Int(0)
			return
		}
	}

	// A time in the past deletes the key, except while loading or on a
	// replica (expiry disabled): then the key keeps its past TTL and waits
	// for the DEL from the primary.
	if when <= ctx.Now() && !ctx.Srv.KS.ExpireDisabled {
		db.Delete(key)
		ctx.Notify(nGeneric, "del", key)
		ctx.Dirty(1)
		verb := "DEL"
		if ctx.Srv.Config.LazyfreeLazyExpire {
			verb = "UNLINK"
		}
		ctx.Propagate([]byte(verb), key)
		ctx.W.Int(1)
		return
	}
	db.SetExpire(key, when)
	db.Modified(key)
	ctx.Notify(nGeneric, "expire", key)
	ctx.Dirty(1)
	if basetime != 0 || seconds {
		// Log the absolute time in milliseconds, keeping the options.
		args := make([][]byte, len(ctx.Args))
		copy(args, ctx.Args)
		args[0] = []byte("PEXPIREAT")
		args[2] = strconv.AppendInt(nil, when, 10)
		ctx.Propagate(args...)
	}
	ctx.W.Int(1)
}

func ttlCommand(ctx *core.Ctx)         { ttlGeneric(ctx, false, false) }
func pttlCommand(ctx *core.Ctx)        { ttlGeneric(ctx, true, false) }
func expiretimeCommand(ctx *core.Ctx)  { ttlGeneric(ctx, false, true) }
func pexpiretimeCommand(ctx *core.Ctx) { ttlGeneric(ctx, true, true) }

// ttlGeneric implements TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a
// missing key, -1 for a key without TTL, else the remaining (or absolute)
// time, never below 0, in ms or rounded to seconds.
func ttlGeneric(ctx *core.Ctx, ms, abs bool) {
	db, key := ctx.DB, ctx.Args[1]
	if _, ok := db.TypeNoTouch(key); !ok {
		ctx.W.Int(-2)
		return
	}
	exp := db.Expire(key)
	if exp == -1 {
		ctx.W.Int(-1)
		return
	}
	ttl := exp
	if !abs {
		ttl -= ctx.Now()
	}
	ttl = max(ttl, 0)
	if !ms {
		// (ttl+500)/1000 without overflowing near math.MaxInt64, which
		// Redis's compiled arithmetic does not either.
		ttl = ttl/1000 + (ttl%1000+500)/1000
	}
	ctx.W.Int(ttl)
}

// persistCommand implements PERSIST.
func persistCommand(ctx *core.Ctx) {
	db, key := ctx.DB, ctx.Args[1]
	if !db.TouchWrite(key) || !db.Persist(key) {
		ctx.W.Int(0)
		return
	}
	db.Modified(key)
	ctx.Notify(nGeneric, "persist", key)
	ctx.Dirty(1)
	ctx.W.Int(1)
}
