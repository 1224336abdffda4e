package command

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/redis-clone/redis-clone/internal/acl"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// ACL: users, permissions and the ACL log (internal/acl does the work).

const aclAdmin = core.FlagAdmin | core.FlagNoScript | core.FlagLoading | core.FlagStale
const aclOpen = core.FlagNoScript | core.FlagLoading | core.FlagStale

var _ = register(
	&core.Command{Name: "acl", Arity: -2, Group: "server", Since: "6.0.0", Summary: "A container for Access List Control commands",
		Subcommands: map[string]*core.Command{
			"cat":     {Name: "cat", Arity: -2, Flags: aclOpen, Handler: aclCat, Group: "server", Since: "6.0.0", Summary: "List the ACL categories or the commands inside a category"},
			"deluser": {Name: "deluser", Arity: -3, Flags: aclAdmin, Handler: aclDelUser, Group: "server", Since: "6.0.0", Summary: "Remove the specified ACL users and the associated rules"},
			"dryrun":  {Name: "dryrun", Arity: -4, Flags: aclAdmin, Handler: aclDryRun, Group: "server", Since: "7.0.0", Summary: "Returns whether the user can execute the given command without executing the command."},
			"genpass": {Name: "genpass", Arity: -2, Flags: aclOpen, Handler: aclGenPass, Group: "server", Since: "6.0.0", Summary: "Generate a pseudorandom secure password to use for ACL users"},
			"getuser": {Name: "getuser", Arity: 3, Flags: aclAdmin, Handler: aclGetUser, Group: "server", Since: "6.0.0", Summary: "Get the rules for a specific ACL user"},
			"help":    {Name: "help", Arity: 2, Flags: core.FlagLoading | core.FlagStale, Handler: aclHelp, Group: "server", Since: "6.0.0", Summary: "Show helpful text about the different subcommands"},
			"list":    {Name: "list", Arity: 2, Flags: aclAdmin, Handler: aclList, Group: "server", Since: "6.0.0", Summary: "List the current ACL rules in ACL config file format"},
			"load":    {Name: "load", Arity: 2, Flags: aclAdmin, Handler: aclLoad, Group: "server", Since: "6.0.0", Summary: "Reload the ACLs from the configured ACL file"},
			"log":     {Name: "log", Arity: -2, Flags: aclAdmin, Handler: aclLog, Group: "server", Since: "6.0.0", Summary: "List latest events denied because of ACLs in place"},
			"save":    {Name: "save", Arity: 2, Flags: aclAdmin, Handler: aclSave, Group: "server", Since: "6.0.0", Summary: "Save the current ACL rules in the configured ACL file"},
			"setuser": {Name: "setuser", Arity: -3, Flags: aclAdmin, Handler: aclSetUser, Group: "server", Since: "6.0.0", Summary: "Modify or create the rules for a specific ACL user"},
			"users":   {Name: "users", Arity: 2, Flags: aclAdmin, Handler: aclUsers, Group: "server", Since: "6.0.0", Summary: "List the username of all the configured ACL rules"},
			"whoami":  {Name: "whoami", Arity: 2, Flags: aclOpen, Handler: aclWhoAmI, Group: "server", Since: "6.0.0", Summary: "Return the name of the user associated to the current connection"},
		}},
)

// SetupACL installs the ACL layer on s: the default user (with
// requirepass), the "user" lines of the config and the aclfile. An error
// (bad user line, unreadable or invalid aclfile) must stop the server, as
// Redis exits.
func SetupACL(s *core.Server) error {
	r := acl.New(s, aclEnv)
	cfg := s.Config
	cfg.OnChange("requirepass", func() error {
		r.UpdateDefaultPassword(cfg.RequirePass)
		return nil
	})
	cfg.ACLUserLines = func() []string {
		if f, _ := cfg.Value("aclfile"); f != "" {
			return nil
		}
		return r.Lines()
	}
	aclfile, _ := cfg.Value("aclfile")
	return r.LoadConfigUsers(cfg.UserLines, aclfile)
}

// MarkACLDirectives tells cfg that the server acts on the directives the
// ACL layer reads, so that they are not reported as unsupported.
func MarkACLDirectives(cfg *config.Config) {
	for _, n := range []string{"user", "aclfile", "acl-pubsub-default"} {
		cfg.SetImplemented(n, true)
	}
}

