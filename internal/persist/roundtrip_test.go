package persist_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// populate writes keys of every type and encoding, with and without TTLs,
// binary-safe names and values, in two databases.
func populate(t testing.TB, addr string) {
	t.Helper()
	populateNoStreams(t, addr)
	populateStreams(t, addr)
}

// populateStreams writes streams: several nodes, deletions, a trim,
// groups with consumers and pending entries, an empty stream with a group.
func populateStreams(t testing.TB, addr string) {
	t.Helper()
	ctx := ctxT(t)
	c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true})
	defer c.Close()
	p := c.Pipeline()
	for i := 1; i <= 250; i++ {
		p.Do(ctx, "XADD", "stream", fmt.Sprintf("%d-%d", i*10, i%4), "field", i, "name", fmt.Sprintf("v%d", i))
	}
	p.Do(ctx, "XADD", "stream", "5000-0", "other", "\x00\xff", "n", -70000)
	p.Do(ctx, "XDEL", "stream", "30-3", "500-2", "510-3")
	p.Do(ctx, "XTRIM", "stream", "MAXLEN", "230")
	p.Do(ctx, "XGROUP", "CREATE", "stream", "g1", "0")
	p.Do(ctx, "XGROUP", "CREATE", "stream", "g2", "$")
	p.Do(ctx, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "stream", ">")
	p.Do(ctx, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "stream", ">")
	p.Do(ctx, "XGROUP", "CREATECONSUMER", "stream", "g2", "carol")
	p.Do(ctx, "XADD", "emptystream", "MAXLEN", "0", "7-7", "f", "v")
	p.Do(ctx, "XGROUP", "CREATE", "emptystream", "g", "$")
	p.Do(ctx, "PEXPIREAT", "emptystream", time.Now().Add(time.Hour).UnixMilli())
	if _, err := p.Exec(ctx); err != nil {
		t.Fatalf("populate streams: %v", err)
	}
}

// populateNoStreams writes every other type.
func populateNoStreams(t testing.TB, addr string) {
	t.Helper()
	ctx := ctxT(t)
	far := time.Now().Add(time.Hour).UnixMilli()
	for _, db := range []int{0, 3} {
		c := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DB: db, DisableIdentity: true})
		p := c.Pipeline()
		pre := fmt.Sprintf("db%d:", db)
		p.Set(ctx, pre+"str", "hello world", 0)
		p.Set(ctx, pre+"int", "12345", 0)
		p.Set(ctx, pre+"neg", "-9223372036854775808", 0)
		p.Set(ctx, pre+"bin\x00\xff", "\x00\xff\r\n\"\\ binary", 0)
		p.Set(ctx, pre+"empty", "", 0)
		p.Set(ctx, pre+"big", strings.Repeat("compressible ", 10000), 0)
		p.Set(ctx, pre+"utf8", "héllo wörld ✓", 0)
		p.Do(ctx, "SET", pre+"ttl", "expiring", "PXAT", far)
		p.RPush(ctx, pre+"list", "a", "b", "c", "1", "2", "-3", "\x00bin")
		var long []any
		for i := 0; i < 3000; i++ {
			long = append(long, fmt.Sprintf("element-%d-%s", i, strings.Repeat("y", i%50)))
		}
		p.RPush(ctx, pre+"biglist", long...)
		p.RPush(ctx, pre+"hugeelem", strings.Repeat("z", 70000), "small")
		p.SAdd(ctx, pre+"intset", 1, 2, 3, -5, 1000000000000)
		p.SAdd(ctx, pre+"strset", "a", "b", "c", "\xff")
		var members []any
		for i := 0; i < 1000; i++ {
			members = append(members, i)
		}
		p.SAdd(ctx, pre+"bigintset", members...)
		p.HSet(ctx, pre+"hash", "f1", "v1", "f2", "2", "\x00", "\xff")
		var fields []any
		for i := 0; i < 600; i++ {
			fields = append(fields, fmt.Sprintf("field%d", i), fmt.Sprintf("value%d", i))
		}
		p.HSet(ctx, pre+"bighash", fields...)
		p.HSet(ctx, pre+"longhash", "f", strings.Repeat("v", 100))
		p.ZAdd(ctx, pre+"zset", redis.Z{Score: 1, Member: "a"}, redis.Z{Score: 2.5, Member: "b"},
			redis.Z{Score: -1e300, Member: "c"}, redis.Z{Score: 0.1, Member: "\xff"})
		p.Do(ctx, "ZADD", pre+"zinf", "-inf", "lo", "+inf", "hi", "0", "zero")
		var zm []redis.Z
		for i := 0; i < 500; i++ {
			zm = append(zm, redis.Z{Score: float64(i) / 7, Member: fmt.Sprintf("m%d", i)})
		}
		p.ZAdd(ctx, pre+"bigzset", zm...)
		for _, k := range []string{"list", "biglist", "intset", "bighash", "zset", "bigzset"} {
			p.Do(ctx, "PEXPIREAT", pre+k, far+int64(len(k)))
		}
		if _, err := p.Exec(ctx); err != nil {
			t.Fatalf("populate: %v", err)
		}
		c.Close()
	}
}

// TestRestartRoundTrip writes every type with TTLs, stops the server
// (saving), starts a new one on the same directory and compares every
// key, for each persistence format, in both modes.
func TestRestartRoundTrip(t *testing.T) {
	formats := []struct {
		name string
		args []string
		save bool
		file string
	}{
		{"rdb", []string{"--save", "900 1"}, true, "dump.rdb"},
		{"json", []string{"--save", "900 1", "--snapshot-format", "json"}, true, "dump.json"},
		{"aof-rdb-preamble", []string{"--appendonly", "yes"}, false, "appendonlydir/appendonly.aof.manifest"},
		{"aof-resp", []string{"--appendonly", "yes", "--aof-use-rdb-preamble", "no"}, false, "appendonlydir/appendonly.aof.manifest"},
	}
	modes(t, func(t *testing.T, mode string) {
		for _, f := range formats {
			t.Run(f.name, func(t *testing.T) {
				dir := t.TempDir()
				a := start(t, mode, dir, f.args...)
				populate(t, a.addr)
				want := dataset(t, a.addr)
				if len(want) < 40 {
					t.Fatalf("populated only %d keys", len(want))
				}
				a.shutdown(f.save)
				if _, err := os.Stat(filepath.Join(dir, f.file)); err != nil {
					t.Fatalf("no %s after shutdown: %v", f.file, err)
				}
				b := start(t, mode, dir, f.args...)
				sameDataset(t, want, dataset(t, b.addr))
				// And once more after a rewrite or BGSAVE of the reloaded data.
				if f.save {
					b.do("BGSAVE")
				} else {
					b.do("BGREWRITEAOF")
				}
				waitIdle(t, b)
				b.shutdown(false)
				c := start(t, mode, dir, f.args...)
				sameDataset(t, want, dataset(t, c.addr))
			})
		}
	})
}

// waitIdle waits until no BGSAVE or rewrite runs.
func waitIdle(t testing.TB, n *node) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		info := n.client().Info(ctxT(t), "persistence").Val()
		if strings.Contains(info, "rdb_bgsave_in_progress:0") && strings.Contains(info, "aof_rewrite_in_progress:0") &&
			strings.Contains(info, "aof_rewrite_scheduled:0") {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("background job did not finish")
}
