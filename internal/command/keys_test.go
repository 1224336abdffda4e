package command_test

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// kxFormat renders a reply with its type, so that tests tell a status from
// a bulk string: "+OK", "$foo", "$(nil)", ":1", "-ERR …", "[a b]".
func kxFormat(v resp.Value) string {
	switch v.Type {
	case '+', '-':
		return string(v.Type) + v.Str
	case ':':
		return ":" + strconv.FormatInt(v.Int, 10)
	case '$':
		if v.Null {
			return "$(nil)"
		}
		return "$" + v.Str
	case '*':
		if v.Null {
			return "*(nil)"
		}
		parts := make([]string, len(v.Array))
		for i, e := range v.Array {
			parts[i] = kxFormat(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return v.String()
}

// kxExpect sends args on r and checks the reply's rendering.
func kxExpect(t *testing.T, r *servertest.Raw, want string, args ...string) {
	t.Helper()
	if got := kxFormat(r.Do(args...)); got != want {
		shown := make([]string, len(args))
		for i, a := range args {
			if len(a) > 60 {
				a = a[:60] + "…"
			}
			shown[i] = a
		}
		if len(got) > 200 {
			got = got[:200] + "…"
		}
		t.Errorf("%q: got %s, want %s", shown, got, want)
	}
}

// kxStrings returns the elements of an array reply, sorted.
func kxStrings(t *testing.T, v resp.Value) []string {
	t.Helper()
	if v.Type != '*' {
		t.Fatalf("want array, got %s", kxFormat(v))
	}
	out := make([]string, len(v.Array))
	for i, e := range v.Array {
		out[i] = e.Str
	}
	sort.Strings(out)
	return out
}

// kxScanStep runs one SCAN call and returns the next cursor and the keys.
func kxScanStep(t *testing.T, r *servertest.Raw, args ...string) (string, []string) {
	t.Helper()
	v := r.Do(append([]string{"SCAN"}, args...)...)
	if v.Type != '*' || len(v.Array) != 2 || v.Array[0].Type != '$' || v.Array[1].Type != '*' {
		t.Fatalf("SCAN %q: bad reply %s", args, kxFormat(v))
	}
	keys := make([]string, len(v.Array[1].Array))
	for i, e := range v.Array[1].Array {
		keys[i] = e.Str
	}
	return v.Array[0].Str, keys
}

func TestKeysArity(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		for _, c := range [][]string{
			{"DEL"}, {"UNLINK"}, {"EXISTS"}, {"TYPE"}, {"TYPE", "a", "b"},
			{"RENAME", "a"}, {"RENAME", "a", "b", "c"}, {"RENAMENX", "a"},
			{"KEYS"}, {"KEYS", "a", "b"}, {"SCAN"}, {"RANDOMKEY", "x"}, {"TOUCH"},
			{"COPY", "a"}, {"MOVE", "a"}, {"MOVE", "a", "1", "2"}, {"OBJECT"},
		} {
			kxExpect(t, r, "-ERR wrong number of arguments for '"+strings.ToLower(c[0])+"' command", c...)
		}
		for _, c := range [][]string{
			{"OBJECT", "ENCODING"}, {"OBJECT", "encoding", "k", "x"}, {"OBJECT", "FREQ"},
			{"OBJECT", "IDLETIME"}, {"OBJECT", "REFCOUNT", "a", "b"}, {"OBJECT", "HELP", "x"},
		} {
			kxExpect(t, r, "-ERR wrong number of arguments for 'object|"+strings.ToLower(c[1])+"' command", c...)
		}
		kxExpect(t, r, "-ERR unknown subcommand 'foo'. Try OBJECT HELP.", "OBJECT", "foo", "k")
	})
}

func TestDelUnlinkExistsType(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		for _, k := range []string{"a", "b", "c"} {
			kxExpect(t, r, "+OK", "SET", k, "v")
		}
		kxExpect(t, r, ":4", "EXISTS", "a", "a", "b", "c", "nokey")
		kxExpect(t, r, ":0", "EXISTS", "nokey")
		kxExpect(t, r, "+string", "TYPE", "a")
		kxExpect(t, r, "+none", "TYPE", "nokey")
		kxExpect(t, r, ":2", "DEL", "a", "b", "a", "nokey")
		kxExpect(t, r, ":0", "EXISTS", "a", "b")
		kxExpect(t, r, ":1", "UNLINK", "c", "c")
		kxExpect(t, r, ":0", "DEL", "c")
		kxExpect(t, r, "$(nil)", "GET", "c")

		// An expired key is neither counted nor deleted twice.
		kxExpect(t, r, "+OK", "SET", "e", "v")
		kxExpect(t, r, ":1", "PEXPIRE", "e", "20")
		time.Sleep(40 * time.Millisecond)
		kxExpect(t, r, ":0", "EXISTS", "e")
		kxExpect(t, r, "+none", "TYPE", "e")
		kxExpect(t, r, "+OK", "SET", "e", "v")
		kxExpect(t, r, ":1", "PEXPIRE", "e", "20")
		time.Sleep(40 * time.Millisecond)
		kxExpect(t, r, ":0", "DEL", "e")
	})
}

