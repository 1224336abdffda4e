package replication

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// The master side: replicas' handshake, full and partial resync, ACKs
// and WAIT.

// Replica states, as INFO names them.
const (
	stateWaitBgsave = iota // waiting for a snapshot to start
	stateSendRDB           // the RDB is being sent
	stateWaitAck           // diskless RDB sent; online at the first ACK
	stateOnline
)

var stateNames = [...]string{"wait_bgsave", "send_bulk", "send_bulk", "online"}

// replica is one replica connected to this server.
type replica struct {
	c             *core.Client
	state         int
	listeningPort int
	addr          string // REPLCONF ip-address
	capaEOF       bool
	capaPSYNC2    bool
	oldSync       bool // SYNC: no +FULLRESYNC line, no ACKs
	ackOff        int64
	ackTime       time.Time
	waitStart     time.Time
	disk          bool // the RDB goes through a file
	sizeSent      bool // the $<len> line of a disk-based RDB is out
	pending       []byte
}

// name formats the replica for log lines: ip:port.
func (r *replica) name() string {
	return net.JoinHostPort(r.ip(), strconv.Itoa(r.listeningPort))
}

// ip returns the replica's announced or peer IP.
func (r *replica) ip() string {
	if r.addr != "" {
		return r.addr
	}
	host, _, err := net.SplitHostPort(r.c.Addr)
	if err != nil {
		return r.c.Addr
	}
	return host
}

// send writes stream bytes to the replica, or keeps them while its RDB
// is on the way.
func (r *replica) send(m *Manager, p []byte) {
	if r.c.Closed {
		return
	}
	switch r.state {
	case stateOnline:
		m.push(r.c, p)
	case stateSendRDB, stateWaitAck:
		r.pending = append(r.pending, p...)
		if l := m.cfg.ClientOutputBufferLimit[config.ClientReplica]; l.HardBytes != 0 && uint64(len(r.pending)) > l.HardBytes {
			m.log.Warn("Client " + r.name() + " scheduled to be closed ASAP for overcoming of output buffer limits.")
			r.pending = nil
			m.srv.KillClient(r.c)
		}
	}
}

// push writes p to c's output.
func (m *Manager) push(c *core.Client, p []byte) {
	m.srv.Push(c, func(w *resp.Writer) { w.Raw(p) })
}

// goOnline sends a replica the stream kept during its sync.
func (m *Manager) goOnline(r *replica) {
	r.state = stateOnline
	r.ackTime = time.Now()
	if len(r.pending) > 0 && !r.c.Closed {
		m.push(r.c, r.pending)
	}
	r.pending = nil
	m.log.Info("Synchronization with replica " + r.name() + " succeeded")
}

// replicaOf returns the replica record of c, or nil.
func (m *Manager) replicaOf(c *core.Client) *replica {
	for _, r := range m.replicas {
		if r.c == c {
			return r
		}
	}
	return nil
}

// handshake returns the record the REPLCONF options of c go to.
func (m *Manager) handshake(c *core.Client) *replica {
	if r := m.replicaOf(c); r != nil {
		return r
	}
	r := m.handshakes[c]
	if r == nil {
		r = &replica{c: c}
		m.handshakes[c] = r
	}
	return r
}

