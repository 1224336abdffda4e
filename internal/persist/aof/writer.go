package aof

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Fsync policies (appendfsync).
const (
	FsyncAlways   = "always"
	FsyncEverysec = "everysec"
	FsyncNo       = "no"
)

// Defaults of the file names (appenddirname, appendfilename).
const (
	DefaultDirName  = "appendonlydir"
	DefaultFileName = "appendonly.aof"
)

const (
	// postponeLimit is how long an everysec write may wait for a running
	// background fsync before it is done anyway (and counted in
	// aof_delayed_fsync).
	postponeLimit = 2 * time.Second
	// writeErrorLogRate is the least time between two logs of write errors.
	writeErrorLogRate = 30 * time.Second
	// rewriteAutoSyncBytes is how often a base file being written is
	// fsynced with aof-rewrite-incremental-fsync.
	rewriteAutoSyncBytes = 4 << 20
	// keepBufferCap is the largest write buffer kept for reuse.
	keepBufferCap = 4 << 20
)

// Options configures Open and Load. The zero value of a field means the
// Redis default where there is one (noted below); booleans are as given.
type Options struct {
	Dir      string // dir (the working directory of Redis)
	DirName  string // appenddirname, default "appendonlydir"
	FileName string // appendfilename, default "appendonly.aof"
	Fsync    string // appendfsync: always, everysec (default) or no

	// UseRDBPreamble (aof-use-rdb-preamble) names the base file that Open
	// creates ".base.rdb" instead of ".base.aof".
	UseRDBPreamble bool
	// LoadTruncated (aof-load-truncated, yes in Redis) lets Load cut a
	// truncated last file back to its last complete command.
	LoadTruncated bool
	// Timestamps (aof-timestamp-enabled) writes "#TS:<unix time>" lines
	// when the second changes between two appends.
	Timestamps bool
	// IncrementalFsync (aof-rewrite-incremental-fsync, yes in Redis)
	// fsyncs a base file being written every 4 MB.
	IncrementalFsync bool
	// InitialBase writes the dataset into the base file Open creates when
	// the directory holds no AOF yet (for example after the data was loaded
	// from an RDB): an RDB image if UseRDBPreamble, RESP commands
	// otherwise. Nil writes an empty dataset.
	InitialBase func(w io.Writer) error
	// AwaitRewrite opens the writer as CONFIG SET appendonly yes does in
	// Redis (AOF_WAIT_REWRITE): the manifest and files on disk are left
	// alone, appends are dropped until StartRewrite, from which they go to
	// a temporary incr file that becomes part of the AOF when the rewrite
	// commits.
	AwaitRewrite bool

	Logger *slog.Logger // nil: no logging
	FS     FS           // nil: OSFS
	// Now is the clock (nil: time.Now); tests move it to exercise the
	// everysec postponement.
	Now func() time.Time

	// noFsyncLoop disables the everysec goroutine (tests drive it).
	noFsyncLoop bool
}

