package keyspace

// PeekReadOnly returns the live value of key, or nil, without the
// copy-on-write copy Peek makes while a snapshot holds the value: the
// caller only inspects it (UNLINK measuring its free effort) and must not
// keep or modify it.
func (db *DB) PeekReadOnly(key []byte) *Object { return db.live(key) }
