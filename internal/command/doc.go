// Package command holds every command handler, one file per group
// (strings.go, keys.go, expire.go, server.go, connection.go …), and
// Table, which assembles them into the table the executor dispatches on.
//
// A handler reads ctx.Args, works on ctx.DB (internal/keyspace) and writes
// exactly one reply to ctx.W; errors go through ctx.Error with the texts of
// internal/rerr. Handlers that change data call ctx.Dirty so the executor
// propagates the write, and ctx.Propagate when the logged form must differ
// from the command as typed (relative TTLs become absolute). Handlers never
// know which front end runs them.
package command
