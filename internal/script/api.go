package script

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// The redis.* functions and the conversions between RESP and Lua values
// (Redis's redisProtocolToLuaType and luaReplyToRedisReply).

// errorTable builds the table redis.pcall returns for an error: {err =
// "CODE msg"}. text is "CODE msg", "-CODE msg" or a bare message (which
// gets the ERR code).
func errorTable(L *lua.LState, text string) *lua.LTable {
	var code, msg string
	if strings.HasPrefix(text, "-") {
		if i := strings.IndexByte(text, ' '); i >= 0 {
			code, msg = text[1:i], text[i+1:]
		} else {
			code, msg = "ERR", text[1:]
		}
	} else {
		code, msg = "ERR", text
	}
	msg = strings.Trim(msg, "\r\n")
	t := L.CreateTable(0, 2)
	t.RawSetString("err", lua.LString(code+" "+msg))
	return t
}

// raise raises t as a Lua error, with the caller's position.
func raise(L *lua.LState, t *lua.LTable) int {
	setPosition(L, t)
	L.Error(t, 0)
	return 0
}

func (e *Engine) redisCall(L *lua.LState, raiseErr bool) int {
	if e.run == nil {
		return raise(L, errorTable(L, "redis.call/pcall can only be called inside a script invocation"))
	}
	argc := L.GetTop()
	if argc == 0 {
		t := errorTable(L, "Please specify at least one argument for this redis lib call")
		if raiseErr {
			return raise(L, t)
		}
		L.Push(t)
		return 1
	}
	args := make([][]byte, argc)
	for i := 1; i <= argc; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			args[i-1] = []byte(v)
		case lua.LNumber:
			args[i-1] = strconv.AppendFloat(nil, float64(v), 'g', 17, 64)
		default:
			L.SetTop(0)
			t := errorTable(L, "Lua redis lib command arguments must be strings or integers")
			if raiseErr {
				return raise(L, t)
			}
			L.Push(t)
			return 1
		}
	}
	L.SetTop(0)
	if e.inCall {
		L.Push(errorTable(L, "luaRedisGenericCommand() recursive call detected. Are you doing funny stuff with Lua debug hooks?"))
		return 1
	}
	e.inCall = true
	e.fake.Out.Reset()
	errText := e.srv.ScriptCall(e.run, args)
	e.inCall = false
	if errText != "" {
		t := errorTable(L, "-"+errText)
		t.RawSetString("ignore_error_stats_update", lua.LTrue)
		e.fake.Out.Reset()
		if raiseErr {
			return raise(L, t)
		}
		L.Push(t)
		return 1
	}
	reply := e.fake.Out.Bytes()
	isErr := len(reply) > 0 && reply[0] == '-'
	p := replyParser{L: L, b: reply}
	v := p.parse()
	e.fake.Out.Reset()
	if raiseErr && isErr {
		if t, ok := v.(*lua.LTable); ok {
			return raise(L, t)
		}
	}
	L.Push(v)
	return 1
}

func redisSha1hex(L *lua.LState) int {
	if L.GetTop() != 1 {
		return raise(L, errorTable(L, "wrong number of arguments"))
	}
	L.Push(lua.LString(sha1hex(lua.LVAsString(L.Get(1)))))
	return 1
}

func redisErrorReply(L *lua.LState) int {
	s, ok := L.Get(1).(lua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errorTable(L, "wrong number or type of arguments"))
		return 1
	}
	text := string(s)
	if !strings.HasPrefix(text, "-") {
		text = "-" + text
	}
	L.Push(errorTable(L, text))
	return 1
}

func redisStatusReply(L *lua.LState) int {
	s, ok := L.Get(L.GetTop()).(lua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errorTable(L, "wrong number or type of arguments"))
		return 1
	}
	t := L.CreateTable(0, 1)
	t.RawSetString("ok", s)
	L.Push(t)
	return 1
}

