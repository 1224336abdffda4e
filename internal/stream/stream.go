package stream

import (
	"encoding/binary"
	"errors"
	"github.com/redis-clone/redis-clone/internal/listpack"

	"github.com/tidwall/btree"
)

// Entry flags, as in Redis's listpack entries.
const (
	flagDeleted    = 1 << 0 // STREAM_ITEM_FLAG_DELETED
	flagSameFields = 1 << 1 // STREAM_ITEM_FLAG_SAMEFIELDS
)

// listpackMaxSize is STREAM_LISTPACK_MAX_SIZE: no node grows past it and
// no entry may carry more bytes of fields and values.
const listpackMaxSize = 1 << 30

// Errors of Append.
var (
	// ErrIDNotGreater: the ID is equal or smaller than the stream's last
	// ID (Redis's EDOM case).
	ErrIDNotGreater = errors.New("stream: ID equal or smaller than the last ID")
	// ErrTooLarge: the fields and values together exceed 1 GB, or an
	// "<ms>-*" ID would overflow the sequence (Redis's other failures,
	// both reported as "Elements are too large to be stored").
	ErrTooLarge = errors.New("stream: elements too large")
)

// Limits are the node size limits Append obeys (stream-node-max-bytes and
// stream-node-max-entries); zero means unlimited.
type Limits struct {
	MaxBytes   int64
	MaxEntries int64
}

// Stream is a stream value: entries ordered by ID in macro nodes (Redis's
// radix tree of listpacks), plus the stream's counters and its consumer
// groups. The zero value is not usable; call New.
type Stream struct {
	nodes  *btree.BTreeG[nodeItem]
	length uint64

	// LastID is the last generated ID (last-generated-id), zero while no
	// entry was ever added or set by XSETID.
	LastID ID
	// FirstID is the first live entry's ID (recorded-first-entry-id),
	// zero when the stream is empty.
	FirstID ID
	// MaxDeletedID is the largest ID ever deleted (max-deleted-entry-id).
	MaxDeletedID ID
	// EntriesAdded counts every entry ever added (entries-added).
	EntriesAdded uint64

	groups  *btree.Map[string, *Group]
	signals uint64
}

// node is one macro node: the entries of one Redis listpack, in a compact
// byte form. buf holds the master fields (uvarint length and bytes each)
// followed by the entries; an entry is its flags byte, the uvarint
// differences of its ms and seq from the master ID (the seq difference
// wraps as in Redis), the uvarint field count unless it has the master's
// fields, then its fields and values (only values with the master's
// fields), each as uvarint length and bytes. Deleted entries stay, marked,
// until the whole node goes.
type node struct {
	master  ID
	buf     []byte
	offs    []uint32 // offset of every entry (deleted ones included)
	nfields int      // number of master fields
	live    int64    // entries not deleted
	deleted int64    // entries marked deleted
	fixed   int      // Redis listpack size without the two counters
}

// nodeItem is a node in the tree, keyed by its master ID.
type nodeItem struct {
	id ID
	n  *node
}

func nodeLess(a, b nodeItem) bool { return a.id.Less(b.id) }

// New returns an empty stream.
func New() *Stream {
	return &Stream{nodes: btree.NewBTreeGOptions(nodeLess, btree.Options{NoLocks: true})}
}

// Len returns the number of live entries (XLEN).
func (s *Stream) Len() uint64 { return s.length }

// NumNodes returns the number of macro nodes (radix-tree-keys).
func (s *Stream) NumNodes() int { return s.nodes.Len() }

// Signal records an event that wakes clients blocked on the stream (Redis
// signals blocked readers on XADD and XGROUP DESTROY, not on other
// writes); Signals returns the count of such events.
func (s *Stream) Signal() { s.signals++ }

// Signals returns the number of Signal calls (see Signal).
func (s *Stream) Signals() uint64 { return s.signals }

// lpBytes returns the size of the listpack Redis would hold for n.
func (n *node) lpBytes() int { return n.fixed + listpack.IntSize(n.live) + listpack.IntSize(n.deleted) }

// Entry is one entry seen during an iteration. It aliases the stream's
// memory: valid during the callback only.
type Entry struct {
	ID      ID
	Deleted bool
	n       *node
	body    int // offset of the first field or value
	nf      int
	same    bool
}

// NumFields returns the number of field-value pairs.
func (e *Entry) NumFields() int { return e.nf }

