// Package listpack holds the size arithmetic of Redis's listpack format
// (listpack.c): a 6-byte header (total bytes, uint32 LE; element count,
// uint16 LE), the entries, and a 0xFF terminator. An entry is an encoding
// byte (with inline length or value bits), the data, and a back-length:
// the size of encoding+data in 7-bit groups, readable right to left.
//
// It owns no data: the quicklist and stream packages, the RDB encoder and
// MEMORY USAGE ask it how many bytes an entry or a listpack takes, so that
// they all size entries as Redis's lpAppend would.
package listpack
