// Package hll is Redis's HyperLogLog (hyperloglog.c) on the exact bytes
// Redis stores: a 16-byte header ("HYLL", encoding, 3 unused bytes, the
// cached cardinality little endian with bit 63 marking it stale) followed
// by 16384 6-bit registers, either dense (12288 packed bytes) or sparse
// (ZERO / XZERO / VAL run-length opcodes).
//
// Data flow: the PF* commands (internal/command/hyperloglog.go) keep the
// value as an ordinary string and hand its bytes here. Add and Set may
// grow a sparse value or promote it to dense, so they return the new slice;
// every decoder checks lengths and run bounds, so arbitrary bytes (a
// corrupt value, a RESTOREd payload) give an error result, never a panic.
// Hashing is MurmurHash64A with Redis's seed, so the same PFADDs produce
// the same bytes as redis-server and values move both ways through DUMP,
// RESTORE and RDB files.
package hll
