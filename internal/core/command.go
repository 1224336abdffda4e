package core

import (
	"strings"

	"github.com/redis-clone/redis-clone/internal/hdrhist"
)

// Flag describes a command's behaviour, as Redis's command flags do.
type Flag uint32

// Command flags.
const (
	FlagWrite Flag = 1 << iota
	FlagReadOnly
	FlagDenyOOM
	FlagAdmin
	FlagPubSub
	FlagNoScript
	FlagBlocking
	FlagLoading
	FlagStale
	FlagSkipMonitor
	FlagSkipSlowlog
	FlagFast
	FlagNoAuth
	FlagMayReplicate
	FlagNoMulti
	FlagAllowBusy
	FlagProtected
	// FlagAsking is Redis's CMD_ASKING (RESTORE-ASKING): in cluster mode
	// the command is accepted for a slot being imported; here it only
	// shows in COMMAND INFO.
	FlagAsking
)

var flagNames = []struct {
	f    Flag
	name string
}{
	{FlagWrite, "write"}, {FlagReadOnly, "readonly"}, {FlagDenyOOM, "denyoom"},
	{FlagAdmin, "admin"}, {FlagPubSub, "pubsub"}, {FlagNoScript, "noscript"},
	{FlagBlocking, "blocking"}, {FlagLoading, "loading"}, {FlagStale, "stale"},
	{FlagSkipMonitor, "skip_monitor"}, {FlagSkipSlowlog, "skip_slowlog"},
	{FlagAsking, "asking"}, {FlagFast, "fast"}, {FlagNoAuth, "no_auth"}, {FlagMayReplicate, "may_replicate"},
	{FlagNoMulti, "no_multi"}, {FlagAllowBusy, "allow_busy"},
}

// FlagByName returns the flag COMMAND INFO reports as name.
func FlagByName(name string) (Flag, bool) {
	for _, n := range flagNames {
		if n.name == name {
			return n.f, true
		}
	}
	return 0, false
}

// Names returns the flag names COMMAND INFO reports.
func (f Flag) Names() []string {
	var out []string
	for _, n := range flagNames {
		if f&n.f != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// Handler runs one command. It reads its arguments from ctx and writes
// exactly one reply.
type Handler func(ctx *Ctx)

// Command describes one command (or subcommand) of the table.
type Command struct {
	Name  string // lower case; subcommands are "parent|sub"
	Arity int    // as Redis: N exact, -N at least N
	Flags Flag
	// Key positions, as in COMMAND INFO: first, last (negative counts from
	// the end), step. Zero first means no keys.
	FirstKey, LastKey, Step int
	// KeysFunc computes key positions for commands whose keys are not at
	// fixed positions (optional).
	KeysFunc func(args [][]byte) []int
	Handler  Handler
	Group    string // COMMAND DOCS group: string, generic, server, connection …
	Summary  string
	Since    string
	// Categories are ACL categories without '@' (besides those implied by flags).
	Categories []string
	// Subcommands of a container command (CONFIG, CLIENT, OBJECT …).
	Subcommands map[string]*Command
	parent      *Command
	// Redact returns the positions of the arguments the slow log and
	// MONITOR show as "(redacted)" (passwords), optional.
	Redact func(args [][]byte) []int
	// DynamicFlags returns the flags of one invocation when they depend on
	// its arguments (a script's declared flags), optional; CLIENT PAUSE
	// WRITE uses them.
	DynamicFlags func(args [][]byte) Flag

	// Statistics for INFO commandstats.
	Calls, Usec, RejectedCalls, FailedCalls int64
	// latencyHist is the latency histogram (LATENCY HISTOGRAM).
	latencyHist *hdrhist.Histogram
}

// FullName returns "name" or "parent|sub".
func (c *Command) FullName() string { return c.Name }

// Parent returns the container command of a subcommand, or nil.
func (c *Command) Parent() *Command { return c.parent }

// Table maps lower-case command names to commands.
type Table map[string]*Command

// Add registers cmds; subcommands are linked to their parents.
func (t Table) Add(cmds ...*Command) {
	for _, c := range cmds {
		for _, sub := range c.Subcommands {
			sub.parent = c
			if !strings.Contains(sub.Name, "|") {
				sub.Name = c.Name + "|" + sub.Name
			}
		}
		t[c.Name] = c
	}
}

// lookup finds the command for args[0] (any case) without allocating.
func (t Table) lookup(name []byte) *Command {
	var buf [32]byte
	if len(name) > len(buf) {
		return t[strings.ToLower(string(name))]
	}
	for i, ch := range name {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		buf[i] = ch
	}
	return t[string(buf[:len(name)])]
}

// Lookup returns the command for args (resolving a subcommand when the
// command is a container), or nil. It is what COMMAND INFO and GETKEYS use.
func (t Table) Lookup(args [][]byte) *Command {
	if len(args) == 0 {
		return nil
	}
	c := t.lookup(args[0])
	if c == nil || c.Subcommands == nil || len(args) < 2 {
		return c
	}
	return c.Subcommands[strings.ToLower(string(args[1]))]
}

// KeyPositions returns the indexes of the key arguments of args for c.
func (c *Command) KeyPositions(args [][]byte) []int {
	if c.KeysFunc != nil {
		return c.KeysFunc(args)
	}
	if c.FirstKey <= 0 || c.FirstKey >= len(args) {
		return nil
	}
	last := c.LastKey
	if last < 0 {
		last = len(args) + last
	}
	if last >= len(args) {
		last = len(args) - 1
	}
	step := c.Step
	if step <= 0 {
		step = 1
	}
	var out []int
	for i := c.FirstKey; i <= last; i += step {
		out = append(out, i)
	}
	return out
}
