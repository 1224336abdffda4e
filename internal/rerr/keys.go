package rerr

// Error texts of the generic key commands (DEL, RENAME, SCAN, COPY, MOVE,
// OBJECT …) and the expire commands, as Redis 7.0 words them.
const (
	// ScanInvalidCursor is SCAN's (and HSCAN's, SSCAN's, ZSCAN's) reply to
	// a cursor that is not an unsigned 64-bit decimal.
	ScanInvalidCursor = "ERR invalid cursor"
	// OutOfRangeInt32 is getIntFromObjectOrReply's reply to an integer that
	// does not fit a C int (MOVE, COPY DB, SELECT).
	OutOfRangeInt32 = "ERR value is out of range, value must between -2147483648 and 2147483647"
	// ExpireNXConflict: NX given together with XX, GT or LT.
	ExpireNXConflict = "ERR NX and XX, GT or LT options at the same time are not compatible"
	// ExpireGTLTConflict: GT given together with LT.
	ExpireGTLTConflict = "ERR GT and LT options at the same time are not compatible"
	// ExpireUnsupportedOption is a template naming the unknown option.
	ExpireUnsupportedOption = "ERR Unsupported option %s"
	// ObjectFreqNoLFU is OBJECT FREQ's reply when the policy is not LFU.
	ObjectFreqNoLFU = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	// ObjectIdleLFU is OBJECT IDLETIME's reply when the policy is LFU.
	ObjectIdleLFU = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	// CopyNoCloner is a template (type name) for COPY of a value whose type
	// has not registered a deep-copy function; Redis itself never fails
	// here (its own text for an unknown type is "ERR unknown type object").
	CopyNoCloner = "ERR COPY is not supported for values of type '%s' yet"
)

// MIGRATE.
const (
	MigrateKeysNeedEmptyKey = "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string"
	MigrateConnect          = "IOERR error or timeout connecting to the client"
	MigrateWrite            = "IOERR error or timeout writing to target instance"
	MigrateRead             = "IOERR error or timeout reading to target instance"
)
