package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseArgs(t *testing.T) {
	cases := []struct {
		args []string
		env  string
		port int
		mode string
	}{
		{nil, "", 6379, "eventloop"},
		{[]string{"--mode=threaded"}, "", 6379, "threaded"},
		{[]string{"--mode", "threaded", "--port", "7000"}, "", 7000, "threaded"},
		{[]string{"--port=7001"}, "", 7001, "eventloop"},
		{[]string{"7002"}, "", 7002, "eventloop"},
		{[]string{"--mode=eventloop", "7003"}, "", 7003, "eventloop"},
		{nil, "7004", 7004, "eventloop"},
		{[]string{"--port", "7005"}, "7004", 7005, "eventloop"},
	}
	for _, tc := range cases {
		t.Setenv("REDIS_CLONE_PORT", tc.env)
		cfg, help, err := parseArgs(tc.args, &bytes.Buffer{})
		if err != nil || help {
			t.Fatalf("%v: err %v help %v", tc.args, err, help)
		}
		if cfg.Port != tc.port || cfg.Mode != tc.mode {
			t.Errorf("%v env %q: port %d mode %s, want %d %s", tc.args, tc.env, cfg.Port, cfg.Mode, tc.port, tc.mode)
		}
	}
	t.Setenv("REDIS_CLONE_PORT", "")
	if _, help, _ := parseArgs([]string{"-h"}, &bytes.Buffer{}); !help {
		t.Error("-h is not help")
	}
	if _, _, err := parseArgs([]string{"--nosuchdirective", "1"}, &bytes.Buffer{}); err == nil ||
		!strings.Contains(err.Error(), "Bad directive or wrong number of arguments") {
		t.Errorf("unknown directive: %v", err)
	}
	if _, _, err := parseArgs([]string{"--mode", "bogus"}, &bytes.Buffer{}); err == nil {
		t.Error("bad mode accepted")
	}
}

func TestConfigFileThenDirectives(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "redis.conf")
	if err := os.WriteFile(conf, []byte("port 7100\nmaxclients 77\ntimeout 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("REDIS_CLONE_PORT", "")
	cfg, _, err := parseArgs([]string{conf, "--port", "7200", "--save", "", "--appendonly", "yes"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Port != 7200 || cfg.MaxClients != 77 || cfg.Timeout != 5 || len(cfg.Save) != 0 || !cfg.AppendOnly {
		t.Fatalf("got port %d maxclients %d timeout %d save %v aof %v", cfg.Port, cfg.MaxClients, cfg.Timeout, cfg.Save, cfg.AppendOnly)
	}
	bad := filepath.Join(dir, "bad.conf")
	_ = os.WriteFile(bad, []byte("port 7100\nfoo bar\n"), 0o644)
	_, _, err = parseArgs([]string{bad}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "at line 2") || !strings.Contains(err.Error(), ">>> 'foo bar'") {
		t.Fatalf("bad file: %v", err)
	}
}

// TestBinary builds the server, starts it in each mode and checks the
// banner, a real round trip and a clean exit on SIGTERM.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "redis-clone")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	help, err := exec.Command(bin, "--help").Output()
	if err != nil || !strings.Contains(string(help), "--mode=eventloop") || !strings.Contains(string(help), "Examples:") {
		t.Fatalf("help: %v %s", err, help)
	}
	for _, mode := range []string{"eventloop", "threaded"} {
		t.Run(mode, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port := ln.Addr().(*net.TCPAddr).Port
			ln.Close()
			cmd := exec.Command(bin, "--mode="+mode, "--dir", t.TempDir(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
			cmd.Env = append(os.Environ(), "REDIS_CLONE_PORT="+strconv.Itoa(port))
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			sc := bufio.NewScanner(stdout)
			var banner []string
			for sc.Scan() {
				banner = append(banner, sc.Text())
				if strings.Contains(sc.Text(), "Ready to accept connections") {
					break
				}
			}
			go func() {
				for sc.Scan() {
				}
			}()
			text := strings.Join(banner, "\n")
			wantMode := map[string]string{"eventloop": "Mode: Event Loop", "threaded": "Mode: Threaded"}[mode]
			for _, want := range []string{"Redis Clone Server v0.1.0", wantMode, "Port: " + strconv.Itoa(port), "PID: " + strconv.Itoa(cmd.Process.Pid), "ready to accept connections"} {
				if !strings.Contains(text, want) {
					t.Fatalf("banner lacks %q:\n%s", want, text)
				}
			}
			nc, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = nc.Write([]byte("SET name john\r\nGET name\r\n"))
			r := bufio.NewReader(nc)
			var got string
			for i := 0; i < 3; i++ {
				_ = nc.SetReadDeadline(time.Now().Add(2 * time.Second))
				l, _ := r.ReadString('\n')
				got += l
			}
			nc.Close()
			if got != "+OK\r\n$4\r\njohn\r\n" {
				t.Fatalf("got %q", got)
			}
			_ = cmd.Process.Signal(os.Interrupt)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no exit after SIGINT")
			}
		})
	}
}
