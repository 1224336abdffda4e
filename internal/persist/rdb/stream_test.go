package rdb

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// randomStream builds a valid stream value: nodes of entries with
// increasing IDs (some deleted, some with the master fields), and groups
// whose PEL entries each belong to one consumer.
func randomStream(rng *rand.Rand, nodes int) *Stream {
	s := &Stream{}
	id := StreamID{Ms: uint64(rng.Intn(1000)), Seq: uint64(rng.Intn(3))}
	field := func() []byte {
		switch rng.Intn(4) {
		case 0:
			return []byte(strconv.Itoa(rng.Intn(100000) - 50000))
		case 1:
			b := make([]byte, rng.Intn(300))
			rng.Read(b)
			return b
		}
		return []byte("f" + strconv.Itoa(rng.Intn(5)))
	}
	var all []StreamID
	for i := 0; i < nodes; i++ {
		n := StreamNode{Master: id}
		for j := 0; j < 1+rng.Intn(3); j++ {
			n.MasterFields = append(n.MasterFields, field())
		}
		live := 0
		for j := 0; j < 1+rng.Intn(20); j++ {
			e := StreamEntry{ID: id}
			if j == 0 || rng.Intn(2) == 0 {
				e.SameFields = true
				for _, f := range n.MasterFields {
					e.Fields = append(e.Fields, f, field())
				}
			} else {
				for k := 0; k < 1+rng.Intn(4); k++ {
					e.Fields = append(e.Fields, field(), field())
				}
			}
			e.Deleted = j > 0 && rng.Intn(5) == 0
			if !e.Deleted {
				live++
				all = append(all, e.ID)
				if s.FirstID == (StreamID{}) {
					s.FirstID = e.ID
				}
			} else {
				s.MaxDeletedID = e.ID
			}
			n.Entries = append(n.Entries, e)
			if rng.Intn(3) == 0 {
				id.Ms += uint64(rng.Intn(1 << 40))
			} else {
				id.Seq++
			}
		}
		s.Length += uint64(live)
		s.Nodes = append(s.Nodes, n)
	}
	s.LastID = id
	s.EntriesAdded = s.Length + uint64(rng.Intn(10))
	for g := 0; g < rng.Intn(4); g++ {
		grp := StreamGroup{Name: []byte("group" + strconv.Itoa(g)), LastID: id, EntriesRead: int64(rng.Intn(10)) - 1}
		var cons []StreamConsumer
		for c := 0; c < rng.Intn(4); c++ {
			cons = append(cons, StreamConsumer{Name: []byte("c" + strconv.Itoa(c)), SeenTime: rng.Int63n(1 << 42)})
		}
		for _, eid := range all {
			if len(cons) > 0 && rng.Intn(3) == 0 {
				grp.Pending = append(grp.Pending, StreamNACK{ID: eid, DeliveryTime: rng.Int63n(1 << 42), DeliveryCount: uint64(rng.Intn(1000))})
				c := &cons[rng.Intn(len(cons))]
				c.Pending = append(c.Pending, eid)
			}
		}
		grp.Consumers = cons
		s.Groups = append(s.Groups, grp)
	}
	return s
}

// TestStreamRoundTrip writes random streams in a file and as DUMP
// payloads and reads them back unchanged, nodes, flags and groups alike.
func TestStreamRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var es []entry
	for i := 0; i < 60; i++ {
		v := Value{Kind: KindStream, Stream: randomStream(rng, i%7)}
		es = append(es, entry{0, fmt.Sprintf("s%d", i), v, NoExpiry})
		p, err := DumpValue(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := LoadValue(p)
		if err != nil {
			t.Fatalf("stream %d: %v", i, err)
		}
		if canon(got) != canon(v) {
			t.Fatalf("stream %d DUMP round trip:\n%s\n%s", i, canon(v), canon(got))
		}
	}
	es[5].exp = 4_000_000_000_000
	var buf bytes.Buffer
	writeEntries(t, NewWriter(&buf), es)
	compareEntries(t, es, loadBytes(t, buf.Bytes()))
}

