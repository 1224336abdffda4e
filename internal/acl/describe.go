package acl

import "strings"

// countCategory counts the commands of a category allowed (on) and
// denied (off) by s's bitmap.
func (r *Registry) countCategory(s *selector, cat uint32) (on, off int) {
	r.each(func(ci *cmdInfo) {
		if ci.cats&cat != 0 {
			if s.bit(ci.id) {
				on++
			} else {
				off++
			}
		}
	})
	return on, off
}

// describeCommands is ACLDescribeSelectorCommandRules: the shortest
// rules Redis would emit to rebuild s's command bitmap: +@all or -@all,
// the best-fitting categories, then single commands and first args.
func (r *Registry) describeCommands(s *selector) string {
	var b strings.Builder
	fake := r.newSelector(false)
	additive := !s.bit(r.futureBit())
	if additive {
		b.WriteString("-@all ")
		_ = r.applySelector(fake, "-@all")
	} else {
		b.WriteString("+@all ")
		_ = r.applySelector(fake, "+@all")
	}
	temp := r.newSelector(false)
	copy(temp.allowed, s.allowed)
	applied := make([]bool, len(Categories))
	for {
		best, mindiff, maxsame := -1, int(^uint(0)>>1), 0
		for j := range Categories {
			if applied[j] {
				continue
			}
			on, off := r.countCategory(temp, 1<<j)
			diff, same := on, off
			if additive {
				diff, same = off, on
			}
			if same > diff && (diff < mindiff || (diff == mindiff && same > maxsame)) {
				best, mindiff, maxsame = j, diff, same
			}
		}
		if best < 0 {
			break
		}
		op, inv := "+@", "-@"
		if !additive {
			op, inv = "-@", "+@"
		}
		_ = r.applySelector(fake, op+Categories[best])
		_ = r.applySelector(temp, inv+Categories[best])
		b.WriteString(op + Categories[best] + " ")
		applied[best] = true
	}
	var single func(l []*cmdInfo)
	single = func(l []*cmdInfo) {
		for _, ci := range l {
			user, fb := s.bit(ci.id), fake.bit(ci.id)
			if user != fb {
				if user {
					b.WriteByte('+')
				} else {
					b.WriteByte('-')
				}
				b.WriteString(ci.cmd.Name + " ")
				fake.changePerm(ci, user)
			}
			single(ci.subs)
			if !user {
				for _, a := range s.firstArgs[ci.id] {
					b.WriteString("+" + ci.cmd.Name + "|" + a + " ")
				}
			}
		}
	}
	single(r.cmds)
	return strings.TrimSuffix(b.String(), " ")
}

// keysDescription is GETUSER's "keys" field.
func keysDescription(s *selector) string {
	if s.allKeys {
		return "~*"
	}
	parts := make([]string, len(s.patterns))
	for i, p := range s.patterns {
		parts[i] = p.String()
	}
	return strings.Join(parts, " ")
}

// channelsDescription is GETUSER's "channels" field.
func channelsDescription(s *selector) string {
	if s.allChannels {
		return "&*"
	}
	parts := make([]string, len(s.channels))
	for i, c := range s.channels {
		parts[i] = "&" + c
	}
	return strings.Join(parts, " ")
}

// describeSelector is ACLDescribeSelector.
func (r *Registry) describeSelector(s *selector) string {
	var b strings.Builder
	if s.allKeys {
		b.WriteString("~* ")
	} else {
		for _, p := range s.patterns {
			b.WriteString(p.String() + " ")
		}
	}
	if s.allChannels {
		b.WriteString("&* ")
	} else {
		b.WriteString("resetchannels ")
		for _, c := range s.channels {
			b.WriteString("&" + c + " ")
		}
	}
	b.WriteString(r.describeCommands(s))
	return b.String()
}

// Describe is ACLDescribeUser: the user's rules as ACL LIST shows them.
func (r *Registry) Describe(u *User) string {
	var b strings.Builder
	for _, f := range userFlagNames {
		if u.flags&f.f != 0 {
			b.WriteString(f.name + " ")
		}
	}
	for _, p := range u.passwords {
		b.WriteString("#" + p + " ")
	}
	for _, s := range u.selectors {
		if s.root {
			b.WriteString(r.describeSelector(s))
		} else {
			b.WriteString(" (" + r.describeSelector(s) + ")")
		}
	}
	return b.String()
}

// flagNames returns the user's flags as GETUSER lists them.
func (u *User) flagNames() []string {
	var out []string
	for _, f := range userFlagNames {
		if u.flags&f.f != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// SelectorInfo is one selector as ACL GETUSER shows it.
type SelectorInfo struct {
	Commands, Keys, Channels string
}

// UserInfo is ACL GETUSER's reply.
type UserInfo struct {
	Flags, Passwords []string
	Root             SelectorInfo
	Selectors        []SelectorInfo
}

// GetUser describes u for ACL GETUSER.
func (r *Registry) GetUser(u *User) UserInfo {
	info := func(s *selector) SelectorInfo {
		return SelectorInfo{r.describeCommands(s), keysDescription(s), channelsDescription(s)}
	}
	g := UserInfo{Flags: u.flagNames(), Passwords: append([]string{}, u.passwords...), Root: info(u.root())}
	g.Selectors = []SelectorInfo{}
	for _, s := range u.selectors[1:] {
		g.Selectors = append(g.Selectors, info(s))
	}
	return g
}

// CategoryCommands returns the commands (and subcommands, as
// "parent|sub") of a category, as ACL CAT <category> lists them.
func (r *Registry) CategoryCommands(cat string) ([]string, bool) {
	bit := categoryBit(cat)
	if bit == 0 {
		return nil, false
	}
	out := []string{}
	r.each(func(ci *cmdInfo) {
		if ci.cats&bit != 0 {
			out = append(out, ci.cmd.Name)
		}
	})
	return out, true
}
