// Package aof owns the append-only file of Redis 7.0 in its multi-part
// layout, independent of the server and of the data types: the manifest,
// the writer of incr files with the three fsync policies, the rewrite of
// the base file without fork, and the loading of it all (including a
// legacy single-file AOF, which it upgrades as Redis does).
//
// # Files
//
// Under Dir/DirName ("appendonlydir") live <FileName>.<seq>.base.rdb or
// .base.aof (the dataset at the last rewrite), <FileName>.<seq>.incr.aof
// (the commands since, in order) and the manifest <FileName>.manifest,
// whose lines read "file appendonly.aof.1.base.rdb seq 1 type b" (types b
// base, i incr, h history: files of a finished rewrite not yet deleted).
// Every manifest is written to temp-<FileName>.manifest, fsynced, renamed
// over the old one, and the directory is fsynced; ParseManifest refuses
// what Redis refuses, with Redis's messages.
//
// # Data flow of the writer
//
//	Append (data lock held, no syscall) → buffer
//	Flush (once per event-loop iteration, or by concurrent threaded
//	callers that share it, before replies leave; and in the cron)
//	  → write(2) of the whole buffer to the current incr file
//	  → always:   fdatasync before Flush returns (one for the whole group)
//	    everysec: a background goroutine fsyncs once a second; while it
//	              runs, writes wait up to 2 s, then go ahead and are
//	              counted as delayed fsyncs (aof_delayed_fsync)
//	    no:       the OS decides
//
// A failed write leaves the bytes in the buffer (a partial write is cut off
// the file first) and sets Err; write commands must then be refused with
// MisconfError until a later Flush succeeds. Under always a write or fsync
// error means the batch is not durable: Redis exits rather than answer it.
//
// # Rewrite (BGREWRITEAOF without fork)
//
//  1. PrepareRewrite, without the data lock: the next incr file is
//     created and a manifest naming it after the current incr files is
//     saved (fsynced); appends still go to the current file, which that
//     manifest keeps naming. Then StartPrepared, under the data lock,
//     together with taking a point-in-time view of the dataset: the
//     buffer is written out and appends go to the new file from now on
//     (no fsync of the manifest under the lock). Cancel instead moves the
//     appends to the new file without a rewrite. StartRewrite does both
//     steps at once.
//  2. WriteBase, in a background goroutine: the view is written into a
//     temporary base file, which is fsynced.
//  3. Commit: the temporary file becomes the next base; the old base and
//     the older incr files become history in a manifest that is made
//     durable before they are deleted. Or Abort: the temporary file is
//     removed and the AOF is as before (plus the new incr file).
//
// A crash at any point leaves a manifest naming a complete set of files.
//
// # Loading
//
// Load reads the manifest, loads the base (an RDB image through a callback,
// or RESP commands), then each incr file, passing each command to a
// callback (MULTI ... EXEC blocks are passed only once complete). A
// truncated last file is cut back to its last complete command when
// LoadTruncated is set; bytes that are not commands, a truncated file
// other than the last, a missing file or a bad manifest are refused with
// Redis's messages and nothing is changed on disk.
package aof
