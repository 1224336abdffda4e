package command

import (
	"bytes"
	"math"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/stream"
)

// The stream commands (Redis's t_stream.c). Values are *stream.Stream in
// an Object of keyspace.TypeStream; OBJECT ENCODING is "stream". Unlike
// the other collections, an empty stream stays (XADD MAXLEN 0, XDEL,
// XGROUP CREATE MKSTREAM make them).
//
// Propagation follows Redis: XADD sends the ID it generated and turns an
// approximate trim ("~") into the exact one it performed; XTRIM ~ too;
// XREADGROUP, XCLAIM and XAUTOCLAIM send their effects as XCLAIM …
// FORCE JUSTID LASTID, XGROUP SETID … ENTRIESREAD and XGROUP
// CREATECONSUMER, never themselves.
//
// Blocked XREAD/XREADGROUP clients are woken, as in Redis, only by XADD,
// XGROUP DESTROY and by the key being replaced or deleted (see
// streamWaiter), not by other writes to the stream.

var _ = register(
	streamCmd("xadd", -5, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, xaddCommand, "5.0.0", "Appends a new entry to a stream"),
	streamCmd("xlen", 2, core.FlagReadOnly|core.FlagFast, xlenCommand, "5.0.0", "Return the number of entries in a stream"),
	streamCmd("xrange", -4, core.FlagReadOnly, xrangeCommand, "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval"),
	streamCmd("xrevrange", -4, core.FlagReadOnly, xrevrangeCommand, "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE"),
	streamCmd("xdel", -3, core.FlagWrite|core.FlagFast, xdelCommand, "5.0.0", "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist."),
	streamCmd("xtrim", -4, core.FlagWrite, xtrimCommand, "5.0.0", "Trims the stream to (approximately if '~' is passed) a certain size"),
	streamKeys(streamCmd("xread", -4, core.FlagReadOnly|core.FlagBlocking, xreadCommand, "5.0.0", "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.")),
	streamKeys(streamCmd("xreadgroup", -7, core.FlagWrite|core.FlagBlocking, xreadgroupCommand, "5.0.0", "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.")),
	streamCmd("xack", -4, core.FlagWrite|core.FlagFast, xackCommand, "5.0.0", "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL."),
	streamCmd("xpending", -3, core.FlagReadOnly, xpendingCommand, "5.0.0", "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged."),
	streamCmd("xclaim", -6, core.FlagWrite|core.FlagFast, xclaimCommand, "5.0.0", "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer."),
	streamCmd("xautoclaim", -6, core.FlagWrite|core.FlagFast, xautoclaimCommand, "6.2.0", "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer."),
	streamCmd("xsetid", -3, core.FlagWrite|core.FlagDenyOOM|core.FlagFast, xsetidCommand, "5.0.0", "An internal command for replicating stream values"),
	&core.Command{Name: "xgroup", Arity: -2, Handler: xgroupHelpCommand, Group: "stream", Since: "5.0.0", Summary: "A container for consumer groups commands",
		Subcommands: map[string]*core.Command{
			"create":         streamSub("xgroup|create", -5, core.FlagWrite|core.FlagDenyOOM, xgroupCommand, "5.0.0", "Create a consumer group."),
			"setid":          streamSub("xgroup|setid", -5, core.FlagWrite, xgroupCommand, "5.0.0", "Set a consumer group to an arbitrary last delivered ID value."),
			"destroy":        streamSub("xgroup|destroy", 4, core.FlagWrite, xgroupCommand, "5.0.0", "Destroy a consumer group."),
			"createconsumer": streamSub("xgroup|createconsumer", 5, core.FlagWrite|core.FlagDenyOOM, xgroupCommand, "6.2.0", "Create a consumer in a consumer group."),
			"delconsumer":    streamSub("xgroup|delconsumer", 5, core.FlagWrite, xgroupCommand, "5.0.0", "Delete a consumer from a consumer group."),
			"help":           {Name: "xgroup|help", Arity: 2, Flags: core.FlagLoading | core.FlagStale, Handler: xgroupHelpCommand, Group: "stream", Since: "5.0.0", Summary: "Show helpful text about the different subcommands", Categories: []string{"stream"}},
		}},
	&core.Command{Name: "xinfo", Arity: -2, Handler: xinfoHelpCommand, Group: "stream", Since: "5.0.0", Summary: "A container for stream introspection commands",
		Subcommands: map[string]*core.Command{
			"stream":    streamSub("xinfo|stream", -3, core.FlagReadOnly, xinfoStreamCommand, "5.0.0", "Get information about a stream"),
			"groups":    streamSub("xinfo|groups", 3, core.FlagReadOnly, xinfoGroupsCommand, "5.0.0", "List the consumer groups of a stream"),
			"consumers": streamSub("xinfo|consumers", 4, core.FlagReadOnly, xinfoConsumersCommand, "5.0.0", "List the consumers in a consumer group"),
			"help":      {Name: "xinfo|help", Arity: 2, Flags: core.FlagLoading | core.FlagStale, Handler: xinfoHelpCommand, Group: "stream", Since: "5.0.0", Summary: "Show helpful text about the different subcommands", Categories: []string{"stream"}},
		}},
)

func init() {
	keyspace.CloneValue[keyspace.TypeStream] = func(v any) any { return v.(*stream.Stream).Clone() }
	keyspace.EncodingOf[keyspace.TypeStream] = func(any) string { return "stream" }
}

// streamCmd builds a command of the "stream" group whose key is argument 1.
func streamCmd(name string, arity int, flags core.Flag, h core.Handler, since, summary string) *core.Command {
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: 1, LastKey: 1, Step: 1,
		Handler: h, Group: "stream", Since: since, Summary: summary, Categories: []string{"stream"}}
}

// streamSub builds an XGROUP or XINFO subcommand whose key is argument 2.
func streamSub(name string, arity int, flags core.Flag, h core.Handler, since, summary string) *core.Command {
	c := streamCmd(name, arity, flags, h, since, summary)
	c.FirstKey, c.LastKey = 2, 2
	return c
}

// streamKeys gives XREAD and XREADGROUP their key finder.
func streamKeys(c *core.Command) *core.Command {
	c.FirstKey, c.LastKey, c.Step = 0, 0, 0
	c.KeysFunc = xreadKeys
	return c
}

// xreadKeys is Redis's xreadGetKeys: the keys are the first half of the
// arguments after STREAMS, found by skipping the options before it.
func xreadKeys(args [][]byte) []int {
	pos := -1
loop:
	for i := 1; i < len(args); i++ {
		switch {
		case sopt(args[i], "block"), sopt(args[i], "count"):
			i++
		case sopt(args[i], "group"):
			i += 2
		case sopt(args[i], "noack"):
		case sopt(args[i], "streams"):
			pos = i
			break loop
		default:
			break loop
		}
	}
	if pos < 0 {
		return nil
	}
	num := len(args) - pos - 1
	if num == 0 || num%2 != 0 {
		return nil
	}
	num /= 2
	out := make([]int, num)
	for i := range out {
		out[i] = pos + 1 + i
	}
	return out
}

// sopt reports whether b is the option name (any case).
func sopt(b []byte, name string) bool { return bytes.EqualFold(b, []byte(name)) }

// streamLimits returns the node limits from the configuration.
func streamLimits(ctx *core.Ctx) stream.Limits {
	return stream.Limits{MaxBytes: int64(ctx.Srv.Config.StreamNodeMaxBytes), MaxEntries: ctx.Srv.Config.StreamNodeMaxEntries}
}

// streamOf returns the stream held by o.
func streamOf(o *keyspace.Object) *stream.Stream { return o.Val.(*stream.Stream) }

