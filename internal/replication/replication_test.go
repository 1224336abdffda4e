package replication_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/replication"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// syncStats returns a server's sync_full and sync_partial_ok.
func syncStats(t *testing.T, addr string) (full, partial int) {
	st := info(t, addr, "stats")
	full, _ = strconv.Atoi(st["sync_full"])
	partial, _ = strconv.Atoi(st["sync_partial_ok"])
	return full, partial
}

// TestFullSync replicates a populated master, diskless and disk-based,
// with writes during and after the sync.
func TestFullSync(t *testing.T) {
	for _, diskless := range []string{"yes", "no"} {
		for _, mode := range servertest.Modes {
			t.Run(mode+"/diskless="+diskless, func(t *testing.T) {
				m := start(t, mode, "--repl-diskless-sync", diskless)
				r := start(t, mode)
				fill(t, m.Addr, 0, 3000)
				fill(t, m.Addr, 5, 500)
				l := startLoad(t, m.Addr, 2)
				replicaOf(t, r, m)
				time.Sleep(300 * time.Millisecond)
				l.end()
				waitSynced(t, m.Addr, r.Addr)
				sameDataset(t, m.Addr, r.Addr)
				if full, _ := syncStats(t, m.Addr); full != 1 {
					t.Fatalf("sync_full = %d, want 1", full)
				}
				mi := info(t, m.Addr, "replication")
				if mi["connected_slaves"] != "1" || !strings.Contains(mi["slave0"], "state=online") {
					t.Fatalf("master INFO replication: %v", mi)
				}
				ri := info(t, r.Addr, "replication")
				if ri["role"] != "slave" || ri["master_replid"] != mi["master_replid"] {
					t.Fatalf("replica INFO replication: %v", ri)
				}
			})
		}
	}
}

// TestPartialResyncUnderLoad kills the link repeatedly while the master
// takes writes: every reconnection is a partial resync from the backlog.
func TestPartialResyncUnderLoad(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		r := start(t, m.Mode)
		fill(t, m.Addr, 0, 200)
		replicaOf(t, r, m)
		waitSynced(t, m.Addr, r.Addr)
		l := startLoad(t, m.Addr, 2)
		ctx := context.Background()
		for i := 0; i < 4; i++ {
			time.Sleep(150 * time.Millisecond)
			typ := "master"
			target := r
			if i%2 == 1 {
				typ, target = "replica", m
			}
			if err := target.Client().Do(ctx, "CLIENT", "KILL", "TYPE", typ).Err(); err != nil {
				t.Fatalf("CLIENT KILL TYPE %s: %v", typ, err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for info(t, r.Addr, "replication")["master_link_status"] != "up" || info(t, m.Addr, "replication")["connected_slaves"] != "1" {
				if time.Now().After(deadline) {
					t.Fatal("replica did not reconnect")
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		l.end()
		waitSynced(t, m.Addr, r.Addr)
		sameDataset(t, m.Addr, r.Addr)
		full, partial := syncStats(t, m.Addr)
		if full != 1 || partial != 4 {
			t.Fatalf("sync_full=%d sync_partial_ok=%d, want 1 and 4", full, partial)
		}
	}, "--repl-diskless-sync-delay", "0", "--repl-backlog-size", "16mb")
}

// TestReplicaRestart stops a replica and starts a new one in its place
// while the master keeps writing.
func TestReplicaRestart(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		r := start(t, m.Mode)
		fill(t, m.Addr, 0, 500)
		replicaOf(t, r, m)
		waitSynced(t, m.Addr, r.Addr)
		l := startLoad(t, m.Addr, 1)
		r.Srv.Stop()
		time.Sleep(200 * time.Millisecond)
		r2 := start(t, m.Mode, "--replicaof", "127.0.0.1", strconv.Itoa(m.Port))
		time.Sleep(200 * time.Millisecond)
		l.end()
		waitSynced(t, m.Addr, r2.Addr)
		sameDataset(t, m.Addr, r2.Addr)
	}, "--repl-diskless-sync-delay", "0")
}

// TestReplicaRestartPartial restarts a replica from its own RDB (SHUTDOWN
// SAVE): the replication id and offset it saved let it continue with a
// partial resync.
func TestReplicaRestartPartial(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		dir := t.TempDir()
		r := start(t, m.Mode, "--dir", dir)
		fill(t, m.Addr, 0, 300)
		replicaOf(t, r, m)
		waitSynced(t, m.Addr, r.Addr)
		dbClient(t, m.Addr, 5).Set(ctx, "in-db-5", "x", 0)
		waitSynced(t, m.Addr, r.Addr)
		raw := r.Raw()
		raw.Send(servertest.Encode("SHUTDOWN", "SAVE"))
		select {
		case <-r.Srv.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("the replica did not shut down")
		}
		// The stream goes on in database 5 while the replica is away.
		dbClient(t, m.Addr, 5).Set(ctx, "while-away", "y", 0)
		r2 := start(t, m.Mode, "--dir", dir, "--replicaof", "127.0.0.1", strconv.Itoa(m.Port))
		waitSynced(t, m.Addr, r2.Addr)
		sameDataset(t, m.Addr, r2.Addr)
		if full, partial := syncStats(t, m.Addr); full != 1 || partial != 1 {
			t.Fatalf("sync_full=%d sync_partial_ok=%d, want 1 and 1", full, partial)
		}
	}, "--repl-diskless-sync-delay", "0")
}

