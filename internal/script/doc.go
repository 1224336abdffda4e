// Package script is the Lua scripting engine: EVAL scripts and FUNCTION
// libraries, after Redis 7.0's eval.c, script_lua.c, function_lua.c and
// functions.c, on github.com/yuin/gopher-lua.
//
// One Engine per server owns one Lua VM, the script cache (SHA1 → compiled
// function) and the function libraries. Data flow: a command handler
// (internal/command/scripting.go, functions.go) calls Engine.Eval or
// Engine.FCall with its core.Ctx; the engine checks the script's flags,
// makes it the server's running script (core.Server.ScriptBegin) and calls
// the Lua function. redis.call/pcall turn their arguments into a command
// that core.Server.ScriptCall runs as a fake client; the RESP reply it
// leaves in the fake client's buffer is parsed back into Lua values
// (convert.go). The script's return value is written to the caller in
// RESP. The writes of the script's commands are collected by the executor
// and propagated once the script ends, wrapped in MULTI/EXEC.
//
// The VM is sandboxed as Redis's: globals and library tables are
// read-only proxies ("Attempt to modify a readonly table"), reading an
// undeclared global is an error, loadfile/dofile/print and the package
// library are absent. cjson, cmsgpack, bit and struct are implemented in
// Go (libs_*.go). A context whose Done method counts VM instructions gives
// the periodic hook that detects slow scripts (-BUSY) and SCRIPT KILL.
//
// All methods must be called by the data owner (event loop or under the
// data lock).
package script
