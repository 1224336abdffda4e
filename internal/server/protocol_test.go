package server_test

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// Protocol errors: Redis replies with the error, then closes the
// connection (BAD-INPUTS.md 1-6).
func TestProtocolErrorsCloseConnection(t *testing.T) {
	cases := []struct{ name, send, want string }{
		{"huge multibulk", "*3000000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
		{"expected dollar", "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n"},
		{"expected dollar 2", "*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n"},
		{"negative bulk", "*1\r\n$-10\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"bulk over limit", "*1\r\n$2000000000\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"bulk not a number", "*1\r\n$blabla\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"unbalanced quotes", "set \"\"\"test-key\"\"\" test-value\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
	}
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := s.Raw()
				r.Send(tc.send)
				if got := r.ReadLine(); got != tc.want {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
				r.ExpectClosed(2 * time.Second)
			})
		}
	})
}

// Endless input without a newline is cut off with a protocol error long
// before 30 s (BAD-INPUTS.md 4 and 6).
func TestProtocolDesync(t *testing.T) {
	seqs := map[string]string{
		"\x00":        "too big inline request",
		"*\x00":       "too big mbulk count string",
		"$\x00":       "too big inline request",
		"*1\r\n$\x00": "too big bulk count string",
	}
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		for seq, want := range seqs {
			r := s.Raw()
			r.Send(seq)
			payload := strings.Repeat("A", 1024)
			deadline := time.Now().Add(20 * time.Second)
			var got string
			for time.Now().Before(deadline) {
				_ = r.Conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
				if _, err := r.Conn.Write([]byte(payload)); err != nil {
					break
				}
				_ = r.Conn.SetReadDeadline(time.Now().Add(time.Millisecond))
				if line, err := r.R.ReadString('\n'); err == nil {
					got = line
					break
				}
			}
			if got == "" {
				_ = r.Conn.SetReadDeadline(time.Now().Add(2 * time.Second))
				got, _ = r.R.ReadString('\n')
			}
			if !strings.Contains(got, "Protocol error: "+want) {
				t.Fatalf("seq %q: got %q, want %q", seq, got, want)
			}
		}
	})
}

// Empty lines and non-positive multibulk counts are ignored (BAD-INPUTS 8);
// PING with too many arguments is an arity error (14).
func TestIgnoredRequestsAndArity(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		r.Send("*-10\r\n\r\n\n*0\r\nPING\r\n")
		if got := r.ReadLine(); got != "+PONG\r\n" {
			t.Fatalf("got %q", got)
		}
		r.Send("PING x y z\r\n")
		if got := r.ReadLine(); got != "-ERR wrong number of arguments for 'ping' command\r\n" {
			t.Fatalf("got %q", got)
		}
		r.Send("*1\r\n$4\r\nPING\r\n")
		if got := r.ReadLine(); got != "+PONG\r\n" {
			t.Fatalf("connection unusable after arity error: %q", got)
		}
	})
}

// Inline commands as typed into nc, with \n or \r\n and quotes.
func TestInlineCommands(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		steps := []struct{ send, want string }{
			{"SET name john\n", "+OK\r\n"},
			{"GET name\r\n", "$4\r\n"},
			{"", "john\r\n"},
			{"EXISTS name\n", ":1\r\n"},
			{"set 'a b' \"c\\x41d\"\n", "+OK\r\n"},
			{"get \"a b\"\n", "$3\r\n"},
			{"", "cAd\r\n"},
			{"DEL name\n", ":1\r\n"},
			{"EXISTS name\n", ":0\r\n"},
			{"QUIT\n", "+OK\r\n"},
		}
		for _, st := range steps {
			if st.send != "" {
				r.Send(st.send)
			}
			if got := r.ReadLine(); got != st.want {
				t.Fatalf("after %q: got %q, want %q", st.send, got, st.want)
			}
		}
		r.ExpectClosed(2 * time.Second)
	})
}

// A request split at every byte boundary gives the same replies as one
// sent whole, and a deep pipeline is answered completely and in order.
func TestFragmentationAndPipelining(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		req := servertest.Encode("SET", "frag", "value with spaces") + servertest.Encode("GET", "frag") + "PING\r\n"
		want := "+OK\r\n$17\r\nvalue with spaces\r\n+PONG\r\n"
		for cut := 1; cut < len(req); cut++ {
			r := s.Raw()
			r.Send(req[:cut])
			time.Sleep(time.Millisecond)
			r.Send(req[cut:])
			got := ""
			for len(got) < len(want) {
				got += r.ReadLine()
			}
			if got != want {
				t.Fatalf("cut %d: got %q", cut, got)
			}
		}

		r := s.Raw()
		const n = 10000
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(servertest.Encode("INCR", "counter"))
		}
		go r.Send(b.String())
		for i := 1; i <= n; i++ {
			if got, want := r.ReadLine(), fmt.Sprintf(":%d\r\n", i); got != want {
				t.Fatalf("reply %d: got %q want %q", i, got, want)
			}
		}
	})
}

// Many clients writing concurrently all see their own writes and the total
// is exact (the executor serializes commands in both modes).
func TestConcurrentClients(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		const clients, per = 20, 200
		var wg sync.WaitGroup
		for i := 0; i < clients; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				nc, err := net.Dial("tcp", s.Addr)
				if err != nil {
					t.Error(err)
					return
				}
				defer nc.Close()
				var b strings.Builder
				for j := 0; j < per; j++ {
					b.WriteString(servertest.Encode("INCR", "total"))
				}
				if _, err := nc.Write([]byte(b.String())); err != nil {
					t.Error(err)
					return
				}
				buf := make([]byte, 64*1024)
				lines := 0
				for lines < per {
					_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
					k, err := nc.Read(buf)
					if err != nil {
						t.Error(err)
						return
					}
					lines += strings.Count(string(buf[:k]), "\r\n")
				}
			}(i)
		}
		wg.Wait()
		r := s.Raw()
		if got := r.Do("GET", "total"); got.Str != fmt.Sprint(clients*per) {
			t.Fatalf("total = %q, want %d", got.Str, clients*per)
		}
	})
}

// A large value arriving in many small reads is assembled correctly.
func TestLargeBulk(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		val := strings.Repeat("x", 3<<20)
		r := s.Raw()
		go r.Send(servertest.Encode("SET", "big", val))
		if got := r.ReadLine(); got != "+OK\r\n" {
			t.Fatalf("got %q", got)
		}
		if got := r.Do("STRLEN", "big"); got.Int != int64(len(val)) {
			t.Fatalf("strlen %d", got.Int)
		}
	})
}

// maxclients: the client over the limit gets Redis's error and is closed.
func TestMaxClients(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		a := s.Raw()
		if got := a.Do("PING"); got.Str != "PONG" {
			t.Fatalf("got %+v", got)
		}
		b := s.Raw()
		b.Send("PING\r\n")
		if got := b.ReadLine(); got != "-ERR max number of clients reached\r\n" {
			t.Fatalf("got %q", got)
		}
		b.ExpectClosed(2 * time.Second)
	}, "--maxclients", "1")
}

// Unknown commands get Redis's text, arguments quoted and newlines masked.
func TestUnknownCommand(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		r.Send(servertest.Encode("FOOBAR", "a", "b\r\nc"))
		want := "-ERR unknown command 'FOOBAR', with args beginning with: 'a' 'b  c' \r\n"
		if got := r.ReadLine(); got != want {
			t.Fatalf("got %q want %q", got, want)
		}
	})
}
