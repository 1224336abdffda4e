package command

import (
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// MODULE as a Redis 7.0 server with no module loaded answers it. Redis
// modules are shared libraries written against Redis's C API, which this
// server cannot load: LIST is always empty and LOAD/LOADEX fail as Redis's
// do for a file that does not load. LOAD, LOADEX and UNLOAD are protected
// by enable-module-command (core.FlagProtected), as in Redis.

var _ = register(moduleCommand())

func moduleCommand() *core.Command {
	m := docCommand("module")
	m.Subcommands = map[string]*core.Command{}
	handlers := map[string]core.Handler{
		"help": moduleHelp, "list": moduleList,
		"load": moduleLoad, "loadex": moduleLoad, "unload": moduleUnload,
	}
	for _, name := range docNames("module|") {
		sub := docCommand(name)
		sub.Name = name[len("module|"):]
		sub.Handler = handlers[sub.Name]
		if sub.Handler == nil {
			panic("command: no handler for " + name)
		}
		m.Subcommands[sub.Name] = sub
	}
	return m
}

func moduleList(ctx *core.Ctx) { ctx.W.ArrayLen(0) }

func moduleLoad(ctx *core.Ctx) {
	ctx.Srv.Log.Warn("Module " + string(ctx.Args[2]) + " failed to load: this server cannot load Redis modules")
	ctx.Error(rerr.ModuleLoad)
}

func moduleUnload(ctx *core.Ctx) { ctx.Error(rerr.ModuleUnload) }

func moduleHelp(ctx *core.Ctx) {
	replyHelp(ctx, []string{
		"LIST",
		"    Return a list of loaded modules.",
		"LOAD <path> [<arg> ...]",
		"    Load a module library from <path>, passing to it any optional arguments.",
		"LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
		"    Load a module library from <path>, while passing it module configurations and optional arguments.",
		"UNLOAD <name>",
		"    Unload a module.",
	})
}
