package keyspace

import (
	"fmt"

	"github.com/redis-clone/redis-clone/internal/kvtable"
	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// Helpers for the generic key commands (internal/command keys.go and
// expire.go): deep copies for COPY, value encodings for OBJECT, and the
// lookup and scan variants those commands need.

// CloneValue maps a collection type to the function that deep-copies its
// Val for COPY. Each data-type package registers its cloner at init time;
// strings need none (Object.Clone copies Str itself).
var CloneValue = map[Type]func(any) any{}

// EncodingOf maps a collection type to the function that names the
// internal encoding of its Val as OBJECT ENCODING reports it ("listpack",
// "quicklist", "intset", "hashtable", "skiplist", "stream" …). Data-type
// packages register theirs at init time.
var EncodingOf = map[Type]func(any) string{}

// Shared integers: Redis keeps the values 0..9999 as shared objects
// (OBJ_SHARED_INTEGERS) whose OBJECT REFCOUNT is INT_MAX.
const (
	sharedIntegers = 10000
	// SharedRefcount is the refcount Redis reports for a shared object.
	SharedRefcount = 2147483647
	// embstrLimit is OBJ_ENCODING_EMBSTR_SIZE_LIMIT.
	embstrLimit = 44
)

// ErrNoCloner is returned by Object.Clone for a collection type that has
// not registered a CloneValue function.
type ErrNoCloner struct{ Type Type }

// Error implements error.
func (e ErrNoCloner) Error() string {
	return fmt.Sprintf("no deep-copy function registered for type %s", e.Type)
}

// Clone returns a deep copy of o: a fresh Str for strings, CloneValue's
// copy of Val for collections. The copy's access time is o's.
func (o *Object) Clone() (*Object, error) {
	cp := &Object{Type: o.Type, lru: o.lru, RawStr: o.RawStr, NoIntStr: o.NoIntStr}
	if o.Type == TypeString {
		cp.Str = append(make([]byte, 0, len(o.Str)), o.Str...)
		return cp, nil
	}
	fn := CloneValue[o.Type]
	if fn == nil {
		return nil, ErrNoCloner{o.Type}
	}
	cp.Val = fn(o.Val)
	return cp, nil
}

// Encoding returns the name OBJECT ENCODING replies with for o. Strings
// are "int", "embstr" or "raw" as Redis would encode the value on SET,
// unless RawStr or NoIntStr say how a command made it;
// collections ask EncodingOf and are "unknown" without one.
func (o *Object) Encoding() string {
	if o.Type == TypeString {
		switch {
		case o.RawStr:
			return "raw"
		case o.NoIntStr && len(o.Str) <= embstrLimit:
			return "embstr"
		case o.NoIntStr:
			return "raw"
		}
		return StringEncoding(o.Str)
	}
	if fn := EncodingOf[o.Type]; fn != nil {
		return fn(o.Val)
	}
	return "unknown"
}

// StringEncoding returns the encoding Redis's tryObjectEncoding picks for
// a string value b: "int" when b is the canonical decimal form of a 64-bit
// integer (no sign other than a leading '-', no leading zeros or spaces,
// at most 20 bytes), "embstr" up to 44 bytes, "raw" beyond.
func StringEncoding(b []byte) string {
	if _, ok := canonicalInt(b); ok {
		return "int"
	}
	if len(b) <= embstrLimit {
		return "embstr"
	}
	return "raw"
}

// IsSharedInteger reports whether Redis would store string value b as one
// of its shared integer objects (0..9999), whose refcount is
// SharedRefcount. Redis does so only while maxmemory is off or the policy
// is neither LRU nor LFU; the caller checks that.
func IsSharedInteger(b []byte) bool {
	n, ok := canonicalInt(b)
	return ok && n >= 0 && n < sharedIntegers
}

// canonicalInt parses b like Redis's string2ll: the exact decimal form of
// an int64, nothing else.
func canonicalInt(b []byte) (int64, bool) { return numfmt.ParseInt(b) }

// LookupNoTouch returns the live value of key for reading like Lookup,
// counting a keyspace hit or miss, but leaves the access time alone
// (Redis's LOOKUP_NOTOUCH: EXISTS, TYPE, TTL, OBJECT).
func (db *DB) LookupNoTouch(key []byte) *Object {
	o := db.Peek(key)
	if o == nil {
		db.ks.Misses++
		return nil
	}
	db.ks.Hits++
	return o
}

// ScanAll is one step of SCAN over the raw table: it visits the keys of the
// next bucket(s) from cursor, expired ones included (the caller filters
// them with ExpireIfNeeded, as Redis does after matching), and returns the
// cursor to resume from, 0 when the scan is complete. fn must not modify
// the database.
func (db *DB) ScanAll(cursor uint64, fn func(key string)) uint64 {
	return db.keys.Scan(cursor, func(r kvtable.Ref) { fn(db.keys.KeyString(r)) })
}

// ExpireIfNeeded removes key if its TTL passed and reports whether the key
// is logically expired (also when expiry is disabled and it stays).
func (db *DB) ExpireIfNeeded(key []byte) bool {
	if db.expires.Len() == 0 {
		return false
	}
	return db.expireIfNeeded(key)
}
