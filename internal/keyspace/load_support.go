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
	if db.ks.snap != nil {
		// An open snapshot captures what a key replaces before the table
		// changes (stamp): take the general path.
		if _, dup := db.keys.GetBytes(key); dup {
			return false
		}
		db.Add(key, o)
		return true
	}
	k := string(key)
	p, added := db.keys.Upsert(k)
	if !added {
		return false
	}
	*p = o
	db.stamp(k, o)
	db.ks.initAccess(o)
	if db.ks.events != nil {
		db.ks.events.KeyCreated(db.id, k)
	}
	db.ks.hooks.KeyModified(db.id, k)
	return true
}
