package command_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

func TestExpireArity(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		for _, c := range [][]string{
			{"EXPIRE", "k"}, {"PEXPIRE", "k"}, {"EXPIREAT", "k"}, {"PEXPIREAT", "k"},
			{"TTL"}, {"TTL", "a", "b"}, {"PTTL"}, {"EXPIRETIME"}, {"PEXPIRETIME", "a", "b"},
			{"PERSIST"}, {"PERSIST", "a", "b"},
		} {
			kxExpect(t, r, "-ERR wrong number of arguments for '"+strings.ToLower(c[0])+"' command", c...)
		}
	})
}

func TestExpireBasics(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, ":0", "EXPIRE", "nokey", "100")
		kxExpect(t, r, "+OK", "SET", "x", "foobar")
		kxExpect(t, r, ":1", "EXPIRE", "x", "5")
		if v := r.Do("TTL", "x"); v.Int < 4 || v.Int > 5 {
			t.Errorf("TTL after EXPIRE 5: %s", kxFormat(v))
		}
		kxExpect(t, r, ":1", "EXPIRE", "x", "10")
		kxExpect(t, r, ":10", "TTL", "x")
		if v := r.Do("PTTL", "x"); v.Int < 9900 || v.Int > 10000 {
			t.Errorf("PTTL: %s", kxFormat(v))
		}
		kxExpect(t, r, "$foobar", "GET", "x")

		now := time.Now()
		kxExpect(t, r, ":1", "EXPIREAT", "x", strconv.FormatInt(now.Unix()+15, 10))
		if v := r.Do("TTL", "x"); v.Int < 13 || v.Int > 15 {
			t.Errorf("TTL after EXPIREAT: %s", kxFormat(v))
		}
		abs := now.Unix() + 100
		kxExpect(t, r, ":1", "EXPIREAT", "x", strconv.FormatInt(abs, 10))
		kxExpect(t, r, ":"+strconv.FormatInt(abs, 10), "EXPIRETIME", "x")
		kxExpect(t, r, ":"+strconv.FormatInt(abs*1000, 10), "PEXPIRETIME", "x")
		absMs := now.UnixMilli() + 100123
		kxExpect(t, r, ":1", "PEXPIREAT", "x", strconv.FormatInt(absMs, 10))
		kxExpect(t, r, ":"+strconv.FormatInt(absMs, 10), "PEXPIRETIME", "x")
		kxExpect(t, r, ":"+strconv.FormatInt((absMs+500)/1000, 10), "EXPIRETIME", "x")
		kxExpect(t, r, ":1", "PEXPIRE", "x", "100000")
		if v := r.Do("PTTL", "x"); v.Int < 99000 || v.Int > 100000 {
			t.Errorf("PTTL after PEXPIRE: %s", kxFormat(v))
		}

		// -1 without TTL, -2 without key.
		kxExpect(t, r, "+OK", "SET", "x", "hello")
		for _, c := range []string{"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"} {
			kxExpect(t, r, ":-1", c, "x")
			kxExpect(t, r, ":-2", c, "nokey")
		}

		// Sub-second expiry, lazily observed.
		kxExpect(t, r, ":1", "PEXPIRE", "x", "50")
		kxExpect(t, r, "$hello", "GET", "x")
		time.Sleep(80 * time.Millisecond)
		kxExpect(t, r, "$(nil)", "GET", "x")
		kxExpect(t, r, ":-2", "TTL", "x")
		kxExpect(t, r, ":0", "EXPIRE", "x", "10") // does not resurrect
		kxExpect(t, r, ":0", "EXISTS", "x")

		// Writing keeps (APPEND) or clears (SET) the TTL.
		kxExpect(t, r, "+OK", "SET", "y", "a")
		kxExpect(t, r, ":1", "EXPIRE", "y", "1000")
		kxExpect(t, r, ":2", "APPEND", "y", "b")
		kxExpect(t, r, ":1000", "TTL", "y")
		kxExpect(t, r, "+OK", "SET", "y", "c")
		kxExpect(t, r, ":-1", "TTL", "y")
	})
}

