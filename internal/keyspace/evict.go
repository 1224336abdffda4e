package keyspace

import "github.com/redis-clone/redis-clone/internal/kvtable"

// Keyspace support for maxmemory eviction (internal/core evict.go): the
// candidate sampling of Redis's evictionPoolPopulate and the removal of
// an evicted key. Candidates are drawn from the raw tables, expired keys
// included, as Redis samples db->dict and db->expires.

// SampleEviction calls fn for up to n keys sampled at random (Redis's
// dictGetSomeKeys) from all keys, or with volatile only from the keys with
// a TTL. when is the key's expire time (-1 without one); o may be nil for
// a volatile key whose value is missing (never in a consistent keyspace).
// o is valid only during fn, which must not keep it.
func (db *DB) SampleEviction(volatile bool, n int, fn func(key string, o *Object, when int64)) {
	if volatile {
		db.expires.SampleEntries(n, func(k string, when int64) {
			var o *Object
			if r := db.keys.FindString(k); r != 0 {
				o = db.peekView(r)
			}
			fn(k, o, when)
		})
		return
	}
	db.keys.SampleEntries(n, func(r kvtable.Ref) {
		key := db.keys.Key(r)
		when := int64(-1)
		if db.expires.Len() > 0 {
			if w, ok := db.expires.GetBytes(key); ok {
				when = w
			}
		}
		fn(string(key), db.peekView(r), when)
	})
}

// EvictionCandidates returns how many keys an eviction policy could pick
// from: every key, or with volatile the keys with a TTL.
func (db *DB) EvictionCandidates(volatile bool) int {
	if volatile {
		return db.expires.Len()
	}
	return db.keys.Len()
}

// HasEvictionCandidate reports whether key is still in the table the
// policy samples (a pool entry may have been deleted since).
func (db *DB) HasEvictionCandidate(volatile bool, key string) bool {
	if volatile {
		return db.expires.Contains(key)
	}
	return db.keys.FindString(key) != 0
}

// RandomEvictionKey returns a random key of the table the policy samples
// (allkeys-random, volatile-random), expired or not.
func (db *DB) RandomEvictionKey(volatile bool) (string, bool) {
	if volatile {
		k, _, ok := db.expires.RandomEntry()
		return k, ok
	}
	if r := db.keys.RandomEntry(); r != 0 {
		return db.keys.KeyString(r), true
	}
	return "", false
}

// Evict removes key whatever its TTL and returns its value (nil when it
// was not there). The hooks learn of it as a modification (WATCH, client
// tracking); the caller counts, notifies and propagates the eviction.
func (db *DB) Evict(key string) *Object {
	r := db.keys.FindString(key)
	if r == 0 {
		return nil
	}
	o := db.view(r)
	if db.ks.snap != nil {
		db.preimageRef(r)
	}
	db.keys.DeleteString(key)
	db.expires.Delete(key)
	db.ks.hooks.KeyModified(db.id, key)
	return o
}

// MemoryEstimate returns a rough size in bytes of o's value beyond its
// object header, for the eviction accounting: a string's bytes, a list's
// listpack bytes, and a per-element figure for the other collections.
func (o *Object) MemoryEstimate() int64 {
	switch v := o.Val.(type) {
	case nil:
		return int64(cap(o.Str))
	case interface{ Nodes(func(bool, []byte) bool) }:
		var n int64
		v.Nodes(func(_ bool, data []byte) bool {
			n += int64(len(data)) + 32
			return true
		})
		return n
	case interface{ Len() int }:
		return int64(v.Len()) * 48
	case interface{ Len() uint64 }:
		return int64(v.Len()) * 48
	}
	return 64
}

// HTStats returns the statistics of the database's key table and expires
// table (DEBUG HTSTATS).
func (db *DB) HTStats() (keys, expires string) {
	return db.keys.Stats(), db.expires.Stats()
}

// RangeAll visits every stored key, logically expired ones included (DEBUG
// DIGEST), with whether it has a TTL. fn must not modify the database.
func (db *DB) RangeAll(fn func(key string, o *Object, hasExpire bool)) {
	db.keys.Range(func(r kvtable.Ref) bool {
		k := db.keys.KeyString(r)
		fn(k, db.view(r), db.expires.Len() > 0 && db.expires.Contains(k))
		return true
	})
}
