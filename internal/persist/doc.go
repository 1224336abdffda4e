// Package persist owns the server's persistence: recovery at start, the
// AOF fed by the executor, snapshots (dump.rdb, or dump.json with
// snapshot-format json), background saves and AOF rewrites without fork,
// save points, the refusal of writes after disk errors, and shutdown. The
// file formats themselves belong to the codec packages it builds on:
// persist/aof (multi-part AOF: manifest, writer with the three fsync
// policies, rewrite, loader) and persist/rdb (RDB v10 and DUMP payloads);
// the JSON snapshot format is defined here (json.go).
//
// # Data flow
//
//	start      Open: AOF (aof.Load; each command through the executor with a
//	           fake client, nothing expiring) when appendonly is yes and an
//	           AOF exists, else dump.rdb / dump.json (rdb.Load, decodeJSON)
//	           → keyspace; then aof.Open, seeding a new AOF's base with
//	           what was loaded. A corrupt file is an error: the server does
//	           not start and no file is touched.
//	writes     executor → core.Feed (Manager.Feed) → aof.Writer.Append
//	           (buffer, no syscall) → before replies leave:
//	             event loop: replies held while the AOF has unwritten
//	               (always: unsynced) commands (core.ReplyBarrier); once
//	               per iteration core.BeforeReply → aof.Writer.Flush
//	               writes (and fsyncs) for every client, then the held
//	               replies go (barrier.go)
//	             threaded: core.BeforeReply → aof.Writer.Flush (write, and
//	               fsync under always; concurrent callers share them)
//	           A failed write or fsync → -MISCONF for writes (denyWrites)
//	           until a later flush succeeds; under always the server exits.
//	snapshots  BGSAVE / BGREWRITEAOF / save points / auto rewrite: a job
//	           (jobs.go) opens a keyspace.Snapshot under the data lock (a
//	           rewrite first prepares the next AOF incr file and its
//	           manifest without the lock, then switches the AOF to it in
//	           the same hold that opens the snapshot),
//	           collects keys in slices of 1024 under the lock (in event-loop
//	           mode the event loop collects them for it between batches,
//	           assist.go) and encodes them without it (encode.go,
//	           streamconv.go, json.go: RDB, RESP or JSON) into
//	           a temporary file: write, fsync, rename, fsync of the
//	           directory. It comes back under the lock to update the state
//	           (dirty counter, lastsave, status). SAVE, SHUTDOWN, FLUSHALL
//	           and DEBUG RELOAD save synchronously under the lock.
//	shutdown   core.PrepareShutdown: kill the job, write the AOF buffer,
//	           save if asked (a failure cancels the shutdown), fsync and
//	           close the AOF; core.Exited (front end stopped): wait for
//	           the jobs, which remove their temporary files.
//
// Everything runs with the data lock held (core.Server.DataLock) except
// the jobs' encoding and BeforeReply in threaded mode.
//
// The commands (SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, DUMP, RESTORE,
// DEBUG RELOAD, DEBUG LOADAOF, INFO persistence) are in
// internal/command/persistence.go and reach the Manager with For.
package persist
