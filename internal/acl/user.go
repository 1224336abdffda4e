package acl

import (
	"errors"
	"strings"

	"github.com/redis-clone/redis-clone/internal/splitargs"
)

// User flags, in the order ACL LIST and GETUSER show them.
const (
	flagEnabled uint8 = 1 << iota
	flagDisabled
	flagNoPass
	flagSkipSanitize
	flagSanitize
)

var userFlagNames = []struct {
	f    uint8
	name string
}{{flagEnabled, "on"}, {flagDisabled, "off"}, {flagNoPass, "nopass"},
	{flagSkipSanitize, "skip-sanitize-payload"}, {flagSanitize, "sanitize-payload"}}

// Key pattern permissions.
const (
	permRead  = 1
	permWrite = 2
	permAll   = permRead | permWrite
)

type keyPattern struct {
	pattern string
	perm    int
}

func (p keyPattern) String() string {
	switch p.perm {
	case permRead:
		return "%R~" + p.pattern
	case permWrite:
		return "%W~" + p.pattern
	}
	return "~" + p.pattern
}

// selector is a set of permissions: commands, key patterns, channels.
type selector struct {
	root                              bool
	allKeys, allChannels, allCommands bool
	allowed                           []uint64
	firstArgs                         map[int][]string
	patterns                          []keyPattern
	channels                          []string
}

// User is one ACL user.
type User struct {
	Name      string
	flags     uint8
	passwords []string // hex SHA-256
	selectors []*selector
}

// Errors of a rule (ACLSetUserStringError), shown after the modifier.
var (
	errUnknown      = errors.New("Unknown command or category name in ACL")
	errSyntax       = errors.New("Syntax error")
	errKeysAfterAll = errors.New("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns")
	errChanAfterAll = errors.New("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels")
	errNoSuchPass   = errors.New("The password you are trying to remove from the user does not exist")
	errBadHash      = errors.New("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters")
	errFirstArgSub  = errors.New("Allowing first-arg of a subcommand is not supported")
)

func (r *Registry) newSelector(root bool) *selector {
	s := &selector{root: root, allowed: make([]uint64, (r.nbits+63)/64)}
	if r.pubsubDefaultAll() {
		s.allChannels = true
	}
	return s
}

// pubsubDefaultAll reports acl-pubsub-default allchannels.
func (r *Registry) pubsubDefaultAll() bool {
	v, _ := r.srv.Config.Value("acl-pubsub-default")
	return v == "allchannels"
}

func (r *Registry) newUser(name string) *User {
	return &User{Name: name, flags: flagDisabled, selectors: []*selector{r.newSelector(true)}}
}

func (r *Registry) newDefaultUser() *User {
	u := r.newUser("default")
	for _, op := range []string{"+@all", "~*", "&*", "on", "nopass"} {
		_ = u.apply(r, op)
	}
	return u
}

func (s *selector) clone() *selector {
	cp := *s
	cp.allowed = append([]uint64(nil), s.allowed...)
	cp.patterns = append([]keyPattern(nil), s.patterns...)
	cp.channels = append([]string(nil), s.channels...)
	if s.firstArgs != nil {
		cp.firstArgs = make(map[int][]string, len(s.firstArgs))
		for k, v := range s.firstArgs {
			cp.firstArgs[k] = append([]string(nil), v...)
		}
	}
	return &cp
}

func (u *User) clone(name string) *User {
	cp := &User{Name: name, flags: u.flags, passwords: append([]string(nil), u.passwords...)}
	for _, s := range u.selectors {
		cp.selectors = append(cp.selectors, s.clone())
	}
	return cp
}

func (u *User) root() *selector { return u.selectors[0] }

func (s *selector) bit(id int) bool { return s.allowed[id/64]&(1<<(id%64)) != 0 }

func (s *selector) setBit(id int, on bool) {
	if on {
		s.allowed[id/64] |= 1 << (id % 64)
	} else {
		s.allowed[id/64] &^= 1 << (id % 64)
		s.allCommands = false
	}
}

