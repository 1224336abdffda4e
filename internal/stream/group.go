package stream

import "github.com/tidwall/btree"

// Group is a consumer group (Redis's streamCG): its last delivered ID,
// its read counter, its pending entries list (PEL) and its consumers.
type Group struct {
	name string
	// LastID is the last ID delivered to the group (last-delivered-id).
	LastID ID
	// EntriesRead is the group's logical read counter (entries-read), or
	// InvalidEntriesRead.
	EntriesRead int64
	pel         *btree.BTreeG[pelItem]
	consumers   btree.Map[string, *Consumer]
}

// Consumer is a consumer of a group: its name, when it was last seen and
// its own pending entries (each also in the group's PEL).
type Consumer struct {
	name string
	// SeenTime is the last time (Unix ms) the consumer was active.
	SeenTime int64
	pel      *btree.BTreeG[pelItem]
}

// NACK is a pending entry: delivered to a consumer, not yet acknowledged.
type NACK struct {
	// DeliveryTime is the last delivery time, Unix ms.
	DeliveryTime int64
	// DeliveryCount is the number of deliveries.
	DeliveryCount int64
	// Consumer owns the entry; nil only transiently (XCLAIM FORCE).
	Consumer *Consumer
}

// pelItem is one entry of a PEL tree.
type pelItem struct {
	id ID
	n  *NACK
}

func pelLess(a, b pelItem) bool { return a.id.Less(b.id) }

func newPEL() *btree.BTreeG[pelItem] {
	return btree.NewBTreeGOptions(pelLess, btree.Options{NoLocks: true})
}

// Name returns the group's name.
func (g *Group) Name() string { return g.name }

// Name returns the consumer's name.
func (c *Consumer) Name() string { return c.name }

// Group returns the group called name, or nil.
func (s *Stream) Group(name string) *Group {
	if s.groups == nil {
		return nil
	}
	g, _ := s.groups.Get(name)
	return g
}

// CreateGroup adds a group with the given last delivered ID and read
// counter; it returns nil if a group with that name exists.
func (s *Stream) CreateGroup(name string, last ID, entriesRead int64) *Group {
	if s.groups == nil {
		s.groups = new(btree.Map[string, *Group])
	}
	if _, ok := s.groups.Get(name); ok {
		return nil
	}
	g := &Group{name: name, LastID: last, EntriesRead: entriesRead, pel: newPEL()}
	s.groups.Set(name, g)
	return g
}

// DestroyGroup removes the group called name and reports whether it
// existed.
func (s *Stream) DestroyGroup(name string) bool {
	if s.groups == nil {
		return false
	}
	_, ok := s.groups.Delete(name)
	return ok
}

// NumGroups returns the number of groups.
func (s *Stream) NumGroups() int {
	if s.groups == nil {
		return 0
	}
	return s.groups.Len()
}

// HasGroupsTree reports whether the stream ever had a group (Redis creates
// its groups tree on demand; persistence formats tell the two apart).
func (s *Stream) HasGroupsTree() bool { return s.groups != nil }

// Groups calls fn for each group in name order (byte-wise, as Redis's
// radix tree) until it returns false.
func (s *Stream) Groups(fn func(g *Group) bool) {
	if s.groups == nil {
		return
	}
	s.groups.Scan(func(_ string, g *Group) bool { return fn(g) })
}

// Consumer returns the consumer called name, or nil. It does not touch
// SeenTime.
func (g *Group) Consumer(name string) *Consumer {
	c, _ := g.consumers.Get(name)
	return c
}

// CreateConsumer adds a consumer seen at now; it returns nil if one with
// that name exists.
func (g *Group) CreateConsumer(name string, now int64) *Consumer {
	if _, ok := g.consumers.Get(name); ok {
		return nil
	}
	c := &Consumer{name: name, SeenTime: now, pel: newPEL()}
	g.consumers.Set(name, c)
	return c
}

// DeleteConsumer removes c and its pending entries from the group and
// returns how many entries it had pending (streamDelConsumer).
func (g *Group) DeleteConsumer(c *Consumer) int {
	n := c.pel.Len()
	c.pel.Scan(func(it pelItem) bool {
		g.pel.Delete(it)
		return true
	})
	g.consumers.Delete(c.name)
	return n
}

// NumConsumers returns the number of consumers.
func (g *Group) NumConsumers() int { return g.consumers.Len() }

// Consumers calls fn for each consumer in name order until it returns
// false.
func (g *Group) Consumers(fn func(c *Consumer) bool) {
	g.consumers.Scan(func(_ string, c *Consumer) bool { return fn(c) })
}

// PendingLen returns the size of the group's PEL.
func (g *Group) PendingLen() int { return g.pel.Len() }

// Pending returns the group's pending entry id, or nil.
func (g *Group) Pending(id ID) *NACK {
	it, ok := g.pel.Get(pelItem{id: id})
	if !ok {
		return nil
	}
	return it.n
}

// FirstPending and LastPending return the smallest and largest pending
// IDs; ok is false when the PEL is empty.
func (g *Group) FirstPending() (ID, bool) {
	it, ok := g.pel.Min()
	return it.id, ok
}

// LastPending returns the largest pending ID (see FirstPending).
func (g *Group) LastPending() (ID, bool) {
	it, ok := g.pel.Max()
	return it.id, ok
}

