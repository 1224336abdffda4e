package command_test

import (
	"bufio"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// lsReadRaw reads one whole reply from r and returns its exact bytes.
func lsReadRaw(t testing.TB, r *bufio.Reader) string {
	t.Helper()
	s, err := resp.ReadRawReply(r)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, s)
	}
	return s
}

// lsConn is a raw connection that checks exact reply bytes.
type lsConn struct {
	t *testing.T
	r *servertest.Raw
}

func lsDial(t *testing.T, s *servertest.Server) *lsConn { return &lsConn{t: t, r: s.Raw()} }

// do sends args and returns the exact reply.
func (c *lsConn) do(args ...string) string {
	c.t.Helper()
	c.r.Send(servertest.Encode(args...))
	return c.read(5 * time.Second)
}

// send sends args without reading.
func (c *lsConn) send(args ...string) {
	c.t.Helper()
	c.r.Send(servertest.Encode(args...))
}

// read reads one reply within d.
func (c *lsConn) read(d time.Duration) string {
	c.t.Helper()
	_ = c.r.Conn.SetReadDeadline(time.Now().Add(d))
	return lsReadRaw(c.t, c.r.R)
}

// expect checks args' reply; want uses "|" for CRLF.
func (c *lsConn) expect(want string, args ...string) {
	c.t.Helper()
	want = strings.ReplaceAll(want, "|", "\r\n")
	if got := c.do(args...); got != want {
		c.t.Errorf("%q:\n got  %q\n want %q", args, got, want)
	}
}

// lsArr renders bulk strings as a RESP array in "|" notation.
func lsArr(elems ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d|", len(elems))
	for _, e := range elems {
		fmt.Fprintf(&b, "$%d|%s|", len(e), e)
	}
	return b.String()
}

// lsWaitBlocked waits until the server reports n blocked clients.
func lsWaitBlocked(t *testing.T, c *lsConn, n int) {
	t.Helper()
	want := fmt.Sprintf("blocked_clients:%d\r\n", n)
	for i := 0; i < 500; i++ {
		if strings.Contains(c.do("INFO", "clients"), want) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("never saw %q", want)
}

func TestListPushPopRange(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		c.expect(":3|", "LPUSH", "l", "a", "b", "c")
		c.expect(":5|", "RPUSH", "l", "d", "e")
		c.expect(lsArr("c", "b", "a", "d", "e"), "LRANGE", "l", "0", "-1")
		c.expect(lsArr("c", "b", "a", "d", "e"), "LRANGE", "l", "-100", "100")
		c.expect(lsArr("a", "d"), "LRANGE", "l", "2", "-2")
		c.expect("*0|", "LRANGE", "l", "2", "1")
		c.expect("*0|", "LRANGE", "nokey", "0", "-1")
		c.expect("$1|c|", "LPOP", "l")
		c.expect("$1|e|", "RPOP", "l")
		c.expect("*0|", "LPOP", "l", "0")
		c.expect(lsArr("b", "a"), "LPOP", "l", "2")
		c.expect(lsArr("d"), "RPOP", "l", "10")
		c.expect(":0|", "EXISTS", "l")
		c.expect("$-1|", "LPOP", "nokey")
		c.expect("*-1|", "LPOP", "nokey", "1")
		c.expect("*-1|", "RPOP", "nokey", "0")
		c.expect(":0|", "LPUSHX", "nokey", "a")
		c.expect(":0|", "RPUSHX", "nokey", "a")
		c.expect(":0|", "EXISTS", "nokey")
		c.expect(":1|", "RPUSH", "x", "1")
		c.expect(":3|", "LPUSHX", "x", "0", "-1")
		c.expect(":4|", "RPUSHX", "x", "2")
		c.expect(lsArr("-1", "0", "1", "2"), "LRANGE", "x", "0", "-1")
		c.expect(lsArr("2", "1"), "RPOP", "x", "2")
		c.expect(":2|", "LLEN", "x")
		c.expect(":0|", "LLEN", "nokey")
	})
}

