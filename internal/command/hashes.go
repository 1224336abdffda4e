package command

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/hash"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// The hash commands (Redis's t_hash.c). Values are *hash.Hash in an Object
// of keyspace.TypeHash: a listpack while small, a hashtable once
// hash-max-listpack-entries or hash-max-listpack-value is exceeded (see
// internal/hash).

var _ = register(
	hashCmd("hset", -4, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, hsetCommand, "2.0.0", "Set the string value of a hash field"),
	hashCmd("hsetnx", 4, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, hsetnxCommand, "2.0.0", "Set the value of a hash field, only if the field does not exist"),
	hashCmd("hmset", -4, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, hsetCommand, "2.0.0", "Set multiple hash fields to multiple values"),
	hashCmd("hget", 3, core.FlagReadOnly|core.FlagFast, hgetCommand, "2.0.0", "Get the value of a hash field"),
	hashCmd("hmget", -3, core.FlagReadOnly|core.FlagFast, hmgetCommand, "2.0.0", "Get the values of all the given hash fields"),
	hashCmd("hdel", -3, core.FlagWrite|core.FlagFast, hdelCommand, "2.0.0", "Delete one or more hash fields"),
	hashCmd("hlen", 2, core.FlagReadOnly|core.FlagFast, hlenCommand, "2.0.0", "Get the number of fields in a hash"),
	hashCmd("hstrlen", 3, core.FlagReadOnly|core.FlagFast, hstrlenCommand, "3.2.0", "Get the length of the value of a hash field"),
	hashCmd("hexists", 3, core.FlagReadOnly|core.FlagFast, hexistsCommand, "2.0.0", "Determine if a hash field exists"),
	hashCmd("hkeys", 2, core.FlagReadOnly, hkeysCommand, "2.0.0", "Get all the fields in a hash"),
	hashCmd("hvals", 2, core.FlagReadOnly, hvalsCommand, "2.0.0", "Get all the values in a hash"),
	hashCmd("hgetall", 2, core.FlagReadOnly, hgetallCommand, "2.0.0", "Get all the fields and values in a hash"),
	hashCmd("hincrby", 4, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, hincrbyCommand, "2.0.0", "Increment the integer value of a hash field by the given number"),
	hashCmd("hincrbyfloat", 4, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, hincrbyfloatCommand, "2.6.0", "Increment the float value of a hash field by the given amount"),
	hashCmd("hrandfield", -2, core.FlagReadOnly, hrandfieldCommand, "6.2.0", "Get one or multiple random fields from a hash"),
	hashCmd("hscan", -3, core.FlagReadOnly, hscanCommand, "2.8.0", "Incrementally iterate hash fields and associated values"),
)

// hashCmd builds a command of the "hash" group; every hash command has its
// key at position 1.
func hashCmd(name string, arity int, flags core.Flag, h core.Handler, since, summary string) *core.Command {
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: 1, LastKey: 1, Step: 1,
		Handler: h, Group: "hash", Since: since, Summary: summary, Categories: []string{"hash"}}
}

var bHSET = []byte("HSET")

// hashLimits returns the listpack thresholds configured now.
func hashLimits(ctx *core.Ctx) hash.Limits {
	c := ctx.Srv.Config
	return hash.Limits{MaxEntries: c.HashMaxListpackEntries, MaxValue: c.HashMaxListpackValue}
}

// readHash looks key up for reading: (nil, true) when it does not exist,
// (nil, false) after replying WRONGTYPE.
func readHash(ctx *core.Ctx, key []byte) (*hash.Hash, bool) {
	return readTyped[*hash.Hash](ctx, key, keyspace.TypeHash)
}

// writeHash looks key up for a write like hashTypeLookupWriteOrCreate: an
// existing hash (existed true), or a new empty one that storeHash adds to
// the database once it holds something. ok is false after WRONGTYPE.
func writeHash(ctx *core.Ctx, key []byte) (h *hash.Hash, existed, ok bool) {
	o := ctx.DB.LookupWrite(key)
	if o == nil {
		return hash.New(), false, true
	}
	if o.Type != keyspace.TypeHash {
		ctx.WrongType()
		return nil, false, false
	}
	return o.Val.(*hash.Hash), true, true
}

// storeHash publishes a change to h: a new hash is added to the database,
// an existing one reported as modified.
func storeHash(ctx *core.Ctx, key []byte, h *hash.Hash, existed bool) {
	if existed {
		ctx.DB.Modified(key)
	} else {
		ctx.DB.Add(key, keyspace.NewHash(h))
	}
}

