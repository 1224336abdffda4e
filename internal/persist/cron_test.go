package persist_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSeedAOFFromRDB: turning appendonly on over a directory that only
// has dump.rdb loads it and makes it the AOF's base, so the data survives
// even once dump.rdb is gone.
func TestSeedAOFFromRDB(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		dir := t.TempDir()
		a := start(t, mode, dir, "--appendonly", "no")
		populate(t, a.addr)
		want := dataset(t, a.addr)
		a.shutdown(true)
		for _, preamble := range []string{"yes", "no"} {
			b := start(t, mode, dir, "--appendonly", "yes", "--aof-use-rdb-preamble", preamble)
			sameDataset(t, want, dataset(t, b.addr))
			if !strings.Contains(b.log.String(), "DB loaded from disk") {
				t.Errorf("the RDB was not loaded:\n%s", b.log)
			}
			b.shutdown(false)
			if err := os.Remove(filepath.Join(dir, "dump.rdb")); err != nil {
				t.Fatal(err)
			}
			c := start(t, mode, dir, "--appendonly", "yes", "--aof-use-rdb-preamble", preamble)
			sameDataset(t, want, dataset(t, c.addr))
			c.shutdown(true) // dump.rdb again, for the next round
			if err := os.RemoveAll(filepath.Join(dir, "appendonlydir")); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestSavePoint: "save 1 1" snapshots in the cron after a change, with
// Redis's log line, and LASTSAVE / rdb_changes_since_last_save follow.
func TestSavePoint(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		dir := t.TempDir()
		n := start(t, mode, dir, "--save", "1 1", "--hz", "50")
		c := n.client()
		ctx := ctxT(t)
		before := c.LastSave(ctx).Val()
		c.Set(ctx, "k", "v", 0)
		deadline := time.Now().Add(5 * time.Second)
		for c.LastSave(ctx).Val() == before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if c.LastSave(ctx).Val() == before {
			t.Fatal("no save within 5 s")
		}
		waitIdle(t, n)
		if !strings.Contains(n.log.String(), "1 changes in 1 seconds. Saving...") {
			t.Errorf("log lacks the save point line:\n%s", n.log)
		}
		info := c.Info(ctx, "persistence").Val()
		if !strings.Contains(info, "rdb_changes_since_last_save:0\r\n") || !strings.Contains(info, "rdb_saves:1\r\n") {
			t.Errorf("INFO:\n%s", info)
		}
		if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAutoRewrite: the AOF is rewritten in the cron once it grew past
// auto-aof-rewrite-min-size and auto-aof-rewrite-percentage.
func TestAutoRewrite(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		dir := t.TempDir()
		n := start(t, mode, dir, "--appendonly", "yes", "--auto-aof-rewrite-min-size", "64kb",
			"--auto-aof-rewrite-percentage", "100", "--hz", "50")
		c := n.client()
		ctx := ctxT(t)
		val := strings.Repeat("v", 1000)
		for i := 0; i < 100; i++ {
			c.Set(ctx, "same-key", val, 0)
		}
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(c.Info(ctx, "persistence").Val(), "aof_rewrites:1") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		waitIdle(t, n)
		info := c.Info(ctx, "persistence").Val()
		if !strings.Contains(info, "aof_rewrites:1\r\n") || !strings.Contains(info, "aof_last_bgrewrite_status:ok") {
			t.Fatalf("INFO:\n%s", info)
		}
		if !strings.Contains(n.log.String(), "Starting automatic rewriting of AOF on") {
			t.Errorf("log lacks Redis's line:\n%s", n.log)
		}
		n.shutdown(false)
		b := start(t, mode, dir, "--appendonly", "yes")
		if got := b.client().Get(ctx, "same-key").Val(); got != val {
			t.Fatalf("after restart: %q", got)
		}
	})
}
