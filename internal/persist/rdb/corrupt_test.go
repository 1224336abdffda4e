package rdb

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smallFile writes a small file with one key of every type and encoding.
func smallFile(t testing.TB) []byte {
	t.Helper()
	var es []entry
	for _, e := range sample(rand.New(rand.NewSource(9))) {
		switch e.key {
		case "int:127", "int:70000", "int:2147483648", "compressible", "ttl", "list:small", "set:intset16",
			"set:strs", "hash:small", "hash:longval", "zset:small", "zset:longmember", "other-db":
			if e.key == "compressible" {
				e.v.Str = e.v.Str[:100]
			}
			es = append(es, e)
		}
	}
	es = append(es, entry{0, "biglist", Value{Kind: KindList, List: bytes.Fields(bytes.Repeat([]byte("element "), 700))}, NoExpiry})
	var buf bytes.Buffer
	writeEntries(t, NewWriter(&buf), es)
	return buf.Bytes()
}

// realDumps returns the RDB files under testdata.
func realDumps(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, pat := range []string{"testdata/*.rdb", "testdata/redis-assets/*.rdb"} {
		files, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = b
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d test files", len(out))
	}
	return out
}

// loadSafely runs Load and turns a panic into a test failure.
func loadSafely(t *testing.T, b []byte, opts LoadOptions) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Load panicked: %v", r)
		}
	}()
	return Load(bytes.NewReader(b), &collector{}, opts)
}

func TestFlippedBytes(t *testing.T) {
	files := realDumps(t)
	files["ours"] = smallFile(t)
	flips := 0
	defer func() {
		t.Logf("%d single-byte corruptions of checksummed files, all refused (plus old-version files, checked for panics)", flips)
	}()
	for name, b := range files {
		if loadSafely(t, b, LoadOptions{}) != nil {
			continue // the corrupt asset
		}
		hasCRC := !bytes.Equal(b[len(b)-8:], make([]byte, 8)) && string(b[5:9]) >= "0005"
		for i := range b {
			for _, mask := range []byte{0x01, 0x80, 0xFF} {
				c := bytes.Clone(b)
				c[i] ^= mask
				if hasCRC {
					flips++
				}
				err := loadSafely(t, c, LoadOptions{})
				if err == nil && hasCRC {
					t.Fatalf("%s: flipping byte %d with %#x went unnoticed", name, i, mask)
				}
				// Without the checksum the structure checks must still hold.
				loadSafely(t, c, LoadOptions{SkipChecksum: true})
			}
		}
	}
}

func TestTruncated(t *testing.T) {
	files := realDumps(t)
	files["ours"] = smallFile(t)
	cuts := 0
	defer func() { t.Logf("%d truncations of %d files, all refused", cuts, len(files)) }()
	for name, b := range files {
		if loadSafely(t, b, LoadOptions{}) != nil {
			continue
		}
		for n := 0; n < len(b); n++ {
			cuts++
			err := loadSafely(t, b[:n], LoadOptions{})
			if err == nil {
				t.Fatalf("%s truncated to %d of %d bytes loaded", name, n, len(b))
			}
			if n >= 9 && !errors.Is(err, ErrShortRead) {
				t.Fatalf("%s truncated to %d: %v, want a short read", name, n, err)
			}
		}
	}
}

