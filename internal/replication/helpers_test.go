package replication_test

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// testDBs are the databases the tests write to and compare.
var testDBs = []int{0, 5}

// start starts a server that will take part in replication.
func start(t *testing.T, mode string, directives ...string) *servertest.Server {
	t.Helper()
	return servertest.Start(t, mode, append([]string{"--repl-diskless-sync-delay", "0", "--repl-ping-replica-period", "1"}, directives...)...)
}

// dbClient returns a go-redis client of s on database db.
func dbClient(t *testing.T, addr string, db int) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db, Protocol: 2, DisableIdentity: true, MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

// info returns the fields of one INFO section.
func info(t *testing.T, addr string, section string) map[string]string {
	t.Helper()
	txt, err := dbClient(t, addr, 0).Info(context.Background(), section).Result()
	if err != nil {
		t.Fatalf("INFO %s: %v", section, err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(txt, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = v
		}
	}
	return out
}

// replicaOf makes r a replica of m.
func replicaOf(t *testing.T, r, m *servertest.Server) {
	t.Helper()
	replicaOfAddr(t, r.Addr, m.Addr)
}

// replicaOfAddr makes the server at addr a replica of the one at master.
func replicaOfAddr(t *testing.T, addr, master string) {
	t.Helper()
	host, port, _ := strings.Cut(master, ":")
	if err := dbClient(t, addr, 0).ReplicaOf(context.Background(), host, port).Err(); err != nil {
		t.Fatalf("REPLICAOF: %v", err)
	}
}

// waitSynced waits until r's link to its master is up and r processed
// everything m wrote to its stream.
func waitSynced(t *testing.T, m, r string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		mi, ri := info(t, m, "replication"), info(t, r, "replication")
		if ri["master_link_status"] == "up" && mi["master_repl_offset"] == ri["master_repl_offset"] {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica not in sync: master %v, replica %v", mi, ri)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dataset returns every key of the test databases with its type, value
// and whether it has a TTL, in a comparable form.
func dataset(t *testing.T, addr string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for _, db := range testDBs {
		c := dbClient(t, addr, db)
		keys, err := c.Keys(ctx, "*").Result()
		if err != nil {
			t.Fatalf("KEYS: %v", err)
		}
		types := make([]*redis.StatusCmd, len(keys))
		p := c.Pipeline()
		for i, k := range keys {
			types[i] = p.Type(ctx, k)
		}
		_, _ = p.Exec(ctx)
		vals := make([]func() string, len(keys))
		ttls := make([]*redis.DurationCmd, len(keys))
		p = c.Pipeline()
		for i, k := range keys {
			switch types[i].Val() {
			case "string":
				v := p.Get(ctx, k)
				vals[i] = func() string { return v.Val() }
			case "list":
				v := p.LRange(ctx, k, 0, -1)
				vals[i] = func() string { return fmt.Sprint(v.Val()) }
			case "hash":
				v := p.HGetAll(ctx, k)
				vals[i] = func() string {
					fs := make([]string, 0, len(v.Val()))
					for f, x := range v.Val() {
						fs = append(fs, f+"="+x)
					}
					sort.Strings(fs)
					return fmt.Sprint(fs)
				}
			case "set":
				v := p.SMembers(ctx, k)
				vals[i] = func() string {
					ms := v.Val()
					sort.Strings(ms)
					return fmt.Sprint(ms)
				}
			case "zset":
				v := p.ZRangeWithScores(ctx, k, 0, -1)
				vals[i] = func() string { return fmt.Sprint(v.Val()) }
			default:
				typ := types[i].Val()
				vals[i] = func() string { return typ }
			}
			ttls[i] = p.PTTL(ctx, k)
		}
		_, _ = p.Exec(ctx)
		for i, k := range keys {
			typ := types[i].Val()
			if typ == "none" || ttls[i].Val() == -2 {
				continue // expired meanwhile
			}
			out[fmt.Sprintf("%d/%s", db, k)] = fmt.Sprintf("%s %s ttl=%v", typ, vals[i](), ttls[i].Val() > 0)
		}
	}
	return out
}

// sameDataset compares the datasets of m and r key by key.
func sameDataset(t *testing.T, m, r string) {
	t.Helper()
	// Let the load's short TTLs (at most 50 ms) pass, so that no key is
	// compared while it expires.
	time.Sleep(100 * time.Millisecond)
	a, b := dataset(t, m), dataset(t, r)
	if len(a) == 0 {
		t.Fatal("empty dataset: nothing was compared")
	}
	for k, v := range a {
		if b[k] != v {
			t.Errorf("key %s: master %q, replica %q", k, v, b[k])
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			t.Errorf("key %s only on the replica: %q", k, v)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// load writes a mix of every type to m's test databases until stop is
// closed; it returns how many commands were acknowledged.
type load struct {
	stop chan struct{}
	wg   sync.WaitGroup
	n    atomic.Int64
}

func startLoad(t *testing.T, m string, workers int) *load {
	l := &load{stop: make(chan struct{})}
	for w := 0; w < workers; w++ {
		db := testDBs[w%len(testDBs)]
		c := dbClient(t, m, db)
		rng := rand.New(rand.NewSource(int64(w)))
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			ctx := context.Background()
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				writeOne(ctx, c, rng)
				l.n.Add(1)
			}
		}()
	}
	return l
}

// end stops the load.
func (l *load) end() {
	close(l.stop)
	l.wg.Wait()
}

// writeOne sends one random write.
func writeOne(ctx context.Context, c *redis.Client, rng *rand.Rand) {
	k := strconv.Itoa(rng.Intn(200))
	switch rng.Intn(12) {
	case 0:
		c.Set(ctx, "s:"+k, rng.Int63(), 0)
	case 1:
		c.Incr(ctx, "n:"+k)
	case 2:
		c.RPush(ctx, "l:"+k, rng.Intn(1000), rng.Intn(1000))
	case 3:
		c.LPop(ctx, "l:"+k)
	case 4:
		c.HSet(ctx, "h:"+k, "f"+strconv.Itoa(rng.Intn(20)), rng.Intn(1000))
	case 5:
		c.SAdd(ctx, "set:"+k, rng.Intn(50))
	case 6:
		c.SRem(ctx, "set:"+k, rng.Intn(50))
	case 7:
		c.ZAdd(ctx, "z:"+k, redis.Z{Score: float64(rng.Intn(100)), Member: strconv.Itoa(rng.Intn(30))})
	case 8:
		c.Set(ctx, "t:"+k, "short", time.Duration(1+rng.Intn(50))*time.Millisecond)
	case 9:
		c.Expire(ctx, "s:"+k, time.Hour)
	case 10:
		c.Del(ctx, "n:"+k)
	case 11:
		c.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Incr(ctx, "tx:a")
			p.HIncrBy(ctx, "tx:h", k, 1)
			return nil
		})
	}
}

// fill writes n keys of each type to db of s.
func fill(t *testing.T, addr string, db, n int) {
	t.Helper()
	ctx := context.Background()
	c := dbClient(t, addr, db)
	p := c.Pipeline()
	for i := 0; i < n; i++ {
		k := strconv.Itoa(i)
		p.Set(ctx, "fs:"+k, strings.Repeat("x", i%100), 0)
		p.RPush(ctx, "fl:"+k, 1, 2, 3)
		p.HSet(ctx, "fh:"+k, "a", 1, "b", 2)
		p.SAdd(ctx, "fset:"+k, 1, "two", 3)
		p.ZAdd(ctx, "fz:"+k, redis.Z{Score: 1.5, Member: "m"})
		p.Set(ctx, "fttl:"+k, "v", time.Hour)
		if i%500 == 499 {
			if _, err := p.Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := p.Exec(ctx); err != nil {
		t.Fatal(err)
	}
}