func TestExpireInThePastDeletes(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		for _, c := range [][]string{
			{"EXPIRE", "k", "-1"}, {"EXPIRE", "k", "0"}, {"PEXPIRE", "k", "-100"},
			{"EXPIREAT", "k", "1"}, {"PEXPIREAT", "k", "-9223372036854770000"},
			{"EXPIRE", "k", "-9223372036854775"},
		} {
			kxExpect(t, r, "+OK", "SET", "k", "v")
			kxExpect(t, r, ":1", c...)
			kxExpect(t, r, ":0", "EXISTS", "k")
			kxExpect(t, r, ":-2", "TTL", "k")
		}
		kxExpect(t, r, ":0", "EXPIRE", "k", "-1")
	})
}

func TestExpireOverflow(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "foo", "bar")
		for _, c := range [][]string{
			{"EXPIRE", "9223370399119966"}, {"EXPIRE", "9223372036854776"},
			{"EXPIRE", "10000000000000000"}, {"EXPIRE", "18446744073709561"},
			{"EXPIRE", "-9223372036854776"}, {"EXPIRE", "-9999999999999999"},
			{"EXPIRE", "9223372036854775807"}, {"EXPIRE", "-9223372036854775808"},
			{"PEXPIRE", "9223372036854770000"}, {"EXPIREAT", "9223372036854776"},
		} {
			want := "-ERR invalid expire time in '" + strings.ToLower(c[0]) + "' command"
			kxExpect(t, r, want, c[0], "foo", c[1])
			kxExpect(t, r, want, c[0], "nokey", c[1]) // checked before the lookup
		}
		kxExpect(t, r, ":-1", "TTL", "foo")
		for _, bad := range []string{"", "abc", "1.5", " 1", "9223372036854775808"} {
			kxExpect(t, r, "-ERR value is not an integer or out of range", "EXPIRE", "foo", bad)
			kxExpect(t, r, "-ERR value is not an integer or out of range", "PEXPIREAT", "nokey", bad)
		}

		// Huge absolute times are fine.
		kxExpect(t, r, ":1", "EXPIREAT", "foo", "9223372036854775")
		kxExpect(t, r, ":9223372036854775", "EXPIRETIME", "foo")
		kxExpect(t, r, ":1", "PEXPIREAT", "foo", "9223372036854775807")
		kxExpect(t, r, ":9223372036854775807", "PEXPIRETIME", "foo")
		kxExpect(t, r, ":9223372036854776", "EXPIRETIME", "foo")
		kxExpect(t, r, ":1", "PEXPIREAT", "foo", "9223372036854770000")
		kxExpect(t, r, ":1", "EXISTS", "foo")
	})
}

