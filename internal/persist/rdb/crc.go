package rdb

import "hash/crc64"

// crcTable is the Jones polynomial (0xad93d23594c935a9) in the reversed bit
// order hash/crc64 expects.
var crcTable = crc64.MakeTable(0x95AC9329AC4BC9B5)

// crcUpdate extends Redis's CRC-64 (crc64.c: Jones polynomial, reflected,
// initial value 0, no final xor) with p.
//
// hash/crc64 implements the same reflected polynomial division but
// complements the register before and after each update (init and xorout
// of all ones), so crc64.Checksum differs from Redis's crc64(0, ...):
// "123456789" gives 0x3558e8e979f60d7e there and 0xe9c6d914c4b8d9ca in
// Redis. Complementing around the update cancels the stdlib's complements.
func crcUpdate(crc uint64, p []byte) uint64 {
	return ^crc64.Update(^crc, crcTable, p)
}

// Checksum returns Redis's CRC-64 of p: the value DUMP payloads and RDB
// files carry in their trailer.
func Checksum(p []byte) uint64 { return crcUpdate(0, p) }
