package server

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/replication"
)

// benchConn is a core.Conn with no socket.
type benchConn struct{}

func (benchConn) Wake()  {}
func (benchConn) Close() {}

// BenchmarkProcess runs redis-benchmark's requests (-r 100000 -P 16) through
// the executor as a front end does (parse, execute, reset the reply
// buffer), without sockets: one op is one command.
func BenchmarkProcess(b *testing.B) {
	for _, tc := range []struct{ name, format string }{
		{"set", "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$3\r\nxxx\r\n"},
		{"get", "*2\r\n$3\r\nGET\r\n$16\r\nkey:%012d\r\n"},
		{"incr", "*2\r\n$4\r\nINCR\r\n$20\r\ncounter:%012d\r\n"},
		{"lpush", "*3\r\n$5\r\nLPUSH\r\n$6\r\nmylist\r\n$%d\r\nxxx\r\n"},
		{"hset", "*4\r\n$4\r\nHSET\r\n$6\r\nmyhash\r\n$20\r\nelement:%012d\r\n$3\r\nxxx\r\n"},
		{"zadd", "*4\r\n$4\r\nZADD\r\n$6\r\nmyzset\r\n$12\r\n%012d\r\n$20\r\nelement:%012d\r\n"},
		// ZPOPMIN pops the set the ZADD requests filled (about 98000
		// members), then, like most of redis-benchmark's ZPOPMIN run after
		// its ZADD run, finds no key.
		{"zpopmin", "*2\r\n$7\r\nZPOPMIN\r\n$6\r\nmyzset\r\n"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, c := benchServer(b)
			rng := rand.New(rand.NewPCG(1, 2))
			bufs := make([][]byte, 8192) // 131072 requests: most of the 100000 keys
			for i := range bufs {
				var buf []byte
				for j := 0; j < 16; j++ {
					switch tc.name {
					case "lpush":
						buf = fmt.Appendf(buf, tc.format, 3)
					case "zadd":
						buf = fmt.Appendf(buf, tc.format, rng.IntN(100000), rng.IntN(100000))
					case "zpopmin":
						buf = append(buf, tc.format...)
					default:
						buf = fmt.Appendf(buf, tc.format, rng.IntN(100000))
					}
				}
				bufs[i] = buf
			}
			// Fill the keyspace as the benchmark's earlier requests would
			// (GET reads what redis-benchmark's SET test wrote before it).
			fill := bufs
			switch tc.name {
			case "get":
				fill = make([][]byte, len(bufs))
				for i := range fill {
					for range 16 {
						fill[i] = fmt.Appendf(fill[i], "*3\r\n$3\r\nSET\r\n$16\r\nkey:%012d\r\n$3\r\nxxx\r\n", rng.IntN(100000))
					}
				}
			case "zpopmin":
				fill = make([][]byte, len(bufs))
				for i := range fill {
					for range 16 {
						fill[i] = fmt.Appendf(fill[i], "*4\r\n$4\r\nZADD\r\n$6\r\nmyzset\r\n$12\r\n%012d\r\n$20\r\nelement:%012d\r\n",
							rng.IntN(100000), rng.IntN(100000))
					}
				}
			}
			for i := 0; i < 100000/16*4; i++ {
				run(b, s, c, fill[i%len(fill)])
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i += 16 {
				run(b, s, c, bufs[(i/16)%len(bufs)])
			}
			// The process's CPU time is steadier than the wall clock on
			// a shared machine: time other processes took is left out.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func run(b *testing.B, s *core.Server, c *core.Client, buf []byte) {
	n, closeConn := process(s, c, buf)
	if n != len(buf) || closeConn {
		b.Fatalf("process: %d of %d, close %v: %q", n, len(buf), closeConn, c.Out.Bytes())
	}
	c.Out.Reset()
}

func benchServer(b testing.TB) (*core.Server, *core.Client) {
	cfg := config.Default()
	if err := cfg.ApplyArgs([]string{"--dir", b.TempDir(), "--save", "", "--appendonly", "no"}); err != nil {
		b.Fatal(err)
	}
	s := core.NewServer(cfg, command.Table(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := command.SetupACL(s); err != nil {
		b.Fatal(err)
	}
	if _, err := persist.Open(s, persist.Options{}); err != nil {
		b.Fatal(err)
	}
	replication.Open(s)
	return s, s.NewClient(benchConn{}, "127.0.0.1:50000", "127.0.0.1:6379", -1)
}
