package keyspace

import (
	"github.com/redis-clone/redis-clone/internal/dict"
)

// Hooks receives every change to the keyspace. The server implements it to
// invalidate WATCHed keys, wake blocked clients, send notifications and
// propagate expirations. Calls happen synchronously inside the mutation.
type Hooks interface {
	// KeyModified is called after key's value was set, changed or deleted.
	KeyModified(db int, key string)
	// KeyExpired is called when a key is removed because its TTL passed.
	KeyExpired(db int, key string)
}

// EventHooks may also be implemented by a Hooks, to learn of key creation
// (Redis's dbAdd), expiry and read misses for keyspace notifications.
// KeyCreated is called before KeyModified, KeyExpiredEvent before
// KeyExpired, KeyMissed when Lookup counts a miss.
type EventHooks interface {
	KeyCreated(db int, key string)
	KeyExpiredEvent(db int, key string)
	KeyMissed(db int, key []byte)
}

// SwapHooks may also be implemented by a Hooks: DBsSwapped is called once
// after Swap exchanged the contents of databases a and b, instead of
// KeyModified for every key of both.
type SwapHooks interface {
	DBsSwapped(a, b int)
}

// ModifiedFilter may also be implemented by a Hooks: Modified calls
// KeyModified (and makes the string of the key it takes) only while
// KeyModifiedWanted reports that it would do something.
type ModifiedFilter interface {
	KeyModifiedWanted() bool
}

type nopHooks struct{}

func (nopHooks) KeyModified(int, string) {}
func (nopHooks) KeyExpired(int, string)  {}

// Keyspace is the set of numbered databases.
type Keyspace struct {
	dbs    []*DB
	hooks  Hooks
	events EventHooks // hooks as EventHooks, or nil
	// modFilter is hooks as ModifiedFilter, or nil.
	modFilter ModifiedFilter
	now       int64
	// ExpireDisabled makes lookups ignore (but not delete) expired keys,
	// as a replica or a loading server does. Zero value: expire normally.
	ExpireDisabled bool
	// Expired counts keys removed because their TTL passed.
	Expired int64
	// Hits and Misses count read lookups (keyspace_hits/misses in INFO).
	Hits, Misses int64
	// Loading makes every key live whatever its TTL, as Redis does while
	// it loads a dataset: nothing expires until loading ends.
	Loading bool

	// access is the LRU/LFU state of the clock (access.go).
	access accessState

	// epoch and snap are the point-in-time snapshot state (snapshot.go).
	epoch uint32
	snap  *Snapshot

	// prefetchSink keeps what Prefetch read (prefetch.go).
	prefetchSink uintptr
}

// New returns a keyspace of n empty databases.
func New(n int) *Keyspace {
	ks := &Keyspace{hooks: nopHooks{}, epoch: 1}
	ks.dbs = make([]*DB, n)
	for i := range ks.dbs {
		ks.dbs[i] = newDB(ks, i)
	}
	return ks
}

// SetHooks installs h as the receiver of change notifications.
func (ks *Keyspace) SetHooks(h Hooks) {
	if h == nil {
		h = nopHooks{}
	}
	ks.hooks = h
	ks.events, _ = h.(EventHooks)
	ks.modFilter, _ = h.(ModifiedFilter)
}

// SetNow sets the clock, in Unix milliseconds, that expiry checks use.
func (ks *Keyspace) SetNow(ms int64) {
	ks.now = ms
	ks.access.clock(ms)
}

// Now returns the clock set by SetNow.
func (ks *Keyspace) Now() int64 { return ks.now }

// Len returns the number of databases.
func (ks *Keyspace) Len() int { return len(ks.dbs) }

// DB returns database i; i must be in range.
func (ks *Keyspace) DB(i int) *DB { return ks.dbs[i] }

// Swap exchanges the contents of databases a and b (SWAPDB). Every key of
// both databases is reported as modified.
func (ks *Keyspace) Swap(a, b int) {
	da, db := ks.dbs[a], ks.dbs[b]
	if ks.snap != nil {
		ks.snap.captureAll(da)
		ks.snap.captureAll(db)
	}
	da.keys, db.keys = db.keys, da.keys
	da.expires, db.expires = db.expires, da.expires
	da.avgTTL, db.avgTTL = db.avgTTL, da.avgTTL
	da.expireCursor, db.expireCursor = db.expireCursor, da.expireCursor
	if sh, ok := ks.hooks.(SwapHooks); ok {
		sh.DBsSwapped(a, b)
		return
	}
	for _, d := range []*DB{da, db} {
		d.keys.Range(func(k string, _ *Object) bool {
			ks.hooks.KeyModified(d.id, k)
			return true
		})
	}
}

