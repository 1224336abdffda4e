package keyspace_test

import (
	"fmt"
	"sort"
	"strconv"
	"testing"

	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/set"
)

// drain collects every entry of s, a few at a time, as "db/key=value@exp".
func drain(t *testing.T, s *keyspace.Snapshot, step func()) map[string]string {
	t.Helper()
	out := map[string]string{}
	var buf []keyspace.Entry
	for {
		var done bool
		buf, done = s.Next(buf[:0], 3)
		for _, e := range buf {
			k := fmt.Sprintf("%d/%s", e.DB, e.Key)
			if _, dup := out[k]; dup {
				t.Fatalf("%s handed out twice", k)
			}
			out[k] = render(e.Obj) + "@" + strconv.FormatInt(e.Expire, 10)
		}
		if done {
			return out
		}
		if step != nil {
			step()
		}
	}
}

// drainApplying is drain with one of changes applied between slices (the
// rest after the last one).
func drainApplying(t *testing.T, s *keyspace.Snapshot, changes []func()) map[string]string {
	t.Helper()
	step := 0
	got := drain(t, s, func() {
		if step < len(changes) {
			changes[step]()
			step++
		}
	})
	for ; step < len(changes); step++ {
		changes[step]()
	}
	return got
}

// sameSnapshot checks that the keys a snapshot produced are exactly want.
func sameSnapshot(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("snapshot has %d keys, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("snapshot %s = %q, want %q", k, got[k], v)
		}
	}
}

func render(o *keyspace.Object) string {
	if o.Type == keyspace.TypeString {
		return string(o.Str)
	}
	var m []string
	o.Val.(*set.Set).Range(func(x set.Member) bool { m = append(m, x.String()); return true })
	sort.Strings(m)
	return fmt.Sprint(m)
}

// state renders the keyspace now, like drain.
func state(ks *keyspace.Keyspace) map[string]string {
	out := map[string]string{}
	for i := 0; i < ks.Len(); i++ {
		ks.DB(i).Each(func(k string, o *keyspace.Object, exp int64) bool {
			out[fmt.Sprintf("%d/%s", i, k)] = render(o) + "@" + strconv.FormatInt(exp, 10)
			return true
		})
	}
	return out
}

func newSet(members ...string) *keyspace.Object {
	s := set.New()
	for _, m := range members {
		s.Add([]byte(m), 512)
	}
	return keyspace.NewSet(s)
}

// TestSnapshotIsPointInTime changes keys in every way between the slices
// of a snapshot: the snapshot still yields the keyspace of its start,
// each key once, and the live keyspace has every change.
func TestSnapshotIsPointInTime(t *testing.T) {
	ks := keyspace.New(4)
	ks.SetNow(1000)
	for db := 0; db < 3; db++ {
		d := ks.DB(db)
		for i := 0; i < 40; i++ {
			d.Set([]byte(fmt.Sprint("k", i)), keyspace.NewString([]byte(fmt.Sprint("v", i))), false)
		}
		d.Set([]byte("set"), newSet("a", "b"), false)
		d.SetExpire([]byte("k1"), 5000)
	}
	want := state(ks)
	s := ks.StartSnapshot()
	if s == nil || ks.StartSnapshot() != nil {
		t.Fatal("StartSnapshot: want one snapshot at a time")
	}
	if k, e := s.Sizes(0); k != 41 || e != 1 {
		t.Fatalf("Sizes = %d, %d", k, e)
	}
	d0, d1, d2 := ks.DB(0), ks.DB(1), ks.DB(2)
	changes := []func(){
		func() { d0.Set([]byte("k2"), keyspace.NewString([]byte("new")), false) },
		func() { d0.Delete([]byte("k3")) },
		func() { d0.SetExpire([]byte("k4"), 9000) },
		func() { d0.Persist([]byte("k1")) },
		func() { // in-place write: must get a copy
			o := d0.LookupWrite([]byte("k5"))
			o.Str = append(o.Str[:1], "changed"...)
		},
		func() { // a read of a frozen collection copies it, a write too
			if o := d0.Peek([]byte("set")); o == nil {
				t.Fatal("set missing")
			}
			d0.LookupWrite([]byte("set")).Val.(*set.Set).Add([]byte("c"), 512)
		},
		func() { d0.Add([]byte("created"), keyspace.NewString([]byte("after"))) },
		func() { // rename k6 to k7 (over an existing key) and move k8 to db 3
			o := d0.Peek([]byte("k6"))
			d0.Set([]byte("k7"), o, false)
			d0.Delete([]byte("k6"))
			o8 := d0.Peek([]byte("k8"))
			ks.DB(3).Add([]byte("k8"), o8)
			d0.Delete([]byte("k8"))
		},
		func() { d1.Flush() },
		func() { ks.Swap(2, 3) },
		func() { d2.Set([]byte("after-swap"), keyspace.NewString([]byte("x")), false) },
		func() { ks.SetNow(6000); ks.DB(3).ExpireIfNeeded([]byte("k1")) },
	}
	got := drainApplying(t, s, changes)
	s.End()
	sameSnapshot(t, got, want)
	now := state(ks)
	for k, v := range map[string]string{
		"0/k2": "new@-1", "0/k4": "v4@9000", "0/k1": "v1@-1", "0/k5": "vchanged@-1",
		"0/set": "[a b c]@-1", "0/created": "after@-1", "0/k7": "v6@-1", "3/k8": "v8@-1",
		"2/after-swap": "x@-1",
	} {
		if now[k] != v {
			t.Errorf("live %s = %q, want %q", k, now[k], v)
		}
	}
	for _, k := range []string{"0/k3", "0/k6", "0/k8", "1/k0", "3/k1"} {
		if _, ok := now[k]; ok {
			t.Errorf("live %s should be gone", k)
		}
	}
	if s.Thawed == 0 || s.Preimages == 0 {
		t.Errorf("thawed %d, pre-images %d: the copy-on-write paths did not run", s.Thawed, s.Preimages)
	}
	// After End nothing is frozen: writes go in place again.
	o := d0.LookupWrite([]byte("k9"))
	if d0.LookupWrite([]byte("k9")) != o {
		t.Error("an object was copied after the snapshot ended")
	}
}