func (e *Engine) redisSetRepl(L *lua.LState) int {
	if e.run == nil {
		return raise(L, errorTable(L, "redis.set_repl can only be called inside a script invocation"))
	}
	if L.GetTop() != 1 {
		return raise(L, errorTable(L, "redis.set_repl() requires two arguments."))
	}
	n, _ := L.Get(1).(lua.LNumber)
	flags := int(n)
	if flags&^3 != 0 {
		return raise(L, errorTable(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."))
	}
	e.run.Repl = flags
	return 0
}

func (e *Engine) redisSetResp(L *lua.LState) int {
	if e.run == nil {
		return raise(L, errorTable(L, "redis.setresp can only be called inside a script invocation"))
	}
	if L.GetTop() != 1 {
		return raise(L, errorTable(L, "redis.setresp() requires one argument."))
	}
	n, _ := L.Get(1).(lua.LNumber)
	if n != 2 && n != 3 {
		return raise(L, errorTable(L, "RESP version must be 2 or 3."))
	}
	e.fake.Proto = int(n)
	e.fake.Out.Proto = int(n)
	return 0
}

func (e *Engine) redisLog(L *lua.LState) int {
	argc := L.GetTop()
	if argc < 2 {
		return raise(L, errorTable(L, "redis.log() requires two arguments or more."))
	}
	lv, ok := L.Get(1).(lua.LNumber)
	if !ok {
		if s, isStr := L.Get(1).(lua.LString); isStr {
			if f, err := strconv.ParseFloat(strings.TrimSpace(string(s)), 64); err == nil {
				lv, ok = lua.LNumber(f), true
			}
		}
	}
	if !ok {
		return raise(L, errorTable(L, "First argument must be a number (log level)."))
	}
	level := int(lv)
	if level < logDebug || level > logWarning {
		return raise(L, errorTable(L, "Invalid debug level."))
	}
	var parts []string
	for i := 2; i <= argc; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString, lua.LNumber:
			parts = append(parts, lua.LVAsString(v))
		}
	}
	msg := strings.Join(parts, " ")
	log := e.srv.Log
	switch level {
	case logDebug:
		log.Debug(msg)
	case logVerbose:
		log.Debug(msg)
	case logNotice:
		log.Info(msg)
	default:
		log.Warn(msg)
	}
	return 0
}

func (e *Engine) redisACLCheck(L *lua.LState) int {
	if e.run == nil {
		return raise(L, errorTable(L, "redis.acl_check_cmd can only be called inside a script invocation"))
	}
	if L.GetTop() == 0 {
		return raise(L, errorTable(L, "Please specify at least one argument for this redis lib call"))
	}
	args := make([][]byte, L.GetTop())
	for i := range args {
		args[i] = []byte(lua.LVAsString(L.Get(i + 1)))
	}
	cmd := e.srv.Commands.Lookup(args)
	if cmd == nil {
		return raise(L, errorTable(L, "Invalid command passed to redis.acl_check_cmd()"))
	}
	L.Push(lua.LBool(e.srv.ACLAllowed(e.run.Caller, cmd, args)))
	return 1
}

// replyParser turns a RESP reply into a Lua value.
type replyParser struct {
	L   *lua.LState
	b   []byte
	pos int
}

func (p *replyParser) line() string {
	rest := p.b[p.pos:]
	i := strings.Index(string(rest), "\r\n")
	if i < 0 {
		p.pos = len(p.b)
		return string(rest)
	}
	p.pos += i + 2
	return string(rest[:i])
}

func (p *replyParser) bulk(n int) string {
	if p.pos+n > len(p.b) {
		n = len(p.b) - p.pos
	}
	s := string(p.b[p.pos : p.pos+n])
	p.pos += n + 2
	return s
}

func (p *replyParser) parse() lua.LValue {
	if p.pos >= len(p.b) {
		return lua.LNil
	}
	L := p.L
	t := p.b[p.pos]
	p.pos++
	ln := p.line()
	switch t {
	case ':':
		n, _ := strconv.ParseInt(ln, 10, 64)
		return lua.LNumber(n)
	case '$':
		n, _ := strconv.Atoi(ln)
		if n < 0 {
			return lua.LFalse
		}
		return lua.LString(p.bulk(n))
	case '+':
		tb := L.CreateTable(0, 1)
		tb.RawSetString("ok", lua.LString(ln))
		return tb
	case '-':
		tb := errorTable(L, "-"+ln)
		tb.RawSetString("ignore_error_stats_update", lua.LTrue)
		return tb
	case '*', '>':
		n, _ := strconv.Atoi(ln)
		if n < 0 {
			return lua.LFalse
		}
		tb := L.CreateTable(n, 0)
		for i := 1; i <= n; i++ {
			tb.RawSetInt(i, p.parse())
		}
		return tb
	case '%':
		n, _ := strconv.Atoi(ln)
		m := L.CreateTable(0, n)
		for i := 0; i < n; i++ {
			k := p.parse()
			v := p.parse()
			m.RawSet(k, v)
		}
		tb := L.CreateTable(0, 1)
		tb.RawSetString("map", m)
		return tb
	case '~':
		n, _ := strconv.Atoi(ln)
		m := L.CreateTable(0, n)
		for i := 0; i < n; i++ {
			m.RawSet(p.parse(), lua.LTrue)
		}
		tb := L.CreateTable(0, 1)
		tb.RawSetString("set", m)
		return tb
	case '_':
		return lua.LNil
	case '#':
		return lua.LBool(ln == "t")
	case ',':
		f, err := strconv.ParseFloat(ln, 64)
		if err != nil {
			switch ln {
			case "inf":
				f = math.Inf(1)
			case "-inf":
				f = math.Inf(-1)
			default:
				f = math.NaN()
			}
		}
		tb := L.CreateTable(0, 1)
		tb.RawSetString("double", lua.LNumber(f))
		return tb
	case '(':
		tb := L.CreateTable(0, 1)
		tb.RawSetString("big_number", lua.LString(ln))
		return tb
	case '=':
		n, _ := strconv.Atoi(ln)
		s := p.bulk(n)
		format, str := "txt", s
		if len(s) >= 4 {
			format, str = s[:3], s[4:]
		}
		v := L.CreateTable(0, 2)
		v.RawSetString("string", lua.LString(str))
		v.RawSetString("format", lua.LString(format))
		tb := L.CreateTable(0, 1)
		tb.RawSetString("verbatim_string", v)
		return tb
	case '|':
		n, _ := strconv.Atoi(ln)
		for i := 0; i < 2*n; i++ {
			p.parse()
		}
		return p.parse()
	}
	return lua.LNil
}

