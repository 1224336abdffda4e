package script

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The Lua VM: libraries, the sandbox and the redis API.

const (
	roError     = "Attempt to modify a readonly table"
	redisVer    = "7.0.15"
	redisVerNum = 0x07000f
)

// Log levels of redis.log (Redis's LL_*).
const (
	logDebug = iota
	logVerbose
	logNotice
	logWarning
)

func (e *Engine) initVM() {
	L := lua.NewState(lua.Options{SkipOpenLibs: true, RegistryMaxSize: 1024 * 1024, CallStackSize: 1024})
	e.L = L
	for _, open := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath}, {lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(open.fn))
		L.Push(lua.LString(open.name))
		L.Call(1, 0)
	}
	G := L.G.Global
	e.realG = G
	for _, name := range []string{"dofile", "loadfile", "print", "module", "require", "newproxy", "setfenv", "getfenv", "_printregs", "collectgarbage"} {
		G.RawSetString(name, lua.LNil)
	}
	G.RawSetString("collectgarbage", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LNumber(0)); return 1 }))
	G.RawSetString("gcinfo", L.NewFunction(func(L *lua.LState) int { L.Push(lua.LNumber(0)); return 1 }))
	// string.dump does not exist in gopher-lua; make sure of it.
	if st, ok := G.RawGetString("string").(*lua.LTable); ok {
		st.RawSetString("dump", lua.LNil)
	}
	math := G.RawGetString("math").(*lua.LTable)
	math.RawSetString("random", L.NewFunction(e.mathRandom))
	math.RawSetString("randomseed", L.NewFunction(e.mathRandomSeed))

	G.RawSetString("cjson", openCJSON(L))
	G.RawSetString("cmsgpack", openCMsgpack(L))
	G.RawSetString("bit", openBit(L))
	G.RawSetString("struct", openStruct(L))

	redis := L.NewTable()
	L.SetFuncs(redis, map[string]lua.LGFunction{
		"call":               func(L *lua.LState) int { return e.redisCall(L, true) },
		"pcall":              func(L *lua.LState) int { return e.redisCall(L, false) },
		"sha1hex":            redisSha1hex,
		"error_reply":        redisErrorReply,
		"status_reply":       redisStatusReply,
		"set_repl":           e.redisSetRepl,
		"replicate_commands": func(L *lua.LState) int { L.Push(lua.LTrue); return 1 },
		"setresp":            e.redisSetResp,
		"breakpoint":         func(L *lua.LState) int { L.Push(lua.LFalse); return 1 },
		"debug":              func(L *lua.LState) int { return 0 },
		"acl_check_cmd":      e.redisACLCheck,
	})
	e.registerLog(redis)
	for k, v := range map[string]int{"REPL_NONE": 0, "REPL_AOF": 1, "REPL_SLAVE": 2, "REPL_REPLICA": 2, "REPL_ALL": 3} {
		redis.RawSetString(k, lua.LNumber(v))
	}
	G.RawSetString("redis", redis)
	G.RawSetString("pcall", L.NewFunction(e.luaPcall))
	G.RawSetString("unpack", L.NewFunction(luaUnpack))
	G.RawSetString("error", L.NewFunction(luaError))
	G.RawSetString("setmetatable", L.NewFunction(e.luaSetMetatable))
	G.RawSetString("getmetatable", L.NewFunction(e.luaGetMetatable))
	G.RawSetString("rawset", L.NewFunction(e.luaRawSet))

	// The library API (FUNCTION LOAD): register_function, log, version.
	e.libAPI = L.NewTable()
	e.libAPI.RawSetString("register_function", L.NewFunction(e.registerFunction))
	e.registerLog(e.libAPI)

	// Read-only proxies of the library tables, then of the globals.
	e.ro = map[*lua.LTable]bool{}
	for _, name := range []string{"string", "math", "table", "coroutine", "cjson", "cmsgpack", "bit", "struct", "redis"} {
		if t, ok := G.RawGetString(name).(*lua.LTable); ok {
			G.RawSetString(name, e.readOnly(t))
		}
	}
	libRedis := e.readOnly(e.libAPI)
	libRedis.Metatable.(*lua.LTable).RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		k := L.Get(2)
		v := e.libAPI.RawGet(k)
		if v == lua.LNil {
			L.RaiseError("Script attempted to access nonexistent global variable '%s'", lua.LVAsString(k))
		}
		L.Push(v)
		return 1
	}))
	e.proxyG = e.globalsProxy(G, libRedis)
	G.RawSetString("_G", e.proxyG)
	e.loadEnv = e.proxyG
}

