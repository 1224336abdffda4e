package persist_test

import (
	"fmt"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
)

// faultFS is the OS file system with a switch: while full is set every
// write fails with ENOSPC; while badSync is set every fsync fails with
// EIO.
type faultFS struct {
	aof.OSFS
	full, badSync atomic.Bool
}

// OpenFile implements aof.FS.
func (f *faultFS) OpenFile(name string, flag int, perm os.FileMode) (aof.File, error) {
	file, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

type faultFile struct {
	*os.File
	fs *faultFS
}

func (f *faultFile) Write(p []byte) (int, error) {
	if f.fs.full.Load() {
		return 0, syscall.ENOSPC
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if f.fs.badSync.Load() {
		return syscall.EIO
	}
	return f.File.Sync()
}

const aofMisconf = "MISCONF Errors writing to the AOF file: No space left on device"

// TestDiskFullMisconf: under everysec and no, a full disk makes writes
// fail with -MISCONF while reads go on; when space returns the buffered
// writes reach the file and writes are accepted again; nothing
// acknowledged is lost across a restart (BAD-INPUTS 24).
func TestDiskFullMisconf(t *testing.T) {
	for _, policy := range []string{"everysec", "no"} {
		t.Run(policy, func(t *testing.T) {
			modes(t, func(t *testing.T, mode string) {
				dir := t.TempDir()
				fs := &faultFS{}
				args := []string{"--appendonly", "yes", "--appendfsync", policy}
				n, err := open(t, mode, dir, persist.Options{FS: fs}, args...)
				if err != nil {
					t.Fatal(err)
				}
				c := n.client()
				ctx := ctxT(t)
				acked := map[string]string{}
				for i := 0; i < 20; i++ {
					k := fmt.Sprint("before", i)
					if err := c.Set(ctx, k, i, 0).Err(); err != nil {
						t.Fatal(err)
					}
					acked[k] = fmt.Sprint(i)
				}
				fs.full.Store(true)
				// The first write after the disk filled is executed and
				// answered (the error shows at the write to the file);
				// from then on writes are refused.
				if err := c.Set(ctx, "during", "x", 0).Err(); err == nil {
					acked["during"] = "x"
				}
				var refused error
				for i := 0; i < 50 && refused == nil; i++ {
					refused = c.Set(ctx, "refused", "y", 0).Err()
					if refused == nil {
						acked["refused"] = "y"
						time.Sleep(20 * time.Millisecond)
					}
				}
				if refused == nil || refused.Error() != aofMisconf {
					t.Fatalf("write on a full disk: %v, want %q", refused, aofMisconf)
				}
				if err := c.Incr(ctx, "before1").Err(); err == nil || err.Error() != aofMisconf {
					t.Fatalf("INCR: %v", err)
				}
				if got := c.Get(ctx, "before3").Val(); got != "3" {
					t.Fatalf("read on a full disk: %q", got)
				}
				if err := c.Ping(ctx).Err(); err == nil || err.Error() != aofMisconf {
					t.Fatalf("PING on a full disk: %v (Redis refuses it too)", err)
				}
				tx := c.TxPipeline()
				tx.Get(ctx, "before1")
				if _, err := tx.Exec(ctx); err != nil {
					t.Fatalf("read-only transaction: %v", err)
				}
				info := c.Info(ctx, "persistence").Val()
				if !strings.Contains(info, "aof_last_write_status:err") {
					t.Fatalf("INFO:\n%s", info)
				}

				fs.full.Store(false)
				var err2 error
				deadline := time.Now().Add(5 * time.Second)
				for time.Now().Before(deadline) {
					if err2 = c.Set(ctx, "after", "z", 0).Err(); err2 == nil {
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				if err2 != nil {
					t.Fatalf("writes still refused after the disk recovered: %v", err2)
				}
				acked["after"] = "z"
				if info := c.Info(ctx, "persistence").Val(); !strings.Contains(info, "aof_last_write_status:ok") {
					t.Fatalf("INFO after recovery:\n%s", info)
				}
				n.shutdown(false)
				b := start(t, mode, dir, args...)
				got := keysOf(t, b)
				for k, v := range acked {
					if got[k] != v {
						t.Errorf("acknowledged %s=%s lost (got %q)", k, v, got[k])
					}
				}
			})
		})
	}
}

// TestDiskFullAlwaysExits: under always, a write that cannot be written
// (or fsynced) is never acknowledged: the server exits as Redis does.
func TestDiskFullAlwaysExits(t *testing.T) {
	for _, fault := range []string{"write", "fsync"} {
		t.Run(fault, func(t *testing.T) {
			modes(t, func(t *testing.T, mode string) {
				dir := t.TempDir()
				fs := &faultFS{}
				exited := make(chan int, 1)
				n, err := open(t, mode, dir, persist.Options{FS: fs, Exit: func(code int) { exited <- code }},
					"--appendonly", "yes", "--appendfsync", "always")
				if err != nil {
					t.Fatal(err)
				}
				c := n.client()
				ctx := ctxT(t)
				if err := c.Set(ctx, "ok", "1", 0).Err(); err != nil {
					t.Fatal(err)
				}
				if fault == "write" {
					fs.full.Store(true)
				} else {
					fs.badSync.Store(true)
				}
				nc, err := net.Dial("tcp", n.addr)
				if err != nil {
					t.Fatal(err)
				}
				defer nc.Close()
				_, _ = nc.Write([]byte("*3\r\n$3\r\nSET\r\n$3\r\nbad\r\n$1\r\nx\r\n"))
				_ = nc.SetReadDeadline(time.Now().Add(2 * time.Second))
				buf := make([]byte, 64)
				k, _ := nc.Read(buf)
				if k > 0 {
					t.Fatalf("the unwritable SET was answered: %q", buf[:k])
				}
				select {
				case code := <-exited:
					if code != 1 {
						t.Fatalf("exit code %d", code)
					}
				case <-time.After(2 * time.Second):
					t.Fatal("the server did not exit")
				}
				want := "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting..."
				if fault == "fsync" {
					want = "Can't persist AOF for fsync error when the AOF fsync policy is 'always'"
				}
				if !strings.Contains(n.log.String(), want) {
					t.Fatalf("log lacks %q:\n%s", want, n.log)
				}
				fs.full.Store(false)
				fs.badSync.Store(false)
			})
		})
	}
}

// TestBgsaveErrorStopsWrites: with save points and
// stop-writes-on-bgsave-error yes, a failed BGSAVE makes writes fail with
// Redis's MISCONF until a save succeeds again; reads go on.
func TestBgsaveErrorStopsWrites(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		dir := t.TempDir()
		fs := &faultFS{}
		n, err := open(t, mode, dir, persist.Options{FS: fs}, "--save", "3600 1")
		if err != nil {
			t.Fatal(err)
		}
		c := n.client()
		ctx := ctxT(t)
		c.Set(ctx, "k", "v", 0)
		fs.full.Store(true)
		if got := c.BgSave(ctx).Val(); got != "Background saving started" {
			t.Fatalf("BGSAVE: %q", got)
		}
		waitIdle(t, n)
		if info := c.Info(ctx, "persistence").Val(); !strings.Contains(info, "rdb_last_bgsave_status:err") {
			t.Fatalf("INFO:\n%s", info)
		}
		err = c.Set(ctx, "k2", "v", 0).Err()
		if err == nil || !strings.HasPrefix(err.Error(), "MISCONF Redis is configured to save RDB snapshots") {
			t.Fatalf("write after a failed BGSAVE: %v", err)
		}
		if c.Get(ctx, "k").Val() != "v" {
			t.Fatal("read refused")
		}
		if err := c.Save(ctx).Err(); err == nil || err.Error() != "ERR" {
			t.Fatalf("SAVE on a full disk: %v", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("temporary files left behind: %v", entries)
		}
		c.ConfigSet(ctx, "stop-writes-on-bgsave-error", "no")
		if err := c.Set(ctx, "k2", "v", 0).Err(); err != nil {
			t.Fatalf("write with stop-writes-on-bgsave-error no: %v", err)
		}
		c.ConfigSet(ctx, "stop-writes-on-bgsave-error", "yes")
		fs.full.Store(false)
		if err := c.Save(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		if err := c.Set(ctx, "k3", "v", 0).Err(); err != nil {
			t.Fatalf("write after a good save: %v", err)
		}
	})
}