func (o *Options) setDefaults() {
	if o.DirName == "" {
		o.DirName = DefaultDirName
	}
	if o.FileName == "" {
		o.FileName = DefaultFileName
	}
	if o.Fsync == "" {
		o.Fsync = FsyncEverysec
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.FS == nil {
		o.FS = OSFS{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

func validFsync(p string) bool { return p == FsyncAlways || p == FsyncEverysec || p == FsyncNo }

// Status is a snapshot of the writer's state, for INFO persistence and for
// refusing writes after a disk error.
type Status struct {
	Fsync string
	// CurrentSize and BaseSize are aof_current_size and aof_base_size.
	CurrentSize int64
	BaseSize    int64
	// BufferLength (aof_buffer_length) is the number of bytes appended and
	// not yet written to the file: after a write error it holds what
	// could not be written.
	BufferLength int64
	// Appended, Written and Synced count bytes since Open: handed to
	// Append, written to the incr file, and known to be fsynced (under
	// always; under everysec as of the last background fsync).
	Appended int64
	Written  int64
	Synced   int64
	// PendingFsync (aof_pending_bio_fsync) is true while a background
	// fsync runs; DelayedFsync (aof_delayed_fsync) counts the writes done
	// without waiting for a background fsync that took over 2 s; Postponed
	// is true while a write waits for one.
	PendingFsync bool
	DelayedFsync int64
	Postponed    bool
	// LastWriteErr is the error of the last write (nil once a write
	// succeeds again); LastFsyncErr that of the last fsync. Err combines
	// them.
	LastWriteErr error
	LastFsyncErr error
	// Rewrite statistics (aof_rewrite_in_progress, aof_rewrites,
	// aof_last_bgrewrite_status, aof_rewrites_consecutive_failures,
	// aof_last_rewrite_time_sec, aof_current_rewrite_time_sec).
	RewriteInProgress          bool
	RewriteStarted             time.Time
	Rewrites                   int64
	LastRewriteOK              bool
	LastRewriteDuration        time.Duration // -1 before the first rewrite ends
	RewriteConsecutiveFailures int64
	// AwaitingRewrite is true while the writer waits for its first
	// rewrite (Options.AwaitRewrite).
	AwaitingRewrite bool
	BaseFile        string
	IncrFile        string
}

type errBox struct{ err error }

// Writer appends commands to the current incr file of a multi-part AOF.
// Its methods may be called from any goroutine.
type Writer struct {
	opts   Options
	fs     FS
	log    *slog.Logger
	aofDir string

	// manifestMu serializes the manifest saves of a rewrite's start
	// (PrepareRewrite) and end (renames, manifest save, history removal)
	// with each other and with Close, without holding up writes: their
	// fsyncs must not make Flush, which replies wait for, wait. Taken
	// before flushMu.
	manifestMu sync.Mutex
	// flushMu serializes writes to the file, file switches and the
	// manifest changes made with them. It is taken before mu, never while
	// holding mu.
	flushMu sync.Mutex

	mu         sync.Mutex
	policy     string
	buf        []byte
	spare      []byte
	selectedDB int
	curTS      int64
	appended   int64
	written    int64
	synced     int64

	file       File
	gen        int64
	incrName   string
	incrSize   int64 // aof_last_incr_size
	incrSynced int64 // aof_last_incr_fsync_offset
	manifest   *Manifest

	currentSize int64
	baseSize    int64

	lastWriteErr   error
	lastErrLog     time.Time
	fsyncErr       error
	postponedStart time.Time
	delayedFsync   int64

	rw              *Rewrite
	prep            *PreparedRewrite // prepared, not started yet
	awaiting        bool
	rewriteStart    time.Time
	rewrites        int64
	lastRewriteOK   bool
	lastRewriteDur  time.Duration
	rewriteFailures int64
	rewriteSerial   int64
	closed          bool
	// flushDone is closed when the running Flush ends; nil when none runs.
	flushDone       chan struct{}
	diskErr         atomic.Pointer[errBox]
	fsyncInProgress atomic.Int64 // start of the running background fsync (unix ns), 0 if none
	stop            chan struct{}
	loopDone        sync.WaitGroup
	bgClose         sync.WaitGroup
}

// Open opens the AOF in opts.Dir/opts.DirName for appending, as Redis does
// at start with appendonly yes (aofOpenIfNeededOnServerStart): it creates
// the directory if needed; when the manifest names no file it creates a
// base file (from opts.InitialBase) and a first incr file; otherwise it
// opens the last incr file for appending (or creates one); it saves the
// manifest if it changed and deletes history files. Call Load first: Open
// does not upgrade a legacy single-file AOF.
func Open(opts Options) (*Writer, error) {
	opts.setDefaults()
	if !validFsync(opts.Fsync) {
		return nil, fmt.Errorf("aof: invalid fsync policy %q", opts.Fsync)
	}
	w := &Writer{
		opts:           opts,
		fs:             opts.FS,
		log:            opts.Logger,
		aofDir:         filepath.Join(opts.Dir, opts.DirName),
		policy:         opts.Fsync,
		selectedDB:     -1,
		lastRewriteOK:  true,
		lastRewriteDur: -1,
		stop:           make(chan struct{}),
	}
	if err := mkdirIfMissing(w.fs, w.aofDir); err != nil {
		return nil, fmt.Errorf("Can't open or create append-only dir %s: %s", w.aofDir, Strerror(err))
	}
	m, err := loadManifest(w.fs, w.aofDir, opts.FileName)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		m = &Manifest{}
	}
	w.manifest = m
	if opts.AwaitRewrite {
		w.awaiting = true
		w.startLoop()
		return w, nil
	}

	dirty := false
	if m.Empty() {
		name := m.newBase(opts.FileName, opts.UseRDBPreamble)
		fn := opts.InitialBase
		if fn == nil {
			fn = func(out io.Writer) error {
				if opts.UseRDBPreamble {
					_, err := out.Write(EmptyRDB())
					return err
				}
				return nil
			}
		}
		tmp, err := w.writeTempBase(fmt.Sprintf("temp-rewriteaof-%d.aof", os.Getpid()), fn)
		if err != nil {
			return nil, err
		}
		if err := w.fs.Rename(tmp, filepath.Join(w.aofDir, name)); err != nil {
			_ = w.fs.Remove(tmp)
			return nil, fmt.Errorf("Error moving temp append only file on the final destination: %s", Strerror(err))
		}
		w.log.Info(fmt.Sprintf("Creating AOF base file %s on server start", name))
		dirty = true
	}
	created := false
	if len(m.Incr) == 0 {
		m.newIncr(opts.FileName)
		created = true
		dirty = true
	}
	w.incrName = m.Incr[len(m.Incr)-1].Name
	f, err := w.fs.OpenFile(filepath.Join(w.aofDir, w.incrName), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("Can't open the append-only file %s: %s", w.incrName, Strerror(err))
	}
	if dirty {
		if err := saveManifest(w.fs, w.aofDir, opts.FileName, m); err != nil {
			f.Close()
			return nil, err
		}
	}
	w.file = f
	if st, err := w.fs.Stat(filepath.Join(w.aofDir, w.incrName)); err == nil {
		w.incrSize = st.Size()
		w.incrSynced = st.Size()
	}
	w.currentSize = w.incrSize
	if m.Base != nil {
		if st, err := w.fs.Stat(filepath.Join(w.aofDir, m.Base.Name)); err == nil {
			w.baseSize = st.Size()
		}
	}
	w.currentSize += w.baseSize
	for _, ai := range m.Incr[:len(m.Incr)-1] {
		if st, err := w.fs.Stat(filepath.Join(w.aofDir, ai.Name)); err == nil {
			w.currentSize += st.Size()
		}
	}
	if created {
		w.log.Info(fmt.Sprintf("Creating AOF incr file %s on server start", w.incrName))
	} else {
		w.log.Info(fmt.Sprintf("Opening AOF incr file %s on server start", w.incrName))
	}
	w.deleteHistory()
	w.startLoop()
	return w, nil
}

func (w *Writer) startLoop() {
	if w.opts.noFsyncLoop {
		return
	}
	w.loopDone.Add(1)
	go w.fsyncLoop()
}

// SetFsync changes the fsync policy (CONFIG SET appendfsync).
func (w *Writer) SetFsync(policy string) error {
	if !validFsync(policy) {
		return fmt.Errorf("aof: invalid fsync policy %q", policy)
	}
	w.mu.Lock()
	w.policy = policy
	w.mu.Unlock()
	return nil
}

// Append adds a command executed against database db to the buffer,
// preceded by a SELECT when db differs from the database of the previous
// command (feedAppendOnlyFile). It makes no system call. Call it with the
// data lock held, in execution order, after the command took effect; args
// are copied.
func (w *Writer) Append(db int, args [][]byte) {
	w.mu.Lock()
	if w.closed || w.file == nil {
		w.mu.Unlock()
		return
	}
	n0 := len(w.buf)
	if w.opts.Timestamps {
		if now := w.opts.Now().Unix(); now > w.curTS {
			w.curTS = now
			w.buf = append(w.buf, "#TS:"...)
			w.buf = strconv.AppendInt(w.buf, now, 10)
			w.buf = append(w.buf, '\r', '\n')
		}
	}
	if db != w.selectedDB {
		var tmp [20]byte
		d := strconv.AppendInt(tmp[:0], int64(db), 10)
		w.buf = append(w.buf, "*2\r\n$6\r\nSELECT\r\n$"...)
		w.buf = strconv.AppendInt(w.buf, int64(len(d)), 10)
		w.buf = append(w.buf, '\r', '\n')
		w.buf = append(w.buf, d...)
		w.buf = append(w.buf, '\r', '\n')
		w.selectedDB = db
	}
	w.buf = AppendCommand(w.buf, args)
	w.appended += int64(len(w.buf) - n0)
	w.mu.Unlock()
}

// AppendCommand appends args to dst as a RESP multibulk, the form of every
// command in an AOF.
func AppendCommand(dst []byte, args [][]byte) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// Flush writes the buffered commands to the incr file. Call it once per
// batch of executed commands, before their replies are sent, and from the
// cron (it retries failed and postponed writes).
//
// Concurrent callers form a group commit: while one writes (and under
// always fsyncs) everything buffered, the others wait for it and return
// at once when it covered their commands, so one write and one fsync
// serve them all.
//
// Under always it also fsyncs before returning; an error then means the
// batch is not durable and must not be acknowledged (Redis exits).
//
// Under everysec, while a background fsync runs, the write is postponed
// (Flush returns nil with the data still buffered) for up to 2 s, after
// which it is done anyway and counted in Status.DelayedFsync, as Redis
// does; replies may be sent either way: everysec promises no durability.
//
// A write error is returned, recorded (Err, Status) and the unwritten bytes
// stay buffered for the next call; a partial write is cut off the file
// first. Under everysec and no the caller answers the batch as usual and
// refuses further writes while Err is not nil (-MISCONF).
func (w *Writer) Flush() error { return w.flush(false) }

// FlushGather is Flush for callers that run beside the goroutines feeding
// the buffer (threaded mode): a caller that is to write first yields the
// processor once, so that the clients whose requests are ready run their
// commands and share its write and fsync, as the clients served in one
// event-loop iteration share Redis's.
func (w *Writer) FlushGather() error { return w.flush(true) }

func (w *Writer) flush(gather bool) error {
	w.mu.Lock()
	target := w.appended
	for {
		if w.closed {
			w.mu.Unlock()
			return ErrClosed
		}
		if w.flushedLocked(target) {
			w.mu.Unlock()
			return nil
		}
		if w.flushDone == nil {
			break
		}
		// Another caller writes: wait for it, then see whether it
		// covered target (it did unless it failed or was postponed).
		done := w.flushDone
		w.mu.Unlock()
		<-done
		w.mu.Lock()
	}
	done := make(chan struct{})
	w.flushDone = done
	w.mu.Unlock()
	if gather {
		runtime.Gosched()
	}
	w.flushMu.Lock()
	err := w.flushLocked(false)
	w.flushMu.Unlock()
	w.mu.Lock()
	w.flushDone = nil
	w.mu.Unlock()
	close(done)
	return err
}

// flushedLocked reports whether everything up to target is written (under
// always: fsynced). The caller holds mu.
func (w *Writer) flushedLocked(target int64) bool {
	if w.policy == FsyncAlways {
		return w.synced >= target && w.fsyncErr == nil
	}
	return w.written >= target
}

// Pending reports whether replies produced now must wait for a Flush:
// commands were appended and not yet written to the file or, under
// always, not yet fsynced. The event loop asks it after each batch to
// hold replies back until the Flush it does once per iteration for every
// client (Redis's beforeSleep).
func (w *Writer) Pending() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	if w.policy == FsyncAlways {
		return w.synced < w.appended || w.fsyncErr != nil
	}
	return w.written < w.appended
}

// flushLocked is flushAppendOnlyFile. The caller holds flushMu.
func (w *Writer) flushLocked(force bool) error {
	w.mu.Lock()
	f := w.file
	if f == nil {
		w.mu.Unlock()
		return nil
	}
	if len(w.buf) == 0 {
		needSync := w.policy == FsyncAlways && (w.incrSynced < w.incrSize || w.synced < w.written || w.fsyncErr != nil)
		w.mu.Unlock()
		if needSync {
			return w.syncAlways(f)
		}
		return nil
	}
	if w.policy == FsyncEverysec && !force && w.fsyncInProgress.Load() != 0 {
		now := w.opts.Now()
		if w.postponedStart.IsZero() {
			w.postponedStart = now
			w.mu.Unlock()
			return nil
		}
		if now.Sub(w.postponedStart) < postponeLimit {
			w.mu.Unlock()
			return nil
		}
		w.delayedFsync++
		w.log.Info("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.")
	}
	w.postponedStart = time.Time{}
	data := w.buf
	w.buf, w.spare = w.spare[:0], nil
	incrSize := w.incrSize
	w.mu.Unlock()

	n, err := f.Write(data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}

	w.mu.Lock()
	if err != nil {
		now := w.opts.Now()
		canLog := now.Sub(w.lastErrLog) > writeErrorLogRate
		if canLog {
			w.lastErrLog = now
		}
		if n > 0 {
			if canLog {
				w.log.Warn(fmt.Sprintf("Short write while writing to the AOF file: (nwritten=%d, expected=%d)", n, len(data)))
			}
			if terr := f.Truncate(incrSize); terr != nil {
				if canLog {
					w.log.Warn(fmt.Sprintf("Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: %s", Strerror(terr)))
				}
			} else {
				n = 0
			}
		} else if canLog {
			w.log.Warn(fmt.Sprintf("Error writing to the AOF file: %s", Strerror(err)))
		}
		var en syscall.Errno
		if !errors.As(err, &en) {
			err = &os.PathError{Op: "write", Path: w.incrName, Err: syscall.ENOSPC}
		}
		w.incrSize += int64(n)
		w.currentSize += int64(n)
		w.written += int64(n)
		rest := make([]byte, 0, len(data)-n+len(w.buf))
		rest = append(rest, data[n:]...)
		rest = append(rest, w.buf...)
		w.buf = rest
		w.lastWriteErr = err
		w.updateDiskErr()
		w.mu.Unlock()
		return fmt.Errorf("Error writing to the AOF file: %w", err)
	}
	if w.lastWriteErr != nil {
		w.log.Warn("AOF write error looks solved, Redis can write again.")
		w.lastWriteErr = nil
		w.updateDiskErr()
	}
	w.incrSize += int64(n)
	w.currentSize += int64(n)
	w.written += int64(n)
	if cap(data) <= keepBufferCap {
		w.spare = data[:0]
	}
	always := w.policy == FsyncAlways
	w.mu.Unlock()
	if always {
		return w.syncAlways(f)
	}
	return nil
}

// syncAlways fsyncs f for the always policy. The caller holds flushMu.
func (w *Writer) syncAlways(f File) error {
	w.mu.Lock()
	target, incrTarget, gen := w.written, w.incrSize, w.gen
	w.mu.Unlock()
	err := syncData(f)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.log.Warn(fmt.Sprintf("Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s.", Strerror(err)))
		w.fsyncErr = err
		w.updateDiskErr()
		return fmt.Errorf("Can't persist AOF for fsync error when the AOF fsync policy is 'always': %w", err)
	}
	if gen == w.gen && incrTarget > w.incrSynced {
		w.incrSynced = incrTarget
	}
	if target > w.synced {
		w.synced = target
	}
	if w.fsyncErr != nil {
		w.fsyncErr = nil
		w.updateDiskErr()
	}
	return nil
}

// fsyncLoop is the background fsync of the everysec policy (the BIO fsync
// job of Redis): once a second, if the incr file has unsynced bytes, fsync
// it; then write what was postponed behind that fsync.
func (w *Writer) fsyncLoop() {
	defer w.loopDone.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
		w.backgroundFsync()
	}
}