// aclEnv gives internal/acl the command table's categories, key specs
// (the COMMAND GETKEYS logic) and CLIENT INFO lines.
var aclEnv = acl.Env{
	Categories: aclCategories,
	HasKeys: func(cmd *core.Command) bool {
		if d := docFor(cmd.Name); d != nil {
			return d.hasKeys()
		}
		return cmd.FirstKey > 0 || cmd.KeysFunc != nil
	},
	Keys: func(cmd *core.Command, args [][]byte) []acl.Key {
		refs := findKeys(cmd, docFor(cmd.Name), args)
		out := make([]acl.Key, 0, len(refs))
		for _, k := range refs {
			key := acl.Key{Pos: k.pos}
			for _, f := range k.flags {
				switch strings.ToUpper(f) {
				case "ACCESS":
					key.Read = true
				case "INSERT", "DELETE", "UPDATE":
					key.Write = true
				}
			}
			out = append(out, key)
		}
		return out
	},
	ClientInfo: func(s *core.Server, c *core.Client, cmd *core.Command, args [][]byte) string {
		ctx := &core.Ctx{Srv: s, Client: c, Cmd: cmd, Args: args}
		if cmd == nil {
			ctx.Client = nil
		}
		return string(appendClientInfo(nil, ctx, c))
	},
}

// registry returns s's ACL layer, installing one if the server was built
// without SetupACL.
func registry(s *core.Server) *acl.Registry {
	if r, ok := s.Security().(*acl.Registry); ok {
		return r
	}
	return acl.New(s, aclEnv)
}

func aclSetUser(ctx *core.Ctx) {
	name := string(ctx.Args[2])
	if strings.ContainsAny(name, " \x00") {
		ctx.Error(rerr.ACLUserSpaces)
		return
	}
	rules := make([]string, 0, len(ctx.Args)-3)
	for _, a := range ctx.Args[3:] {
		rules = append(rules, string(a))
	}
	if msg := registry(ctx.Srv).SetUser(name, rules); msg != "" {
		ctx.Error("ERR " + sanitizeErr(msg))
		return
	}
	ctx.W.OK()
}

