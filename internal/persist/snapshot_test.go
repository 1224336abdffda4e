package persist_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// fillForSnapshot writes n string keys and collections of every
// encoding in databases 0, 5, 6 and 7.
func fillForSnapshot(t testing.TB, addr string, n int) {
	t.Helper()
	ctx := ctxT(t)
	for _, db := range []int{0, 5, 6, 7} {
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DB: db, DisableIdentity: true})
		p := c.Pipeline()
		for i := 0; i < n; i++ {
			p.Set(ctx, fmt.Sprintf("k%d", i), fmt.Sprintf("old%d", i), 0)
			if i%10 == 0 {
				p.Do(ctx, "EXPIRE", fmt.Sprintf("k%d", i), 1000000000)
			}
		}
		for i := 0; i < 200; i++ {
			p.RPush(ctx, fmt.Sprintf("list%d", i), "a", "b", i)
			p.SAdd(ctx, fmt.Sprintf("set%d", i), i, i+1, "s")
			p.HSet(ctx, fmt.Sprintf("hash%d", i), "f", i, "g", "x")
			p.ZAdd(ctx, fmt.Sprintf("zset%d", i), redis.Z{Score: float64(i), Member: "m"})
		}
		for i := 0; i < 300; i++ { // hashtable / skiplist encodings
			p.HSet(ctx, "bighash", fmt.Sprintf("f%d", i), i)
			p.SAdd(ctx, "bigset", fmt.Sprintf("m%d", i))
			p.ZAdd(ctx, "bigzset", redis.Z{Score: float64(i), Member: fmt.Sprintf("m%d", i)})
			p.RPush(ctx, "biglist", strings.Repeat("e", i))
		}
		if _, err := p.Exec(ctx); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
}

// mutate changes, deletes, moves and creates keys of every kind in db,
// from worker w of many.
func mutate(t testing.TB, addr string, db, n, w, workers int) {
	ctx := ctxT(t)
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DB: db, DisableIdentity: true})
	defer c.Close()
	p := c.Pipeline()
	for i := w; i < n; i += workers {
		k := fmt.Sprintf("k%d", i)
		switch i % 8 {
		case 0:
			p.Set(ctx, k, "new", 0)
		case 1:
			p.Del(ctx, k)
		case 2:
			p.Append(ctx, k, "+appended")
		case 3:
			p.SetRange(ctx, k, 0, "XY")
		case 4:
			p.Do(ctx, "EXPIRE", k, 5000)
		case 5:
			p.Persist(ctx, k)
			p.Rename(ctx, k, "renamed"+k)
		case 6:
			p.Set(ctx, "created"+k, "after", 0)
			p.Move(ctx, k, 9)
		case 7:
			p.Copy(ctx, k, "copy"+k, 0, false)
		}
		if i%50 == 0 {
			j := i % 200
			p.LPush(ctx, fmt.Sprintf("list%d", j), "new")
			p.SAdd(ctx, fmt.Sprintf("set%d", j), "new")
			p.HSet(ctx, fmt.Sprintf("hash%d", j), "f", "new")
			p.ZIncrBy(ctx, fmt.Sprintf("zset%d", j), 100, "m")
			p.HSet(ctx, "bighash", fmt.Sprintf("f%d", j), "new")
			p.SRem(ctx, "bigset", fmt.Sprintf("m%d", j))
			p.ZAdd(ctx, "bigzset", redis.Z{Score: -1, Member: fmt.Sprintf("m%d", j)})
			p.LPop(ctx, "biglist")
			p.HGetAll(ctx, "bighash") // a read of a frozen collection
		}
		if i%500 == 0 {
			if _, err := p.Exec(ctx); err != nil && err != redis.Nil && !strings.Contains(err.Error(), "no such key") {
				t.Errorf("mutate: %v", err)
			}
			p = c.Pipeline()
		}
	}
	if _, err := p.Exec(ctx); err != nil && err != redis.Nil && !strings.Contains(err.Error(), "no such key") {
		t.Errorf("mutate: %v", err)
	}
}

