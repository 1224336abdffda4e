package command_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// Reproductions of Redis's unit/client-eviction (external:skip in its
// suite): maxmemory-clients, CLIENT NO-EVICT and the memory CLIENT LIST
// reports, in both modes and, with SERVER_ORACLE, against a real Redis.

// tryDo sends a command and reads its reply; an error means the server
// closed the connection.
func (c *svConn) tryDo(args ...string) (string, error) {
	_ = c.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.c.Write([]byte(servertest.Encode(args...))); err != nil {
		return "", err
	}
	_ = c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	return svReadRaw(c.r)
}

// writeRaw writes bytes, reporting an error instead of failing.
func (c *svConn) writeRaw(b string) error {
	_ = c.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := c.c.Write([]byte(b))
	return err
}

// clientField returns the field f of the CLIENT LIST line of client name,
// or -1 when there is no such client.
func clientField(r *svConn, name, f string) int {
	line := clientLine(r, name)
	if line == "" {
		return -1
	}
	m := regexp.MustCompile(` ` + f + `=(\d+)`).FindStringSubmatch(line)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// waitField waits until cond holds for client name's field f.
func waitField(t *testing.T, r *svConn, name, f string, cond func(int) bool) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		v := clientField(r, name, f)
		if cond(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("client %s: %s=%d", name, f, v)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// namedClient connects a client with the given name.
func namedClient(t *testing.T, addr, name string) *svConn {
	t.Helper()
	c := svDial(t, addr)
	c.expect(okReply, "CLIENT", "SETNAME", name)
	return c
}

// partialQuery is a request with an argument of n bytes whose final CRLF
// (and further arguments) are missing: it stays in the query buffer.
func partialQuery(argc, n int) string {
	return fmt.Sprintf("*%d\r\n$%d\r\n", argc, n) + strings.Repeat("v", n)
}

// cePortable runs fn in each mode and against SERVER_ORACLE with r, a
// client named control that is not evicted, restoring maxmemory-clients
// and maxmemory afterwards.
func cePortable(t *testing.T, fn func(t *testing.T, addr string, r *svConn)) {
	t.Helper()
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		r.expect(okReply, "CLIENT", "SETNAME", "control")
		r.expect(okReply, "CLIENT", "NO-EVICT", "on")
		r.expect(okReply, "FLUSHALL")
		t.Cleanup(func() {
			c := svDial(t, addr)
			c.do("CONFIG", "SET", "maxmemory-clients", "0")
			c.do("CONFIG", "SET", "maxmemory", "0")
			c.do("CONFIG", "SET", "client-output-buffer-limit", defaultCOBL)
		})
		fn(t, addr, r)
	})
}

const ceLimit = 3000000

func TestClientEvictionLargeArgvAndQueryBuf(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(ceLimit))
		before, _ := strconv.Atoi(infoField(t, r, "stats", "evicted_clients"))

		// "client evicted due to large argv"
		rr := namedClient(t, addr, "argv")
		rr.expect(okReply, "MSET", "k", "v", "k2", strings.Repeat("v", 1000000))
		rr.expect(bulk("v"), "GET", "k")
		if _, err := rr.tryDo("MSET", "k", "v", "k2", strings.Repeat("v", ceLimit)); err == nil {
			t.Error("large argv: client got a reply")
		}
		if !gone(r, "argv", 2*time.Second) {
			t.Error("large argv: client not evicted")
		}

		// "client evicted due to large query buf"
		rr = namedClient(t, addr, "qbuf")
		_ = rr.writeRaw(partialQuery(1, ceLimit))
		if !rr.closed(5 * time.Second) {
			t.Error("large query buffer: connection open")
		}
		if !gone(r, "qbuf", 2*time.Second) {
			t.Error("large query buffer: client not evicted")
		}
		if got, _ := strconv.Atoi(infoField(t, r, "stats", "evicted_clients")); got != before+2 {
			t.Errorf("evicted_clients %d, want %d", got, before+2)
		}
	})
}

// "client evicted due to percentage of maxmemory"
func TestClientEvictionPercentOfMaxmemory(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		maxmemory := 6 << 20
		r.expect(okReply, "CONFIG", "SET", "maxmemory", strconv.Itoa(maxmemory))
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", "7%")
		r.expect("*2\r\n"+bulk("maxmemory-clients")+bulk("7%"), "CONFIG", "GET", "maxmemory-clients")
		actual := maxmemory * 7 / 100

		rr := namedClient(t, addr, "half")
		n := actual / 2
		_ = rr.writeRaw(partialQuery(1, n))
		tot := waitField(t, r, "half", "tot-mem", func(v int) bool { return v >= n })
		if tot >= actual {
			t.Errorf("tot-mem %d with a query of %d, limit %d", tot, n, actual)
		}
		rr.c.Close()

		rr = namedClient(t, addr, "full")
		_ = rr.writeRaw(partialQuery(1, actual))
		if !gone(r, "full", 5*time.Second) {
			t.Error("client over 7% of maxmemory not evicted")
		}
	})
}

