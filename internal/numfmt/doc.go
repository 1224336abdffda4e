// Package numfmt owns Redis 7.0's number parsing and formatting rules, so
// that every command accepts, rejects and prints numbers byte for byte like
// redis-server:
//
//   - ParseInt mirrors string2ll (util.c): the strict integer syntax behind
//     INCR, EXPIRE, LRANGE indexes, OBJ_ENCODING_INT and friends.
//   - ParseFloat mirrors string2d (getDoubleFromObject): ZADD and ZINCRBY
//     scores, INCRBYFLOAT-free double arguments. ParseFloatLoose mirrors the
//     bare strtod check of zslParseRange (ZRANGEBYSCORE/ZCOUNT bounds).
//   - FormatFloat/AppendFloat mirror addReplyDouble ("%.17g", the ZSCORE,
//     ZINCRBY and WITHSCORES reply format of 7.0); D2String mirrors d2string
//     (how 7.0 stores scores in listpacks, also used by module replies).
//   - IncrByFloat and HIncrByFloat reproduce INCRBYFLOAT and HINCRBYFLOAT,
//     which Redis computes in x87 80-bit long double (strtold, one rounded
//     addition, then ld2string with LD_STR_HUMAN: "%.17Lf" without trailing
//     zeros). The long double arithmetic is emulated exactly with math/big,
//     including the exponent range and subnormals of the x87 format.
//
// Error values carry Redis's message text without the "ERR " prefix that
// addReplyError adds.
package numfmt
