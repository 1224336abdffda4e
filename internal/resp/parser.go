package resp

import (
	"bytes"
	"math"

	"github.com/redis-clone/redis-clone/internal/splitargs"
)

// Protocol limits of Redis 7.0 (server.h, networking.c).
const (
	// InlineMaxSize is PROTO_INLINE_MAX_SIZE: the most bytes Redis buffers
	// while looking for the end of an inline request or of a count line.
	InlineMaxSize = 64 * 1024
	// DefaultMaxBulkLen is the default of proto-max-bulk-len.
	DefaultMaxBulkLen = 512 * 1024 * 1024
	// MaxMultibulkLen is the largest accepted multibulk count (INT_MAX).
	MaxMultibulkLen = math.MaxInt32
	// UnauthMaxMultibulkLen is the largest multibulk count accepted from a
	// client that still has to authenticate.
	UnauthMaxMultibulkLen = 10
	// UnauthMaxBulkLen is the largest bulk length accepted from a client
	// that still has to authenticate.
	UnauthMaxBulkLen = 16384
	// initialArgsCap caps the argument capacity reserved from a declared
	// count, so that a huge count costs nothing until its bulks arrive.
	initialArgsCap = 1024
	// keepArgsCap is the largest argument capacity kept between requests.
	keepArgsCap = 4096
	// keepScratchCap is the largest inline scratch buffer kept between
	// requests.
	keepScratchCap = 64 * 1024
)

// Limits are the per-client limits the parser enforces.
type Limits struct {
	// MaxBulkLen is proto-max-bulk-len; zero means DefaultMaxBulkLen.
	MaxBulkLen int64
	// Unauthenticated is set while the client still has to authenticate:
	// a multibulk count above 10 or a bulk length above 16384 is then a
	// protocol error.
	Unauthenticated bool
}

// Parser parses client requests. The zero value is ready to use with the
// default limits. A Parser belongs to one connection and is not safe for
// concurrent use.
//
// Besides the reusable argument slices, a Parser remembers how far it got in
// an incomplete multibulk request, so that a request arriving in many reads
// is not parsed again from its start on every call. That is why, after Parse
// reported an incomplete request, the next call must pass the same bytes
// (grown at the end, possibly moved to another array) or Reset must be
// called first.
type Parser struct {
	// Limits are the limits enforced by Parse; they may be changed between
	// calls (for example once the client has authenticated).
	Limits Limits

	args    [][]byte
	scratch []byte // unescaped inline tokens
	spans   []int  // start and end offsets of the bulks parsed so far

	// Resume point of an incomplete multibulk request.
	resume bool
	pos    int // offset of the next bulk header
	left   int // bulks still to read
	// hdr is the length of the next bulk's header when that header is
	// complete but its data is not; bulk is then that bulk's length.
	hdr, bulk int
}

// PendingBulk returns the length of the bulk whose data is still arriving
// in the incomplete request last passed to Parse, or -1.
func (p *Parser) PendingBulk() int {
	if !p.resume || p.hdr == 0 {
		return -1
	}
	return p.bulk
}

// Pending returns how many leading bytes of the incomplete request last
// passed to Parse Redis would already have taken out of its query buffer:
// the multibulk header, the complete bulks and the header of the bulk
// whose data is still arriving (CLIENT LIST qbuf counts the rest). It is
// 0 when no request is pending.
func (p *Parser) Pending() int {
	if !p.resume {
		return 0
	}
	return p.pos + p.hdr
}

// emptyArgs is what Parse returns for an ignored request: empty but not nil.
var emptyArgs = make([][]byte, 0)

// Reset forgets any partially parsed request. Call it before passing Parse a
// buffer that does not start with the bytes of the previous call.
func (p *Parser) Reset() {
	p.resume = false
	p.spans = p.spans[:0]
}

// Parse parses one request from the start of buf.
//
// For a complete request, args holds the arguments and n is the number of
// bytes consumed. The arguments are capacity-limited sub-slices of buf (or,
// for inline arguments with quoted parts, of an internal buffer); args and
// its elements are only valid until the next call to Parse or until buf is
// modified, whichever comes first: copy what must be kept.
//
// An ignored request (an empty inline line, or a multibulk count <= 0) gives
// an empty, non-nil args and n > 0: the caller drops those n bytes and calls
// again.
//
// When buf holds no complete request yet, Parse returns nil, 0, nil: the
// caller reads more and calls again with the grown buffer, which must start
// with the same bytes (see Parser).
//
// A malformed request gives a *ProtocolError whose Error text is the reply to
// send after "-"; the caller sends it and closes the connection.
func (p *Parser) Parse(buf []byte) (args [][]byte, n int, err error) {
	if len(buf) == 0 {
		p.resume = false
		return nil, 0, nil
	}
	if buf[0] == '*' {
		return p.parseMultibulk(buf)
	}
	p.resume = false
	return p.parseInline(buf)
}

