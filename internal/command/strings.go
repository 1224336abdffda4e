package command

import (
	"bytes"
	"math"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// The string commands (Redis's t_string.c).

var _ = register(
	strCmd("get", 2, core.FlagReadOnly|core.FlagFast, 1, 1, 1, get, "1.0.0", "Get the value of a key"),
	strCmd("set", -3, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, set, "1.0.0", "Set the string value of a key"),
	strCmd("setnx", 3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, setnx, "1.0.0", "Set the value of a key, only if the key does not exist"),
	strCmd("setex", 4, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, setex, "2.0.0", "Set the value and expiration of a key"),
	strCmd("psetex", 4, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, psetex, "2.6.0", "Set the value and expiration in milliseconds of a key"),
	strCmd("getset", 3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, getset, "1.0.0", "Set the string value of a key and return its old value"),
	strCmd("getdel", 2, core.FlagWrite|core.FlagFast, 1, 1, 1, getdel, "6.2.0", "Get the value of a key and delete the key"),
	strCmd("getex", -2, core.FlagWrite|core.FlagFast, 1, 1, 1, getex, "6.2.0", "Get the value of a key and optionally set its expiration"),
	strCmd("mget", -2, core.FlagReadOnly|core.FlagFast, 1, -1, 1, mget, "1.0.0", "Get the values of all the given keys"),
	strCmd("mset", -3, core.FlagWrite|core.FlagDenyOOM, 1, -1, 2, mset, "1.0.1", "Set multiple keys to multiple values"),
	strCmd("msetnx", -3, core.FlagWrite|core.FlagDenyOOM, 1, -1, 2, msetnx, "1.0.1", "Set multiple keys to multiple values, only if none of the keys exist"),
	strCmd("append", 3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, appendCmd, "2.0.0", "Append a value to a key"),
	strCmd("strlen", 2, core.FlagReadOnly|core.FlagFast, 1, 1, 1, strlenCmd, "2.2.0", "Get the length of the value stored in a key"),
	strCmd("getrange", 4, core.FlagReadOnly, 1, 1, 1, getrange, "2.4.0", "Get a substring of the string stored at a key"),
	strCmd("substr", 4, core.FlagReadOnly, 1, 1, 1, getrange, "1.0.0", "Get a substring of the string stored at a key"),
	strCmd("setrange", 4, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, setrange, "2.2.0", "Overwrite part of a string at key starting at the specified offset"),
	strCmd("incr", 2, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, incr, "1.0.0", "Increment the integer value of a key by one"),
	strCmd("decr", 2, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, decr, "1.0.0", "Decrement the integer value of a key by one"),
	strCmd("incrby", 3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, incrby, "1.0.0", "Increment the integer value of a key by the given amount"),
	strCmd("decrby", 3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, decrby, "1.0.0", "Decrement the integer value of a key by the given number"),
	strCmd("incrbyfloat", 3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, 1, 1, 1, incrbyfloat, "2.6.0", "Increment the float value of a key by the given amount"),
	strCmd("lcs", -3, core.FlagReadOnly, 1, 2, 1, lcs, "7.0.0", "Find longest common substring"),
)

// strCmd builds a command of the "string" group.
func strCmd(name string, arity int, flags core.Flag, first, last, step int, h core.Handler, since, summary string) *core.Command {
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: first, LastKey: last, Step: step,
		Handler: h, Group: "string", Since: since, Summary: summary, Categories: []string{"string"}}
}

// Options of SET and GETEX (parseExtendedStringArgumentsOrReply).
const (
	optNX = 1 << iota
	optXX
	optGet
	optKeepTTL
	optEX
	optPX
	optEXAT
	optPXAT
	optPersist

	optExpire = optEX | optPX | optEXAT | optPXAT
)

var (
	bSET     = []byte("SET")
	bDEL     = []byte("DEL")
	bUNLINK  = []byte("UNLINK")
	bPXAT    = []byte("PXAT")
	bPEXPAT  = []byte("PEXPIREAT")
	bPERSIST = []byte("PERSIST")
	bKEEPTTL = []byte("KEEPTTL")
)

