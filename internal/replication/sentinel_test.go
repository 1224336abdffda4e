package replication_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// startSentinel starts redis-server in sentinel mode watching master as
// "mymaster" with quorum 2, and returns its address.
func startSentinel(t *testing.T, master string) string {
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
	host, mport, _ := net.SplitHostPort(master)
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor mymaster %s %s 2\n"+
		"sentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 10000\n"+
		"sentinel parallel-syncs mymaster 1\n", port, dir, host, mport)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, conf, "--sentinel")
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
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// TestSentinelFailover: three sentinels watch our master and two
// replicas; the master dies, a replica is promoted, the other follows it,
// go-redis's FailoverClient keeps writing, and writes acknowledged with
// WAIT 1 before the kill survive.
func TestSentinelFailover(t *testing.T) {
	if os.Getenv("REPL_INTEROP") == "" {
		t.Skip("set REPL_INTEROP=1 to test with redis-sentinel (scripts/repl-interop.sh)")
	}
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		r1, r2 := start(t, m.Mode), start(t, m.Mode)
		replicaOf(t, r1, m)
		replicaOf(t, r2, m)
		waitSynced(t, m.Addr, r1.Addr)
		waitSynced(t, m.Addr, r2.Addr)
		var sentinels []string
		for i := 0; i < 3; i++ {
			sentinels = append(sentinels, startSentinel(t, m.Addr))
		}
		// Wait until every sentinel knows both replicas and the others.
		for _, s := range sentinels {
			sc := redis.NewSentinelClient(&redis.Options{Addr: s})
			defer sc.Close()
			deadline := time.Now().Add(30 * time.Second)
			for {
				reps, _ := sc.Replicas(ctx, "mymaster").Result()
				sens, _ := sc.Sentinels(ctx, "mymaster").Result()
				if len(reps) == 2 && len(sens) == 2 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("sentinel %s sees %d replicas and %d sentinels", s, len(reps), len(sens))
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		fc := redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName: "mymaster", SentinelAddrs: sentinels, Protocol: 2, DisableIdentity: true,
			MaxRetries: 3, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
		})
		defer fc.Close()
		// Writes acknowledged by a replica (WAIT 1) before the kill.
		var durable []string
		for i := 0; i < 50; i++ {
			k := "durable:" + strconv.Itoa(i)
			if err := fc.Set(ctx, k, i, 0).Err(); err != nil {
				t.Fatalf("SET: %v", err)
			}
			if n, err := fc.Do(ctx, "WAIT", "1", "1000").Int(); err != nil || n < 1 {
				t.Fatalf("WAIT 1 1000: %d %v", n, err)
			}
			durable = append(durable, k)
		}
		// A writer that keeps going through the failover.
		var ok, failed atomic.Int64
		var lastOK atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := fc.Set(ctx, "w:"+strconv.Itoa(i), i, 0).Err(); err != nil {
					failed.Add(1)
					time.Sleep(20 * time.Millisecond)
					continue
				}
				ok.Add(1)
				lastOK.Store(time.Now().UnixNano())
			}
		}()
		time.Sleep(300 * time.Millisecond)
		m.Srv.Stop()
		killed := time.Now()
		sc := redis.NewSentinelClient(&redis.Options{Addr: sentinels[0]})
		defer sc.Close()
		var newMaster string
		for deadline := time.Now().Add(40 * time.Second); ; {
			addr, err := sc.GetMasterAddrByName(ctx, "mymaster").Result()
			if err == nil && len(addr) == 2 && net.JoinHostPort(addr[0], addr[1]) != m.Addr {
				newMaster = net.JoinHostPort(addr[0], addr[1])
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no failover within 40 s")
			}
			time.Sleep(100 * time.Millisecond)
		}
		other := r2.Addr
		if newMaster == r2.Addr {
			other = r1.Addr
		} else if newMaster != r1.Addr {
			t.Fatalf("promoted %s, not one of our replicas", newMaster)
		}
		t.Logf("failover to %s after %v", newMaster, time.Since(killed))
		// The writer goes on against the new master.
		for deadline := time.Now().Add(20 * time.Second); lastOK.Load() < time.Now().Add(-200*time.Millisecond).UnixNano() || time.Unix(0, lastOK.Load()).Before(killed.Add(time.Second)); {
			if time.Now().After(deadline) {
				t.Fatalf("no write succeeded after the failover (ok %d, failed %d)", ok.Load(), failed.Load())
			}
			time.Sleep(50 * time.Millisecond)
		}
		close(stop)
		wg.Wait()
		if role := info(t, newMaster, "replication")["role"]; role != "master" {
			t.Fatalf("new master's role %s", role)
		}
		// The other replica follows the new master.
		for deadline := time.Now().Add(30 * time.Second); ; {
			ri := info(t, other, "replication")
			if net.JoinHostPort(ri["master_host"], ri["master_port"]) == newMaster && ri["master_link_status"] == "up" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the other replica does not follow the new master: %v", ri)
			}
			time.Sleep(100 * time.Millisecond)
		}
		nc := dbClient(t, newMaster, 0)
		for _, k := range durable {
			if nc.Exists(ctx, k).Val() != 1 {
				t.Fatalf("write %s acknowledged with WAIT 1 lost in the failover", k)
			}
		}
		waitSynced(t, newMaster, other)
		sameDataset(t, newMaster, other)
		t.Logf("writes: %d ok, %d failed during the failover", ok.Load(), failed.Load())
	}, "--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1")
}
