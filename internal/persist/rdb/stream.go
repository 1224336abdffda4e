package rdb

import (
	"encoding/binary"
	"fmt"
	"iter"

	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// Streams (RDB_TYPE_STREAM_LISTPACKS_2 as Redis 7.0 writes them; the
// older RDB_TYPE_STREAM_LISTPACKS is read too). The value is, in order:
//
//   - the number of macro nodes, then per node its master ID (a 16-byte
//     string: ms and seq, big endian, the radix tree key) and its listpack
//     (a string);
//   - the length, the last ID (ms, seq), and in the _2 type the first ID,
//     the largest deleted ID and the entries-added counter (lengths);
//   - the number of consumer groups, then per group its name, last
//     delivered ID (ms, seq), in the _2 type its entries-read counter (a
//     length; -1 as a 64-bit length when unknown), its PEL (count, then per
//     entry the raw 16-byte ID, the delivery time as 8 bytes little endian
//     and the delivery count), its consumers (count, then per consumer its
//     name, seen time as 8 bytes little endian and its own PEL: count and
//     raw IDs, each of which must be in the group's PEL).
//
// A node's listpack (t_stream.c) starts with the master entry: the count
// of live entries, the count of deleted ones, the number of master fields,
// the master fields, and a 0. Each entry follows: flags (1 deleted, 2 same
// fields as the master), the ms and seq differences from the master ID,
// then either the values only (same fields) or the field count and the
// field/value pairs, and last the entry's element count (lp-count).

// Stream entry flags in a node listpack (STREAM_ITEM_FLAG_*).
const (
	streamFlagDeleted    = 1
	streamFlagSameFields = 2
)

// StreamID is a stream entry ID.
type StreamID struct{ Ms, Seq uint64 }

// less reports whether a sorts before b.
func (a StreamID) less(b StreamID) bool { return a.Ms < b.Ms || (a.Ms == b.Ms && a.Seq < b.Seq) }

// appendRaw appends the 16-byte big-endian form of id (the radix tree key).
func (a StreamID) appendRaw(dst []byte) []byte {
	dst = binary.BigEndian.AppendUint64(dst, a.Ms)
	return binary.BigEndian.AppendUint64(dst, a.Seq)
}

func rawStreamID(b []byte) StreamID {
	return StreamID{binary.BigEndian.Uint64(b), binary.BigEndian.Uint64(b[8:])}
}

// StreamEntry is one entry of a stream node, deleted ones included.
type StreamEntry struct {
	ID StreamID
	// Deleted marks an entry deleted by XDEL or a trim but still stored.
	Deleted bool
	// SameFields is set when the entry has exactly the master fields
	// (the listpack then holds only its values).
	SameFields bool
	// Fields are field, value, field, value … (with SameFields too).
	Fields [][]byte
}

// StreamNode is one macro node of a stream (one listpack).
type StreamNode struct {
	Master       StreamID
	MasterFields [][]byte
	Entries      []StreamEntry
}

// StreamNACK is one entry of a consumer group's PEL.
type StreamNACK struct {
	ID            StreamID
	DeliveryTime  int64
	DeliveryCount uint64
}

// StreamConsumer is one consumer of a group with its own pending IDs
// (each also in the group's PEL).
type StreamConsumer struct {
	Name     []byte
	SeenTime int64
	Pending  []StreamID
}

// StreamGroup is a consumer group.
type StreamGroup struct {
	Name   []byte
	LastID StreamID
	// EntriesRead is the group's read counter, -1 when unknown.
	EntriesRead int64
	// EstimateEntriesRead is set by the loader for the old stream type,
	// which has no counter: the caller computes it from the stream as
	// Redis does (streamEstimateDistanceFromFirstEverEntry).
	EstimateEntriesRead bool
	Pending             []StreamNACK
	Consumers           []StreamConsumer
}

// Stream is a stream value in plain form.
type Stream struct {
	Length                        uint64
	LastID, FirstID, MaxDeletedID StreamID
	EntriesAdded                  uint64
	// Nodes are the macro nodes in master ID order (filled by the loader).
	Nodes []StreamNode
	// NodeSeq, when set, is written instead of Nodes: it yields NodeCount
	// nodes in order, each only valid during the yield, so that a big
	// stream is written without being copied whole.
	NodeSeq   iter.Seq[*StreamNode]
	NodeCount int
	Groups    []StreamGroup
}

// Stream writes a stream as RDB_TYPE_STREAM_LISTPACKS_2, byte for byte as
// Redis 7.0 writes the same stream.
func (w *Writer) Stream(key []byte, s *Stream, expireMs int64) error {
	if err := w.begin(typeStreamListpacks2, key, expireMs); err != nil {
		return err
	}
	nodes, seq := len(s.Nodes), s.NodeSeq
	if seq != nil {
		nodes = s.NodeCount
	} else {
		seq = func(yield func(*StreamNode) bool) {
			for i := range s.Nodes {
				if !yield(&s.Nodes[i]) {
					return
				}
			}
		}
	}
	w.buf = appendLen(w.buf, uint64(nodes))
	count := 0
	var raw [16]byte
	for n := range seq {
		if count++; count > nodes {
			break
		}
		if err := w.streamNode(key, n, &raw); err != nil {
			return err
		}
	}
	if count != nodes {
		return w.fail(errCount("stream", key, nodes, count))
	}
	for _, v := range []uint64{s.Length, s.LastID.Ms, s.LastID.Seq, s.FirstID.Ms, s.FirstID.Seq,
		s.MaxDeletedID.Ms, s.MaxDeletedID.Seq, s.EntriesAdded, uint64(len(s.Groups))} {
		w.buf = appendLen(w.buf, v)
	}
	for i := range s.Groups {
		g := &s.Groups[i]
		if err := w.putString(g.Name); err != nil {
			return err
		}
		w.buf = appendLen(w.buf, g.LastID.Ms)
		w.buf = appendLen(w.buf, g.LastID.Seq)
		w.buf = appendLen(w.buf, uint64(g.EntriesRead))
		w.buf = appendLen(w.buf, uint64(len(g.Pending)))
		for _, p := range g.Pending {
			w.buf = p.ID.appendRaw(w.buf)
			w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(p.DeliveryTime))
			w.buf = appendLen(w.buf, p.DeliveryCount)
			if err := w.maybeFlush(); err != nil {
				return err
			}
		}
		w.buf = appendLen(w.buf, uint64(len(g.Consumers)))
		for _, c := range g.Consumers {
			if err := w.putString(c.Name); err != nil {
				return err
			}
			w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(c.SeenTime))
			w.buf = appendLen(w.buf, uint64(len(c.Pending)))
			for _, id := range c.Pending {
				w.buf = id.appendRaw(w.buf)
				if err := w.maybeFlush(); err != nil {
					return err
				}
			}
		}
	}
	return w.maybeFlush()
}

