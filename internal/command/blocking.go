package command

import (
	"math"
	"math/big"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// Shared machinery of the blocking commands (BLPOP BRPOP BRPOPLPUSH BLMOVE
// BLMPOP here, BZPOPMIN BZPOPMAX BZMPOP in zsets.go), after Redis's
// blocked.c and timeout.c.
//
// A blocking command first tries to run as its non-blocking form. When no
// key can serve it, it calls blockOnKeys with a serve function, which is
// the rest of the command: given a Ctx (on the blocked client, its
// database and its reply buffer, with a private copy of the arguments)
// and a key that became ready, it either serves the client from that key
// (writes the whole reply, changes the data, calls ctx.Dirty and
// ctx.Propagate with the effect, e.g. LPOP key for a served BLPOP) and
// returns true, or returns false and the client keeps waiting. So:
//
//	func bzpopmin(ctx *core.Ctx) {
//		deadline, ok := blockTimeout(ctx, len(ctx.Args)-1)
//		if !ok {
//			return
//		}
//		keys := ctx.Args[1 : len(ctx.Args)-1]
//		if served, failed := servezpop(ctx, keys); served || failed {
//			return
//		}
//		if ctx.DenyBlocking() { // inside MULTI/EXEC or a script
//			ctx.W.NullArray()
//			return
//		}
//		blockOnKeys(ctx, keys, deadline, func(ctx *core.Ctx, key []byte) bool {
//			return servezpopKey(ctx, key) // false when key holds no zset
//		})
//	}
//
// What the executor guarantees (internal/core block.go): after each
// top-level command (after EXEC as a whole, after a script) the keys it
// modified are offered to their waiting clients in the order the clients
// blocked (Redis's fairness), key by key in the order they were signalled;
// a client waiting on several keys is offered the key that became ready,
// not its first key. A deadline that passes replies a null array (RESP2
// *-1, RESP3 _), as Redis replies to every timed-out list, zset or stream
// wait; CLIENT UNBLOCK (UnblockClient) replies the same or -UNBLOCKED; a
// client that disconnects leaves every wait list. Deadlines are checked by
// the server cron, hz times a second (Redis checks them before every
// event-loop sleep), so a timeout fires up to 1/hz late.

// blockServe is the continuation of a parked blocking command: it serves
// the client from key and returns true, or returns false to keep waiting.
// ctx.Args are the command's arguments (a copy that lives as long as the
// wait); ctx.W is the blocked client's reply buffer.
type blockServe func(ctx *core.Ctx, key []byte) bool

// blockOnKeys parks the calling client until serve serves it from one of
// keys (each key is waited on once, however often it is given), until the
// deadline (Unix ms from blockTimeout; 0 waits forever) passes, or until
// it is unblocked. The handler must not reply after calling it. Callers
// check ctx.DenyBlocking first: inside MULTI/EXEC or a script a blocking
// command replies as if it had timed out instead.
func blockOnKeys(ctx *core.Ctx, keys [][]byte, deadline int64, serve blockServe) {
	args := make([][]byte, len(ctx.Args))
	for i, a := range ctx.Args {
		args[i] = append([]byte(nil), a...)
	}
	seen := make(map[string]struct{}, len(keys))
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		if _, dup := seen[string(k)]; dup {
			continue
		}
		seen[string(k)] = struct{}{}
		names = append(names, string(k))
	}
	srv, c, cmd := ctx.Srv, ctx.Client, ctx.Cmd
	b := &core.Blocked{DB: ctx.DB.ID(), Keys: names, Timeout: deadline}
	b.Ready = func() bool {
		key, known := srv.ReadyKey(c)
		return srv.ServeBlocked(c, cmd, args, func(sctx *core.Ctx) bool {
			if known {
				return serve(sctx, []byte(key))
			}
			for _, k := range names {
				if serve(sctx, []byte(k)) {
					return true
				}
			}
			return false
		})
	}
	srv.BlockOnKeys(c, b)
}

