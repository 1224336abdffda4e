package command

import (
	"encoding/binary"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/lzf"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/script"
)

// FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL (FCALL is in
// scripting.go).

var _ = register(
	&core.Command{Name: "function", Arity: -2, Group: "scripting", Since: "7.0.0", Summary: "A container for function commands",
		Subcommands: map[string]*core.Command{
			"delete":  {Name: "delete", Arity: 3, Flags: core.FlagNoScript | core.FlagWrite, Handler: functionDelete, Group: "scripting", Since: "7.0.0", Summary: "Delete a function by name"},
			"dump":    {Name: "dump", Arity: 2, Flags: core.FlagNoScript, Handler: functionDump, Group: "scripting", Since: "7.0.0", Summary: "Dump all functions into a serialized binary payload"},
			"flush":   {Name: "flush", Arity: -2, Flags: core.FlagNoScript | core.FlagWrite, Handler: functionFlush, Group: "scripting", Since: "7.0.0", Summary: "Deleting all functions"},
			"help":    {Name: "help", Arity: 2, Flags: scriptHelp, Handler: functionHelp, Group: "scripting", Since: "7.0.0", Summary: "Show helpful text about the different subcommands"},
			"kill":    {Name: "kill", Arity: 2, Flags: core.FlagNoScript | core.FlagAllowBusy, Handler: functionKill, Group: "scripting", Since: "7.0.0", Summary: "Kill the function currently in execution."},
			"list":    {Name: "list", Arity: -2, Flags: core.FlagNoScript, Handler: functionList, Group: "scripting", Since: "7.0.0", Summary: "List information about all the functions"},
			"load":    {Name: "load", Arity: -3, Flags: core.FlagNoScript | core.FlagWrite | core.FlagDenyOOM, Handler: functionLoad, Group: "scripting", Since: "7.0.0", Summary: "Create a function with the given arguments (name, code, description)"},
			"restore": {Name: "restore", Arity: -3, Flags: core.FlagNoScript | core.FlagWrite | core.FlagDenyOOM, Handler: functionRestore, Group: "scripting", Since: "7.0.0", Summary: "Restore all the functions on the given payload"},
			"stats":   {Name: "stats", Arity: 2, Flags: core.FlagNoScript | core.FlagAllowBusy, Handler: functionStats, Group: "scripting", Since: "7.0.0", Summary: "Return information about the function currently running (name, description, duration)"},
		}},
)

func functionLoad(ctx *core.Ctx) {
	replace := false
	i := 2
	for ; i < len(ctx.Args)-1; i++ {
		if strings.EqualFold(string(ctx.Args[i]), "replace") {
			replace = true
			continue
		}
		ctx.Errorf("ERR Unknown option given: %s", ctx.Args[i])
		return
	}
	if i != len(ctx.Args)-1 {
		ctx.Error("ERR Function code is missing")
		return
	}
	name, err := script.For(ctx.Srv).FunctionLoad(string(ctx.Args[i]), replace)
	if err != "" {
		ctx.Error("ERR " + err)
		return
	}
	ctx.Dirty(1)
	ctx.W.BulkString(name)
}

func functionDelete(ctx *core.Ctx) {
	if !script.For(ctx.Srv).FunctionDelete(string(ctx.Args[2])) {
		ctx.Error("ERR Library not found")
		return
	}
	ctx.Dirty(1)
	ctx.W.OK()
}

func functionKill(ctx *core.Ctx) {
	if msg := ctx.Srv.ScriptKill(false); msg != "" {
		ctx.Error(msg)
		return
	}
	ctx.W.OK()
}

func functionList(ctx *core.Ctx) {
	withCode := false
	pattern := ""
	hasPattern := false
	for i := 2; i < len(ctx.Args); i++ {
		a := strings.ToLower(string(ctx.Args[i]))
		switch {
		case a == "withcode" && !withCode:
			withCode = true
		case a == "libraryname" && !hasPattern:
			if i+1 >= len(ctx.Args) {
				ctx.Error("ERR library name argument was not given")
				return
			}
			i++
			pattern, hasPattern = string(ctx.Args[i]), true
		default:
			ctx.Errorf("ERR Unknown argument %s", ctx.Args[i])
			return
		}
	}
	script.For(ctx.Srv).FunctionList(ctx.W, pattern, withCode)
}

func functionStats(ctx *core.Ctx) {
	e := script.For(ctx.Srv)
	ctx.W.MapLen(2)
	ctx.W.BulkString("running_script")
	if name, args, ms, ok := e.RunningStats(); ok {
		ctx.W.MapLen(3)
		ctx.W.BulkString("name")
		ctx.W.BulkString(name)
		ctx.W.BulkString("command")
		ctx.W.ArrayLen(len(args))
		for _, a := range args {
			ctx.W.Bulk(a)
		}
		ctx.W.BulkString("duration_ms")
		ctx.W.Int(ms)
	} else {
		ctx.W.Null()
	}
	ctx.W.BulkString("engines")
	ctx.W.MapLen(1)
	ctx.W.BulkString("LUA")
	ctx.W.MapLen(2)
	ctx.W.BulkString("libraries_count")
	ctx.W.Int(int64(e.NumLibraries()))
	ctx.W.BulkString("functions_count")
	ctx.W.Int(int64(e.NumFunctions()))
}

