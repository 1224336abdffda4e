package replication_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// fakeMaster accepts replicas, answers their handshake and sends payload
// after +FULLRESYNC. It returns its address and a count of syncs served.
func fakeMaster(t *testing.T, payload string) (string, chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	served := make(chan struct{}, 100)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					args, err := readCommand(br)
					if err != nil {
						return
					}
					switch strings.ToUpper(args[0]) {
					case "PING":
						io.WriteString(c, "+PONG\r\n")
					case "PSYNC":
						io.WriteString(c, "+FULLRESYNC 0123456789012345678901234567890123456789 0\r\n")
						io.WriteString(c, payload)
						served <- struct{}{}
						time.Sleep(100 * time.Millisecond)
						return
					default:
						io.WriteString(c, "+OK\r\n")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String(), served
}

// readCommand reads one RESP multibulk request.
func readCommand(br *bufio.Reader) ([]string, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	var n int
	if _, err := fmt.Sscanf(line, "*%d", &n); err != nil {
		return nil, err
	}
	args := make([]string, n)
	for i := range args {
		l, err := br.ReadString('\n')
		if err != nil {
			return nil, err
		}
		var size int
		if _, err := fmt.Sscanf(l, "$%d", &size); err != nil {
			return nil, err
		}
		b := make([]byte, size+2)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, err
		}
		args[i] = string(b[:size])
	}
	return args, nil
}

// TestCorruptRDBKeepsData: a master that sends a corrupt RDB leaves the
// replica with its old data.
func TestCorruptRDBKeepsData(t *testing.T) {
	for _, payload := range []string{
		"$20\r\nREDIS0010garbage!!!!", // bad contents
		"$EOF:" + strings.Repeat("a", 40) + "\r\nREDIS0010\xfe\x00" + strings.Repeat("a", 40), // truncated
	} {
		servertest.ForEachMode(t, func(t *testing.T, r *servertest.Server) {
			ctx := context.Background()
			c := r.Client()
			c.Set(ctx, "mine", "kept", 0)
			addr, served := fakeMaster(t, payload)
			replicaOfAddr(t, r.Addr, addr)
			for i := 0; i < 2; i++ {
				select {
				case <-served:
				case <-time.After(10 * time.Second):
					t.Fatal("the replica never asked for a sync")
				}
			}
			time.Sleep(100 * time.Millisecond)
			if v, err := c.Get(ctx, "mine").Result(); err != nil || v != "kept" {
				t.Fatalf("after a corrupt RDB: %q %v", v, err)
			}
			if st := info(t, r.Addr, "replication")["master_link_status"]; st != "down" {
				t.Fatalf("master_link_status %s", st)
			}
		})
	}
}

// TestGarbageFromReplica: a replica that sends garbage is dropped; the
// master and its other replicas go on.
func TestGarbageFromReplica(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		good := start(t, m.Mode)
		replicaOf(t, good, m)
		fill(t, m.Addr, 0, 100)
		bad := m.Raw()
		bad.Send(servertest.Encode("REPLCONF", "capa", "eof"))
		bad.Read()
		bad.Send(servertest.Encode("PSYNC", "?", "-1"))
		if l := bad.ReadLine(); !strings.HasPrefix(l, "+FULLRESYNC ") {
			t.Fatalf("PSYNC reply %q", l)
		}
		bad.Send("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$abc\r\n")
		bad.ExpectClosed(5 * time.Second)
		m.Client().Set(ctx, "after", "garbage", 0)
		waitSynced(t, m.Addr, good.Addr)
		sameDataset(t, m.Addr, good.Addr)
		if n := info(t, m.Addr, "replication")["connected_slaves"]; n != "1" {
			t.Fatalf("connected_slaves %s", n)
		}
	}, "--repl-diskless-sync-delay", "0")
}

// TestStalledReplicaDropped: a replica that stops reading is dropped once
// its output passes client-output-buffer-limit replica; clients and the
// other replica go on.
func TestStalledReplicaDropped(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, m *servertest.Server) {
		ctx := context.Background()
		good := start(t, m.Mode)
		replicaOf(t, good, m)
		waitSynced(t, m.Addr, good.Addr)
		stalled := m.Raw()
		stalled.Send(servertest.Encode("REPLCONF", "capa", "eof"))
		stalled.Read()
		stalled.Send(servertest.Encode("PSYNC", "?", "-1"))
		if l := stalled.ReadLine(); !strings.HasPrefix(l, "+FULLRESYNC ") {
			t.Fatalf("PSYNC reply %q", l)
		}
		deadline := time.Now().Add(10 * time.Second)
		for info(t, m.Addr, "replication")["connected_slaves"] != "2" {
			if time.Now().After(deadline) {
				t.Fatal("the stalled replica was not registered")
			}
			time.Sleep(20 * time.Millisecond)
		}
		// The stalled replica reads nothing more: 40 MB of writes fill its
		// socket and its output buffer.
		c := m.Client()
		big := strings.Repeat("x", 100<<10)
		for i := 0; i < 400; i++ {
			if err := c.Set(ctx, fmt.Sprintf("big:%d", i%50), big, 0).Err(); err != nil {
				t.Fatalf("SET: %v", err)
			}
		}
		for info(t, m.Addr, "replication")["connected_slaves"] != "1" {
			if time.Now().After(deadline) {
				t.Fatalf("the stalled replica was not dropped: %v", info(t, m.Addr, "replication"))
			}
			time.Sleep(20 * time.Millisecond)
		}
		stalled.ExpectClosed(10 * time.Second)
		waitSynced(t, m.Addr, good.Addr)
		sameDataset(t, m.Addr, good.Addr)
	}, "--repl-diskless-sync-delay", "0", "--client-output-buffer-limit", "replica 4mb 0 0")
}
