package script

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The libraries Redis bundles with its Lua: bit (LuaBitOp), cjson,
// cmsgpack and struct, written in Go for what scripts use.

func tobit(L *lua.LState, i int) int32 {
	f := float64(L.CheckNumber(i))
	// LuaBitOp normalises through a 2^52+2^51 bias: modular wrap.
	return int32(uint32(int64(math.Floor(f+0.5)) & 0xffffffff))
}

func openBit(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	fold := func(op func(a, b int32) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			r := tobit(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				r = op(r, tobit(L, i))
			}
			L.Push(lua.LNumber(r))
			return 1
		}
	}
	L.SetFuncs(t, map[string]lua.LGFunction{
		"tobit": func(L *lua.LState) int { L.Push(lua.LNumber(tobit(L, 1))); return 1 },
		"bnot":  func(L *lua.LState) int { L.Push(lua.LNumber(^tobit(L, 1))); return 1 },
		"band":  fold(func(a, b int32) int32 { return a & b }),
		"bor":   fold(func(a, b int32) int32 { return a | b }),
		"bxor":  fold(func(a, b int32) int32 { return a ^ b }),
		"lshift": func(L *lua.LState) int {
			L.Push(lua.LNumber(int32(uint32(tobit(L, 1)) << (uint32(tobit(L, 2)) & 31))))
			return 1
		},
		"rshift": func(L *lua.LState) int {
			L.Push(lua.LNumber(int32(uint32(tobit(L, 1)) >> (uint32(tobit(L, 2)) & 31))))
			return 1
		},
		"arshift": func(L *lua.LState) int {
			L.Push(lua.LNumber(tobit(L, 1) >> (uint32(tobit(L, 2)) & 31)))
			return 1
		},
		"rol": func(L *lua.LState) int {
			b, n := uint32(tobit(L, 1)), uint32(tobit(L, 2))&31
			L.Push(lua.LNumber(int32(b<<n | b>>((32-n)&31))))
			return 1
		},
		"ror": func(L *lua.LState) int {
			b, n := uint32(tobit(L, 1)), uint32(tobit(L, 2))&31
			L.Push(lua.LNumber(int32(b>>n | b<<((32-n)&31))))
			return 1
		},
		"bswap": func(L *lua.LState) int {
			b := uint32(tobit(L, 1))
			L.Push(lua.LNumber(int32(b>>24 | (b>>8)&0xff00 | (b&0xff00)<<8 | b<<24)))
			return 1
		},
		"tohex": func(L *lua.LState) int {
			b := uint32(tobit(L, 1))
			n := int32(8)
			if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
				n = tobit(L, 2)
			}
			digits := "0123456789abcdef"
			if n < 0 {
				if n == math.MinInt32 {
					n = math.MaxInt32
				} else {
					n = -n
				}
				digits = "0123456789ABCDEF"
			}
			if n > 8 {
				n = 8
			}
			buf := make([]byte, n)
			for i := int(n) - 1; i >= 0; i-- {
				buf[i] = digits[b&15]
				b >>= 4
			}
			L.Push(lua.LString(buf))
			return 1
		},
	})
	return t
}

// ---- cjson ----

type cjsonConfig struct {
	encodeMaxDepth, decodeMaxDepth int
	invalidNumbers                 bool
}

