package aof

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// apply runs a command on the live model and appends it, under the data lock.
type live struct {
	mu sync.Mutex
	m  *model
	w  *Writer
}

func (l *live) do(db int, args ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.m.db = db
	if err := l.m.exec(cmd(args...)); err != nil {
		panic(err)
	}
	l.w.Append(db, cmd(args...))
}

// do2 is do for a caller that holds l.mu.
func (l *live) do2(db int, args ...string) {
	l.m.db = db
	if err := l.m.exec(cmd(args...)); err != nil {
		panic(err)
	}
	l.w.Append(db, cmd(args...))
}

// TestRewriteConcurrentAppends: appends made while the base is written land
// in the new incr file; after Commit the manifest names the new base and
// that incr file only, the old files are gone, and reloading gives the
// live dataset.
func TestRewriteConcurrentAppends(t *testing.T) {
	for _, policy := range []string{FsyncAlways, FsyncEverysec} {
		t.Run(policy, func(t *testing.T) {
			opts := testOpts(t)
			opts.Fsync = policy
			opts.UseRDBPreamble = true
			w, err := Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			l := &live{m: newModel(), w: w}
			for i := 0; i < 100; i++ {
				l.do(i%3, "SET", fmt.Sprint("k", i), fmt.Sprint(i))
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}

			l.mu.Lock()
			rw, err := w.StartRewrite()
			if err != nil {
				t.Fatal(err)
			}
			snap := l.m.clone()
			l.mu.Unlock()
			if _, err := w.StartRewrite(); !errors.Is(err, ErrRewriteInProgress) {
				t.Fatalf("second rewrite: %v", err)
			}
			if !w.Status().RewriteInProgress {
				t.Fatal("not in progress")
			}
			// Crash safety during the rewrite: the manifest already names
			// the new incr file.
			man := readFile(t, filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.manifest"))
			if man != "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
				t.Fatalf("manifest during rewrite %q", man)
			}

			started := make(chan struct{})
			release := make(chan struct{})
			baseErr := make(chan error, 1)
			go func() {
				baseErr <- rw.WriteBase(func(out io.Writer) error {
					close(started)
					<-release // appends happen while the base is being written
					return snap.writeRESP(out)
				}, false)
			}()
			<-started
			for i := 0; i < 100; i++ {
				l.do(i%4, "INCR", fmt.Sprint("k", i))
				if i%10 == 0 {
					l.do(1, "DEL", fmt.Sprint("k", i+1))
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
			}
			close(release)
			if err := <-baseErr; err != nil {
				t.Fatal(err)
			}
			l.do(0, "SET", "after-base", "x")
			l.mu.Lock()
			err = rw.Commit()
			l.mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			l.do(2, "SET", "after-commit", "y")
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}

			dir := filepath.Join(opts.Dir, "appendonlydir")
			want := []string{"appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"}
			if got := listDir(t, dir); !reflect.DeepEqual(got, want) {
				t.Fatalf("files %v", got)
			}
			if got := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); got != "file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
				t.Fatalf("manifest %q", got)
			}
			if incr := readFile(t, filepath.Join(dir, "appendonly.aof.2.incr.aof")); !strings.HasPrefix(incr, enc("SELECT", "0")) {
				t.Fatalf("new incr does not start with SELECT: %q", incr[:40])
			}
			st := w.Status()
			if st.RewriteInProgress || !st.LastRewriteOK || st.Rewrites != 1 || st.BaseFile != "appendonly.aof.2.base.aof" || st.IncrFile != "appendonly.aof.2.incr.aof" {
				t.Fatalf("%+v", st)
			}
			var total int64
			for _, n := range want[:2] {
				fi, _ := os.Stat(filepath.Join(dir, n))
				total += fi.Size()
			}
			if st.CurrentSize != total {
				t.Fatalf("current size %d, files %d", st.CurrentSize, total)
			}
			w.Close()
			got, _ := loadModel(t, opts)
			if !got.equal(l.m) {
				t.Fatalf("reloaded dataset differs:\n%v\n%v", got.dbs, l.m.dbs)
			}
		})
	}
}

