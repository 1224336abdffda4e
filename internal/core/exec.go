package core

import (
	"fmt"
	"strings"
	"time"

	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Exec runs one request for c. The caller owns the data (event loop or
// executor lock) and flushes c.Out afterwards. args are only valid for the
// duration of the call; handlers copy what they keep.
func (s *Server) Exec(c *Client, args [][]byte) {
	if s.ext.stopping {
		// The server is shutting down: no command runs any more.
		c.CloseAfterReply = true
		return
	}
	now := s.commandStart()
	s.setNow(now)
	c.LastInteraction = s.now
	s.current = c
	mark := c.Out.Len()
	defer func() {
		s.trackingAfterExec(c)
		s.current = nil
		s.applyReplyMode(c, mark)
		s.afterExec(c)
	}()

	s.trackingBeforeCommand()
	cmd := s.lookupCommand(args[0])
	if cmd == nil {
		s.reject(c, nil, unknownCommand(args))
		return
	}
	if cmd.Subcommands != nil && len(args) >= 2 {
		sub := cmd.Subcommands[strings.ToLower(string(args[1]))]
		if sub == nil {
			s.reject(c, nil, sanitize(fmt.Sprintf(rerr.UnknownSubcommand, args[1], strings.ToUpper(string(args[0])))))
			return
		}
		cmd = sub
	}
	if (cmd.Arity > 0 && cmd.Arity != len(args)) || len(args) < -cmd.Arity {
		s.reject(c, cmd, fmt.Sprintf(rerr.WrongArity, cmd.Name))
		return
	}
	if s.script != nil && s.scriptBusy(c, cmd) {
		return
	}
	if cmd.Flags&FlagProtected != 0 {
		if msg := s.protectedRefusal(c, cmd); msg != "" {
			s.reject(c, cmd, msg)
			return
		}
	}
	if cmd.Flags&FlagNoAuth == 0 && s.authRequired(c) {
		s.reject(c, cmd, rerr.NoAuth)
		return
	}
	if !s.checkACL(c, cmd, args) {
		return
	}
	// The checks below use this invocation's flags: EVAL and FCALL take
	// those their script declares (Redis's getCommandFlags).
	flags := effectiveFlags(cmd, args)
	if s.checkOOM(c, cmd, flags) {
		return
	}
	if c.Kind == KindPubSub && c.Proto == 2 && !pubsubAllowed(cmd) {
		s.reject(c, cmd, fmt.Sprintf(rerr.PubSubContext, cmd.Name))
		return
	}
	if s.ext.denyWrite != nil && s.deniedByDiskError(c, cmd, flags) {
		return
	}
	if s.filtered(c, cmd, flags) {
		return
	}
	if s.postpone(c, cmd, args) {
		return
	}
	if c.Multi != nil && !multiControl(cmd) {
		if cmd.Flags&FlagNoMulti != 0 {
			s.reject(c, cmd, rerr.NotAllowedInMult)
			return
		}
		s.queue(c, cmd, args)
		return
	}
	s.call(c, cmd, args, now)
	s.handleReadyKeys()
}

// pubsubAllowed reports the commands a RESP2 subscriber may send.
func pubsubAllowed(cmd *Command) bool {
	switch cmd.Name {
	case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset":
		return true
	}
	return false
}

// applyReplyMode drops the reply of the command that just ran when CLIENT
// REPLY OFF or SKIP says so, and advances SKIP's state.
func (s *Server) applyReplyMode(c *Client, mark int) {
	pushed := c.pushed
	c.pushed = c.pushed[:0]
	switch c.ReplyMode {
	case ReplyOff:
		silence(c, mark, pushed)
	case ReplySkip:
		silence(c, mark, pushed)
		c.ReplyMode = ReplyOn
	case ReplySkipNext:
		c.ReplyMode = ReplySkip
	}
}

// silence drops what the command wrote after mark except push data
// (pub/sub confirmations and messages), as Redis's CLIENT_PUSHING.
func silence(c *Client, mark int, pushed [][2]int) {
	var keep []byte
	for _, r := range pushed {
		if r[0] >= mark && r[1] <= c.Out.Len() {
			keep = append(keep, c.Out.Bytes()[r[0]:r[1]]...)
		}
	}
	c.Out.Truncate(mark)
	c.Out.Raw(keep)
}

// pushing runs fn, which writes push data to c.Out, and records its range.
func pushing(c *Client, fn func()) {
	start := c.Out.Len()
	fn()
	c.pushed = append(c.pushed, [2]int{start, c.Out.Len()})
}

// multiControl reports commands that run at once inside MULTI.
func multiControl(cmd *Command) bool {
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return true
	}
	return false
}

func (s *Server) queue(c *Client, cmd *Command, args [][]byte) {
	cp := make([][]byte, len(args))
	for i, a := range args {
		cp[i] = append([]byte(nil), a...)
	}
	c.Multi.Queue = append(c.Multi.Queue, cp)
	c.Multi.Cmds = append(c.Multi.Cmds, cmd)
	c.Out.Simple("QUEUED")
}

func (s *Server) protectedAllowed(c *Client) bool {
	return protectedAllowedBy(s.Config.EnableDebugCommand, c)
}

// protectedRefusal returns the error a protected command (DEBUG, the
// MODULE subcommands that load code) gets when its enable-*-command
// directive does not allow c, or "".
func (s *Server) protectedRefusal(c *Client, cmd *Command) string {
	if strings.HasPrefix(cmd.FullName(), "module|") {
		if !protectedAllowedBy(s.Config.EnableModuleCommand, c) {
			return rerr.ModuleNotAllowed
		}
		return ""
	}
	if !s.protectedAllowed(c) {
		return rerr.DebugNotAllowed
	}
	return ""
}

// protectedAllowedBy applies one enable-*-command setting ("yes", "local"
// or "no") to c.
func protectedAllowedBy(setting string, c *Client) bool {
	switch setting {
	case "yes":
		return true
	case "local":
		return isLocal(c.Addr)
	}
	return false
}

func isLocal(addr string) bool {
	return strings.HasPrefix(addr, "127.") || strings.HasPrefix(addr, "[::1]") || strings.HasPrefix(addr, "/")
}

// reject replies with a command error before execution (and flags an open
// transaction, so EXEC aborts).
func (s *Server) reject(c *Client, cmd *Command, msg string) {
	if c.Multi != nil {
		c.Multi.Dirty = true
	}
	if cmd != nil {
		cmd.RejectedCalls++
	}
	s.countError(msg)
	c.Out.Error(msg)
}

func (s *Server) countError(msg string) {
	s.Stats.ErrorReplies++
	code := msg
	if i := strings.IndexByte(msg, ' '); i >= 0 {
		code = msg[:i]
	}
	if len(s.Stats.ErrorCounts) < 128 || s.Stats.ErrorCounts[code] > 0 {
		s.Stats.ErrorCounts[code]++
	}
}

// call runs cmd's handler and does the bookkeeping around it: statistics
// and propagation of writes.
func (s *Server) call(c *Client, cmd *Command, args [][]byte, start time.Time) {
	ctx := &s.ctx
	*ctx = Ctx{Args: args, Cmd: cmd, Client: c, Srv: s, DB: s.KS.DB(c.DB), W: &c.Out}
	dirty := s.Dirty
	c.LastCmd = cmd.Name
	s.trackingEnterCall(c, cmd, args)
	cmd.Handler(ctx)
	s.trackingLeaveCall(c, cmd, args)
	dur := s.since(start)
	cmd.Calls++
	cmd.Usec += dur.Microseconds()
	if ctx.failed {
		cmd.FailedCalls++
	}
	s.Stats.CommandsProcessed++
	c.LastCmd = cmd.Name
	if s.Dirty != dirty {
		s.accountWrite(cmd, args)
	}
	if (s.Dirty != dirty || ctx.forced) && len(s.feeds) > 0 && cmd.Flags&(FlagWrite|FlagMayReplicate) != 0 {
		if ctx.rewritten != nil {
			// Several effects of one command go out as one transaction,
			// as Redis 7.0 wraps also_propagate (EXEC wraps its own).
			wrap := len(ctx.rewritten) > 1 && !s.inExec
			if wrap {
				s.propagate(ctx.DB.ID(), [][]byte{[]byte("MULTI")})
			}
			for _, a := range ctx.rewritten {
				s.propagate(ctx.DB.ID(), a)
			}
			if wrap {
				s.propagate(ctx.DB.ID(), [][]byte{[]byte("EXEC")})
			}
		} else if !ctx.noPropagate {
			s.propagate(ctx.DB.ID(), args)
		}
	}
	s.afterCall(c, cmd, args, dur)
}

func unknownCommand(args [][]byte) string {
	var b strings.Builder
	for _, a := range args[1:] {
		if b.Len() >= 128 {
			break
		}
		room := 128 - b.Len()
		if len(a) > room {
			a = a[:room]
		}
		b.WriteByte('\'')
		b.Write(a)
		b.WriteString("' ")
	}
	name := args[0]
	if len(name) > 128 {
		name = name[:128]
	}
	return sanitize(fmt.Sprintf(rerr.UnknownCommand, name, b.String()))
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}
