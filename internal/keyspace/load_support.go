package keyspace

// Reserve sizes the key and expiry tables of db for keys and expires
// entries, as Redis does on an RDB's RESIZEDB hint while loading: the
// keys then go in without growing the tables step by step.
func (db *DB) Reserve(keys, expires int) {
	db.keys.Expand(keys)
	db.expires.Expand(expires)
}