// cstr returns b up to its first NUL byte: Redis compares option names as
// C strings, so "nx\x00junk" is NX.
func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// optIs reports whether option argument b is name (upper case ASCII),
// ignoring case.
func optIs(b []byte, name string) bool {
	b = cstr(b)
	if len(b) != len(name) {
		return false
	}
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// obeyClient reports whether the calling client must be obeyed without the
// size limits that protect from user input (Redis's mustObeyClient: the
// master link).
func obeyClient(ctx *core.Ctx) bool {
	return ctx.Client != nil && ctx.Client.Kind == core.KindMaster
}

// maxBulk returns proto-max-bulk-len.
func maxBulk(ctx *core.Ctx) int64 { return ctx.Srv.Config.ProtoMaxBulkLen }

// checkStringLength replies the size error and returns false when a string
// of size+add bytes would exceed proto-max-bulk-len.
func checkStringLength(ctx *core.Ctx, size, add int64) bool {
	if obeyClient(ctx) {
		return true
	}
	total := int64(uint64(size) + uint64(add))
	if total > maxBulk(ctx) || total < size || total < add {
		ctx.Error(rerr.StringTooLong)
		return false
	}
	return true
}

// parseStringOpts parses SET's (isSet) or GETEX's options from argument
// start on, with Redis's rules for which combinations are allowed. It
// returns the flags and the expire argument, or replies a syntax error.
func parseStringOpts(ctx *core.Ctx, start int, isSet bool) (flags int, expire []byte, ok bool) {
	args := ctx.Args
	for j := start; j < len(args); j++ {
		opt := cstr(args[j])
		hasNext := j < len(args)-1
		switch {
		case isSet && optIs(opt, "NX") && flags&optXX == 0:
			flags |= optNX
		case isSet && optIs(opt, "XX") && flags&optNX == 0:
			flags |= optXX
		case isSet && optIs(opt, "GET"):
			flags |= optGet
		case isSet && optIs(opt, "KEEPTTL") && flags&(optPersist|optExpire) == 0:
			flags |= optKeepTTL
		case !isSet && optIs(opt, "PERSIST") && flags&(optExpire|optKeepTTL) == 0:
			flags |= optPersist
		case optIs(opt, "EX") && flags&(optKeepTTL|optPersist|optEXAT|optPX|optPXAT) == 0 && hasNext:
			flags |= optEX
			expire = args[j+1]
			j++
		case optIs(opt, "PX") && flags&(optKeepTTL|optPersist|optEX|optEXAT|optPXAT) == 0 && hasNext:
			flags |= optPX
			expire = args[j+1]
			j++
		case optIs(opt, "EXAT") && flags&(optKeepTTL|optPersist|optEX|optPX|optPXAT) == 0 && hasNext:
			flags |= optEXAT
			expire = args[j+1]
			j++
		case optIs(opt, "PXAT") && flags&(optKeepTTL|optPersist|optEX|optEXAT|optPX) == 0 && hasNext:
			flags |= optPXAT
			expire = args[j+1]
			j++
		default:
			ctx.Error(rerr.Syntax)
			return 0, nil, false
		}
	}
	return flags, expire, true
}

// expireMillis turns an EX/PX/EXAT/PXAT argument into an absolute Unix
// time in milliseconds (getExpireMillisecondsOrReply).
func expireMillis(ctx *core.Ctx, arg []byte, flags int) (int64, bool) {
	ms, ok := numfmt.ParseInt(arg)
	if !ok {
		ctx.Error(rerr.NotInteger)
		return 0, false
	}
	seconds := flags&(optEX|optEXAT) != 0
	if ms <= 0 || (seconds && ms > math.MaxInt64/1000) {
		ctx.Errorf(rerr.InvalidExpire, ctx.Cmd.Name)
		return 0, false
	}
	if seconds {
		ms *= 1000
	}
	if flags&(optEX|optPX) != 0 {
		ms += ctx.Now() // wraps to negative on overflow, as in C
	}
	if ms <= 0 {
		ctx.Errorf(rerr.InvalidExpire, ctx.Cmd.Name)
		return 0, false
	}
	return ms, true
}

// readString looks key up for reading. It returns the value (nil if
// missing) and false after replying WRONGTYPE for a non-string.
func readString(ctx *core.Ctx, key []byte) (*keyspace.Object, bool) {
	o := ctx.DB.Lookup(key)
	if o != nil && o.Type != keyspace.TypeString {
		ctx.WrongType()
		return nil, false
	}
	return o, true
}

// writeString looks key up for writing, with the same contract as
// readString.
func writeString(ctx *core.Ctx, key []byte) (*keyspace.Object, bool) {
	o := ctx.DB.LookupWrite(key)
	if o != nil && o.Type != keyspace.TypeString {
		ctx.WrongType()
		return nil, false
	}
	return o, true
}

// replyGet is getGenericCommand: it replies the value of key (or null) and
// returns false after a WRONGTYPE reply.
func replyGet(ctx *core.Ctx) bool {
	val, found, isString := ctx.DB.LookupString(ctx.Args[1])
	switch {
	case !found:
		ctx.W.Null()
	case !isString:
		ctx.WrongType()
		return false
	default:
		ctx.W.Bulk(val)
	}
	return true
}

// setKey stores o under key like Redis's setKey: an expired previous value
// is first removed through the expiry path (so its DEL is propagated before
// the write), then o replaces whatever the key held. Under an LFU policy
// the lookup also counts as the access Redis's lookupKeyWrite records (the
// overwrite keeps the counter).
func setKey(ctx *core.Ctx, key []byte, o *keyspace.Object, keepTTL bool) {
	if ctx.DB.ExpiresLen() > 0 || ctx.Srv.KS.LFUPolicy() {
		ctx.DB.LookupWrite(key)
	}
	ctx.DB.Set(key, o, keepTTL)
}

// setStringKey is setKey of a string value val (copied), which may reuse
// the buffer of the string it replaces (keyspace.DB.SetString).
func setStringKey(ctx *core.Ctx, key, val []byte, keepTTL bool) {
	if ctx.DB.ExpiresLen() > 0 || ctx.Srv.KS.LFUPolicy() {
		ctx.DB.TouchWrite(key)
	}
	ctx.DB.SetString(key, val, keepTTL)
}

func get(ctx *core.Ctx) { replyGet(ctx) }

// setGeneric is setGenericCommand: SET, SETNX, SETEX and PSETEX. With
// intReplies it answers like SETNX (:1 stored, :0 not) instead of +OK and
// null. A write with an expire is propagated as SET key value PXAT <ms>,
// one with GET without the GET options.
func setGeneric(ctx *core.Ctx, flags int, key, val, expire []byte, intReplies bool) {
	var when int64
	if expire != nil {
		var ok bool
		if when, ok = expireMillis(ctx, expire, flags); !ok {
			return
		}
	}
	if flags&optGet != 0 && !replyGet(ctx) {
		return
	}
	if flags&(optNX|optXX) != 0 {
		found := ctx.DB.Exists(key) // setKey's lookup is the access
		if (flags&optNX != 0 && found) || (flags&optXX != 0 && !found) {
			if flags&optGet == 0 {
				if intReplies {
					ctx.W.Int(0)
				} else {
					ctx.W.Null()
				}
			}
			return
		}
	}
	setStringKey(ctx, key, val, flags&optKeepTTL != 0)
	ctx.Dirty(1)
	ctx.Notify(nString, "set", key)
	if expire != nil {
		ctx.DB.SetExpire(key, when)
		ctx.Notify(nGeneric, "expire", key)
		ctx.Propagate(bSET, key, val, bPXAT, strconv.AppendInt(nil, when, 10))
	} else if flags&optGet != 0 {
		// Propagate without the GET options.
		prop := make([][]byte, 0, len(ctx.Args))
		for j, a := range ctx.Args {
			if j >= 3 && optIs(a, "GET") {
				continue
			}
			prop = append(prop, a)
		}
		ctx.Propagate(prop...)
	}
	if flags&optGet == 0 {
		if intReplies {
			ctx.W.Int(1)
		} else {
			ctx.W.OK()
		}
	}
}

func set(ctx *core.Ctx) {
	flags, expire, ok := parseStringOpts(ctx, 3, true)
	if !ok {
		return
	}
	setGeneric(ctx, flags, ctx.Args[1], ctx.Args[2], expire, false)
}

func setnx(ctx *core.Ctx) { setGeneric(ctx, optNX, ctx.Args[1], ctx.Args[2], nil, true) }

func setex(ctx *core.Ctx) { setGeneric(ctx, optEX, ctx.Args[1], ctx.Args[3], ctx.Args[2], false) }

func psetex(ctx *core.Ctx) { setGeneric(ctx, optPX, ctx.Args[1], ctx.Args[3], ctx.Args[2], false) }

func getset(ctx *core.Ctx) {
	if !replyGet(ctx) {
		return
	}
	setStringKey(ctx, ctx.Args[1], ctx.Args[2], false)
	ctx.Notify(nString, "set", ctx.Args[1])
	ctx.Dirty(1)
	ctx.Propagate(bSET, ctx.Args[1], ctx.Args[2])
}

func getdel(ctx *core.Ctx) {
	if !replyGet(ctx) {
		return
	}
	if ctx.DB.Delete(ctx.Args[1]) {
		ctx.Notify(nGeneric, "del", ctx.Args[1])
		ctx.Dirty(1)
		ctx.Propagate(delVerb(ctx.Srv.Config.LazyfreeLazyUserDel), ctx.Args[1])
	}
}

// delVerb is the command a deletion is propagated as: UNLINK when the
// matching lazyfree option is on, as Redis does.
func delVerb(lazy bool) []byte {
	if lazy {
		return bUNLINK
	}
	return bDEL
}

func getex(ctx *core.Ctx) {
	flags, expire, ok := parseStringOpts(ctx, 2, false)
	if !ok {
		return
	}
	key := ctx.Args[1]
	o, ok := readString(ctx, key)
	if !ok {
		return
	}
	if o == nil {
		ctx.W.Null()
		return
	}
	var when int64
	if expire != nil {
		if when, ok = expireMillis(ctx, expire, flags); !ok {
			return
		}
	}
	ctx.W.Bulk(o.Str)
	switch {
	case flags&(optEXAT|optPXAT) != 0 && when <= ctx.Now() && !obeyClient(ctx):
		ctx.DB.Delete(key)
		ctx.Notify(nGeneric, "del", key)
		ctx.Dirty(1)
		ctx.Propagate(delVerb(ctx.Srv.Config.LazyfreeLazyExpire), key)
	case expire != nil:
		ctx.DB.SetExpire(key, when)
		ctx.DB.Modified(key)
		ctx.Notify(nGeneric, "expire", key)
		ctx.Dirty(1)
		ctx.Propagate(bPEXPAT, key, strconv.AppendInt(nil, when, 10))
	case flags&optPersist != 0:
		if ctx.DB.Persist(key) {
			ctx.DB.Modified(key)
			ctx.Notify(nGeneric, "persist", key)
			ctx.Dirty(1)
			ctx.Propagate(bPERSIST, key)
		}
	}
}

func mget(ctx *core.Ctx) {
	ctx.W.ArrayLen(len(ctx.Args) - 1)
	for _, k := range ctx.Args[1:] {
		if val, _, isString := ctx.DB.LookupString(k); isString {
			ctx.W.Bulk(val)
		} else {
			ctx.W.Null()
		}
	}
}

func msetGeneric(ctx *core.Ctx, nx bool) {
	if len(ctx.Args)%2 == 0 {
		ctx.Errorf(rerr.WrongArity, ctx.Cmd.Name)
		return
	}
	if nx {
		for j := 1; j < len(ctx.Args); j += 2 {
			if ctx.DB.LookupWrite(ctx.Args[j]) != nil {
				ctx.W.Int(0)
				return
			}
		}
	}
	for j := 1; j < len(ctx.Args); j += 2 {
		setStringKey(ctx, ctx.Args[j], ctx.Args[j+1], false)
		ctx.Notify(nString, "set", ctx.Args[j])
	}
	ctx.Dirty((len(ctx.Args) - 1) / 2)
	if nx {
		ctx.W.Int(1)
	} else {
		ctx.W.OK()
	}
}

func mset(ctx *core.Ctx) { msetGeneric(ctx, false) }

func msetnx(ctx *core.Ctx) { msetGeneric(ctx, true) }

func appendCmd(ctx *core.Ctx) {
	key, add := ctx.Args[1], ctx.Args[2]
	o, ok := writeString(ctx, key)
	if !ok {
		return
	}
	var total int
	if o == nil {
		ctx.DB.Add(key, keyspace.NewStringCopy(add))
		total = len(add)
	} else {
		if !checkStringLength(ctx, int64(len(o.Str)), int64(len(add))) {
			return
		}
		o.Str = append(o.Str, add...)
		o.RawStr = true // dbUnshareStringValue: a raw copy
		total = len(o.Str)
		ctx.DB.Modified(key)
	}
	ctx.Notify(nString, "append", key)
	ctx.Dirty(1)
	ctx.W.Int(int64(total))
}

func strlenCmd(ctx *core.Ctx) {
	o, ok := readString(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if o == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(len(o.Str)))
}

// getrange serves GETRANGE and SUBSTR.
func getrange(ctx *core.Ctx) {
	start, ok := ctx.Int(2)
	if !ok {
		return
	}
	end, ok := ctx.Int(3)
	if !ok {
		return
	}
	o, ok := readString(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if o == nil {
		ctx.W.Bulk(nil)
		return
	}
	s := o.Str
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		ctx.W.Bulk(nil)
		return
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(start, 0)
	end = max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		ctx.W.Bulk(nil)
		return
	}
	ctx.W.Bulk(s[start : end+1])
}

func setrange(ctx *core.Ctx) {
	key, val := ctx.Args[1], ctx.Args[3]
	offset, ok := ctx.Int(2)
	if !ok {
		return
	}
	if offset < 0 {
		ctx.Error(rerr.OffsetRange)
		return
	}
	o, ok := writeString(ctx, key)
	if !ok {
		return
	}
	if o == nil {
		if len(val) == 0 {
			ctx.W.Int(0)
			return
		}
		if !checkStringLength(ctx, offset, int64(len(val))) {
			return
		}
		b := make([]byte, offset+int64(len(val)))
		ctx.Allocated(int(offset))
		copy(b[offset:], val)
		nb := keyspace.NewString(b)
		nb.RawStr = true // createObject of a fresh sds
		ctx.DB.Add(key, nb)
		ctx.Notify(nString, "setrange", key)
		ctx.Dirty(1)
		ctx.W.Int(int64(len(b)))
		return
	}
	if len(val) == 0 {
		ctx.W.Int(int64(len(o.Str)))
		return
	}
	if !checkStringLength(ctx, offset, int64(len(val))) {
		return
	}
	o.Str = growZero(ctx, o.Str, int(offset)+len(val))
	o.RawStr = true // dbUnshareStringValue: a raw copy
	copy(o.Str[offset:], val)
	ctx.DB.Modified(key)
	ctx.Notify(nString, "setrange", key)
	ctx.Dirty(1)
	ctx.W.Int(int64(len(o.Str)))
}

// growZero returns b extended with zero bytes to at least n bytes, and
// tells the memory estimate about a reallocation (a small SETBIT or
// SETRANGE can make a large value).
func growZero(ctx *core.Ctx, b []byte, n int) []byte {
	if n <= len(b) {
		return b
	}
	if n <= cap(b) {
		old := len(b)
		b = b[:n]
		clear(b[old:])
		return b
	}
	oldCap := cap(b)
	b = append(b, make([]byte, n-len(b))...)
	ctx.Allocated(cap(b) - oldCap)
	return b
}

// maxIncrInPlace is the largest buffer INCR reuses for its result: a
// counter keeps its small buffer, a long string that happened to hold a
// number is not kept around for a few digits.
const maxIncrInPlace = 32

// incrDecr adds by to the integer at Args[1] (incrDecrCommand). A counter
// kept inline in its key's record (keyspace's records.go) stays there: the
// result is stored with SetString, keeping the TTL. A counter that is an
// object (created before, or touched by OBJECT, DEBUG, APPEND ...) is
// edited in place, as Redis edits an unshared integer object.
func incrDecr(ctx *core.Ctx, by int64) {
	key := ctx.Args[1]
	o, val, found := ctx.DB.LookupWriteString(key)
	if o != nil {
		if o.Type != keyspace.TypeString {
			ctx.WrongType()
			return
		}
		val = o.Str
	}
	var v int64
	if found {
		var ok bool
		if v, ok = numfmt.ParseInt(val); !ok {
			ctx.Error(rerr.NotInteger)
			return
		}
	}
	if (by < 0 && v < 0 && by < math.MinInt64-v) || (by > 0 && v > 0 && by > math.MaxInt64-v) {
		ctx.Error(rerr.Overflow)
		return
	}
	v += by
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], v, 10)
	switch {
	case o != nil:
		if len(d) <= cap(o.Str) && cap(o.Str) <= maxIncrInPlace {
			// LookupWriteString's object may be edited in place: no
			// allocation for a counter that keeps its width.
			o.Str = append(o.Str[:0], d...)
		} else {
			o.Str = append(make([]byte, 0, 20), d...)
		}
		o.RawStr, o.NoIntStr = false, false // a new int-encoded object
		ctx.DB.Modified(key)
	case found:
		ctx.DB.SetString(key, d, true) // signals the modification
	default:
		ctx.DB.AddNewString(key, d)
	}
	ctx.Notify(nString, "incrby", key)
	ctx.Dirty(1)
	ctx.W.Int(v)
}

