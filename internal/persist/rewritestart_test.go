package persist_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/persist"
)

// TestRewriteStartOutsideDataLock: BGREWRITEAOF creates the next incr file
// and saves the manifest naming it before it takes the data lock, so
// clients are served meanwhile; their writes still go to the old incr
// file, which that manifest keeps naming. A crash then (a copy of the
// directory, as a killed process leaves it), and a crash after the switch,
// both load every acknowledged write.
func TestRewriteStartOutsideDataLock(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		dir := t.TempDir()
		n := start(t, mode, dir, "--appendonly", "yes", "--appendfsync", "always", "--aof-use-rdb-preamble", "no")
		c := n.client()
		ctx := ctxT(t)
		for i := 0; i < 200; i++ {
			if err := c.Set(ctx, fmt.Sprint("k", i), i, 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		prepared := make(chan struct{})
		release := make(chan struct{})
		restore := persist.SetTestHookPrepared(func() {
			close(prepared)
			<-release
		})
		released := false
		t.Cleanup(func() {
			if !released {
				close(release)
			}
			restore()
		})
		if got := c.BgRewriteAOF(ctx).Val(); got != "Background append only file rewriting started" {
			t.Fatalf("BGREWRITEAOF: %q", got)
		}
		<-prepared
		man, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
		if err != nil {
			t.Fatal(err)
		}
		if want := "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n"; string(man) != want {
			t.Fatalf("manifest between the save and the switch:\n%s", man)
		}
		if info := c.Info(ctx, "persistence").Val(); !strings.Contains(info, "aof_rewrite_in_progress:1") {
			t.Fatal("rewrite not in progress")
		}
		// Served (and acknowledged) between the manifest save and the switch.
		for i := 0; i < 100; i++ {
			if err := c.Set(ctx, fmt.Sprint("k", i), fmt.Sprint("between-", i), 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		if st, _ := os.Stat(filepath.Join(dir, "appendonlydir", "appendonly.aof.2.incr.aof")); st == nil || st.Size() != 0 {
			t.Fatalf("the new incr file is not empty before the switch: %v", st)
		}
		want := dataset(t, n.addr)
		crashed := t.TempDir()
		copyDir(t, dir, crashed)
		m := start(t, mode, crashed, "--appendonly", "yes")
		sameDataset(t, want, dataset(t, m.addr))
		m.stop()

		close(release)
		released = true
		waitIdle(t, n)
		if info := c.Info(ctx, "persistence").Val(); !strings.Contains(info, "aof_last_bgrewrite_status:ok") {
			t.Fatalf("rewrite failed:\n%s", info)
		}
		for i := 100; i < 200; i++ {
			if err := c.Set(ctx, fmt.Sprint("k", i), fmt.Sprint("after-", i), 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		want = dataset(t, n.addr)
		crashed = t.TempDir()
		copyDir(t, dir, crashed)
		m = start(t, mode, crashed, "--appendonly", "yes")
		sameDataset(t, want, dataset(t, m.addr))
	})
}
