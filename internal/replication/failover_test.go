package replication_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestFailover runs FAILOVER TO a replica: roles swap, the old master
// follows the new one with a partial resync, and no write is lost.
func TestFailover(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		raw := m.Raw()
		if v := raw.Do("FAILOVER"); v.Str != "ERR FAILOVER requires connected replicas." {
			t.Fatalf("FAILOVER without replicas: %+v", v)
		}
		if v := raw.Do("FAILOVER", "ABORT"); v.Str != "ERR No failover in progress." {
			t.Fatalf("FAILOVER ABORT: %+v", v)
		}
		r1, r2 := start(t, m.Mode), start(t, m.Mode)
		fill(t, m.Addr, 0, 200)
		replicaOf(t, r1, m)
		replicaOf(t, r2, m)
		waitSynced(t, m.Addr, r1.Addr)
		waitSynced(t, m.Addr, r2.Addr)
		if v := raw.Do("FAILOVER", "TO", "127.0.0.1", "1"); v.Str != "ERR FAILOVER target HOST and PORT is not a replica." {
			t.Fatalf("FAILOVER TO a stranger: %+v", v)
		}
		if v := raw.Do("FAILOVER", "TO", "127.0.0.1", strconv.Itoa(r1.Port), "FORCE"); v.Str != "ERR FAILOVER with force option requires both a timeout and target HOST and IP." {
			t.Fatalf("FAILOVER FORCE without timeout: %+v", v)
		}
		if v := raw.Do("FAILOVER", "TIMEOUT", "0"); v.Str != "ERR FAILOVER timeout must be greater than 0" {
			t.Fatalf("FAILOVER TIMEOUT 0: %+v", v)
		}
		m.Client().Set(ctx, "before", "failover", 0)
		if v := raw.Do("FAILOVER", "TO", "127.0.0.1", strconv.Itoa(r1.Port), "TIMEOUT", "5000"); v.Str != "OK" {
			t.Fatalf("FAILOVER TO r1: %+v", v)
		}
		deadline := time.Now().Add(15 * time.Second)
		for {
			mi, ri := info(t, m.Addr, "replication"), info(t, r1.Addr, "replication")
			if ri["role"] == "master" && mi["role"] == "slave" && mi["master_port"] == strconv.Itoa(r1.Port) &&
				mi["master_link_status"] == "up" && mi["master_failover_state"] == "no-failover" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("failover did not complete: old master %v, new master %v", mi, ri)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// Writes go to the new master; the old one is read-only now.
		r1.Client().Set(ctx, "after", "failover", 0)
		if v := m.Raw().Do("SET", "x", "y"); v.Str != "READONLY You can't write against a read only replica." {
			t.Fatalf("SET on the old master: %+v", v)
		}
		waitSynced(t, r1.Addr, m.Addr)
		sameDataset(t, r1.Addr, m.Addr)
		if _, partial := syncStats(t, r1.Addr); partial < 1 {
			t.Fatalf("the old master did not continue partially (sync_partial_ok %d)", partial)
		}
		if v, _ := m.Client().Get(ctx, "before").Result(); v != "failover" {
			t.Fatalf("write before the failover: %q", v)
		}
	}, "--repl-diskless-sync-delay", "0")
}
