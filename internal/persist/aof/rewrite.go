package aof

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Rewrite is a BGREWRITEAOF in progress, without fork: StartRewrite
// switches the appends to a new incr file, WriteBase writes the
// point-in-time dataset into a temporary base file (in a background
// goroutine), Commit makes the new base plus the new incr file the AOF,
// Abort gives up.
type Rewrite struct {
	w *Writer

	mu      sync.Mutex
	tmpPath string // the written temporary base, "" until WriteBase succeeds
	rdb     bool
	done    bool
	running bool
}

// PreparedRewrite is the next incr file of a rewrite, created (and named
// in the manifest on disk) by PrepareRewrite before the data lock is
// taken; StartPrepared switches the appends to it under the data lock, or
// Cancel gives it up.
type PreparedRewrite struct {
	w    *Writer
	file File
	name string
}

// StartRewrite begins a rewrite in one step: PrepareRewrite, then
// StartPrepared (Cancel if that fails). Call it with the data lock held;
// it makes the caller hold that lock across the manifest's fsyncs, which
// PrepareRewrite before taking the lock avoids.
func (w *Writer) StartRewrite() (*Rewrite, error) {
	p, err := w.PrepareRewrite()
	if err != nil {
		return nil, err
	}
	rw, err := w.StartPrepared(p)
	if err != nil {
		p.Cancel()
		return nil, err
	}
	return rw, nil
}

// PrepareRewrite does the slow part of the start of a rewrite
// (openNewIncrAofForAppend), without the data lock: it creates the next
// incr file and saves a manifest that names it after the current incr
// files (temporary manifest written and fsynced, renamed, directory
// fsynced). Appends still go to the current incr file, which the manifest
// keeps naming, so a crash from here on loads every acknowledged write
// (the new file is just empty). In AwaitRewrite mode it creates the
// temporary incr file and saves no manifest. Then, with the data lock
// held, call StartPrepared, or Cancel. While a prepared or running
// rewrite exists it gives ErrRewriteInProgress.
func (w *Writer) PrepareRewrite() (*PreparedRewrite, error) {
	w.manifestMu.Lock()
	defer w.manifestMu.Unlock()
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil, ErrClosed
	}
	if w.rw != nil || w.prep != nil {
		w.mu.Unlock()
		return nil, ErrRewriteInProgress
	}
	awaiting := w.awaiting
	var newM *Manifest
	if !awaiting {
		newM = w.manifest.Clone()
	}
	w.mu.Unlock()

	var name string
	if awaiting {
		name = w.tempIncrName()
	} else {
		name = newM.newIncr(w.opts.FileName)
	}
	path := filepath.Join(w.aofDir, name)
	nf, err := w.fs.OpenFile(path, os.O_WRONLY|os.O_TRUNC|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		w.log.Warn(fmt.Sprintf("Can't open the append-only file %s: %s", name, Strerror(err)))
		return nil, w.startFailed(fmt.Errorf("Can't open the append-only file %s: %s", name, Strerror(err)))
	}
	if newM != nil {
		if err := saveManifest(w.fs, w.aofDir, w.opts.FileName, newM); err != nil {
			_ = nf.Close()
			_ = w.fs.Remove(path)
			w.log.Warn(err.Error())
			return nil, w.startFailed(err)
		}
	}
	w.log.Info(fmt.Sprintf("Creating AOF incr file %s on background rewrite", name))
	p := &PreparedRewrite{w: w, file: nf, name: name}
	w.mu.Lock()
	if newM != nil {
		w.manifest = newM
	}
	w.prep = p
	w.mu.Unlock()
	return p, nil
}

// startFailed counts a rewrite that could not start and returns err.
func (w *Writer) startFailed(err error) error {
	w.mu.Lock()
	w.lastRewriteOK = false
	w.rewriteFailures++
	w.mu.Unlock()
	return err
}

// StartPrepared begins the rewrite p was prepared for
// (rewriteAppendOnlyFileBackground without the fork). Call it with the
// data lock held and take the point-in-time view of the dataset under that
// same hold: every command appended before it is in the view, every
// command appended after it goes to the new incr file (and is not in the
// view). It writes out the buffer to the current incr file (fsyncing under
// always) and switches the appends to p's file; the previous incr file is
// fsynced and closed in the background. No manifest is saved here:
// PrepareRewrite did. A pending write error makes it fail; p then stays
// prepared (call Cancel).
func (w *Writer) StartPrepared(p *PreparedRewrite) (*Rewrite, error) {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	switch {
	case w.closed:
		w.mu.Unlock()
		return nil, ErrClosed
	case w.prep != p:
		w.mu.Unlock()
		return nil, errors.New("aof: StartPrepared without a prepared rewrite")
	}
	w.mu.Unlock()
	if err := w.flushLocked(true); err != nil {
		return nil, w.startFailed(err)
	}
	rw := &Rewrite{w: w}
	w.mu.Lock()
	old := w.switchToLocked(p)
	w.rw = rw
	w.rewriteStart = w.opts.Now()
	w.rewrites++
	w.mu.Unlock()
	if old != nil {
		w.closeInBackground(old)
	}
	return rw, nil
}

