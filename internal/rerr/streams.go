package rerr

// Errors of the stream commands (t_stream.c).
const (
	// StreamID rejects an argument that is not a stream ID.
	StreamID = "ERR Invalid stream ID specified as stream command argument"
	// XAddIDTooSmall: XADD with an ID not above the stream's last ID.
	XAddIDTooSmall = "ERR The ID specified in XADD is equal or smaller than the target stream top item"
	// XAddIDZero: XADD with the ID 0-0.
	XAddIDZero = "ERR The ID specified in XADD must be greater than 0-0"
	// XAddTooLarge: an entry over 1 GB, or an "<ms>-*" ID whose sequence
	// would overflow.
	XAddTooLarge = "ERR Elements are too large to be stored"
	// XAddExhausted: the stream's last ID is the largest possible.
	XAddExhausted = "ERR The stream has exhausted the last possible ID, unable to add more items"
	// XTrimIncompatible: both MAXLEN and MINID given.
	XTrimIncompatible = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
	// XTrimMaxlenNegative: MAXLEN below 0.
	XTrimMaxlenNegative = "ERR The MAXLEN argument must be >= 0."
	// XTrimLimitNegative: LIMIT below 0.
	XTrimLimitNegative = "ERR The LIMIT argument must be >= 0."
	// XTrimLimitNoStrategy: LIMIT without MAXLEN or MINID.
	XTrimLimitNoStrategy = "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
	// XTrimNoStrategy: XTRIM without MAXLEN or MINID.
	XTrimNoStrategy = "ERR syntax error, XTRIM must be called with a trimming strategy"
	// XTrimLimitNoApprox: LIMIT without "~".
	XTrimLimitNoApprox = "ERR syntax error, LIMIT cannot be used without the special ~ option"
	// StreamStartInterval: an exclusive start at the largest ID.
	StreamStartInterval = "ERR invalid start ID for the interval"
	// StreamEndInterval: an exclusive end at 0-0.
	StreamEndInterval = "ERR invalid end ID for the interval"
	// XReadUnbalanced: STREAMS with an odd number of arguments.
	XReadUnbalanced = "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."
	// XReadGroupOption: GROUP given to XREAD.
	XReadGroupOption = "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
	// XReadNoAckOption: NOACK given to XREAD.
	XReadNoAckOption = "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
	// XReadGroupMissing: XREADGROUP without GROUP.
	XReadGroupMissing = "ERR Missing GROUP option for XREADGROUP"
	// XReadGroupDollar: the $ ID given to XREADGROUP.
	XReadGroupDollar = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."
	// XReadGreater: the > ID given to XREAD.
	XReadGreater = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."
	// XGroupEntriesRead: ENTRIESREAD below -1.
	XGroupEntriesRead = "ERR value for ENTRIESREAD must be positive or -1"
	// XGroupNoKey: an XGROUP subcommand on a missing key.
	XGroupNoKey = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
	// BusyGroup: XGROUP CREATE of an existing group.
	BusyGroup = "BUSYGROUP Consumer Group name already exists"
	// XSetIDEntriesAdded: a negative ENTRIESADDED.
	XSetIDEntriesAdded = "ERR entries_added must be positive"
	// XSetIDMaxDeleted: MAXDELETEDID above the ID.
	XSetIDMaxDeleted = "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
	// XSetIDTooSmall: an ID below the stream's last entry.
	XSetIDTooSmall = "ERR The ID specified in XSETID is smaller than the target stream top item"
	// XSetIDEntriesAddedTooSmall: ENTRIESADDED below the stream's length.
	XSetIDEntriesAddedTooSmall = "ERR The entries_added specified in XSETID is smaller than the target stream length"
	// XClaimMinIdle, XClaimIdle, XClaimTime, XClaimRetryCount: XCLAIM
	// arguments that are not integers.
	XClaimMinIdle    = "ERR Invalid min-idle-time argument for XCLAIM"
	XClaimIdle       = "ERR Invalid IDLE option argument for XCLAIM"
	XClaimTime       = "ERR Invalid TIME option argument for XCLAIM"
	XClaimRetryCount = "ERR Invalid RETRYCOUNT option argument for XCLAIM"
	// XAutoClaimMinIdle: XAUTOCLAIM's min-idle-time is not an integer.
	XAutoClaimMinIdle = "ERR Invalid min-idle-time argument for XAUTOCLAIM"
	// XAutoClaimCount: XAUTOCLAIM's COUNT out of range.
	XAutoClaimCount = "ERR COUNT must be > 0"
	// XAutoClaimMemory: an XAUTOCLAIM COUNT whose transient buffer (16
	// bytes per entry) Redis fails to allocate.
	XAutoClaimMemory = "ERR Insufficient memory, failed allocating transient memory, COUNT too high."
	// XReadGroupGroupGone: a blocked XREADGROUP whose group was destroyed.
	XReadGroupGroupGone = "NOGROUP the consumer group this client was blocked on no longer exists"
	// XReadGroupKeyGone: a blocked XREADGROUP whose stream was deleted or
	// replaced.
	XReadGroupKeyGone = "UNBLOCKED the stream key no longer exists"
)

// Templates (fmt verbs) of the stream errors.
const (
	// XReadGroupNoGroup: key, group.
	XReadGroupNoGroup = "NOGROUP No such key '%s' or consumer group '%s' in XREADGROUP with GROUP option"
	// StreamNoGroup (XPENDING, XCLAIM, XAUTOCLAIM): key, group.
	StreamNoGroup = "NOGROUP No such key '%s' or consumer group '%s'"
	// XGroupNoGroup (XGROUP, XINFO CONSUMERS): group, key.
	XGroupNoGroup = "NOGROUP No such consumer group '%s' for key name '%s'"
	// XClaimOption: an unknown XCLAIM option.
	XClaimOption = "ERR Unrecognized XCLAIM option '%s'"
)
