package aof

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// faultFS wraps OSFS, counts fsyncs per file name and injects errors.
type faultFS struct {
	OSFS
	mu          sync.Mutex
	syncs       map[string]int
	writeErr    error // writes to incr files fail with it
	partial     int   // ... after writing this many bytes
	syncErr     error // fsyncs of incr files fail with it
	syncBlock   chan struct{}
	renameErr   error // renames onto base files fail with it
	manifestErr error // writes of the temp manifest fail with it
}

func newFaultFS() *faultFS { return &faultFS{syncs: map[string]int{}} }

type faultFile struct {
	*os.File
	fs   *faultFS
	name string
}

func (f *faultFile) Write(p []byte) (int, error) {
	f.fs.mu.Lock()
	werr, partial := f.fs.writeErr, f.fs.partial
	if strings.HasPrefix(f.name, "temp-") && strings.HasSuffix(f.name, ".manifest") {
		werr, partial = f.fs.manifestErr, 0
	} else if !strings.Contains(f.name, ".incr") {
		werr = nil
	}
	f.fs.mu.Unlock()
	if werr != nil {
		n := 0
		if partial > 0 {
			if partial > len(p) {
				partial = len(p)
			}
			n, _ = f.File.Write(p[:partial])
		}
		return n, werr
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	f.fs.mu.Lock()
	f.fs.syncs[f.name]++
	serr, block := f.fs.syncErr, f.fs.syncBlock
	f.fs.mu.Unlock()
	if !strings.Contains(f.name, ".incr") {
		serr, block = nil, nil
	}
	if block != nil {
		<-block
	}
	if serr != nil {
		return serr
	}
	return f.File.Sync()
}

func (fs *faultFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: f, fs: fs, name: filepath.Base(name)}, nil
}

func (fs *faultFS) Rename(oldpath, newpath string) error {
	fs.mu.Lock()
	rerr := fs.renameErr
	fs.mu.Unlock()
	if rerr != nil && strings.Contains(filepath.Base(newpath), ".base.") {
		return rerr
	}
	return os.Rename(oldpath, newpath)
}

func (fs *faultFS) set(fn func(*faultFS)) {
	fs.mu.Lock()
	fn(fs)
	fs.mu.Unlock()
}

func (fs *faultFS) incrSyncs() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for name, c := range fs.syncs {
		if strings.Contains(name, ".incr") {
			n += c
		}
	}
	return n
}

var errENOSPC = &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}

// model is a tiny dataset fed by the commands of an AOF.
type model struct {
	db  int
	dbs map[int]map[string]any
}

func newModel() *model { return &model{dbs: map[int]map[string]any{}} }

func (m *model) keys() map[string]any {
	d := m.dbs[m.db]
	if d == nil {
		d = map[string]any{}
		m.dbs[m.db] = d
	}
	return d
}

func (m *model) exec(args [][]byte) error {
	cmd := strings.ToLower(string(args[0]))
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = string(x)
	}
	switch cmd {
	case "select":
		n, err := strconv.Atoi(a[1])
		if err != nil {
			return err
		}
		m.db = n
	case "set":
		m.keys()[a[1]] = a[2]
	case "del":
		for _, k := range a[1:] {
			delete(m.keys(), k)
		}
	case "incr":
		v, _ := m.keys()[a[1]].(string)
		n, _ := strconv.Atoi(v)
		m.keys()[a[1]] = strconv.Itoa(n + 1)
	case "rpush":
		l, _ := m.keys()[a[1]].([]string)
		m.keys()[a[1]] = append(append([]string(nil), l...), a[2:]...)
	case "hset", "hmset":
		h, _ := m.keys()[a[1]].(map[string]string)
		nh := map[string]string{}
		for k, v := range h {
			nh[k] = v
		}
		for i := 2; i+1 < len(a); i += 2 {
			nh[a[i]] = a[i+1]
		}
		m.keys()[a[1]] = nh
	case "pexpireat", "expire", "pexpire", "flushall", "ping":
	default:
		return fmt.Errorf("Unknown command '%s'", a[0])
	}
	return nil
}

func (m *model) clone() *model {
	c := newModel()
	c.db = m.db
	for db, d := range m.dbs {
		nd := map[string]any{}
		for k, v := range d {
			nd[k] = v
		}
		c.dbs[db] = nd
	}
	return c
}

// writeRESP writes the dataset as RESP commands (a RESP base file).
func (m *model) writeRESP(w io.Writer) error {
	var dbs []int
	for db := range m.dbs {
		dbs = append(dbs, db)
	}
	sort.Ints(dbs)
	var b []byte
	for _, db := range dbs {
		d := m.dbs[db]
		if len(d) == 0 {
			continue
		}
		b = AppendCommand(b, cmd("SELECT", strconv.Itoa(db)))
		var ks []string
		for k := range d {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			switch v := d[k].(type) {
			case string:
				b = AppendCommand(b, cmd("SET", k, v))
			case []string:
				b = AppendCommand(b, cmd(append([]string{"RPUSH", k}, v...)...))
			case map[string]string:
				args := []string{"HMSET", k}
				var fs []string
				for f := range v {
					fs = append(fs, f)
				}
				sort.Strings(fs)
				for _, f := range fs {
					args = append(args, f, v[f])
				}
				b = AppendCommand(b, cmd(args...))
			}
		}
	}
	_, err := w.Write(b)
	return err
}

// equal compares datasets ignoring empty databases and the selected db.
func (m *model) equal(o *model) bool {
	norm := func(x *model) string {
		var parts []string
		for db, d := range x.dbs {
			for k, v := range d {
				parts = append(parts, fmt.Sprintf("%d/%s=%v", db, k, v))
			}
		}
		sort.Strings(parts)
		return strings.Join(parts, "\n")
	}
	return norm(m) == norm(o)
}

func cmd(args ...string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

func enc(args ...string) string { return string(AppendCommand(nil, cmd(args...))) }

// loadModel loads the AOF of opts into a fresh model.
func loadModel(t *testing.T, opts Options) (*model, LoadInfo) {
	t.Helper()
	m := newModel()
	info, err := Load(opts, m.exec, emptyRDBLoader)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	m.db = 0
	return m, info
}

// emptyRDBLoader accepts exactly the image of EmptyRDB.
func emptyRDBLoader(r *bufio.Reader, name string) error {
	want := EmptyRDB()
	got := make([]byte, len(want))
	if _, err := io.ReadFull(r, got); err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return errors.New("not the empty RDB")
	}
	return nil
}

// rdbToEOF accepts any RDB whose CRC64 trailer matches, reading to EOF.
func rdbToEOF(r *bufio.Reader, name string) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(b) < 9+1+8 || string(b[:5]) != "REDIS" {
		return errors.New("short RDB")
	}
	body := b[:len(b)-8]
	want := uint64(0)
	for i := 7; i >= 0; i-- {
		want = want<<8 | uint64(b[len(b)-8+i])
	}
	if crc64Redis(0, body) != want {
		return fmt.Errorf("RDB CRC mismatch")
	}
	return nil
}

func testOpts(t *testing.T) Options {
	return Options{Dir: t.TempDir(), Fsync: FsyncAlways, LoadTruncated: true, IncrementalFsync: true}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var errorsEIO = syscall.EIO
