package command_test

import (
	"net"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// Reproductions of unit/obuf-limits (which Redis's suite skips in external
// mode) and of BAD-INPUTS 13, against both modes and, with SERVER_ORACLE,
// a real Redis 7.0.

const defaultCOBL = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"

// smallRcvBuf makes a client's socket buffer small, so that a client that
// does not read fills the server's buffers quickly.
func smallRcvBuf(c *svConn) {
	if tc, ok := c.c.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(4096)
	}
}

// clientLine returns the CLIENT LIST line of the client named name, or "".
func clientLine(c *svConn, name string) string {
	for _, l := range strings.Split(c.do("CLIENT", "LIST"), "\n") {
		if strings.Contains(l, " name="+name+" ") {
			return l
		}
	}
	return ""
}

// gone reports whether the client named name left CLIENT LIST within d.
// (Reading the closed connection to its end would take long: the kernel
// still delivers what it buffered, through a tiny receive window.)
func gone(r *svConn, name string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for clientLine(r, name) != "" {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

var omemRE = regexp.MustCompile(` obl=(\d+) oll=(\d+) omem=(\d+) `)

func omemOf(line string) int {
	m := omemRE.FindStringSubmatch(line)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[3])
	return n
}

func TestOutputBufferLimitConfig(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		defer r.do("CONFIG", "SET", "client-output-buffer-limit", defaultCOBL)
		r.match(`Wrong.*arguments`, "CONFIG", "SET", "client-output-buffer-limit", "wrong number")
		r.match(`Invalid.*client.*class`, "CONFIG", "SET", "client-output-buffer-limit", "invalid_class 10mb 10mb 60")
		r.match(`Invalid.*client.*class`, "CONFIG", "SET", "client-output-buffer-limit", "master 10mb 10mb 60")
		r.match(`Error.*hard`, "CONFIG", "SET", "client-output-buffer-limit", "normal 10mbs 10mb 60")
		r.match(`Error.*soft`, "CONFIG", "SET", "client-output-buffer-limit", "replica 10mb 10mbs 60")
		r.match(`Error.*soft_seconds`, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 10mb 10mb 60s")
		r.expect(okReply, "CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 2mb 60 replica 3mb 4mb 70 pubsub 5mb 6mb 80")
		r.expect("*2\r\n"+bulk("client-output-buffer-limit")+bulk("normal 1048576 2097152 60 slave 3145728 4194304 70 pubsub 5242880 6291456 80"),
			"CONFIG", "GET", "client-output-buffer-limit")
	})
}

// TestOutputBufferHardLimit: a subscriber that does not read is closed
// once its output passes the hard limit; CLIENT LIST shows its omem grow
// up to there.
func TestOutputBufferHardLimit(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		defer r.do("CONFIG", "SET", "client-output-buffer-limit", defaultCOBL)
		r.expect(okReply, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 100000 0 0")
		sub := svDial(t, addr)
		smallRcvBuf(sub)
		sub.expect(okReply, "CLIENT", "SETNAME", "hardsub")
		sub.expect("*3\r\n"+bulk("subscribe")+bulk("obuf-foo")+":1\r\n", "SUBSCRIBE", "obuf-foo")
		msg := strings.Repeat("x", 200)
		omem, maxSeen := 0, 0
		for i := 0; ; i++ {
			r.do("PUBLISH", "obuf-foo", msg)
			line := clientLine(r, "hardsub")
			if line == "" {
				break
			}
			omem = omemOf(line)
			maxSeen = max(maxSeen, omem)
			if omem > 200000 || i > 200000 {
				break
			}
		}
		if omem < 70000 || omem >= 200000 {
			t.Errorf("last omem seen %d, want in [70000, 200000)", omem)
		}
		if !gone(r, "hardsub", 5*time.Second) {
			t.Error("subscriber not closed")
		}
	})
}

