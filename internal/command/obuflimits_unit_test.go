package command_test

import (
	"testing"
	"time"
)

// unit/obuf-limits is reproduced in obuf_test.go (CONFIG SET, hard and
// soft limits, single command, pipeline, transaction, KEYS stopped
// mid-run); this adds its "Obuf limit, HRANDFIELD with huge count stopped
// mid-run": the reply would be about 10 GB, so the server must notice the
// limit while producing it, close the client and stay responsive.
func TestObufLimitHrandfieldStopped(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		defer r.do("CONFIG", "SET", "client-output-buffer-limit", defaultCOBL)
		r.expect(okReply, "CONFIG", "SET", "client-output-buffer-limit", "normal 1000000 0 0")
		c := svDial(t, addr)
		c.expect(okReply, "SELECT", "9")
		c.expect(":1\r\n", "HSET", "myhash", "a", "b")
		start := time.Now()
		if _, err := c.tryDo("HRANDFIELD", "myhash", "-999999999"); err == nil {
			t.Error("HRANDFIELD: got a reply")
		}
		r.expect("+PONG\r\n", "PING")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("HRANDFIELD ran %v", d)
		}
		r.do("SELECT", "9")
		r.do("DEL", "myhash")
	})
}