// TestBackgroundSaveIsPointInTime starts a slow BGSAVE, then rewrites,
// deletes, renames, moves and creates keys of every type (and FLUSHDB,
// SWAPDB) while it runs, from several clients; the file must hold exactly
// the dataset of the moment BGSAVE was accepted.
func TestBackgroundSaveIsPointInTime(t *testing.T) {
	const n = 3000
	modes(t, func(t *testing.T, mode string) {
		for _, format := range []string{"rdb", "json"} {
			t.Run(format, func(t *testing.T) {
				dir := t.TempDir()
				a := start(t, mode, dir, "--rdb-key-save-delay", "100", "--snapshot-format", format)
				fillForSnapshot(t, a.addr, n)
				want := dataset(t, a.addr)

				c := a.client()
				if got := c.Do(ctxT(t), "BGSAVE").Val(); got != "Background saving started" {
					t.Fatalf("BGSAVE: %v", got)
				}
				var wg sync.WaitGroup
				for _, db := range []int{0, 5} {
					for w := 0; w < 4; w++ {
						wg.Add(1)
						go func() {
							defer wg.Done()
							mutate(t, a.addr, db, n, w, 4)
						}()
					}
				}
				wg.Wait()
				c.Do(ctxT(t), "SELECT", 6)
				c6 := redis.NewClient(&redis.Options{Addr: a.addr, Protocol: 2, DB: 6, DisableIdentity: true})
				defer c6.Close()
				c6.FlushDB(ctxT(t))
				c6.Set(ctxT(t), "after-flush", "x", 0)
				c6.Do(ctxT(t), "SWAPDB", 6, 7)
				info := c.Info(ctxT(t), "persistence").Val()
				if !strings.Contains(info, "rdb_bgsave_in_progress:1") {
					t.Fatalf("the writes did not overlap the save; make it slower\n%s", info)
				}
				waitIdle(t, a)
				if info := c.Info(ctxT(t), "persistence").Val(); !strings.Contains(info, "rdb_last_bgsave_status:ok") {
					t.Fatalf("BGSAVE failed:\n%s\n%s", info, a.log)
				}

				// Load the file in a fresh server and compare.
				name := "dump.rdb"
				if format == "json" {
					name = "dump.json"
				}
				dir2 := t.TempDir()
				copyFile(t, filepath.Join(dir, name), filepath.Join(dir2, name))
				b := start(t, mode, dir2, "--snapshot-format", format)
				sameDataset(t, want, dataset(t, b.addr))
			})
		}
	})
}

// TestRewriteUnderWrites rewrites the AOF while clients write; after a
// restart the dataset is the final one (the base holds the point-in-time
// view, the new incr file everything after it).
func TestRewriteUnderWrites(t *testing.T) {
	const n = 2000
	modes(t, func(t *testing.T, mode string) {
		for _, preamble := range []string{"yes", "no"} {
			t.Run("preamble-"+preamble, func(t *testing.T) {
				dir := t.TempDir()
				args := []string{"--appendonly", "yes", "--aof-use-rdb-preamble", preamble, "--rdb-key-save-delay", "100"}
				a := start(t, mode, dir, args...)
				fillForSnapshot(t, a.addr, n)
				c := a.client()
				if got := c.Do(ctxT(t), "BGREWRITEAOF").Val(); got != "Background append only file rewriting started" {
					t.Fatalf("BGREWRITEAOF: %v", got)
				}
				// The point-in-time view opens once the job has prepared
				// the next incr file (current_save_keys_total is set then):
				// writes before it are in the base, as values, after it in
				// the incr file, as commands (which keep the encodings the
				// comparison below checks).
				waitSnapshotOpen(t, c)
				var wg sync.WaitGroup
				for w := 0; w < 4; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						mutate(t, a.addr, 0, n, w, 4)
					}()
				}
				wg.Wait()
				if info := c.Info(ctxT(t), "persistence").Val(); !strings.Contains(info, "aof_rewrite_in_progress:1") {
					t.Fatalf("the writes did not overlap the rewrite\n%s", info)
				}
				waitIdle(t, a)
				if info := c.Info(ctxT(t), "persistence").Val(); !strings.Contains(info, "aof_last_bgrewrite_status:ok") {
					t.Fatalf("rewrite failed:\n%s\n%s", info, a.log)
				}
				want := dataset(t, a.addr)
				a.shutdown(false)
				b := start(t, mode, dir, args...)
				sameDataset(t, want, dataset(t, b.addr))
			})
		}
	})
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// waitSnapshotOpen waits until the background job in progress has opened
// its point-in-time view (INFO's current_save_keys_total is set).
func waitSnapshotOpen(t testing.TB, c *redis.Client) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		info := c.Info(ctxT(t), "persistence").Val()
		if !strings.Contains(info, "current_save_keys_total:0\r") {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the background job did not open its snapshot")
}
