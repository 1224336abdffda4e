package persist

import (
	"fmt"

	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/stream"
)

// Conversions between a stream value (package stream) and the rdb
// codec's plain form. Nodes go across as they are (master ID, master
// fields, every entry with its deleted and same-fields flags), so the
// RDB holds exactly the listpacks Redis would hold for the same stream.

func rdbID(id stream.ID) rdb.StreamID    { return rdb.StreamID{Ms: id.Ms, Seq: id.Seq} }
func streamID(id rdb.StreamID) stream.ID { return stream.ID{Ms: id.Ms, Seq: id.Seq} }

// rdbNode converts a node; the slices are shared.
func rdbNode(n *stream.Node, dst *rdb.StreamNode) {
	dst.Master = rdbID(n.Master)
	dst.MasterFields = n.MasterFields
	dst.Entries = dst.Entries[:0]
	for i := range n.Entries {
		e := &n.Entries[i]
		dst.Entries = append(dst.Entries, rdb.StreamEntry{ID: rdbID(e.ID), Deleted: e.Deleted, SameFields: e.SameFields, Fields: e.Fields})
	}
}

// streamValue returns s in the codec's form. With copyNodes the nodes are
// materialized (DUMP); otherwise they are yielded one at a time from s
// (snapshots: nothing but the node being written is copied), so s must
// not change while the result is written.
func streamValue(s *stream.Stream, copyNodes bool) *rdb.Stream {
	v := &rdb.Stream{
		Length:       s.Len(),
		LastID:       rdbID(s.LastID),
		FirstID:      rdbID(s.FirstID),
		MaxDeletedID: rdbID(s.MaxDeletedID),
		EntriesAdded: s.EntriesAdded,
	}
	if copyNodes {
		v.Nodes = make([]rdb.StreamNode, 0, s.NumNodes())
		s.Nodes(func(n *stream.Node) bool {
			v.Nodes = append(v.Nodes, rdb.StreamNode{})
			rdbNode(n, &v.Nodes[len(v.Nodes)-1])
			return true
		})
	} else {
		v.NodeCount = s.NumNodes()
		v.NodeSeq = func(yield func(*rdb.StreamNode) bool) {
			var rn rdb.StreamNode
			s.Nodes(func(n *stream.Node) bool {
				rdbNode(n, &rn)
				return yield(&rn)
			})
		}
	}
	s.Groups(func(g *stream.Group) bool {
		rg := rdb.StreamGroup{Name: []byte(g.Name()), LastID: rdbID(g.LastID), EntriesRead: g.EntriesRead}
		g.RangePending(stream.MinID, func(id stream.ID, n *stream.NACK) bool {
			rg.Pending = append(rg.Pending, rdb.StreamNACK{ID: rdbID(id), DeliveryTime: n.DeliveryTime, DeliveryCount: uint64(n.DeliveryCount)})
			return true
		})
		g.Consumers(func(c *stream.Consumer) bool {
			rc := rdb.StreamConsumer{Name: []byte(c.Name()), SeenTime: c.SeenTime}
			c.RangePending(stream.MinID, func(id stream.ID, _ *stream.NACK) bool {
				rc.Pending = append(rc.Pending, rdbID(id))
				return true
			})
			rg.Consumers = append(rg.Consumers, rc)
			return true
		})
		v.Groups = append(v.Groups, rg)
		return true
	})
	return v
}

// newStream builds a stream from its codec form (loaders, RESTORE). The
// codec validated the structure; what the stream package still refuses
// is reported as an error.
func newStream(v *rdb.Stream) (*stream.Stream, error) {
	s := stream.New()
	var raw []stream.RawEntry
	for i := range v.Nodes {
		n := &v.Nodes[i]
		raw = raw[:0]
		for j := range n.Entries {
			e := &n.Entries[j]
			raw = append(raw, stream.RawEntry{ID: streamID(e.ID), Deleted: e.Deleted, SameFields: e.SameFields, Fields: e.Fields})
		}
		if err := s.AppendNode(streamID(n.Master), n.MasterFields, raw); err != nil {
			return nil, err
		}
	}
	if s.Len() != v.Length {
		return nil, fmt.Errorf("%w: length %d, %d live entries", stream.ErrBadNode, v.Length, s.Len())
	}
	s.LastID = streamID(v.LastID)
	s.FirstID = streamID(v.FirstID)
	s.MaxDeletedID = streamID(v.MaxDeletedID)
	s.EntriesAdded = v.EntriesAdded
	for _, rg := range v.Groups {
		g := s.CreateGroup(string(rg.Name), streamID(rg.LastID), rg.EntriesRead)
		if g == nil {
			return nil, fmt.Errorf("%w: duplicate group %q", stream.ErrBadNode, rg.Name)
		}
		if rg.EstimateEntriesRead {
			g.EntriesRead = s.EstimateDistance(g.LastID)
		}
		for _, p := range rg.Pending {
			g.LoadPending(streamID(p.ID), stream.NewNACK(p.DeliveryTime, int64(p.DeliveryCount)))
		}
		for _, rc := range rg.Consumers {
			c := g.CreateConsumer(string(rc.Name), rc.SeenTime)
			if c == nil {
				return nil, fmt.Errorf("%w: duplicate consumer %q", stream.ErrBadNode, rc.Name)
			}
			for _, id := range rc.Pending {
				if !g.LoadConsumerPending(c, streamID(id)) {
					return nil, fmt.Errorf("%w: consumer entry not in the group's PEL", stream.ErrBadNode)
				}
			}
		}
	}
	return s, nil
}
