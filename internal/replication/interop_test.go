package replication_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// The interoperability tests run against Debian's redis-server 7.0 when
// REPL_INTEROP is set (scripts/repl-interop.sh, run by CI).

// startRedis starts a redis-server on a free port and returns its address.
func startRedis(t *testing.T, directives ...string) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatalf("redis-server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", t.TempDir(), "--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1"}, directives...)
	cmd := exec.Command(bin, args...)
	if testing.Verbose() {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true})
	defer c.Close()
	for deadline := time.Now().Add(10 * time.Second); c.Ping(context.Background()).Err() != nil; {
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return addr
}

// killLink drops the replication link by killing clients of typ on addr
// and waits until the replica at replicaAddr is up again.
func killLink(t *testing.T, addr, typ, replicaAddr string) {
	t.Helper()
	if err := dbClient(t, addr, 0).Do(context.Background(), "CLIENT", "KILL", "TYPE", typ).Err(); err != nil {
		t.Fatalf("CLIENT KILL TYPE %s: %v", typ, err)
	}
	time.Sleep(50 * time.Millisecond)
	for deadline := time.Now().Add(15 * time.Second); info(t, replicaAddr, "replication")["master_link_status"] != "up"; {
		if time.Now().After(deadline) {
			t.Fatal("the replica did not reconnect")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestInterop(t *testing.T) {
	if os.Getenv("REPL_INTEROP") == "" {
		t.Skip("set REPL_INTEROP=1 to test against redis-server (scripts/repl-interop.sh)")
	}
	for i, mode := range servertest.Modes {
		diskless := []string{"yes", "no"}[i]
		t.Run("our-replica-of-redis/"+mode+"/diskless="+diskless, func(t *testing.T) {
			rm := startRedis(t, "--repl-diskless-sync", diskless, "--repl-backlog-size", "64mb")
			ours := start(t, mode)
			fill(t, rm, 0, 2000)
			fill(t, rm, 5, 200)
			l := startLoad(t, rm, 2)
			replicaOfAddr(t, ours.Addr, rm)
			waitLinkUp(t, ours.Addr)
			time.Sleep(200 * time.Millisecond)
			killLink(t, rm, "replica", ours.Addr)
			time.Sleep(200 * time.Millisecond)
			killLink(t, ours.Addr, "master", ours.Addr)
			time.Sleep(200 * time.Millisecond)
			l.end()
			waitSynced(t, rm, ours.Addr)
			sameDataset(t, rm, ours.Addr)
			if full, partial := syncStats(t, rm); full != 1 || partial != 2 {
				t.Fatalf("redis master: sync_full=%d sync_partial_ok=%d, want 1 and 2", full, partial)
			}
		})
		t.Run("redis-replica-of-ours/"+mode+"/diskless="+diskless, func(t *testing.T) {
			m := start(t, mode, "--repl-diskless-sync", diskless, "--repl-backlog-size", "64mb")
			rr := startRedis(t)
			fill(t, m.Addr, 0, 2000)
			fill(t, m.Addr, 5, 200)
			l := startLoad(t, m.Addr, 2)
			replicaOfAddr(t, rr, m.Addr)
			waitLinkUp(t, rr)
			time.Sleep(200 * time.Millisecond)
			killLink(t, m.Addr, "replica", rr)
			time.Sleep(200 * time.Millisecond)
			killLink(t, rr, "master", rr)
			time.Sleep(200 * time.Millisecond)
			l.end()
			waitSynced(t, m.Addr, rr)
			sameDataset(t, m.Addr, rr)
			if full, partial := syncStats(t, m.Addr); full != 1 || partial != 2 {
				t.Fatalf("our master: sync_full=%d sync_partial_ok=%d, want 1 and 2", full, partial)
			}
		})
	}
}

// waitLinkUp waits until the replica at addr finished its first sync.
func waitLinkUp(t *testing.T, addr string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); info(t, addr, "replication")["master_link_status"] != "up"; {
		if time.Now().After(deadline) {
			t.Fatal("the replica did not sync")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
