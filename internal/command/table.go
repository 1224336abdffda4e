package command

import "github.com/redis-clone/redis-clone/internal/core"

// groups lists every command group's commands; each group file adds its
// own slice here through register.
var groups [][]*core.Command

// register adds a group's commands to the table Table builds.
func register(cmds ...*core.Command) bool {
	groups = append(groups, cmds)
	return true
}

// Table returns a fresh command table with every command.
func Table() core.Table {
	t := core.Table{}
	for _, g := range groups {
		for _, c := range g {
			t.Add(clone(c))
		}
	}
	return t
}

// clone copies a command (and its subcommands) so that statistics are per
// table, and tests can run several servers in one process.
func clone(c *core.Command) *core.Command {
	cp := *c
	if c.Subcommands != nil {
		cp.Subcommands = make(map[string]*core.Command, len(c.Subcommands))
		for k, sub := range c.Subcommands {
			cp.Subcommands[k] = clone(sub)
		}
	}
	return &cp
}