func openCJSON(L *lua.LState) *lua.LTable {
	cfg := &cjsonConfig{encodeMaxDepth: 1000, decodeMaxDepth: 1000}
	t := L.NewTable()
	setInt := func(dst *int) lua.LGFunction {
		return func(L *lua.LState) int {
			if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
				*dst = L.CheckInt(1)
			}
			L.Push(lua.LNumber(*dst))
			return 1
		}
	}
	L.SetFuncs(t, map[string]lua.LGFunction{
		"encode": func(L *lua.LState) int {
			var b strings.Builder
			if err := jsonEncode(&b, L.CheckAny(1), 1, cfg); err != "" {
				L.RaiseError("%s", err)
			}
			L.Push(lua.LString(b.String()))
			return 1
		},
		"decode": func(L *lua.LState) int {
			s := L.CheckString(1)
			if jsonDepth(s) > cfg.decodeMaxDepth {
				L.RaiseError("Found too many nested data structures (%d) at character 1", cfg.decodeMaxDepth+1)
			}
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				L.RaiseError("Expected value but found invalid token at character 1")
			}
			L.Push(jsonToLua(L, v))
			return 1
		},
		"encode_keep_buffer":      func(L *lua.LState) int { return 0 },
		"encode_max_depth":        setInt(&cfg.encodeMaxDepth),
		"decode_max_depth":        setInt(&cfg.decodeMaxDepth),
		"encode_number_precision": func(L *lua.LState) int { L.Push(lua.LNumber(14)); return 1 },
		"encode_invalid_numbers": func(L *lua.LState) int {
			if L.GetTop() >= 1 {
				cfg.invalidNumbers = lua.LVAsBool(L.Get(1))
			}
			L.Push(lua.LBool(cfg.invalidNumbers))
			return 1
		},
		"decode_invalid_numbers": func(L *lua.LState) int { L.Push(lua.LTrue); return 1 },
		"encode_sparse_array":    func(L *lua.LState) int { return 0 },
	})
	t.RawSetString("null", lua.LNil)
	return t
}

// jsonDepth returns the deepest nesting of arrays and objects in s.
func jsonDepth(s string) int {
	depth, max := 0, 0
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr:
			if esc {
				esc = false
			} else if c == '\\' {
				esc = true
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
			if depth > max {
				max = depth
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return max
}

func jsonEncode(b *strings.Builder, v lua.LValue, depth int, cfg *cjsonConfig) string {
	switch x := v.(type) {
	case lua.LString:
		js, _ := json.Marshal(string(x))
		b.Write(js)
	case lua.LNumber:
		f := float64(x)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			if !cfg.invalidNumbers {
				return "Cannot serialise number: must not be NaN or Inf"
			}
			switch {
			case math.IsNaN(f):
				b.WriteString("nan")
			case f > 0:
				b.WriteString("inf")
			default:
				b.WriteString("-inf")
			}
			return ""
		}
		b.WriteString(strconv.FormatFloat(f, 'g', 14, 64))
	case lua.LBool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case *lua.LNilType:
		b.WriteString("null")
	case *lua.LTable:
		if depth > cfg.encodeMaxDepth {
			return "Cannot serialise, excessive nesting (" + strconv.Itoa(depth) + ")"
		}
		n := x.MaxN()
		isArray := true
		count := 0
		forEach(x, func(k, _ lua.LValue) {
			count++
			if f, ok := k.(lua.LNumber); !ok || float64(f) != math.Floor(float64(f)) || f < 1 {
				isArray = false
			}
		})
		if isArray && count == n {
			if n == 0 {
				b.WriteString("{}")
				return ""
			}
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				if err := jsonEncode(b, x.RawGetInt(i), depth+1, cfg); err != "" {
					return err
				}
			}
			b.WriteByte(']')
			return ""
		}
		b.WriteByte('{')
		first := true
		var err string
		forEach(x, func(k, val lua.LValue) {
			if err != "" {
				return
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch k.(type) {
			case lua.LString, lua.LNumber:
			default:
				err = "Cannot serialise " + k.Type().String() + ": table key must be a number or string"
				return
			}
			js, _ := json.Marshal(lua.LVAsString(k))
			b.Write(js)
			b.WriteByte(':')
			err = jsonEncode(b, val, depth+1, cfg)
		})
		b.WriteByte('}')
		return err
	default:
		return "Cannot serialise " + v.Type().String() + ": type not supported"
	}
	return ""
}

func jsonToLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(x)
	case json.Number:
		f, _ := strconv.ParseFloat(string(x), 64)
		return lua.LNumber(f)
	case string:
		return lua.LString(x)
	case []any:
		t := L.CreateTable(len(x), 0)
		for i, el := range x {
			t.RawSetInt(i+1, jsonToLua(L, el))
		}
		return t
	case map[string]any:
		t := L.CreateTable(0, len(x))
		for k, el := range x {
			t.RawSetString(k, jsonToLua(L, el))
		}
		return t
	}
	return lua.LNil
}