// DB is one numbered database.
type DB struct {
	ks      *Keyspace
	id      int
	keys    *dict.Dict[*Object]
	expires *dict.Dict[int64]
	// expireCursor is where the active expiry cycle resumes.
	expireCursor uint64
	avgTTL       int64
}

func newDB(ks *Keyspace, id int) *DB {
	return &DB{ks: ks, id: id, keys: dict.New[*Object](0), expires: dict.New[int64](0)}
}

// ID returns the database number.
func (db *DB) ID() int { return db.id }

// Len returns the number of keys, including expired ones not yet removed.
func (db *DB) Len() int { return db.keys.Len() }

// ExpiresLen returns the number of keys with a TTL.
func (db *DB) ExpiresLen() int { return db.expires.Len() }

// AvgTTL returns the estimated average TTL in milliseconds (INFO keyspace).
func (db *DB) AvgTTL() int64 { return db.avgTTL }

// expireIfNeeded deletes key if its TTL passed; it reports whether the key
// is (logically) expired.
func (db *DB) expireIfNeeded(key []byte) bool {
	if db.ks.Loading {
		return false
	}
	when, ok := db.expires.GetBytes(key)
	if !ok || when > db.ks.now {
		return false
	}
	if db.ks.ExpireDisabled {
		return true
	}
	k := string(key)
	if db.ks.snap != nil {
		db.preimage(k)
	}
	db.keys.Delete(k)
	db.expires.Delete(k)
	db.ks.Expired++
	if db.ks.events != nil {
		db.ks.events.KeyExpiredEvent(db.id, k)
	}
	db.ks.hooks.KeyExpired(db.id, k)
	db.ks.hooks.KeyModified(db.id, k)
	return true
}

// Lookup returns the live value of key for reading, or nil. It counts a
// keyspace hit or miss and updates the access time.
func (db *DB) Lookup(key []byte) *Object {
	o := db.Peek(key)
	if o == nil {
		db.ks.Misses++
		if db.ks.events != nil {
			db.ks.events.KeyMissed(db.id, key)
		}
		return nil
	}
	db.ks.Hits++
	db.ks.touch(o)
	return o
}

// Peek returns the live value of key without counting a hit or touching the
// access time (OBJECT, TYPE-like introspection, EXISTS in Redis terms uses
// Lookup-for-read without stats: use Peek).
func (db *DB) Peek(key []byte) *Object {
	o := db.live(key)
	if o != nil && db.ks.snap != nil && o.Type != TypeString && o.born < db.ks.snap.epoch {
		o = db.thaw(key, o)
	}
	return o
}

// live returns the stored value of key unless it expired (Peek without
// the copy-on-access of a snapshot).
func (db *DB) live(key []byte) *Object {
	o, ok := db.keys.GetBytes(key)
	if !ok {
		return nil
	}
	if db.expires.Len() > 0 && db.expireIfNeeded(key) {
		return nil
	}
	return o
}

// LookupWrite returns the live value of key for a write, or nil. The
// returned object may be mutated in place; the caller must then call
// Modified(key).
func (db *DB) LookupWrite(key []byte) *Object {
	o := db.live(key)
	if o == nil {
		return nil
	}
	if db.ks.snap != nil && o.born < db.ks.snap.epoch {
		o = db.thaw(key, o)
	}
	db.ks.touch(o)
	return o
}

// Exists reports whether key holds a live value.
func (db *DB) Exists(key []byte) bool { return db.live(key) != nil }

// Modified reports an in-place change of key to the hooks (Redis's
// signalModifiedKey).
func (db *DB) Modified(key []byte) {
	if f := db.ks.modFilter; f != nil && !f.KeyModifiedWanted() {
		return
	}
	db.ks.hooks.KeyModified(db.id, string(key))
}

// Set stores o under key. With keepTTL false any TTL is removed.
func (db *DB) Set(key []byte, o *Object, keepTTL bool) {
	// The dict copies a new key into its entry's block and returns the
	// stored key: no separate copy of key here. The old object stays in
	// place until *p is set, so an open snapshot captures it first (a new
	// key's entry holds nil meanwhile, which preimage skips).
	p, k, added := db.keys.UpsertBytes(key)
	db.stamp(k, o)
	if added || !db.ks.access.lfu {
		db.ks.initAccess(o)
	} else if old := *p; old != o {
		// An overwrite keeps the LFU counter (Redis's dbOverwrite).
		o.lru = old.lru
	}
	*p = o
	db.afterSet(k, added, keepTTL)
}

