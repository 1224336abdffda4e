package persist

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Options tune a Manager beyond the configuration; the zero value is what
// the server uses.
type Options struct {
	// FS is the file system the AOF and the snapshots are written through
	// (nil: the operating system's). Tests inject write errors with it.
	FS aof.FS
	// Exit ends the process after an AOF write or fsync error under
	// appendfsync always, as Redis does (nil: os.Exit).
	Exit func(code int)
}

// Manager is the persistence of one server: recovery at start, the AOF
// writer fed by the executor, background saves and rewrites, save points,
// shutdown. Its methods are called with the data lock held, except where
// noted.
type Manager struct {
	srv  *core.Server
	cfg  *config.Config
	log  *slog.Logger
	opts Options
	fs   aof.FS
	lock sync.Locker

	// aofw is the AOF writer while appendonly is on (read without the
	// data lock by the front ends' BeforeReply).
	aofw atomic.Pointer[aof.Writer]

	// Everything below is guarded by the data lock.
	lastSave      int64 // Unix seconds of the last successful save
	lastBgsaveOK  bool
	lastBgsaveTry int64
	lastBgsaveDur int64 // seconds, -1 before the first BGSAVE ended
	rdbSaves      int64
	dirtyBefore   int64
	job           *job
	bgsaveSched   bool
	rewriteSched  bool
	loadedKeys    int64
	expiredKeys   int64
	// replAux gives the replication AUX fields of a snapshot, loadedRepl
	// holds those of the RDB loaded at start (repl.go).
	replAux    func() []rdb.Aux
	loadedRepl ReplInfo

	rewrites        int64
	rewriteOK       bool
	rewriteDur      int64 // seconds, -1 before the first rewrite ended
	rewriteFailures int64
	rewriteDelay    time.Duration // aofRewriteLimited's current delay
	rewriteNext     time.Time

	fatalOnce sync.Once
	wg        sync.WaitGroup
	closed    bool

	// batches counts the event loop's batches (assist.go).
	batches atomic.Int64
}

// managers maps a *core.Server to its *Manager.
var managers sync.Map

// For returns the Manager of s, or nil when persistence is not set up.
func For(s *core.Server) *Manager {
	if m, ok := managers.Load(s); ok {
		return m.(*Manager)
	}
	return nil
}

// Open sets up persistence for s before it serves: it recovers the
// dataset (the AOF when appendonly is yes and one exists, else dump.rdb
// or dump.json), opens the AOF for appending (seeding its base with what
// was loaded when there was none), and installs its hooks: the AOF feed,
// the flush before replies, the refusal of writes after disk errors, the
// cron, shutdown and exit. A corrupt file is an error (logged with
// Redis's messages; the server must not start) and nothing on disk has
// been changed.
//
// Open must run before the front end serves, with nothing else touching
// s; the front end must have set s.DataLock (server.New does).
func Open(s *core.Server, opts Options) (*Manager, error) {
	m := &Manager{
		srv:           s,
		cfg:           s.Config,
		log:           s.Log,
		opts:          opts,
		fs:            opts.FS,
		lock:          s.DataLock,
		lastSave:      time.Now().Unix(),
		lastBgsaveOK:  true,
		lastBgsaveDur: -1,
		rewriteOK:     true,
		rewriteDur:    -1,
	}
	if m.fs == nil {
		m.fs = aof.OSFS{}
	}
	if m.opts.Exit == nil {
		m.opts.Exit = os.Exit
	}
	if m.lock == nil {
		m.lock = &sync.Mutex{}
		s.DataLock = m.lock
	}
	s.Config.SetImplemented("rdb-key-save-delay", true)
	if err := m.recover(); err != nil {
		return nil, err
	}
	if m.cfg.AppendOnly {
		o := m.aofOptions()
		o.InitialBase = func(w io.Writer) error { return m.writeAll(w, m.aofBaseFormat(), true) }
		w, err := aof.Open(o)
		if err != nil {
			m.log.Warn(err.Error())
			return nil, err
		}
		m.aofw.Store(w)
	}
	s.Dirty = 0
	s.AddFeed(m)
	s.OnCron(m.cron)
	s.OnBeforeReply(m.beforeReply)
	s.SetReplyBarrier(m)
	s.SetWriteDenial(m.denyWrites)
	s.OnShutdown(m.prepareShutdown)
	s.OnExit(m.close)
	m.cfg.OnChange("appendonly", m.appendOnlyChanged)
	m.cfg.OnChange("appendfsync", func() error {
		if w := m.aofw.Load(); w != nil {
			return w.SetFsync(m.cfg.AppendFsync)
		}
		return nil
	})
	managers.Store(s, m)
	return m, nil
}

