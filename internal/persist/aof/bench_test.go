package aof

import (
	"os"
	"testing"
)

// discardFS is OSFS whose incr files swallow writes (to time the CPU side).
type discardFS struct{ OSFS }

type discardFile struct{ File }

func (discardFile) Write(p []byte) (int, error) { return len(p), nil }

func (d discardFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := d.OSFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return discardFile{f}, nil
}

func BenchmarkAppend(b *testing.B) {
	opts := Options{Dir: b.TempDir(), Fsync: FsyncNo, noFsyncLoop: true, FS: discardFS{}}
	w, err := Open(opts)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	args := cmd("SET", "key:000000000001", "value-value-value-value")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		w.Append(0, args)
		if i%1000 == 999 {
			w.Flush()
		}
	}
}

func benchmarkFlush(b *testing.B, policy string, batch int) {
	opts := Options{Dir: b.TempDir(), Fsync: policy}
	w, err := Open(opts)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	args := cmd("SET", "key:000000000001", "value-value-value-value")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for j := 0; j < batch; j++ {
			w.Append(0, args)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFlushEverysec(b *testing.B) { benchmarkFlush(b, FsyncEverysec, 1) }
func BenchmarkFlushAlways(b *testing.B)   { benchmarkFlush(b, FsyncAlways, 1) }
func BenchmarkFlushAlways64(b *testing.B) { benchmarkFlush(b, FsyncAlways, 64) }