// Replconf is REPLCONF option value ...
func (m *Manager) Replconf(ctx *core.Ctx) {
	args := ctx.Args
	if len(args)%2 == 0 {
		ctx.Error(rerr.Syntax)
		return
	}
	c := ctx.Client
	for j := 1; j < len(args); j += 2 {
		opt, val := strings.ToLower(string(args[j])), args[j+1]
		switch opt {
		case "listening-port":
			port, ok := ctx.Int(j + 1)
			if !ok {
				return
			}
			m.handshake(c).listeningPort = int(port)
		case "ip-address":
			if len(val) >= 46 {
				ctx.Errorf(rerr.ReplconfIPTooLong, len(val))
				return
			}
			m.handshake(c).addr = string(val)
		case "capa":
			switch strings.ToLower(string(val)) {
			case "eof":
				m.handshake(c).capaEOF = true
			case "psync2":
				m.handshake(c).capaPSYNC2 = true
			}
		case "ack":
			r := m.replicaOf(c)
			if r == nil {
				return
			}
			off, ok := numfmt.ParseInt(val)
			if !ok {
				return
			}
			if off > r.ackOff {
				r.ackOff = off
			}
			r.ackTime = time.Now()
			if r.state == stateWaitAck {
				m.goOnline(r)
			}
			m.countGoodReplicas()
			m.checkWaiters()
			return // no reply
		case "getack":
			if c.Kind == core.KindMaster && m.link != nil {
				m.link.sendAck(m.offset)
			}
			return // no reply
		case "rdb-only", "rdb-filter-only":
		default:
			ctx.Errorf(rerr.ReplconfUnknown, args[j])
			return
		}
	}
	ctx.W.Simple("OK")
}

// Sync is SYNC and PSYNC replid offset.
func (m *Manager) Sync(ctx *core.Ctx) {
	c := ctx.Client
	if c.Kind == core.KindReplica {
		return
	}
	if isFailoverArg(ctx.Args) && !m.psyncFailover(ctx) {
		return
	}
	if m.fo.state != noFailover {
		ctx.Error(rerr.NoSyncFailingOver)
		return
	}
	if m.masterHost != "" && m.linkState != "connected" {
		ctx.Error(rerr.NoMasterLink)
		return
	}
	if ctx.W.Len() > 0 {
		ctx.Error(rerr.PsyncWithOutput)
		return
	}
	r := m.handshakes[c]
	delete(m.handshakes, c)
	if r == nil {
		r = &replica{c: c}
	}
	m.log.Info("Replica " + r.name() + " asks for synchronization")
	if strings.EqualFold(string(ctx.Args[0]), "psync") {
		off, ok := numfmt.ParseInt(ctx.Args[2])
		if !ok {
			ctx.Error(rerr.NotInteger)
			return
		}
		if m.tryPartial(r, string(ctx.Args[1]), off) {
			m.stats.partialOK++
			return
		}
		if string(ctx.Args[1]) != "?" {
			m.stats.partialErr++
		}
	} else {
		r.oldSync = true
	}
	m.stats.full++
	c.Kind = core.KindReplica
	if m.backlog == nil && len(m.replicas) == 0 {
		if m.masterHost == "" {
			m.replid = newID()
			m.clearReplID2()
		}
		m.createBacklog()
		m.log.Info("Replication backlog created, my new replication IDs are '" + m.replid + "' and '" + m.replid2 + "'")
	}
	r.state = stateWaitBgsave
	r.waitStart = time.Now()
	r.ackTime = time.Now()
	m.replicas = append(m.replicas, r)
	m.noReplicasSince = time.Time{}
	m.maybeStartSync()
}

// tryPartial serves PSYNC from the backlog when it can
// (masterTryPartialResynchronization).
func (m *Manager) tryPartial(r *replica, id string, off int64) bool {
	if !strings.EqualFold(id, m.replid) && !(strings.EqualFold(id, m.replid2) && off <= m.secondOffset) {
		if id != "?" {
			m.log.Info(fmt.Sprintf("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '%s', my replication IDs are '%s' and '%s')", id, m.replid, m.replid2))
		} else {
			m.log.Info("Full resync requested by replica " + r.name())
		}
		return false
	}
	if m.backlog == nil || off < m.backlog.first(m.offset) || off > m.offset+1 {
		m.log.Info(fmt.Sprintf("Unable to partial resync with replica %s for lack of backlog (Replica request was: %d).", r.name(), off))
		return false
	}
	c := r.c
	c.Kind = core.KindReplica
	r.state = stateOnline
	r.ackTime = time.Now()
	if r.capaPSYNC2 {
		c.Out.RawString("+CONTINUE " + m.replid + "\r\n")
	} else {
		c.Out.RawString("+CONTINUE\r\n")
	}
	data := m.backlog.from(off, m.offset)
	c.Out.Raw(data)
	m.replicas = append(m.replicas, r)
	m.noReplicasSince = time.Time{}
	m.log.Info(fmt.Sprintf("Partial resynchronization request from %s accepted. Sending %d bytes of backlog starting from offset %d.", r.name(), len(data), off))
	return true
}

