package command

import (
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// storeResult ends a *STORE command the way Redis's do: a result of n > 0
// elements (o) replaces whatever dst held, notifies event of class and
// adds dirty to the dirty counter; an empty result deletes dst instead
// (a "del" event when it existed). The reply is n.
func storeResult(ctx *core.Ctx, dst []byte, o *keyspace.Object, n int, class int, event string, dirty int) {
	if n > 0 {
		ctx.DB.Set(dst, o, false)
		ctx.Dirty(dirty)
		ctx.W.Int(int64(n))
		ctx.Notify(class, event, dst)
		return
	}
	if ctx.DB.Delete(dst) {
		ctx.Dirty(1)
		ctx.Notify(nGeneric, "del", dst)
	}
	ctx.W.Int(0)
}
