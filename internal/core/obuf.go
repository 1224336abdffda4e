package core

import (
	"time"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// Client output buffer limits (client-output-buffer-limit, Redis's
// checkClientOutputBufferLimits). A client's pending output is what the
// executor queued in Client.Out plus what its front end took from there
// but could not write yet (OutputHolder: the event loop's outbound buffer,
// the threaded writer's chunk in flight). As in Redis, the first
// ReplyBufSize bytes stand for the fixed reply buffer (CLIENT LIST obl)
// and the limits apply to the rest (omem, Redis's reply list). A client over the hard limit,
// or over the soft limit for longer than the soft seconds, is closed
// asynchronously without being sent anything more, and logged as
// "Client … scheduled to be closed ASAP for overcoming of output buffer
// limits.". An unauthenticated client may not hold more than 1024 bytes.
//
// The limits are checked when a push (pub/sub message, MONITOR line …) is
// queued for a client, after each request for the client that sent it
// (so a transaction runs to its end first), when the event loop hands
// output to the socket, and by the cron for idle clients over the soft
// limit.
//
// Normal clients have no limit by default. Then, in eventloop mode, a
// client that pipelines requests without reading replies makes the
// outbound buffer grow without bound, as Redis's reply list does; in
// threaded mode the client's goroutine writes its replies itself before
// it reads more, so a client that does not read stops being read (TCP
// backpressure), and only pushes from other clients accumulate.

// ReplyBufSize is the part of the pending output counted as Redis's fixed
// reply buffer at its largest (PROTO_REPLY_CHUNK_BYTES; CLIENT LIST obl);
// the rest is the reply list (omem), which the limits apply to.
const ReplyBufSize = 16 * 1024

// A reply list node as Redis 7.0 with jemalloc allocates it: 16 KB asked,
// a 20480-byte allocation whose usable part (less the block header) holds
// data, counted in omem with the list node and block headers.
const (
	replyNodeData = 20480 - 16
	replyNodeMem  = replyNodeData + 24 + 16
)

// outputUse splits total bytes of pending output as Redis would hold them:
// the fixed buffer (obl) and the reply list's nodes (oll) and memory
// (omem, what the limits apply to).
func outputUse(total int) (obl, oll, omem int) {
	obl = min(total, ReplyBufSize)
	oll = (total - obl + replyNodeData - 1) / replyNodeData
	return obl, oll, oll * replyNodeMem
}

// OutputHolder is implemented by connections whose front end keeps output
// it took from Client.Out but could not write to the socket yet.
type OutputHolder interface {
	// PendingOutput returns those bytes. The data owner calls it.
	PendingOutput() int
}

// obufState holds the clients scheduled to be closed and the recent peaks
// of output buffer use (client_recent_max_output_buffer).
type obufState struct {
	closeQueue []*Client
	peak       [8]int64
}

// pendingOutput returns the output c's front end holds.
func pendingOutput(c *Client) int {
	if h, ok := c.Conn.(OutputHolder); ok {
		return h.PendingOutput()
	}
	return 0
}

// ClientOutput describes a client's pending output for CLIENT LIST: the
// bytes counted as the fixed reply buffer (obl), the reply list's nodes
// (oll) and bytes (omem). includeOut adds Client.Out, which the caller
// must be allowed to read.
func (c *Client) ClientOutput(includeOut bool) (obl, oll, omem int) {
	total := pendingOutput(c)
	if includeOut {
		total += c.Out.Len()
	}
	if c.diag.closeASAP {
		total = c.diag.closedTotal
	}
	return outputUse(total)
}

// obufClass returns the client-output-buffer-limit class of c (Redis's
// getClientType: masters and MONITOR clients count as normal).
func obufClass(c *Client) int {
	switch {
	case c.diag.monitor:
		return config.ClientNormal
	case c.Kind == KindReplica:
		return config.ClientReplica
	case c.Kind == KindPubSub:
		return config.ClientPubSub
	}
	return config.ClientNormal
}

// outputLimited reports whether c has any output limit to check.
func (s *Server) outputLimited(c *Client) bool {
	l := s.Config.ClientOutputBufferLimit[obufClass(c)]
	return l.HardBytes != 0 || l.SoftBytes != 0 || !c.Authenticated
}

// overOutputLimits reports whether c, with total bytes of pending output,
// must be closed; it keeps the soft limit's timer.
func (s *Server) overOutputLimits(c *Client, total int) bool {
	_, _, omem := outputUse(total)
	used := uint64(omem)
	if used == 0 && c.Kind != KindReplica {
		return false
	}
	if used > 1024 && !c.Authenticated {
		return true
	}
	l := s.Config.ClientOutputBufferLimit[obufClass(c)]
	hard := l.HardBytes != 0 && used >= l.HardBytes
	soft := l.SoftBytes != 0 && used >= l.SoftBytes
	if soft {
		now := s.now / 1000
		if c.diag.softSince == 0 {
			c.diag.softSince = now
			soft = false
		} else if now-c.diag.softSince <= l.SoftSeconds {
			soft = false
		}
	} else {
		c.diag.softSince = 0
	}
	return soft || hard
}

// scheduleClose logs that c, with total bytes of pending output, is to be
// closed for its output buffer and marks it: its pending output is
// dropped, nothing more is written to it, it runs no more requests, and it
// is closed at the end of the current request (or cron). The caller may
// hold c.OutMu.
func (s *Server) scheduleClose(c *Client, total int) {
	c.diag.closeASAP = true
	c.diag.closedTotal = total
	info := ""
	if ClientInfo != nil {
		info = ClientInfo(s, c)
	}
	s.Log.Warn("Client " + info + " scheduled to be closed ASAP for overcoming of output buffer limits.")
	c.CloseAfterReply = true
	c.Out.Reset()
	s.diag.obuf.closeQueue = append(s.diag.obuf.closeQueue, c)
}

// ClientInfo formats a client as CLIENT LIST does, for log lines; the
// command package sets it. It must not take c.OutMu.
var ClientInfo func(s *Server, c *Client) string

// freeClientsAsync closes the clients scheduled to be closed.
func (s *Server) freeClientsAsync() {
	q := s.diag.obuf.closeQueue
	s.diag.obuf.closeQueue = nil
	for _, c := range q {
		if c.Closed {
			continue
		}
		s.RemoveClient(c)
		c.Conn.Close()
	}
}

// writeLimited runs fn to write a push to target's Out (target.OutMu
// held) unless target is being closed, then checks target's output
// limits. It reports whether target should be woken to flush.
func (s *Server) writeLimited(target *Client, fn func(w *resp.Writer)) bool {
	if target.diag.closeASAP {
		return false
	}
	fn(&target.Out)
	if total := target.Out.Len() + pendingOutput(target); s.outputLimited(target) && s.overOutputLimits(target, total) {
		s.scheduleClose(target, total)
		return false
	}
	return true
}

// OutputFlushed is called by a front end, as the data owner, after it
// handed c's output to the socket (or found it had nothing to hand): it
// enforces c's output limits with the exact pending figure and closes c
// at once if they are exceeded.
func (s *Server) OutputFlushed(c *Client) {
	if c.Closed || c.diag.closeASAP || !s.outputLimited(c) {
		return
	}
	if total := c.Out.Len() + pendingOutput(c); s.overOutputLimits(c, total) {
		s.scheduleClose(c, total)
		s.freeClientsAsync()
	}
}

// ClosingForOutput reports whether the running command's client was
// scheduled to be closed for its output buffer, or is now due to be (its
// reply reached the hard limit: it is then closed after the command): a
// handler producing a huge reply (KEYS, HRANDFIELD …) may stop early, as
// Redis's do.
func (c *Ctx) ClosingForOutput() bool {
	cl := c.Client
	if cl.diag.closeASAP {
		return true
	}
	if _, fake := cl.Conn.(nopConn); fake || cl.Conn == nil {
		return false // Redis never closes a fake client for its output
	}
	s := c.Srv
	if !s.outputLimited(cl) {
		return false
	}
	l := s.Config.ClientOutputBufferLimit[obufClass(cl)]
	_, _, omem := outputUse(cl.Out.Len() + pendingOutput(cl))
	used := uint64(omem)
	if (l.HardBytes != 0 && used >= l.HardBytes) || (!cl.Authenticated && used > 1024) {
		// As Redis's CLIENT_CLOSE_ASAP, the verdict stands: the
		// client is closed after the command (afterExec).
		cl.diag.limitHit = true
		return true
	}
	return false
}

// obufCron checks the soft limit of idle clients, refreshes the event
// loop's pending figures and records the recent peak of output use.
func (s *Server) obufCron(now time.Time) {
	o := &s.diag.obuf
	sec := now.Unix()
	slot := sec % int64(len(o.peak))
	o.peak[(slot+1)%int64(len(o.peak))] = 0
	for _, c := range s.clients {
		if c.diag.closeASAP {
			continue
		}
		pending := pendingOutput(c)
		if pending > 0 {
			// Lets an event loop refresh its figure in its own goroutine.
			c.Conn.Wake()
		}
		c.OutMu.Lock()
		total := c.Out.Len() + pending
		over := c.diag.softSince != 0 && s.outputLimited(c) && s.overOutputLimits(c, total)
		if over {
			s.scheduleClose(c, total)
		}
		c.OutMu.Unlock()
		if _, _, omem := outputUse(total); int64(omem) > o.peak[slot] {
			o.peak[slot] = int64(omem)
		}
	}
}

// RecentMaxOutputBuffer returns the largest output buffer (omem) a client
// had in the last seconds (client_recent_max_output_buffer).
func (s *Server) RecentMaxOutputBuffer() int64 {
	var m int64
	for _, p := range s.diag.obuf.peak {
		m = max(m, p)
	}
	return m
}
