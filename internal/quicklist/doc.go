// Package quicklist owns the value of a Redis list key: Redis 7.0's
// quicklist (quicklist.c), a doubly linked list of nodes, each holding a
// run of elements as listpack entries (listpack.c), byte for byte as Redis
// stores them: integers in their canonical decimal form are encoded as
// integers (1 to 9 bytes), strings with a 1, 2 or 5 byte header, each
// entry followed by its back-length. Redis 7.0 has this one list
// encoding, so OBJECT ENCODING always reports "quicklist".
//
// # Layout and complexity
//
// A node keeps its entries in one []byte with free room at both ends, so
// pushing and popping at either end of the list is O(1) amortized (a pop
// only moves an offset; a queue's dead room is reclaimed when the buffer
// would grow). Nodes are filled by Redis's rules for
// list-max-listpack-size (the fill factor given to New): a negative fill
// -1…-5 caps a node's listpack at 4, 8, 16, 32 or 64 KB, a positive fill
// caps its number of elements within an 8 KB safety limit, and an element
// of 1 GB or more (SetPackedThreshold) gets a PLAIN node of its own. So
// the nodes split exactly where Redis's do and memory per element is
// Redis's (16.0 B for 1M "element:N", 5.0 B for 1M small integers, the
// same as redis-server 7.0's MEMORY USAGE). Index lookups walk nodes from
// the nearer end (O(n/fill)) and then entries from the nearer end of the
// node, as quicklistGetIteratorAtIdx and lpSeek do; inserting into or
// deleting from the middle of a node rewrites at most one node, splitting
// a full node and merging small neighbours as _quicklistInsert and
// _quicklistMergeNodes do; LREM and LINSERT are O(n) as in Redis. A node
// stops growing when its neighbour takes the next pushes; its buffer is
// then trimmed to size and the new node starts with as much room.
//
// Elements returned by Index, PopFront and PopBack are slices of the
// list's buffers, or of its scratch buffer for integer entries: they are
// valid until the next call on the list. Elements yielded by Range stay
// valid until the list changes (integers are formatted into memory of
// their own), so a caller may gather them. Values passed in are copied.
// A List is not safe for concurrent use, but concurrent Range, Len and
// Nodes calls (readers only, e.g. a snapshot writer) are fine.
//
// # API for persistence
//
// A loader calls New with the configured list-max-listpack-size, then
// either PushBack for each element in order (head to tail), or, for an
// RDB QUICKLIST_2 value, AppendListpack for each packed node (the
// listpack is validated and adopted as one node) and AppendPlain for each
// PLAIN node. A saver walks the elements head to tail with Range, or node
// by node with Nodes, which yields for each node exactly what
// QUICKLIST_2 stores: a complete listpack (header, entries, 0xFF) or a
// PLAIN node's raw element. Len is the number of elements, Clone a deep
// copy with the same nodes (COPY, snapshots), MemoryUsage the bytes held
// (MEMORY USAGE) and ListpackStats the node count and listpack bytes
// (DEBUG OBJECT's ql_nodes and ql_uncompressed_size).
package quicklist