func TestRename(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "-ERR no such key", "RENAME", "nokey", "x")
		kxExpect(t, r, "-ERR no such key", "RENAMENX", "nokey", "x")
		kxExpect(t, r, "-ERR no such key", "RENAME", "nokey", "nokey")
		kxExpect(t, r, "-ERR no such key", "RENAMENX", "nokey", "nokey")

		kxExpect(t, r, "+OK", "SET", "a", "hello")
		kxExpect(t, r, "+OK", "RENAME", "a", "a")
		kxExpect(t, r, ":0", "RENAMENX", "a", "a")
		kxExpect(t, r, "$hello", "GET", "a")

		kxExpect(t, r, "+OK", "RENAME", "a", "b")
		kxExpect(t, r, ":0", "EXISTS", "a")
		kxExpect(t, r, "$hello", "GET", "b")

		// Overwrite an existing key; its TTL must not survive.
		kxExpect(t, r, "+OK", "SET", "c", "old")
		kxExpect(t, r, ":1", "EXPIRE", "c", "100")
		kxExpect(t, r, "+OK", "RENAME", "b", "c")
		kxExpect(t, r, "$hello", "GET", "c")
		kxExpect(t, r, ":-1", "TTL", "c")

		// The source's TTL moves along.
		kxExpect(t, r, ":1", "EXPIRE", "c", "100")
		kxExpect(t, r, "+OK", "RENAME", "c", "d")
		if v := r.Do("TTL", "d"); v.Int < 99 || v.Int > 100 {
			t.Errorf("TTL after RENAME: %s", kxFormat(v))
		}

		kxExpect(t, r, "+OK", "SET", "e", "x")
		kxExpect(t, r, ":0", "RENAMENX", "d", "e")
		kxExpect(t, r, "$hello", "GET", "d")
		kxExpect(t, r, "$x", "GET", "e")
		kxExpect(t, r, ":1", "RENAMENX", "d", "f")
		kxExpect(t, r, ":0", "EXISTS", "d")
		kxExpect(t, r, "$hello", "GET", "f")
		if v := r.Do("TTL", "f"); v.Int < 99 || v.Int > 100 {
			t.Errorf("TTL after RENAMENX: %s", kxFormat(v))
		}

		// An expired source does not exist.
		kxExpect(t, r, "+OK", "SET", "g", "x")
		kxExpect(t, r, ":1", "PEXPIRE", "g", "10")
		time.Sleep(30 * time.Millisecond)
		kxExpect(t, r, "-ERR no such key", "RENAME", "g", "h")
	})
}

