package core

import (
	"time"

	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Transactions (MULTI/EXEC) and optimistic locking (WATCH), after Redis's
// multi.c. Queued commands are checked (existence, arity) when queued and
// run back to back by Exec; WATCHed keys modified in between (by anyone,
// including expiry and FLUSH) make EXEC return a null array.

// watchedKey is one key watched by one client.
type watchedKey struct {
	db     int
	key    string
	client *Client
	// expired is set when the key was logically expired at WATCH time: its
	// deletion by expiry then does not count as a modification.
	expired bool
}

// Watch starts watching key in db for c (WATCH).
func (s *Server) Watch(c *Client, db int, key []byte) {
	for _, wk := range c.Watched {
		if wk.db == db && wk.key == string(key) {
			return
		}
	}
	d := s.KS.DB(db)
	_, present := d.RawGet(key)
	wk := &watchedKey{db: db, key: string(key), client: c}
	wk.expired = present && d.Peek(key) == nil
	if s.watched == nil {
		s.watched = make(map[blockKey][]*watchedKey)
	}
	bk := blockKey{db, wk.key}
	s.watched[bk] = append(s.watched[bk], wk)
	c.Watched = append(c.Watched, wk)
}

// Unwatch forgets every key c watches (UNWATCH, EXEC, DISCARD, disconnect).
func (s *Server) Unwatch(c *Client) {
	for _, wk := range c.Watched {
		bk := blockKey{wk.db, wk.key}
		list := s.watched[bk]
		for i, x := range list {
			if x == wk {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(s.watched, bk)
		} else {
			s.watched[bk] = list
		}
	}
	c.Watched = nil
}

// touchWatched marks the clients watching key as dirty.
func (s *Server) touchWatched(db int, key string) {
	list := s.watched[blockKey{db, key}]
	if len(list) == 0 {
		return
	}
	for _, wk := range append([]*watchedKey(nil), list...) {
		if wk.expired {
			// A key that was already expired when watched: its removal is
			// not a change; anything else is.
			if _, present := s.KS.DB(db).RawGet([]byte(key)); !present {
				wk.expired = false
				continue
			}
		}
		wk.client.DirtyCAS = true
	}
}

// touchWatchedOnSwap is touchAllWatchedKeysInDb for one watched key k
// after SWAPDB: its database's old contents are now database oldDB, its
// new contents came from the other one (k.db now holds them).
func (s *Server) touchWatchedOnSwap(k blockKey, oldDB int) {
	key := []byte(k.key)
	_, inOld := s.KS.DB(oldDB).RawGet(key)
	cur := s.KS.DB(k.db)
	_, inNew := cur.RawGet(key)
	if !inOld && !inNew {
		return
	}
	for _, wk := range append([]*watchedKey(nil), s.watched[k]...) {
		if wk.expired {
			if !inNew {
				wk.expired = false // the expired key is gone: no logical change
				continue
			}
			if cur.IsExpired(key) {
				continue // still expired
			}
		} else if !inOld && cur.IsExpired(key) {
			wk.expired = true // a missing key replaced by an expired one
			continue
		}
		wk.client.DirtyCAS = true
	}
}

// watchedKeyExpired reports whether a key c watches expired since WATCH.
func (s *Server) watchedKeyExpired(c *Client) bool {
	for _, wk := range c.Watched {
		if wk.expired {
			continue
		}
		d := s.KS.DB(wk.db)
		if _, present := d.RawGet([]byte(wk.key)); present && d.IsExpired([]byte(wk.key)) {
			return true
		}
	}
	return false
}

// Discard drops c's open transaction and its watches.
func (s *Server) Discard(c *Client) {
	c.Multi = nil
	c.DirtyCAS = false
	s.Unwatch(c)
}

// ExecTransaction runs c's queued commands (EXEC) and writes the reply.
func (s *Server) ExecTransaction(ctx *Ctx) {
	c := ctx.Client
	if c.Multi == nil {
		ctx.Error(rerr.ExecWithoutMulti)
		return
	}
	if s.watchedKeyExpired(c) {
		c.DirtyCAS = true
	}
	m := c.Multi
	if m.Dirty || c.DirtyCAS {
		if m.Dirty {
			ctx.Error(rerr.ExecAbort)
		} else {
			c.Out.NullArray()
		}
		s.Discard(c)
		return
	}
	s.Unwatch(c)
	c.Multi = nil
	c.Out.ArrayLen(len(m.Queue))
	s.inExec = true
	s.execPending = s.execPending[:0]
	outer := s.ctx
	for i, args := range m.Queue {
		if s.security != nil {
			if msg := s.security.CheckQueued(c, m.Cmds[i], args); msg != "" {
				s.countError(msg)
				c.Out.Error(msg)
				continue
			}
		}
		s.call(c, m.Cmds[i], args, time.Now())
	}
	s.ctx = outer
	s.inExec = false
	s.flushExecPropagation(c.DB)
	c.DirtyCAS = false
	ctx.NoPropagate()
}

// flushExecPropagation sends the writes of a transaction to the feeds,
// wrapped in MULTI/EXEC when there is more than one.
func (s *Server) flushExecPropagation(_ int) {
	p := s.execPending
	s.execPending = nil
	if len(p) == 0 {
		return
	}
	if len(p) == 1 {
		s.propagate(p[0].db, p[0].args)
		return
	}
	s.propagate(p[0].db, [][]byte{[]byte("MULTI")})
	for _, op := range p {
		s.propagate(op.db, op.args)
	}
	s.propagate(p[len(p)-1].db, [][]byte{[]byte("EXEC")})
}

type pendingOp struct {
	db   int
	args [][]byte
}

// DenyBlocking reports whether a blocking command must behave as a
// non-blocking one (inside EXEC, as Redis).
func (c *Ctx) DenyBlocking() bool { return c.Srv.inExec }

// InExec reports whether the command runs as part of EXEC.
func (c *Ctx) InExec() bool { return c.Srv.inExec }