func incr(ctx *core.Ctx) { incrDecr(ctx, 1) }

func decr(ctx *core.Ctx) { incrDecr(ctx, -1) }

func incrby(ctx *core.Ctx) {
	by, ok := ctx.Int(2)
	if !ok {
		return
	}
	incrDecr(ctx, by)
}

func decrby(ctx *core.Ctx) {
	by, ok := ctx.Int(2)
	if !ok {
		return
	}
	if by == math.MinInt64 {
		ctx.Error(rerr.DecrOverflow)
		return
	}
	incrDecr(ctx, -by)
}

func incrbyfloat(ctx *core.Ctx) {
	key := ctx.Args[1]
	o, ok := writeString(ctx, key)
	if !ok {
		return
	}
	c := "0"
	if o != nil {
		c = string(o.Str)
	}
	res, err := incrByFloat(c, ctx.Args[2])
	if err != "" {
		ctx.Error(err)
		return
	}
	// createStringObjectFromLongDouble: a new object, never int-encoded.
	if o != nil {
		o.Str = res
		o.RawStr, o.NoIntStr = false, true
		ctx.DB.Modified(key)
	} else {
		no := keyspace.NewString(res)
		no.NoIntStr = true
		ctx.DB.Add(key, no)
	}
	ctx.Notify(nString, "incrbyfloat", key)
	ctx.Dirty(1)
	ctx.W.Bulk(res)
	ctx.Propagate(bSET, key, res, bKEEPTTL)
}

