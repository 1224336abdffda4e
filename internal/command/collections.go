package command

import (
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// removeMembers is the shared tail of HDEL, SREM and ZREM: it removes each
// of members with remove, deletes key once the collection is empty (Redis
// never keeps an empty collection), then reports the change (Modified or
// the deletion, the type's event, a "del" event when the key went, dirty)
// and replies the number removed.
func removeMembers(ctx *core.Ctx, key []byte, members [][]byte, remove func([]byte) bool, size func() int, class int, event string) {
	deleted, removed := 0, false
	for _, m := range members {
		if remove(m) {
			deleted++
			if size() == 0 {
				ctx.DB.Delete(key)
				removed = true
				break
			}
		}
	}
	if deleted > 0 {
		if !removed {
			ctx.DB.Modified(key)
		}
		ctx.Notify(class, event, key)
		if removed {
			ctx.Notify(nGeneric, "del", key)
		}
		ctx.Dirty(deleted)
	}
	ctx.W.Int(int64(deleted))
}

// readTyped looks key up for reading a collection of type typ: (zero,
// true) when the key does not exist, (zero, false) after replying
// WRONGTYPE, else its value.
func readTyped[T any](ctx *core.Ctx, key []byte, typ keyspace.Type) (T, bool) {
	var zero T
	o := ctx.DB.Lookup(key)
	if o == nil {
		return zero, true
	}
	if o.Type != typ {
		ctx.WrongType()
		return zero, false
	}
	return o.Val.(T), true
}
