package zset

import (
	"math"

	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// ScoreRange is a score interval as ZRANGEBYSCORE takes it (zrangespec):
// Min and Max, each inclusive unless MinEx/MaxEx.
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

// ParseScoreRange parses min and max like zslParseRange: an optional '('
// prefix makes a bound exclusive, the rest must be a strtod number that is
// not NaN ("-inf", "+inf", "1e3", "0x10" …). It reports false when either
// bound is not valid ("ERR min or max is not a float").
func ParseScoreRange(min, max []byte) (ScoreRange, bool) {
	var r ScoreRange
	var ok bool
	if r.Min, r.MinEx, ok = parseScoreBound(min); !ok {
		return r, false
	}
	if r.Max, r.MaxEx, ok = parseScoreBound(max); !ok {
		return r, false
	}
	return r, true
}

// parseScoreBound parses one bound of a score range.
func parseScoreBound(b []byte) (float64, bool, bool) {
	ex := false
	if len(b) > 0 && b[0] == '(' {
		ex = true
		b = b[1:]
	}
	f, ok := numfmt.ParseFloatLoose(b)
	if !ok || math.IsNaN(f) {
		return 0, false, false
	}
	return f, ex, true
}

// GteMin reports whether v is at or above the range's minimum
// (zslValueGteMin).
func (r *ScoreRange) GteMin(v float64) bool {
	if r.MinEx {
		return v > r.Min
	}
	return v >= r.Min
}

// LteMax reports whether v is at or below the range's maximum
// (zslValueLteMax).
func (r *ScoreRange) LteMax(v float64) bool {
	if r.MaxEx {
		return v < r.Max
	}
	return v <= r.Max
}

// Contains reports whether v lies in the range.
func (r *ScoreRange) Contains(v float64) bool { return r.GteMin(v) && r.LteMax(v) }

// Empty reports whether no score can lie in the range.
func (r *ScoreRange) Empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

// LexBound is one end of a lexicographic range: "-" (Inf < 0), "+"
// (Inf > 0), or a member with "[" (inclusive) or "(" (exclusive).
type LexBound struct {
	Inf   int // -1 for "-", +1 for "+", 0 for a member
	Value string
	Ex    bool
}

// LexRange is a member interval as ZRANGEBYLEX takes it (zlexrangespec).
type LexRange struct {
	Min, Max LexBound
}

// ParseLexRange parses min and max like zslParseLexRange. It reports false
// when either is not "-", "+" or a member prefixed by "(" or "[" ("ERR min
// or max not valid string range item").
func ParseLexRange(min, max []byte) (LexRange, bool) {
	var r LexRange
	var ok bool
	if r.Min, ok = parseLexBound(min); !ok {
		return r, false
	}
	if r.Max, ok = parseLexBound(max); !ok {
		return r, false
	}
	return r, true
}

// parseLexBound parses one bound of a member range.
func parseLexBound(b []byte) (LexBound, bool) {
	if len(b) == 0 {
		return LexBound{}, false
	}
	// Redis looks at the C string: "+" and "-" must be followed by the
	// terminating NUL, so "+\x00..." is "+" too.
	switch b[0] {
	case '+':
		if len(b) > 1 && b[1] != 0 {
			return LexBound{}, false
		}
		return LexBound{Inf: 1, Ex: true}, true
	case '-':
		if len(b) > 1 && b[1] != 0 {
			return LexBound{}, false
		}
		return LexBound{Inf: -1, Ex: true}, true
	case '(':
		return LexBound{Value: string(b[1:]), Ex: true}, true
	case '[':
		return LexBound{Value: string(b[1:])}, true
	}
	return LexBound{}, false
}

// cmpBound compares member v with bound b (sdscmplex).
func cmpBound(v string, b *LexBound) int {
	switch {
	case b.Inf < 0:
		return 1
	case b.Inf > 0:
		return -1
	case v < b.Value:
		return -1
	case v > b.Value:
		return 1
	}
	return 0
}

// GteMin reports whether member v is at or above the minimum.
func (r *LexRange) GteMin(v string) bool {
	c := cmpBound(v, &r.Min)
	if r.Min.Ex {
		return c > 0
	}
	return c >= 0
}

// LteMax reports whether member v is at or below the maximum.
func (r *LexRange) LteMax(v string) bool {
	c := cmpBound(v, &r.Max)
	if r.Max.Ex {
		return c < 0
	}
	return c <= 0
}

// Contains reports whether member v lies in the range.
func (r *LexRange) Contains(v string) bool { return r.GteMin(v) && r.LteMax(v) }

// Empty reports whether no member can lie in the range.
func (r *LexRange) Empty() bool {
	var c int
	a, b := &r.Min, &r.Max
	switch {
	case a.Inf != 0 && a.Inf == b.Inf:
		c = 0
	case a.Inf < 0 || b.Inf > 0:
		c = -1
	case a.Inf > 0 || b.Inf < 0:
		c = 1
	case a.Value < b.Value:
		c = -1
	case a.Value > b.Value:
		c = 1
	}
	return c > 0 || (c == 0 && (a.Ex || b.Ex))
}
