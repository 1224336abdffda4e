package rerr

// Error replies of the sorted set commands (t_zset.c), without the
// leading '-'.
const (
	// ZAddXXNX rejects ZADD with both XX and NX.
	ZAddXXNX = "ERR XX and NX options at the same time are not compatible"
	// ZAddGTLTNX rejects ZADD with GT and LT, or either with NX.
	ZAddGTLTNX = "ERR GT, LT, and/or NX options at the same time are not compatible"
	// ZAddIncrPairs rejects ZADD INCR with more than one score/member pair.
	ZAddIncrPairs = "ERR INCR option supports a single increment-element pair"
	// ZScoreNaN is the reply when an increment makes a score NaN.
	ZScoreNaN = "ERR resulting score is not a number (NaN)"
	// ZMinMaxFloat rejects a score range bound that is not a float.
	ZMinMaxFloat = "ERR min or max is not a float"
	// ZMinMaxLex rejects a lex range bound that is not "-", "+", "[x" or "(x".
	ZMinMaxLex = "ERR min or max not valid string range item"
	// ZRangeLimit rejects LIMIT in a ZRANGE by rank.
	ZRangeLimit = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
	// ZRangeWithScoresLex rejects WITHSCORES in a ZRANGE BYLEX.
	ZRangeWithScoresLex = "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
	// ZWeightFloat rejects a WEIGHTS value that is not a float.
	ZWeightFloat = "ERR weight value is not a float"
	// ZLimitNegative rejects a negative or non-integer ZINTERCARD LIMIT.
	ZLimitNegative = "ERR LIMIT can't be negative"
	// ZNumkeys rejects a ZMPOP/BZMPOP numkeys below 1 (or not an integer).
	ZNumkeys = "ERR numkeys should be greater than 0"
	// ZCount rejects a ZMPOP/BZMPOP COUNT below 1 (or not an integer).
	ZCount = "ERR count should be greater than 0"
	// ZAtLeastOneKey is a template (command name) for a numkeys below 1 in
	// ZUNION, ZINTER, ZDIFF, ZINTERCARD and their STORE forms.
	ZAtLeastOneKey = "ERR at least 1 input key is needed for '%s' command"
	// ZRangeLong is getRangeLongFromObjectOrReply's reply for ZRANDMEMBER's
	// count outside -LONG_MAX..LONG_MAX.
	ZRangeLong = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)
