package keyspace

import "github.com/redis-clone/redis-clone/internal/zset"

// Sorted set values: an Object of TypeZSet holds a *zset.ZSet in Val. The
// zset package knows no keyspace; this file wires its deep copy and
// encoding name ("listpack" or "skiplist") into the generic key commands.

func init() {
	CloneValue[TypeZSet] = func(v any) any { return v.(*zset.ZSet).Clone() }
	EncodingOf[TypeZSet] = func(v any) string { return v.(*zset.ZSet).Encoding() }
}

// NewZSet returns a sorted set object holding z.
func NewZSet(z *zset.ZSet) *Object { return &Object{Type: TypeZSet, Val: z} }