// sanitizeErr is addReplyErrorSdsSafe: newlines become spaces.
func sanitizeErr(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

func aclDelUser(ctx *core.Ctx) {
	names := make([]string, 0, len(ctx.Args)-2)
	for _, a := range ctx.Args[2:] {
		if string(a) == "default" {
			ctx.Error(rerr.ACLDeleteDefault)
			return
		}
		names = append(names, string(a))
	}
	ctx.W.Int(int64(registry(ctx.Srv).DelUsers(names)))
}

func aclGetUser(ctx *core.Ctx) {
	r := registry(ctx.Srv)
	u := r.User(string(ctx.Args[2]))
	if u == nil {
		ctx.W.Null()
		return
	}
	g := r.GetUser(u)
	w := ctx.W
	w.MapLen(6)
	w.BulkString("flags")
	w.SetLen(len(g.Flags))
	for _, f := range g.Flags {
		w.BulkString(f)
	}
	w.BulkString("passwords")
	w.BulkStrings(g.Passwords)
	writeSelector := func(s acl.SelectorInfo) {
		w.BulkString("commands")
		w.BulkString(s.Commands)
		w.BulkString("keys")
		w.BulkString(s.Keys)
		w.BulkString("channels")
		w.BulkString(s.Channels)
	}
	writeSelector(g.Root)
	w.BulkString("selectors")
	w.ArrayLen(len(g.Selectors))
	for _, s := range g.Selectors {
		w.MapLen(3)
		writeSelector(s)
	}
}

func aclList(ctx *core.Ctx) {
	lines := registry(ctx.Srv).Lines()
	for i, l := range lines {
		lines[i] = "user " + l
	}
	ctx.W.BulkStrings(lines)
}

func aclUsers(ctx *core.Ctx) { ctx.W.BulkStrings(registry(ctx.Srv).Users()) }

func aclWhoAmI(ctx *core.Ctx) {
	u := ctx.Client.User
	if u == "" {
		u = "default"
	}
	ctx.W.BulkString(u)
}

func aclFile(ctx *core.Ctx) (string, bool) {
	f, _ := ctx.Srv.Config.Value("aclfile")
	if f == "" {
		ctx.Error(rerr.ACLNoFile)
		return "", false
	}
	return f, true
}

func aclLoad(ctx *core.Ctx) {
	f, ok := aclFile(ctx)
	if !ok {
		return
	}
	if msg := registry(ctx.Srv).LoadFile(f); msg != "" {
		ctx.Error("ERR " + sanitizeErr(msg))
		return
	}
	ctx.W.OK()
}

func aclSave(ctx *core.Ctx) {
	f, ok := aclFile(ctx)
	if !ok {
		return
	}
	if err := registry(ctx.Srv).SaveFile(f); err != nil {
		ctx.Error(rerr.ACLSaveFailed)
		return
	}
	ctx.W.OK()
}

func aclCat(ctx *core.Ctx) {
	if len(ctx.Args) > 3 {
		subcommandSyntaxError(ctx)
		return
	}
	if len(ctx.Args) == 2 {
		ctx.W.BulkStrings(acl.Categories)
		return
	}
	names, ok := registry(ctx.Srv).CategoryCommands(string(ctx.Args[2]))
	if !ok {
		ctx.Errorf(rerr.ACLUnknownCat, ctx.Args[2])
		return
	}
	ctx.W.BulkStrings(names)
}

func aclGenPass(ctx *core.Ctx) {
	if len(ctx.Args) > 3 {
		subcommandSyntaxError(ctx)
		return
	}
	bits := int64(256)
	if len(ctx.Args) == 3 {
		n, ok := ctx.Int(2)
		if !ok {
			return
		}
		bits = n
	}
	if bits <= 0 || bits > 4096 {
		ctx.Error(rerr.ACLGenpassRange)
		return
	}
	chars := (bits + 3) / 4
	buf := make([]byte, (chars+1)/2)
	_, _ = rand.Read(buf)
	ctx.W.BulkString(hex.EncodeToString(buf)[:chars])
}

func aclLog(ctx *core.Ctx) {
	if len(ctx.Args) > 3 {
		subcommandSyntaxError(ctx)
		return
	}
	r := registry(ctx.Srv)
	count := int64(10)
	if len(ctx.Args) == 3 {
		if strings.EqualFold(string(ctx.Args[2]), "reset") {
			r.ResetLog()
			ctx.W.OK()
			return
		}
		n, ok := numfmt.ParseInt(ctx.Args[2])
		if !ok {
			ctx.Error(rerr.NotInteger)
			return
		}
		count = max(n, 0)
	}
	entries := r.Log(int(min(count, 1<<30)))
	w := ctx.W
	w.ArrayLen(len(entries))
	for _, e := range entries {
		w.MapLen(7)
		w.BulkString("count")
		w.Int(e.Count)
		w.BulkString("reason")
		w.BulkString(e.Reason)
		w.BulkString("context")
		w.BulkString(e.Context)
		w.BulkString("object")
		w.BulkString(e.Object)
		w.BulkString("username")
		w.BulkString(e.Username)
		w.BulkString("age-seconds")
		w.Double(e.AgeSeconds)
		w.BulkString("client-info")
		w.BulkString(e.ClientInfo)
	}
}

func aclDryRun(ctx *core.Ctx) {
	r := registry(ctx.Srv)
	u := r.User(string(ctx.Args[2]))
	if u == nil {
		ctx.Errorf(rerr.ACLUserNotFound, ctx.Args[2])
		return
	}
	args := ctx.Args[3:]
	cmd := ctx.Srv.Commands.Lookup(args)
	if cmd == nil {
		ctx.Errorf(rerr.ACLCmdNotFound, args[0])
		return
	}
	if (cmd.Arity > 0 && cmd.Arity != len(args)) || len(args) < -cmd.Arity {
		ctx.Errorf(rerr.WrongArity, cmd.Name)
		return
	}
	if msg := r.DryRun(u, cmd, args); msg != "" {
		ctx.W.BulkString(msg)
		return
	}
	ctx.W.OK()
}

var aclHelpLines = []string{
	"CAT [<category>]",
	"    List all commands that belong to <category>, or all command categories",
	"    when no category is specified.",
	"DELUSER <username> [<username> ...]",
	"    Delete a list of users.",
	"DRYRUN <username> <command> [<arg> ...]",
	"    Returns whether the user can execute the given command without executing the command.",
	"GETUSER <username>",
	"    Get the user's details.",
	"GENPASS [<bits>]",
	"    Generate a secure 256-bit user password. The optional `bits` argument can",
	"    be used to specify a different size.",
	"LIST",
	"    Show users details in config file format.",
	"LOAD",
	"    Reload users from the ACL file.",
	"LOG [<count> | RESET]",
	"    Show the ACL log entries.",
	"SAVE",
	"    Save the current config to the ACL file.",
	"SETUSER <username> <attribute> [<attribute> ...]",
	"    Create or modify a user with the specified attributes.",
	"USERS",
	"    List all the registered usernames.",
	"WHOAMI",
	"    Return the current connection username.",
}

func aclHelp(ctx *core.Ctx) { replyHelp(ctx, aclHelpLines) }
