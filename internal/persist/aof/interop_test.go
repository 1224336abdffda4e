package aof

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// These tests run the real redis-server, redis-cli and redis-check-aof
// (7.0) when they are on PATH, and are skipped otherwise.

func needTools(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("interop tests skipped in -short mode")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH", tool)
		}
	}
}

type redisProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	sock string
	log  string
	done chan error
}

// startRedis starts redis-server on dir with appendonly yes, listening on a
// unix socket only.
func startRedis(t *testing.T, dir string, extra ...string) *redisProc {
	t.Helper()
	sockDir, err := os.MkdirTemp("", "rs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	r := &redisProc{t: t, sock: filepath.Join(sockDir, "s.sock"), log: filepath.Join(sockDir, "redis.log"), done: make(chan error, 1)}
	args := append([]string{"--port", "0", "--unixsocket", r.sock, "--dir", dir, "--appendonly", "yes",
		"--save", "", "--daemonize", "no", "--logfile", r.log}, extra...)
	r.cmd = exec.Command("redis-server", args...)
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(r.kill)
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, _ := exec.Command("redis-cli", "-s", r.sock, "ping").CombinedOutput()
		if strings.TrimSpace(string(out)) == "PONG" {
			return r
		}
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("redis-server exited: %v\n%s", err, r.logText())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server not ready\n%s", r.logText())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *redisProc) logText() string {
	b, _ := os.ReadFile(r.log)
	return string(b)
}

// cli runs one redis-cli command (args) or, with stdin, a script of
// commands on one connection.
func (r *redisProc) cli(stdin string, args ...string) string {
	r.t.Helper()
	c := exec.Command("redis-cli", append([]string{"-s", r.sock}, args...)...)
	if stdin != "" {
		c.Stdin = strings.NewReader(stdin)
	}
	out, err := c.CombinedOutput()
	if err != nil {
		r.t.Fatalf("redis-cli %v: %v\n%s", args, err, out)
	}
	return strings.TrimRight(string(out), "\n")
}

func (r *redisProc) shutdown() {
	r.t.Helper()
	exec.Command("redis-cli", "-s", r.sock, "shutdown").Run()
	select {
	case <-r.done:
		r.done <- nil
	case <-time.After(10 * time.Second):
		r.t.Fatal("redis-server did not shut down")
	}
}

func (r *redisProc) kill() {
	select {
	case err := <-r.done:
		r.done <- err
	default:
		r.cmd.Process.Kill()
		<-r.done
		r.done <- nil
	}
}

func (r *redisProc) waitRewrite() {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		info := r.cli("", "info", "persistence")
		if strings.Contains(info, "aof_rewrite_in_progress:0") && strings.Contains(info, "aof_rewrite_scheduled:0") &&
			strings.Contains(info, "aof_last_bgrewrite_status:ok") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatal("rewrite did not finish")
}

// ourAOF writes a dataset with our package: a base (RESP from a model, or
// the empty RDB), a rewrite, and incr commands in several databases.
func ourAOF(t *testing.T, rdbBase bool) (Options, *model) {
	t.Helper()
	opts := testOpts(t)
	opts.Fsync = FsyncEverysec
	opts.UseRDBPreamble = rdbBase
	ds := newModel()
	if !rdbBase {
		ds.dbs[0] = map[string]any{"base-str": "b", "base-list": []string{"1", "2"}}
		ds.dbs[5] = map[string]any{"base-hash": map[string]string{"f1": "v1", "f2": "v2"}}
		opts.InitialBase = ds.clone().writeRESP
	}
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	l := &live{m: ds, w: w}
	l.do(0, "SET", "s", "hello world")
	l.do(0, "SET", "bin", "a\x00b\r\nc\xff")
	l.do(3, "RPUSH", "list", "a", "b", "c")
	l.do(3, "HSET", "h", "k", "v")
	l.do(3, "INCR", "counter")
	l.do(3, "INCR", "counter")
	l.do(0, "DEL", "s")
	l.do(0, "SET", "s2", strings.Repeat("x", 100000))
	w.Flush()
	// A transaction, as Redis propagates it.
	l.mu.Lock()
	w.Append(1, cmd("MULTI"))
	l.m.db = 1
	l.m.exec(cmd("SET", "tx1", "1"))
	w.Append(1, cmd("SET", "tx1", "1"))
	l.m.exec(cmd("SET", "tx2", "2"))
	w.Append(1, cmd("SET", "tx2", "2"))
	w.Append(1, cmd("EXEC"))
	l.mu.Unlock()
	w.Flush()
	// A rewrite with a RESP base, then more writes.
	l.mu.Lock()
	rw, err := w.StartRewrite()
	if err != nil {
		t.Fatal(err)
	}
	snap := l.m.clone()
	l.mu.Unlock()
	l.do(2, "SET", "during", "rewrite")
	if err := rw.WriteBase(snap.writeRESP, false); err != nil {
		t.Fatal(err)
	}
	if err := rw.Commit(); err != nil {
		t.Fatal(err)
	}
	l.do(0, "SET", "after", "commit")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return opts, l.m
}

// redisDataset reads every key of a running redis into a model.
func redisDataset(t *testing.T, r *redisProc, dbs []int) *model {
	m := newModel()
	for _, db := range dbs {
		keys := r.cli("", "-n", fmt.Sprint(db), "--raw", "keys", "*")
		if keys == "" {
			continue
		}
		d := map[string]any{}
		for _, k := range strings.Split(keys, "\n") {
			switch typ := r.cli("", "-n", fmt.Sprint(db), "type", k); typ {
			case "string":
				// --raw prints the bytes; the trailing newline is added by redis-cli.
				c := exec.Command("redis-cli", "-s", r.sock, "-n", fmt.Sprint(db), "--raw", "get", k)
				out, err := c.Output()
				if err != nil {
					t.Fatal(err)
				}
				d[k] = string(bytes.TrimSuffix(out, []byte("\n")))
			case "list":
				d[k] = strings.Split(r.cli("", "-n", fmt.Sprint(db), "--raw", "lrange", k, "0", "-1"), "\n")
			case "hash":
				parts := strings.Split(r.cli("", "-n", fmt.Sprint(db), "--raw", "hgetall", k), "\n")
				h := map[string]string{}
				for i := 0; i+1 < len(parts); i += 2 {
					h[parts[i]] = parts[i+1]
				}
				d[k] = h
			default:
				t.Fatalf("type %q of %q", typ, k)
			}
		}
		m.dbs[db] = d
	}
	return m
}

func checkAOF(t *testing.T, manifest string) string {
	t.Helper()
	out, err := exec.Command("redis-check-aof", manifest).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-check-aof %s: %v\n%s", manifest, err, out)
	}
	return string(out)
}