// RangePending calls fn for the group's pending entries with ID >= start
// in ID order until it returns false. fn may not change the PEL.
func (g *Group) RangePending(start ID, fn func(id ID, n *NACK) bool) {
	rangePEL(g.pel, start, fn)
}

// PendingLen returns the size of the consumer's PEL.
func (c *Consumer) PendingLen() int { return c.pel.Len() }

// RangePending calls fn for the consumer's pending entries with ID >=
// start in ID order until it returns false. fn may not change the PEL.
func (c *Consumer) RangePending(start ID, fn func(id ID, n *NACK) bool) {
	rangePEL(c.pel, start, fn)
}

func rangePEL(t *btree.BTreeG[pelItem], start ID, fn func(id ID, n *NACK) bool) {
	t.Ascend(pelItem{id: start}, func(it pelItem) bool { return fn(it.id, it.n) })
}

// NextPendingAfter returns the first pending ID of the group greater than
// id; ok is false when there is none.
func (g *Group) NextPendingAfter(id ID) (next ID, ok bool) {
	nid, more := id.Next()
	if !more {
		return ID{}, false
	}
	g.pel.Ascend(pelItem{id: nid}, func(it pelItem) bool {
		next, ok = it.id, true
		return false
	})
	return next, ok
}

// Deliver records the delivery of entry id to consumer c at now, as
// XREADGROUP does: a new pending entry (delivery count 1), or, when the
// entry is pending already (after XGROUP SETID), moved to c with its
// delivery count reset to 1. It returns the pending entry.
func (g *Group) Deliver(id ID, c *Consumer, now int64) *NACK {
	if it, ok := g.pel.Get(pelItem{id: id}); ok {
		n := it.n
		if n.Consumer != nil {
			n.Consumer.pel.Delete(pelItem{id: id})
		}
		n.Consumer = c
		n.DeliveryTime = now
		n.DeliveryCount = 1
		c.pel.Set(pelItem{id, n})
		return n
	}
	n := &NACK{DeliveryTime: now, DeliveryCount: 1, Consumer: c}
	g.pel.Set(pelItem{id, n})
	c.pel.Set(pelItem{id, n})
	return n
}

// Ack removes the pending entry id from the group and its consumer and
// reports whether it was pending.
func (g *Group) Ack(id ID) bool {
	it, ok := g.pel.Delete(pelItem{id: id})
	if !ok {
		return false
	}
	if it.n.Consumer != nil {
		it.n.Consumer.pel.Delete(pelItem{id: id})
	}
	return true
}

// AddPending creates a pending entry id without an owner (XCLAIM FORCE)
// and returns it; the caller gives it an owner with Claim. It returns the
// existing entry if id is pending.
func (g *Group) AddPending(id ID, now int64) *NACK {
	if it, ok := g.pel.Get(pelItem{id: id}); ok {
		return it.n
	}
	n := &NACK{DeliveryTime: now, DeliveryCount: 1}
	g.pel.Set(pelItem{id, n})
	return n
}

// Claim makes c the owner of pending entry id (whose NACK is n), moving
// it from its previous consumer's PEL.
func (g *Group) Claim(id ID, n *NACK, c *Consumer) {
	if n.Consumer == c {
		return
	}
	if n.Consumer != nil {
		n.Consumer.pel.Delete(pelItem{id: id})
	}
	c.pel.Set(pelItem{id, n})
	n.Consumer = c
}

// Clone returns a deep copy of s: entries, counters and groups with their
// PELs and consumers (streamDup).
func (s *Stream) Clone() *Stream {
	cp := &Stream{
		nodes:        btree.NewBTreeGOptions(nodeLess, btree.Options{NoLocks: true}),
		length:       s.length,
		LastID:       s.LastID,
		FirstID:      s.FirstID,
		MaxDeletedID: s.MaxDeletedID,
		EntriesAdded: s.EntriesAdded,
	}
	s.nodes.Scan(func(it nodeItem) bool {
		n := *it.n
		n.buf = append([]byte(nil), it.n.buf...)
		n.offs = append([]uint32(nil), it.n.offs...)
		cp.nodes.Load(nodeItem{it.id, &n})
		return true
	})
	if s.groups == nil {
		return cp
	}
	cp.groups = new(btree.Map[string, *Group])
	s.groups.Scan(func(name string, g *Group) bool {
		ng := &Group{name: name, LastID: g.LastID, EntriesRead: g.EntriesRead, pel: newPEL()}
		nacks := make(map[*NACK]*NACK, g.pel.Len())
		g.pel.Scan(func(it pelItem) bool {
			n := &NACK{DeliveryTime: it.n.DeliveryTime, DeliveryCount: it.n.DeliveryCount}
			nacks[it.n] = n
			ng.pel.Load(pelItem{it.id, n})
			return true
		})
		g.consumers.Scan(func(cname string, c *Consumer) bool {
			nc := &Consumer{name: cname, SeenTime: c.SeenTime, pel: newPEL()}
			c.pel.Scan(func(it pelItem) bool {
				n := nacks[it.n]
				n.Consumer = nc
				nc.pel.Load(pelItem{it.id, n})
				return true
			})
			ng.consumers.Set(cname, nc)
			return true
		})
		cp.groups.Set(name, ng)
		return true
	})
	return cp
}