func (e *Engine) registerLog(t *lua.LTable) {
	L := e.L
	t.RawSetString("log", L.NewFunction(e.redisLog))
	t.RawSetString("LOG_DEBUG", lua.LNumber(logDebug))
	t.RawSetString("LOG_VERBOSE", lua.LNumber(logVerbose))
	t.RawSetString("LOG_NOTICE", lua.LNumber(logNotice))
	t.RawSetString("LOG_WARNING", lua.LNumber(logWarning))
	t.RawSetString("REDIS_VERSION", lua.LString(redisVer))
	t.RawSetString("REDIS_VERSION_NUM", lua.LNumber(redisVerNum))
}

// readOnly returns an empty table that reads through to t and refuses
// writes.
func (e *Engine) readOnly(t *lua.LTable) *lua.LTable {
	L := e.L
	p := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", t)
	return e.sealProxy(p, mt)
}

// sealProxy makes p, with metatable mt (whose __index the caller set), a
// read-only proxy: writes through it, and changes to its metatable, raise
// roError.
func (e *Engine) sealProxy(p, mt *lua.LTable) *lua.LTable {
	L := e.L
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError(roError)
		return 0
	}))
	roMT := L.NewTable()
	e.ro[roMT] = true
	roMTmt := L.NewTable()
	roMTmt.RawSetString("__index", mt)
	roMTmt.RawSetString("__newindex", mt.RawGetString("__newindex"))
	roMT.Metatable = roMTmt
	mt.RawSetString("__metatable", roMT)
	p.Metatable = mt
	e.ro[p] = true
	return p
}

// globalsProxy returns the read-only globals scripts see: reading an
// undeclared name is an error; while a library loads (FUNCTION LOAD),
// "redis" is libRedis, the library API (as Redis swaps the globals'
// __index during the load).
func (e *Engine) globalsProxy(G *lua.LTable, libRedis *lua.LTable) *lua.LTable {
	L := e.L
	p := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		k := L.Get(2)
		v := lua.LValue(lua.LNil)
		if e.load != nil {
			// Loading a library: only the library API exists.
			if s, ok := k.(lua.LString); ok && s == "redis" {
				v = libRedis
			}
		} else {
			v = G.RawGet(k)
		}
		if v == lua.LNil {
			L.RaiseError("Script attempted to access nonexistent global variable '%s'", lua.LVAsString(k))
		}
		L.Push(v)
		return 1
	}))
	return e.sealProxy(p, mt)
}

func (e *Engine) luaSetMetatable(L *lua.LState) int {
	if t, ok := L.Get(1).(*lua.LTable); ok && e.ro[t] {
		L.RaiseError(roError)
	}
	L.CheckTypes(2, lua.LTNil, lua.LTTable)
	obj := L.Get(1)
	if obj == lua.LNil {
		L.RaiseError("cannot set metatable to a nil object.")
	}
	if m, ok := L.GetMetatable(obj).(*lua.LTable); ok && m.RawGetString("__metatable") != lua.LNil {
		L.RaiseError("cannot change a protected metatable")
	}
	L.SetMetatable(obj, L.Get(2))
	L.SetTop(1)
	return 1
}

func (e *Engine) luaGetMetatable(L *lua.LState) int {
	obj := L.CheckAny(1)
	t, ok := obj.(*lua.LTable)
	if !ok {
		// Basic types' metatables are not reachable from scripts.
		L.Push(lua.LNil)
		return 1
	}
	mt, ok := t.Metatable.(*lua.LTable)
	if !ok {
		L.Push(lua.LNil)
		return 1
	}
	if p := mt.RawGetString("__metatable"); p != lua.LNil {
		L.Push(p)
		return 1
	}
	L.Push(mt)
	return 1
}

func (e *Engine) luaRawSet(L *lua.LState) int {
	t := L.CheckTable(1)
	if e.ro[t] {
		L.RaiseError(roError)
	}
	L.RawSet(t, L.CheckAny(2), L.CheckAny(3))
	L.SetTop(1)
	return 1
}

