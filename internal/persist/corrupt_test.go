package persist_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
)

// aofFiles returns the incr file path of the AOF in dir (the last one).
func lastIncr(t testing.TB, dir string) string {
	t.Helper()
	m, err := aof.LoadManifest(dir, "appendonlydir", "appendonly.aof")
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "appendonlydir", m.Incr[len(m.Incr)-1].Name)
}

// copyDir copies a data directory (one level of subdirectories).
func copyDir(t testing.TB, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			if err := os.MkdirAll(filepath.Join(to, e.Name()), 0o755); err != nil {
				t.Fatal(err)
			}
			copyDir(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
			continue
		}
		copyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
	}
}

// keysOf returns key -> value of the string keys of db 0.
func keysOf(t testing.TB, n *node) map[string]string {
	t.Helper()
	ctx := ctxT(t)
	c := n.client()
	out := map[string]string{}
	keys := c.Keys(ctx, "*").Val()
	for _, k := range keys {
		out[k] = c.Get(ctx, k).Val()
	}
	return out
}

// TestTruncatedAOFLoadsExactPrefix cuts the incr file at random offsets:
// with aof-load-truncated yes the server starts with exactly the commands
// (and transactions) complete before the cut, and the file is cut back to
// the last complete one; with no it refuses to start (BAD-INPUTS 20).
func TestTruncatedAOFLoadsExactPrefix(t *testing.T) {
	src := t.TempDir()
	args := []string{"--appendonly", "yes", "--aof-use-rdb-preamble", "no"}
	a := start(t, "eventloop", src, args...)
	c := a.client()
	ctx := ctxT(t)
	for i := 0; i < 60; i++ {
		if i%7 == 3 {
			tx := c.TxPipeline()
			tx.Set(ctx, fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i), 0)
			tx.Set(ctx, fmt.Sprintf("k%d-tx", i), strings.Repeat("x", i), 0)
			if _, err := tx.Exec(ctx); err != nil {
				t.Fatal(err)
			}
			continue
		}
		c.Set(ctx, fmt.Sprintf("k%d", i), fmt.Sprintf("v%d", i), 0)
	}
	a.shutdown(false)
	incr := lastIncr(t, src)
	data, err := os.ReadFile(incr)
	if err != nil {
		t.Fatal(err)
	}

	// The expected dataset after each complete command.
	type point struct {
		end  int64
		keys map[string]string
	}
	var points []point
	r := aof.NewCommandReader(bytes.NewReader(data))
	state := map[string]string{}
	var pending [][][]byte
	inMulti := false
	points = append(points, point{0, map[string]string{}})
	for {
		cmd, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch strings.ToUpper(string(cmd[0])) {
		case "MULTI":
			inMulti, pending = true, nil
		case "EXEC":
			inMulti = false
			for _, p := range pending {
				state[string(p[1])] = string(p[2])
			}
		case "SET":
			if inMulti {
				pending = append(pending, cmd)
			} else {
				state[string(cmd[1])] = string(cmd[2])
			}
		}
		if !inMulti {
			cp := map[string]string{}
			for k, v := range state {
				cp[k] = v
			}
			points = append(points, point{r.Offset(), cp})
		}
	}
	if points[len(points)-1].end != int64(len(data)) {
		t.Fatalf("parsed %d of %d bytes", points[len(points)-1].end, len(data))
	}

	offsets := []int64{1, int64(len(data)) - 1}
	for i := 0; i < 25; i++ {
		offsets = append(offsets, 1+rand.Int64N(int64(len(data))-1))
	}
	for _, cut := range offsets {
		// The last complete point at or before the cut.
		k := sort.Search(len(points), func(i int) bool { return points[i].end > cut }) - 1
		want := points[k]

		dir := t.TempDir()
		copyDir(t, src, dir)
		if err := os.Truncate(lastIncr(t, dir), cut); err != nil {
			t.Fatal(err)
		}
		onBoundary := want.end == cut
		if !onBoundary {
			before, _ := os.ReadFile(lastIncr(t, dir))
			n, err := open(t, "threaded", dir, persist.Options{}, append(args, "--aof-load-truncated", "no")...)
			if err == nil {
				t.Fatalf("cut at %d: started with aof-load-truncated no", cut)
			}
			if !strings.Contains(n.log.String(), "Unexpected end of file reading the append only file") {
				t.Fatalf("cut at %d: log lacks Redis's message:\n%s", cut, n.log)
			}
			if after, _ := os.ReadFile(lastIncr(t, dir)); !bytes.Equal(before, after) {
				t.Fatalf("cut at %d: the refused file was changed", cut)
			}
		}
		b := start(t, "threaded", dir, args...)
		got := keysOf(t, b)
		if fmt.Sprint(got) != fmt.Sprint(want.keys) {
			t.Fatalf("cut at %d (prefix ends at %d): got %d keys %v, want %d keys %v", cut, want.end, len(got), got, len(want.keys), want.keys)
		}
		b.stop()
		if st, err := os.Stat(lastIncr(t, dir)); err != nil || st.Size() != want.end {
			t.Fatalf("cut at %d: file is %d bytes, want it cut back to %d", cut, st.Size(), want.end)
		}
	}
}