func (w *Writer) backgroundFsync() {
	w.mu.Lock()
	f := w.file
	if f == nil || w.closed || w.policy != FsyncEverysec || w.incrSynced >= w.incrSize {
		w.mu.Unlock()
		return
	}
	incrTarget, target, gen := w.incrSize, w.written, w.gen
	w.fsyncInProgress.Store(w.opts.Now().UnixNano())
	w.mu.Unlock()

	err := syncData(f)

	w.mu.Lock()
	w.fsyncInProgress.Store(0)
	if err != nil {
		w.log.Warn(fmt.Sprintf("Fail to fsync the AOF file: %s", Strerror(err)))
		w.fsyncErr = err
	} else {
		w.fsyncErr = nil
		if gen == w.gen {
			if incrTarget > w.incrSynced {
				w.incrSynced = incrTarget
			}
			if target > w.synced {
				w.synced = target
			}
		}
	}
	w.updateDiskErr()
	postponed := !w.postponedStart.IsZero()
	w.mu.Unlock()
	if postponed {
		w.flushMu.Lock()
		_ = w.flushLocked(false)
		w.flushMu.Unlock()
	}
}

// updateDiskErr publishes the error writes must be refused for. The caller
// holds mu.
func (w *Writer) updateDiskErr() {
	switch {
	case w.lastWriteErr != nil:
		w.diskErr.Store(&errBox{w.lastWriteErr})
	case w.fsyncErr != nil:
		w.diskErr.Store(&errBox{w.fsyncErr})
	default:
		w.diskErr.Store(nil)
	}
}

