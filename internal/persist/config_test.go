package persist_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/persist"
)

// TestConfigRewritePersistence: persistence directives changed with
// CONFIG SET (appendonly, appendfsync, save — one line per save point, as
// Redis writes them — and the rewrite thresholds) are
// written back by CONFIG REWRITE and rule the next start; dir and
// dbfilename are protected from CONFIG SET, as in Redis 7.
func TestConfigRewritePersistence(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		dir := t.TempDir()
		conf := filepath.Join(dir, "redis.conf")
		if err := os.WriteFile(conf, []byte("# persistence test\nappendonly no\nsave \"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		a, err := openConf(t, mode, dir, conf, persist.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, kv := range [][2]string{{"appendonly", "yes"}, {"appendfsync", "always"}, {"save", "60 100 10 5000"},
			{"auto-aof-rewrite-percentage", "50"}, {"auto-aof-rewrite-min-size", "1mb"}, {"aof-use-rdb-preamble", "no"}} {
			if err := a.do("CONFIG", "SET", kv[0], kv[1]).Err(); err != nil {
				t.Fatalf("CONFIG SET %s: %v", kv[0], err)
			}
		}
		waitIdle(t, a) // the rewrite that turning the AOF on starts
		for _, k := range []string{"dir", "dbfilename"} {
			err := a.do("CONFIG", "SET", k, "x").Err()
			want := "ERR CONFIG SET failed (possibly related to argument '" + k + "') - can't set protected config"
			if err == nil || err.Error() != want {
				t.Errorf("CONFIG SET %s: %v", k, err)
			}
		}
		a.do("SET", "k", "v")
		if err := a.do("CONFIG", "REWRITE").Err(); err != nil {
			t.Fatalf("CONFIG REWRITE: %v", err)
		}
		data, _ := os.ReadFile(conf)
		for _, line := range []string{"appendonly yes", "appendfsync always", "save 60 100", "save 10 5000",
			"auto-aof-rewrite-percentage 50", "auto-aof-rewrite-min-size 1mb", "aof-use-rdb-preamble no"} {
			if !strings.Contains(string(data), "\n"+line+"\n") {
				t.Errorf("rewritten config lacks %q:\n%s", line, data)
			}
		}
		a.shutdown(false)

		b, err := openConf(t, mode, dir, conf, persist.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if v, err := b.do("GET", "k").Text(); err != nil || v != "v" {
			t.Fatalf("GET k after restart = %q %v", v, err)
		}
		info := b.client().Info(ctxT(t), "persistence").Val()
		if !strings.Contains(info, "aof_enabled:1") {
			t.Errorf("AOF not on after restart from the rewritten config:\n%s", info)
		}
		if v, _ := b.do("CONFIG", "GET", "appendfsync").StringSlice(); len(v) != 2 || v[1] != "always" {
			t.Errorf("appendfsync after restart = %v", v)
		}
	})
}