func TestRedisAssets(t *testing.T) {
	load := func(name string) (*collector, error) {
		b, err := os.ReadFile("testdata/redis-assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		c := &collector{}
		return c, Load(bytes.NewReader(b), c, LoadOptions{})
	}
	// Empty keys of every type are skipped, as redis-server does.
	c, err := load("corrupt_empty_keys.rdb")
	if err != nil || len(c.entries) != 0 {
		t.Errorf("corrupt_empty_keys.rdb: %v, %d keys", err, len(c.entries))
	}
	// The corrupt ziplist is refused where Redis refuses it.
	_, err = load("corrupt_ziplist.rdb")
	var le *LoadError
	if !errors.As(err, &le) || le.Kind != ErrCorrupt || le.Offset != 494 || !strings.Contains(err.Error(), "Ziplist integrity check failed") {
		t.Errorf("corrupt_ziplist.rdb: %v", err)
	}
	want := map[string]map[string]string{
		"hash-zipmap.rdb":    {"hash": `hash:"f1"="v1","f2"="v2",#2`},
		"hash-ziplist.rdb":   {"hash": `hash:"f1"="v1","f2"="v2",#2`},
		"zset-ziplist.rdb":   {"zset": `zset:"one"=1/false,"two"=2/false,#2`},
		"list-quicklist.rdb": {"list": `list:"7",`, "x": `string:"7"`},
		"scriptbackup.rdb":   {},
		"encodings.rdb": {
			"set_zipped_1": `set:"1","2","3","4",`,
			"set_zipped_2": `set:"100000","200000","300000","400000",`,
			"set_zipped_3": `set:"1000000000","2000000000","3000000000","4000000000","5000000000","6000000000",`,
			"set":          `set:"1","100000","2","3","6000000000","a","b","c",`,
			"list_zipped":  `list:"1","2","3","a","b","c","100000","6000000000",`,
			"list":         `list:` + strings.Repeat(`"1","2","3","a","b","c","100000","6000000000",`, 3),
			"string":       `string:"Hello World"`,
			"number":       `string:"10"`,
			"compressible": `string:"` + strings.Repeat("a", 137) + `"`,
			"hash_zipped":  `hash:"a"="1","b"="2","c"="3",#3`,
			"hash":         `hash:"a"="1","aa"="10","aaa"="100","b"="2","bb"="20","bbb"="200","c"="3","cc"="30","ccc"="300","ddd"="400","eee"="5000000000",#11`,
			"zset_zipped":  `zset:"a"=1/false,"b"=2/false,"c"=3/false,#3`,
			"zset":         `zset:"a"=1/false,"aa"=10/false,"aaa"=100/false,"aaaa"=1000/false,"b"=2/false,"bb"=20/false,"bbb"=200/false,"bbbb"=5e+09/false,"c"=3/false,"cc"=30/false,"ccc"=300/false,"cccc"=1.23456789e+08/false,#12`,
		},
	}
	for file, keys := range want {
		c, err := load(file)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		got := map[string]string{}
		for _, e := range c.entries {
			got[e.key] = canon(e.v)
		}
		if len(got) != len(keys) {
			t.Errorf("%s: %d keys, want %d", file, len(got), len(keys))
		}
		for k, v := range keys {
			if got[k] != v {
				t.Errorf("%s key %s:\n got %s\nwant %s", file, k, got[k], v)
			}
		}
		if file == "scriptbackup.rdb" && c.auxMap()["lua"] != "return redis.call('set', 'foo', 'bar')" {
			t.Errorf("scriptbackup lua aux: %v", c.aux)
		}
	}
}

func TestRealDumps(t *testing.T) {
	for _, name := range []string{"redis-7.0.15-encodings.rdb", "redis-7.0.15-lfu.rdb"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		c := loadBytes(t, b)
		got := map[string]string{}
		exp := map[string]int64{}
		for _, e := range c.entries {
			got[e.key] = canon(e.v)
			exp[e.key] = e.exp
		}
		want := map[string]string{
			"s:int":   `string:"12345"`,
			"s:neg":   `string:"-70000"`,
			"s:big":   `string:"12345678901234"`,
			"s:emb":   `string:"hello"`,
			"s:lzf":   `string:"` + strings.Repeat("abc", 40) + `"`,
			"l:small": `list:"a","1","-2","bb",`,
			"l:nodes": `list:"1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17","18","19","20","x","y","z","` + strings.Repeat("q", 30) + `",`,
			"l:plain": `list:"small","` + strings.Repeat("P", 80) + `","end",`,
			"set:int": `set:"1","2","3",`,
			"set:i64": `set:"-1","9000000000",`,
			"set:ht":  `set:"a","b","c","d","e",`,
			"h:lp":    `hash:"f"="v","n"="1",#2`,
			"h:ht":    `hash:"a"="1","b"="2","c"="3","d"="4","e"="5",#5`,
			"z:lp":    `zset:"a"=1/false,"b"=2.5/false,"c"=-Inf/true,#3`,
			"z:sl":    `zset:"a"=1/false,"b"=2/false,"c"=3/false,"d"=4/false,"e"=5/false,"f"=0.1/false,#6`,
			"db1":     `string:"v"`,
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s key %s:\n got %s\nwant %s", name, k, got[k], v)
			}
		}
		if raw := got["s:raw"]; len(c.entries) != 17 || !strings.HasPrefix(raw, `string:"2i)A0`) || !strings.HasSuffix(raw, `Vhs-8q}F0"`) {
			t.Errorf("%s: %d keys, s:raw %q", name, len(c.entries), got["s:raw"])
		}
		if exp["s:emb"] != 4000000000000 || exp["l:nodes"] != 4000000000001 || exp["h:ht"] != 4000000000002 || exp["s:int"] != NoExpiry {
			t.Errorf("%s: expiries %v", name, exp)
		}
		if len(c.funcs) != 1 || !strings.HasPrefix(c.funcs[0], "#!lua name=seedlib\n") {
			t.Errorf("%s: functions %q", name, c.funcs)
		}
		if name == "redis-7.0.15-lfu.rdb" && len(c.evict) != 17 {
			t.Errorf("%s: %d keys with LFU info", name, len(c.evict))
		}
		// Everything we read, we can write back and read again.
		var buf bytes.Buffer
		writeEntries(t, NewWriter(&buf), c.entries)
		compareEntries(t, c.entries, loadBytes(t, buf.Bytes()))
	}
}
