package rdb

// Version is the RDB format version written by this package and by Redis
// 7.0 (RDB_VERSION in rdb.h). Files and DUMP payloads with a higher version
// are refused, as Redis 7.0 refuses them.
const Version = 10

// RDB object types (RDB_TYPE_* in rdb.h).
const (
	typeString           = 0
	typeList             = 1
	typeSet              = 2
	typeZSet             = 3
	typeHash             = 4
	typeZSet2            = 5
	typeModule           = 6
	typeModule2          = 7
	typeHashZipmap       = 9
	typeListZiplist      = 10
	typeSetIntset        = 11
	typeZSetZiplist      = 12
	typeHashZiplist      = 13
	typeListQuicklist    = 14
	typeStreamListpacks  = 15
	typeHashListpack     = 16
	typeZSetListpack     = 17
	typeListQuicklist2   = 18
	typeStreamListpacks2 = 19
)

// RDB opcodes (RDB_OPCODE_* in rdb.h).
const (
	opFunction2    = 245
	opFunction     = 246
	opModuleAux    = 247
	opIdle         = 248
	opFreq         = 249
	opAux          = 250
	opResizeDB     = 251
	opExpireTimeMs = 252
	opExpireTime   = 253
	opSelectDB     = 254
	opEOF          = 255
)

// Length and string encodings (RDB_6BITLEN ... RDB_ENC_LZF).
const (
	len6Bit  = 0
	len14Bit = 1
	len32Bit = 0x80
	len64Bit = 0x81
	encVal   = 3

	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// Quicklist node containers (QUICKLIST_NODE_CONTAINER_*).
const (
	containerPlain  = 1
	containerPacked = 2
)

// Redis 7.0 defaults for the encoding thresholds (redis.conf).
const (
	defaultListMaxListpackSize    = -2
	defaultHashMaxListpackEntries = 128
	defaultHashMaxListpackValue   = 64
	defaultSetMaxIntsetEntries    = 512
	defaultZSetMaxListpackEntries = 128
	defaultZSetMaxListpackValue   = 64
)

// packedThreshold is quicklist's packed_threshold: list elements this long
// or longer are stored in PLAIN nodes of their own. A variable so tests can
// lower it, as DEBUG QUICKLIST-PACKED-THRESHOLD does.
var packedThreshold = 1 << 30

// typeName names an RDB object type for error messages.
func typeName(t int) string {
	switch t {
	case typeString:
		return "string"
	case typeList, typeListZiplist, typeListQuicklist, typeListQuicklist2:
		return "list"
	case typeSet, typeSetIntset:
		return "set"
	case typeZSet, typeZSet2, typeZSetZiplist, typeZSetListpack:
		return "zset"
	case typeHash, typeHashZipmap, typeHashZiplist, typeHashListpack:
		return "hash"
	case typeModule, typeModule2:
		return "module"
	case typeStreamListpacks, typeStreamListpacks2:
		return "stream"
	}
	return "unknown"
}