// afterSet ends a Set of k: the TTL is dropped unless keepTTL, and the
// hooks learn of the new (added) or changed key.
func (db *DB) afterSet(k string, added, keepTTL bool) {
	if !keepTTL && db.expires.Len() > 0 {
		db.expires.Delete(k)
	}
	if added && db.ks.events != nil {
		db.ks.events.KeyCreated(db.id, k)
	}
	db.ks.hooks.KeyModified(db.id, k)
}

// Add stores o under key, which must not exist (after expiry).
func (db *DB) Add(key []byte, o *Object) {
	var k string
	var added bool
	if db.ks.snap == nil {
		var p **Object
		p, k, added = db.keys.UpsertBytes(key) // as in Set
		db.stamp(k, o)
		db.ks.initAccess(o)
		*p = o
	} else {
		k = string(key)
		db.stamp(k, o)
		db.ks.initAccess(o)
		added = db.keys.Set(k, o)
	}
	if added && db.ks.events != nil {
		db.ks.events.KeyCreated(db.id, k)
	}
	db.ks.hooks.KeyModified(db.id, k)
}

// Delete removes key and reports whether a live key was removed.
func (db *DB) Delete(key []byte) bool {
	if db.live(key) == nil {
		return false
	}
	k := string(key)
	if db.ks.snap != nil {
		db.preimage(k)
	}
	db.keys.Delete(k)
	db.expires.Delete(k)
	db.ks.hooks.KeyModified(db.id, k)
	return true
}

// Expire returns key's absolute expiry time in Unix ms, or -1 if it has none.
// The key must exist.
func (db *DB) Expire(key []byte) int64 {
	if when, ok := db.expires.GetBytes(key); ok {
		return when
	}
	return -1
}

// SetExpire sets key's absolute expiry time in Unix ms; the key must exist.
// It does not call hooks: the command that sets a TTL reports the change.
func (db *DB) SetExpire(key []byte, when int64) {
	k := string(key)
	if db.ks.snap != nil {
		db.preimage(k)
	}
	db.expires.Set(k, when)
}

// Persist removes key's TTL and reports whether it had one.
func (db *DB) Persist(key []byte) bool {
	if db.ks.snap != nil {
		db.preimage(string(key))
	}
	_, ok := db.expires.DeleteBytes(key)
	return ok
}

// Flush removes every key. Hooks are told about each key.
func (db *DB) Flush() {
	if db.keys.Len() == 0 {
		return
	}
	if db.ks.snap != nil {
		db.ks.snap.captureAll(db)
	}
	old := db.keys
	db.keys = dict.New[*Object](0)
	db.expires = dict.New[int64](0)
	db.avgTTL = 0
	old.Range(func(k string, _ *Object) bool {
		db.ks.hooks.KeyModified(db.id, k)
		return true
	})
}

// Scan visits keys like Redis's SCAN: cursor 0 starts, the returned cursor
// resumes, and 0 means done. fn sees every key present for the whole scan
// at least once; expired keys are skipped (and removed).
func (db *DB) Scan(cursor uint64, fn func(key string, o *Object)) uint64 {
	var expired []string
	next := db.keys.Scan(cursor, func(k string, o *Object) {
		if when, ok := db.expires.Get(k); ok && when <= db.ks.now {
			expired = append(expired, k)
			return
		}
		fn(k, o)
	})
	for _, k := range expired {
		db.expireIfNeeded([]byte(k))
	}
	return next
}

// Range visits every live key until fn returns false. fn must not modify
// the database.
func (db *DB) Range(fn func(key string, o *Object) bool) {
	now := db.ks.now
	db.keys.Range(func(k string, o *Object) bool {
		if db.expires.Len() > 0 {
			if when, ok := db.expires.Get(k); ok && when <= now {
				return true
			}
		}
		return fn(k, o)
	})
}

// RandomKey returns a random live key, or "" and false if there is none.
func (db *DB) RandomKey() (string, bool) {
	for tries := 0; db.keys.Len() > 0; tries++ {
		k, _, ok := db.keys.RandomEntry()
		if !ok {
			return "", false
		}
		when, has := db.expires.Get(k)
		if !has || when > db.ks.now {
			return k, true
		}
		if db.ks.ExpireDisabled {
			// Every key may be logically expired; give up after a while
			// and return it, as Redis does on replicas.
			if tries > 100 {
				return k, true
			}
			continue
		}
		db.expireIfNeeded([]byte(k))
	}
	return "", false
}

// RawGet returns the stored value of key even if it is logically expired.
func (db *DB) RawGet(key []byte) (*Object, bool) { return db.keys.GetBytes(key) }

// IsExpired reports whether key has a TTL that has passed (without
// deleting it).
func (db *DB) IsExpired(key []byte) bool {
	when, ok := db.expires.GetBytes(key)
	return ok && when <= db.ks.now
}