// changePerm is ACLChangeSelectorPerm: a command and all its subcommands.
func (s *selector) changePerm(ci *cmdInfo, on bool) {
	s.setBit(ci.id, on)
	delete(s.firstArgs, ci.id)
	for _, sub := range ci.subs {
		s.setBit(sub.id, on)
	}
}

func (r *Registry) setCategory(s *selector, cat uint32, on bool) {
	r.each(func(ci *cmdInfo) {
		if ci.cats&cat != 0 {
			s.changePerm(ci, on)
		}
	})
}

func hasSpaces(s string) bool {
	return strings.ContainsAny(s, " \x00")
}

// applySelector is ACLSetSelector: one rule about commands, keys or
// channels.
func (r *Registry) applySelector(s *selector, op string) error {
	switch {
	case strings.EqualFold(op, "allkeys") || op == "~*":
		s.allKeys = true
		s.patterns = nil
	case strings.EqualFold(op, "resetkeys"):
		s.allKeys = false
		s.patterns = nil
	case strings.EqualFold(op, "allchannels") || op == "&*":
		s.allChannels = true
		s.channels = nil
	case strings.EqualFold(op, "resetchannels"):
		s.allChannels = false
		s.channels = nil
	case strings.EqualFold(op, "allcommands") || strings.EqualFold(op, "+@all"):
		for i := range s.allowed {
			s.allowed[i] = ^uint64(0)
		}
		s.allCommands = true
		s.firstArgs = nil
	case strings.EqualFold(op, "nocommands") || strings.EqualFold(op, "-@all"):
		for i := range s.allowed {
			s.allowed[i] = 0
		}
		s.allCommands = false
		s.firstArgs = nil
	case op[0] == '~' || op[0] == '%':
		if s.allKeys {
			return errKeysAfterAll
		}
		perm, off := 0, 1
		if op[0] == '%' {
			ok := true
			for ; off < len(op); off++ {
				ch := op[off]
				if (ch == 'R' || ch == 'r') && perm&permRead == 0 {
					perm |= permRead
				} else if (ch == 'W' || ch == 'w') && perm&permWrite == 0 {
					perm |= permWrite
				} else if ch == '~' {
					off++
					break
				} else {
					ok = false
					break
				}
			}
			if perm == 0 || !ok {
				return errSyntax
			}
		} else {
			perm = permAll
		}
		pat := op[min(off, len(op)):]
		if hasSpaces(pat) {
			return errSyntax
		}
		found := false
		for i := range s.patterns {
			if s.patterns[i].pattern == pat {
				s.patterns[i].perm |= perm
				found = true
				break
			}
		}
		if !found {
			s.patterns = append(s.patterns, keyPattern{pat, perm})
		}
		s.allKeys = false
	case op[0] == '&':
		if s.allChannels {
			return errChanAfterAll
		}
		pat := op[1:]
		if hasSpaces(pat) {
			return errSyntax
		}
		dup := false
		for _, c := range s.channels {
			if c == pat {
				dup = true
				break
			}
		}
		if !dup {
			s.channels = append(s.channels, pat)
		}
		s.allChannels = false
	case op[0] == '+' && (len(op) < 2 || op[1] != '@'):
		name := op[1:]
		i := strings.LastIndexByte(name, '|')
		if i < 0 {
			ci := r.lookup(name)
			if ci == nil {
				return errUnknown
			}
			s.changePerm(ci, true)
			return nil
		}
		ci := r.lookup(name[:i])
		sub := name[i+1:]
		if ci == nil {
			return errUnknown
		}
		if ci.parent != nil {
			return errFirstArgSub
		}
		if sub == "" {
			return errSyntax
		}
		if ci.subs != nil {
			sc := r.lookup(name)
			if sc == nil {
				return errUnknown
			}
			s.changePerm(sc, true)
			return nil
		}
		r.srv.Log.Warn("Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: " + op + ")")
		if s.firstArgs == nil {
			s.firstArgs = map[int][]string{}
		}
		for _, a := range s.firstArgs[ci.id] {
			if strings.EqualFold(a, sub) {
				return nil
			}
		}
		s.firstArgs[ci.id] = append(s.firstArgs[ci.id], sub)
	case op[0] == '-' && (len(op) < 2 || op[1] != '@'):
		ci := r.lookup(op[1:])
		if ci == nil {
			return errUnknown
		}
		s.changePerm(ci, false)
	case (op[0] == '+' || op[0] == '-') && op[1] == '@':
		bit := categoryBit(op[2:])
		if bit == 0 {
			return errUnknown
		}
		r.setCategory(s, bit, op[0] == '+')
	default:
		return errSyntax
	}
	return nil
}

func validHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// apply is ACLSetUser: one rule.
func (u *User) apply(r *Registry, op string) error {
	if op == "" {
		return nil
	}
	switch {
	case strings.EqualFold(op, "on"):
		u.flags = u.flags&^flagDisabled | flagEnabled
	case strings.EqualFold(op, "off"):
		u.flags = u.flags&^flagEnabled | flagDisabled
	case strings.EqualFold(op, "skip-sanitize-payload"):
		u.flags = u.flags&^flagSanitize | flagSkipSanitize
	case strings.EqualFold(op, "sanitize-payload"):
		u.flags = u.flags&^flagSkipSanitize | flagSanitize
	case strings.EqualFold(op, "nopass"):
		u.flags |= flagNoPass
		u.passwords = nil
	case strings.EqualFold(op, "resetpass"):
		u.flags &^= flagNoPass
		u.passwords = nil
	case op[0] == '>' || op[0] == '#':
		var h string
		if op[0] == '>' {
			h = hashPassword([]byte(op[1:]))
		} else {
			if !validHash(op[1:]) {
				return errBadHash
			}
			h = op[1:]
		}
		dup := false
		for _, p := range u.passwords {
			if p == h {
				dup = true
				break
			}
		}
		if !dup {
			u.passwords = append(u.passwords, h)
		}
		u.flags &^= flagNoPass
	case op[0] == '<' || op[0] == '!':
		var h string
		if op[0] == '<' {
			h = hashPassword([]byte(op[1:]))
		} else {
			if !validHash(op[1:]) {
				return errBadHash
			}
			h = op[1:]
		}
		for i, p := range u.passwords {
			if p == h {
				u.passwords = append(u.passwords[:i:i], u.passwords[i+1:]...)
				return nil
			}
		}
		return errNoSuchPass
	case op[0] == '(' && op[len(op)-1] == ')':
		s := r.newSelector(false)
		args, _ := splitargs.Split(op[1 : len(op)-1])
		for _, a := range args {
			if err := r.applySelector(s, a); err != nil {
				return err
			}
		}
		u.selectors = append(u.selectors, s)
	case strings.EqualFold(op, "clearselectors"):
		u.selectors = u.selectors[:1]
	case strings.EqualFold(op, "reset"):
		for _, o := range []string{"resetpass", "resetkeys", "resetchannels"} {
			_ = u.apply(r, o)
		}
		if r.pubsubDefaultAll() {
			_ = u.apply(r, "allchannels")
		}
		for _, o := range []string{"off", "sanitize-payload", "clearselectors", "-@all"} {
			_ = u.apply(r, o)
		}
	default:
		return r.applySelector(u.root(), op)
	}
	return nil
}

// mergeSelectorArgs is ACLMergeSelectorArguments: "(a" "b)" → "(a b)".
// bad is the index of an unclosed selector's first argument, or -1.
func mergeSelectorArgs(args []string) (out []string, bad int) {
	open := -1
	var cur string
	for j, op := range args {
		if open < 0 && len(op) > 0 && op[0] == '(' && op[len(op)-1] != ')' {
			cur, open = op, j
			continue
		}
		if open >= 0 {
			cur += " " + op
			if len(op) > 0 && op[len(op)-1] == ')' {
				open = -1
				out = append(out, cur)
			}
			continue
		}
		out = append(out, op)
	}
	if open >= 0 {
		return nil, open
	}
	return out, -1
}
