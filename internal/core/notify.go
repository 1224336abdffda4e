package core

import (
	"strconv"

	"github.com/redis-clone/redis-clone/internal/config"
)

// Keyspace notifications, after Redis's notify.c: when
// notify-keyspace-events enables an event's class, the event is published
// as __keyspace@<db>__:<key> → event (class K) and
// __keyevent@<db>__:<event> → key (class E) through Publish, so channel
// and pattern subscribers of either protocol receive it.
//
// Handlers call Ctx.Notify where Redis calls notifyKeyspaceEvent, with
// Redis's event names and classes (config.Notify*). Key creation ("new")
// and expiry ("expired") are reported by the keyspace hooks below.

// Notify publishes the keyspace event of the given class (a config.Notify*
// bit) for key in the client's selected database. It costs one test when
// the class is disabled.
func (c *Ctx) Notify(class int, event string, key []byte) {
	if c.Srv.Config.NotifyKeyspaceFlags&class == 0 {
		return
	}
	c.Srv.publishEvent(class, event, key, c.DB.ID())
}

// NotifyDB publishes a keyspace event for key in database db (expiry,
// eviction and other events with no calling client).
func (s *Server) NotifyDB(class int, event string, key []byte, db int) {
	if s.Config.NotifyKeyspaceFlags&class == 0 {
		return
	}
	s.publishEvent(class, event, key, db)
}

// NotifyEnabled reports whether events of class would be published, for
// callers that want to skip preparing them.
func (s *Server) NotifyEnabled(class int) bool {
	return s.Config.NotifyKeyspaceFlags&class != 0
}

func (s *Server) publishEvent(class int, event string, key []byte, db int) {
	flags := s.Config.NotifyKeyspaceFlags
	if flags&(config.NotifyKeyspace|config.NotifyKeyevent) == 0 || s.pubsub == nil {
		return
	}
	var buf [48]byte
	if flags&config.NotifyKeyspace != 0 {
		ch := append(buf[:0], "__keyspace@"...)
		ch = strconv.AppendInt(ch, int64(db), 10)
		ch = append(ch, "__:"...)
		ch = append(ch, key...)
		s.Publish(PubSubGlobal, ch, []byte(event))
	}
	if flags&config.NotifyKeyevent != 0 {
		ch := append(buf[:0], "__keyevent@"...)
		ch = strconv.AppendInt(ch, int64(db), 10)
		ch = append(ch, "__:"...)
		ch = append(ch, event...)
		s.Publish(PubSubGlobal, ch, key)
	}
}

// KeyCreated implements keyspace.EventHooks: a key was added to a
// database (Redis's dbAdd), the "new" event.
func (h hooks) KeyCreated(db int, key []byte) {
	// A dataset being loaded creates keys silently, as Redis's
	// dbAddRDBLoad.
	if h.s.Config.NotifyKeyspaceFlags&config.NotifyNew != 0 && !h.s.KS.Loading {
		h.s.publishEvent(config.NotifyNew, "new", key, db)
	}
}

// KeyExpiredEvent implements keyspace.EventHooks: key was removed because
// its TTL passed (lazily or by the active cycle), the "expired" event.
func (h hooks) KeyExpiredEvent(db int, key string) {
	if h.s.Config.NotifyKeyspaceFlags&config.NotifyExpired != 0 {
		h.s.publishEvent(config.NotifyExpired, "expired", []byte(key), db)
	}
}

// KeyMissed implements keyspace.EventHooks: a read lookup found no key,
// the "keymiss" event.
func (h hooks) KeyMissed(db int, key []byte) {
	if h.s.Config.NotifyKeyspaceFlags&config.NotifyKeyMiss != 0 {
		h.s.publishEvent(config.NotifyKeyMiss, "keymiss", key, db)
	}
}
