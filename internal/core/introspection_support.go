package core

import "sync"

// Accessors the introspection commands (INFO, CONFIG RESETSTAT, CLIENT
// LIST) need beyond the exported fields.

// ResetStats clears the statistics CONFIG RESETSTAT resets: the server
// counters (instantaneous samples included), the keyspace hit, miss and
// expiry counters, and every command's call statistics.
func (s *Server) ResetStats() {
	s.Stats = Stats{ErrorCounts: make(map[string]int64)}
	s.KS.Hits, s.KS.Misses, s.KS.Expired = 0, 0, 0
	s.ResetEvictionStats()
	s.lazy.freed.Store(0)
	var reset func(t map[string]*Command)
	reset = func(t map[string]*Command) {
		for _, c := range t {
			c.Calls, c.Usec, c.RejectedCalls, c.FailedCalls = 0, 0, 0, 0
			c.latencyHist = nil
			if c.Subcommands != nil {
				reset(c.Subcommands)
			}
		}
	}
	reset(s.Commands)
}

// IsLocalClient reports whether c is connected over a Unix socket or from
// a loopback address (Redis's islocalClient), as enable-debug-command and
// enable-protected-configs "local" require.
func IsLocalClient(c *Client) bool { return isLocal(c.Addr) }

// activeExpireOff records the servers whose active expiry DEBUG
// SET-ACTIVE-EXPIRE 0 turned off (a side table, so that this file adds no
// field to Server).
var activeExpireOff sync.Map // *Server → struct{}

// SetActiveExpire turns the cron's active expiry cycle on or off (DEBUG
// SET-ACTIVE-EXPIRE). Lazy expiry on access is unaffected.
func (s *Server) SetActiveExpire(on bool) {
	if on {
		activeExpireOff.Delete(s)
	} else {
		activeExpireOff.Store(s, struct{}{})
	}
}

// ActiveExpireEnabled reports whether the cron should run active expiry.
func (s *Server) ActiveExpireEnabled() bool {
	_, off := activeExpireOff.Load(s)
	return !off
}
