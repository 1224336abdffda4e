package command_test

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

func infoField(t *testing.T, c *svConn, section, field string) string {
	t.Helper()
	m := regexp.MustCompile(`\r\n` + regexp.QuoteMeta(field) + `:([^\r]*)\r\n`).FindStringSubmatch(c.do("INFO", section))
	if m == nil {
		t.Fatalf("INFO %s has no %s", section, field)
	}
	return m[1]
}

func TestClientPauseErrors(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		defer c.do("CLIENT", "UNPAUSE")
		c.expect("-ERR wrong number of arguments for 'client|pause' command\r\n", "CLIENT", "PAUSE")
		c.expect("-ERR timeout is not an integer or out of range\r\n", "CLIENT", "PAUSE", "x")
		c.expect("-ERR timeout is not an integer or out of range\r\n", "CLIENT", "PAUSE", "1.5")
		c.expect("-ERR timeout is negative\r\n", "CLIENT", "PAUSE", "-1")
		c.expect("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", "CLIENT", "PAUSE", "10", "foo")
		c.expect("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", "CLIENT", "PAUSE", "x", "foo")
		c.expect("-ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.\r\n", "CLIENT", "pause", "10", "write", "x")
		c.expect("-ERR wrong number of arguments for 'client|unpause' command\r\n", "CLIENT", "UNPAUSE", "x")
		c.expect(okReply, "CLIENT", "PAUSE", "0")
		c.expect(okReply, "CLIENT", "PAUSE", "0", "ALL")
		c.expect(okReply, "CLIENT", "UNPAUSE")
		c.expect("+PONG\r\n", "PING")
	})
}

