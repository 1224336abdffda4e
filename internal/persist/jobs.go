package persist

import (
	"context"
	"errors"
	"fmt"
	"github.com/redis-clone/redis-clone/internal/core"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/trace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Background jobs (BGSAVE, BGREWRITEAOF) in place of Redis's forked
// children. A job owns a keyspace snapshot (see keyspace/snapshot.go): it
// takes the data lock for short slices to collect the next keys, writes
// them without the lock, and comes back under the lock when done to
// update the server's state. One job runs at a time, as one child does.

// jobKind tells a BGSAVE from a BGREWRITEAOF.
type jobKind uint8

const (
	jobSave jobKind = iota
	jobRewrite
)

// sliceKeys is how many keys a job collects per hold of the data lock.
const sliceKeys = 1024

// napEvery is how long a job works before it sleeps briefly. A job that
// runs flat out exhausts its scheduling slice and gets preempted at a
// random point, often while it holds the data lock, which then stalls
// every client for the OS's time slice; a job that naps yields the CPU
// at a moment it holds nothing. Measured on 2 CPUs under write load: the
// clients' p99 during a 1M-key BGSAVE went from 7-9 ms to 4.5-6 ms.
const napEvery = time.Millisecond

// job is a background save or rewrite in progress.
type job struct {
	kind  jobKind
	start time.Time
	snap  *keyspace.Snapshot
	// cancelled is set (under guard) to stop the job; guard is also held
	// by the job around its final rename or commit, so a canceller knows
	// that none follows.
	cancelled atomic.Bool
	guard     sync.Mutex
	processed atomic.Int64
	total     int64
	// slices and maxHold count the job's holds of the data lock and the
	// longest one (written by the job only, read when it ended).
	holds   int
	maxHold time.Duration
	// maxHoldCPU is the CPU time the job's thread used during the
	// longest hold; preempted counts the holds during which the kernel
	// descheduled that thread (Linux only).
	maxHoldCPU time.Duration
	preempted  int
	// byOwner counts the slices the event loop collected (assist.go):
	// want is set while the job waits for one, reqBuf is the buffer to
	// fill, slices carries it back.
	byOwner int
	want    atomic.Bool
	reqBuf  []keyspace.Entry
	slices  chan slice
	rw      *aof.Rewrite
	// stopTrace ends the job's execution trace (jobtrace.go), if any.
	stopTrace func()
	// ownWriter is the AOF writer opened for a rewrite while appendonly
	// is off; the job closes it.
	ownWriter *aof.Writer
}

// dumpSettings are what a job needs of the configuration, read when it
// starts (the job runs without the data lock).
type dumpSettings struct {
	format   string
	aofBase  bool
	keyDelay time.Duration
	autoSync bool
	dir      string
	fsys     aof.FS
	newEnc   func(out io.Writer, sizes sizesFunc, keys int) (encoder, error)
	// pace is called between keys, holding no lock (replication's
	// back-pressure); nil for none.
	pace func()
}

// settings captures the configuration for writing a dataset in format.
func (m *Manager) settings(format string, aofBase bool) dumpSettings {
	st := dumpSettings{format: format, aofBase: aofBase, autoSync: m.cfg.RDBSaveIncrementalFsync,
		dir: m.cfg.Dir, fsys: m.fs}
	if v, ok := m.cfg.Value("rdb-key-save-delay"); ok {
		if us, err := strconv.ParseInt(v, 10, 64); err == nil && us > 0 {
			st.keyDelay = time.Duration(us) * time.Microsecond
		}
	}
	opts := WriterOptions(m.cfg)
	usedMem := usedMemory()
	var functions []string
	if core.FunctionsHook.Codes != nil {
		functions = core.FunctionsHook.Codes(m.srv)
	}
	var repl []rdb.Aux
	if m.replAux != nil && !aofBase {
		repl = m.replAux()
	}
	switch format {
	case formatJSON:
		st.newEnc = func(out io.Writer, _ sizesFunc, keys int) (encoder, error) { return newJSONEncoder(out, keys) }
	case formatRESP:
		st.newEnc = func(out io.Writer, _ sizesFunc, _ int) (encoder, error) {
			e := newRESPEncoder(out)
			// A rewritten AOF starts with the function libraries, as
			// Redis's rewriteFunctions.
			for _, code := range functions {
				e.args = append(e.args[:0], []byte("FUNCTION"), []byte("LOAD"), []byte(code))
				if err := e.cmd(); err != nil {
					return e, err
				}
			}
			return e, nil
		}
	default:
		st.newEnc = func(out io.Writer, sizes sizesFunc, _ int) (encoder, error) {
			return newRDBEncoder(out, opts, aofBase, usedMem, sizes, repl, functions)
		}
	}
	return st
}

// writeEntry writes one entry, holding the value lock (when there is one)
// around a collection.
func writeEntry(enc encoder, e *keyspace.Entry, vl sync.Locker) error {
	if vl == nil || e.Type == keyspace.TypeString {
		return enc.entry(e)
	}
	vl.Lock()
	defer vl.Unlock()
	return enc.entry(e)
}

// writeAll writes the whole dataset as it is now to out in format (an
// AOF base when aofBase): a synchronous save, run with the data lock
// held. If a snapshot is open meanwhile, its job may be reading the same
// values: collections are read under its value lock.
func (m *Manager) writeAll(out io.Writer, format string, aofBase bool) error {
	return m.writeAllWith(out, m.settings(format, aofBase))
}

func (m *Manager) writeAllWith(out io.Writer, st dumpSettings) error {
	ks := m.srv.KS
	var vl sync.Locker
	if s := ks.ActiveSnapshot(); s != nil {
		vl = s.ValueLock()
	}
	sizes := func(db int) (int, int) { return ks.DB(db).Len(), ks.DB(db).ExpiresLen() }
	total := 0
	for i := 0; i < ks.Len(); i++ {
		total += ks.DB(i).Len()
	}
	enc, err := st.newEnc(out, sizes, total)
	if err != nil {
		return err
	}
	var e keyspace.Entry // one for all keys: escaping, it would cost an allocation each
	for i := 0; i < ks.Len(); i++ {
		db := ks.DB(i)
		db.Each(func(k string, o *keyspace.Object, exp int64) bool {
			e = keyspace.Entry{DB: i, Key: k, Obj: o, Type: o.Type, Expire: exp}
			err = writeEntry(enc, &e, vl)
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	return enc.close()
}

// streamSnapshot writes job j's snapshot to out: it collects keys in
// slices under the data lock and encodes them without it.
func (m *Manager) streamSnapshot(j *job, out io.Writer, st dumpSettings) error {
	enc, err := st.newEnc(out, j.snap.Sizes, j.snap.Keys())
	if err != nil {
		return err
	}
	vl := j.snap.ValueLock()
	buf := make([]keyspace.Entry, 0, sliceKeys+64)
	defer func() { clear(buf[:cap(buf)]) }()
	var owed time.Duration // rdb-key-save-delay not slept yet
	lastNap := time.Now()
	assisted := m.assisted()
	// One OS thread for the whole job, so that threadUsage measures the
	// thread that held the lock.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	j.slices = make(chan slice, 1)
	defer j.want.Store(false) // before the snapshot ends, under the lock
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	self := 0 // slices to collect here before asking the owner again
	for {
		var done, got bool
		if assisted && self == 0 && st.keyDelay == 0 {
			var s slice
			if s, got = m.askSlice(j, buf[:0], timer); got {
				buf, done = s.buf, s.done
				j.holds++
				j.byOwner++
				j.maxHold = max(j.maxHold, s.held)
				if j.cancelled.Load() {
					return errCancelled
				}
			} else {
				self = selfSlices
			}
		}
		if !got {
			self = max(self-1, 0)
			m.lock.Lock()
			if j.cancelled.Load() {
				m.lock.Unlock()
				return errCancelled
			}
			cpu0, sw0, usage := threadUsage()
			t0 := time.Now()
			r := trace.StartRegion(context.Background(), "slice")
			buf, done = j.snap.Next(buf[:0], sliceKeys)
			r.End()
			held := time.Since(t0)
			cpu1, sw1, _ := threadUsage()
			m.lock.Unlock()
			j.holds++
			if held > j.maxHold {
				j.maxHold, j.maxHoldCPU = held, cpu1-cpu0
			}
			if usage && sw1 > sw0 {
				j.preempted++
			}
		}
		for i := range buf {
			if err := writeEntry(enc, &buf[i], vl); err != nil {
				return err
			}
			if st.pace != nil {
				st.pace()
			}
			j.processed.Add(1)
			if st.keyDelay > 0 {
				// Sleep in steps of at least a millisecond: shorter
				// sleeps overshoot.
				if owed += st.keyDelay; owed >= time.Millisecond {
					time.Sleep(owed)
					owed = 0
				}
				if j.cancelled.Load() {
					return errCancelled
				}
			}
		}
		clear(buf)
		if j.cancelled.Load() {
			return errCancelled
		}
		if done {
			return enc.close()
		}
		if time.Since(lastNap) > napEvery {
			time.Sleep(time.Microsecond)
			lastNap = time.Now()
		}
	}
}

// cancelJob tells j to stop (killRDBChild, killAppendOnlyChild). It
// returns at once; the job removes its temporary files, ends its snapshot
// and clears m.job when it notices.
func (m *Manager) cancelJob(j *job) {
	j.guard.Lock()
	j.cancelled.Store(true)
	j.guard.Unlock()
}

// Errors of the save commands; their texts are the replies.
var (
	ErrSaveInProgress    = errors.New(rerr.SaveInProgress)
	ErrBgsaveBusy        = errors.New(rerr.BgsaveBusy)
	ErrRewriteInProgress = errors.New(rerr.RewriteInProgress)
	ErrRewriteFailed     = errors.New(rerr.RewriteFailed)
	ErrSaveFailed        = errors.New(rerr.Err)
)

// BgSave is BGSAVE [SCHEDULE]; inExec is set inside MULTI/EXEC. It
// returns the status reply.
func (m *Manager) BgSave(schedule, inExec bool) (string, error) {
	switch {
	case m.job != nil && m.job.kind == jobSave:
		return "", ErrSaveInProgress
	case m.job != nil || inExec:
		if schedule || inExec {
			m.bgsaveSched = true
			return "Background saving scheduled", nil
		}
		return "", ErrBgsaveBusy
	}
	if err := m.startBgsave(); err != nil {
		return "", ErrSaveFailed
	}
	return "Background saving started", nil
}

// startBgsave starts a background save (rdbSaveBackground).
func (m *Manager) startBgsave() error {
	if m.job != nil {
		return ErrBgsaveBusy
	}
	snap := m.srv.KS.StartSnapshot()
	if snap == nil {
		return ErrBgsaveBusy
	}
	now := time.Now()
	m.rdbSaves++
	m.dirtyBefore = m.srv.Dirty
	m.lastBgsaveTry = now.Unix()
	format := m.snapshotFormat()
	st := m.settings(format, false)
	j := &job{kind: jobSave, start: now, snap: snap, total: int64(snap.Keys())}
	j.stopTrace = m.startJobTrace(j.kind)
	m.job = j
	path := m.snapshotPath(format)
	tmp := filepath.Join(m.cfg.Dir, fmt.Sprintf("temp-bgsave-%d.rdb", os.Getpid()))
	m.log.Info(fmt.Sprintf("Background saving started by pid %d", os.Getpid()))
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		err := writeFileAtomic(st.fsys, tmp, path, st.autoSync, &j.cancelled, &j.guard,
			func(w io.Writer) error { return m.streamSnapshot(j, w, st) })
		m.lock.Lock()
		m.finishBgsave(j, err)
		m.lock.Unlock()
	}()
	return nil
}

// logJob reports what a job cost the clients: how often and how long it
// held the data lock (and, for the longest hold, how much of it the
// thread spent on the CPU; with how many holds the kernel descheduled the
// thread, which then stalls every client), and the copy-on-write work of
// its snapshot.
func (m *Manager) logJob(j *job) {
	if j.stopTrace != nil {
		j.stopTrace()
	}
	m.log.Info(fmt.Sprintf("Snapshot of %d keys: %d slices under the data lock, %d collected by the event loop (longest %d us; of the job's own, the longest had %d us on CPU and %d were preempted by the OS), %d values copied on write, %d keys captured ahead of a change",
		j.total, j.holds, j.byOwner, j.maxHold.Microseconds(), j.maxHoldCPU.Microseconds(), j.preempted, j.snap.Thawed, j.snap.Preimages))
}

// finishBgsave is backgroundSaveDoneHandlerDisk, under the data lock.
func (m *Manager) finishBgsave(j *job, err error) {
	m.logJob(j)
	j.snap.End()
	if m.job == j {
		m.job = nil
	}
	m.lastBgsaveDur = int64(time.Since(j.start).Seconds())
	switch {
	case errors.Is(err, errCancelled):
		m.log.Warn("Background saving terminated by signal 10")
	case err != nil:
		m.log.Warn(fmt.Sprintf("Write error saving DB on disk(%s)", err.Error()))
		m.log.Warn("Background saving error")
		m.lastBgsaveOK = false
	default:
		m.log.Info("DB saved on disk")
		m.log.Info("Background saving terminated with success")
		m.srv.Dirty = max(m.srv.Dirty-m.dirtyBefore, 0)
		m.lastSave = time.Now().Unix()
		m.lastBgsaveOK = true
	}
}

// Save is SAVE: a synchronous snapshot, refused while a BGSAVE runs.
func (m *Manager) Save() error {
	if m.job != nil && m.job.kind == jobSave {
		return ErrSaveInProgress
	}
	m.rdbSaves++
	if err := m.saveSync(); err != nil {
		return ErrSaveFailed
	}
	return nil
}

// saveSync writes the snapshot file now, with the data lock held
// (rdbSave): SAVE, SHUTDOWN, FLUSHALL with save points, DEBUG RELOAD.
func (m *Manager) saveSync() error {
	format := m.snapshotFormat()
	path := m.snapshotPath(format)
	tmp := filepath.Join(m.cfg.Dir, fmt.Sprintf("temp-%d.rdb", os.Getpid()))
	st := m.settings(format, false)
	err := writeFileAtomic(m.fs, tmp, path, st.autoSync, nil, nil,
		func(w io.Writer) error { return m.writeAllWith(w, st) })
	if err != nil {
		var se *saveError
		if errors.As(err, &se) {
			m.log.Warn(fmt.Sprintf("Write error saving DB on disk(%s): %s", se.op, aof.Strerror(se.err)))
		} else {
			m.log.Warn(fmt.Sprintf("Write error saving DB on disk: %s", err))
		}
		return err
	}
	m.log.Info("DB saved on disk")
	m.srv.Dirty = 0
	m.lastSave = time.Now().Unix()
	m.lastBgsaveOK = true
	return nil
}

// BgRewriteAOF is BGREWRITEAOF; inExec is set inside MULTI/EXEC. It
// returns the status reply.
func (m *Manager) BgRewriteAOF(inExec bool) (string, error) {
	switch {
	case m.job != nil && m.job.kind == jobRewrite:
		return "", ErrRewriteInProgress
	case m.job != nil || inExec:
		m.rewriteSched = true
		m.rewriteFailures = 0
		return "Background append only file rewriting scheduled", nil
	}
	if err := m.startRewrite(); err != nil {
		return "", ErrRewriteFailed
	}
	return "Background append only file rewriting started", nil
}

// startRewrite starts a background AOF rewrite
// (rewriteAppendOnlyFileBackground). It runs under the data lock and
// only registers the job; the job's goroutine first prepares the next
// incr file without the lock (its creation and the manifest's fsyncs,
// aof.Writer.PrepareRewrite), then takes the lock once to switch the AOF
// to it and open the snapshot in the same hold (beginRewrite), so every
// write is either in the snapshot or in the new incr file, never both.
func (m *Manager) startRewrite() error {
	if m.job != nil {
		return ErrBgsaveBusy
	}
	w := m.aofw.Load()
	var own *aof.Writer
	if w == nil {
		// appendonly no: rewrite the AOF directory all the same, with a
		// writer opened for this job only.
		o := m.aofOptions()
		o.AwaitRewrite = true
		var err error
		if own, err = aof.Open(o); err != nil {
			m.log.Warn(err.Error())
			m.rewriteOK = false
			m.rewriteFailures++
			return err
		}
		w = own
	}
	now := time.Now()
	format := m.aofBaseFormat()
	st := m.settings(format, true)
	j := &job{kind: jobRewrite, start: now, ownWriter: own}
	j.stopTrace = m.startJobTrace(j.kind)
	m.job = j
	m.rewriteSched = false
	m.rewrites++
	m.log.Info(fmt.Sprintf("Background append only file rewriting started by pid %d", os.Getpid()))
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		rw, err := m.beginRewrite(j, w)
		if err == nil {
			err = rw.WriteBase(func(out io.Writer) error {
				return m.streamSnapshot(j, cancelWriter{out, &j.cancelled}, st)
			}, format == formatRDB)
			if err == nil {
				j.guard.Lock()
				if j.cancelled.Load() {
					err = errCancelled
				} else {
					r := trace.StartRegion(context.Background(), "commit")
					err = rw.Commit()
					r.End()
				}
				j.guard.Unlock()
			}
			if err != nil {
				rw.Abort()
			}
		}
		if own != nil {
			_ = own.Close()
		}
		m.lock.Lock()
		m.finishRewrite(j, err)
		m.lock.Unlock()
	}()
	return nil
}

// testHookPrepared, if set, runs in a rewrite's goroutine between the
// preparation of the next incr file and the switch to it (tests).
var testHookPrepared atomic.Pointer[func()]

// beginRewrite is the start of rewrite job j on writer w, in the job's
// goroutine: the next incr file is prepared without the data lock, then,
// in one hold of the lock, the appends switch to it and the snapshot
// opens. A job cancelled meanwhile, or a snapshot that cannot open, gives
// up the prepared file (the appends still move to it).
func (m *Manager) beginRewrite(j *job, w *aof.Writer) (*aof.Rewrite, error) {
	r := trace.StartRegion(context.Background(), "prepare")
	p, err := w.PrepareRewrite()
	r.End()
	if hook := testHookPrepared.Load(); hook != nil {
		(*hook)()
	}
	m.lock.Lock()
	defer m.lock.Unlock()
	if err != nil {
		m.log.Warn(fmt.Sprintf("Can't rewrite append only file in background: %s", err))
		return nil, err
	}
	if j.cancelled.Load() {
		p.Cancel()
		return nil, errCancelled
	}
	r = trace.StartRegion(context.Background(), "switch")
	defer r.End()
	snap := m.srv.KS.StartSnapshot()
	if snap == nil {
		p.Cancel()
		return nil, ErrBgsaveBusy
	}
	rw, err := w.StartPrepared(p)
	if err != nil {
		snap.End()
		p.Cancel()
		m.log.Warn(fmt.Sprintf("Can't rewrite append only file in background: %s", err))
		return nil, err
	}
	j.snap = snap
	j.total = int64(snap.Keys())
	j.rw = rw
	return rw, nil
}

// cancelWriter fails writes once its job is cancelled.
type cancelWriter struct {
	w         io.Writer
	cancelled *atomic.Bool
}

// Write implements io.Writer.
func (c cancelWriter) Write(p []byte) (int, error) {
	if c.cancelled.Load() {
		return 0, errCancelled
	}
	return c.w.Write(p)
}

// finishRewrite is backgroundRewriteDoneHandler, under the data lock.
func (m *Manager) finishRewrite(j *job, err error) {
	if j.snap != nil {
		m.logJob(j)
		j.snap.End()
	} else if j.stopTrace != nil {
		j.stopTrace()
	}
	if m.job == j {
		m.job = nil
	}
	m.rewriteDur = int64(time.Since(j.start).Seconds())
	switch {
	case errors.Is(err, errCancelled) || j.cancelled.Load():
		m.log.Warn("Background AOF rewrite terminated by signal 10")
	case err != nil:
		m.log.Warn("Background AOF rewrite terminated with error")
		m.rewriteOK = false
		m.rewriteFailures++
	default:
		m.log.Info("Background AOF rewrite terminated with success")
		m.rewriteOK = true
		m.rewriteFailures = 0
	}
	// A writer still waiting for its first rewrite (CONFIG SET appendonly
	// yes) tries again.
	if w := m.aofw.Load(); w != nil && w.Status().AwaitingRewrite {
		m.rewriteSched = true
	}
}

// AfterFlushAll is what FLUSHALL does beyond emptying the databases
// (flushAllDataAndResetRDB): a BGSAVE in progress is killed, and with
// save points a snapshot of the empty dataset is saved at once.
func (m *Manager) AfterFlushAll() {
	if m.job != nil && m.job.kind == jobSave {
		m.cancelJob(m.job)
	}
	if len(m.cfg.Save) > 0 {
		_ = m.saveSync()
	}
}
