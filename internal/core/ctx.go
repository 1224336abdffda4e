package core

import (
	"fmt"

	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// Ctx is what a handler sees: its arguments, the calling client, the
// selected database and the reply writer.
type Ctx struct {
	Args   [][]byte
	Cmd    *Command
	Client *Client
	Srv    *Server
	DB     *keyspace.DB
	W      *resp.Writer

	failed      bool
	noPropagate bool
	forced      bool
	rewritten   [][][]byte
}

// Error replies with msg (a full Redis error text such as rerr.Syntax) and
// counts it in the error statistics.
func (c *Ctx) Error(msg string) {
	c.failed = true
	c.Srv.countError(msg)
	c.W.Error(msg)
}

// ErrorCounted marks the command failed after it replied with an error
// whose error statistics were already counted where it arose (a script
// returning the error of a command it called): the command's failed_calls
// grows, the error counters do not (Redis's ERR_REPLY_FLAG_NO_STATS_UPDATE).
func (c *Ctx) ErrorCounted() { c.failed = true }

// Errorf formats an error reply.
func (c *Ctx) Errorf(format string, a ...any) { c.Error(fmt.Sprintf(format, a...)) }

// WrongType replies with the WRONGTYPE error.
func (c *Ctx) WrongType() { c.Error(rerr.WrongType) }

// Int parses argument i as a Redis integer, replying the standard error
// and returning false if it is not one.
func (c *Ctx) Int(i int) (int64, bool) {
	n, ok := numfmt.ParseInt(c.Args[i])
	if !ok {
		c.Error(rerr.NotInteger)
	}
	return n, ok
}

// Float parses argument i as a Redis float, replying the standard error
// and returning false if it is not one.
func (c *Ctx) Float(i int) (float64, bool) {
	f, ok := numfmt.ParseFloat(c.Args[i])
	if !ok {
		c.Error(rerr.NotFloat)
	}
	return f, ok
}

// Dirty records n changes to the dataset; a write command that records
// none is not propagated.
func (c *Ctx) Dirty(n int) { c.Srv.Dirty += int64(n) }

// Propagate replaces what is sent to the AOF and replicas for this command
// with the given commands (e.g. SET EX as SET PXAT). Call it once per
// command to send; calling it at all suppresses the original.
func (c *Ctx) Propagate(args ...[]byte) {
	c.rewritten = append(c.rewritten, args)
}

// ForcePropagation propagates this command even if it recorded no change
// (Redis's forceCommandPropagation: FLUSHALL after a save reset the
// change counter).
func (c *Ctx) ForcePropagation() { c.forced = true }

// NoPropagate suppresses propagation of this command even if it was dirty.
func (c *Ctx) NoPropagate() { c.noPropagate = true }

// Now returns the command's clock in Unix milliseconds.
func (c *Ctx) Now() int64 { return c.Srv.now }