// Fields calls fn with each field and value, in order. The slices alias
// the stream.
func (e *Entry) Fields(fn func(field, value []byte)) {
	buf := e.n.buf
	p := e.body
	mp := 0
	for i := 0; i < e.nf; i++ {
		var f []byte
		if e.same {
			f, mp = readBytes(buf, mp)
		} else {
			f, p = readBytes(buf, p)
		}
		var v []byte
		v, p = readBytes(buf, p)
		fn(f, v)
	}
}

// readBytes reads a uvarint length and that many bytes at p.
func readBytes(buf []byte, p int) ([]byte, int) {
	l, k := binary.Uvarint(buf[p:])
	p += k
	return buf[p : p+int(l) : p+int(l)], p + int(l)
}

// decode reads the header of the entry at index i into e.
func (n *node) decode(i int, e *Entry) {
	p := int(n.offs[i])
	flags := n.buf[p]
	p++
	ms, k := binary.Uvarint(n.buf[p:])
	p += k
	seq, k := binary.Uvarint(n.buf[p:])
	p += k
	e.ID = ID{n.master.Ms + ms, n.master.Seq + seq}
	e.Deleted = flags&flagDeleted != 0
	e.same = flags&flagSameFields != 0
	e.n = n
	if e.same {
		e.nf = n.nfields
	} else {
		nf, k := binary.Uvarint(n.buf[p:])
		p += k
		e.nf = int(nf)
	}
	e.body = p
}

// idAt returns the ID of entry i.
func (n *node) idAt(i int) ID {
	p := int(n.offs[i]) + 1
	ms, k := binary.Uvarint(n.buf[p:])
	seq, _ := binary.Uvarint(n.buf[p+k:])
	return ID{n.master.Ms + ms, n.master.Seq + seq}
}

