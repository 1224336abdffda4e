package core

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis-clone/redis-clone/internal/hdrhist"
)

// The latency monitor (Redis's latency.c) and the per-command latency
// histograms (LATENCY HISTOGRAM, INFO latencystats).
//
// Events are sampled only when latency-monitor-threshold is non-zero and
// an event took at least that many milliseconds. The events recorded here
// are Redis's "command", "fast-command", "command-unblocking" and
// "expire-cycle", plus "gc-pause": a Go garbage collector stop-the-world
// pause, read from runtime/metrics (/sched/pauses/total/gc:seconds) by the
// cron, sampled with the lower bound of the runtime's histogram bucket and
// the time of the cron run that saw it. Other subsystems add theirs (AOF
// fsync, eviction …) through LatencySample.

// latencyTSLen is LATENCY_TS_LEN: samples kept per event.
const latencyTSLen = 160

// latencySeries is struct latencyTimeSeries: a ring of samples, at most
// one per second (the highest), and the all-time maximum.
type latencySeries struct {
	idx     int
	max     int64
	samples [latencyTSLen]LatencyPoint // Time 0: unused slot
}

// latencyMonitor holds the series by event name, in creation order.
type latencyMonitor struct {
	events map[string]*latencySeries
	order  []string
}

// LatencySample records an event that took d if the latency monitor is
// enabled and d reaches latency-monitor-threshold (Redis's
// latencyAddSampleIfNeeded). The caller owns the data.
func (s *Server) LatencySample(event string, d time.Duration) {
	if th := s.Config.LatencyMonitorThreshold; th > 0 && d.Milliseconds() >= th {
		s.latencyAdd(event, d.Milliseconds())
	}
}

// latencyAdd is latencyAddSample.
func (s *Server) latencyAdd(event string, ms int64) {
	lm := &s.diag.latency
	ts := lm.events[event]
	if ts == nil {
		if lm.events == nil {
			lm.events = map[string]*latencySeries{}
		}
		ts = &latencySeries{}
		lm.events[event] = ts
		lm.order = append(lm.order, event)
	}
	now := time.Now().Unix()
	ts.max = max(ts.max, ms)
	prev := (ts.idx + latencyTSLen - 1) % latencyTSLen
	if ts.samples[prev].Time == now {
		ts.samples[prev].Latency = max(ts.samples[prev].Latency, ms)
		return
	}
	ts.samples[ts.idx] = LatencyPoint{Time: now, Latency: ms}
	ts.idx = (ts.idx + 1) % latencyTSLen
}

// LatencyPoint is one sample of an event: when (Unix seconds) and how long
// (milliseconds).
type LatencyPoint struct {
	Time, Latency int64
}

// LatencyEvent is an event's latest sample and its all-time maximum
// (LATENCY LATEST).
type LatencyEvent struct {
	Name string
	LatencyPoint
	Max int64
}

// LatencyLatest returns the latest sample of every event.
func (s *Server) LatencyLatest() []LatencyEvent {
	lm := &s.diag.latency
	out := make([]LatencyEvent, 0, len(lm.order))
	for _, name := range lm.order {
		ts := lm.events[name]
		last := ts.samples[(ts.idx+latencyTSLen-1)%latencyTSLen]
		out = append(out, LatencyEvent{Name: name, LatencyPoint: last, Max: ts.max})
	}
	return out
}

// LatencyHistory returns the samples of event, oldest first, and whether
// the event is known (the name is case-sensitive, as in Redis).
func (s *Server) LatencyHistory(event string) ([]LatencyPoint, bool) {
	ts := s.diag.latency.events[event]
	if ts == nil {
		return nil, false
	}
	var out []LatencyPoint
	for j := 0; j < latencyTSLen; j++ {
		p := ts.samples[(ts.idx+j)%latencyTSLen]
		if p.Time != 0 {
			out = append(out, p)
		}
	}
	return out, true
}

// LatencyReset forgets event (case-insensitive), or every event when
// event is "", and returns how many were reset.
func (s *Server) LatencyReset(event string) int {
	lm := &s.diag.latency
	n := 0
	kept := lm.order[:0]
	for _, name := range lm.order {
		if event == "" || strings.EqualFold(name, event) {
			delete(lm.events, name)
			n++
			continue
		}
		kept = append(kept, name)
	}
	lm.order = kept
	return n
}