func TestKeys(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "[]", "KEYS", "*")
		for _, k := range []string{"key_x", "key_y", "key_z", "foo_a", "foo_b", "foo_c"} {
			kxExpect(t, r, "+OK", "SET", k, "hello")
		}
		if got := kxStrings(t, r.Do("KEYS", "foo*")); fmt.Sprint(got) != "[foo_a foo_b foo_c]" {
			t.Errorf("KEYS foo*: %v", got)
		}
		if got := kxStrings(t, r.Do("KEYS", "*")); fmt.Sprint(got) != "[foo_a foo_b foo_c key_x key_y key_z]" {
			t.Errorf("KEYS *: %v", got)
		}
		if got := kxStrings(t, r.Do("KEYS", "key_[xy]")); fmt.Sprint(got) != "[key_x key_y]" {
			t.Errorf("KEYS key_[xy]: %v", got)
		}
		kxExpect(t, r, "[]", "KEYS", "KEY*") // case-sensitive

		// Expired keys are not listed.
		kxExpect(t, r, ":1", "PEXPIRE", "key_x", "10")
		time.Sleep(30 * time.Millisecond)
		if got := kxStrings(t, r.Do("KEYS", "key*")); fmt.Sprint(got) != "[key_y key_z]" {
			t.Errorf("KEYS key* after expiry: %v", got)
		}
	})
}

// TestKeysNestedPattern is CVE-2022-36021: a pattern of many stars against
// a long key must fail fast instead of backtracking exponentially.
func TestKeysNestedPattern(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", strings.Repeat("a", 40), "1")
		start := time.Now()
		kxExpect(t, r, "[]", "KEYS", "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")
		if d := time.Since(start); d > time.Second {
			t.Errorf("KEYS with nested stars took %v", d)
		}
		kxExpect(t, r, "+OK", "FLUSHDB")
		kxExpect(t, r, "+OK", "SET", strings.Repeat("a", 50000), "1")
		start = time.Now()
		kxExpect(t, r, "[]", "KEYS", strings.Repeat("*?", 50000))
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("KEYS with 50000 nested stars took %v", d)
		}
	})
}

func TestScanBasics(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "[$0 []]", "SCAN", "0")
		for i := 0; i < 1000; i++ {
			kxExpect(t, r, "+OK", "SET", "key:"+strconv.Itoa(i), "v")
		}
		for _, count := range []string{"", "1", "5", "100", "10000"} {
			seen := map[string]bool{}
			cur, calls := "0", 0
			for {
				args := []string{cur}
				if count != "" {
					args = append(args, "COUNT", count)
				}
				var keys []string
				cur, keys = kxScanStep(t, r, args...)
				calls++
				for _, k := range keys {
					seen[k] = true
				}
				if cur == "0" {
					break
				}
				if calls > 10000 {
					t.Fatal("SCAN does not terminate")
				}
			}
			if len(seen) != 1000 {
				t.Errorf("COUNT %q: saw %d keys, want 1000", count, len(seen))
			}
			if count == "10000" && calls != 1 {
				t.Errorf("COUNT 10000 took %d calls", calls)
			}
		}

		// MATCH filters after collecting.
		seen := map[string]bool{}
		for cur := "0"; ; {
			var keys []string
			cur, keys = kxScanStep(t, r, cur, "MATCH", "key:1??", "COUNT", "100")
			for _, k := range keys {
				if !strings.HasPrefix(k, "key:1") || len(k) != 7 {
					t.Errorf("MATCH key:1?? returned %q", k)
				}
				seen[k] = true
			}
			if cur == "0" {
				break
			}
		}
		if len(seen) != 100 {
			t.Errorf("MATCH key:1??: %d keys, want 100", len(seen))
		}
	})
}