func TestListIndexSetInsertRemTrim(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		c.expect(":10|", "RPUSH", "l", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
		c.expect("$1|1|", "LINDEX", "l", "0")
		c.expect("$2|10|", "LINDEX", "l", "-1")
		c.expect("$-1|", "LINDEX", "l", "10")
		c.expect("$-1|", "LINDEX", "l", "-11")
		c.expect("$-1|", "LINDEX", "nokey", "abc") // the key is looked up first
		c.expect("+OK|", "LSET", "l", "0", "zero")
		c.expect("+OK|", "LSET", "l", "-1", "ten")
		c.expect("-ERR index out of range|", "LSET", "l", "10", "x")
		c.expect("-ERR no such key|", "LSET", "nokey", "0", "x")
		c.expect(":11|", "LINSERT", "l", "before", "5", "five")
		c.expect(":12|", "LINSERT", "l", "AFTER", "5", "fiveb")
		c.expect(":-1|", "LINSERT", "l", "after", "nope", "x")
		c.expect(":0|", "LINSERT", "nokey", "before", "5", "x")
		c.expect(lsArr("zero", "2", "3", "4", "five", "5", "fiveb", "6", "7", "8", "9", "ten"), "LRANGE", "l", "0", "-1")
		c.expect(":7|", "RPUSH", "r", "a", "b", "a", "c", "a", "d", "a")
		c.expect(":2|", "LREM", "r", "2", "a")
		c.expect(lsArr("b", "c", "a", "d", "a"), "LRANGE", "r", "0", "-1")
		c.expect(":1|", "LREM", "r", "-1", "a")
		c.expect(lsArr("b", "c", "a", "d"), "LRANGE", "r", "0", "-1")
		c.expect(":1|", "LREM", "r", "-9223372036854775808", "a")
		c.expect(":0|", "LREM", "nokey", "0", "a")
		c.expect("+OK|", "LTRIM", "l", "2", "5")
		c.expect(lsArr("3", "4", "five", "5"), "LRANGE", "l", "0", "-1")
		c.expect("+OK|", "LTRIM", "l", "5", "2")
		c.expect(":0|", "EXISTS", "l")
		c.expect("+OK|", "LTRIM", "nokey", "0", "1")
	})
}

func TestListLpos(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		c.expect(":7|", "RPUSH", "p", "a", "b", "c", "a", "b", "c", "a")
		c.expect(":0|", "LPOS", "p", "a")
		c.expect(":3|", "LPOS", "p", "a", "RANK", "2")
		c.expect(":6|", "LPOS", "p", "a", "rank", "-1")
		c.expect(":3|", "LPOS", "p", "a", "RANK", "-2")
		c.expect("*3|:0|:3|:6|", "LPOS", "p", "a", "COUNT", "0")
		c.expect("*2|:0|:3|", "LPOS", "p", "a", "COUNT", "2")
		c.expect("*3|:6|:3|:0|", "LPOS", "p", "a", "COUNT", "0", "RANK", "-1")
		c.expect("*2|:0|:3|", "LPOS", "p", "a", "COUNT", "0", "MAXLEN", "4")
		c.expect("$-1|", "LPOS", "p", "a", "RANK", "4")
		c.expect("$-1|", "LPOS", "p", "z")
		c.expect("*0|", "LPOS", "p", "z", "COUNT", "0")
		c.expect("$-1|", "LPOS", "nokey", "z")
		c.expect("*0|", "LPOS", "nokey", "z", "COUNT", "3")
		c.expect(":6|", "LPOS", "p", "a", "RANK", "-9223372036854775808")
		c.expect("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list|", "LPOS", "p", "a", "RANK", "0")
		c.expect("-ERR COUNT can't be negative|", "LPOS", "p", "a", "COUNT", "-1")
		c.expect("-ERR COUNT can't be negative|", "LPOS", "p", "a", "COUNT", "x")
		c.expect("-ERR MAXLEN can't be negative|", "LPOS", "p", "a", "MAXLEN", "-1")
		c.expect("-ERR value is not an integer or out of range|", "LPOS", "p", "a", "RANK", "x")
		c.expect("-ERR syntax error|", "LPOS", "p", "a", "RANK")
		c.expect("-ERR syntax error|", "LPOS", "p", "a", "FOO")
	})
}

