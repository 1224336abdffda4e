package hash

// DictStats returns the hash table statistics of a hashtable-encoded hash
// (DEBUG HTSTATS-KEY); ok is false for a listpack.
func (h *Hash) DictStats() (stats string, ok bool) {
	if h.ht == nil {
		return "", false
	}
	return h.ht.Stats(), true
}
