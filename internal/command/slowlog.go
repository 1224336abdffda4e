package command

import (
	"strings"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// SLOWLOG, and the argument redaction the slow log and MONITOR share. The
// executor records the entries (core/slowlog.go).

const diagAdmin = core.FlagAdmin | core.FlagNoScript | core.FlagLoading | core.FlagStale

var _ = register(
	&core.Command{Name: "slowlog", Arity: -2, Group: "server", Since: "2.2.12", Summary: "A container for slow log commands",
		Subcommands: map[string]*core.Command{
			"get":   {Name: "get", Arity: -2, Flags: core.FlagAdmin | loadStale, Handler: slowlogGet, Group: "server", Since: "2.2.12", Summary: "Get the slow log's entries"},
			"help":  {Name: "help", Arity: 2, Flags: loadStale, Handler: slowlogHelp, Group: "server", Since: "6.2.0", Summary: "Show helpful text about the different subcommands"},
			"len":   {Name: "len", Arity: 2, Flags: core.FlagAdmin | loadStale, Handler: slowlogLen, Group: "server", Since: "2.2.12", Summary: "Get the slow log's length"},
			"reset": {Name: "reset", Arity: 2, Flags: core.FlagAdmin | loadStale, Handler: slowlogReset, Group: "server", Since: "2.2.12", Summary: "Clear all entries from the slow log"},
		}},
)

func slowlogGet(ctx *core.Ctx) {
	if len(ctx.Args) > 3 {
		subcommandSyntaxError(ctx)
		return
	}
	count := 10
	if len(ctx.Args) == 3 {
		n, ok := numfmt.ParseInt(ctx.Args[2])
		if !ok || n < -1 {
			ctx.Error(rerr.SlowlogCount)
			return
		}
		count = int(min(n, int64(ctx.Srv.SlowlogLen())))
	}
	entries := ctx.Srv.Slowlog(count)
	w := ctx.W
	w.ArrayLen(len(entries))
	for _, e := range entries {
		w.ArrayLen(6)
		w.Int(e.ID)
		w.Int(e.Time)
		w.Int(e.Duration)
		w.ArrayLen(len(e.Args))
		for _, a := range e.Args {
			w.Bulk(a)
		}
		w.BulkString(e.Peer)
		w.BulkString(e.Name)
	}
}

func slowlogLen(ctx *core.Ctx) { ctx.W.Int(int64(ctx.Srv.SlowlogLen())) }

func slowlogReset(ctx *core.Ctx) {
	ctx.Srv.SlowlogReset()
	ctx.W.OK()
}

func slowlogHelp(ctx *core.Ctx) {
	replyHelp(ctx, []string{
		"GET [<count>]",
		"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
		"    Entries are made of:",
		"    id, timestamp, time in microseconds, arguments array, client IP and port,",
		"    client name",
		"LEN",
		"    Return the length of the slowlog.",
		"RESET",
		"    Reset the slowlog.",
	})
}

// redactors name, by full command name, the arguments Redis redacts from
// the slow log and MONITOR (redactClientCommandArgument): passwords and
// sensitive configuration values. They follow the commands' own parsing,
// so arguments after one the command rejects are shown as sent.
var redactors = map[string]func(args [][]byte) []int{
	"auth": func(args [][]byte) []int {
		switch len(args) {
		case 2:
			return []int{1}
		case 3:
			return []int{1, 2}
		}
		return nil
	},
	"hello": func(args [][]byte) []int {
		if len(args) < 2 {
			return nil
		}
		if v, ok := numfmt.ParseInt(args[1]); !ok || v < 2 || v > 3 {
			return nil
		}
		var pos []int
		for j := 2; j < len(args); j++ {
			more := len(args) - 1 - j
			switch opt := string(args[j]); {
			case strings.EqualFold(opt, "AUTH") && more >= 2:
				pos = append(pos, j+1, j+2)
				j += 2
			case strings.EqualFold(opt, "SETNAME") && more >= 1:
				j++
			default:
				return pos
			}
		}
		return pos
	},
	"config|set": func(args [][]byte) []int {
		if len(args)%2 != 0 {
			return nil // refused before any redaction
		}
		var pos []int
		for j := 2; j+1 < len(args); j += 2 {
			if config.Sensitive(string(args[j])) {
				pos = append(pos, j+1)
			}
		}
		return pos
	},
	"acl|setuser": func(args [][]byte) []int {
		var pos []int
		for j := 2; j < len(args); j++ {
			pos = append(pos, j)
		}
		return pos
	},
	"migrate": func(args [][]byte) []int {
		var pos []int
		for j := 6; j < len(args); j++ {
			more := len(args) - 1 - j
			switch strings.ToLower(string(args[j])) {
			case "copy", "replace":
			case "auth":
				if more < 1 {
					return pos
				}
				j++
				pos = append(pos, j)
			case "auth2":
				if more < 2 {
					return pos
				}
				pos = append(pos, j+1, j+2)
				j += 2
			default:
				return pos
			}
		}
		return pos
	},
}

// init attaches the redactors to the registered commands, whichever file
// registered them.
func init() {
	for _, g := range groups {
		for _, c := range g {
			if r := redactors[c.Name]; r != nil {
				c.Redact = r
			}
			for name, sub := range c.Subcommands {
				if r := redactors[c.Name+"|"+name]; r != nil {
					sub.Redact = r
				}
			}
		}
	}
}
