package command

import (
	"bytes"
	"math"
	"math/big"
	"slices"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/hash"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/quicklist"
	"github.com/redis-clone/redis-clone/internal/rerr"
	setval "github.com/redis-clone/redis-clone/internal/set"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// SORT and SORT_RO (Redis's sort.c): sort the elements of a list, set or
// sorted set numerically or lexicographically, by themselves or by the
// values of other keys (BY pattern, including hash fields "key*->field"),
// optionally fetching other keys per element (GET pattern, "#" for the
// element itself), and either reply with the result or store it as a list.

var sortCats = []string{"set", "sortedset", "list", "dangerous"}

var _ = register(
	&core.Command{Name: "sort", Arity: -2, Flags: core.FlagWrite | core.FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1,
		KeysFunc: sortKeys, Handler: sortCommand, Group: "generic", Since: "1.0.0",
		Summary: "Sort the elements in a list, set or sorted set", Categories: sortCats},
	&core.Command{Name: "sort_ro", Arity: -2, Flags: core.FlagReadOnly, FirstKey: 1, LastKey: 1, Step: 1,
		Handler: sortroCommand, Group: "generic", Since: "7.0.0",
		Summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", Categories: sortCats},
)

// sortKeys is sortGetKeys: the sorted key, plus the key of the last STORE
// option (skipping the arguments of LIMIT, GET and BY).
func sortKeys(args [][]byte) []int {
	if len(args) < 2 {
		return nil
	}
	keys := []int{1}
	store := -1
	for i := 2; i < len(args); i++ {
		switch {
		case optIs(args[i], "LIMIT"):
			i += 2
		case optIs(args[i], "GET"), optIs(args[i], "BY"):
			i++
		case optIs(args[i], "STORE") && i+1 < len(args):
			store = i + 1
		}
	}
	if store > 0 {
		keys = append(keys, store)
	}
	return keys
}

func sortCommand(ctx *core.Ctx)   { sortGeneric(ctx, false) }
func sortroCommand(ctx *core.Ctx) { sortGeneric(ctx, true) }

// sortItem is one element of the vector SORT sorts (redisSortObject).
type sortItem struct {
	obj    string
	score  float64
	cmp    []byte // the BY value, with ALPHA
	hasCmp bool
}

// sortOptions are SORT's parsed options and the comparison mode.
type sortOptions struct {
	desc, alpha, byPattern, store bool
}

// sortGeneric is sortCommandGeneric; readonly rejects STORE (SORT_RO).
func sortGeneric(ctx *core.Ctx, readonly bool) {
	args := ctx.Args
	var opt sortOptions
	limitStart, limitCount := int64(0), int64(-1)
	dontsort := false
	var sortby, storekey []byte
	var gets [][]byte
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		a := args[j]
		switch {
		case optIs(a, "ASC"):
			opt.desc = false
		case optIs(a, "DESC"):
			opt.desc = true
		case optIs(a, "ALPHA"):
			opt.alpha = true
		case optIs(a, "LIMIT") && left >= 2:
			s, ok1 := numfmt.ParseInt(args[j+1])
			c, ok2 := numfmt.ParseInt(args[j+2])
			if !ok1 || !ok2 {
				ctx.Error(rerr.NotInteger)
				return
			}
			limitStart, limitCount = s, c
			j += 2
		case !readonly && optIs(a, "STORE") && left >= 1:
			storekey = args[j+1]
			j++
		case optIs(a, "BY") && left >= 1:
			sortby = args[j+1]
			// A BY pattern without '*' is constant: nothing to sort.
			if bytes.IndexByte(cstr(sortby), '*') < 0 {
				dontsort = true
			}
			j++
		case optIs(a, "GET") && left >= 1:
			gets = append(gets, args[j+1])
			j++
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}

	o := ctx.DB.Lookup(args[1])
	if o != nil && o.Type != keyspace.TypeSet && o.Type != keyspace.TypeList && o.Type != keyspace.TypeZSet {
		ctx.WrongType()
		return
	}
	// A set has no order of its own: when the result is stored, sort it
	// so that replicas and the AOF see the same list.
	if dontsort && o != nil && o.Type == keyspace.TypeSet && (storekey != nil || ctx.Client.Script) {
		dontsort = false
		opt.alpha = true
		sortby = nil
	}
	opt.byPattern = sortby != nil
	opt.store = storekey != nil

	var n int64
	if o != nil {
		switch o.Type {
		case keyspace.TypeList:
			n = int64(o.Val.(*quicklist.List).Len())
		case keyspace.TypeSet:
			n = int64(setOf(o).Len())
		case keyspace.TypeZSet:
			n = int64(o.Val.(*zset.ZSet).Len())
		}
	}
	start := min(max(limitStart, 0), n)
	limitCount = min(max(limitCount, -1), n)
	end := n - 1
	if limitCount >= 0 {
		end = start + limitCount - 1
	}
	if start >= n {
		start, end = n-1, n-2
	}
	if end >= n {
		end = n - 1
	}

	// Load the vector. Lists and sorted sets that need no sorting load
	// just the requested range, in their own order (reversed by DESC).
	vectorLen := n
	if o != nil && (o.Type == keyspace.TypeList || o.Type == keyspace.TypeZSet) && dontsort && (start != 0 || end != n-1) {
		vectorLen = end - start + 1
	}
	vector := make([]sortItem, 0, max(vectorLen, 0))
	if o != nil {
		switch o.Type {
		case keyspace.TypeList:
			l := o.Val.(*quicklist.List)
			if dontsort {
				if end >= start {
					from := int(start)
					if opt.desc {
						from = int(n - start - 1)
					}
					l.Range(from, opt.desc, func(_ int, v []byte) bool {
						if int64(len(vector)) >= vectorLen {
							return false
						}
						vector = append(vector, sortItem{obj: string(v)})
						return true
					})
					end -= start
					start = 0
				}
			} else {
				l.Range(0, false, func(_ int, v []byte) bool {
					vector = append(vector, sortItem{obj: string(v)})
					return true
				})
			}
		case keyspace.TypeSet:
			setOf(o).Range(func(m setval.Member) bool {
				vector = append(vector, sortItem{obj: m.String()})
				return true
			})
		case keyspace.TypeZSet:
			z := o.Val.(*zset.ZSet)
			if dontsort {
				if vectorLen > 0 {
					z.RangeByRank(int(start), int(start+vectorLen-1), opt.desc, func(m []byte, _ float64) {
						vector = append(vector, sortItem{obj: string(m)})
					})
				}
				end -= start
				start = 0
			} else {
				z.Range(false, func(m []byte, _ float64) {
					vector = append(vector, sortItem{obj: string(m)})
				})
			}
		}
	}

	conversionError := false
	if !dontsort {
		for i := range vector {
			it := &vector[i]
			var byval []byte
			if sortby != nil {
				v, ok := lookupKeyByPattern(ctx, sortby, it.obj)
				if !ok {
					continue
				}
				byval = v
			} else {
				byval = []byte(it.obj)
			}
			if opt.alpha {
				if sortby != nil {
					it.cmp, it.hasCmp = byval, true
				}
				continue
			}
			f, ok := sortScore(byval)
			if !ok {
				conversionError = true
			}
			it.score = f
		}
		slices.SortStableFunc(vector, func(a, b sortItem) int { return sortCompare(&opt, &a, &b) })
	}

	if conversionError {
		ctx.Error(rerr.SortScores)
		return
	}
	span := end - start + 1
	if span < 0 {
		span = 0
	}
	outputLen := span
	if len(gets) > 0 {
		outputLen = int64(len(gets)) * span
	}
	w := ctx.W
	if storekey == nil {
		w.ArrayLen(int(outputLen))
		for j := start; j <= end; j++ {
			obj := vector[j].obj
			if len(gets) == 0 {
				w.BulkString(obj)
			}
			for _, pat := range gets {
				if v, ok := lookupKeyByPattern(ctx, pat, obj); ok {
					w.Bulk(v)
				} else {
					w.Null()
				}
			}
		}
		return
	}

	l := quicklist.New(ctx.Srv.Config.ListMaxListpackSize)
	for j := start; j <= end; j++ {
		obj := vector[j].obj
		if len(gets) == 0 {
			l.PushBack([]byte(obj))
			continue
		}
		for _, pat := range gets {
			v, _ := lookupKeyByPattern(ctx, pat, obj)
			l.PushBack(v) // a missing value is stored as ""
		}
	}
	if outputLen > 0 {
		ctx.DB.Set(storekey, &keyspace.Object{Type: keyspace.TypeList, Val: l}, false)
		ctx.Notify(nList, "sortstore", storekey)
		ctx.Dirty(int(outputLen))
	} else if ctx.DB.Delete(storekey) {
		ctx.Notify(nGeneric, "del", storekey)
		ctx.Dirty(1)
	}
	w.Int(outputLen)
}

// sortCompare is sortCompare: by score then by element bytes, or
// lexicographically with ALPHA (by the BY values, missing ones first, when
// a BY pattern is given); DESC reverses it.
func sortCompare(opt *sortOptions, a, b *sortItem) int {
	var c int
	switch {
	case !opt.alpha:
		switch {
		case a.score > b.score:
			c = 1
		case a.score < b.score:
			c = -1
		default:
			c = compareBinary(a.obj, b.obj)
		}
	case opt.byPattern:
		switch {
		case !a.hasCmp || !b.hasCmp:
			switch {
			case a.hasCmp == b.hasCmp:
				c = 0
			case !a.hasCmp:
				c = -1
			default:
				c = 1
			}
		case opt.store:
			c = bytes.Compare(a.cmp, b.cmp)
		default:
			c = compareCollate(a.cmp, b.cmp)
		}
	case opt.store:
		c = compareBinary(a.obj, b.obj)
	default:
		c = compareCollate(a.obj, b.obj)
	}
	if opt.desc {
		return -c
	}
	return c
}

// compareBinary is compareStringObjects: memcmp, then length.
func compareBinary(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareCollate is strcoll in the "C" locale: the bytes up to the first
// NUL, compared as unsigned chars. (Redis collates with the locale of its
// environment; under C or C.UTF-8 that is this byte order.)
func compareCollate[T ~string | ~[]byte](a, b T) int {
	if i := indexNUL(a); i >= 0 {
		a = a[:i]
	}
	if i := indexNUL(b); i >= 0 {
		b = b[:i]
	}
	return compareBinary(string(a), string(b))
}

// indexNUL returns the index of the first NUL byte of s, or -1.
func indexNUL[T ~string | ~[]byte](s T) int {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return i
		}
	}
	return -1
}

// minNormal is the smallest positive normal double (DBL_MIN).
const minNormal = 2.2250738585072014e-308

// sortScore converts a sort weight like SORT's strtod check: the
// conversion must stop at the end of the value (or at a NUL byte), and
// NaN and ERANGE results (overflow, or a tiny value that cannot be
// represented exactly) are errors. Leading white space is skipped and an
// empty value is 0.
func sortScore(b []byte) (float64, bool) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	f, ok := numfmt.ParseFloatLoose(b)
	if !ok || math.IsNaN(f) {
		return 0, false
	}
	t := bytes.TrimLeft(b, " \t\n\v\f\r")
	if len(t) == 0 {
		return f, true
	}
	if math.IsInf(f, 0) {
		// A literal infinity is fine; an overflow is ERANGE.
		return f, bytes.ContainsAny(t, "iI")
	}
	if f == 0 || math.Abs(f) < minNormal {
		if _, strict := numfmt.ParseFloat(t); !strict {
			return 0, false // nonzero underflowing to zero
		}
		if f == 0 {
			return f, true
		}
		// glibc reports ERANGE for a subnormal result unless exact.
		var r big.Rat
		if _, ok := r.SetString(string(t)); !ok {
			return 0, false
		}
		var exact big.Rat
		exact.SetFloat64(f)
		return f, r.Cmp(&exact) == 0
	}
	return f, true
}

