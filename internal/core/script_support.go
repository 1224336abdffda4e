package core

import (
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Script support: what the Lua engine (internal/script) needs from the
// executor, after Redis's script.c. A running script calls commands as a
// fake client (no socket) through ScriptCall; the writes they make are
// collected like those of a transaction and propagated once the script
// ends, wrapped in MULTI/EXEC when there is more than one (effects
// replication). While a script runs longer than busy-reply-threshold the
// engine calls ScriptYield from a VM hook: the data lock is released for
// a moment so the front ends can serve other clients, which get -BUSY
// except for the few commands allowed while busy (SCRIPT KILL, FUNCTION
// KILL, SHUTDOWN NOSAVE …).

// ScriptRun is the state of the running script (Redis's scriptRunCtx).
type ScriptRun struct {
	// Caller is the client that sent EVAL/FCALL; Fake the client the
	// script's commands run as.
	Caller, Fake *Client
	// Name is the script's SHA1 or the function's name.
	Name string
	// Eval is set for EVAL scripts (SCRIPT KILL), clear for functions.
	Eval bool
	// ReadOnly refuses write commands (EVAL_RO, FCALL_RO, no-writes).
	ReadOnly bool
	// AllowOOM lets deny-oom commands run (allow-oom flag).
	AllowOOM bool
	// WriteDirty is set once a write command ran: the script cannot be
	// killed any more.
	WriteDirty bool
	// Repl is the redis.set_repl mask: 1 AOF, 2 replicas.
	Repl int
	// Start is when the script started.
	Start time.Time
	// CallerArgs is the command that runs the script (FUNCTION STATS).
	CallerArgs [][]byte

	timedOut atomic.Bool
	killed   atomic.Bool
	saved    struct {
		inExec  bool
		pending []pendingOp
	}
}

// Killed reports whether SCRIPT/FUNCTION KILL asked the script to stop.
func (r *ScriptRun) Killed() bool { return r.killed.Load() }

// TimedOut reports whether the script ran past busy-reply-threshold.
func (r *ScriptRun) TimedOut() bool { return r.timedOut.Load() }

// NewScriptClient returns a client that is not connected, for a script
// engine to run commands as.
func (s *Server) NewScriptClient() *Client {
	c := &Client{ID: -1, Authenticated: true, Script: true, Proto: 2, Addr: "", User: "default"}
	c.Out.Proto = 2
	return c
}

// ScriptRunning returns the running script, or nil.
func (s *Server) ScriptRunning() *ScriptRun { return s.script }

// ScriptBegin makes r the running script: from now on the writes of its
// commands are held and propagated by ScriptEnd.
func (s *Server) ScriptBegin(r *ScriptRun) {
	r.Start = time.Now()
	r.Repl = 3
	r.Fake.DB = r.Caller.DB
	r.Fake.User = r.Caller.User
	r.Fake.Proto = 2
	r.Fake.Out.Proto = 2
	r.saved.inExec = s.inExec
	if !s.inExec {
		r.saved.pending = s.execPending
		s.execPending = nil
		s.inExec = true
	}
	s.script = r
}

// ScriptEnd ends the running script and propagates its writes.
func (s *Server) ScriptEnd(r *ScriptRun) {
	s.script = nil
	if !r.saved.inExec {
		s.inExec = false
		s.flushExecPropagation(r.Caller.DB)
		s.execPending = r.saved.pending
	}
	if r.timedOut.Load() {
		s.Log.Warn("Script finished after being slow")
	}
}

// ScriptCall runs args as a command of the running script r. The reply is
// left in r.Fake.Out. A command the script may not run is refused with
// the returned error text (without the leading '-'), as Redis's
// scriptCall.
func (s *Server) ScriptCall(r *ScriptRun, args [][]byte) string {
	c := r.Fake
	cmd := s.Commands.lookup(args[0])
	if cmd != nil && cmd.Subcommands != nil && len(args) >= 2 {
		cmd = cmd.Subcommands[strings.ToLower(string(args[1]))]
		if cmd == nil {
			// Redis resolves the container and then fails on arity or
			// runs it; an unknown subcommand gets the container's error.
			cmd = s.Commands.lookup(args[0])
		}
	}
	if cmd == nil {
		return "ERR Unknown Redis command called from script"
	}
	if (cmd.Arity > 0 && cmd.Arity != len(args)) || len(args) < -cmd.Arity {
		return s.scriptReject(cmd, "ERR Wrong number of args calling Redis command from script")
	}
	if cmd.Subcommands != nil {
		// An unknown subcommand of a container.
		s.countError("ERR")
		cmd.RejectedCalls++
		return "ERR unknown subcommand '" + string(args[1]) + "'. Try " + strings.ToUpper(string(args[0])) + " HELP."
	}
	if cmd.Flags&FlagNoScript != 0 && !s.diag.noDenyScript {
		return s.scriptReject(cmd, rerr.ScriptNoScript)
	}
	if s.security != nil {
		if msg := s.security.CheckScript(c, cmd, args); msg != "" {
			return s.scriptReject(cmd, msg)
		}
	}
	flags := effectiveFlags(cmd, args)
	if r.ReadOnly && flags&(FlagWrite|FlagMayReplicate) != 0 {
		return s.scriptReject(cmd, rerr.ScriptWriteInRO)
	}
	// Until its first write, a script may still be refused what a client
	// would be (scriptVerifyWriteCommandAllow, scriptVerifyOOM); after it,
	// it must not fail half-way on the server's state.
	if flags&FlagWrite != 0 && !r.WriteDirty {
		if s.repl.filter != nil {
			if msg := s.repl.filter(r.Caller, cmd, flags); msg != "" {
				return s.scriptReject(cmd, msg)
			}
		}
		if s.ext.denyWrite != nil {
			if msg := s.ext.denyWrite(); msg != "" {
				return s.scriptReject(cmd, strings.TrimPrefix(msg, "-"))
			}
		}
	}
	if flags&FlagDenyOOM != 0 && !r.WriteDirty && !r.AllowOOM && s.Config.MaxMemory > 0 &&
		s.evict.preOOM && r.Caller.Kind != KindMaster {
		return s.scriptReject(cmd, rerr.OOM)
	}
	if flags&FlagWrite != 0 {
		r.WriteDirty = true
	}
	outer := s.ctx
	mark := len(s.execPending)
	s.call(c, cmd, args, time.Now())
	s.ctx = outer
	if r.Repl&3 == 0 && len(s.execPending) > mark {
		s.execPending = s.execPending[:mark]
	}
	return ""
}

func (s *Server) scriptReject(cmd *Command, msg string) string {
	cmd.RejectedCalls++
	s.countError(msg)
	return msg
}

// ScriptKill marks the running script as killed (SCRIPT KILL when eval,
// FUNCTION KILL otherwise) and returns the error text to reply, or "" for
// OK.
func (s *Server) ScriptKill(eval bool) string {
	r := s.script
	if r == nil {
		return rerr.ScriptNotBusy
	}
	if r.WriteDirty {
		return rerr.ScriptUnkillable
	}
	if eval && !r.Eval {
		return rerr.ScriptBusyFunction
	}
	if !eval && r.Eval {
		return rerr.ScriptBusyEval
	}
	r.killed.Store(true)
	return ""
}

// ScriptInterrupt is called by the engine from time to time while a
// script runs (every so many VM instructions). Once the script has run
// longer than busy-reply-threshold it lets the front ends serve other
// clients (they get -BUSY) by releasing the data lock for a moment. It
// reports whether the script was killed.
func (s *Server) ScriptInterrupt(r *ScriptRun) bool {
	if !r.timedOut.Load() {
		th := s.Config.BusyReplyThreshold
		if th <= 0 || time.Since(r.Start) < time.Duration(th)*time.Millisecond {
			return false
		}
		what := "FUNCTION KILL"
		if r.Eval {
			what = "SCRIPT KILL"
		}
		s.Log.Warn("Slow script detected: still in execution after " + time.Since(r.Start).Truncate(time.Millisecond).String() +
			". You can try killing the script using the " + what + " command. Script name is: " + r.Name + ".")
		r.timedOut.Store(true)
	}
	if s.ScriptYield != nil {
		// Other clients' commands run meanwhile: keep the script's
		// executor state.
		ctx, cur := s.ctx, s.current
		s.ScriptYield()
		s.ctx, s.current = ctx, cur
		s.setNow(time.Now())
	}
	return r.killed.Load()
}

// scriptBusy answers a command sent while a timed-out script runs: the
// commands allowed while busy run, the others get -BUSY. It reports
// whether it replied.
func (s *Server) scriptBusy(c *Client, cmd *Command) bool {
	r := s.script
	if r == nil || !r.timedOut.Load() || c == r.Caller || c == r.Fake {
		return false
	}
	// FUNCTION STATS is allowed while a function runs; while an EVAL
	// script runs it gets the EVAL -BUSY (functionStatsCommand).
	statsDuringEval := cmd.Name == "function|stats" && r.Eval
	if cmd.Flags&FlagAllowBusy != 0 && !statsDuringEval {
		return false
	}
	switch cmd.Name {
	case "script|kill", "function|kill":
		return false
	case "function|stats":
		if !statsDuringEval {
			return false
		}
	case "shutdown":
		// Only SHUTDOWN NOSAVE is allowed while busy: checked by its
		// handler's caller below.
	}
	msg := rerr.ScriptBusy
	if !r.Eval {
		msg = rerr.ScriptBusyFunctionRun
	}
	if cmd.Name == "exec" && c.Multi != nil {
		// EXEC rejected: the transaction is aborted (execCommandAbort).
		cmd.RejectedCalls++
		s.Discard(c)
		msg = "EXECABORT Transaction discarded because of: " + msg
		s.countError(msg)
		c.Out.Error(msg)
		return true
	}
	s.reject(c, cmd, msg)
	return true
}

// WriteDeniedMessage returns the -MISCONF text writes get while the
// server cannot persist, or "".
func (s *Server) WriteDeniedMessage() string {
	if s.ext.denyWrite == nil {
		return ""
	}
	return s.ext.denyWrite()
}

// FunctionsHook connects persistence to the function libraries without
// an import of the scripting engine: Codes returns every library's code
// (saved as RDB FUNCTION2 records), Load loads one (RDB loading; replace
// lets it replace a library of the same name, else that is an error, as
// Redis's RDBFLAGS_ALLOW_DUP) and Flush deletes them all (emptyData). Set
// by the command package; nil functions mean no scripting.
var FunctionsHook struct {
	Codes func(s *Server) []string
	Load  func(s *Server, code []byte, replace bool) error
	Flush func(s *Server)
}