// lookupStream looks key up for reading (counting a hit or miss), or for
// a write; it replies WRONGTYPE and returns false for another type.
func lookupStream(ctx *core.Ctx, key []byte, write bool) (*stream.Stream, bool) {
	var o *keyspace.Object
	if write {
		o = ctx.DB.LookupWrite(key)
	} else {
		o = ctx.DB.Lookup(key)
	}
	if o == nil {
		return nil, true
	}
	if o.Type != keyspace.TypeStream {
		ctx.WrongType()
		return nil, false
	}
	return streamOf(o), true
}

// lookupGroup returns the stream at key and its consumer group name,
// replying WRONGTYPE for another type or the NOGROUP error when either is
// missing (XPENDING, XCLAIM, XAUTOCLAIM).
func lookupGroup(ctx *core.Ctx, key, name []byte, write bool) (*stream.Stream, *stream.Group, bool) {
	s, ok := lookupStream(ctx, key, write)
	if !ok {
		return nil, nil, false
	}
	var g *stream.Group
	if s != nil {
		g = s.Group(string(name))
	}
	if g == nil {
		ctx.Errorf(rerr.StreamNoGroup, cstr(key), cstr(name))
		return nil, nil, false
	}
	return s, g, true
}

// streamID parses argument b as an ID (strict: no "-" or "+"), replying
// the error when it is not one.
func streamID(ctx *core.Ctx, b []byte, missingSeq uint64, strict bool) (stream.ID, bool) {
	id, _, ok := stream.ParseID(b, missingSeq, strict, false)
	if !ok {
		ctx.Error(rerr.StreamID)
	}
	return id, ok
}

// streamIntervalID parses a range bound (streamParseIntervalIDOrReply):
// "(" before an ID makes it exclusive; ex reports that.
func streamIntervalID(ctx *core.Ctx, b []byte, missingSeq uint64) (id stream.ID, ex, ok bool) {
	if len(b) > 1 && b[0] == '(' {
		id, ok = streamID(ctx, b[1:], missingSeq, true)
		return id, true, ok
	}
	id, ok = streamID(ctx, b, missingSeq, false)
	return id, false, ok
}

// streamRangeStart parses an inclusive start bound (an exclusive one moves
// to the next ID).
func streamRangeStart(ctx *core.Ctx, b []byte) (stream.ID, bool) {
	id, ex, ok := streamIntervalID(ctx, b, 0)
	if !ok {
		return id, false
	}
	if ex {
		if id, ok = id.Next(); !ok {
			ctx.Error(rerr.StreamStartInterval)
			return id, false
		}
	}
	return id, true
}

// streamRangeEnd parses an inclusive end bound (an exclusive one moves to
// the previous ID).
func streamRangeEnd(ctx *core.Ctx, b []byte) (stream.ID, bool) {
	id, ex, ok := streamIntervalID(ctx, b, math.MaxUint64)
	if !ok {
		return id, false
	}
	if ex {
		if id, ok = id.Prev(); !ok {
			ctx.Error(rerr.StreamEndInterval)
			return id, false
		}
	}
	return id, true
}

// streamLong parses argument i as a long long, replying msg (or the
// standard error) when it is not one.
func streamLong(ctx *core.Ctx, i int, msg string) (int64, bool) {
	n, ok := numfmt.ParseInt(ctx.Args[i])
	if !ok {
		if msg == "" {
			msg = rerr.NotInteger
		}
		ctx.Error(msg)
	}
	return n, ok
}

// idBytes formats id.
func idBytes(id stream.ID) []byte { return id.Append(make([]byte, 0, 41)) }

// writeID replies id as a bulk string.
func writeID(w *resp.Writer, id stream.ID) {
	var buf [41]byte
	w.Bulk(id.Append(buf[:0]))
}

// writeEntry replies an entry as [id, [field, value …]].
func writeEntry(w *resp.Writer, e *stream.Entry) {
	w.ArrayLen(2)
	writeID(w, e.ID)
	w.ArrayLen(2 * e.NumFields())
	e.Fields(func(f, v []byte) {
		w.Bulk(f)
		w.Bulk(v)
	})
}

// ---- XADD / XTRIM ----

// addTrimArgs are the parsed options of XADD and XTRIM
// (streamAddTrimArgs).
type addTrimArgs struct {
	id         stream.ID
	idGiven    bool
	seqGiven   bool
	noMkStream bool
	trim       stream.TrimArgs
	trimArg    int // index of the MAXLEN count or MINID id
}

// parseAddTrim parses the options of XADD (xadd) or XTRIM from argument 2
// (streamParseAddOrTrimArgsOrReply) and returns the index of XADD's ID
// argument, or -1 after replying an error.
func parseAddTrim(ctx *core.Ctx, a *addTrimArgs, xadd bool) int {
	args := ctx.Args
	limitGiven := false
	i := 2
	for ; i < len(args); i++ {
		more := len(args) - 1 - i
		opt := args[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			return parseAddTrimEnd(ctx, a, xadd, limitGiven, i)
		case sopt(opt, "maxlen") && more > 0, sopt(opt, "minid") && more > 0:
			if a.trim.Strategy != stream.TrimNone {
				ctx.Error(rerr.XTrimIncompatible)
				return -1
			}
			maxlen := sopt(opt, "maxlen")
			a.trim.Approx = false
			if next := args[i+1]; more >= 2 && len(next) == 1 && next[0] == '~' {
				a.trim.Approx = true
				i++
			} else if more >= 2 && len(next) == 1 && next[0] == '=' {
				i++
			}
			if maxlen {
				n, ok := streamLong(ctx, i+1, "")
				if !ok {
					return -1
				}
				if n < 0 {
					ctx.Error(rerr.XTrimMaxlenNegative)
					return -1
				}
				a.trim.MaxLen = n
				a.trim.Strategy = stream.TrimMaxLen
			} else {
				id, ok := streamID(ctx, args[i+1], 0, true)
				if !ok {
					return -1
				}
				a.trim.MinID = id
				a.trim.Strategy = stream.TrimMinID
			}
			i++
			a.trimArg = i
		case sopt(opt, "limit") && more > 0:
			n, ok := streamLong(ctx, i+1, "")
			if !ok {
				return -1
			}
			if n < 0 {
				ctx.Error(rerr.XTrimLimitNegative)
				return -1
			}
			a.trim.Limit = n
			limitGiven = true
			i++
		case xadd && sopt(opt, "nomkstream"):
			a.noMkStream = true
		case xadd:
			id, seqGiven, ok := stream.ParseID(opt, 0, true, true)
			if !ok {
				ctx.Error(rerr.StreamID)
				return -1
			}
			a.id, a.seqGiven, a.idGiven = id, seqGiven, true
			return parseAddTrimEnd(ctx, a, xadd, limitGiven, i)
		default:
			ctx.Error(rerr.Syntax)
			return -1
		}
	}
	return parseAddTrimEnd(ctx, a, xadd, limitGiven, i)
}

// parseAddTrimEnd checks the combination of options and sets the LIMIT
// Redis applies.
func parseAddTrimEnd(ctx *core.Ctx, a *addTrimArgs, xadd, limitGiven bool, i int) int {
	if a.trim.Limit != 0 && a.trim.Strategy == stream.TrimNone {
		ctx.Error(rerr.XTrimLimitNoStrategy)
		return -1
	}
	if !xadd && a.trim.Strategy == stream.TrimNone {
		ctx.Error(rerr.XTrimNoStrategy)
		return -1
	}
	switch {
	case obeyClient(ctx):
		// The master (or the AOF) sends exact trims: no work limit.
		a.trim.Limit = 0
	case limitGiven:
		if !a.trim.Approx {
			ctx.Error(rerr.XTrimLimitNoApprox)
			return -1
		}
	case a.trim.Approx:
		a.trim.Limit = 100 * ctx.Srv.Config.StreamNodeMaxEntries
		if a.trim.Limit <= 0 {
			a.trim.Limit = 10000
		}
		if a.trim.Limit > 1000000 {
			a.trim.Limit = 1000000
		}
	default:
		a.trim.Limit = 0
	}
	if a.trim.Strategy == stream.TrimNone {
		a.trim.Approx = false
	}
	return i
}