// luaError is error(): tables get the position of the caller, as
// Redis's error handler adds it.
func luaError(L *lua.LState) int {
	obj := L.CheckAny(1)
	level := L.OptInt(2, 1)
	if t, ok := obj.(*lua.LTable); ok {
		setPosition(L, t)
	}
	L.Error(obj, level)
	return 0
}

// setPosition records the calling Lua function's source and line in an
// error table.
func setPosition(L *lua.LState, t *lua.LTable) {
	for level := 1; level < 4; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			return
		}
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil {
			return
		}
		if dbg.What == "G" || dbg.CurrentLine <= 0 {
			continue
		}
		t.RawSetString("source", lua.LString("@"+strings.TrimPrefix(dbg.Source, "@")))
		t.RawSetString("line", lua.LNumber(dbg.CurrentLine))
		return
	}
}

// luaPcall is Redis's pcall: an error table raised by redis.call comes
// back as its err string.
func (e *Engine) luaPcall(L *lua.LState) int {
	L.CheckAny(1)
	nargs := L.GetTop() - 1
	err := L.PCall(nargs, lua.MultRet, nil)
	if err != nil {
		if e.hook.killed {
			// A killed script cannot catch the kill.
			L.RaiseError("%s", errKilled{}.Error())
		}
		var obj lua.LValue = lua.LString(err.Error())
		if ae, ok := err.(*lua.ApiError); ok && ae.Object != nil {
			obj = ae.Object
		}
		if t, ok := obj.(*lua.LTable); ok {
			if s, ok := t.RawGetString("err").(lua.LString); ok {
				obj = s
			}
		}
		L.SetTop(0)
		L.Push(lua.LFalse)
		L.Push(obj)
		return 2
	}
	n := L.GetTop()
	L.Insert(lua.LTrue, 1)
	return n + 1
}

// mathRandom is Redis's math.random over redisLrand48.
func (e *Engine) mathRandom(L *lua.LState) int {
	const max = 0x7fffffff
	var v int32
	e.rand, v = lrandNext(e.rand)
	r := float64(v%max) / float64(max)
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
	case 1:
		u := L.CheckInt(1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.Push(lua.LNumber(floor(r*float64(u)) + 1))
	case 2:
		l := L.CheckInt(1)
		u := L.CheckInt(2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.Push(lua.LNumber(floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (e *Engine) mathRandomSeed(L *lua.LState) int {
	var seed float64
	switch v := L.Get(1).(type) {
	case lua.LNumber:
		seed = float64(v)
	case lua.LString:
		f, err := strconv.ParseFloat(strings.TrimSpace(string(v)), 64)
		if err != nil {
			L.ArgError(1, "number expected, got string")
		}
		seed = f
	default:
		L.ArgError(1, "number expected, got "+v.Type().String())
	}
	e.rand = lrandSeed(int32(int64(seed)))
	return 0
}

func floor(f float64) float64 {
	i := float64(int64(f))
	if i > f {
		i--
	}
	return i
}

// lrandSeed and lrandNext are redisSrand48/redisLrand48 (the 48-bit
// linear congruential generator of drand48).
func lrandSeed(seed int32) uint64 {
	return (uint64(uint32(seed)) << 16) | 0x330E
}

func lrandNext(x uint64) (uint64, int32) {
	x = (0x5DEECE66D*x + 0xB) & (1<<48 - 1)
	return x, int32(x >> 17)
}

// luaUnpack is unpack with Lua 5.1's stack limit ("too many results to
// unpack") instead of an attempt to allocate the range.
func luaUnpack(L *lua.LState) int {
	t := L.CheckTable(1)
	i := int64(L.OptInt(2, 1))
	j := int64(t.Len())
	if L.GetTop() >= 3 && L.Get(3) != lua.LNil {
		j = int64(L.CheckInt(3))
	}
	if i > j {
		return 0
	}
	n := j - i + 1
	if n <= 0 || n >= 8000 {
		L.RaiseError("too many results to unpack")
	}
	for k := i; k <= j; k++ {
		L.Push(t.RawGetInt(int(k)))
	}
	return int(n)
}