// TestClientPauseWrite reproduces unit/pause's cases that do not need
// scripting or HyperLogLog.
func TestClientPauseWrite(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		defer r.do("CLIENT", "UNPAUSE")
		r.expect(okReply, "SELECT", "9")
		r.do("FLUSHDB")

		// Read commands are not blocked.
		r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
		rd := svDial(t, addr)
		rd.expect(okReply, "SELECT", "9")
		rd.expect(nilBulk, "GET", "FOO")
		rd.expect("+PONG\r\n", "PING")
		rd.match(`^\$`, "INFO")
		if n := infoField(t, r, "clients", "blocked_clients"); n != "0" {
			t.Errorf("blocked_clients %s", n)
		}
		r.expect(okReply, "CLIENT", "UNPAUSE")

		// Writes wait; pipelined requests after them too, in order.
		r.expect(okReply, "CLIENT", "PAUSE", "60000", "WRITE")
		w := svDial(t, addr)
		w.expect(okReply, "SELECT", "9")
		w.send("SET", "FOO", "BAR")
		w.send("GET", "FOO")
		waitBlocked(t, r, 1)
		r.match(` flags=b db=9 .* cmd=set `, "CLIENT", "LIST", "ID", w.clientIDNoWait(t, r))
		r.expect(nilBulk, "GET", "FOO")
		// PUBLISH may replicate: it waits too.
		p := svDial(t, addr)
		p.send("PUBLISH", "foo", "bar")
		waitBlocked(t, r, 2)
		r.expect(okReply, "CLIENT", "UNPAUSE")
		if got := w.read() + w.read(); got != okReply+bulk("BAR") {
			t.Errorf("held SET/GET: %q", got)
		}
		if got := p.read(); got != ":0\r\n" {
			t.Errorf("held PUBLISH: %q", got)
		}
		waitBlocked(t, r, 0)

		// Read-only transactions run; one with a write waits.
		r.expect(okReply, "SET", "FOO", "BAR")
		r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
		rr := svDial(t, addr)
		rr.expect(okReply, "SELECT", "9")
		rr.expect(okReply, "MULTI")
		rr.expect("+QUEUED\r\n", "PING")
		rr.expect("+QUEUED\r\n", "GET", "FOO")
		rr.expect("*2\r\n+PONG\r\n"+bulk("BAR"), "EXEC")
		r.expect(okReply, "CLIENT", "UNPAUSE")
		rw := svDial(t, addr)
		rw.expect(okReply, "MULTI")
		rw.expect("+QUEUED\r\n", "SET", "FOO", "BAR")
		r.expect(okReply, "CLIENT", "PAUSE", "60000", "WRITE")
		rw.send("EXEC")
		waitBlocked(t, r, 1)
		r.expect(okReply, "CLIENT", "UNPAUSE")
		if got := rw.read(); got != "*1\r\n+OK\r\n" {
			t.Errorf("held EXEC: %q", got)
		}

		// Several clients queue up and are released.
		r.expect(okReply, "CLIENT", "PAUSE", "60000", "WRITE")
		var cs []*svConn
		for i := 0; i < 3; i++ {
			c := svDial(t, addr)
			c.expect(okReply, "SELECT", "9")
			c.send("SET", "FOO", "BAR"+strconv.Itoa(i))
			cs = append(cs, c)
		}
		waitBlocked(t, r, 3)
		r.expect(okReply, "CLIENT", "UNPAUSE")
		for _, c := range cs {
			if got := c.read(); got != okReply {
				t.Errorf("held SET: %q", got)
			}
		}

		// Syntax errors are answered at once.
		r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
		r.expect("-ERR wrong number of arguments for 'set' command\r\n", "SET", "FOO")
		r.expect(okReply, "CLIENT", "UNPAUSE")

		// Neither active nor lazy expiry deletes keys during a pause.
		expired, _ := strconv.Atoi(infoField(t, r, "stats", "expired_keys"))
		r.expect(okReply, "MULTI")
		r.expect("+QUEUED\r\n", "SET", "foo{t}", "bar{t}", "PX", "10")
		r.expect("+QUEUED\r\n", "SET", "bar{t}", "foo{t}", "PX", "10")
		r.expect("+QUEUED\r\n", "CLIENT", "PAUSE", "50000", "WRITE")
		r.expect("*3\r\n+OK\r\n+OK\r\n+OK\r\n", "EXEC")
		time.Sleep(300 * time.Millisecond)
		r.expect(nilBulk, "GET", "foo{t}")
		r.expect(nilBulk, "GET", "bar{t}")
		r.expect(":3\r\n", "DBSIZE") // FOO and the two expired keys
		if n, _ := strconv.Atoi(infoField(t, r, "stats", "expired_keys")); n != expired {
			t.Errorf("expired_keys %d during the pause, was %d", n, expired)
		}
		r.expect(okReply, "CLIENT", "UNPAUSE")
		r.expect(nilBulk, "GET", "foo{t}")
		r.expect(nilBulk, "GET", "bar{t}")
		if n, _ := strconv.Atoi(infoField(t, r, "stats", "expired_keys")); n != expired+2 {
			t.Errorf("expired_keys %d after the pause, want %d", n, expired+2)
		}

		// A pause starts at the end of the transaction that asked for it.
		r.expect(okReply, "MULTI")
		r.expect("+QUEUED\r\n", "SET", "FOO1{t}", "BAR")
		r.expect("+QUEUED\r\n", "CLIENT", "PAUSE", "60000", "WRITE")
		r.expect("+QUEUED\r\n", "SET", "FOO2{t}", "BAR")
		r.expect("*3\r\n+OK\r\n+OK\r\n+OK\r\n", "EXEC")
		h := svDial(t, addr)
		h.expect(okReply, "SELECT", "9")
		h.send("SET", "FOO3{t}", "BAR")
		waitBlocked(t, r, 1)
		r.expect(bulk("BAR"), "GET", "FOO1{t}")
		r.expect(bulk("BAR"), "GET", "FOO2{t}")
		r.expect(nilBulk, "GET", "FOO3{t}")
		r.expect(okReply, "CLIENT", "UNPAUSE")
		if got := h.read(); got != okReply {
			t.Errorf("held SET: %q", got)
		}
	})
}

// clientIDNoWait returns c's id as seen in CLIENT LIST by matching its
// address (c itself may be held by a pause).
func (c *svConn) clientIDNoWait(t *testing.T, r *svConn) string {
	t.Helper()
	addr := regexp.QuoteMeta(c.c.LocalAddr().String())
	m := regexp.MustCompile(`id=(\d+) addr=` + addr + ` `).FindStringSubmatch(r.do("CLIENT", "LIST"))
	if m == nil {
		t.Fatalf("client %s not listed", addr)
	}
	return m[1]
}