// ---- cmsgpack ----

func openCMsgpack(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	L.SetFuncs(t, map[string]lua.LGFunction{
		"pack": func(L *lua.LState) int {
			if L.GetTop() == 0 {
				L.ArgError(0, "MessagePack pack needs input.")
			}
			var b []byte
			for i := 1; i <= L.GetTop(); i++ {
				b = mpPack(b, L.Get(i), 0)
			}
			L.Push(lua.LString(b))
			return 1
		},
		"unpack_one": func(L *lua.LState) int {
			return mpUnpackLimit(L, L.CheckString(1), 1, L.OptInt(2, 0))
		},
		"unpack_limit": func(L *lua.LState) int {
			return mpUnpackLimit(L, L.CheckString(1), L.CheckInt(2), L.OptInt(3, 0))
		},
		"unpack": func(L *lua.LState) int {
			s := []byte(L.CheckString(1))
			n := 0
			for pos := 0; pos < len(s); {
				v, next, ok := mpUnpack(L, s, pos)
				if !ok {
					L.RaiseError("Missing bytes in input.")
				}
				L.Push(v)
				pos = next
				n++
			}
			return n
		},
	})
	return t
}

func mpPack(b []byte, v lua.LValue, depth int) []byte {
	switch x := v.(type) {
	case lua.LString:
		n := len(x)
		switch {
		case n < 32:
			b = append(b, 0xa0|byte(n))
		case n < 256:
			b = append(b, 0xd9, byte(n))
		case n < 65536:
			b = append(b, 0xda, byte(n>>8), byte(n))
		default:
			b = append(b, 0xdb)
			b = binary.BigEndian.AppendUint32(b, uint32(n))
		}
		return append(b, x...)
	case lua.LBool:
		if x {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case lua.LNumber:
		f := float64(x)
		if f == math.Floor(f) && f >= -9.2233720368547758e18 && f < 9.2233720368547758e18 {
			return mpInt(b, int64(f))
		}
		if float64(float32(f)) == f {
			b = append(b, 0xca)
			return binary.BigEndian.AppendUint32(b, math.Float32bits(float32(f)))
		}
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(f))
	case *lua.LTable:
		if depth >= 16 {
			return append(b, 0xc0)
		}
		n := x.MaxN()
		count := 0
		forEach(x, func(_, _ lua.LValue) { count++ })
		if n > 0 && count == n {
			b = mpLen(b, n, 0x90, 0xdc, 0xdd)
			for i := 1; i <= n; i++ {
				b = mpPack(b, x.RawGetInt(i), depth+1)
			}
			return b
		}
		b = mpLen(b, count, 0x80, 0xde, 0xdf)
		forEach(x, func(k, val lua.LValue) {
			b = mpPack(b, k, depth+1)
			b = mpPack(b, val, depth+1)
		})
		return b
	}
	return append(b, 0xc0)
}

func mpLen(b []byte, n int, fix, b16, b32 byte) []byte {
	switch {
	case n < 16:
		return append(b, fix|byte(n))
	case n < 65536:
		return append(b, b16, byte(n>>8), byte(n))
	}
	b = append(b, b32)
	return binary.BigEndian.AppendUint32(b, uint32(n))
}

