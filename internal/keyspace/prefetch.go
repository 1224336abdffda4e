package keyspace

import "github.com/redis-clone/redis-clone/internal/kvtable"

// PrefetchMax is the largest batch Prefetch takes.
const PrefetchMax = kvtable.PrefetchMax

// Prefetch brings what looking up keys will read into the CPU cache: the
// dict's bucket slots and entries (dict.Dict.Prefetch), then the objects
// found and a string's first value byte, each stage with all of its
// misses in flight at once. The front end calls it for the keys of a
// pipelined batch before running the batch, so that the lookups, one per
// command, no longer wait for their misses one after the other. It reads
// only: no expiry, no access time, no statistics; a key it does not find
// costs nothing more. Keys beyond PrefetchMax are ignored.
func (db *DB) Prefetch(keys [][]byte) {
	var objs [PrefetchMax]*Object
	sum := db.keys.Prefetch(keys, objs[:])
	for _, o := range objs[:min(len(keys), PrefetchMax)] {
		if o == nil {
			continue
		}
		sum += uintptr(o.Type)
		if s := o.Str; len(s) > 0 {
			// Embedded short strings share the object's block; a
			// longer value is a separate block the reply will copy.
			sum += uintptr(s[0])
		}
	}
	db.ks.prefetchSink += sum
}
