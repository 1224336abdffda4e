package persist_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
)

// writeRDB writes dir/dump.rdb holding the string keys of kv in db 0 with
// a RESIZEDB hint of hint keys (a duplicate key is written twice).
func writeRDB(t *testing.T, dir string, hint uint64, kv [][2]string) {
	t.Helper()
	var buf bytes.Buffer
	w := rdb.NewWriter(&buf)
	if err := w.Header(nil); err != nil {
		t.Fatal(err)
	}
	if err := w.SelectDB(0, hint, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range kv {
		if err := w.Value([]byte(p[0]), rdb.Value{Kind: rdb.KindString, Str: []byte(p[1])}, rdb.NoExpiry); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dump.rdb"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadDuplicateKeyRefused: a key twice in an RDB stops the server at
// start with Redis's messages, whatever the RESIZEDB hint says; without
// the duplicate the same file loads, values intact.
func TestLoadDuplicateKeyRefused(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		var kv [][2]string
		for i := range 2000 {
			kv = append(kv, [2]string{fmt.Sprintf("key:%d", i), strings.Repeat("v", i%50) + fmt.Sprint(i)})
		}
		for _, hint := range []uint64{0, 2000, 1 << 40} {
			dir := t.TempDir()
			writeRDB(t, dir, hint, append(kv, [2]string{"key:7", "again"}))
			n, err := open(t, mode, dir, persist.Options{})
			if err == nil {
				t.Fatalf("hint %d: a duplicated key was loaded", hint)
			}
			if log := n.log.String(); !strings.Contains(log, "RDB has duplicated key 'key:7' in DB 0") {
				t.Fatalf("hint %d: log:\n%s", hint, log)
			}

			dir = t.TempDir()
			writeRDB(t, dir, hint, kv)
			n = start(t, mode, dir)
			got := keysOf(t, n)
			if len(got) != len(kv) {
				t.Fatalf("hint %d: %d keys loaded, want %d", hint, len(got), len(kv))
			}
			for _, p := range kv {
				if got[p[0]] != p[1] {
					t.Fatalf("hint %d: %s = %q, want %q", hint, p[0], got[p[0]], p[1])
				}
			}
			n.stop()
		}
	})
}
