package command

import "github.com/redis-clone/redis-clone/internal/core"

// randReplyMax bounds the reply a random-element command with a negative
// count (HRANDFIELD, SRANDMEMBER, ZRANDMEMBER) builds. Redis itself keeps
// writing until it runs out of memory (a count of -4611686018427387903
// WITHVALUES gets redis-server 7.0.15 OOM-killed) unless an output buffer
// limit closes the client first; past this bound the reply stops and the
// client is closed after it.
const randReplyMax = 256 << 20

// stopLongReply reports whether a handler in the middle of a long reply
// should stop writing it: the client is, or is now due to be, closed for
// its output buffer limits (Redis's checks of CLIENT_CLOSE_ASAP in KEYS
// and in the random-element loops), or the reply written since start
// passed randReplyMax (the client is then closed after the reply). A
// client closed for its limits receives nothing of the reply.
func stopLongReply(ctx *core.Ctx, start int) bool {
	if ctx.Client == nil {
		return false
	}
	if ctx.ClosingForOutput() {
		return true
	}
	if ctx.W.Len()-start > randReplyMax {
		ctx.Client.CloseAfterReply = true
		return true
	}
	return false
}