// TestRewriteCrashBeforeCommit: a rewrite that never commits (crash, or
// Close during it) leaves an AOF that loads the full dataset and no
// temporary file.
func TestRewriteCrashBeforeCommit(t *testing.T) {
	opts := testOpts(t)
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	l := &live{m: newModel(), w: w}
	l.do(0, "SET", "a", "1")
	w.Flush()
	rw, err := w.StartRewrite()
	if err != nil {
		t.Fatal(err)
	}
	l.do(5, "SET", "b", "2")
	w.Flush()
	if err := rw.WriteBase(l.m.clone().writeRESP, false); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(opts.Dir, "appendonlydir")
	if ls := listDir(t, dir); len(ls) != 5 { // base, 2 incr, manifest, temp base
		t.Fatalf("%v", ls)
	}
	// "Crash": load what is on disk now.
	got, _ := loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("%v", got.dbs)
	}
	w.Close() // abandons the rewrite
	want := []string{"appendonly.aof.1.base.aof", "appendonly.aof.1.incr.aof", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"}
	if ls := listDir(t, dir); !reflect.DeepEqual(ls, want) {
		t.Fatalf("%v", ls)
	}
	got, _ = loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("%v", got.dbs)
	}
	// The next rewrite turns both incr files into history.
	w, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	l.w = w
	rw, err = w.StartRewrite()
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.WriteBase(l.m.clone().writeRESP, false); err != nil {
		t.Fatal(err)
	}
	if err := rw.Commit(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	want = []string{"appendonly.aof.2.base.aof", "appendonly.aof.3.incr.aof", "appendonly.aof.manifest"}
	if ls := listDir(t, dir); !reflect.DeepEqual(ls, want) {
		t.Fatalf("%v", ls)
	}
	got, _ = loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("%v", got.dbs)
	}
}

func TestRewriteFailures(t *testing.T) {
	opts := testOpts(t)
	ffs := newFaultFS()
	opts.FS = ffs
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	l := &live{m: newModel(), w: w}
	l.do(0, "SET", "a", "1")
	dir := filepath.Join(opts.Dir, "appendonlydir")

	// WriteBase fails: Abort leaves the AOF (with its new incr file) intact.
	rw, err := w.StartRewrite()
	if err != nil {
		t.Fatal(err)
	}
	l.do(0, "SET", "b", "2")
	if err := rw.WriteBase(func(io.Writer) error { return errors.New("boom") }, true); err == nil {
		t.Fatal("WriteBase hid the error")
	}
	rw.Abort()
	rw.Abort()
	if st := w.Status(); st.RewriteInProgress || st.LastRewriteOK || st.RewriteConsecutiveFailures != 1 {
		t.Fatalf("%+v", st)
	}
	for _, n := range listDir(t, dir) {
		if strings.HasPrefix(n, "temp-") {
			t.Fatalf("temp file %s left", n)
		}
	}

	// Commit fails on the rename: manifest unchanged.
	rw, err = w.StartRewrite()
	if err != nil {
		t.Fatal(err)
	}
	man := readFile(t, filepath.Join(dir, "appendonly.aof.manifest"))
	if err := rw.WriteBase(l.m.clone().writeRESP, false); err != nil {
		t.Fatal(err)
	}
	ffs.set(func(f *faultFS) { f.renameErr = errENOSPC })
	if err := rw.Commit(); err == nil {
		t.Fatal("Commit hid the error")
	}
	ffs.set(func(f *faultFS) { f.renameErr = nil })
	if got := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); got != man {
		t.Fatalf("manifest changed: %q", got)
	}

	// Commit fails on the manifest: the new base is removed.
	rw, err = w.StartRewrite()
	if err != nil {
		t.Fatal(err)
	}
	man = readFile(t, filepath.Join(dir, "appendonly.aof.manifest"))
	if err := rw.WriteBase(l.m.clone().writeRESP, false); err != nil {
		t.Fatal(err)
	}
	ffs.set(func(f *faultFS) { f.manifestErr = errENOSPC })
	if err := rw.Commit(); err == nil {
		t.Fatal("Commit hid the error")
	}
	ffs.set(func(f *faultFS) { f.manifestErr = nil })
	if got := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); got != man {
		t.Fatalf("manifest changed: %q", got)
	}
	for _, n := range listDir(t, dir) {
		if strings.HasPrefix(n, "temp-") || strings.Contains(n, ".2.base") {
			t.Fatalf("file %s left", n)
		}
	}
	if st := w.Status(); st.RewriteConsecutiveFailures != 3 {
		t.Fatalf("%+v", st)
	}
	l.do(0, "SET", "c", "3")
	w.Flush()
	got, _ := loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("%v", got.dbs)
	}

	// StartRewrite refuses while the AOF cannot be written.
	ffs.set(func(f *faultFS) { f.writeErr = errENOSPC })
	l.do(0, "SET", "d", "4")
	if _, err := w.StartRewrite(); err == nil {
		t.Fatal("rewrite started with unwritable buffer")
	}
	ffs.set(func(f *faultFS) { f.writeErr = nil })
	rw, err = w.StartRewrite()
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.WriteBase(l.m.clone().writeRESP, false); err != nil {
		t.Fatal(err)
	}
	if err := rw.Commit(); err != nil {
		t.Fatal(err)
	}
	if st := w.Status(); st.RewriteConsecutiveFailures != 0 || !st.LastRewriteOK {
		t.Fatalf("%+v", st)
	}
	w.Close()
	got, _ = loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("%v", got.dbs)
	}
}

