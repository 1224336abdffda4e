package acl

import (
	"fmt"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Results of a permission check, ordered by relevance as Redis orders
// ACL_DENIED_*.
const (
	resOK = iota
	reasonCmd
	reasonKey
	reasonAuth
	reasonChannel
)

// channelArgs is getChannelsFromCommand: the channel arguments of the
// pub/sub commands that publish or subscribe (and whether they are
// patterns); others have none.
func channelArgs(name string, argc int) (first, last int, pattern bool) {
	switch name {
	case "subscribe", "ssubscribe":
		return 1, argc - 1, false
	case "psubscribe":
		return 1, argc - 1, true
	case "publish", "spublish":
		return 1, 1, false
	}
	return 0, -1, false
}

// keysCache computes a command's keys at most once per check.
type keysCache struct {
	done bool
	keys []Key
}

// checkSelector is ACLSelectorCheckCmd.
func (r *Registry) checkSelector(s *selector, ci *cmdInfo, args [][]byte, kc *keysCache) (int, int) {
	cmd := ci.cmd
	if !s.allCommands && cmd.Flags&core.FlagNoAuth == 0 && !s.bit(ci.id) {
		allowed := s.firstArgs[ci.id]
		idx := 1
		if ci.parent != nil {
			idx = 2
		}
		ok := false
		if len(args) > idx {
			for _, a := range allowed {
				if strings.EqualFold(a, string(args[idx])) {
					ok = true
					break
				}
			}
		}
		if !ok {
			return reasonCmd, 0
		}
	}
	if !s.allKeys && ci.keys && r.env.Keys != nil {
		if !kc.done {
			kc.keys = r.env.Keys(cmd, args)
			kc.done = true
		}
		for _, k := range kc.keys {
			if !s.keyAllowed(args[k.Pos], k) {
				return reasonKey, k.Pos
			}
		}
	}
	if !s.allChannels {
		first, last, pattern := channelArgs(cmd.Name, len(args))
		for i := first; i <= last && i > 0; i++ {
			if !channelAllowed(s.channels, args[i], pattern) {
				return reasonChannel, i
			}
		}
	}
	return resOK, 0
}

// keyAllowed is ACLSelectorCheckKey.
func (s *selector) keyAllowed(key []byte, k Key) bool {
	if s.allKeys {
		return true
	}
	need := 0
	if k.Read {
		need |= permRead
	}
	if k.Write {
		need |= permWrite
	}
	for _, p := range s.patterns {
		if p.perm&need != need {
			continue
		}
		if glob.Match([]byte(p.pattern), key, false) {
			return true
		}
	}
	return false
}

// channelAllowed is ACLCheckChannelAgainstList: a pattern subscription
// must equal an allowed pattern; a channel must match one.
func channelAllowed(list []string, ch []byte, isPattern bool) bool {
	for _, p := range list {
		if isPattern {
			if p == string(ch) {
				return true
			}
		} else if glob.Match([]byte(p), ch, false) {
			return true
		}
	}
	return false
}

// checkUser is ACLCheckAllUserCommandPerm: resOK, or the most relevant
// denial and the argument it is about.
func (r *Registry) checkUser(u *User, cmd *core.Command, args [][]byte) (int, int) {
	ci := r.byCmd[cmd]
	if ci == nil {
		return resOK, 0
	}
	relevant, lastIdx := reasonCmd, 0
	var kc keysCache
	for _, s := range u.selectors {
		res, idx := r.checkSelector(s, ci, args, &kc)
		if res == resOK {
			return resOK, 0
		}
		if res > relevant || (res == relevant && idx > lastIdx) {
			relevant, lastIdx = res, idx
		}
	}
	return relevant, lastIdx
}

// denial checks c's user's permissions for cmd with args: resOK, or the
// reason and the denied object (the command's name, or the key or
// channel argument) for the ACL log.
func (r *Registry) denial(c *core.Client, cmd *core.Command, args [][]byte) (res int, object string) {
	u := r.userOf(c)
	if root := u.root(); root.allCommands && root.allKeys && root.allChannels {
		return resOK, ""
	}
	res, idx := r.checkUser(u, cmd, args)
	switch res {
	case resOK:
		return resOK, ""
	case reasonCmd:
		return res, cmd.Name
	}
	return res, string(args[idx])
}

// Check implements core.Security: the NOPERM reply for a denied command
// (logged in the ACL log), or "".
func (r *Registry) Check(c *core.Client, cmd *core.Command, args [][]byte) string {
	res, object := r.denial(c, cmd, args)
	if res == resOK {
		return ""
	}
	r.addLog(c, cmd, args, res, object, "")
	switch res {
	case reasonCmd:
		return fmt.Sprintf(rerr.NoPermCommand, cmd.Name)
	case reasonKey:
		return rerr.NoPermKey
	}
	return rerr.NoPermChannel
}

// CheckQueued implements core.Security for EXEC: the denial of a queued
// command whose permissions were revoked after it was queued.
func (r *Registry) CheckQueued(c *core.Client, cmd *core.Command, args [][]byte) string {
	res, object := r.denial(c, cmd, args)
	if res == resOK {
		return ""
	}
	r.addLogCtx(c, cmd, args, res, object, "", "multi")
	reason := "no permission to execute the command or subcommand"
	switch res {
	case reasonKey:
		reason = "no permission to touch the specified keys"
	case reasonChannel:
		reason = "no permission to access one of the channels used as arguments"
	}
	return fmt.Sprintf(rerr.ACLChangedInMulti, reason)
}

// CheckScript implements core.Security for a command a script calls: the
// error scriptVerifyACL gives, logged with the "lua" context.
func (r *Registry) CheckScript(c *core.Client, cmd *core.Command, args [][]byte) string {
	u := r.userOf(c)
	if root := u.root(); root.allCommands && root.allKeys && root.allChannels {
		return ""
	}
	res, idx := r.checkUser(u, cmd, args)
	if res == resOK {
		return ""
	}
	object := cmd.Name
	if res != reasonCmd {
		object = string(args[idx])
	}
	r.addLogCtx(c, cmd, args, res, object, "", "lua")
	switch res {
	case reasonCmd:
		return rerr.ScriptACLCommand
	case reasonKey:
		return rerr.ScriptACLKey
	}
	return rerr.ScriptACLChannel
}

// Allowed implements core.Security: whether c's user may run cmd with
// args, nothing logged.
func (r *Registry) Allowed(c *core.Client, cmd *core.Command, args [][]byte) bool {
	res, _ := r.checkUser(r.userOf(c), cmd, args)
	return res == resOK
}

// DryRun is ACL DRYRUN's check: "" when allowed, else the denial text.
func (r *Registry) DryRun(u *User, cmd *core.Command, args [][]byte) string {
	res, idx := r.checkUser(u, cmd, args)
	switch res {
	case reasonCmd:
		return fmt.Sprintf(rerr.ACLDryRunCommand, cmd.Name)
	case reasonKey:
		return fmt.Sprintf(rerr.ACLDryRunKey, args[idx])
	case reasonChannel:
		return fmt.Sprintf(rerr.ACLDryRunChannel, args[idx])
	}
	return ""
}

// killRevokedSubscribers is ACLKillPubsubClientsIfNeeded: when the new
// rules of a user no longer allow channels its original rules did, its
// clients subscribed to a now forbidden channel or pattern are closed.
func (r *Registry) killRevokedSubscribers(newU, orig *User) {
	var upcoming []string
	for _, s := range newU.selectors {
		if s.allChannels {
			return
		}
		upcoming = append(upcoming, s.channels...)
	}
	match := true
outer:
	for _, s := range orig.selectors {
		if s.allChannels {
			match = false
			break
		}
		for _, ch := range s.channels {
			found := false
			for _, x := range upcoming {
				if x == ch {
					found = true
					break
				}
			}
			if !found {
				match = false
				break outer
			}
		}
	}
	if match {
		return
	}
	for _, c := range r.srv.Clients() {
		if r.userOf(c) != orig {
			continue
		}
		chans, shard, pats := c.SubscribedNames()
		kill := false
		for _, p := range pats {
			if !channelAllowed(upcoming, []byte(p), true) {
				kill = true
			}
		}
		for _, ch := range append(chans, shard...) {
			if !channelAllowed(upcoming, []byte(ch), false) {
				kill = true
			}
		}
		if kill {
			r.srv.KillClient(c)
		}
	}
}
