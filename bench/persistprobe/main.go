// Command persistprobe measures what a BGSAVE costs the clients of a
// server (redis-clone or redis-server): it fills the server, then runs a
// BGSAVE while one client measures the round trip of GETs and others keep
// writing, and samples the memory of the server process and its children
// (proportional set size, so a forked child's shared pages count once).
//
// Usage:
//
//	persistprobe -addr 127.0.0.1:6379 -pid 1234 -keys 1000000 [-fill [-fill-only]] [-writers 2] [-rewrite]
//
// It prints the BGSAVE time (BGREWRITEAOF with -rewrite), the client
// latencies during it (and during an equal time without it, for
// reference), when the GETs over -stall took place (milliseconds since
// the save began, to find them in an execution trace), how the CPUs were
// shared meanwhile (server, probe, other processes, and how long the
// server's threads waited for a CPU), and the memory before and at the
// peak, with the peak of the reference period beside it (what the same
// write load costs in memory without a save).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6379", "server address")
	pid := flag.Int("pid", 0, "server process id (for memory)")
	keys := flag.Int("keys", 1000000, "number of keys key:0..key:N-1")
	fill := flag.Bool("fill", false, "write the keys first (16-byte values)")
	writers := flag.Int("writers", 2, "clients writing during the save")
	fillOnly := flag.Bool("fill-only", false, "write the keys and exit")
	rewrite := flag.Bool("rewrite", false, "measure BGREWRITEAOF instead of BGSAVE")
	memEvery := flag.Duration("mem-every", 2*time.Millisecond, "how often to sample the memory (reading smaps_rollup costs the server: it holds its mmap lock)")
	stall := flag.Duration("stall", 10*time.Millisecond, "report the GETs slower than this")
	flag.Parse()
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: *addr, Protocol: 2, DisableIdentity: true, PoolSize: 4})
	if *fill {
		t0 := time.Now()
		for i := 0; i < *keys; i += 10000 {
			p := c.Pipeline()
			for j := i; j < min(i+10000, *keys); j++ {
				p.Set(ctx, "key:"+strconv.Itoa(j), "value-0123456789", 0)
			}
			if _, err := p.Exec(ctx); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		fmt.Printf("filled %d keys in %v\n", *keys, time.Since(t0).Round(time.Millisecond))
		if *fillOnly {
			return
		}
	}
	time.Sleep(500 * time.Millisecond)

	// Reference: latencies and memory growth under the same write load
	// without a save (the heap grows with the writes' garbage until the
	// next GC whether or not a save runs).
	refBase := pss(*pid)
	refPeak := sampleMemory(*pid, *memEvery)
	ref := measure(ctx, *addr, *keys, *writers, 2*time.Second, nil)
	refMax := refPeak()
	fmt.Printf("no save    : GET p50 %v p99 %v p99.9 %v max %v (%d GETs, %d writes)\n",
		ref.p(50), ref.p(99), ref.p(99.9), ref.max(), len(ref.lat), ref.writes)
	if *pid != 0 {
		fmt.Printf("no save    : memory (PSS) before %.1f MB, peak %.1f MB (+%.1f%%) in 2 s\n",
			float64(refBase)/(1<<20), float64(refMax)/(1<<20), float64(refMax-refBase)*100/float64(refBase))
	}

	base := pss(*pid)
	peakOf := sampleMemory(*pid, *memEvery)
	var saveTime time.Duration
	name, start, busy, ok := "BGSAVE", c.BgSave, "rdb_bgsave_in_progress:0", "rdb_last_bgsave_status:ok"
	if *rewrite {
		name, start, busy, ok = "BGREWRITEAOF", c.BgRewriteAOF, "aof_rewrite_in_progress:0", "aof_last_bgrewrite_status:ok"
	}
	var t0 time.Time
	cpu0 := cpuSample(*pid)
	res := measure(ctx, *addr, *keys, *writers, 0, func() {
		t0 = time.Now()
		if err := start(ctx).Err(); err != nil {
			fmt.Fprintln(os.Stderr, name+":", err)
			os.Exit(1)
		}
		time.Sleep(time.Millisecond)
		for {
			info := c.Info(ctx, "persistence").Val()
			if strings.Contains(info, busy) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		saveTime = time.Since(t0)
		if !strings.Contains(c.Info(ctx, "persistence").Val(), ok) {
			fmt.Fprintln(os.Stderr, name+" failed")
			os.Exit(1)
		}
	})
	cpu1 := cpuSample(*pid)
	peak := peakOf()
	fmt.Printf("during save: GET p50 %v p99 %v p99.9 %v max %v (%d GETs, %d writes)\n",
		res.p(50), res.p(99), res.p(99.9), res.max(), len(res.lat), res.writes)
	fmt.Printf("%s of %d keys: %v\n", name, *keys, saveTime.Round(time.Millisecond))
	if *pid != 0 {
		// Who had the CPUs meanwhile: a stall with the server runnable
		// but off-CPU is the machine's, not the server's.
		fmt.Printf("CPU during it (%% of one CPU): %s\n", cpu1.report(cpu0))
	}
	var slow []string
	for _, s := range res.slow {
		if s.lat > *stall {
			slow = append(slow, fmt.Sprintf("%v@%dms", s.lat.Round(100*time.Microsecond), s.at.Sub(t0).Milliseconds()))
		}
	}
	if len(slow) > 0 {
		fmt.Printf("GETs over %v (latency@start since %s): %s\n", *stall, name, strings.Join(slow, " "))
	}
	if *pid != 0 {
		fmt.Printf("memory (PSS, server + children): before %.1f MB, peak %.1f MB (+%.1f%%)\n",
			float64(base)/(1<<20), float64(peak)/(1<<20), float64(peak-base)*100/float64(base))
	}
}

// sampleMemory samples the PSS of pid (and its children) every d until
// the returned function is called, which returns the peak.
func sampleMemory(pid int, d time.Duration) (peak func() int64) {
	var max atomic.Int64
	max.Store(pss(pid))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(d):
			}
			if v := pss(pid); v > max.Load() {
				max.Store(v)
			}
		}
	}()
	return func() int64 {
		close(stop)
		wg.Wait()
		return max.Load()
	}
}