func mpInt(b []byte, n int64) []byte {
	switch {
	case n >= 0 && n < 128:
		return append(b, byte(n))
	case n < 0 && n >= -32:
		return append(b, byte(n))
	case n >= 0 && n < 256:
		return append(b, 0xcc, byte(n))
	case n >= 0 && n < 65536:
		return append(b, 0xcd, byte(n>>8), byte(n))
	case n >= 0 && n < 1<<32:
		b = append(b, 0xce)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	case n >= 0:
		b = append(b, 0xcf)
		return binary.BigEndian.AppendUint64(b, uint64(n))
	case n >= -128:
		return append(b, 0xd0, byte(n))
	case n >= -32768:
		return append(b, 0xd1, byte(n>>8), byte(n))
	case n >= -1<<31:
		b = append(b, 0xd2)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = append(b, 0xd3)
	return binary.BigEndian.AppendUint64(b, uint64(n))
}

func mpUnpack(L *lua.LState, s []byte, pos int) (lua.LValue, int, bool) {
	if pos >= len(s) {
		return lua.LNil, pos, false
	}
	need := func(n int) bool { return pos+1+n <= len(s) }
	c := s[pos]
	switch {
	case c < 0x80:
		return lua.LNumber(c), pos + 1, true
	case c >= 0xe0:
		return lua.LNumber(int8(c)), pos + 1, true
	case c&0xe0 == 0xa0:
		n := int(c & 0x1f)
		if !need(n) {
			return nil, 0, false
		}
		return lua.LString(s[pos+1 : pos+1+n]), pos + 1 + n, true
	case c&0xf0 == 0x90:
		return mpArray(L, s, pos+1, int(c&0x0f))
	case c&0xf0 == 0x80:
		return mpMap(L, s, pos+1, int(c&0x0f))
	}
	u := func(n int) uint64 {
		var v uint64
		for i := 0; i < n; i++ {
			v = v<<8 | uint64(s[pos+1+i])
		}
		return v
	}
	sizes := map[byte]int{0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8, 0xca: 4, 0xcb: 8,
		0xd9: 1, 0xda: 2, 0xdb: 4, 0xc4: 1, 0xc5: 2, 0xc6: 4, 0xdc: 2, 0xdd: 4, 0xde: 2, 0xdf: 4}
	switch c {
	case 0xc0:
		return lua.LNil, pos + 1, true
	case 0xc2:
		return lua.LFalse, pos + 1, true
	case 0xc3:
		return lua.LTrue, pos + 1, true
	}
	n, ok := sizes[c]
	if !ok || !need(n) {
		return nil, 0, false
	}
	v := u(n)
	next := pos + 1 + n
	switch c {
	case 0xcc, 0xcd, 0xce, 0xcf:
		return lua.LNumber(float64(v)), next, true
	case 0xd0:
		return lua.LNumber(int8(v)), next, true
	case 0xd1:
		return lua.LNumber(int16(v)), next, true
	case 0xd2:
		return lua.LNumber(int32(v)), next, true
	case 0xd3:
		return lua.LNumber(float64(int64(v))), next, true
	case 0xca:
		return lua.LNumber(math.Float32frombits(uint32(v))), next, true
	case 0xcb:
		return lua.LNumber(math.Float64frombits(v)), next, true
	case 0xd9, 0xda, 0xdb, 0xc4, 0xc5, 0xc6:
		if next+int(v) > len(s) {
			return nil, 0, false
		}
		return lua.LString(s[next : next+int(v)]), next + int(v), true
	case 0xdc, 0xdd:
		return mpArray(L, s, next, int(v))
	default:
		return mpMap(L, s, next, int(v))
	}
}

func mpArray(L *lua.LState, s []byte, pos, n int) (lua.LValue, int, bool) {
	t := L.CreateTable(n, 0)
	for i := 1; i <= n; i++ {
		v, next, ok := mpUnpack(L, s, pos)
		if !ok {
			return nil, 0, false
		}
		t.RawSetInt(i, v)
		pos = next
	}
	return t, pos, true
}

func mpMap(L *lua.LState, s []byte, pos, n int) (lua.LValue, int, bool) {
	t := L.CreateTable(0, n)
	for i := 0; i < n; i++ {
		k, next, ok := mpUnpack(L, s, pos)
		if !ok {
			return nil, 0, false
		}
		v, next2, ok := mpUnpack(L, s, next)
		if !ok {
			return nil, 0, false
		}
		if k != lua.LNil {
			t.RawSet(k, v)
		}
		pos = next2
	}
	return t, pos, true
}

// ---- struct ----

func openStruct(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	L.SetFuncs(t, map[string]lua.LGFunction{
		"pack":   structPack,
		"unpack": structUnpack,
		"size": func(L *lua.LState) int {
			n := 0
			for _, c := range L.CheckString(1) {
				n += structSize(c)
			}
			L.Push(lua.LNumber(n))
			return 1
		},
	})
	return t
}

func structSize(c rune) int {
	switch c {
	case 'b', 'B', 'x', 'c':
		return 1
	case 'h', 'H':
		return 2
	case 'i', 'I', 'l', 'L', 'f':
		return 4
	case 'd':
		return 8
	}
	return 0
}

func structPack(L *lua.LState) int {
	format := L.CheckString(1)
	var order binary.AppendByteOrder = binary.LittleEndian
	var b []byte
	arg := 2
	for _, c := range format {
		switch c {
		case '<':
			order = binary.LittleEndian
		case '>', '!':
			order = binary.BigEndian
		case ' ':
		case 'x':
			b = append(b, 0)
		case 'b', 'B':
			b = append(b, byte(int64(L.CheckNumber(arg))))
			arg++
		case 'h', 'H':
			b = order.AppendUint16(b, uint16(int64(L.CheckNumber(arg))))
			arg++
		case 'i', 'I', 'l', 'L':
			b = order.AppendUint32(b, uint32(int64(L.CheckNumber(arg))))
			arg++
		case 'f':
			b = order.AppendUint32(b, math.Float32bits(float32(L.CheckNumber(arg))))
			arg++
		case 'd':
			b = order.AppendUint64(b, math.Float64bits(float64(L.CheckNumber(arg))))
			arg++
		case 's':
			b = append(b, L.CheckString(arg)...)
			b = append(b, 0)
			arg++
		case 'c':
			b = append(b, L.CheckString(arg)...)
			arg++
		default:
			L.RaiseError("invalid format option '%c'", c)
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func structUnpack(L *lua.LState) int {
	format := L.CheckString(1)
	data := []byte(L.CheckString(2))
	pos := L.OptInt(3, 1) - 1
	var order binary.ByteOrder = binary.LittleEndian
	n := 0
	take := func(k int) []byte {
		if pos+k > len(data) || pos < 0 {
			L.ArgError(2, "data string too short")
		}
		v := data[pos : pos+k]
		pos += k
		return v
	}
	for _, c := range format {
		switch c {
		case '<':
			order = binary.LittleEndian
		case '>', '!':
			order = binary.BigEndian
		case ' ':
		case 'x':
			take(1)
		case 'b':
			L.Push(lua.LNumber(int8(take(1)[0])))
			n++
		case 'B':
			L.Push(lua.LNumber(take(1)[0]))
			n++
		case 'h':
			L.Push(lua.LNumber(int16(order.Uint16(take(2)))))
			n++
		case 'H':
			L.Push(lua.LNumber(order.Uint16(take(2))))
			n++
		case 'i', 'l':
			L.Push(lua.LNumber(int32(order.Uint32(take(4)))))
			n++
		case 'I', 'L':
			L.Push(lua.LNumber(order.Uint32(take(4))))
			n++
		case 'f':
			L.Push(lua.LNumber(math.Float32frombits(order.Uint32(take(4)))))
			n++
		case 'd':
			L.Push(lua.LNumber(math.Float64frombits(order.Uint64(take(8)))))
			n++
		case 's':
			end := pos
			for end < len(data) && data[end] != 0 {
				end++
			}
			L.Push(lua.LString(data[pos:end]))
			pos = end + 1
			n++
		default:
			L.RaiseError("invalid format option '%c'", c)
		}
	}
	L.Push(lua.LNumber(pos + 1))
	return n + 1
}

// mpUnpackLimit decodes up to limit objects (0: all) from offset and
// returns the next offset (-1 at the end of the input) and the objects.
func mpUnpackLimit(L *lua.LState, str string, limit, offset int) int {
	s := []byte(str)
	if offset < 0 || offset > len(s) {
		L.ArgError(3, "offset out of bounds")
	}
	var vals []lua.LValue
	pos := offset
	for pos < len(s) && (limit == 0 || len(vals) < limit) {
		v, next, ok := mpUnpack(L, s, pos)
		if !ok {
			L.RaiseError("Missing bytes in input.")
		}
		vals = append(vals, v)
		pos = next
	}
	if pos >= len(s) {
		pos = -1
	}
	L.Push(lua.LNumber(pos))
	for _, v := range vals {
		L.Push(v)
	}
	return len(vals) + 1
}
