// Package set owns the value of a Redis set key, with Redis 7.0's two
// encodings (t_set.c, intset.c):
//
//   - intset: while every member is the canonical decimal form of a 64-bit
//     integer (string2ll) and there are at most set-max-intset-entries of
//     them, the members are kept as a sorted []int64 searched by binary
//     search. Adding and removing are O(n) moves on at most a few hundred
//     integers, as in Redis.
//   - hashtable: otherwise an internal/dict.Dict keyed by the member, with
//     Redis's incremental rehashing, reverse-binary SSCAN cursor and fair
//     random sampling.
//
// A set converts from intset to hashtable once (a non-integer member, or
// one member too many) and never back, except that SPOP with a large count
// rebuilds the remaining members into a fresh set, exactly as Redis does.
//
// # API for persistence
//
// A loader builds a set with New (an empty intset, what an RDB intset or a
// first integer member wants) or NewHashtable (a presized hashtable), then
// calls Add, AddString or AddInt for each member, passing the configured
// set-max-intset-entries so that the encoding follows Redis's rules. A
// saver asks IsIntset: an intset is written from Ints (ascending order,
// Redis's order too), a hashtable from Range. Len is the cardinality and
// Clone a deep copy with the same encoding (COPY, snapshots).
//
// Members are yielded as Member values: an int64 for intsets (no string is
// allocated), a string for hashtables. A Set is not safe for concurrent use.
package set
