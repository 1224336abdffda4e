package persist

import (
	"errors"

	"github.com/redis-clone/redis-clone/internal/persist/aof"
)

// Group commit for appendfsync always in the event loop (core.ReplyBarrier).
// Redis answers no client before the fsync of everything the event loop
// iteration appended, and does one fsync per iteration for all clients.
// gnet has no end-of-iteration hook, so the loop keeps each batch's
// replies back (Position, Await) and this flusher goroutine writes and
// fsyncs the AOF buffer, then wakes every connection whose replies are
// now durable; meanwhile the loop goes on serving other connections, whose
// writes the next fsync covers. The threaded front end gets the same
// grouping from aof.Writer.Flush, which concurrent callers share.

// waiter is a connection waiting for position pos.
type waiter struct {
	pos int64
	fn  func()
}

// Position implements core.ReplyBarrier: under appendfsync always,
// everything appended so far must be fsynced before the replies go.
func (m *Manager) Position() (int64, bool) {
	w := m.aofw.Load()
	if w == nil || m.cfg.AppendFsync != aof.FsyncAlways {
		return 0, false
	}
	st := w.Status()
	return st.Appended, st.Synced < st.Appended
}

// Durable implements core.ReplyBarrier.
func (m *Manager) Durable(pos int64) bool {
	w := m.aofw.Load()
	return w == nil || w.Status().Synced >= pos
}

// Await implements core.ReplyBarrier.
func (m *Manager) Await(pos int64, fn func()) {
	m.syncMu.Lock()
	if m.Durable(pos) {
		m.syncMu.Unlock()
		fn()
		return
	}
	m.waiters = append(m.waiters, waiter{pos, fn})
	m.syncMu.Unlock()
	select {
	case m.syncKick <- struct{}{}:
	default:
	}
}

// flusher is the goroutine that fsyncs for the waiting connections.
func (m *Manager) flusher() {
	defer m.wg.Done()
	for {
		select {
		case <-m.syncStop:
			return
		case <-m.syncKick:
		}
		w := m.aofw.Load()
		if w != nil {
			if err := w.Flush(); err != nil && !errors.Is(err, aof.ErrClosed) && m.alwaysFailed(w) {
				continue // nothing waiting may be acknowledged
			}
		}
		m.syncMu.Lock()
		var ready []func()
		keep := m.waiters[:0]
		for _, wt := range m.waiters {
			if m.Durable(wt.pos) {
				ready = append(ready, wt.fn)
			} else {
				keep = append(keep, wt)
			}
		}
		clear(m.waiters[len(keep):])
		m.waiters = keep
		again := len(keep) > 0
		m.syncMu.Unlock()
		for _, fn := range ready {
			fn()
		}
		if again {
			select {
			case m.syncKick <- struct{}{}:
			default:
			}
		}
	}
}
