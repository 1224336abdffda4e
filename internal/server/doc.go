// Package server owns the sockets: the two front ends that feed clients'
// bytes to the executor in internal/core, flush replies, run the cron and
// shut down.
//
//   - eventloop (Redis's model): one gnet event loop reads every
//     connection, parses all complete requests in the buffer, executes
//     them and writes all replies at once. The cron runs on gnet's ticker
//     goroutine under the same data lock, which the loop takes for each
//     batch (uncontended except during the cron).
//   - threaded (the original project's model): a goroutine per connection
//     reads and parses in parallel; execution is serialized by the data
//     lock; replies are written outside it.
//
// While a script runs past busy-reply-threshold the event loop serves the
// other connections from the script's yields (busy.go) and accepts new
// ones, served as side connections and handed to gnet with their state
// when the script ends (busyaccept.go).
//
// Both call process, so a command behaves identically in both modes.
// Before running a pipelined batch, process looks ahead at its requests
// and has the keyspace prefetch their keys (prefetch.go), so that the
// lookups' cache misses overlap instead of following one another.
package server
