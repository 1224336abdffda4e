package set

// DictStats returns the hash table statistics of a hashtable-encoded set
// (DEBUG HTSTATS-KEY); ok is false for an intset or listpack.
func (s *Set) DictStats() (stats string, ok bool) {
	if s.ht == nil {
		return "", false
	}
	return s.ht.Stats(), true
}