type result struct {
	lat    []time.Duration
	writes int64
	// slow are the GETs over a millisecond, in order, with their start.
	slow []sample
}

type sample struct {
	at  time.Time
	lat time.Duration
}

func (r result) p(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[min(len(r.lat)-1, int(float64(len(r.lat))*q/100))].Round(time.Microsecond)
}

func (r result) max() time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	return r.lat[len(r.lat)-1].Round(time.Microsecond)
}

// measure runs the GET probe and the writers for d, or while fn runs.
func measure(ctx context.Context, addr string, keys, writers int, d time.Duration, fn func()) result {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writes atomic.Int64
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true, PoolSize: 1})
			defer c.Close()
			for {
				select {
				case <-stop:
					return
				default:
				}
				p := c.Pipeline()
				for i := 0; i < 16; i++ {
					p.Set(ctx, "key:"+strconv.Itoa(rand.IntN(keys)), "rewritten-value", 0)
				}
				if _, err := p.Exec(ctx); err != nil {
					return
				}
				writes.Add(16)
			}
		}()
	}
	var lat []time.Duration
	var slow []sample
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true, PoolSize: 1})
		defer c.Close()
		for {
			select {
			case <-stop:
				return
			default:
			}
			t0 := time.Now()
			if err := c.Get(ctx, "key:"+strconv.Itoa(rand.IntN(keys))).Err(); err != nil && err != redis.Nil {
				return
			}
			d := time.Since(t0)
			lat = append(lat, d)
			if d > time.Millisecond {
				slow = append(slow, sample{t0, d})
			}
			time.Sleep(200 * time.Microsecond)
		}
	}()
	if fn != nil {
		fn()
	} else {
		time.Sleep(d)
	}
	close(stop)
	wg.Wait()
	<-probeDone
	slices.Sort(lat)
	return result{lat: lat, writes: writes.Load(), slow: slow}
}

// pss returns the proportional set size of pid and its children, in bytes.
func pss(pid int) int64 {
	if pid == 0 {
		return 0
	}
	total := int64(0)
	for _, p := range family(pid) {
		f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", p))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "Pss:") {
				fs := strings.Fields(line)
				if kb, err := strconv.ParseInt(fs[1], 10, 64); err == nil {
					total += kb << 10
				}
			}
		}
		f.Close()
	}
	return total
}

// cpuStat is a sample of the CPU time (in clock ticks) of the server,
// the probe and the whole machine, and of the time the server's threads
// were runnable but waiting for a CPU (nanoseconds, from schedstat).
type cpuStat struct {
	at                        time.Time
	server, probe, busy, wait int64
}

const ticks = 100 // USER_HZ

// cpuSample reads the CPU times of pid, of this process and of the machine.
func cpuSample(pid int) cpuStat {
	c := cpuStat{at: time.Now(), probe: procTicks("/proc/self/stat")}
	if pid == 0 {
		return c
	}
	// With the time of its reaped children: a forked save has ended
	// when the probe takes its second sample.
	c.server = procTicks(fmt.Sprintf("/proc/%d/stat", pid))
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		for i, f := range strings.Fields(line)[1:] {
			v, _ := strconv.ParseInt(f, 10, 64)
			if i != 3 && i != 4 { // idle, iowait
				c.busy += v
			}
		}
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	for _, t := range tasks {
		if b, err := os.ReadFile(t); err == nil {
			if f := strings.Fields(string(b)); len(f) >= 2 {
				v, _ := strconv.ParseInt(f[1], 10, 64)
				c.wait += v
			}
		}
	}
	return c
}

// report prints how the CPUs were used between c0 and c.
func (c cpuStat) report(c0 cpuStat) string {
	d := c.at.Sub(c0.at).Seconds() * ticks / 100
	pct := func(v int64) float64 { return float64(v) / d }
	server, probe, busy := c.server-c0.server, c.probe-c0.probe, c.busy-c0.busy
	return fmt.Sprintf("server %.0f, probe %.0f, other processes %.0f; server threads waited %v for a CPU",
		pct(server), pct(probe), pct(max(busy-server-probe, 0)), time.Duration(c.wait-c0.wait).Round(time.Millisecond))
}

// procTicks returns the CPU time of the process of /proc/PID/stat at path
// and of its reaped children (utime+stime+cutime+cstime).
func procTicks(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		s = s[i+1:]
	}
	f := strings.Fields(s)
	if len(f) < 15 {
		return 0
	}
	t := int64(0)
	for _, v := range f[11:15] {
		n, _ := strconv.ParseInt(v, 10, 64)
		t += n
	}
	return t
}

// family returns pid and its children (a forked save).
func family(pid int) []int {
	pids := []int{pid}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				pids = append(pids, n)
			}
		}
	}
	return pids
}