func TestScanTypeAndOptions(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "k", "v")
		kxExpect(t, r, "[$0 [$k]]", "SCAN", "0", "TYPE", "string")
		kxExpect(t, r, "[$0 [$k]]", "SCAN", "0", "type", "STRING")
		kxExpect(t, r, "[$0 []]", "SCAN", "0", "TYPE", "list")
		kxExpect(t, r, "[$0 []]", "SCAN", "0", "TYPE", "foo")
		kxExpect(t, r, "[$0 []]", "SCAN", "0", "TYPE", "string", "MATCH", "*", "COUNT", "5", "type", "hash")
		kxExpect(t, r, "[$0 [$k]]", "SCAN", "0", "match", "k*", "count", "9223372036854775807")
		kxExpect(t, r, "[$0 []]", "SCAN", "0", "MATCH", "x*")

		// Cursor syntax follows strtoul.
		kxExpect(t, r, "[$0 [$k]]", "SCAN", "")
		kxExpect(t, r, "[$0 [$k]]", "SCAN", "+0")
		if v := r.Do("SCAN", "-18446744073709551615"); v.Type != '*' { // wraps to 1
			t.Errorf("SCAN with a negative cursor: %s", kxFormat(v))
		}
		for _, bad := range []string{"abc", " 1", "1x", "-", "+", "18446744073709551616", "0x10", "1 "} {
			kxExpect(t, r, "-ERR invalid cursor", "SCAN", bad)
		}
		if v := r.Do("SCAN", "18446744073709551615"); v.Type != '*' {
			t.Errorf("SCAN with the largest cursor: %s", kxFormat(v))
		}

		// Option errors.
		kxExpect(t, r, "-ERR syntax error", "SCAN", "0", "COUNT", "0")
		kxExpect(t, r, "-ERR syntax error", "SCAN", "0", "COUNT", "-1")
		kxExpect(t, r, "-ERR value is not an integer or out of range", "SCAN", "0", "COUNT", "abc")
		kxExpect(t, r, "-ERR value is not an integer or out of range", "SCAN", "0", "COUNT", "9223372036854775808")
		kxExpect(t, r, "-ERR syntax error", "SCAN", "0", "COUNT")
		kxExpect(t, r, "-ERR syntax error", "SCAN", "0", "MATCH")
		kxExpect(t, r, "-ERR syntax error", "SCAN", "0", "TYPE")
		kxExpect(t, r, "-ERR syntax error", "SCAN", "0", "foo", "bar")
		kxExpect(t, r, "-ERR invalid cursor", "SCAN", "x", "foo", "bar")

		// Expired keys are dropped from the reply.
		kxExpect(t, r, ":1", "PEXPIRE", "k", "10")
		time.Sleep(30 * time.Millisecond)
		kxExpect(t, r, "[$0 []]", "SCAN", "0")
	})
}

// TestScanGuarantee checks SCAN's promise: every key present from the
// start to the end of a full iteration is returned at least once, while
// other keys are added and removed between calls (growing and shrinking
// the table through several resizes).
func TestScanGuarantee(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		w := s.Raw()
		const stable = 500
		for i := 0; i < stable; i++ {
			kxExpect(t, r, "+OK", "SET", "stable:"+strconv.Itoa(i), "v")
		}
		for round, count := range []string{"1", "7", "50"} {
			seen := map[string]bool{}
			next := 0
			cur := "0"
			for step := 0; ; step++ {
				var keys []string
				cur, keys = kxScanStep(t, r, cur, "COUNT", count)
				for _, k := range keys {
					seen[k] = true
				}
				if cur == "0" {
					break
				}
				if step > 100000 {
					t.Fatal("SCAN does not terminate")
				}
				// Grow for a while, then shrink: insert a batch of
				// volatile keys, delete an older batch.
				var cmds strings.Builder
				n := 0
				if step%40 < 25 {
					for j := 0; j < 40; j++ {
						cmds.WriteString(servertest.Encode("SET", fmt.Sprintf("vol:%d:%d", round, next), "x"))
						next++
						n++
					}
				} else {
					for j := 0; j < 60 && next > 0; j++ {
						next--
						cmds.WriteString(servertest.Encode("DEL", fmt.Sprintf("vol:%d:%d", round, next)))
						n++
					}
				}
				w.Send(cmds.String())
				for j := 0; j < n; j++ {
					w.Read()
				}
			}
			for i := 0; i < stable; i++ {
				if k := "stable:" + strconv.Itoa(i); !seen[k] {
					t.Errorf("COUNT %s: key %s present for the whole scan was not returned", count, k)
				}
			}
		}
	})
}

