package command_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Reproductions of Redis's unit/info (external:skip in its suite):
// latencystats, errorstats and commandstats after failed and rejected
// calls, in both modes and against SERVER_ORACLE (which must run with
// enable-debug-command yes). The Lua cases ("failed call within LUA",
// "failed call NOSCRIPT error") need scripting, which this tree lacks.

// infoLine returns the value of the INFO field name in section, or "".
func infoLine(r *svConn, section, name string) string {
	m := regexp.MustCompile(`\r\n` + regexp.QuoteMeta(name) + `:([^\r]*)\r\n`).FindStringSubmatch(r.do("INFO", section))
	if m == nil {
		return ""
	}
	return m[1]
}

func cmdstat(r *svConn, cmd string) string { return infoLine(r, "commandstats", "cmdstat_"+cmd) }
func errorstat(r *svConn, e string) string { return infoLine(r, "errorstats", "errorstat_"+e) }
func latencyStat(r *svConn, cmd string) string {
	return infoLine(r, "latencystats", "latency_percentiles_usec_"+cmd)
}

func totalErrors(t *testing.T, r *svConn) int {
	n, _ := strconv.Atoi(infoField(t, r, "stats", "total_error_replies"))
	return n
}

// wantMatch checks got against a Tcl glob-like pattern written as a
// regular expression.
func wantMatch(t *testing.T, what, got, re string) {
	t.Helper()
	if !regexp.MustCompile(re).MatchString(got) {
		t.Errorf("%s: %q does not match %q", what, got, re)
	}
}

func TestInfoLatencyStats(t *testing.T) {
	evPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		defer r.do("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9")
		defer r.do("CONFIG", "SET", "latency-tracking", "yes")
		r.expect(okReply, "CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9")
		const three = `^p50=[0-9.]+,p99=[0-9.]+,p99\.9=[0-9.]+$`

		// "latencystats: disable/enable"
		r.expect(okReply, "CONFIG", "RESETSTAT")
		r.expect(okReply, "CONFIG", "SET", "latency-tracking", "no")
		r.expect(okReply, "SET", "a", "b")
		wantMatch(t, "disabled", latencyStat(r, "set"), `^$`)
		r.expect(okReply, "CONFIG", "SET", "latency-tracking", "yes")
		r.expect(okReply, "SET", "a", "b")
		wantMatch(t, "enabled", latencyStat(r, "set"), three)
		r.expect(okReply, "CONFIG", "RESETSTAT")
		wantMatch(t, "reset", latencyStat(r, "set"), `^$`)

		// "latencystats: configure percentiles"
		r.expect(okReply, "SET", "a", "b")
		r.expect(bulk("b"), "GET", "a")
		wantMatch(t, "set", latencyStat(r, "set"), three)
		wantMatch(t, "get", latencyStat(r, "get"), three)
		r.expect(okReply, "CONFIG", "SET", "latency-tracking-info-percentiles", "0.0 50.0 100.0")
		r.expect("*2\r\n"+bulk("latency-tracking-info-percentiles")+bulk("0 50 100"), "CONFIG", "GET", "latency-tracking-info-percentiles")
		wantMatch(t, "set p0", latencyStat(r, "set"), `^p0=[0-9.]+,p50=[0-9.]+,p100=[0-9.]+$`)
		wantMatch(t, "get p0", latencyStat(r, "get"), `^p0=[0-9.]+,p50=[0-9.]+,p100=[0-9.]+$`)
		r.expect(okReply, "CONFIG", "RESETSTAT")
		wantMatch(t, "reset", latencyStat(r, "set"), `^$`)

		// "latencystats: bad configure percentiles"
		before := r.do("CONFIG", "GET", "latency-tracking-info-percentiles")
		r.match(`^-ERR CONFIG SET failed`, "CONFIG", "SET", "latency-tracking-info-percentiles", "10.0 50.0 a")
		if n := totalErrors(t, r); n != 1 {
			t.Errorf("total_error_replies %d", n)
		}
		r.expect(before, "CONFIG", "GET", "latency-tracking-info-percentiles")
		r.match(`^-ERR CONFIG SET failed`, "CONFIG", "SET", "latency-tracking-info-percentiles", "10.0 50.0 101.0")
		if n := totalErrors(t, r); n != 2 {
			t.Errorf("total_error_replies %d", n)
		}
		r.expect(before, "CONFIG", "GET", "latency-tracking-info-percentiles")
		r.expect(okReply, "CONFIG", "RESETSTAT")
		wantMatch(t, "errorstat after reset", errorstat(r, "ERR"), `^$`)

		// "latencystats: blocking commands"
		r.expect(okReply, "CONFIG", "SET", "latency-tracking-info-percentiles", "50.0 99.0 99.9")
		rd := svDial(t, addr)
		r.do("DEL", "list1{t}")
		for _, v := range []string{"a", "b"} {
			rd.send("BLPOP", "list1{t}", "0")
			waitBlocked(t, r, 1)
			r.expect(":1\r\n", "LPUSH", "list1{t}", v)
			if got := rd.read(); got != "*2\r\n"+bulk("list1{t}")+bulk(v) {
				t.Errorf("BLPOP: %q", got)
			}
		}
		wantMatch(t, "blpop", latencyStat(r, "blpop"), three)

		// "latencystats: subcommands"
		r.expect(okReply, "CONFIG", "RESETSTAT")
		r.do("CLIENT", "ID")
		wantMatch(t, "client|id", latencyStat(r, "client|id"), three)
		r.expect(okReply, "CONFIG", "SET", "latency-tracking-info-percentiles", "50.0 99.0 99.9")
		wantMatch(t, "config|set", latencyStat(r, "config|set"), three)

		// "latencystats: measure latency"
		r.expect(okReply, "CONFIG", "RESETSTAT")
		r.expect(okReply, "CONFIG", "SET", "latency-tracking-info-percentiles", "50.0")
		r.expect(okReply, "DEBUG", "SLEEP", "0.05")
		r.expect(okReply, "SET", "k", "v")
		p50 := func(cmd string) float64 {
			m := regexp.MustCompile(`^p50=([0-9.]+)$`).FindStringSubmatch(latencyStat(r, cmd))
			if m == nil {
				t.Fatalf("%s: %q", cmd, latencyStat(r, cmd))
			}
			f, _ := strconv.ParseFloat(m[1], 64)
			return f
		}
		debug, set := p50("debug"), p50("set")
		if debug < 50000 || set < 0 || debug < set {
			t.Errorf("p50 debug %v set %v", debug, set)
		}
	})
}

