package keyspace

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
