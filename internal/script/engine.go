package script

import (
	"crypto/sha1"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/splitargs"
)

// Flags are a script's or function's declared flags (shebang or
// register_function).
type Flags uint32

// Script flags.
const (
	FlagNoWrites Flags = 1 << iota
	FlagAllowOOM
	FlagAllowStale
	FlagNoCluster
	FlagAllowCrossSlot
	// FlagEvalCompat marks an EVAL script without shebang.
	FlagEvalCompat
)

var flagNames = []struct {
	f    Flags
	name string
}{
	{FlagNoWrites, "no-writes"}, {FlagAllowOOM, "allow-oom"}, {FlagAllowStale, "allow-stale"},
	{FlagNoCluster, "no-cluster"}, {FlagAllowCrossSlot, "allow-cross-slot-keys"},
}

// names returns the declared flag names in Redis's order.
func (f Flags) names() []string {
	var out []string
	for _, n := range flagNames {
		if f&n.f != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

func flagByName(s string) (Flags, bool) {
	for _, n := range flagNames {
		if n.name == s {
			return n.f, true
		}
	}
	return 0, false
}

// evalScript is one cached EVAL script.
type evalScript struct {
	body  string
	fn    *lua.LFunction
	flags Flags
}

// Engine is the Lua engine of one server.
type Engine struct {
	srv    *core.Server
	L      *lua.LState
	realG  *lua.LTable
	proxyG *lua.LTable
	// ro are the read-only proxies: rawset and setmetatable refuse them.
	ro   map[*lua.LTable]bool
	fake *core.Client

	scripts    map[string]*evalScript
	scriptsMem int64

	run     *core.ScriptRun
	load    *loadCtx
	hook    hookCtx
	rand    uint64
	inCall  bool
	libs    map[string]*library
	funcs   map[string]*function
	libAPI  *lua.LTable // the redis table seen while loading a library
	loadEnv *lua.LTable
}

var engines sync.Map // *core.Server → *Engine

// For returns the engine of s, creating it on first use.
func For(s *core.Server) *Engine {
	if e, ok := engines.Load(s); ok {
		return e.(*Engine)
	}
	e := newEngine(s)
	actual, _ := engines.LoadOrStore(s, e)
	return actual.(*Engine)
}

// Lookup returns the engine of s if it exists.
func Lookup(s *core.Server) *Engine {
	if e, ok := engines.Load(s); ok {
		return e.(*Engine)
	}
	return nil
}

func newEngine(s *core.Server) *Engine {
	e := &Engine{srv: s, scripts: map[string]*evalScript{}, libs: map[string]*library{}, funcs: map[string]*function{}}
	e.fake = s.NewScriptClient()
	e.rand = 0x1234ABCD330E
	e.hook.e = e
	e.hook.done = make(chan struct{})
	close(e.hook.done)
	e.initVM()
	e.bindFlags()
	return e
}

// bindFlags gives the server's EVAL and FCALL commands the flags their
// scripts declare (Redis's evalGetCommandFlags, fcallGetCommandFlags), so
// CLIENT PAUSE WRITE lets no-writes scripts run.
func (e *Engine) bindFlags() {
	for _, name := range []string{"eval", "evalsha", "eval_ro", "evalsha_ro"} {
		cmd := e.srv.Commands[name]
		if cmd == nil {
			continue
		}
		base, bySHA := cmd.Flags, strings.HasPrefix(name, "evalsha")
		cmd.DynamicFlags = func(args [][]byte) core.Flag {
			if len(args) < 2 {
				return base
			}
			if f, ok := e.ScriptFlags(bySHA, args[1]); ok {
				return CmdFlags(base, f)
			}
			return base
		}
	}
	for _, name := range []string{"fcall", "fcall_ro"} {
		cmd := e.srv.Commands[name]
		if cmd == nil {
			continue
		}
		base := cmd.Flags
		cmd.DynamicFlags = func(args [][]byte) core.Flag {
			if len(args) < 2 {
				return base
			}
			if f, ok := e.FunctionFlags(args[1]); ok {
				return CmdFlags(base, f)
			}
			return base
		}
	}
}

// sha1hex returns the lower-case hex SHA1 of s.
func sha1hex(s string) string {
	h := sha1.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// parseShebang extracts the flags of an EVAL script's "#!lua" line and
// returns the length of that line (kept newline excluded).
func parseShebang(body string) (Flags, int, string) {
	if !strings.HasPrefix(body, "#!") {
		return FlagEvalCompat, 0, ""
	}
	nl := strings.IndexByte(body, '\n')
	if nl < 0 {
		return 0, 0, "Invalid script shebang"
	}
	parts, err := splitargs.Split(body[:nl])
	if err != nil || len(parts) == 0 {
		return 0, 0, "Invalid engine in script shebang"
	}
	if parts[0] != "#!lua" {
		return 0, 0, "Unexpected engine in script shebang: " + parts[0]
	}
	var flags Flags
	for _, p := range parts[1:] {
		ps := p
		if !strings.HasPrefix(ps, "flags=") {
			return 0, 0, "Unknown lua shebang option: " + ps
		}
		ps = ps[6:]
		if ps == "" {
			continue
		}
		for _, f := range strings.Split(ps, ",") {
			fl, ok := flagByName(f)
			if !ok {
				return 0, 0, "Unexpected flag in script shebang: " + f
			}
			flags |= fl
		}
	}
	return flags, nl, ""
}

// createScript compiles body into the cache and returns its SHA1, or an
// error text (with its code).
func (e *Engine) createScript(body string) (string, *evalScript, string) {
	sha := sha1hex(body)
	if sc := e.scripts[sha]; sc != nil {
		return sha, sc, ""
	}
	flags, shebang, errText := parseShebang(body)
	if errText != "" {
		return "", nil, "ERR " + errText
	}
	fn, err := e.L.Load(strings.NewReader(body[shebang:]), "user_script")
	if err != nil {
		return "", nil, "ERR Error compiling script (new function): " + compileError(err)
	}
	e.L.SetFEnv(fn, e.proxyG)
	sc := &evalScript{body: body, fn: fn, flags: flags}
	e.scripts[sha] = sc
	e.scriptsMem += int64(len(body) + 40 + 64)
	return sha, sc, ""
}

// compileError formats a gopher-lua compile error like Lua's
// "user_script:1: msg".
func compileError(err error) string {
	msg := err.Error()
	if ae, ok := err.(*lua.ApiError); ok && ae.Cause != nil {
		msg = ae.Cause.Error()
	}
	msg = strings.TrimSpace(msg)
	// gopher-lua: "user_script line:1(column:5) near 'x':   syntax error"
	chunk, rest, ok := strings.Cut(msg, " line:")
	if ok && (chunk == "user_script" || chunk == "user_function") {
		line := rest
		if i := strings.IndexAny(rest, "("); i >= 0 {
			line = rest[:i]
		}
		detail := rest
		if i := strings.Index(rest, ") "); i >= 0 {
			detail = rest[i+2:]
		}
		detail = strings.Join(strings.Fields(detail), " ")
		return chunk + ":" + line + ": " + detail
	}
	return strings.Join(strings.Fields(msg), " ")
}

// ScriptLoad caches body (SCRIPT LOAD) and returns its SHA1 or an error.
func (e *Engine) ScriptLoad(body string) (string, string) {
	sha, _, err := e.createScript(body)
	return sha, err
}

// ScriptExists reports whether sha (any case) is cached.
func (e *Engine) ScriptExists(sha string) bool {
	return e.scripts[strings.ToLower(sha)] != nil
}

// ScriptFlush empties the script cache.
func (e *Engine) ScriptFlush() {
	e.scripts = map[string]*evalScript{}
	e.scriptsMem = 0
	e.L.SetGlobal("KEYS", lua.LNil)
}

// NumScripts is number_of_cached_scripts.
func (e *Engine) NumScripts() int { return len(e.scripts) }

// ScriptsMemory estimates the memory of the cached scripts' bodies.
func (e *Engine) ScriptsMemory() int64 { return e.scriptsMem }

// VMMemory estimates the Lua VM's memory (used_memory_lua).
func (e *Engine) VMMemory() int64 {
	return 31744 + e.scriptsMem*2 + int64(len(e.funcs))*512
}

// ScriptFlags returns the declared flags of EVAL/EVALSHA args (for the
// executor's pause and replica checks); ok is false when the script is
// unknown or has no shebang.
func (e *Engine) ScriptFlags(sha bool, body []byte) (Flags, bool) {
	var key string
	if sha {
		if len(body) != 40 {
			return 0, false
		}
		key = strings.ToLower(string(body))
	} else {
		key = sha1hex(string(body))
	}
	if sc := e.scripts[key]; sc != nil {
		return sc.flags, sc.flags&FlagEvalCompat == 0
	}
	if sha {
		return 0, false
	}
	f, _, err := parseShebang(string(body))
	if err != "" || f&FlagEvalCompat != 0 {
		return 0, false
	}
	return f, true
}

// CmdFlags turns declared script flags into command flags (Redis's
// scriptFlagsToCmdFlags).
func CmdFlags(cmd core.Flag, f Flags) core.Flag {
	cmd &^= core.FlagStale | core.FlagDenyOOM | core.FlagWrite | core.FlagMayReplicate
	if f&(FlagAllowOOM|FlagNoWrites) == 0 {
		cmd |= core.FlagDenyOOM
	}
	if f&FlagNoWrites == 0 {
		cmd |= core.FlagWrite
	}
	if f&FlagAllowStale != 0 {
		cmd |= core.FlagStale
	}
	return cmd
}

// numKeys parses EVAL/FCALL's numkeys argument; it replies and returns
// false on error.
func numKeys(ctx *core.Ctx) (int, bool) {
	n, ok := ctx.Int(2)
	if !ok {
		return 0, false
	}
	if n > int64(len(ctx.Args)-3) {
		ctx.Error("ERR Number of keys can't be greater than number of args")
		return 0, false
	}
	if n < 0 {
		ctx.Error("ERR Number of keys can't be negative")
		return 0, false
	}
	return int(n), true
}

// Eval runs EVAL, EVALSHA, EVAL_RO or EVALSHA_RO.
func (e *Engine) Eval(ctx *core.Ctx, bySHA, ro bool) {
	ctx.NoPropagate()
	// EVAL is skip_monitor: it is fed here, before the script's commands.
	ctx.Srv.FeedMonitors(ctx.Client, ctx.Client.DB, ctx.Args)
	if bySHA && len(ctx.Args[1]) != 40 {
		ctx.Error("NOSCRIPT No matching script. Please use EVAL.")
		return
	}
	nk, ok := numKeys(ctx)
	if !ok {
		return
	}
	var sc *evalScript
	var sha string
	if bySHA {
		sha = strings.ToLower(string(ctx.Args[1]))
		sc = e.scripts[sha]
		if sc == nil {
			ctx.Error("NOSCRIPT No matching script. Please use EVAL.")
			return
		}
	} else {
		var errText string
		sha, sc, errText = e.createScript(string(ctx.Args[1]))
		if errText != "" {
			ctx.Error(errText)
			return
		}
	}
	if !e.prepare(ctx, sc.flags, ro) {
		return
	}
	keys := ctx.Args[3 : 3+nk]
	argv := ctx.Args[3+nk:]
	e.realG.RawSetString("KEYS", e.stringArray(keys))
	e.realG.RawSetString("ARGV", e.stringArray(argv))
	e.call(ctx, sc.fn, sha, true, ro || (sc.flags&FlagEvalCompat == 0 && sc.flags&FlagNoWrites != 0), sc.flags, nil)
}

// prepare does scriptPrepareForRun's checks of the declared flags.
func (e *Engine) prepare(ctx *core.Ctx, flags Flags, ro bool) bool {
	if flags&FlagEvalCompat != 0 {
		return true
	}
	if flags&FlagNoWrites == 0 {
		if msg := ctx.Srv.WriteDeniedMessage(); msg != "" {
			ctx.Error("MISCONF " + scriptMisconf(msg))
			return false
		}
		if ro {
			ctx.Error("ERR Can not execute a script with write flag using *_ro command.")
			return false
		}
	}
	return true
}

func scriptMisconf(msg string) string {
	if strings.Contains(msg, "AOF") {
		aofErr := ""
		if i := strings.Index(msg, "AOF error: "); i >= 0 {
			aofErr = msg[i+len("AOF error: "):]
		} else if i := strings.LastIndex(msg, ": "); i >= 0 {
			aofErr = msg[i+2:]
		}
		return "Redis is configured to persist data to AOF, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: " + aofErr
	}
	return "Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts."
}

func (e *Engine) stringArray(args [][]byte) *lua.LTable {
	t := e.L.CreateTable(len(args), 0)
	for i, a := range args {
		t.RawSetInt(i+1, lua.LString(a))
	}
	return t
}

// call runs fn as the running script and writes its result to the
// caller. fargs are pushed as arguments (functions get KEYS, ARGV).
func (e *Engine) call(ctx *core.Ctx, fn *lua.LFunction, name string, eval, readOnly bool, flags Flags, fargs []lua.LValue) {
	caller := ctx.Client
	r := &core.ScriptRun{Caller: caller, Fake: e.fake, Name: name, Eval: eval, ReadOnly: readOnly, CallerArgs: copyArgs(ctx.Args),
		AllowOOM: flags&FlagEvalCompat == 0 && flags&FlagAllowOOM != 0}
	srv := ctx.Srv
	srv.ScriptBegin(r)
	e.run = r
	L := e.L
	if srv.Config.BusyReplyThreshold > 0 {
		e.hook.reset()
		L.SetContext(&e.hook)
	}
	L.Push(fn)
	for _, a := range fargs {
		L.Push(a)
	}
	err := L.PCall(len(fargs), 1, nil)
	if L.Context() != nil {
		L.RemoveContext()
	}
	killed := r.Killed()
	e.run = nil
	w := &caller.Out
	if err != nil {
		L.SetTop(0)
		msg, ignoreStats := e.errorReply(err, name, killed)
		if ignoreStats {
			w.Error(msg)
			ctx.ErrorCounted()
		} else {
			ctx.Error(msg)
		}
	} else {
		ret := L.Get(-1)
		L.SetTop(0)
		e.writeReply(ctx, w, ret, 0)
	}
	srv.ScriptEnd(r)
	e.fake.Out.Reset()
	if killed {
		srv.Log.Warn("Lua script killed by user with SCRIPT KILL.")
	}
}

// errorReply builds the error the caller gets for a failed script, as
// luaCallFunction: "<err> script: <name>, on <source>:<line>.".
func (e *Engine) errorReply(err error, name string, killed bool) (string, bool) {
	var obj lua.LValue = lua.LString(err.Error())
	if ae, ok := err.(*lua.ApiError); ok && ae.Object != nil {
		obj = ae.Object
	}
	if killed {
		// The position is where the kill stopped the script, as Redis's
		// hook raises it there ("user_function:2: ..."); a kill seen
		// outside Lua code has none.
		source, line := positionOf(lua.LVAsString(obj))
		if source == "" {
			source, line = "@user_script", "1"
		}
		return "ERR Script killed by user with SCRIPT KILL... script: " + name + ", on " + source + ":" + line + ".", false
	}
	var msg, source, line string
	ignore := false
	switch v := obj.(type) {
	case *lua.LTable:
		if s, ok := v.RawGetString("err").(lua.LString); ok {
			msg = string(s)
		} else {
			msg = "ERR " + lua.LVAsString(lua.LString(v.String()))
		}
		if s, ok := v.RawGetString("source").(lua.LString); ok {
			source = string(s)
		}
		switch l := v.RawGetString("line").(type) {
		case lua.LNumber:
			line = strconv.Itoa(int(l))
		case lua.LString:
			line = string(l)
		}
		if b, ok := v.RawGetString("ignore_error_stats_update").(lua.LBool); ok && bool(b) {
			ignore = true
		}
	default:
		s := lua.LVAsString(obj)
		if obj.Type() != lua.LTString && obj.Type() != lua.LTNumber {
			s = obj.String()
		}
		s = luaWording(s)
		msg = "ERR " + s
		source, line = positionOf(s)
	}
	out := msg
	if source != "" && line != "" {
		out += " script: " + name + ", on " + source + ":" + line + "."
	}
	return out, ignore
}

var indexNonTable = regexp.MustCompile(`attempt to index a non-table object\((\w+)\) with key '[^']*'`)

// luaWording rewrites gopher-lua's runtime error texts into Lua 5.1's,
// which scripts and tests match on.
func luaWording(s string) string {
	s = strings.ReplaceAll(s, "attempt to call a non-function object", "attempt to call a nil value")
	return indexNonTable.ReplaceAllString(s, "attempt to index a $1 value")
}

// positionOf extracts "@chunk", "line" from a Lua error message that
// starts with "chunk:line:".
func positionOf(msg string) (string, string) {
	for _, chunk := range []string{"user_script", "user_function"} {
		if rest, ok := strings.CutPrefix(msg, chunk+":"); ok {
			i := strings.IndexByte(rest, ':')
			if i > 0 {
				if _, err := strconv.Atoi(rest[:i]); err == nil {
					return "@" + chunk, rest[:i]
				}
			}
		}
	}
	return "", ""
}

// hookCtx is the context the VM consults before every instruction: every
// hookPeriod instructions it asks the server whether the script is slow
// (and lets other clients in) or was killed.
type hookCtx struct {
	e      *Engine
	n      int
	killed bool
	done   chan struct{}
}

const hookPeriod = 100000

func (h *hookCtx) reset() { h.n = 0; h.killed = false }

func (h *hookCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (h *hookCtx) Value(any) any               { return nil }
func (h *hookCtx) Err() error                  { return errKilled{} }

// Done returns a closed channel once the script must stop.
func (h *hookCtx) Done() <-chan struct{} {
	if h.killed {
		return h.done
	}
	h.n++
	if h.n < hookPeriod {
		return nil
	}
	h.n = 0
	if r := h.e.run; r != nil && h.e.srv.ScriptInterrupt(r) {
		h.killed = true
		return h.done
	}
	if ld := h.e.load; ld != nil && time.Since(ld.start) > 500*time.Millisecond {
		h.killed = true
		return h.done
	}
	return nil
}

type errKilled struct{}

func (errKilled) Error() string { return "Script killed by user with SCRIPT KILL..." }

func copyArgs(args [][]byte) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = append([]byte(nil), a...)
	}
	return out
}
