package command

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// LATENCY and INFO latencystats. The executor samples the events and keeps
// the per-command histograms (core/latency.go).

var _ = register(
	&core.Command{Name: "latency", Arity: -2, Group: "server", Since: "2.8.13", Summary: "A container for latency diagnostics commands",
		Subcommands: map[string]*core.Command{
			"doctor":    {Name: "doctor", Arity: 2, Flags: diagAdmin, Handler: latencyDoctor, Group: "server", Since: "2.8.13", Summary: "Return a human readable latency analysis report."},
			"graph":     {Name: "graph", Arity: 3, Flags: diagAdmin, Handler: latencyGraph, Group: "server", Since: "2.8.13", Summary: "Return a latency graph for the event."},
			"help":      {Name: "help", Arity: 2, Flags: loadStale, Handler: latencyHelp, Group: "server", Since: "2.8.13", Summary: "Show helpful text about the different subcommands."},
			"histogram": {Name: "histogram", Arity: -2, Flags: diagAdmin, Handler: latencyHistogram, Group: "server", Since: "7.0.0", Summary: "Return the cumulative distribution of latencies of a subset of commands or all."},
			"history":   {Name: "history", Arity: 3, Flags: diagAdmin, Handler: latencyHistory, Group: "server", Since: "2.8.13", Summary: "Return timestamp-latency samples for the event."},
			"latest":    {Name: "latest", Arity: 2, Flags: diagAdmin, Handler: latencyLatest, Group: "server", Since: "2.8.13", Summary: "Return the latest latency samples for all events."},
			"reset":     {Name: "reset", Arity: -2, Flags: diagAdmin, Handler: latencyReset, Group: "server", Since: "2.8.13", Summary: "Reset latency data for one or more events."},
		}},
)

func latencyHistory(ctx *core.Ctx) {
	points, _ := ctx.Srv.LatencyHistory(string(ctx.Args[2]))
	ctx.W.ArrayLen(len(points))
	for _, p := range points {
		ctx.W.ArrayLen(2)
		ctx.W.Int(p.Time)
		ctx.W.Int(p.Latency)
	}
}

func latencyLatest(ctx *core.Ctx) {
	events := ctx.Srv.LatencyLatest()
	ctx.W.ArrayLen(len(events))
	for _, e := range events {
		ctx.W.ArrayLen(4)
		ctx.W.BulkString(e.Name)
		ctx.W.Int(e.Time)
		ctx.W.Int(e.Latency)
		ctx.W.Int(e.Max)
	}
}

func latencyGraph(ctx *core.Ctx) {
	graph, ok := ctx.Srv.LatencyGraph(string(ctx.Args[2]))
	if !ok {
		ctx.Errorf(rerr.LatencyNoSamples, ctx.Args[2])
		return
	}
	ctx.W.Verbatim(graph, "txt")
}

func latencyDoctor(ctx *core.Ctx) { ctx.W.Verbatim(ctx.Srv.LatencyDoctor(), "txt") }

func latencyReset(ctx *core.Ctx) {
	if len(ctx.Args) == 2 {
		ctx.W.Int(int64(ctx.Srv.LatencyReset("")))
		return
	}
	n := 0
	for _, a := range ctx.Args[2:] {
		if len(a) > 0 {
			n += ctx.Srv.LatencyReset(string(a))
		}
	}
	ctx.W.Int(int64(n))
}

// latencyHistogram replies with the cumulative latency distribution of the
// named commands (a container adds its subcommands), or of every command
// with data.
func latencyHistogram(ctx *core.Ctx) {
	var cmds []*core.Command
	if len(ctx.Args) == 2 {
		cmds = ctx.Srv.LatencyHistograms()
	} else {
		for _, a := range ctx.Args[2:] {
			c := lookupFullName(ctx.Srv.Commands, string(a))
			if c == nil {
				continue
			}
			if c.LatencyHistogram() != nil {
				cmds = append(cmds, c)
			}
			for _, sub := range sortedCommands(c.Subcommands) {
				if sub.LatencyHistogram() != nil {
					cmds = append(cmds, sub)
				}
			}
		}
	}
	w := ctx.W
	w.MapLen(len(cmds))
	for _, c := range cmds {
		h := c.LatencyHistogram()
		w.BulkString(c.Name)
		w.MapLen(2)
		w.BulkString("calls")
		w.Int(h.TotalCount())
		w.BulkString("histogram_usec")
		var buckets []int64
		var prev int64
		h.LogBuckets(1024, 2, func(hi, cum int64) {
			if cum > prev {
				buckets = append(buckets, hi/1000, cum)
			}
			prev = cum
		})
		w.MapLen(len(buckets) / 2)
		for _, v := range buckets {
			w.Int(v)
		}
	}
}

func latencyHelp(ctx *core.Ctx) {
	replyHelp(ctx, []string{
		"DOCTOR",
		"    Return a human readable latency analysis report.",
		"GRAPH <event>",
		"    Return an ASCII latency graph for the <event> class.",
		"HISTORY <event>",
		"    Return time-latency samples for the <event> class.",
		"LATEST",
		"    Return the latest latency samples for all events.",
		"RESET [<event> ...]",
		"    Reset latency data of one or more <event> classes.",
		"    (default: reset all data for all event classes)",
		"HISTOGRAM [COMMAND ...]",
		"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
		"    If no commands are specified then all histograms are replied.",
	})
}

// infoLatencyStats is INFO latencystats: the configured percentiles of
// every command's latency histogram, in microseconds.
func infoLatencyStats(ctx *core.Ctx) string {
	s := ctx.Srv
	if !s.Config.LatencyTracking {
		return ""
	}
	percentiles := s.Config.LatencyPercentiles()
	var b strings.Builder
	for _, c := range s.LatencyHistograms() {
		h := c.LatencyHistogram()
		b.WriteString("latency_percentiles_usec_" + safeInfoString(c.Name) + ":")
		for i, p := range percentiles {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "p%s=%.3f", trimFloat(p), float64(h.ValueAtPercentile(p))/1000)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

// trimFloat formats f as "%f" without trailing zeros (Redis's
// trimDoubleString).
func trimFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 6, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func init() { infoSections["latencystats"] = infoLatencyStats }
