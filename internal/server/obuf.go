package server

// Pending output the front ends hold outside core.Client.Out, for the
// output buffer limits and CLIENT LIST (core.OutputHolder).

// maxKeptOutput is the largest reply buffer a connection keeps for reuse
// once written; a larger one (a burst) is left to the GC.
const maxKeptOutput = 1 << 20

// PendingOutput returns the bytes gnet still buffers for the connection,
// as the loop last saw them (before each batch and after each flush; the
// cron wakes connections with pending output to refresh it).
func (lc *loopConn) PendingOutput() int { return lc.pending }

// PendingOutput returns the size of the chunk the connection is writing.
func (tc *threadConn) PendingOutput() int { return int(tc.inflight.Load()) }
