package server_test

import (
	"bufio"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

const busyEval = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"

// lines sends args on r and checks the reply lines, exactly.
func lines(t *testing.T, r *servertest.Raw, args []string, want ...string) {
	t.Helper()
	r.Send(servertest.Encode(args...))
	for _, w := range want {
		if got := r.ReadLine(); got != w {
			t.Fatalf("%q: got %q want %q", args, got, w)
		}
	}
}

// dialExpect connects to addr (closed when the test ends) and returns a
// function that sends args and checks the one reply line, exactly.
func dialExpect(t *testing.T, network, addr string) func(args []string, want string) {
	t.Helper()
	nc, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	rd := bufio.NewReader(nc)
	return func(args []string, want string) {
		t.Helper()
		_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := nc.Write([]byte(servertest.Encode(args...))); err != nil {
			t.Fatal(err)
		}
		if l, err := rd.ReadString('\n'); l != want {
			t.Fatalf("%q: got %q (%v) want %q", args, l, err, want)
		}
	}
}

// waitBusy waits until a new connection gets -BUSY for PING and returns
// it (the connection was opened after the script started).
func waitBusy(t *testing.T, s *servertest.Server, want string) *servertest.Raw {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := s.Raw()
		r.Send(servertest.Encode("PING"))
		l := r.ReadLine()
		if l == want {
			return r
		}
		if l != "+PONG\r\n" {
			t.Fatalf("PING while busy: %q", l)
		}
		if time.Now().After(deadline) {
			t.Fatal("no BUSY reply")
		}
		r.Conn.Close()
		time.Sleep(20 * time.Millisecond)
	}
}

// TestBusyNewConnection checks that a connection opened while a slow
// script runs is accepted and served (-BUSY, SCRIPT KILL), keeps the state
// it set while busy (HELLO 3 SETNAME), and its input read while busy (a
// partial request), once the script ended; in the event loop it is then
// handed over to gnet.
func TestBusyNewConnection(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		a := s.Raw()
		lines(t, a, []string{"SET", "k", "v"}, "+OK\r\n")
		a.Send(servertest.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0"))
		b := waitBusy(t, s, busyEval)
		lines(t, b, []string{"SELECT", "2"}, busyEval)
		if v := b.Do("HELLO", "3", "SETNAME", "side"); v.Type != '%' || len(v.Array) != 14 {
			t.Fatalf("HELLO while busy: %+v", v)
		}
		lines(t, b, []string{"MULTI"}, "+OK\r\n")
		lines(t, b, []string{"DISCARD"}, "+OK\r\n")
		lines(t, b, []string{"FUNCTION", "KILL"}, busyEval)
		// A connection that closes while busy is gone from CLIENT LIST.
		gone := s.Raw()
		gone.Send(servertest.Encode("PING"))
		if l := gone.ReadLine(); l != busyEval {
			t.Fatalf("got %q", l)
		}
		gone.Conn.Close()
		// A partial request is buffered when the script ends.
		b.Send("*2\r\n$4\r\nPI")
		time.Sleep(50 * time.Millisecond)
		c := waitBusy(t, s, busyEval)
		lines(t, c, []string{"SCRIPT", "KILL"}, "+OK\r\n")
		if l := a.ReadLine(); l != "-ERR Script killed by user with SCRIPT KILL... script: 3fcf51a9b854b8f66cb8685600b0d7df968f4398, on @user_script:1.\r\n" {
			t.Fatalf("killed script: %q", l)
		}
		b.Send("NG\r\n$1\r\nx\r\n")
		if l := b.ReadLine() + b.ReadLine(); l != "$1\r\nx\r\n" {
			t.Fatalf("PING x after the script: %q", l)
		}
		lines(t, b, []string{"CLIENT", "GETNAME"}, "$4\r\n", "side\r\n")
		lines(t, b, []string{"SELECT", "2"}, "+OK\r\n")
		lines(t, b, []string{"SET", "k2", "v2"}, "+OK\r\n")
		lines(t, b, []string{"GET", "k2"}, "$2\r\n", "v2\r\n")
		lines(t, a, []string{"GET", "k2"}, "$-1\r\n")
		lines(t, a, []string{"SELECT", "2"}, "+OK\r\n")
		lines(t, a, []string{"GET", "k2"}, "$2\r\n", "v2\r\n")
		v := c.Do("CLIENT", "LIST")
		list := v.Str
		if strings.Count(list, "\n") != 3 || !strings.Contains(list, "name=side") || !strings.Contains(list, "db=2") {
			t.Fatalf("CLIENT LIST: %q", list)
		}
		v = c.Do("INFO", "clients")
		if !strings.Contains(v.Str, "connected_clients:3\r\n") {
			t.Fatalf("INFO clients: %q", v.Str)
		}
		// The handed-over connection still answers -BUSY during the next
		// slow script, and can be killed.
		a.Send(servertest.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0"))
		waitBusy(t, s, busyEval)
		lines(t, b, []string{"PING"}, busyEval)
		// FUNCTION STATS is for functions: an EVAL gets -BUSY.
		lines(t, b, []string{"FUNCTION", "STATS"}, busyEval)
		lines(t, b, []string{"SCRIPT", "KILL"}, "+OK\r\n")
		a.ReadLine()
		lines(t, b, []string{"PING"}, "+PONG\r\n")
	}, "--busy-reply-threshold", "50")
}

