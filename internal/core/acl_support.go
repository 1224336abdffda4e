package core

import (
	"net"
	"sort"
	"strings"

	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Security is the access-control layer the executor consults before a
// command runs (internal/acl implements it). Without one, every
// authenticated client may run every command and requirepass alone
// decides authentication.
type Security interface {
	// Check returns "" when c may run cmd with args, else the error reply
	// (without the leading '-'); it records the denial in the ACL log.
	Check(c *Client, cmd *Command, args [][]byte) string
	// CheckQueued is Check for a command EXEC is about to run (the rules
	// may have changed since it was queued), with EXEC's error text.
	CheckQueued(c *Client, cmd *Command, args [][]byte) string
	// CheckScript is Check for a command a script calls, with the error
	// text scripts get (logged with the "lua" context).
	CheckScript(c *Client, cmd *Command, args [][]byte) string
	// Allowed reports whether c's user may run cmd with args, without
	// logging anything (redis.acl_check_cmd).
	Allowed(c *Client, cmd *Command, args [][]byte) bool
	// DefaultUser reports whether the default user needs no password
	// (nopass) and whether it is enabled.
	DefaultUser() (nopass, enabled bool)
}

// SetSecurity installs the access-control layer.
func (s *Server) SetSecurity(sec Security) { s.security = sec }

// Security returns the installed access-control layer, or nil.
func (s *Server) Security() Security { return s.security }

// authRequired is Redis's authRequired(): c has not authenticated and the
// default user does not let everyone in.
func (s *Server) authRequired(c *Client) bool {
	if c.Authenticated {
		return false
	}
	return s.defaultNeedsAuth()
}

// defaultNeedsAuth reports whether the default user does not let a
// connection in without AUTH.
func (s *Server) defaultNeedsAuth() bool {
	if s.security != nil {
		nopass, enabled := s.security.DefaultUser()
		return !nopass || !enabled
	}
	return s.Config.RequirePass != ""
}

// checkACL is the executor's permission hook: it rejects cmd when c's
// user may not run it with args.
func (s *Server) checkACL(c *Client, cmd *Command, args [][]byte) bool {
	if s.security == nil {
		return true
	}
	if msg := s.security.Check(c, cmd, args); msg != "" {
		s.reject(c, cmd, msg)
		return false
	}
	return true
}

// ACLAllowed reports whether c's user may run cmd with args (true without
// an access-control layer).
func (s *Server) ACLAllowed(c *Client, cmd *Command, args [][]byte) bool {
	return s.security == nil || s.security.Allowed(c, cmd, args)
}

// defaultAuthenticated reports whether a new (or RESET) connection starts
// authenticated as the default user.
func (s *Server) defaultAuthenticated() bool { return !s.defaultNeedsAuth() }

// DefaultAuthenticated reports whether a fresh connection is
// authenticated without AUTH (RESET uses it).
func (s *Server) DefaultAuthenticated() bool { return s.defaultAuthenticated() }

// SubscribedNames returns the client's subscribed channels, shard
// channels and patterns, sorted (ACL uses them to find clients whose
// channel permissions were revoked).
func (c *Client) SubscribedNames() (channels, shard, patterns []string) {
	if c.pubsub == nil {
		return nil, nil, nil
	}
	for ch := range c.pubsub.channels[0] {
		channels = append(channels, ch)
	}
	for ch := range c.pubsub.channels[1] {
		shard = append(shard, ch)
	}
	patterns = append(patterns, c.pubsub.patterns...)
	sort.Strings(channels)
	sort.Strings(shard)
	return channels, shard, patterns
}

// ConnectionDenied returns the reply a new connection from addr gets
// before it is closed, or "" when it may connect: Redis's protected mode
// refuses non-loopback clients while the default user has no password.
func (s *Server) ConnectionDenied(addr string) string {
	if !s.Config.ProtectedMode || isLoopback(addr) {
		return ""
	}
	nopass := s.Config.RequirePass == ""
	if s.security != nil {
		nopass, _ = s.security.DefaultUser()
	}
	if !nopass {
		return ""
	}
	s.Stats.RejectedConns++
	return rerr.ProtectedMode
}

// isLoopback is Redis's islocalClient: a Unix socket, or a peer address
// of exactly 127.0.0.1 or ::1.
func isLoopback(addr string) bool {
	if strings.HasPrefix(addr, "/") || addr == "" {
		return true
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	return host == "127.0.0.1" || host == "::1"
}
