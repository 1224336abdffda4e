package aof

import (
	"os"
	"syscall"
)

// syncData makes the bytes written to f durable as Redis's redis_fsync
// does on Linux: fdatasync(2), which skips the inode's timestamps but not
// its size, so appended data is fully on disk. Files other than *os.File
// (test wrappers) are synced with their Sync method.
func syncData(f File) error {
	osf, ok := f.(*os.File)
	if !ok {
		return f.Sync()
	}
	rc, err := osf.SyscallConn()
	if err != nil {
		return f.Sync()
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		for {
			serr = syscall.Fdatasync(int(fd))
			if serr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	if serr != nil {
		return &os.PathError{Op: "fdatasync", Path: osf.Name(), Err: serr}
	}
	return nil
}