// TestAwaitRewrite: enabling AOF at runtime leaves old files alone until
// the first rewrite commits its base and the temporary incr file.
func TestAwaitRewrite(t *testing.T) {
	opts := testOpts(t)
	// A stale AOF from an earlier run.
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.Append(0, cmd("SET", "stale", "1"))
	w.Close()

	opts.AwaitRewrite = true
	w, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	l := &live{m: newModel(), w: w}
	l.do(0, "SET", "a", "1") // dropped: the coming base has it
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if st := w.Status(); !st.AwaitingRewrite {
		t.Fatalf("%+v", st)
	}
	l.mu.Lock()
	rw, err := w.StartRewrite()
	snap := l.m.clone()
	l.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	l.do(1, "SET", "b", "2")
	w.Flush()
	dir := filepath.Join(opts.Dir, "appendonlydir")
	if !strings.Contains(strings.Join(listDir(t, dir), " "), "temp-appendonly.aof.incr") {
		t.Fatalf("%v", listDir(t, dir))
	}
	if err := rw.WriteBase(snap.writeRESP, false); err != nil {
		t.Fatal(err)
	}
	if err := rw.Commit(); err != nil {
		t.Fatal(err)
	}
	l.do(1, "SET", "c", "3")
	w.Flush()
	want := []string{"appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"}
	if ls := listDir(t, dir); !reflect.DeepEqual(ls, want) {
		t.Fatalf("%v", ls)
	}
	if st := w.Status(); st.AwaitingRewrite {
		t.Fatal("still awaiting")
	}
	w.Close()
	got, _ := loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("%v vs %v", got.dbs, l.m.dbs)
	}
}

