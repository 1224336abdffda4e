package keyspace_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// TestSnapshotInlineStrings is TestSnapshotIsPointInTime for values kept
// inline in their records (SetString): overwrites in place and moved to a
// larger record, deletes, TTL changes, values made objects by a read or a
// write, and new keys, between the slices of a snapshot.
func TestSnapshotInlineStrings(t *testing.T) {
	ks := keyspace.New(1)
	ks.SetNow(1000)
	d := ks.DB(0)
	for i := 0; i < 60; i++ {
		d.SetString([]byte(fmt.Sprint("k", i)), []byte(fmt.Sprint("v", i)), false)
	}
	d.SetExpire([]byte("k1"), 5000)
	want := state(ks)
	s := ks.StartSnapshot()
	step := 0
	changes := []func(){
		func() { d.SetString([]byte("k2"), []byte("v9"), false) },                     // in place
		func() { d.SetString([]byte("k3"), []byte(strings.Repeat("x", 300)), false) }, // moved
		func() { d.Delete([]byte("k4")) },
		func() { d.SetExpire([]byte("k5"), 9000) },
		func() { d.Lookup([]byte("k6")) }, // made an object, unchanged
		func() { // made an object and written in place
			o := d.LookupWrite([]byte("k7"))
			o.Str = append(o.Str[:1], "changed"...)
		},
		func() { d.SetString([]byte("new"), []byte("after"), false) },
		func() { d.Set([]byte("k8"), keyspace.NewString([]byte("object")), false) },
		func() { d.SetString([]byte("k1"), []byte("kept"), true) },
	}
	got := drain(t, s, func() {
		if step < len(changes) {
			changes[step]()
			step++
		}
	})
	for step < len(changes) {
		changes[step]()
		step++
	}
	s.End()
	sameSnapshot(t, got, want)
	now := state(ks)
	for k, v := range map[string]string{
		"0/k2": "v9@-1", "0/k3": strings.Repeat("x", 300) + "@-1", "0/k5": "v5@9000",
		"0/k6": "v6@-1", "0/k7": "vchanged@-1", "0/new": "after@-1", "0/k8": "object@-1",
		"0/k1": "kept@5000",
	} {
		if now[k] != v {
			t.Errorf("live %s = %q, want %q", k, now[k], v)
		}
	}
	if _, ok := now["0/k4"]; ok {
		t.Error("k4 should be gone")
	}
	if s.Preimages == 0 {
		t.Error("no pre-images: the capture paths did not run")
	}
}

// TestSnapshotEpochWrap takes snapshots past the 16-bit epoch wrap of
// inline records: a key never touched is still in every snapshot once.
func TestSnapshotEpochWrap(t *testing.T) {
	ks := keyspace.New(1)
	d := ks.DB(0)
	d.SetString([]byte("old"), []byte("v"), false)
	for i := 0; i < 1<<16+3; i++ {
		s := ks.StartSnapshot()
		if i%4096 == 0 || i > 1<<16-3 {
			got := drain(t, s, nil)
			if len(got) != 1 || got["0/old"] != "v@-1" {
				t.Fatalf("snapshot %d: %v", i, got)
			}
		}
		s.End()
	}
}