func TestListMoveAndMpop(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		c.expect(":3|", "RPUSH", "p", "a", "b", "c")
		c.expect("$1|c|", "RPOPLPUSH", "p", "p")
		c.expect(lsArr("c", "a", "b"), "LRANGE", "p", "0", "-1")
		c.expect("$1|c|", "LMOVE", "p", "q", "LEFT", "RIGHT")
		c.expect("$1|b|", "LMOVE", "p", "q", "right", "left")
		c.expect(lsArr("b", "c"), "LRANGE", "q", "0", "-1")
		c.expect("-ERR syntax error|", "LMOVE", "p", "q", "up", "left")
		c.expect("$-1|", "LMOVE", "nokey", "q", "left", "left")
		c.expect("$-1|", "RPOPLPUSH", "nokey", "q")
		c.expect(":1|", "RPUSH", "one", "x")
		c.expect("$1|x|", "RPOPLPUSH", "one", "one")
		c.expect(lsArr("x"), "LRANGE", "one", "0", "-1")
		c.expect("*2|$1|p|"+lsArr("a"), "LMPOP", "1", "p", "LEFT")
		c.expect(":0|", "EXISTS", "p")
		c.expect("*2|$1|q|"+lsArr("c", "b"), "LMPOP", "2", "nokey", "q", "right", "COUNT", "3")
		c.expect("*-1|", "LMPOP", "1", "nokey", "left")
		for _, bad := range [][]string{{"0", "p", "left"}, {"-1", "p", "left"}, {"abc", "p", "left"}} {
			c.expect("-ERR numkeys should be greater than 0|", append([]string{"LMPOP"}, bad...)...)
		}
		c.expect("-ERR wrong number of arguments for 'lmpop' command|", "LMPOP", "1", "p")
		c.expect("-ERR syntax error|", "LMPOP", "3", "p", "left")
		c.expect("-ERR syntax error|", "LMPOP", "1", "p", "middle")
		c.expect("-ERR syntax error|", "LMPOP", "9223372036854775807", "p", "left")
		c.expect("-ERR count should be greater than 0|", "LMPOP", "1", "p", "left", "COUNT", "0")
		c.expect("-ERR count should be greater than 0|", "LMPOP", "1", "p", "left", "COUNT", "x")
		c.expect("-ERR syntax error|", "LMPOP", "1", "p", "left", "COUNT", "1", "COUNT", "2")
		c.expect(lsArr("p"), "COMMAND", "GETKEYS", "LMPOP", "1", "p", "left")
		c.expect(lsArr("a", "b"), "COMMAND", "GETKEYS", "BLMPOP", "0", "2", "a", "b", "left")
	})
}

func TestListErrors(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		const wt = "-WRONGTYPE Operation against a key holding the wrong kind of value|"
		c.expect("+OK|", "SET", "s", "v")
		c.expect(":1|", "RPUSH", "l", "x")
		for _, args := range [][]string{
			{"LPUSH", "s", "a"}, {"RPUSHX", "s", "a"}, {"LPOP", "s"}, {"RPOP", "s", "2"}, {"LLEN", "s"},
			{"LRANGE", "s", "0", "1"}, {"LINDEX", "s", "0"}, {"LSET", "s", "0", "a"},
			{"LINSERT", "s", "before", "a", "b"}, {"LREM", "s", "0", "a"}, {"LTRIM", "s", "0", "1"},
			{"LPOS", "s", "a"}, {"RPOPLPUSH", "s", "l"}, {"LMOVE", "l", "s", "left", "left"},
			{"LMPOP", "2", "nokey", "s", "left"}, {"BLPOP", "nokey", "s", "0"}, {"BRPOP", "s", "0"},
			{"BLMOVE", "s", "l", "left", "left", "0"}, {"BRPOPLPUSH", "l", "s", "0"}, {"BLMPOP", "0", "1", "s", "left"},
		} {
			c.expect(wt, args...)
		}
		c.expect(lsArr("x"), "LRANGE", "l", "0", "-1") // the failed LMOVE moved nothing
		c.expect("-ERR value is out of range, must be positive|", "LPOP", "l", "-1")
		c.expect("-ERR value is out of range, must be positive|", "LPOP", "l", "abc")
		c.expect("-ERR wrong number of arguments for 'lpop' command|", "LPOP", "l", "1", "2")
		c.expect("-ERR wrong number of arguments for 'rpop' command|", "RPOP")
		c.expect("-ERR wrong number of arguments for 'lpush' command|", "LPUSH", "l")
		c.expect("-ERR wrong number of arguments for 'blpop' command|", "BLPOP", "l")
		c.expect("-ERR wrong number of arguments for 'blmpop' command|", "BLMPOP", "0", "1")
		c.expect("-ERR value is not an integer or out of range|", "LRANGE", "l", "x", "1")
		c.expect("-ERR value is not an integer or out of range|", "LRANGE", "nokey", "0", "y")
		c.expect("-ERR value is not an integer or out of range|", "LINDEX", "l", "abc")
		c.expect("-ERR value is not an integer or out of range|", "LSET", "l", "abc", "x")
		c.expect("-ERR value is not an integer or out of range|", "LREM", "l", "x", "a")
		c.expect("-ERR value is not an integer or out of range|", "LTRIM", "l", "a", "b")
		c.expect("-ERR syntax error|", "LINSERT", "l", "middle", "x", "y")
		c.expect("-ERR syntax error|", "LINSERT", "nokey", "middle", "x", "y")
		c.expect("-ERR syntax error|", "BLMOVE", "l", "q", "up", "left", "0")
		c.expect("-ERR timeout is negative|", "BLMOVE", "l", "q", "left", "left", "-1")
		c.expect("-ERR timeout is not a float or out of range|", "BRPOPLPUSH", "l", "q", "x")
	})
}