// twoPow63 is 2^63, the first value a long double to long long cast
// cannot represent.
var twoPow63 = new(big.Float).SetMantExp(big.NewFloat(0.5), 64)

// blockTimeout parses the timeout argument ctx.Args[i] of a blocking
// command, in seconds, like Redis's getTimeoutFromObjectOrReply with
// UNIT_SECONDS: the argument must be a long double as strtold reads it
// (hex floats and "inf" included, else "ERR timeout is not a float or out
// of range"); ceil(value*1000) milliseconds, cast to a 64-bit integer as
// x86-64 does (an out-of-range value, infinities included, becomes the
// minimum integer), must not be negative ("ERR timeout is negative"). It
// returns the absolute deadline in Unix milliseconds, 0 for no timeout. A
// positive timeout is added to the command's clock with wrap-around, as
// Redis does: a deadline that wraps negative expires at once.
func blockTimeout(ctx *core.Ctx, i int) (int64, bool) {
	ms, ok := timeoutMillis(ctx.Args[i])
	if !ok {
		ctx.Error(rerr.TimeoutNotFloat)
		return 0, false
	}
	if ms < 0 {
		ctx.Error(rerr.TimeoutNegative)
		return 0, false
	}
	if ms > 0 {
		ms += ctx.Now()
	}
	return ms, true
}

// timeoutMillis converts a timeout in seconds to (long long)ceill(t*1000)
// as Redis computes it on x86-64; ok is false when b is not a valid long
// double (string2ld).
func timeoutMillis(b []byte) (int64, bool) {
	// Common case: a whole number of seconds, exact in any precision.
	if n, ok := numfmt.ParseInt(b); ok && n > -1e15 && n < 1e15 {
		return n * 1000, true
	}
	s := string(b)
	// IncrByFloat parses its increment exactly like string2ld: the syntax
	// check of strtold, no NaN, no overflow or underflow to zero.
	switch _, err := numfmt.IncrByFloat("0", s); err {
	case nil:
	case numfmt.ErrNaNOrInfinity:
		return math.MinInt64, true // ±inf: the cast yields LLONG_MIN
	default:
		return 0, false
	}
	// The value, rounded to the 64-bit significand of a long double (the
	// exponent range of big.Float covers the x87 one), times 1000 in the
	// same precision, then ceil.
	v, _, err := big.ParseFloat(s, 0, 64, big.ToNearestEven)
	if err != nil {
		f, perr := strconv.ParseFloat(s, 64)
		if perr != nil {
			return 0, false
		}
		v = big.NewFloat(f)
	}
	v.SetPrec(64).SetMode(big.ToNearestEven)
	v.Mul(v, big.NewFloat(1000))
	if v.Cmp(twoPow63) >= 0 || v.Cmp(new(big.Float).Neg(twoPow63)) < 0 {
		return math.MinInt64, true
	}
	n, acc := v.Int64() // truncates toward zero
	if acc == big.Below {
		n++ // v was above n: ceil
	}
	return n, true
}

// UnblockClient ends the wait of c, a client parked by a blocking command,
// from outside (CLIENT UNBLOCK): with withError it replies
// "-UNBLOCKED client unblocked via CLIENT UNBLOCK" (counted as an error
// reply and a failed call of the blocked command), otherwise the wait's
// timeout reply (a null array for the list and zset commands). It returns
// false, doing nothing, when c is not blocked.
func UnblockClient(srv *core.Server, c *core.Client, withError bool) bool {
	b := c.Blocked
	if b == nil {
		return false
	}
	srv.Push(c, func(w *resp.Writer) {
		switch {
		case withError:
			srv.Stats.ErrorReplies++
			srv.Stats.ErrorCounts["UNBLOCKED"]++
			if cmd := srv.Commands.Lookup([][]byte{[]byte(c.LastCmd)}); cmd != nil {
				cmd.FailedCalls++
			}
			w.Error(rerr.Unblocked)
		case b.OnTimeout != nil:
			b.OnTimeout()
		default:
			w.NullArray()
		}
	})
	srv.Unblock(c)
	return true
}
