package config

import (
	"strconv"
	"strings"
)

// dflag is a directive's behaviour, Redis's *_CONFIG flags.
type dflag uint16

const (
	fImmutable   dflag = 1 << iota // CONFIG SET refuses it
	fSensitive                     // value redacted from logs
	fDebug                         // (informational)
	fMulti                         // takes several arguments
	fHidden                        // CONFIG GET patterns skip it
	fProtected                     // settable only if enable-protected-configs allows
	fDenyLoading                   // CONFIG SET refused while loading
	fVolatile                      // a set always counts as a change
)

// kind is a directive's value type.
type kind uint8

const (
	kBool kind = iota
	kNum
	kEnum
	kString
	kSpecial
)

// Numeric flavours, Redis's MEMORY_CONFIG, PERCENT_CONFIG, OCTAL_CONFIG.
const (
	numMemory  = 1 << 0
	numPercent = 1 << 1
	numOctal   = 1 << 2
)

// Set results, as Redis's typeInterface.set returns them.
const (
	setFailed    = 0
	setChanged   = 1
	setUnchanged = 2
)

type enumItem struct {
	name string
	val  int
}

// directive describes one configuration directive: its names, type,
// bounds, default and where its value lives. A directive whose pointer
// accessor is nil keeps its value in Config.other.
type directive struct {
	name  string
	alias string
	flags dflag
	kind  kind
	impl  bool // the server acts on it

	// kBool
	defBool   bool
	boolPtr   func(*Config) *bool
	validBool func(bool) string

	// kNum: the value is a C long long; unsigned selects Redis's unsigned
	// bound checks (unsigned int, size_t, unsigned long long fields).
	unsigned bool
	nflags   int
	lo, hi   int64
	defNum   int64
	intPtr   func(*Config) *int
	i64Ptr   func(*Config) *int64
	u64Ptr   func(*Config) *uint64
	after    func(*Config) // runs after each successful set (hz clamping)

	// kEnum: stored as the canonical name (enumStr) or value (enumInt).
	enum      []enumItem
	defEnum   int
	enumStr   func(*Config) *string
	enumInt   func(*Config) *int
	validEnum func(int) string

	// kString: emptyNull is Redis's EMPTY_STRING_IS_NULL (the empty string
	// means "unset", which CONFIG REWRITE removes); nullDefault says the
	// default is unset.
	defStr      string
	emptyNull   bool
	nullDefault bool
	strPtr      func(*Config) *string
	validStr    func(string) string

	// kSpecial
	initFn    func(*Config)
	setFn     func(c *Config, args []string) (int, string)
	getFn     func(*Config) string
	rewriteFn func(c *Config, st *rewriteState, name string)
}

// entry is one name in the lookup table: a directive's primary name or
// its alias.
type entry struct {
	name  string
	d     *directive
	alias bool
}

var (
	directives []*directive
	entries    []*entry          // table order, each alias right after its directive
	lookup     map[string]*entry // lower-case name → entry
)

func init() {
	directives = table()
	lookup = make(map[string]*entry, 2*len(directives))
	for _, d := range directives {
		e := &entry{name: d.name, d: d}
		entries = append(entries, e)
		lookup[d.name] = e
		if d.alias != "" {
			a := &entry{name: d.alias, d: d, alias: true}
			entries = append(entries, a)
			lookup[d.alias] = a
		}
	}
}

// init stores the directive's default value into c.
func (d *directive) init(c *Config) {
	switch d.kind {
	case kBool:
		d.putBool(c, d.defBool)
	case kNum:
		d.putNum(c, d.defNum)
	case kEnum:
		d.putEnum(c, d.defEnum)
	case kString:
		d.putStr(c, d.defStr)
	case kSpecial:
		d.initFn(c)
	}
}

func (d *directive) boolVal(c *Config) bool {
	if d.boolPtr != nil {
		return *d.boolPtr(c)
	}
	return c.other[d.name].(bool)
}

func (d *directive) putBool(c *Config, v bool) {
	if d.boolPtr != nil {
		*d.boolPtr(c) = v
		return
	}
	c.other[d.name] = v
}

