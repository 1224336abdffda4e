// Package kvtable owns the keyspace's hash table: every key of a database,
// with its value when the value is a short plain string, stored in one
// pointer-free record of an arena (internal/arena), chained by 32-bit
// references. It has the semantics of internal/dict (Redis's dict.c:
// separate chaining, power-of-two tables, incremental rehashing, growth at
// load factor 1, shrinking under 10 % fill, the reverse-binary SCAN
// cursor, dictGetSomeKeys-style sampling), over records instead of Go
// objects.
//
// A record is
//
//	[0:4]   next   Ref of the next record of the bucket chain
//	[4:8]   meta   24-bit access field (LRU clock or LFU data), then flags:
//	               bit 0 object entry, bit 1 deleted, bits 2-7 slack
//	[8:10]  born   snapshot epoch (low 16 bits) the entry was stored in
//	[10:12] saved  snapshot epoch that last captured it
//	[12:14] klen   key length (0xFFFF: the length is the 4 bytes at 16)
//	[14:16] vlen   inline value length (object entries: bytes reserved)
//	[16:]   key, then the inline value, or for an object entry the 4-byte
//	        index of its value V in the table's value slice
//
// so a key with a 16-byte value costs a 48-byte record and a 4-byte bucket
// slot, where a Go entry plus object cost 128 and 8. Values that are not
// short plain strings (collections, long or specially encoded strings)
// stay Go values of type V: the record then holds their index.
//
// Data flows in through SetInline (a string value copied into the record,
// in place when it fits), Upsert and SetVal (a Go value), and out through
// Find and the accessors of a Ref. A Ref stays valid until its key is
// deleted or its value re-stored by SetInline; iteration (Scan, Range,
// sampling) defers the reuse of records freed behind its back. Hashing
// uses hash/maphash with a per-process seed. A Table is not safe for
// concurrent use; even lookups perform rehash steps.
package kvtable
