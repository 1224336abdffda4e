package persist_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
)

// slowFS is the OS file system with a slow disk under the AOF's incr
// files: every write and fsync of one takes delay. It counts the writes
// and remembers how many bytes the last fsync made durable.
type slowFS struct {
	aof.OSFS
	delay  time.Duration
	writes atomic.Int64
	size   atomic.Int64
	synced atomic.Int64
}

// OpenFile implements aof.FS.
func (f *slowFS) OpenFile(name string, flag int, perm os.FileMode) (aof.File, error) {
	file, err := os.OpenFile(name, flag, perm)
	if err != nil || !strings.HasSuffix(name, ".incr.aof") {
		return file, err
	}
	return &slowFile{File: file, fs: f}, nil
}

type slowFile struct {
	*os.File
	fs *slowFS
}

func (f *slowFile) Write(p []byte) (int, error) {
	time.Sleep(f.fs.delay)
	n, err := f.File.Write(p)
	f.fs.writes.Add(1)
	f.fs.size.Add(int64(n))
	return n, err
}

func (f *slowFile) Sync() error {
	time.Sleep(f.fs.delay)
	size := f.fs.size.Load()
	err := f.File.Sync()
	if err == nil {
		f.fs.synced.Store(size)
	}
	return err
}

// TestGroupCommit: on a slow disk, clients writing at once get their
// replies only once their commands are in the AOF file (under always: in
// its fsynced part), and the AOF is written for many clients at once, as
// Redis writes it once per event-loop iteration, in both modes.
func TestGroupCommit(t *testing.T) {
	const clients, perClient = 16, 10
	for _, policy := range []string{aof.FsyncAlways, aof.FsyncEverysec, aof.FsyncNo} {
		t.Run(policy, func(t *testing.T) {
			modes(t, func(t *testing.T, mode string) {
				dir := t.TempDir()
				fs := &slowFS{delay: 3 * time.Millisecond}
				n, err := open(t, mode, dir, persist.Options{FS: fs}, "--appendonly", "yes", "--appendfsync", policy)
				if err != nil {
					t.Fatal(err)
				}
				incr, _ := filepath.Glob(filepath.Join(dir, "appendonlydir", "*.incr.aof"))
				if len(incr) != 1 {
					t.Fatalf("incr files: %v", incr)
				}
				conns := make([]net.Conn, clients)
				for i := range conns {
					if conns[i], err = net.Dial("tcp", n.addr); err != nil {
						t.Fatal(err)
					}
					defer conns[i].Close()
					// A PING round trip: the server has accepted the
					// connection (gnet accepts one per loop iteration, so
					// connections still in the backlog would arrive one
					// commit at a time).
					_ = conns[i].SetDeadline(time.Now().Add(10 * time.Second))
					pong := make([]byte, len("+PONG\r\n"))
					if _, err := conns[i].Write([]byte("PING\r\n")); err != nil {
						t.Fatal(err)
					}
					if _, err := readFull(conns[i], pong); err != nil || string(pong) != "+PONG\r\n" {
						t.Fatalf("PING: %q %v", pong, err)
					}
				}
				go0 := make(chan struct{})
				errs := make(chan error, clients)
				var wg sync.WaitGroup
				for i, nc := range conns {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var req bytes.Buffer
						for j := range perClient {
							k := fmt.Sprintf("k:%d:%d", i, j)
							fmt.Fprintf(&req, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n", len(k), k)
						}
						<-go0
						if _, err := nc.Write(req.Bytes()); err != nil {
							errs <- err
							return
						}
						_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
						want := strings.Repeat("+OK\r\n", perClient)
						got := make([]byte, len(want))
						if _, err := readFull(nc, got); err != nil || string(got) != want {
							errs <- fmt.Errorf("client %d: replies %q, %v", i, got, err)
							return
						}
						data, err := os.ReadFile(incr[0])
						if err != nil {
							errs <- err
							return
						}
						if policy == aof.FsyncAlways {
							data = data[:min(int64(len(data)), fs.synced.Load())]
						}
						for j := range perClient {
							if k := fmt.Sprintf("\r\nk:%d:%d\r\n", i, j); !bytes.Contains(data, []byte(k)) {
								errs <- fmt.Errorf("client %d got its replies before k:%d:%d was in the AOF (%s)", i, i, j, policy)
								return
							}
						}
					}()
				}
				close(go0)
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatal(err)
				}
				w := fs.writes.Load()
				t.Logf("%d AOF writes for %d clients", w, clients)
				if w > clients/2 {
					t.Fatalf("%d AOF writes for %d clients writing at once: not grouped", w, clients)
				}
			})
		})
	}
}

func readFull(nc net.Conn, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k, err := nc.Read(p[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
