package replication

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/logging"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
)

// The replica side: the link to the master, run by one goroutine per
// REPLICAOF.

// link is one REPLICAOF's connection loop.
type link struct {
	m          *Manager
	host       string
	port       int
	done       chan struct{}
	stopOnce   sync.Once
	mu         sync.Mutex // guards conn and writes to it
	conn       net.Conn
	stoppedFlg bool // guarded by mu
}

// stop ends the link: its goroutine exits at its next step.
func (l *link) stop() {
	l.stopOnce.Do(func() {
		close(l.done)
		l.mu.Lock()
		l.stoppedFlg = true
		if l.conn != nil {
			l.conn.Close()
		}
		l.mu.Unlock()
	})
}

func (l *link) stopped() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}

// write sends b to the master.
func (l *link) write(b []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return errors.New("not connected")
	}
	_ = l.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := l.conn.Write(b)
	return err
}

// sendAck sends REPLCONF ACK offset.
func (l *link) sendAck(offset int64) {
	_ = l.write(aof.AppendCommand(nil, [][]byte{[]byte("REPLCONF"), []byte("ACK"), []byte(strconv.FormatInt(offset, 10))}))
}

// masterConn is the core.Conn of the master client.
type masterConn struct{ l *link }

func (masterConn) Wake() {}

// Close drops the link (CLIENT KILL TYPE master); it reconnects.
func (mc masterConn) Close() {
	mc.l.mu.Lock()
	if mc.l.conn != nil {
		mc.l.conn.Close()
	}
	mc.l.mu.Unlock()
}

// ReplicaOf is REPLICAOF host port; it reports false when the server
// already replicates that master. The caller holds the data lock.
func (m *Manager) ReplicaOf(host string, port int) bool {
	if m.masterHost != "" && strings.EqualFold(m.masterHost, host) && m.masterPort == port {
		m.log.Info("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.")
		return false
	}
	m.setMaster(host, port)
	m.log.Info(fmt.Sprintf("REPLICAOF %s:%d enabled", host, port))
	return true
}

// setMaster makes the server a replica of host:port.
func (m *Manager) setMaster(host string, port int) {
	wasMaster := m.masterHost == ""
	m.dropLink()
	m.masterHost, m.masterPort = host, port
	logging.SetRole(m.log, 'S')
	m.cfg.SetReplicaOf(host, port)
	m.srv.KS.ExpireDisabled = true
	m.disconnectReplicas()
	m.linkState = "connect"
	m.downSince = time.Time{}
	if wasMaster {
		m.log.Info("Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.")
	}
	m.startLink()
}

// startLink starts the goroutine of a link to masterHost:masterPort.
func (m *Manager) startLink() {
	l := &link{m: m, host: m.masterHost, port: m.masterPort, done: make(chan struct{})}
	m.link = l
	go m.runLink(l)
}

// NoOne is REPLICAOF NO ONE: the server becomes a master, keeping its
// data and its replication history (PSYNC2).
func (m *Manager) NoOne() {
	if m.masterHost == "" {
		return
	}
	m.dropLink()
	m.masterHost, m.masterPort = "", 0
	logging.SetRole(m.log, 'M')
	m.cfg.SetReplicaOf("", 0)
	m.srv.KS.ExpireDisabled = m.srv.ClientsPaused()
	m.linkState = "connect"
	m.shiftReplID()
	m.createBacklog()
	m.seldb = -1
	m.disconnectReplicas()
	m.log.Info("MASTER MODE enabled")
}

// dropLink stops the link and frees the master client.
func (m *Manager) dropLink() {
	if m.link != nil {
		m.link.stop()
		m.link = nil
	}
	m.forgetMasterClient()
	m.loading = false
}

// forgetMasterClient frees the master client, keeping its database for
// the next one (a partial resync continues the stream where it was).
func (m *Manager) forgetMasterClient() {
	if m.masterClient != nil {
		m.masterDB = m.masterClient.DB
		m.srv.RemoveClient(m.masterClient)
		m.masterClient = nil
	}
}

// disconnectReplicas closes every replica's connection: they reconnect
// and resynchronize with the new history.
func (m *Manager) disconnectReplicas() {
	for _, r := range m.replicas {
		if !r.c.Closed {
			m.srv.KillClient(r.c)
		}
	}
	m.replicas = nil
}

