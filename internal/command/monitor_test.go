package command_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// monitorLineRE matches one MONITOR line and captures its database and
// arguments part.
var monitorLineRE = regexp.MustCompile(`^\+(\d{10})\.(\d{6}) \[(\d+) 127\.0\.0\.1:\d+\] (.*)\r\n$`)

// monitorLine reads one MONITOR line and returns "[db] args".
func monitorLine(t *testing.T, m *svConn) string {
	t.Helper()
	line := m.read()
	g := monitorLineRE.FindStringSubmatch(line)
	if g == nil {
		t.Fatalf("not a MONITOR line: %q", line)
	}
	return "[" + g[3] + "] " + g[4]
}

func expectMonitor(t *testing.T, m *svConn, want ...string) {
	t.Helper()
	for _, w := range want {
		if got := monitorLine(t, m); got != w {
			t.Errorf("MONITOR:\n got %q\nwant %q", got, w)
		}
	}
}

// expectSilent checks that nothing arrives on c for a short while.
func expectSilent(t *testing.T, c *svConn, d time.Duration) {
	t.Helper()
	_ = c.c.SetReadDeadline(time.Now().Add(d))
	if _, err := c.r.ReadByte(); err == nil {
		_ = c.r.UnreadByte()
		t.Errorf("unexpected data: %q", c.read())
	}
}

func TestMonitor(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		m := svDial(t, addr)
		c := svDial(t, addr)
		c.expect(okReply, "SELECT", "9")
		m.expect(okReply, "MONITOR")
		m.match(`^\$\d+\r\nid=\d+ .* flags=O .* cmd=client\|info `, "CLIENT", "INFO")
		expectMonitor(t, m, `[0] "CLIENT" "INFO"`) // not an admin command

		// Commands as executed, quoted as sdscatrepr; binary arguments.
		c.expect(okReply, "SET", "foo", "bar \"q\"\\\n\r\t\a\b\x00\xff")
		c.expect(bulk("bar \"q\"\\\n\r\t\a\b\x00\xff"), "GET", "foo")
		expectMonitor(t, m,
			`[9] "SET" "foo" "bar \"q\"\\\n\r\t\a\b\x00\xff"`,
			`[9] "GET" "foo"`)
		line := m.do("PING")
		if line != "+PONG\r\n" {
			t.Errorf("PING from the MONITOR client: %q", line)
		}
		expectMonitor(t, m, `[0] "PING"`)

		// Administrative commands are not shown; rejected ones neither.
		c.match(`^\$`, "CLIENT", "LIST")
		c.match(`^\*2\r\n`, "CONFIG", "GET", "maxmemory")
		c.expect("-ERR wrong number of arguments for 'get' command\r\n", "GET")
		c.expect(":1\r\n", "EXISTS", "foo")
		expectMonitor(t, m, `[9] "EXISTS" "foo"`)

		// Transactions: MULTI, the commands as EXEC runs them, EXEC; an
		// aborted one shows MULTI and EXEC only.
		c.expect(okReply, "MULTI")
		c.expect("+QUEUED\r\n", "SET", "foo", "bar")
		c.expect("*1\r\n+OK\r\n", "EXEC")
		expectMonitor(t, m, `[9] "MULTI"`, `[9] "SET" "foo" "bar"`, `[9] "EXEC"`)
		c.expect(okReply, "MULTI")
		c.expect("-ERR unknown command 'SYNTAX', with args beginning with: 'ERROR' \r\n", "SYNTAX", "ERROR")
		c.expect("-EXECABORT Transaction discarded because of previous errors.\r\n", "EXEC")
		expectMonitor(t, m, `[9] "MULTI"`, `[9] "EXEC"`)

		// Passwords are redacted.
		c.do("AUTH", "not-real")
		c.do("AUTH", "not-real", "not-a-password")
		c.do("HELLO", "2", "AUTH", "not-real", "not-a-password")
		c.expect(okReply, "SELECT", "5")
		expectMonitor(t, m,
			`[9] "AUTH" "(redacted)"`,
			`[9] "AUTH" "(redacted)" "(redacted)"`,
			`[9] "HELLO" "2" "AUTH" "(redacted)" "(redacted)"`,
			`[5] "SELECT" "5"`)

		// A MONITOR client cannot touch the keyspace, MONITOR again is not
		// answered, and MONITOR inside a transaction is refused.
		m.expect("-ERR Replica can't interact with the keyspace\r\n", "GET", "foo")
		m.send("MONITOR")
		expectSilent(t, m, 100*time.Millisecond)
		d := svDial(t, addr)
		d.expect(okReply, "MULTI")
		d.expect("+QUEUED\r\n", "MONITOR")
		d.expect("*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n", "EXEC")
		expectMonitor(t, m, `[0] "MULTI"`)
		if got := monitorLine(t, m); !strings.HasPrefix(got, `[0] "EXEC"`) {
			t.Errorf("MONITOR: got %q, want exec", got)
		}

		// RESET ends MONITOR mode.
		m.expect("+RESET\r\n", "RESET")
		m.match(` flags=N `, "CLIENT", "INFO")
		c.expect(nilBulk, "GET", "nosuchkey")
		expectSilent(t, m, 100*time.Millisecond)
	})
}

// TestMonitorOrder checks that lines from several clients arrive in the
// order the commands ran, and that a closed MONITOR client is dropped.
func TestMonitorOrder(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		m := svDial(t, addr)
		gone := svDial(t, addr)
		m.expect(okReply, "MONITOR")
		gone.expect(okReply, "MONITOR")
		gone.c.Close()
		a, b := svDial(t, addr), svDial(t, addr)
		var want []string
		for i := 0; i < 20; i++ {
			x := strconv.Itoa(i)
			a.expect(bulk("a"+x), "ECHO", "a"+x)
			b.expect(bulk("b"+x), "ECHO", "b"+x)
			want = append(want, `[0] "ECHO" "a`+x+`"`, `[0] "ECHO" "b`+x+`"`)
		}
		expectMonitor(t, m, want...)
	})
}

// TestMonitorSelfFeeding: a command flagged skip_monitor is not shown by
// the executor; one that feeds MONITOR itself (as EVAL will, before the
// commands its script runs) is shown where it fed.
func TestMonitorSelfFeeding(t *testing.T) {
	table := command.Table()
	table.Add(&core.Command{Name: "quietcmd", Arity: 1, Flags: core.FlagSkipMonitor,
		Handler: func(ctx *core.Ctx) { ctx.W.OK() }})
	table.Add(&core.Command{Name: "selffeed", Arity: -1, Flags: core.FlagSkipMonitor,
		Handler: func(ctx *core.Ctx) {
			ctx.Srv.FeedMonitors(ctx.Client, ctx.Client.DB, ctx.Args)
			ctx.W.OK()
		}})
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			s := servertest.StartTable(t, mode, table)
			m := svDial(t, s.Addr)
			c := svDial(t, s.Addr)
			m.expect(okReply, "MONITOR")
			c.expect(okReply, "QUIETCMD")
			c.expect(okReply, "SELFFEED", "a", "b")
			c.expect("+PONG\r\n", "PING")
			expectMonitor(t, m, `[0] "SELFFEED" "a" "b"`, `[0] "PING"`)
		})
	}
}