func TestInfoErrorStats(t *testing.T) {
	evPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		aclCleanup(t, addr, "alice")
		reset := func() {
			t.Helper()
			r.expect(okReply, "CONFIG", "RESETSTAT")
			if n := totalErrors(t, r); n != 0 {
				t.Errorf("total_error_replies %d after RESETSTAT", n)
			}
		}
		errs := func(n int) {
			t.Helper()
			if got := totalErrors(t, r); got != n {
				t.Errorf("total_error_replies %d, want %d", got, n)
			}
		}
		stat := func(cmd string, calls, rejected, failed int) {
			t.Helper()
			re := `^calls=` + strconv.Itoa(calls) + `,.*,rejected_calls=` + strconv.Itoa(rejected) + `,failed_calls=` + strconv.Itoa(failed) + `$`
			wantMatch(t, "cmdstat_"+cmd, cmdstat(r, cmd), re)
		}

		// "errorstats: failed call authentication error"
		reset()
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^$`)
		r.match(`^-ERR AUTH`, "AUTH", "k")
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^count=1$`)
		stat("auth", 1, 0, 1)
		errs(1)
		reset()
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^$`)

		// "errorstats: failed call within MULTI/EXEC"
		r.expect(okReply, "MULTI")
		r.expect("+QUEUED\r\n", "SET", "a", "b")
		r.expect("+QUEUED\r\n", "AUTH", "a")
		r.match(`^\*2\r\n\+OK\r\n-ERR AUTH`, "EXEC")
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^count=1$`)
		stat("set", 1, 0, 0)
		stat("auth", 1, 0, 1)
		stat("exec", 1, 0, 0)
		errs(1)
		r.expect("-ERR EXEC without MULTI\r\n", "EXEC")
		stat("exec", 2, 0, 1)
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^count=2$`)
		errs(2)

		// "errorstats: failed call NOGROUP error"
		reset()
		r.do("DEL", "mystream")
		r.match(`^\$`, "XADD", "mystream", "*", "f", "v")
		r.match(`^-NOGROUP`, "XGROUP", "CREATECONSUMER", "mystream", "mygroup", "consumer")
		wantMatch(t, "errorstat NOGROUP", errorstat(r, "NOGROUP"), `^count=1$`)
		stat("xgroup|createconsumer", 1, 0, 1)
		reset()
		wantMatch(t, "errorstat NOGROUP", errorstat(r, "NOGROUP"), `^$`)

		// "errorstats: rejected call unknown command"
		r.match(`^-ERR unknown`, "asdf")
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^count=1$`)
		errs(1)
		reset()

		// "errorstats: rejected call within MULTI/EXEC"
		r.expect(okReply, "MULTI")
		r.expect("-ERR wrong number of arguments for 'set' command\r\n", "SET")
		r.match(`^-EXECABORT`, "EXEC")
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^count=1$`)
		wantMatch(t, "errorstat EXECABORT", errorstat(r, "EXECABORT"), `^count=1$`)
		errs(2)
		stat("set", 0, 1, 0)
		stat("multi", 1, 0, 0)
		stat("exec", 1, 0, 1)
		reset()

		// "errorstats: rejected call due to wrong arity"
		r.expect("-ERR wrong number of arguments for 'set' command\r\n", "SET", "k")
		wantMatch(t, "errorstat ERR", errorstat(r, "ERR"), `^count=1$`)
		stat("set", 0, 1, 0)
		r.expect(okReply, "SET", "k1", "v1")
		r.expect(okReply, "SET", "k2", "v2")
		stat("set", 2, 1, 0)
		errs(1)
		reset()

		// "errorstats: rejected call by OOM error"
		r.expect(okReply, "CONFIG", "SET", "maxmemory", "1")
		r.match(`^-OOM`, "SET", "a", "b")
		r.expect(okReply, "CONFIG", "SET", "maxmemory", "0")
		wantMatch(t, "errorstat OOM", errorstat(r, "OOM"), `^count=1$`)
		stat("set", 0, 1, 0)
		errs(1)
		reset()
		wantMatch(t, "errorstat OOM", errorstat(r, "OOM"), `^$`)

		// "errorstats: rejected call by authorization error"
		r.expect(okReply, "ACL", "SETUSER", "alice", "on", ">p1pp0", "~cached:*", "+get", "+info", "+config")
		r.expect(okReply, "AUTH", "alice", "p1pp0")
		r.match(`^-NOPERM`, "SET", "a", "b")
		wantMatch(t, "errorstat NOPERM", errorstat(r, "NOPERM"), `^count=1$`)
		stat("set", 0, 1, 0)
		errs(1)
		r.expect(okReply, "CONFIG", "RESETSTAT")
		wantMatch(t, "errorstat NOPERM", errorstat(r, "NOPERM"), `^$`)
		r.expect(okReply, "AUTH", "default", "")

		// "errorstats: blocking commands"
		reset()
		rd := svDial(t, addr)
		id := strings.Trim(rd.do("CLIENT", "ID"), ":\r\n")
		r.do("DEL", "list1{t}")
		rd.send("BLPOP", "list1{t}", "0")
		waitBlocked(t, r, 1)
		r.expect(":1\r\n", "CLIENT", "UNBLOCK", id, "ERROR")
		if got := rd.read(); !strings.HasPrefix(got, "-UNBLOCKED") {
			t.Errorf("unblocked client got %q", got)
		}
		wantMatch(t, "errorstat UNBLOCKED", errorstat(r, "UNBLOCKED"), `^count=1$`)
		stat("blpop", 1, 0, 1)
		errs(1)
	})
}