// Err returns the disk error that must make write commands fail (the last
// write failed, or the last fsync did), nil when writes may proceed. It is
// a single atomic load.
func (w *Writer) Err() error {
	if b := w.diskErr.Load(); b != nil {
		return b.err
	}
	return nil
}

// MisconfError returns the error text write commands get while Err is not
// nil, as Redis words it ("MISCONF Errors writing to the AOF file: No
// space left on device"), or "" when writes may proceed.
func (w *Writer) MisconfError() string {
	err := w.Err()
	if err == nil {
		return ""
	}
	return "MISCONF Errors writing to the AOF file: " + Strerror(err)
}

// Status returns a snapshot of the writer's state.
func (w *Writer) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := Status{
		Fsync:                      w.policy,
		CurrentSize:                w.currentSize,
		BaseSize:                   w.baseSize,
		BufferLength:               int64(len(w.buf)),
		Appended:                   w.appended,
		Written:                    w.written,
		Synced:                     w.synced,
		PendingFsync:               w.fsyncInProgress.Load() != 0,
		DelayedFsync:               w.delayedFsync,
		Postponed:                  !w.postponedStart.IsZero(),
		LastWriteErr:               w.lastWriteErr,
		LastFsyncErr:               w.fsyncErr,
		RewriteInProgress:          w.rw != nil,
		RewriteStarted:             w.rewriteStart,
		Rewrites:                   w.rewrites,
		LastRewriteOK:              w.lastRewriteOK,
		LastRewriteDuration:        w.lastRewriteDur,
		RewriteConsecutiveFailures: w.rewriteFailures,
		AwaitingRewrite:            w.awaiting,
		IncrFile:                   w.incrName,
	}
	if w.rw == nil {
		s.RewriteStarted = time.Time{}
	}
	if w.manifest != nil && w.manifest.Base != nil {
		s.BaseFile = w.manifest.Base.Name
	}
	return s
}

