package command_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// raw reads the next reply's exact bytes.
func raw(t *testing.T, r *servertest.Raw) string {
	t.Helper()
	_ = r.Conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	s, err := resp.ReadRawReply(r.R)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, s)
	}
	return s
}

func expectRaw(t *testing.T, r *servertest.Raw, want string) {
	t.Helper()
	if got := raw(t, r); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func doRaw(t *testing.T, r *servertest.Raw, want string, args ...string) {
	t.Helper()
	r.Send(servertest.Encode(args...))
	expectRaw(t, r, want)
}

const invKey1 = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nkey1\r\n"

func TestTrackingDefaultRESP3(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r, w := s.Raw(), s.Raw()
		r.Do("HELLO", "3")
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "on")
		doRaw(t, w, "+OK\r\n", "SET", "key1", "1")
		doRaw(t, r, "$1\r\n1\r\n", "GET", "key1")
		doRaw(t, w, "+OK\r\n", "SET", "key1", "2")
		expectRaw(t, r, invKey1)
		// Invalidated once: the key left the table.
		doRaw(t, w, "+OK\r\n", "SET", "key1", "3")
		doRaw(t, r, "+PONG\r\n", "PING")

		// A write by the tracking client itself: the message follows
		// the reply (pending invalidation).
		doRaw(t, r, "$1\r\n3\r\n", "GET", "key1")
		doRaw(t, r, ":1\r\n", "DEL", "key1")
		expectRaw(t, r, invKey1)

		// Keys read inside MULTI are tracked; the invalidation caused
		// inside EXEC comes after EXEC's reply.
		doRaw(t, r, "+OK\r\n", "MSET", "a", "1", "b", "2")
		doRaw(t, r, "+OK\r\n", "MULTI")
		doRaw(t, r, "+QUEUED\r\n", "GET", "a")
		doRaw(t, r, "+QUEUED\r\n", "INCR", "a")
		doRaw(t, r, "*2\r\n$1\r\n1\r\n:2\r\n", "EXEC")
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\na\r\n")

		// FLUSHALL sends a null invalidation, after the reply.
		doRaw(t, r, "$1\r\n2\r\n", "GET", "b")
		doRaw(t, r, "+OK\r\n", "FLUSHALL")
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n_\r\n")

		// NOLOOP: own writes are not reported.
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "on", "NOLOOP")
		doRaw(t, r, "_\r\n", "GET", "key1")
		doRaw(t, r, "+OK\r\n", "SET", "key1", "x")
		doRaw(t, r, "_\r\n", "GET", "key2")
		doRaw(t, w, "+OK\r\n", "SET", "key2", "x")
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nkey2\r\n")

		// Lazy expiry invalidates too.
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "off")
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "on")
		doRaw(t, w, "+OK\r\n", "SET", "exp", "v", "PX", "20")
		doRaw(t, r, "$1\r\nv\r\n", "GET", "exp")
		time.Sleep(150 * time.Millisecond)
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nexp\r\n")
	})
}

