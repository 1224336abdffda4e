package persist

import (
	"fmt"
	"time"
)

// Info returns the fields of INFO persistence, as alternating names and
// values in Redis 7.0's order (the AOF size fields only while the AOF is
// on).
func (m *Manager) Info() []any {
	now := time.Now()
	var procKeys, totalKeys int64
	perc := "0.00"
	rdbIn, aofIn := 0, 0
	rdbCur, aofCur := int64(-1), int64(-1)
	if j := m.job; j != nil {
		procKeys, totalKeys = j.processed.Load(), j.total
		if totalKeys > 0 {
			perc = fmt.Sprintf("%.2f", float64(procKeys)*100/float64(totalKeys))
		}
		elapsed := int64(now.Sub(j.start).Seconds())
		if j.kind == jobSave {
			rdbIn, rdbCur = 1, elapsed
		} else {
			aofIn, aofCur = 1, elapsed
		}
	}
	status := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "err"
	}
	w := m.aofw.Load()
	aofWriteOK := true
	if w != nil {
		st := w.Status()
		aofWriteOK = st.LastWriteErr == nil && st.LastFsyncErr == nil
	}
	out := []any{
		"loading", 0,
		"async_loading", 0,
		"current_cow_peak", 0,
		"current_cow_size", 0,
		"current_cow_size_age", 0,
		"current_fork_perc", perc,
		"current_save_keys_processed", procKeys,
		"current_save_keys_total", totalKeys,
		"rdb_changes_since_last_save", m.srv.Dirty,
		"rdb_bgsave_in_progress", rdbIn,
		"rdb_last_save_time", m.lastSave,
		"rdb_last_bgsave_status", status(m.lastBgsaveOK),
		"rdb_last_bgsave_time_sec", m.lastBgsaveDur,
		"rdb_current_bgsave_time_sec", rdbCur,
		"rdb_saves", m.rdbSaves,
		"rdb_last_cow_size", 0,
		"rdb_last_load_keys_expired", m.expiredKeys,
		"rdb_last_load_keys_loaded", m.loadedKeys,
		"aof_enabled", w != nil,
		"aof_rewrite_in_progress", aofIn,
		"aof_rewrite_scheduled", m.rewriteSched,
		"aof_last_rewrite_time_sec", m.rewriteDur,
		"aof_current_rewrite_time_sec", aofCur,
		"aof_last_bgrewrite_status", status(m.rewriteOK),
		"aof_rewrites", m.rewrites,
		"aof_rewrites_consecutive_failures", m.rewriteFailures,
		"aof_last_write_status", status(aofWriteOK),
		"aof_last_cow_size", 0,
		"module_fork_in_progress", 0,
		"module_fork_last_cow_size", 0,
	}
	if w != nil {
		st := w.Status()
		out = append(out,
			"aof_current_size", st.CurrentSize,
			"aof_base_size", st.BaseSize,
			"aof_pending_rewrite", m.rewriteSched,
			"aof_buffer_length", st.BufferLength,
			"aof_pending_bio_fsync", st.PendingFsync,
			"aof_delayed_fsync", st.DelayedFsync,
		)
	}
	return out
}