func TestInteropRedisCheckAOFAcceptsOurs(t *testing.T) {
	needTools(t, "redis-check-aof")
	for _, rdb := range []bool{true, false} {
		opts, _ := ourAOF(t, rdb)
		out := checkAOF(t, filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.manifest"))
		if !strings.Contains(out, "BASE AOF appendonly.aof.2.base.aof is valid") || !strings.Contains(out, "INCR AOF appendonly.aof.2.incr.aof is valid") ||
			!strings.Contains(out, "All AOF files and manifest are valid") {
			t.Fatalf("%s", out)
		}
	}
	// The fresh layout with our empty RDB base.
	opts := testOpts(t)
	opts.UseRDBPreamble = true
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.Append(0, cmd("SET", "a", "1"))
	w.Close()
	out := checkAOF(t, filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.manifest"))
	if !strings.Contains(out, "Start to check BASE AOF (RDB format)") || !strings.Contains(out, "RDB preamble is OK") || !strings.Contains(out, "All AOF files and manifest are valid") {
		t.Fatalf("%s", out)
	}
	// And redis-check-aof agrees with us about a truncated file.
	incr := filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.1.incr.aof")
	b, _ := os.ReadFile(incr)
	os.WriteFile(incr, b[:len(b)-3], 0o644)
	if out, err := exec.Command("redis-check-aof", filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.manifest")).CombinedOutput(); err == nil {
		t.Fatalf("truncated file accepted:\n%s", out)
	}
}

func TestInteropRedisLoadsOurs(t *testing.T) {
	needTools(t, "redis-server", "redis-cli")
	for _, rdb := range []bool{false, true} {
		t.Run(fmt.Sprint("initial-rdb-base=", rdb), func(t *testing.T) {
			opts, want := ourAOF(t, rdb)
			r := startRedis(t, opts.Dir)
			if !strings.Contains(r.logText(), "DB loaded from incr file appendonly.aof.2.incr.aof") {
				t.Fatalf("log:\n%s", r.logText())
			}
			got := redisDataset(t, r, []int{0, 1, 2, 3, 5})
			if !got.equal(want) {
				t.Fatalf("redis has\n%v\nwant\n%v", got.dbs, want.dbs)
			}
			r.shutdown()
		})
	}
	// Redis loads our empty RDB base file plus incr.
	opts := testOpts(t)
	opts.UseRDBPreamble = true
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.Append(4, cmd("SET", "k", "v"))
	w.Close()
	r := startRedis(t, opts.Dir)
	if got := r.cli("", "-n", "4", "get", "k"); got != "v" {
		t.Fatalf("%q\n%s", got, r.logText())
	}
	if !strings.Contains(r.logText(), "DB loaded from base file appendonly.aof.1.base.rdb") {
		t.Fatalf("%s", r.logText())
	}
	r.shutdown()
}

func TestInteropWeLoadRedis(t *testing.T) {
	needTools(t, "redis-server", "redis-cli")
	script1 := strings.Join([]string{
		"SET a 1", "SET b hello", "RPUSH l x y z", "HSET h f1 v1 f2 v2", "INCR n", "INCR n",
		"SELECT 3", "SET c3 v3", "MULTI", "SET tx 1", "INCR tx", "EXEC", "SELECT 0", "DEL b",
	}, "\n") + "\n"
	script2 := strings.Join([]string{
		"SET after 1", "SELECT 7", "RPUSH l7 q", "SET x y EX 1000", "SELECT 0", "INCR n",
	}, "\n") + "\n"
	want := newModel()
	want.dbs[0] = map[string]any{"a": "1", "l": []string{"x", "y", "z"}, "h": map[string]string{"f1": "v1", "f2": "v2"}, "n": "3", "after": "1"}
	want.dbs[3] = map[string]any{"c3": "v3", "tx": "2"}
	want.dbs[7] = map[string]any{"l7": []string{"q"}, "x": "y"}

	for _, preamble := range []string{"no", "yes"} {
		t.Run("aof-use-rdb-preamble="+preamble, func(t *testing.T) {
			dir := t.TempDir()
			r := startRedis(t, dir, "--aof-use-rdb-preamble", preamble)
			r.cli(script1)
			if got := r.cli("", "bgrewriteaof"); !strings.Contains(got, "started") {
				t.Fatal(got)
			}
			r.waitRewrite()
			r.cli(script2)
			r.shutdown()

			aofDir := filepath.Join(dir, "appendonlydir")
			// Redis's manifest parses, and formats back byte for byte.
			raw := readFile(t, filepath.Join(aofDir, "appendonly.aof.manifest"))
			m, err := LoadManifest(dir, "appendonlydir", "appendonly.aof")
			if err != nil {
				t.Fatal(err)
			}
			if m.String() != raw {
				t.Fatalf("manifest %q formats as %q", raw, m.String())
			}
			suffix := ".base.aof"
			if preamble == "yes" {
				suffix = ".base.rdb"
			}
			if m.Base == nil || m.Base.Name != "appendonly.aof.2"+suffix || len(m.Incr) != 1 || m.Incr[0].Name != "appendonly.aof.2.incr.aof" {
				t.Fatalf("%q", raw)
			}

			got := newModel()
			rec := &recorder{}
			exec := func(args [][]byte) error {
				rec.exec(args)
				return got.exec(args)
			}
			rdbCalled := false
			info, err := Load(Options{Dir: dir, LoadTruncated: true}, exec, func(br *bufio.Reader, name string) error {
				rdbCalled = true
				return rdbToEOF(br, name)
			})
			if err != nil {
				t.Fatal(err)
			}
			if rdbCalled != (preamble == "yes") || info.Truncated || len(info.Files) != 2 {
				t.Fatalf("%+v", info)
			}
			// The incr file holds exactly the commands of script2, as Redis
			// propagates them (SET EX becomes SET PXAT).
			var names []string
			for _, c := range rec.cmds {
				cr := NewCommandReader(strings.NewReader(c))
				args, _ := cr.Next()
				names = append(names, strings.ToUpper(string(args[0])))
			}
			tail := names[len(names)-7:]
			if !reflect.DeepEqual(tail, []string{"SELECT", "SET", "SELECT", "RPUSH", "SET", "SELECT", "INCR"}) {
				t.Fatalf("incr commands %v", names)
			}
			if preamble == "no" {
				if !got.equal(want) {
					t.Fatalf("loaded\n%v\nwant\n%v", got.dbs, want.dbs)
				}
			} else {
				// Only the incr part is RESP; check what it changed.
				if got.dbs[0]["after"] != "1" || got.dbs[0]["n"] != "1" || got.dbs[7]["x"] != "y" {
					t.Fatalf("%v", got.dbs)
				}
			}
			// And what redis-server serves from the same files is what we
			// loaded.
			r2 := startRedis(t, dir, "--aof-use-rdb-preamble", preamble)
			served := redisDataset(t, r2, []int{0, 3, 7})
			if !served.equal(want) {
				t.Fatalf("served %v", served.dbs)
			}
			r2.shutdown()
		})
	}
}

// runRedisFail starts redis-server on dir and expects it to refuse to
// start; it returns the log.
func runRedisFail(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	sockDir, err := os.MkdirTemp("", "rs")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(sockDir)
	logf := filepath.Join(sockDir, "redis.log")
	args := append([]string{"--port", "0", "--unixsocket", filepath.Join(sockDir, "s.sock"), "--dir", dir,
		"--appendonly", "yes", "--save", "", "--daemonize", "no", "--logfile", logf}, extra...)
	c := exec.Command("redis-server", args...)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("redis-server exited 0")
		}
	case <-time.After(10 * time.Second):
		c.Process.Kill()
		<-done
		t.Fatal("redis-server started")
	}
	b, _ := os.ReadFile(logf)
	return string(b)
}

