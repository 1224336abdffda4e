// Command persistprobe measures what a BGSAVE costs the clients of a
// server (redis-clone or redis-server): it fills the server, then runs a
// BGSAVE while one client measures the round trip of GETs and others keep
// writing, and samples the memory of the server process and its children
// (proportional set size, so a forked child's shared pages count once).
//
// Usage:
//
//	persistprobe -addr 127.0.0.1:6379 -pid 1234 -keys 1000000 [-fill [-fill-only]] [-writers 2]
//
// It prints the BGSAVE time, the client latencies during it (and during
// an equal time without it, for reference), and the memory before and at
// the peak.
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

	// Reference: latencies under the same write load without a save.
	ref := measure(ctx, *addr, *keys, *writers, 2*time.Second, nil)
	fmt.Printf("no save    : GET p50 %v p99 %v p99.9 %v max %v (%d GETs, %d writes)\n",
		ref.p(50), ref.p(99), ref.p(99.9), ref.max(), len(ref.lat), ref.writes)

	base := pss(*pid)
	var peak atomic.Int64
	peak.Store(base)
	stopMem := make(chan struct{})
	var memWG sync.WaitGroup
	memWG.Add(1)
	go func() {
		defer memWG.Done()
		for {
			select {
			case <-stopMem:
				return
			case <-time.After(2 * time.Millisecond):
			}
			if v := pss(*pid); v > peak.Load() {
				peak.Store(v)
			}
		}
	}()
	var saveTime time.Duration
	res := measure(ctx, *addr, *keys, *writers, 0, func() {
		t0 := time.Now()
		if err := c.BgSave(ctx).Err(); err != nil {
			fmt.Fprintln(os.Stderr, "BGSAVE:", err)
			os.Exit(1)
		}
		time.Sleep(time.Millisecond)
		for {
			info := c.Info(ctx, "persistence").Val()
			if strings.Contains(info, "rdb_bgsave_in_progress:0") {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		saveTime = time.Since(t0)
		if !strings.Contains(c.Info(ctx, "persistence").Val(), "rdb_last_bgsave_status:ok") {
			fmt.Fprintln(os.Stderr, "BGSAVE failed")
			os.Exit(1)
		}
	})
	close(stopMem)
	memWG.Wait()
	fmt.Printf("during save: GET p50 %v p99 %v p99.9 %v max %v (%d GETs, %d writes)\n",
		res.p(50), res.p(99), res.p(99.9), res.max(), len(res.lat), res.writes)
	fmt.Printf("BGSAVE of %d keys: %v\n", *keys, saveTime.Round(time.Millisecond))
	if *pid != 0 {
		fmt.Printf("memory (PSS, server + children): before %.1f MB, peak %.1f MB (+%.1f%%)\n",
			float64(base)/(1<<20), float64(peak.Load())/(1<<20), float64(peak.Load()-base)*100/float64(base))
	}
}

type result struct {
	lat    []time.Duration
	writes int64
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
			lat = append(lat, time.Since(t0))
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
	return result{lat: lat, writes: writes.Load()}
}

// pss returns the proportional set size of pid and its children, in bytes.
func pss(pid int) int64 {
	if pid == 0 {
		return 0
	}
	total := int64(0)
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
	for _, p := range pids {
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
