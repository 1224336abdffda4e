package core

import (
	"runtime"
	"sync/atomic"
)

// lazyFree tracks background reclamation (UNLINK, FLUSHDB/FLUSHALL ASYNC).
// Redis frees big values on a background thread; in Go memory is returned
// only by the garbage collector, so the equivalent is a collection started
// on another goroutine instead of waiting for the next automatic one.
type lazyFree struct {
	running atomic.Bool
	pending atomic.Int64
	freed   atomic.Int64
}

// LazyFree records that objects values were just deleted for background
// reclamation and starts a garbage collection unless one is running.
func (s *Server) LazyFree(objects int64) {
	if objects <= 0 {
		return
	}
	s.lazy.pending.Add(objects)
	if s.lazy.running.Swap(true) {
		return
	}
	go func() {
		for {
			n := s.lazy.pending.Load()
			if s.DataLock != nil {
				// Let the command that deleted the values finish first:
				// a collection starting while it still holds them would
				// count them as live.
				s.DataLock.Lock()
				//lint:ignore SA2001 a barrier, not a critical section
				s.DataLock.Unlock()
			}
			runtime.GC()
			s.lazy.pending.Add(-n)
			s.lazy.freed.Add(n)
			if s.lazy.pending.Load() == 0 {
				s.lazy.running.Store(false)
				if s.lazy.pending.Load() == 0 || s.lazy.running.Swap(true) {
					return
				}
			}
		}
	}()
}

// LazyFreeStats returns lazyfree_pending_objects and lazyfreed_objects.
func (s *Server) LazyFreeStats() (pending, freed int64) {
	return s.lazy.pending.Load(), s.lazy.freed.Load()
}
