package core

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Hooks through which the persistence layer (internal/persist) takes part
// in the executor's and the front ends' work without either knowing it:
// the cron, the moment before replies leave (the AOF group commit), the
// refusal of writes after a disk error (-MISCONF), shutdown, and the
// replay of an AOF through the command table.

// extHooks holds the registered hooks of a Server.
type extHooks struct {
	cron        []func()
	beforeReply []func() bool
	barrier     ReplyBarrier
	denyWrite   func() string
	shutdown    []func(save bool) error
	exit        []func()
	exitOnce    sync.Once
	stopping    bool
}

// OnCron registers fn to run at the end of every Cron, with the data
// owned (save points, AOF rewrite triggers and retries).
func (s *Server) OnCron(fn func()) { s.ext.cron = append(s.ext.cron, fn) }

// OnBeforeReply registers fn to run before a front end writes replies:
// after each batch of commands (event loop, before the writes; threaded,
// before the goroutine writes its client's replies, outside the data
// lock, so fn must be safe for concurrent use). fn returns false when the
// replies must not be sent at all. Register hooks before serving.
func (s *Server) OnBeforeReply(fn func() bool) { s.ext.beforeReply = append(s.ext.beforeReply, fn) }

// BeforeReply runs the OnBeforeReply hooks. A front end calls it before
// writing replies and drops them (closing the connections) when it
// returns false.
func (s *Server) BeforeReply() bool {
	ok := true
	for _, fn := range s.ext.beforeReply {
		if !fn() {
			ok = false
		}
	}
	return ok
}

// ReplyBarrier lets a front end that can hold replies back (the event
// loop) write the AOF once for many clients, and under appendfsync always
// fsync it once, as Redis's beforeSleep does: instead of running
// BeforeReply after each client's batch, it asks Pending; while that is
// true it keeps the replies back and runs BeforeReply once, after the
// other batches of the same iteration, before sending them all.
type ReplyBarrier interface {
	// Pending reports whether replies produced now must wait for the next
	// BeforeReply (the AOF holds commands not yet written, or under
	// always not yet fsynced). The caller owns the data.
	Pending() bool
}

// SetReplyBarrier installs b (nil removes it).
func (s *Server) SetReplyBarrier(b ReplyBarrier) { s.ext.barrier = b }

// Barrier returns the installed ReplyBarrier, or nil.
func (s *Server) Barrier() ReplyBarrier { return s.ext.barrier }

// SetWriteDenial installs fn, Redis's writeCommandsDeniedByDiskError:
// before a write command (or PING, or EXEC of a transaction that writes)
// runs, a non-empty result of fn is the error it is refused with.
func (s *Server) SetWriteDenial(fn func() string) { s.ext.denyWrite = fn }

// deniedByDiskError refuses cmd, replying, when writes are denied.
func (s *Server) deniedByDiskError(c *Client, cmd *Command, flags Flag) bool {
	isExec := cmd.Name == "exec" && c.Multi != nil
	write := flags&FlagWrite != 0 || cmd.Name == "ping"
	if isExec && !write {
		for _, q := range c.Multi.Cmds {
			if q.Flags&FlagWrite != 0 {
				write = true
				break
			}
		}
	}
	if !write {
		return false
	}
	msg := s.ext.denyWrite()
	if msg == "" {
		return false
	}
	if isExec {
		cmd.RejectedCalls++
		s.Discard(c)
		msg = "EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "-")
		s.countError(msg)
		c.Out.Error(msg)
		return true
	}
	s.reject(c, cmd, msg)
	return true
}

// OnShutdown registers fn to run when the server prepares to shut down
// (SHUTDOWN, SIGTERM, SIGINT), with the data owned; save says whether an
// RDB must be written. An error cancels the shutdown.
func (s *Server) OnShutdown(fn func(save bool) error) {
	s.ext.shutdown = append(s.ext.shutdown, fn)
}

// PrepareShutdown runs the OnShutdown hooks; the caller owns the data. On
// success no further command runs: every client is closed at its next
// request, and the front end is expected to stop.
func (s *Server) PrepareShutdown(save bool) error {
	if s.ext.stopping {
		return nil
	}
	for _, fn := range s.ext.shutdown {
		if err := fn(save); err != nil {
			return err
		}
	}
	s.ext.stopping = true
	return nil
}

// OnExit registers fn to run once the front end has stopped (no command
// runs any more, the data lock is free): final AOF fsync, waiting for
// background jobs.
func (s *Server) OnExit(fn func()) { s.ext.exit = append(s.ext.exit, fn) }

// Exited runs the OnExit hooks, once.
func (s *Server) Exited() {
	s.ext.exitOnce.Do(func() {
		for _, fn := range s.ext.exit {
			fn()
		}
	})
}

// nopConn is the connection of a client that has none.
type nopConn struct{}

func (nopConn) Wake()  {}
func (nopConn) Close() {}

// LoadingClient returns a client that is not connected, for replaying an
// AOF as Redis's fake client: authenticated, and obeyed like a master
// (no size limits, past expiry times are kept).
func (s *Server) LoadingClient() *Client {
	c := &Client{ID: -1, Conn: nopConn{}, Proto: 2, Authenticated: true, Kind: KindMaster}
	c.Out.Proto = 2
	return c
}

// ExecLoaded runs one command read from an AOF for c (a LoadingClient):
// the handler is called directly, as Redis's loader does, without
// statistics, propagation or permission checks. It fails for an unknown
// command or a wrong number of arguments. Replies are discarded.
func (s *Server) ExecLoaded(c *Client, args [][]byte) error {
	cmd := s.Commands.lookup(args[0])
	if cmd == nil {
		return fmt.Errorf("Unknown command '%s'", args[0])
	}
	if cmd.Subcommands != nil && len(args) >= 2 {
		sub := cmd.Subcommands[strings.ToLower(string(args[1]))]
		if sub == nil {
			return fmt.Errorf("Unknown command '%s|%s'", args[0], args[1])
		}
		cmd = sub
	}
	if (cmd.Arity > 0 && cmd.Arity != len(args)) || len(args) < -cmd.Arity {
		return fmt.Errorf(rerr.WrongArity, cmd.Name)
	}
	s.setNow(time.Now())
	// DEBUG LOADAOF replays from inside a command: keep its context.
	prev, outer := s.current, s.ctx
	s.current = c
	ctx := &s.ctx
	*ctx = Ctx{Args: args, Cmd: cmd, Client: c, Srv: s, DB: s.KS.DB(c.DB), W: &c.Out}
	cmd.Handler(ctx)
	s.current, s.ctx = prev, outer
	c.Out.Reset()
	return nil
}
