package aof

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOpenCreatesLayout(t *testing.T) {
	for _, rdb := range []bool{true, false} {
		opts := testOpts(t)
		opts.UseRDBPreamble = rdb
		w, err := Open(opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(opts.Dir, "appendonlydir")
		base := "appendonly.aof.1.base.aof"
		if rdb {
			base = "appendonly.aof.1.base.rdb"
		}
		want := []string{base, "appendonly.aof.1.incr.aof", "appendonly.aof.manifest"}
		if got := listDir(t, dir); !reflect.DeepEqual(got, want) {
			t.Fatalf("files %v", got)
		}
		if got := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); got != "file "+base+" seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
			t.Fatalf("manifest %q", got)
		}
		if b := readFile(t, filepath.Join(dir, base)); rdb != (b == string(EmptyRDB())) || (!rdb && b != "") {
			t.Fatalf("base %q", b)
		}
		m, info := loadModel(t, opts)
		if !info.Exists || info.Empty == rdb || len(m.dbs) != 0 {
			t.Fatalf("%+v", info)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	opts := testOpts(t)
	opts.UseRDBPreamble = true
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	app := func(db int, args ...string) {
		w.Append(db, cmd(args...))
	}
	app(0, "SET", "a", "1")
	app(0, "SET", "b", "bin\x00\r\n")
	app(3, "RPUSH", "l", "x", "y")
	app(3, "INCR", "n")
	app(0, "DEL", "a")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want = []string{enc("SELECT", "0"), enc("SET", "a", "1"), enc("SET", "b", "bin\x00\r\n"), enc("SELECT", "3"),
		enc("RPUSH", "l", "x", "y"), enc("INCR", "n"), enc("SELECT", "0"), enc("DEL", "a")}
	incr := filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.1.incr.aof")
	if got := readFile(t, incr); got != strings.Join(want, "") {
		t.Fatalf("incr file %q", got)
	}
	st := w.Status()
	if st.BufferLength != 0 || st.Written != st.Appended || st.Synced != st.Written ||
		st.CurrentSize != int64(len(EmptyRDB())+len(strings.Join(want, ""))) || st.BaseSize != int64(len(EmptyRDB())) {
		t.Fatalf("status %+v", st)
	}
	w.Close()

	m, info := loadModel(t, opts)
	exp := newModel()
	exp.dbs[0] = map[string]any{"b": "bin\x00\r\n"}
	exp.dbs[3] = map[string]any{"l": []string{"x", "y"}, "n": "1"}
	if !m.equal(exp) || info.Commands != 8 || info.Truncated || !info.Files[0].RDB {
		t.Fatalf("%+v %+v", m.dbs, info)
	}

	// Reopen: appends go to the end of the same incr file, starting with a SELECT.
	w, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	if st := w.Status(); st.CurrentSize != info.TotalSize || st.IncrFile != "appendonly.aof.1.incr.aof" {
		t.Fatalf("%+v %+v", st, info)
	}
	app(0, "SET", "c", "3")
	w.Close()
	if got := readFile(t, incr); got != strings.Join(want, "")+enc("SELECT", "0")+enc("SET", "c", "3") {
		t.Fatalf("incr file %q", got)
	}
}

func TestTimestampAnnotations(t *testing.T) {
	opts := testOpts(t)
	opts.Timestamps = true
	now := time.Unix(1700000000, 0)
	opts.Now = func() time.Time { return now }
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.Append(0, cmd("SET", "a", "1"))
	w.Append(0, cmd("SET", "a", "2"))
	now = now.Add(time.Second)
	w.Append(0, cmd("SET", "a", "3"))
	w.Close()
	got := readFile(t, filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.1.incr.aof"))
	want := "#TS:1700000000\r\n" + enc("SELECT", "0") + enc("SET", "a", "1") + enc("SET", "a", "2") + "#TS:1700000001\r\n" + enc("SET", "a", "3")
	if got != want {
		t.Fatalf("%q", got)
	}
	m, _ := loadModel(t, opts)
	if m.dbs[0]["a"] != "3" {
		t.Fatal(m.dbs)
	}
}

// TestFsyncAlwaysOnePerBatch: with always, each Flush of a batch fsyncs
// the incr file exactly once, before it returns.
func TestFsyncAlwaysOnePerBatch(t *testing.T) {
	opts := testOpts(t)
	ffs := newFaultFS()
	opts.FS = ffs
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	base := ffs.incrSyncs()
	for batch := 1; batch <= 10; batch++ {
		for i := 0; i < 5; i++ {
			w.Append(0, cmd("INCR", "n"))
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if got := ffs.incrSyncs() - base; got != batch {
			t.Fatalf("batch %d: %d fsyncs", batch, got)
		}
		if st := w.Status(); st.Synced != st.Appended {
			t.Fatalf("not durable after Flush: %+v", st)
		}
	}
	// Nothing new: no fsync.
	w.Flush()
	if got := ffs.incrSyncs() - base; got != 10 {
		t.Fatalf("%d fsyncs", got)
	}
}

// TestFsyncAlwaysGroupCommit: concurrent batches are all durable when their
// Flush returns, with at most one fsync per Flush.
func TestFsyncAlwaysGroupCommit(t *testing.T) {
	opts := testOpts(t)
	ffs := newFaultFS()
	opts.FS = ffs
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	base := ffs.incrSyncs()
	var dataMu sync.Mutex
	var wg sync.WaitGroup
	const workers, rounds = 8, 50
	errs := make(chan error, workers)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				dataMu.Lock()
				w.Append(g%4, cmd("INCR", fmt.Sprint("k", g)))
				mine := w.Status().Appended
				dataMu.Unlock()
				if err := w.Flush(); err != nil {
					errs <- err
					return
				}
				if st := w.Status(); st.Synced < mine {
					errs <- fmt.Errorf("Flush returned with %d synced < %d appended", st.Synced, mine)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	syncs := ffs.incrSyncs() - base
	if syncs > workers*rounds || syncs == 0 {
		t.Fatalf("%d fsyncs for %d flushes", syncs, workers*rounds)
	}
	t.Logf("%d fsyncs for %d flushes", syncs, workers*rounds)
	w.Close()
	m, _ := loadModel(t, opts)
	for g := 0; g < workers; g++ {
		if m.dbs[g%4][fmt.Sprint("k", g)] != fmt.Sprint(rounds) {
			t.Fatalf("k%d = %v", g, m.dbs[g%4][fmt.Sprint("k", g)])
		}
	}
}

func TestFsyncNoAndEverysec(t *testing.T) {
	// no: Flush never fsyncs; Close does.
	opts := testOpts(t)
	opts.Fsync = FsyncNo
	ffs := newFaultFS()
	opts.FS = ffs
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	base := ffs.incrSyncs()
	for i := 0; i < 20; i++ {
		w.Append(0, cmd("SET", "a", "b"))
		w.Flush()
	}
	if n := ffs.incrSyncs() - base; n != 0 {
		t.Fatalf("no: %d fsyncs", n)
	}
	w.Close()
	if n := ffs.incrSyncs() - base; n != 1 {
		t.Fatalf("no: %d fsyncs after Close", n)
	}

	// everysec: Flush does not fsync; the background goroutine does,
	// about once a second, and only when there is something new.
	opts = testOpts(t)
	opts.Fsync = FsyncEverysec
	ffs = newFaultFS()
	opts.FS = ffs
	w, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	base = ffs.incrSyncs()
	w.Append(0, cmd("SET", "a", "b"))
	w.Flush()
	if n := ffs.incrSyncs() - base; n != 0 {
		t.Fatalf("everysec Flush fsynced")
	}
	waitFor(t, 3*time.Second, "background fsync", func() bool {
		st := w.Status()
		return ffs.incrSyncs()-base == 1 && st.Synced == st.Written
	})
	time.Sleep(1200 * time.Millisecond)
	if n := ffs.incrSyncs() - base; n != 1 {
		t.Fatalf("idle fsyncs: %d", n)
	}
}

// TestEverysecPostponedWrite: while a background fsync runs, writes wait up
// to 2 s, then go ahead and count as a delayed fsync (aof_delayed_fsync).
func TestEverysecPostponedWrite(t *testing.T) {
	opts := testOpts(t)
	opts.Fsync = FsyncEverysec
	opts.noFsyncLoop = true
	ffs := newFaultFS()
	opts.FS = ffs
	var clockMu sync.Mutex
	now := time.Unix(1000, 0)
	opts.Now = func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return now }
	advance := func(d time.Duration) { clockMu.Lock(); now = now.Add(d); clockMu.Unlock() }
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.Append(0, cmd("SET", "a", "1"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	block := make(chan struct{})
	ffs.set(func(f *faultFS) { f.syncBlock = block })
	done := make(chan struct{})
	go func() { w.backgroundFsync(); close(done) }()
	waitFor(t, 2*time.Second, "fsync in progress", func() bool { return w.Status().PendingFsync })

	w.Append(0, cmd("SET", "a", "2"))
	w.Flush()
	st := w.Status()
	if !st.Postponed || st.BufferLength == 0 || st.DelayedFsync != 0 {
		t.Fatalf("not postponed: %+v", st)
	}
	advance(1500 * time.Millisecond)
	w.Flush()
	if st := w.Status(); !st.Postponed || st.BufferLength == 0 {
		t.Fatalf("written before 2 s: %+v", st)
	}
	advance(600 * time.Millisecond)
	w.Flush()
	if st := w.Status(); st.Postponed || st.BufferLength != 0 || st.DelayedFsync != 1 {
		t.Fatalf("not written after 2 s: %+v", st)
	}
	// Postponed data is written by the background fsync when it ends.
	w.Append(0, cmd("SET", "a", "3"))
	w.Flush()
	if st := w.Status(); !st.Postponed {
		t.Fatalf("%+v", st)
	}
	ffs.set(func(f *faultFS) { f.syncBlock = nil })
	close(block)
	<-done
	if st := w.Status(); st.Postponed || st.BufferLength != 0 || st.PendingFsync {
		t.Fatalf("%+v", st)
	}
	w.Close()
	m, _ := loadModel(t, opts)
	if m.dbs[0]["a"] != "3" {
		t.Fatal(m.dbs)
	}
}

// TestWriteErrorAndRecovery: a failing disk is reported (Err, MISCONF text,
// Status), what was appended is not counted as written and stays buffered,
// a partial write is cut off the file, and once the disk recovers
// everything lands exactly once.
func TestWriteErrorAndRecovery(t *testing.T) {
	for _, partial := range []int{0, 7} {
		for _, policy := range []string{FsyncEverysec, FsyncNo, FsyncAlways} {
			t.Run(fmt.Sprintf("%s/partial=%d", policy, partial), func(t *testing.T) {
				opts := testOpts(t)
				opts.Fsync = policy
				opts.noFsyncLoop = true
				ffs := newFaultFS()
				opts.FS = ffs
				w, err := Open(opts)
				if err != nil {
					t.Fatal(err)
				}
				defer w.Close()
				w.Append(0, cmd("SET", "a", "1"))
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				written := w.Status().Written
				incr := filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.1.incr.aof")
				good := readFile(t, incr)

				ffs.set(func(f *faultFS) { f.writeErr, f.partial = errENOSPC, partial })
				w.Append(0, cmd("SET", "b", "2"))
				w.Append(1, cmd("SET", "c", "3"))
				err = w.Flush()
				if err == nil {
					t.Fatal("Flush hid the write error")
				}
				if w.Err() == nil || w.MisconfError() != "MISCONF Errors writing to the AOF file: No space left on device" {
					t.Fatalf("Err %v, %q", w.Err(), w.MisconfError())
				}
				st := w.Status()
				if st.Written != written || st.BufferLength != st.Appended-written || st.LastWriteErr == nil {
					t.Fatalf("status %+v", st)
				}
				if got := readFile(t, incr); got != good {
					t.Fatalf("partial write left in file: %q", got)
				}
				// More writes while the disk is full keep queueing.
				w.Append(0, cmd("SET", "d", "4"))
				if w.Flush() == nil {
					t.Fatal("second Flush succeeded")
				}

				ffs.set(func(f *faultFS) { f.writeErr = nil })
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				if w.Err() != nil || w.MisconfError() != "" {
					t.Fatalf("error not cleared: %v", w.Err())
				}
				st = w.Status()
				if st.BufferLength != 0 || st.Written != st.Appended {
					t.Fatalf("status %+v", st)
				}
				w.Close()
				m, _ := loadModel(t, opts)
				exp := newModel()
				exp.dbs[0] = map[string]any{"a": "1", "b": "2", "d": "4"}
				exp.dbs[1] = map[string]any{"c": "3"}
				if !m.equal(exp) {
					t.Fatalf("%v", m.dbs)
				}
			})
		}
	}
}

// TestFsyncError: a failing fsync under always fails Flush; under everysec
// the background fsync error blocks writes until an fsync succeeds.
func TestFsyncError(t *testing.T) {
	opts := testOpts(t)
	opts.noFsyncLoop = true
	ffs := newFaultFS()
	opts.FS = ffs
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	eio := &os.PathError{Op: "fsync", Path: "x", Err: errorsEIO}
	ffs.set(func(f *faultFS) { f.syncErr = eio })
	w.Append(0, cmd("SET", "a", "1"))
	if err := w.Flush(); err == nil || w.Err() == nil {
		t.Fatal("fsync error hidden")
	}
	if w.MisconfError() != "MISCONF Errors writing to the AOF file: Input/output error" {
		t.Fatalf("%q", w.MisconfError())
	}
	if st := w.Status(); st.Synced == st.Appended {
		t.Fatalf("counted as synced: %+v", st)
	}
	ffs.set(func(f *faultFS) { f.syncErr = nil })
	if err := w.Flush(); err != nil || w.Err() != nil {
		t.Fatalf("%v %v", err, w.Err())
	}
	if st := w.Status(); st.Synced != st.Appended {
		t.Fatalf("%+v", st)
	}

	w.SetFsync(FsyncEverysec)
	ffs.set(func(f *faultFS) { f.syncErr = eio })
	w.Append(0, cmd("SET", "a", "2"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	w.backgroundFsync()
	if w.Err() == nil {
		t.Fatal("background fsync error hidden")
	}
	ffs.set(func(f *faultFS) { f.syncErr = nil })
	w.backgroundFsync()
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
}

func TestOpenErrors(t *testing.T) {
	opts := testOpts(t)
	opts.Fsync = "sometimes"
	if _, err := Open(opts); err == nil {
		t.Fatal("bad policy accepted")
	}
	opts = testOpts(t)
	os.WriteFile(filepath.Join(opts.Dir, "appendonlydir"), nil, 0o644)
	if _, err := Open(opts); err == nil || !strings.Contains(err.Error(), "Can't open or create append-only dir") {
		t.Fatalf("%v", err)
	}
	opts = testOpts(t)
	os.Mkdir(filepath.Join(opts.Dir, "appendonlydir"), 0o755)
	os.WriteFile(filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.manifest"), []byte("\n"), 0o644)
	if _, err := Open(opts); err == nil || !strings.Contains(err.Error(), "Invalid AOF manifest file format") {
		t.Fatalf("%v", err)
	}
	var me *ManifestError
	_, err := Open(opts)
	if !errors.As(err, &me) {
		t.Fatalf("%T", err)
	}
}

func TestInitialBaseAndHistoryCleanup(t *testing.T) {
	opts := testOpts(t)
	ds := newModel()
	ds.dbs[2] = map[string]any{"x": "y", "h": map[string]string{"f": "v"}}
	opts.InitialBase = ds.writeRESP
	w, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.Append(2, cmd("SET", "z", "1"))
	w.Close()
	m, _ := loadModel(t, opts)
	ds.dbs[2]["z"] = "1"
	if !m.equal(ds) {
		t.Fatal(m.dbs)
	}
	// History entries left by a crash are deleted on Open.
	dir := filepath.Join(opts.Dir, "appendonlydir")
	os.WriteFile(filepath.Join(dir, "old.aof"), []byte("x"), 0o644)
	man := readFile(t, filepath.Join(dir, "appendonly.aof.manifest"))
	os.WriteFile(filepath.Join(dir, "appendonly.aof.manifest"), []byte(man+"file old.aof seq 7 type h\nfile gone.aof seq 8 type h\n"), 0o644)
	w, err = Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := os.Stat(filepath.Join(dir, "old.aof")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("history file kept")
	}
	if got := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); got != man {
		t.Fatalf("%q", got)
	}
}