// "client evicted due to large multi buf"
func TestClientEvictionMultiBuf(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(ceLimit))
		rr := namedClient(t, addr, "multi")
		val := strings.Repeat("v", ceLimit/4)
		rr.expect(okReply, "MULTI")
		rr.expect("+QUEUED\r\n", "SET", "k", val)
		rr.expect("+QUEUED\r\n", "SET", "k", val)
		rr.expect("*2\r\n"+okReply+okReply, "EXEC")
		rr.expect(okReply, "MULTI")
		var err error
		for j := 0; j < 5 && err == nil; j++ {
			_, err = rr.tryDo("SET", "k", val)
		}
		if err == nil {
			t.Error("transaction over the limit: connection open")
		}
		if !gone(r, "multi", 2*time.Second) {
			t.Error("client not evicted")
		}
	})
}

// "client evicted due to watched key list", "... pubsub subscriptions",
// "... client tracking prefixes": small per-item overheads add up.
func TestClientEvictionSmallOverheads(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", "200000")
		for _, kind := range []string{"WATCH", "PSUBSCRIBE", "SUBSCRIBE", "SSUBSCRIBE", "TRACKING"} {
			rr := svDial(t, addr)
			var err error
			n := 0
			for ; n < 200000 && err == nil; n++ {
				if kind == "TRACKING" {
					_, err = rr.tryDo("CLIENT", "TRACKING", "on", "prefix", fmt.Sprintf("%012d", n), "bcast")
				} else {
					_, err = rr.tryDo(kind, strconv.Itoa(n))
				}
			}
			if err == nil {
				t.Errorf("%s: never evicted", kind)
			} else if n < 100 {
				t.Errorf("%s: evicted after %d", kind, n)
			}
		}
	})
}

// "client evicted due to output buf": a client that does not read its
// replies is evicted before its tot-mem reaches the limit. (The threaded
// front end stops reading a client whose replies it cannot write, so the
// output never accumulates there.)
func TestClientEvictionOutputBuf(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		if strings.Contains(t.Name(), "threaded") {
			t.Skip("threaded mode: backpressure instead of output growth")
		}
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(ceLimit))
		r.expect(":200001\r\n", "SETRANGE", "k", "200000", "v")
		rr := namedClient(t, addr, "test_client")
		smallRcvBuf(rr)
		if got := rr.do("GET", "k"); len(got) != 200001+len("$200001\r\n\r\n") {
			t.Fatalf("GET: %d bytes", len(got))
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			mem := clientField(r, "test_client", "tot-mem")
			if mem < 0 {
				break
			}
			if mem >= ceLimit {
				t.Fatalf("tot-mem %d reached the limit", mem)
			}
			if time.Now().After(deadline) {
				t.Fatal("client never evicted")
			}
			if rr.writeRaw(servertest.Encode("GET", "k")) != nil {
				break
			}
			time.Sleep(time.Millisecond)
		}
		if !gone(r, "test_client", 2*time.Second) {
			t.Error("client still listed")
		}
	})
}

// "client no-evict on/off"
func TestClientEvictionNoEvict(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(ceLimit))
		for _, noEvict := range []string{"on", "off"} {
			name := "ne_" + noEvict
			rr := namedClient(t, addr, name)
			rr.expect(okReply, "CLIENT", "NO-EVICT", noEvict)
			qb := ceLimit + 1
			_ = rr.writeRaw(partialQuery(1, qb))
			if noEvict == "on" {
				// qbuf counts the argument's data only, as Redis does.
				waitField(t, r, name, "qbuf", func(v int) bool { return v == qb })
				if mem := clientField(r, name, "tot-mem"); mem <= ceLimit {
					t.Errorf("no-evict on: tot-mem %d", mem)
				}
				if !strings.Contains(clientLine(r, name), " flags=e ") {
					t.Errorf("no-evict flag: %q", clientLine(r, name))
				}
				rr.c.Close()
				gone(r, name, 2*time.Second)
			} else if !gone(r, name, 5*time.Second) {
				t.Error("no-evict off: not evicted")
			}
		}
		r.match(`^-ERR .*syntax`, "CLIENT", "NO-EVICT", "maybe")
	})
}

// fillClients connects count clients named prefix<j>, each holding a
// partial request of size bytes, and waits for their query buffers.
func fillClients(t *testing.T, r *svConn, addr, prefix string, count, size int) []*svConn {
	t.Helper()
	var rrs []*svConn
	for j := 0; j < count; j++ {
		name := fmt.Sprintf("%s%d", prefix, j)
		rr := namedClient(t, addr, name)
		_ = rr.writeRaw(partialQuery(2, size))
		waitField(t, r, name, "qbuf", func(v int) bool { return v >= size })
		rrs = append(rrs, rr)
	}
	return rrs
}

func countNamed(r *svConn, prefix string) int {
	return strings.Count(r.do("CLIENT", "LIST"), " name="+prefix)
}

// "decrease maxmemory-clients causes client eviction"
func TestClientEvictionDecreaseLimit(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		limit := 4 << 20
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(limit))
		fillClients(t, r, addr, "client", 10, (limit-(1<<20))/10)
		if n := countNamed(r, "client"); n != 10 {
			t.Fatalf("%d clients connected", n)
		}
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(limit/2))
		if n := countNamed(r, "client"); n == 0 || n >= 10 {
			t.Errorf("%d clients left", n)
		}
	})
}