// TestInteropRefusalsMatchRedis: for BAD-INPUTS 20, 21 and 23 redis-server
// 7.0 and Load refuse the same directory for the same reason.
func TestInteropRefusalsMatchRedis(t *testing.T) {
	needTools(t, "redis-server")
	good := enc("SET", "a", "1")
	cases := []struct {
		name     string
		manifest string
		incr     string
		redisLog string // what redis logs
		ours     string // what our error says
		extra    []string
	}{
		{"blank line", "file appendonly.aof.1.base.aof seq 1 type b\n\nfile appendonly.aof.1.incr.aof seq 1 type i\n", good,
			"Invalid AOF manifest file format", "Invalid AOF manifest file format", nil},
		{"two bases", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.base.aof seq 2 type b\n", good,
			"Found duplicate base file information", "Found duplicate base file information", nil},
		{"non-increasing", "file appendonly.aof.1.incr.aof seq 3 type i\nfile appendonly.aof.1.incr.aof seq 2 type i\n", good,
			"Found a non-monotonic sequence number", "Found a non-monotonic sequence number", nil},
		{"missing file", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.7.incr.aof seq 7 type i\n", good,
			"Unable to obtain the AOF file appendonly.aof.7.incr.aof length. stat: No such file or directory",
			"Unable to obtain the AOF file appendonly.aof.7.incr.aof length. stat: No such file or directory", nil},
		{"garbage", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n", good + "garbage\r\n" + good,
			"Bad file format reading the append only file appendonly.aof.1.incr.aof", "Bad file format reading the append only file appendonly.aof.1.incr.aof", nil},
		{"truncated, aof-load-truncated no", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n", good + good[:9],
			"Unexpected end of file reading the append only file appendonly.aof.1.incr.aof", "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof",
			[]string{"--aof-load-truncated", "no"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			aofDir := filepath.Join(dir, "appendonlydir")
			os.Mkdir(aofDir, 0o755)
			os.WriteFile(filepath.Join(aofDir, "appendonly.aof.1.base.aof"), []byte(good), 0o644)
			os.WriteFile(filepath.Join(aofDir, "appendonly.aof.1.incr.aof"), []byte(c.incr), 0o644)
			os.WriteFile(filepath.Join(aofDir, "appendonly.aof.manifest"), []byte(c.manifest), 0o644)
			before := snapshotDir(t, aofDir)
			_, err := Load(Options{Dir: dir, LoadTruncated: c.extra == nil}, newModel().exec, nil)
			if err == nil || !strings.Contains(err.Error(), c.ours) {
				t.Fatalf("ours: %v", err)
			}
			if !reflect.DeepEqual(before, snapshotDir(t, aofDir)) {
				t.Fatal("we changed files")
			}
			log := runRedisFail(t, dir, c.extra...)
			if !strings.Contains(log, c.redisLog) {
				t.Fatalf("redis log lacks %q:\n%s", c.redisLog, log)
			}
		})
	}
}