// maybeStartSync starts the snapshot for the replicas waiting for one,
// unless a job runs or the diskless delay has not passed.
func (m *Manager) maybeStartSync() {
	if m.syncing || m.stopped {
		return
	}
	var targets []*replica
	var oldest time.Time
	diskless := m.cfgBool("repl-diskless-sync")
	for _, r := range m.replicas {
		if r.state != stateWaitBgsave || r.c.Closed {
			continue
		}
		targets = append(targets, r)
		if oldest.IsZero() || r.waitStart.Before(oldest) {
			oldest = r.waitStart
		}
		if !r.capaEOF {
			diskless = false
		}
	}
	if len(targets) == 0 {
		return
	}
	if diskless {
		delay := time.Duration(m.cfgInt("repl-diskless-sync-delay")) * time.Second
		maxN := m.cfgInt("repl-diskless-sync-max-replicas")
		if time.Since(oldest) < delay && (maxN == 0 || int64(len(targets)) < maxN) {
			return
		}
	}
	pm := persist.For(m.srv)
	if pm == nil {
		return
	}
	f := &fanout{m: m, targets: targets}
	var out io.Writer
	var pace func()
	var file *os.File
	var bw *bufio.Writer
	var sp *spool
	mark := ""
	if !diskless {
		var err error
		file, err = os.CreateTemp(m.cfg.Dir, fmt.Sprintf("temp-repl-%d-*.rdb", os.Getpid()))
		if err != nil {
			m.log.Warn("Can't open the temporary file for the replication RDB: " + err.Error())
			return
		}
		bw = bufio.NewWriterSize(file, 1<<20)
		out = bw
	} else {
		mark = newID()
		sp = newSpool()
		out, pace = sp, sp.pace
	}
	err := pm.StartReplicationSync(out, pace, func(err error) {
		if err == nil && bw != nil {
			err = bw.Flush()
		}
		m.syncDone(f, err, file, sp)
	})
	if err != nil {
		if file != nil {
			file.Close()
			os.Remove(file.Name())
		}
		return // a job runs: retried by the cron
	}
	if sp != nil {
		go m.pushSpool(f, sp, mark)
	}
	m.syncing = true
	m.seldb = -1
	for _, r := range targets {
		r.state = stateSendRDB
		r.disk = !diskless
		r.pending = nil
		if !r.oldSync {
			m.push(r.c, []byte(fmt.Sprintf("+FULLRESYNC %s %d\r\n", m.replid, m.offset)))
		}
		if diskless {
			m.push(r.c, []byte("$EOF:"+mark+"\r\n"))
		}
		m.log.Info(fmt.Sprintf("Starting BGSAVE for SYNC with target: %s, replica %s", map[bool]string{true: "replicas sockets", false: "disk"}[diskless], r.name()))
	}
}

// syncDone ends a full sync's job (under the data lock): a diskless
// RDB is finished by its pusher (pushSpool), a disk-based one is sent
// from its file.
func (m *Manager) syncDone(f *fanout, err error, file *os.File, sp *spool) {
	if err != nil {
		m.log.Warn("Background RDB transfer error: " + err.Error())
		for _, r := range f.targets {
			if !r.c.Closed {
				m.srv.KillClient(r.c)
			}
		}
		if file != nil {
			m.syncing = false
			file.Close()
			os.Remove(file.Name())
		}
		if sp != nil {
			sp.fail(err) // the pusher ends the sync
		}
		return
	}
	if sp != nil {
		sp.close()
		return
	}
	m.log.Info("Background saving terminated with success")
	// Disk-based: send the file without the data lock.
	go func() {
		defer os.Remove(file.Name())
		defer file.Close()
		st, err := file.Stat()
		if err == nil {
			_, err = file.Seek(0, io.SeekStart)
		}
		if err == nil {
			m.lock.Lock()
			for _, r := range f.targets {
				if !r.c.Closed {
					m.push(r.c, []byte("$"+strconv.FormatInt(st.Size(), 10)+"\r\n"))
					r.sizeSent = true
				}
			}
			m.lock.Unlock()
			_, err = io.Copy(f, bufio.NewReaderSize(file, 1<<20))
		}
		m.lock.Lock()
		defer m.lock.Unlock()
		m.syncing = false
		for _, r := range f.targets {
			if r.c.Closed {
				continue
			}
			if err != nil {
				m.srv.KillClient(r.c)
				continue
			}
			m.goOnline(r)
		}
		m.maybeStartSync()
	}()
}

