package keyspace

import (
	"github.com/redis-clone/redis-clone/internal/dict"
	"github.com/redis-clone/redis-clone/internal/kvtable"
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
	KeyCreated(db int, key []byte)
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
		d.keys.Range(func(r kvtable.Ref) bool {
			ks.hooks.KeyModified(d.id, d.keys.KeyString(r))
			return true
		})
	}
}

// DB is one numbered database.
type DB struct {
	ks      *Keyspace
	id      int
	keys    *kvtable.Table[*Object]
	expires *dict.Dict[int64]
	// expireCursor is where the active expiry cycle resumes.
	expireCursor uint64
	avgTTL       int64
}

func newDB(ks *Keyspace, id int) *DB {
	return &DB{ks: ks, id: id, keys: kvtable.New[*Object](0), expires: dict.New[int64](0)}
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
		db.preimage(key)
	}
	db.keys.Delete(key)
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
// the copy-on-access of a snapshot). An inline string becomes an object.
func (db *DB) live(key []byte) *Object {
	if r := db.liveRef(key); r != 0 {
		return db.obj(r)
	}
	return nil
}

// liveRef returns the entry of key unless it expired, or 0.
func (db *DB) liveRef(key []byte) kvtable.Ref {
	r := db.keys.Find(key)
	if r == 0 {
		return 0
	}
	if db.expires.Len() > 0 && db.expireIfNeeded(key) {
		return 0
	}
	return r
}

// LookupWrite returns the live value of key for a write, or nil. The
// returned object may be mutated in place; the caller must then call
// Modified(key).
func (db *DB) LookupWrite(key []byte) *Object {
	o := db.live(key)
	if o == nil {
		return nil
	}
	return db.forWrite(key, o)
}

// forWrite prepares key's live object o for an in-place change: a copy of
// it if an open snapshot must keep the original, and the access recorded.
func (db *DB) forWrite(key []byte, o *Object) *Object {
	if db.ks.snap != nil && o.born < db.ks.snap.epoch {
		o = db.thaw(key, o)
	}
	db.ks.touch(o)
	return o
}

// Exists reports whether key holds a live value.
func (db *DB) Exists(key []byte) bool { return db.liveRef(key) != 0 }

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
	// The old value stays in place until SetVal, so an open snapshot
	// captures it first (a new key's entry holds nil meanwhile, which
	// preimage skips).
	r, added := db.keys.Upsert(key)
	db.stamp(r, o)
	if added || !db.ks.access.lfu {
		db.ks.initAccess(o)
	} else if !db.keys.IsObject(r) {
		// An overwrite keeps the LFU counter (Redis's dbOverwrite).
		o.lru = db.keys.LRU(r)
	} else if old := db.keys.Val(r); old != o {
		o.lru = old.lru
	}
	db.keys.SetVal(r, o)
	db.afterSet(key, added, keepTTL)
}

// afterSet ends a Set of key: the TTL is dropped unless keepTTL, and the
// hooks learn of the new (added) or changed key.
func (db *DB) afterSet(key []byte, added, keepTTL bool) {
	if !keepTTL && db.expires.Len() > 0 {
		db.expires.DeleteBytes(key)
	}
	db.created(key, added)
}

// created tells the hooks of a new (added) or changed key.
func (db *DB) created(key []byte, added bool) {
	if added && db.ks.events != nil {
		db.ks.events.KeyCreated(db.id, key)
	}
	db.Modified(key)
}

// Add stores o under key, which must not exist (after expiry).
func (db *DB) Add(key []byte, o *Object) {
	r, added := db.keys.Upsert(key)
	db.stamp(r, o)
	db.ks.initAccess(o)
	db.keys.SetVal(r, o)
	db.created(key, added)
}

// Delete removes key and reports whether a live key was removed.
func (db *DB) Delete(key []byte) bool {
	if db.liveRef(key) == 0 {
		return false
	}
	if db.ks.snap != nil {
		db.preimage(key)
	}
	db.keys.Delete(key)
	db.expires.DeleteBytes(key)
	db.ks.hooks.KeyModified(db.id, string(key))
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
	if db.ks.snap != nil {
		db.preimage(key)
	}
	if p := db.expires.Ref(key); p != nil {
		*p = when
		return
	}
	db.expires.Set(string(key), when)
}

// Persist removes key's TTL and reports whether it had one.
func (db *DB) Persist(key []byte) bool {
	if db.ks.snap != nil {
		db.preimage(key)
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
	db.keys = kvtable.New[*Object](0)
	db.expires = dict.New[int64](0)
	db.avgTTL = 0
	if f := db.ks.modFilter; f != nil && !f.KeyModifiedWanted() {
		return
	}
	old.Range(func(r kvtable.Ref) bool {
		db.ks.hooks.KeyModified(db.id, old.KeyString(r))
		return true
	})
}

// Scan visits keys like Redis's SCAN: cursor 0 starts, the returned cursor
// resumes, and 0 means done. fn sees every key present for the whole scan
// at least once; expired keys are skipped (and removed).
func (db *DB) Scan(cursor uint64, fn func(key string, o *Object)) uint64 {
	var expired []string
	next := db.keys.Scan(cursor, func(r kvtable.Ref) {
		k := db.keys.KeyString(r)
		if when, ok := db.expires.Get(k); ok && when <= db.ks.now {
			expired = append(expired, k)
			return
		}
		fn(k, db.view(r))
	})
	for _, k := range expired {
		db.expireIfNeeded([]byte(k))
	}
	return next
}

// Range visits every live key until fn returns false. fn must not modify
// the database.
func (db *DB) Range(fn func(key string, o *Object) bool) {
	db.rangeLive(func(r kvtable.Ref) bool {
		return fn(db.keys.KeyString(r), db.view(r))
	})
}

// RangeKeys is Range for a caller that needs only the keys.
func (db *DB) RangeKeys(fn func(key string) bool) {
	db.rangeLive(func(r kvtable.Ref) bool { return fn(db.keys.KeyString(r)) })
}

// rangeLive calls fn for every entry whose key has not expired.
func (db *DB) rangeLive(fn func(r kvtable.Ref) bool) {
	now := db.ks.now
	db.keys.Range(func(r kvtable.Ref) bool {
		if db.expires.Len() > 0 {
			if when, ok := db.expires.GetBytes(db.keys.Key(r)); ok && when <= now {
				return true
			}
		}
		return fn(r)
	})
}

// RandomKey returns a random live key, or "" and false if there is none.
func (db *DB) RandomKey() (string, bool) {
	for tries := 0; db.keys.Len() > 0; tries++ {
		r := db.keys.RandomEntry()
		if r == 0 {
			return "", false
		}
		k := db.keys.KeyString(r)
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
func (db *DB) RawGet(key []byte) (*Object, bool) {
	if r := db.keys.Find(key); r != 0 {
		return db.obj(r), true
	}
	return nil, false
}

// IsExpired reports whether key has a TTL that has passed (without
// deleting it).
func (db *DB) IsExpired(key []byte) bool {
	when, ok := db.expires.GetBytes(key)
	return ok && when <= db.ks.now
}
