package script

import (
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/splitargs"
)

// Function libraries (FUNCTION LOAD, FCALL), after functions.c and
// function_lua.c.

type library struct {
	name  string
	code  string
	funcs map[string]*function
}

type function struct {
	name    string
	desc    string
	fn      *lua.LFunction
	flags   Flags
	lib     *library
	hasDesc bool
}

// loadCtx is the library being loaded (register_function adds to it).
type loadCtx struct {
	lib   *library
	start time.Time
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// parseLibMeta reads "#!lua name=<lib>" and returns engine, name.
func parseLibMeta(code string) (string, string, string) {
	if !strings.HasPrefix(code, "#!") {
		return "", "", "Missing library metadata"
	}
	nl := strings.IndexByte(code, '\n')
	if nl < 0 {
		return "", "", "Invalid library metadata"
	}
	parts, err := splitargs.Split(code[:nl])
	if err != nil || len(parts) == 0 {
		return "", "", "Invalid library metadata"
	}
	engine := parts[0][2:]
	name := ""
	for _, p := range parts[1:] {
		if v, ok := strings.CutPrefix(p, "name="); ok {
			if name != "" {
				return "", "", "Invalid metadata value, name argument was given multiple times"
			}
			name = v
			continue
		}
		return "", "", "Invalid metadata value given: " + p
	}
	if name == "" {
		return "", "", "Library name was not given"
	}
	return engine, name, ""
}

// FunctionLoad loads a library (FUNCTION LOAD); it returns the library
// name or an error text without code.
func (e *Engine) FunctionLoad(code string, replace bool) (string, string) {
	engine, name, errText := parseLibMeta(code)
	if errText != "" {
		return "", errText
	}
	if !validName(name) {
		return "", "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
	}
	if !strings.EqualFold(engine, "lua") {
		return "", "Engine '" + engine + "' not found"
	}
	old := e.libs[strings.ToLower(name)]
	if old != nil && !replace {
		return "", "Library '" + name + "' already exists"
	}
	lib := &library{name: name, code: code, funcs: map[string]*function{}}
	body := code[strings.IndexByte(code, '\n'):]
	fn, err := e.L.Load(strings.NewReader(body), "user_function")
	if err != nil {
		return "", "Error compiling function: " + compileError(err)
	}
	e.L.SetFEnv(fn, e.loadEnv)
	e.load = &loadCtx{lib: lib, start: time.Now()}
	e.hook.reset()
	e.L.SetContext(&e.hook)
	e.L.Push(fn)
	err = e.L.PCall(0, 0, nil)
	e.L.RemoveContext()
	timedOut := e.hook.killed
	e.hook.reset()
	e.load = nil
	if err != nil {
		e.L.SetTop(0)
		if timedOut {
			return "", "Error registering functions: FUNCTION LOAD timeout"
		}
		msg, _ := e.errorReply(err, name, false)
		if i := strings.Index(msg, " script: "); i >= 0 {
			msg = msg[:i]
		}
		return "", "Error registering functions: " + msg
	}
	if len(lib.funcs) == 0 {
		return "", "No functions registered"
	}
	for fname := range lib.funcs {
		if f := e.funcs[fname]; f != nil && f.lib != old {
			return "", "Function " + lib.funcs[fname].name + " already exists"
		}
	}
	if old != nil {
		e.unlinkLib(old)
	}
	e.linkLib(lib)
	return name, ""
}

func (e *Engine) linkLib(lib *library) {
	e.libs[strings.ToLower(lib.name)] = lib
	for n, f := range lib.funcs {
		e.funcs[n] = f
	}
}

func (e *Engine) unlinkLib(lib *library) {
	delete(e.libs, strings.ToLower(lib.name))
	for n := range lib.funcs {
		delete(e.funcs, n)
	}
}

func (e *Engine) registerFunction(L *lua.LState) int {
	if e.load == nil {
		return raise(L, errorTable(L, "redis.register_function can only be called on FUNCTION LOAD command"))
	}
	var name, desc string
	var hasDesc bool
	var cb *lua.LFunction
	var flags Flags
	fail := func(msg string) int { return raise(L, errorTable(L, msg)) }
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*lua.LTable)
		if !ok {
			return fail("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
		}
		var bad string
		forEach(t, func(k, v lua.LValue) {
			if bad != "" {
				return
			}
			ks, ok := k.(lua.LString)
			if !ok {
				bad = "named argument key given to redis.register_function is not a string"
				return
			}
			switch strings.ToLower(string(ks)) {
			case "function_name":
				s, ok := v.(lua.LString)
				if !ok {
					bad = "function_name argument given to redis.register_function must be a string"
					return
				}
				name = string(s)
			case "description":
				s, ok := v.(lua.LString)
				if !ok {
					bad = "description argument given to redis.register_function must be a string"
					return
				}
				desc, hasDesc = string(s), true
			case "callback":
				f, ok := v.(*lua.LFunction)
				if !ok {
					bad = "callback argument given to redis.register_function must be a function"
					return
				}
				cb = f
			case "flags":
				ft, ok := v.(*lua.LTable)
				if !ok {
					bad = "flags argument to redis.register_function must be a table representing function flags"
					return
				}
				forEach(ft, func(_, fv lua.LValue) {
					s, ok := fv.(lua.LString)
					f, known := flagByName(string(s))
					if !ok || !known {
						bad = "unknown flag given"
						return
					}
					flags |= f
				})
			default:
				bad = "unknown argument given to redis.register_function"
			}
		})
		if bad != "" {
			return fail(bad)
		}
		if name == "" {
			return fail("redis.register_function must get a function name argument")
		}
		if cb == nil {
			return fail("redis.register_function must get a callback argument")
		}
	case 2:
		s, ok := L.Get(1).(lua.LString)
		if !ok {
			return fail("first argument to redis.register_function must be a string")
		}
		f, ok := L.Get(2).(*lua.LFunction)
		if !ok {
			return fail("second argument to redis.register_function must be a function")
		}
		name, cb = string(s), f
	default:
		return fail("wrong number of arguments to redis.register_function")
	}
	if !validName(name) {
		return fail("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	lib := e.load.lib
	if lib.funcs[strings.ToLower(name)] != nil {
		return fail("Function already exists in the library")
	}
	e.L.SetFEnv(cb, e.proxyG)
	lib.funcs[strings.ToLower(name)] = &function{name: name, desc: desc, hasDesc: hasDesc, fn: cb, flags: flags, lib: lib}
	return 0
}

// FunctionFlags returns the declared flags of the function FCALL names.
func (e *Engine) FunctionFlags(name []byte) (Flags, bool) {
	f := e.funcs[strings.ToLower(string(name))]
	if f == nil {
		return 0, false
	}
	return f.flags, true
}

// FCall runs FCALL or FCALL_RO.
func (e *Engine) FCall(ctx *core.Ctx, ro bool) {
	ctx.NoPropagate()
	ctx.Srv.FeedMonitors(ctx.Client, ctx.Client.DB, ctx.Args)
	f := e.funcs[strings.ToLower(string(ctx.Args[1]))]
	if f == nil {
		ctx.Error("ERR Function not found")
		return
	}
	n, ok := parseInt(ctx.Args[2])
	if !ok {
		ctx.Error("ERR Bad number of keys provided")
		return
	}
	if n > int64(len(ctx.Args)-3) {
		ctx.Error("ERR Number of keys can't be greater than number of args")
		return
	}
	if n < 0 {
		ctx.Error("ERR Number of keys can't be negative")
		return
	}
	if !e.prepare(ctx, f.flags, ro) {
		return
	}
	keys := e.stringArray(ctx.Args[3 : 3+n])
	argv := e.stringArray(ctx.Args[3+n:])
	e.call(ctx, f.fn, f.name, false, ro || f.flags&FlagNoWrites != 0, f.flags, []lua.LValue{keys, argv})
}

func parseInt(b []byte) (int64, bool) {
	var n int64
	neg := false
	s := b
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	if len(s) == 0 || len(s) > 19 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// FunctionDelete removes a library.
func (e *Engine) FunctionDelete(name string) bool {
	lib := e.libs[strings.ToLower(name)]
	if lib == nil {
		return false
	}
	e.unlinkLib(lib)
	return true
}

// FunctionFlush removes every library.
func (e *Engine) FunctionFlush() {
	e.libs = map[string]*library{}
	e.funcs = map[string]*function{}
}

// NumLibraries and NumFunctions are FUNCTION STATS's counts.
func (e *Engine) NumLibraries() int { return len(e.libs) }

// NumFunctions returns the number of registered functions.
func (e *Engine) NumFunctions() int { return len(e.funcs) }

// FunctionList writes FUNCTION LIST's reply.
func (e *Engine) FunctionList(w *resp.Writer, pattern string, withCode bool) {
	var libs []*library
	for _, l := range e.libs {
		if pattern == "" || glob.Match([]byte(pattern), []byte(l.name), false) {
			libs = append(libs, l)
		}
	}
	sort.Slice(libs, func(i, j int) bool { return libs[i].name < libs[j].name })
	w.ArrayLen(len(libs))
	for _, lib := range libs {
		fields := 3
		if withCode {
			fields = 4
		}
		w.MapLen(fields)
		w.BulkString("library_name")
		w.BulkString(lib.name)
		w.BulkString("engine")
		w.BulkString("LUA")
		w.BulkString("functions")
		fs := make([]*function, 0, len(lib.funcs))
		for _, f := range lib.funcs {
			fs = append(fs, f)
		}
		sort.Slice(fs, func(i, j int) bool { return fs[i].name < fs[j].name })
		w.ArrayLen(len(fs))
		for _, f := range fs {
			w.MapLen(3)
			w.BulkString("name")
			w.BulkString(f.name)
			w.BulkString("description")
			if f.hasDesc {
				w.BulkString(f.desc)
			} else {
				w.Null()
			}
			w.BulkString("flags")
			fl := f.flags.names()
			w.SetLen(len(fl))
			for _, s := range fl {
				w.BulkString(s)
			}
		}
		if withCode {
			w.BulkString("library_code")
			w.BulkString(lib.code)
		}
	}
}

// LibraryCodes returns every library's code, sorted by name (FUNCTION
// DUMP, RDB).
func (e *Engine) LibraryCodes() []string {
	names := make([]string, 0, len(e.libs))
	for n := range e.libs {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = e.libs[n].code
	}
	return out
}

// Restore loads codes with the given policy ("FLUSH", "APPEND",
// "REPLACE"); on error nothing changes.
func (e *Engine) Restore(codes []string, policy string) string {
	oldLibs, oldFuncs := e.libs, e.funcs
	e.libs = map[string]*library{}
	e.funcs = map[string]*function{}
	for _, code := range codes {
		if _, err := e.FunctionLoad(code, false); err != "" {
			e.libs, e.funcs = oldLibs, oldFuncs
			return err
		}
	}
	restored := e.libs
	switch policy {
	case "FLUSH":
		return ""
	}
	// Merge the restored libraries into the old ones.
	e.libs, e.funcs = oldLibs, oldFuncs
	for name, lib := range restored {
		if old := e.libs[strings.ToLower(name)]; old != nil {
			if policy != "REPLACE" {
				e.libs, e.funcs = oldLibs, oldFuncs
				return "Library " + restored[name].name + " already exists"
			}
		}
		_ = lib
	}
	newLibs := map[string]*library{}
	newFuncs := map[string]*function{}
	for n, l := range oldLibs {
		if restored[n] == nil {
			newLibs[n] = l
			for fn, f := range l.funcs {
				newFuncs[fn] = f
			}
		}
	}
	for n, l := range restored {
		newLibs[n] = l
		for fn, f := range l.funcs {
			if newFuncs[fn] != nil {
				return "Function " + f.name + " already exists"
			}
			newFuncs[fn] = f
		}
	}
	e.libs, e.funcs = newLibs, newFuncs
	return ""
}

// RunningStats returns the running script's name, command and duration
// for FUNCTION STATS (ok false when none runs).
func (e *Engine) RunningStats() (name string, args [][]byte, ms int64, ok bool) {
	r := e.srv.ScriptRunning()
	if r == nil {
		return "", nil, 0, false
	}
	return r.Name, r.CallerArgs, time.Since(r.Start).Milliseconds(), true
}

// FunctionsMemory estimates the memory of the libraries' code.
func (e *Engine) FunctionsMemory() int64 {
	var n int64
	for _, l := range e.libs {
		n += int64(len(l.code)) + 200*int64(len(l.funcs))
	}
	return n
}