// "evict clients only until below limit" and "evict clients in right
// order (large to small)".
func TestClientEvictionOrderAndAmount(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		// As in the Tcl test, the control client is the only other one.
		r.do("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
		fillClients(t, r, addr, "client", 10, 1<<20)
		maxMem := 0
		for j := 0; j < 10; j++ {
			maxMem = max(maxMem, clientField(r, fmt.Sprintf("client%d", j), "tot-mem"))
		}
		limit := maxMem*10/2 + clientField(r, "control", "tot-mem")
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(limit))
		sum := 0
		for _, l := range strings.Split(strings.TrimSpace(r.do("CLIENT", "LIST")), "\n") {
			if m := regexp.MustCompile(` tot-mem=(\d+)`).FindStringSubmatch(l); m != nil {
				n, _ := strconv.Atoi(m[1])
				sum += n
			}
		}
		if sum > limit {
			t.Errorf("clients use %d, limit %d", sum, limit)
		}
		if n := countNamed(r, "client"); n != 5 {
			t.Errorf("%d clients left, want 5", n)
		}
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", "0")
		r.do("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")

		sizes := []int{128 << 10, 1 << 20, 3 << 20}
		total := 0
		for i, size := range sizes {
			fillClients(t, r, addr, fmt.Sprintf("size%d-", i), 3, size)
			sizes[i] = clientField(r, fmt.Sprintf("size%d-0", i), "tot-mem")
			total += 3 * sizes[i]
		}
		for i := len(sizes) - 1; i >= 0; i-- {
			total -= 3 * sizes[i]
			r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(total+clientField(r, "control", "tot-mem")))
			for j := range sizes {
				want := 3
				if j >= i {
					want = 0
				}
				if n := countNamed(r, fmt.Sprintf("size%d-", j)); n != want {
					t.Errorf("limit for sizes below %d: %d clients of size %d, want %d", i, n, j, want)
				}
			}
		}
	})
}

// "avoid client eviction when client is freed by output buffer limit"
func TestClientEvictionObufLimitFirst(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		limit, obuf := 10<<20, 3<<20
		r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", strconv.Itoa(limit))
		r.expect(okReply, "CONFIG", "SET", "client-output-buffer-limit", fmt.Sprintf("normal %d 0 0", obuf))
		size := obuf + 1<<20
		r.expect(":"+strconv.Itoa(size+1)+"\r\n", "SETRANGE", "k", strconv.Itoa(size), "v")
		rr1 := namedClient(t, addr, "qbuf-client")
		rr2 := namedClient(t, addr, "obuf-client1")
		rr3 := namedClient(t, addr, "obuf-client2")
		smallRcvBuf(rr2)
		smallRcvBuf(rr3)
		qb := limit - size
		_ = rr1.writeRaw(partialQuery(1, qb))
		waitField(t, r, "qbuf-client", "qbuf", func(v int) bool { return v == qb })
		rr2.send("GET", "k")
		rr3.send("GET", "k")
		if !gone(r, "obuf-client1", 5*time.Second) || !gone(r, "obuf-client2", 5*time.Second) {
			t.Error("output buffer limit not enforced")
		}
		if clientLine(r, "qbuf-client") == "" {
			t.Error("qbuf-client was evicted")
		}
	})
}

// "client total memory grows during client no-evict / maxmemory-clients
// disabled" (event loop and Redis: output accumulates for a client that
// does not read).
func TestClientEvictionMemoryGrows(t *testing.T) {
	cePortable(t, func(t *testing.T, addr string, r *svConn) {
		if strings.Contains(t.Name(), "threaded") {
			t.Skip("threaded mode: backpressure instead of output growth")
		}
		r.expect(":1048577\r\n", "SETRANGE", "k", strconv.Itoa(1<<20), "v")
		for _, typ := range []string{"no-evict", "disabled"} {
			r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", "0")
			rr := namedClient(t, addr, "test_client")
			smallRcvBuf(rr)
			if typ == "no-evict" {
				rr.expect(okReply, "CLIENT", "NO-EVICT", "on")
				r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", "1")
			}
			deadline := time.Now().Add(20 * time.Second)
			for clientField(r, "test_client", "tot-mem") <= 10<<20 {
				if time.Now().After(deadline) {
					t.Fatalf("%s: tot-mem stays at %d", typ, clientField(r, "test_client", "tot-mem"))
				}
				_ = rr.writeRaw(servertest.Encode("GET", "k"))
				time.Sleep(10 * time.Millisecond)
			}
			if typ == "no-evict" {
				_ = rr.writeRaw(servertest.Encode("CLIENT", "NO-EVICT", "off"))
			} else {
				r.expect(okReply, "CONFIG", "SET", "maxmemory-clients", "1")
			}
			if !gone(r, "test_client", 10*time.Second) {
				t.Errorf("%s: client not evicted", typ)
			}
			rr.c.Close()
		}
	})
}
