package dict

// Expand makes room for n keys, like dictExpand when Redis loads an RDB's
// RESIZEDB hint: a dict that does not hold them all yet gets a table of
// the next power of two at least n (the first table, or the target of an
// incremental rehash), so inserting that many keys rehashes nothing more.
// It does nothing while rehashing or when the table is already that large.
func (d *Dict[V]) Expand(n int) {
	if n <= d.Len() || nextPow2(n) <= len(d.ht[0]) {
		return
	}
	d.resize(nextPow2(n))
}
