// Package config owns the server's configuration: every directive Redis
// 7.0.15 knows (plus our own mode and snapshot-format), its type, bounds,
// flags and default, and the four ways values arrive or leave — the
// configuration file, the command line, CONFIG SET/GET and CONFIG REWRITE
// — each reproducing Redis's syntax, formatting and error texts.
//
// Data flow:
//
//	Default()            Redis 7.0 defaults (dir ./data, appendonly yes and
//	                     save 900 1 300 10 60 10000 are the project's own)
//	LoadFile / LoadString redis.conf text, line by line through splitargs
//	                     (include, rename-command, user, loadmodule … too)
//	ApplyArgs / LoadArgs redis-server argv ("--port 7000 --save ''"), turned
//	                     into config text and parsed the same way
//	Set / SetWith        CONFIG SET, all-or-nothing, then OnChange callbacks
//	Get / GetMany        CONFIG GET with glob patterns
//	Rewrite              CONFIG REWRITE into the loaded file
//
// The directives the server acts on live in typed fields of Config, which
// the server reads directly on hot paths; all the others are validated
// exactly like Redis and kept internally, so CONFIG GET reports them and
// CONFIG REWRITE preserves them, and Unsupported names those that appeared
// in a file or argv so the server can warn once at startup.
//
// Errors meant for clients are ReplyError values holding Redis's exact
// reply text. Loading errors are *ParseError (whose text is the exact
// "*** FATAL CONFIG FILE ERROR ***" report Redis prints) or *OpenError.
//
// The package opens files only to read configuration, to check that dir
// and logfile are usable (as Redis's chdir and fopen would), and to
// rewrite the configuration file. It never changes the process's working
// directory: Dir holds an absolute path instead. It is not safe for
// concurrent use; the data owner (event loop or server lock) calls it.
package config