// TestChainedReplicas replicates master → r1 → r2: r1 proxies the stream,
// so all three have the same offset and dataset.
func TestChainedReplicas(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		r1 := start(t, m.Mode)
		r2 := start(t, m.Mode)
		fill(t, m.Addr, 0, 300)
		replicaOf(t, r1, m)
		waitSynced(t, m.Addr, r1.Addr)
		// r2 attaches to r1 while the stream flows (its sync point falls
		// anywhere in the stream, in either database).
		l := startLoad(t, m.Addr, 2)
		time.Sleep(100 * time.Millisecond)
		replicaOf(t, r2, r1)
		time.Sleep(300 * time.Millisecond)
		l.end()
		waitSynced(t, m.Addr, r1.Addr)
		waitSynced(t, r1.Addr, r2.Addr)
		sameDataset(t, m.Addr, r2.Addr)
		if a, b := info(t, m.Addr, "replication")["master_repl_offset"], info(t, r2.Addr, "replication")["master_repl_offset"]; a != b {
			t.Fatalf("offsets differ: master %s, sub-replica %s", a, b)
		}
	}, "--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1")
}

// TestWait checks WAIT with enough and too few replicas.
func TestWait(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		c := m.Client()
		if n, err := c.Do(ctx, "WAIT", "1", "50").Int(); err != nil || n != 0 {
			t.Fatalf("WAIT without replicas: %d %v", n, err)
		}
		r := start(t, m.Mode)
		replicaOf(t, r, m)
		waitSynced(t, m.Addr, r.Addr)
		for i := 0; i < 50; i++ {
			c.Set(ctx, "w"+strconv.Itoa(i), i, 0)
			n, err := c.Do(ctx, "WAIT", "1", "0").Int()
			if err != nil || n != 1 {
				t.Fatalf("WAIT 1 0: %d %v", n, err)
			}
			if v, _ := r.Client().Get(ctx, "w"+strconv.Itoa(i)).Result(); v != strconv.Itoa(i) {
				t.Fatalf("after WAIT the replica has %q", v)
			}
		}
		t0 := time.Now()
		n, err := c.Do(ctx, "WAIT", "2", "200").Int()
		if err != nil || n != 1 {
			t.Fatalf("WAIT 2 200: %d %v", n, err)
		}
		if time.Since(t0) < 150*time.Millisecond {
			t.Fatalf("WAIT 2 200 returned after %v", time.Since(t0))
		}
		raw := m.Raw()
		if v := raw.Do("WAIT", "x", "0"); v.Str != "ERR value is not an integer or out of range" {
			t.Fatalf("WAIT x: %+v", v)
		}
		if v := raw.Do("WAIT", "1", "-1"); v.Str != "ERR timeout is negative" {
			t.Fatalf("WAIT 1 -1: %+v", v)
		}
		if v := r.Raw().Do("WAIT", "1", "0"); !strings.HasPrefix(v.Str, "ERR WAIT cannot be used with replica instances") {
			t.Fatalf("WAIT on a replica: %+v", v)
		}
		sameDataset(t, m.Addr, r.Addr)
	}, "--repl-diskless-sync-delay", "0")
}

