package rdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// sample builds a keyspace exercising every type in small and big
// encodings, with binary, integer-like and long compressible strings.
func sample(rng *rand.Rand) []entry {
	bin := func(n int) []byte {
		b := make([]byte, n)
		rng.Read(b)
		return b
	}
	var es []entry
	add := func(db int, key string, v Value, exp int64) {
		es = append(es, entry{db, key, v, exp})
	}
	str := func(s string) Value { return Value{Kind: KindString, Str: []byte(s)} }
	// Strings.
	add(0, "empty", str(""), NoExpiry)
	for _, s := range []string{"0", "-1", "127", "-128", "128", "32767", "-32768", "32768",
		"2147483647", "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775808",
		"007", "+5", "-0", "1e3", " 1", "18446744073709551616", "3.14"} {
		add(0, "int:"+s, str(s), NoExpiry)
	}
	add(0, "bin", Value{Kind: KindString, Str: bin(1000)}, NoExpiry)
	add(0, "compressible", str(strings.Repeat("compress me please! ", 500)), NoExpiry)
	add(0, "big", Value{Kind: KindString, Str: bytes.Repeat(bin(1000), 300)}, 1_900_000_000_000)
	// LZF edge cases: back references at the maximum distance (8192) and
	// of the maximum length (264), literal runs of exactly 32 bytes.
	far := bin(30000)
	for i := 9000; i < len(far); i++ {
		far[i] = far[i-8192]
	}
	add(0, "lzf:far", Value{Kind: KindString, Str: far}, NoExpiry)
	runs := make([]byte, 0, 20000)
	for len(runs) < 19000 {
		runs = append(runs, bin(32)...)
		runs = append(runs, bytes.Repeat([]byte{'r'}, 300)...)
	}
	add(0, "lzf:runs", Value{Kind: KindString, Str: runs}, NoExpiry)
	add(0, "ttl", str("v"), 4_000_000_000_123)
	add(0, "past", str("v"), 1000)
	add(3, "other-db", str("x"), NoExpiry)
	add(0, strings.Repeat("k", 300), str("long key"), NoExpiry)
	add(0, "12345", str("int key"), NoExpiry)

	// Lists.
	list := func(n int, f func(i int) []byte) Value {
		v := Value{Kind: KindList}
		for i := 0; i < n; i++ {
			v.List = append(v.List, f(i))
		}
		return v
	}
	add(0, "list:small", list(5, func(i int) []byte { return []byte("e" + strconv.Itoa(i)) }), NoExpiry)
	add(0, "list:ints", list(3000, func(i int) []byte { return []byte(strconv.Itoa(i*7919 - 1000000)) }), NoExpiry)
	add(0, "list:mixed", list(2000, func(i int) []byte {
		switch i % 4 {
		case 0:
			return bin(i % 300)
		case 1:
			return []byte(strconv.Itoa(i))
		case 2:
			return []byte(strings.Repeat("x", i%5000))
		}
		return nil
	}), 2_000_000_000_000)
	add(0, "list:bigelems", list(10, func(i int) []byte { return bin(20000 + i) }), NoExpiry)

	// Sets.
	set := func(n int, f func(i int) []byte) Value {
		v := Value{Kind: KindSet}
		for i := 0; i < n; i++ {
			v.Set = append(v.Set, f(i))
		}
		return v
	}
	add(0, "set:intset16", set(10, func(i int) []byte { return []byte(strconv.Itoa(i*100 - 500)) }), NoExpiry)
	add(0, "set:intset32", set(10, func(i int) []byte { return []byte(strconv.Itoa(i * 100000)) }), NoExpiry)
	add(0, "set:intset64", set(10, func(i int) []byte { return []byte(strconv.Itoa(-i * 1e12)) }), NoExpiry)
	add(0, "set:strs", set(10, func(i int) []byte { return []byte("m" + strconv.Itoa(i)) }), NoExpiry)
	add(0, "set:bigints", set(600, func(i int) []byte { return []byte(strconv.Itoa(i)) }), NoExpiry)
	add(0, "set:big", set(3000, func(i int) []byte { return []byte(fmt.Sprintf("member-%d-%x", i, bin(4))) }), 1_800_000_000_000)

	// Hashes.
	hash := func(n int, f func(i int) ([]byte, []byte)) Value {
		v := Value{Kind: KindHash}
		for i := 0; i < n; i++ {
			a, b := f(i)
			v.Hash = append(v.Hash, [2][]byte{a, b})
		}
		return v
	}
	add(0, "hash:small", hash(5, func(i int) ([]byte, []byte) { return []byte("f" + strconv.Itoa(i)), []byte(strconv.Itoa(i)) }), NoExpiry)
	add(0, "hash:longval", hash(5, func(i int) ([]byte, []byte) { return []byte("f" + strconv.Itoa(i)), bytes.Repeat([]byte("v"), 100) }), NoExpiry)
	add(0, "hash:big", hash(1000, func(i int) ([]byte, []byte) { return []byte("field:" + strconv.Itoa(i)), bin(i % 50) }), NoExpiry)

	// Sorted sets.
	zset := func(n int, f func(i int) ZMember) Value {
		v := Value{Kind: KindZSet}
		for i := 0; i < n; i++ {
			v.ZSet = append(v.ZSet, f(i))
		}
		return v
	}
	specials := []float64{math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1.5, -2.25, 1e300, 5e-324, 0.1, 123456789012345678, 3}
	add(0, "zset:small", zset(len(specials), func(i int) ZMember {
		return ZMember{[]byte("z" + strconv.Itoa(i)), specials[i]}
	}), NoExpiry)
	add(0, "zset:longmember", zset(3, func(i int) ZMember { return ZMember{bytes.Repeat([]byte{byte('a' + i)}, 100), float64(i)} }), NoExpiry)
	add(0, "zset:big", zset(2000, func(i int) ZMember { return ZMember{[]byte("m" + strconv.Itoa(i)), rng.NormFloat64() * 1000} }), NoExpiry)
	add(0, "zset:intmembers", zset(50, func(i int) ZMember { return ZMember{[]byte(strconv.Itoa(i)), float64(i % 7)} }), NoExpiry)
	return es
}

