package core

import (
	"runtime"
	"sync/atomic"

	"github.com/redis-clone/redis-clone/internal/keyspace"
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
			// Two collections: the first only moves what the
			// sync.Pools cache (network buffers that held the deleting
			// request) to their victim caches, the second frees it. Redis's
			// allocator does not count freed buffers as used either.
			runtime.GC()
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

// LazyFreeThreshold is Redis's LAZYFREE_THRESHOLD: a value whose free
// effort is at most this is freed at once, even by UNLINK.
const LazyFreeThreshold = 64

// FreeEffort is Redis's lazyfreeGetFreeEffort: the number of allocations
// freeing o takes, as Redis would count them for its encoding — the
// quicklist nodes of a list, the elements of a hashtable set or hash or of
// a skiplist zset, the tree nodes and groups of a stream, 1 for anything
// else (strings, listpacks, intsets).
func FreeEffort(o *keyspace.Object) int64 {
	switch v := o.Val.(type) {
	case interface{ NodeCount() int }: // list (quicklist)
		return int64(v.NodeCount())
	case interface{ FreeEffort(int) int }: // stream
		return int64(v.FreeEffort(LazyFreeThreshold))
	case interface {
		Encoding() string
		Len() int
	}:
		switch v.Encoding() {
		case "hashtable", "skiplist":
			return int64(v.Len())
		}
	}
	return 1
}

// FreesLazily reports whether UNLINK (or another asynchronous delete)
// would hand o to Redis's background thread: its free effort is over
// LazyFreeThreshold. Only those count in lazyfree_pending_objects and
// lazyfreed_objects; smaller values are freed on the spot.
func FreesLazily(o *keyspace.Object) bool {
	return o != nil && FreeEffort(o) > LazyFreeThreshold
}
