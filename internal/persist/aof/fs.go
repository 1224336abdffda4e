package aof

import (
	"io"
	"os"
	"path/filepath"
)

// File is the part of *os.File the AOF machinery writes through.
type File interface {
	io.Writer
	Sync() error
	Truncate(size int64) error
	Close() error
}

// FS is the file system the package writes through. OSFS is the real one;
// tests substitute a wrapper to count fsyncs or inject write errors.
type FS interface {
	OpenFile(name string, flag int, perm os.FileMode) (File, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	Mkdir(name string, perm os.FileMode) error
	Stat(name string) (os.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	// SyncDir fsyncs the directory dir, making renames and creations in it
	// durable.
	SyncDir(dir string) error
}

// OSFS is the FS of the operating system.
type OSFS struct{}

// OpenFile implements FS.
func (OSFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Rename implements FS.
func (OSFS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove implements FS.
func (OSFS) Remove(name string) error { return os.Remove(name) }

// Mkdir implements FS.
func (OSFS) Mkdir(name string, perm os.FileMode) error { return os.Mkdir(name, perm) }

// Stat implements FS.
func (OSFS) Stat(name string) (os.FileInfo, error) { return os.Stat(name) }

// ReadFile implements FS.
func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// SyncDir implements FS.
func (OSFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// mkdirIfMissing creates dir (one level, mode 0755) unless it exists as a
// directory, like Redis's dirCreateIfMissing.
func mkdirIfMissing(fsys FS, dir string) error {
	if err := fsys.Mkdir(dir, 0o755); err != nil {
		st, serr := fsys.Stat(dir)
		if serr == nil && st.IsDir() {
			return nil
		}
		if serr == nil {
			return &os.PathError{Op: "mkdir", Path: dir, Err: errNotDir}
		}
		return err
	}
	return nil
}

// writeFileAtomic writes data to dir/name through a temporary file in dir:
// write, fsync, rename, fsync of the directory.
func writeFileAtomic(fsys FS, dir, tmpName, name string, data []byte) error {
	tmp := filepath.Join(dir, tmpName)
	f, err := fsys.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fsys.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		_ = fsys.Remove(tmp)
		return err
	}
	return fsys.SyncDir(dir)
}
