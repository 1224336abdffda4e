package rerr

// Error replies of the geo commands (geo.c), without the leading '-'.
const (
	// GeoLongLat is a template (longitude, latitude) for a position outside
	// the supported limits.
	GeoLongLat = "ERR invalid longitude,latitude pair %f,%f"
	// GeoUnit rejects an unknown distance unit.
	GeoUnit = "ERR unsupported unit provided. please use M, KM, FT, MI"
	// GeoRadiusNumeric rejects a radius that is not a float.
	GeoRadiusNumeric = "ERR need numeric radius"
	// GeoRadiusNegative rejects a negative radius.
	GeoRadiusNegative = "ERR radius cannot be negative"
	// GeoWidthNumeric and GeoHeightNumeric reject a BYBOX size that is not a float.
	GeoWidthNumeric  = "ERR need numeric width"
	GeoHeightNumeric = "ERR need numeric height"
	// GeoBoxNegative rejects a negative BYBOX size.
	GeoBoxNegative = "ERR height or width cannot be negative"
	// GeoMember is the reply when the FROMMEMBER / BYMEMBER member is missing.
	GeoMember = "ERR could not decode requested zset member"
	// GeoCount rejects a COUNT below 1.
	GeoCount = "ERR COUNT must be > 0"
	// GeoStoreWith is a template (command wording) for STORE combined with
	// WITHDIST, WITHHASH or WITHCOORD.
	GeoStoreWith = "ERR %s is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
	// GeoFrom is a template (command name as typed) for GEOSEARCH without
	// exactly one of FROMMEMBER and FROMLONLAT.
	GeoFrom = "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for %s"
	// GeoBy is a template (command name as typed) for GEOSEARCH without
	// exactly one of BYRADIUS and BYBOX.
	GeoBy = "ERR exactly one of BYRADIUS and BYBOX can be specified for %s"
	// GeoAnyCount rejects ANY without COUNT.
	GeoAnyCount = "ERR the ANY argument requires COUNT argument"
)