// latencyStats is struct latencyStats.
type latencyStats struct {
	allTimeHigh, avg, min, max, mad, samples, period int64
}

// analyze is analyzeLatencyForEvent.
func (ts *latencySeries) analyze(now int64) latencyStats {
	ls := latencyStats{allTimeHigh: ts.max}
	var sum int64
	for _, p := range ts.samples {
		if p.Time == 0 {
			continue
		}
		ls.samples++
		if ls.samples == 1 {
			ls.min, ls.max = p.Latency, p.Latency
		} else {
			ls.min = min(ls.min, p.Latency)
			ls.max = max(ls.max, p.Latency)
		}
		sum += p.Latency
		if ls.period == 0 || p.Time < ls.period {
			ls.period = p.Time
		}
	}
	if ls.samples > 0 {
		ls.avg = sum / ls.samples
		ls.period = now - ls.period
		if ls.period == 0 {
			ls.period = 1
		}
	}
	sum = 0
	for _, p := range ts.samples {
		if p.Time == 0 {
			continue
		}
		d := ls.avg - p.Latency
		if d < 0 {
			d = -d
		}
		sum += d
	}
	if ls.samples > 0 {
		ls.mad = sum / ls.samples
	}
	return ls
}

// LatencyGraph renders event's samples as LATENCY GRAPH does, or reports
// that the event is unknown.
func (s *Server) LatencyGraph(event string) (string, bool) {
	ts := s.diag.latency.events[event]
	if ts == nil {
		return "", false
	}
	now := time.Now().Unix()
	var seq sparkline
	var lo, hi int64
	for j := 0; j < latencyTSLen; j++ {
		p := ts.samples[(ts.idx+j)%latencyTSLen]
		if p.Time == 0 {
			continue
		}
		if len(seq.samples) == 0 {
			lo, hi = p.Latency, p.Latency
		} else {
			lo, hi = min(lo, p.Latency), max(hi, p.Latency)
		}
		elapsed := now - p.Time
		var label string
		switch {
		case elapsed < 60:
			label = strconv.FormatInt(elapsed, 10) + "s"
		case elapsed < 3600:
			label = strconv.FormatInt(elapsed/60, 10) + "m"
		case elapsed < 3600*24:
			label = strconv.FormatInt(elapsed/3600, 10) + "h"
		default:
			label = strconv.FormatInt(elapsed/(3600*24), 10) + "d"
		}
		seq.add(float64(p.Latency), label)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s - high %d ms, low %d ms (all time high %d ms)\n", event, hi, lo, ts.max)
	b.WriteString(strings.Repeat("-", 80))
	b.WriteByte('\n')
	seq.render(&b, 80, 4)
	return b.String(), true
}

// sparkline is Redis's sparkline.c sequence, rendered with SPARKLINE_FILL.
type sparkline struct {
	samples  []sparkSample
	min, max float64
	labels   int
}

type sparkSample struct {
	value float64
	label string
}

func (seq *sparkline) add(v float64, label string) {
	if len(seq.samples) == 0 {
		seq.min, seq.max = v, v
	} else if v < seq.min {
		seq.min = v
	} else if v > seq.max {
		seq.max = v
	}
	seq.samples = append(seq.samples, sparkSample{v, label})
	if label != "" {
		seq.labels++
	}
}

func (seq *sparkline) render(b *strings.Builder, columns, rows int) {
	for j := 0; j < len(seq.samples); j += columns {
		if j != 0 {
			b.WriteByte('\n')
		}
		seq.renderRange(b, rows, j, min(len(seq.samples)-j, columns))
	}
}

func (seq *sparkline) renderRange(b *strings.Builder, rows, offset, n int) {
	const charsetFill = "_o#"
	const charsetLen = 3
	const labelMarginTop = 1
	relmax := seq.max - seq.min
	if relmax == 0 {
		relmax = 1
	}
	steps := charsetLen * rows
	chars := make([]byte, n)
	for row := 0; ; row++ {
		loop := false
		for i := range chars {
			chars[i] = ' '
		}
		for j := 0; j < n; j++ {
			smp := seq.samples[j+offset]
			relval := smp.value - seq.min
			step := int(float64(int(relval*float64(steps))) / relmax)
			step = max(step, 0)
			if step >= steps {
				step = steps - 1
			}
			if row < rows {
				idx := step - (rows-row-1)*charsetLen
				loop = true
				if idx >= 0 && idx < charsetLen {
					chars[j] = charsetFill[idx]
				} else if idx >= charsetLen {
					chars[j] = '|'
				}
				continue
			}
			if seq.labels > 0 && row-rows < labelMarginTop {
				loop = true
				break
			}
			if smp.label != "" {
				if lc := row - rows - labelMarginTop; len(smp.label) > lc {
					loop = true
					chars[j] = smp.label[lc]
				}
			}
		}
		if !loop {
			return
		}
		b.Write(chars)
		b.WriteByte('\n')
	}
}

// anonHugePages returns the bytes of transparent huge pages the process
// uses (AnonHugePages in /proc/self/smaps_rollup).
func anonHugePages() int64 {
	f, err := os.Open("/proc/self/smaps_rollup")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "AnonHugePages:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// LatencyDoctor returns LATENCY DOCTOR's report (createLatencyReport).
func (s *Server) LatencyDoctor() string {
	lm := &s.diag.latency
	th := s.Config.LatencyMonitorThreshold
	if len(lm.order) == 0 && th == 0 {
		return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
	}
	var b strings.Builder
	adv := map[string]bool{}
	advices := 0
	advise := func(names ...string) {
		for _, n := range names {
			adv[n] = true
		}
		advices += len(names)
	}
	now := time.Now().Unix()
	for i, event := range lm.order {
		ts := lm.events[event]
		if i == 0 {
			b.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
		}
		ls := ts.analyze(now)
		fmt.Fprintf(&b, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst all time event %dms.",
			i+1, event, ls.samples, ls.avg, ls.mad, float64(ls.period)/float64(ls.samples), ts.max)
		switch strings.ToLower(event) {
		case "fork":
			// No fork here: the rate is 0 GB/sec, "terrible" by Redis's scale.
			b.WriteString(" Fork rate is 0.00 GB/sec (terrible).")
			advise("better_vm")
		case "command":
			if s.Config.SlowlogLogSlowerThan < 0 {
				advise("slowlog_enabled")
			} else if s.Config.SlowlogLogSlowerThan/1000 > th {
				advise("slowlog_tuning")
			}
			advise("slowlog_inspect", "large_objects")
		case "fast-command":
			advise("scheduler")
		case "aof-write-pending-fsync":
			advise("local_disk", "disk_contention", "ssd", "data_writeback")
		case "aof-write-active-child":
			advise("no_appendfsync", "data_writeback", "ssd")
		case "aof-write-alone":
			advise("local_disk", "data_writeback", "ssd")
		case "aof-fsync-always":
			advise("relax_fsync_policy")
		case "aof-fstat", "rdb-unlink-temp-file":
			advise("disk_contention", "local_disk")
		case "aof-rewrite-diff-write", "aof-rename":
			advise("write_load_info", "data_writeback", "ssd", "local_disk")
		case "expire-cycle":
			advise("hz", "large_objects")
		case "eviction-del":
			advise("large_objects")
		case "eviction-cycle":
			advise("mass_eviction")
		}
		b.WriteByte('\n')
	}
	if anonHugePages() > 0 {
		advise("disable_thp")
	}
	switch {
	case len(lm.order) == 0 && advices == 0:
		b.WriteString("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n")
	case len(lm.order) > 0 && advices == 0:
		b.WriteString("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n")
	default:
		b.WriteString("\nI have a few advices for you:\n\n")
		for _, a := range doctorAdvices {
			if !adv[a.name] || (a.cond != nil && !a.cond(s)) {
				continue
			}
			text := a.text
			if strings.Contains(text, "%d") {
				text = fmt.Sprintf(text, th*1000)
			}
			b.WriteString(text)
		}
	}
	return b.String()
}

// doctorAdvices are the report's suggestions, in Redis's order.
var doctorAdvices = []struct {
	name string
	cond func(s *Server) bool
	text string
}{
	{"better_vm", nil, "- If you are using a virtual machine, consider upgrading it with a faster one using a hypervisior that provides less latency during fork() calls. Xen is known to have poor fork() performance. Even in the context of the same VM provider, certain kinds of instances can execute fork faster than others.\n"},
	{"slowlog_enabled", nil, "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than %d'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n"},
	{"slowlog_tuning", nil, "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than %d'.\n"},
	{"slowlog_inspect", nil, "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n"},
	{"scheduler", nil, "- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
		"  1) Lower the system load.\n" +
		"  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
		"  3) Check if you have a \"noisy neighbour\" problem.\n" +
		"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
		"  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n"},
	{"local_disk", nil, "- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n"},
	{"ssd", nil, "- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n"},
	{"data_writeback", nil, "- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n"},
	{"disk_contention", nil, "- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n"},
	{"no_appendfsync", nil, "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n"},
	{"relax_fsync_policy", func(s *Server) bool { return s.Config.AppendFsync == "always" }, "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'.\n"},
	{"write_load_info", nil, "- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n"},
	{"hz", func(s *Server) bool { return s.Config.Hz < 100 }, "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n"},
	{"large_objects", nil, "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n"},
	{"mass_eviction", nil, "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n"},
	{"disable_thp", nil, "- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n"},
}

// Latency histogram bounds, as Redis's LATENCY_HISTOGRAM_MIN_VALUE, _MAX_VALUE
// and _PRECISION: 1 ns to 1 s with 2 significant digits.
const (
	latencyHistMin       = 1
	latencyHistMax       = 1000000000
	latencyHistPrecision = 2
)

// recordLatency adds a call that took us microseconds to the command's
// latency histogram (updateCommandLatencyHistogram).
func (c *Command) recordLatency(us int64) {
	ns := min(max(us*1000, latencyHistMin), latencyHistMax)
	if c.latencyHist == nil {
		c.latencyHist, _ = hdrhist.New(latencyHistMin, latencyHistMax, latencyHistPrecision)
	}
	c.latencyHist.Record(ns)
}

// LatencyHistogram returns the command's latency histogram (values in
// nanoseconds), or nil when it was not called since the last CONFIG
// RESETSTAT or latency-tracking is off.
func (c *Command) LatencyHistogram() *hdrhist.Histogram { return c.latencyHist }

// gcSampler turns Go GC pauses into "gc-pause" latency samples.
type gcSampler struct {
	on      bool
	sample  []metrics.Sample
	buckets []float64
	prev    []uint64
}

const gcPauseMetric = "/sched/pauses/total/gc:seconds"

// gcCron samples the GC pauses since the previous run while the latency
// monitor is enabled.
func (s *Server) gcCron() {
	g := &s.diag.gc
	if s.Config.LatencyMonitorThreshold <= 0 {
		g.on = false
		return
	}
	if g.sample == nil {
		g.sample = []metrics.Sample{{Name: gcPauseMetric}}
	}
	metrics.Read(g.sample)
	if g.sample[0].Value.Kind() != metrics.KindFloat64Histogram {
		return
	}
	if d, ok := g.observe(g.sample[0].Value.Float64Histogram()); ok {
		s.LatencySample("gc-pause", d)
	}
}

// observe compares the runtime's pause histogram with the previous one and
// returns the longest new pause (the lower bound of its bucket), if any.
func (g *gcSampler) observe(h *metrics.Float64Histogram) (time.Duration, bool) {
	if !g.on || len(g.prev) != len(h.Counts) {
		g.on = true
		g.buckets = h.Buckets
		g.prev = append(g.prev[:0], h.Counts...)
		return 0, false
	}
	worst := -1
	for i, n := range h.Counts {
		if n > g.prev[i] {
			worst = i
		}
		g.prev[i] = n
	}
	if worst < 0 {
		return 0, false
	}
	lo := g.buckets[worst]
	if math.IsInf(lo, -1) || lo < 0 {
		lo = 0
	}
	return time.Duration(lo * float64(time.Second)), true
}

// sortedCommands lists a command table's commands by name.
func sortedCommands(t map[string]*Command) []*Command {
	out := make([]*Command, 0, len(t))
	for _, c := range t {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LatencyHistograms returns the commands (and subcommands) that have a
// latency histogram, by name.
func (s *Server) LatencyHistograms() []*Command {
	var out []*Command
	var walk func(t map[string]*Command)
	walk = func(t map[string]*Command) {
		for _, c := range sortedCommands(t) {
			if c.latencyHist != nil {
				out = append(out, c)
			}
			if c.Subcommands != nil {
				walk(c.Subcommands)
			}
		}
	}
	walk(s.Commands)
	return out
}
