package core

import "time"

// Cron is the server's periodic task (Redis's serverCron), run Config.Hz
// times a second by the front end while it owns the data: active expiry,
// client timeouts, blocked-client timeouts, statistics.
func (s *Server) Cron() {
	// DEBUG PAUSE-CRON stops it; and a slow script that let the cron in
	// must not see the dataset change under it.
	if s.cronPaused || s.script != nil {
		return
	}
	now := time.Now()
	s.setNow(now)
	s.diagCron(now)
	hz := s.Config.Hz
	if hz <= 0 {
		hz = 10
	}
	// Active expiry may use 25% of the time between two cron runs.
	deadline := now.Add(time.Second / time.Duration(hz) / 4)
	if s.ActiveExpireEnabled() {
		start := time.Now()
		s.KS.ActiveExpire(func() bool { return time.Now().Before(deadline) })
		s.LatencySample("expire-cycle", time.Since(start))
	}
	// Active rehashing: at most 1 ms per run, as Redis.
	rehashEnd := time.Now().Add(time.Millisecond)
	s.KS.Rehash(func() bool { return time.Now().Before(rehashEnd) })
	s.expireBlocked()
	s.clientTimeouts()
	s.sampleOps()
	s.evictCron()
	for _, fn := range s.ext.cron {
		fn()
	}
}

// clientTimeouts closes clients idle for longer than Config.Timeout.
func (s *Server) clientTimeouts() {
	if s.Config.Timeout <= 0 {
		return
	}
	limit := s.now - int64(s.Config.Timeout)*1000
	for _, c := range s.clients {
		if c.Blocked != nil || c.Kind != KindNormal || c.LastInteraction >= limit {
			continue
		}
		s.RemoveClient(c)
		c.Conn.Close()
	}
}

func (s *Server) sampleOps() {
	st := &s.Stats
	if st.opsLastMs != 0 {
		dt := s.now - st.opsLastMs
		if dt > 0 {
			st.opsSamples[st.opsIdx%len(st.opsSamples)] = (st.CommandsProcessed - st.opsLastCmd) * 1000 / dt
			st.opsIdx++
		}
	}
	st.opsLastMs = s.now
	st.opsLastCmd = st.CommandsProcessed
}

// InstantaneousOps returns the recent commands per second.
func (s *Server) InstantaneousOps() int64 {
	st := &s.Stats
	n := min(st.opsIdx, len(st.opsSamples))
	if n == 0 {
		return 0
	}
	var sum int64
	for i := 0; i < n; i++ {
		sum += st.opsSamples[i]
	}
	return sum / int64(n)
}

// PauseCron stops (or resumes) the periodic task (DEBUG PAUSE-CRON).
func (s *Server) PauseCron(paused bool) { s.cronPaused = paused }