// TestScanConcurrent runs a writer goroutine that keeps inserting and
// deleting keys while a full SCAN runs, and checks the guarantee.
func TestScanConcurrent(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		const stable = 2000
		var cmds strings.Builder
		for i := 0; i < stable; i++ {
			cmds.WriteString(servertest.Encode("SET", "s:"+strconv.Itoa(i), "v"))
		}
		r.Send(cmds.String())
		for i := 0; i < stable; i++ {
			r.Read()
		}
		c := s.Client()
		ctx := servertest.Ctx(t)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := "t:" + strconv.Itoa(i%5000)
				if i%3 == 2 {
					c.Del(ctx, k)
				} else {
					c.Set(ctx, k, "x", 0)
				}
			}
		}()
		seen := map[string]bool{}
		for cur := "0"; ; {
			var keys []string
			cur, keys = kxScanStep(t, r, cur, "COUNT", "3")
			for _, k := range keys {
				seen[k] = true
			}
			if cur == "0" {
				break
			}
		}
		close(stop)
		wg.Wait()
		for i := 0; i < stable; i++ {
			if k := "s:" + strconv.Itoa(i); !seen[k] {
				t.Fatalf("key %s missed by SCAN under concurrent writes", k)
			}
		}
	})
}

func TestRandomKey(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "$(nil)", "RANDOMKEY")
		kxExpect(t, r, "+OK", "SET", "x", "10")
		kxExpect(t, r, ":1", "DEL", "x")
		kxExpect(t, r, "$(nil)", "RANDOMKEY")
		kxExpect(t, r, "+OK", "SET", "foo", "x")
		kxExpect(t, r, "+OK", "SET", "bar", "y")
		seen := map[string]bool{}
		for i := 0; i < 200; i++ {
			seen[r.Do("RANDOMKEY").Str] = true
		}
		if !seen["foo"] || !seen["bar"] || len(seen) != 2 {
			t.Errorf("RANDOMKEY saw %v", seen)
		}
		// Only expired keys: they are removed and the reply is null.
		kxExpect(t, r, ":2", "DEL", "foo", "bar")
		for i := 0; i < 5; i++ {
			kxExpect(t, r, "+OK", "SET", "e"+strconv.Itoa(i), "v")
			kxExpect(t, r, ":1", "PEXPIRE", "e"+strconv.Itoa(i), "10")
		}
		time.Sleep(30 * time.Millisecond)
		kxExpect(t, r, "$(nil)", "RANDOMKEY")
	})
}

func TestTouchAndIdletime(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "a", "v")
		kxExpect(t, r, "+OK", "SET", "b", "v")
		if v := r.Do("OBJECT", "IDLETIME", "a"); v.Type != ':' || v.Int > 1 {
			t.Errorf("IDLETIME of a new key: %s", kxFormat(v))
		}
		time.Sleep(2100 * time.Millisecond)
		if v := r.Do("OBJECT", "IDLETIME", "a"); v.Type != ':' || v.Int < 2 || v.Int > 3 {
			t.Errorf("IDLETIME after 2.1s: %s", kxFormat(v))
		}
		// EXISTS, TYPE, TTL and OBJECT do not touch; TOUCH does.
		r.Do("EXISTS", "a")
		r.Do("TYPE", "a")
		r.Do("TTL", "a")
		if v := r.Do("OBJECT", "IDLETIME", "a"); v.Int < 2 {
			t.Errorf("IDLETIME after non-touching reads: %s", kxFormat(v))
		}
		kxExpect(t, r, ":2", "TOUCH", "a", "b", "nokey")
		// Idle time is counted on a one-second clock: just touched is 0,
		// or 1 when a second boundary fell in between.
		for _, k := range []string{"a", "b"} {
			if v := r.Do("OBJECT", "IDLETIME", k); v.Type != ':' || v.Int > 1 {
				t.Errorf("IDLETIME %s after TOUCH: %s", k, kxFormat(v))
			}
		}
	})
}

