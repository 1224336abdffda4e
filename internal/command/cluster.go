package command

import (
	"sort"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// CLUSTER, READONLY, READWRITE and ASKING as a Redis 7.0 server started
// without cluster-enabled answers them: every call is refused with the
// same error, while the commands themselves exist (COMMAND INFO/DOCS/LIST,
// ACL categories, arity and flag checks such as noscript in scripts), so
// clients probing for cluster mode get Redis's reply. Their metadata comes
// from the generated command docs, so it cannot drift from Redis's.

var _ = register(clusterCommands()...)

// clusterCommands builds the cluster group's commands from their docs.
func clusterCommands() []*core.Command {
	cluster := docCommand("cluster")
	cluster.Subcommands = map[string]*core.Command{}
	for _, name := range docNames("cluster|") {
		sub := docCommand(name)
		sub.Name = strings.TrimPrefix(name, "cluster|")
		sub.Handler = clusterDisabled
		cluster.Subcommands[sub.Name] = sub
	}
	cmds := []*core.Command{cluster}
	for _, name := range []string{"readonly", "readwrite", "asking"} {
		c := docCommand(name)
		c.Handler = clusterDisabled
		cmds = append(cmds, c)
	}
	return cmds
}

// docCommand returns a command with the name, arity, flags and
// descriptive fields of its docs entry.
func docCommand(name string) *core.Command {
	d := docFor(name)
	if d == nil {
		panic("command: no docs for " + name)
	}
	c := &core.Command{Name: name, Arity: d.Arity, Group: d.Group, Since: d.Since, Summary: d.Summary}
	for _, f := range d.Flags {
		if fl, ok := core.FlagByName(f); ok {
			c.Flags |= fl
		} else if f == "protected" {
			c.Flags |= core.FlagProtected
		}
	}
	return c
}

// docNames returns the sorted names of the docs entries starting with
// prefix.
func docNames(prefix string) []string {
	docFor("")
	var names []string
	for name := range docsMap {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func clusterDisabled(ctx *core.Ctx) { ctx.Error(rerr.ClusterDisabled) }
