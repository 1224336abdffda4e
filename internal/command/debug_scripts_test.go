package command_test

import (
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestDebugSetDisableDenyScripts checks DEBUG SET-DISABLE-DENY-SCRIPTS:
// with 1, scripts may call commands flagged no-script (DEBUG, CLIENT), as
// unit/scripting's RESP3 protocol tests do; with 0 they are refused again.
func TestDebugSetDisableDenyScripts(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		bignum := "return redis.call('debug','protocol','bignum')"
		c.match(`^-ERR This Redis command is not allowed from script script: [0-9a-f]{40}, on @user_script:1\.\r\n`, "EVAL", bignum, "0")
		c.expect("+OK\r\n", "DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1")
		c.expect("$37\r\n1234567999999999999999999999999999999\r\n", "EVAL", bignum, "0")
		c.expect(":0\r\n", "EVAL", "redis.setresp(3); return redis.call('debug','protocol','false')", "0")
		c.expect(":1\r\n", "EVAL", "return redis.call('client','id') == redis.call('client','id')", "0")
		c.expect("+OK\r\n", "DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0")
		c.match(`^-ERR This Redis command is not allowed from script`, "EVAL", bignum, "0")
		c.match(`^-ERR unknown subcommand or wrong number of arguments for 'SET-DISABLE-DENY-SCRIPTS'`, "DEBUG", "SET-DISABLE-DENY-SCRIPTS")
	}, "--enable-debug-command", "yes")
}
