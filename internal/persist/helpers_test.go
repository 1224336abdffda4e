package persist_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/server"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestMain checks that no goroutine outlives the tests: background jobs,
// AOF fsync loops and front ends all stop with their server. gnet's
// process-wide worker pool (started at package init) is not a leak.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/panjf2000/ants/v2.(*poolCommon).purgeStaleWorkers"),
		goleak.IgnoreTopFunction("github.com/panjf2000/ants/v2.(*poolCommon).ticktock"),
	)
}

// node is a server started on a given data directory, with persistence
// options the shared servertest helper cannot pass.
type node struct {
	t    testing.TB
	mode string
	dir  string
	srv  *server.Server
	core *core.Server
	mgr  *persist.Manager
	addr string
	log  *logBuf
	once sync.Once
	cls  []*redis.Client
}

// logBuf collects a server's log lines.
type logBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// open starts a server on dir; a recovery failure is returned, not fatal.
func open(t testing.TB, mode, dir string, opts persist.Options, directives ...string) (*node, error) {
	t.Helper()
	return openConf(t, mode, dir, "", opts, append([]string{"--save", "", "--appendonly", "no"}, directives...)...)
}

// openConf is open with a config file (conf, unless empty) read first;
// the persistence defaults are then the file's.
func openConf(t testing.TB, mode, dir, conf string, opts persist.Options, directives ...string) (*node, error) {
	t.Helper()
	cfg := config.Default()
	if conf != "" {
		if err := cfg.LoadFile(conf); err != nil {
			t.Fatalf("config file: %v", err)
		}
	}
	args := append([]string{"--bind", "127.0.0.1", "--port", "0", "--dir", dir, "--mode", mode}, directives...)
	if err := cfg.ApplyArgs(args); err != nil {
		t.Fatalf("config: %v", err)
	}
	lb := &logBuf{}
	var out io.Writer = lb
	if testing.Verbose() && os.Getenv("PERSIST_LOG") != "" {
		out = io.MultiWriter(lb, os.Stderr)
	}
	c := core.NewServer(cfg, command.Table(), slog.New(slog.NewTextHandler(out, nil)))
	srv, err := server.New(c, mode)
	if err != nil {
		t.Fatal(err)
	}
	srv.FreePortForZero = true
	m, err := persist.Open(c, opts)
	if err != nil {
		return &node{t: t, log: lb}, err
	}
	if err := srv.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	n := &node{t: t, mode: mode, dir: dir, srv: srv, core: c, mgr: m, log: lb,
		addr: fmt.Sprintf("127.0.0.1:%d", srv.Port())}
	t.Cleanup(n.stop)
	return n, nil
}

// start is open that fails the test on a recovery error.
func start(t testing.TB, mode, dir string, directives ...string) *node {
	t.Helper()
	n, err := open(t, mode, dir, persist.Options{}, directives...)
	if err != nil {
		t.Fatalf("recovery failed: %v\n%s", err, n.log)
	}
	return n
}

// client returns a go-redis client, closed when the node stops.
func (n *node) client() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: n.addr, Protocol: 2, DisableIdentity: true, MaxRetries: -1})
	n.cls = append(n.cls, c)
	return c
}

// shutdown stops the server as SIGTERM does (saving when asked).
func (n *node) shutdown(save bool) {
	n.t.Helper()
	n.srv.Lock()
	err := n.core.PrepareShutdown(save)
	n.srv.Unlock()
	if err != nil {
		n.t.Fatalf("shutdown: %v", err)
	}
	n.stop()
}

// stop stops the server without the shutdown steps (test cleanup).
func (n *node) stop() {
	n.once.Do(func() {
		for _, c := range n.cls {
			c.Close()
		}
		n.srv.Stop()
	})
}

// do runs one command through a new client.
func (n *node) do(args ...any) *redis.Cmd {
	return n.client().Do(ctxT(n.t), args...)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// dataset renders every key of every database (type, encoding, value,
// expiry) in a canonical text form, for comparing two servers.
func dataset(t testing.TB, addr string) map[string]string {
	t.Helper()
	ctx := ctxT(t)
	out := map[string]string{}
	for db := 0; db < 16; db++ {
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DB: db, DisableIdentity: true})
		keys, err := c.Keys(ctx, "*").Result()
		if err != nil {
			t.Fatalf("keys: %v", err)
		}
		p := c.Pipeline()
		types := make([]*redis.StatusCmd, len(keys))
		for i, k := range keys {
			types[i] = p.Type(ctx, k)
		}
		if _, err := p.Exec(ctx); err != nil {
			t.Fatalf("type: %v", err)
		}
		p = c.Pipeline()
		vals := make([]redis.Cmder, len(keys))
		exps := make([]*redis.Cmd, len(keys))
		encs := make([]*redis.StringCmd, len(keys))
		for i, k := range keys {
			switch types[i].Val() {
			case "string":
				vals[i] = p.Get(ctx, k)
			case "list":
				vals[i] = p.LRange(ctx, k, 0, -1)
			case "set":
				vals[i] = p.SMembers(ctx, k)
			case "hash":
				vals[i] = p.HGetAll(ctx, k)
			case "zset":
				vals[i] = p.ZRangeWithScores(ctx, k, 0, -1)
			case "stream":
				vals[i] = p.Do(ctx, "XINFO", "STREAM", k, "FULL", "COUNT", "0")
			}
			exps[i] = p.Do(ctx, "PEXPIRETIME", k)
			encs[i] = p.ObjectEncoding(ctx, k)
		}
		if _, err := p.Exec(ctx); err != nil && err != redis.Nil {
			t.Fatalf("read: %v", err)
		}
		for i, k := range keys {
			var v string
			switch x := vals[i].(type) {
			case *redis.StringCmd:
				v = fmt.Sprintf("%q", x.Val())
			case *redis.StringSliceCmd:
				m := x.Val()
				if types[i].Val() == "set" {
					sort.Strings(m)
				}
				v = fmt.Sprintf("%q", m)
			case *redis.MapStringStringCmd:
				h := x.Val()
				ks := make([]string, 0, len(h))
				for f := range h {
					ks = append(ks, f)
				}
				sort.Strings(ks)
				var b strings.Builder
				for _, f := range ks {
					fmt.Fprintf(&b, "%q=%q ", f, h[f])
				}
				v = b.String()
			case *redis.ZSliceCmd:
				var b strings.Builder
				for _, m := range x.Val() {
					fmt.Fprintf(&b, "%q:%v ", m.Member, m.Score)
				}
				v = b.String()
			case *redis.Cmd:
				// XINFO STREAM FULL; a consumer's seen-time is not kept by
				// an AOF replay (in Redis either).
				v = seenTime.ReplaceAllString(fmt.Sprint(x.Val()), "seen-time T")
			default:
				v = "?"
			}
			out[fmt.Sprintf("%d/%q", db, k)] = fmt.Sprintf("%s/%s %s exp=%v", types[i].Val(), encs[i].Val(), v, exps[i].Val())
		}
		c.Close()
	}
	return out
}

var seenTime = regexp.MustCompile(`seen-time [0-9]+`)

// sameDataset fails unless a and b hold the same keys and values.
func sameDataset(t testing.TB, want, got map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("key %s: want %s, got %s", k, v, got[k])
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected key %s = %s", k, v)
		}
	}
}

// modes runs fn for both front ends.
func modes(t *testing.T, fn func(t *testing.T, mode string)) {
	for _, m := range servertest.Modes {
		t.Run(m, func(t *testing.T) { fn(t, m) })
	}
}
