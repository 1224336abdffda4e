package command_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// waitBlocked waits until INFO reports n blocked clients.
func waitBlocked(t *testing.T, c *svConn, n int) {
	t.Helper()
	re := regexp.MustCompile(`blocked_clients:(\d+)`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		m := re.FindStringSubmatch(c.do("INFO", "clients"))
		if m != nil && m[1] == strconv.Itoa(n) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("blocked_clients: %v, want %d", m, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// slowlogNorm replaces what differs between runs in SLOWLOG GET replies:
// entry ids, times, durations and client addresses.
func slowlogNorm(s string) string {
	s = regexp.MustCompile(`\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n`).ReplaceAllLiteralString(s, "*6\r\n:ID\r\n:T\r\n:D\r\n")
	return regexp.MustCompile(`\$\d+\r\n127\.0\.0\.1:\d+\r\n`).ReplaceAllLiteralString(s, "$A\r\nADDR\r\n")
}

// slowEntry is the normalized bytes of one SLOWLOG GET entry.
func slowEntry(name string, args ...string) string {
	var b strings.Builder
	b.WriteString("*6\r\n:ID\r\n:T\r\n:D\r\n*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b.WriteString(bulk(a))
	}
	b.WriteString("$A\r\nADDR\r\n" + bulk(name))
	return b.String()
}

func slowlogRestore(c *svConn) {
	c.do("CONFIG", "SET", "slowlog-log-slower-than", "10000")
	c.do("CONFIG", "SET", "slowlog-max-len", "128")
	c.do("SLOWLOG", "RESET")
}

func TestSlowlogCommands(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		defer slowlogRestore(c)
		c.expect(okReply, "SELECT", "9")
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "1000000")
		c.expect(okReply, "SLOWLOG", "RESET")
		c.expect(":0\r\n", "SLOWLOG", "LEN")
		c.expect("*0\r\n", "SLOWLOG", "GET")

		// Errors.
		countErr := "-ERR count should be greater than or equal to -1\r\n"
		c.expect(countErr, "SLOWLOG", "GET", "-2")
		c.expect(countErr, "SLOWLOG", "GET", "-222")
		c.expect(countErr, "SLOWLOG", "GET", "x")
		c.expect("-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n", "SLOWLOG", "GET", "1", "2")
		c.expect("-ERR wrong number of arguments for 'slowlog|len' command\r\n", "SLOWLOG", "LEN", "x")
		c.expect("-ERR wrong number of arguments for 'slowlog|reset' command\r\n", "SLOWLOG", "RESET", "x")
		c.expect("-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n", "SLOWLOG", "foo")
		c.expect("-ERR wrong number of arguments for 'slowlog' command\r\n", "SLOWLOG")
		c.expect("*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"+
			"+GET [<count>]\r\n+    Return top <count> entries from the slowlog (default: 10, -1 mean all).\r\n"+
			"+    Entries are made of:\r\n+    id, timestamp, time in microseconds, arguments array, client IP and port,\r\n"+
			"+    client name\r\n+LEN\r\n+    Return the length of the slowlog.\r\n+RESET\r\n+    Reset the slowlog.\r\n"+
			"+HELP\r\n+    Prints this help.\r\n", "SLOWLOG", "HELP")

		// Only slower commands are logged; max entries; GET count.
		c.expect("+PONG\r\n", "PING")
		c.expect(":0\r\n", "SLOWLOG", "LEN")
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "0")
		c.expect(okReply, "CONFIG", "SET", "slowlog-max-len", "10")
		for i := 0; i < 100; i++ {
			c.do("PING")
		}
		c.expect(":10\r\n", "SLOWLOG", "LEN")
		if got := slowlogNorm(c.do("SLOWLOG", "GET", "5")); !strings.HasPrefix(got, "*5\r\n"+slowEntry("", "SLOWLOG", "LEN")+slowEntry("", "PING")) {
			t.Errorf("SLOWLOG GET 5: %q", got)
		}
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "100000")
		c.expect(okReply, "SLOWLOG", "RESET")
		c.expect(":0\r\n", "SLOWLOG", "LEN")

		// The logged entry: arguments trimmed to 32 and 128 bytes, the
		// client's name, sensitive arguments redacted, EXEC not logged but
		// what it ran.
		c.expect(okReply, "CLIENT", "SETNAME", "foobar")
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "0")
		c.expect(okReply, "SLOWLOG", "RESET")
		sadd := []string{"SADD", "set"}
		for i := 3; i <= 33; i++ {
			sadd = append(sadd, strconv.Itoa(i))
		}
		c.do(sadd...)
		long := strings.Repeat("A", 129)
		c.do("SADD", "set", "foo", long)
		c.do("AUTH", "secret")
		c.do("AUTH", "user", "secret")
		c.do("HELLO", "2", "AUTH", "user", "pw", "SETNAME", "foobar")
		c.do("CONFIG", "SET", "masterauth", "")
		c.expect(okReply, "MULTI")
		c.expect("+QUEUED\r\n", "SET", "x", "1")
		c.expect("*1\r\n+OK\r\n", "EXEC")
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "-1")
		trimmed := append(append([]string(nil), sadd[:31]...), "... (2 more arguments)")
		// The CONFIG SET that disabled the log is not in it.
		want := "*9\r\n" +
			slowEntry("foobar", "SET", "x", "1") +
			slowEntry("foobar", "MULTI") +
			slowEntry("foobar", "CONFIG", "SET", "masterauth", "(redacted)") +
			slowEntry("foobar", "HELLO", "2", "AUTH", "(redacted)", "(redacted)", "SETNAME", "foobar") +
			slowEntry("foobar", "AUTH", "(redacted)", "(redacted)") +
			slowEntry("foobar", "AUTH", "(redacted)") +
			slowEntry("foobar", "SADD", "set", "foo", long[:128]+"... (1 more bytes)") +
			slowEntry("foobar", trimmed...) +
			slowEntry("foobar", "SLOWLOG", "RESET")
		if got := slowlogNorm(c.do("SLOWLOG", "GET", "-1")); got != want {
			t.Errorf("SLOWLOG GET -1:\n got %q\nwant %q", got, want)
		}

		// Older entries are dropped when one is added; GET 0 / 1 / -1.
		c.expect(okReply, "CONFIG", "SET", "slowlog-max-len", "3")
		c.expect(":9\r\n", "SLOWLOG", "LEN")
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "0")
		c.expect(okReply, "SLOWLOG", "RESET")
		c.do("SET", "key", "test")
		c.do("SADD", "set", "a", "b", "c")
		c.do("INCR", "num")
		c.do("LPUSH", "list", "a")
		c.expect(":3\r\n", "SLOWLOG", "LEN")
		c.expect("*0\r\n", "SLOWLOG", "GET", "0")
		c.match(`^\*1\r\n`, "SLOWLOG", "GET", "1")
		c.match(`^\*3\r\n`, "SLOWLOG", "GET", "-1")
		c.match(`^\*3\r\n`, "SLOWLOG", "GET", "3")
		c.match(`^\*3\r\n`, "SLOWLOG", "GET", "100")
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "-1")
		c.expect(okReply, "SLOWLOG", "RESET")
		c.do("PING")
		c.expect(":0\r\n", "SLOWLOG", "LEN")
	})
}

