package acl

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
)

// Categories are Redis's ACL categories, in its order (ACL CAT).
var Categories = []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash",
	"string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting"}

// categoryBit returns the bit of a category name (any case), or 0.
func categoryBit(name string) uint32 {
	for i, c := range Categories {
		if strings.EqualFold(c, name) {
			return 1 << i
		}
	}
	return 0
}

// Key is one key argument of a command: its position and the access its
// key spec declares (ACCESS reads; INSERT, DELETE, UPDATE write).
type Key struct {
	Pos         int
	Read, Write bool
}

// Env is what the ACL layer needs from the command package.
type Env struct {
	// Categories returns a command's ACL category names.
	Categories func(cmd *core.Command) []string
	// HasKeys reports whether a command can take keys.
	HasKeys func(cmd *core.Command) bool
	// Keys returns the keys of args (args[0] is the command name).
	Keys func(cmd *core.Command, args [][]byte) []Key
	// ClientInfo returns the CLIENT INFO line of c while it runs cmd.
	ClientInfo func(s *core.Server, c *core.Client, cmd *core.Command, args [][]byte) string
}

// cmdInfo is one command (or subcommand) as the ACL layer sees it.
type cmdInfo struct {
	id     int
	cmd    *core.Command
	cats   uint32
	keys   bool
	parent *cmdInfo
	subs   []*cmdInfo // sorted by name
}

// Registry holds the users of one server and checks commands against
// them. It implements core.Security. All methods run with the data owned.
type Registry struct {
	srv   *core.Server
	env   Env
	users map[string]*User
	def   *User

	cmds   []*cmdInfo // top-level, sorted by name
	byCmd  map[*core.Command]*cmdInfo
	byName map[string]*cmdInfo // full names, lower case
	nbits  int                 // command ids plus the "future commands" bit

	log []*logEntry
}

// New returns a registry for srv with the default user (on, nopass, all
// permissions; requirepass applied) and installs it as srv's security
// layer.
func New(srv *core.Server, env Env) *Registry {
	r := &Registry{srv: srv, env: env, users: map[string]*User{},
		byCmd: map[*core.Command]*cmdInfo{}, byName: map[string]*cmdInfo{}}
	r.indexCommands()
	r.def = r.newDefaultUser()
	r.users["default"] = r.def
	r.UpdateDefaultPassword(srv.Config.RequirePass)
	srv.SetSecurity(r)
	return r
}

func (r *Registry) indexCommands() {
	var walk func(m map[string]*core.Command, parent *cmdInfo) []*cmdInfo
	walk = func(m map[string]*core.Command, parent *cmdInfo) []*cmdInfo {
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		var out []*cmdInfo
		for _, n := range names {
			c := m[n]
			ci := &cmdInfo{id: r.nbits, cmd: c, parent: parent}
			r.nbits++
			for _, cat := range r.env.Categories(c) {
				ci.cats |= categoryBit(cat)
			}
			if r.env.HasKeys != nil {
				ci.keys = r.env.HasKeys(c)
			}
			r.byCmd[c] = ci
			r.byName[strings.ToLower(c.Name)] = ci
			if c.Subcommands != nil {
				ci.subs = walk(c.Subcommands, ci)
			}
			out = append(out, ci)
		}
		return out
	}
	r.cmds = walk(r.srv.Commands, nil)
	r.nbits++ // the last bit: "can run future commands" (+@all)
}

// futureBit is the reserved bit +@all sets.
func (r *Registry) futureBit() int { return r.nbits - 1 }

// lookup is ACLLookupCommand: "name" or "container|sub", any case.
func (r *Registry) lookup(name string) *cmdInfo {
	name = strings.ToLower(name)
	parts := strings.Split(name, "|")
	switch len(parts) {
	case 1:
		ci := r.byName[name]
		if ci == nil || ci.parent != nil {
			return nil
		}
		return ci
	case 2:
		p := r.byName[parts[0]]
		if p == nil || p.parent != nil || p.subs == nil {
			return nil
		}
		return r.byName[name]
	}
	return nil
}

// each calls fn for every command and subcommand, parents first.
func (r *Registry) each(fn func(ci *cmdInfo)) {
	var walk func([]*cmdInfo)
	walk = func(l []*cmdInfo) {
		for _, ci := range l {
			fn(ci)
			walk(ci.subs)
		}
	}
	walk(r.cmds)
}

// User returns the user called name, or nil.
func (r *Registry) User(name string) *User { return r.users[name] }

// userOf returns c's user (the default user for a fresh connection).
func (r *Registry) userOf(c *core.Client) *User {
	if c.User == "" {
		return r.def
	}
	if u := r.users[c.User]; u != nil {
		return u
	}
	return r.def
}

// DefaultUser implements core.Security.
func (r *Registry) DefaultUser() (nopass, enabled bool) {
	return r.def.flags&flagNoPass != 0, r.def.flags&flagDisabled == 0
}

// UpdateDefaultPassword is ACLUpdateDefaultUserPassword: requirepass
// (CONFIG SET or the config file) replaces the default user's passwords.
func (r *Registry) UpdateDefaultPassword(pass string) {
	_ = r.def.apply(r, "resetpass")
	if pass != "" {
		_ = r.def.apply(r, ">"+pass)
	} else {
		_ = r.def.apply(r, "nopass")
	}
}

// Authenticate is ACLCheckUserCredentials: it reports whether name/pass
// are valid credentials of an enabled user. On failure it records an
// "auth" entry in the ACL log.
// cmd and args are the running AUTH or HELLO (for the log entry).
func (r *Registry) Authenticate(c *core.Client, cmd *core.Command, args [][]byte, name, pass []byte) bool {
	u := r.users[string(name)]
	if u != nil && u.flags&flagDisabled == 0 {
		if u.flags&flagNoPass != 0 {
			return true
		}
		h := hashPassword(pass)
		for _, p := range u.passwords {
			if timeIndependentEqual(p, h) {
				return true
			}
		}
	}
	r.addLog(c, cmd, args, reasonAuth, string(args[0]), string(name))
	return false
}

func hashPassword(p []byte) string {
	sum := sha256.Sum256(p)
	return hex.EncodeToString(sum[:])
}

func timeIndependentEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// Users returns the user names, sorted (rax order).
func (r *Registry) Users() []string {
	out := make([]string, 0, len(r.users))
	for n := range r.users {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// killClientsOf closes every client authenticated as one of names (as
// ACLFreeUserAndKillClients): the caller is closed after its reply.
func (r *Registry) killClientsOf(names map[string]bool) {
	for _, c := range r.srv.Clients() {
		u := c.User
		if u == "" {
			u = "default"
		}
		if names[u] {
			c.User = "default"
			r.srv.SetAuthenticated(c, false)
			r.srv.KillClient(c)
		}
	}
}

// Command returns the command (or "parent|sub") the ACL rules name, or
// nil.
func (r *Registry) Command(name string) *core.Command {
	if ci := r.lookup(name); ci != nil {
		return ci.cmd
	}
	return nil
}