// search returns the index of the first entry with ID >= id.
func (n *node) search(id ID) int {
	lo, hi := 0, len(n.offs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if n.idAt(m).Less(id) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// lastID returns the ID of the node's last entry, deleted or not
// (lpGetEdgeStreamID).
func (n *node) lastID() ID { return n.idAt(len(n.offs) - 1) }

// tail returns the last node, or nil.
func (s *Stream) tail() *node {
	it, ok := s.nodes.Max()
	if !ok {
		return nil
	}
	return it.n
}

// NextID returns the ID XADD * would generate at time now (Unix ms):
// now-0 when now is past the last ID's time, else the last ID plus one
// (streamNextID).
func (s *Stream) NextID(now int64) ID {
	if ms := uint64(now); now > 0 && ms > s.LastID.Ms {
		return ID{ms, 0}
	}
	id, _ := s.LastID.Next()
	return id
}

// Append adds an entry with the field-value pairs fv (field, value,
// field, value …; copied) and returns its ID, like streamAppendItem. With
// auto, the ID is generated from now; otherwise id is used, and when
// seqGiven is false its sequence is generated ("<ms>-*": the last ID's
// sequence plus one in the same millisecond, else 0). The ID must be
// greater than LastID (ErrIDNotGreater). The entry goes into the last
// node unless that node reached lim, in which case a new node starts.
func (s *Stream) Append(fv [][]byte, id ID, auto, seqGiven bool, now int64, lim Limits) (ID, error) {
	switch {
	case auto:
		id = s.NextID(now)
	case !seqGiven:
		if s.LastID.Ms == id.Ms {
			if s.LastID.Seq == MaxID.Seq {
				return ID{}, ErrTooLarge
			}
			id = ID{id.Ms, s.LastID.Seq + 1}
		}
	}
	if id.Compare(s.LastID) <= 0 {
		return ID{}, ErrIDNotGreater
	}
	total := 0
	for _, b := range fv {
		total += len(b)
	}
	if total > listpackMaxSize {
		return ID{}, ErrTooLarge
	}

	n := s.tail()
	if n != nil {
		maxBytes := lim.MaxBytes
		if maxBytes <= 0 || maxBytes > listpackMaxSize {
			maxBytes = listpackMaxSize
		}
		if int64(n.lpBytes()+total) >= maxBytes {
			n = nil
		} else if lim.MaxEntries > 0 && n.live+n.deleted >= lim.MaxEntries {
			n = nil
		}
	}
	var flags byte
	if n == nil {
		if t := s.tail(); t != nil {
			t.shrink()
		}
		n = newNode(id, fv)
		s.nodes.Set(nodeItem{id, n})
		flags = flagSameFields
	} else if n.sameFields(fv) {
		flags = flagSameFields
	}
	n.appendEntry(id, flags, fv)
	s.length++
	s.EntriesAdded++
	s.LastID = id
	if s.length == 1 {
		s.FirstID = id
	}
	return id, nil
}

// shrink drops the spare capacity of a node that will not grow any more
// (lpShrinkToFit).
func (n *node) shrink() {
	if cap(n.buf) > len(n.buf) {
		n.buf = append(make([]byte, 0, len(n.buf)), n.buf...)
	}
	if cap(n.offs) > len(n.offs) {
		n.offs = append(make([]uint32, 0, len(n.offs)), n.offs...)
	}
}

// newNode returns a node whose master entry has the fields of fv.
func newNode(master ID, fv [][]byte) *node {
	nf := len(fv) / 2
	n := &node{master: master, nfields: nf}
	size := 0
	for i := 0; i < nf; i++ {
		size += binary.MaxVarintLen64 + len(fv[2*i])
	}
	n.buf = make([]byte, 0, size+64)
	n.fixed = lpHeaderSize + lpEOFSize + listpack.IntSize(int64(nf)) + listpack.IntSize(0)
	for i := 0; i < nf; i++ {
		n.buf = appendBytes(n.buf, fv[2*i])
		n.fixed += listpack.EntrySize(fv[2*i])
	}
	return n
}

// appendBytes appends b with its uvarint length.
func appendBytes(buf, b []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	return append(buf, b...)
}

// sameFields reports whether fv has exactly the master fields of n.
func (n *node) sameFields(fv [][]byte) bool {
	if len(fv)/2 != n.nfields {
		return false
	}
	p := 0
	for i := 0; i < n.nfields; i++ {
		var f []byte
		f, p = readBytes(n.buf, p)
		if string(f) != string(fv[2*i]) {
			return false
		}
	}
	return true
}

// appendEntry appends an entry to n and accounts its listpack size.
func (n *node) appendEntry(id ID, flags byte, fv [][]byte) {
	nf := len(fv) / 2
	same := flags&flagSameFields != 0
	n.offs = append(n.offs, uint32(len(n.buf)))
	msd, seqd := id.Ms-n.master.Ms, id.Seq-n.master.Seq
	n.buf = append(n.buf, flags)
	n.buf = binary.AppendUvarint(n.buf, msd)
	n.buf = binary.AppendUvarint(n.buf, seqd)
	size := listpack.IntSize(int64(flags)) + listpack.IntSize(int64(msd)) + listpack.IntSize(int64(seqd))
	lpCount := int64(nf + 3)
	if !same {
		n.buf = binary.AppendUvarint(n.buf, uint64(nf))
		size += listpack.IntSize(int64(nf))
		lpCount += int64(nf + 1)
	}
	for i := 0; i < nf; i++ {
		if !same {
			n.buf = appendBytes(n.buf, fv[2*i])
			size += listpack.EntrySize(fv[2*i])
		}
		n.buf = appendBytes(n.buf, fv[2*i+1])
		size += listpack.EntrySize(fv[2*i+1])
	}
	size += listpack.IntSize(lpCount)
	n.fixed += size
	n.live++
}

// Range calls fn for every live entry with start <= ID <= end, in
// ascending order, or descending with rev, until fn returns false. The
// stream must not be modified during the iteration.
func (s *Stream) Range(start, end ID, rev bool, fn func(e *Entry) bool) {
	s.scan(start, end, rev, true, fn)
}

// scan is Range, optionally including deleted entries.
func (s *Stream) scan(start, end ID, rev, skipDeleted bool, fn func(e *Entry) bool) {
	if end.Less(start) {
		return
	}
	var e Entry
	if !rev {
		from := MinID
		s.nodes.Descend(nodeItem{id: start}, func(it nodeItem) bool {
			from = it.id
			return false
		})
		firstNode := true
		s.nodes.Ascend(nodeItem{id: from}, func(it nodeItem) bool {
			n := it.n
			i := 0
			if firstNode {
				i, firstNode = n.search(start), false
			}
			for ; i < len(n.offs); i++ {
				n.decode(i, &e)
				if skipDeleted && e.Deleted {
					continue
				}
				if end.Less(e.ID) || !fn(&e) {
					return false
				}
			}
			return true
		})
		return
	}
	s.nodes.Descend(nodeItem{id: end}, func(it nodeItem) bool {
		n := it.n
		i := len(n.offs) - 1
		if !n.lastID().Less(end) {
			i = n.search(end)
			if i == len(n.offs) || end.Less(n.idAt(i)) {
				i--
			}
		}
		for ; i >= 0; i-- {
			n.decode(i, &e)
			if skipDeleted && e.Deleted {
				continue
			}
			if e.ID.Less(start) || !fn(&e) {
				return false
			}
		}
		return true
	})
}

// Get calls fn with the live entry id and reports whether it exists.
func (s *Stream) Get(id ID, fn func(e *Entry)) bool {
	found := false
	s.Range(id, id, false, func(e *Entry) bool {
		found = true
		if fn != nil {
			fn(e)
		}
		return false
	})
	return found
}

// Exists reports whether a live entry has this ID (streamEntryExists).
func (s *Stream) Exists(id ID) bool { return s.Get(id, nil) }

// EdgeID returns the first (or last) entry's ID, deleted entries
// included unless skipDeleted, or MaxID (MinID for the last) when there is
// none (streamGetEdgeID).
func (s *Stream) EdgeID(first, skipDeleted bool) ID {
	var id ID
	found := false
	s.scan(MinID, MaxID, !first, skipDeleted, func(e *Entry) bool {
		id, found = e.ID, true
		return false
	})
	if !found {
		if first {
			return MaxID
		}
		return MinID
	}
	return id
}

// LastValidID returns the last live entry's ID; ok is false when the
// stream is empty (streamLastValidID).
func (s *Stream) LastValidID() (ID, bool) {
	if s.length == 0 {
		return ID{}, false
	}
	return s.EdgeID(false, true), true
}

// Delete marks the live entry id deleted and reports whether it existed
// (streamDeleteItem). A node whose last live entry goes is removed. The
// caller updates FirstID and MaxDeletedID (XDEL does).
func (s *Stream) Delete(id ID) bool {
	var it nodeItem
	found := false
	s.nodes.Descend(nodeItem{id: id}, func(x nodeItem) bool {
		it, found = x, true
		return false
	})
	if !found {
		return false
	}
	n := it.n
	i := n.search(id)
	if i == len(n.offs) || n.idAt(i) != id {
		return false
	}
	p := n.offs[i]
	if n.buf[p]&flagDeleted != 0 {
		return false
	}
	n.buf[p] |= flagDeleted
	if n.live == 1 {
		s.nodes.Delete(it)
	} else {
		n.live--
		n.deleted++
	}
	s.length--
	return true
}

// Trim strategies.
const (
	TrimNone = iota
	TrimMaxLen
	TrimMinID
)

// TrimArgs are the parsed MAXLEN/MINID options of XADD and XTRIM.
type TrimArgs struct {
	Strategy int
	MaxLen   int64 // TrimMaxLen: keep at most this many entries
	MinID    ID    // TrimMinID: remove the entries below this ID
	Approx   bool  // "~": remove whole nodes only
	Limit    int64 // most entries to remove, 0 for no limit
}

// Trim removes entries from the head as Redis's streamTrim does, and
// returns how many. Whole nodes go first; a node that cannot go whole
// stops an approximate trim, or has its leading entries marked deleted in
// an exact one. FirstID is updated.
func (s *Stream) Trim(a TrimArgs) int64 {
	if a.Strategy == TrimNone {
		return 0
	}
	var deleted int64
	for {
		it, ok := s.nodes.Min()
		if !ok {
			break
		}
		if a.Strategy == TrimMaxLen && s.length <= uint64(a.MaxLen) {
			break
		}
		n := it.n
		entries := n.live
		if a.Limit != 0 && deleted+entries > a.Limit {
			break
		}
		var remove bool
		if a.Strategy == TrimMaxLen {
			remove = s.length-uint64(entries) >= uint64(a.MaxLen)
		} else {
			remove = n.lastID().Less(a.MinID)
		}
		if remove {
			s.nodes.Delete(it)
			s.length -= uint64(entries)
			deleted += entries
			continue
		}
		if a.Approx {
			break
		}
		var fromNode int64
		for i := range n.offs {
			var stop bool
			if a.Strategy == TrimMaxLen {
				stop = s.length <= uint64(a.MaxLen)
			} else {
				stop = !n.idAt(i).Less(a.MinID)
			}
			if stop {
				break
			}
			p := n.offs[i]
			if n.buf[p]&flagDeleted == 0 {
				n.buf[p] |= flagDeleted
				fromNode++
				s.length--
			}
		}
		deleted += fromNode
		n.live -= fromNode
		n.deleted += fromNode
		break
	}
	if s.length == 0 {
		s.FirstID = ID{}
	} else if deleted > 0 {
		s.FirstID = s.EdgeID(true, true)
	}
	return deleted
}

// RangeHasTombstones reports whether the range from start (nil: 0-0) to
// end (nil: MaxID) may contain a deleted entry (streamRangeHasTombstones).
func (s *Stream) RangeHasTombstones(start, end *ID) bool {
	if s.length == 0 || s.MaxDeletedID.IsZero() {
		return false
	}
	if s.FirstID.Compare(s.MaxDeletedID) > 0 {
		return false
	}
	lo, hi := MinID, MaxID
	if start != nil {
		lo = *start
	}
	if end != nil {
		hi = *end
	}
	return lo.Compare(s.MaxDeletedID) <= 0 && s.MaxDeletedID.Compare(hi) <= 0
}

// InvalidEntriesRead is the entries-read value of a group whose read
// counter is unknown (SCG_INVALID_ENTRIES_READ).
const InvalidEntriesRead = -1

// EstimateDistance returns the logical read counter of id, the number of
// entries from the first ever added up to id, or InvalidEntriesRead when
// it cannot be known (streamEstimateDistanceFromFirstEverEntry).
func (s *Stream) EstimateDistance(id ID) int64 {
	if s.EntriesAdded == 0 {
		return 0
	}
	if s.length == 0 && id.Compare(s.LastID) < 1 {
		return int64(s.EntriesAdded)
	}
	cmpLast := id.Compare(s.LastID)
	if cmpLast == 0 {
		return int64(s.EntriesAdded)
	} else if cmpLast > 0 {
		return InvalidEntriesRead
	}
	cmpFirst := id.Compare(s.FirstID)
	if s.MaxDeletedID.IsZero() || s.MaxDeletedID.Compare(s.FirstID) < 0 {
		if cmpFirst < 0 {
			return int64(s.EntriesAdded - s.length)
		} else if cmpFirst == 0 {
			return int64(s.EntriesAdded - s.length + 1)
		}
	}
	return InvalidEntriesRead
}

// Lag returns a group's lag (entries not yet delivered) and whether it is
// known (streamReplyWithCGLag).
func (s *Stream) Lag(g *Group) (int64, bool) {
	if s.EntriesAdded == 0 {
		return 0, true
	}
	if g.EntriesRead != InvalidEntriesRead && !s.RangeHasTombstones(&g.LastID, nil) {
		return int64(s.EntriesAdded) - g.EntriesRead, true
	}
	if read := s.EstimateDistance(g.LastID); read != InvalidEntriesRead {
		return int64(s.EntriesAdded) - read, true
	}
	return 0, false
}

// RaxNodes returns the number of nodes of the radix tree Redis would use
// to index this stream's macro nodes (radix-tree-nodes): a compressed
// trie of the 16-byte big-endian master IDs, whose head node always
// exists.
func (s *Stream) RaxNodes() int {
	if s.nodes.Len() == 0 {
		return 1
	}
	keys := make([][16]byte, 0, s.nodes.Len())
	s.nodes.Scan(func(it nodeItem) bool {
		var k [16]byte
		binary.BigEndian.PutUint64(k[:8], it.id.Ms)
		binary.BigEndian.PutUint64(k[8:], it.id.Seq)
		keys = append(keys, k)
		return true
	})
	return raxCount(keys, 0)
}

// raxCount counts the rax nodes below the point where keys (sorted, all
// sharing their first depth bytes) start to be told apart.
func raxCount(keys [][16]byte, depth int) int {
	if len(keys) == 1 {
		if depth == 16 {
			return 1
		}
		return 2 // a compressed node with the rest, then the key's leaf
	}
	first, last := keys[0], keys[len(keys)-1]
	n := 0
	common := depth
	for common < 16 && first[common] == last[common] {
		common++
	}
	if common > depth {
		n++ // compressed node over the common bytes
	}
	n++ // the branching node
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][common] == keys[i][common] {
			j++
		}
		n += raxCount(keys[i:j], common+1)
		i = j
	}
	return n
}