// runLink connects to the master and replicates until the link stops,
// retrying every second.
func (m *Manager) runLink(l *link) {
	for !l.stopped() {
		err := m.syncWithMaster(l)
		if l.stopped() {
			return
		}
		m.lock.Lock()
		wasConnected := m.link == l && m.linkState == "connected"
		if m.link == l {
			if m.linkState == "connected" {
				m.log.Info("Connection with master lost.")
				m.log.Info("Caching the disconnected master state.")
			}
			if err != nil {
				m.log.Warn("Error condition on socket for SYNC: " + err.Error())
			}
			m.linkState = "connect"
			m.loading = false
			if m.downSince.IsZero() {
				m.downSince = time.Now()
			}
			m.forgetMasterClient()
		}
		m.lock.Unlock()
		l.mu.Lock()
		if l.conn != nil {
			l.conn.Close()
			l.conn = nil
		}
		l.mu.Unlock()
		// A link that was streaming reconnects at once (a partial resync
		// is likelier the sooner it asks); a failed attempt waits a
		// second, as Redis's cron does.
		wait := time.Second
		if wasConnected {
			wait = 10 * time.Millisecond
		}
		select {
		case <-l.done:
			return
		case <-time.After(wait):
		}
	}
}

// setState sets the link state if l is still the current link.
func (m *Manager) setState(l *link, st string) bool {
	m.lock.Lock()
	defer m.lock.Unlock()
	if m.link != l || l.stopped() {
		return false
	}
	m.linkState = st
	return true
}

var errStopped = errors.New("replication link stopped")

// errPostponed tells the stream loop that a client pause holds the
// master's commands: it retries without reading.
var errPostponed = errors.New("postponed by a client pause")

