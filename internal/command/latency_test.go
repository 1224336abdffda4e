package command_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// histEntry matches one command of a LATENCY HISTOGRAM reply (RESP2).
func histEntry(name string, calls int) string {
	return regexp.QuoteMeta(bulk(name)+"*4\r\n"+bulk("calls")+":"+strconv.Itoa(calls)+"\r\n"+bulk("histogram_usec")) +
		`\*(\d+)\r\n(?::\d+\r\n)+`
}

func TestLatencyCommands(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		defer c.do("CONFIG", "SET", "latency-monitor-threshold", "0")
		c.expect(okReply, "CONFIG", "SET", "latency-monitor-threshold", "0")
		c.match(`^:\d+\r\n$`, "LATENCY", "RESET")
		c.expect(bulk("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"), "LATENCY", "DOCTOR")
		c.expect(okReply, "CONFIG", "SET", "latency-monitor-threshold", "200")
		c.expect(bulk("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n"), "LATENCY", "DOCTOR")
		c.expect("*0\r\n", "LATENCY", "LATEST")
		c.expect("*0\r\n", "LATENCY", "HISTORY", "command")
		c.expect("*0\r\n", "LATENCY", "HISTORY", "blabla")
		c.expect(":0\r\n", "LATENCY", "RESET", "blabla")
		c.expect("-ERR No samples available for event 'command'\r\n", "LATENCY", "GRAPH", "command")
		c.expect("-ERR wrong number of arguments for 'latency|help' command\r\n", "LATENCY", "HELP", "xxx")
		c.expect("-ERR wrong number of arguments for 'latency|history' command\r\n", "LATENCY", "HISTORY")
		c.expect("-ERR wrong number of arguments for 'latency|graph' command\r\n", "LATENCY", "GRAPH")
		c.expect("-ERR wrong number of arguments for 'latency|latest' command\r\n", "LATENCY", "LATEST", "x")
		c.expect("-ERR unknown subcommand 'foo'. Try LATENCY HELP.\r\n", "LATENCY", "foo")
		c.expect("*17\r\n+LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"+
			"+DOCTOR\r\n+    Return a human readable latency analysis report.\r\n"+
			"+GRAPH <event>\r\n+    Return an ASCII latency graph for the <event> class.\r\n"+
			"+HISTORY <event>\r\n+    Return time-latency samples for the <event> class.\r\n"+
			"+LATEST\r\n+    Return the latest latency samples for all events.\r\n"+
			"+RESET [<event> ...]\r\n+    Reset latency data of one or more <event> classes.\r\n"+
			"+    (default: reset all data for all event classes)\r\n"+
			"+HISTOGRAM [COMMAND ...]\r\n"+
			"+    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.\r\n"+
			"+    If no commands are specified then all histograms are replied.\r\n"+
			"+HELP\r\n+    Prints this help.\r\n", "LATENCY", "HELP")

		// Histograms (unit/latency-monitor).
		c.expect(okReply, "SELECT", "9")
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.match(`^\*2\r\n`+histEntry("config|resetstat", 1)+`$`, "LATENCY", "HISTOGRAM")
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.expect(okReply, "SET", "a", "b")
		c.expect(okReply, "SET", "c", "d")
		got := c.do("LATENCY", "HISTOGRAM")
		for _, re := range []string{`^\*4\r\n`, histEntry("set", 2), histEntry("config|resetstat", 1)} {
			if !regexp.MustCompile(re).MatchString(got) {
				t.Errorf("LATENCY HISTOGRAM: %q lacks %q", got, re)
			}
		}
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.match(`^:\d+\r\n$`, "CLIENT", "ID")
		c.match(`^\$`, "CLIENT", "LIST")
		got = c.do("LATENCY", "HISTOGRAM", "client")
		if !regexp.MustCompile(`^\*4\r\n`).MatchString(got) ||
			!regexp.MustCompile(histEntry("client|id", 1)).MatchString(got) ||
			!regexp.MustCompile(histEntry("client|list", 1)).MatchString(got) {
			t.Errorf("LATENCY HISTOGRAM client: %q", got)
		}
		c.match(`^\*2\r\n`+histEntry("client|id", 1)+`$`, "LATENCY", "HISTOGRAM", "client|id")
		c.match(`^\*2\r\n`+histEntry("client|id", 1)+`$`, "LATENCY", "HISTOGRAM", "CLIENT|ID")
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.expect("*0\r\n", "LATENCY", "HISTOGRAM", "blabla")
		c.expect("*0\r\n", "LATENCY", "HISTOGRAM", "blabla", "blabla2", "set", "get", "config|x", "a|b|c")
		c.expect(okReply, "SET", "a", "b")
		c.expect(bulk("b"), "GET", "a")
		c.match(`^\*4\r\n`+histEntry("set", 1)+histEntry("get", 1)+`$`, "LATENCY", "HISTOGRAM", "blabla", "set", "get")
		// The buckets: powers of two from 1 µs, cumulative counts.
		m := regexp.MustCompile(histEntry("set", 1)).FindStringSubmatch(c.do("LATENCY", "HISTOGRAM", "set"))
		if m == nil || m[1] != "2" {
			t.Errorf("one call, one bucket: %v", m)
		}

		// INFO latencystats.
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.expect(okReply, "SET", "a", "b")
		c.match(`\r\n# Latencystats\r\n(latency_percentiles_usec_[a-z|]+:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n)*latency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n`, "INFO", "everything")
		c.expect(okReply, "CONFIG", "SET", "latency-tracking-info-percentiles", "0 50.5 100")
		c.match(`latency_percentiles_usec_set:p0=\d+\.\d{3},p50\.5=\d+\.\d{3},p100=\d+\.\d{3}\r\n`, "INFO", "latencystats")
		c.expect(okReply, "CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9")
		c.expect(okReply, "CONFIG", "SET", "latency-tracking", "no")
		c.expect(bulk("# Latencystats\r\n"), "INFO", "latencystats")
		c.expect(okReply, "CONFIG", "RESETSTAT")
		c.expect(okReply, "SET", "a", "b")
		c.expect("*0\r\n", "LATENCY", "HISTOGRAM", "set")
		c.expect(okReply, "CONFIG", "SET", "latency-tracking", "yes")
	})
}