// TestStreamNodeSeq: a stream written from NodeSeq is the same bytes as
// from Nodes.
func TestStreamNodeSeq(t *testing.T) {
	s := randomStream(rand.New(rand.NewSource(9)), 5)
	a, err := DumpValue(Value{Kind: KindStream, Stream: s})
	if err != nil {
		t.Fatal(err)
	}
	seq := *s
	seq.Nodes = nil
	seq.NodeCount = len(s.Nodes)
	seq.NodeSeq = func(yield func(*StreamNode) bool) {
		for i := range s.Nodes {
			n := s.Nodes[i]
			if !yield(&n) {
				return
			}
		}
	}
	b, err := DumpValue(Value{Kind: KindStream, Stream: &seq})
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("NodeSeq payload differs: %v", err)
	}
	seq.NodeCount++
	if _, err := DumpValue(Value{Kind: KindStream, Stream: &seq}); err == nil {
		t.Fatal("a NodeCount above the nodes yielded was accepted")
	}
}

// TestStreamV1 reads the older RDB_TYPE_STREAM_LISTPACKS, which lacks
// the first ID, the largest deleted ID, entries-added and the groups'
// read counters: entries-added becomes the length, the first ID the
// first live entry's, and the read counters are left to estimate.
func TestStreamV1(t *testing.T) {
	s := randomStream(rand.New(rand.NewSource(5)), 3)
	for len(s.Groups) == 0 {
		s = randomStream(rand.New(rand.NewSource(int64(len(s.Nodes)+7))), 3)
	}
	// Encode as v2, then rewrite the metadata in the v1 layout.
	w := NewWriterOptions(&bytes.Buffer{}, DefaultWriterOptions())
	w.dump = true
	v1 := []byte{typeStreamListpacks}
	v1 = appendLen(v1, uint64(len(s.Nodes)))
	var raw [16]byte
	for i := range s.Nodes {
		w.buf = w.buf[:0]
		if err := w.streamNode(nil, &s.Nodes[i], &raw); err != nil {
			t.Fatal(err)
		}
		v1 = append(v1, w.buf...)
	}
	for _, x := range []uint64{s.Length, s.LastID.Ms, s.LastID.Seq, uint64(len(s.Groups))} {
		v1 = appendLen(v1, x)
	}
	for _, g := range s.Groups {
		v1 = w.str.appendString(v1, g.Name)
		v1 = appendLen(appendLen(v1, g.LastID.Ms), g.LastID.Seq)
		v1 = appendLen(v1, uint64(len(g.Pending)))
		for _, p := range g.Pending {
			v1 = p.ID.appendRaw(v1)
			v1 = append(v1, byte(p.DeliveryTime), byte(p.DeliveryTime>>8), byte(p.DeliveryTime>>16), byte(p.DeliveryTime>>24),
				byte(p.DeliveryTime>>32), byte(p.DeliveryTime>>40), byte(p.DeliveryTime>>48), byte(p.DeliveryTime>>56))
			v1 = appendLen(v1, p.DeliveryCount)
		}
		v1 = appendLen(v1, uint64(len(g.Consumers)))
		for _, c := range g.Consumers {
			v1 = w.str.appendString(v1, c.Name)
			st := c.SeenTime
			v1 = append(v1, byte(st), byte(st>>8), byte(st>>16), byte(st>>24), byte(st>>32), byte(st>>40), byte(st>>48), byte(st>>56))
			v1 = appendLen(v1, uint64(len(c.Pending)))
			for _, id := range c.Pending {
				v1 = id.appendRaw(v1)
			}
		}
	}
	got, err := LoadValue(binaryFooter(v1))
	if err != nil {
		t.Fatal(err)
	}
	want := *s
	want.EntriesAdded = s.Length
	want.MaxDeletedID = StreamID{}
	want.Groups = nil
	for _, g := range s.Groups {
		g.EntriesRead, g.EstimateEntriesRead = -1, true
		want.Groups = append(want.Groups, g)
	}
	if canon(got) != canon(Value{Kind: KindStream, Stream: &want}) {
		t.Fatalf("v1 stream:\n%s\n%s", canon(Value{Kind: KindStream, Stream: &want}), canon(got))
	}
	for _, g := range got.Stream.Groups {
		if !g.EstimateEntriesRead {
			t.Fatal("v1 group read counter not marked for estimation")
		}
	}
}

