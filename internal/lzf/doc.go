// Package lzf owns the LZF compression format used by Redis (liblzf 3.6 as
// vendored in Redis 7.0: lzf_c.c and lzf_d.c). RDB files and DUMP payloads
// store long strings, and quicklist nodes, as LZF blobs; this package turns
// bytes into such blobs and back, and knows nothing about RDB framing.
//
// Data flow: the RDB writer calls Compress with an output buffer a few bytes
// shorter than the input, so that compression is kept only when it saves
// space (as rdbSaveLzfStringObject does); the RDB reader calls Decompress
// with a buffer of exactly the length recorded in the file and treats any
// error, or a different result length, as corruption.
//
// The compressed format is a sequence of chunks:
//
//	000LLLLL <L+1 bytes>          literal run of 1..32 bytes
//	LLLooooo oooooooo             back reference of L+2 bytes (L = 1..6)
//	111ooooo LLLLLLLL oooooooo    back reference of L+9 bytes (L = 0..255)
//
// where the 13-bit o is the distance minus one to the start of the match in
// the output produced so far. Compress is a fresh implementation of the same
// greedy hash-chain-free matcher; its output is decodable by liblzf (and so
// by redis-server), though not necessarily byte-identical to liblzf's.
package lzf
