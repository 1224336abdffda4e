package persist

import (
	"context"
	"runtime/trace"
	"time"

	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// Slices collected by the data owner. A job that takes the data lock to
// collect its next slice of keys stalls every client whenever the kernel
// deschedules its thread during the hold (on a busy machine, a third of
// the holds; a hold of 0.5 ms of work then lasts tens of milliseconds).
// In event-loop mode the event loop owns the data between batches, as
// Redis's main thread does: the job asks for its next slice, and the event
// loop collects it in its before-reply step, under the lock it already
// holds, so no other thread ever holds the data lock for the job. When the
// event loop ran no batch for assistWait (an idle server), the job collects
// the slice itself, as in threaded mode, and keeps doing so for the next
// selfSlices slices before asking again; while the loop runs batches the
// job waits for it (up to assistMaxWait, a safety net).

const (
	assistWait    = time.Millisecond
	assistMaxWait = 50 * time.Millisecond
	selfSlices    = 4
)

// slice is what the data owner hands the job.
type slice struct {
	buf  []keyspace.Entry
	done bool
	held time.Duration
}

// assisted reports whether the data owner collects the job's slices.
func (m *Manager) assisted() bool { return m.srv.Mode == "eventloop" }

// askSlice asks the data owner for the next slice, collected into buf,
// and waits up to assistWait for it; ok is false when the job must
// collect it itself.
func (m *Manager) askSlice(j *job, buf []keyspace.Entry, t *time.Timer) (s slice, ok bool) {
	j.reqBuf = buf
	j.want.Store(true)
	start := time.Now()
	for {
		batches := m.batches.Load()
		t.Reset(assistWait)
		select {
		case s = <-j.slices:
			t.Stop()
			return s, true
		case <-t.C:
		}
		if m.batches.Load() == batches || time.Since(start) > assistMaxWait {
			break // the loop is idle: collect it here
		}
	}
	if j.want.CompareAndSwap(true, false) {
		return slice{}, false
	}
	return <-j.slices, true // the owner took the request meanwhile
}

// assistJob is the data owner's side, run with the data lock held (the
// event loop's before-reply step): it collects the slice the job asked
// for, if it asked.
func (m *Manager) assistJob() {
	m.batches.Add(1)
	j := m.job
	if j == nil || !j.want.Load() || !j.want.CompareAndSwap(true, false) {
		return
	}
	t0 := time.Now()
	r := trace.StartRegion(context.Background(), "slice(loop)")
	buf, done := j.snap.Next(j.reqBuf, sliceKeys)
	r.End()
	j.slices <- slice{buf: buf, done: done, held: time.Since(t0)}
}