// Manifest returns a copy of the current manifest.
func (w *Writer) Manifest() *Manifest {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.manifest.Clone()
}

// Close writes what is buffered, fsyncs and closes the incr file (as Redis
// does at shutdown), abandons a rewrite in progress (removing its
// temporary files) and stops the background goroutines. It returns the
// first error met.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.mu.Unlock()
	close(w.stop)
	w.loopDone.Wait()

	w.manifestMu.Lock()
	defer w.manifestMu.Unlock()
	w.flushMu.Lock()
	err := w.flushLocked(true)
	w.mu.Lock()
	f := w.file
	rw := w.rw
	prep := w.prep
	awaiting := w.awaiting
	w.closed = true
	w.file = nil
	w.rw = nil
	w.prep = nil
	w.mu.Unlock()
	if prep != nil {
		// Prepared, never started: the file stays empty (named in the
		// manifest, or the temporary incr file, removed below).
		_ = prep.file.Close()
		if awaiting {
			_ = w.fs.Remove(filepath.Join(w.aofDir, prep.name))
		}
	}
	if f != nil {
		if serr := f.Sync(); err == nil && serr != nil {
			err = fmt.Errorf("Fail to fsync the AOF file: %w", serr)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if awaiting {
			_ = w.fs.Remove(filepath.Join(w.aofDir, w.tempIncrName()))
		}
	}
	if rw != nil {
		rw.removeTemp()
	}
	w.flushMu.Unlock()
	w.bgClose.Wait()
	return err
}

