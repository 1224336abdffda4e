package set

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/dict"
	"github.com/redis-clone/redis-clone/internal/numfmt"
)

// maxIntsetLimit caps set-max-intset-entries as setTypeAdd does ("limit to
// 1G entries due to intset internals").
const maxIntsetLimit = 1 << 30

// Encoding names as OBJECT ENCODING reports them.
const (
	EncodingIntset    = "intset"
	EncodingHashtable = "hashtable"
)

// Member is one element of a set as iteration and sampling yield it: an
// integer (IsInt) when the set is an intset, else a string.
type Member struct {
	Str   string
	Int   int64
	IsInt bool
}

// IntMember returns the Member for integer v.
func IntMember(v int64) Member { return Member{Int: v, IsInt: true} }

// StrMember returns the Member for string s.
func StrMember(s string) Member { return Member{Str: s} }

// String returns the member's bytes as a string (integers in decimal).
func (m Member) String() string {
	if m.IsInt {
		return strconv.FormatInt(m.Int, 10)
	}
	return m.Str
}

// Append appends the member's bytes to dst.
func (m Member) Append(dst []byte) []byte {
	if m.IsInt {
		return strconv.AppendInt(dst, m.Int, 10)
	}
	return append(dst, m.Str...)
}

// Set is the value of a set key: an intset (sorted integers) or a
// hashtable of strings. The zero value is an empty intset.
type Set struct {
	ints []int64              // intset encoding while ht is nil
	ht   *dict.Dict[struct{}] // hashtable encoding
}

// New returns an empty set in the intset encoding (createIntsetObject).
func New() *Set { return &Set{} }

// NewHashtable returns an empty set in the hashtable encoding
// (createSetObject), presized for sizeHint members when positive.
func NewHashtable(sizeHint int) *Set {
	return &Set{ht: dict.New[struct{}](sizeHint)}
}

// NewFor returns an empty set able to hold first, as setTypeCreate: an
// intset when first is an integer, else a hashtable.
func NewFor(first []byte) *Set {
	if _, ok := numfmt.ParseInt(first); ok {
		return New()
	}
	return NewHashtable(0)
}

// NewForMember is NewFor for a Member.
func NewForMember(first Member) *Set {
	if first.IsInt {
		return New()
	}
	if _, ok := numfmt.ParseIntString(first.Str); ok {
		return New()
	}
	return NewHashtable(0)
}

// limit clamps the configured set-max-intset-entries like setTypeAdd.
func limit(maxIntset int) int {
	if maxIntset >= maxIntsetLimit {
		return maxIntsetLimit
	}
	return maxIntset
}

// IsIntset reports whether s uses the intset encoding.
func (s *Set) IsIntset() bool { return s.ht == nil }

// Encoding returns "intset" or "hashtable".
func (s *Set) Encoding() string {
	if s.ht == nil {
		return EncodingIntset
	}
	return EncodingHashtable
}

// Len returns the number of members.
func (s *Set) Len() int {
	if s.ht == nil {
		return len(s.ints)
	}
	return s.ht.Len()
}

// Ints returns the members of an intset in ascending order (nil for a
// hashtable). The slice is s's own storage: read it, do not keep it across
// changes to s.
func (s *Set) Ints() []int64 {
	if s.ht != nil {
		return nil
	}
	return s.ints
}

// ConvertToHashtable switches an intset to the hashtable encoding
// (setTypeConvert), presized for its members. A hashtable is left alone.
func (s *Set) ConvertToHashtable() {
	if s.ht != nil {
		return
	}
	ht := dict.New[struct{}](len(s.ints))
	var buf [20]byte
	for _, v := range s.ints {
		ht.Set(string(strconv.AppendInt(buf[:0], v, 10)), struct{}{})
	}
	s.ht, s.ints = ht, nil
}

// addInt adds v to an intset, converting to a hashtable when the intset
// grows beyond maxIntset members.
func (s *Set) addInt(v int64, maxIntset int) bool {
	i, found := slices.BinarySearch(s.ints, v)
	if found {
		return false
	}
	s.ints = slices.Insert(s.ints, i, v)
	if len(s.ints) > limit(maxIntset) {
		s.ConvertToHashtable()
	}
	return true
}

// Add adds member m (copied) and reports whether it was new. maxIntset is
// set-max-intset-entries: an intset converts to a hashtable when it would
// hold more, or when m is not an integer.
func (s *Set) Add(m []byte, maxIntset int) bool {
	if s.ht == nil {
		if v, ok := numfmt.ParseInt(m); ok {
			return s.addInt(v, maxIntset)
		}
		s.ConvertToHashtable()
		s.ht.Set(string(m), struct{}{})
		return true
	}
	if _, ok := s.ht.GetBytes(m); ok {
		return false
	}
	s.ht.Set(string(m), struct{}{})
	return true
}

// AddString is Add for a string member (kept without copying).
func (s *Set) AddString(m string, maxIntset int) bool {
	if s.ht == nil {
		if v, ok := numfmt.ParseIntString(m); ok {
			return s.addInt(v, maxIntset)
		}
		s.ConvertToHashtable()
		s.ht.Set(m, struct{}{})
		return true
	}
	_, added := s.ht.Upsert(m)
	return added
}

