package stream

import (
	"errors"
	"fmt"
)

// The node-level API for persistence: an RDB encoder writes each node as
// one Redis listpack (master entry, then the entries with their flags,
// deleted ones included), a loader rebuilds nodes from listpacks as they
// were, so that a round trip keeps Redis's exact layout.

// RawEntry is one entry of a node as Redis stores it.
type RawEntry struct {
	ID ID
	// Deleted marks an entry deleted by XDEL or an exact trim (a
	// tombstone still stored in its node).
	Deleted bool
	// SameFields is set when the entry has the master entry's fields
	// (Redis stores only its values then).
	SameFields bool
	// Fields are field, value, field, value … (fields included even with
	// SameFields).
	Fields [][]byte
}

// Node is one macro node: its master ID (the radix tree key), its master
// fields and its entries, deleted ones included, in ID order.
type Node struct {
	Master       ID
	MasterFields [][]byte
	Live         int64 // entries not deleted (the listpack's count)
	Deleted      int64 // entries deleted (the listpack's deleted count)
	Entries      []RawEntry
}

// Flags returns the listpack flags of e (1 deleted, 2 same fields).
func (e *RawEntry) Flags() int {
	f := 0
	if e.Deleted {
		f |= flagDeleted
	}
	if e.SameFields {
		f |= flagSameFields
	}
	return f
}

// Nodes calls fn with each node in ID order until it returns false. The
// slices in Node are fresh copies.
func (s *Stream) Nodes(fn func(n *Node) bool) {
	s.nodes.Scan(func(it nodeItem) bool {
		n := it.n
		out := &Node{Master: n.master, Live: n.live, Deleted: n.deleted}
		p := 0
		for i := 0; i < n.nfields; i++ {
			var f []byte
			f, p = readBytes(n.buf, p)
			out.MasterFields = append(out.MasterFields, append([]byte(nil), f...))
		}
		var e Entry
		out.Entries = make([]RawEntry, len(n.offs))
		for i := range n.offs {
			n.decode(i, &e)
			re := &out.Entries[i]
			re.ID, re.Deleted, re.SameFields = e.ID, e.Deleted, e.same
			re.Fields = make([][]byte, 0, 2*e.nf)
			e.Fields(func(f, v []byte) {
				re.Fields = append(re.Fields, append([]byte(nil), f...), append([]byte(nil), v...))
			})
		}
		return fn(out)
	})
}

// ErrBadNode is returned by AppendNode for a node that breaks the
// stream's invariants.
var ErrBadNode = errors.New("stream: invalid node")

// AppendNode adds a node after the existing ones (loaders add them in ID
// order). The master ID must be above every entry already stored, the
// entries (at least one) in increasing ID order, none below the master; a
// SameFields entry must have exactly the master fields. The length grows
// by the live entries; LastID, FirstID, MaxDeletedID and EntriesAdded are
// the loader's to set. The data is copied.
func (s *Stream) AppendNode(master ID, masterFields [][]byte, entries []RawEntry) error {
	if len(entries) == 0 {
		return fmt.Errorf("%w: empty node", ErrBadNode)
	}
	if t := s.tail(); t != nil && !t.lastID().Less(master) {
		return fmt.Errorf("%w: node %s overlaps the previous one", ErrBadNode, master)
	}
	if entries[0].ID.Less(master) {
		return fmt.Errorf("%w: entry %s below master ID %s", ErrBadNode, entries[0].ID, master)
	}
	fv := make([][]byte, 2*len(masterFields))
	for i, f := range masterFields {
		fv[2*i] = f
	}
	n := newNode(master, fv)
	prev := master
	for i := range entries {
		e := &entries[i]
		if len(e.Fields)%2 != 0 {
			return fmt.Errorf("%w: odd field count in %s", ErrBadNode, e.ID)
		}
		if i > 0 && !prev.Less(e.ID) {
			return fmt.Errorf("%w: entry %s out of order", ErrBadNode, e.ID)
		}
		prev = e.ID
		var flags byte
		if e.SameFields {
			if !n.sameFields(e.Fields) {
				return fmt.Errorf("%w: entry %s lacks the master fields", ErrBadNode, e.ID)
			}
			flags |= flagSameFields
		}
		n.appendEntry(e.ID, flags, e.Fields)
		if e.Deleted {
			n.buf[n.offs[len(n.offs)-1]] |= flagDeleted
			n.live--
			n.deleted++
		}
	}
	s.nodes.Set(nodeItem{master, n})
	s.length += uint64(n.live)
	return nil
}

// NewNACK returns a pending entry for loaders: they add it to the group
// with LoadPending and to its consumer with LoadConsumerPending.
func NewNACK(deliveryTime, deliveryCount int64) *NACK {
	return &NACK{DeliveryTime: deliveryTime, DeliveryCount: deliveryCount}
}

// LoadPending adds n to the group's PEL under id (loaders).
func (g *Group) LoadPending(id ID, n *NACK) { g.pel.Set(pelItem{id, n}) }

// LoadConsumerPending makes c the owner of the group's pending entry id
// (loaders); it reports false when id is not in the group's PEL.
func (g *Group) LoadConsumerPending(c *Consumer, id ID) bool {
	n := g.Pending(id)
	if n == nil {
		return false
	}
	n.Consumer = c
	c.pel.Set(pelItem{id, n})
	return true
}