// syncWithMaster runs one connection: handshake, sync, stream.
func (m *Manager) syncWithMaster(l *link) error {
	if !m.setState(l, "connecting") {
		return errStopped
	}
	// The settings, read under the data lock (CONFIG SET writes them).
	m.lock.Lock()
	timeout := time.Duration(max(m.cfgInt("repl-timeout"), 1)) * time.Second
	pass, user := m.cfgStr("masterauth"), m.cfgStr("masteruser")
	port := int(m.cfgInt("replica-announce-port"))
	if port == 0 {
		port = m.srv.Port
	}
	announceIP := m.cfgStr("replica-announce-ip")
	dir := m.cfg.Dir
	m.lock.Unlock()
	addr := net.JoinHostPort(l.host, strconv.Itoa(l.port))
	m.log.Info("Connecting to MASTER " + addr)
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	l.mu.Lock()
	if l.stoppedFlg {
		l.mu.Unlock()
		conn.Close()
		return errStopped
	}
	l.conn = conn
	l.mu.Unlock()
	m.log.Info("MASTER <-> REPLICA sync started")
	if !m.setState(l, "handshake") {
		return errStopped
	}
	br := bufio.NewReaderSize(conn, 64<<10)
	readLine := func() (string, error) {
		_ = conn.SetReadDeadline(time.Now().Add(timeout))
		s, err := br.ReadString('\n')
		if err != nil {
			return "", err
		}
		return strings.TrimRight(s, "\r\n"), nil
	}
	cmd := func(args ...string) (string, error) {
		bs := make([][]byte, len(args))
		for i, a := range args {
			bs[i] = []byte(a)
		}
		if err := l.write(aof.AppendCommand(nil, bs)); err != nil {
			return "", err
		}
		return readLine()
	}
	reply, err := cmd("PING")
	if err != nil {
		return err
	}
	if strings.HasPrefix(reply, "-") && !strings.HasPrefix(reply, "-NOAUTH") &&
		!strings.HasPrefix(reply, "-NOPERM") && !strings.HasPrefix(reply, "-ERR operation not permitted") {
		return errors.New("Error reply to PING from master: '" + reply + "'")
	}
	m.log.Info("Master replied to PING, replication can continue...")
	if pass != "" {
		args := []string{"AUTH", pass}
		if user != "" {
			args = []string{"AUTH", user, pass}
		}
		if reply, err = cmd(args...); err != nil {
			return err
		}
		if strings.HasPrefix(reply, "-") {
			return errors.New("Unable to AUTH to MASTER: " + reply)
		}
	}
	if reply, err = cmd("REPLCONF", "listening-port", strconv.Itoa(port)); err != nil {
		return err
	} else if strings.HasPrefix(reply, "-") {
		m.log.Info("(Non critical) Master does not understand REPLCONF listening-port: " + reply)
	}
	if ip := announceIP; ip != "" {
		if _, err = cmd("REPLCONF", "ip-address", ip); err != nil {
			return err
		}
	}
	if reply, err = cmd("REPLCONF", "capa", "eof", "capa", "psync2"); err != nil {
		return err
	} else if strings.HasPrefix(reply, "-") {
		m.log.Info("(Non critical) Master does not understand REPLCONF capa: " + reply)
	}
	m.lock.Lock()
	replid, offset := m.replid, m.offset+1
	failover := m.fo.state == failoverInProgress
	m.lock.Unlock()
	m.log.Info(fmt.Sprintf("Trying a partial resynchronization (request %s:%d).", replid, offset))
	psync := [][]byte{[]byte("PSYNC"), []byte(replid), []byte(strconv.FormatInt(offset, 10))}
	if failover {
		psync = append(psync, []byte("FAILOVER"))
	}
	if err := l.write(aof.AppendCommand(nil, psync)); err != nil {
		return err
	}
	for {
		reply, err = readLine()
		if err != nil {
			return err
		}
		if reply != "" {
			break
		}
	}
	if failover {
		m.lock.Lock()
		if m.fo.state == failoverInProgress && m.link == l {
			if strings.HasPrefix(reply, "+CONTINUE") || strings.HasPrefix(reply, "+FULLRESYNC") {
				m.clearFailover()
			} else {
				m.abortFailover("Failover target rejected psync request")
				m.lock.Unlock()
				return errors.New("failover target rejected psync: " + reply)
			}
		}
		m.lock.Unlock()
	}
	switch {
	case strings.HasPrefix(reply, "+FULLRESYNC"):
		f := strings.Fields(reply)
		if len(f) != 3 {
			return errors.New("Master replied with wrong +FULLRESYNC syntax.")
		}
		off, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return errors.New("Master replied with wrong +FULLRESYNC syntax.")
		}
		m.log.Info(fmt.Sprintf("Full resync from master: %s:%d", f[1], off))
		if err := m.fullSync(l, br, conn, f[1], off, timeout, dir); err != nil {
			return err
		}
	case strings.HasPrefix(reply, "+CONTINUE"):
		m.log.Info("Successful partial resynchronization with master.")
		f := strings.Fields(reply)
		m.lock.Lock()
		if len(f) == 2 && f[1] != m.replid {
			m.replid2 = m.replid
			m.secondOffset = m.offset + 1
			m.replid = f[1]
			m.log.Info("Master replication ID changed to " + f[1])
		}
		m.createBacklog()
		m.lock.Unlock()
		m.log.Info("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.")
	default:
		return errors.New("Unexpected reply to PSYNC from master: " + reply)
	}
	return m.stream(l, br, conn, timeout)
}

