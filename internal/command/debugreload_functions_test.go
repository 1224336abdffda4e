package command_test

import (
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestDebugReloadFunctions is unit/functions' "test debug reload
// different options": DEBUG RELOAD empties the function libraries with
// the keys (Redis's emptyData), NOFLUSH without MERGE fails on a library
// that already exists, NOFLUSH MERGE replaces it.
func TestDebugReloadFunctions(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		lib := func(name string) string {
			return "#!lua name=" + name + "\nredis.register_function('" + name + "', function() return 1 end)"
		}
		c.expect("$4\r\ntest\r\n", "FUNCTION", "LOAD", lib("test"))
		c.expect("+OK\r\n", "DEBUG", "RELOAD")
		c.expect("-ERR Error trying to load the RDB dump\r\n", "DEBUG", "RELOAD", "NOFLUSH")
		c.expect("+OK\r\n", "DEBUG", "RELOAD", "NOFLUSH", "MERGE")
		c.expect(":1\r\n", "FCALL", "test", "0")
		// A library loaded after the last save is gone after a reload
		// that flushes without saving.
		c.expect("$2\r\nt2\r\n", "FUNCTION", "LOAD", lib("t2"))
		c.expect("+OK\r\n", "DEBUG", "RELOAD", "NOSAVE")
		c.match(`^-ERR Function not found`, "FCALL", "t2", "0")
		c.expect(":1\r\n", "FCALL", "test", "0")
	}, "--enable-debug-command", "yes")
}