func TestCopy(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "k", "foobar")
		kxExpect(t, r, "-ERR source and destination objects are the same", "COPY", "k", "k")
		kxExpect(t, r, "-ERR source and destination objects are the same", "COPY", "k", "k", "DB", "0")
		kxExpect(t, r, "-ERR DB index is out of range", "COPY", "k", "k", "db", "16")
		kxExpect(t, r, "-ERR DB index is out of range", "COPY", "k", "k", "db", "-1")
		kxExpect(t, r, "-ERR value is not an integer or out of range", "COPY", "k", "k2", "DB", "notanumber")
		kxExpect(t, r, "-ERR value is out of range, value must between -2147483648 and 2147483647", "COPY", "k", "k2", "DB", "4294967296")
		kxExpect(t, r, "-ERR syntax error", "COPY", "k", "k2", "DB")
		kxExpect(t, r, "-ERR syntax error", "COPY", "k", "k2", "foo")
		kxExpect(t, r, ":0", "COPY", "nokey", "k2")
		kxExpect(t, r, ":0", "EXISTS", "k2")

		kxExpect(t, r, ":1", "COPY", "k", "k2")
		kxExpect(t, r, "$foobar", "GET", "k2")
		kxExpect(t, r, ":-1", "TTL", "k2")
		kxExpect(t, r, ":0", "COPY", "k", "k2")
		kxExpect(t, r, "+OK", "SET", "k", "new")
		kxExpect(t, r, ":1", "COPY", "k", "k2", "REPLACE", "replace")
		kxExpect(t, r, "$new", "GET", "k2")

		// Data is independent of the source.
		kxExpect(t, r, ":6", "APPEND", "k2", "abc")
		kxExpect(t, r, "$new", "GET", "k")
		kxExpect(t, r, "$newabc", "GET", "k2")

		// TTL metadata is copied, and not invented.
		kxExpect(t, r, ":1", "EXPIRE", "k", "100")
		kxExpect(t, r, ":1", "COPY", "k", "k3")
		if v := r.Do("TTL", "k3"); v.Int < 99 || v.Int > 100 {
			t.Errorf("TTL of copy: %s", kxFormat(v))
		}
		kxExpect(t, r, ":1", "PERSIST", "k")
		kxExpect(t, r, ":1", "COPY", "k", "k3", "REPLACE")
		kxExpect(t, r, ":-1", "TTL", "k3")

		// Across databases.
		kxExpect(t, r, ":1", "COPY", "k", "k", "DB", "10")
		kxExpect(t, r, ":0", "COPY", "k", "k", "DB", "10")
		kxExpect(t, r, ":1", "COPY", "k3", "k", "REPLACE", "DB", "10")
		kxExpect(t, r, "+OK", "SELECT", "10")
		kxExpect(t, r, "$new", "GET", "k")
		kxExpect(t, r, ":1", "DBSIZE")
		kxExpect(t, r, "+OK", "SELECT", "0")
		kxExpect(t, r, "$new", "GET", "k")
	})
}