func TestListRESP3(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		c.do("HELLO", "3")
		c.expect("_|", "LPOP", "nokey")
		c.expect("_|", "LPOP", "nokey", "2")
		c.expect("_|", "LINDEX", "nokey", "0")
		c.expect("_|", "LMOVE", "nokey", "x", "left", "left")
		c.expect("_|", "LMPOP", "1", "nokey", "left")
		c.expect("_|", "LPOS", "nokey", "a")
		c.expect(":1|", "RPUSH", "l", "a")
		c.expect("_|", "LINDEX", "l", "5")
		c.expect("_|", "LPOS", "l", "z")
		c.expect("*0|", "LPOS", "l", "z", "COUNT", "0")
		c.expect("_|", "BLPOP", "nokey", "0.01")
		c.expect("_|", "BLMOVE", "nokey", "x", "left", "left", "0.01")
		c.expect("*2|$1|l|$1|a|", "BLPOP", "nokey", "l", "0")
	})
}

func TestListEncodingCopyType(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		c.expect(":1|", "RPUSH", "l", "a")
		c.expect("$9|quicklist|", "OBJECT", "ENCODING", "l")
		c.expect("+list|", "TYPE", "l")
		big := strings.Repeat("x", 10000)
		c.expect(":2|", "RPUSH", "l", big)
		c.expect("$9|quicklist|", "OBJECT", "ENCODING", "l")
		c.expect(":1|", "COPY", "l", "l2")
		c.expect(":3|", "RPUSH", "l", "more")
		c.expect(":2|", "LLEN", "l2")
		c.expect("$1|a|", "LINDEX", "l2", "0")
		c.expect("+OK|", "CONFIG", "SET", "list-max-listpack-size", "1")
		c.expect(":3|", "RPUSH", "n", "a", "b", "c")
		c.expect("$9|quicklist|", "OBJECT", "ENCODING", "n")
	})
}

// TestListModel runs random list commands against a Go slice model, with
// small fills so that nodes split and merge, in both modes.
func TestListModel(t *testing.T) {
	for _, fill := range []string{"-2", "3"} {
		t.Run("fill"+fill, func(t *testing.T) {
			servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
				r := s.Raw()
				lsModelRun(t, r, 1500, 42)
			}, "--list-max-listpack-size", fill)
		})
	}
}

func lsModelRun(t *testing.T, r *servertest.Raw, ops int, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	var model []string
	vals := []string{"a", "b", "17", "-3", strings.Repeat("v", 90), strings.Repeat("w", 700)}
	do := func(args ...string) string {
		t.Helper()
		r.Send(servertest.Encode(args...))
		return lsReadRaw(t, r.R)
	}
	for i := 0; i < ops; i++ {
		v := vals[rng.Intn(len(vals))]
		n := len(model)
		idx := rng.Intn(2*n+3) - n - 1
		pos := idx
		if pos < 0 {
			pos += n
		}
		in := pos >= 0 && pos < n
		switch rng.Intn(9) {
		case 0:
			do("LPUSH", "m", v)
			model = append([]string{v}, model...)
		case 1:
			do("RPUSH", "m", v, v)
			model = append(model, v, v)
		case 2:
			got := do("LPOP", "m")
			if n == 0 {
				if got != "$-1\r\n" {
					t.Fatalf("LPOP empty: %q", got)
				}
				break
			}
			if got != fmt.Sprintf("$%d\r\n%s\r\n", len(model[0]), model[0]) {
				t.Fatalf("LPOP = %q, want %q", got, model[0])
			}
			model = model[1:]
		case 3:
			cnt := rng.Intn(4) + 1
			do("RPOP", "m", strconv.Itoa(cnt))
			model = model[:max(0, n-cnt)]
		case 4:
			got := do("LINDEX", "m", strconv.Itoa(idx))
			want := "$-1\r\n"
			if in {
				want = fmt.Sprintf("$%d\r\n%s\r\n", len(model[pos]), model[pos])
			}
			if got != want {
				t.Fatalf("LINDEX %d = %q, want %q", idx, got, want)
			}
		case 5:
			got := do("LSET", "m", strconv.Itoa(idx), v)
			if in {
				model[pos] = v
			} else if n > 0 && got != "-ERR index out of range\r\n" {
				t.Fatalf("LSET %d out of range: %q", idx, got)
			}
		case 6:
			if n == 0 {
				break
			}
			pivot := model[rng.Intn(n)]
			where := []string{"BEFORE", "AFTER"}[rng.Intn(2)]
			do("LINSERT", "m", where, pivot, v)
			for j, e := range model {
				if e == pivot {
					at := j
					if where == "AFTER" {
						at++
					}
					model = append(model[:at:at], append([]string{v}, model[at:]...)...)
					break
				}
			}
		case 7:
			cnt := rng.Intn(5) - 2
			do("LREM", "m", strconv.Itoa(cnt), v)
			limit := cnt
			if limit < 0 {
				limit = -limit
			}
			removed := 0
			var keep []string
			if cnt >= 0 {
				for _, e := range model {
					if e == v && (limit == 0 || removed < limit) {
						removed++
						continue
					}
					keep = append(keep, e)
				}
			} else {
				for j := n - 1; j >= 0; j-- {
					if model[j] == v && removed < limit {
						removed++
						continue
					}
					keep = append([]string{model[j]}, keep...)
				}
			}
			model = keep
		case 8:
			if rng.Intn(5) != 0 {
				break
			}
			a, b := rng.Intn(n+2)-1, rng.Intn(n+2)-1
			do("LTRIM", "m", strconv.Itoa(a), strconv.Itoa(b))
			s, e := a, b
			if s < 0 {
				s += n
			}
			if e < 0 {
				e += n
			}
			s = max(s, 0)
			if s > e || s >= n {
				model = nil
			} else {
				model = model[s:min(e+1, n)]
			}
		}
		if i%50 == 0 || i == ops-1 {
			got := do("LRANGE", "m", "0", "-1")
			want := strings.ReplaceAll(lsArr(model...), "|", "\r\n")
			if got != want {
				t.Fatalf("op %d: LRANGE mismatch\n got  %.200q\n want %.200q", i, got, want)
			}
		}
	}
}

