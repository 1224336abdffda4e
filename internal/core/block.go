package core

import "time"

// Parking of clients that wait for keys (blocking commands). A handler
// calls Block; when a write modifies one of the keys, the executor calls the
// client's Ready function after the writing command finished, in the order
// the clients blocked (Redis's fairness). Timeouts are served by Cron.

type blockKey struct {
	db  int
	key string
}

// Block parks c until b.Ready serves it or b.Timeout passes. The handler
// must not write a reply itself.
func (s *Server) Block(c *Client, b *Blocked) {
	c.Blocked = b
	for _, k := range b.Keys {
		bk := blockKey{b.DB, k}
		s.blocked[bk] = append(s.blocked[bk], c)
	}
}

// unblock removes c from every wait list.
func (s *Server) unblock(c *Client) {
	b := c.Blocked
	if b == nil {
		return
	}
	c.Blocked = nil
	for _, k := range b.Keys {
		bk := blockKey{b.DB, k}
		list := s.blocked[bk]
		for i, x := range list {
			if x == c {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(s.blocked, bk)
		} else {
			s.blocked[bk] = list
		}
	}
}

// Unblock releases c from its wait without a reply from Ready: onTimeout
// style callers (CLIENT UNBLOCK) write the reply themselves.
func (s *Server) Unblock(c *Client) {
	s.unblock(c)
	c.Conn.Wake()
}

// handleReadyKeys serves clients blocked on keys modified by the command
// that just ran. Serving a client may modify keys again; the loop runs
// until no key is ready.
func (s *Server) handleReadyKeys() {
	for len(s.readyKeys) > 0 {
		keys := s.readyKeys
		s.readyKeys = nil
		for _, k := range keys {
			delete(s.readySet, k)
		}
		for _, k := range keys {
			waiting := append([]*Client(nil), s.blocked[k]...)
			for _, c := range waiting {
				if c.Blocked == nil {
					continue
				}
				prev := s.current
				s.current = c
				c.OutMu.Lock()
				start := time.Now()
				served := c.Blocked.Ready()
				c.OutMu.Unlock()
				s.current = prev
				if served {
					s.unblock(c)
					s.BlockedServed(c, time.Since(start), false)
					c.Conn.Wake()
				}
			}
		}
	}
}

// expireBlocked serves the timeouts of parked clients.
func (s *Server) expireBlocked() {
	for _, c := range s.clients {
		b := c.Blocked
		if b == nil || b.Timeout == 0 || b.Timeout > s.now {
			continue
		}
		s.unblock(c)
		c.OutMu.Lock()
		if b.OnTimeout != nil {
			b.OnTimeout()
		} else {
			c.Out.NullArray()
		}
		c.OutMu.Unlock()
		c.Conn.Wake()
	}
}