// TestSlowlogBlockedCommand: a blocking command is logged, as itself, when
// it is served (here by a write inside EXEC), after the commands that
// served it; the EXEC is not logged.
func TestSlowlogBlockedCommand(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		defer slowlogRestore(c)
		rd := svDial(t, addr)
		c.expect(okReply, "SELECT", "9")
		rd.expect(okReply, "SELECT", "9")
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "0")
		c.do("DEL", "l")
		rd.send("BLPOP", "l", "0")
		waitBlocked(t, c, 1)
		c.expect(okReply, "MULTI")
		c.expect("+QUEUED\r\n", "LPUSH", "l", "foo")
		c.expect("+QUEUED\r\n", "SLOWLOG", "RESET")
		c.expect("*2\r\n:1\r\n+OK\r\n", "EXEC")
		if got := rd.read(); got != "*2\r\n"+bulk("l")+bulk("foo") {
			t.Errorf("BLPOP: %q", got)
		}
		want := "*2\r\n" + slowEntry("", "BLPOP", "l", "0") + slowEntry("", "SLOWLOG", "RESET")
		if got := slowlogNorm(c.do("SLOWLOG", "GET")); got != want {
			t.Errorf("SLOWLOG GET:\n got %q\nwant %q", got, want)
		}
	})
}

// TestSlowlogDebugSleep: a slow command's duration is what it took.
func TestSlowlogDebugSleep(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect(okReply, "CONFIG", "SET", "slowlog-log-slower-than", "100000")
		c.expect(okReply, "CLIENT", "SETNAME", "sleeper")
		c.do("DEBUG", "SLEEP", "0.2")
		c.expect(":1\r\n", "SLOWLOG", "LEN")
		got := c.do("SLOWLOG", "GET")
		m := regexp.MustCompile(`^\*1\r\n\*6\r\n:0\r\n:(\d+)\r\n:(\d+)\r\n\*3\r\n\$5\r\nDEBUG\r\n\$5\r\nSLEEP\r\n\$3\r\n0\.2\r\n\$\d+\r\n127\.0\.0\.1:\d+\r\n\$7\r\nsleeper\r\n$`).FindStringSubmatch(got)
		if m == nil {
			t.Fatalf("SLOWLOG GET: %q", got)
		}
		if us, _ := strconv.Atoi(m[2]); us < 200000 || us > 2000000 {
			t.Errorf("duration %d µs", us)
		}
		if ts, _ := strconv.ParseInt(m[1], 10, 64); time.Since(time.Unix(ts, 0)) > time.Minute {
			t.Errorf("time %d", ts)
		}
	}, "--enable-debug-command", "yes")
}
