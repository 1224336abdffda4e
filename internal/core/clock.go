package core

import "time"

// The executor's clock. Each command needs the wall clock (the cached
// s.now that expiry and the idle times use) at its start and a monotonic
// reading at its end (its duration, for INFO commandstats, the latency
// histogram and the slow log): three clock reads per command with
// time.Now and time.Since. Inside a batch of requests (BeginBatch …
// EndBatch, one read of a connection's input) the front end takes one
// wall+monotonic reading for the batch; a command's start is then the
// previous command's end (or the batch's start), and its end is one
// monotonic reading, from which the wall clock follows. The time between
// two commands of a batch (parsing the next one, a few hundred
// nanoseconds) counts in the second one's duration.

// execClock is the batch's clock state.
type execClock struct {
	on   bool
	base time.Time     // wall and monotonic reading at the batch start
	last time.Duration // end of the last command, since base
}

// BeginBatch starts a batch of requests run by one caller holding the
// data: until EndBatch, Exec reads the clock once per command.
func (s *Server) BeginBatch() {
	s.clk = execClock{on: true, base: time.Now()}
}

// EndBatch ends the batch BeginBatch started; Exec then reads the clock
// itself again. A nested batch (a slow script serving other clients)
// ends the outer one's shortcut too, which only costs clock reads.
func (s *Server) EndBatch() { s.clk.on = false }

// commandStart returns the start time of a command Exec runs.
func (s *Server) commandStart() time.Time {
	if !s.clk.on {
		return time.Now()
	}
	return s.clk.base.Add(s.clk.last)
}

// since returns the time since start (a time with a monotonic reading),
// which becomes the next command's start inside a batch.
func (s *Server) since(start time.Time) time.Duration {
	if !s.clk.on {
		return time.Since(start)
	}
	end := time.Since(s.clk.base)
	s.clk.last = end
	return end - start.Sub(s.clk.base)
}
