package command

import (
	"errors"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/script"
)

// Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (the engine is
// internal/script).

const (
	evalFlags   = core.FlagNoScript | core.FlagSkipMonitor | core.FlagMayReplicate | core.FlagStale
	evalRoFlags = core.FlagNoScript | core.FlagSkipMonitor | core.FlagStale | core.FlagReadOnly
)

// scriptKeys returns the key positions of EVAL/FCALL: numkeys keys after
// the numkeys argument.
func scriptKeys(args [][]byte) []int {
	if len(args) < 3 {
		return nil
	}
	n, ok := parseSmallInt(args[2])
	if !ok || n <= 0 || n > len(args)-3 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = 3 + i
	}
	return out
}

func parseSmallInt(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func evalCmd(name string, flags core.Flag, handler core.Handler, since, summary string) *core.Command {
	return &core.Command{Name: name, Arity: -3, Flags: flags, KeysFunc: scriptKeys, FirstKey: 3, LastKey: -1, Step: 1,
		Handler: handler, Group: "scripting", Since: since, Summary: summary}
}

var _ = register(
	evalCmd("eval", evalFlags, func(ctx *core.Ctx) { script.For(ctx.Srv).Eval(ctx, false, false) }, "2.6.0", "Execute a Lua script server side"),
	evalCmd("evalsha", evalFlags, func(ctx *core.Ctx) { script.For(ctx.Srv).Eval(ctx, true, false) }, "2.6.0", "Execute a Lua script server side"),
	evalCmd("eval_ro", evalRoFlags, func(ctx *core.Ctx) { script.For(ctx.Srv).Eval(ctx, false, true) }, "7.0.0", "Execute a read-only Lua script server side"),
	evalCmd("evalsha_ro", evalRoFlags, func(ctx *core.Ctx) { script.For(ctx.Srv).Eval(ctx, true, true) }, "7.0.0", "Execute a read-only Lua script server side"),
	evalCmd("fcall", evalFlags, func(ctx *core.Ctx) { script.For(ctx.Srv).FCall(ctx, false) }, "7.0.0", "Invoke a function"),
	evalCmd("fcall_ro", evalRoFlags, func(ctx *core.Ctx) { script.For(ctx.Srv).FCall(ctx, true) }, "7.0.0", "Invoke a read-only function"),
	&core.Command{Name: "script", Arity: -2, Group: "scripting", Since: "2.6.0", Summary: "A container for Lua scripts management commands",
		Subcommands: map[string]*core.Command{
			"debug":  {Name: "debug", Arity: 3, Flags: core.FlagNoScript, Handler: scriptDebug, Group: "scripting", Since: "3.2.0", Summary: "Set the debug mode for executed scripts."},
			"exists": {Name: "exists", Arity: -3, Flags: core.FlagNoScript, Handler: scriptExists, Group: "scripting", Since: "2.6.0", Summary: "Check existence of scripts in the script cache."},
			"flush":  {Name: "flush", Arity: -2, Flags: core.FlagNoScript, Handler: scriptFlush, Group: "scripting", Since: "2.6.0", Summary: "Remove all the scripts from the script cache."},
			"help":   {Name: "help", Arity: 2, Flags: scriptHelp, Handler: scriptHelpCmd, Group: "scripting", Since: "5.0.0", Summary: "Show helpful text about the different subcommands"},
			"kill":   {Name: "kill", Arity: 2, Flags: core.FlagNoScript | core.FlagAllowBusy, Handler: scriptKill, Group: "scripting", Since: "2.6.0", Summary: "Kill the script currently in execution."},
			"load":   {Name: "load", Arity: 3, Flags: core.FlagNoScript | core.FlagStale, Handler: scriptLoad, Group: "scripting", Since: "2.6.0", Summary: "Load the specified Lua script into the script cache."},
		}},
)

func init() {
	serverHooks.FlushScripts = func(s *core.Server, _ bool) {
		script.For(s).ScriptFlush()
	}
	serverHooks.FlushFunctions = func(s *core.Server, _ bool) {
		script.For(s).FunctionFlush()
	}
	core.FunctionsHook.Codes = func(s *core.Server) []string {
		if e := script.Lookup(s); e != nil {
			return e.LibraryCodes()
		}
		return nil
	}
	core.FunctionsHook.Load = func(s *core.Server, code []byte, replace bool) error {
		if _, err := script.For(s).FunctionLoad(string(code), replace); err != "" {
			return errors.New(err)
		}
		return nil
	}
	core.FunctionsHook.Flush = func(s *core.Server) {
		if e := script.Lookup(s); e != nil {
			e.FunctionFlush()
		}
	}
	serverHooks.ScriptMemory = func(s *core.Server) scriptMem {
		e := script.Lookup(s)
		if e == nil {
			return scriptMem{vmEval: 31744, vmFuncs: 32768}
		}
		return scriptMem{vmEval: e.VMMemory(), vmFuncs: 32768 + int64(e.NumFunctions())*400, scriptsEval: e.ScriptsMemory(),
			numScripts: int64(e.NumScripts()), numFuncs: int64(e.NumFunctions()), numLibs: int64(e.NumLibraries()),
			funcs: e.FunctionsMemory()}
	}
}

func scriptExists(ctx *core.Ctx) {
	e := script.For(ctx.Srv)
	ctx.W.ArrayLen(len(ctx.Args) - 2)
	for _, a := range ctx.Args[2:] {
		if e.ScriptExists(string(a)) {
			ctx.W.Int(1)
		} else {
			ctx.W.Int(0)
		}
	}
}

func scriptLoad(ctx *core.Ctx) {
	sha, err := script.For(ctx.Srv).ScriptLoad(string(ctx.Args[2]))
	if err != "" {
		ctx.Error(err)
		return
	}
	ctx.W.BulkString(sha)
}

func scriptKill(ctx *core.Ctx) {
	if msg := ctx.Srv.ScriptKill(true); msg != "" {
		ctx.Error(msg)
		return
	}
	ctx.W.OK()
}

func scriptDebug(ctx *core.Ctx) {
	switch strings.ToLower(string(ctx.Args[2])) {
	case "no":
		ctx.W.OK()
	case "yes", "sync":
		ctx.Error("ERR SCRIPT DEBUG is not supported by this server")
	default:
		ctx.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO")
	}
}

var _ = rerr.ScriptBusy

// scriptMem are the scripting figures of INFO memory.
type scriptMem struct {
	vmEval, vmFuncs, scriptsEval, numScripts, numFuncs, numLibs, funcs int64
}
