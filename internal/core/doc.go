// Package core is the server's heart without any I/O: the shared state
// (keyspace, configuration, statistics, connected clients), the command
// table types, and the executor that runs one parsed request for a client.
//
// Data flow: a front end (internal/server, event loop or threaded) parses
// bytes into arguments and calls Server.Exec while it owns the data. Exec
// finds the command, checks arity and permissions, runs its handler with a
// Ctx, and appends the reply to the client's Out buffer. Writes that changed
// the dataset are handed to Server.propagate, the single place that feeds
// the AOF and replicas. Replies for other clients (pub/sub, unblocked
// clients) go through Server.Push, and the front end is woken to flush them.
//
// Handlers never know which front end runs them.
package core
