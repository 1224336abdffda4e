package stream

import (
	"bytes"
	"math"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// ID is a stream entry ID: a millisecond time and a sequence number,
// compared as one 128-bit number (Redis's streamID).
type ID struct {
	Ms, Seq uint64
}

// MinID and MaxID are the smallest and largest IDs ("-" and "+").
var (
	MinID = ID{}
	MaxID = ID{math.MaxUint64, math.MaxUint64}
)

// Compare returns -1, 0 or 1 as a is smaller than, equal to or greater
// than b (streamCompareID).
func (a ID) Compare(b ID) int {
	switch {
	case a.Ms > b.Ms:
		return 1
	case a.Ms < b.Ms:
		return -1
	case a.Seq > b.Seq:
		return 1
	case a.Seq < b.Seq:
		return -1
	}
	return 0
}

// Less reports whether a < b.
func (a ID) Less(b ID) bool { return a.Ms < b.Ms || (a.Ms == b.Ms && a.Seq < b.Seq) }

// IsZero reports whether id is 0-0.
func (id ID) IsZero() bool { return id.Ms == 0 && id.Seq == 0 }

// Next returns the successor of id (streamIncrID). The successor of MaxID
// is 0-0, with ok false.
func (id ID) Next() (ID, bool) {
	if id.Seq == math.MaxUint64 {
		if id.Ms == math.MaxUint64 {
			return ID{}, false
		}
		return ID{id.Ms + 1, 0}, true
	}
	return ID{id.Ms, id.Seq + 1}, true
}

// Prev returns the predecessor of id (streamDecrID). The predecessor of
// 0-0 is MaxID, with ok false.
func (id ID) Prev() (ID, bool) {
	if id.Seq == 0 {
		if id.Ms == 0 {
			return MaxID, false
		}
		return ID{id.Ms - 1, math.MaxUint64}, true
	}
	return ID{id.Ms, id.Seq - 1}, true
}

// String returns "<ms>-<seq>".
func (id ID) String() string { return string(id.Append(nil)) }

// Append appends "<ms>-<seq>" to dst.
func (id ID) Append(dst []byte) []byte {
	dst = strconv.AppendUint(dst, id.Ms, 10)
	dst = append(dst, '-')
	return strconv.AppendUint(dst, id.Seq, 10)
}

// maxIDArg is the longest argument Redis parses as an ID (a 128-byte
// buffer with its terminating NUL).
const maxIDArg = 127

// ParseID parses a stream ID argument exactly as Redis's
// streamGenericParseIDOrReply: "-" and "+" are MinID and MaxID (refused
// when strict), "<ms>" takes missingSeq as its sequence, "<ms>-<seq>" both
// parts as unsigned 64-bit numbers (string2ull: the canonical form, or
// what strtoull accepts: leading spaces, a sign, leading zeros). With
// seqStar, "<ms>-*" is accepted and seqGiven reports false for it. As in
// C, the argument ends at its first NUL byte; longer than 127 bytes is
// invalid.
func ParseID(b []byte, missingSeq uint64, strict, seqStar bool) (id ID, seqGiven bool, ok bool) {
	if len(b) > maxIDArg {
		return ID{}, false, false
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if len(b) == 1 && (b[0] == '-' || b[0] == '+') {
		if strict {
			return ID{}, false, false
		}
		if b[0] == '-' {
			return MinID, true, true
		}
		return MaxID, true, true
	}
	msPart, seqPart, hasDash := bytes.Cut(b, []byte{'-'})
	ms, ok := parseULL(msPart)
	if !ok {
		return ID{}, false, false
	}
	if !hasDash {
		return ID{ms, missingSeq}, true, true
	}
	if seqStar && len(seqPart) == 1 && seqPart[0] == '*' {
		return ID{ms, 0}, false, true
	}
	seq, ok := parseULL(seqPart)
	if !ok {
		return ID{}, false, false
	}
	return ID{ms, seq}, true, true
}

// parseULL is Redis's string2ull: string2ll for the canonical form (a
// negative value is refused), else strtoull's syntax over the whole string.
func parseULL(b []byte) (uint64, bool) {
	if v, ok := numfmt.ParseInt(b); ok {
		if v < 0 {
			return 0, false
		}
		return uint64(v), true
	}
	return strtoull(b)
}

// strtoull mimics C's strtoull(s, &end, 10) followed by the checks of
// string2ull: a non-empty string entirely consumed, no ERANGE. It accepts
// leading white space, an optional sign (a '-' negates modulo 2^64) and
// at least one decimal digit.
func strtoull(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			overflow = true
		}
		v = v*10 + d
	}
	if i == start || i != len(b) || overflow {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