func (d *directive) numVal(c *Config) int64 {
	switch {
	case d.intPtr != nil:
		return int64(*d.intPtr(c))
	case d.i64Ptr != nil:
		return *d.i64Ptr(c)
	case d.u64Ptr != nil:
		return int64(*d.u64Ptr(c))
	}
	return c.other[d.name].(int64)
}

func (d *directive) putNum(c *Config, v int64) {
	switch {
	case d.intPtr != nil:
		*d.intPtr(c) = int(v)
	case d.i64Ptr != nil:
		*d.i64Ptr(c) = v
	case d.u64Ptr != nil:
		*d.u64Ptr(c) = uint64(v)
	default:
		c.other[d.name] = v
	}
}

func (d *directive) enumVal(c *Config) int {
	switch {
	case d.enumStr != nil:
		v, _ := enumValue(d.enum, []string{*d.enumStr(c)}, false)
		return v
	case d.enumInt != nil:
		return *d.enumInt(c)
	}
	return c.other[d.name].(int)
}

func (d *directive) putEnum(c *Config, v int) {
	switch {
	case d.enumStr != nil:
		*d.enumStr(c) = enumName(d.enum, v, d.flags&fMulti != 0)
	case d.enumInt != nil:
		*d.enumInt(c) = v
	default:
		c.other[d.name] = v
	}
}

func (d *directive) strVal(c *Config) string {
	if d.strPtr != nil {
		return *d.strPtr(c)
	}
	return c.other[d.name].(string)
}

func (d *directive) putStr(c *Config, v string) {
	if d.strPtr != nil {
		*d.strPtr(c) = v
		return
	}
	c.other[d.name] = v
}

// set parses args (one argument unless the directive is multi-argument)
// and stores the value. It returns setChanged, setUnchanged, or setFailed
// with Redis's error text.
func (d *directive) set(c *Config, args []string) (int, string) {
	switch d.kind {
	case kBool:
		var v bool
		switch strings.ToLower(args[0]) {
		case "yes":
			v = true
		case "no":
		default:
			return setFailed, "argument must be 'yes' or 'no'"
		}
		if d.validBool != nil {
			if e := d.validBool(v); e != "" {
				return setFailed, e
			}
		}
		if d.boolVal(c) == v {
			return d.unchanged()
		}
		d.putBool(c, v)
		return setChanged, ""
	case kNum:
		v, e := d.parseNum(args[0])
		if e != "" {
			return setFailed, e
		}
		if e := d.checkBounds(v); e != "" {
			return setFailed, e
		}
		prev := d.numVal(c)
		d.putNum(c, v)
		if d.after != nil {
			d.after(c)
		}
		if prev == v {
			return d.unchanged()
		}
		return setChanged, ""
	case kEnum:
		v, ok := enumValue(d.enum, args, d.flags&fMulti != 0)
		if !ok {
			names := make([]string, len(d.enum))
			for i, it := range d.enum {
				names[i] = it.name
			}
			msg := "argument(s) must be one of the following: " + strings.Join(names, ", ")
			if len(msg) > 255 { // Redis copies it into a 256-byte buffer
				msg = msg[:255]
			}
			return setFailed, msg
		}
		if d.validEnum != nil {
			if e := d.validEnum(v); e != "" {
				return setFailed, e
			}
		}
		if d.enumVal(c) == v {
			return d.unchanged()
		}
		d.putEnum(c, v)
		return setChanged, ""
	case kString:
		v := args[0]
		if d.validStr != nil {
			if e := d.validStr(v); e != "" {
				return setFailed, e
			}
		}
		if d.strVal(c) == v {
			return d.unchanged()
		}
		d.putStr(c, v)
		return setChanged, ""
	default:
		return d.setFn(c, args)
	}
}

func (d *directive) unchanged() (int, string) {
	if d.flags&fVolatile != 0 {
		return setChanged, ""
	}
	return setUnchanged, ""
}

