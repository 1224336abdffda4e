package command_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/rueidis"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestRueidisClientSideCaching runs rueidis with its default options
// (RESP3, CLIENT TRACKING ON OPTIN, CLIENT CACHING YES inside MULTI before
// each cached read) against the server: cached reads hit the local cache
// until another client writes the key, whose invalidation push evicts it.
func TestRueidisClientSideCaching(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		c, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: []string{s.Addr}})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		other := s.Client()

		if err := other.Set(ctx, "k", "v1", 0).Err(); err != nil {
			t.Fatal(err)
		}
		get := func() (string, bool) {
			t.Helper()
			r := c.DoCache(ctx, c.B().Get().Key("k").Cache(), time.Minute)
			v, err := r.ToString()
			if err != nil {
				t.Fatalf("DoCache GET: %v", err)
			}
			return v, r.IsCacheHit()
		}
		if v, hit := get(); v != "v1" || hit {
			t.Fatalf("first read %q hit=%v, want v1 from the server", v, hit)
		}
		if v, hit := get(); v != "v1" || !hit {
			t.Fatalf("second read %q hit=%v, want v1 from the cache", v, hit)
		}
		if err := other.Set(ctx, "k", "v2", 0).Err(); err != nil {
			t.Fatal(err)
		}
		// The invalidation is pushed asynchronously: wait for the cache to
		// drop the key.
		deadline := time.Now().Add(5 * time.Second)
		for {
			v, hit := get()
			if v == "v2" && !hit {
				break
			}
			if !hit || time.Now().After(deadline) {
				t.Fatalf("after the write: %q hit=%v, want v2 from the server", v, hit)
			}
			time.Sleep(10 * time.Millisecond)
		}

		// A hash and several keys at once.
		other.HSet(ctx, "h", "f", "1")
		other.MSet(ctx, "a", "1", "b", "2")
		for i := 0; i < 2; i++ {
			r := c.DoCache(ctx, c.B().Hgetall().Key("h").Cache(), time.Minute)
			m, err := r.AsStrMap()
			if err != nil || m["f"] != "1" || r.IsCacheHit() != (i == 1) {
				t.Fatalf("HGETALL #%d: %v %v hit=%v", i, m, err, r.IsCacheHit())
			}
		}
		multi := func() []rueidis.RedisResult {
			return c.DoMultiCache(ctx,
				rueidis.CT(c.B().Get().Key("a").Cache(), time.Minute),
				rueidis.CT(c.B().Get().Key("b").Cache(), time.Minute))
		}
		multi()
		res := multi()
		for i, r := range res {
			if !r.IsCacheHit() {
				t.Fatalf("DoMultiCache #%d not cached", i)
			}
		}
		other.Del(ctx, "a")
		deadline = time.Now().Add(5 * time.Second)
		for {
			res := multi()
			if res[0].IsCacheHit() {
				if time.Now().After(deadline) {
					t.Fatal("deleted key still cached")
				}
				time.Sleep(10 * time.Millisecond)
				continue
			}
			if !rueidis.IsRedisNil(res[0].Error()) {
				t.Fatalf("deleted key: %v", res[0].Error())
			}
			break
		}

		// FLUSHALL invalidates everything (null invalidation).
		other.FlushAll(ctx)
		deadline = time.Now().Add(5 * time.Second)
		for {
			r := c.DoCache(ctx, c.B().Hgetall().Key("h").Cache(), time.Minute)
			if !r.IsCacheHit() {
				if m, _ := r.AsStrMap(); len(m) != 0 {
					t.Fatalf("hash after FLUSHALL: %v", m)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("hash still cached after FLUSHALL")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}