// switchToLocked makes p's file the one appends go to, once the buffer
// was written out, and returns the previous file. The caller holds
// flushMu and mu.
func (w *Writer) switchToLocked(p *PreparedRewrite) File {
	old := w.file
	w.file = p.file
	w.prep = nil
	// Force a SELECT at the head of the new incr file.
	w.selectedDB = -1
	w.gen++
	w.incrName = p.name
	w.incrSize = 0
	w.incrSynced = 0
	return old
}

// Cancel gives up a prepared rewrite that will not start (its job was
// cancelled, or no view of the dataset could be taken). Call it with the
// data lock held. The manifest already names the new incr file, so the
// appends switch to it as if a rewrite had started and failed at once (as
// Redis keeps the new incr file after a failed rewrite); if the buffer
// cannot be written out first, the new file stays empty and unused (still
// named, harmless). In AwaitRewrite mode the temporary incr file is
// removed. Cancel after StartPrepared, after Close, or twice does nothing.
func (p *PreparedRewrite) Cancel() {
	w := p.w
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	if w.prep != p {
		w.mu.Unlock()
		return
	}
	if w.awaiting {
		w.prep = nil
		w.mu.Unlock()
		_ = p.file.Close()
		_ = w.fs.Remove(filepath.Join(w.aofDir, p.name))
		return
	}
	w.mu.Unlock()
	if err := w.flushLocked(true); err != nil {
		w.mu.Lock()
		w.prep = nil
		w.mu.Unlock()
		_ = p.file.Close()
		return
	}
	w.mu.Lock()
	old := w.switchToLocked(p)
	w.mu.Unlock()
	if old != nil {
		w.closeInBackground(old)
	}
}

// WriteBase writes the new base file: fn writes the point-in-time dataset
// (an RDB image when rdbPreamble, which names the file .base.rdb, or RESP
// commands for .base.aof) into a temporary file in the AOF directory,
// which is then fsynced. Run it outside the data lock (in a background
// goroutine); Append and Flush go on meanwhile. On error the temporary
// file is removed; call Abort.
func (r *Rewrite) WriteBase(fn func(io.Writer) error, rdbPreamble bool) error {
	r.mu.Lock()
	if r.done || r.running || r.tmpPath != "" {
		r.mu.Unlock()
		return errors.New("aof: WriteBase called twice or after the rewrite ended")
	}
	r.running = true
	r.mu.Unlock()

	w := r.w
	r.w.mu.Lock()
	w.rewriteSerial++
	serial := w.rewriteSerial
	r.w.mu.Unlock()
	tmpName := fmt.Sprintf("temp-rewriteaof-bg-%d-%d.aof", os.Getpid(), serial)
	path, err := w.writeTempBase(tmpName, fn)

	r.mu.Lock()
	defer r.mu.Unlock()
	r.running = false
	if err != nil {
		return err
	}
	if r.done { // aborted meanwhile
		_ = w.fs.Remove(path)
		return errors.New("aof: rewrite aborted")
	}
	r.tmpPath = path
	r.rdb = rdbPreamble
	w.log.Info(fmt.Sprintf("Successfully created the temporary AOF base file %s", tmpName))
	return nil
}