func TestExpireOptions(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		const nxConflict = "-ERR NX and XX, GT or LT options at the same time are not compatible"
		const gtlt = "-ERR GT and LT options at the same time are not compatible"
		kxExpect(t, r, "+OK", "SET", "foo", "bar")
		kxExpect(t, r, nxConflict, "EXPIRE", "foo", "200", "NX", "XX")
		kxExpect(t, r, nxConflict, "EXPIRE", "foo", "200", "nx", "gt")
		kxExpect(t, r, nxConflict, "PEXPIRE", "foo", "200", "NX", "LT")
		kxExpect(t, r, gtlt, "EXPIREAT", "foo", "200", "GT", "LT")
		kxExpect(t, r, gtlt, "PEXPIREAT", "foo", "200", "xx", "GT", "LT")
		kxExpect(t, r, "-ERR Unsupported option xx1", "EXPIRE", "foo", "200", "xx1")
		kxExpect(t, r, "-ERR Unsupported option ab", "EXPIRE", "foo", "200", "nx", "ab")
		// Options are checked before the time and the key.
		kxExpect(t, r, "-ERR Unsupported option foo", "EXPIRE", "nokey", "abc", "foo")
		kxExpect(t, r, nxConflict, "EXPIRE", "nokey", "abc", "nx", "xx")
		kxExpect(t, r, "-ERR Unsupported option x y", "EXPIRE", "foo", "1", "x y")
		kxExpect(t, r, "-ERR Unsupported option a  b", "EXPIRE", "foo", "1", "a\r\nb")

		// NX
		kxExpect(t, r, ":1", "EXPIRE", "foo", "100", "NX")
		kxExpect(t, r, ":0", "EXPIRE", "foo", "200", "NX")
		kxExpect(t, r, ":100", "TTL", "foo")
		kxExpect(t, r, ":1", "PERSIST", "foo")
		kxExpect(t, r, ":1", "EXPIRE", "foo", "200", "nx", "nx")
		kxExpect(t, r, ":1", "PERSIST", "foo")
		// XX
		kxExpect(t, r, ":0", "EXPIRE", "foo", "200", "XX")
		kxExpect(t, r, ":-1", "TTL", "foo")
		kxExpect(t, r, ":1", "EXPIRE", "foo", "100")
		kxExpect(t, r, ":1", "EXPIRE", "foo", "200", "XX")
		kxExpect(t, r, ":200", "TTL", "foo")
		// GT
		kxExpect(t, r, ":0", "EXPIRE", "foo", "100", "GT")
		kxExpect(t, r, ":200", "TTL", "foo")
		kxExpect(t, r, ":1", "EXPIRE", "foo", "300", "GT")
		kxExpect(t, r, ":300", "TTL", "foo")
		kxExpect(t, r, ":0", "EXPIRE", "foo", "299", "GT")
		kxExpect(t, r, ":0", "PEXPIREAT", "foo", "1", "GT")
		kxExpect(t, r, ":1", "PERSIST", "foo")
		kxExpect(t, r, ":0", "EXPIRE", "foo", "100", "GT") // no TTL = infinite
		kxExpect(t, r, ":-1", "TTL", "foo")
		// LT
		kxExpect(t, r, ":1", "EXPIRE", "foo", "100", "LT") // infinite is greater
		kxExpect(t, r, ":100", "TTL", "foo")
		kxExpect(t, r, ":0", "EXPIRE", "foo", "200", "LT")
		kxExpect(t, r, ":0", "EXPIRE", "foo", "100", "LT")
		kxExpect(t, r, ":1", "EXPIRE", "foo", "50", "LT")
		kxExpect(t, r, ":50", "TTL", "foo")
		// LT XX
		kxExpect(t, r, ":1", "EXPIRE", "foo", "40", "LT", "XX")
		kxExpect(t, r, ":40", "TTL", "foo")
		kxExpect(t, r, ":1", "PERSIST", "foo")
		kxExpect(t, r, ":0", "EXPIRE", "foo", "40", "LT", "XX")
		kxExpect(t, r, ":-1", "TTL", "foo")
		// GT XX on a key without TTL, and missing keys.
		kxExpect(t, r, ":0", "EXPIRE", "foo", "40", "GT", "XX")
		kxExpect(t, r, ":0", "EXPIRE", "nokey", "40", "NX")
		// A past time under a failing condition does not delete.
		kxExpect(t, r, ":1", "EXPIRE", "foo", "100")
		kxExpect(t, r, ":0", "EXPIRE", "foo", "-1", "GT")
		kxExpect(t, r, ":1", "EXISTS", "foo")
		kxExpect(t, r, ":1", "EXPIRE", "foo", "-1", "LT")
		kxExpect(t, r, ":0", "EXISTS", "foo")
	})
}

func TestPersist(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, ":0", "PERSIST", "nokeyatall")
		kxExpect(t, r, "+OK", "SET", "x", "foo")
		kxExpect(t, r, ":0", "PERSIST", "x")
		kxExpect(t, r, ":1", "EXPIRE", "x", "50")
		kxExpect(t, r, ":50", "TTL", "x")
		kxExpect(t, r, ":1", "PERSIST", "x")
		kxExpect(t, r, ":-1", "TTL", "x")
		kxExpect(t, r, "$foo", "GET", "x")
		kxExpect(t, r, ":1", "PEXPIRE", "x", "10")
		time.Sleep(30 * time.Millisecond)
		kxExpect(t, r, ":0", "PERSIST", "x")
	})
}

// TestActiveExpiry checks that the cron reclaims volatile keys nobody
// reads: DBSIZE, which counts keys without expiring them, drops to the
// number of persistent keys.
func TestActiveExpiry(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "keep", "v")
		var cmds strings.Builder
		const n = 300
		for i := 0; i < n; i++ {
			k := "vol:" + strconv.Itoa(i)
			cmds.WriteString(servertest.Encode("SET", k, "v"))
			cmds.WriteString(servertest.Encode("PEXPIRE", k, "100"))
		}
		r.Send(cmds.String())
		for i := 0; i < 2*n; i++ {
			r.Read()
		}
		kxExpect(t, r, ":301", "DBSIZE")
		deadline := time.Now().Add(5 * time.Second)
		for {
			s.Srv.Lock()
			size := s.Srv.Core().KS.DB(0).Len()
			s.Srv.Unlock()
			if size == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("volatile keys not reclaimed: %d keys left", size)
			}
			time.Sleep(50 * time.Millisecond)
		}
		kxExpect(t, r, ":1", "DBSIZE")
		kxExpect(t, r, "$v", "GET", "keep")
	})
}

