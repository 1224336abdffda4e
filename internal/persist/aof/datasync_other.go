//go:build !linux

package aof

// syncData makes the bytes written to f durable (fsync; Linux uses
// fdatasync, see datasync_linux.go).
func syncData(f File) error { return f.Sync() }