// streamNode writes one node: its key and its listpack.
func (w *Writer) streamNode(key []byte, n *StreamNode, raw *[16]byte) error {
	if len(n.Entries) == 0 {
		return w.fail(fmt.Errorf("rdb: stream %q has an empty node", key))
	}
	var live, deleted int64
	for i := range n.Entries {
		if n.Entries[i].Deleted {
			deleted++
		} else {
			live++
		}
	}
	lp := &w.lp
	lp.reset()
	lp.appendInt(live)
	lp.appendInt(deleted)
	lp.appendInt(int64(len(n.MasterFields)))
	for _, f := range n.MasterFields {
		lp.appendString(f)
	}
	lp.appendInt(0)
	for i := range n.Entries {
		e := &n.Entries[i]
		if len(e.Fields)%2 != 0 || e.SameFields && len(e.Fields) != 2*len(n.MasterFields) {
			return w.fail(fmt.Errorf("rdb: stream %q: bad fields in entry %d-%d", key, e.ID.Ms, e.ID.Seq))
		}
		flags := int64(0)
		if e.Deleted {
			flags |= streamFlagDeleted
		}
		if e.SameFields {
			flags |= streamFlagSameFields
		}
		nf := int64(len(e.Fields) / 2)
		lp.appendInt(flags)
		lp.appendInt(int64(e.ID.Ms - n.Master.Ms))
		lp.appendInt(int64(e.ID.Seq - n.Master.Seq))
		if e.SameFields {
			for j := 1; j < len(e.Fields); j += 2 {
				lp.appendString(e.Fields[j])
			}
			lp.appendInt(nf + 3)
		} else {
			lp.appendInt(nf)
			for _, f := range e.Fields {
				lp.appendString(f)
			}
			lp.appendInt(2*nf + 4)
		}
	}
	if err := w.putString(n.Master.appendRaw(raw[:0])); err != nil {
		return err
	}
	return w.putString(lp.finish())
}

