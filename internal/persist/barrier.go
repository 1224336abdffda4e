package persist

// Group commit in the event loop (core.ReplyBarrier). Redis writes the AOF
// buffer once per event-loop iteration, in beforeSleep, for every client
// served in it (and under appendfsync always fsyncs it there), before any
// of their replies leave. gnet has no end-of-iteration hook, so the loop
// asks Pending after each batch; while it is true it keeps the replies
// back and runs core.BeforeReply (beforeReply: one write, one fsync under
// always) once, from a task queued behind the iteration's other events,
// and then sends every held reply. The threaded front end gets its
// grouping from aof.Writer.Flush, whose concurrent callers share one write
// and one fsync.

// Pending implements core.ReplyBarrier: the AOF holds commands not yet
// written (under always: not yet fsynced), so replies must wait for the
// next BeforeReply.
func (m *Manager) Pending() bool {
	w := m.aofw.Load()
	return w != nil && w.Pending()
}
