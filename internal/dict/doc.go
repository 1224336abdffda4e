// Package dict owns the generic hash table behind the keyspace's expires
// and the hash, set and sorted-set encodings: a Go rendition of Redis's
// dict.c. (The keys themselves live in internal/kvtable, which has the same
// semantics over pointer-free records.)
//
// Like Redis it uses separate chaining over power-of-two bucket arrays,
// two tables with incremental rehashing (a bucket moved per operation, so
// growing to tens of millions of keys never stops the world for a full
// rehash), growth at load factor 1, shrinking when less than 10% of the
// buckets are used (HASHTABLE_MIN_FILL), the reverse-binary SCAN cursor
// that survives resizes, and dictGetSomeKeys/dictGetFairRandomKey-style
// sampling for eviction, expiry and RANDOMKEY/SRANDMEMBER.
//
// The largest single step of a resize is therefore one bucket's chain,
// plus, in the operation that starts it, allocating the new bucket array
// (128 MB for 2^24 buckets: fresh memory from the OS, not zeroed; 0.7 ms
// in BenchmarkGrowthStall, which reports the slowest Set of a fill to 10M
// keys).
//
// Memory: each key costs one heap-allocated entry (string header, chain
// pointer and the value: 32 bytes when V is a pointer or an int64) plus one
// 8-byte bucket slot per bucket, i.e. 8 to 16 bytes per key at load factors
// between 1/2 and 1, and twice that for the old table while rehashing.
// BenchmarkMemoryPerEntry measures 40.4 bytes per entry for 1M string keys
// with pointer values (2^20 buckets), not counting the key bytes.
//
// Keys are strings hashed with hash/maphash under one per-process seed, so
// iteration order differs between runs. A Dict is not safe for concurrent
// use; even lookups perform rehash steps.
package dict
