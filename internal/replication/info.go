package replication

import (
	"fmt"
	"strings"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
)

// Info returns the fields of INFO replication, Redis 7.0's lines.
func (m *Manager) Info() string {
	var b strings.Builder
	line := func(k string, v any) { fmt.Fprintf(&b, "%s:%v\r\n", k, v) }
	if m.masterHost == "" {
		line("role", "master")
	} else {
		line("role", "slave")
		line("master_host", m.masterHost)
		line("master_port", m.masterPort)
		up := m.linkState == "connected"
		line("master_link_status", map[bool]string{true: "up", false: "down"}[up])
		lastIO := -1
		if m.masterClient != nil {
			lastIO = int(time.Since(m.lastIO).Seconds())
		}
		line("master_last_io_seconds_ago", lastIO)
		inSync := 0
		if m.linkState == "sync" {
			inSync = 1
		}
		line("master_sync_in_progress", inSync)
		line("slave_read_repl_offset", m.offset)
		line("slave_repl_offset", m.offset)
		if inSync == 1 {
			perc := 0.0
			if m.transferSize > 0 {
				perc = float64(m.transferRead) / float64(m.transferSize) * 100
			}
			line("master_sync_total_bytes", m.transferSize)
			line("master_sync_read_bytes", m.transferRead)
			line("master_sync_left_bytes", m.transferSize-m.transferRead)
			line("master_sync_perc", fmt.Sprintf("%.2f", perc))
			line("master_sync_last_io_seconds_ago", int(time.Since(m.lastIO).Seconds()))
		}
		if !up {
			down := int64(-1)
			if !m.downSince.IsZero() {
				down = int64(time.Since(m.downSince).Seconds())
			}
			line("master_link_down_since_seconds", down)
		}
		line("slave_priority", m.cfgInt("replica-priority"))
		line("slave_read_only", map[bool]int{true: 1, false: 0}[m.cfg.ReplicaReadOnly])
		line("replica_announced", map[bool]int{true: 1, false: 0}[m.cfgBool("replica-announced")])
	}
	m.dropClosed()
	line("connected_slaves", len(m.replicas))
	if m.minToWrite > 0 && m.minMaxLag > 0 {
		line("min_slaves_good_slaves", m.goodReplicas)
	}
	for i, r := range m.replicas {
		lag := int64(0)
		if r.state == stateOnline {
			lag = int64(time.Since(r.ackTime).Seconds())
		}
		fmt.Fprintf(&b, "slave%d:ip=%s,port=%d,state=%s,offset=%d,lag=%d\r\n",
			i, r.ip(), r.listeningPort, stateNames[r.state], r.ackOff, lag)
	}
	line("master_failover_state", failoverStateNames[m.fo.state])
	line("master_replid", m.replid)
	line("master_replid2", m.replid2)
	line("master_repl_offset", m.offset)
	line("second_repl_offset", m.secondOffset)
	if m.backlog != nil {
		line("repl_backlog_active", 1)
		line("repl_backlog_size", len(m.backlog.buf))
		line("repl_backlog_first_byte_offset", m.backlog.first(m.offset))
		line("repl_backlog_histlen", m.backlog.hist)
	} else {
		line("repl_backlog_active", 0)
		line("repl_backlog_size", m.cfgInt("repl-backlog-size"))
		line("repl_backlog_first_byte_offset", 0)
		line("repl_backlog_histlen", 0)
	}
	return b.String()
}

// Role writes ROLE's reply.
func (m *Manager) Role(w *resp.Writer) {
	if m.masterHost == "" {
		m.dropClosed()
		w.ArrayLen(3)
		w.BulkString("master")
		w.Int(m.offset)
		n := 0
		for _, r := range m.replicas {
			if r.state == stateOnline {
				n++
			}
		}
		w.ArrayLen(n)
		for _, r := range m.replicas {
			if r.state != stateOnline {
				continue
			}
			w.ArrayLen(3)
			w.BulkString(r.ip())
			w.BulkString(fmt.Sprint(r.listeningPort))
			w.BulkString(fmt.Sprint(r.ackOff))
		}
		return
	}
	w.ArrayLen(5)
	w.BulkString("slave")
	w.BulkString(m.masterHost)
	w.Int(int64(m.masterPort))
	w.BulkString(m.linkState)
	off := int64(-1)
	if m.masterClient != nil {
		off = m.offset
	}
	w.Int(off)
}

// SyncStats returns the full resyncs served, and the partial resyncs
// accepted and refused (INFO stats sync_full, sync_partial_ok,
// sync_partial_err).
func (m *Manager) SyncStats() (full, partialOK, partialErr int64) {
	return m.stats.full, m.stats.partialOK, m.stats.partialErr
}
