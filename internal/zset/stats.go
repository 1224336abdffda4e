package zset

// DictStats returns the statistics of a skiplist-encoded sorted set's
// member table (DEBUG HTSTATS-KEY); ok is false for a listpack.
func (z *ZSet) DictStats() (stats string, ok bool) {
	if z.dict == nil {
		return "", false
	}
	return z.dict.Stats(), true
}