// TestInteropTruncationMatchesRedis: with aof-load-truncated yes, redis and
// Load cut a truncated incr file at the same offset.
func TestInteropTruncationMatchesRedis(t *testing.T) {
	needTools(t, "redis-server", "redis-cli")
	body := enc("SELECT", "0") + enc("SET", "a", "1") + enc("SET", "b", "2") + enc("MULTI") + enc("SET", "c", "3")
	for _, cut := range []int{len(body) - 3, len(body) - len(enc("SET", "c", "3")) - 2, len(body) - 40, len(body)} {
		mk := func() string {
			dir := t.TempDir()
			aofDir := filepath.Join(dir, "appendonlydir")
			os.Mkdir(aofDir, 0o755)
			os.WriteFile(filepath.Join(aofDir, "appendonly.aof.1.base.aof"), nil, 0o644)
			os.WriteFile(filepath.Join(aofDir, "appendonly.aof.1.incr.aof"), []byte(body[:cut]), 0o644)
			os.WriteFile(filepath.Join(aofDir, "appendonly.aof.manifest"), []byte("file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"), 0o644)
			return dir
		}
		ours := mk()
		m, _ := loadModel(t, Options{Dir: ours, LoadTruncated: true})
		theirs := mk()
		r := startRedis(t, theirs, "--aof-load-truncated", "yes")
		served := redisDataset(t, r, []int{0})
		r.shutdown()
		if !served.equal(m) {
			t.Fatalf("cut %d: redis %v, ours %v", cut, served.dbs, m.dbs)
		}
		// Redis may cut inside an unfinished MULTI and cut again at the
		// next start; both end up loading the same, and our file is the
		// prefix Redis converges to.
		oursFile := readFile(t, filepath.Join(ours, "appendonlydir", "appendonly.aof.1.incr.aof"))
		r = startRedis(t, theirs, "--aof-load-truncated", "yes")
		r.shutdown()
		theirsFile := readFile(t, filepath.Join(theirs, "appendonlydir", "appendonly.aof.1.incr.aof"))
		if !strings.HasPrefix(theirsFile, oursFile) {
			t.Fatalf("cut %d: ours %q, redis %q", cut, oursFile, theirsFile)
		}
	}
}