// writeEntries writes es (grouped by db) with w.
func writeEntries(t testing.TB, w *Writer, es []entry) {
	t.Helper()
	if err := w.Header(DefaultAux(12345, false)); err != nil {
		t.Fatal(err)
	}
	if err := w.Function([]byte("#!lua name=lib\nredis.register_function('f', function() return 1 end)")); err != nil {
		t.Fatal(err)
	}
	byDB := map[int][]entry{}
	var dbs []int
	for _, e := range es {
		if _, ok := byDB[e.db]; !ok {
			dbs = append(dbs, e.db)
		}
		byDB[e.db] = append(byDB[e.db], e)
	}
	for _, db := range dbs {
		var exp uint64
		for _, e := range byDB[db] {
			if e.exp != NoExpiry {
				exp++
			}
		}
		if err := w.SelectDB(db, uint64(len(byDB[db])), exp); err != nil {
			t.Fatal(err)
		}
		for _, e := range byDB[db] {
			if err := w.Value([]byte(e.key), e.v, e.exp); err != nil {
				t.Fatalf("write %s: %v", e.key, err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func compareEntries(t *testing.T, want []entry, got *collector) {
	t.Helper()
	gm := got.byKey()
	if len(got.entries) != len(want) {
		t.Errorf("loaded %d keys, want %d", len(got.entries), len(want))
	}
	for _, e := range want {
		g, ok := gm[fmt.Sprintf("%d/%s", e.db, e.key)]
		if !ok {
			t.Errorf("key %d/%q missing", e.db, e.key)
			continue
		}
		if g.exp != e.exp {
			t.Errorf("key %q: expiry %d, want %d", e.key, g.exp, e.exp)
		}
		if cg, cw := canon(g.v), canon(e.v); cg != cw {
			t.Errorf("key %q: value differs\n got %.300s\nwant %.300s", e.key, cg, cw)
		}
		if e.v.Kind == KindList && len(g.v.List) != len(e.v.List) {
			t.Errorf("list %q: %d elements, want %d", e.key, len(g.v.List), len(e.v.List))
		}
	}
}

func TestRoundTrip(t *testing.T) {
	es := sample(rand.New(rand.NewSource(1)))
	for _, compress := range []bool{true, false} {
		t.Run(fmt.Sprintf("compression=%v", compress), func(t *testing.T) {
			var buf bytes.Buffer
			opts := DefaultWriterOptions()
			opts.Compression = compress
			writeEntries(t, NewWriterOptions(&buf, opts), es)
			c := loadBytes(t, buf.Bytes())
			compareEntries(t, es, c)
			aux := c.auxMap()
			if aux["redis-ver"] != "7.0.15" || aux["redis-bits"] != "64" || aux["used-mem"] != "12345" || aux["aof-base"] != "0" {
				t.Errorf("aux fields: %v", aux)
			}
			if len(c.funcs) != 1 || !strings.HasPrefix(c.funcs[0], "#!lua name=lib\n") {
				t.Errorf("functions: %q", c.funcs)
			}
			if len(c.resize) != 2 {
				t.Errorf("resize hints: %v", c.resize)
			}
		})
	}
}

func TestRoundTripEncodings(t *testing.T) {
	// Check that the writer picks Redis's encodings.
	es := sample(rand.New(rand.NewSource(2)))
	want := map[string]byte{
		"list:small":      typeListQuicklist2,
		"set:intset16":    typeSetIntset,
		"set:strs":        typeSet,
		"set:bigints":     typeSet,
		"hash:small":      typeHashListpack,
		"hash:longval":    typeHash,
		"hash:big":        typeHash,
		"zset:small":      typeZSetListpack,
		"zset:longmember": typeZSet2,
		"zset:big":        typeZSet2,
	}
	for _, e := range es {
		wt, ok := want[e.key]
		if !ok {
			continue
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.dump = true
		if err := w.Value(nil, e.v, NoExpiry); err != nil {
			t.Fatal(err)
		}
		w.flush()
		if got := buf.Bytes()[0]; got != wt {
			t.Errorf("%s written as type %d, want %d", e.key, got, wt)
		}
	}
}

func TestStringEncodings(t *testing.T) {
	var e stringEncoder
	cases := map[string]string{
		"0":           "\xc0\x00",
		"-1":          "\xc0\xff",
		"300":         "\xc1\x2c\x01",
		"70000":       "\xc2\x70\x11\x01\x00",
		"2147483648":  "\x0a2147483648",
		"007":         "\x03007",
		"":            "\x00",
		"-0":          "\x02-0",
		"12345678901": "\x0b12345678901",
	}
	for in, want := range cases {
		if got := string(e.appendString(nil, []byte(in))); got != want {
			t.Errorf("encode(%q) = %q, want %q", in, got, want)
		}
	}
	// Long compressible strings are LZF-compressed only when enabled.
	s := []byte(strings.Repeat("a", 100))
	if got := e.appendString(nil, s); got[0] != 100|0x40 && got[0] != 0x40 {
		t.Errorf("uncompressed long string: %x", got[:3])
	}
	e.compress = true
	if got := e.appendString(nil, s); got[0] != 0xC3 {
		t.Errorf("compressed long string starts with %x", got[0])
	}
	// 20 bytes are never compressed.
	if got := e.appendString(nil, s[:20]); got[0] != 20 {
		t.Errorf("20-byte string starts with %x", got[0])
	}
}

func TestLengthEncodings(t *testing.T) {
	for _, n := range []uint64{0, 63, 64, 16383, 16384, 1<<32 - 1, 1 << 32, 1<<64 - 1} {
		b := appendLen(nil, n)
		r := newBytesReader(b)
		got, enc, err := r.readLen()
		if err != nil || enc || got != n || r.pos != len(b) {
			t.Errorf("len %d: got %d enc=%v err=%v", n, got, enc, err)
		}
	}
}

func TestCRC64(t *testing.T) {
	if got := Checksum([]byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64(123456789) = %x, want e9c6d914c4b8d9ca (Redis's crc64.c test vector)", got)
	}
	// Incremental updates agree with one-shot.
	data := bytes.Repeat([]byte("abcdefghij"), 1000)
	c := uint64(0)
	for i := 0; i < len(data); i += 333 {
		c = crcUpdate(c, data[i:min(i+333, len(data))])
	}
	if c != Checksum(data) {
		t.Fatal("incremental CRC differs")
	}
}

func TestExpireOpcodes(t *testing.T) {
	// Old EXPIRETIME (seconds) and an RDB version 9 file without AUX.
	var b bytes.Buffer
	b.WriteString("REDIS0009")
	b.WriteByte(opExpireTime)
	b.Write([]byte{0x10, 0x27, 0, 0}) // 10000 s
	b.WriteByte(typeString)
	b.Write([]byte{1, 'k', 1, 'v'})
	b.WriteByte(opFreq)
	b.WriteByte(5)
	b.WriteByte(opIdle)
	b.WriteByte(42)
	b.WriteByte(typeString)
	b.Write([]byte{2, 'k', '2', 1, 'v'})
	b.WriteByte(opEOF)
	sum := Checksum(b.Bytes())
	for i := 0; i < 8; i++ {
		b.WriteByte(byte(sum >> (8 * i)))
	}
	c := loadBytes(t, b.Bytes())
	if len(c.entries) != 2 || c.entries[0].exp != 10000000 || c.entries[1].exp != NoExpiry {
		t.Fatalf("entries: %+v", c.entries)
	}
	if c.evict["k2"] != [2]int64{42, 5} || len(c.evict) != 1 {
		t.Fatalf("eviction info: %v", c.evict)
	}
}

func TestChecksumZeroAndSkip(t *testing.T) {
	var buf bytes.Buffer
	opts := DefaultWriterOptions()
	opts.Checksum = false
	w := NewWriterOptions(&buf, opts)
	w.Header(nil)
	w.SelectDB(0, 1, 0)
	w.String([]byte("a"), []byte("b"), NoExpiry)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.Equal(b[len(b)-8:], make([]byte, 8)) {
		t.Fatalf("trailer not zero: %x", b[len(b)-8:])
	}
	// Zero checksum: accepted even with data altered.
	b[len(b)-10] = 'c'
	c := loadBytes(t, b)
	if string(c.entries[0].v.Str) != "c" {
		t.Fatal("zero-checksum file not loaded as is")
	}
	// A wrong checksum is accepted with SkipChecksum.
	buf.Reset()
	w = NewWriter(&buf)
	w.Header(nil)
	w.String([]byte("a"), []byte("b"), NoExpiry)
	w.Close()
	b = buf.Bytes()
	b[len(b)-1] ^= 1
	if err := Load(bytes.NewReader(b), &collector{}, LoadOptions{SkipChecksum: true}); err != nil {
		t.Fatal(err)
	}
	err := Load(bytes.NewReader(b), &collector{}, LoadOptions{})
	if !errors.Is(err, ErrChecksum) || !strings.HasPrefix(err.Error(), "Wrong RDB checksum expected: (") {
		t.Fatalf("bad checksum: %v", err)
	}
}

func TestBufioReaderNotOverread(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	writeEntries(t, w, sample(rand.New(rand.NewSource(3)))[:20])
	buf.WriteString("*1\r\n$4\r\nPING\r\n") // an AOF tail
	br := bufio.NewReaderSize(&buf, 4096)
	if err := Load(br, &collector{}, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(br)
	if string(rest) != "*1\r\n$4\r\nPING\r\n" {
		t.Fatalf("tail after RDB: %q", rest)
	}
}

func TestVersionAndSignature(t *testing.T) {
	err := Load(strings.NewReader("REDIS0011\xff"), &collector{}, LoadOptions{})
	if !errors.Is(err, ErrVersion) || err.Error() != "Can't handle RDB format version 11" {
		t.Fatalf("version 11: %v", err)
	}
	err = Load(strings.NewReader("RODIS0010\xff"), &collector{}, LoadOptions{})
	if !errors.Is(err, ErrSignature) {
		t.Fatalf("signature: %v", err)
	}
	err = Load(strings.NewReader("REDIS00"), &collector{}, LoadOptions{})
	if !errors.Is(err, ErrShortRead) || !strings.HasPrefix(err.Error(), "Short read or OOM loading DB. Unrecoverable error, aborting now.") {
		t.Fatalf("short: %v", err)
	}
}

func TestWriterMisuse(t *testing.T) {
	w := NewWriter(io.Discard)
	w.Header(nil)
	if err := w.List([]byte("l"), 0, nil, NoExpiry); err == nil {
		t.Fatal("empty list accepted")
	}
	w = NewWriter(io.Discard)
	seq := func(yield func([]byte) bool) { yield([]byte("a")) }
	if err := w.List([]byte("l"), 2, seq, NoExpiry); err == nil {
		t.Fatal("count mismatch accepted")
	}
	w = NewWriter(io.Discard)
	if err := w.Set([]byte("s"), 2, func(yield func([]byte) bool) { yield([]byte("1")); yield([]byte("1")) }, NoExpiry); err == nil {
		t.Fatal("duplicate intset members accepted")
	}
	w = NewWriter(io.Discard)
	if err := w.ZSet([]byte("z"), 1, func(yield func([]byte, float64) bool) { yield([]byte("m"), math.NaN()) }, NoExpiry); err == nil {
		t.Fatal("NaN score accepted")
	}
	// Errors are sticky.
	if err := w.String([]byte("a"), []byte("b"), NoExpiry); err == nil {
		t.Fatal("error not sticky")
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n < len(p) {
		return 0, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWriterIOError(t *testing.T) {
	w := NewWriter(&failWriter{n: 100})
	w.Header(DefaultAux(0, false))
	w.SelectDB(0, 1, 0)
	w.String([]byte("k"), bytes.Repeat([]byte("x"), 200000), NoExpiry)
	if err := w.Close(); err == nil || err.Error() != "disk full" {
		t.Fatalf("Close after I/O error: %v", err)
	}
}

func TestQuicklistNodes(t *testing.T) {
	// 10000 small elements with the default -2 fill: nodes of at most 8 KB.
	v := Value{Kind: KindList}
	for i := 0; i < 10000; i++ {
		v.List = append(v.List, []byte(fmt.Sprintf("element-%05d", i)))
	}
	opts := DefaultWriterOptions()
	opts.Compression = false
	p, err := DumpValueOptions(v, opts)
	if err != nil {
		t.Fatal(err)
	}
	r := newBytesReader(p[1:])
	nodes, _, _ := r.readLen()
	if nodes != 19 { // 15-byte entries, 544 per 8 KB node
		t.Errorf("%d nodes for 10000 x 13 bytes", nodes)
	}
	for i := uint64(0); i < nodes; i++ {
		c, _, _ := r.readLen()
		n, _, _ := r.readLen()
		if c != containerPacked || n > 8192 {
			t.Fatalf("node %d: container %d size %d", i, c, n)
		}
		r.pos += int(n)
	}
	// PLAIN nodes for elements over the packed threshold.
	defer func(old int) { packedThreshold = old }(packedThreshold)
	packedThreshold = 100
	v = Value{Kind: KindList, List: [][]byte{[]byte("a"), bytes.Repeat([]byte("b"), 150), []byte("c"), []byte("d")}}
	p, err = DumpValue(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p[:2], []byte{typeListQuicklist2, 3}) {
		t.Fatalf("plain-node list header %x", p[:2])
	}
	got, err := LoadValue(p)
	if err != nil || canon(got) != canon(v) {
		t.Fatalf("plain-node list: %v %s", err, canon(got))
	}
}

func TestDumpValue(t *testing.T) {
	for _, e := range sample(rand.New(rand.NewSource(4))) {
		p, err := DumpValue(e.v)
		if err != nil {
			t.Fatal(err)
		}
		v, err := LoadValue(p)
		if err != nil {
			t.Fatalf("%s: %v", e.key, err)
		}
		if canon(v) != canon(e.v) {
			t.Fatalf("%s: DUMP round trip differs", e.key)
		}
	}
	// Payloads captured from redis-server 7.0.15 (DUMP of 100 x "a" and of
	// a repeated sentence).
	p := []byte("\x00\xc3\t@d\x01aa\xe0W\x00\x01aa\n\x00\xe8\xa3\xb5\a\xb0m\xf2q")
	v, err := LoadValue(p)
	if err != nil || string(v.Str) != strings.Repeat("a", 100) {
		t.Fatalf("redis payload: %v %q", err, v.Str)
	}
	mine, _ := DumpValue(Value{Kind: KindString, Str: []byte("12")})
	if string(mine[:2]) != "\x00\xc0" {
		t.Fatalf("int payload %q", mine)
	}
	// Footer errors.
	for _, bad := range [][]byte{
		p[:9],
		append(append([]byte{}, p[:len(p)-10]...), 11, 0, 0, 0, 0, 0, 0, 0, 0, 0),
		func() []byte { q := bytes.Clone(p); q[3] ^= 1; return q }(),
	} {
		_, err := LoadValue(bad)
		if !errors.Is(err, ErrDumpPayload) || err.Error() != "DUMP payload version or checksum are wrong" {
			t.Errorf("bad footer: %v", err)
		}
	}
	// Right footer, bad value.
	body := []byte{typeListQuicklist2, 1, 7, 1, 'x'}
	body = binaryFooter(body)
	if _, err := LoadValue(body); !errors.Is(err, ErrBadDataFormat) || err.Error() != "Bad data format" {
		t.Errorf("bad value: %v", err)
	}
	// Empty collection.
	if _, err := LoadValue(binaryFooter([]byte{typeSet, 0})); !errors.Is(err, ErrBadDataFormat) {
		t.Errorf("empty set: %v", err)
	}
	// Truncated stream.
	if _, err := LoadValue(binaryFooter([]byte{typeStreamListpacks2, 0})); !errors.Is(err, ErrBadDataFormat) {
		t.Errorf("truncated stream: %v", err)
	}
}

func binaryFooter(b []byte) []byte {
	b = append(b, Version, 0)
	s := Checksum(b)
	for i := 0; i < 8; i++ {
		b = append(b, byte(s>>(8*i)))
	}
	return b
}

func TestHugeLengthsDoNotAllocate(t *testing.T) {
	// A 4 GB string length in a tiny file: streamed input must fail fast.
	in := []byte("REDIS0010\x00\x01k\x80\xff\xff\xff\xf0abc")
	for _, r := range []io.Reader{bytes.NewReader(in), io.MultiReader(bytes.NewReader(in))} {
		err := Load(r, &collector{}, LoadOptions{})
		if !errors.Is(err, ErrShortRead) {
			t.Fatalf("huge length: %v", err)
		}
	}
	// A huge LZF length with a small blob is refused before allocating.
	in = []byte("REDIS0010\x00\x01k\xc3\x02\x81\x00\x00\x00\x10\x00\x00\x00\x00\x00a")
	if err := Load(bytes.NewReader(in), &collector{}, LoadOptions{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("huge lzf: %v", err)
	}
	// A huge element count.
	in = []byte("REDIS0010\x02\x01k\x81\x10\x00\x00\x00\x00\x00\x00\x00\x01a")
	if err := Load(io.MultiReader(bytes.NewReader(in)), &collector{}, LoadOptions{}); !errors.Is(err, ErrShortRead) {
		t.Fatalf("huge count: %v", err)
	}
	// None of these allocates more than a few MB.
	for _, in := range [][]byte{
		[]byte("REDIS0010\x00\x01k\x81\x00\x00\x00\x10\x00\x00\x00\x00abc"),
		[]byte("REDIS0010\x02\x01k\x81\x10\x00\x00\x00\x00\x00\x00\x00\x01a"),
		[]byte("REDIS0010\x12\x01k\x81\x10\x00\x00\x00\x00\x00\x00\x00\x02\xc3\x01\x81\x00\x00\x00\x00\x10\x00\x00\x00\x00"),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := Load(io.MultiReader(bytes.NewReader(in)), &collector{}, LoadOptions{})
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatalf("%q loaded", in)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
			t.Errorf("%q: allocated %d bytes before failing", in, n)
		}
	}
}
