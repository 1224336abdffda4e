package core

import (
	"time"
)

// Diagnostics and flow control around command execution, after Redis's
// call() and processCommand(): the slow log (slowlog.go), the latency
// monitor and per-command latency histograms (latency.go), MONITOR
// (monitor.go), CLIENT PAUSE (pause.go) and client output buffer limits
// (obuf.go). The executor calls three hooks: postpone before a command
// runs, afterCall after each execution (nested ones inside EXEC too) and
// afterExec when a request is done; the cron calls diagCron.

// diagState is the server-wide part of that state.
type diagState struct {
	slowlog  slowlog
	latency  latencyMonitor
	monitors []*Client
	pause    pauseState
	obuf     obufState
	gc       gcSampler
	// noDenyScript is DEBUG SET-DISABLE-DENY-SCRIPTS (Redis's
	// script_disable_deny_script): scripts may call no-script commands.
	noDenyScript bool
}

// clientDiag is the per-client part.
type clientDiag struct {
	// monitor is set for a MONITOR client (Redis's CLIENT_MONITOR, which
	// also makes it a CLIENT_SLAVE: never paused, no keyspace access).
	monitor bool
	// postponed is set while the client's next request waits for the end
	// of a client pause; the request stays unconsumed in the front end.
	postponed bool
	// closeASAP is set once the client is scheduled to be closed for its
	// output buffer; nothing more is written to it. closedTotal is the
	// pending output it had then.
	closeASAP   bool
	closedTotal int
	// limitHit is set when ClosingForOutput found the running command's
	// reply over the hard limit: the client is closed after the command
	// even if the reply ends up a few bytes under it.
	limitHit bool
	// softSince is the Unix second the client's output first stayed over
	// the soft limit (0: under it).
	softSince int64
	// blocked is the blocking command the client waits in, kept for the
	// slow log and statistics written when it is served.
	blocked *blockedCall
}

// blockedCall is a command that parked its client.
type blockedCall struct {
	cmd  *Command
	args [][]byte // already redacted and copied
	dur  time.Duration
}

// redacted replaces a sensitive argument in the slow log and MONITOR.
var redacted = []byte("(redacted)")

// loggedArgs returns args as the slow log and MONITOR show them: with the
// arguments cmd.Redact names replaced by "(redacted)". The result shares
// args' memory unless something was redacted.
func loggedArgs(cmd *Command, args [][]byte) [][]byte {
	if cmd.Redact == nil {
		return args
	}
	pos := cmd.Redact(args)
	if len(pos) == 0 {
		return args
	}
	out := append([][]byte(nil), args...)
	for _, p := range pos {
		if p > 0 && p < len(out) {
			out[p] = redacted
		}
	}
	return out
}

// afterCall does what Redis's call() does after a command's handler:
// latency sampling, slow log, latency histogram and MONITOR feed. A
// command that parked its client is logged when it is served.
func (s *Server) afterCall(c *Client, cmd *Command, args [][]byte, dur time.Duration) {
	us := dur.Microseconds()
	if th := s.Config.LatencyMonitorThreshold; th > 0 && us/1000 >= th {
		event := "command"
		if cmd.Flags&FlagFast != 0 {
			event = "fast-command"
		}
		s.latencyAdd(event, us/1000)
	}
	if c.Blocked != nil && !c.diag.postponed {
		logged := loggedArgs(cmd, args)
		cp := make([][]byte, len(logged))
		for i, a := range logged {
			cp[i] = append([]byte(nil), a...)
		}
		c.diag.blocked = &blockedCall{cmd: cmd, args: cp, dur: dur}
	} else {
		if cmd.Flags&FlagSkipSlowlog == 0 && s.slowlogWanted(us) {
			s.slowlogPush(c, loggedArgs(cmd, args), us)
		}
		if s.Config.LatencyTracking {
			cmd.recordLatency(us)
		}
	}
	if cmd.Name == "reset" && c.diag.monitor {
		s.stopMonitor(c)
	}
	if len(s.diag.monitors) > 0 && cmd.Flags&(FlagSkipMonitor|FlagAdmin) == 0 {
		s.FeedMonitors(c, c.DB, loggedArgs(cmd, args))
	}
}

// BlockedServed records the statistics of c's blocking command once it
// was served (Redis's updateStatsOnUnblock): the time it ran plus reply
// (the time it spent waiting is not counted) goes to the command's
// statistics, its latency histogram and the slow log; reply is also a
// "command-unblocking" latency sample. failed counts it as a failed call
// (CLIENT UNBLOCK). Timeouts are not logged, as in Redis 7.0.
func (s *Server) BlockedServed(c *Client, reply time.Duration, failed bool) {
	b := c.diag.blocked
	c.diag.blocked = nil
	if b == nil {
		return
	}
	total := (b.dur + reply).Microseconds()
	b.cmd.Usec += total
	if failed {
		b.cmd.FailedCalls++
	}
	if s.Config.LatencyTracking {
		b.cmd.recordLatency(total)
	}
	if b.cmd.Flags&FlagSkipSlowlog == 0 && s.slowlogWanted(total) {
		s.slowlogPush(c, b.args, total)
	}
	if th := s.Config.LatencyMonitorThreshold; th > 0 && reply.Milliseconds() >= th {
		s.latencyAdd("command-unblocking", reply.Milliseconds())
	}
}

// afterExec runs when the executor is done with a request of c: it
// enforces c's output buffer limits and closes the clients scheduled to
// be closed meanwhile.
func (s *Server) afterExec(c *Client) {
	if !c.diag.closeASAP && s.outputLimited(c) {
		if total := c.Out.Len() + pendingOutput(c); s.overOutputLimits(c, total) || c.diag.limitHit {
			s.scheduleClose(c, total)
		}
	}
	c.diag.limitHit = false
	if len(s.diag.obuf.closeQueue) > 0 {
		s.freeClientsAsync()
	}
	s.EvictClients(c)
}

// diagCron is the periodic part: the end of a client pause, output limits
// of idle clients, the recent maximum output buffer and GC pauses.
func (s *Server) diagCron(now time.Time) {
	if s.diag.pause.typ != pauseOff && s.diag.pause.end < s.now {
		s.updatePause()
	}
	s.obufCron(now)
	s.gcCron()
	if len(s.diag.obuf.closeQueue) > 0 {
		s.freeClientsAsync()
	}
	s.EvictClients(nil)
}

// CountFailed counts the running command as failed without an error reply
// of its own (CLIENT UNBLOCK ERROR, whose error goes to another client).
func (c *Ctx) CountFailed() { c.failed = true }