// pushSpool sends a diskless RDB from its spool to the replicas, then its
// end mark; the replicas go online at their first ACK.
func (m *Manager) pushSpool(f *fanout, sp *spool, mark string) {
	var err error
	for {
		chunk, ok := sp.next()
		if !ok {
			err = sp.failed()
			break
		}
		if _, err = f.Write(chunk); err != nil {
			sp.fail(err)
			break
		}
		sp.consumed(len(chunk))
	}
	m.lock.Lock()
	defer m.lock.Unlock()
	m.syncing = false
	if err != nil {
		for _, r := range f.targets {
			if !r.c.Closed {
				m.srv.KillClient(r.c)
			}
		}
		return
	}
	m.log.Info("Background RDB transfer terminated with success")
	for _, r := range f.targets {
		if r.c.Closed {
			continue
		}
		m.push(r.c, []byte(mark))
		r.state = stateWaitAck
		if r.oldSync {
			m.goOnline(r)
		}
	}
	m.maybeStartSync()
}

// spool carries a diskless RDB from the job to its pusher. Write never
// blocks (the job may hold the snapshot's value lock); pace, called by the
// job between keys, waits while too much is spooled.
type spool struct {
	mu     sync.Mutex
	cond   *sync.Cond
	chunks [][]byte
	size   int
	closed bool
	err    error
}

func newSpool() *spool {
	sp := &spool{}
	sp.cond = sync.NewCond(&sp.mu)
	return sp
}

func (sp *spool) Write(p []byte) (int, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.err != nil {
		return 0, sp.err
	}
	sp.chunks = append(sp.chunks, append([]byte(nil), p...))
	sp.size += len(p)
	sp.cond.Broadcast()
	return len(p), nil
}

// pace blocks while more than maxPendingRDB bytes wait.
func (sp *spool) pace() {
	sp.mu.Lock()
	for sp.size > maxPendingRDB && sp.err == nil {
		sp.cond.Wait()
	}
	sp.mu.Unlock()
}

// next returns the next chunk, waiting for one; false at the end or after
// a failure.
func (sp *spool) next() ([]byte, bool) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for len(sp.chunks) == 0 && !sp.closed && sp.err == nil {
		sp.cond.Wait()
	}
	if sp.err != nil || len(sp.chunks) == 0 {
		return nil, false
	}
	c := sp.chunks[0]
	sp.chunks[0] = nil
	sp.chunks = sp.chunks[1:]
	return c, true
}

// consumed records that n bytes were handed to the replicas.
func (sp *spool) consumed(n int) {
	sp.mu.Lock()
	sp.size -= n
	sp.cond.Broadcast()
	sp.mu.Unlock()
}

// close marks the end of the RDB.
func (sp *spool) close() {
	sp.mu.Lock()
	sp.closed = true
	sp.cond.Broadcast()
	sp.mu.Unlock()
}

// fail stops both sides with err.
func (sp *spool) fail(err error) {
	sp.mu.Lock()
	if sp.err == nil {
		sp.err = err
	}
	sp.chunks = nil
	sp.cond.Broadcast()
	sp.mu.Unlock()
}

func (sp *spool) failed() error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.err
}

// errNoTargets ends a transfer whose replicas all went away.
var errNoTargets = errors.New("no replica left to transfer the RDB to")

