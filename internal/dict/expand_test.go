package dict

import (
	"strconv"
	"testing"
)

// TestExpand: a dict expanded for n keys takes them without growing or
// rehashing; Expand never shrinks and does nothing while rehashing.
func TestExpand(t *testing.T) {
	d := New[int](0)
	d.Expand(1000)
	if d.Buckets() != 1024 || d.IsRehashing() {
		t.Fatalf("buckets %d, rehashing %v", d.Buckets(), d.IsRehashing())
	}
	for i := range 1000 {
		d.Set(strconv.Itoa(i), i)
	}
	if d.Buckets() != 1024 || d.IsRehashing() || d.Len() != 1000 {
		t.Fatalf("after inserts: buckets %d, rehashing %v, len %d", d.Buckets(), d.IsRehashing(), d.Len())
	}
	d.Expand(10)
	if d.Buckets() != 1024 {
		t.Fatalf("Expand shrank to %d", d.Buckets())
	}
	d.Expand(5000) // a populated dict grows by incremental rehash
	if !d.IsRehashing() {
		t.Fatal("no rehash to the larger table")
	}
	for d.Rehash(100) {
	}
	if d.Buckets() != 8192 || d.Len() != 1000 {
		t.Fatalf("after rehash: buckets %d, len %d", d.Buckets(), d.Len())
	}
	for i := range 1000 {
		if v, ok := d.Get(strconv.Itoa(i)); !ok || v != i {
			t.Fatalf("key %d: %v %v", i, v, ok)
		}
	}
}
