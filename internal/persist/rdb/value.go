package rdb

// Kind is the Redis data type of a Value.
type Kind uint8

// The data types the codec carries.
const (
	KindString Kind = iota + 1
	KindList
	KindSet
	KindHash
	KindZSet
	KindStream
)

// String returns the type name TYPE would reply with.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindList:
		return "list"
	case KindSet:
		return "set"
	case KindHash:
		return "hash"
	case KindZSet:
		return "zset"
	case KindStream:
		return "stream"
	}
	return "none"
}

// ZMember is one sorted set member with its score.
type ZMember struct {
	Member []byte
	Score  float64
}

// Value is one decoded or to-be-encoded value in plain Go form. Only the
// field matching Kind is used.
type Value struct {
	Kind Kind
	Str  []byte      // KindString
	List [][]byte    // KindList, head to tail
	Set  [][]byte    // KindSet, in storage order
	Hash [][2][]byte // KindHash, field/value pairs in storage order
	ZSet []ZMember   // KindZSet, in storage order (not necessarily sorted)
	// Stream is the KindStream value.
	Stream *Stream
}

// NoExpiry is the expireMs value of a key without a time to live. As in
// Redis, -1 is the only such value; any other expiry, even a negative
// one, is a point in time (long past, for a negative one).
const NoExpiry int64 = -1