// TestLatencyEvents samples slow commands (DEBUG SLEEP) as "command"
// events and checks LATEST, HISTORY, GRAPH, DOCTOR and RESET.
func TestLatencyEvents(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect(okReply, "CONFIG", "SET", "latency-monitor-threshold", "10")
		// The first two sleeps must be sampled in the same second: start
		// them early in one (a second boundary between them makes three
		// samples).
		if into := time.Duration(time.Now().Nanosecond()); into > 600*time.Millisecond {
			time.Sleep(time.Second - into + 10*time.Millisecond)
		}
		c.expect(okReply, "DEBUG", "SLEEP", "0.05")
		c.expect(okReply, "DEBUG", "SLEEP", "0.02") // same second: the highest is kept
		time.Sleep(1100 * time.Millisecond)
		c.expect(okReply, "DEBUG", "SLEEP", "0.03")
		c.expect("+PONG\r\n", "PING") // below the threshold
		m := regexp.MustCompile(`^\*1\r\n\*4\r\n\$7\r\ncommand\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n$`).FindStringSubmatch(c.do("LATENCY", "LATEST"))
		if m == nil {
			t.Fatalf("LATENCY LATEST: %q", c.do("LATENCY", "LATEST"))
		}
		last, _ := strconv.Atoi(m[2])
		worst, _ := strconv.Atoi(m[3])
		if last < 30 || last > 200 || worst < 50 || worst > 300 {
			t.Errorf("LATENCY LATEST: last %d ms, max %d ms", last, worst)
		}
		hist := c.do("LATENCY", "HISTORY", "command")
		hm := regexp.MustCompile(`^\*2\r\n\*2\r\n:(\d+)\r\n:(\d+)\r\n\*2\r\n:(\d+)\r\n:(\d+)\r\n$`).FindStringSubmatch(hist)
		if hm == nil || hm[4] != m[2] || hm[3] != m[1] || hm[2] != m[3] {
			t.Errorf("LATENCY HISTORY: %q (latest %v)", hist, m)
		}
		graph := c.do("LATENCY", "GRAPH", "command")
		want := "command - high " + m[3] + " ms, low " + m[2] + " ms (all time high " + m[3] + " ms)\n" +
			strings.Repeat("-", 80) + "\n# \n| \n| \n|_\n  \n"
		if !strings.Contains(graph, want) || !regexp.MustCompile(`\n\d\d\nss\n\r\n$|\n\d\d\n\d\d\n\r\n$|\n\d\d\nss\n$`).MatchString(graph) {
			t.Errorf("LATENCY GRAPH: %q", graph)
		}
		c.expect("-ERR No samples available for event 'Command'\r\n", "LATENCY", "GRAPH", "Command")
		doctor := c.do("LATENCY", "DOCTOR")
		for _, part := range []string{
			"Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n",
			"1. command: 2 latency spikes (average ",
			"Worst all time event " + m[3] + "ms.\n\nI have a few advices for you:\n\n",
			"- Check your Slow Log to understand what are the commands you are running which are too slow to execute.",
		} {
			if !strings.Contains(doctor, part) {
				t.Errorf("LATENCY DOCTOR lacks %q: %q", part, doctor)
			}
		}
		c.expect(":1\r\n", "LATENCY", "RESET", "COMMAND", "nosuch")
		c.expect("*0\r\n", "LATENCY", "LATEST")
		c.expect(":0\r\n", "LATENCY", "RESET")
	}, "--enable-debug-command", "yes")
}

// TestLatencyExpireCycle: an active expiry cycle that deletes many keys is
// sampled as an "expire-cycle" event.
func TestLatencyExpireCycle(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect(okReply, "CONFIG", "SET", "latency-monitor-threshold", "1")
		const n = 100000
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(servertest.Encode("SET", "k"+strconv.Itoa(i), "v", "PX", "50"))
		}
		if _, err := c.c.Write([]byte(b.String())); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			c.read()
		}
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(c.do("LATENCY", "LATEST"), "expire-cycle") {
			if time.Now().After(deadline) {
				t.Fatalf("no expire-cycle event: %q", c.do("LATENCY", "LATEST"))
			}
			time.Sleep(50 * time.Millisecond)
		}
		c.match(`^\*\d+\r\n(\*2\r\n:\d+\r\n:\d+\r\n)+$`, "LATENCY", "HISTORY", "expire-cycle")
	})
}
