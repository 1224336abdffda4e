package keyspace

// Type is the Redis type of a value, as TYPE reports it.
type Type uint8

// The value types.
const (
	TypeString Type = iota
	TypeList
	TypeSet
	TypeZSet
	TypeHash
	TypeStream
)

// String returns the name TYPE replies with.
func (t Type) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeList:
		return "list"
	case TypeSet:
		return "set"
	case TypeZSet:
		return "zset"
	case TypeHash:
		return "hash"
	case TypeStream:
		return "stream"
	}
	return "none"
}

// Object is one stored value. Strings keep their bytes in Str; collections
// keep their structure in Val (owned by the data-type package that made it).
type Object struct {
	Type Type
	// RawStr marks a string that a command edits in place (an HLL,
	// APPEND, SETRANGE, SETBIT, BITFIELD) or builds as Redis's
	// createRawStringObject does (BITOP), which Redis keeps in its "raw"
	// encoding whatever its length and content.
	RawStr bool
	// NoIntStr marks a string Redis makes with createStringObject and never
	// int-encodes (INCRBYFLOAT's result): "embstr" up to 44 bytes, "raw"
	// beyond, even when it reads as an integer.
	NoIntStr bool
	// born is the snapshot epoch current when the object was first stored
	// (0 until then), saved the epoch of the last snapshot that captured
	// it: see snapshot.go.
	born uint32
	// Str is the string value. It may be mutated in place only through an
	// object returned by LookupWrite.
	Str []byte
	// Val holds a collection value.
	Val   any
	saved uint32
	// lru is Redis's 24-bit robj.lru: the LRU clock of the last access, or
	// under an LFU policy the 16-bit minutes of the last decrement and the
	// 8-bit logarithmic counter (access.go). It fills the padding after
	// saved, so it costs no memory.
	lru uint32
}

// NewString returns a string object holding b (not copied).
func NewString(b []byte) *Object { return &Object{Type: TypeString, Str: b} }
