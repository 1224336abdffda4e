package command

import (
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/replication"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Replication commands: REPLICAOF/SLAVEOF, REPLCONF, PSYNC/SYNC, WAIT and
// ROLE. The work is internal/replication's Manager.

const replAdmin = core.FlagAdmin | core.FlagNoScript

var _ = register(
	&core.Command{Name: "replicaof", Arity: 3, Flags: replAdmin | core.FlagStale, Handler: replicaofCommand, Group: "server", Since: "5.0.0", Summary: "Make the server a replica of another instance, or promote it as master.", Categories: []string{"dangerous"}},
	&core.Command{Name: "slaveof", Arity: 3, Flags: replAdmin | core.FlagStale, Handler: replicaofCommand, Group: "server", Since: "1.0.0", Summary: "Make the server a replica of another instance, or promote it as master.", Categories: []string{"dangerous"}},
	&core.Command{Name: "replconf", Arity: -1, Flags: replAdmin | core.FlagLoading | core.FlagStale | core.FlagAllowBusy, Handler: replconfCommand, Group: "server", Since: "3.0.0", Summary: "An internal command for configuring the replication stream", Categories: []string{"dangerous"}},
	&core.Command{Name: "psync", Arity: -3, Flags: replAdmin | core.FlagNoMulti, Handler: syncCommand, Group: "server", Since: "2.8.0", Summary: "Internal command used for replication", Categories: []string{"dangerous"}},
	&core.Command{Name: "sync", Arity: 1, Flags: replAdmin | core.FlagNoMulti, Handler: syncCommand, Group: "server", Since: "1.0.0", Summary: "Internal command used for replication", Categories: []string{"dangerous"}},
	&core.Command{Name: "wait", Arity: 3, Flags: core.FlagNoScript, Handler: waitCommand, Group: "generic", Since: "3.0.0", Summary: "Wait for the synchronous replication of all the write commands sent in the context of the current connection", Categories: []string{"connection"}},
	&core.Command{Name: "failover", Arity: -1, Flags: replAdmin | core.FlagStale, Handler: failoverCommand, Group: "server", Since: "6.2.0", Summary: "Start a coordinated failover between this server and one of its replicas.", Categories: []string{"dangerous"}},
	&core.Command{Name: "role", Arity: 1, Flags: core.FlagNoScript | core.FlagLoading | core.FlagStale | core.FlagFast, Handler: roleCommand, Group: "server", Since: "2.8.12", Summary: "Return the role of the instance in the context of replication", Categories: []string{"admin", "dangerous"}},
)

func init() {
	infoSections["replication"] = func(ctx *core.Ctx) string {
		if m := replication.For(ctx.Srv); m != nil {
			return m.Info()
		}
		return infoReplication(ctx)
	}
}

// replFor returns the server's replication manager, replying an error
// when there is none.
func replFor(ctx *core.Ctx) *replication.Manager {
	m := replication.For(ctx.Srv)
	if m == nil {
		ctx.Error("ERR replication is not set up")
	}
	return m
}

func replicaofCommand(ctx *core.Ctx) {
	m := replFor(ctx)
	if m == nil {
		return
	}
	if m.FailingOver() {
		ctx.Error(rerr.ReplicaOfFailingOver)
		return
	}
	if strings.EqualFold(string(ctx.Args[1]), "no") && strings.EqualFold(string(ctx.Args[2]), "one") {
		m.NoOne()
		ctx.W.Simple("OK")
		return
	}
	if ctx.Client.Kind == core.KindReplica {
		ctx.Error(rerr.ReplicaOfReplica)
		return
	}
	port, ok := numfmt.ParseInt(ctx.Args[2])
	if !ok || port < 0 || port > 65535 {
		ctx.Error(rerr.InvalidMasterPort)
		return
	}
	if !m.ReplicaOf(string(ctx.Args[1]), int(port)) {
		ctx.W.Simple("OK Already connected to specified master")
		return
	}
	ctx.W.Simple("OK")
}

func replconfCommand(ctx *core.Ctx) {
	if m := replFor(ctx); m != nil {
		m.Replconf(ctx)
	}
}

func syncCommand(ctx *core.Ctx) {
	if m := replFor(ctx); m != nil {
		m.Sync(ctx)
	}
}

func waitCommand(ctx *core.Ctx) {
	if m := replFor(ctx); m != nil {
		m.Wait(ctx)
	}
}

func failoverCommand(ctx *core.Ctx) {
	if m := replFor(ctx); m != nil {
		m.Failover(ctx)
	}
}

func roleCommand(ctx *core.Ctx) {
	if m := replFor(ctx); m != nil {
		m.Role(ctx.W)
	}
}

// replSyncStat returns INFO stats' sync_full (0), sync_partial_ok (1) or
// sync_partial_err (2).
func replSyncStat(s *core.Server, i int) int64 {
	if m := replication.For(s); m != nil {
		full, ok, errs := m.SyncStats()
		return [3]int64{full, ok, errs}[i]
	}
	return 0
}