// streamItemInt reads a listpack item that must be an integer (an
// integer encoding, or a string holding one: lpGetIntegerIfValid).
func streamItemInt(it lpItem) (int64, bool) {
	if it.isInt {
		return it.v, true
	}
	return numfmt.ParseInt(it.s)
}

// errStream is the error for an invalid stream listpack.
func errStream(detail string) error {
	return errCorrupt("Stream listpack integrity check failed: " + detail)
}

// readStreamNode decodes and validates a node listpack like
// streamValidateListpackIntegrity with deep checks, and more: the flags
// must agree with the live and deleted counts, and entry IDs must be
// increasing from the master ID.
func (d *decoder) readStreamNode(master StreamID, lp []byte) (StreamNode, error) {
	var items []lpItem
	if err := walkListpack(lp, func(it lpItem) error {
		items = append(items, it)
		return nil
	}); err != nil {
		return StreamNode{}, err
	}
	if len(items) == 0 {
		return StreamNode{}, errCorrupt("Empty listpack inside stream")
	}
	p := 0
	nextInt := func() (int64, error) {
		if p >= len(items) {
			return 0, errStream("truncated entry")
		}
		v, ok := streamItemInt(items[p])
		if !ok {
			return 0, errStream("integer expected")
		}
		p++
		return v, nil
	}
	nextBytes := func() ([]byte, error) {
		if p >= len(items) {
			return nil, errStream("truncated entry")
		}
		b := d.itemBytes(items[p])
		p++
		return b, nil
	}
	live, err := nextInt()
	if err != nil {
		return StreamNode{}, err
	}
	deleted, err := nextInt()
	if err != nil {
		return StreamNode{}, err
	}
	nmf, err := nextInt()
	if err != nil {
		return StreamNode{}, err
	}
	if live < 0 || deleted < 0 || nmf < 0 || nmf > int64(len(items)) || live+deleted > int64(len(items)) {
		return StreamNode{}, errStream("bad master entry")
	}
	n := StreamNode{Master: master, MasterFields: make([][]byte, nmf)}
	for i := range n.MasterFields {
		if n.MasterFields[i], err = nextBytes(); err != nil {
			return StreamNode{}, err
		}
	}
	if z, err := nextInt(); err != nil || z != 0 {
		return StreamNode{}, errStream("bad master entry terminator")
	}
	if live == 0 {
		// Redis removes a node with its last live entry.
		return StreamNode{}, errCorrupt("Stream node without live entries")
	}
	n.Entries = make([]StreamEntry, live+deleted)
	var gotLive int64
	prev := master
	for i := range n.Entries {
		e := &n.Entries[i]
		flags, err := nextInt()
		if err != nil {
			return StreamNode{}, err
		}
		msd, err := nextInt()
		if err != nil {
			return StreamNode{}, err
		}
		seqd, err := nextInt()
		if err != nil {
			return StreamNode{}, err
		}
		if flags&^(streamFlagDeleted|streamFlagSameFields) != 0 {
			return StreamNode{}, errStream("bad entry flags")
		}
		e.ID = StreamID{master.Ms + uint64(msd), master.Seq + uint64(seqd)}
		if e.ID.less(master) || i > 0 && !prev.less(e.ID) {
			return StreamNode{}, errStream("entry IDs out of order")
		}
		prev = e.ID
		e.Deleted = flags&streamFlagDeleted != 0
		e.SameFields = flags&streamFlagSameFields != 0
		if !e.Deleted {
			gotLive++
		}
		nf, extra := nmf, int64(3)
		if e.SameFields {
			e.Fields = make([][]byte, 0, 2*nf)
			for j := int64(0); j < nf; j++ {
				v, err := nextBytes()
				if err != nil {
					return StreamNode{}, err
				}
				e.Fields = append(e.Fields, n.MasterFields[j], v)
			}
		} else {
			if nf, err = nextInt(); err != nil {
				return StreamNode{}, err
			}
			if nf < 0 || 2*nf > int64(len(items)-p) {
				return StreamNode{}, errStream("bad field count")
			}
			extra += nf + 1
			e.Fields = make([][]byte, 2*nf)
			for j := range e.Fields {
				if e.Fields[j], err = nextBytes(); err != nil {
					return StreamNode{}, err
				}
			}
		}
		if c, err := nextInt(); err != nil || c != nf+extra {
			return StreamNode{}, errStream("bad lp-count")
		}
	}
	if p != len(items) {
		return StreamNode{}, errStream("trailing elements")
	}
	if gotLive != live {
		return StreamNode{}, errStream("live count mismatch")
	}
	return n, nil
}

