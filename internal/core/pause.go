package core

import "github.com/redis-clone/redis-clone/internal/rerr"

// CLIENT PAUSE (Redis 7.0's pauseClients and processCommand): while a
// pause is on, a command that must wait (every command for PauseAll;
// writes, may-replicate commands such as PUBLISH and PFCOUNT, EXEC of a
// transaction holding one, and scripts not declared no-writes for
// PauseWrite) is not executed: its client is parked (counted in
// blocked_clients, flag b) and the request stays unconsumed in the front
// end, which stops feeding the client. When the pause ends (CLIENT
// UNPAUSE, its timeout, a less restrictive pause) the clients are released
// in the order they were parked and their requests run again from the
// start, so they may be paused again. Replicas and MONITOR clients are
// never paused. While any pause is on, keys do not expire: active expiry
// is skipped and lookups treat expired keys as missing without deleting
// them (keyspace.ExpireDisabled); eviction code asks ClientsPaused.

// PauseType is the kind of client pause.
type PauseType uint8

// Pause kinds, least restrictive first.
const (
	pauseOff PauseType = iota
	// PauseWrite holds commands that may change data or replicate.
	PauseWrite
	// PauseAll holds every command.
	PauseAll
)

// PausePurpose is who asked for a pause; each purpose has its own end
// time and type, and the most restrictive one applies.
type PausePurpose int

// Pause purposes, as Redis's pause_purpose.
const (
	PauseByClient PausePurpose = iota
	PauseDuringShutdown
	PauseDuringFailover
	numPausePurposes
)

type pauseEvent struct {
	on  bool
	typ PauseType
	end int64 // Unix ms
}

// pauseState is the current pause and the clients it holds.
type pauseState struct {
	purposes [numPausePurposes]pauseEvent
	typ      PauseType
	end      int64
	held     []*Client
	// expireOff is set while the pause turned keyspace expiry off;
	// expirePrev is the setting it replaced.
	expireOff, expirePrev bool
}

// PauseClients pauses clients until end (Unix ms) for purpose: write-only
// (PauseWrite) or all commands (PauseAll). An existing pause of the same
// purpose is extended and made more restrictive, never shortened.
func (s *Server) PauseClients(purpose PausePurpose, end int64, typ PauseType) {
	p := &s.diag.pause.purposes[purpose]
	if !p.on {
		*p = pauseEvent{on: true, typ: typ, end: end}
	} else {
		p.typ = max(p.typ, typ)
		p.end = max(p.end, end)
	}
	s.updatePause()
}

// UnpauseClients ends purpose's pause.
func (s *Server) UnpauseClients(purpose PausePurpose) {
	p := &s.diag.pause.purposes[purpose]
	if !p.on {
		return
	}
	*p = pauseEvent{}
	s.updatePause()
}

// ClientsPaused reports whether a client pause is on (ending it first if
// its time is up), as checkClientPauseTimeoutAndReturnIfPaused.
func (s *Server) ClientsPaused() bool {
	ps := &s.diag.pause
	if ps.typ != pauseOff && ps.end < s.now {
		s.updatePause()
	}
	return ps.typ != pauseOff
}

// updatePause recomputes the pause from its purposes
// (updateClientPauseTypeAndEndTime), drops expired ones and releases the
// held clients when the pause became less restrictive.
func (s *Server) updatePause() {
	ps := &s.diag.pause
	old := ps.typ
	typ := pauseOff
	for i := range ps.purposes {
		p := &ps.purposes[i]
		switch {
		case !p.on:
		case p.end < s.now:
			*p = pauseEvent{}
		case p.typ > typ:
			typ = p.typ
		}
	}
	var end int64
	for _, p := range ps.purposes {
		if p.on && p.typ == typ && p.end > end {
			end = p.end
		}
	}
	ps.typ, ps.end = typ, end
	switch {
	case typ != pauseOff && !ps.expireOff:
		ps.expireOff, ps.expirePrev = true, s.KS.ExpireDisabled
		s.KS.ExpireDisabled = true
	case typ == pauseOff && ps.expireOff:
		ps.expireOff = false
		s.KS.ExpireDisabled = ps.expirePrev
	}
	if typ < old {
		s.releasePaused()
	}
}

// releasePaused unparks every held client; each runs its request again.
func (s *Server) releasePaused() {
	held := s.diag.pause.held
	s.diag.pause.held = nil
	for _, c := range held {
		if c.Closed || !c.diag.postponed {
			continue
		}
		c.diag.postponed = false
		s.unblock(c)
		c.Conn.Wake()
	}
}

// Postponed reports whether c's next request waits for the end of a client
// pause. The front end then leaves that request unconsumed and feeds it
// again once the client is woken.
func (c *Client) Postponed() bool { return c.diag.postponed }

// effectiveFlags returns cmd's flags for this invocation.
func effectiveFlags(cmd *Command, args [][]byte) Flag {
	if cmd.DynamicFlags != nil {
		return cmd.DynamicFlags(args)
	}
	return cmd.Flags
}

// postpone runs before a checked command executes or is queued: it parks
// c when a client pause holds the command, and refuses keyspace commands
// from replicas and MONITOR clients. It reports whether the command was
// dealt with.
func (s *Server) postpone(c *Client, cmd *Command, args [][]byte) bool {
	ps := &s.diag.pause
	replicaLike := c.diag.monitor || c.Kind == KindReplica
	if ps.typ == pauseOff && !replicaLike {
		return false
	}
	if ps.typ != pauseOff && ps.end < s.now {
		s.updatePause()
		if ps.typ == pauseOff && !replicaLike {
			return false
		}
	}
	flags := effectiveFlags(cmd, args)
	if cmd.Name == "exec" && c.Multi != nil {
		for i, q := range c.Multi.Cmds {
			flags |= effectiveFlags(q, c.Multi.Queue[i])
		}
	}
	mayReplicate := flags&(FlagWrite|FlagMayReplicate) != 0
	if replicaLike {
		if mayReplicate || flags&FlagReadOnly != 0 {
			s.reject(c, cmd, rerr.ReplicaKeyspace)
			return true
		}
		return false
	}
	if ps.typ == PauseAll || (ps.typ == PauseWrite && mayReplicate) {
		c.LastCmd = cmd.Name
		c.diag.postponed = true
		s.Block(c, &Blocked{})
		ps.held = append(ps.held, c)
		return true
	}
	return false
}