func TestMove(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "k", "v")
		kxExpect(t, r, "-ERR source and destination objects are the same", "MOVE", "k", "0")
		kxExpect(t, r, "-ERR DB index is out of range", "MOVE", "k", "16")
		kxExpect(t, r, "-ERR DB index is out of range", "MOVE", "k", "-1")
		kxExpect(t, r, "-ERR value is not an integer or out of range", "MOVE", "k", "abc")
		kxExpect(t, r, "-ERR value is out of range, value must between -2147483648 and 2147483647", "MOVE", "k", "4294967296")
		kxExpect(t, r, ":0", "MOVE", "nokey", "1")

		kxExpect(t, r, ":1", "EXPIRE", "k", "100")
		kxExpect(t, r, ":1", "MOVE", "k", "1")
		kxExpect(t, r, ":-2", "TTL", "k")
		kxExpect(t, r, "+OK", "SET", "k", "other")
		kxExpect(t, r, "+OK", "SELECT", "1")
		kxExpect(t, r, "$v", "GET", "k")
		if v := r.Do("TTL", "k"); v.Int < 99 || v.Int > 100 {
			t.Errorf("TTL after MOVE: %s", kxFormat(v))
		}
		kxExpect(t, r, ":0", "MOVE", "k", "0") // exists in the target
		kxExpect(t, r, "$v", "GET", "k")
		kxExpect(t, r, "+OK", "SET", "p", "v")
		kxExpect(t, r, ":1", "MOVE", "p", "2")
		kxExpect(t, r, "+OK", "SELECT", "2")
		kxExpect(t, r, ":-1", "TTL", "p")
	})
}

func TestObject(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		for _, c := range []struct{ val, enc string }{
			{"1", "int"}, {"100000", "int"}, {"-9223372036854775808", "int"},
			{"9223372036854775807", "int"}, {"9223372036854775808", "embstr"},
			{"0123", "embstr"}, {" 12", "embstr"}, {"-0", "embstr"}, {"+1", "embstr"},
			{"v", "embstr"}, {"", "embstr"}, {strings.Repeat("x", 44), "embstr"},
			{strings.Repeat("x", 45), "raw"},
		} {
			kxExpect(t, r, "+OK", "SET", "k", c.val)
			kxExpect(t, r, "$"+c.enc, "OBJECT", "ENCODING", "k")
		}
		for _, c := range []struct{ val, rc string }{
			{"0", ":2147483647"}, {"9999", ":2147483647"}, {"10000", ":1"},
			{"-1", ":1"}, {"01", ":1"}, {"v", ":1"},
		} {
			kxExpect(t, r, "+OK", "SET", "k", c.val)
			kxExpect(t, r, c.rc, "OBJECT", "REFCOUNT", "k")
		}
		for _, sub := range []string{"ENCODING", "REFCOUNT", "IDLETIME", "FREQ"} {
			kxExpect(t, r, "$(nil)", "OBJECT", sub, "nokey")
		}
		kxExpect(t, r, "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.", "OBJECT", "FREQ", "k")

		v := r.Do("object", "help")
		if v.Type != '*' || len(v.Array) != 15 {
			t.Fatalf("OBJECT HELP: %s", kxFormat(v))
		}
		if v.Array[0].Type != '+' || v.Array[0].Str != "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" {
			t.Errorf("OBJECT HELP header: %s", kxFormat(v.Array[0]))
		}
		if v.Array[13].Str != "HELP" || v.Array[14].Str != "    Prints this help." || v.Array[1].Str != "ENCODING <key>" {
			t.Errorf("OBJECT HELP: %s", kxFormat(v))
		}
	})
}

func TestObjectLFU(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "k", "1")
		kxExpect(t, r, ":5", "OBJECT", "FREQ", "k")
		kxExpect(t, r, "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.", "OBJECT", "IDLETIME", "k")
		kxExpect(t, r, ":1", "OBJECT", "REFCOUNT", "k") // no shared integers under LFU with maxmemory
	}, "--maxmemory-policy", "allkeys-lfu", "--maxmemory", "1gb")
}
