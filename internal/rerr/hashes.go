package rerr

// Error replies of the hash commands (t_hash.c), as Redis 7.0 words them.
const (
	// HashValueNotInteger is HINCRBY's reply when the field's current value
	// is not an integer.
	HashValueNotInteger = "ERR hash value is not an integer"
	// HashValueNotFloat is HINCRBYFLOAT's reply when the field's current
	// value is not a float.
	HashValueNotFloat = "ERR hash value is not a float"
	// HashIncrNaNOrInfinity is HINCRBYFLOAT's reply to an increment that is
	// NaN or infinite.
	HashIncrNaNOrInfinity = "ERR value is NaN or Infinity"
	// HrandfieldRange is HRANDFIELD's reply to a count outside
	// -LONG_MAX..LONG_MAX (getRangeLongFromObjectOrReply), i.e.
	// -9223372036854775808. With WITHVALUES a count outside
	// -LONG_MAX/2..LONG_MAX/2 gets OutOfRange instead.
	HrandfieldRange = "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
)