// TestReplicaRefusals checks -READONLY, -MASTERDOWN and ROLE.
func TestReplicaRefusals(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		m.Client().Set(ctx, "k", "v", 0)
		r := start(t, m.Mode)
		replicaOf(t, r, m)
		waitSynced(t, m.Addr, r.Addr)
		raw := r.Raw()
		if v := raw.Do("SET", "a", "b"); v.Str != "READONLY You can't write against a read only replica." {
			t.Fatalf("SET on a replica: %+v", v)
		}
		raw.Send(servertest.Encode("MULTI"))
		raw.Read()
		if v := raw.Do("SET", "a", "b"); v.Str != "READONLY You can't write against a read only replica." {
			t.Fatalf("SET in MULTI on a replica: %+v", v)
		}
		if v := raw.Do("EXEC"); !strings.HasPrefix(v.Str, "EXECABORT") {
			t.Fatalf("EXEC: %+v", v)
		}
		if v := r.Raw().Do("CONFIG", "GET", "replicaof"); len(v.Array) != 2 || v.Array[1].Str != "127.0.0.1 "+strconv.Itoa(m.Port) {
			t.Fatalf("CONFIG GET replicaof: %+v", v)
		}
		role := r.Raw().Do("ROLE")
		if len(role.Array) != 5 || role.Array[0].Str != "slave" || role.Array[3].Str != "connected" || role.Array[2].Int != int64(m.Port) {
			t.Fatalf("ROLE on the replica: %+v", role)
		}
		mrole := m.Raw().Do("ROLE")
		if len(mrole.Array) != 3 || mrole.Array[0].Str != "master" || len(mrole.Array[2].Array) != 1 {
			t.Fatalf("ROLE on the master: %+v", mrole)
		}
		if v := raw.Do("CLIENT", "LIST"); !strings.Contains(v.Str, "flags=M") {
			t.Fatalf("CLIENT LIST on the replica shows no master: %s", v.Str)
		}
		if v := m.Raw().Do("CLIENT", "LIST"); !strings.Contains(v.Str, "flags=S") {
			t.Fatalf("CLIENT LIST on the master shows no replica: %s", v.Str)
		}
		// The master goes away: stale data is served by default, refused
		// with replica-serve-stale-data no.
		m.Srv.Stop()
		deadline := time.Now().Add(5 * time.Second)
		for info(t, r.Addr, "replication")["master_link_status"] != "down" && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if v := raw.Do("GET", "k"); v.Str != "v" {
			t.Fatalf("GET with stale data served: %+v", v)
		}
		raw.Do("CONFIG", "SET", "replica-serve-stale-data", "no")
		if v := raw.Do("GET", "k"); v.Str != "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'." {
			t.Fatalf("GET with the link down: %+v", v)
		}
		if v := raw.Do("PING"); v.Str != "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'." {
			t.Fatalf("PING with the link down: %+v", v)
		}
		if v := raw.Do("INFO", "replication"); !strings.Contains(v.Str, "master_link_status:down") {
			t.Fatalf("INFO with the link down: %+v", v)
		}
		if v := raw.Do("REPLICAOF", "NO", "ONE"); v.Str != "OK" {
			t.Fatalf("REPLICAOF NO ONE: %+v", v)
		}
		if v := raw.Do("SET", "a", "b"); v.Str != "OK" {
			t.Fatalf("SET after promotion: %+v", v)
		}
		if v := raw.Do("REPLICAOF", "127.0.0.1", "70000"); v.Str != "ERR Invalid master port" {
			t.Fatalf("REPLICAOF bad port: %+v", v)
		}
	}, "--repl-diskless-sync-delay", "0")
}

