// Package zset implements Redis's sorted set value: unique members (binary
// strings) ordered by a float64 score, ties broken by member bytes.
//
// Two encodings, as in Redis 7.0 (OBJECT ENCODING names):
//
//   - "listpack": every element in one pointer-free byte slice, in order
//     (uvarint member length, member, 8-byte score). Lookups are linear.
//     Used while the set has at most zset-max-listpack-entries elements
//     and every member has at most zset-max-listpack-value bytes. Like
//     Redis, which stores integral scores as integers there, this encoding
//     turns a score of -0 into 0.
//   - "skiplist": a skiplist with spans (zskiplist: random levels with
//     p = 1/4, at most 32, O(log n) insert, delete, rank and rank lookup)
//     plus an internal/dict map from member to node (O(1) ZSCORE, Redis's SCAN
//     guarantee for ZSCAN, fair random members).
//
// A set converts from listpack to skiplist once, when an Add crosses a
// threshold (Limits, read from the configuration at each write), and never
// back, except that the destination of a store command may start small
// (ShrinkIfSmall), as Redis's zsetConvertToListpackIfNeeded.
//
// # API for commands and persistence
//
// New, NewSkiplist and NewFor construct; Add (ZADD's flags, copies the
// member) and Set (takes a member string as is) insert; Delete, Pop and
// the DeleteRangeBy* functions remove; Score, Rank, Len, the RangeBy* and
// CountBy* functions read. Range(false, fn) iterates in ascending order
// (the order of a Redis listpack), Range(true, fn) in descending order
// (the order Redis's RDB writes a skiplist-encoded set). Clone deep-copies
// for COPY and snapshots. Iteration callbacks receive members that alias
// the set's memory: valid during the call only, never to be modified.
//
// # Cost of the skiplist operations
//
// A skiplist search is a chain of dependent loads, one cache miss per node
// stepped on once the set outgrows the caches, so the layout and the
// number of searches decide the cost (skiplist.go). A score update that
// keeps the order changes the node in place, found through the dict with
// no search; one that moves it searches for its old and new places in a
// single descent with two cursors, whose misses overlap (Redis searches
// twice in a row); popping the lowest element needs no search.
//
// Score ranges (ParseScoreRange: "(1", "-inf", "+inf") and member ranges
// (ParseLexRange: "[a", "(a", "-", "+") parse the bounds of the
// ZRANGEBYSCORE and ZRANGEBYLEX families exactly as Redis does.
package zset