func lcs(ctx *core.Ctx) {
	oa := ctx.DB.Lookup(ctx.Args[1])
	ob := ctx.DB.Lookup(ctx.Args[2])
	if (oa != nil && oa.Type != keyspace.TypeString) || (ob != nil && ob.Type != keyspace.TypeString) {
		ctx.Error(rerr.LCSWrongType)
		return
	}
	var a, b []byte
	if oa != nil {
		a = oa.Str
	}
	if ob != nil {
		b = ob.Str
	}
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for j := 3; j < len(ctx.Args); j++ {
		opt := ctx.Args[j]
		switch {
		case optIs(opt, "IDX"):
			getIdx = true
		case optIs(opt, "LEN"):
			getLen = true
		case optIs(opt, "WITHMATCHLEN"):
			withMatchLen = true
		case optIs(opt, "MINMATCHLEN") && j < len(ctx.Args)-1:
			n, ok := ctx.Int(j + 1)
			if !ok {
				return
			}
			minMatchLen = max(n, 0)
			j++
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	if getLen && getIdx {
		ctx.Error(rerr.LCSLenAndIdx)
		return
	}
	if int64(len(a)) >= math.MaxUint32-1 || int64(len(b)) >= math.MaxUint32-1 {
		ctx.Error(rerr.LCSTooLong)
		return
	}
	alen, blen := len(a), len(b)
	cells := uint64(alen+1) * uint64(blen+1)
	if cells*4 > uint64(maxBulk(ctx)) {
		ctx.Error(rerr.LCSMemory)
		return
	}
	// table[i*(blen+1)+j] is the LCS length of a[:i] and b[:j].
	w := blen + 1
	table := make([]uint32, cells)
	for i := 1; i <= alen; i++ {
		row, prev := table[i*w:(i+1)*w], table[(i-1)*w:i*w]
		ai := a[i-1]
		for j := 1; j <= blen; j++ {
			if ai == b[j-1] {
				row[j] = prev[j-1] + 1
			} else {
				row[j] = max(prev[j], row[j-1])
			}
		}
	}
	total := table[alen*w+blen]
	if getLen {
		ctx.W.Int(int64(total))
		return
	}
	var result []byte
	if !getIdx {
		result = make([]byte, total)
	}
	var arr, nranges int
	if getIdx {
		ctx.W.MapLen(2)
		ctx.W.BulkString("matches")
		arr = ctx.W.DeferLen()
	}
	// Walk back from the end, emitting maximal contiguous matching ranges
	// exactly where Redis does.
	idx := total
	aStart, aEnd, bStart, bEnd := alen, 0, 0, 0 // aStart == alen: no range
	i, j := alen, blen
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			if result != nil {
				result[idx-1] = a[i-1]
			}
			if aStart == alen {
				aStart, aEnd = i-1, i-1
				bStart, bEnd = j-1, j-1
			} else if aStart == i && bStart == j {
				aStart--
				bStart--
			} else {
				emit = true
			}
			if aStart == 0 || bStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if table[(i-1)*w+j] > table[i*w+j-1] {
				i--
			} else {
				j--
			}
			if aStart != alen {
				emit = true
			}
		}
		if emit {
			matchLen := int64(aEnd - aStart + 1)
			if getIdx && (minMatchLen == 0 || matchLen >= minMatchLen) {
				if withMatchLen {
					ctx.W.ArrayLen(3)
				} else {
					ctx.W.ArrayLen(2)
				}
				ctx.W.ArrayLen(2)
				ctx.W.Int(int64(aStart))
				ctx.W.Int(int64(aEnd))
				ctx.W.ArrayLen(2)
				ctx.W.Int(int64(bStart))
				ctx.W.Int(int64(bEnd))
				if withMatchLen {
					ctx.W.Int(matchLen)
				}
				nranges++
			}
			aStart = alen
		}
	}
	if getIdx {
		ctx.W.BulkString("len")
		ctx.W.Int(int64(total))
		ctx.W.SetDeferredArrayLen(arr, nranges)
		return
	}
	ctx.W.Bulk(result)
}

// incrByFloat applies INCRBYFLOAT's arithmetic to the current value ("0"
// for a missing key) and returns the new value or an error reply.
func incrByFloat(cur string, incr []byte) ([]byte, string) {
	res, err := numfmt.IncrByFloat(cur, string(incr))
	switch err {
	case nil:
		return []byte(res), ""
	case numfmt.ErrNaNOrInfinity:
		return nil, rerr.NaNOrInfinity
	}
	return nil, rerr.NotFloat
}
