package command

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// COMMAND and CLIENT: the introspection containers.

const (
	adminFlags  = core.FlagAdmin | core.FlagNoScript | core.FlagLoading | core.FlagStale
	clientFlags = core.FlagNoScript | core.FlagLoading | core.FlagStale
	cmdIntro    = core.FlagLoading | core.FlagStale
)

var _ = register(
	&core.Command{Name: "command", Arity: -1, Flags: cmdIntro, Handler: commandAll, Group: "server", Since: "2.8.13",
		Summary: "Get array of Redis command details",
		Subcommands: map[string]*core.Command{
			"count":           {Name: "count", Arity: 2, Flags: cmdIntro, Handler: commandCount, Group: "server", Since: "2.8.13", Summary: "Get total number of Redis commands"},
			"docs":            {Name: "docs", Arity: -2, Flags: cmdIntro, Handler: commandDocs, Group: "server", Since: "7.0.0", Summary: "Get array of specific Redis command documentation"},
			"getkeys":         {Name: "getkeys", Arity: -4, Flags: cmdIntro, Handler: commandGetKeys, Group: "server", Since: "2.8.13", Summary: "Extract keys given a full Redis command"},
			"getkeysandflags": {Name: "getkeysandflags", Arity: -4, Flags: cmdIntro, Handler: commandGetKeysAndFlags, Group: "server", Since: "7.0.0", Summary: "Extract keys and access flags given a full Redis command"},
			"help":            {Name: "help", Arity: 2, Flags: cmdIntro, Handler: commandHelp, Group: "server", Since: "5.0.0", Summary: "Show helpful text about the different subcommands"},
			"info":            {Name: "info", Arity: -2, Flags: cmdIntro, Handler: commandInfo, Group: "server", Since: "2.8.13", Summary: "Get array of specific Redis command details, or all when no argument is given."},
			"list":            {Name: "list", Arity: -2, Flags: cmdIntro, Handler: commandList, Group: "server", Since: "7.0.0", Summary: "Get an array of Redis command names"},
		}},
	&core.Command{Name: "client", Arity: -2, Group: "connection", Since: "2.4.0", Summary: "A container for client connection commands",
		Subcommands: map[string]*core.Command{
			"getname":      {Name: "getname", Arity: 2, Flags: clientFlags, Handler: clientGetName, Group: "connection", Since: "2.6.9", Summary: "Get the current connection name"},
			"getredir":     {Name: "getredir", Arity: 2, Flags: clientFlags, Handler: clientGetRedir, Group: "connection", Since: "6.0.0", Summary: "Get tracking notifications redirection client ID if any"},
			"help":         {Name: "help", Arity: 2, Flags: core.FlagLoading | core.FlagStale, Handler: clientHelp, Group: "connection", Since: "5.0.0", Summary: "Show helpful text about the different subcommands"},
			"id":           {Name: "id", Arity: 2, Flags: clientFlags, Handler: clientID, Group: "connection", Since: "5.0.0", Summary: "Returns the client ID for the current connection"},
			"info":         {Name: "info", Arity: 2, Flags: clientFlags, Handler: clientInfo, Group: "connection", Since: "6.2.0", Summary: "Returns information about the current client connection."},
			"kill":         {Name: "kill", Arity: -3, Flags: adminFlags, Handler: clientKill, Group: "connection", Since: "2.4.0", Summary: "Kill the connection of a client"},
			"list":         {Name: "list", Arity: -2, Flags: adminFlags, Handler: clientList, Group: "connection", Since: "2.4.0", Summary: "Get the list of client connections"},
			"no-evict":     {Name: "no-evict", Arity: 3, Flags: adminFlags, Handler: clientNoEvict, Group: "connection", Since: "7.0.0", Summary: "Set client eviction mode for the current connection"},
			"reply":        {Name: "reply", Arity: 3, Flags: clientFlags, Handler: clientReply, Group: "connection", Since: "3.2.0", Summary: "Instruct the server whether to reply to commands"},
			"setname":      {Name: "setname", Arity: 3, Flags: clientFlags, Handler: clientSetName, Group: "connection", Since: "2.6.9", Summary: "Set the current connection name"},
			"trackinginfo": {Name: "trackinginfo", Arity: 2, Flags: clientFlags, Handler: clientTrackingInfo, Group: "connection", Since: "6.2.0", Summary: "Return information about server assisted client side caching for the current connection"},
			"tracking":     {Name: "tracking", Arity: -3, Flags: clientFlags, Handler: clientTracking, Group: "connection", Since: "6.0.0", Summary: "Enable or disable server assisted client side caching support"},
			"caching":      {Name: "caching", Arity: 3, Flags: clientFlags, Handler: clientCaching, Group: "connection", Since: "6.0.0", Summary: "Instruct the server about tracking or not keys in the next request"},
			"unblock":      {Name: "unblock", Arity: -3, Flags: adminFlags, Handler: clientUnblock, Group: "connection", Since: "5.0.0", Summary: "Unblock a client blocked in a blocking command from a different connection"},
			"unpause":      {Name: "unpause", Arity: 2, Flags: adminFlags, Handler: clientUnpause, Group: "connection", Since: "6.2.0", Summary: "Resume processing of clients that were paused"},
			"pause":        {Name: "pause", Arity: -3, Flags: adminFlags, Handler: clientPause, Group: "connection", Since: "2.9.50", Summary: "Stop processing commands from clients for some time"},
		}},
)

