package core

// Hooks through which replication (internal/replication) takes part in
// the executor's work without the executor knowing it: a filter that may
// refuse a command before it runs (-READONLY on a replica, -MASTERDOWN,
// -LOADING while a replica loads its master's RDB, -NOREPLICAS), and the
// figure of a client's pending output (back-pressure of an RDB transfer).

// replHooks holds the replication hooks of a Server.
type replHooks struct {
	filter func(c *Client, cmd *Command, flags Flag) string
}

// SetCommandFilter installs fn, asked before every command runs (after
// authentication and the disk-error check, before MULTI queues it) and
// before every write a script makes: a non-empty result is the error the
// command is refused with. flags are the invocation's flags (a script's
// declared flags for EVAL and FCALL).
func (s *Server) SetCommandFilter(fn func(c *Client, cmd *Command, flags Flag) string) {
	s.repl.filter = fn
}

// filtered refuses cmd, replying, when the command filter says so.
func (s *Server) filtered(c *Client, cmd *Command, flags Flag) bool {
	if s.repl.filter == nil {
		return false
	}
	msg := s.repl.filter(c, cmd, flags)
	if msg == "" {
		return false
	}
	s.reject(c, cmd, msg)
	return true
}

// OutputPending returns the bytes of c's output not written to its socket
// yet: Client.Out plus what its front end holds. The caller owns the data.
func (s *Server) OutputPending(c *Client) int {
	c.OutMu.Lock()
	n := c.Out.Len()
	c.OutMu.Unlock()
	return n + pendingOutput(c)
}