// AddInt adds the integer member v (its decimal form for a hashtable).
func (s *Set) AddInt(v int64, maxIntset int) bool {
	if s.ht == nil {
		return s.addInt(v, maxIntset)
	}
	var buf [20]byte
	b := strconv.AppendInt(buf[:0], v, 10)
	if _, ok := s.ht.GetBytes(b); ok {
		return false
	}
	s.ht.Set(string(b), struct{}{})
	return true
}

// AddMember adds m as AddInt or AddString would.
func (s *Set) AddMember(m Member, maxIntset int) bool {
	if m.IsInt {
		return s.AddInt(m.Int, maxIntset)
	}
	return s.AddString(m.Str, maxIntset)
}

// removeInt removes v from an intset.
func (s *Set) removeInt(v int64) bool {
	i, found := slices.BinarySearch(s.ints, v)
	if !found {
		return false
	}
	s.ints = slices.Delete(s.ints, i, i+1)
	return true
}

// Remove removes member m and reports whether it was present. A hashtable
// shrinks when it gets sparse, as setTypeRemove's dictResize.
func (s *Set) Remove(m []byte) bool {
	if s.ht == nil {
		if v, ok := numfmt.ParseInt(m); ok {
			return s.removeInt(v)
		}
		return false
	}
	_, ok := s.ht.DeleteBytes(m)
	return ok
}

// RemoveMember is Remove for a Member.
func (s *Set) RemoveMember(m Member) bool {
	if s.ht == nil {
		if m.IsInt {
			return s.removeInt(m.Int)
		}
		if v, ok := numfmt.ParseIntString(m.Str); ok {
			return s.removeInt(v)
		}
		return false
	}
	if m.IsInt {
		var buf [20]byte
		_, ok := s.ht.DeleteBytes(strconv.AppendInt(buf[:0], m.Int, 10))
		return ok
	}
	_, ok := s.ht.Delete(m.Str)
	return ok
}

// hasInt reports whether an intset holds v.
func (s *Set) hasInt(v int64) bool {
	_, found := slices.BinarySearch(s.ints, v)
	return found
}

// Contains reports whether m is a member.
func (s *Set) Contains(m []byte) bool {
	if s.ht == nil {
		v, ok := numfmt.ParseInt(m)
		return ok && s.hasInt(v)
	}
	_, ok := s.ht.GetBytes(m)
	return ok
}

// ContainsMember reports whether m is a member.
func (s *Set) ContainsMember(m Member) bool {
	if m.IsInt {
		if s.ht == nil {
			return s.hasInt(m.Int)
		}
		var buf [20]byte
		_, ok := s.ht.GetBytes(strconv.AppendInt(buf[:0], m.Int, 10))
		return ok
	}
	if s.ht == nil {
		v, ok := numfmt.ParseIntString(m.Str)
		return ok && s.hasInt(v)
	}
	return s.ht.Contains(m.Str)
}

// Range calls fn for every member until fn returns false: an intset in
// ascending order, a hashtable in table order. fn must not modify s.
func (s *Set) Range(fn func(m Member) bool) {
	if s.ht == nil {
		for _, v := range s.ints {
			if !fn(IntMember(v)) {
				return
			}
		}
		return
	}
	s.ht.Range(func(k string, _ struct{}) bool { return fn(StrMember(k)) })
}

// Random returns a random member (setTypeRandomElement: uniform for an
// intset, dictGetFairRandomKey for a hashtable); ok is false when s is
// empty.
func (s *Set) Random() (m Member, ok bool) {
	if s.ht == nil {
		if len(s.ints) == 0 {
			return m, false
		}
		return IntMember(s.ints[rand.IntN(len(s.ints))]), true
	}
	k, _, ok := s.ht.RandomEntry()
	return StrMember(k), ok
}

// Scan is one step of SSCAN: for a hashtable it visits the bucket(s) at
// cursor and returns the cursor to resume from (0 when done), with
// dict.Dict.Scan's guarantee; an intset is visited whole and 0 returned.
// fn must not modify s.
func (s *Set) Scan(cursor uint64, fn func(m Member)) uint64 {
	if s.ht == nil {
		for _, v := range s.ints {
			fn(IntMember(v))
		}
		return 0
	}
	return s.ht.Scan(cursor, func(k string, _ struct{}) { fn(StrMember(k)) })
}

// Clone returns a deep copy of s with the same encoding (setTypeDup).
func (s *Set) Clone() *Set {
	if s.ht == nil {
		return &Set{ints: slices.Clone(s.ints)}
	}
	ht := dict.New[struct{}](s.ht.Len())
	s.ht.Range(func(k string, _ struct{}) bool {
		ht.Set(k, struct{}{}) // strings are immutable: sharing is safe
		return true
	})
	return &Set{ht: ht}
}

// Slots returns the number of buckets of the hashtable encoding (Redis's
// dictSlots), 0 for an intset.
func (s *Set) Slots() int {
	if s.ht == nil {
		return 0
	}
	return s.ht.Buckets()
}
