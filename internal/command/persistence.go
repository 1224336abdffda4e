package command

import (
	"errors"
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Persistence commands: SAVE, BGSAVE [SCHEDULE], BGREWRITEAOF, DUMP,
// RESTORE, DEBUG RELOAD and DEBUG LOADAOF; and the persistence side of
// LASTSAVE, FLUSHALL and INFO persistence through serverHooks. The work
// is internal/persist's; these handlers parse and reply.

var _ = register(
	&core.Command{Name: "save", Arity: 1, Flags: core.FlagAdmin | core.FlagNoScript | core.FlagNoMulti, Handler: saveCommand, Group: "server", Since: "1.0.0", Summary: "Synchronously save the dataset to disk", Categories: []string{"dangerous"}},
	&core.Command{Name: "bgsave", Arity: -1, Flags: core.FlagAdmin | core.FlagNoScript, Handler: bgsaveCommand, Group: "server", Since: "1.0.0", Summary: "Asynchronously save the dataset to disk", Categories: []string{"dangerous"}},
	&core.Command{Name: "bgrewriteaof", Arity: 1, Flags: core.FlagAdmin | core.FlagNoScript, Handler: bgrewriteaofCommand, Group: "server", Since: "1.0.0", Summary: "Asynchronously rewrite the append-only file", Categories: []string{"dangerous"}},
	&core.Command{Name: "dump", Arity: 2, Flags: core.FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1, Handler: dumpCommand, Group: "generic", Since: "2.6.0", Summary: "Return a serialized version of the value stored at the specified key.", Categories: keyspaceCat},
	&core.Command{Name: "restore", Arity: -4, Flags: core.FlagWrite | core.FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1, Handler: restoreCommand, Group: "generic", Since: "2.6.0", Summary: "Create a key using the provided serialized value, previously obtained using DUMP.", Categories: []string{"keyspace", "dangerous"}},
)

// RESTORE-ASKING is RESTORE for a cluster's slot migration; without
// cluster mode it is RESTORE.
var _ = register(func() *core.Command {
	c := docCommand("restore-asking")
	c.FirstKey, c.LastKey, c.Step = 1, 1, 1
	c.Handler = restoreCommand
	c.Categories = []string{"keyspace", "dangerous"}
	return c
}())

var _ = registerDebug("reload", debugReload)
var _ = registerDebug("loadaof", debugLoadAOF)

func init() {
	serverHooks.LastSave = func(s *core.Server) int64 {
		if m := persist.For(s); m != nil {
			return m.LastSave()
		}
		return s.Start.Unix()
	}
	serverHooks.AfterFlushAll = func(ctx *core.Ctx) {
		if m := persist.For(ctx.Srv); m != nil {
			m.AfterFlushAll()
		}
		// Even when the databases were empty (or the save reset the change
		// counter) FLUSHALL reaches the AOF, as in Redis.
		ctx.ForcePropagation()
	}
	infoSections["persistence"] = func(ctx *core.Ctx) string {
		if m := persist.For(ctx.Srv); m != nil {
			return infoLines(m.Info()...)
		}
		return infoPersistence(ctx)
	}
}

// manager returns the server's persistence, replying an error without it.
func manager(ctx *core.Ctx) *persist.Manager {
	m := persist.For(ctx.Srv)
	if m == nil {
		ctx.Error(rerr.Err)
	}
	return m
}

// replyStatus replies the status text, or the error's text.
func replyStatus(ctx *core.Ctx, status string, err error) {
	if err != nil {
		ctx.Error(err.Error())
		return
	}
	ctx.W.Simple(status)
}

func saveCommand(ctx *core.Ctx) {
	m := manager(ctx)
	if m == nil {
		return
	}
	if err := m.Save(); err != nil {
		ctx.Error(err.Error())
		return
	}
	ctx.W.OK()
}

func bgsaveCommand(ctx *core.Ctx) {
	schedule := false
	if len(ctx.Args) > 1 {
		if len(ctx.Args) == 2 && strings.EqualFold(string(ctx.Args[1]), "schedule") {
			schedule = true
		} else {
			ctx.Error(rerr.Syntax)
			return
		}
	}
	if m := manager(ctx); m != nil {
		status, err := m.BgSave(schedule, ctx.InExec())
		replyStatus(ctx, status, err)
	}
}

func bgrewriteaofCommand(ctx *core.Ctx) {
	if m := manager(ctx); m != nil {
		status, err := m.BgRewriteAOF(ctx.InExec())
		replyStatus(ctx, status, err)
	}
}

// dumpCommand implements DUMP key: the value in RDB format with the RDB
// version and a CRC64, as Redis's createDumpPayload.
func dumpCommand(ctx *core.Ctx) {
	o := ctx.DB.Lookup(ctx.Args[1])
	if o == nil {
		ctx.W.Null()
		return
	}
	v, err := persist.ValueOf(o)
	if err == nil {
		var payload []byte
		if payload, err = rdb.DumpValueOptions(v, persist.WriterOptions(ctx.Srv.Config)); err == nil {
			ctx.W.Bulk(payload)
			return
		}
	}
	ctx.Error("ERR " + err.Error())
}

// restoreCommand implements RESTORE key ttl serialized-value [REPLACE]
// [ABSTTL] [IDLETIME seconds] [FREQ frequency], checking in Redis's order.
func restoreCommand(ctx *core.Ctx) {
	args := ctx.Args
	replace, absttl := false, false
	idle, freq := int64(-1), int64(-1)
	for j := 4; j < len(args); j++ {
		additional := len(args) - j - 1
		switch opt := strings.ToLower(string(args[j])); {
		case opt == "replace":
			replace = true
		case opt == "absttl":
			absttl = true
		case opt == "idletime" && additional >= 1 && freq == -1:
			n, ok := ctx.Int(j + 1)
			if !ok {
				return
			}
			if n < 0 {
				ctx.Error(rerr.InvalidIdleTime)
				return
			}
			idle = n
			j++
		case opt == "freq" && additional >= 1 && idle == -1:
			n, ok := ctx.Int(j + 1)
			if !ok {
				return
			}
			if n < 0 || n > 255 {
				ctx.Error(rerr.InvalidFreq)
				return
			}
			freq = n
			j++
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	key := args[1]
	if !replace && ctx.DB.Exists(key) {
		ctx.Error(rerr.BusyKey)
		return
	}
	ttl, ok := ctx.Int(2)
	if !ok {
		return
	}
	if ttl < 0 {
		ctx.Error(rerr.InvalidTTL)
		return
	}
	v, err := rdb.LoadValueOptions(args[3], rdb.LoadOptions{SkipChecksum: skipChecksumValidation})
	if err != nil {
		if errors.Is(err, rdb.ErrDumpPayload) {
			ctx.Error(rerr.DumpPayload)
		} else {
			ctx.Error(rerr.BadDataFormat)
		}
		return
	}
	o, err := persist.ObjectOf(v, ctx.Srv.Config)
	if err != nil {
		ctx.Error(rerr.BadDataFormat)
		return
	}
	deleted := replace && ctx.DB.Delete(key)
	if ttl != 0 && !absttl {
		ttl += ctx.Now()
	}
	if ttl != 0 && ttl <= ctx.Now() && !obeyClient(ctx) {
		// Already expired: the key is not created (and a replaced one is
		// gone).
		if deleted {
			ctx.Dirty(1)
			ctx.Propagate([]byte("DEL"), key)
			ctx.Notify(nGeneric, "del", key)
		}
		ctx.W.OK()
		return
	}
	ctx.DB.Add(key, o)
	if ttl != 0 {
		ctx.DB.SetExpire(key, ttl)
		if !absttl {
			// Propagate the TTL as an absolute time.
			prop := make([][]byte, 0, len(args)+1)
			prop = append(prop, args[0], key, strconv.AppendInt(nil, ttl, 10))
			prop = append(prop, args[3:]...)
			prop = append(prop, []byte("ABSTTL"))
			ctx.Propagate(prop...)
		}
	}
	ctx.Srv.KS.SetAccess(o, int(freq), idle)
	ctx.Notify(nGeneric, "restore", key)
	ctx.Dirty(1)
	ctx.W.OK()
}

// debugReload implements DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE].
func debugReload(ctx *core.Ctx) {
	var merge, noflush, nosave bool
	for _, a := range ctx.Args[2:] {
		switch strings.ToUpper(string(a)) {
		case "MERGE":
			merge = true
		case "NOFLUSH":
			noflush = true
		case "NOSAVE":
			nosave = true
		default:
			ctx.Error(rerr.ReloadOptions)
			return
		}
	}
	m := manager(ctx)
	if m == nil {
		return
	}
	if err := m.DebugReload(merge, noflush, nosave); err != nil {
		ctx.Error(err.Error())
		return
	}
	ctx.W.OK()
}

// debugLoadAOF implements DEBUG LOADAOF.
func debugLoadAOF(ctx *core.Ctx) {
	m := manager(ctx)
	if m == nil {
		return
	}
	if err := m.DebugLoadAOF(); err != nil {
		ctx.Error(rerr.Err)
		return
	}
	ctx.W.OK()
}
