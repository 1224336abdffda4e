package command_test

import (
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestExecRejectedByOOMAbortsTransaction is unit/multi's "EXEC with at
// least one use-memory command should fail": an EXEC refused because
// memory is over maxmemory discards the transaction and says why, as
// Redis's execCommandAbort.
func TestExecRejectedByOOMAbortsTransaction(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		admin := svDial(t, s.Addr)
		c.expect("+OK\r\n", "MULTI")
		c.expect("+QUEUED\r\n", "SET", "x", "1")
		c.expect("+QUEUED\r\n", "GET", "x")
		admin.expect("+OK\r\n", "CONFIG", "SET", "maxmemory", "1")
		c.expect("-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n", "EXEC")
		// The transaction is gone.
		c.expect("-ERR EXEC without MULTI\r\n", "EXEC")
		admin.expect("+OK\r\n", "CONFIG", "SET", "maxmemory", "0")
		c.expect("$-1\r\n", "GET", "x")
		c.match(`errorstat_EXECABORT:count=1\r\n`, "INFO", "errorstats")
		c.match(`cmdstat_exec:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=1,failed_calls=1\r\n`, "INFO", "commandstats")
	})
}
