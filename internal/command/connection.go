package command

import (
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Connection commands: PING ECHO QUIT SELECT AUTH HELLO RESET.

const connFlags = core.FlagNoScript | core.FlagLoading | core.FlagStale | core.FlagFast | core.FlagNoAuth | core.FlagAllowBusy

var _ = register(
	&core.Command{Name: "ping", Arity: -1, Flags: core.FlagFast, Handler: ping, Group: "connection", Since: "1.0.0", Summary: "Ping the server"},
	&core.Command{Name: "echo", Arity: 2, Flags: core.FlagFast | core.FlagStale | core.FlagLoading, Handler: echo, Group: "connection", Since: "1.0.0", Summary: "Echo the given string"},
	&core.Command{Name: "quit", Arity: -1, Flags: core.FlagAllowBusy | core.FlagNoAuth | core.FlagFast | core.FlagStale | core.FlagLoading | core.FlagNoScript, Handler: quit, Group: "connection", Since: "1.0.0", Summary: "Close the connection"},
	&core.Command{Name: "select", Arity: 2, Flags: core.FlagLoading | core.FlagStale | core.FlagFast, Handler: selectDB, Group: "connection", Since: "1.0.0", Summary: "Change the selected database for the current connection"},
	&core.Command{Name: "auth", Arity: -2, Flags: connFlags, Handler: auth, Group: "connection", Since: "1.0.0", Summary: "Authenticate to the server"},
	&core.Command{Name: "hello", Arity: -1, Flags: connFlags, Handler: hello, Group: "connection", Since: "6.0.0", Summary: "Handshake with Redis"},
	&core.Command{Name: "reset", Arity: 1, Flags: connFlags, Handler: reset, Group: "connection", Since: "6.2.0", Summary: "Reset the connection"},
)

func ping(ctx *core.Ctx) {
	if len(ctx.Args) > 2 {
		ctx.Errorf(rerr.WrongArity, "ping")
		return
	}
	if ctx.Client.Proto == 2 && subscribed(ctx.Client) {
		// A RESP2 subscriber can only receive arrays.
		ctx.W.ArrayLen(2)
		ctx.W.BulkString("pong")
		if len(ctx.Args) == 2 {
			ctx.W.Bulk(ctx.Args[1])
		} else {
			ctx.W.BulkString("")
		}
		return
	}
	if len(ctx.Args) == 2 {
		ctx.W.Bulk(ctx.Args[1])
		return
	}
	ctx.W.Simple("PONG")
}

// subscribed reports whether c is in pub/sub mode.
func subscribed(c *core.Client) bool {
	if c.Kind == core.KindPubSub {
		return true
	}
	if clientHooks.PubSub != nil {
		s, p, ss := clientHooks.PubSub(c)
		return s+p+ss > 0
	}
	return false
}

func echo(ctx *core.Ctx) { ctx.W.Bulk(ctx.Args[1]) }

func quit(ctx *core.Ctx) {
	ctx.W.OK()
	ctx.Client.CloseAfterReply = true
}

func selectDB(ctx *core.Ctx) {
	n, ok := intArg(ctx, 1)
	if !ok {
		return
	}
	if n < 0 || n >= ctx.Srv.KS.Len() {
		ctx.Error(rerr.DBIndexRange)
		return
	}
	ctx.Client.DB = n
	ctx.W.OK()
}

// upper returns s in upper case (for subcommand names in errors).
func upper(b []byte) string { return strings.ToUpper(string(b)) }

// authenticate checks a username/password pair against the ACL users
// (internal/acl); on success the client becomes authenticated as that
// user.
func authenticate(ctx *core.Ctx, user, pass []byte) bool {
	if !registry(ctx.Srv).Authenticate(ctx.Client, ctx.Cmd, ctx.Args, user, pass) {
		return false
	}
	ctx.Client.User = string(user)
	ctx.Srv.SetAuthenticated(ctx.Client, true)
	return true
}

func auth(ctx *core.Ctx) {
	args := ctx.Args
	if len(args) > 3 {
		ctx.Error(rerr.Syntax)
		return
	}
	user, pass := []byte("default"), args[1]
	if len(args) == 2 {
		if nopass, _ := registry(ctx.Srv).DefaultUser(); nopass {
			ctx.Error(rerr.AuthNoPassword)
			return
		}
	} else {
		user, pass = args[1], args[2]
	}
	if !authenticate(ctx, user, pass) {
		ctx.Error(rerr.WrongPass)
		return
	}
	ctx.W.OK()
}

// hello implements HELLO [protover [AUTH user pass] [SETNAME name]].
func hello(ctx *core.Ctx) {
	args := ctx.Args
	c := ctx.Client
	var ver int64
	next := 1
	if len(args) >= 2 {
		v, ok := numfmt.ParseInt(args[1])
		if !ok {
			ctx.Error(rerr.ProtoNotInteger)
			return
		}
		if v < 2 || v > 3 {
			ctx.Error(rerr.NoProto)
			return
		}
		ver = v
		next = 2
	}
	for j := next; j < len(args); j++ {
		more := len(args) - 1 - j
		opt := string(args[j])
		switch {
		case strings.EqualFold(opt, "AUTH") && more >= 2:
			if !authenticate(ctx, args[j+1], args[j+2]) {
				ctx.Error(rerr.WrongPass)
				return
			}
			j += 2
		case strings.EqualFold(opt, "SETNAME") && more >= 1:
			if !setClientName(ctx, args[j+1]) {
				return
			}
			j++
		default:
			ctx.Errorf(rerr.HelloSyntax, opt)
			return
		}
	}
	if !c.Authenticated {
		ctx.Error(rerr.HelloNoAuth)
		return
	}
	if ver != 0 {
		c.Proto = int(ver)
		ctx.W.Proto = int(ver)
	}
	w := ctx.W
	w.MapLen(7)
	w.BulkString("server")
	w.BulkString("redis")
	w.BulkString("version")
	w.BulkString(core.Version)
	w.BulkString("proto")
	w.Int(int64(c.Proto))
	w.BulkString("id")
	w.Int(c.ID)
	w.BulkString("mode")
	w.BulkString("standalone")
	w.BulkString("role")
	w.BulkString(role(ctx))
	w.BulkString("modules")
	w.ArrayLen(0)
}

// role returns "master" or "replica" as HELLO reports it.
func role(ctx *core.Ctx) string {
	if serverHooks.IsReplica != nil && serverHooks.IsReplica() {
		return "replica"
	}
	return "master"
}

// resetHooks run on RESET for the state other command groups keep per
// client (transactions, WATCH, subscriptions, tracking, MONITOR).
var resetHooks []func(ctx *core.Ctx)

// onReset registers fn to run when a client sends RESET.
func onReset(fn func(ctx *core.Ctx)) bool {
	resetHooks = append(resetHooks, fn)
	return true
}

// reset implements RESET: back to a fresh connection's state.
func reset(ctx *core.Ctx) {
	c := ctx.Client
	if c.Kind == core.KindReplica || c.Kind == core.KindMaster {
		ctx.Error(rerr.ResetNotNormal)
		return
	}
	for _, fn := range resetHooks {
		fn(ctx)
	}
	c.Multi = nil
	c.DB = 0
	c.Proto = 2
	ctx.W.Proto = 2
	c.Name = ""
	c.User = ""
	c.ReplyMode = core.ReplyOn
	if c.Kind == core.KindPubSub {
		c.Kind = core.KindNormal
	}
	ctx.Srv.SetAuthenticated(c, ctx.Srv.DefaultAuthenticated())
	ctx.W.Simple("RESET")
}