// readStreamID reads an ID stored as two lengths.
func (d *decoder) readStreamID() (StreamID, error) {
	ms, err := d.r.readPlainLen()
	if err != nil {
		return StreamID{}, err
	}
	seq, err := d.r.readPlainLen()
	return StreamID{ms, seq}, err
}

// readRawStreamID reads a 16-byte raw ID.
func (d *decoder) readRawStreamID() (StreamID, error) {
	b, err := d.r.next(16)
	if err != nil {
		return StreamID{}, err
	}
	return rawStreamID(b), nil
}

// readMsTime reads an 8-byte little-endian millisecond time.
func (d *decoder) readMsTime() (int64, error) {
	b, err := d.r.next(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(b)), nil
}

// readStream decodes a stream of type t (rdbLoadObject), validating it as
// Redis does with deep sanitization and beyond (the stream must be one the
// server can hold: consistent length, ordered nodes, every pending entry
// owned by exactly one consumer).
func (d *decoder) readStream(t int) (Value, error) {
	nodes, err := d.r.readPlainLen()
	if err != nil {
		return Value{}, err
	}
	s := &Stream{Nodes: make([]StreamNode, 0, d.capHint(nodes))}
	var live uint64
	for ; nodes > 0; nodes-- {
		k, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		if len(k) != 16 {
			return Value{}, errCorrupt("Stream node key entry is not the size of a stream ID")
		}
		lp, err := d.readString()
		if err != nil {
			return Value{}, err
		}
		n, err := d.readStreamNode(rawStreamID(k), lp)
		if err != nil {
			return Value{}, err
		}
		if l := len(s.Nodes); l > 0 {
			last := s.Nodes[l-1]
			if !last.Entries[len(last.Entries)-1].ID.less(n.Master) {
				if last.Master == n.Master {
					return Value{}, errCorrupt("Listpack re-added with existing key")
				}
				return Value{}, errCorrupt("Stream nodes overlap or are out of order")
			}
		}
		for i := range n.Entries {
			if !n.Entries[i].Deleted {
				live++
			}
		}
		s.Nodes = append(s.Nodes, n)
	}
	if s.Length, err = d.r.readPlainLen(); err != nil {
		return Value{}, err
	}
	if s.LastID, err = d.readStreamID(); err != nil {
		return Value{}, err
	}
	v2 := t == typeStreamListpacks2
	if v2 {
		if s.FirstID, err = d.readStreamID(); err != nil {
			return Value{}, err
		}
		if s.MaxDeletedID, err = d.readStreamID(); err != nil {
			return Value{}, err
		}
		if s.EntriesAdded, err = d.r.readPlainLen(); err != nil {
			return Value{}, err
		}
	} else {
		// streamGetEdgeID(s,1,1,...): the first live entry.
		s.EntriesAdded = s.Length
	first:
		for _, n := range s.Nodes {
			for _, e := range n.Entries {
				if !e.Deleted {
					s.FirstID = e.ID
					break first
				}
			}
		}
	}
	if s.Length != live {
		return Value{}, errCorrupt("Stream length inconsistent with rax entries")
	}
	if l := len(s.Nodes); l > 0 {
		last := s.Nodes[l-1]
		if s.LastID.less(last.Entries[len(last.Entries)-1].ID) {
			return Value{}, errCorrupt("Stream last ID below its last entry")
		}
	}
	ngroups, err := d.r.readPlainLen()
	if err != nil {
		return Value{}, err
	}
	s.Groups = make([]StreamGroup, 0, d.capHint(ngroups))
	names := map[string]bool{}
	for ; ngroups > 0; ngroups-- {
		g, err := d.readStreamGroup(v2)
		if err != nil {
			return Value{}, err
		}
		if names[string(g.Name)] {
			return Value{}, errCorrupt(fmt.Sprintf("Duplicated consumer group name %s", g.Name))
		}
		names[string(g.Name)] = true
		s.Groups = append(s.Groups, g)
	}
	return Value{Kind: KindStream, Stream: s}, nil
}