// fanout writes RDB bytes to the replicas of one sync, waiting while
// their output is backed up. It is called without the data lock.
type fanout struct {
	m        *Manager
	targets  []*replica
	progress time.Time
}

// maxPendingRDB is how much RDB data may wait for a replica's socket.
const maxPendingRDB = 4 << 20

const fanoutChunk = 64 << 10

func (f *fanout) Write(p []byte) (int, error) {
	m := f.m
	written := 0
	for len(p) > 0 {
		n := min(len(p), fanoutChunk)
		for {
			m.lock.Lock()
			alive, backed := 0, false
			for _, r := range f.targets {
				if r.c.Closed {
					continue
				}
				alive++
				if m.srv.OutputPending(r.c) > maxPendingRDB {
					backed = true
				}
			}
			if alive == 0 || m.stopped {
				m.lock.Unlock()
				return written, errNoTargets
			}
			if !backed {
				for _, r := range f.targets {
					if !r.c.Closed {
						m.push(r.c, p[:n])
					}
				}
				f.progress = time.Now()
				m.lock.Unlock()
				break
			}
			if f.progress.IsZero() {
				f.progress = time.Now()
			}
			if time.Since(f.progress) > time.Duration(max(m.cfgInt("repl-timeout"), 1))*time.Second {
				for _, r := range f.targets {
					if !r.c.Closed && m.srv.OutputPending(r.c) > maxPendingRDB {
						m.log.Warn("Disconnecting timedout replica (full sync): " + r.name())
						m.srv.KillClient(r.c)
					}
				}
			}
			m.lock.Unlock()
			time.Sleep(2 * time.Millisecond)
		}
		written += n
		p = p[n:]
	}
	return written, nil
}

// waiter is a client parked in WAIT.
type waiter struct {
	c       *core.Client
	b       *core.Blocked
	offset  int64
	needed  int64
	replied bool
}

// countAcks returns how many replicas acknowledged offset.
func (m *Manager) countAcks(offset int64) int64 {
	n := int64(0)
	for _, r := range m.replicas {
		if r.state == stateOnline && !r.c.Closed && r.ackOff >= offset {
			n++
		}
	}
	return n
}

// Wait is WAIT numreplicas timeout.
func (m *Manager) Wait(ctx *core.Ctx) {
	if m.masterHost != "" {
		ctx.Error(rerr.WaitOnReplica)
		return
	}
	n, ok := ctx.Int(1)
	if !ok {
		return
	}
	ms, ok := numfmt.ParseInt(ctx.Args[2])
	if !ok {
		ctx.Error(rerr.TimeoutNotInt)
		return
	}
	if ms < 0 {
		ctx.Error(rerr.TimeoutNegative)
		return
	}
	c := ctx.Client
	offset := m.offset
	acked := m.countAcks(offset)
	if acked >= n || ctx.DenyBlocking() {
		ctx.W.Int(acked)
		return
	}
	w := &waiter{c: c, offset: offset, needed: n}
	b := &core.Blocked{OnTimeout: func() {
		w.replied = true
		c.Out.Int(m.countAcks(offset))
	}}
	if ms > 0 {
		b.Timeout = ctx.Now() + ms
	}
	w.b = b
	ctx.Srv.Block(c, b)
	m.waiters = append(m.waiters, w)
	m.feedCommand("REPLCONF", "GETACK", "*")
}

// checkWaiters answers the WAIT clients whose replicas acknowledged.
func (m *Manager) checkWaiters() {
	if len(m.waiters) == 0 {
		return
	}
	kept := m.waiters[:0]
	for _, w := range m.waiters {
		if w.replied || w.c.Closed || w.c.Blocked != w.b {
			continue
		}
		if n := m.countAcks(w.offset); n >= w.needed {
			w.replied = true
			w.c.OutMu.Lock()
			w.c.Out.Int(n)
			w.c.OutMu.Unlock()
			m.srv.Unblock(w.c)
			continue
		}
		kept = append(kept, w)
	}
	clear(m.waiters[len(kept):])
	m.waiters = kept
}
