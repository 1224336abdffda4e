package command_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// Reproduction of Redis's unit/limits (external:skip in its suite): a
// server started with maxclients 10 refuses the connections past the
// limit with "-ERR max number of clients reached" and counts them in
// rejected_connections; in both modes and, with SERVER_ORACLE, against a
// real Redis (set to maxclients 10 for the test).
func TestLimitsMaxclients(t *testing.T) {
	check := func(t *testing.T, addr string) {
		ctl := svDial(t, addr)
		before, _ := strconv.Atoi(infoField(t, ctl, "stats", "rejected_connections"))
		// "Check if maxclients works refusing connections": ctl stands
		// for the Tcl test's own client.
		var conns []*svConn
		c, last := 0, ""
		for c < 50 {
			c++
			rd := svDial(t, addr)
			conns = append(conns, rd)
			got, err := rd.tryDo("PING")
			if err != nil || got != "+PONG\r\n" {
				last = got
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if c <= 8 || c > 10 {
			t.Errorf("refused at connection %d", c)
		}
		if last != "-ERR max number of clients reached\r\n" {
			t.Errorf("refusal: %q", last)
		}
		ctl.c.Close()
		for _, rd := range conns {
			rd.c.Close()
		}
		// The refused connection was counted (once the others are gone
		// a new connection is accepted again).
		deadline := time.Now().Add(5 * time.Second)
		refused := 0 // while the closes are being noticed
		for {
			ctl = svDial(t, addr)
			got, err := ctl.tryDo("INFO", "stats")
			if err == nil && got[0] == '$' {
				break
			}
			if got == last {
				refused++
			}
			if time.Now().After(deadline) {
				t.Fatal("server still refuses connections")
			}
			time.Sleep(20 * time.Millisecond)
		}
		if n, _ := strconv.Atoi(infoField(t, ctl, "stats", "rejected_connections")); n != before+1+refused {
			t.Errorf("rejected_connections %d, want %d", n, before+1+refused)
		}
	}
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) { check(t, s.Addr) }, "--maxclients", "10")
	if addr := os.Getenv("SERVER_ORACLE"); addr != "" {
		t.Run("oracle", func(t *testing.T) {
			r := svDial(t, addr)
			r.expect(okReply, "CONFIG", "SET", "maxclients", "10")
			r.c.Close()
			defer func() {
				svDial(t, addr).do("CONFIG", "SET", "maxclients", "10000")
			}()
			check(t, addr)
		})
	}
}
