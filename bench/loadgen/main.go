// Command loadgen is the small RESP load generator behind the bench/ scripts
// that redis-benchmark cannot serve: latency percentiles, the idle-connection
// test and bulk loading for the memory-per-key figures. It talks plain RESP
// over TCP, so it measures redis-server and redis-clone the same way.
//
// Subcommands:
//
//	loadgen latency -addr H:P [-clients 50] [-pipeline 1] [-duration 5s] [-cmd set|get|incr] [-keys 100000]
//	    closed-loop clients, each timing every request (pipeline: every batch);
//	    prints one line: rps p50_us p99_us p999_us max_us.
//	loadgen idle -addr H:P -idle 10000 [-clients 50] [-duration 5s] [-pid PID]
//	    runs the busy clients alone, opens -idle connections (each sends one
//	    PING, then stays silent), runs the busy clients again with the idle
//	    connections open; prints rps_alone rps_with_idle and, with -pid, the
//	    server's RSS growth per idle connection in bytes.
//	loadgen fill -addr H:P -type string|list|hash|set|zset [-n 1000000] [-value 16]
//	    loads n keys "key:N" with an n-byte value (string), or one key "big"
//	    with n elements (list, hash, set, zset), pipelined, and waits for the
//	    replies; prints the seconds taken.
//	loadgen growth -addr H:P [-n 10000000] [-writers 4] [-pipeline 100] [-value 16] [-probe-every 1ms] [-top 10]
//	    fills key:0 … key:n-1 (SET, 16-byte values) from -writers connections,
//	    each sending batches of -pipeline SETs and waiting for their replies,
//	    while a probe connection sends one GET of a loaded key or PING every
//	    -probe-every (P1) and times it; prints "fill_s probes p50_us p99_us
//	    p999_us max_us", then the -top slowest probes as "top lat_us keys t_s"
//	    (keys acknowledged when the probe was sent, seconds into the fill).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis-clone/redis-clone/internal/hdrhist"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen latency|idle|fill|growth [flags] (see go doc ./bench/loadgen)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "latency":
		err = runLatency(os.Args[2:])
	case "idle":
		err = runIdle(os.Args[2:])
	case "fill":
		err = runFill(os.Args[2:])
	case "growth":
		err = runGrowth(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// appendCmd appends args as a RESP array of bulk strings.
func appendCmd(b []byte, args ...string) []byte {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

// skipReply reads one complete RESP reply (any type, nested) and returns an
// error for a transport failure or an error reply.
func skipReply(r *bufio.Reader) error {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return err
	}
	if len(line) < 3 {
		return errors.New("short reply line")
	}
	switch line[0] {
	case '+', ':', ',', '_', '#':
		return nil
	case '-':
		return fmt.Errorf("server error: %s", bytes.TrimSpace(line[1:]))
	case '$', '=', '!':
		n, err := strconv.Atoi(string(line[1 : len(line)-2]))
		if err != nil {
			return err
		}
		if n < 0 {
			return nil
		}
		_, err = r.Discard(n + 2)
		return err
	case '*', '%', '~', '>':
		n, err := strconv.Atoi(string(line[1 : len(line)-2]))
		if err != nil {
			return err
		}
		if line[0] == '%' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			if err := skipReply(r); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unexpected reply byte %q", line[0])
}

type conn struct {
	c net.Conn
	r *bufio.Reader
}

func dial(addr string) (*conn, error) {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, r: bufio.NewReaderSize(c, 64<<10)}, nil
}

// batch builds one pipeline of p requests of the given command.
func batch(b []byte, cmd string, p, keys int, rng *rand.Rand) []byte {
	b = b[:0]
	for i := 0; i < p; i++ {
		k := "key:" + strconv.Itoa(rng.IntN(keys))
		switch cmd {
		case "get":
			b = appendCmd(b, "GET", k)
		case "incr":
			b = appendCmd(b, "INCR", "counter:"+k[4:])
		case "ping":
			b = appendCmd(b, "PING")
		default:
			b = appendCmd(b, "SET", k, "xxx")
		}
	}
	return b
}

// load runs clients closed-loop clients for d and returns the requests done
// and, when hist is set, the per-batch latency in microseconds.
func load(addr string, clients, p int, d time.Duration, cmd string, keys int, hist bool) (int64, *hdrhist.Histogram, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total atomic.Int64
		first error
	)
	all, _ := hdrhist.New(1, 60_000_000, 3)
	conns := make([]*conn, clients)
	for i := range conns {
		c, err := dial(addr)
		if err != nil {
			return 0, nil, err
		}
		conns[i] = c
	}
	defer func() {
		for _, c := range conns {
			c.c.Close()
		}
	}()
	start := make(chan struct{})
	deadline := time.Now().Add(d + 200*time.Millisecond)
	for i, c := range conns {
		wg.Add(1)
		go func(i int, c *conn) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			var lat []int64
			var buf []byte
			<-start
			n := int64(0)
			var err error
			for time.Now().Before(deadline) {
				buf = batch(buf, cmd, p, keys, rng)
				t0 := time.Now()
				if _, err = c.c.Write(buf); err != nil {
					break
				}
				for j := 0; j < p && err == nil; j++ {
					err = skipReply(c.r)
				}
				if err != nil {
					break
				}
				if hist {
					lat = append(lat, time.Since(t0).Microseconds())
				}
				n += int64(p)
			}
			total.Add(n)
			mu.Lock()
			if err != nil && first == nil {
				first = err
			}
			for _, v := range lat {
				all.Record(max(v, 1))
			}
			mu.Unlock()
		}(i, c)
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(t0)
	if first != nil {
		return 0, nil, first
	}
	// Requests per second over the measured time.
	return int64(float64(total.Load()) / elapsed.Seconds()), all, nil
}

