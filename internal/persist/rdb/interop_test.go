package rdb

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestInteropRedisDump fills a real redis-server with every type in every
// encoding it has, SAVEs, and checks that Load reads dump.rdb exactly as
// the server serves the data. It also checks DUMP payloads both ways,
// byte for byte where Redis's encoding is deterministic.
func TestInteropRedisDump(t *testing.T) {
	needRedis(t)
	dir := t.TempDir()
	s := startRedis(t, dir)
	rng := rand.New(rand.NewSource(7))
	bin := func(n int) []byte {
		b := make([]byte, n)
		rng.Read(b)
		return b
	}
	setB := func(key string, val []byte) { s.mustB(t, []byte("SET"), []byte(key), val) }

	// Strings: int, embstr, raw, binary, compressible, empty.
	s.must(t, "SET", "s:int", "12345")
	s.must(t, "SET", "s:neg", "-7")
	s.must(t, "SET", "s:bigint", "-1234567890123456789")
	s.must(t, "SET", "s:small", "hello")
	s.must(t, "SET", "s:empty", "")
	setB("s:bin", bin(100))
	setB("s:rand", bin(5000))
	s.must(t, "SET", "s:long", strings.Repeat("compressible ", 1000))
	s.must(t, "SET", "s:20", strings.Repeat("x", 20))
	s.must(t, "SET", "s:21", strings.Repeat("x", 21))

	// Lists created before compression is turned on: byte-exact DUMP.
	s.must(t, "RPUSH", "l:small", "a", "1", "-300", "70000", "99999999999", "", "hello world")
	var args []string
	for i := 0; i < 3000; i++ {
		args = append(args, fmt.Sprintf("item-%d", i*i))
	}
	s.must(t, append([]string{"RPUSH", "l:exact"}, args...)...)
	// Compressed inner quicklist nodes.
	s.must(t, "CONFIG", "SET", "list-compress-depth", "1")
	s.must(t, append([]string{"RPUSH", "l:big"}, args...)...)
	for i := 0; i < 300; i++ {
		s.mustB(t, bulkArgs("LPUSH", "l:big", bin(rng.Intn(200)))...)
	}
	// PLAIN nodes for elements over the packed threshold.
	s.must(t, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100")
	s.mustB(t, bulkArgs("RPUSH", "l:plain", []byte("small"), bytes.Repeat([]byte("P"), 500), []byte("tail"), bin(300))...)
	s.must(t, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1073741824")

	// Sets: intset (16/32/64-bit), hashtable.
	s.must(t, "SADD", "set:i16", "1", "-2", "300", "-32768")
	s.must(t, "SADD", "set:i32", "1", "100000", "-2147483648")
	s.must(t, "SADD", "set:i64", "1", "9223372036854775807", "-9223372036854775808")
	args = nil
	for i := 0; i < 1000; i++ {
		args = append(args, strconv.Itoa(i*3))
	}
	s.must(t, append([]string{"SADD", "set:bigints"}, args...)...)
	s.must(t, "SADD", "set:strs", "a", "b", "c", "12", "-0")

	// Hashes: listpack, hashtable (too many fields, or a long value).
	s.must(t, "HSET", "h:lp", "f1", "v1", "f2", "2", "3", "-4", "long", strings.Repeat("z", 60))
	args = nil
	for i := 0; i < 500; i++ {
		args = append(args, "field"+strconv.Itoa(i), strconv.Itoa(i*i))
	}
	s.must(t, append([]string{"HSET", "h:ht"}, args...)...)
	s.must(t, "HSET", "h:longval", "f", strings.Repeat("v", 65))

	// Sorted sets: listpack, skiplist.
	s.must(t, "ZADD", "z:lp", "1", "a", "-inf", "b", "+inf", "c", "0.1", "d", "3", "e", "-0", "f", "1e300", "g", "1", "0")
	args = nil
	for i := 0; i < 500; i++ {
		args = append(args, strconv.FormatFloat(rng.NormFloat64()*100, 'g', -1, 64), "m"+strconv.Itoa(i))
	}
	s.must(t, append([]string{"ZADD", "z:sl"}, args...)...)
	s.must(t, "ZADD", "z:longmember", "5", strings.Repeat("m", 70))

	// Expiries, other databases, functions.
	for i, k := range []string{"s:small", "l:big", "set:strs", "h:lp", "z:sl", "s:long"} {
		s.must(t, "PEXPIREAT", k, strconv.FormatInt(4_000_000_000_000+int64(i)*1234567, 10))
	}
	s.must(t, "SELECT", "2")
	s.must(t, "SET", "db2:key", "in db 2")
	s.must(t, "RPUSH", "db2:list", "x")
	s.must(t, "PEXPIREAT", "db2:key", "4100000000000")
	s.must(t, "SELECT", "15")
	s.must(t, "SET", "db15", "last db")
	s.must(t, "SELECT", "0")
	lib := "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)"
	s.must(t, "FUNCTION", "LOAD", lib)

	// Every encoding must be present.
	encs := map[string]bool{}
	for _, k := range s.keys(t) {
		encs[s.must(t, "OBJECT", "ENCODING", k).(string)] = true
	}
	for _, e := range []string{"int", "embstr", "raw", "quicklist", "intset", "hashtable", "listpack", "skiplist"} {
		if !encs[e] {
			t.Errorf("no key with encoding %s (have %v)", e, encs)
		}
	}

	s.must(t, "SAVE")
	data, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	if err := Load(bytes.NewReader(data), c, LoadOptions{}); err != nil {
		t.Fatalf("loading redis's dump.rdb: %v", err)
	}
	if aux := c.auxMap(); aux["redis-ver"] != "7.0.15" || aux["redis-bits"] != "64" || aux["aof-base"] != "0" {
		t.Errorf("aux: %v", aux)
	}
	if len(c.funcs) != 1 || c.funcs[0] != lib {
		t.Errorf("functions: %q", c.funcs)
	}
	compareWithServer(t, s, c, []int{0, 2, 15})

	// DUMP payloads: Redis -> LoadValue, and byte-exact DumpValue where
	// the encoding is deterministic.
	s.must(t, "CONFIG", "SET", "rdbcompression", "no")
	noComp := DefaultWriterOptions()
	noComp.Compression = false
	exact := map[string]bool{"s:int": true, "s:neg": true, "s:bigint": true, "s:small": true, "s:empty": true,
		"s:bin": true, "s:rand": true, "s:long": true, "l:small": true, "l:exact": true, "set:i16": true,
		"set:i32": true, "set:i64": true, "h:lp": true, "z:lp": true, "s:20": true, "s:21": true}
	exactChecked := 0
	for _, k := range s.keys(t) {
		want, _, _ := s.fetch(t, k)
		p := []byte(s.must(t, "DUMP", k).(string))
		v, err := LoadValue(p)
		if err != nil {
			t.Errorf("LoadValue(DUMP %s): %v", k, err)
			continue
		}
		if canon(v) != canon(want) {
			t.Errorf("DUMP %s decodes to %.200s, want %.200s", k, canon(v), canon(want))
		}
		if exact[k] {
			exactChecked++
			mine, err := DumpValueOptions(want, noComp)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(mine, p) {
				t.Errorf("DumpValue(%s) differs from Redis's DUMP:\n ours  %q\n redis %q", k, trunc(mine), trunc(p))
			}
		}
		// Our payload (compressed) restores to the same value.
		mine, err := DumpValue(want)
		if err != nil {
			t.Fatal(err)
		}
		s.mustB(t, []byte("RESTORE"), []byte("restored:"+k), []byte("0"), mine)
		got, _, _ := s.fetch(t, "restored:"+k)
		if canon(got) != canon(want) {
			t.Errorf("RESTORE of our DUMP of %s gives %.200s", k, canon(got))
		}
		s.must(t, "DEL", "restored:"+k)
	}
	if exactChecked != len(exact) {
		t.Errorf("compared %d payloads byte for byte, want %d", exactChecked, len(exact))
	}
	s.must(t, "CONFIG", "SET", "rdbcompression", "yes")

	// LRU and LFU metadata.
	for _, policy := range []string{"allkeys-lru", "allkeys-lfu"} {
		s.must(t, "CONFIG", "SET", "maxmemory-policy", policy)
		s.must(t, "SAVE")
		data, _ := os.ReadFile(filepath.Join(dir, "dump.rdb"))
		c := &collector{}
		if err := Load(bytes.NewReader(data), c, LoadOptions{}); err != nil {
			t.Fatalf("%s dump: %v", policy, err)
		}
		if len(c.evict) != len(c.entries) {
			t.Errorf("%s: eviction info for %d of %d keys", policy, len(c.evict), len(c.entries))
		}
		for k, e := range c.evict {
			if policy == "allkeys-lru" && (e[0] < 0 || e[1] != -1) || policy == "allkeys-lfu" && (e[0] != -1 || e[1] < 0) {
				t.Errorf("%s: key %s idle/freq %v", policy, k, e)
				break
			}
		}
	}
	s.must(t, "CONFIG", "SET", "maxmemory-policy", "noeviction")

	// Streams load; their DUMP payload, re-encoded without compression,
	// is Redis's byte for byte.
	s.must(t, "XADD", "stream", "*", "f", "v")
	s.must(t, "SAVE")
	data, _ = os.ReadFile(filepath.Join(dir, "dump.rdb"))
	c = &collector{}
	if err := Load(bytes.NewReader(data), c, LoadOptions{}); err != nil {
		t.Fatalf("dump with a stream: %v", err)
	}
	if e, ok := c.byKey()["0/stream"]; !ok || e.v.Kind != KindStream || e.v.Stream.Length != 1 {
		t.Errorf("stream loaded as %+v", e)
	}
	s.must(t, "CONFIG", "SET", "rdbcompression", "no")
	p := []byte(s.must(t, "DUMP", "stream").(string))
	v, err := LoadValue(p)
	if err != nil {
		t.Fatalf("stream DUMP: %v", err)
	}
	opts := DefaultWriterOptions()
	opts.Compression = false
	if q, err := DumpValueOptions(v, opts); err != nil || !bytes.Equal(p, q) {
		t.Errorf("stream DUMP re-encoded differs: %v\n%q\n%q", err, p, q)
	}
}

func trunc(b []byte) []byte {
	if len(b) > 120 {
		return b[:120]
	}
	return b
}

// compareWithServer checks that c holds exactly the keys, values and
// expiries the server has in dbs.
func compareWithServer(t *testing.T, s *redisServer, c *collector, dbs []int) {
	t.Helper()
	got := c.byKey()
	total := 0
	for _, db := range dbs {
		s.must(t, "SELECT", strconv.Itoa(db))
		for _, k := range s.keys(t) {
			total++
			want, exp, _ := s.fetch(t, k)
			e, ok := got[fmt.Sprintf("%d/%s", db, k)]
			if !ok {
				t.Errorf("db %d key %q not loaded", db, k)
				continue
			}
			if canon(e.v) != canon(want) {
				t.Errorf("db %d key %q: loaded %.200s, server has %.200s", db, k, canon(e.v), canon(want))
			}
			if e.exp != exp {
				t.Errorf("db %d key %q: expiry %d, server has %d", db, k, e.exp, exp)
			}
		}
	}
	s.must(t, "SELECT", "0")
	if total != len(c.entries) {
		t.Errorf("loaded %d keys, server has %d", len(c.entries), total)
	}
}

// TestInteropOurFile writes a file with Writer, has redis-check-rdb check
// it, starts redis-server on it and compares every key, value and expiry.
func TestInteropOurFile(t *testing.T) {
	needRedis(t, "redis-check-rdb")
	dir := t.TempDir()
	es := sample(rand.New(rand.NewSource(11)))
	f, err := os.Create(filepath.Join(dir, "ours.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	writeEntries(t, NewWriter(f), es)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// The file must really contain LZF strings for this test to prove that
	// Redis reads our compressor's output.
	var plain bytes.Buffer
	noComp := DefaultWriterOptions()
	noComp.Compression = false
	writeEntries(t, NewWriterOptions(&plain, noComp), es)
	if st, _ := os.Stat(filepath.Join(dir, "ours.rdb")); st.Size() > int64(plain.Len())*3/4 {
		t.Fatalf("compressed file %d bytes, uncompressed %d: compression not exercised", st.Size(), plain.Len())
	}
	out, err := exec.Command("redis-check-rdb", filepath.Join(dir, "ours.rdb")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "RDB looks OK") {
		t.Fatalf("redis-check-rdb: %v\n%s", err, out)
	}

	s := startRedis(t, dir, "--dbfilename", "ours.rdb")
	if log := readLog(dir); !strings.Contains(log, "Done loading RDB") {
		t.Fatalf("redis did not report loading our file:\n%s", log)
	}
	perDB := map[int]int{}
	for _, e := range es {
		s.must(t, "SELECT", strconv.Itoa(e.db))
		v, exp, ok := s.fetch(t, e.key)
		if e.exp != NoExpiry && e.exp < time.Now().UnixMilli() {
			if ok {
				t.Errorf("expired key %q was loaded", e.key)
			}
			continue
		}
		perDB[e.db]++
		if !ok {
			t.Errorf("key %q missing in redis", e.key)
			continue
		}
		if canon(v) != canon(e.v) {
			t.Errorf("key %q: redis has %.200s, want %.200s", e.key, canon(v), canon(e.v))
		}
		if exp != e.exp {
			t.Errorf("key %q: redis expiry %d, want %d", e.key, exp, e.exp)
		}
	}
	for db, n := range perDB {
		s.must(t, "SELECT", strconv.Itoa(db))
		if got := len(s.keys(t)); got != n {
			t.Errorf("db %d: redis has %d keys, want %d", db, got, n)
		}
	}
	s.must(t, "SELECT", "0")
	// Native encodings.
	for k, want := range map[string]string{
		"int:127": "int", "compressible": "raw", "list:small": "quicklist", "list:mixed": "quicklist",
		"set:intset16": "intset", "set:intset64": "intset", "set:strs": "hashtable", "set:bigints": "hashtable",
		"hash:small": "listpack", "hash:longval": "hashtable", "hash:big": "hashtable",
		"zset:small": "listpack", "zset:longmember": "skiplist", "zset:big": "skiplist",
	} {
		if got := s.must(t, "OBJECT", "ENCODING", k); got != want {
			t.Errorf("OBJECT ENCODING %s = %v, want %s", k, got, want)
		}
	}
	libs := fmt.Sprint(s.must(t, "FUNCTION", "LIST"))
	if !strings.Contains(libs, "lib") {
		t.Errorf("FUNCTION LIST: %s", libs)
	}
	// Redis's own SAVE of what it loaded reads back identically here.
	s.must(t, "SAVE")
	data, err := os.ReadFile(filepath.Join(dir, "ours.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{}
	if err := Load(bytes.NewReader(data), c, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	var live []entry
	for _, e := range es {
		if e.exp == NoExpiry || e.exp > time.Now().UnixMilli() {
			live = append(live, e)
		}
	}
	compareEntries(t, live, c)
}

// TestInteropCorruptRefused checks that redis-check-rdb and our loader
// agree that a file with a flipped byte is bad.
func TestInteropCorruptRefused(t *testing.T) {
	needRedis(t, "redis-check-rdb")
	dir := t.TempDir()
	var buf bytes.Buffer
	writeEntries(t, NewWriter(&buf), sample(rand.New(rand.NewSource(5)))[:30])
	b := buf.Bytes()
	rng := rand.New(rand.NewSource(6))
	for i := 0; i < 5; i++ {
		c := slices.Clone(b)
		c[9+rng.Intn(len(c)-9)] ^= byte(1 + rng.Intn(255))
		path := filepath.Join(dir, fmt.Sprintf("bad%d.rdb", i))
		os.WriteFile(path, c, 0o644)
		if err := Load(bytes.NewReader(c), &collector{}, LoadOptions{}); err == nil {
			t.Errorf("flip %d: loaded", i)
		}
		if out, err := exec.Command("redis-check-rdb", path).CombinedOutput(); err == nil {
			t.Errorf("flip %d: redis-check-rdb accepted it:\n%s", i, out)
		}
	}
}