// replyHelp writes a container's HELP reply (addReplyHelp): a header, the
// given lines and the HELP entry, as status replies.
func replyHelp(ctx *core.Ctx, lines []string) {
	ctx.W.ArrayLen(len(lines) + 3)
	ctx.W.Simple(upper(ctx.Args[0]) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		ctx.W.Simple(l)
	}
	ctx.W.Simple("HELP")
	ctx.W.Simple("    Prints this help.")
}

// subcommandSyntaxError replies as Redis's addReplySubcommandSyntaxError.
func subcommandSyntaxError(ctx *core.Ctx) {
	ctx.Errorf(rerr.SubcommandSyntax,
		ctx.Args[1], upper(ctx.Args[0]))
}

// lookupFullName finds a command by its full name ("get", "config|get"),
// case-insensitively, as COMMAND INFO and DOCS do.
func lookupFullName(t core.Table, name string) *core.Command {
	name = strings.ToLower(name)
	parent, sub, isSub := strings.Cut(name, "|")
	c := t[parent]
	if !isSub || c == nil {
		return c
	}
	if c.Subcommands == nil || strings.Contains(sub, "|") {
		return nil
	}
	return c.Subcommands[sub]
}

// sortedCommands returns the table's commands ordered by name.
func sortedCommands(m map[string]*core.Command) []*core.Command {
	out := make([]*core.Command, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ---- COMMAND ----

func commandAll(ctx *core.Ctx) {
	cmds := sortedCommands(ctx.Srv.Commands)
	ctx.W.ArrayLen(len(cmds))
	for _, c := range cmds {
		writeCommandInfo(ctx, c)
	}
}

func commandCount(ctx *core.Ctx) { ctx.W.Int(int64(len(ctx.Srv.Commands))) }

func commandInfo(ctx *core.Ctx) {
	if len(ctx.Args) == 2 {
		commandAll(ctx)
		return
	}
	ctx.W.ArrayLen(len(ctx.Args) - 2)
	for _, a := range ctx.Args[2:] {
		c := lookupFullName(ctx.Srv.Commands, string(a))
		if c == nil {
			ctx.W.Null()
			continue
		}
		writeCommandInfo(ctx, c)
	}
}

// writeCommandInfo writes one command's COMMAND INFO entry.
func writeCommandInfo(ctx *core.Ctx, c *core.Command) {
	w := ctx.W
	d := docFor(c.Name)
	w.ArrayLen(10)
	w.BulkString(c.Name)
	w.Int(int64(c.Arity))
	flags := commandFlagNames(c)
	w.SetLen(len(flags))
	for _, f := range flags {
		w.Simple(f)
	}
	first, last, step := keyRange(c)
	w.Int(int64(first))
	w.Int(int64(last))
	w.Int(int64(step))
	cats := aclCategories(c)
	w.SetLen(len(cats))
	for _, cat := range cats {
		w.Simple("@" + cat)
	}
	if d == nil {
		w.SetLen(0)
		w.SetLen(0)
	} else {
		w.SetLen(len(d.Tips))
		for _, t := range d.Tips {
			w.BulkString(t)
		}
		w.SetLen(len(d.KeySpecs))
		for i := range d.KeySpecs {
			writeKeySpec(ctx, &d.KeySpecs[i])
		}
	}
	if len(c.Subcommands) == 0 {
		w.SetLen(0)
		return
	}
	subs := sortedCommands(c.Subcommands)
	w.ArrayLen(len(subs))
	for _, s := range subs {
		writeCommandInfo(ctx, s)
	}
}

func writeKeySpec(ctx *core.Ctx, s *keySpec) {
	w := ctx.W
	n := 3
	if s.Notes != "" {
		n++
	}
	w.MapLen(n)
	if s.Notes != "" {
		w.BulkString("notes")
		w.BulkString(s.Notes)
	}
	w.BulkString("flags")
	flags := sortKeyFlags(s.Flags)
	w.SetLen(len(flags))
	for _, f := range flags {
		w.Simple(f)
	}
	w.BulkString("begin_search")
	w.MapLen(2)
	w.BulkString("type")
	switch s.BS {
	case "index":
		w.BulkString("index")
		w.BulkString("spec")
		w.MapLen(1)
		w.BulkString("index")
		w.Int(int64(s.Index))
	case "keyword":
		w.BulkString("keyword")
		w.BulkString("spec")
		w.MapLen(2)
		w.BulkString("keyword")
		w.BulkString(s.Keyword)
		w.BulkString("startfrom")
		w.Int(int64(s.StartFrom))
	default:
		w.BulkString("unknown")
		w.BulkString("spec")
		w.MapLen(0)
	}
	w.BulkString("find_keys")
	w.MapLen(2)
	w.BulkString("type")
	switch s.FK {
	case "range":
		w.BulkString("range")
		w.BulkString("spec")
		w.MapLen(3)
		w.BulkString("lastkey")
		w.Int(int64(s.LastKey))
		w.BulkString("keystep")
		w.Int(int64(s.KeyStep))
		w.BulkString("limit")
		w.Int(int64(s.Limit))
	case "keynum":
		w.BulkString("keynum")
		w.BulkString("spec")
		w.MapLen(3)
		w.BulkString("keynumidx")
		w.Int(int64(s.KeyNumIdx))
		w.BulkString("firstkey")
		w.Int(int64(s.FirstKey))
		w.BulkString("keystep")
		w.Int(int64(s.KeyStep))
	default:
		w.BulkString("unknown")
		w.BulkString("spec")
		w.MapLen(0)
	}
}

func commandDocs(ctx *core.Ctx) {
	if len(ctx.Args) == 2 {
		cmds := sortedCommands(ctx.Srv.Commands)
		ctx.W.MapLen(len(cmds))
		for _, c := range cmds {
			ctx.W.BulkString(c.Name)
			writeCommandDocs(ctx, c)
		}
		return
	}
	var found []*core.Command
	for _, a := range ctx.Args[2:] {
		if c := lookupFullName(ctx.Srv.Commands, string(a)); c != nil {
			found = append(found, c)
		}
	}
	ctx.W.MapLen(len(found))
	for _, c := range found {
		ctx.W.BulkString(c.Name)
		writeCommandDocs(ctx, c)
	}
}

// writeCommandDocs writes one command's COMMAND DOCS map.
func writeCommandDocs(ctx *core.Ctx, c *core.Command) {
	w := ctx.W
	d := docFor(c.Name)
	if d == nil {
		// A command of ours that Redis does not have: what the
		// registration knows.
		d = &cmdDoc{Summary: c.Summary, Since: c.Since, Group: c.Group}
		if d.Group == "" {
			d.Group = "generic"
		}
	}
	n := 1
	for _, present := range []bool{d.Summary != "", d.Since != "", d.Complexity != "",
		len(d.DocFlags) > 0, d.DeprecatedSince != "", d.ReplacedBy != "", len(d.History) > 0,
		len(d.Args) > 0, len(c.Subcommands) > 0} {
		if present {
			n++
		}
	}
	w.MapLen(n)
	if d.Summary != "" {
		w.BulkString("summary")
		w.BulkString(d.Summary)
	}
	if d.Since != "" {
		w.BulkString("since")
		w.BulkString(d.Since)
	}
	w.BulkString("group")
	w.BulkString(d.Group)
	if d.Complexity != "" {
		w.BulkString("complexity")
		w.BulkString(d.Complexity)
	}
	if len(d.DocFlags) > 0 {
		w.BulkString("doc_flags")
		var flags []string
		for _, f := range []string{"deprecated", "syscmd"} {
			for _, x := range d.DocFlags {
				if x == f {
					flags = append(flags, f)
				}
			}
		}
		w.SetLen(len(flags))
		for _, f := range flags {
			w.Simple(f)
		}
	}
	if d.DeprecatedSince != "" {
		w.BulkString("deprecated_since")
		w.BulkString(d.DeprecatedSince)
	}
	if d.ReplacedBy != "" {
		w.BulkString("replaced_by")
		w.BulkString(d.ReplacedBy)
	}
	if len(d.History) > 0 {
		w.BulkString("history")
		w.SetLen(len(d.History))
		for _, h := range d.History {
			w.ArrayLen(2)
			w.BulkString(h[0])
			w.BulkString(h[1])
		}
	}
	if len(d.Args) > 0 {
		w.BulkString("arguments")
		writeArgDocs(ctx, d.Args)
	}
	if len(c.Subcommands) > 0 {
		w.BulkString("subcommands")
		subs := sortedCommands(c.Subcommands)
		w.MapLen(len(subs))
		for _, s := range subs {
			w.BulkString(s.Name)
			writeCommandDocs(ctx, s)
		}
	}
}

func writeArgDocs(ctx *core.Ctx, args []argDoc) {
	w := ctx.W
	w.ArrayLen(len(args))
	for i := range args {
		a := &args[i]
		container := a.Type == "oneof" || a.Type == "block"
		n := 2
		for _, present := range []bool{a.KeySpecIndex >= 0, a.Token != nil, a.Summary != "", a.Since != "",
			a.DeprecatedSince != "", len(a.Flags) > 0, container} {
			if present {
				n++
			}
		}
		w.MapLen(n)
		w.BulkString("name")
		w.BulkString(a.Name)
		w.BulkString("type")
		w.BulkString(a.Type)
		if a.KeySpecIndex >= 0 {
			w.BulkString("key_spec_index")
			w.Int(int64(a.KeySpecIndex))
		}
		if a.Token != nil {
			w.BulkString("token")
			w.BulkString(*a.Token)
		}
		if a.Summary != "" {
			w.BulkString("summary")
			w.BulkString(a.Summary)
		}
		if a.Since != "" {
			w.BulkString("since")
			w.BulkString(a.Since)
		}
		if a.DeprecatedSince != "" {
			w.BulkString("deprecated_since")
			w.BulkString(a.DeprecatedSince)
		}
		if len(a.Flags) > 0 {
			w.BulkString("flags")
			w.SetLen(len(a.Flags))
			for _, f := range a.Flags {
				w.Simple(f)
			}
		}
		if container {
			w.BulkString("arguments")
			writeArgDocs(ctx, a.Args)
		}
	}
}

func commandList(ctx *core.Ctx) {
	var filter func(c *core.Command) bool
	for i := 2; i < len(ctx.Args); i++ {
		more := len(ctx.Args) - 1 - i
		if !strings.EqualFold(string(ctx.Args[i]), "filterby") || more != 2 {
			ctx.Error(rerr.Syntax)
			return
		}
		arg := string(ctx.Args[i+2])
		switch strings.ToLower(string(ctx.Args[i+1])) {
		case "module":
			filter = func(*core.Command) bool { return false } // no modules
		case "aclcat":
			cat := strings.ToLower(arg)
			valid := validACLCategory(cat)
			filter = func(c *core.Command) bool {
				if !valid {
					return false
				}
				for _, x := range aclCategories(c) {
					if x == cat {
						return true
					}
				}
				return false
			}
		case "pattern":
			filter = func(c *core.Command) bool { return glob.MatchString(arg, c.Name, true) }
		default:
			ctx.Error(rerr.Syntax)
			return
		}
		i += 2
	}
	var names []string
	var walk func(m map[string]*core.Command)
	walk = func(m map[string]*core.Command) {
		for _, c := range sortedCommands(m) {
			if filter == nil || filter(c) {
				names = append(names, c.Name)
			}
			if c.Subcommands != nil {
				walk(c.Subcommands)
			}
		}
	}
	walk(ctx.Srv.Commands)
	ctx.W.BulkStrings(names)
}

func commandGetKeys(ctx *core.Ctx)         { getKeys(ctx, false) }
func commandGetKeysAndFlags(ctx *core.Ctx) { getKeys(ctx, true) }

// getKeys implements COMMAND GETKEYS and GETKEYSANDFLAGS.
func getKeys(ctx *core.Ctx, withFlags bool) {
	args := ctx.Args[2:]
	cmd := ctx.Srv.Commands.Lookup(args)
	if cmd == nil {
		ctx.Error(rerr.InvalidCommand)
		return
	}
	d := docFor(cmd.Name)
	hasKeys := cmd.FirstKey > 0 || cmd.KeysFunc != nil
	if d != nil {
		hasKeys = d.hasKeys()
	}
	if !hasKeys {
		ctx.Error(rerr.NoKeyArgs)
		return
	}
	if (cmd.Arity > 0 && cmd.Arity != len(args)) || len(args) < -cmd.Arity {
		ctx.Error(rerr.InvalidNumArgs)
		return
	}
	keys := findKeys(cmd, d, args)
	if len(keys) == 0 {
		if d != nil && d.hasFlag("no_mandatory_keys") {
			ctx.W.ArrayLen(0)
		} else {
			ctx.Error(rerr.InvalidArgs)
		}
		return
	}
	ctx.W.ArrayLen(len(keys))
	for _, k := range keys {
		if !withFlags {
			ctx.W.Bulk(args[k.pos])
			continue
		}
		ctx.W.ArrayLen(2)
		ctx.W.Bulk(args[k.pos])
		flags := sortKeyFlags(k.flags)
		ctx.W.SetLen(len(flags))
		for _, f := range flags {
			ctx.W.Simple(f)
		}
	}
}

// findKeys returns the keys of args for cmd, like Redis's
// getKeysFromCommandWithSpecs: the key specs when they are complete and
// reliable, else the command's own key finder.
func findKeys(cmd *core.Command, d *cmdDoc, args [][]byte) []keyRef {
	if d != nil && !d.variableFlags() {
		if keys, ok := d.keysFromSpecs(args, false); ok {
			return keys
		}
	}
	if fn := nativeGetKeys[cmd.Name]; fn != nil {
		return fn(args)
	}
	positions := cmd.KeyPositions(args)
	if len(positions) == 0 {
		return nil
	}
	// Flags: those of the spec that found the position, if any.
	var partial []keyRef
	if d != nil {
		partial, _ = d.keysFromSpecs(args, true)
	}
	keys := make([]keyRef, 0, len(positions))
	for _, p := range positions {
		k := keyRef{pos: p}
		for _, pk := range partial {
			if pk.pos == p {
				k.flags = pk.flags
				break
			}
		}
		keys = append(keys, k)
	}
	return keys
}

// nativeGetKeys holds Redis's key finders for the commands whose key flags
// depend on their arguments or whose specs are incomplete.
var nativeGetKeys = map[string]func(args [][]byte) []keyRef{
	"set": func(args [][]byte) []keyRef {
		for _, a := range args[3:] {
			if strings.EqualFold(string(a), "get") {
				return []keyRef{{1, []string{"RW", "ACCESS", "UPDATE"}}}
			}
		}
		return []keyRef{{1, []string{"OW", "UPDATE"}}}
	},
	"bitfield": func(args [][]byte) []keyRef {
		readonly := true
	loop:
		for i := 2; i < len(args); i++ {
			rem := len(args) - i - 1
			switch strings.ToLower(string(args[i])) {
			case "get":
				if rem < 2 {
					readonly = false
					break loop
				}
				i += 2
			case "set", "incrby":
				if rem >= 3 {
					readonly = false
					break loop
				}
				readonly = false
				break loop
			case "overflow":
				if rem < 1 {
					readonly = false
					break loop
				}
				i++
			default:
				readonly = false
				break loop
			}
		}
		if readonly {
			return []keyRef{{1, []string{"RO", "ACCESS"}}}
		}
		return []keyRef{{1, []string{"RW", "ACCESS", "UPDATE"}}}
	},
	"sort": func(args [][]byte) []keyRef {
		keys := []keyRef{{1, []string{"RO", "ACCESS"}}}
		store := -1
		for i := 2; i < len(args); i++ {
			switch strings.ToLower(string(args[i])) {
			case "limit":
				i += 2
			case "get", "by":
				i++
			case "store":
				if i+1 < len(args) {
					store = i + 1
				}
			}
		}
		if store > 0 {
			keys = append(keys, keyRef{store, []string{"OW", "UPDATE"}})
		}
		return keys
	},
	"sort_ro": func(args [][]byte) []keyRef {
		return []keyRef{{1, []string{"RO", "ACCESS"}}}
	},
	"migrate": func(args [][]byte) []keyRef {
		first, num := 3, 1
		if len(args) > 6 {
		scan:
			for i := 6; i < len(args); i++ {
				switch strings.ToLower(string(args[i])) {
				case "keys":
					if len(args[3]) > 0 {
						num = 0
					} else {
						first = i + 1
						num = len(args) - first
					}
					break scan
				case "auth":
					i++
				case "auth2":
					i += 2
				}
			}
		}
		keys := make([]keyRef, 0, num)
		for i := 0; i < num; i++ {
			keys = append(keys, keyRef{first + i, []string{"RW", "ACCESS", "DELETE"}})
		}
		return keys
	},
}

var commandHelpLines = []string{
	"(no subcommand)",
	"    Return details about all Redis commands.",
	"COUNT",
	"    Return the total number of commands in this Redis server.",
	"LIST",
	"    Return a list of all commands in this Redis server.",
	"INFO [<command-name> ...]",
	"    Return details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"DOCS [<command-name> ...]",
	"    Return documentation details about multiple Redis commands.",
	"    If no command names are given, documentation details for all",
	"    commands are returned.",
	"GETKEYS <full-command>",
	"    Return the keys from a full Redis command.",
	"GETKEYSANDFLAGS <full-command>",
	"    Return the keys and the access flags from a full Redis command.",
}

func commandHelp(ctx *core.Ctx) { replyHelp(ctx, commandHelpLines) }

// ---- CLIENT ----

// clientHooks let other command groups contribute what CLIENT LIST shows
// and CLIENT KILL TYPE matches; each is optional.
var clientHooks struct {
	// PubSub returns the client's channel, pattern and shard channel
	// subscription counts.
	PubSub func(c *core.Client) (sub, psub, ssub int)
	// Monitor reports a MONITOR client (flag O).
	Monitor func(c *core.Client) bool
	// DirtyCAS reports a transaction whose WATCHed keys changed (flag d).
	DirtyCAS func(c *core.Client) bool
}

var clientHelpLines = []string{
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
	"         [OPTIN] [OPTOUT] [NOLOOP]",
	"    Control server assisted client side caching.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
}

func clientHelp(ctx *core.Ctx) { replyHelp(ctx, clientHelpLines) }

func clientID(ctx *core.Ctx) { ctx.W.Int(ctx.Client.ID) }

func clientGetName(ctx *core.Ctx) {
	if ctx.Client.Name == "" {
		ctx.W.Null()
		return
	}
	ctx.W.BulkString(ctx.Client.Name)
}

// validClientName reports whether name may be a client name: printable
// ASCII without spaces.
func validClientName(name []byte) bool {
	for _, c := range name {
		if c < '!' || c > '~' {
			return false
		}
	}
	return true
}

// setClientName sets (or with an empty name clears) the client's name,
// replying the error and returning false for an invalid one.
func setClientName(ctx *core.Ctx, name []byte) bool {
	if !validClientName(name) {
		ctx.Error(rerr.ClientNameInvalid)
		return false
	}
	ctx.Client.Name = string(name)
	return true
}

func clientSetName(ctx *core.Ctx) {
	if setClientName(ctx, ctx.Args[2]) {
		ctx.W.OK()
	}
}

// clientPause implements CLIENT PAUSE timeout [WRITE|ALL].
func clientPause(ctx *core.Ctx) {
	args := ctx.Args
	if len(args) > 4 {
		subcommandSyntaxError(ctx)
		return
	}
	typ := core.PauseAll
	if len(args) == 4 {
		switch strings.ToLower(string(args[3])) {
		case "write":
			typ = core.PauseWrite
		case "all":
		default:
			ctx.Error(rerr.PauseMode)
			return
		}
	}
	ms, ok := numfmt.ParseInt(args[2])
	if !ok {
		ctx.Error(rerr.TimeoutNotInt)
		return
	}
	if ms < 0 {
		ctx.Error(rerr.TimeoutNegative)
		return
	}
	end := ms
	if ms > 0 {
		end += time.Now().UnixMilli() // wraps like Redis: an overflow ends at once
	}
	ctx.Srv.PauseClients(core.PauseByClient, end, typ)
	ctx.W.OK()
}

func clientUnpause(ctx *core.Ctx) {
	ctx.Srv.UnpauseClients(core.PauseByClient)
	ctx.W.OK()
}

func clientNoEvict(ctx *core.Ctx) {
	switch strings.ToLower(string(ctx.Args[2])) {
	case "on":
		ctx.Client.NoEvict = true
	case "off":
		ctx.Client.NoEvict = false
	default:
		ctx.Error(rerr.Syntax)
		return
	}
	ctx.W.OK()
}

// clientReply sets CLIENT REPLY's mode. OFF and SKIP are not answered:
// the executor drops the replies while the mode says so.
func clientReply(ctx *core.Ctx) {
	c := ctx.Client
	switch strings.ToLower(string(ctx.Args[2])) {
	case "on":
		c.ReplyMode = core.ReplyOn
		ctx.W.OK()
	case "off":
		c.ReplyMode = core.ReplyOff
	case "skip":
		if c.ReplyMode != core.ReplyOff {
			c.ReplyMode = core.ReplySkipNext
		}
	default:
		ctx.Error(rerr.Syntax)
	}
}

func clientInfo(ctx *core.Ctx) {
	var b []byte
	b = appendClientInfo(b, ctx, ctx.Client)
	b = append(b, '\n')
	ctx.W.Verbatim(string(b), "txt")
}

// clientTypeByName maps a CLIENT LIST/KILL TYPE argument to a kind.
func clientTypeByName(name string) (core.ClientKind, bool) {
	switch strings.ToLower(name) {
	case "normal":
		return core.KindNormal, true
	case "slave", "replica":
		return core.KindReplica, true
	case "pubsub":
		return core.KindPubSub, true
	case "master":
		return core.KindMaster, true
	}
	return 0, false
}

// clientType returns the class CLIENT LIST TYPE and CLIENT KILL TYPE
// match a client against.
func clientType(c *core.Client) core.ClientKind {
	if c.Kind == core.KindNormal && clientHooks.PubSub != nil {
		if s, p, ss := clientHooks.PubSub(c); s+p+ss > 0 {
			return core.KindPubSub
		}
	}
	return c.Kind
}

func clientList(ctx *core.Ctx) {
	args := ctx.Args
	var b []byte
	switch {
	case len(args) == 4 && strings.EqualFold(string(args[2]), "type"):
		kind, ok := clientTypeByName(string(args[3]))
		if !ok {
			ctx.Errorf(rerr.UnknownClientType, args[3])
			return
		}
		for _, c := range ctx.Srv.Clients() {
			if clientType(c) == kind {
				b = appendClientInfo(b, ctx, c)
				b = append(b, '\n')
			}
		}
	case len(args) > 3 && strings.EqualFold(string(args[2]), "id"):
		for _, a := range args[3:] {
			id, ok := numfmt.ParseInt(a)
			if !ok {
				ctx.Error(rerr.InvalidClientID)
				return
			}
			if c := ctx.Srv.Client(id); c != nil {
				b = appendClientInfo(b, ctx, c)
				b = append(b, '\n')
			}
		}
	case len(args) != 2:
		ctx.Error(rerr.Syntax)
		return
	default:
		for _, c := range ctx.Srv.Clients() {
			b = appendClientInfo(b, ctx, c)
			b = append(b, '\n')
		}
	}
	ctx.W.Verbatim(string(b), "txt")
}

// Fixed figures of CLIENT LIST's memory fields, close to what Redis 7.0
// reports for an idle client.
const (
	replyBufSize = 1024 // rbs
)

// appendClientInfo appends c's CLIENT LIST line (without the newline).
func appendClientInfo(b []byte, ctx *core.Ctx, c *core.Client) []byte {
	now := ctx.Now()
	// self: c runs this command (a Ctx without a command formats c for
	// the log).
	self := c == ctx.Client && ctx.Cmd != nil
	var flags []byte
	if clientHooks.Monitor != nil && clientHooks.Monitor(c) {
		flags = append(flags, 'O')
	}
	switch c.Kind {
	case core.KindReplica:
		flags = append(flags, 'S')
	case core.KindMaster:
		flags = append(flags, 'M')
	}
	var sub, psub, ssub int
	if clientHooks.PubSub != nil {
		sub, psub, ssub = clientHooks.PubSub(c)
	}
	if c.Kind == core.KindPubSub || sub+psub+ssub > 0 {
		flags = append(flags, 'P')
	}
	if c.Multi != nil {
		flags = append(flags, 'x')
	}
	if c.Blocked != nil {
		flags = append(flags, 'b')
	}
	flags = append(flags, ctx.Srv.TrackingFlags(c)...)
	if clientHooks.DirtyCAS != nil && clientHooks.DirtyCAS(c) {
		flags = append(flags, 'd')
	}
	if c.CloseAfterReply {
		flags = append(flags, 'c')
	}
	if c.Unix {
		flags = append(flags, 'U')
	}
	if c.NoEvict {
		flags = append(flags, 'e')
	}
	if len(flags) == 0 {
		flags = append(flags, 'N')
	}
	multi, multiMem := -1, 0
	if c.Multi != nil {
		multi = len(c.Multi.Queue)
		for _, q := range c.Multi.Queue {
			for _, a := range q {
				multiMem += len(a)
			}
		}
	}
	qbuf := c.QueryBuf
	qbufFree := c.QueryBufFree()
	argvMem := 0
	cmd := c.LastCmd
	if self {
		for _, a := range ctx.Args {
			argvMem += len(a)
		}
		cmd = ctx.Cmd.Name
	}
	if cmd == "" {
		cmd = "NULL"
	}
	user := c.User
	if user == "" {
		user = "default"
	}
	obl, oll, omem := outputFields(ctx, c)
	b = fmt.Appendf(b, "id=%d addr=%s laddr=%s fd=%d name=%s age=%d idle=%d flags=%s db=%d sub=%d psub=%d ssub=%d multi=%d qbuf=%d qbuf-free=%d argv-mem=%d multi-mem=%d rbs=%d rbp=%d obl=%d oll=%d omem=%d tot-mem=%d events=r cmd=%s user=%s redir=%s resp=%d",
		c.ID, c.Addr, c.LocalAddr, c.FD, c.Name, (now-c.Created)/1000, (now-c.LastInteraction)/1000,
		flags, c.DB, sub, psub, ssub, multi, qbuf, qbufFree, argvMem, multiMem,
		replyBufSize, min(c.OutBufPeak, replyBufSize), obl, oll, omem, core.ClientFixedMem+c.QueryBufAlloc()+argvMem+multiMem+omem+ctx.Srv.ClientMemOverhead(c),
		cmd, user, ctx.Srv.TrackingRedir(c), c.Proto)
	return b
}

// outputFields returns the client's pending output as CLIENT LIST's obl,
// oll and omem: what the executor queued and its front end still holds.
func outputFields(ctx *core.Ctx, c *core.Client) (obl, oll, omem int) {
	if c == ctx.Client {
		// Redis reports the buffer before this reply is added; the
		// caller's own queue is not read (its front end may hold it).
		return c.ClientOutput(false)
	}
	// A threaded front end flushes other clients' buffers holding only
	// OutMu.
	c.OutMu.Lock()
	defer c.OutMu.Unlock()
	return c.ClientOutput(true)
}

func clientKill(ctx *core.Ctx) {
	args := ctx.Args
	var (
		addr, laddr  string
		hasAddr      bool
		hasLaddr     bool
		user         string
		kind         core.ClientKind
		hasKind      bool
		id           int64
		skipMe       = true
		oldStyle     = len(args) == 3
		killed       int
		closeThisOne bool
	)
	if oldStyle {
		addr, hasAddr = string(args[2]), true
		skipMe = false // with the old form you can kill yourself
	} else {
		for i := 2; i < len(args); i += 2 {
			if i+1 >= len(args) {
				ctx.Error(rerr.Syntax)
				return
			}
			val := args[i+1]
			switch strings.ToLower(string(args[i])) {
			case "id":
				n, ok := numfmt.ParseInt(val)
				if !ok || n < 1 {
					ctx.Error(rerr.ClientIDPositive)
					return
				}
				id = n
			case "type":
				k, ok := clientTypeByName(string(val))
				if !ok {
					ctx.Errorf(rerr.UnknownClientType, val)
					return
				}
				kind, hasKind = k, true
			case "addr":
				addr, hasAddr = string(val), true
			case "laddr":
				laddr, hasLaddr = string(val), true
			case "user":
				if registry(ctx.Srv).User(string(val)) == nil {
					ctx.Errorf(rerr.NoSuchUser, val)
					return
				}
				user = string(val)
			case "skipme":
				switch strings.ToLower(string(val)) {
				case "yes":
					skipMe = true
				case "no":
					skipMe = false
				default:
					ctx.Error(rerr.Syntax)
					return
				}
			default:
				ctx.Error(rerr.Syntax)
				return
			}
		}
	}
	for _, c := range ctx.Srv.Clients() {
		if hasAddr && c.Addr != addr {
			continue
		}
		if hasLaddr && c.LocalAddr != laddr {
			continue
		}
		if hasKind && clientType(c) != kind {
			continue
		}
		if id != 0 && c.ID != id {
			continue
		}
		if user != "" {
			u := c.User
			if u == "" {
				u = "default"
			}
			if u != user {
				continue
			}
		}
		if c == ctx.Client && skipMe {
			continue
		}
		if c == ctx.Client {
			closeThisOne = true
		} else {
			ctx.Srv.KillClient(c)
		}
		killed++
	}
	if oldStyle {
		if killed == 0 {
			ctx.Error(rerr.NoSuchClient)
		} else {
			ctx.W.OK()
		}
	} else {
		ctx.W.Int(int64(killed))
	}
	if closeThisOne {
		ctx.Srv.KillClient(ctx.Client)
	}
}

func clientUnblock(ctx *core.Ctx) {
	args := ctx.Args
	if len(args) > 4 {
		subcommandSyntaxError(ctx)
		return
	}
	withError := false
	if len(args) == 4 {
		switch strings.ToLower(string(args[3])) {
		case "timeout":
		case "error":
			withError = true
		default:
			ctx.Error(rerr.UnblockReason)
			return
		}
	}
	id, ok := ctx.Int(2)
	if !ok {
		return
	}
	target := ctx.Srv.Client(id)
	if target == nil || target.Blocked == nil || target.Postponed() {
		// A client held by CLIENT PAUSE is not waiting in a command.
		ctx.W.Int(0)
		return
	}
	b := target.Blocked
	s := ctx.Srv
	s.Push(target, func(w *resp.Writer) {
		switch {
		case withError:
			s.Stats.ErrorReplies++
			s.Stats.ErrorCounts["UNBLOCKED"]++
			// Redis counts the error reply against the running command.
			ctx.CountFailed()
			w.Error(rerr.Unblocked)
		case b.OnTimeout != nil:
			b.OnTimeout()
		default:
			w.NullArray()
		}
	})
	s.Unblock(target)
	// Its statistics, latency histogram and slow log, counted as failed
	// in both forms (updateStatsOnUnblock with had_errors).
	s.BlockedServed(target, 0, true)
	ctx.W.Int(1)
}
