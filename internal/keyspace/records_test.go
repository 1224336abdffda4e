package keyspace_test

import (
	"fmt"
	"math/rand/v2"
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
	got := drainApplying(t, s, changes)
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

// TestLookupWriteString: an inline value comes back as bytes and stays
// inline (INCR stores its result with SetString, keeping the TTL); an
// object entry comes back as the object; a missing or expired key is not
// found.
func TestLookupWriteString(t *testing.T) {
	ks := keyspace.New(1)
	ks.SetNow(1000)
	d := ks.DB(0)
	d.SetString([]byte("n"), []byte("41"), false)
	d.SetExpire([]byte("n"), 9000)
	o, val, found := d.LookupWriteString([]byte("n"))
	if o != nil || string(val) != "41" || !found {
		t.Fatalf("inline: %v %q %v", o, val, found)
	}
	d.SetString([]byte("n"), []byte("42"), true)
	if o, val, _ = d.LookupWriteString([]byte("n")); o != nil || string(val) != "42" || d.Expire([]byte("n")) != 9000 {
		t.Fatalf("after the store: %v %q, expire %d", o, val, d.Expire([]byte("n")))
	}
	d.Lookup([]byte("n")) // a read that needs an object makes one
	if o, val, _ = d.LookupWriteString([]byte("n")); o == nil || string(o.Str) != "42" || val != nil {
		t.Fatalf("object: %v %q", o, val)
	}
	if _, _, found = d.LookupWriteString([]byte("missing")); found {
		t.Fatal("missing key found")
	}
	ks.SetNow(9001)
	if _, _, found = d.LookupWriteString([]byte("n")); found || d.Has([]byte("n")) {
		t.Fatal("expired key found or kept")
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

// TestRecordsRandomOps mixes inline and object writes, reads that make
// objects, in-place edits, deletes, TTL changes and snapshots at random,
// and checks the keyspace and every snapshot against a model.
func TestRecordsRandomOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ks := keyspace.New(1)
	ks.SetNow(1000)
	d := ks.DB(0)
	model := map[string]string{} // "0/key" → value@expire, as state renders
	val := func() string {
		n := rng.IntN(30)
		if rng.IntN(20) == 0 {
			n = 900 + rng.IntN(300) // around the inline limit
		}
		return strings.Repeat(string(rune('a'+rng.IntN(26))), n)
	}
	var snap *keyspace.Snapshot
	var snapWant, snapGot map[string]string
	var buf []keyspace.Entry
	for i := 0; i < 100000; i++ {
		key := fmt.Sprint("k", rng.IntN(500))
		mk := "0/" + key
		v, exists := model[mk]
		cur, exp, _ := strings.Cut(v, "@")
		switch op := rng.IntN(11); op {
		case 0, 1, 2:
			nv := val()
			d.SetString([]byte(key), []byte(nv), false)
			model[mk] = nv + "@-1"
		case 3:
			nv := val()
			d.Set([]byte(key), keyspace.NewString([]byte(nv)), false)
			model[mk] = nv + "@-1"
		case 4:
			if o := d.Lookup([]byte(key)); (o != nil) != exists || exists && string(o.Str) != cur {
				t.Fatalf("op %d: Lookup %s = %v, model %q", i, key, o, v)
			}
		case 5:
			if got, found, _ := d.LookupString([]byte(key)); found != exists || string(got) != cur {
				t.Fatalf("op %d: LookupString %s = %q, model %q", i, key, got, v)
			}
		case 6:
			if o := d.LookupWrite([]byte(key)); o != nil {
				o.Str = append(o.Str, 'z')
				d.Modified([]byte(key))
				model[mk] = cur + "z@" + exp
			}
		case 7:
			if d.Delete([]byte(key)) != exists {
				t.Fatalf("op %d: Delete %s", i, key)
			}
			delete(model, mk)
		case 8:
			if exists {
				d.SetExpire([]byte(key), 100000)
				model[mk] = cur + "@100000"
			}
		case 9:
			if exists && d.Persist([]byte(key)) {
				model[mk] = cur + "@-1"
			}
		case 10:
			if snap == nil {
				snap = ks.StartSnapshot()
				snapWant = map[string]string{}
				for k, v := range model {
					snapWant[k] = v
				}
				snapGot = map[string]string{}
				continue
			}
			var done bool
			buf, done = snap.Next(buf[:0], 7)
			for _, e := range buf {
				k := fmt.Sprintf("%d/%s", e.DB, e.Key)
				if _, dup := snapGot[k]; dup {
					t.Fatalf("op %d: %s handed out twice", i, k)
				}
				snapGot[k] = render(e.Obj) + "@" + fmt.Sprint(e.Expire)
			}
			if done {
				snap.End()
				sameSnapshot(t, snapGot, snapWant)
				snap = nil
			}
		}
	}
	sameSnapshot(t, state(ks), model)
}
