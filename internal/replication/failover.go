package replication

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// FAILOVER: a coordinated switch of roles between this master and one of
// its replicas, as Redis 7.0 does it. Writes are paused; once the target
// (or any replica) acknowledged the whole stream, this server becomes its
// replica and sends PSYNC … FAILOVER, which makes the target promote
// itself and continue our stream with a partial resync. The pause ends
// when the target answers.

// Failover states (master_failover_state).
const (
	noFailover = iota
	failoverWaitSync
	failoverInProgress
)

var failoverStateNames = [...]string{"no-failover", "waiting-for-sync", "failover-in-progress"}

// failoverState is the FAILOVER in progress.
type failoverState struct {
	state int
	end   int64 // Unix ms, 0: no timeout
	force bool
	host  string
	port  int
}

// FailingOver reports whether a FAILOVER is in progress.
func (m *Manager) FailingOver() bool { return m.fo.state != noFailover }

// Failover is FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms].
func (m *Manager) Failover(ctx *core.Ctx) {
	args := ctx.Args
	if len(args) == 2 && strings.EqualFold(string(args[1]), "abort") {
		if m.fo.state == noFailover {
			ctx.Error(rerr.NoFailover)
			return
		}
		m.abortFailover("Failover manually aborted")
		ctx.W.Simple("OK")
		return
	}
	var timeout int64
	var force bool
	var host string
	var port int64
	for j := 1; j < len(args); j++ {
		opt := strings.ToLower(string(args[j]))
		switch {
		case opt == "timeout" && j+1 < len(args) && timeout == 0:
			n, ok := ctx.Int(j + 1)
			if !ok {
				return
			}
			if n <= 0 {
				ctx.Error(rerr.FailoverTimeout)
				return
			}
			timeout = n
			j++
		case opt == "to" && j+2 < len(args) && host == "":
			n, ok := ctx.Int(j + 2)
			if !ok {
				return
			}
			host, port = string(args[j+1]), n
			j += 2
		case opt == "force" && !force:
			force = true
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	switch {
	case m.fo.state != noFailover:
		ctx.Error(rerr.FailoverInProgress)
		return
	case m.masterHost != "":
		ctx.Error(rerr.FailoverOnReplica)
		return
	}
	m.dropClosed()
	if len(m.replicas) == 0 {
		ctx.Error(rerr.FailoverNoReplicas)
		return
	}
	if force && (timeout == 0 || host == "") {
		ctx.Error(rerr.FailoverForce)
		return
	}
	if host != "" {
		r := m.findReplica(host, int(port))
		if r == nil {
			ctx.Error(rerr.FailoverNotReplica)
			return
		}
		if r.state != stateOnline {
			ctx.Error(rerr.FailoverNotOnline)
			return
		}
		m.log.Info(fmt.Sprintf("FAILOVER requested to %s:%d.", host, port))
	} else {
		m.log.Info("FAILOVER requested to any replica.")
	}
	m.fo = failoverState{state: failoverWaitSync, force: force, host: host, port: int(port)}
	if timeout > 0 {
		m.fo.end = time.Now().UnixMilli() + timeout
	}
	m.srv.PauseClients(core.PauseDuringFailover, math.MaxInt64, core.PauseWrite)
	m.feedCommand("REPLCONF", "GETACK", "*")
	ctx.W.Simple("OK")
}

// findReplica returns the replica announced as host:port, or nil.
func (m *Manager) findReplica(host string, port int) *replica {
	for _, r := range m.replicas {
		if !r.c.Closed && strings.EqualFold(r.ip(), host) && r.listeningPort == port {
			return r
		}
	}
	return nil
}

// updateFailover moves a waiting FAILOVER on (updateFailoverStatus).
func (m *Manager) updateFailover() {
	if m.fo.state != failoverWaitSync {
		return
	}
	if m.fo.end != 0 && m.fo.end <= time.Now().UnixMilli() {
		if m.fo.force {
			m.log.Info(fmt.Sprintf("FAILOVER to %s:%d time out exceeded, failing over.", m.fo.host, m.fo.port))
			m.fo.state = failoverInProgress
			m.setMaster(m.fo.host, m.fo.port)
			return
		}
		m.abortFailover("Replica never caught up before timeout")
		return
	}
	var target *replica
	if m.fo.host != "" {
		target = m.findReplica(m.fo.host, m.fo.port)
	} else {
		for _, r := range m.replicas {
			if !r.c.Closed && r.state == stateOnline && r.ackOff == m.offset {
				target = r
				m.fo.host, m.fo.port = r.ip(), r.listeningPort
				break
			}
		}
	}
	if target != nil && target.ackOff == m.offset {
		m.fo.state = failoverInProgress
		m.log.Info(fmt.Sprintf("Failover target %s:%d is synced, failing over.", m.fo.host, m.fo.port))
		m.setMaster(m.fo.host, m.fo.port)
	}
}

// clearFailover ends the FAILOVER state and the write pause.
func (m *Manager) clearFailover() {
	m.fo = failoverState{}
	m.srv.UnpauseClients(core.PauseDuringFailover)
}

// abortFailover gives up a FAILOVER: a server that already turned into a
// replica becomes a master again.
func (m *Manager) abortFailover(why string) {
	if m.fo.state == noFailover {
		return
	}
	if m.fo.host != "" {
		m.log.Info(fmt.Sprintf("FAILOVER to %s:%d aborted: %s", m.fo.host, m.fo.port, why))
	} else {
		m.log.Info("FAILOVER to any replica aborted: " + why)
	}
	if m.fo.state == failoverInProgress {
		m.NoOne()
	}
	m.clearFailover()
}

// psyncFailover handles PSYNC replid offset FAILOVER on a replica: when
// replid is ours, the failing-over master asks us to take over.
func (m *Manager) psyncFailover(ctx *core.Ctx) bool {
	m.log.Warn("Failover request received for replid " + string(ctx.Args[1]) + ".")
	if m.masterHost == "" {
		ctx.Error(rerr.PsyncFailoverMaster)
		return false
	}
	if !strings.EqualFold(string(ctx.Args[1]), m.replid) {
		ctx.Error(rerr.PsyncFailoverReplid)
		return false
	}
	m.NoOne()
	m.log.Info("MASTER MODE enabled (failover request)")
	return true
}

// isFailoverArg reports whether PSYNC's arguments end with FAILOVER.
func isFailoverArg(args [][]byte) bool {
	return len(args) > 3 && strings.EqualFold(string(args[3]), "failover")
}
