package rerr

// Error replies of the set commands (t_set.c) and SORT (sort.c), as Redis
// 7.0 words them.
const (
	// NumkeysPositive is SINTERCARD's reply to a numkeys that is not an
	// integer of at least 1.
	NumkeysPositive = "ERR numkeys should be greater than 0"
	// NumkeysTooMany is SINTERCARD's (and the other numkeys commands')
	// reply when numkeys exceeds the arguments given.
	NumkeysTooMany = "ERR Number of keys can't be greater than number of args"
	// LimitNegative is SINTERCARD's reply to a LIMIT that is not a
	// non-negative integer.
	LimitNegative = "ERR LIMIT can't be negative"
	// SrandmemberRange is SRANDMEMBER's reply to a count outside
	// -LONG_MAX..LONG_MAX (i.e. -9223372036854775808).
	SrandmemberRange = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
	// SortScores is SORT's reply when numeric sorting meets a weight that
	// is not a double.
	SortScores = "ERR One or more scores can't be converted into double"
)