// lookupKeyByPattern is lookupKeyByPattern: "#" is the element itself;
// otherwise the first '*' of pattern is replaced by the element to name a
// key, whose string value is returned, or, when the pattern continues
// with "->field" after the '*', the value of that hash field. It reports
// false when there is no such value (no '*', a missing key or field, or a
// value of another type).
func lookupKeyByPattern(ctx *core.Ctx, pattern []byte, elem string) ([]byte, bool) {
	cpat := cstr(pattern)
	if len(cpat) == 1 && cpat[0] == '#' {
		return []byte(elem), true
	}
	p := bytes.IndexByte(cpat, '*')
	if p < 0 {
		return nil, false
	}
	var field []byte
	fieldLen := 0
	if f := bytes.Index(cpat[p+1:], []byte("->")); f >= 0 {
		f += p + 1
		if f+2 < len(cpat) {
			field = pattern[f+2:]
			fieldLen = len(field)
		}
	}
	postfix := pattern[p+1:]
	if fieldLen > 0 {
		postfix = pattern[p+1 : len(pattern)-fieldLen-2]
	}
	key := make([]byte, 0, p+len(elem)+len(postfix))
	key = append(key, pattern[:p]...)
	key = append(key, elem...)
	key = append(key, postfix...)

	o := ctx.DB.Lookup(key)
	if o == nil {
		return nil, false
	}
	if fieldLen > 0 {
		if o.Type != keyspace.TypeHash {
			return nil, false
		}
		return o.Val.(*hash.Hash).Get(field)
	}
	if o.Type != keyspace.TypeString {
		return nil, false
	}
	return o.Str, true
}
