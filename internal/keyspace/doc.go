// Package keyspace owns the data: the numbered databases, their keys, values
// and expiry times. It never touches sockets, locks or files; whoever owns
// the data (the event loop, or the executor lock in threaded mode) calls it.
//
// Data flows in from command handlers (Lookup*, Set, Delete, SetExpire) and
// out through Hooks: every key that is modified, deleted or expires is
// reported there, which is how WATCH, blocked clients, notifications and
// the replication/AOF stream learn about changes they did not execute.
//
// Storage: each database's keys are an internal/kvtable table, whose
// records hold the key and, for a short plain string, the value itself
// (records.go); other values are Objects the records point to. The
// expiry times are a separate internal/dict table, as Redis's db->expires.
//
// Time is the caller's: the executor calls SetNow once per command, so a
// command (or a transaction) sees one consistent clock, as in Redis.
package keyspace
