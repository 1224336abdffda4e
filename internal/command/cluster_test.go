package command_test

import (
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestClusterDisabled: the cluster commands exist and answer as a Redis
// 7.0 server without cluster-enabled does (replies checked against
// redis-server 7.0.15).
func TestClusterDisabled(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		disabled := "-ERR This instance has cluster support disabled\r\n"
		c.expect(disabled, "CLUSTER", "INFO")
		c.expect(disabled, "CLUSTER", "HELP")
		c.expect(disabled, "CLUSTER", "KEYSLOT", "x")
		c.expect(disabled, "CLUSTER", "RESET", "HARD", "extra")
		c.expect(disabled, "READONLY")
		c.expect(disabled, "READWRITE")
		c.expect(disabled, "ASKING")
		c.expect("-ERR wrong number of arguments for 'cluster' command\r\n", "CLUSTER")
		c.expect("-ERR unknown subcommand 'foo'. Try CLUSTER HELP.\r\n", "CLUSTER", "foo")
		c.expect("-ERR This Redis command is not allowed from script script: c7681ef2f81993ee423ec4c83d92a422d581e560, on @user_script:1.\r\n",
			"EVAL", "return redis.call('cluster','reset')", "0")
		c.expect("*1\r\n$13\r\ncluster|reset\r\n", "COMMAND", "LIST", "FILTERBY", "PATTERN", "cluster|res*")
	})
}

// TestModuleCommand: MODULE lists no modules, refuses to load any, and its
// loading subcommands are protected by enable-module-command.
func TestModuleCommand(t *testing.T) {
	notAllowed := "-ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect("*0\r\n", "MODULE", "LIST")
		c.expect(notAllowed, "MODULE", "LOAD", "/nonexist.so")
		c.expect(notAllowed, "MODULE", "UNLOAD", "foo")
	})
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect("*0\r\n", "MODULE", "LIST")
		c.expect("-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", "/nonexist.so")
		c.expect("-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOADEX", "/x", "CONFIG")
		c.expect("-ERR Error unloading module: no such module with that name\r\n", "MODULE", "UNLOAD", "foo")
	}, "--enable-module-command", "yes")
}
