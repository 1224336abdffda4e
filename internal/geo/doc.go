// Package geo is the arithmetic behind Redis's geo commands (geohash.c,
// geohash_helper.c and the helpers of geo.c): the 52-bit interleaved
// geohash a position is stored as (the score of a sorted set member), the
// nine geohash boxes that cover a search radius or box, the haversine
// distance with Redis's earth radius, and the reply formats (four
// fractional digits for distances, Redis's "human" long double form for
// coordinates).
//
// Data flow: internal/command/geo.go parses arguments, encodes positions
// with EncodeWGS84 into scores for ZADD, and for a search asks Areas for
// the score ranges to scan and Shape.Within for each candidate; no state
// lives here. Every operation is done in float64 in the order Redis does
// it, so scores and coordinates match redis-server bit for bit.
package geo
