package persist

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/redis-clone/redis-clone/internal/persist/aof"
)

// autoSyncBytes is REDIS_AUTOSYNC_BYTES: with rdb-save-incremental-fsync a
// snapshot being written is fsynced every 4 MB, so the final fsync does
// not flush gigabytes at once.
const autoSyncBytes = 4 << 20

// errCancelled is returned by a background job that was told to stop
// (shutdown, CONFIG SET appendonly no, FLUSHALL).
var errCancelled = errors.New("background job cancelled")

// fileWriter is the temporary file a snapshot is written to: buffered,
// fsynced every autoSyncBytes when asked, and failing with errCancelled
// once the job is cancelled.
type fileWriter struct {
	f         aof.File
	bw        *bufio.Writer
	autoSync  bool
	pending   int
	cancelled *atomic.Bool
}

// rawWriter is what bufio writes into.
type rawWriter struct{ fw *fileWriter }

// Write implements io.Writer.
func (r rawWriter) Write(p []byte) (int, error) {
	fw := r.fw
	if fw.cancelled != nil && fw.cancelled.Load() {
		return 0, errCancelled
	}
	n, err := fw.f.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	fw.pending += n
	if err == nil && fw.autoSync && fw.pending >= autoSyncBytes {
		fw.pending = 0
		err = fw.f.Sync()
	}
	return n, err
}

func newFileWriter(f aof.File, autoSync bool, cancelled *atomic.Bool) *fileWriter {
	fw := &fileWriter{f: f, autoSync: autoSync, cancelled: cancelled}
	fw.bw = bufio.NewWriterSize(rawWriter{fw}, 256<<10)
	return fw
}

// Write implements io.Writer.
func (fw *fileWriter) Write(p []byte) (int, error) { return fw.bw.Write(p) }

// finish flushes, fsyncs and closes the file; the first error wins.
func (fw *fileWriter) finish() error {
	err := fw.bw.Flush()
	if err == nil {
		err = fw.f.Sync()
	}
	if cerr := fw.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// saveError names the step of a save that failed, as Redis's log does
// ("Write error saving DB on disk(fsync): …").
type saveError struct {
	op  string
	err error
}

// Error implements error.
func (e *saveError) Error() string { return e.op + ": " + aof.Strerror(e.err) }

// Unwrap returns the underlying error.
func (e *saveError) Unwrap() error { return e.err }

// writeFileAtomic writes path through the temporary file tmp in the same
// directory: fn's bytes, fsync, close, rename over path, fsync of the
// directory. A job's cancelled flag stops the writing; the rename happens
// under guard (when not nil) and only if the job was not cancelled, so
// that whoever cancels it under guard knows no rename follows. On failure
// the temporary file is removed.
func writeFileAtomic(fsys aof.FS, tmp, path string, autoSync bool, cancelled *atomic.Bool,
	guard sync.Locker, fn func(io.Writer) error) error {
	f, err := fsys.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return &saveError{"open", err}
	}
	fw := newFileWriter(f, autoSync, cancelled)
	if err := fn(fw); err != nil {
		_ = f.Close()
		_ = fsys.Remove(tmp)
		if errors.Is(err, errCancelled) {
			return errCancelled
		}
		return &saveError{"write", err}
	}
	if err := fw.finish(); err != nil {
		_ = fsys.Remove(tmp)
		if errors.Is(err, errCancelled) {
			return errCancelled
		}
		return &saveError{"fsync", err}
	}
	if guard != nil {
		guard.Lock()
		defer guard.Unlock()
	}
	if cancelled != nil && cancelled.Load() {
		_ = fsys.Remove(tmp)
		return errCancelled
	}
	if err := fsys.Rename(tmp, path); err != nil {
		_ = fsys.Remove(tmp)
		return &saveError{"rename", err}
	}
	if err := fsys.SyncDir(filepath.Dir(path)); err != nil {
		return &saveError{"fsyncFileDir", err}
	}
	return nil
}
