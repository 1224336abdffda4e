package command

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"

	"github.com/redis-clone/redis-clone/internal/core"
)

// Command metadata that COMMAND INFO, COMMAND DOCS and COMMAND GETKEYS
// report but the executor does not need: summaries, history, argument
// trees, tips and key specifications. commanddocs.json is generated from
// Redis 7.0.15's src/commands/*.json by ./gen; it is read once, on first
// use.

//go:generate go run ./gen -src /opt/redis-src/redis-7.0.15/src/commands -out commanddocs.json

//go:embed commanddocs.json
var commandDocsJSON []byte

// cmdDoc is the metadata of one command or subcommand ("parent|sub").
type cmdDoc struct {
	Name            string      `json:"name"`
	Summary         string      `json:"summary"`
	Complexity      string      `json:"complexity"`
	Since           string      `json:"since"`
	Group           string      `json:"group"`
	DocFlags        []string    `json:"doc_flags"`
	DeprecatedSince string      `json:"deprecated_since"`
	ReplacedBy      string      `json:"replaced_by"`
	History         [][2]string `json:"history"`
	Tips            []string    `json:"tips"`
	Arity           int         `json:"arity"`
	Flags           []string    `json:"flags"`
	ACL             []string    `json:"acl"`
	KeySpecs        []keySpec   `json:"key_specs"`
	GetKeys         bool        `json:"getkeys"`
	Args            []argDoc    `json:"args"`

	// Derived once at load time (Redis's populateCommandLegacyRangeSpec).
	first, last, step int
	movable           bool
}

// keySpec is one key specification: where the search for keys begins
// (BS: "index", "keyword" or "unknown") and how keys are found from there
// (FK: "range", "keynum" or "unknown").
type keySpec struct {
	Notes     string   `json:"notes"`
	Flags     []string `json:"flags"`
	BS        string   `json:"bs"`
	Index     int      `json:"index"`
	Keyword   string   `json:"keyword"`
	StartFrom int      `json:"startfrom"`
	FK        string   `json:"fk"`
	LastKey   int      `json:"lastkey"`
	KeyStep   int      `json:"keystep"`
	Limit     int      `json:"limit"`
	KeyNumIdx int      `json:"keynumidx"`
	FirstKey  int      `json:"firstkey"`
}

// argDoc is one node of a command's argument tree.
type argDoc struct {
	Name            string   `json:"name"`
	Type            string   `json:"type"`
	KeySpecIndex    int      `json:"ksi"`
	Token           *string  `json:"token"` // nil: none (it may be present and empty)
	Summary         string   `json:"summary"`
	Since           string   `json:"since"`
	DeprecatedSince string   `json:"deprecated_since"`
	Flags           []string `json:"flags"`
	Args            []argDoc `json:"args"`
}

var (
	docsOnce sync.Once
	docsMap  map[string]*cmdDoc
)

// docFor returns the metadata of the command with the given lower-case
// full name, or nil for a command Redis does not have.
func docFor(name string) *cmdDoc {
	docsOnce.Do(loadDocs)
	return docsMap[name]
}

func loadDocs() {
	var list []*cmdDoc
	if err := json.Unmarshal(commandDocsJSON, &list); err != nil {
		panic("command: bad commanddocs.json: " + err.Error())
	}
	docsMap = make(map[string]*cmdDoc, len(list))
	for _, d := range list {
		d.legacyRange()
		docsMap[d.Name] = d
	}
}

// legacyRange derives the first/last/step triple of COMMAND INFO and the
// movablekeys flag from the key specs, as Redis does: the plain range
// specs with step 1 that follow each other are merged; anything else
// makes the keys movable.
func (d *cmdDoc) legacyRange() {
	specs := d.KeySpecs
	if len(specs) == 0 {
		return
	}
	if len(specs) == 1 && specs[0].BS == "index" && specs[0].FK == "range" {
		s := specs[0]
		d.first, d.step = s.Index, s.KeyStep
		d.last = s.LastKey
		if d.last >= 0 {
			d.last += s.Index
		}
		if s.hasFlag("INCOMPLETE") {
			d.movable = true
		}
		return
	}
	const none = int(^uint(0) >> 1)
	first, last, prevLast := none, 0, 0
	for _, s := range specs {
		if s.BS != "index" || s.FK != "range" {
			d.movable = true
			continue
		}
		if s.KeyStep != 1 || (prevLast != 0 && prevLast != s.Index-1) {
			d.movable = true
			continue
		}
		if s.hasFlag("INCOMPLETE") {
			d.movable = true
		}
		first = min(first, s.Index)
		abs := s.LastKey
		if abs >= 0 {
			abs += s.Index
		}
		// Unsigned comparison, so that a negative (relative to the end)
		// last key wins over any positive one.
		if uint32(abs) > uint32(last) {
			last = abs
		}
		prevLast = last
	}
	if first == none {
		d.movable = true
		return
	}
	d.first, d.last, d.step = first, last, 1
}