// TestOutputBufferSoftLimit: over the soft limit for longer than its
// seconds a subscriber is closed, whether messages keep coming or not
// (then the cron closes it); not before.
func TestOutputBufferSoftLimit(t *testing.T) {
	for _, traffic := range []bool{true, false} {
		name := "idle"
		if traffic {
			name = "traffic"
		}
		t.Run(name, func(t *testing.T) {
			svPortable(t, func(t *testing.T, addr string) {
				const softSeconds = 1
				r := svDial(t, addr)
				defer r.do("CONFIG", "SET", "client-output-buffer-limit", defaultCOBL)
				r.expect(okReply, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 100000 "+strconv.Itoa(softSeconds))
				sub := svDial(t, addr)
				smallRcvBuf(sub)
				sub.expect(okReply, "CLIENT", "SETNAME", "softsub")
				sub.expect("*3\r\n"+bulk("subscribe")+bulk("obuf-soft")+":1\r\n", "SUBSCRIBE", "obuf-soft")
				msg := strings.Repeat("x", 1000)
				// As unit/obuf-limits: the time over the limit counts from
				// the last time the client was seen under it.
				var start time.Time
				lastUnder := time.Now()
				for {
					r.do("PUBLISH", "obuf-soft", msg)
					line := clientLine(r, "softsub")
					if line == "" {
						if !traffic || start.IsZero() || time.Since(start) < softSeconds*time.Second {
							t.Fatalf("closed too early (%v over the soft limit)", time.Since(start))
						}
						break
					}
					if omemOf(line) > 100000 {
						if start.IsZero() {
							start = lastUnder
						}
						if !traffic && time.Since(start) > (softSeconds*time.Second)/2 {
							break
						}
						time.Sleep(10 * time.Millisecond)
					} else {
						start = time.Time{}
						lastUnder = time.Now()
					}
					if !start.IsZero() && time.Since(start) > (softSeconds+3)*time.Second {
						t.Fatal("not closed in time")
					}
				}
				deadline := time.Now().Add((softSeconds + 3) * time.Second)
				for clientLine(r, "softsub") != "" {
					if time.Now().After(deadline) {
						t.Fatal("idle subscriber over the soft limit not closed")
					}
					time.Sleep(20 * time.Millisecond)
				}
			})
		})
	}
}

// TestOutputBufferNormalClients: a normal client whose reply passes the
// limit gets nothing and is closed; a pipeline likewise; a transaction
// still runs to its end.
func TestOutputBufferNormalClients(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		defer r.do("CONFIG", "SET", "client-output-buffer-limit", defaultCOBL)
		r.expect(okReply, "SELECT", "9")
		r.do("DEL", "mylist", "mylist2", "bigkey", "k1", "k2", "k3")
		r.expect(okReply, "CONFIG", "SET", "client-output-buffer-limit", "normal 100000 0 0")
		item := strings.Repeat("x", 1000)
		for i := 0; i < 150; i++ {
			r.do("LPUSH", "mylist", item)
			r.do("LPUSH", "mylist2", item)
		}
		rd := svDial(t, addr)
		rd.expect(okReply, "CLIENT", "SETNAME", "mybiglist")
		rd.expect(okReply, "SELECT", "9")
		rd.send("LRANGE", "mylist", "0", "-1")
		time.Sleep(100 * time.Millisecond)
		if strings.Contains(r.do("CLIENT", "LIST"), "name=mybiglist") {
			t.Error("mybiglist still connected")
		}
		if !rd.closed(2*time.Second) || rd.r.Buffered() > 0 {
			t.Error("mybiglist got a reply or was not closed")
		}

		r.expect(okReply, "SET", "bigkey", strings.Repeat("x", 10000))
		p := svDial(t, addr)
		p.expect(okReply, "CLIENT", "SETNAME", "multicommands")
		p.expect(okReply, "SELECT", "9")
		var buf strings.Builder
		for i := 0; i < 15; i++ {
			n := strconv.Itoa(i)
			buf.WriteString("set " + n + " " + n + "\r\nget " + n + "\r\ndel " + n + "\r\nget bigkey\r\n")
		}
		if _, err := p.c.Write([]byte(buf.String())); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
		r.expect("+PONG\r\n", "PING")
		if strings.Contains(r.do("CLIENT", "LIST"), "name=multicommands") {
			t.Error("multicommands still connected")
		}
		if !p.closed(2 * time.Second) {
			t.Error("multicommands not closed")
		}

		x := svDial(t, addr)
		x.expect(okReply, "SELECT", "9")
		x.expect(okReply, "CLIENT", "SETNAME", "transactionclient")
		x.expect(okReply, "SET", "k1", "v1")
		x.expect(okReply, "MULTI")
		x.expect("+QUEUED\r\n", "SET", "k2", "v2")
		x.expect("+QUEUED\r\n", "GET", "k2")
		x.expect("+QUEUED\r\n", "LRANGE", "mylist2", "0", "-1")
		x.expect("+QUEUED\r\n", "SET", "k3", "v3")
		x.expect("+QUEUED\r\n", "DEL", "k1")
		x.send("EXEC")
		if !x.closed(2 * time.Second) {
			t.Error("transactionclient not closed")
		}
		r.expect(nilBulk, "GET", "k1")
		r.expect(bulk("v2"), "GET", "k2")
		r.expect(bulk("v3"), "GET", "k3")

		// KEYS with a reply over the limit.
		for i := 0; i < 1000; i++ {
			r.do("SET", "long-key-name-prefix-of-100-chars-"+strings.Repeat("-", 66)+strconv.Itoa(i), "v")
		}
		k := svDial(t, addr)
		k.expect(okReply, "SELECT", "9")
		k.send("KEYS", "*")
		if !k.closed(2 * time.Second) {
			t.Error("KEYS client not closed")
		}
		r.expect("+PONG\r\n", "PING")
		r.do("FLUSHDB")
	})
}

