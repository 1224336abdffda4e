// Package resp owns the Redis wire protocol (RESP2 and RESP3) as the server
// speaks it:
//
//   - Parser turns client request bytes (multibulk or inline) into argument
//     vectors, with the exact limits, error texts and quirks of Redis 7.0's
//     processMultibulkBuffer and processInlineBuffer (networking.c);
//   - Writer encodes replies into a reusable buffer, choosing the RESP2 or
//     RESP3 form of each reply type like Redis's addReply* functions
//     (doubles in C's "%.17g", as Redis writes them, by numfmt.AppendFloat);
//   - ReadReply is a small client-side reply decoder for tests.
package resp
