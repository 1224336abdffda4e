package config

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// This file is the test oracle: a real redis-server 7.0, when installed,
// run on a free port (or fed a bad configuration) so that tests compare
// our answers with Redis's own. Tests using it skip when redis-server is
// not on PATH.

// redisServer returns the path of redis-server or skips the test.
func redisServer(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	return p
}

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// oracle is a running redis-server and a connection to it.
type oracle struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
	dir  string
}

// startOracle starts redis-server on a free port in a temporary directory.
// conf, when not "", is written to redis.conf there and passed as the
// configuration file; args follow it.
func startOracle(t *testing.T, conf string, args ...string) *oracle {
	t.Helper()
	bin := redisServer(t)
	dir := t.TempDir()
	port := freePort(t)
	var argv []string
	if conf != "" {
		path := filepath.Join(dir, "redis.conf")
		if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		argv = append(argv, path)
	}
	argv = append(argv, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--daemonize", "no")
	argv = append(argv, args...)
	cmd := exec.Command(bin, argv...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			o := &oracle{t: t, conn: conn, r: bufio.NewReader(conn), dir: dir}
			t.Cleanup(func() { conn.Close() })
			return o
		}
		select {
		case <-done:
			t.Fatalf("redis-server exited: %s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// do sends a command and returns the reply: a string for bulk and
// simple strings, "ERR..." text prefixed by "-" for errors, []any for
// arrays.
func (o *oracle) do(args ...string) any {
	o.t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := o.conn.Write(b.Bytes()); err != nil {
		o.t.Fatal(err)
	}
	v, err := readReply(o.r)
	if err != nil {
		o.t.Fatal(err)
	}
	return v
}

func readReply(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return line, nil
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, _ := strconv.Atoi(line[1:])
		out := make([]any, 0, n)
		for i := 0; i < n; i++ {
			v, err := readReply(r)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("bad reply %q", line)
}

// getAll returns CONFIG GET pattern... as a map.
func (o *oracle) getAll(patterns ...string) map[string]string {
	o.t.Helper()
	v := o.do(append([]string{"CONFIG", "GET"}, patterns...)...)
	arr, ok := v.([]any)
	if !ok {
		o.t.Fatalf("CONFIG GET: %v", v)
	}
	m := map[string]string{}
	for i := 0; i+1 < len(arr); i += 2 {
		m[arr[i].(string)] = arr[i+1].(string)
	}
	return m
}

// redisFatal runs redis-server with the configuration text conf (written
// to a file) and argv args, expecting it to refuse to start; it returns
// what Redis printed on stderr. A trailing "--port 0" makes a
// configuration that unexpectedly loads exit at once ("Configured to not
// listen anywhere").
func redisFatal(t *testing.T, conf string, args ...string) string {
	t.Helper()
	bin, _ := exec.LookPath("redis-server") // callers checked redisServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Error(err) // may run on another goroutine: no Fatal
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	argv := append([]string{path}, args...)
	argv = append(argv, "--port", "0", "--unixsocket", "")
	cmd := exec.CommandContext(ctx, bin, argv...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	_ = cmd.Run()
	return stderr.String()
}

// redisFatalAll runs redisFatal for each configuration text, several at a
// time.
func redisFatalAll(t *testing.T, confs []string) []string {
	t.Helper()
	out := make([]string, len(confs))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, conf := range confs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = redisFatal(t, conf)
		}()
	}
	wg.Wait()
	return out
}
