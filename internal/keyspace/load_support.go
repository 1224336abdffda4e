package keyspace

import "github.com/redis-clone/redis-clone/internal/kvtable"

// Reserve sizes the key and expiry tables of db for keys and expires
// entries, as Redis does on an RDB's RESIZEDB hint while loading: the
// keys then go in without growing the tables step by step.
func (db *DB) Reserve(keys, expires int) {
	db.keys.Expand(keys)
	db.expires.Expand(expires)
}

// AddNew adds key with o, like Add, unless key is present: then it
// changes nothing and reports false. It is the loaders' insertion (a
// duplicate key in a file is an error), one table lookup where RawGet and
// Add make two.
func (db *DB) AddNew(key []byte, o *Object) bool {
	r, added := db.keys.Upsert(key)
	if !added {
		return false
	}
	db.stamp(r, o)
	db.ks.initAccess(o)
	db.keys.SetVal(r, o)
	db.created(key, true)
	return true
}

// AddNewString is AddNew of a string value val (copied), kept inline in
// the key's record when it fits (records.go).
func (db *DB) AddNewString(key, val []byte) bool {
	if !kvtable.Fits(len(key), len(val)) {
		return db.AddNew(key, NewStringCopy(val))
	}
	if db.keys.Find(key) != 0 {
		return false
	}
	r, _ := db.keys.SetInline(key, val)
	db.keys.SetBorn(r, uint16(db.ks.epoch))
	db.keys.SetLRU(r, db.ks.newLRU())
	db.created(key, true)
	return true
}

// Has reports whether key is stored, expired or not.
func (db *DB) Has(key []byte) bool { return db.keys.Find(key) != 0 }

// SetAccessKey is Keyspace.SetAccess for the value stored under key.
func (db *DB) SetAccessKey(key []byte, freq int, idleSeconds int64) bool {
	r := db.keys.Find(key)
	if r == 0 {
		return false
	}
	lru, ok := db.ks.accessOf(freq, idleSeconds)
	if ok {
		if db.keys.IsObject(r) {
			db.keys.Val(r).lru = lru
		} else {
			db.keys.SetLRU(r, lru)
		}
	}
	return ok
}