// hsetCommand implements HSET and HMSET key field value [field value …].
func hsetCommand(ctx *core.Ctx) {
	args := ctx.Args
	if len(args)%2 == 1 {
		ctx.Errorf(rerr.WrongArity, ctx.Cmd.Name)
		return
	}
	key := args[1]
	h, existed, ok := writeHash(ctx, key)
	if !ok {
		return
	}
	lim := hashLimits(ctx)
	h.TryConvert(lim, args[2:])
	created := 0
	for i := 2; i < len(args); i += 2 {
		if h.Set(args[i], args[i+1], lim) {
			created++
		}
	}
	storeHash(ctx, key, h, existed)
	ctx.Notify(nHash, "hset", key)
	ctx.Dirty((len(args) - 2) / 2)
	if ctx.Cmd.Name == "hmset" {
		ctx.W.OK()
	} else {
		ctx.W.Int(int64(created))
	}
}

// hsetnxCommand implements HSETNX key field value.
func hsetnxCommand(ctx *core.Ctx) {
	key, field := ctx.Args[1], ctx.Args[2]
	h, existed, ok := writeHash(ctx, key)
	if !ok {
		return
	}
	if h.Exists(field) {
		ctx.W.Int(0)
		return
	}
	lim := hashLimits(ctx)
	h.TryConvert(lim, ctx.Args[2:4])
	h.Set(field, ctx.Args[3], lim)
	storeHash(ctx, key, h, existed)
	ctx.Notify(nHash, "hset", key)
	ctx.Dirty(1)
	ctx.W.Int(1)
}

// hgetCommand implements HGET key field.
func hgetCommand(ctx *core.Ctx) {
	h, ok := readHash(ctx, ctx.Args[1])
	if !ok {
		return
	}
	writeHashField(ctx.W, h, ctx.Args[2])
}

// writeHashField replies the value of field, or null (addHashFieldToReply).
func writeHashField(w *resp.Writer, h *hash.Hash, field []byte) {
	if h != nil {
		if v, ok := h.Get(field); ok {
			w.Bulk(v)
			return
		}
	}
	w.Null()
}

// hmgetCommand implements HMGET key field [field …]: a missing key is an
// empty hash.
func hmgetCommand(ctx *core.Ctx) {
	h, ok := readHash(ctx, ctx.Args[1])
	if !ok {
		return
	}
	ctx.W.ArrayLen(len(ctx.Args) - 2)
	for _, f := range ctx.Args[2:] {
		writeHashField(ctx.W, h, f)
	}
}

// hdelCommand implements HDEL key field [field …]. The key is deleted as
// soon as its last field goes.
func hdelCommand(ctx *core.Ctx) {
	key := ctx.Args[1]
	o := ctx.DB.LookupWrite(key)
	if o == nil {
		ctx.W.Int(0)
		return
	}
	if o.Type != keyspace.TypeHash {
		ctx.WrongType()
		return
	}
	h := o.Val.(*hash.Hash)
	removeMembers(ctx, key, ctx.Args[2:], h.Delete, h.Len, nHash, "hdel")
}

// hlenCommand implements HLEN key.
func hlenCommand(ctx *core.Ctx) {
	h, ok := readHash(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if h == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(h.Len()))
}

// hstrlenCommand implements HSTRLEN key field: 0 for a missing field.
func hstrlenCommand(ctx *core.Ctx) {
	h, ok := readHash(ctx, ctx.Args[1])
	if !ok {
		return
	}
	n := 0
	if h != nil {
		v, _ := h.Get(ctx.Args[2])
		n = len(v)
	}
	ctx.W.Int(int64(n))
}

