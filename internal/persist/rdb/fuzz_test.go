package rdb

import (
	"bytes"
	"math/rand"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load, seeded with real redis-server
// dumps, Redis's test assets and our own files. Load must never panic,
// and whatever it accepts must survive a write/load round trip.
func FuzzLoad(f *testing.F) {
	for _, b := range realDumps(f) {
		f.Add(b)
	}
	f.Add(smallFile(f))
	var buf bytes.Buffer
	rng := rand.New(rand.NewSource(4))
	writeEntries(f, NewWriter(&buf), []entry{
		{0, "s1", Value{Kind: KindStream, Stream: randomStream(rng, 2)}, NoExpiry},
		{0, "s2", Value{Kind: KindStream, Stream: randomStream(rng, 0)}, 5_000_000_000_000},
	})
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		Load(bytes.NewReader(b), &collector{}, LoadOptions{})
		c := &collector{}
		if err := Load(bytes.NewReader(b), c, LoadOptions{SkipChecksum: true}); err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range c.entries {
			k := string(rune(e.db)) + "/" + e.key
			if seen[k] {
				return // a duplicate key (Redis refuses such files)
			}
			seen[k] = true
		}
		var buf bytes.Buffer
		writeEntries(t, NewWriter(&buf), c.entries)
		compareEntries(t, c.entries, loadBytes(t, buf.Bytes()))
	})
}

// FuzzLoadValue does the same for DUMP payloads.
func FuzzLoadValue(f *testing.F) {
	for _, e := range sample(rand.New(rand.NewSource(1))) {
		if p, err := DumpValue(e.v); err == nil && len(p) < 20000 {
			f.Add(p)
		}
	}
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 8; i++ {
		if p, err := DumpValue(Value{Kind: KindStream, Stream: randomStream(rng, i%4)}); err == nil && len(p) < 20000 {
			f.Add(p)
		}
	}
	f.Add([]byte("\x00\xc3\t@d\x01aa\xe0W\x00\x01aa\n\x00\xe8\xa3\xb5\a\xb0m\xf2q"))
	f.Fuzz(func(t *testing.T, p []byte) {
		LoadValue(p)
		v, err := LoadValueOptions(p, LoadOptions{SkipChecksum: true})
		if err != nil {
			return
		}
		q, err := DumpValue(v)
		if err != nil {
			t.Fatalf("DumpValue of a loaded value: %v", err)
		}
		w, err := LoadValue(q)
		if err != nil || canon(w) != canon(v) {
			t.Fatalf("DUMP round trip: %v", err)
		}
	})
}
