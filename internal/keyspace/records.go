package keyspace

import "github.com/redis-clone/redis-clone/internal/kvtable"

// Inline strings. A plain string value that fits (kvtable.Fits) is kept in
// its key's record (internal/kvtable) instead of an Object. SetString and
// AddNewString write it there (SET, MSET, GETSET, INCR and its kin, the
// loaders), and LookupString, LookupWriteString, TypeNoTouch and
// TouchWrite read the record without an Object (GET, MGET, INCR, EXISTS,
// TYPE, TTL, EXPIRE). Any other access goes through an Object:
//
//   - obj turns an inline entry into an object entry for good (the record
//     keeps the key; the value moves to a new Object with the record's
//     access field and epochs). Lookup, Peek and LookupWrite return such
//     objects, so the commands that keep, compare or edit an *Object see
//     one stored value, as before.
//   - view returns a copy, and peekView a view valid until the table
//     changes, for iterations (SCAN, DEBUG DIGEST, eviction sampling): the
//     entry stays inline. Snapshots copy records into their own buffers
//     (snapshot.go).
//
// The snapshot epochs of an inline entry are 16 bits (the record's born
// and saved): StartSnapshot resets every record at each wrap of them.

// obj returns the Object of entry r, making one of an inline value.
func (db *DB) obj(r kvtable.Ref) *Object {
	t := db.keys
	if t.IsObject(r) {
		return t.Val(r)
	}
	o := db.view(r)
	born, saved := t.Epochs(r)
	o.born = db.ks.epoch
	if born != uint16(db.ks.epoch) {
		o.born-- // stored before the current (or last) snapshot began
	}
	if s := db.ks.snap; s != nil && saved == uint16(s.epoch) {
		o.saved = s.epoch
	}
	t.SetVal(r, o)
	return o
}

// view returns entry r's Object, or for an inline value a new one holding
// a copy of it.
func (db *DB) view(r kvtable.Ref) *Object {
	t := db.keys
	if t.IsObject(r) {
		return t.Val(r)
	}
	o := NewStringCopy(t.Inline(r))
	o.lru = t.LRU(r)
	return o
}

// peekView is view without the copy: an inline value's object shares the
// record's bytes and is valid only until the table changes.
func (db *DB) peekView(r kvtable.Ref) *Object {
	t := db.keys
	if t.IsObject(r) {
		return t.Val(r)
	}
	return &Object{Type: TypeString, Str: t.Inline(r), lru: t.LRU(r)}
}

// touchRef records an access to entry r (touch of its object, or of an
// inline record's access field).
func (ks *Keyspace) touchRef(t *kvtable.Table[*Object], r kvtable.Ref) {
	if t.IsObject(r) {
		ks.touch(t.Val(r))
		return
	}
	t.SetLRU(r, ks.touched(t.LRU(r)))
}

// resetEpochs marks every inline entry as stored before any snapshot and
// captured by none (epoch 0, which StartSnapshot never hands out).
func (ks *Keyspace) resetEpochs() {
	for _, db := range ks.dbs {
		t := db.keys
		t.Range(func(r kvtable.Ref) bool {
			if !t.IsObject(r) {
				t.SetBorn(r, 0)
				t.SetSaved(r, 0)
			}
			return true
		})
	}
}

// LookupString is Lookup for a command that only reads a string (GET,
// MGET): it returns the value, whether key exists and whether it holds a
// string, without making an object of an inline value. The bytes are
// valid until the keyspace changes.
func (db *DB) LookupString(key []byte) (val []byte, found, isString bool) {
	r := db.liveRef(key)
	if r == 0 {
		db.ks.Misses++
		if db.ks.events != nil {
			db.ks.events.KeyMissed(db.id, key)
		}
		return nil, false, false
	}
	db.ks.Hits++
	t := db.keys
	if !t.IsObject(r) {
		t.SetLRU(r, db.ks.touched(t.LRU(r)))
		return t.Inline(r), true, true
	}
	o := t.Val(r)
	db.ks.touch(o)
	return o.Str, true, o.Type == TypeString
}

// LookupWriteString is LookupWrite for a command that reads a string and
// then stores a new one under the key (INCR, DECR, INCRBY, DECRBY): an
// inline value stays inline and is returned as val, valid until the table
// changes, with o nil; the command stores its result with SetString. Any
// other value comes back as LookupWrite returns it. found is false for a
// missing (or expired) key.
func (db *DB) LookupWriteString(key []byte) (o *Object, val []byte, found bool) {
	r := db.liveRef(key)
	if r == 0 {
		return nil, nil, false
	}
	t := db.keys
	if t.IsObject(r) {
		return db.forWrite(key, t.Val(r)), nil, true
	}
	t.SetLRU(r, db.ks.touched(t.LRU(r)))
	return nil, t.Inline(r), true
}

// TouchWrite is the lookup a command makes before it replaces key's value
// or changes only its TTL (Redis's lookupKeyWrite): an expired key is
// removed, a live one's access is recorded. It reports whether key is
// live. Unlike LookupWrite it makes no object of an inline value.
func (db *DB) TouchWrite(key []byte) bool {
	r := db.liveRef(key)
	if r != 0 {
		db.ks.touchRef(db.keys, r)
	}
	return r != 0
}

// TypeNoTouch is LookupNoTouch for a command that needs only the type of
// key's value (EXISTS, TYPE, TTL, SCAN's TYPE filter): it makes no object
// of an inline value and no copy of a collection.
func (db *DB) TypeNoTouch(key []byte) (Type, bool) {
	r := db.liveRef(key)
	if r == 0 {
		db.ks.Misses++
		return 0, false
	}
	db.ks.Hits++
	if !db.keys.IsObject(r) {
		return TypeString, true
	}
	return db.keys.Val(r).Type, true
}
