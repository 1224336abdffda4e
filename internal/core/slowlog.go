package core

import (
	"strconv"
	"time"
)

// The slow log (Redis's slowlog.c): commands that ran for at least
// slowlog-log-slower-than microseconds, newest first, at most
// slowlog-max-len entries (trimmed when an entry is added, as Redis).

// Slow log entry limits, as Redis's SLOWLOG_ENTRY_MAX_ARGC and
// SLOWLOG_ENTRY_MAX_STRING.
const (
	slowlogMaxArgc   = 32
	slowlogMaxString = 128
)

// SlowlogEntry is one slow log entry as SLOWLOG GET reports it.
type SlowlogEntry struct {
	ID       int64
	Time     int64 // Unix seconds
	Duration int64 // microseconds
	Args     [][]byte
	Peer     string // client ip:port
	Name     string // client name
}

// slowlog keeps the entries oldest first.
type slowlog struct {
	entries []SlowlogEntry
	nextID  int64
}

// slowlogWanted reports whether a command that ran us microseconds goes
// to the slow log.
func (s *Server) slowlogWanted(us int64) bool {
	th := s.Config.SlowlogLogSlowerThan
	return th >= 0 && us >= th
}

// slowlogPush adds an entry for c's command args (slowlogPushEntryIfNeeded
// once the threshold was checked) and trims the log to slowlog-max-len.
func (s *Server) slowlogPush(c *Client, args [][]byte, us int64) {
	sl := &s.diag.slowlog
	n := min(len(args), slowlogMaxArgc)
	e := SlowlogEntry{ID: sl.nextID, Time: time.Now().Unix(), Duration: us,
		Args: make([][]byte, n), Peer: c.Addr, Name: c.Name}
	sl.nextID++
	for j := 0; j < n; j++ {
		a := args[j]
		switch {
		case n != len(args) && j == n-1:
			e.Args[j] = []byte("... (" + strconv.Itoa(len(args)-n+1) + " more arguments)")
		case len(a) > slowlogMaxString:
			b := make([]byte, 0, slowlogMaxString+32)
			b = append(b, a[:slowlogMaxString]...)
			b = append(b, "... ("...)
			b = strconv.AppendInt(b, int64(len(a)-slowlogMaxString), 10)
			e.Args[j] = append(b, " more bytes)"...)
		default:
			e.Args[j] = append([]byte(nil), a...)
		}
	}
	sl.entries = append(sl.entries, e)
	if limit := s.Config.SlowlogMaxLen; len(sl.entries) > limit {
		drop := len(sl.entries) - limit
		clear(sl.entries[:drop])
		// Appending reallocates once the dropped front is reached, so the
		// backing array stays within about twice the limit.
		sl.entries = sl.entries[drop:]
	}
}

// Slowlog returns up to count entries, newest first (count < 0: all).
func (s *Server) Slowlog(count int) []SlowlogEntry {
	es := s.diag.slowlog.entries
	if count < 0 || count > len(es) {
		count = len(es)
	}
	out := make([]SlowlogEntry, count)
	for i := range out {
		out[i] = es[len(es)-1-i]
	}
	return out
}

// SlowlogLen returns the number of entries in the slow log.
func (s *Server) SlowlogLen() int { return len(s.diag.slowlog.entries) }

// SlowlogReset empties the slow log (entry IDs keep counting).
func (s *Server) SlowlogReset() {
	s.diag.slowlog.entries = nil
}
