package aof

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeAOF makes a multi-part AOF with the given base and incr contents.
func writeAOF(t *testing.T, base string, incrs ...string) Options {
	t.Helper()
	opts := testOpts(t)
	dir := filepath.Join(opts.Dir, "appendonlydir")
	os.Mkdir(dir, 0o755)
	m := &Manifest{}
	os.WriteFile(filepath.Join(dir, m.newBase("appendonly.aof", strings.HasPrefix(base, "REDIS"))), []byte(base), 0o644)
	for _, c := range incrs {
		os.WriteFile(filepath.Join(dir, m.newIncr("appendonly.aof")), []byte(c), 0o644)
	}
	if err := m.Save(opts.Dir, "appendonlydir", "appendonly.aof"); err != nil {
		t.Fatal(err)
	}
	return opts
}

type recorder struct{ cmds []string }

func (r *recorder) exec(args [][]byte) error {
	r.cmds = append(r.cmds, string(AppendCommand(nil, args)))
	return nil
}

// TestLoadTruncatedEveryOffset cuts the last file at every offset: with
// aof-load-truncated it loads exactly the complete commands before the cut
// (a MULTI without its EXEC counts as incomplete) and truncates the file
// there; without, it refuses with "Unexpected end of file" and touches
// nothing.
func TestLoadTruncatedEveryOffset(t *testing.T) {
	base := enc("SET", "base", "1")
	cmds := []string{enc("SELECT", "0"), enc("SET", "a", "1"), "#TS:1700000000\r\n", enc("MULTI"), enc("INCR", "n"),
		enc("SET", "b", "x\r\ny"), enc("EXEC"), enc("DEL", "a"), enc("RPUSH", "l", "p", "q", "r")}
	full := strings.Join(cmds, "")
	// expected: for a cut at offset c, the commands executed and the
	// length the file is cut back to.
	type exp struct {
		executed []string
		keep     int
	}
	expect := func(c int) exp {
		var e exp
		off := 0
		var queued []string
		inMulti := false
		for _, x := range cmds {
			end := off + len(x)
			if end > c {
				break
			}
			off = end
			switch {
			case strings.HasPrefix(x, "#"):
				continue
			case x == enc("MULTI"):
				inMulti = true
				continue
			case x == enc("EXEC"):
				inMulti = false
				e.executed = append(e.executed, queued...)
				queued = nil
				e.keep = end
				continue
			}
			if inMulti {
				queued = append(queued, x)
			} else {
				e.executed = append(e.executed, x)
				e.keep = end
			}
		}
		if !inMulti && off == c {
			e.keep = c // a clean cut (possibly after an annotation)
		}
		return e
	}
	for c := 0; c <= len(full); c++ {
		opts := writeAOF(t, base, enc("SET", "i1", "v"), full[:c])
		incr := filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.2.incr.aof")
		e := expect(c)
		clean := e.keep == c

		// aof-load-truncated no
		opts.LoadTruncated = false
		r := &recorder{}
		_, err := Load(opts, r.exec, nil)
		if clean {
			if err != nil {
				t.Fatalf("cut %d: %v", c, err)
			}
		} else {
			if err == nil || !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "Unexpected end of file reading the append only file appendonly.aof.2.incr.aof") {
				t.Fatalf("cut %d: %v", c, err)
			}
			if got := readFile(t, incr); got != full[:c] {
				t.Fatalf("cut %d: file touched", c)
			}
		}

		// aof-load-truncated yes
		opts.LoadTruncated = true
		r = &recorder{}
		var logbuf bytes.Buffer
		opts.Logger = slog.New(slog.NewTextHandler(&logbuf, nil))
		info, err := Load(opts, r.exec, nil)
		if err != nil {
			t.Fatalf("cut %d: %v", c, err)
		}
		want := append([]string{enc("SET", "base", "1"), enc("SET", "i1", "v")}, e.executed...)
		if !reflect.DeepEqual(r.cmds, want) {
			t.Fatalf("cut %d: executed %q\nwant %q", c, r.cmds, want)
		}
		if got := readFile(t, incr); got != full[:e.keep] {
			t.Fatalf("cut %d: file is %d bytes, want %d", c, len(got), e.keep)
		}
		if info.Truncated == clean {
			t.Fatalf("cut %d: truncated=%v", c, info.Truncated)
		}
		if !clean {
			if info.TruncatedAt != int64(e.keep) || info.TruncatedFrom != int64(c) || info.TruncatedFile != "appendonly.aof.2.incr.aof" {
				t.Fatalf("cut %d: %+v", c, info)
			}
			if !strings.Contains(logbuf.String(), "!!! Warning: short read while loading the AOF file appendonly.aof.2.incr.aof!!!") ||
				!strings.Contains(logbuf.String(), fmt.Sprintf("!!! Truncating the AOF appendonly.aof.2.incr.aof at offset %d !!!", e.keep)) {
				t.Fatalf("cut %d: log %s", c, logbuf.String())
			}
			// Loading again is clean and gives the same.
			r2 := &recorder{}
			info2, err := Load(opts, r2.exec, nil)
			if err != nil || info2.Truncated || !reflect.DeepEqual(r2.cmds, want) {
				t.Fatalf("cut %d: reload %v %+v", c, err, info2)
			}
		}
		if info.TotalSize != int64(len(base)+len(enc("SET", "i1", "v"))+e.keep) && !clean {
			t.Fatalf("cut %d: total %d", c, info.TotalSize)
		}
	}
}