// fullSync receives the master's RDB into a temporary file, checks it and
// loads it in place of the dataset.
func (m *Manager) fullSync(l *link, br *bufio.Reader, conn net.Conn, id string, off int64, timeout time.Duration, dir string) error {
	if !m.setState(l, "sync") {
		return errStopped
	}
	var line string
	for {
		_ = conn.SetReadDeadline(time.Now().Add(timeout))
		s, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		line = strings.TrimRight(s, "\r\n")
		if line != "" {
			break
		}
		m.touchIO()
	}
	if !strings.HasPrefix(line, "$") {
		if strings.HasPrefix(line, "-") {
			return errors.New("MASTER aborted replication with an error: " + line[1:])
		}
		return errors.New("Bad protocol from MASTER, the first byte is not '$' (we received '" + line + "'), are you sure the host and port are right?")
	}
	tmp, err := os.CreateTemp(dir, fmt.Sprintf("temp-%d.*.rdb", os.Getpid()))
	if err != nil {
		return err
	}
	path := tmp.Name()
	defer os.Remove(path)
	w := bufio.NewWriterSize(tmp, 1<<20)
	var size int64
	if strings.HasPrefix(line, "$EOF:") {
		mark := []byte(line[5:])
		if len(mark) != 40 {
			tmp.Close()
			return errors.New("bad EOF mark from MASTER")
		}
		m.log.Info("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk")
		size, err = copyUntilMark(w, br, conn, mark, timeout, m)
	} else {
		n, perr := strconv.ParseInt(line[1:], 10, 64)
		if perr != nil || n < 0 {
			tmp.Close()
			return errors.New("bad RDB size from MASTER: " + line)
		}
		m.lock.Lock()
		m.transferSize, m.transferRead = n, 0
		m.lock.Unlock()
		m.log.Info(fmt.Sprintf("MASTER <-> REPLICA sync: receiving %d bytes from master to disk", n))
		size, err = copyN(w, br, conn, n, timeout, m)
	}
	if err == nil {
		err = w.Flush()
	}
	tmp.Close()
	if err != nil {
		return err
	}
	pm := persist.For(m.srv)
	if pm == nil {
		return errors.New("persistence is not set up")
	}
	if err := pm.CheckRDBFile(path); err != nil {
		m.log.Warn("Failed trying to load the MASTER synchronization DB from disk, check server logs. The RDB received from the master is corrupt (" +
			err.Error() + "); the old dataset is kept.")
		return err
	}
	m.lock.Lock()
	if m.link != l || l.stopped() {
		m.lock.Unlock()
		return errStopped
	}
	m.log.Info(fmt.Sprintf("MASTER <-> REPLICA sync: Flushing old data, loading %d bytes", size))
	m.loading = true
	m.disconnectReplicas()
	err = pm.LoadReplicaRDB(path, func() {
		m.lock.Unlock()
		runtime.Gosched()
		m.lock.Lock()
	})
	m.loading = false
	if err != nil {
		m.lock.Unlock()
		m.log.Warn("Failed trying to load the MASTER synchronization DB from disk, check server logs.")
		return err
	}
	m.replid = id
	m.clearReplID2()
	// The stream goes on in the database the RDB says (repl-stream-db):
	// a chained master's stream has no SELECT at the sync point.
	m.masterDB = 0
	if ri := pm.LoadedReplInfo(); ri != nil && ri.StreamDB >= 0 && ri.StreamDB < m.srv.KS.Len() {
		m.masterDB = ri.StreamDB
	}
	m.offset = off
	m.backlog = nil
	m.createBacklog()
	m.srv.Dirty++
	m.lock.Unlock()
	m.log.Info("MASTER <-> REPLICA sync: Finished with success")
	return nil
}

// touchIO records traffic from the master.
func (m *Manager) touchIO() {
	m.lock.Lock()
	m.lastIO = time.Now()
	m.lock.Unlock()
}

// copyN copies n bytes of the RDB.
func copyN(w io.Writer, br *bufio.Reader, conn net.Conn, n int64, timeout time.Duration, m *Manager) (int64, error) {
	buf := make([]byte, 64<<10)
	var done int64
	for done < n {
		_ = conn.SetReadDeadline(time.Now().Add(timeout))
		k, err := br.Read(buf[:min(int64(len(buf)), n-done)])
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return done, werr
			}
			done += int64(k)
			m.lock.Lock()
			m.transferRead = done
			m.lastIO = time.Now()
			m.lock.Unlock()
		}
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// copyUntilMark copies a diskless RDB up to its 40-byte end mark.
func copyUntilMark(w io.Writer, br *bufio.Reader, conn net.Conn, mark []byte, timeout time.Duration, m *Manager) (int64, error) {
	buf := make([]byte, 64<<10)
	var held []byte // the last bytes, which may be the mark
	var done int64
	for {
		_ = conn.SetReadDeadline(time.Now().Add(timeout))
		k, err := br.Read(buf)
		if k > 0 {
			held = append(held, buf[:k]...)
			if len(held) >= len(mark) && bytes.Equal(held[len(held)-len(mark):], mark) {
				body := held[:len(held)-len(mark)]
				if _, werr := w.Write(body); werr != nil {
					return done, werr
				}
				return done + int64(len(body)), nil
			}
			if len(held) > len(mark) {
				flush := held[:len(held)-len(mark)]
				if _, werr := w.Write(flush); werr != nil {
					return done, werr
				}
				done += int64(len(flush))
				held = append(held[:0], held[len(held)-len(mark):]...)
			}
			m.touchIO()
		}
		if err != nil {
			return done, err
		}
	}
}