func (w *Writer) tempIncrName() string { return tempPrefix + w.opts.FileName + incrSuffix }

// closeInBackground fsyncs and closes an incr file that is no longer
// written (aof_background_fsync_and_close).
func (w *Writer) closeInBackground(f File) {
	w.bgClose.Add(1)
	go func() {
		defer w.bgClose.Done()
		if err := f.Sync(); err != nil {
			w.log.Warn(fmt.Sprintf("Fail to fsync the AOF file: %s", Strerror(err)))
		}
		_ = f.Close()
	}()
}

// deleteHistory removes the history files and saves the manifest without
// them (aofDelHistoryFiles). Failures are logged only: a history file left
// behind does no harm.
func (w *Writer) deleteHistory() {
	w.mu.Lock()
	if len(w.manifest.History) == 0 {
		w.mu.Unlock()
		return
	}
	m := w.manifest.Clone()
	w.mu.Unlock()
	for _, h := range m.History {
		w.log.Info(fmt.Sprintf("Removing the history file %s in the background", h.Name))
		if err := w.fs.Remove(filepath.Join(w.aofDir, h.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			w.log.Warn(fmt.Sprintf("Can't remove the history file %s: %s", h.Name, Strerror(err)))
		}
	}
	m.History = nil
	if err := saveManifest(w.fs, w.aofDir, w.opts.FileName, m); err != nil {
		w.log.Warn(err.Error())
		return
	}
	w.mu.Lock()
	w.manifest = m
	w.mu.Unlock()
}

// autoSync fsyncs the file every rewriteAutoSyncBytes bytes.
type autoSync struct {
	f       File
	pending int
}

// Write implements io.Writer, fsyncing every rewriteAutoSyncBytes.
func (a *autoSync) Write(p []byte) (int, error) {
	n, err := a.f.Write(p)
	a.pending += n
	if err == nil && a.pending >= rewriteAutoSyncBytes {
		a.pending = 0
		err = a.f.Sync()
	}
	return n, err
}

// writeTempBase writes a base file into the temporary file tmpName of the
// AOF directory: fn's bytes, fsync, close. It returns the file's path.
func (w *Writer) writeTempBase(tmpName string, fn func(io.Writer) error) (string, error) {
	path := filepath.Join(w.aofDir, tmpName)
	f, err := w.fs.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return "", fmt.Errorf("Opening the temp file for AOF rewrite: %s", Strerror(err))
	}
	var out io.Writer = f
	if w.opts.IncrementalFsync {
		out = &autoSync{f: f}
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = w.fs.Remove(path)
		w.log.Warn(fmt.Sprintf("Write error writing append only file on disk: %s", Strerror(err)))
		return "", fmt.Errorf("Write error writing append only file on disk: %w", err)
	}
	return path, nil
}

var crcTable = crc64.MakeTable(0x95AC9329AC4BC9B5)

// crc64Redis is Redis's crc64 (Jones polynomial, reflected, no initial or
// final inversion), computed with the standard library's table, which
// inverts at both ends.
func crc64Redis(crc uint64, p []byte) uint64 {
	return ^crc64.Update(^crc, crcTable, p)
}

// EmptyRDB returns an RDB v10 image of an empty dataset (the header, an
// "aof-base" auxiliary field, the EOF opcode and the CRC64), the base Open
// writes with UseRDBPreamble when Options.InitialBase is nil.
func EmptyRDB() []byte {
	b := []byte("REDIS0010")
	b = append(b, 0xFA, 8)
	b = append(b, "aof-base"...)
	b = append(b, 0xC0, 1)
	b = append(b, 0xFF)
	return binary.LittleEndian.AppendUint64(b, crc64Redis(0, b))
}