func TestLoadRefusals(t *testing.T) {
	good := enc("SET", "a", "1")
	cases := []struct {
		name  string
		base  string
		incrs []string
		msg   string
	}{
		{"garbage mid-file", good, []string{good + "garbage\r\n" + good}, "Bad file format reading the append only file appendonly.aof.1.incr.aof"},
		{"garbage in base", good + "xx" + good, []string{good}, "Bad file format reading the append only file appendonly.aof.1.base.aof"},
		{"flipped length", good, []string{good + strings.Replace(good, "$1\r\na", "$1\r\nab", 1) + good}, "Bad file format"},
		{"zero argc", good, []string{"*0\r\n" + good}, "Bad file format"},
		{"truncated file not last", good, []string{good[:10], good}, "Fatal error: the truncated file is not the last file"},
		{"truncated base not last", good[:5], []string{good}, "Fatal error: the truncated file is not the last file"},
		{"unknown command", good, []string{enc("NOSUCH", "x")}, "Unknown command 'NOSUCH' reading the append only file appendonly.aof.1.incr.aof"},
		{"rdb without loader", string(EmptyRDB()), []string{good}, "Error reading the RDB base file appendonly.aof.1.base.rdb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := writeAOF(t, c.base, c.incrs...)
			dir := filepath.Join(opts.Dir, "appendonlydir")
			before := snapshotDir(t, dir)
			m := newModel()
			_, err := Load(opts, m.exec, nil)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %v, want %q", err, c.msg)
			}
			if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
				t.Fatal("files changed")
			}
		})
	}
}

func snapshotDir(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	for _, n := range listDir(t, dir) {
		out[n] = readFile(t, filepath.Join(dir, n))
	}
	return out
}

// TestLoadManifestRefusals is BAD-INPUTS 23 through Load.
func TestLoadManifestRefusals(t *testing.T) {
	good := enc("SET", "a", "1")
	cases := []struct{ name, manifest, msg string }{
		{"missing file", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.9.incr.aof seq 9 type i\n",
			"Unable to obtain the AOF file appendonly.aof.9.incr.aof length. stat: No such file or directory"},
		{"blank line", "file appendonly.aof.1.base.aof seq 1 type b\n\nfile appendonly.aof.1.incr.aof seq 1 type i\n", "Invalid AOF manifest file format"},
		{"two bases", "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.base.aof seq 2 type b\n", "Found duplicate base file information"},
		{"non-increasing seq", "file appendonly.aof.1.incr.aof seq 2 type i\nfile appendonly.aof.1.incr.aof seq 2 type i\n", "Found a non-monotonic sequence number"},
		{"empty", "", "Found an empty AOF manifest"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := writeAOF(t, good, good)
			dir := filepath.Join(opts.Dir, "appendonlydir")
			os.WriteFile(filepath.Join(dir, "appendonly.aof.manifest"), []byte(c.manifest), 0o644)
			before := snapshotDir(t, dir)
			_, err := Load(opts, newModel().exec, nil)
			if err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %v, want %q", err, c.msg)
			}
			if _, err := Open(opts); err == nil && c.name != "missing file" {
				t.Fatal("Open accepted the manifest")
			}
			if c.name != "missing file" {
				if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
					t.Fatal("files changed")
				}
			}
		})
	}
}

func TestLoadNothing(t *testing.T) {
	opts := testOpts(t)
	info, err := Load(opts, newModel().exec, nil)
	if err != nil || info.Exists {
		t.Fatalf("%v %+v", err, info)
	}
	// A directory without manifest is "no AOF" too.
	os.Mkdir(filepath.Join(opts.Dir, "appendonlydir"), 0o755)
	info, err = Load(opts, newModel().exec, nil)
	if err != nil || info.Exists {
		t.Fatalf("%v %+v", err, info)
	}
}

