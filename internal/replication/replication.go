package replication

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Manager is the replication state of one server, in either role. Its
// fields are guarded by the data lock unless noted.
type Manager struct {
	srv  *core.Server
	cfg  *config.Config
	log  *slog.Logger
	lock sync.Locker

	replid, replid2 string
	offset          int64 // master_repl_offset
	secondOffset    int64 // second_repl_offset, -1 when none
	backlog         *backlog
	seldb           int // database of the last SELECT in the stream, -1: none
	replicas        []*replica
	handshakes      map[*core.Client]*replica
	noReplicasSince time.Time
	lastPing        time.Time
	lastCron        time.Time
	waiters         []*waiter
	syncing         bool
	goodReplicas    int
	scratch         []byte
	stopped         bool

	// Settings read from the configuration (refreshConfig).
	minToWrite int64
	minMaxLag  int64

	// The replica role: masterHost is "" on a master.
	masterHost   string
	masterPort   int
	link         *link
	linkState    string // connect, connecting, handshake, sync, connected
	downSince    time.Time
	loading      bool
	masterClient *core.Client
	masterDB     int // database of the last master client
	lastIO       time.Time
	transferSize int64
	transferRead int64

	fo    failoverState
	stats struct{ full, partialOK, partialErr int64 }
}

var managers sync.Map // *core.Server → *Manager

// For returns the Manager of s, or nil when replication is not set up.
func For(s *core.Server) *Manager {
	if m, ok := managers.Load(s); ok {
		return m.(*Manager)
	}
	return nil
}

// Open sets up replication for s before it serves: the replication feed,
// the command filter, the cron, and, when the replicaof directive is set,
// the link to the master. s.DataLock must be set (server.New does) and
// persistence opened (persist.Open) first.
func Open(s *core.Server) *Manager {
	m := &Manager{
		srv:          s,
		cfg:          s.Config,
		log:          s.Log,
		lock:         s.DataLock,
		replid:       newID(),
		replid2:      strings.Repeat("0", 40),
		secondOffset: -1,
		seldb:        -1,
		handshakes:   map[*core.Client]*replica{},
		linkState:    "connect",
	}
	for _, name := range []string{"replicaof", "masterauth", "masteruser", "replica-read-only",
		"repl-backlog-size", "repl-backlog-ttl", "repl-timeout", "repl-diskless-sync",
		"repl-diskless-sync-delay", "min-replicas-to-write", "min-replicas-max-lag",
		"replica-serve-stale-data", "repl-ping-replica-period", "replica-announce-ip",
		"replica-announce-port", "replica-priority"} {
		s.Config.SetImplemented(name, true)
	}
	m.refreshConfig()
	for _, name := range []string{"min-replicas-to-write", "min-replicas-max-lag", "repl-backlog-size"} {
		s.Config.OnChange(name, func() error { m.refreshConfig(); return nil })
	}
	s.AddFeed(m)
	s.SetCommandFilter(m.filter)
	s.OnCron(m.cron)
	s.OnShutdown(func(bool) error { m.shutdown(); return nil })
	s.OnExit(func() {
		m.lock.Lock()
		m.shutdown()
		m.lock.Unlock()
	})
	managers.Store(s, m)
	pm := persist.For(s)
	if pm != nil {
		pm.SetReplicationAux(m.replInfo)
	}
	if v, _ := s.Config.Value("replicaof"); v != "" {
		if f := strings.Fields(v); len(f) == 2 {
			if port, err := strconv.Atoi(f[1]); err == nil {
				// The link starts with the first cron, once the server
				// listens (the handshake announces its port).
				m.masterHost, m.masterPort = f[0], port
				s.KS.ExpireDisabled = true
				// A restarted replica continues where its RDB says.
				if pm != nil {
					if ri := pm.LoadedReplInfo(); ri != nil {
						m.replid, m.offset, m.masterDB = ri.ID, ri.Offset, ri.StreamDB
						m.log.Info(fmt.Sprintf("Using the replication ID and offset of the RDB: %s:%d", ri.ID, ri.Offset))
					}
				}
			}
		}
	}
	return m
}

