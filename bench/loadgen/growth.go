package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis-clone/redis-clone/internal/hdrhist"
)

// probeSample is one timed probe request of the growth test.
type probeSample struct {
	lat  time.Duration // write to complete reply
	keys int64         // SETs acknowledged when the probe was sent
	at   time.Duration // since the start of the fill
}

// runGrowth fills the keyspace from empty to -n keys with pipelined writers
// while a paced probe connection measures request latency, so that a stall
// (a hash table resize, a GC pause) shows as a slow probe together with the
// key count at which it happened.
func runGrowth(args []string) error {
	fs := flag.NewFlagSet("growth", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:6379", "server address")
	n := fs.Int64("n", 10_000_000, "keys to load")
	writers := fs.Int("writers", 4, "writer connections")
	p := fs.Int("pipeline", 100, "SETs per writer batch")
	vlen := fs.Int("value", 16, "value length in bytes")
	every := fs.Duration("probe-every", time.Millisecond, "probe interval (0: back to back)")
	top := fs.Int("top", 10, "slowest probes to list")
	fs.Parse(args)

	probe, err := dial(*addr)
	if err != nil {
		return err
	}
	defer probe.c.Close()
	wconns := make([]*conn, *writers)
	for i := range wconns {
		if wconns[i], err = dial(*addr); err != nil {
			return err
		}
		defer wconns[i].c.Close()
	}
	var (
		next  atomic.Int64 // next key index to hand out
		acked atomic.Int64 // SETs acknowledged
		done  atomic.Bool
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		done.Store(true)
	}
	val := strings.Repeat("v", *vlen)
	t0 := time.Now()
	for _, c := range wconns {
		wg.Add(1)
		go func(c *conn) {
			defer wg.Done()
			var b []byte
			for !done.Load() {
				lo := next.Add(int64(*p)) - int64(*p)
				if lo >= *n {
					return
				}
				hi := min(lo+int64(*p), *n)
				b = b[:0]
				for i := lo; i < hi; i++ {
					s := strconv.FormatInt(i, 10)
					b = appendCmd(b, "SET", "key:"+s, val[:max(0, *vlen-len(s))]+s)
				}
				if _, err := c.c.Write(b); err != nil {
					fail(err)
					return
				}
				for i := lo; i < hi; i++ {
					if err := skipReply(c.r); err != nil {
						fail(err)
						return
					}
				}
				acked.Add(hi - lo)
			}
		}(c)
	}
	var samples []probeSample
	probeDone := make(chan struct{})
	go func() {
		defer close(probeDone)
		var b []byte
		tick := time.Now()
		for i := 0; !done.Load(); i++ {
			k := acked.Load()
			b = b[:0]
			if i%2 == 0 && k > 0 {
				b = appendCmd(b, "GET", "key:"+strconv.FormatInt(int64(i*7919)%k, 10))
			} else {
				b = appendCmd(b, "PING")
			}
			s := time.Now()
			if _, err := probe.c.Write(b); err != nil {
				fail(err)
				return
			}
			if err := skipReply(probe.r); err != nil {
				fail(err)
				return
			}
			e := time.Now()
			samples = append(samples, probeSample{lat: e.Sub(s), keys: k, at: s.Sub(t0)})
			if *every > 0 {
				tick = tick.Add(*every)
				if d := time.Until(tick); d > 0 {
					time.Sleep(d)
				} else {
					tick = e // behind: do not send a burst to catch up
				}
			}
		}
	}()
	wg.Wait()
	fill := time.Since(t0)
	done.Store(true)
	<-probeDone
	if first != nil {
		return first
	}
	h, _ := hdrhist.New(1, 600_000_000, 3)
	for _, s := range samples {
		h.Record(max(s.lat.Microseconds(), 1))
	}
	fmt.Printf("%.2f %d %d %d %d %d\n", fill.Seconds(), len(samples), h.ValueAtPercentile(50),
		h.ValueAtPercentile(99), h.ValueAtPercentile(99.9), h.ValueAtPercentile(100))
	slices.SortFunc(samples, func(a, b probeSample) int { return int(b.lat - a.lat) })
	for _, s := range samples[:min(*top, len(samples))] {
		fmt.Printf("top %d %d %.3f\n", s.lat.Microseconds(), s.keys, s.at.Seconds())
	}
	return nil
}