const maxReplyDepth = 4000

// writeReply converts a script's result into a reply to the caller.
func (e *Engine) writeReply(ctx *core.Ctx, w *resp.Writer, v lua.LValue, depth int) {
	if depth > maxReplyDepth {
		w.Error("ERR reached lua stack limit")
		return
	}
	switch x := v.(type) {
	case lua.LString:
		w.Bulk([]byte(x))
	case lua.LBool:
		if e.fake.Proto == 2 {
			if x {
				w.Int(1)
			} else {
				w.Null()
			}
		} else {
			w.Bool(bool(x))
		}
	case lua.LNumber:
		w.Int(toInt64(float64(x)))
	case *lua.LTable:
		if s, ok := x.RawGetString("err").(lua.LString); ok {
			msg := string(s)
			ignore := false
			if b, ok := x.RawGetString("ignore_error_stats_update").(lua.LBool); ok && bool(b) {
				ignore = true
			}
			if ignore {
				w.Error(msg)
				ctx.ErrorCounted()
			} else {
				ctx.Error(msg)
			}
			return
		}
		if s, ok := x.RawGetString("ok").(lua.LString); ok {
			w.Simple(strings.Map(func(r rune) rune {
				if r == '\r' || r == '\n' {
					return ' '
				}
				return r
			}, string(s)))
			return
		}
		if d, ok := x.RawGetString("double").(lua.LNumber); ok {
			w.Double(float64(d))
			return
		}
		if s, ok := x.RawGetString("big_number").(lua.LString); ok {
			b := strings.NewReplacer("\r", " ", "\n", " ").Replace(string(s))
			if w.Proto == 3 {
				w.RawString("(" + b + "\r\n")
			} else {
				w.BulkString(b)
			}
			return
		}
		if vt, ok := x.RawGetString("verbatim_string").(*lua.LTable); ok {
			f, fok := vt.RawGetString("format").(lua.LString)
			s, sok := vt.RawGetString("string").(lua.LString)
			if fok && sok {
				w.Verbatim(string(s), string(f))
				return
			}
		}
		if m, ok := x.RawGetString("map").(*lua.LTable); ok {
			h := w.DeferLen()
			n := 0
			forEach(m, func(k, val lua.LValue) {
				e.writeReply(ctx, w, k, depth+1)
				e.writeReply(ctx, w, val, depth+1)
				n++
			})
			w.SetDeferredMapLen(h, n)
			return
		}
		if s, ok := x.RawGetString("set").(*lua.LTable); ok {
			h := w.DeferLen()
			n := 0
			forEach(s, func(k, _ lua.LValue) {
				e.writeReply(ctx, w, k, depth+1)
				n++
			})
			w.SetDeferredSetLen(h, n)
			return
		}
		h := w.DeferLen()
		n := 0
		for j := 1; ; j++ {
			el := x.RawGetInt(j)
			if el == lua.LNil {
				break
			}
			e.writeReply(ctx, w, el, depth+1)
			n++
			if depth+1 > maxReplyDepth {
				break
			}
		}
		w.SetDeferredArrayLen(h, n)
	default:
		w.Null()
	}
}

func toInt64(f float64) int64 {
	if f != f {
		return math.MinInt64
	}
	if f >= 9.2233720368547758e18 || f < -9.2233720368547758e18 {
		return math.MinInt64
	}
	return int64(f)
}

// forEach visits t's pairs in the table's insertion order (Lua's next),
// so replies and encodings do not depend on Go's map order.
func forEach(t *lua.LTable, cb func(k, v lua.LValue)) {
	k, v := t.Next(lua.LNil)
	for k != lua.LNil {
		cb(k, v)
		k, v = t.Next(k)
	}
}