// aofOptions returns the AOF settings of the configuration.
func (m *Manager) aofOptions() aof.Options {
	c := m.cfg
	return aof.Options{
		Dir:              c.Dir,
		DirName:          c.AppendDirName,
		FileName:         c.AppendFilename,
		Fsync:            c.AppendFsync,
		UseRDBPreamble:   c.AOFUseRDBPreamble,
		LoadTruncated:    c.AOFLoadTruncated,
		Timestamps:       c.AOFTimestampEnabled,
		IncrementalFsync: c.AOFRewriteIncrementalFsync,
		Logger:           m.log,
		FS:               m.opts.FS,
	}
}

// Format names of the datasets.
const (
	formatRDB  = "rdb"
	formatJSON = "json"
	formatRESP = "resp"
)

// aofBaseFormat is the format of a new AOF base file: an RDB with
// aof-use-rdb-preamble yes, else RESP commands.
func (m *Manager) aofBaseFormat() string {
	if m.cfg.AOFUseRDBPreamble {
		return formatRDB
	}
	return formatRESP
}

// snapshotPath returns the snapshot file of format (rdb or json): the
// configured dbfilename, whose .rdb becomes .json for JSON snapshots.
func (m *Manager) snapshotPath(format string) string {
	name := m.cfg.DBFilename
	if format == formatJSON && !strings.HasSuffix(name, ".json") {
		name = strings.TrimSuffix(name, ".rdb") + ".json"
	}
	return filepath.Join(m.cfg.Dir, name)
}

// snapshotFormat is the format SAVE and BGSAVE write.
func (m *Manager) snapshotFormat() string {
	if m.cfg.SnapshotFormat == formatJSON {
		return formatJSON
	}
	return formatRDB
}

// Feed implements core.Feed: every executed write is appended to the AOF
// buffer (written and fsynced by BeforeReply).
func (m *Manager) Feed(db int, args [][]byte) {
	if w := m.aofw.Load(); w != nil {
		w.Append(db, args)
	}
}

// beforeReply writes (and under always fsyncs) the AOF buffer before the
// replies of a batch leave. In threaded mode it runs without the data
// lock, after each client's batch, and the concurrent callers share one
// write (aof.Writer.FlushGather); in event-loop mode it runs with it, once
// per iteration for every client (barrier.go), and first collects the
// slice a background job waits for (assist.go). Under always an error means the
// batch is not durable: like Redis, the server exits rather than
// acknowledge it.
func (m *Manager) beforeReply() bool {
	if m.assisted() {
		// The event loop holds the data lock here.
		m.assistJob()
	}
	w := m.aofw.Load()
	if w == nil {
		return true
	}
	var err error
	if m.assisted() {
		err = w.Flush() // once per iteration, for every client
	} else {
		err = w.FlushGather() // concurrent callers share it
	}
	if err == nil || errors.Is(err, aof.ErrClosed) {
		return true
	}
	return !m.alwaysFailed(w)
}

