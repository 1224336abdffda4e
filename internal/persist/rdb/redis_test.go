package rdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// This file holds helpers to drive a real redis-server in interop tests:
// starting one on a free port in a temporary directory, and a minimal
// RESP2 client.

// redisServer is a redis-server process started by a test.
type redisServer struct {
	dir  string
	port int
	cmd  *exec.Cmd
	conn *respConn
}

// needRedis skips the test unless the named binaries are on PATH.
func needRedis(t *testing.T, bins ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("interop test skipped in -short mode")
	}
	for _, b := range append([]string{"redis-server"}, bins...) {
		if _, err := exec.LookPath(b); err != nil {
			t.Skipf("%s not on PATH", b)
		}
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startRedis starts redis-server with dir as its working directory and the
// given extra arguments; it is stopped when the test ends.
func startRedis(t *testing.T, dir string, args ...string) *redisServer {
	t.Helper()
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port := freePort(t)
		base := []string{
			"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--dir", dir, "--save", "", "--appendonly", "no",
			"--daemonize", "no", "--logfile", filepath.Join(dir, "redis.log"),
			"--enable-debug-command", "yes",
		}
		cmd := exec.Command("redis-server", append(base, args...)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		s := &redisServer{dir: dir, port: port, cmd: cmd}
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case <-done:
				lastErr = fmt.Errorf("redis-server exited early; log:\n%s", readLog(dir))
			default:
			}
			if lastErr != nil {
				break
			}
			c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
			if err == nil {
				s.conn = &respConn{c: c, r: bufio.NewReader(c)}
				if r, err := s.conn.do("PING"); err == nil && r == "PONG" {
					t.Cleanup(func() {
						s.conn.c.Close()
						cmd.Process.Kill()
						<-done
					})
					return s
				}
				c.Close()
			}
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Kill()
		<-done
		if lastErr == nil {
			lastErr = errors.New("redis-server did not answer PING")
		}
	}
	t.Fatalf("starting redis-server: %v", lastErr)
	return nil
}

func readLog(dir string) string {
	b, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
	return string(b)
}

// respConn is a minimal RESP2 client.
type respConn struct {
	c net.Conn
	r *bufio.Reader
}

// respError is an error reply.
type respError string

func (e respError) Error() string { return string(e) }

func (c *respConn) send(args ...[]byte) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n", len(a))
		b.Write(a)
		b.WriteString("\r\n")
	}
	_, err := c.c.Write(b.Bytes())
	return err
}

// doB sends a command with binary arguments and reads the reply: string
// for simple and bulk strings, int64, []any, nil, or a respError.
func (c *respConn) doB(args ...[]byte) (any, error) {
	c.c.SetDeadline(time.Now().Add(30 * time.Second))
	if err := c.send(args...); err != nil {
		return nil, err
	}
	return c.read()
}

func (c *respConn) do(args ...string) (any, error) {
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	return c.doB(b...)
}

func (c *respConn) read() (any, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if len(line) < 3 {
		return nil, fmt.Errorf("bad reply line %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return body, nil
	case '-':
		return respError(body), nil
	case ':':
		return strconv.ParseInt(body, 10, 64)
	case '$':
		n, _ := strconv.Atoi(body)
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, _ := strconv.Atoi(body)
		if n < 0 {
			return nil, nil
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = c.read(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("bad reply type %q", line)
}

// must runs a command and fails the test on an error reply.
func (s *redisServer) must(t *testing.T, args ...string) any {
	t.Helper()
	r, err := s.conn.do(args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	if e, ok := r.(respError); ok {
		t.Fatalf("%v: %v", args, e)
	}
	return r
}

func (s *redisServer) mustB(t *testing.T, args ...[]byte) any {
	t.Helper()
	r, err := s.conn.doB(args...)
	if err != nil {
		t.Fatalf("%q: %v", args[0], err)
	}
	if e, ok := r.(respError); ok {
		t.Fatalf("%q: %v", args[0], e)
	}
	return r
}

// fetch reads key from the server's current database as a Value, with its
// absolute expiry (PEXPIRETIME), or ok=false if it does not exist.
func (s *redisServer) fetch(t *testing.T, key string) (Value, int64, bool) {
	t.Helper()
	typ := s.must(t, "TYPE", key).(string)
	strs := func(r any) [][]byte {
		var out [][]byte
		for _, x := range r.([]any) {
			out = append(out, []byte(x.(string)))
		}
		return out
	}
	var v Value
	switch typ {
	case "none":
		return Value{}, 0, false
	case "string":
		v = Value{Kind: KindString, Str: []byte(s.must(t, "GET", key).(string))}
	case "list":
		v = Value{Kind: KindList, List: strs(s.must(t, "LRANGE", key, "0", "-1"))}
	case "set":
		v = Value{Kind: KindSet, Set: strs(s.must(t, "SMEMBERS", key))}
	case "hash":
		flat := strs(s.must(t, "HGETALL", key))
		v = Value{Kind: KindHash}
		for i := 0; i+1 < len(flat); i += 2 {
			v.Hash = append(v.Hash, [2][]byte{flat[i], flat[i+1]})
		}
	case "zset":
		flat := strs(s.must(t, "ZRANGE", key, "0", "-1", "WITHSCORES"))
		v = Value{Kind: KindZSet}
		for i := 0; i+1 < len(flat); i += 2 {
			f, err := strconv.ParseFloat(string(flat[i+1]), 64)
			if err != nil {
				t.Fatalf("score %q: %v", flat[i+1], err)
			}
			v.ZSet = append(v.ZSet, ZMember{flat[i], f})
		}
	default:
		t.Fatalf("key %q has type %s", key, typ)
	}
	exp := s.must(t, "PEXPIRETIME", key).(int64)
	if exp < 0 {
		exp = NoExpiry
	}
	return v, exp, true
}

// keys lists the keys of the current database.
func (s *redisServer) keys(t *testing.T) []string {
	var out []string
	for _, k := range s.must(t, "KEYS", "*").([]any) {
		out = append(out, k.(string))
	}
	return out
}

func bulkArgs(cmd string, key string, vals ...[]byte) [][]byte {
	out := [][]byte{[]byte(cmd), []byte(key)}
	return append(out, vals...)
}
