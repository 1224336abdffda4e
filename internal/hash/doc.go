// Package hash implements the Redis hash value: a map of field names to
// values, both binary-safe strings, with Redis 7.0's two encodings.
//
// A new Hash is a "listpack": one compact byte slice holding the pairs in
// insertion order (field, value, field, value …, each entry a uvarint
// length then its bytes), searched linearly like Redis's listpack. It stays
// so while it has at most Limits.MaxEntries pairs (hash-max-listpack-entries)
// and no field or value longer than Limits.MaxValue bytes
// (hash-max-listpack-value). Crossing either threshold converts it, once and
// for good, to a "hashtable": an internal/dict.Dict keyed by field, with the
// dict's incremental rehashing, SCAN cursor and fair random sampling. Like
// Redis, a hashtable never converts back, even when it shrinks.
//
// In the hashtable each pair costs one dict entry (32 bytes) and one
// pointer-free allocation holding uvarint(len(value)), the value and the
// field; the dict key is a string viewing the field bytes of that
// allocation, so a pair needs two heap objects and the garbage collector
// never scans the string bytes.
//
// API for commands and for persistence:
//
//   - New, NewHashtable(sizeHint): an empty listpack or hashtable.
//   - Set(field, value, lim), Delete, Get, Exists, Len, Encoding.
//   - TryConvert(lim, args): HSET's up-front length check
//     (hashTypeTryConversion).
//   - Range: every pair, in listpack order or dict order (the order an RDB
//     writer should use); Scan: one step of HSCAN.
//   - Random, RandomPairs, RandomUnique: HRANDFIELD's samplers.
//   - Clone: a deep copy with the same encoding (COPY, snapshots).
//   - MemoryUsage (MEMORY USAGE), Rehash (a cron's incremental rehash),
//     ListpackBytes.
//
// A loader rebuilds a hash with New (or NewHashtable when the dump holds a
// hashtable) and Set with the server's Limits, which converts exactly as
// Redis's loader does; a saver writes the pairs in Range order and picks
// the RDB listpack or hash type from IsListpack.
//
// Byte slices returned by the Hash or passed to callbacks alias its memory:
// they are read-only and valid only until the next change to the Hash.
// Arguments are copied, and must not alias the Hash's own memory.
//
// A Hash is not safe for concurrent use.
package hash