// stream applies the master's write stream until the link breaks.
func (m *Manager) stream(l *link, br *bufio.Reader, conn net.Conn, timeout time.Duration) error {
	m.lock.Lock()
	if m.link != l || l.stopped() {
		m.lock.Unlock()
		return errStopped
	}
	local := ""
	if a := conn.LocalAddr(); a != nil {
		local = a.String()
	}
	c := m.srv.NewClient(masterConn{l}, conn.RemoteAddr().String(), local, -1)
	c.Kind = core.KindMaster
	// The stream goes on in the database the last master client had
	// selected, as Redis's cached master keeps it.
	c.DB = m.masterDB
	m.srv.SetAuthenticated(c, true)
	c.Parser.Limits.MaxBulkLen = 1 << 62
	m.masterClient = c
	m.linkState = "connected"
	m.downSince = time.Time{}
	m.lastIO = time.Now()
	offset := m.offset
	m.lock.Unlock()
	l.sendAck(offset)
	m.log.Info("MASTER <-> REPLICA sync: Master accepted connection, streaming")

	ackDone := make(chan struct{})
	defer close(ackDone)
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ackDone:
				return
			case <-l.done:
				return
			case <-t.C:
				m.lock.Lock()
				off := m.offset
				m.lock.Unlock()
				l.sendAck(off)
			}
		}
	}()

	// buf holds the stream from the last committed offset; parsed is
	// where parsing resumes (commands of an open MULTI are parsed and
	// queued but not committed until EXEC, as Redis's reploff).
	buf := make([]byte, 0, 64<<10)
	parsed := 0
	chunk := make([]byte, 64<<10)
	for {
		for {
			p, committed, perr := m.apply(l, c, buf, parsed)
			if perr != nil && perr != errPostponed {
				return perr
			}
			buf = append(buf[:0], buf[committed:]...)
			parsed = p - committed
			if perr == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		_ = conn.SetReadDeadline(time.Now().Add(timeout))
		n, err := br.Read(chunk)
		if n > 0 {
			buf = append(buf, chunk[:n]...)
			p, committed, perr := m.apply(l, c, buf, parsed)
			if perr != nil && perr != errPostponed {
				return perr
			}
			buf = append(buf[:0], buf[committed:]...)
			parsed = p - committed
		}
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				m.log.Warn("MASTER timeout: no data nor PING received...")
			}
			return err
		}
	}
}

// apply runs every complete command of buf from parsed on as the master
// client, and commits the bytes of every command run outside a
// transaction (an EXEC commits its whole transaction): they count in the
// offset and are proxied verbatim to this server's backlog and
// sub-replicas. It returns where parsing stopped and the bytes committed.
func (m *Manager) apply(l *link, c *core.Client, buf []byte, parsed int) (int, int, error) {
	m.lock.Lock()
	defer m.lock.Unlock()
	if m.link != l || l.stopped() || c.Closed {
		return 0, 0, errStopped
	}
	m.lastIO = time.Now()
	ks := m.srv.KS
	committed := 0
	for parsed < len(buf) {
		if c.Blocked != nil {
			return parsed, committed, errPostponed
		}
		args, n, err := c.Parser.Parse(buf[parsed:])
		if err != nil {
			return parsed, committed, errors.New("protocol error from master: " + err.Error())
		}
		if n == 0 {
			break
		}
		if len(args) > 0 {
			// The master decides when keys expire: its commands see every
			// key that has not been deleted.
			prev := ks.Loading
			ks.Loading = true
			m.srv.Exec(c, args)
			ks.Loading = prev
			c.OutMu.Lock()
			c.Out.Reset()
			c.OutMu.Unlock()
			if c.Postponed() {
				// Held by a client pause: run again once it ends.
				return parsed, committed, errPostponed
			}
		}
		parsed += n
		if c.Multi == nil {
			m.feedRaw(buf[committed:parsed])
			if m.backlog == nil {
				m.offset += int64(parsed - committed)
			}
			committed = parsed
		}
	}
	return parsed, committed, nil
}