// readStreamGroup reads one consumer group with its PEL and consumers.
func (d *decoder) readStreamGroup(v2 bool) (StreamGroup, error) {
	var g StreamGroup
	var err error
	if g.Name, err = d.readString(); err != nil {
		return g, err
	}
	if g.LastID, err = d.readStreamID(); err != nil {
		return g, err
	}
	if v2 {
		er, err := d.r.readPlainLen()
		if err != nil {
			return g, err
		}
		g.EntriesRead = int64(er)
	} else {
		g.EntriesRead, g.EstimateEntriesRead = -1, true
	}
	npel, err := d.r.readPlainLen()
	if err != nil {
		return g, err
	}
	g.Pending = make([]StreamNACK, 0, d.capHint(npel))
	owner := map[StreamID]bool{} // pending ID → owned by a consumer yet
	for ; npel > 0; npel-- {
		var p StreamNACK
		if p.ID, err = d.readRawStreamID(); err != nil {
			return g, err
		}
		if p.DeliveryTime, err = d.readMsTime(); err != nil {
			return g, err
		}
		if p.DeliveryCount, err = d.r.readPlainLen(); err != nil {
			return g, err
		}
		if _, dup := owner[p.ID]; dup {
			return g, errCorrupt("Duplicated global PEL entry loading stream consumer group")
		}
		owner[p.ID] = false
		g.Pending = append(g.Pending, p)
	}
	ncons, err := d.r.readPlainLen()
	if err != nil {
		return g, err
	}
	g.Consumers = make([]StreamConsumer, 0, d.capHint(ncons))
	cnames := map[string]bool{}
	for ; ncons > 0; ncons-- {
		var c StreamConsumer
		if c.Name, err = d.readString(); err != nil {
			return g, err
		}
		if cnames[string(c.Name)] {
			return g, errCorrupt("Duplicate stream consumer detected.")
		}
		cnames[string(c.Name)] = true
		if c.SeenTime, err = d.readMsTime(); err != nil {
			return g, err
		}
		n, err := d.r.readPlainLen()
		if err != nil {
			return g, err
		}
		c.Pending = make([]StreamID, 0, d.capHint(n))
		for ; n > 0; n-- {
			id, err := d.readRawStreamID()
			if err != nil {
				return g, err
			}
			owned, ok := owner[id]
			if !ok {
				return g, errCorrupt("Consumer entry not found in group global PEL")
			}
			if owned {
				return g, errCorrupt("Stream consumer PEL entry already has a consumer assigned")
			}
			owner[id] = true
			c.Pending = append(c.Pending, id)
		}
		g.Consumers = append(g.Consumers, c)
	}
	for _, owned := range owner {
		if !owned {
			return g, errCorrupt("Stream CG PEL entry without consumer")
		}
	}
	return g, nil
}