func (s *keySpec) hasFlag(f string) bool {
	for _, x := range s.Flags {
		if x == f {
			return true
		}
	}
	return false
}

func (d *cmdDoc) hasFlag(f string) bool {
	for _, x := range d.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// keyRef is one key found in a command line: its index and the flags of
// the key spec that found it.
type keyRef struct {
	pos   int
	flags []string
}

// keysFromSpecs finds the keys of args (args[0] is the command name; for
// a subcommand args[1] is its name) with the key specs, following Redis's
// getKeysUsingKeySpecs. ok is false when a spec is unknown, incomplete or
// points outside args; with partial set, such specs are skipped instead
// (keys an incomplete spec found are kept).
func (d *cmdDoc) keysFromSpecs(args [][]byte, partial bool) (keys []keyRef, ok bool) {
	argc := len(args)
	for _, s := range d.KeySpecs {
		if s.hasFlag("NOT_KEY") {
			continue
		}
		valid := true
		first := 0
		var last, step int
		switch s.BS {
		case "index":
			first = s.Index
		case "keyword":
			start, end := s.StartFrom, argc-1
			if s.StartFrom <= 0 {
				start, end = argc+s.StartFrom, 1
			}
			for i := start; i != end; {
				if i >= argc || i < 1 {
					break
				}
				if strings.EqualFold(string(args[i]), s.Keyword) {
					first = i + 1
					break
				}
				if start <= end {
					i++
				} else {
					i--
				}
			}
			if first == 0 {
				continue // keyword not found: no keys from this spec
			}
		default:
			valid = false
		}
		if valid {
			switch s.FK {
			case "range":
				step = s.KeyStep
				switch {
				case s.LastKey >= 0:
					last = first + s.LastKey
				case s.Limit == 0:
					last = argc + s.LastKey
				default:
					last = first + ((argc-first)/s.Limit + s.LastKey)
				}
			case "keynum":
				step = s.KeyStep
				idx := first + s.KeyNumIdx
				if idx >= argc {
					valid = false
					break
				}
				n, numOK := parseKeyNum(args[idx])
				if !numOK || n < 0 || n > int64(argc) {
					valid = false
					break
				}
				first += s.FirstKey
				last = first + int(n) - 1
			default:
				valid = false
			}
		}
		if valid && (last >= argc || last < first || first >= argc) {
			valid = false
		}
		if valid {
			if step <= 0 {
				step = 1
			}
			for i := first; i <= last; i += step {
				keys = append(keys, keyRef{pos: i, flags: s.Flags})
			}
			if s.hasFlag("INCOMPLETE") {
				valid = false
			}
		}
		if !valid && !partial {
			return nil, false
		}
	}
	return keys, true
}

// hasKeys reports whether the command may have keys: a key-finding
// function or a key spec that is not NOT_KEY (doesCommandHaveKeys).
func (d *cmdDoc) hasKeys() bool {
	if d.GetKeys {
		return true
	}
	for _, s := range d.KeySpecs {
		if !s.hasFlag("NOT_KEY") {
			return true
		}
	}
	return false
}

// variableFlags reports whether a key spec's flags depend on the
// arguments, so that only the command's own key function knows them.
func (d *cmdDoc) variableFlags() bool {
	for _, s := range d.KeySpecs {
		if s.hasFlag("VARIABLE_FLAGS") {
			return true
		}
	}
	return false
}

func parseKeyNum(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// keyFlagOrder is the order COMMAND reports key-spec flags in.
var keyFlagOrder = []string{"RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
	"not_key", "incomplete", "variable_flags"}

// sortKeyFlags returns flags (as spelled in the JSON: upper case) in
// Redis's reply order and spelling.
func sortKeyFlags(flags []string) []string {
	out := make([]string, 0, len(flags))
	for _, name := range keyFlagOrder {
		for _, f := range flags {
			if strings.EqualFold(f, name) {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// aclCategoryOrder is Redis's list of ACL categories, in reply order.
var aclCategoryOrder = []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash",
	"string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting"}

// groupCategory maps a command group to the ACL category Redis's JSON
// gives commands of that group, for registered commands without docs.
var groupCategory = map[string]string{
	"string": "string", "list": "list", "set": "set", "sorted-set": "sortedset",
	"sorted_set": "sortedset", "hash": "hash", "pubsub": "pubsub", "hyperloglog": "hyperloglog",
	"geo": "geo", "stream": "stream", "bitmap": "bitmap", "transactions": "transaction",
	"scripting": "scripting", "connection": "connection",
}

// aclCategories returns cmd's ACL categories in Redis's order: those
// implied by its flags, plus the documented ones and its own.
func aclCategories(cmd *core.Command) []string {
	set := map[string]bool{}
	f := cmd.Flags
	if f&core.FlagWrite != 0 {
		set["write"] = true
	}
	if d := docFor(cmd.Name); d != nil {
		for _, c := range d.ACL {
			set[c] = true
		}
	} else if c, ok := groupCategory[cmd.Group]; ok {
		set[c] = true
	}
	for _, c := range cmd.Categories {
		set[strings.TrimPrefix(strings.ToLower(c), "@")] = true
	}
	if f&core.FlagReadOnly != 0 && !set["scripting"] {
		set["read"] = true
	}
	if f&core.FlagAdmin != 0 {
		set["admin"] = true
		set["dangerous"] = true
	}
	if f&core.FlagPubSub != 0 {
		set["pubsub"] = true
	}
	if f&core.FlagFast != 0 {
		set["fast"] = true
	}
	if f&core.FlagBlocking != 0 {
		set["blocking"] = true
	}
	if !set["fast"] {
		set["slow"] = true
	}
	out := make([]string, 0, len(set))
	for _, c := range aclCategoryOrder {
		if set[c] {
			out = append(out, c)
		}
	}
	return out
}

// validACLCategory reports whether name is one of Redis's categories.
func validACLCategory(name string) bool {
	for _, c := range aclCategoryOrder {
		if strings.EqualFold(c, name) {
			return true
		}
	}
	return false
}

// commandFlagNames returns the flags COMMAND INFO reports for cmd, in
// Redis's order. Behavioural flags come from the registration; the ones
// the executor has no bit for (asking, no_mandatory_keys,
// no_async_loading) and movablekeys come from the docs.
func commandFlagNames(cmd *core.Command) []string {
	d := docFor(cmd.Name)
	doc := func(name string) bool { return d != nil && d.hasFlag(name) }
	f := cmd.Flags
	movable := cmd.KeysFunc != nil
	if d != nil {
		movable = d.movable
	}
	list := []struct {
		on   bool
		name string
	}{
		{f&core.FlagWrite != 0, "write"},
		{f&core.FlagReadOnly != 0, "readonly"},
		{f&core.FlagDenyOOM != 0, "denyoom"},
		{f&core.FlagAdmin != 0, "admin"},
		{f&core.FlagPubSub != 0, "pubsub"},
		{f&core.FlagNoScript != 0, "noscript"},
		{f&core.FlagBlocking != 0, "blocking"},
		{f&core.FlagLoading != 0, "loading"},
		{f&core.FlagStale != 0, "stale"},
		{f&core.FlagSkipMonitor != 0, "skip_monitor"},
		{f&core.FlagSkipSlowlog != 0, "skip_slowlog"},
		{doc("asking"), "asking"},
		{f&core.FlagFast != 0, "fast"},
		{f&core.FlagNoAuth != 0, "no_auth"},
		{doc("no_mandatory_keys"), "no_mandatory_keys"},
		{doc("no_async_loading"), "no_async_loading"},
		{f&core.FlagNoMulti != 0, "no_multi"},
		{movable, "movablekeys"},
		{f&core.FlagAllowBusy != 0, "allow_busy"},
	}
	var out []string
	for _, x := range list {
		if x.on {
			out = append(out, x.name)
		}
	}
	return out
}

// keyRange returns the first/last/step triple COMMAND INFO reports.
func keyRange(cmd *core.Command) (first, last, step int) {
	if d := docFor(cmd.Name); d != nil {
		return d.first, d.last, d.step
	}
	if cmd.FirstKey <= 0 {
		return 0, 0, 0
	}
	return cmd.FirstKey, cmd.LastKey, cmd.Step
}
