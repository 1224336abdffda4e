package zset

// ListpackBytes returns the size of the listpack encoding's buffer (0 for
// a skiplist).
func (z *ZSet) ListpackBytes() int { return len(z.lp) }

// Slots returns the number of buckets of the skiplist encoding's dict
// (Redis's dictSlots), 0 for a listpack.
func (z *ZSet) Slots() int {
	if z.dict == nil {
		return 0
	}
	return z.dict.Buckets()
}

// SampleNodes calls fn for the skiplist's nodes from the lowest score with
// each member and the node's number of levels, until fn returns false
// (MEMORY USAGE samples them). It does nothing for a listpack.
func (z *ZSet) SampleNodes(fn func(member string, levels int) bool) {
	if z.sl == nil {
		return
	}
	for x := z.sl.header.next0; x != nil; x = x.next0 {
		if !fn(x.member, x.height()) {
			return
		}
	}
}
