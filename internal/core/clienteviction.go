package core

import (
	"math/bits"
	"sort"
)

// Client eviction (maxmemory-clients, Redis 7.0's evictClients). The
// memory of every normal and pub/sub client is added up as Redis's
// getClientMemoryUsage counts it (ClientMemory); while the sum reaches the
// limit, the largest evictable clients are closed, logged as "Evicting
// client: …" and counted in INFO's evicted_clients. CLIENT NO-EVICT
// clients, replicas and masters are never evicted (no-evict clients still
// count in the sum, as in Redis). Clients already scheduled to be closed
// for their output buffer do not count, so the output limits take
// precedence.
//
// The check runs when a front end has read input for a client (before its
// requests run: a client whose query buffer alone passes the limit goes
// at once), after every request, when maxmemory-clients or maxmemory
// changes, and in the cron.

// ClientFixedMem is the memory of a client besides its buffers and
// lists (client structure, reply buffer): with the query buffer's first
// allocation it makes the tot-mem Redis 7.0 reports for a client that has
// just run a command (22272).
const ClientFixedMem = 22272 - QueryBufInitial

// Per-item overheads Redis 7.0 counts (64-bit sizes of its structures).
const (
	watchedKeyMem = 24 + 32 // list node + watchedKey
	patternMem    = 24      // list node
	channelMem    = 24      // dict entry (plus one pointer per slot)
	prefixMem     = 4 * 8   // rax node × pointer, as Redis multiplies
)

// minClientEvictionLimit is the smallest effective maxmemory-clients, so a
// bad setting cannot cut every connection.
const minClientEvictionLimit = 128 * 1024

func (s *Server) initClientEviction() {
	apply := func() error {
		s.EvictClients(s.current)
		return nil
	}
	s.Config.OnChange("maxmemory-clients", apply)
	s.Config.OnChange("maxmemory", apply)
	s.OnCron(s.queryBufCron)
}

// ClientEvictionLimit returns the effective maxmemory-clients in bytes, or
// 0 when client eviction is off.
func (s *Server) ClientEvictionLimit() int64 {
	var limit int64
	switch v := s.Config.MaxMemoryClients; {
	case v < 0 && s.Config.MaxMemory > 0:
		limit = int64(float64(s.Config.MaxMemory) * float64(-v) / 100)
	case v > 0:
		limit = v
	default:
		return 0
	}
	return max(limit, minClientEvictionLimit)
}

// dictSlots returns the bucket count of a Redis dict holding n entries.
func dictSlots(n int) int {
	if n == 0 {
		return 0
	}
	return 1 << bits.Len(uint(max(n, 4)-1))
}

// ClientMemOverhead returns what c's subscriptions, watched keys and
// tracking prefixes add to its memory (part of CLIENT LIST tot-mem).
func (s *Server) ClientMemOverhead(c *Client) int {
	mem := len(c.Watched) * watchedKeyMem
	if c.pubsub != nil {
		mem += len(c.pubsub.patterns) * patternMem
		for _, m := range c.pubsub.channels {
			mem += len(m)*channelMem + dictSlots(len(m))*8
		}
	}
	if c.tracking != nil {
		mem += len(c.tracking.prefixes) * prefixMem
	}
	return mem
}

// multiMem returns the bytes of c's queued transaction (CLIENT LIST
// multi-mem).
func multiMem(c *Client) int {
	n := 0
	if c.Multi != nil {
		for _, q := range c.Multi.Queue {
			for _, a := range q {
				n += len(a)
			}
		}
	}
	return n
}

// clientMemory returns c's memory for client eviction: CLIENT LIST's
// tot-mem without the running command's arguments. lockOut says whether
// c.OutMu must be taken to read its output.
func (s *Server) clientMemory(c *Client, lockOut bool) int {
	if lockOut {
		c.OutMu.Lock()
	}
	_, _, omem := c.ClientOutput(true)
	if lockOut {
		c.OutMu.Unlock()
	}
	return ClientFixedMem + c.QueryBufAlloc() + multiMem(c) + omem + s.ClientMemOverhead(c)
}

// evictionCounted reports whether c's memory counts for client eviction
// (normal and pub/sub clients not already being closed).
func evictionCounted(c *Client) bool {
	return !c.Closed && !c.diag.closeASAP && c.Kind != KindReplica && c.Kind != KindMaster
}

// EvictClients closes the largest evictable clients while the clients'
// memory reaches maxmemory-clients. self is the client whose front end
// read input (its OutMu may be held), or nil. It reports whether self was
// evicted: its connection must then be closed without a reply. The caller
// owns the data.
func (s *Server) EvictClients(self *Client) bool {
	limit := s.ClientEvictionLimit()
	if limit == 0 {
		return false
	}
	type sized struct {
		c   *Client
		mem int
	}
	var total int64
	var cands []sized
	for _, c := range s.clients {
		if !evictionCounted(c) {
			continue
		}
		mem := s.clientMemory(c, c != self)
		total += int64(mem)
		if !c.NoEvict {
			cands = append(cands, sized{c, mem})
		}
	}
	if total < limit {
		return false
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].mem > cands[j].mem })
	evictedSelf := false
	for _, e := range cands {
		if total < limit {
			break
		}
		total -= int64(e.mem)
		info := ""
		if ClientInfo != nil {
			info = ClientInfo(s, e.c)
		}
		s.Log.Info("Evicting client: " + info)
		s.Stats.EvictedClients++
		if e.c == self {
			// No reply for it: the front end closes it.
			e.c.Out.Reset()
			e.c.CloseAfterReply = true
			s.RemoveClient(e.c)
			evictedSelf = evictedSelf || e.c == self
			continue
		}
		s.RemoveClient(e.c)
		e.c.Conn.Close()
	}
	return evictedSelf
}