// hexistsCommand implements HEXISTS key field.
func hexistsCommand(ctx *core.Ctx) {
	h, ok := readHash(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if h != nil && h.Exists(ctx.Args[2]) {
		ctx.W.Int(1)
	} else {
		ctx.W.Int(0)
	}
}

// What genericHgetall replies.
const (
	hashFields = 1 << iota
	hashValues
)

func hkeysCommand(ctx *core.Ctx)   { hgetallGeneric(ctx, hashFields) }
func hvalsCommand(ctx *core.Ctx)   { hgetallGeneric(ctx, hashValues) }
func hgetallCommand(ctx *core.Ctx) { hgetallGeneric(ctx, hashFields|hashValues) }

// hgetallGeneric implements HKEYS, HVALS and HGETALL: HGETALL replies a
// map (a flat array in RESP2), the others an array.
func hgetallGeneric(ctx *core.Ctx, what int) {
	h, ok := readHash(ctx, ctx.Args[1])
	if !ok {
		return
	}
	w := ctx.W
	n := 0
	if h != nil {
		n = h.Len()
	}
	if what == hashFields|hashValues {
		w.MapLen(n)
	} else {
		w.ArrayLen(n)
	}
	if h == nil {
		return
	}
	h.Range(func(f, v []byte) bool {
		if what&hashFields != 0 {
			w.Bulk(f)
		}
		if what&hashValues != 0 {
			w.Bulk(v)
		}
		return true
	})
}

// hincrbyCommand implements HINCRBY key field increment.
func hincrbyCommand(ctx *core.Ctx) {
	incr, ok := ctx.Int(3)
	if !ok {
		return
	}
	key, field := ctx.Args[1], ctx.Args[2]
	h, existed, ok := writeHash(ctx, key)
	if !ok {
		return
	}
	var value int64
	if cur, found := h.Get(field); found {
		if value, ok = numfmt.ParseInt(cur); !ok {
			ctx.Error(rerr.HashValueNotInteger)
			return
		}
	}
	if (incr < 0 && value < 0 && incr < math.MinInt64-value) ||
		(incr > 0 && value > 0 && incr > math.MaxInt64-value) {
		ctx.Error(rerr.Overflow)
		return
	}
	value += incr
	var buf [20]byte
	h.Set(field, strconv.AppendInt(buf[:0], value, 10), hashLimits(ctx))
	storeHash(ctx, key, h, existed)
	ctx.Notify(nHash, "hincrby", key)
	ctx.Dirty(1)
	ctx.W.Int(value)
}

// hincrbyfloatCommand implements HINCRBYFLOAT key field increment, with
// Redis's long double arithmetic and formatting (numfmt.HIncrByFloat). It
// is propagated as HSET key field <result>, so that replicas and the AOF do
// not redo the floating-point arithmetic.
func hincrbyfloatCommand(ctx *core.Ctx) {
	key, field, incr := ctx.Args[1], ctx.Args[2], string(ctx.Args[3])
	// The increment is checked before the key is looked up.
	if _, err := numfmt.HIncrByFloat("0", false, incr); err != nil {
		hincrbyfloatError(ctx, err)
		return
	}
	h, existed, ok := writeHash(ctx, key)
	if !ok {
		return
	}
	cur, found := h.Get(field)
	res, err := numfmt.HIncrByFloat(string(cur), found, incr)
	if err != nil {
		hincrbyfloatError(ctx, err)
		return
	}
	val := []byte(res)
	h.Set(field, val, hashLimits(ctx))
	storeHash(ctx, key, h, existed)
	ctx.Notify(nHash, "hincrbyfloat", key)
	ctx.Dirty(1)
	ctx.W.Bulk(val)
	ctx.Propagate(bHSET, key, field, val)
}

// hincrbyfloatError replies the error numfmt.HIncrByFloat reported.
func hincrbyfloatError(ctx *core.Ctx, err error) {
	switch {
	case errors.Is(err, numfmt.ErrIncrNaNOrInfinity):
		ctx.Error(rerr.HashIncrNaNOrInfinity)
	case errors.Is(err, numfmt.ErrHashValueNotFloat):
		ctx.Error(rerr.HashValueNotFloat)
	case errors.Is(err, numfmt.ErrNaNOrInfinity):
		ctx.Error(rerr.NaNOrInfinity)
	default:
		ctx.Error(rerr.NotFloat)
	}
}

// hrandfieldMaxReply bounds the reply HRANDFIELD builds for a huge count
// (Redis itself keeps writing until it runs out of memory: a count of
// -4611686018427387903 WITHVALUES gets redis-server 7.0.15 OOM-killed):
// past 256 MB the reply stops and the client is closed after it, as Redis
// closes a client whose output buffer limit is reached (CLIENT_CLOSE_ASAP).
const hrandfieldMaxReply = 256 << 20

// hrandfieldCommand implements HRANDFIELD key [count [WITHVALUES]].
func hrandfieldCommand(ctx *core.Ctx) {
	args := ctx.Args
	if len(args) >= 3 {
		l, ok := ctx.Int(2)
		if !ok {
			return
		}
		if l == math.MinInt64 {
			ctx.Error(rerr.HrandfieldRange)
			return
		}
		withValues := false
		if len(args) > 4 || (len(args) == 4 && !strings.EqualFold(string(cstr(args[3])), "withvalues")) {
			ctx.Error(rerr.Syntax)
			return
		}
		if len(args) == 4 {
			withValues = true
			if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
				ctx.Error(rerr.OutOfRange)
				return
			}
		}
		hrandfieldWithCount(ctx, l, withValues)
		return
	}
	h, ok := readHash(ctx, args[1])
	if !ok {
		return
	}
	if h == nil {
		ctx.W.Null()
		return
	}
	f, _, _ := h.Random()
	ctx.W.Bulk(f)
}