// TestBusyNewConnectionFunctionKill checks FUNCTION KILL of a slow FCALL
// from a connection opened while it runs.
func TestBusyNewConnectionFunctionKill(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		a := s.Raw()
		lines(t, a, []string{"FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('slow', function() local i = 0 while true do i = i + 1 end end)"},
			"$3\r\n", "lib\r\n")
		a.Send(servertest.Encode("FCALL", "slow", "0"))
		busyFunc := "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n"
		b := waitBusy(t, s, busyFunc)
		lines(t, b, []string{"SCRIPT", "KILL"}, busyFunc)
		lines(t, b, []string{"FUNCTION", "KILL"}, "+OK\r\n")
		// As Redis 7.0: the position is the library line the kill
		// stopped.
		if l := a.ReadLine(); l != "-ERR Script killed by user with SCRIPT KILL... script: slow, on @user_function:2.\r\n" {
			t.Fatalf("killed function: %q", l)
		}
		lines(t, b, []string{"PING"}, "+PONG\r\n")
		lines(t, a, []string{"PING"}, "+PONG\r\n")
	}, "--busy-reply-threshold", "50")
}

// TestBusyNewConnectionMaxClients checks that maxclients holds for the
// connections accepted while busy.
func TestBusyNewConnectionMaxClients(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		a := s.Raw()
		a.Send(servertest.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0"))
		b := waitBusy(t, s, busyEval)
		over := s.Raw()
		if l := over.ReadLine(); l != "-ERR max number of clients reached\r\n" {
			t.Fatalf("over maxclients: %q", l)
		}
		over.ExpectClosed(2 * time.Second)
		lines(t, b, []string{"SCRIPT", "KILL"}, "+OK\r\n")
		a.ReadLine()
		lines(t, b, []string{"PING"}, "+PONG\r\n")
	}, "--busy-reply-threshold", "50", "--maxclients", "2")
}

// TestBusyNewConnectionShutdown checks SHUTDOWN NOSAVE from a connection
// opened while a slow script runs: the server stops (plain SHUTDOWN gets
// -BUSY).
func TestBusyNewConnectionShutdown(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		a := s.Raw()
		a.Send(servertest.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0"))
		b := waitBusy(t, s, busyEval)
		lines(t, b, []string{"SHUTDOWN"}, busyEval)
		b.Send(servertest.Encode("SHUTDOWN", "NOSAVE"))
		b.ExpectClosed(5 * time.Second)
		select {
		case <-s.Srv.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("server still running after SHUTDOWN NOSAVE")
		}
	}, "--busy-reply-threshold", "50")
}

// TestBusyNewUnixConnection checks a Unix socket connection opened while
// a slow script runs (the server listens on TCP too).
func TestBusyNewUnixConnection(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "redis.sock")
			s := servertest.Start(t, mode, "--unixsocket", path, "--busy-reply-threshold", "50")
			a := s.Raw()
			a.Send(servertest.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0"))
			waitBusy(t, s, busyEval)
			u := dialExpect(t, "unix", path)
			u([]string{"PING"}, busyEval)
			u([]string{"CLIENT", "SETNAME", "x"}, busyEval)
			u([]string{"SCRIPT", "KILL"}, "+OK\r\n")
			a.ReadLine()
			u([]string{"CLIENT", "SETNAME", "unixside"}, "+OK\r\n")
			if v := a.Do("CLIENT", "LIST"); !strings.Contains(v.Str, "name=unixside") || !strings.Contains(v.Str, "flags=U") {
				t.Fatalf("CLIENT LIST: %q", v.Str)
			}
		})
	}
}

// TestBusyNewConnectionMovedPort checks a connection opened while a slow
// script runs on the port CONFIG SET port moved the server to.
func TestBusyNewConnectionMovedPort(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		a := s.Raw()
		old := s.Raw()
		lines(t, a, []string{"CONFIG", "SET", "port", strconv.Itoa(port)}, "+OK\r\n")
		a.Send(servertest.Encode("EVAL", "local i = 0 while true do i = i + 1 end", "0"))
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if l := old.Do("PING"); l.Type == '-' {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no BUSY reply")
			}
		}
		do := dialExpect(t, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		do([]string{"PING"}, busyEval)
		do([]string{"SCRIPT", "KILL"}, "+OK\r\n")
		a.ReadLine()
		do([]string{"PING"}, "+PONG\r\n")
	}, "--busy-reply-threshold", "50")
}
