package core

import (
	"sync"
	"time"
)

// Support for the blocking commands (BLPOP, BLMOVE, BZPOPMIN …) beyond
// Block: which key a woken client is served from, and a Ctx to serve it
// with. Kept in a file of its own so that it adds no field to Server or
// Client: the per-server state lives in a side table.
//
// Redis serves a client blocked on several keys from the key that became
// ready (serveClientsBlockedOnListKey works on rl->key), not from the first
// of its keys that holds data. The executor's Ready callback takes no key,
// so the tracker below mirrors the executor's ready-key queue: whenever a
// key is queued as ready (handleReadyKeys will then call Ready once for
// each client waiting on it, in queue order), the key is appended to the
// pending list of every client waiting on it; ReadyKey pops the head of
// that list, which is exactly the key the executor is serving.

// readyTracker is one server's pending ready keys per blocked client.
type readyTracker struct {
	pending map[*Client]*pendingReady
}

// pendingReady is the queue of keys one wait (one *Blocked) will be
// offered, in the order the executor offers them.
type pendingReady struct {
	b    *Blocked
	keys []string
}

// readyTrackers maps *Server to its *readyTracker, created on first use.
var readyTrackers sync.Map

// tracker returns s's ready tracker, installing its key hook on first use.
// Only the data owner calls it.
func (s *Server) tracker() *readyTracker {
	if t, ok := readyTrackers.Load(s); ok {
		return t.(*readyTracker)
	}
	t := &readyTracker{pending: make(map[*Client]*pendingReady)}
	readyTrackers.Store(s, t)
	s.OnKeyModified(func(db int, key string) { t.keyModified(s, db, key) })
	return t
}

// keyModified runs (through OnKeyModified) before the executor decides to
// queue the key: it queues it exactly when the key has waiters and is not
// queued already, so the same condition is checked here.
func (t *readyTracker) keyModified(s *Server, db int, key string) {
	if len(s.blocked) == 0 {
		return
	}
	k := blockKey{db, key}
	waiting, ok := s.blocked[k]
	if !ok {
		return
	}
	if _, queued := s.readySet[k]; queued {
		return
	}
	for _, c := range waiting {
		if c.Blocked == nil {
			continue
		}
		p := t.pending[c]
		if p == nil || p.b != c.Blocked {
			p = &pendingReady{b: c.Blocked}
			t.pending[c] = p
		}
		p.keys = append(p.keys, key)
	}
}

// BlockOnKeys parks c like Block and tracks which of b.Keys become ready,
// so that b.Ready can call ReadyKey. b.Keys should hold each key once.
func (s *Server) BlockOnKeys(c *Client, b *Blocked) {
	t := s.tracker()
	delete(t.pending, c)
	s.Block(c, b)
}

// ReadyKey returns the key the executor is waking c for. It must be called
// once, from c's Blocked.Ready, for a wait started with BlockOnKeys; ok is
// false if no key is known (the caller may then try all its keys).
func (s *Server) ReadyKey(c *Client) (key string, ok bool) {
	t := s.tracker()
	p := t.pending[c]
	if p == nil || p.b != c.Blocked || len(p.keys) == 0 {
		delete(t.pending, c)
		return "", false
	}
	key = p.keys[0]
	p.keys = p.keys[1:]
	if len(p.keys) == 0 {
		delete(t.pending, c)
	}
	return key, true
}

// forgetReady drops c's pending ready keys (it was served or left).
func (s *Server) forgetReady(c *Client) {
	if t, ok := readyTrackers.Load(s); ok {
		delete(t.(*readyTracker).pending, c)
	}
}

// ServeBlocked runs fn as the continuation of the blocking command cmd
// (with its arguments args, which must outlive the wait) that parked c:
// fn gets a Ctx on c's database and reply buffer, as the handler had, and
// reports whether it served c (wrote its reply). Errors fn replies are
// counted as the handler's would be, and when fn changed the dataset the
// commands it passed to ctx.Propagate are sent to the AOF and replicas
// (Redis propagates a served BLPOP as LPOP, BLMOVE as LMOVE …); the
// original command is never propagated. Call it from Blocked.Ready.
func (s *Server) ServeBlocked(c *Client, cmd *Command, args [][]byte, fn func(ctx *Ctx) bool) bool {
	start := time.Now()
	db := c.DB
	if c.Blocked != nil {
		db = c.Blocked.DB
	}
	ctx := &Ctx{Args: args, Cmd: cmd, Client: c, Srv: s, DB: s.KS.DB(db), W: &c.Out}
	dirty := s.Dirty
	if !fn(ctx) {
		return false
	}
	s.forgetReady(c)
	if cmd != nil {
		cmd.Usec += time.Since(start).Microseconds()
		if ctx.failed {
			cmd.FailedCalls++
		}
	}
	if s.Dirty != dirty && len(s.feeds) > 0 && !ctx.noPropagate {
		for _, a := range ctx.rewritten {
			s.propagate(ctx.DB.ID(), a)
		}
	}
	return true
}
