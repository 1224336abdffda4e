package rerr

// Error replies of the string and bitmap commands (t_string.c, bitops.c),
// without the leading '-'.
const (
	// DecrOverflow is DECRBY's reply to a decrement of -2^63, whose negation
	// does not fit.
	DecrOverflow = "ERR decrement would overflow"
	// LCSWrongType is LCS's reply when a key holds a non-string value.
	LCSWrongType = "ERR The specified keys must contain string values"
	// LCSLenAndIdx rejects LCS with both LEN and IDX.
	LCSLenAndIdx = "ERR If you want both the length and indexes, please just use IDX."
	// LCSTooLong rejects strings whose length does not fit LCS's table.
	LCSTooLong = "ERR String too long for LCS"
	// LCSMemory rejects an LCS table larger than proto-max-bulk-len.
	LCSMemory = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
	// BitopNot rejects BITOP NOT with more than one source key.
	BitopNot = "ERR BITOP NOT must be called with a single source key."
	// BitposBit rejects a BITPOS bit argument other than 0 or 1.
	BitposBit = "ERR The bit argument must be 1 or 0."
	// BitfieldType rejects a malformed BITFIELD type such as u64 or x8.
	BitfieldType = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
	// BitfieldOverflow rejects an unknown BITFIELD OVERFLOW mode.
	BitfieldOverflow = "ERR Invalid OVERFLOW type specified"
	// BitfieldRO rejects a write subcommand in BITFIELD_RO.
	BitfieldRO = "ERR BITFIELD_RO only supports the GET subcommand"
)
