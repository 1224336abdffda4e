package command

import (
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

var _ = register(
	&core.Command{Name: "multi", Arity: 1, Flags: core.FlagNoScript | core.FlagLoading | core.FlagStale | core.FlagFast | core.FlagAllowBusy, Handler: multi, Group: "transactions", Since: "1.2.0", Summary: "Start a transaction block", Categories: []string{"transaction"}},
	&core.Command{Name: "exec", Arity: 1, Flags: core.FlagNoScript | core.FlagLoading | core.FlagStale | core.FlagSkipSlowlog, Handler: exec, Group: "transactions", Since: "1.2.0", Summary: "Execute all commands issued after MULTI", Categories: []string{"transaction"}},
	&core.Command{Name: "discard", Arity: 1, Flags: core.FlagNoScript | core.FlagLoading | core.FlagStale | core.FlagFast | core.FlagAllowBusy, Handler: discard, Group: "transactions", Since: "2.0.0", Summary: "Discard all commands issued after MULTI", Categories: []string{"transaction"}},
	&core.Command{Name: "watch", Arity: -2, Flags: core.FlagNoScript | core.FlagLoading | core.FlagStale | core.FlagFast | core.FlagAllowBusy, FirstKey: 1, LastKey: -1, Step: 1, Handler: watch, Group: "transactions", Since: "2.2.0", Summary: "Watch the given keys to determine execution of the MULTI/EXEC block", Categories: []string{"transaction"}},
	&core.Command{Name: "unwatch", Arity: 1, Flags: core.FlagNoScript | core.FlagLoading | core.FlagStale | core.FlagFast | core.FlagAllowBusy, Handler: unwatch, Group: "transactions", Since: "2.2.0", Summary: "Forget about all watched keys", Categories: []string{"transaction"}},
)

func multi(ctx *core.Ctx) {
	if ctx.Client.Multi != nil {
		ctx.Error(rerr.MultiNested)
		return
	}
	ctx.Client.Multi = &core.MultiState{}
	ctx.W.OK()
}

func exec(ctx *core.Ctx) { ctx.Srv.ExecTransaction(ctx) }

func discard(ctx *core.Ctx) {
	if ctx.Client.Multi == nil {
		ctx.Error(rerr.DiscardWithoutMulti)
		return
	}
	ctx.Srv.Discard(ctx.Client)
	ctx.W.OK()
}

func watch(ctx *core.Ctx) {
	if ctx.Client.Multi != nil {
		ctx.Error(rerr.WatchInMulti)
		return
	}
	if !ctx.Client.DirtyCAS {
		for _, k := range ctx.Args[1:] {
			ctx.Srv.Watch(ctx.Client, ctx.Client.DB, k)
		}
	}
	ctx.W.OK()
}

func unwatch(ctx *core.Ctx) {
	ctx.Srv.Unwatch(ctx.Client)
	ctx.Client.DirtyCAS = false
	ctx.W.OK()
}

func init() {
	clientHooks.DirtyCAS = func(c *core.Client) bool { return c.DirtyCAS }
	onReset(func(ctx *core.Ctx) { ctx.Srv.Discard(ctx.Client) })
}