// parseNum is Redis's numericParseString.
func (d *directive) parseNum(s string) (int64, string) {
	if d.nflags&numMemory != 0 {
		if v, ok := Memtoull(s); ok {
			return int64(v), ""
		}
	}
	if d.nflags&numPercent != 0 && len(s) > 1 && s[len(s)-1] == '%' {
		if v, ok := string2ll(s[:len(s)-1]); ok && v >= 0 {
			return -v, ""
		}
	}
	if d.nflags&numOctal != 0 {
		v, rest, overflow := strtoll(s, 8)
		if !overflow && rest == "" {
			return v, ""
		}
	}
	if d.nflags == 0 {
		if v, ok := string2ll(s); ok {
			return v, ""
		}
	}
	switch {
	case d.nflags&numMemory != 0 && d.nflags&numPercent != 0:
		return 0, "argument must be a memory or percent value"
	case d.nflags&numMemory != 0:
		return 0, "argument must be a memory value"
	case d.nflags&numOctal != 0:
		return 0, "argument couldn't be parsed as an octal number"
	}
	return 0, "argument couldn't be parsed into an integer"
}

// checkBounds is Redis's numericBoundaryCheck.
func (d *directive) checkBounds(v int64) string {
	if d.unsigned {
		u, lo, hi := uint64(v), uint64(d.lo), uint64(d.hi)
		if u > hi || u < lo {
			if d.nflags&numOctal != 0 {
				return "argument must be between " + strconv.FormatUint(lo, 8) + " and " +
					strconv.FormatUint(hi, 8) + " inclusive"
			}
			return "argument must be between " + strconv.FormatUint(lo, 10) + " and " +
				strconv.FormatUint(hi, 10) + " inclusive"
		}
		return ""
	}
	if d.nflags&numPercent != 0 && v < 0 {
		if v < d.lo {
			return "percentage argument must be less or equal to " + strconv.FormatInt(-d.lo, 10)
		}
		return ""
	}
	if v > d.hi || v < d.lo {
		return "argument must be between " + strconv.FormatInt(d.lo, 10) + " and " +
			strconv.FormatInt(d.hi, 10) + " inclusive"
	}
	return ""
}

// formatNum is Redis's numericConfigGet.
func (d *directive) formatNum(v int64) string {
	switch {
	case d.nflags&numPercent != 0 && v < 0:
		return strconv.FormatInt(-v, 10) + "%"
	case d.nflags&numMemory != 0:
		return strconv.FormatUint(uint64(v), 10)
	case d.nflags&numOctal != 0:
		return strconv.FormatUint(uint64(v), 8)
	}
	return strconv.FormatInt(v, 10)
}

// get returns the value as CONFIG GET reports it.
func (d *directive) get(c *Config) string {
	switch d.kind {
	case kBool:
		if d.boolVal(c) {
			return "yes"
		}
		return "no"
	case kNum:
		return d.formatNum(d.numVal(c))
	case kEnum:
		return enumName(d.enum, d.enumVal(c), d.flags&fMulti != 0)
	case kString:
		return d.strVal(c)
	}
	return d.getFn(c)
}

// enumValue is Redis's configEnumGetValue: the (OR-ed, for bitflags)
// value of the case-insensitive names in args.
func enumValue(items []enumItem, args []string, bitflags bool) (int, bool) {
	if len(args) == 0 || (!bitflags && len(args) != 1) {
		return 0, false
	}
	v := 0
	for _, a := range args {
		matched := false
		for _, it := range items {
			if strings.EqualFold(a, it.name) {
				v |= it.val
				matched = true
			}
		}
		if !matched {
			return 0, false
		}
	}
	return v, true
}

// enumName is Redis's configEnumGetName: the first name with exactly this
// value, else (for bitflags) the names covering its bits, else "unknown".
func enumName(items []enumItem, v int, bitflags bool) string {
	var names []string
	unmatched := v
	for _, it := range items {
		if it.val == v {
			return it.name
		}
		if bitflags && it.val != 0 && it.val == unmatched&it.val {
			names = append(names, it.name)
			unmatched &^= it.val
		}
	}
	if len(names) == 0 || unmatched != 0 {
		return "unknown"
	}
	return strings.Join(names, " ")
}