// TestMinReplicas checks min-replicas-to-write.
func TestMinReplicas(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		raw := m.Raw()
		raw.Do("CONFIG", "SET", "min-replicas-to-write", "1")
		if v := raw.Do("SET", "a", "b"); v.Str != "NOREPLICAS Not enough good replicas to write." {
			t.Fatalf("SET without replicas: %+v", v)
		}
		if v := raw.Do("GET", "a"); v.Type == '-' {
			t.Fatalf("GET refused: %+v", v)
		}
		r := start(t, m.Mode)
		replicaOf(t, r, m)
		deadline := time.Now().Add(10 * time.Second)
		for {
			if v := raw.Do("SET", "a", "b"); v.Str == "OK" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("writes still refused with a replica")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}, "--repl-diskless-sync-delay", "0")
}

// TestPSYNC2AfterPromotion promotes a replica and points the other one at
// it: the second replica continues partially (the old id is replid2).
func TestPSYNC2AfterPromotion(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		r1 := start(t, m.Mode)
		r2 := start(t, m.Mode)
		fill(t, m.Addr, 0, 200)
		replicaOf(t, r1, m)
		replicaOf(t, r2, m)
		waitSynced(t, m.Addr, r1.Addr)
		waitSynced(t, m.Addr, r2.Addr)
		ctx := context.Background()
		oldID := info(t, r1.Addr, "replication")["master_replid"]
		if err := r1.Client().Do(ctx, "REPLICAOF", "NO", "ONE").Err(); err != nil {
			t.Fatal(err)
		}
		ri := info(t, r1.Addr, "replication")
		if ri["master_replid2"] != oldID || ri["role"] != "master" {
			t.Fatalf("after promotion: %v", ri)
		}
		replicaOf(t, r2, r1)
		r1.Client().Set(ctx, "after", "promotion", 0)
		waitSynced(t, r1.Addr, r2.Addr)
		if full, partial := syncStats(t, r1.Addr); full != 0 || partial != 1 {
			t.Fatalf("new master: sync_full=%d sync_partial_ok=%d, want 0 and 1", full, partial)
		}
		sameDataset(t, r1.Addr, r2.Addr)
	}, "--repl-diskless-sync-delay", "0")
}

// TestExpiryOnReplica checks that a replica does not expire keys itself:
// they go when the master's DEL arrives.
func TestExpiryOnReplica(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		r := start(t, m.Mode)
		replicaOf(t, r, m)
		waitSynced(t, m.Addr, r.Addr)
		mc := m.Client()
		mc.Set(ctx, "gone", "v", 100*time.Millisecond)
		mc.Set(ctx, "kept", "v", 0)
		waitSynced(t, m.Addr, r.Addr)
		time.Sleep(300 * time.Millisecond)
		rc := r.Client()
		if n := rc.Exists(ctx, "gone").Val(); n != 0 {
			t.Fatalf("expired key visible on the replica")
		}
		// The master removes it (lazily here) and sends DEL.
		mc.Get(ctx, "gone")
		waitSynced(t, m.Addr, r.Addr)
		if n := rc.DBSize(ctx).Val(); n != 1 {
			t.Fatalf("replica DBSIZE %d, want 1", n)
		}
		sameDataset(t, m.Addr, r.Addr)
	}, "--repl-diskless-sync-delay", "0")
}

// TestManagerFor checks the package is set up on test servers.
func TestManagerFor(t *testing.T) {
	s := servertest.Start(t, servertest.Modes[0])
	if replication.For(s.Srv.Core()) == nil {
		t.Fatal("no replication manager")
	}
}