// parseInline is processInlineBuffer.
func (p *Parser) parseInline(buf []byte) ([][]byte, int, error) {
	// Redis looks for '\n' with strchr, which also stops at a NUL byte.
	nl := bytes.IndexByte(buf, '\n')
	if nl < 0 || bytes.IndexByte(buf[:nl], 0) >= 0 {
		if len(buf) > InlineMaxSize {
			return nil, 0, errTooBigInline
		}
		return nil, 0, nil
	}
	line := buf[:nl]
	if nl > 0 && buf[nl-1] == '\r' {
		line = buf[:nl-1]
	}
	if cap(p.args) > keepArgsCap {
		p.args = nil
	}
	if cap(p.scratch) > keepScratchCap {
		p.scratch = nil
	}
	args, scratch, err := splitargs.AppendSplit(p.args[:0], p.scratch[:0], line)
	p.args, p.scratch = args[:0], scratch[:0]
	if err != nil {
		return nil, 0, errUnbalanced
	}
	if len(args) == 0 {
		args = emptyArgs
	}
	return args, nl + 1, nil
}

// headerEnd returns the index of the '\r' ending the line at the start of b,
// or -1 if Redis would not see one yet: strchr also stops at a NUL byte.
func headerEnd(b []byte) int {
	// Headers are short: a plain loop beats two IndexByte calls.
	for i, c := range b[:min(len(b), 24)] {
		switch c {
		case '\r':
			return i
		case 0:
			return -1
		}
	}
	i := bytes.IndexByte(b, '\r')
	if i < 0 || bytes.IndexByte(b[:i], 0) >= 0 {
		return -1
	}
	return i
}

// parseMultibulk is processMultibulkBuffer, restartable from p.pos.
func (p *Parser) parseMultibulk(buf []byte) ([][]byte, int, error) {
	var pos, left int
	if p.resume && p.pos <= len(buf) {
		pos, left = p.pos, p.left
	} else {
		p.resume = false
		nl := headerEnd(buf)
		if nl < 0 {
			if len(buf) > InlineMaxSize {
				return nil, 0, errTooBigMbulkCount
			}
			return nil, 0, nil
		}
		// The byte after '\r' must be buffered; Redis does not check it
		// is '\n'.
		if nl > len(buf)-2 {
			return nil, 0, nil
		}
		ll, ok := parseInt(buf[1:nl])
		if !ok || ll > MaxMultibulkLen {
			return nil, 0, errInvalidMbulkLen
		}
		if ll > UnauthMaxMultibulkLen && p.Limits.Unauthenticated {
			return nil, 0, errUnauthMbulkLen
		}
		pos = nl + 2
		if ll <= 0 {
			return emptyArgs, pos, nil
		}
		left = int(ll)
		want := 2 * min(left, initialArgsCap)
		if cap(p.spans) < want || cap(p.spans) > 2*keepArgsCap {
			p.spans = make([]int, 0, want)
		}
		p.spans = p.spans[:0]
	}

	maxBulk := p.Limits.MaxBulkLen
	if maxBulk == 0 {
		maxBulk = DefaultMaxBulkLen
	}
	p.hdr = 0
	for left > 0 {
		rest := buf[pos:]
		nl := headerEnd(rest)
		if nl < 0 {
			if len(rest) > InlineMaxSize {
				p.resume = false
				return nil, 0, errTooBigBulkCount
			}
			break
		}
		if nl > len(rest)-2 {
			break
		}
		if rest[0] != '$' {
			p.resume = false
			return nil, 0, errExpectedDollarByte[rest[0]]
		}
		ll, ok := parseInt(rest[1:nl])
		if !ok || ll < 0 || ll > maxBulk {
			p.resume = false
			return nil, 0, errInvalidBulkLen
		}
		if ll > UnauthMaxBulkLen && p.Limits.Unauthenticated {
			p.resume = false
			return nil, 0, errUnauthBulkLen
		}
		// The data is followed by two bytes that Redis skips unchecked.
		if int64(len(rest)-nl-2)-2 < ll {
			p.hdr, p.bulk = nl+2, int(ll)
			break
		}
		start := pos + nl + 2
		end := start + int(ll)
		p.spans = append(p.spans, start, end)
		pos = end + 2
		left--
	}
	if left > 0 {
		p.resume, p.pos, p.left = true, pos, left
		return nil, 0, nil
	}
	p.resume = false

	nargs := len(p.spans) / 2
	if cap(p.args) < nargs || cap(p.args) > keepArgsCap && nargs <= keepArgsCap {
		p.args = make([][]byte, nargs)
	}
	args := p.args[:nargs]
	for i := range args {
		s, e := p.spans[2*i], p.spans[2*i+1]
		args[i] = buf[s:e:e]
	}
	p.spans = p.spans[:0]
	return args, pos, nil
}

// parseInt is Redis's string2ll: an optional '-', then digits without
// leading zeros (a lone "0" is fine, "-0" is not), at most 20 bytes, within
// the int64 range.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) >= 21 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := false
	if b[0] == '-' {
		neg = true
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	if b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v *= 10
		if v > math.MaxUint64-uint64(c-'0') {
			return 0, false
		}
		v += uint64(c - '0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}
