package command

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// The generic key commands (Redis's db.c and the OBJECT command of
// object.c): deleting, testing, renaming, copying and moving keys, and
// walking the keyspace with KEYS, SCAN and RANDOMKEY.

var keyspaceCat = []string{"keyspace"}

var _ = register(
	&core.Command{Name: "del", Arity: -2, Flags: core.FlagWrite, FirstKey: 1, LastKey: -1, Step: 1, Handler: delCommand, Group: "generic", Since: "1.0.0", Summary: "Delete a key", Categories: keyspaceCat},
	&core.Command{Name: "unlink", Arity: -2, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: -1, Step: 1, Handler: delCommand, Group: "generic", Since: "4.0.0", Summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", Categories: keyspaceCat},
	&core.Command{Name: "exists", Arity: -2, Flags: core.FlagReadOnly | core.FlagFast, FirstKey: 1, LastKey: -1, Step: 1, Handler: existsCommand, Group: "generic", Since: "1.0.0", Summary: "Determine if a key exists", Categories: keyspaceCat},
	&core.Command{Name: "type", Arity: 2, Flags: core.FlagReadOnly | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: typeCommand, Group: "generic", Since: "1.0.0", Summary: "Determine the type stored at key", Categories: keyspaceCat},
	&core.Command{Name: "rename", Arity: 3, Flags: core.FlagWrite, FirstKey: 1, LastKey: 2, Step: 1, Handler: renameCommand, Group: "generic", Since: "1.0.0", Summary: "Rename a key", Categories: keyspaceCat},
	&core.Command{Name: "renamenx", Arity: 3, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: 2, Step: 1, Handler: renamenxCommand, Group: "generic", Since: "1.0.0", Summary: "Rename a key, only if the new key does not exist", Categories: keyspaceCat},
	&core.Command{Name: "keys", Arity: 2, Flags: core.FlagReadOnly, Handler: keysCommand, Group: "generic", Since: "1.0.0", Summary: "Find all keys matching the given pattern", Categories: []string{"keyspace", "dangerous"}},
	&core.Command{Name: "scan", Arity: -2, Flags: core.FlagReadOnly, Handler: scanCommand, Group: "generic", Since: "2.8.0", Summary: "Incrementally iterate the keys space", Categories: keyspaceCat},
	&core.Command{Name: "randomkey", Arity: 1, Flags: core.FlagReadOnly, Handler: randomkeyCommand, Group: "generic", Since: "1.0.0", Summary: "Return a random key from the keyspace", Categories: keyspaceCat},
	&core.Command{Name: "touch", Arity: -2, Flags: core.FlagReadOnly | core.FlagFast, FirstKey: 1, LastKey: -1, Step: 1, Handler: touchCommand, Group: "generic", Since: "3.2.1", Summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.", Categories: keyspaceCat},
	&core.Command{Name: "copy", Arity: -3, Flags: core.FlagWrite | core.FlagDenyOOM, FirstKey: 1, LastKey: 2, Step: 1, Handler: copyCommand, Group: "generic", Since: "6.2.0", Summary: "Copy a key", Categories: keyspaceCat},
	&core.Command{Name: "move", Arity: 3, Flags: core.FlagWrite | core.FlagFast, FirstKey: 1, LastKey: 1, Step: 1, Handler: moveCommand, Group: "generic", Since: "1.0.0", Summary: "Move a key to another database", Categories: keyspaceCat},
	&core.Command{Name: "object", Arity: -2, Handler: objectHelpCommand, Group: "generic", Since: "2.2.3", Summary: "A container for object introspection commands",
		Subcommands: map[string]*core.Command{
			"encoding": {Name: "object|encoding", Arity: 3, Flags: core.FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1, Handler: objectEncodingCommand, Group: "generic", Since: "2.2.3", Summary: "Inspect the internal encoding of a Redis object", Categories: keyspaceCat},
			"freq":     {Name: "object|freq", Arity: 3, Flags: core.FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1, Handler: objectFreqCommand, Group: "generic", Since: "4.0.0", Summary: "Get the logarithmic access frequency counter of a Redis object", Categories: keyspaceCat},
			"help":     {Name: "object|help", Arity: 2, Flags: core.FlagLoading | core.FlagStale, Handler: objectHelpCommand, Group: "generic", Since: "6.2.0", Summary: "Show helpful text about the different subcommands", Categories: keyspaceCat},
			"idletime": {Name: "object|idletime", Arity: 3, Flags: core.FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1, Handler: objectIdletimeCommand, Group: "generic", Since: "2.2.3", Summary: "Get the time since a Redis object was last accessed", Categories: keyspaceCat},
			"refcount": {Name: "object|refcount", Arity: 3, Flags: core.FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1, Handler: objectRefcountCommand, Group: "generic", Since: "2.2.3", Summary: "Get the number of references to the value of the key", Categories: keyspaceCat},
		}},
)

// delCommand implements DEL and UNLINK. Values are freed by the garbage
// collector either way; UNLINK (and DEL with lazyfree-lazy-user-del)
// counts the values Redis would free on its background thread (free
// effort over LAZYFREE_THRESHOLD) and starts a background collection for
// them, Redis's background free.
func delCommand(ctx *core.Ctx) {
	var n, lazy int64
	async := ctx.Cmd.Name == "unlink" || ctx.Srv.Config.LazyfreeLazyUserDel
	for _, k := range ctx.Args[1:] {
		var big bool
		if async {
			big = core.FreesLazily(ctx.DB.PeekReadOnly(k))
		}
		if ctx.DB.Delete(k) {
			ctx.Notify(nGeneric, "del", k)
			ctx.Dirty(1)
			n++
			if big {
				lazy++
			}
		}
	}
	ctx.Srv.LazyFree(lazy)
	ctx.W.Int(n)
}

// existsCommand implements EXISTS: the number of keys given that exist,
// counting repeats.
func existsCommand(ctx *core.Ctx) {
	var n int64
	for _, k := range ctx.Args[1:] {
		if _, ok := ctx.DB.TypeNoTouch(k); ok {
			n++
		}
	}
	ctx.W.Int(n)
}

// typeCommand implements TYPE.
func typeCommand(ctx *core.Ctx) {
	ctx.W.Simple(typeName(ctx.DB, ctx.Args[1]))
}

// typeName is Redis's getObjectTypeName of key's value: "none" for a
// missing key.
func typeName(db *keyspace.DB, key []byte) string {
	t, ok := db.TypeNoTouch(key)
	if !ok {
		return "none"
	}
	return t.String()
}

// touchCommand implements TOUCH: look the keys up as a read does (which
// updates their access time) and count the existing ones.
func touchCommand(ctx *core.Ctx) {
	var n int64
	for _, k := range ctx.Args[1:] {
		if ctx.DB.Lookup(k) != nil {
			n++
		}
	}
	ctx.W.Int(n)
}

func renameCommand(ctx *core.Ctx)   { renameGeneric(ctx, false) }
func renamenxCommand(ctx *core.Ctx) { renameGeneric(ctx, true) }

// renameGeneric implements RENAME and RENAMENX. The value object moves as
// is, with its TTL; the TTL of an overwritten destination is dropped.
func renameGeneric(ctx *core.Ctx, nx bool) {
	db, src, dst := ctx.DB, ctx.Args[1], ctx.Args[2]
	o := db.LookupWrite(src)
	if o == nil {
		ctx.Error(rerr.NoSuchKey)
		return
	}
	if bytes.Equal(src, dst) {
		if nx {
			ctx.W.Int(0)
		} else {
			ctx.W.OK()
		}
		return
	}
	expire := db.Expire(src)
	if db.LookupWrite(dst) != nil {
		if nx {
			ctx.W.Int(0)
			return
		}
		db.Delete(dst)
	}
	db.Set(dst, o, false)
	if expire != -1 {
		db.SetExpire(dst, expire)
	}
	db.Delete(src)
	ctx.Notify(nGeneric, "rename_from", src)
	ctx.Notify(nGeneric, "rename_to", dst)
	ctx.Dirty(1)
	if nx {
		ctx.W.Int(1)
	} else {
		ctx.W.OK()
	}
}

// dbIndexArg parses argument i as a database number the way MOVE and
// COPY do (getIntFromObjectOrReply, then the range check), replying the
// error and returning false when it is not valid.
func dbIndexArg(ctx *core.Ctx, i int) (int, bool) {
	n, ok := ctx.Int(i)
	if !ok {
		return 0, false
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		ctx.Error(rerr.OutOfRangeInt32)
		return 0, false
	}
	if n < 0 || n >= int64(ctx.Srv.KS.Len()) {
		ctx.Error(rerr.DBIndexRange)
		return 0, false
	}
	return int(n), true
}

// moveCommand implements MOVE key db.
func moveCommand(ctx *core.Ctx) {
	id, ok := dbIndexArg(ctx, 2)
	if !ok {
		return
	}
	src := ctx.DB
	if id == src.ID() {
		ctx.Error(rerr.SameObject)
		return
	}
	dst := ctx.Srv.KS.DB(id)
	key := ctx.Args[1]
	o := src.LookupWrite(key)
	if o == nil {
		ctx.W.Int(0)
		return
	}
	expire := src.Expire(key)
	if dst.LookupWrite(key) != nil {
		ctx.W.Int(0)
		return
	}
	dst.Set(key, o, false)
	if expire != -1 {
		dst.SetExpire(key, expire)
	}
	src.Delete(key)
	ctx.Srv.NotifyDB(nGeneric, "move_from", key, src.ID())
	ctx.Srv.NotifyDB(nGeneric, "move_to", key, dst.ID())
	ctx.Dirty(1)
	ctx.W.Int(1)
}

// copyCommand implements COPY source destination [DB db] [REPLACE].
func copyCommand(ctx *core.Ctx) {
	src, dst := ctx.DB, ctx.DB
	replace := false
	for j := 3; j < len(ctx.Args); j++ {
		opt := ctx.Args[j]
		switch {
		case strings.EqualFold(string(opt), "replace"):
			replace = true
		case strings.EqualFold(string(opt), "db") && j+1 < len(ctx.Args):
			id, ok := dbIndexArg(ctx, j+1)
			if !ok {
				return
			}
			dst = ctx.Srv.KS.DB(id)
			j++
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	key, newkey := ctx.Args[1], ctx.Args[2]
	if src == dst && bytes.Equal(key, newkey) {
		ctx.Error(rerr.SameObject)
		return
	}
	o := src.Lookup(key)
	if o == nil {
		ctx.W.Int(0)
		return
	}
	expire := src.Expire(key)
	exists := dst.LookupWrite(newkey) != nil
	if exists && !replace {
		ctx.W.Int(0)
		return
	}
	cp, err := o.Clone()
	if err != nil {
		ctx.Errorf(rerr.CopyNoCloner, o.Type)
		return
	}
	if exists {
		dst.Delete(newkey)
	}
	dst.Set(newkey, cp, false)
	if expire != -1 {
		dst.SetExpire(newkey, expire)
	}
	ctx.Srv.NotifyDB(nGeneric, "copy_to", newkey, dst.ID())
	ctx.Dirty(1)
	ctx.W.Int(1)
}

// keysCommand implements KEYS pattern. Expired keys are skipped but not
// removed, as in Redis.
func keysCommand(ctx *core.Ctx) {
	pat := string(ctx.Args[1])
	all := pat == "*"
	w := ctx.W
	h := w.DeferLen()
	n := 0
	ctx.DB.RangeKeys(func(k string) bool {
		if all || glob.MatchString(pat, k, false) {
			w.BulkString(k)
			n++
		}
		// Redis stops once the client is to be closed for its output
		// buffer limits (CLIENT_CLOSE_ASAP): nothing more would be sent.
		return ctx.Client == nil || !ctx.ClosingForOutput()
	})
	w.SetDeferredArrayLen(h, n)
}

// parseScanCursor parses a SCAN-family cursor like Redis's
// parseScanCursorOrReply, which uses strtoul: an optional sign (a negative
// value wraps modulo 2^64), decimal digits, nothing after them (a NUL byte
// ends the C string), no leading space, no overflow. The empty string is
// cursor 0. It replies the error and returns false for an invalid cursor.
func parseScanCursor(ctx *core.Ctx, b []byte) (uint64, bool) {
	if c, ok := scanCursor(b); ok {
		return c, true
	}
	ctx.Error(rerr.ScanInvalidCursor)
	return 0, false
}

func scanCursor(b []byte) (uint64, bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) == 0 {
		return 0, true
	}
	switch b[0] {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return 0, false
	}
	neg := false
	i := 0
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		i++
	}
	if i == len(b) {
		return 0, false // no digits: strtoul leaves eptr on the sign
	}
	var v uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false // ERANGE
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}

// scanCommand implements SCAN cursor [MATCH pattern] [COUNT count]
// [TYPE type], after Redis's scanGenericCommand: walk buckets until COUNT
// keys were collected (or ten times COUNT buckets were visited), then drop
// the keys that do not match, are of another type or have expired.
func scanCommand(ctx *core.Ctx) {
	cursor, ok := parseScanCursor(ctx, ctx.Args[1])
	if !ok {
		return
	}
	opt, ok := parseScanOptions(ctx, 2, true)
	if !ok {
		return
	}

	db := ctx.DB
	var keys []string
	cursor = scanTable(cursor, opt.count, 1,
		func(c uint64) uint64 { return db.ScanAll(c, func(k string) { keys = append(keys, k) }) },
		func() int64 { return int64(len(keys)) })

	out := keys[:0]
	for _, k := range keys {
		kb := []byte(k)
		if !opt.matches(kb) {
			continue
		}
		if opt.useType && !strings.EqualFold(opt.typ, typeName(db, kb)) {
			continue
		}
		if db.ExpireIfNeeded(kb) {
			continue
		}
		out = append(out, k)
	}

	w := ctx.W
	w.ArrayLen(2)
	w.BulkInt(int64(cursor)) // addReplyBulkLongLong of the unsigned cursor
	w.BulkStrings(out)
}

// randomkeyCommand implements RANDOMKEY.
func randomkeyCommand(ctx *core.Ctx) {
	k, ok := ctx.DB.RandomKey()
	if !ok {
		ctx.W.Null()
		return
	}
	ctx.W.BulkString(k)
}

var objectHelpLines = []string{
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
}

// objectHelpCommand implements OBJECT HELP (Redis's addReplyHelp format).
func objectHelpCommand(ctx *core.Ctx) {
	w := ctx.W
	w.ArrayLen(len(objectHelpLines) + 3)
	w.Simple(fmt.Sprintf("%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", upper(ctx.Args[0])))
	for _, l := range objectHelpLines {
		w.Simple(l)
	}
	w.Simple("HELP")
	w.Simple("    Prints this help.")
}

// objectLookup finds OBJECT's key without touching it, replying null when
// it does not exist.
func objectLookup(ctx *core.Ctx) *keyspace.Object {
	o := ctx.DB.LookupNoTouch(ctx.Args[2])
	if o == nil {
		ctx.W.Null()
	}
	return o
}

// lfuPolicy reports whether maxmemory-policy is one of the LFU policies.
func lfuPolicy(ctx *core.Ctx) bool {
	return strings.HasSuffix(ctx.Srv.Config.MaxMemoryPolicy, "-lfu")
}

// lruPolicy reports whether maxmemory-policy is one of the LRU policies.
func lruPolicy(ctx *core.Ctx) bool {
	return strings.HasSuffix(ctx.Srv.Config.MaxMemoryPolicy, "-lru")
}

func objectEncodingCommand(ctx *core.Ctx) {
	if o := objectLookup(ctx); o != nil {
		ctx.W.BulkString(o.Encoding())
	}
}

// objectRefcountCommand reports 1, or INT_MAX for a value Redis would keep
// as a shared integer (0..9999 while maxmemory does not exclude them).
func objectRefcountCommand(ctx *core.Ctx) {
	o := objectLookup(ctx)
	if o == nil {
		return
	}
	shared := ctx.Srv.Config.MaxMemory == 0 || !(lruPolicy(ctx) || lfuPolicy(ctx))
	if o.Type == keyspace.TypeString && shared && keyspace.IsSharedInteger(o.Str) {
		ctx.W.Int(keyspace.SharedRefcount)
		return
	}
	ctx.W.Int(1)
}

// objectIdletimeCommand reports the seconds since the value was last
// accessed, on Redis's one-second LRU clock.
func objectIdletimeCommand(ctx *core.Ctx) {
	o := objectLookup(ctx)
	if o == nil {
		return
	}
	if lfuPolicy(ctx) {
		ctx.Error(rerr.ObjectIdleLFU)
		return
	}
	ctx.W.Int(ctx.Srv.KS.IdleTime(o) / 1000)
}

// objectFreqCommand reports the object's logarithmic LFU counter after
// decay (Redis's LFUDecrAndReturn; reading it does not touch the key).
func objectFreqCommand(ctx *core.Ctx) {
	o := objectLookup(ctx)
	if o == nil {
		return
	}
	if !lfuPolicy(ctx) {
		ctx.Error(rerr.ObjectFreqNoLFU)
		return
	}
	ctx.W.Int(int64(ctx.Srv.KS.LFUCount(o)))
}