// TestStreamCorrupt: streams the server could not hold consistently are
// refused with Bad data format, as Redis's deep sanitization refuses them
// (and more: a length that disagrees with the nodes, a last ID below the
// last entry).
func TestStreamCorrupt(t *testing.T) {
	base := func() *Stream {
		return &Stream{
			Length: 2, LastID: StreamID{5, 0}, FirstID: StreamID{1, 0}, EntriesAdded: 2,
			Nodes: []StreamNode{{Master: StreamID{1, 0}, MasterFields: [][]byte{[]byte("f")}, Entries: []StreamEntry{
				{ID: StreamID{1, 0}, SameFields: true, Fields: [][]byte{[]byte("f"), []byte("v")}},
				{ID: StreamID{2, 0}, Fields: [][]byte{[]byte("g"), []byte("w")}},
			}}},
			Groups: []StreamGroup{{Name: []byte("g"), LastID: StreamID{2, 0}, EntriesRead: 2,
				Pending:   []StreamNACK{{ID: StreamID{1, 0}, DeliveryTime: 1, DeliveryCount: 1}},
				Consumers: []StreamConsumer{{Name: []byte("c"), SeenTime: 1, Pending: []StreamID{{1, 0}}}}}},
		}
	}
	if _, err := LoadValue(mustDump(t, base())); err != nil {
		t.Fatalf("valid base refused: %v", err)
	}
	cases := map[string]func(s *Stream){
		"length":            func(s *Stream) { s.Length = 3 },
		"last id":           func(s *Stream) { s.LastID = StreamID{1, 5} },
		"pel no consumer":   func(s *Stream) { s.Groups[0].Consumers[0].Pending = nil },
		"consumer not pel":  func(s *Stream) { s.Groups[0].Consumers[0].Pending = []StreamID{{2, 0}} },
		"consumer twice":    func(s *Stream) { s.Groups[0].Consumers = append(s.Groups[0].Consumers, s.Groups[0].Consumers[0]) },
		"pel twice":         func(s *Stream) { s.Groups[0].Pending = append(s.Groups[0].Pending, s.Groups[0].Pending[0]) },
		"group twice":       func(s *Stream) { s.Groups = append(s.Groups, s.Groups[0]) },
		"entries unordered": func(s *Stream) { s.Nodes[0].Entries[1].ID = StreamID{0, 9} },
		"all deleted": func(s *Stream) {
			s.Nodes[0].Entries[0].Deleted, s.Nodes[0].Entries[1].Deleted = true, true
			s.Length = 0
		},
		"nodes overlap": func(s *Stream) {
			n := s.Nodes[0]
			n.Master = StreamID{2, 0}
			n.Entries = []StreamEntry{{ID: StreamID{2, 0}, SameFields: true, Fields: [][]byte{[]byte("f"), []byte("v")}}}
			s.Nodes = append(s.Nodes, n)
			s.Length++
		},
	}
	for name, mutate := range cases {
		s := base()
		mutate(s)
		if _, err := LoadValue(mustDump(t, s)); !errors.Is(err, ErrBadDataFormat) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Byte-level damage inside the node listpack (after the 16-byte key):
	// every single-byte change is either refused or still a valid stream,
	// never a panic.
	p := mustDump(t, base())
	for i := 1; i < len(p)-10; i++ {
		for _, x := range []byte{0, 1, 0x7f, 0x80, 0xff} {
			q := bytes.Clone(p)
			q[i] = x
			LoadValueOptions(q, LoadOptions{SkipChecksum: true})
		}
	}
}

func mustDump(t *testing.T, s *Stream) []byte {
	t.Helper()
	p, err := DumpValue(Value{Kind: KindStream, Stream: s})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestStreamInteropRedis builds streams in redis-server 7.0 (several
// nodes, deletions, trims, groups, consumers, pending entries, an empty
// stream with a group) and checks that its DUMP payloads decode and
// re-encode byte for byte, that redis-server RESTOREs our payloads into
// the same DUMP, and that its dump.rdb loads.
func TestStreamInteropRedis(t *testing.T) {
	needRedis(t)
	dir := t.TempDir()
	s := startRedis(t, dir)
	s.must(t, "CONFIG", "SET", "rdbcompression", "no")
	s.must(t, "CONFIG", "SET", "stream-node-max-entries", "10")
	for i := 1; i <= 95; i++ {
		s.must(t, "XADD", "big", fmt.Sprintf("%d-%d", i*1000, i%3), "field", strconv.Itoa(i), "name", "value-"+strconv.Itoa(i))
	}
	s.must(t, "XADD", "big", "200000-0", "other", "1", "x", "-70000")
	s.must(t, "XDEL", "big", "5000-2", "6000-0", "50000-2")
	s.must(t, "XTRIM", "big", "MAXLEN", "80")
	s.must(t, "XGROUP", "CREATE", "big", "g1", "0")
	s.must(t, "XGROUP", "CREATE", "big", "g2", "$")
	s.must(t, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "7", "STREAMS", "big", ">")
	s.must(t, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "big", ">")
	s.must(t, "XACK", "big", "g1", "20000-2")
	s.must(t, "XGROUP", "CREATECONSUMER", "big", "g2", "carol")
	s.must(t, "XADD", "empty", "MAXLEN", "0", "7-7", "f", "v")
	s.must(t, "XGROUP", "CREATE", "empty", "g", "$")
	s.must(t, "XADD", "one", "*", "f", "v")
	s.must(t, "CONFIG", "SET", "stream-node-max-entries", "100")

	noLZF := DefaultWriterOptions()
	noLZF.Compression = false
	for _, key := range []string{"big", "empty", "one"} {
		p := []byte(s.must(t, "DUMP", key).(string))
		v, err := LoadValue(p)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		q, err := DumpValueOptions(v, noLZF)
		if err != nil || !bytes.Equal(p, q) {
			t.Fatalf("%s: our encoding differs from Redis's: %v\n%q\n%q", key, err, p, q)
		}
		// Ours, compressed, into Redis.
		z, err := DumpValue(v)
		if err != nil {
			t.Fatal(err)
		}
		s.mustB(t, []byte("RESTORE"), []byte(key+":ours"), []byte("0"), z)
		if back := []byte(s.must(t, "DUMP", key+":ours").(string)); !bytes.Equal(back, p) {
			t.Fatalf("%s: Redis restored our payload differently", key)
		}
	}
	s.must(t, "SAVE")
	data, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	c := loadBytes(t, data)
	if e := c.byKey()["0/big"]; e.v.Kind != KindStream || e.v.Stream.Length != 80 || len(e.v.Stream.Groups) != 2 {
		t.Fatalf("big from dump.rdb: %+v", e.v.Stream)
	}
}

// TestStreamInteropOurFile writes random streams in a file, has
// redis-check-rdb accept it, starts redis-server on it and checks that
// Redis's DUMP of each stream (without LZF) is our encoding byte for byte:
// Redis loaded exactly the nodes, counters, groups and consumers we wrote.
func TestStreamInteropOurFile(t *testing.T) {
	needRedis(t, "redis-check-rdb")
	dir := t.TempDir()
	rng := rand.New(rand.NewSource(21))
	var es []entry
	for i := 0; i < 12; i++ {
		es = append(es, entry{0, fmt.Sprintf("stream:%d", i), Value{Kind: KindStream, Stream: randomStream(rng, i%5)}, NoExpiry})
	}
	es[3].exp = 4_000_000_000_000
	f, err := os.Create(filepath.Join(dir, "ours.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	writeEntries(t, NewWriter(f), es)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("redis-check-rdb", filepath.Join(dir, "ours.rdb")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "RDB looks OK") {
		t.Fatalf("redis-check-rdb: %v\n%s", err, out)
	}
	s := startRedis(t, dir, "--dbfilename", "ours.rdb")
	s.must(t, "CONFIG", "SET", "rdbcompression", "no")
	noLZF := DefaultWriterOptions()
	noLZF.Compression = false
	for _, e := range es {
		want, err := DumpValueOptions(e.v, noLZF)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := s.must(t, "DUMP", e.key).(string)
		if !ok || got != string(want) {
			t.Fatalf("%s: Redis's DUMP differs from our encoding", e.key)
		}
		if exp := s.must(t, "PEXPIRETIME", e.key).(int64); exp != e.exp {
			t.Errorf("%s: expiry %d, want %d", e.key, exp, e.exp)
		}
	}
}