// TestLoadLegacyUpgrade: a single appendonly.aof (RESP, or RDB preamble plus
// RESP tail) is loaded and moved into the multi-part layout; new appends go
// to a fresh incr file and everything reloads.
func TestLoadLegacyUpgrade(t *testing.T) {
	for _, preamble := range []bool{false, true} {
		t.Run(fmt.Sprint("preamble=", preamble), func(t *testing.T) {
			opts := testOpts(t)
			legacy := enc("SELECT", "0") + enc("SET", "a", "1") + enc("RPUSH", "l", "x")
			if preamble {
				legacy = string(EmptyRDB()) + legacy
			}
			os.WriteFile(filepath.Join(opts.Dir, "appendonly.aof"), []byte(legacy), 0o644)
			m, info := loadModel(t, opts)
			if !info.Upgraded || info.Commands != 3 || m.dbs[0]["a"] != "1" {
				t.Fatalf("%+v %v", info, m.dbs)
			}
			if info.Files[0].RDB != preamble {
				t.Fatalf("%+v", info.Files[0])
			}
			dir := filepath.Join(opts.Dir, "appendonlydir")
			if got := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); got != "file appendonly.aof seq 1 type b\n" {
				t.Fatalf("%q", got)
			}
			if _, err := os.Stat(filepath.Join(opts.Dir, "appendonly.aof")); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("legacy file not moved")
			}
			if readFile(t, filepath.Join(dir, "appendonly.aof")) != legacy {
				t.Fatal("legacy content changed")
			}
			w, err := Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			w.Append(0, cmd("SET", "b", "2"))
			w.Close()
			if got := readFile(t, filepath.Join(dir, "appendonly.aof.manifest")); got != "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
				t.Fatalf("%q", got)
			}
			m, info = loadModel(t, opts)
			if info.Upgraded || m.dbs[0]["b"] != "2" || m.dbs[0]["a"] != "1" {
				t.Fatalf("%+v %v", info, m.dbs)
			}
		})
	}
	// A legacy file that does not load is left where it was.
	opts := testOpts(t)
	os.WriteFile(filepath.Join(opts.Dir, "appendonly.aof"), []byte(enc("SET", "a", "1")+"junk"+enc("SET", "a", "1")), 0o644)
	if _, err := Load(opts, newModel().exec, nil); err == nil || !strings.Contains(err.Error(), "Bad file format reading the append only file appendonly.aof") {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, "appendonly.aof")); err != nil {
		t.Fatal("moved")
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, "appendonlydir")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("dir created")
	}
	// A crash after the manifest was written but before the move: the
	// next Load upgrades again.
	opts = testOpts(t)
	os.WriteFile(filepath.Join(opts.Dir, "appendonly.aof"), []byte(enc("SET", "a", "1")), 0o644)
	os.Mkdir(filepath.Join(opts.Dir, "appendonlydir"), 0o755)
	os.WriteFile(filepath.Join(opts.Dir, "appendonlydir", "appendonly.aof.manifest"), []byte("file appendonly.aof seq 1 type b\n"), 0o644)
	m, info := loadModel(t, opts)
	if !info.Upgraded || m.dbs[0]["a"] != "1" {
		t.Fatalf("%+v", info)
	}
}

// TestLoadReusedArgs loads commands whose arguments Load parses into reused
// storage (small ones into an arena that fills up and is replaced, large
// ones beyond the read buffer on their own), inside and outside MULTI
// blocks, and expects every command exactly as written.
func TestLoadReusedArgs(t *testing.T) {
	var cmds []string
	big := strings.Repeat("B", 200<<10)
	for i := range 5000 {
		v := strings.Repeat(string(rune('a'+i%26)), i%300)
		switch i % 1000 {
		case 10:
			v = big
		case 20:
			cmds = append(cmds, enc("MULTI"), enc("SET", "m1", v), enc("SET", "m2", big), enc("RPUSH", "l", "x", "y", v), enc("EXEC"))
			continue
		}
		cmds = append(cmds, enc("SET", fmt.Sprintf("key:%d", i), v))
	}
	opts := writeAOF(t, enc("SET", "base", "1"), strings.Join(cmds, ""))
	r := &recorder{}
	if _, err := Load(opts, r.exec, nil); err != nil {
		t.Fatal(err)
	}
	var want []string
	want = append(want, enc("SET", "base", "1"))
	for _, c := range cmds {
		if c != enc("MULTI") && c != enc("EXEC") {
			want = append(want, c)
		}
	}
	if !reflect.DeepEqual(r.cmds, want) {
		t.Fatalf("got %d commands, want %d (or they differ)", len(r.cmds), len(want))
	}
}
