// Package splitargs owns the tokenizer Redis uses for inline commands,
// redis-cli style input and configuration lines: an exact re-implementation
// of sdssplitargs from Redis 7.0 (sds.c).
//
// Tokens are separated by whitespace. A token may contain double-quoted
// parts, which understand the escapes \n \r \t \b \a \xHH and a backslash
// before any other byte (which yields that byte), and single-quoted parts,
// in which only \' is an escape. A closing quote must be followed by
// whitespace or the end of the line. Like the C code, which works on NUL
// terminated strings, a NUL byte ends the line: everything after it is
// ignored.
package splitargs