// TestOutputBufferUnauthenticated: a client that has not authenticated
// may not hold more than 1024 bytes beyond the reply buffer.
func TestOutputBufferUnauthenticated(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		r.expect(okReply, "CONFIG", "SET", "requirepass", "obufpw")
		defer func() {
			r.do("CONFIG", "SET", "requirepass", "")
		}()
		for _, c := range []struct {
			pings  int
			closed bool
		}{{200, false}, {481, false}, {490, true}, {1000, true}} {
			u := svDial(t, addr)
			if _, err := u.c.Write([]byte(strings.Repeat("PING\r\n", c.pings))); err != nil {
				t.Fatal(err)
			}
			got := 0
			for got < c.pings {
				_ = u.c.SetReadDeadline(time.Now().Add(2 * time.Second))
				if _, err := u.r.ReadString('\n'); err != nil {
					break
				}
				got++
			}
			if closed := got < c.pings; closed != c.closed {
				t.Errorf("%d PINGs: %d replies, closed %v, want closed %v", c.pings, got, closed, c.closed)
			}
		}
	})
}

// TestOutputBufferClientList: CLIENT LIST reports a stuck client's pending
// output in obl/oll/omem and INFO its recent maximum.
func TestOutputBufferClientList(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		r := svDial(t, s.Addr)
		sub := svDial(t, s.Addr)
		smallRcvBuf(sub)
		sub.expect(okReply, "CLIENT", "SETNAME", "stuck")
		sub.expect("*3\r\n"+bulk("subscribe")+bulk("ch")+":1\r\n", "SUBSCRIBE", "ch")
		msg := strings.Repeat("x", 4000)
		for i := 0; i < 2000; i++ {
			r.do("PUBLISH", "ch", msg)
		}
		line := clientLine(r, "stuck")
		m := omemRE.FindStringSubmatch(line)
		if m == nil || m[1] != "16384" || m[2] == "0" {
			t.Fatalf("CLIENT LIST: %q", line)
		}
		omem, _ := strconv.Atoi(m[3])
		oll, _ := strconv.Atoi(m[2])
		if omem < 1<<20 || omem != oll*20504 {
			t.Errorf("obl %s oll %d omem %d", m[1], oll, omem)
		}
		time.Sleep(250 * time.Millisecond) // a cron run
		if n, _ := strconv.Atoi(infoField(t, r, "clients", "client_recent_max_output_buffer")); n < 1<<20 {
			t.Errorf("client_recent_max_output_buffer %d", n)
		}
	})
}

// TestSlowSubscriberFlood is BAD-INPUTS 13: a subscriber that never reads
// while a publisher floods 48 MB is disconnected by the default pub/sub
// limit (32 MB hard), and the server's memory stays bounded. Memory is the
// live heap each garbage collection finds (what the process retains, not
// the garbage a busy machine has not collected yet).
func TestSlowSubscriberFlood(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		runtime.GC()
		metrics.Read(live)
		base := live[0].Value.Uint64()
		var peak atomic.Uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}()
		sub := svDial(t, s.Addr)
		smallRcvBuf(sub)
		sub.expect(okReply, "CLIENT", "SETNAME", "floodsub")
		sub.expect("*3\r\n"+bulk("subscribe")+bulk("flood")+":1\r\n", "SUBSCRIBE", "flood")
		pub := svDial(t, s.Addr)
		msg := strings.Repeat("m", 1024)
		req := servertest.Encode("PUBLISH", "flood", msg)
		batch := strings.Repeat(req, 1000)
		delivered := 0
		for i := 0; i < 48; i++ {
			if _, err := pub.c.Write([]byte(batch)); err != nil {
				t.Fatal(err)
			}
			for j := 0; j < 1000; j++ {
				if pub.read() == ":1\r\n" {
					delivered++
				}
			}
		}
		close(stop)
		wg.Wait()
		if !gone(pub, "floodsub", 5*time.Second) {
			t.Fatal("slow subscriber not disconnected")
		}
		if delivered < 30000 || delivered > 40000 {
			t.Errorf("%d messages (of 1 KB) accepted for the subscriber, want about 32 MB worth", delivered)
		}
		pub.expect(":0\r\n", "PUBLISH", "flood", "x")
		growth := int64(peak.Load()) - int64(base)
		t.Logf("%s: live heap peak %d MB above the start", s.Mode, growth>>20)
		if growth > 100<<20 {
			t.Errorf("heap grew by %d MB", growth>>20)
		}
	})
}
