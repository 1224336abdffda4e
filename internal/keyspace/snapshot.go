package keyspace

import (
	"sync"
	"unsafe"

	"github.com/redis-clone/redis-clone/internal/kvtable"
)

// Point-in-time snapshots without fork, for BGSAVE and BGREWRITEAOF.
//
// Go cannot fork, so a background save cannot get Redis's copy-on-write
// pages. Instead the keyspace gives value-level copy-on-write:
//
//   - StartSnapshot (under the data lock, O(databases)) opens epoch E.
//     Every object stored before it (born < E) is frozen: it belongs to
//     the snapshot as it is now.
//   - Next, called by the background job under the data lock in short
//     slices, walks each database with the dict's SCAN cursor and hands
//     out (key, object, expiry) entries of frozen objects not captured
//     yet. The job serializes them without the lock.
//   - Before any change to a key whose frozen object was not captured yet
//     (overwrite, delete, expiry, TTL change, in-place write, FLUSH,
//     SWAPDB) the old entry is captured first (a pre-image), so the job
//     still sees the key as it was at StartSnapshot.
//   - A frozen object is never changed in place: LookupWrite replaces it
//     in the dict by a copy (the "thaw") and returns the copy. Collections
//     are thawed on any access (Peek), because even reads of a dict-backed
//     collection move rehash steps and iterator state; the copy is made
//     under the snapshot's value lock, which the job holds while it reads
//     a collection, so the two never touch one concurrently. Strings are
//     read concurrently but never written.
//   - End (under the data lock, once the job no longer reads objects)
//     unfreezes everything.
//
// Every key present at StartSnapshot is handed out exactly once (by the
// scan or as a pre-image), with its value and expiry of that moment; keys
// created later never are. Entries come database by database, so a writer
// can emit each database's keys in one run. The extra memory is the
// copies of objects changed during the snapshot and the pre-images not
// yet written, as with fork's copy-on-write.

// Entry is one key of a snapshot: its database, name, value, type and
// absolute expiry in Unix milliseconds (-1 for none). Obj must only be
// read, and a collection only while holding the snapshot's value lock.
type Entry struct {
	DB     int
	Key    string
	Obj    *Object
	Type   Type
	Expire int64
}

// Snapshot is a point-in-time view of the keyspace being handed out to a
// background job. Its methods other than ValueLock must be called with
// the data lock held.
type Snapshot struct {
	ks    *Keyspace
	epoch uint32
	dbs   []snapDB
	cur   int
	// values serializes reads of frozen collections between the job and
	// the data owner (which copies them when it needs them).
	values sync.Mutex
	// Thawed counts the frozen objects copied because they were accessed
	// or written; Preimages the entries captured ahead of a change.
	Thawed, Preimages int64
	// batch holds the keys and values of the inline entries of the
	// slice Next returned last, and objs their objects: reused by the
	// next call, when the job is done with that slice.
	batch []byte
	objs  []Object
}

type snapDB struct {
	keys, expires int // at StartSnapshot
	cursor        uint64
	done          bool
	pending       []Entry
}

// StartSnapshot opens a snapshot of the keyspace as it is now, or returns
// nil while another one is open.
func (ks *Keyspace) StartSnapshot() *Snapshot {
	if ks.snap != nil {
		return nil
	}
	ks.epoch++
	if uint16(ks.epoch) == 0 {
		// Inline entries keep 16 bits of their epochs: start each round
		// of 65536 with every entry old and uncaptured.
		ks.resetEpochs()
		ks.epoch++
	}
	s := &Snapshot{ks: ks, epoch: ks.epoch, dbs: make([]snapDB, len(ks.dbs))}
	for i, db := range ks.dbs {
		sd := &s.dbs[i]
		sd.keys, sd.expires = db.keys.Len(), db.expires.Len()
		sd.done = sd.keys == 0
	}
	ks.snap = s
	return s
}

// ActiveSnapshot returns the open snapshot, or nil.
func (ks *Keyspace) ActiveSnapshot() *Snapshot { return ks.snap }

// Sizes returns how many keys, and keys with a TTL, database db held when
// the snapshot started (the RDB's RESIZEDB hint). Exactly that many keys
// of db are handed out.
func (s *Snapshot) Sizes(db int) (keys, expires int) {
	return s.dbs[db].keys, s.dbs[db].expires
}

// Keys returns the number of keys of all databases at the start.
func (s *Snapshot) Keys() int {
	// Index, not range by value: the job calls this without the data
	// lock while the owner may append pre-images to the same records.
	n := 0
	for i := range s.dbs {
		n += s.dbs[i].keys
	}
	return n
}

// Next appends up to about max further entries to dst and reports
// whether the snapshot is complete (every key handed out). Entries of a
// database all come before those of the next one.
//
// The Key and Obj of entries that were inline strings point into buffers
// the next call reuses: the caller must be done with one slice before it
// asks for the next.
func (s *Snapshot) Next(dst []Entry, max int) ([]Entry, bool) {
	s.batch, s.objs = s.batch[:0], s.objs[:0]
	for s.cur < len(s.dbs) {
		sd := &s.dbs[s.cur]
		if len(sd.pending) > 0 {
			n := min(len(sd.pending), max-len(dst))
			dst = append(dst, sd.pending[:n]...)
			// Keep the array for the next pre-images (dst holds copies):
			// a fresh one each time would cost about twice the entries in
			// garbage, which no GC reclaims while a save runs.
			rest := copy(sd.pending, sd.pending[n:])
			clear(sd.pending[rest:])
			sd.pending = sd.pending[:rest]
			if len(dst) >= max {
				return dst, false
			}
			continue
		}
		if sd.done {
			s.cur++
			continue
		}
		db := s.ks.dbs[s.cur]
		for !sd.done && len(dst) < max {
			sd.cursor = db.keys.Scan(sd.cursor, func(r kvtable.Ref) {
				if e, ok := db.capture(r, true); ok {
					dst = append(dst, e)
				}
			})
			sd.done = sd.cursor == 0
		}
		if len(dst) >= max {
			return dst, false
		}
	}
	return dst, true
}