// TestSnapshotCompleteWithoutChanges: every key once, nothing created
// after the start.
func TestSnapshotCompleteWithoutChanges(t *testing.T) {
	ks := keyspace.New(2)
	for i := 0; i < 1000; i++ {
		ks.DB(i%2).Set([]byte(strconv.Itoa(i)), keyspace.NewString([]byte("v")), false)
	}
	s := ks.StartSnapshot()
	n := 0
	got := drain(t, s, func() {
		n++
		ks.DB(0).Set([]byte(fmt.Sprint("new", n)), keyspace.NewString([]byte("x")), false)
	})
	s.End()
	if len(got) != 1000 || s.Keys() != 1000 {
		t.Fatalf("%d keys handed out, Keys() = %d", len(got), s.Keys())
	}
}

// BenchmarkSnapshotCapture measures collecting the entries of 1M string
// keys: all at once (what a one-shot capture under the data lock would
// stall for) and per slice of 1024 keys (what the background job holds
// the lock for).
func BenchmarkSnapshotCapture(b *testing.B) {
	ks := keyspace.New(1)
	db := ks.DB(0)
	const n = 1 << 20
	for i := 0; i < n; i++ {
		db.Set([]byte("key:"+strconv.Itoa(i)), keyspace.NewString([]byte("value-0123456789")), false)
	}
	b.Run("all-at-once", func(b *testing.B) {
		buf := make([]keyspace.Entry, 0, n+1024)
		for i := 0; i < b.N; i++ {
			s := ks.StartSnapshot()
			buf, _ = s.Next(buf[:0], n+1024)
			s.End()
		}
		b.ReportMetric(float64(cap(buf))*float64(40)/(1<<20), "MB-entries")
	})
	b.Run("slice-1024", func(b *testing.B) {
		buf := make([]keyspace.Entry, 0, 2048)
		s := ks.StartSnapshot()
		for i := 0; i < b.N; i++ {
			var done bool
			buf, done = s.Next(buf[:0], 1024)
			if done {
				s.End()
				s = ks.StartSnapshot()
			}
		}
		s.End()
	})
}

// TestSnapshotManyPreimages overwrites many keys between small slices, so
// that pre-images queue up faster than the slices take them (the queue's
// array is reused as it drains) and Set both replaces frozen keys and
// creates new ones: the snapshot still has every key once, as it was.
func TestSnapshotManyPreimages(t *testing.T) {
	ks := keyspace.New(1)
	d := ks.DB(0)
	for i := 0; i < 500; i++ {
		d.Set([]byte(fmt.Sprint("k", i)), keyspace.NewString([]byte(fmt.Sprint("v", i))), false)
	}
	want := state(ks)
	s := ks.StartSnapshot()
	next := 499
	got := drain(t, s, func() {
		for j := 0; j < 7 && next >= 0; j++ { // from the end: ahead of the scan
			d.Set([]byte(fmt.Sprint("k", next)), keyspace.NewString([]byte("new")), false)
			d.SetString([]byte(fmt.Sprint("n", next)), []byte("created"), false)
			next--
		}
	})
	s.End()
	sameSnapshot(t, got, want)
	if s.Preimages == 0 {
		t.Error("no pre-images: the test did not overwrite keys ahead of the scan")
	}
}
