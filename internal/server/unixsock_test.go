package server_test

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/server"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// unixDo sends one command over a new connection to the socket at path.
func unixDo(t *testing.T, path string, args ...string) resp.Value {
	t.Helper()
	nc, err := net.DialTimeout("unix", path, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := nc.Write([]byte(servertest.Encode(args...))); err != nil {
		t.Fatal(err)
	}
	v, err := resp.ReadReply(bufio.NewReader(nc))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The Unix socket as in Redis: a stale file is replaced, unixsocketperm
// applies, clients show "path:0" and flag U, protected mode lets them in
// (the path here is relative), CONFIG SET port leaves the socket alone,
// and the file is gone after shutdown.
func TestUnixSocket(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			t.Chdir(t.TempDir())
			const path = "redis.sock"
			if err := os.WriteFile(path, []byte("stale"), 0o644); err != nil {
				t.Fatal(err)
			}
			s := servertest.Start(t, mode, "--unixsocket", path, "--unixsocketperm", "700", "--protected-mode", "yes")
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o700 {
				t.Fatalf("socket file mode %v, want a socket with 0700", fi.Mode())
			}
			if v := unixDo(t, path, "SET", "k", "v"); v.Str != "OK" {
				t.Fatalf("SET over the socket: %+v", v)
			}
			if v := s.Raw().Do("GET", "k"); v.Str != "v" {
				t.Fatalf("GET over TCP: %+v", v)
			}
			info := unixDo(t, path, "CLIENT", "INFO").Str
			for _, want := range []string{" addr=redis.sock:0 ", " laddr=redis.sock:0 ", " flags=U "} {
				if !strings.Contains(info, want) {
					t.Errorf("CLIENT INFO %q lacks %q", info, want)
				}
			}
			if v := unixDo(t, path, "CONFIG", "GET", "unixsocket"); len(v.Array) != 2 || v.Array[1].Str != path {
				t.Errorf("CONFIG GET unixsocket: %+v", v)
			}
			if v := unixDo(t, path, "CONFIG", "SET", "unixsocket", "/tmp/x"); v.Type != '-' {
				t.Errorf("CONFIG SET unixsocket: %+v, want an error", v)
			}
			port := freePort(t)
			if v := unixDo(t, path, "CONFIG", "SET", "port", strconv.Itoa(port)); v.Str != "OK" {
				t.Fatalf("CONFIG SET port: %+v", v)
			}
			if v := unixDo(t, path, "PING"); v.Str != "PONG" {
				t.Fatalf("PING after CONFIG SET port: %+v", v)
			}
			s.Srv.Stop()
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Fatalf("socket file after shutdown: %v", err)
			}
		})
	}
}

// With several bind addresses and --port 0, every address listens on the
// one port the server reports.
func TestPortZeroSeveralBinds(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		for _, host := range []string{"127.0.0.1", "127.0.0.2"} {
			nc, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(s.Port)), 5*time.Second)
			if err != nil {
				t.Fatalf("%s: %v", host, err)
			}
			nc.Close()
		}
	}, "--bind", "127.0.0.1 127.0.0.2")
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startAsConfigured starts a server exactly as configured: unlike
// servertest, port 0 keeps Redis's meaning (no TCP listener).
func startAsConfigured(t *testing.T, mode string, args ...string) (*server.Server, error) {
	t.Helper()
	cfg := config.Default()
	args = append([]string{"--dir", t.TempDir(), "--save", "", "--appendonly", "no", "--mode", mode}, args...)
	if err := cfg.ApplyArgs(args); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(core.NewServer(cfg, command.Table(), slog.New(slog.NewTextHandler(io.Discard, nil))), mode)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		return nil, err
	}
	t.Cleanup(srv.Stop)
	return srv, nil
}

// refused reports whether nothing listens on 127.0.0.1:port.
func refused(port int) bool {
	nc, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err == nil {
		// The event loop's retired initial listener accepts and closes.
		_ = nc.SetReadDeadline(time.Now().Add(time.Second))
		_, err = nc.Read(make([]byte, 1))
		nc.Close()
		return err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
	}
	return true
}

// Port 0 and an empty bind list mean no TCP listener, as in Redis: the
// server serves its Unix socket only, CONFIG SET port opens a TCP port and
// CONFIG SET port 0 closes it again; with neither TCP nor a Unix socket
// the server refuses to start with Redis's message.
func TestPortZeroMeansNoTCP(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			if _, err := startAsConfigured(t, mode, "--port", "0"); !errors.Is(err, server.ErrNoListener) {
				t.Fatalf("port 0 without a Unix socket: %v, want %v", err, server.ErrNoListener)
			}
			port := freePort(t)
			if _, err := startAsConfigured(t, mode, "--port", strconv.Itoa(port), "--bind", ""); !errors.Is(err, server.ErrNoListener) {
				t.Fatalf(`bind "" without a Unix socket: %v`, err)
			}
			path := filepath.Join(t.TempDir(), "s.sock")
			srv, err := startAsConfigured(t, mode, "--port", "0", "--bind", "127.0.0.1", "--unixsocket", path)
			if err != nil {
				t.Fatal(err)
			}
			if srv.Port() != 0 {
				t.Fatalf("Port() = %d, want 0", srv.Port())
			}
			if v := unixDo(t, path, "INFO", "server").Str; !strings.Contains(v, "\r\ntcp_port:0\r\n") {
				t.Errorf("INFO server lacks tcp_port:0")
			}
			if v := unixDo(t, path, "CONFIG", "SET", "port", strconv.Itoa(port)); v.Str != "OK" {
				t.Fatalf("CONFIG SET port: %+v", v)
			}
			nc, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 5*time.Second)
			if err != nil {
				t.Fatalf("after CONFIG SET port %d: %v", port, err)
			}
			nc.Close()
			if v := unixDo(t, path, "CONFIG", "SET", "port", "0"); v.Str != "OK" {
				t.Fatalf("CONFIG SET port 0: %+v", v)
			}
			if !refused(port) {
				t.Errorf("port %d still serves after CONFIG SET port 0", port)
			}
			if v := unixDo(t, path, "PING"); v.Str != "PONG" {
				t.Fatalf("PING over the socket: %+v", v)
			}
		})
	}
}
