package rerr

// Error replies of the HyperLogLog commands (hyperloglog.c), without the
// leading '-'.
const (
	// HLLWrongType is the reply when a string key does not hold a valid
	// HyperLogLog (bad magic, encoding or dense length).
	HLLWrongType = "WRONGTYPE Key is not a valid HyperLogLog string value."
	// HLLInvalid is the reply when an HLL's registers are corrupt.
	HLLInvalid = "INVALIDOBJ Corrupted HLL object detected"
	// HLLNoKey is PFDEBUG's reply for a missing key.
	HLLNoKey = "ERR The specified key does not exist"
	// HLLNotSparse is PFDEBUG DECODE's reply for a dense HLL.
	HLLNotSparse = "ERR HLL encoding is not sparse"
	// HLLUnknownSub is a template (subcommand) for an unknown PFDEBUG
	// subcommand.
	HLLUnknownSub = "ERR Unknown PFDEBUG subcommand '%s'"
)
