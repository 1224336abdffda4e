// Package replication is master-replica replication speaking Redis 7.0's
// protocol, so real redis-server replicas and masters, redis-sentinel and
// failover-aware clients work with the server unchanged.
//
// # Data flow
//
//	master   executor (core.Server.call → propagate) → Manager.Feed: the
//	         same stream the AOF gets, a SELECT inserted when the
//	         database changes (as Redis's replicationFeedSlaves) →
//	         feedRaw: the backlog (ring of repl-backlog-size bytes),
//	         master_repl_offset, and every replica client's output
//	         (core.Server.Push; the front end writes it to the socket).
//	         A replica is a client that sent REPLCONF and PSYNC/SYNC:
//	           partial:  +CONTINUE [replid] and the backlog from its offset
//	           full:     +FULLRESYNC replid offset, then an RDB made by a
//	                     persist job from a point-in-time keyspace
//	                     snapshot (clients keep being served): diskless
//	                     ($EOF:<mark> … <mark>) pushed to the socket as it
//	                     is encoded, or disk-based (a temporary file, then
//	                     $<len> and its bytes). The stream written meanwhile
//	                     waits in the replica's pending buffer and follows
//	                     the RDB (after the first ACK for diskless).
//	         Replicas send REPLCONF ACK <offset> every second; WAIT parks
//	         its client until enough replicas acknowledged its offset.
//	         The cron pings replicas, drops timed-out ones, frees the
//	         backlog after repl-backlog-ttl without replicas.
//	replica  REPLICAOF host port (or the replicaof directive) starts a link
//	         goroutine: connect, PING, AUTH, REPLCONF listening-port /
//	         capa eof / capa psync2, PSYNC replid offset+1. On
//	         +FULLRESYNC the RDB goes to a temporary file, is checked
//	         whole (a corrupt one leaves the dataset alone), then loaded
//	         under the data lock in slices (clients get -LOADING). Then
//	         the stream is parsed and run by a KindMaster client through
//	         core.Server.Exec (replies dropped, keys never considered
//	         expired for it), each command's bytes proxied verbatim to
//	         this server's own backlog and sub-replicas, so offsets agree
//	         down a chain. A dropped link reconnects with PSYNC.
//	         REPLICAOF NO ONE keeps the old replid as replid2 (PSYNC2).
//
// Snapshots record repl-id, repl-offset and repl-stream-db (persist's
// SetReplicationAux), so a replica restarted from its RDB asks for a
// partial resync. FAILOVER (failover.go) pauses writes, waits for a
// replica to acknowledge the whole stream, then turns this server into
// its replica with PSYNC … FAILOVER, which makes the target promote
// itself.
//
// The command filter (core.Server.SetCommandFilter) refuses writes on a
// read-only replica (-READONLY), commands while the link is down and
// replica-serve-stale-data is no (-MASTERDOWN), commands while loading
// (-LOADING), and writes without enough good replicas (-NOREPLICAS).
//
// Everything runs under the data lock except the link goroutine's
// network I/O, the encoding of a snapshot, and the transfer of an RDB
// file, which come back under the lock for each slice of work.
package replication
