package keyspace

import "github.com/redis-clone/redis-clone/internal/set"

// Set values: an Object of TypeSet holds a *set.Set in Val. The set
// package registers nothing itself (it knows no keyspace); this file wires
// its deep copy and encoding name into the generic key commands.

func init() {
	CloneValue[TypeSet] = func(v any) any { return v.(*set.Set).Clone() }
	EncodingOf[TypeSet] = func(v any) string { return v.(*set.Set).Encoding() }
}

// NewSet returns a set object holding s.
func NewSet(s *set.Set) *Object { return &Object{Type: TypeSet, Val: s} }
