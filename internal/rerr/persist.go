package rerr

// Errors of the persistence commands (SAVE, BGSAVE, BGREWRITEAOF, DUMP,
// RESTORE, DEBUG RELOAD) and of writes refused after a disk error, exactly
// as Redis 7.0 words them.
const (
	// Err is Redis's bare shared.err, SAVE's reply when the save failed.
	Err               = "ERR"
	SaveInProgress    = "ERR Background save already in progress"
	BgsaveBusy        = "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible."
	RewriteInProgress = "ERR Background append only file rewriting already in progress"
	RewriteFailed     = "ERR Can't execute an AOF background rewriting. Please check the server logs for more information."
	DumpPayload       = "ERR DUMP payload version or checksum are wrong"
	BadDataFormat     = "ERR Bad data format"
	InvalidTTL        = "ERR Invalid TTL value, must be >= 0"
	InvalidIdleTime   = "ERR Invalid IDLETIME value, must be >= 0"
	InvalidFreq       = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	ReloadOptions     = "ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."
	ReloadLoad        = "ERR Error trying to load the RDB dump"
	AOFEnableFailed   = "Unable to turn on AOF. Check server logs."
	BgsaveMisconf     = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."
)