// Commit ends a rewrite whose WriteBase succeeded
// (backgroundRewriteDoneHandler): the temporary base becomes the next base
// file, the previous base and all incr files but the current one become
// history, the manifest is saved (fsync, rename, fsync of the directory),
// and only then are the history files deleted. It does not block Append.
// On error the AOF stays as it was (the manifest still names the old base
// and every incr file) and the rewrite is over. Appends and Flush go on
// meanwhile: the incr file they write to is renamed (in AwaitRewrite
// mode) through its open descriptor's name only, and the manifest's
// fsyncs happen without flushMu, so replies do not wait for them.
func (r *Rewrite) Commit() error {
	w := r.w
	w.manifestMu.Lock()
	defer w.manifestMu.Unlock()
	r.mu.Lock()
	if r.done || r.tmpPath == "" {
		r.mu.Unlock()
		return errors.New("aof: Commit without a written base")
	}
	r.done = true
	tmpPath, rdb := r.tmpPath, r.rdb
	r.tmpPath = ""
	r.mu.Unlock()

	w.mu.Lock()
	if w.rw != r || w.closed {
		w.mu.Unlock()
		_ = w.fs.Remove(tmpPath)
		return errors.New("aof: rewrite no longer current")
	}
	newM := w.manifest.Clone()
	awaiting := w.awaiting
	w.mu.Unlock()

	baseName := newM.newBase(w.opts.FileName, rdb)
	basePath := filepath.Join(w.aofDir, baseName)
	if err := w.fs.Rename(tmpPath, basePath); err != nil {
		_ = w.fs.Remove(tmpPath)
		msg := fmt.Sprintf("Error trying to rename the temporary AOF base file %s into %s: %s", filepath.Base(tmpPath), baseName, Strerror(err))
		w.log.Warn(msg)
		w.endRewrite(false)
		return errors.New(msg)
	}
	w.log.Info(fmt.Sprintf("Successfully renamed the temporary AOF base file %s into %s", filepath.Base(tmpPath), baseName))

	var incrName, tempIncrPath, incrPath string
	if awaiting {
		incrName = newM.newIncr(w.opts.FileName)
		tempIncrPath = filepath.Join(w.aofDir, w.tempIncrName())
		incrPath = filepath.Join(w.aofDir, incrName)
		if err := w.fs.Rename(tempIncrPath, incrPath); err != nil {
			_ = w.fs.Remove(basePath)
			msg := fmt.Sprintf("Error trying to rename the temporary AOF incr file %s into %s: %s", w.tempIncrName(), incrName, Strerror(err))
			w.log.Warn(msg)
			w.endRewrite(false)
			return errors.New(msg)
		}
		w.log.Info(fmt.Sprintf("Successfully renamed the temporary AOF incr file %s into %s", w.tempIncrName(), incrName))
	}
	newM.markRewrittenIncrAsHistory(true)
	if err := saveManifest(w.fs, w.aofDir, w.opts.FileName, newM); err != nil {
		w.log.Warn(err.Error())
		_ = w.fs.Remove(basePath)
		if awaiting {
			_ = w.fs.Rename(incrPath, tempIncrPath)
		}
		w.endRewrite(false)
		return err
	}
	var baseSize int64
	if st, err := w.fs.Stat(basePath); err == nil {
		baseSize = st.Size()
	}
	w.mu.Lock()
	w.manifest = newM
	if awaiting {
		w.awaiting = false
		w.incrName = incrName
	}
	w.currentSize = baseSize + w.incrSize
	w.baseSize = w.currentSize
	w.mu.Unlock()
	w.deleteHistory()
	w.endRewrite(true)
	w.log.Info("Background AOF rewrite finished successfully")
	return nil
}

// Abort ends a rewrite without changing the AOF: the temporary base file is
// removed. The incr file opened by StartRewrite stays in use (the manifest
// already names it, as after a failed rewrite in Redis). In AwaitRewrite
// mode the temporary incr file is dropped and appends stop until the next
// StartRewrite. Abort after Commit, or twice, does nothing.
func (r *Rewrite) Abort() {
	w := r.w
	w.manifestMu.Lock()
	defer w.manifestMu.Unlock()
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	r.done = true
	r.mu.Unlock()
	r.removeTemp()

	w.mu.Lock()
	if w.rw != r {
		w.mu.Unlock()
		return
	}
	var drop File
	if w.awaiting {
		drop = w.file
		w.file = nil
		w.gen++
		w.buf = w.buf[:0]
		w.written = w.appended
		w.synced = w.appended
		w.incrSize, w.incrSynced = 0, 0
	}
	w.mu.Unlock()
	if drop != nil {
		_ = drop.Close()
		_ = w.fs.Remove(filepath.Join(w.aofDir, w.tempIncrName()))
	}
	w.log.Warn("Background AOF rewrite terminated with error")
	w.endRewrite(false)
}

func (r *Rewrite) removeTemp() {
	r.mu.Lock()
	p := r.tmpPath
	r.tmpPath = ""
	r.done = true
	r.mu.Unlock()
	if p != "" {
		_ = r.w.fs.Remove(p)
	}
}

func (w *Writer) endRewrite(ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.rw = nil
	w.lastRewriteOK = ok
	if ok {
		w.rewriteFailures = 0
	} else {
		w.rewriteFailures++
	}
	w.lastRewriteDur = w.opts.Now().Sub(w.rewriteStart)
}