// replInfo is the replication state a snapshot records (Redis's
// rdbPopulateSaveInfo): a master's id and offset while it has a backlog,
// a replica's while it replicates.
func (m *Manager) replInfo() *persist.ReplInfo {
	switch {
	case m.masterHost == "" && m.backlog != nil:
		return &persist.ReplInfo{ID: m.replid, Offset: m.offset, StreamDB: max(m.seldb, 0)}
	case m.masterHost != "" && m.masterClient != nil:
		return &persist.ReplInfo{ID: m.replid, Offset: m.offset, StreamDB: m.masterClient.DB}
	case m.masterHost != "":
		return &persist.ReplInfo{ID: m.replid, Offset: m.offset, StreamDB: m.masterDB}
	}
	return nil
}

// newID returns a random 40-character replication id.
func newID() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (m *Manager) cfgInt(name string) int64 {
	v, _ := m.cfg.Value(name)
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

func (m *Manager) cfgStr(name string) string {
	v, _ := m.cfg.Value(name)
	return v
}

func (m *Manager) cfgBool(name string) bool { return m.cfgStr(name) == "yes" }

// refreshConfig reads the settings the hot path needs.
func (m *Manager) refreshConfig() {
	m.minToWrite = m.cfgInt("min-replicas-to-write")
	m.minMaxLag = m.cfgInt("min-replicas-max-lag")
	if m.backlog != nil {
		if size := int(m.cfgInt("repl-backlog-size")); size > 0 && size != len(m.backlog.buf) {
			m.backlog = m.backlog.resized(size, m.offset)
		}
	}
	m.countGoodReplicas()
}

// IsReplica reports whether the server replicates a master.
func (m *Manager) IsReplica() bool { return m.masterHost != "" }

// Feed implements core.Feed: every executed write goes to the backlog and
// the replicas, with a SELECT when the database changes. A replica feeds
// its sub-replicas the master's stream instead (see link.apply).
func (m *Manager) Feed(db int, args [][]byte) {
	if m.masterHost != "" || m.backlog == nil {
		return
	}
	buf := m.scratch[:0]
	if db != m.seldb {
		buf = aof.AppendCommand(buf, [][]byte{[]byte("SELECT"), []byte(strconv.Itoa(db))})
		m.seldb = db
	}
	buf = aof.AppendCommand(buf, args)
	m.feedRaw(buf)
	if cap(buf) <= 64<<10 {
		m.scratch = buf[:0]
	}
}

// feedRaw appends stream bytes to the backlog, the offset and every
// replica.
func (m *Manager) feedRaw(p []byte) {
	if m.backlog == nil {
		return
	}
	m.backlog.write(p)
	m.offset += int64(len(p))
	for _, r := range m.replicas {
		r.send(m, p)
	}
}

// createBacklog makes the backlog if there is none; the next byte of the
// stream has offset m.offset+1.
func (m *Manager) createBacklog() {
	if m.backlog == nil {
		m.backlog = newBacklog(int(max(m.cfgInt("repl-backlog-size"), 16*1024)), m.offset)
		m.seldb = -1
	}
}

// shiftReplID starts a new history (a replica promoted, REPLICAOF NO ONE):
// the old id stays valid as replid2 up to the current offset, PSYNC2.
func (m *Manager) shiftReplID() {
	m.replid2 = m.replid
	m.secondOffset = m.offset + 1
	m.replid = newID()
	m.log.Info("Setting secondary replication ID to " + m.replid2 + ", valid up to offset: " +
		strconv.FormatInt(m.secondOffset, 10) + ". New replication ID is " + m.replid)
}

func (m *Manager) clearReplID2() {
	m.replid2 = strings.Repeat("0", 40)
	m.secondOffset = -1
}

// isWrite reports whether cmd writes, EXEC of a transaction that writes
// included.
func isWrite(c *core.Client, cmd *core.Command, flags core.Flag) bool {
	if flags&core.FlagWrite != 0 {
		return true
	}
	if cmd.Name == "exec" && c.Multi != nil {
		for _, q := range c.Multi.Cmds {
			if q.Flags&core.FlagWrite != 0 {
				return true
			}
		}
	}
	return false
}

// filter is the command filter (processCommand's replication checks).
func (m *Manager) filter(c *core.Client, cmd *core.Command, flags core.Flag) string {
	if m.masterHost == "" {
		if m.minToWrite > 0 && m.minMaxLag > 0 && isWrite(c, cmd, flags) && m.goodReplicas < int(m.minToWrite) {
			return rerr.NoReplicas
		}
		return ""
	}
	if c.Kind == core.KindMaster {
		return ""
	}
	if m.cfg.ReplicaReadOnly && isWrite(c, cmd, flags) {
		return rerr.ReadOnlyReplica
	}
	if m.linkState != "connected" && !m.cfgBool("replica-serve-stale-data") && flags&core.FlagStale == 0 {
		return rerr.MasterDown
	}
	if m.loading && flags&core.FlagLoading == 0 {
		return rerr.Loading
	}
	return ""
}

// Loading reports whether the server is loading its master's RDB.
func (m *Manager) Loading() bool { return m.loading }

// cron runs with the server cron; its work is done once a second, as
// Redis's replicationCron.
func (m *Manager) cron() {
	now := time.Now()
	if m.masterHost != "" && m.link == nil && !m.stopped {
		m.startLink()
	}
	// A replica never expires keys itself, a master does unless a client
	// pause holds expiry (the end of a pause restores what it found).
	if m.masterHost != "" {
		m.srv.KS.ExpireDisabled = true
	} else if !m.srv.ClientsPaused() {
		m.srv.KS.ExpireDisabled = false
	}
	m.checkWaiters()
	m.updateFailover()
	if now.Sub(m.lastCron) < time.Second {
		return
	}
	m.lastCron = now
	m.refreshConfig()
	for c := range m.handshakes {
		if c.Closed {
			delete(m.handshakes, c)
		}
	}
	m.dropClosed()
	timeout := time.Duration(max(m.cfgInt("repl-timeout"), 1)) * time.Second
	for _, r := range m.replicas {
		switch {
		case r.state == stateWaitBgsave || (r.state == stateSendRDB && r.disk && !r.sizeSent):
			// Keep the link alive while the RDB is being prepared.
			m.push(r.c, []byte("\n"))
		case r.state == stateOnline && !r.oldSync && now.Sub(r.ackTime) > timeout:
			m.log.Warn("Disconnecting timedout replica (streaming sync): " + r.name())
			m.srv.KillClient(r.c)
		}
	}
	if m.masterHost == "" && len(m.replicas) > 0 {
		period := time.Duration(max(m.cfgInt("repl-ping-replica-period"), 1)) * time.Second
		if now.Sub(m.lastPing) >= period {
			m.lastPing = now
			m.feedCommand("PING")
		}
	}
	m.dropClosed()
	if len(m.replicas) == 0 {
		if m.noReplicasSince.IsZero() {
			m.noReplicasSince = now
		}
		ttl := m.cfgInt("repl-backlog-ttl")
		if m.masterHost == "" && m.backlog != nil && ttl > 0 && now.Sub(m.noReplicasSince) > time.Duration(ttl)*time.Second {
			m.backlog = nil
			m.replid = newID()
			m.clearReplID2()
			m.log.Info("Replication backlog freed after " + strconv.FormatInt(ttl, 10) + " seconds without connected replicas.")
		}
	} else {
		m.noReplicasSince = time.Time{}
	}
	m.maybeStartSync()
	m.countGoodReplicas()
}

// feedCommand feeds a command of the master itself (PING, REPLCONF
// GETACK) to the stream, in whatever database the stream is in.
func (m *Manager) feedCommand(args ...string) {
	if m.masterHost != "" || m.backlog == nil {
		return
	}
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	m.feedRaw(aof.AppendCommand(nil, bs))
}

// dropClosed forgets replicas whose connection closed.
func (m *Manager) dropClosed() {
	kept := m.replicas[:0]
	for _, r := range m.replicas {
		if r.c.Closed {
			m.log.Info("Connection with replica " + r.name() + " lost.")
			continue
		}
		kept = append(kept, r)
	}
	clear(m.replicas[len(kept):])
	m.replicas = kept
}

// countGoodReplicas counts the online replicas whose last ACK is at most
// min-replicas-max-lag seconds old.
func (m *Manager) countGoodReplicas() {
	n := 0
	lag := time.Duration(m.minMaxLag) * time.Second
	for _, r := range m.replicas {
		if r.state == stateOnline && !r.c.Closed && time.Since(r.ackTime) <= lag {
			n++
		}
	}
	m.goodReplicas = n
}

// shutdown stops the link to the master and tells the job to stop
// feeding replicas.
func (m *Manager) shutdown() {
	m.stopped = true
	if m.link != nil {
		m.link.stop()
		m.link = nil
	}
}
