package keyspace

import "github.com/redis-clone/redis-clone/internal/kvtable"

// Short string values share one allocation with their Object (as Redis's
// embstr shares one with its robj): one malloc instead of two per SET, and
// a GET finds the value bytes next to the object header instead of behind
// another pointer. The size classes make it free in memory: a 56-byte
// Object plus up to 8 value bytes is one 64-byte block (two blocks, 64+8,
// when separate), up to 24 bytes one 80-byte block (64+16 or 64+24 separate).

// embedMax is the longest value NewStringCopy embeds.
const embedMax = 24

type (
	embObject8 struct {
		o Object
		b [8]byte
	}
	embObject24 struct {
		o Object
		b [embedMax]byte
	}
)

// NewStringCopy returns a string object holding a copy of b. Values of up
// to embedMax bytes live in the same allocation as the object; the slice's
// capacity is its length, so an append always moves it out.
func NewStringCopy(b []byte) *Object {
	switch n := len(b); {
	case n == 0:
		return NewString(nil) // as append([]byte(nil)) of nothing
	case n <= 8:
		e := &embObject8{o: Object{Type: TypeString}}
		copy(e.b[:], b)
		e.o.Str = e.b[:n:n]
		return &e.o
	case n <= embedMax:
		e := &embObject24{o: Object{Type: TypeString}}
		copy(e.b[:], b)
		e.o.Str = e.b[:n:n]
		return &e.o
	}
	return NewString(append([]byte(nil), b...))
}

// SetString stores a copy of val under key as a string, as
// Set(key, NewStringCopy(val), keepTTL) does, except that a value that
// fits is kept inline in the key's record (records.go), rewritten in
// place when the record has room. The value then behaves as a new one:
// plain encoding, a fresh access time (an LFU counter is kept, as an
// overwrite keeps it), no TTL unless keepTTL.
func (db *DB) SetString(key, val []byte, keepTTL bool) {
	if !kvtable.Fits(len(key), len(val)) {
		db.Set(key, NewStringCopy(val), keepTTL)
		return
	}
	t := db.keys
	lru := db.ks.newLRU()
	if db.ks.snap != nil || db.ks.access.lfu {
		if r := t.Find(key); r != 0 {
			if db.ks.snap != nil {
				db.preimageRef(r)
			}
			if db.ks.access.lfu {
				lru = db.peekView(r).lru
			}
		}
	}
	r, added := t.SetInline(key, val)
	t.SetBorn(r, uint16(db.ks.epoch))
	t.SetLRU(r, lru)
	db.afterSet(key, added, keepTTL)
}