func runLatency(args []string) error {
	fs := flag.NewFlagSet("latency", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:6379", "server address")
	clients := fs.Int("clients", 50, "connections")
	p := fs.Int("pipeline", 1, "requests per batch")
	d := fs.Duration("duration", 5*time.Second, "run time")
	cmd := fs.String("cmd", "set", "set, get, incr or ping")
	keys := fs.Int("keys", 100000, "random key space")
	fs.Parse(args)
	rps, h, err := load(*addr, *clients, *p, *d, *cmd, *keys, true)
	if err != nil {
		return err
	}
	fmt.Printf("%d %d %d %d %d\n", rps, h.ValueAtPercentile(50), h.ValueAtPercentile(99),
		h.ValueAtPercentile(99.9), h.ValueAtPercentile(100))
	return nil
}

func rss(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmRSS")
}

func runIdle(args []string) error {
	fs := flag.NewFlagSet("idle", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:6379", "server address")
	idle := fs.Int("idle", 10000, "idle connections")
	clients := fs.Int("clients", 50, "busy connections")
	p := fs.Int("pipeline", 1, "requests per batch of the busy clients")
	d := fs.Duration("duration", 5*time.Second, "run time of each busy phase")
	pid := fs.Int("pid", 0, "server pid (for RSS per idle connection)")
	fs.Parse(args)

	alone, _, err := load(*addr, *clients, *p, *d, "set", 100000, false)
	if err != nil {
		return err
	}
	var before int64
	if *pid > 0 {
		time.Sleep(500 * time.Millisecond)
		if before, err = rss(*pid); err != nil {
			return err
		}
	}
	idles := make([]*conn, 0, *idle)
	defer func() {
		for _, c := range idles {
			c.c.Close()
		}
	}()
	ping := appendCmd(nil, "PING")
	for i := 0; i < *idle; i++ {
		c, err := dial(*addr)
		if err != nil {
			return fmt.Errorf("idle connection %d: %w (raise ulimit -n, and the server's maxclients)", i, err)
		}
		idles = append(idles, c)
		if _, err := c.c.Write(ping); err != nil {
			return err
		}
		if i%500 == 499 { // collect the PONGs in chunks so the accept queue never overflows
			for _, ic := range idles[i-499 : i+1] {
				if err := skipReply(ic.r); err != nil {
					return fmt.Errorf("idle PING: %w", err)
				}
			}
		}
	}
	for _, ic := range idles[len(idles)-len(idles)%500:] {
		if err := skipReply(ic.r); err != nil {
			return fmt.Errorf("idle PING: %w", err)
		}
	}
	var perConn float64
	if *pid > 0 {
		time.Sleep(500 * time.Millisecond)
		after, err := rss(*pid)
		if err != nil {
			return err
		}
		perConn = float64(after-before) / float64(*idle)
	}
	with, _, err := load(*addr, *clients, *p, *d, "set", 100000, false)
	if err != nil {
		return err
	}
	fmt.Printf("%d %d %.0f\n", alone, with, perConn)
	return nil
}

func runFill(args []string) error {
	fs := flag.NewFlagSet("fill", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:6379", "server address")
	typ := fs.String("type", "string", "string, list, hash, set or zset")
	n := fs.Int("n", 1_000_000, "keys (string) or elements (others)")
	vlen := fs.Int("value", 16, "value length in bytes (string, list, hash)")
	fs.Parse(args)
	c, err := dial(*addr)
	if err != nil {
		return err
	}
	defer c.c.Close()
	val := strings.Repeat("v", *vlen)
	const chunk = 1000
	t0 := time.Now()
	// A reader drains the replies while the writer sends, so neither side's
	// buffers fill up.
	errc := make(chan error, 1)
	go func() {
		for i := 0; i < *n; i++ {
			if err := skipReply(c.r); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	var b []byte
	for i := 0; i < *n; i++ {
		s := strconv.Itoa(i)
		switch *typ {
		case "string":
			b = appendCmd(b, "SET", "key:"+s, val[:max(0, *vlen-len(s))]+s)
		case "list":
			b = appendCmd(b, "RPUSH", "big", val[:max(0, *vlen-len(s))]+s)
		case "hash":
			b = appendCmd(b, "HSET", "big", "field:"+s, val[:max(0, *vlen-len(s))]+s)
		case "set":
			b = appendCmd(b, "SADD", "big", "member:"+s)
		case "zset":
			b = appendCmd(b, "ZADD", "big", s, "member:"+s)
		default:
			return fmt.Errorf("unknown -type %q", *typ)
		}
		if i%chunk == chunk-1 || i == *n-1 {
			if _, err := c.c.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	fmt.Printf("%.2f\n", time.Since(t0).Seconds())
	return nil
}