// alwaysFailed handles a failed Flush of w: under appendfsync always the
// batch is not durable and, as Redis, the server exits (reporting true);
// under the other policies the replies go and writes are refused with
// -MISCONF until the disk recovers.
func (m *Manager) alwaysFailed(w *aof.Writer) bool {
	st := w.Status()
	if st.Fsync != aof.FsyncAlways {
		return false
	}
	if st.LastFsyncErr != nil && st.LastWriteErr == nil {
		m.fatal(fmt.Sprintf("Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. Exiting...", aof.Strerror(st.LastFsyncErr)))
	} else {
		m.fatal("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
	}
	return true
}

// fatal logs msg and ends the process with status 1.
func (m *Manager) fatal(msg string) {
	m.fatalOnce.Do(func() {
		m.log.Warn(msg)
		m.opts.Exit(1)
	})
}

// denyWrites is writeCommandsDeniedByDiskError: the error writes get
// while the last BGSAVE failed (with stop-writes-on-bgsave-error and save
// points) or the AOF cannot be written or fsynced, "" otherwise.
func (m *Manager) denyWrites() string {
	if m.cfg.StopWritesOnBgsaveError && len(m.cfg.Save) > 0 && !m.lastBgsaveOK {
		return rerr.BgsaveMisconf
	}
	if w := m.aofw.Load(); w != nil {
		return w.MisconfError()
	}
	return ""
}

// usedMemory is the heap in use, for the RDB's used-mem AUX field.
func usedMemory() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		return int64(s[0].Value.Uint64())
	}
	return 0
}

// LastSave returns the Unix time of the last successful save (LASTSAVE).
func (m *Manager) LastSave() int64 { return m.lastSave }

// cron is the persistence part of serverCron: scheduled rewrites and
// BGSAVEs, save points, automatic AOF rewrites.
func (m *Manager) cron() {
	if m.closed {
		return
	}
	now := time.Now()
	unix := now.Unix()
	if m.job == nil && m.rewriteSched && !m.rewriteLimited(now) {
		_ = m.startRewrite()
	}
	if m.job == nil {
		for _, sp := range m.cfg.Save {
			if m.srv.Dirty >= sp.Changes && unix-m.lastSave > sp.Seconds &&
				(unix-m.lastBgsaveTry > bgsaveRetryDelay || m.lastBgsaveOK) {
				m.log.Info(fmt.Sprintf("%d changes in %d seconds. Saving...", sp.Changes, sp.Seconds))
				_ = m.startBgsave()
				break
			}
		}
	}
	if w := m.aofw.Load(); w != nil && m.job == nil && m.cfg.AutoAOFRewritePercentage > 0 {
		st := w.Status()
		if !st.AwaitingRewrite && st.CurrentSize > m.cfg.AutoAOFRewriteMinSize {
			base := max(st.BaseSize, 1)
			growth := st.CurrentSize*100/base - 100
			if growth >= int64(m.cfg.AutoAOFRewritePercentage) && !m.rewriteLimited(now) {
				m.log.Info(fmt.Sprintf("Starting automatic rewriting of AOF on %d%% growth", growth))
				_ = m.startRewrite()
			}
		}
	}
	if m.job == nil && m.bgsaveSched && (unix-m.lastBgsaveTry > bgsaveRetryDelay || m.lastBgsaveOK) {
		if m.startBgsave() == nil {
			m.bgsaveSched = false
		}
	}
}

// bgsaveRetryDelay is CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE,
// save points wait this many seconds before trying again.
const bgsaveRetryDelay = 5

// Rewrite failure limits (aofRewriteLimited): after 3 consecutive failures
// automatic rewrites wait 1, 2, 4 … up to 60 minutes.
const (
	rewriteLimitThreshold = 3
	rewriteLimitMax       = time.Hour
)