// rewriteTrim replaces, in the propagated copy of the arguments, "~" with
// "=" and the count or ID with the length or first ID the trim left
// (streamRewriteApproxSpecifier, streamRewriteTrimArgument).
func rewriteTrim(argv [][]byte, a *addTrimArgs, s *stream.Stream) {
	argv[a.trimArg-1] = []byte("=")
	if a.trim.Strategy == stream.TrimMaxLen {
		argv[a.trimArg] = strconv.AppendUint(nil, s.Len(), 10)
	} else {
		argv[a.trimArg] = idBytes(s.EdgeID(true, false))
	}
}

// xaddCommand implements XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~]
// threshold [LIMIT count]] *|id field value [field value …].
func xaddCommand(ctx *core.Ctx) {
	var a addTrimArgs
	idPos := parseAddTrim(ctx, &a, true)
	if idPos < 0 {
		return
	}
	fieldPos := idPos + 1
	if n := len(ctx.Args) - fieldPos; n < 2 || n%2 == 1 {
		ctx.Errorf(rerr.WrongArity, ctx.Cmd.Name)
		return
	}
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		ctx.Error(rerr.XAddIDZero)
		return
	}
	key := ctx.Args[1]
	o := ctx.DB.LookupWrite(key)
	if o != nil && o.Type != keyspace.TypeStream {
		ctx.WrongType()
		return
	}
	if o == nil {
		if a.noMkStream {
			ctx.W.Null()
			return
		}
		o = &keyspace.Object{Type: keyspace.TypeStream, Val: stream.New()}
		ctx.DB.Add(key, o)
	}
	s := streamOf(o)
	if s.LastID == stream.MaxID {
		ctx.Error(rerr.XAddExhausted)
		return
	}
	id, err := s.Append(ctx.Args[fieldPos:], a.id, !a.idGiven, a.seqGiven, ctx.Now(), streamLimits(ctx))
	if err != nil {
		if err == stream.ErrIDNotGreater {
			ctx.Error(rerr.XAddIDTooSmall)
		} else {
			ctx.Error(rerr.XAddTooLarge)
		}
		return
	}
	idb := idBytes(id)
	ctx.W.Bulk(idb)
	ctx.Notify(nStream, "xadd", key)
	ctx.Dirty(1)
	var argv [][]byte
	if a.trim.Strategy != stream.TrimNone {
		if s.Trim(a.trim) > 0 {
			ctx.Notify(nStream, "xtrim", key)
		}
		if a.trim.Approx {
			argv = append([][]byte(nil), ctx.Args...)
			rewriteTrim(argv, &a, s)
		}
	}
	if !a.idGiven || !a.seqGiven {
		if argv == nil {
			argv = append([][]byte(nil), ctx.Args...)
		}
		argv[idPos] = idb
	}
	if argv != nil {
		ctx.Propagate(argv...)
	}
	s.Signal()
	ctx.DB.Modified(key)
}

// xtrimCommand implements XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT
// count].
func xtrimCommand(ctx *core.Ctx) {
	var a addTrimArgs
	if parseAddTrim(ctx, &a, false) < 0 {
		return
	}
	s, ok := lookupStream(ctx, ctx.Args[1], true)
	if !ok {
		return
	}
	if s == nil {
		ctx.W.Int(0)
		return
	}
	deleted := s.Trim(a.trim)
	if deleted > 0 {
		ctx.Notify(nStream, "xtrim", ctx.Args[1])
		if a.trim.Approx {
			argv := append([][]byte(nil), ctx.Args...)
			rewriteTrim(argv, &a, s)
			ctx.Propagate(argv...)
		}
		ctx.DB.Modified(ctx.Args[1])
		ctx.Dirty(int(deleted))
	}
	ctx.W.Int(deleted)
}

// ---- XRANGE / XREVRANGE / XLEN / XDEL ----

func xrangeCommand(ctx *core.Ctx)    { xrangeGeneric(ctx, false) }
func xrevrangeCommand(ctx *core.Ctx) { xrangeGeneric(ctx, true) }

