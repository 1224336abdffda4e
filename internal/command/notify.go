package command

import "github.com/redis-clone/redis-clone/internal/config"

// Short names for the keyspace notification classes handlers pass to
// Ctx.Notify (Redis's NOTIFY_* constants).
const (
	nGeneric = config.NotifyGeneric
	nString  = config.NotifyString
	nList    = config.NotifyList
	nSet     = config.NotifySet
	nHash    = config.NotifyHash
	nZSet    = config.NotifyZSet
	nStream  = config.NotifyStream
)
