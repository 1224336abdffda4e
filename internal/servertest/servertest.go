// Package servertest starts real redis-clone servers on 127.0.0.1 for
// tests, in either mode, and gives tests clients for them: go-redis and a
// raw RESP connection for exact bytes. Servers stop at test cleanup.
package servertest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/replication"
	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/server"
)

// Modes are the two front ends every integration test runs against.
var Modes = []string{server.ModeEventLoop, server.ModeThreaded}

// Server is a running test server.
type Server struct {
	Mode string
	Addr string
	Port int
	Srv  *server.Server
	t    testing.TB
}

// Start starts a server in mode on 127.0.0.1 with a free port. directives
// are redis.conf-style arguments, e.g. "--requirepass", "x".
func Start(t testing.TB, mode string, directives ...string) *Server {
	t.Helper()
	return StartTable(t, mode, command.Table(), directives...)
}

// StartTable is Start with a given command table (tests may add commands
// that exercise executor features, such as parking a client).
func StartTable(t testing.TB, mode string, table core.Table, directives ...string) *Server {
	t.Helper()
	cfg := config.Default()
	args := append([]string{"--bind", "127.0.0.1", "--port", "0", "--dir", t.TempDir(),
		"--save", "", "--appendonly", "no", "--mode", mode}, directives...)
	if err := cfg.ApplyArgs(args); err != nil {
		t.Fatalf("config: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	c := core.NewServer(cfg, table, log)
	if err := command.SetupACL(c); err != nil {
		t.Fatalf("acl: %v", err)
	}
	srv, err := server.New(c, mode)
	if err != nil {
		t.Fatal(err)
	}
	srv.FreePortForZero = true
	if _, err := persist.Open(c, persist.Options{}); err != nil {
		t.Fatalf("recovery: %v", err)
	}
	replication.Open(c)
	if err := srv.Start(); err != nil {
		t.Fatalf("start %s: %v", mode, err)
	}
	s := &Server{Mode: mode, Srv: srv, Port: srv.Port(), t: t}
	s.Addr = fmt.Sprintf("127.0.0.1:%d", s.Port)
	t.Cleanup(srv.Stop)
	return s
}

// ForEachMode runs fn as a subtest against a fresh server in each mode.
func ForEachMode(t *testing.T, fn func(t *testing.T, s *Server), directives ...string) {
	t.Helper()
	for _, m := range Modes {
		t.Run(m, func(t *testing.T) {
			fn(t, Start(t, m, directives...))
		})
	}
}

// Client returns a go-redis client (RESP2, one connection pool) closed at
// cleanup.
func (s *Server) Client() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: s.Addr, Protocol: 2, DisableIdentity: true})
	s.t.Cleanup(func() { c.Close() })
	return c
}

// Raw is a plain TCP connection speaking RESP by hand.
type Raw struct {
	t    testing.TB
	Conn net.Conn
	R    *bufio.Reader
}

// Raw opens a raw connection, closed at cleanup.
func (s *Server) Raw() *Raw {
	s.t.Helper()
	nc, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { nc.Close() })
	return &Raw{t: s.t, Conn: nc, R: bufio.NewReader(nc)}
}

// Send writes raw bytes.
func (r *Raw) Send(b string) {
	r.t.Helper()
	_ = r.Conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(r.Conn, b); err != nil {
		r.t.Fatalf("send: %v", err)
	}
}

// Read reads one reply.
func (r *Raw) Read() resp.Value {
	r.t.Helper()
	_ = r.Conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	v, err := resp.ReadReply(r.R)
	if err != nil {
		r.t.Fatalf("read reply: %v", err)
	}
	return v
}

// ReadLine reads one raw line including its CRLF (for exact bytes).
func (r *Raw) ReadLine() string {
	r.t.Helper()
	_ = r.Conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := r.R.ReadString('\n')
	if err != nil {
		r.t.Fatalf("read line: %v (got %q)", err, line)
	}
	return line
}

// Do sends a command as a RESP multibulk and reads its reply.
func (r *Raw) Do(args ...string) resp.Value {
	r.t.Helper()
	r.Send(Encode(args...))
	return r.Read()
}

// Encode encodes args as a RESP multibulk request.
func Encode(args ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	return b.String()
}

// ExpectClosed asserts the server closes the connection within d.
func (r *Raw) ExpectClosed(d time.Duration) {
	r.t.Helper()
	_ = r.Conn.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 4096)
	for {
		_, err := r.R.Read(buf)
		if err == io.EOF {
			return
		}
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				r.t.Fatalf("connection not closed within %v", d)
			}
			return // reset counts as closed
		}
	}
}

// Ctx returns a context for go-redis calls bounded by 10 s.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