// hrandfieldWithCount is hrandfieldWithCountCommand: a negative count may
// repeat fields (in random order), a positive one returns distinct fields.
// WITHVALUES replies a flat field/value array in RESP2 and an array of
// [field, value] pairs in RESP3.
func hrandfieldWithCount(ctx *core.Ctx, l int64, withValues bool) {
	h, ok := readHash(ctx, ctx.Args[1])
	if !ok {
		return
	}
	w := ctx.W
	if h == nil || l == 0 {
		w.ArrayLen(0)
		return
	}
	uniq, count := true, l
	if l < 0 {
		uniq, count = false, -l
	}
	resp3 := w.Proto == 3
	replyLen := func(n int64) {
		if withValues && !resp3 {
			n *= 2
		}
		w.ArrayLen(int(n))
	}
	emit := func(f, v []byte) {
		if withValues && resp3 {
			w.ArrayLen(2)
		}
		w.Bulk(f)
		if withValues {
			w.Bulk(v)
		}
	}

	// Case 1: repetitions allowed, or a single field.
	if !uniq || count == 1 {
		replyLen(count)
		start := w.Len()
		// Draw in batches so that a huge count can stop once the reply
		// outgrows its bound.
		for count > 0 {
			batch := min(count, 1000)
			h.RandomPairs(int(batch), emit)
			count -= batch
			if ctx.Client != nil && ctx.ClosingForOutput() {
				break // over the client's output limit: it is being closed
			}
			if w.Len()-start > hrandfieldMaxReply {
				if ctx.Client != nil {
					ctx.Client.CloseAfterReply = true
				}
				break
			}
		}
		return
	}

	// Cases 2 to 4: distinct fields, all of them if count reaches the size.
	replyLen(min(count, int64(h.Len())))
	h.RandomUnique(int(min(count, int64(h.Len()))), emit)
}

// hscanCommand implements HSCAN key cursor [MATCH pattern] [COUNT count].
// A listpack is returned whole with cursor 0; a hashtable is walked like
// SCAN, COUNT counting pairs.
func hscanCommand(ctx *core.Ctx) {
	args := ctx.Args
	cursor, ok := parseScanCursor(ctx, args[2])
	if !ok {
		return
	}
	h, ok := readHash(ctx, args[1])
	if !ok {
		return
	}
	w := ctx.W
	if h == nil {
		w.ArrayLen(2)
		w.BulkString("0")
		w.ArrayLen(0)
		return
	}
	count := int64(10)
	var pat []byte
	usePat := false
	for i := 3; i < len(args); i += 2 {
		opt, more := string(args[i]), i+1 < len(args)
		switch {
		case more && strings.EqualFold(opt, "count"):
			n, ok := ctx.Int(i + 1)
			if !ok {
				return
			}
			if n < 1 {
				ctx.Error(rerr.Syntax)
				return
			}
			count = n
		case more && strings.EqualFold(opt, "match"):
			pat = args[i+1]
			usePat = !(len(pat) == 1 && pat[0] == '*')
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}

	var items [][]byte // field, value, field, value …
	collect := func(f, v []byte) { items = append(items, f, v) }
	if h.IsListpack() {
		cursor = h.Scan(cursor, collect)
	} else {
		// Redis counts list elements, two per pair: COUNT pairs, at most
		// ten times that many buckets.
		limit := count
		if limit > math.MaxInt64/20 {
			limit = math.MaxInt64 / 20
		}
		maxIter := limit * 20
		for {
			cursor = h.Scan(cursor, collect)
			if cursor == 0 || maxIter == 0 {
				break
			}
			maxIter--
			if int64(len(items)) >= limit*2 {
				break
			}
		}
	}

	n := 0
	for i := 0; i < len(items); i += 2 {
		if usePat && !glob.Match(pat, items[i], false) {
			continue
		}
		items[n], items[n+1] = items[i], items[i+1]
		n += 2
	}
	w.ArrayLen(2)
	w.BulkInt(int64(cursor)) // addReplyBulkLongLong of the unsigned cursor
	w.ArrayLen(n)
	for _, b := range items[:n] {
		w.Bulk(b)
	}
}