// rewriteLimited reports whether automatic rewrites must wait after
// repeated failures.
func (m *Manager) rewriteLimited(now time.Time) bool {
	if m.rewriteFailures < rewriteLimitThreshold {
		m.rewriteDelay, m.rewriteNext = 0, time.Time{}
		return false
	}
	if !m.rewriteNext.IsZero() {
		if now.Before(m.rewriteNext) {
			return true
		}
		m.rewriteNext = time.Time{}
		return false
	}
	if m.rewriteDelay == 0 {
		m.rewriteDelay = time.Minute
	} else {
		m.rewriteDelay = min(m.rewriteDelay*2, rewriteLimitMax)
	}
	m.rewriteNext = now.Add(m.rewriteDelay)
	m.log.Warn(fmt.Sprintf("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in %d minutes", int(m.rewriteDelay.Minutes())))
	return true
}

// appendOnlyChanged applies CONFIG SET appendonly.
func (m *Manager) appendOnlyChanged() error {
	on := m.aofw.Load() != nil
	switch {
	case m.cfg.AppendOnly && !on:
		return m.startAppendOnly()
	case !m.cfg.AppendOnly && on:
		m.stopAppendOnly()
	}
	return nil
}

// errAOFOn is CONFIG SET appendonly yes's failure.
var errAOFOn = errors.New(rerr.AOFEnableFailed)

// startAppendOnly turns the AOF on at runtime (startAppendOnly): a writer
// that waits for a rewrite, and the rewrite that creates the AOF from the
// dataset.
func (m *Manager) startAppendOnly() error {
	o := m.aofOptions()
	o.AwaitRewrite = true
	w, err := aof.Open(o)
	if err != nil {
		m.log.Warn(err.Error())
		return errAOFOn
	}
	m.aofw.Store(w)
	if m.job != nil {
		if m.job.kind == jobRewrite {
			m.log.Warn("AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.")
			m.cancelJob(m.job)
		} else {
			m.log.Warn("AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.")
		}
		m.rewriteSched = true
		return nil
	}
	if err := m.startRewrite(); err != nil {
		m.aofw.Store(nil)
		_ = w.Close()
		m.log.Warn("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.")
		return errAOFOn
	}
	return nil
}

// stopAppendOnly turns the AOF off (stopAppendOnly): the buffer is
// written and fsynced, the file closed, a rewrite in progress killed.
func (m *Manager) stopAppendOnly() {
	w := m.aofw.Load()
	if w == nil {
		return
	}
	if m.job != nil && m.job.kind == jobRewrite {
		m.log.Info("Killing running AOF rewrite child")
		m.cancelJob(m.job)
	}
	m.rewriteSched = false
	m.aofw.Store(nil)
	if err := w.Close(); err != nil {
		m.log.Warn(err.Error())
	}
}

// prepareShutdown is Redis's prepareForShutdown for persistence: kill the
// background job, write the AOF buffer, save the final snapshot if asked
// (a failure cancels the shutdown), then fsync and close the AOF.
func (m *Manager) prepareShutdown(save bool) error {
	if j := m.job; j != nil {
		if j.kind == jobSave {
			m.log.Warn("There is a child saving an .rdb. Killing it!")
		} else {
			m.log.Warn("There is a child rewriting the AOF. Killing it!")
		}
		m.cancelJob(j)
	}
	w := m.aofw.Load()
	if w != nil {
		m.log.Info("Calling fsync() on the AOF file.")
		_ = w.Flush()
	}
	if save {
		m.log.Info("Saving the final RDB snapshot before exiting.")
		if err := m.saveSync(); err != nil {
			m.log.Warn("Error trying to save the DB, can't exit.")
			return err
		}
	}
	if w != nil {
		if err := w.Close(); err != nil {
			m.log.Warn(err.Error())
		}
	}
	return nil
}

// close runs once the front end stopped: background jobs are cancelled
// and waited for (their temporary files removed), the AOF is fsynced and
// closed. It takes the data lock itself.
func (m *Manager) close() {
	m.lock.Lock()
	m.closed = true
	if m.job != nil {
		m.cancelJob(m.job)
	}
	w := m.aofw.Load()
	m.lock.Unlock()
	if w != nil {
		if err := w.Close(); err != nil {
			m.log.Warn(err.Error())
		}
	}
	m.wg.Wait()
	managers.Delete(m.srv)
}
