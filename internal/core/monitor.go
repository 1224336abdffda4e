package core

import (
	"strconv"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/splitargs"
)

// MONITOR (Redis's replicationFeedMonitors): every command executed by
// call() that is neither administrative nor flagged skip_monitor is sent,
// after it ran, to each MONITOR client as a status line
//
//	+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"
//
// with the client's database after the command, its address ("lua" for
// commands a script runs) and the arguments quoted as sdscatrepr does,
// sensitive ones redacted. Transactions appear as MULTI, the queued
// commands as EXEC runs them, then EXEC. Commands that set
// FlagSkipMonitor (EVAL, FCALL) feed themselves with FeedMonitors before
// the commands they run.

// StartMonitor makes c a MONITOR client.
func (s *Server) StartMonitor(c *Client) {
	if c.diag.monitor {
		return
	}
	c.diag.monitor = true
	s.diag.monitors = append(s.diag.monitors, c)
}

// stopMonitor ends MONITOR mode for c (RESET).
func (s *Server) stopMonitor(c *Client) {
	c.diag.monitor = false
	for i, m := range s.diag.monitors {
		if m == c {
			s.diag.monitors = append(s.diag.monitors[:i:i], s.diag.monitors[i+1:]...)
			return
		}
	}
}

// IsMonitor reports whether c is a MONITOR client (CLIENT LIST flag O).
func (c *Client) IsMonitor() bool { return c.diag.monitor }

// FeedMonitors sends args, executed by c in database db, to the MONITOR
// clients. The executor calls it for every command; a command flagged
// FlagSkipMonitor calls it itself.
func (s *Server) FeedMonitors(c *Client, db int, args [][]byte) {
	if len(s.diag.monitors) == 0 {
		return
	}
	line := monitorLine(time.Now(), c, db, args)
	live := s.diag.monitors[:0]
	for _, m := range s.diag.monitors {
		if m.Closed {
			m.diag.monitor = false
			continue
		}
		live = append(live, m)
	}
	clear(s.diag.monitors[len(live):])
	s.diag.monitors = live
	for _, m := range live {
		s.Push(m, func(w *resp.Writer) { w.Raw(line) })
	}
}

// monitorLine formats one MONITOR line.
func monitorLine(now time.Time, c *Client, db int, args [][]byte) []byte {
	b := make([]byte, 0, 64+16*len(args))
	b = append(b, '+')
	b = strconv.AppendInt(b, now.Unix(), 10)
	b = append(b, '.')
	us := strconv.Itoa(now.Nanosecond() / 1000)
	for i := len(us); i < 6; i++ {
		b = append(b, '0')
	}
	b = append(b, us...)
	b = append(b, " ["...)
	b = strconv.AppendInt(b, int64(db), 10)
	b = append(b, ' ')
	switch {
	case c.Script:
		b = append(b, "lua"...)
	case len(c.Addr) > 0 && c.Addr[0] == '/':
		b = append(b, "unix:"...)
		b = append(b, c.Addr...)
	default:
		b = append(b, c.Addr...)
	}
	b = append(b, "] "...)
	for j, a := range args {
		if j > 0 {
			b = append(b, ' ')
		}
		b = splitargs.AppendRepr(b, a)
	}
	return append(b, "\r\n"...)
}
