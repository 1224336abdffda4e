package aof

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseManifestRedisExample(t *testing.T) {
	text := "file appendonly.aof.2.base.rdb seq 2 type b\n" +
		"file appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.2.incr.aof seq 2 type h\n" +
		"file appendonly.aof.3.incr.aof seq 3 type h\n" +
		"file appendonly.aof.4.incr.aof seq 4 type i\n" +
		"file appendonly.aof.5.incr.aof seq 5 type i\n"
	m, err := ParseManifest([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if m.Base == nil || m.Base.Name != "appendonly.aof.2.base.rdb" || m.BaseSeq != 2 {
		t.Fatalf("base %+v", m.Base)
	}
	if len(m.History) != 3 || len(m.Incr) != 2 || m.IncrSeq != 5 {
		t.Fatalf("manifest %+v", m)
	}
	if got := m.String(); got != text {
		t.Fatalf("format:\n%s\nwant\n%s", got, text)
	}
}

func TestParseManifestLenient(t *testing.T) {
	// Comments, CRLF, extra spaces, keys in any order and case, unknown
	// key/value pairs (forward compatibility), a quoted name.
	text := "# comment\r\n" +
		"  type b SEQ 1 file \"my base.rdb\" extra x \r\n" +
		"file appendonly.aof.1.incr.aof seq 1 type i\n"
	m, err := ParseManifest([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if m.Base.Name != "my base.rdb" || len(m.Incr) != 1 {
		t.Fatalf("%+v", m)
	}
	if got := m.String(); got != "file \"my base.rdb\" seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
		t.Fatalf("format %q", got)
	}
	// Only comments: an empty manifest, not an error.
	m, err = ParseManifest([]byte("# nothing\n"))
	if err != nil || !m.Empty() {
		t.Fatalf("%v %+v", err, m)
	}
}

// TestParseManifestErrors covers BAD-INPUTS 23 and the other refusals of
// aofLoadManifestFromFile.
func TestParseManifestErrors(t *testing.T) {
	long := "file " + strings.Repeat("a", 1100) + " seq 1 type b\n"
	cases := []struct{ name, text, reason string }{
		{"empty file", "", "Found an empty AOF manifest"},
		{"blank line", "file a.base.rdb seq 1 type b\n\nfile a.1.incr.aof seq 1 type i\n", "Invalid AOF manifest file format"},
		{"spaces line", "file a.base.rdb seq 1 type b\n   \n", "Invalid AOF manifest file format"},
		{"two bases", "file a.1.base.rdb seq 1 type b\nfile a.2.base.rdb seq 2 type b\n", "Found duplicate base file information"},
		{"same incr seq", "file a.1.incr.aof seq 1 type i\nfile a.2.incr.aof seq 1 type i\n", "Found a non-monotonic sequence number"},
		{"decreasing incr seq", "file a.3.incr.aof seq 3 type i\nfile a.2.incr.aof seq 2 type i\n", "Found a non-monotonic sequence number"},
		{"negative incr seq", "file a.incr.aof seq -1 type i\n", "Found a non-monotonic sequence number"},
		{"too few fields", "file a seq 1 type\n", "Invalid AOF manifest file format"},
		{"odd fields", "file a seq 1 type i x\n", "Invalid AOF manifest file format"},
		{"unbalanced quotes", "file \"a seq 1 type i\n", "Invalid AOF manifest file format"},
		{"missing seq", "file a x 1 type i\n", "Invalid AOF manifest file format"},
		{"zero seq", "file a seq 0 type i\n", "Invalid AOF manifest file format"},
		{"non-numeric seq", "file a seq abc type i\n", "Invalid AOF manifest file format"},
		{"empty type", "file a seq 1 type \"\"\n", "Invalid AOF manifest file format"},
		{"unknown type", "file a seq 1 type x\n", "Unknown AOF file type"},
		{"path", "file ../a seq 1 type i\n", "File can't be a path, just a filename"},
		{"backslash path", "file a\\\\b seq 1 type i\n", "File can't be a path, just a filename"},
		{"no final newline", "file a seq 1 type i", "The AOF manifest file contains too long line"},
		{"too long line", long, "The AOF manifest file contains too long line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseManifest([]byte(c.text))
			var me *ManifestError
			if !errors.As(err, &me) {
				t.Fatalf("got %+v, %v; want %q", m, err, c.reason)
			}
			if me.Reason != c.reason {
				t.Fatalf("reason %q, want %q", me.Reason, c.reason)
			}
		})
	}
}

func TestManifestNameQuoting(t *testing.T) {
	names := []string{"plain.aof", "with space", "quo\"te", "nl\nx", "\x01\xff", "tab\tx", ""}
	m := &Manifest{}
	for i, n := range names {
		m.History = append(m.History, FileInfo{Name: n, Seq: int64(i + 1), Type: TypeHistory})
	}
	got, err := ParseManifest(m.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, m.Bytes())
	}
	if !reflect.DeepEqual(got.History, m.History) {
		t.Fatalf("round trip %q", m.Bytes())
	}
	if !strings.Contains(string(m.Bytes()), "file \"\\x01\\xff\" seq 5 type h\n") {
		t.Fatalf("repr: %q", m.Bytes())
	}
}

func TestManifestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadManifest(dir, "appendonlydir", "appendonly.aof"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing manifest: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "appendonlydir"), 0o755); err != nil {
		t.Fatal(err)
	}
	m := &Manifest{}
	m.newBase("appendonly.aof", true)
	m.newIncr("appendonly.aof")
	if err := m.Save(dir, "appendonlydir", "appendonly.aof"); err != nil {
		t.Fatal(err)
	}
	got := readFile(t, filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	want := "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
	if got != want {
		t.Fatalf("%q", got)
	}
	if ls := listDir(t, filepath.Join(dir, "appendonlydir")); len(ls) != 1 {
		t.Fatalf("temp file left: %v", ls)
	}
	m2, err := LoadManifest(dir, "appendonlydir", "appendonly.aof")
	if err != nil || !reflect.DeepEqual(m, m2) {
		t.Fatalf("%v %+v", err, m2)
	}
	// A rewrite: old base and incr become history, newest incr kept.
	m.newIncr("appendonly.aof")
	m.newBase("appendonly.aof", false)
	m.markRewrittenIncrAsHistory(true)
	want = "file appendonly.aof.2.base.aof seq 2 type b\n" +
		"file appendonly.aof.1.incr.aof seq 1 type h\n" +
		"file appendonly.aof.1.base.rdb seq 1 type h\n" +
		"file appendonly.aof.2.incr.aof seq 2 type i\n"
	if m.String() != want {
		t.Fatalf("%q", m.String())
	}
	// A corrupt manifest on disk names its path.
	os.WriteFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"), []byte("file a seq 1 type b\nfile b seq 2 type b\n"), 0o644)
	_, err = LoadManifest(dir, "appendonlydir", "appendonly.aof")
	if err == nil || !strings.Contains(err.Error(), "appendonly.aof.manifest") || !strings.Contains(err.Error(), "Found duplicate base file information") || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("%v", err)
	}
}

func TestAtoll(t *testing.T) {
	for s, want := range map[string]int64{"12": 12, " +7x": 7, "-3": -3, "": 0, "x1": 0,
		"99999999999999999999": 1<<63 - 1, "-99999999999999999999": -1 << 63, "\t\n 5": 5} {
		if got := atoll(s); got != want {
			t.Errorf("atoll(%q)=%d want %d", s, got, want)
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"))
	f.Add([]byte("# c\nfile \"a b\" seq 3 type h\nfile x seq 2 type i\n"))
	f.Add([]byte("file a seq 1 type b\n\n"))
	f.Add([]byte("FILE a SEQ 9223372036854775807 TYPE i k v\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			var me *ManifestError
			if !errors.As(err, &me) {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		// What parses formats back to a manifest that parses the same.
		m2, err := ParseManifest(m.Bytes())
		if m.Empty() && len(m.History) == 0 {
			return // formats to nothing, which is "an empty manifest"
		}
		if err != nil {
			t.Fatalf("re-parse of %q: %v", m.Bytes(), err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip:\n%+v\n%+v", m, m2)
		}
	})
}
