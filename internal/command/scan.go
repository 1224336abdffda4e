package command

import (
	"math"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// scanOptions holds what the options after a SCAN-family cursor ask for.
type scanOptions struct {
	count   int64  // COUNT, 10 by default
	pat     []byte // MATCH pattern
	usePat  bool   // a MATCH other than "*" was given
	typ     string // TYPE (SCAN only)
	useType bool
}

// parseScanOptions parses [MATCH pattern] [COUNT count] [TYPE type] from
// argument first on, like step 1 of Redis's scanGenericCommand: options
// are read in order, each needs its value, the first bad one replies (a
// non-integer COUNT its integer error, COUNT < 1 or an unknown option a
// syntax error). TYPE is accepted only when withType is set (SCAN); for
// the key commands it is an unknown option. It replies the error and
// returns false on bad input.
func parseScanOptions(ctx *core.Ctx, first int, withType bool) (scanOptions, bool) {
	o := scanOptions{count: 10}
	args := ctx.Args
	for i := first; i < len(args); i += 2 {
		more := len(args)-i >= 2
		switch {
		case more && optIs(args[i], "COUNT"):
			n, ok := ctx.Int(i + 1)
			if !ok {
				return o, false
			}
			if n < 1 {
				ctx.Error(rerr.Syntax)
				return o, false
			}
			o.count = n
		case more && optIs(args[i], "MATCH"):
			o.pat = args[i+1]
			o.usePat = !(len(o.pat) == 1 && o.pat[0] == '*')
		case more && withType && optIs(args[i], "TYPE"):
			o.typ = string(args[i+1])
			o.useType = true
		default:
			ctx.Error(rerr.Syntax)
			return o, false
		}
	}
	return o, true
}

// matches reports whether b passes the MATCH filter.
func (o *scanOptions) matches(b []byte) bool {
	return !o.usePat || glob.Match(o.pat, b, false)
}

// scanTable walks a hash table like step 2 of scanGenericCommand: call
// step with the cursor until it returns 0, collected() reaches want
// elements, or ten times want further buckets were visited. perItem is
// the number of reply elements each entry collects (2 for field/value and
// member/score pairs, whose COUNT Redis doubles), so want is count*perItem.
// It returns the next cursor.
func scanTable(cursor uint64, count, perItem int64, step func(uint64) uint64, collected func() int64) uint64 {
	want := count
	if want > math.MaxInt64/(10*perItem) {
		want = math.MaxInt64 / (10 * perItem)
	}
	want *= perItem
	maxIter := want * 10
	for {
		cursor = step(cursor)
		if cursor == 0 || maxIter == 0 {
			return cursor
		}
		maxIter--
		if collected() >= want {
			return cursor
		}
	}
}

// writeEmptyScan writes the reply of a SCAN-family command on a missing
// key: cursor "0" and no elements (Redis's shared.emptyscan).
func writeEmptyScan(w *resp.Writer) {
	w.ArrayLen(2)
	w.BulkString("0")
	w.ArrayLen(0)
}