// xrangeGeneric implements XRANGE key start end [COUNT n] and XREVRANGE
// key end start [COUNT n].
func xrangeGeneric(ctx *core.Ctx, rev bool) {
	startArg, endArg := ctx.Args[2], ctx.Args[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, ok := streamRangeStart(ctx, startArg)
	if !ok {
		return
	}
	end, ok := streamRangeEnd(ctx, endArg)
	if !ok {
		return
	}
	count := int64(-1)
	for j := 4; j < len(ctx.Args); j++ {
		if sopt(ctx.Args[j], "count") && j+1 < len(ctx.Args) {
			n, ok := streamLong(ctx, j+1, "")
			if !ok {
				return
			}
			count = max(n, 0)
			j++
		} else {
			ctx.Error(rerr.Syntax)
			return
		}
	}
	s, ok := lookupStream(ctx, ctx.Args[1], false)
	if !ok {
		return
	}
	if s == nil {
		ctx.W.ArrayLen(0)
		return
	}
	if count == 0 {
		ctx.W.NullArray()
		return
	}
	count = max(count, 0)
	h := ctx.W.DeferLen()
	n := int64(0)
	s.Range(start, end, rev, func(e *stream.Entry) bool {
		writeEntry(ctx.W, e)
		n++
		return count == 0 || n < count
	})
	ctx.W.SetDeferredArrayLen(h, int(n))
}

// xlenCommand implements XLEN key.
func xlenCommand(ctx *core.Ctx) {
	s, ok := lookupStream(ctx, ctx.Args[1], false)
	if !ok {
		return
	}
	if s == nil {
		ctx.W.Int(0)
		return
	}
	ctx.W.Int(int64(s.Len()))
}

// streamIDs parses a list of complete IDs (XDEL, XACK: all are checked
// before anything changes), replying the error of the first invalid one.
func streamIDs(ctx *core.Ctx, args [][]byte) ([]stream.ID, bool) {
	ids := make([]stream.ID, 0, len(args))
	for _, b := range args {
		id, ok := streamID(ctx, b, 0, true)
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// xdelCommand implements XDEL key id [id …].
func xdelCommand(ctx *core.Ctx) {
	key := ctx.Args[1]
	s, ok := lookupStream(ctx, key, true)
	if !ok {
		return
	}
	if s == nil {
		ctx.W.Int(0)
		return
	}
	ids, ok := streamIDs(ctx, ctx.Args[2:])
	if !ok {
		return
	}
	deleted := 0
	firstEntry := false
	for _, id := range ids {
		if !s.Delete(id) {
			continue
		}
		if id == s.FirstID {
			firstEntry = true
		}
		if id.Compare(s.MaxDeletedID) > 0 {
			s.MaxDeletedID = id
		}
		deleted++
	}
	if deleted > 0 {
		if s.Len() == 0 {
			s.FirstID = stream.ID{}
		} else if firstEntry {
			s.FirstID = s.EdgeID(true, true)
		}
		ctx.DB.Modified(key)
		ctx.Notify(nStream, "xdel", key)
		ctx.Dirty(deleted)
	}
	ctx.W.Int(int64(deleted))
}

// ---- XREAD / XREADGROUP ----

// xreadBlockedCount is the COUNT of a blocked XREAD without one
// (XREAD_BLOCKED_DEFAULT_COUNT).
const xreadBlockedCount = 1000

func xreadCommand(ctx *core.Ctx)      { xreadGeneric(ctx, false) }
func xreadgroupCommand(ctx *core.Ctx) { xreadGeneric(ctx, true) }

// streamProp names what a group read propagates: the key and group.
type streamProp struct {
	key, group []byte
}

// xreadTimeout parses BLOCK's milliseconds (getTimeoutFromObjectOrReply
// with UNIT_MILLISECONDS) into a deadline: 0 waits forever.
func xreadTimeout(ctx *core.Ctx, i int) (int64, bool) {
	ms, ok := numfmt.ParseInt(ctx.Args[i])
	if !ok {
		ctx.Error(rerr.TimeoutNotInt)
		return 0, false
	}
	if ms < 0 {
		ctx.Error(rerr.TimeoutNegative)
		return 0, false
	}
	if ms > 0 {
		ms += ctx.Now() // wraps like Redis's long long addition
	}
	return ms, true
}

// xreadGeneric implements XREAD [COUNT n] [BLOCK ms] STREAMS key … id …
// and XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK]
// STREAMS key … id … (xreadCommand).
func xreadGeneric(ctx *core.Ctx, group bool) {
	args := ctx.Args
	timeout := int64(-1)
	var count int64
	streamsArg, nstreams := 0, 0
	noack := false
	var groupName, consumerName []byte
	if group {
		// XREADGROUP propagates its effects only.
		ctx.NoPropagate()
	}
parse:
	for i := 1; i < len(args); i++ {
		more := len(args) - i - 1
		o := args[i]
		switch {
		case sopt(o, "block") && more > 0:
			if ctx.Client.Script {
				ctx.Errorf("ERR %s command is not allowed with BLOCK option from scripts", args[0])
				return
			}
			i++
			t, ok := xreadTimeout(ctx, i)
			if !ok {
				return
			}
			timeout = t
		case sopt(o, "count") && more > 0:
			i++
			n, ok := streamLong(ctx, i, "")
			if !ok {
				return
			}
			count = max(n, 0)
		case sopt(o, "streams") && more > 0:
			streamsArg = i + 1
			n := len(args) - streamsArg
			if n%2 != 0 {
				ctx.Error(rerr.XReadUnbalanced)
				return
			}
			nstreams = n / 2
			break parse
		case sopt(o, "group") && more >= 2:
			if !group {
				ctx.Error(rerr.XReadGroupOption)
				return
			}
			groupName, consumerName = args[i+1], args[i+2]
			i += 2
		case sopt(o, "noack"):
			if !group {
				ctx.Error(rerr.XReadNoAckOption)
				return
			}
			noack = true
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	if streamsArg == 0 {
		ctx.Error(rerr.Syntax)
		return
	}
	if group && groupName == nil {
		ctx.Error(rerr.XReadGroupMissing)
		return
	}

	keys := args[streamsArg : streamsArg+nstreams]
	ids := make([]stream.ID, nstreams)
	var groups []*stream.Group
	if group {
		groups = make([]*stream.Group, nstreams)
	}
	for i, key := range keys {
		idArg := args[streamsArg+nstreams+i]
		s, ok := lookupStream(ctx, key, group)
		if !ok {
			return
		}
		if group {
			var g *stream.Group
			if s != nil {
				g = s.Group(string(groupName))
			}
			if g == nil {
				ctx.Errorf(rerr.XReadGroupNoGroup, cstr(key), cstr(groupName))
				return
			}
			groups[i] = g
		}
		switch {
		case isCString(idArg, "$"):
			if group {
				ctx.Error(rerr.XReadGroupDollar)
				return
			}
			if s != nil {
				ids[i] = s.LastID
			}
			continue
		case isCString(idArg, ">"):
			if !group {
				ctx.Error(rerr.XReadGreater)
				return
			}
			ids[i] = stream.MaxID
			continue
		}
		id, ok := streamID(ctx, idArg, 0, true)
		if !ok {
			return
		}
		ids[i] = id
	}

	// Serve synchronously what can be served.
	w := ctx.W
	h, served := -1, 0
	for i, key := range keys {
		s, _ := lookupStream(ctx, key, group)
		if s == nil {
			continue
		}
		gt := ids[i]
		serve, history := false, false
		if group {
			if gt != stream.MaxID {
				serve, history = true, true
			} else if s.Len() > 0 {
				last := groups[i].LastID
				if maxID, _ := s.LastValidID(); maxID.Compare(last) > 0 {
					serve = true
					gt = last
				}
			}
		} else if s.Len() > 0 {
			if maxID, _ := s.LastValidID(); maxID.Compare(gt) > 0 {
				serve = true
			}
		}
		if !serve {
			continue
		}
		served++
		if served == 1 {
			h = w.DeferLen()
		}
		start, _ := gt.Next()
		if w.Proto != 3 {
			w.ArrayLen(2)
		}
		w.Bulk(key)
		var g *stream.Group
		var c *stream.Consumer
		if group {
			g = groups[i]
			c = streamConsumerFor(ctx, g, key, groupName, consumerName, noack)
		}
		streamReply(ctx, s, start, stream.MaxID, count, false, g, c, noack, history, &streamProp{key, groupName})
		if group {
			ctx.Dirty(1)
			ctx.DB.Modified(key)
		}
	}
	if served > 0 {
		if w.Proto == 3 {
			w.SetDeferredMapLen(h, served)
		} else {
			w.SetDeferredArrayLen(h, served)
		}
		return
	}
	if timeout == -1 {
		w.NullArray()
		return
	}
	if ctx.DenyBlocking() {
		w.NullArray()
		return
	}
	streamBlock(ctx, keys, ids, timeout, count, groupName, consumerName, noack)
}

// isCString reports whether b equals s when read as a C string.
func isCString(b []byte, s string) bool { return string(cstr(b)) == s }

// streamConsumerFor returns the consumer called name in g, seen now,
// creating it (and, with NOACK, propagating XGROUP CREATECONSUMER, the
// only trace a consumer that gets no pending entries leaves) if needed.
func streamConsumerFor(ctx *core.Ctx, g *stream.Group, key, groupName, name []byte, noack bool) *stream.Consumer {
	if c := g.Consumer(string(name)); c != nil {
		c.SeenTime = ctx.Now()
		return c
	}
	c := g.CreateConsumer(string(name), ctx.Now())
	ctx.Dirty(1)
	ctx.Notify(nStream, "xgroup-createconsumer", key)
	if noack {
		ctx.Propagate([]byte("XGROUP"), []byte("CREATECONSUMER"), xclone(key), xclone(groupName), xclone(name))
	}
	return c
}

// xclone copies b.
func xclone(b []byte) []byte { return append([]byte(nil), b...) }

// propagateXClaim propagates a delivery or claim of id to the group as
// the idempotent XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE
// JUSTID LASTID last (streamPropagateXCLAIM).
func propagateXClaim(ctx *core.Ctx, key, groupName []byte, g *stream.Group, idArg []byte, n *stream.NACK) {
	ctx.Propagate([]byte("XCLAIM"), xclone(key), xclone(groupName), []byte(n.Consumer.Name()), []byte("0"), xclone(idArg),
		[]byte("TIME"), strconv.AppendInt(nil, n.DeliveryTime, 10),
		[]byte("RETRYCOUNT"), strconv.AppendInt(nil, n.DeliveryCount, 10),
		[]byte("FORCE"), []byte("JUSTID"), []byte("LASTID"), idBytes(g.LastID))
	ctx.Dirty(1)
}

// propagateGroupID propagates a group's last ID and read counter as
// XGROUP SETID key group id ENTRIESREAD n (streamPropagateGroupID).
func propagateGroupID(ctx *core.Ctx, key, groupName []byte, g *stream.Group) {
	ctx.Propagate([]byte("XGROUP"), []byte("SETID"), xclone(key), xclone(groupName), idBytes(g.LastID),
		[]byte("ENTRIESREAD"), strconv.AppendInt(nil, g.EntriesRead, 10))
	ctx.Dirty(1)
}

// streamReply replies the entries from start to end (at most count, 0 for
// all), as an array (streamReplyWithRange). With a group it also
// delivers: it advances the group's last ID and read counter and, unless
// noack, adds the entries to the PELs, propagating all that. With history
// it replies from the consumer's own PEL instead.
func streamReply(ctx *core.Ctx, s *stream.Stream, start, end stream.ID, count int64, rev bool,
	g *stream.Group, c *stream.Consumer, noack, history bool, prop *streamProp) int64 {
	w := ctx.W
	if g != nil && history {
		return streamReplyPEL(ctx, s, start, count, c)
	}
	h := w.DeferLen()
	var n int64
	propagateLast := false
	now := ctx.Now()
	s.Range(start, end, rev, func(e *stream.Entry) bool {
		if g != nil && e.ID.Compare(g.LastID) > 0 {
			id := e.ID
			if g.EntriesRead != stream.InvalidEntriesRead && !s.RangeHasTombstones(&id, nil) {
				g.EntriesRead++
			} else if s.EntriesAdded != 0 {
				g.EntriesRead = s.EstimateDistance(id)
			}
			g.LastID = id
			if noack {
				propagateLast = true
			}
		}
		writeEntry(w, e)
		if g != nil && !noack {
			nack := g.Deliver(e.ID, c, now)
			if prop != nil {
				propagateXClaim(ctx, prop.key, prop.group, g, idBytes(e.ID), nack)
			}
		}
		n++
		return count == 0 || n < count
	})
	if prop != nil && propagateLast {
		propagateGroupID(ctx, prop.key, prop.group, g)
	}
	w.SetDeferredArrayLen(h, int(n))
	return n
}

// streamReplyPEL replies a consumer's pending entries from start
// (streamReplyWithRangeFromConsumerPEL): each existing one counts as
// delivered again; a deleted one is replied as [id, nil].
func streamReplyPEL(ctx *core.Ctx, s *stream.Stream, start stream.ID, count int64, c *stream.Consumer) int64 {
	w := ctx.W
	h := w.DeferLen()
	var n int64
	now := ctx.Now()
	c.RangePending(start, func(id stream.ID, nack *stream.NACK) bool {
		if count != 0 && n >= count {
			return false
		}
		if s.Get(id, func(e *stream.Entry) { writeEntry(w, e) }) {
			nack.DeliveryTime = now
			nack.DeliveryCount++
		} else {
			w.ArrayLen(2)
			writeID(w, id)
			w.NullArray()
		}
		n++
		return true
	})
	w.SetDeferredArrayLen(h, int(n))
	return n
}

// streamWaiter is what a blocked XREAD/XREADGROUP remembers per key: the
// ID to read after and the value it last saw there. Redis wakes a
// blocked stream reader when the key is signalled: by XADD and XGROUP
// DESTROY (stream.Signal), and when a value is added, replaced or deleted
// there. The executor offers the key after any write, so a waiter that
// sees the same stream with the same signal count keeps waiting.
type streamWaiter struct {
	id      stream.ID
	obj     *keyspace.Object
	signals uint64
}

// streamBlock parks an XREAD/XREADGROUP that found nothing (blockForKeys
// with BLOCKED_STREAM).
func streamBlock(ctx *core.Ctx, keys [][]byte, ids []stream.ID, deadline, count int64, groupName, consumerName []byte, noack bool) {
	waiters := make(map[string]*streamWaiter, len(keys))
	for i, k := range keys {
		if _, dup := waiters[string(k)]; dup {
			continue // the first ID given for a key counts
		}
		o := ctx.DB.Peek(k)
		sw := &streamWaiter{id: ids[i], obj: o}
		if o != nil && o.Type == keyspace.TypeStream {
			sw.signals = streamOf(o).Signals()
		}
		waiters[string(k)] = sw
	}
	if count == 0 {
		count = xreadBlockedCount
	}
	group := groupName != nil
	groupName, consumerName = xclone(groupName), xclone(consumerName)
	blockOnKeys(ctx, keys, deadline, func(ctx *core.Ctx, key []byte) bool {
		sw := waiters[string(key)]
		if sw == nil {
			return false
		}
		var o *keyspace.Object
		if group {
			o = ctx.DB.LookupWrite(key) // a group read changes the stream
		} else {
			o = ctx.DB.Peek(key)
		}
		if o == nil || o.Type != keyspace.TypeStream {
			sw.obj, sw.signals = o, 0
			if group {
				ctx.Error(rerr.XReadGroupKeyGone)
				return true
			}
			return false
		}
		s := streamOf(o)
		signalled := o != sw.obj || s.Signals() != sw.signals
		sw.obj, sw.signals = o, s.Signals()
		if !signalled {
			return false
		}
		var g *stream.Group
		if group {
			if g = s.Group(string(groupName)); g == nil {
				ctx.Error(rerr.XReadGroupGroupGone)
				return true
			}
			sw.id = g.LastID
		}
		if s.LastID.Compare(sw.id) <= 0 {
			return false
		}
		start, _ := sw.id.Next()
		var c *stream.Consumer
		if group {
			c = streamConsumerFor(ctx, g, key, groupName, consumerName, noack)
		}
		w := ctx.W
		if w.Proto == 3 {
			w.MapLen(1)
		} else {
			w.ArrayLen(1)
			w.ArrayLen(2)
		}
		w.Bulk(key)
		streamReply(ctx, s, start, stream.MaxID, count, false, g, c, noack, false, &streamProp{key, groupName})
		if group {
			ctx.DB.Modified(key)
		}
		return true
	})
}

// ---- XGROUP ----

var xgroupHelpLines = []string{
	"CREATE <key> <groupname> <id|$> [option]",
	"    Create a new consumer group. Options are:",
	"    * MKSTREAM",
	"      Create the empty stream if it does not exist.",
	"    * ENTRIESREAD entries_read",
	"      Set the group's entries_read counter (internal use).",
	"CREATECONSUMER <key> <groupname> <consumer>",
	"    Create a new consumer in the specified group.",
	"DELCONSUMER <key> <groupname> <consumer>",
	"    Remove the specified consumer.",
	"DESTROY <key> <groupname>",
	"    Remove the specified group.",
	"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
	"    Set the current group ID and entries_read counter.",
}

// xgroupHelpCommand implements XGROUP HELP.
func xgroupHelpCommand(ctx *core.Ctx) { replyHelp(ctx, xgroupHelpLines) }

// xgroupCommand implements XGROUP CREATE, SETID, DESTROY, CREATECONSUMER
// and DELCONSUMER (xgroupCommand).
func xgroupCommand(ctx *core.Ctx) {
	args := ctx.Args
	opt := string(bytes.ToLower(args[1]))
	mkstream := false
	entriesRead := int64(stream.InvalidEntriesRead)
	key := args[2]
	grp := string(args[3])

	for i := 5; i < len(args); {
		switch {
		case opt == "create" && sopt(args[i], "mkstream"):
			mkstream = true
			i++
		case (opt == "create" || opt == "setid") && sopt(args[i], "entriesread") && i+1 < len(args):
			n, ok := streamLong(ctx, i+1, "")
			if !ok {
				return
			}
			if n < 0 && n != stream.InvalidEntriesRead {
				ctx.Error(rerr.XGroupEntriesRead)
				return
			}
			entriesRead = n
			i += 2
		default:
			subcommandSyntaxError(ctx)
			return
		}
	}
	o := ctx.DB.LookupWrite(key)
	var s *stream.Stream
	if o != nil {
		if o.Type != keyspace.TypeStream {
			ctx.WrongType()
			return
		}
		s = streamOf(o)
	}
	var g *stream.Group
	if !mkstream {
		if s == nil {
			ctx.Error(rerr.XGroupNoKey)
			return
		}
		g = s.Group(grp)
		if g == nil && (opt == "setid" || opt == "createconsumer" || opt == "delconsumer") {
			ctx.Errorf(rerr.XGroupNoGroup, cstr(args[3]), cstr(key))
			return
		}
	}

	switch {
	case opt == "create" && len(args) >= 5 && len(args) <= 8:
		var id stream.ID
		if isCString(args[4], "$") {
			if s != nil {
				id = s.LastID
			}
		} else {
			var ok bool
			if id, ok = streamID(ctx, args[4], 0, true); !ok {
				return
			}
		}
		if s == nil {
			o = &keyspace.Object{Type: keyspace.TypeStream, Val: stream.New()}
			ctx.DB.Add(key, o)
			s = streamOf(o)
		}
		if s.CreateGroup(grp, id, entriesRead) == nil {
			ctx.Error(rerr.BusyGroup)
			return
		}
		ctx.W.OK()
		ctx.Dirty(1)
		ctx.Notify(nStream, "xgroup-create", key)
		ctx.DB.Modified(key)
	case opt == "setid" && (len(args) == 5 || len(args) == 7):
		var id stream.ID
		if isCString(args[4], "$") {
			id = s.LastID
		} else {
			var ok bool
			if id, ok = streamID(ctx, args[4], 0, false); !ok {
				return
			}
		}
		g.LastID = id
		g.EntriesRead = entriesRead
		ctx.W.OK()
		ctx.Dirty(1)
		ctx.Notify(nStream, "xgroup-setid", key)
		ctx.DB.Modified(key)
	case opt == "destroy" && len(args) == 4:
		if g == nil {
			ctx.W.Int(0)
			return
		}
		s.DestroyGroup(grp)
		ctx.W.Int(1)
		ctx.Dirty(1)
		ctx.Notify(nStream, "xgroup-destroy", key)
		// Blocked XREADGROUP clients of the group get -NOGROUP.
		s.Signal()
		ctx.DB.Modified(key)
	case opt == "createconsumer" && len(args) == 5:
		if g.CreateConsumer(string(args[4]), ctx.Now()) == nil {
			ctx.W.Int(0)
			return
		}
		ctx.W.Int(1)
		ctx.Dirty(1)
		ctx.Notify(nStream, "xgroup-createconsumer", key)
		ctx.DB.Modified(key)
	case opt == "delconsumer" && len(args) == 5:
		var pending int
		if c := g.Consumer(string(args[4])); c != nil {
			pending = g.DeleteConsumer(c)
			ctx.Dirty(1)
			ctx.Notify(nStream, "xgroup-delconsumer", key)
			ctx.DB.Modified(key)
		}
		ctx.W.Int(int64(pending))
	default:
		subcommandSyntaxError(ctx)
	}
}

// ---- XSETID ----

// xsetidCommand implements XSETID key last-id [ENTRIESADDED n]
// [MAXDELETEDID id].
func xsetidCommand(ctx *core.Ctx) {
	args := ctx.Args
	id, ok := streamID(ctx, args[2], 0, true)
	if !ok {
		return
	}
	entriesAdded := int64(-1)
	var maxDel stream.ID
	for i := 3; i < len(args); i += 2 {
		more := len(args) - 1 - i
		switch {
		case sopt(args[i], "entriesadded") && more > 0:
			n, ok := streamLong(ctx, i+1, "")
			if !ok {
				return
			}
			if n < 0 {
				ctx.Error(rerr.XSetIDEntriesAdded)
				return
			}
			entriesAdded = n
		case sopt(args[i], "maxdeletedid") && more > 0:
			m, ok := streamID(ctx, args[i+1], 0, true)
			if !ok {
				return
			}
			if id.Compare(m) < 0 {
				ctx.Error(rerr.XSetIDMaxDeleted)
				return
			}
			maxDel = m
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	s, ok := lookupStream(ctx, args[1], true)
	if !ok {
		return
	}
	if s == nil {
		ctx.Error(rerr.NoSuchKey)
		return
	}
	if s.Len() > 0 {
		if maxID, _ := s.LastValidID(); id.Compare(maxID) < 0 {
			ctx.Error(rerr.XSetIDTooSmall)
			return
		}
		if entriesAdded != -1 && s.Len() > uint64(entriesAdded) {
			ctx.Error(rerr.XSetIDEntriesAddedTooSmall)
			return
		}
	}
	s.LastID = id
	if entriesAdded != -1 {
		s.EntriesAdded = uint64(entriesAdded)
	}
	if !maxDel.IsZero() {
		s.MaxDeletedID = maxDel
	}
	ctx.W.OK()
	ctx.Dirty(1)
	ctx.Notify(nStream, "xsetid", args[1])
	ctx.DB.Modified(args[1])
}

// ---- XACK / XPENDING ----

// xackCommand implements XACK key group id [id …].
func xackCommand(ctx *core.Ctx) {
	s, ok := lookupStream(ctx, ctx.Args[1], true)
	if !ok {
		return
	}
	var g *stream.Group
	if s != nil {
		g = s.Group(string(ctx.Args[2]))
	}
	if g == nil {
		ctx.W.Int(0)
		return
	}
	ids, ok := streamIDs(ctx, ctx.Args[3:])
	if !ok {
		return
	}
	acked := 0
	for _, id := range ids {
		if g.Ack(id) {
			acked++
		}
	}
	if acked > 0 {
		ctx.Dirty(acked)
		ctx.DB.Modified(ctx.Args[1])
	}
	ctx.W.Int(int64(acked))
}

// xpendingCommand implements XPENDING key group [[IDLE min-idle] start
// end count [consumer]].
func xpendingCommand(ctx *core.Ctx) {
	args := ctx.Args
	justInfo := len(args) == 3
	if len(args) != 3 && (len(args) < 6 || len(args) > 9) {
		ctx.Error(rerr.Syntax)
		return
	}
	var start, end stream.ID
	var count, minIdle int64
	var consumerName []byte
	if len(args) >= 6 {
		si := 3
		if sopt(args[3], "idle") {
			n, ok := streamLong(ctx, 4, "")
			if !ok {
				return
			}
			minIdle = n
			if len(args) < 8 {
				ctx.Error(rerr.Syntax)
				return
			}
			si += 2
		}
		n, ok := streamLong(ctx, si+2, "")
		if !ok {
			return
		}
		count = max(n, 0)
		if start, ok = streamRangeStart(ctx, args[si]); !ok {
			return
		}
		if end, ok = streamRangeEnd(ctx, args[si+1]); !ok {
			return
		}
		if si+3 < len(args) {
			consumerName = args[si+3]
		}
	}
	_, g, ok := lookupGroup(ctx, args[1], args[2], false)
	if !ok {
		return
	}
	w := ctx.W
	if justInfo {
		w.ArrayLen(4)
		w.Int(int64(g.PendingLen()))
		if g.PendingLen() == 0 {
			w.Null()
			w.Null()
			w.NullArray()
			return
		}
		first, _ := g.FirstPending()
		last, _ := g.LastPending()
		writeID(w, first)
		writeID(w, last)
		h := w.DeferLen()
		n := 0
		g.Consumers(func(c *stream.Consumer) bool {
			if c.PendingLen() == 0 {
				return true
			}
			w.ArrayLen(2)
			w.BulkString(c.Name())
			w.BulkInt(int64(c.PendingLen()))
			n++
			return true
		})
		w.SetDeferredArrayLen(h, n)
		return
	}
	rangePending := g.RangePending
	if consumerName != nil {
		c := g.Consumer(string(consumerName))
		if c == nil {
			w.ArrayLen(0)
			return
		}
		rangePending = c.RangePending
	}
	now := ctx.Now()
	h := w.DeferLen()
	n := 0
	rangePending(start, func(id stream.ID, nack *stream.NACK) bool {
		if count == 0 || end.Less(id) {
			return false
		}
		if minIdle != 0 && now-nack.DeliveryTime < minIdle {
			return true
		}
		n++
		count--
		w.ArrayLen(4)
		writeID(w, id)
		w.BulkString(nack.Consumer.Name())
		w.Int(max(now-nack.DeliveryTime, 0))
		w.Int(nack.DeliveryCount)
		return true
	})
	w.SetDeferredArrayLen(h, n)
}

// ---- XCLAIM / XAUTOCLAIM ----

// xclaimCommand implements XCLAIM key group consumer min-idle-time id [id
// …] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id].
func xclaimCommand(ctx *core.Ctx) {
	args := ctx.Args
	key, groupName := args[1], args[2]
	s, g, ok := lookupGroup(ctx, key, groupName, true)
	if !ok {
		return
	}
	minIdle, ok := streamLong(ctx, 4, rerr.XClaimMinIdle)
	if !ok {
		return
	}
	minIdle = max(minIdle, 0)
	j := 5
	ids := make([]stream.ID, 0, len(args)-5)
	for ; j < len(args); j++ {
		id, _, ok := stream.ParseID(args[j], 0, true, false)
		if !ok {
			break
		}
		ids = append(ids, id)
	}
	now := ctx.Now()
	deliveryTime, retryCount := int64(-1), int64(-1)
	force, justID := false, false
	var lastID stream.ID
	for ; j < len(args); j++ {
		more := len(args) - 1 - j
		opt := args[j]
		switch {
		case sopt(opt, "force"):
			force = true
		case sopt(opt, "justid"):
			justID = true
		case sopt(opt, "idle") && more > 0:
			j++
			n, ok := streamLong(ctx, j, rerr.XClaimIdle)
			if !ok {
				return
			}
			deliveryTime = now - n
		case sopt(opt, "time") && more > 0:
			j++
			n, ok := streamLong(ctx, j, rerr.XClaimTime)
			if !ok {
				return
			}
			deliveryTime = n
		case sopt(opt, "retrycount") && more > 0:
			j++
			n, ok := streamLong(ctx, j, rerr.XClaimRetryCount)
			if !ok {
				return
			}
			retryCount = n
		case sopt(opt, "lastid") && more > 0:
			j++
			id, ok := streamID(ctx, args[j], 0, true)
			if !ok {
				return
			}
			lastID = id
		default:
			ctx.Errorf(rerr.XClaimOption, cstr(opt))
			return
		}
	}
	ctx.NoPropagate()
	changed := false
	propagateLast := false
	if lastID.Compare(g.LastID) > 0 {
		g.LastID = lastID
		propagateLast, changed = true, true
	}
	if deliveryTime != -1 {
		if deliveryTime < 0 || deliveryTime > now {
			deliveryTime = now
		}
	} else {
		deliveryTime = now
	}

	w := ctx.W
	h := w.DeferLen()
	n := 0
	var c *stream.Consumer
	for i, id := range ids {
		idArg := args[5+i]
		nack := g.Pending(id)
		if !s.Exists(id) {
			if nack != nil {
				// The entry is gone: drop it from the PEL, everywhere.
				propagateXClaim(ctx, key, groupName, g, idArg, nack)
				propagateLast = false
				g.Ack(id)
				changed = true
			}
			continue
		}
		if force && nack == nil {
			nack = g.AddPending(id, now)
		}
		if nack == nil {
			continue
		}
		if nack.Consumer != nil && minIdle != 0 && now-nack.DeliveryTime < minIdle {
			continue
		}
		if c == nil {
			c = streamConsumerFor(ctx, g, key, groupName, args[3], false)
		}
		g.Claim(id, nack, c)
		nack.DeliveryTime = deliveryTime
		if retryCount >= 0 {
			nack.DeliveryCount = retryCount
		} else if !justID {
			nack.DeliveryCount++
		}
		if justID {
			writeID(w, id)
		} else {
			s.Get(id, func(e *stream.Entry) { writeEntry(w, e) })
		}
		n++
		propagateXClaim(ctx, key, groupName, g, idArg, nack)
		propagateLast = false
		changed = true
	}
	if propagateLast {
		propagateGroupID(ctx, key, groupName, g)
	}
	w.SetDeferredArrayLen(h, n)
	if changed {
		ctx.DB.Modified(key)
	}
}

// xautoclaimMaxAlloc is the largest transient allocation XAUTOCLAIM
// makes for its COUNT, as Redis's ztrymalloc manages on x86-64 Linux.
const xautoclaimMaxAlloc = 1 << 46

// xautoclaimCommand implements XAUTOCLAIM key group consumer
// min-idle-time start [COUNT count] [JUSTID].
func xautoclaimCommand(ctx *core.Ctx) {
	args := ctx.Args
	key, groupName := args[1], args[2]
	minIdle, ok := streamLong(ctx, 4, rerr.XAutoClaimMinIdle)
	if !ok {
		return
	}
	minIdle = max(minIdle, 0)
	start, ok := streamRangeStart(ctx, args[5])
	if !ok {
		return
	}
	count := int64(100)
	justID := false
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch {
		case sopt(args[j], "count") && more > 0:
			// getRangeLongFromObjectOrReply(1, LONG_MAX/16).
			n, ok := numfmt.ParseInt(args[j+1])
			if !ok || n < 1 || n > math.MaxInt64/16 {
				ctx.Error(rerr.XAutoClaimCount)
				return
			}
			count = n
			j++
		case sopt(args[j], "justid"):
			justID = true
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	s, g, ok := lookupGroup(ctx, key, groupName, true)
	if !ok {
		return
	}
	if count > xautoclaimMaxAlloc/16 {
		// Redis allocates 16 bytes per COUNT up front; on x86-64 Linux
		// that fails somewhere past 64 TiB of address space.
		ctx.Error(rerr.XAutoClaimMemory)
		return
	}
	ctx.NoPropagate()

	now := ctx.Now()
	attempts := count * 10
	claimed := resp.Writer{Proto: ctx.W.Proto}
	n := 0
	var deleted []stream.ID
	var c *stream.Consumer
	changed := false
	cur, more := start, true
	var last stream.ID
	visited := false
	for more {
		if attempts == 0 {
			break
		}
		attempts--
		if count == 0 {
			break
		}
		var id stream.ID
		var nack *stream.NACK
		found := false
		g.RangePending(cur, func(pid stream.ID, pn *stream.NACK) bool {
			id, nack, found = pid, pn, true
			return false
		})
		if !found {
			break
		}
		last, visited = id, true
		if !s.Exists(id) {
			propagateXClaim(ctx, key, groupName, g, idBytes(id), nack)
			g.Ack(id)
			changed = true
			deleted = append(deleted, id)
			count--
			cur = id // the next pending ID is now the first >= id
			continue
		}
		cur, more = id.Next()
		if minIdle != 0 && now-nack.DeliveryTime < minIdle {
			continue
		}
		if c == nil {
			c = streamConsumerFor(ctx, g, key, groupName, args[3], false)
		}
		g.Claim(id, nack, c)
		nack.DeliveryTime = now
		if !justID {
			nack.DeliveryCount++
		}
		if justID {
			writeID(&claimed, id)
		} else {
			s.Get(id, func(e *stream.Entry) { writeEntry(&claimed, e) })
		}
		n++
		count--
		propagateXClaim(ctx, key, groupName, g, idBytes(id), nack)
		changed = true
	}
	// The cursor is the next pending ID after the last one visited.
	var cursor stream.ID
	if visited {
		cursor, _ = g.NextPendingAfter(last)
	}
	w := ctx.W
	w.ArrayLen(3)
	writeID(w, cursor)
	w.ArrayLen(n)
	w.Raw(claimed.Bytes())
	w.ArrayLen(len(deleted))
	for _, id := range deleted {
		writeID(w, id)
	}
	if changed {
		ctx.DB.Modified(key)
	}
}

// ---- XINFO ----

var xinfoHelpLines = []string{
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
}

// xinfoHelpCommand implements XINFO HELP.
func xinfoHelpCommand(ctx *core.Ctx) { replyHelp(ctx, xinfoHelpLines) }

// xinfoLookup finds XINFO's stream, replying "no such key" when missing.
func xinfoLookup(ctx *core.Ctx) *stream.Stream {
	s, ok := lookupStream(ctx, ctx.Args[2], false)
	if !ok {
		return nil
	}
	if s == nil {
		ctx.Error(rerr.NoSuchKey)
	}
	return s
}

// xinfoConsumersCommand implements XINFO CONSUMERS key group.
func xinfoConsumersCommand(ctx *core.Ctx) {
	s := xinfoLookup(ctx)
	if s == nil {
		return
	}
	g := s.Group(string(ctx.Args[3]))
	if g == nil {
		ctx.Errorf(rerr.XGroupNoGroup, cstr(ctx.Args[3]), cstr(ctx.Args[2]))
		return
	}
	w := ctx.W
	now := ctx.Now()
	w.ArrayLen(g.NumConsumers())
	g.Consumers(func(c *stream.Consumer) bool {
		w.MapLen(3)
		w.BulkString("name")
		w.BulkString(c.Name())
		w.BulkString("pending")
		w.Int(int64(c.PendingLen()))
		w.BulkString("idle")
		w.Int(max(now-c.SeenTime, 0))
		return true
	})
}

// writeLag replies a group's lag, or null when it is unknown.
func writeLag(w *resp.Writer, s *stream.Stream, g *stream.Group) {
	if lag, ok := s.Lag(g); ok {
		w.Int(lag)
	} else {
		w.Null()
	}
}

// writeEntriesRead replies a group's read counter, or null when invalid.
func writeEntriesRead(w *resp.Writer, g *stream.Group) {
	if g.EntriesRead != stream.InvalidEntriesRead {
		w.Int(g.EntriesRead)
	} else {
		w.Null()
	}
}

// xinfoGroupsCommand implements XINFO GROUPS key.
func xinfoGroupsCommand(ctx *core.Ctx) {
	s := xinfoLookup(ctx)
	if s == nil {
		return
	}
	w := ctx.W
	w.ArrayLen(s.NumGroups())
	s.Groups(func(g *stream.Group) bool {
		w.MapLen(6)
		w.BulkString("name")
		w.BulkString(g.Name())
		w.BulkString("consumers")
		w.Int(int64(g.NumConsumers()))
		w.BulkString("pending")
		w.Int(int64(g.PendingLen()))
		w.BulkString("last-delivered-id")
		writeID(w, g.LastID)
		w.BulkString("entries-read")
		writeEntriesRead(w, g)
		w.BulkString("lag")
		writeLag(w, s, g)
		return true
	})
}

// xinfoStreamCommand implements XINFO STREAM key [FULL [COUNT count]].
func xinfoStreamCommand(ctx *core.Ctx) {
	s := xinfoLookup(ctx)
	if s == nil {
		return
	}
	args := ctx.Args
	full := false
	count := int64(10)
	switch optc := len(args) - 3; {
	case optc == 0:
	case optc != 1 && optc != 3, !sopt(args[3], "full"):
		subcommandSyntaxError(ctx)
		return
	default:
		full = true
		if optc == 3 {
			if !sopt(args[4], "count") {
				subcommandSyntaxError(ctx)
				return
			}
			n, ok := streamLong(ctx, 5, "")
			if !ok {
				return
			}
			if n < 0 {
				n = 10
			}
			count = n
		}
	}
	w := ctx.W
	if full {
		w.MapLen(9)
	} else {
		w.MapLen(10)
	}
	w.BulkString("length")
	w.Int(int64(s.Len()))
	w.BulkString("radix-tree-keys")
	w.Int(int64(s.NumNodes()))
	w.BulkString("radix-tree-nodes")
	w.Int(int64(s.RaxNodes()))
	w.BulkString("last-generated-id")
	writeID(w, s.LastID)
	w.BulkString("max-deleted-entry-id")
	writeID(w, s.MaxDeletedID)
	w.BulkString("entries-added")
	w.Int(int64(s.EntriesAdded))
	w.BulkString("recorded-first-entry-id")
	writeID(w, s.FirstID)
	if !full {
		w.BulkString("groups")
		w.Int(int64(s.NumGroups()))
		for _, rev := range []bool{false, true} {
			if rev {
				w.BulkString("last-entry")
			} else {
				w.BulkString("first-entry")
			}
			if !streamEdgeEntry(w, s, rev) {
				w.Null()
			}
		}
		return
	}
	w.BulkString("entries")
	h := w.DeferLen()
	var n int64
	s.Range(stream.MinID, stream.MaxID, false, func(e *stream.Entry) bool {
		writeEntry(w, e)
		n++
		return count == 0 || n < count
	})
	w.SetDeferredArrayLen(h, int(n))
	w.BulkString("groups")
	w.ArrayLen(s.NumGroups())
	s.Groups(func(g *stream.Group) bool {
		w.MapLen(7)
		w.BulkString("name")
		w.BulkString(g.Name())
		w.BulkString("last-delivered-id")
		writeID(w, g.LastID)
		w.BulkString("entries-read")
		writeEntriesRead(w, g)
		w.BulkString("lag")
		writeLag(w, s, g)
		w.BulkString("pel-count")
		w.Int(int64(g.PendingLen()))
		w.BulkString("pending")
		writeFullPending(w, g.PendingLen(), count, g.RangePending, true)
		w.BulkString("consumers")
		w.ArrayLen(g.NumConsumers())
		g.Consumers(func(c *stream.Consumer) bool {
			w.MapLen(4)
			w.BulkString("name")
			w.BulkString(c.Name())
			w.BulkString("seen-time")
			w.Int(c.SeenTime)
			w.BulkString("pel-count")
			w.Int(int64(c.PendingLen()))
			w.BulkString("pending")
			writeFullPending(w, c.PendingLen(), count, c.RangePending, false)
			return true
		})
		return true
	})
}

// writeFullPending writes the first count entries (all with count 0) of
// a PEL of size entries that rangePEL walks, for XINFO STREAM FULL: ID,
// consumer name (a group's PEL, withConsumer), delivery time and count.
func writeFullPending(w *resp.Writer, size int, count int64, rangePEL func(stream.ID, func(stream.ID, *stream.NACK) bool), withConsumer bool) {
	n := int64(size)
	if count != 0 {
		n = min(n, count)
	}
	w.ArrayLen(int(n))
	var k int64
	rangePEL(stream.MinID, func(id stream.ID, nack *stream.NACK) bool {
		if k == n {
			return false
		}
		if withConsumer {
			w.ArrayLen(4)
		} else {
			w.ArrayLen(3)
		}
		writeID(w, id)
		if withConsumer {
			w.BulkString(nack.Consumer.Name())
		}
		w.Int(nack.DeliveryTime)
		w.Int(nack.DeliveryCount)
		k++
		return true
	})
}

// streamEdgeEntry replies the first (or, with rev, the last) entry and
// reports whether there was one.
func streamEdgeEntry(w *resp.Writer, s *stream.Stream, rev bool) bool {
	found := false
	s.Range(stream.MinID, stream.MaxID, rev, func(e *stream.Entry) bool {
		writeEntry(w, e)
		found = true
		return false
	})
	return found
}