// TestRewritePreparedCrash: PrepareRewrite saves a manifest naming the next
// incr file while the appends still go to the current one. A crash between
// that manifest save and the switch (StartPrepared), or after it, loads
// every acknowledged write: the manifest names the old incr file too, and
// the new one starts with a SELECT.
func TestRewritePreparedCrash(t *testing.T) {
	opts := testOpts(t)
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	dir := filepath.Join(opts.Dir, "appendonlydir")
	l := &live{m: newModel(), w: w}
	l.do(0, "SET", "a", "1")
	l.do(3, "SET", "b", "1")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}

	p, err := w.PrepareRewrite() // without the data lock
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.PrepareRewrite(); !errors.Is(err, ErrRewriteInProgress) {
		t.Fatalf("second prepare: %v", err)
	}
	if _, err := w.StartRewrite(); !errors.Is(err, ErrRewriteInProgress) {
		t.Fatalf("rewrite while prepared: %v", err)
	}
	man := readFile(t, filepath.Join(dir, "appendonly.aof.manifest"))
	if man != "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Fatalf("manifest after prepare %q", man)
	}
	// Writes between the manifest save and the switch land in the old incr
	// file, which the manifest still names.
	l.do(3, "SET", "c", "2")
	l.do(3, "INCR", "b")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if s := readFile(t, filepath.Join(dir, "appendonly.aof.2.incr.aof")); s != "" {
		t.Fatalf("new incr written before the switch: %q", s)
	}
	got, _ := loadModel(t, opts) // "crash" here
	if !got.equal(l.m) {
		t.Fatalf("crash before the switch: %v, want %v", got.dbs, l.m.dbs)
	}

	l.mu.Lock()
	l.do2(3, "SET", "d", "in-buffer") // appended, not flushed: goes to the old file
	rw, err := w.StartPrepared(p)
	snap := l.m.clone()
	l.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	p.Cancel() // after StartPrepared: nothing
	l.do(3, "SET", "e", "after")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	incr2 := readFile(t, filepath.Join(dir, "appendonly.aof.2.incr.aof"))
	if want := enc("SELECT", "3") + enc("SET", "e", "after"); incr2 != want {
		t.Fatalf("new incr %q, want %q", incr2, want)
	}
	if man2 := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); man2 != man {
		t.Fatalf("the switch changed the manifest: %q", man2)
	}
	got, _ = loadModel(t, opts) // "crash" after the switch
	if !got.equal(l.m) {
		t.Fatalf("crash after the switch: %v, want %v", got.dbs, l.m.dbs)
	}
	if err := rw.WriteBase(snap.writeRESP, false); err != nil {
		t.Fatal(err)
	}
	if err := rw.Commit(); err != nil {
		t.Fatal(err)
	}
	got, _ = loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("after commit: %v, want %v", got.dbs, l.m.dbs)
	}
}

// TestRewritePreparedCancel: a prepared rewrite that does not start moves
// the appends to the new incr file all the same (the manifest names it);
// in AwaitRewrite mode its temporary file goes; Close closes a prepared
// file.
func TestRewritePreparedCancel(t *testing.T) {
	opts := testOpts(t)
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(opts.Dir, "appendonlydir")
	l := &live{m: newModel(), w: w}
	l.do(2, "SET", "a", "1")
	p, err := w.PrepareRewrite()
	if err != nil {
		t.Fatal(err)
	}
	l.do(2, "SET", "b", "1")
	l.mu.Lock()
	p.Cancel()
	l.mu.Unlock()
	if st := w.Status(); st.RewriteInProgress || st.IncrFile != "appendonly.aof.2.incr.aof" {
		t.Fatalf("after cancel: %+v", st)
	}
	l.do(2, "SET", "c", "1")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if s := readFile(t, filepath.Join(dir, "appendonly.aof.2.incr.aof")); s != enc("SELECT", "2")+enc("SET", "c", "1") {
		t.Fatalf("new incr %q", s)
	}
	got, _ := loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("%v, want %v", got.dbs, l.m.dbs)
	}
	// A rewrite can start again, and Close with a prepared one keeps the
	// AOF loadable.
	if _, err := w.PrepareRewrite(); err != nil {
		t.Fatal(err)
	}
	l.do(0, "SET", "d", "1")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ = loadModel(t, opts)
	if !got.equal(l.m) {
		t.Fatalf("after close: %v, want %v", got.dbs, l.m.dbs)
	}

	opts.AwaitRewrite = true
	w, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p, err = w.PrepareRewrite()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(listDir(t, dir), " "), "temp-appendonly.aof.incr") {
		t.Fatalf("%v", listDir(t, dir))
	}
	p.Cancel()
	if strings.Contains(strings.Join(listDir(t, dir), " "), "temp-") {
		t.Fatalf("temp file left: %v", listDir(t, dir))
	}
	if st := w.Status(); !st.AwaitingRewrite {
		t.Fatalf("%+v", st)
	}
}