func TestTrackingRedirectRESP2(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		redir, r, w := s.Raw(), s.Raw(), s.Raw()
		id := strconv.FormatInt(redir.Do("CLIENT", "ID").Int, 10)
		redir.Do("SUBSCRIBE", "__redis__:invalidate")
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "on", "REDIRECT", id)
		doRaw(t, r, ":"+id+"\r\n", "CLIENT", "GETREDIR")
		r.Do("MGET", "k1", "k2")
		doRaw(t, w, "+OK\r\n", "MSET", "k2", "1")
		expectRaw(t, redir, "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$2\r\nk2\r\n")
		doRaw(t, w, "+OK\r\n", "FLUSHDB")
		expectRaw(t, redir, "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n")

		// CLIENT LIST and INFO see the tracking client.
		line := r.Do("CLIENT", "INFO").Str
		if !strings.Contains(line, " flags=t ") || !strings.Contains(line, " redir="+id+" ") {
			t.Fatalf("client info %q", line)
		}
		info := w.Do("INFO").Str
		for _, want := range []string{"tracking_clients:1\r\n", "tracking_total_keys:0\r\n", "tracking_total_prefixes:0\r\n"} {
			if !strings.Contains(info, want) {
				t.Fatalf("INFO lacks %q", want)
			}
		}
		r.Do("GET", "x")
		if info := w.Do("INFO", "stats").Str; !strings.Contains(info, "tracking_total_keys:1\r\ntracking_total_items:1\r\n") {
			t.Fatalf("INFO stats %q", regexp.MustCompile(`tracking_[^\r]*`).FindAllString(info, -1))
		}

		// The redirection client goes away: RESP3 clients learn it.
		r.Do("HELLO", "3")
		redir.Conn.Close()
		time.Sleep(50 * time.Millisecond)
		doRaw(t, w, "+OK\r\n", "SET", "x", "1")
		expectRaw(t, r, ">2\r\n$21\r\ntracking-redir-broken\r\n:"+id+"\r\n")
		v := r.Do("CLIENT", "TRACKINGINFO")
		if v.Type != '%' || len(v.Array) != 6 || v.Array[1].Type != '~' || len(v.Array[1].Array) != 2 || v.Array[1].Array[1].Str != "broken_redirect" {
			t.Fatalf("trackinginfo %+v", v)
		}
		if line := r.Do("CLIENT", "INFO").Str; !strings.Contains(line, " flags=tR ") {
			t.Fatalf("client info %q", line)
		}
	})
}

func TestTrackingBCAST(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r, w := s.Raw(), s.Raw()
		r.Do("HELLO", "3")
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a:", "PREFIX", "b:", "NOLOOP")
		if line := r.Do("CLIENT", "INFO").Str; !strings.Contains(line, " flags=tB ") || !strings.Contains(line, " redir=0 ") {
			t.Fatalf("client info %q", line)
		}
		doRaw(t, w, "+OK\r\n", "MSET", "a:2", "1", "a:1", "1", "c:1", "1")
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n*2\r\n$3\r\na:1\r\n$3\r\na:2\r\n")
		doRaw(t, r, "+OK\r\n", "SET", "a:3", "1") // NOLOOP: not reported
		doRaw(t, w, "+OK\r\n", "SET", "b:1", "1")
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nb:1\r\n")
		if info := w.Do("INFO", "stats").Str; !strings.Contains(info, "tracking_total_prefixes:2\r\n") {
			t.Fatal("tracking_total_prefixes")
		}

		c := s.Raw()
		doRaw(t, c, "-ERR Prefix 'FOOBAR' overlaps with another provided prefix 'FOO'. Prefixes for a single client must not overlap.\r\n",
			"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FOOBAR", "PREFIX", "FOO")
		doRaw(t, c, "+OK\r\n", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FOO")
		doRaw(t, c, "-ERR Prefix 'FO' overlaps with an existing prefix 'FOO'. Prefixes for a single client must not overlap.\r\n",
			"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "FO")
		doRaw(t, c, "-ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.\r\n",
			"CLIENT", "TRACKING", "on")
		doRaw(t, c, "-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n", "CLIENT", "TRACKING", "on", "BCAST", "OPTIN")
		doRaw(t, c, "+OK\r\n", "CLIENT", "TRACKING", "off")
		doRaw(t, c, "-ERR PREFIX option requires BCAST mode to be enabled\r\n", "CLIENT", "TRACKING", "on", "PREFIX", "x")
		doRaw(t, c, "-ERR You can't specify both OPTIN mode and OPTOUT mode\r\n", "CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT")
		doRaw(t, c, "-ERR The client ID you want redirect to does not exist\r\n", "CLIENT", "TRACKING", "on", "REDIRECT", "99999")
		doRaw(t, c, "-ERR syntax error\r\n", "CLIENT", "TRACKING", "maybe")
		doRaw(t, c, "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n", "CLIENT", "CACHING", "yes")
		doRaw(t, c, ":-1\r\n", "CLIENT", "GETREDIR")
	})
}

