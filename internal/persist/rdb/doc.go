// Package rdb owns the Redis RDB format, version 10 (Redis 7.0): the
// dump.rdb snapshot file, the RDB preamble of an AOF base file, and the
// DUMP/RESTORE payload. It is a pure codec: it knows nothing of the
// keyspace or of the data-type packages and speaks in plain Go values
// ([]byte strings, [][]byte lists and sets, field/value pairs, ZMember).
//
// Writing: the persistence layer creates a Writer on a (temporary) file,
// calls Header (DefaultAux), then for each non-empty database SelectDB and
// one String/List/Set/Hash/ZSet/Stream call per key (collections are passed as
// iterators over a point-in-time view, so nothing is copied), then Close,
// which writes the EOF opcode and the CRC64 trailer. Encodings follow
// redis-server 7.0 with the configured thresholds (integer and LZF
// strings, QUICKLIST_2 listpack nodes, intsets, listpack hashes and sorted
// sets, ZSET_2, STREAM_LISTPACKS_2 with one listpack per macro node laid
// out exactly as Redis's), so redis-server and redis-check-rdb accept the
// files and redis-server loads them with its native encodings. Without
// LZF the bytes are Redis's own for the same data; LZF blobs decode alike
// but are not always byte-identical to liblzf's.
//
// Reading: Load decodes a file and calls a Handler for each AUX field,
// database switch and key, with its absolute expiry in milliseconds. It
// reads every encoding Redis 7.0 can load: strings (raw, 8/16/32-bit
// integers, LZF); lists (QUICKLIST_2 with PACKED and PLAIN nodes,
// QUICKLIST with ziplists, ZIPLIST, plain LIST); sets (plain, INTSET);
// hashes (plain, ZIPLIST, LISTPACK, ZIPMAP); sorted sets (ZSET, ZSET_2,
// ZIPLIST, LISTPACK); EXPIRETIME and EXPIRETIME_MS; IDLE and FREQ (passed
// to an optional EvictionHandler); FUNCTION2 and the 7.0-rc FUNCTION
// libraries (passed to an optional FunctionHandler, skipped otherwise);
// streams (STREAM_LISTPACKS and STREAM_LISTPACKS_2, see stream.go: nodes
// decoded entry by entry, consumer groups with their PELs and consumers).
// Module values and module AUX data are refused with an ErrUnsupported
// error naming them. Every structure is validated like
// Redis's deep sanitization (sizes, terminators, back lengths, counts,
// duplicates, order of intsets), lengths are checked against the input
// before large allocations, and the CRC64 trailer is verified, so corrupt
// or truncated input gives an error, never a panic or a huge allocation.
// Keys and values are the handler's to keep, except for a Borrower (the
// server's loader), which copies keys and string values itself: those come
// in reused buffers or straight from the read buffer, saving two
// allocations per string key.
//
// DUMP/RESTORE: DumpValue produces the payload DUMP returns (type byte,
// value, RDB version, CRC64) and LoadValue decodes and checks one with
// RESTORE's errors.
//
// The checksum is Redis's CRC-64/Jones (reflected, init 0, no final xor).
// hash/crc64 with the reversed Jones polynomial computes the same division
// but with all-ones init and xorout; crcUpdate cancels those, see crc.go.
//
// LZF itself lives in package lzf.
package rdb