// TestClientPauseAllAndTimeout: PAUSE ALL holds every command, the
// pausing client's and a CLIENT UNPAUSE too, until its timeout ends it.
func TestClientPauseAllAndTimeout(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		o := svDial(t, addr)
		d := svDial(t, addr)
		o.expect(okReply, "SELECT", "9")
		o.do("DEL", "x")
		start := time.Now()
		r.expect(okReply, "CLIENT", "PAUSE", "400", "ALL")
		r.send("PING")
		o.send("GET", "x")
		d.send("CLIENT", "UNPAUSE")
		expectSilent(t, o, 100*time.Millisecond)
		if got := r.read(); got != "+PONG\r\n" || time.Since(start) < 350*time.Millisecond {
			t.Errorf("PING %q after %v", got, time.Since(start))
		}
		if got := o.read(); got != nilBulk {
			t.Errorf("GET %q", got)
		}
		if got := d.read(); got != okReply {
			t.Errorf("CLIENT UNPAUSE %q", got)
		}
		// A shorter pause does not shorten the current one.
		start = time.Now()
		r.expect(okReply, "CLIENT", "PAUSE", "300", "WRITE")
		r.expect(okReply, "CLIENT", "PAUSE", "10", "WRITE")
		o.send("SET", "x", "1")
		if got := o.read(); got != okReply || time.Since(start) < 250*time.Millisecond {
			t.Errorf("SET %q after %v", got, time.Since(start))
		}
	})
}

// TestClientUnblockIgnoresPaused: CLIENT UNBLOCK does not release a
// client held by CLIENT PAUSE (Redis 7.0.15 crashes there).
func TestClientUnblockIgnoresPaused(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		r := svDial(t, s.Addr)
		h := svDial(t, s.Addr)
		id := h.clientID()
		r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
		h.send("SET", "k", "v")
		waitBlocked(t, r, 1)
		r.expect(":0\r\n", "CLIENT", "UNBLOCK", id)
		r.expect(":0\r\n", "CLIENT", "UNBLOCK", id, "ERROR")
		r.expect(okReply, "CLIENT", "UNPAUSE")
		if got := h.read(); got != okReply {
			t.Errorf("held SET: %q", got)
		}
	})
}

// TestClientPauseDynamicFlags: CLIENT PAUSE WRITE judges a command by the
// flags of its invocation when it declares them (as EVAL does from the
// script's flags), also inside a transaction.
func TestClientPauseDynamicFlags(t *testing.T) {
	table := command.Table()
	table.Add(&core.Command{Name: "scriptish", Arity: 2, Flags: core.FlagMayReplicate,
		DynamicFlags: func(args [][]byte) core.Flag {
			if string(args[1]) == "ro" {
				return core.FlagReadOnly
			}
			return core.FlagWrite
		},
		Handler: func(ctx *core.Ctx) { ctx.W.BulkString(string(ctx.Args[1])) }})
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			s := servertest.StartTable(t, mode, table)
			r := svDial(t, s.Addr)
			c := svDial(t, s.Addr)
			r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
			c.expect(bulk("ro"), "SCRIPTISH", "ro")
			c.expect(okReply, "MULTI")
			c.expect("+QUEUED\r\n", "SCRIPTISH", "ro")
			c.expect("*1\r\n"+bulk("ro"), "EXEC")
			r.expect(okReply, "CLIENT", "UNPAUSE")
			c.expect(okReply, "MULTI")
			c.expect("+QUEUED\r\n", "SCRIPTISH", "rw")
			r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
			c.send("EXEC")
			waitBlocked(t, r, 1)
			r.expect(okReply, "CLIENT", "UNPAUSE")
			if got := c.read(); got != "*1\r\n"+bulk("rw") {
				t.Errorf("EXEC: %q", got)
			}
			r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
			c.send("SCRIPTISH", "rw")
			waitBlocked(t, r, 1)
			r.expect(okReply, "CLIENT", "UNPAUSE")
			if got := c.read(); got != bulk("rw") {
				t.Errorf("SCRIPTISH rw: %q", got)
			}
		})
	}
}

// TestClientPauseQueueing: in Redis 7.0 a write queued inside MULTI during
// a WRITE pause waits too (the pause check comes before queueing).
func TestClientPauseQueueing(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		c := svDial(t, addr)
		defer r.do("CLIENT", "UNPAUSE")
		c.expect(okReply, "SELECT", "9")
		c.expect(okReply, "MULTI")
		r.expect(okReply, "CLIENT", "PAUSE", "100000", "WRITE")
		c.send("SET", "a", "1")
		waitBlocked(t, r, 1)
		r.expect(okReply, "CLIENT", "UNPAUSE")
		if got := c.read(); got != "+QUEUED\r\n" {
			t.Errorf("SET in MULTI: %q", got)
		}
		c.expect("*1\r\n+OK\r\n", "EXEC")
	})
}
