package keyspace

import "github.com/redis-clone/redis-clone/internal/hash"

// Hash values: an Object of TypeHash holds a *hash.Hash in Val. The hash
// package knows no keyspace; this file wires its deep copy and encoding
// name into the generic key commands (COPY, OBJECT ENCODING).

func init() {
	CloneValue[TypeHash] = func(v any) any { return v.(*hash.Hash).Clone() }
	EncodingOf[TypeHash] = func(v any) string { return v.(*hash.Hash).Encoding() }
}

// NewHash returns a hash object holding h.
func NewHash(h *hash.Hash) *Object { return &Object{Type: TypeHash, Val: h} }