// TestGarbageInAOFRefused puts bytes that are not a command in the middle
// of the incr file: the server refuses to start with Redis's message and
// leaves the file alone (BAD-INPUTS 21).
func TestGarbageInAOFRefused(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--appendonly", "yes"}
	a := start(t, "eventloop", dir, args...)
	c := a.client()
	for i := 0; i < 10; i++ {
		c.Set(ctxT(t), fmt.Sprint("k", i), i, 0)
	}
	a.shutdown(false)
	incr := lastIncr(t, dir)
	data, _ := os.ReadFile(incr)
	mid := bytes.Index(data[len(data)/2:], []byte("*3\r\n")) + len(data)/2
	bad := append(append(append([]byte{}, data[:mid]...), "garbage!\r\n"...), data[mid:]...)
	if err := os.WriteFile(incr, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := open(t, "eventloop", dir, persist.Options{}, args...)
	if err == nil {
		t.Fatal("started on an AOF with garbage in the middle")
	}
	if !strings.Contains(n.log.String(), "Bad file format reading the append only file") {
		t.Fatalf("log lacks Redis's message:\n%s", n.log)
	}
	if after, _ := os.ReadFile(incr); !bytes.Equal(after, bad) {
		t.Fatal("the refused AOF was changed")
	}
}

// TestFlippedRDBByteRefused flips one byte of dump.rdb at many positions:
// the server refuses to start every time and the file stays as it was
// (BAD-INPUTS 22).
func TestFlippedRDBByteRefused(t *testing.T) {
	src := t.TempDir()
	a := start(t, "eventloop", src)
	populate(t, a.addr)
	a.shutdown(true)
	orig, err := os.ReadFile(filepath.Join(src, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	positions := []int{0, 5, 9, len(orig) / 2, len(orig) - 9, len(orig) - 1}
	for i := 0; i < 14; i++ {
		positions = append(positions, rand.IntN(len(orig)))
	}
	for _, pos := range positions {
		dir := t.TempDir()
		bad := bytes.Clone(orig)
		bad[pos] ^= byte(1 + rand.IntN(255))
		path := filepath.Join(dir, "dump.rdb")
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		n, err := open(t, "eventloop", dir, persist.Options{})
		if err == nil {
			n.stop()
			t.Fatalf("byte %d of %d flipped: the server started", pos, len(orig))
		}
		if !strings.Contains(n.log.String(), "Terminating server after rdb file reading failure.") {
			t.Fatalf("byte %d: log lacks Redis's message:\n%s", pos, n.log)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, bad) {
			t.Fatalf("byte %d: the refused file was changed", pos)
		}
	}
	// One flip inside a string value (not a length or an encoding byte,
	// which fail earlier as a short read) names the CRC error.
	at := bytes.Index(orig, []byte("expiring"))
	if at < 0 {
		t.Fatal("value \"expiring\" not found in the dump")
	}
	dir := t.TempDir()
	bad := bytes.Clone(orig)
	bad[at+2] ^= 0x01
	_ = os.WriteFile(filepath.Join(dir, "dump.rdb"), bad, 0o644)
	if n, err := open(t, "eventloop", dir, persist.Options{}); err == nil ||
		!strings.Contains(n.log.String(), "RDB CRC error") && !strings.Contains(n.log.String(), "Wrong RDB checksum") {
		t.Fatalf("no CRC error for a flipped data byte: %v\n%s", err, n.log)
	}
}

// TestBadJSONSnapshotRefused: a truncated or inconsistent dump.json stops
// the start too.
func TestBadJSONSnapshotRefused(t *testing.T) {
	src := t.TempDir()
	a := start(t, "eventloop", src, "--snapshot-format", "json")
	populate(t, a.addr)
	a.shutdown(true)
	orig, _ := os.ReadFile(filepath.Join(src, "dump.json"))
	for _, bad := range [][]byte{
		orig[:len(orig)/2],
		bytes.Replace(orig, []byte(`"key_count":`), []byte(`"key_count":1`), 1),
		bytes.Replace(orig, []byte(`"type":"zset"`), []byte(`"type":"blob"`), 1),
		bytes.Replace(orig, []byte(`{"rdb":"`), []byte(`{"rdb":"AAAA`), 1), // a damaged stream payload
	} {
		if bytes.Equal(bad, orig) {
			t.Fatal("corruption left the file unchanged")
		}
		dir := t.TempDir()
		_ = os.WriteFile(filepath.Join(dir, "dump.json"), bad, 0o644)
		if _, err := open(t, "eventloop", dir, persist.Options{}, "--snapshot-format", "json"); err == nil {
			t.Fatal("started on a bad dump.json")
		}
	}
}

// TestBadManifestRefused: a manifest naming a missing file, with a blank
// line, two base files or a non-increasing sequence stops the start with
// Redis's message, nothing changed (BAD-INPUTS 23).
func TestBadManifestRefused(t *testing.T) {
	src := t.TempDir()
	args := []string{"--appendonly", "yes"}
	a := start(t, "eventloop", src, args...)
	a.client().Set(ctxT(t), "k", "v", 0)
	a.shutdown(false)
	mpath := filepath.Join("appendonlydir", "appendonly.aof.manifest")
	orig, _ := os.ReadFile(filepath.Join(src, mpath))
	cases := map[string]struct{ manifest, msg string }{
		"missing file":       {string(orig) + "file appendonly.aof.9.incr.aof seq 9 type i\n", "appendonly.aof.9.incr.aof"},
		"blank line":         {string(orig) + "\n", "Invalid AOF manifest file format"},
		"two base files":     {string(orig) + "file appendonly.aof.5.base.rdb seq 5 type b\n", "Found duplicate base file information"},
		"non-increasing seq": {string(orig) + "file appendonly.aof.0.incr.aof seq 1 type i\n", "Found a non-monotonic sequence number"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, src, dir)
			p := filepath.Join(dir, mpath)
			if err := os.WriteFile(p, []byte(tc.manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			n, err := open(t, "eventloop", dir, persist.Options{}, args...)
			if err == nil {
				t.Fatal("started")
			}
			if !strings.Contains(n.log.String(), tc.msg) {
				t.Fatalf("log lacks %q:\n%s", tc.msg, n.log)
			}
			if after, _ := os.ReadFile(p); string(after) != tc.manifest {
				t.Fatal("the manifest was changed")
			}
		})
	}
}
