package config

import (
	"slices"
	"strings"

	"github.com/redis-clone/redis-clone/internal/glob"
)

// Get answers CONFIG GET pattern: see GetMany.
func (c *Config) Get(pattern string) [][2]string {
	return c.GetMany([]string{pattern})
}

// GetMany answers CONFIG GET with several patterns, as Redis 7.0 does.
// A pattern without glob characters (*, ?, [) names one directive or
// alias, case-insensitively, and is reported under the name exactly as
// given; hidden directives are found this way only. A glob pattern
// matches every directive name and alias (case-insensitively) and reports
// each under its own name. Each name appears once; the pairs come in table
// order (Redis's order is its hash table's). Values are formatted exactly
// as Redis formats them.
func (c *Config) GetMany(patterns []string) [][2]string {
	keys := map[*entry]string{}
	taken := map[string]bool{} // lower-case names already reported
	for _, p := range patterns {
		if !strings.ContainsAny(p, "[*?") {
			lp := strings.ToLower(p)
			if taken[lp] {
				continue
			}
			if e, ok := lookup[lp]; ok {
				keys[e] = p
				taken[lp] = true
			}
			continue
		}
		for _, e := range entries {
			if e.d.flags&fHidden != 0 || taken[e.name] {
				continue
			}
			if glob.MatchString(p, e.name, true) {
				keys[e] = e.name
				taken[e.name] = true
			}
		}
	}
	out := make([][2]string, 0, len(keys))
	for _, e := range entries {
		if k, ok := keys[e]; ok {
			out = append(out, [2]string{k, e.d.get(c)})
		}
	}
	return out
}

// Value returns the CONFIG GET value of one directive or alias (any
// case), hidden ones included, and whether the name is known.
func (c *Config) Value(name string) (string, bool) {
	e, ok := lookup[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	return e.d.get(c), true
}

// SetOptions describes the client issuing a CONFIG SET.
type SetOptions struct {
	// Local is true for a client connected over a Unix socket or from a
	// loopback address; with enable-protected-configs "local" it may set
	// protected directives such as dir and dbfilename.
	Local bool
	// Loading is true while the server loads its dataset; directives
	// such as appendonly and dir then refuse to change.
	Loading bool
}

// Set runs CONFIG SET with args = name value [name value ...] for a
// remote client that is not loading; see SetWith.
func (c *Config) Set(args []string) error {
	return c.SetWith(args, SetOptions{})
}

// SetWith runs CONFIG SET name value [name value ...] atomically, as
// Redis 7.0 does: every name is checked first (unknown, immutable,
// protected, duplicate), then all values are stored, then the OnChange
// callbacks of the directives that changed run. If any value is invalid or
// any callback fails, every directive of the call gets its previous value
// back. Multi-argument directives (save, bind, client-output-buffer-limit,
// …) take their arguments space-separated in one value. The returned
// error, if any, is a ReplyError with Redis's exact text.
func (c *Config) SetWith(args []string, o SetOptions) error {
	if len(args) < 2 {
		return ErrSetArity
	}
	if len(args)%2 != 0 {
		return ErrSyntax
	}
	n := len(args) / 2
	ents := make([]*entry, n)
	var (
		invalid, denyLoading, unknown bool
		unknownName, errArg, errMsg   string
	)
	for i := 0; i < n; i++ {
		name := args[2*i]
		e, ok := lookup[strings.ToLower(name)]
		if !ok {
			if !invalid {
				unknownName, unknown = name, true
				invalid = true
			}
			continue
		}
		if invalid {
			continue
		}
		fl := e.d.flags
		if fl&fImmutable != 0 || (fl&fProtected != 0 && !c.protectedAllowed(o.Local)) {
			errMsg = "can't set protected config"
			if fl&fImmutable != 0 {
				errMsg = "can't set immutable config"
			}
			errArg, invalid = name, true
			continue
		}
		if o.Loading && fl&fDenyLoading != 0 {
			denyLoading, invalid = true, true
			continue
		}
		for j := 0; j < i; j++ {
			if ents[j] == e {
				errMsg, errArg, invalid = "duplicate parameter", name, true
				break
			}
		}
		ents[i] = e
	}
	if invalid {
		switch {
		case denyLoading:
			return ErrLoading
		case unknown:
			return errUnknownOption(unknownName)
		}
		return errSetFailed(errArg, errMsg)
	}

	old := make([]string, n)
	for i, e := range ents {
		old[i] = e.d.get(c)
	}
	c.readingFile = false
	var applied []string // directives whose callbacks must run, in order
	var appliedArg []int
	for i, e := range ents {
		res, msg := c.setValue(e.d, args[2*i+1])
		if res == setFailed {
			c.restore(ents[:i+1], old)
			return errSetFailed(e.name, msg)
		}
		if res == setChanged && len(c.callbacks[e.d.name]) > 0 && !slices.Contains(applied, e.d.name) {
			applied = append(applied, e.d.name)
			appliedArg = append(appliedArg, i)
		}
	}
	for k, name := range applied {
		for _, fn := range c.callbacks[name] {
			if err := fn(); err != nil {
				c.restore(ents, old)
				for _, again := range applied {
					for _, fn := range c.callbacks[again] {
						_ = fn() // Redis only logs failures here
					}
				}
				return errSetFailed(ents[appliedArg[k]].name, err.Error())
			}
		}
	}
	return nil
}

// protectedAllowed is allowProtectedAction for enable-protected-configs.
func (c *Config) protectedAllowed(local bool) bool {
	return c.EnableProtectedConfigs == "yes" || (c.EnableProtectedConfigs == "local" && local)
}

// setValue is performInterfaceSet: a multi-argument directive's value is
// split on single spaces.
func (c *Config) setValue(d *directive, value string) (int, string) {
	args := []string{value}
	if d.flags&fMulti != 0 {
		args = splitSpaces(value)
	}
	return d.set(c, args)
}

// restore puts back the values saved before a failed CONFIG SET.
func (c *Config) restore(ents []*entry, old []string) {
	for i, e := range ents {
		c.setValue(e.d, old[i]) // Redis logs a failure and goes on
	}
}