// lsFeed records the replication/AOF stream.
type lsFeed struct{ cmds []string }

func (f *lsFeed) Feed(db int, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	f.cmds = append(f.cmds, strconv.Itoa(db)+" "+strings.Join(parts, " "))
}

func lsAttachFeed(s *servertest.Server) *lsFeed {
	f := &lsFeed{}
	s.Srv.Lock()
	s.Srv.Core().AddFeed(f)
	s.Srv.Unlock()
	return f
}

func (f *lsFeed) take(s *servertest.Server) []string {
	s.Srv.Lock()
	defer s.Srv.Unlock()
	out := f.cmds
	f.cmds = nil
	return out
}

func TestListPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		f := lsAttachFeed(s)
		c := lsDial(t, s)
		c.do("RPUSH", "l", "a", "b", "c", "d", "e")
		c.do("LPOP", "nokey")
		c.do("LMPOP", "1", "l", "LEFT", "COUNT", "2")
		c.do("BLPOP", "l", "0")
		c.do("BLMPOP", "0", "2", "x", "l", "right", "count", "5")
		c.do("RPUSH", "l", "a", "b")
		c.do("BRPOPLPUSH", "l", "m", "0")
		c.do("BLMOVE", "l", "m", "LEFT", "RIGHT", "0")
		c.do("LTRIM", "m", "0", "-1") // trims nothing: not propagated
		c.do("LREM", "m", "0", "zz")
		want := []string{
			"0 RPUSH l a b c d e",
			"0 LPOP l 2",
			"0 LPOP l",
			"0 RPOP l 2",
			"0 RPUSH l a b",
			"0 RPOPLPUSH l m",
			"0 LMOVE l m LEFT RIGHT",
		}
		if got := f.take(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("stream:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestListPlainNodes lowers the PLAIN node threshold (process-wide, as in
// Redis) so that elements get nodes of their own, and runs the model.
func TestListPlainNodes(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		c.expect("-ERR argument must be a memory value bigger than 1 and smaller than 4gb|", "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "4gb")
		c.expect("-ERR argument must be a memory value bigger than 1 and smaller than 4gb|", "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "-1")
		c.expect("+OK|", "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "60b")
		defer c.do("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")
		lsModelRun(t, s.Raw(), 1500, 7)
		c.expect(":3|", "RPUSH", "p", "a", strings.Repeat("P", 100), "b")
		c.expect("+OK|", "LSET", "p", "0", strings.Repeat("Q", 80))
		c.expect(lsArr(strings.Repeat("Q", 80), strings.Repeat("P", 100), "b"), "LRANGE", "p", "0", "-1")
	}, "--enable-debug-command", "yes")
}