func TestTrackingOptInOptOut(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r, w := s.Raw(), s.Raw()
		r.Do("HELLO", "3")
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "on", "OPTIN")
		doRaw(t, r, "-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.\r\n", "CLIENT", "CACHING", "no")
		r.Do("GET", "k1") // not tracked
		doRaw(t, r, "+OK\r\n", "CLIENT", "CACHING", "yes")
		r.Do("GET", "k2") // tracked
		r.Do("GET", "k3") // CACHING applied to one command only
		w.Do("MSET", "k1", "1", "k3", "1", "k2", "1")
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk2\r\n")
		doRaw(t, r, "+PONG\r\n", "PING")

		doRaw(t, r, "-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.\r\n",
			"CLIENT", "TRACKING", "on", "OPTOUT")
		r.Do("CLIENT", "TRACKING", "off")
		doRaw(t, r, "+OK\r\n", "CLIENT", "TRACKING", "on", "OPTOUT")
		doRaw(t, r, "+OK\r\n", "CLIENT", "CACHING", "no")
		r.Do("GET", "k1") // not tracked
		r.Do("GET", "k2") // tracked
		w.Do("MSET", "k1", "2", "k2", "2")
		expectRaw(t, r, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk2\r\n")
		v := r.Do("CLIENT", "TRACKINGINFO")
		if len(v.Array) != 6 || len(v.Array[1].Array) != 2 || v.Array[1].Array[1].Str != "optout" || v.Array[3].Int != 0 {
			t.Fatalf("trackinginfo %+v", v)
		}
	})
}

func TestTrackingTableLimit(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r, w := s.Raw(), s.Raw()
		r.Do("HELLO", "3")
		r.Do("CLIENT", "TRACKING", "on")
		for i := 0; i < 150; i++ {
			r.Do("GET", "key"+strconv.Itoa(i))
		}
		doRaw(t, w, "+OK\r\n", "CONFIG", "SET", "tracking-table-max-keys", "10")
		// The cron (or the next command) evicts 140 keys from the table,
		// each with an invalidation.
		r.Send(servertest.Encode("PING"))
		seen := map[string]bool{}
		for len(seen) < 140 {
			v := r.Read()
			if v.Type == '+' {
				continue
			}
			if v.Type != '>' || v.Array[0].Str != "invalidate" {
				t.Fatalf("unexpected %+v", v)
			}
			seen[v.Array[1].Array[0].Str] = true
		}
		if info := w.Do("INFO", "stats").Str; !strings.Contains(info, "tracking_total_keys:10\r\n") {
			t.Fatalf("INFO %q", regexp.MustCompile(`tracking_[^\r]*`).FindAllString(info, -1))
		}
	})
}

func TestTrackingResetAndDisconnect(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		a, b, w := s.Raw(), s.Raw(), s.Raw()
		doRaw(t, a, "+OK\r\n", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p")
		doRaw(t, b, "+OK\r\n", "CLIENT", "TRACKING", "on")
		trackingLine := func() string {
			return regexp.MustCompile(`tracking_clients:\d+`).FindString(w.Do("INFO", "clients").Str)
		}
		if got := trackingLine(); got != "tracking_clients:2" {
			t.Fatalf("got %q", got)
		}
		doRaw(t, a, "+RESET\r\n", "RESET")
		doRaw(t, a, ":-1\r\n", "CLIENT", "GETREDIR")
		if got := trackingLine(); got != "tracking_clients:1" {
			t.Fatalf("after RESET: %q", got)
		}
		if info := w.Do("INFO", "stats").Str; !strings.Contains(info, "tracking_total_prefixes:0\r\n") {
			t.Fatal("prefix not released by RESET")
		}
		b.Conn.Close()
		deadline := time.Now().Add(5 * time.Second)
		for trackingLine() != "tracking_clients:0" {
			if time.Now().After(deadline) {
				t.Fatalf("after disconnect: %q", trackingLine())
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
