package rerr

// Errors of the list commands (t_list.c).
const (
	// LNumkeys rejects an LMPOP/BLMPOP numkeys below 1 (or not an integer).
	LNumkeys = "ERR numkeys should be greater than 0"
	// LCount rejects an LMPOP/BLMPOP COUNT below 1 (or not an integer).
	LCount = "ERR count should be greater than 0"
	// LPosRankZero is LPOS's reply to RANK 0.
	LPosRankZero = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
	// LPosCountNegative is LPOS's reply to a negative (or non-integer) COUNT.
	LPosCountNegative = "ERR COUNT can't be negative"
	// LPosMaxlenNegative is LPOS's reply to a negative (or non-integer) MAXLEN.
	LPosMaxlenNegative = "ERR MAXLEN can't be negative"
	// LPackedThreshold is DEBUG QUICKLIST-PACKED-THRESHOLD's reply to a
	// bad size.
	LPackedThreshold = "ERR argument must be a memory value bigger than 1 and smaller than 4gb"
)