// rdbFunction2 is the RDB opcode of a function library.
const rdbFunction2 = 245

// functionsPayload serializes libraries as FUNCTION DUMP does: FUNCTION2
// opcodes with the code as RDB strings, the RDB version and a CRC64.
func functionsPayload(codes []string) []byte {
	var b []byte
	for _, c := range codes {
		b = append(b, rdbFunction2)
		b = appendRDBLen(b, uint64(len(c)))
		b = append(b, c...)
	}
	b = append(b, 10, 0)
	return binary.LittleEndian.AppendUint64(b, rdb.Checksum(b))
}

func appendRDBLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|0x40, byte(n))
	case n <= 0xffffffff:
		b = append(b, 0x80)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = append(b, 0x81)
	return binary.BigEndian.AppendUint64(b, n)
}

// readRDBLen reads a length; enc reports a special encoding (low bits in n).
func readRDBLen(b []byte) (n uint64, enc bool, used int, ok bool) {
	if len(b) == 0 {
		return 0, false, 0, false
	}
	switch b[0] >> 6 {
	case 0:
		return uint64(b[0] & 0x3f), false, 1, true
	case 1:
		if len(b) < 2 {
			return 0, false, 0, false
		}
		return uint64(b[0]&0x3f)<<8 | uint64(b[1]), false, 2, true
	case 2:
		switch b[0] {
		case 0x80:
			if len(b) < 5 {
				return 0, false, 0, false
			}
			return uint64(binary.BigEndian.Uint32(b[1:])), false, 5, true
		case 0x81:
			if len(b) < 9 {
				return 0, false, 0, false
			}
			return binary.BigEndian.Uint64(b[1:]), false, 9, true
		}
		return 0, false, 0, false
	}
	return uint64(b[0] & 0x3f), true, 1, true
}

// readRDBString reads one RDB string (plain or LZF-compressed).
func readRDBString(b []byte) ([]byte, int, bool) {
	n, enc, used, ok := readRDBLen(b)
	if !ok {
		return nil, 0, false
	}
	if !enc {
		if uint64(len(b)-used) < n {
			return nil, 0, false
		}
		return b[used : used+int(n)], used + int(n), true
	}
	if n != 3 { // only LZF strings are expected for code
		return nil, 0, false
	}
	clen, _, u1, ok := readRDBLen(b[used:])
	if !ok {
		return nil, 0, false
	}
	used += u1
	ulen, _, u2, ok := readRDBLen(b[used:])
	if !ok || ulen > 512<<20 {
		return nil, 0, false
	}
	used += u2
	if uint64(len(b)-used) < clen {
		return nil, 0, false
	}
	out := make([]byte, ulen)
	if _, err := lzf.Decompress(out, b[used:used+int(clen)]); err != nil {
		return nil, 0, false
	}
	return out, used + int(clen), true
}

func functionDump(ctx *core.Ctx) {
	ctx.W.Bulk(functionsPayload(script.For(ctx.Srv).LibraryCodes()))
}

func functionRestore(ctx *core.Ctx) {
	policy := "APPEND"
	if len(ctx.Args) > 4 {
		subcommandSyntaxError(ctx)
		return
	}
	if len(ctx.Args) == 4 {
		policy = strings.ToUpper(string(ctx.Args[3]))
		if policy != "FLUSH" && policy != "APPEND" && policy != "REPLACE" {
			ctx.Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
			return
		}
	}
	p := ctx.Args[2]
	if len(p) < 10 || binary.LittleEndian.Uint16(p[len(p)-10:]) > 10 ||
		binary.LittleEndian.Uint64(p[len(p)-8:]) != rdb.Checksum(p[:len(p)-8]) {
		ctx.Error("ERR DUMP payload version or checksum are wrong")
		return
	}
	body := p[:len(p)-10]
	var codes []string
	for len(body) > 0 {
		if body[0] != rdbFunction2 {
			if body[0] < 245 {
				ctx.Error("ERR given type is not a function")
			} else {
				ctx.Error("ERR can not read data type")
			}
			return
		}
		code, used, ok := readRDBString(body[1:])
		if !ok {
			ctx.Error("ERR failed loading the given functions payload")
			return
		}
		codes = append(codes, string(code))
		body = body[1+used:]
	}
	if err := script.For(ctx.Srv).Restore(codes, policy); err != "" {
		ctx.Error("ERR " + err)
		return
	}
	ctx.Dirty(1)
	ctx.W.OK()
}