// kxFeed records the replication/AOF stream of a server.
type kxFeed struct{ cmds []string }

func (f *kxFeed) Feed(db int, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	f.cmds = append(f.cmds, strconv.Itoa(db)+" "+strings.Join(parts, " "))
}

// TestExpirePropagation checks what the expire and key commands log:
// relative TTLs as absolute PEXPIREAT, a TTL in the past as DEL, nothing
// for a command that changed nothing.
func TestExpirePropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		feed := &kxFeed{}
		s.Srv.Lock()
		s.Srv.Core().AddFeed(feed)
		s.Srv.Unlock()
		r := s.Raw()
		kxExpect(t, r, "+OK", "SET", "k", "v")
		before := time.Now().UnixMilli()
		kxExpect(t, r, ":1", "EXPIRE", "k", "100", "NX")
		kxExpect(t, r, ":1", "pexpire", "k", "200000")
		kxExpect(t, r, ":1", "EXPIREAT", "k", "4000000000")
		kxExpect(t, r, ":1", "pexpireat", "k", "4000000000123", "gt")
		kxExpect(t, r, ":0", "EXPIRE", "k", "100", "NX")
		kxExpect(t, r, ":0", "EXPIRE", "nokey", "100")
		kxExpect(t, r, ":1", "PERSIST", "k")
		kxExpect(t, r, ":0", "PERSIST", "k")
		kxExpect(t, r, ":1", "EXPIRE", "k", "-5")
		kxExpect(t, r, "+OK", "SET", "k", "v")
		kxExpect(t, r, ":1", "PEXPIREAT", "k", "1")
		kxExpect(t, r, "+OK", "SET", "a", "v")
		kxExpect(t, r, ":0", "DEL", "nokey")
		kxExpect(t, r, ":1", "DEL", "a", "nokey")
		kxExpect(t, r, ":0", "COPY", "nokey", "b")
		kxExpect(t, r, "+OK", "SET", "a", "v")
		kxExpect(t, r, ":1", "COPY", "a", "b")
		kxExpect(t, r, "+OK", "RENAME", "b", "c")
		kxExpect(t, r, ":1", "MOVE", "c", "3")
		after := time.Now().UnixMilli()

		s.Srv.Lock()
		got := append([]string(nil), feed.cmds...)
		s.Srv.Unlock()
		want := []string{
			"0 SET k v",
			"0 PEXPIREAT k ~100000 NX",
			"0 PEXPIREAT k ~200000",
			"0 PEXPIREAT k 4000000000000",
			"0 pexpireat k 4000000000123 gt",
			"0 PERSIST k",
			"0 DEL k",
			"0 SET k v",
			"0 DEL k",
			"0 SET a v",
			"0 DEL a nokey",
			"0 SET a v",
			"0 COPY a b",
			"0 RENAME b c",
			"0 MOVE c 3",
		}
		if len(got) != len(want) {
			t.Fatalf("propagated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for i := range want {
			w, g := want[i], got[i]
			if j := strings.Index(w, "~"); j >= 0 {
				// Relative: the absolute time must be within the window.
				rel, _ := strconv.ParseInt(strings.Fields(w[j+1:])[0], 10, 64)
				gf, wf := strings.Fields(g), strings.Fields(w)
				abs, err := strconv.ParseInt(gf[3], 10, 64)
				if err != nil || len(gf) != len(wf) || strings.Join(gf[:3], " ") != strings.Join(wf[:3], " ") ||
					abs < before+rel || abs > after+rel || strings.Join(gf[4:], " ") != strings.Join(wf[4:], " ") {
					t.Errorf("propagated %q, want %q", g, w)
				}
				continue
			}
			if g != w {
				t.Errorf("propagated %q, want %q", g, w)
			}
		}
	})
}
