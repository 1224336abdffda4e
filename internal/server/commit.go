package server

import "github.com/panjf2000/gnet/v2"

// The AOF group commit of the event loop. Redis writes the AOF buffer
// once per event-loop iteration (beforeSleep → flushAppendOnlyFile), and
// under appendfsync always fsyncs it there, before it sends the replies
// of every client served in the iteration. gnet calls OnTraffic once per
// ready connection and has no end-of-iteration hook, so a batch whose
// replies must wait (core.ReplyBarrier.Pending) keeps them back and
// queues one commit task with gnet.Conn.Wake: gnet runs queued tasks after
// the callbacks of the events it polled with the wake-up, so the batches
// of the other connections ready by then run first and share the commit.
// The task runs core.BeforeReply (one write, one fsync under always) and
// sends every held reply.

// commitState is the eventLoop's part of the group commit.
type commitState struct {
	// queued is true while a commit task is queued.
	queued bool
	// waiting are the connections whose replies wait for it.
	waiting []*loopConn
	// task is the queued callback (kept to avoid a closure per batch).
	task gnet.AsyncCallback
}

// mustHold reports whether the replies produced now must wait for the
// commit. The caller holds the data lock.
func (el *eventLoop) mustHold() bool {
	b := el.srv.core.Barrier()
	return b != nil && b.Pending()
}

// hold makes the replies of self (when its batch ran commands) and of
// every queued connection wait for the commit, and queues the commit
// unless it is queued. The caller holds the data lock, in the loop.
func (el *eventLoop) hold(self *loopConn, ran bool) {
	cs := &el.commit0
	if ran {
		el.holdConn(self)
	}
	for _, lc := range el.dirty {
		el.holdConn(lc)
	}
	if cs.queued {
		return
	}
	if cs.task == nil {
		cs.task = el.commitTask
	}
	cs.queued = true
	if err := self.gc.Wake(cs.task); err != nil {
		// The engine is stopping: commit at once.
		el.commitLocked()
	}
}

func (el *eventLoop) holdConn(lc *loopConn) {
	if !lc.held && !lc.closing {
		lc.held = true
		el.commit0.waiting = append(el.commit0.waiting, lc)
	}
}

// commitTask is the queued commit, run by gnet in the loop after the
// connection it was queued on was served again.
func (el *eventLoop) commitTask(gnet.Conn, error) error {
	s := el.srv
	s.mu.Lock()
	el.inLoop = true
	el.commitLocked()
	el.inLoop = false
	s.mu.Unlock()
	return nil
}

// commitLocked writes (and fsyncs) the AOF through core.BeforeReply and
// sends the held replies; if the AOF cannot be made durable they are
// dropped and their connections closed (the server is exiting). The
// caller holds the data lock, in the loop.
func (el *eventLoop) commitLocked() {
	cs := &el.commit0
	cs.queued = false
	ok := el.srv.core.BeforeReply()
	for _, lc := range cs.waiting {
		lc.held = false
		if lc.closing {
			continue
		}
		if !ok {
			lc.cl.Out.Reset()
			lc.Close()
			continue
		}
		if !lc.queued {
			lc.queued = true
			el.dirty = append(el.dirty, lc)
		}
	}
	clear(cs.waiting)
	cs.waiting = cs.waiting[:0]
	el.flushDirty(nil)
}