// End closes the snapshot: objects are no longer frozen. Call it once the
// job reads no entry any more (completed or abandoned).
func (s *Snapshot) End() {
	if s.ks.snap == s {
		s.ks.snap = nil
	}
	for i := range s.dbs {
		s.dbs[i].pending = nil
	}
}

// ValueLock returns the lock that a reader of a frozen collection (the
// job, or a synchronous save running while the snapshot is open) must
// hold while it reads one.
func (s *Snapshot) ValueLock() sync.Locker { return &s.values }

// expireOf returns key's expiry, -1 for none.
func (db *DB) expireOf(key []byte) int64 {
	if db.expires.Len() == 0 {
		return -1
	}
	if when, ok := db.expires.GetBytes(key); ok {
		return when
	}
	return -1
}

// stamp marks o, about to be stored in entry r, with the current epoch if
// it is new, and captures the value it replaces for an open snapshot.
func (db *DB) stamp(r kvtable.Ref, o *Object) {
	if o.born == 0 {
		o.born = db.ks.epoch
	}
	if db.ks.snap != nil {
		db.preimageRef(r)
	}
}

// preimage captures the entry of key for the open snapshot before it
// changes, if its value is frozen and not captured yet.
func (db *DB) preimage(key []byte) {
	if r := db.keys.Find(key); r != 0 {
		db.preimageRef(r)
	}
}

// preimageRef is preimage of entry r.
func (db *DB) preimageRef(r kvtable.Ref) {
	s := db.ks.snap
	if e, ok := db.capture(r, false); ok {
		s.Preimages++
		sd := &s.dbs[db.id]
		sd.pending = append(sd.pending, e)
	}
}

// capture returns the snapshot entry of r and marks r captured, unless r
// is not frozen (stored since the snapshot started), already captured,
// or a new key's entry without a value yet. With batch the copy of an
// inline entry lives in the buffers of Next's current slice.
func (db *DB) capture(r kvtable.Ref, batch bool) (Entry, bool) {
	s := db.ks.snap
	var o *Object
	if db.keys.IsObject(r) {
		o = db.keys.Val(r)
		if o == nil || o.born >= s.epoch || o.saved == s.epoch {
			return Entry{}, false
		}
		o.saved = s.epoch
	} else {
		born, saved := db.keys.Epochs(r)
		if e := uint16(s.epoch); born == e || saved == e {
			return Entry{}, false
		}
		db.keys.SetSaved(r, uint16(s.epoch))
		if batch {
			return s.batchEntry(db, r), true
		}
		o = db.view(r)
	}
	key := db.keys.Key(r)
	return Entry{DB: db.id, Key: string(key), Obj: o, Type: o.Type, Expire: db.expireOf(key)}, true
}

// batchEntry returns the entry of inline entry r, copied into the
// snapshot's slice buffers.
func (s *Snapshot) batchEntry(db *DB, r kvtable.Ref) Entry {
	key, val := db.keys.Key(r), db.keys.Inline(r)
	off := len(s.batch)
	// A growing buffer moves; what earlier entries point to stays.
	s.batch = append(append(s.batch, key...), val...)
	b := s.batch[off:len(s.batch):len(s.batch)]
	s.objs = append(s.objs, Object{Type: TypeString, Str: b[len(key):]})
	k := ""
	if len(key) > 0 {
		k = unsafe.String(&b[0], len(key))
	}
	return Entry{DB: db.id, Key: k, Obj: &s.objs[len(s.objs)-1], Type: TypeString, Expire: db.expireOf(key)}
}

// thaw replaces the frozen object o stored under key by a copy (after
// capturing it for the snapshot) and returns the copy, which the caller
// may change. A type without a registered deep copy stays frozen.
func (db *DB) thaw(key []byte, o *Object) *Object {
	s := db.ks.snap
	db.preimage(key)
	var cp *Object
	var err error
	if o.Type == TypeString {
		cp, err = o.Clone()
	} else {
		s.values.Lock()
		cp, err = o.Clone()
		s.values.Unlock()
	}
	if err != nil {
		return o
	}
	s.Thawed++
	cp.born = db.ks.epoch
	db.keys.SetVal(db.keys.Find(key), cp)
	return cp
}

// captureAll captures every frozen entry of db not captured yet (before
// FLUSHDB or SWAPDB replaces its tables); the snapshot then needs no scan
// of db any more.
func (s *Snapshot) captureAll(db *DB) {
	sd := &s.dbs[db.id]
	if !sd.done {
		db.keys.Range(func(r kvtable.Ref) bool {
			if e, ok := db.capture(r, false); ok {
				s.Preimages++
				sd.pending = append(sd.pending, e)
			}
			return true
		})
		sd.done = true
	}
}

// Each calls fn for every stored key of db, logically expired ones
// included, with its value and expiry (-1 for none), until fn returns
// false: what a synchronous save writes. fn must not modify the database;
// the object of an inline string is valid only during fn.
func (db *DB) Each(fn func(key string, o *Object, expire int64) bool) {
	var scratch Object
	db.keys.Range(func(r kvtable.Ref) bool {
		o := &scratch
		if db.keys.IsObject(r) {
			o = db.keys.Val(r)
		} else {
			scratch = Object{Type: TypeString, Str: db.keys.Inline(r), lru: db.keys.LRU(r)}
		}
		return fn(db.keys.KeyString(r), o, db.expireOf(db.keys.Key(r)))
	})
}
