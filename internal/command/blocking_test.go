package command_test

import (
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

func TestBlockingTimeoutArgument(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		for _, arg := range []string{"-1", "inf", "-inf", "+inf", "1e20", "9.3e15", "1e400"} {
			c.expect("-ERR timeout is negative|", "BLPOP", "k", arg)
		}
		for _, arg := range []string{"abc", "nan", "", " 1", "1 ", "1e5000", "1e-5000", "0x", "1_0", "0b1"} {
			c.expect("-ERR timeout is not a float or out of range|", "BLPOP", "k", arg)
		}
		// Tiny positive timeouts round up to 1 ms: they time out.
		for _, arg := range []string{"0.0001", "1e-400", "0x1p-20", ".001"} {
			start := time.Now()
			c.expect("*-1|", "BRPOP", "k", arg)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("timeout %s took %v", arg, d)
			}
		}
		// -0.0001 s is ceil(-0.1) = 0 ms: no timeout at all.
		c.send("BLPOP", "k", "-0.0001")
		other := lsDial(t, s)
		lsWaitBlocked(t, other, 1)
		other.expect(":1|", "RPUSH", "k", "v")
		if got := c.read(5 * time.Second); got != "*2\r\n$1\r\nk\r\n$1\r\nv\r\n" {
			t.Fatalf("woken: %q", got)
		}
	})
}

func TestBlockingSubSecondTimeout(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		for _, cmd := range [][]string{
			{"BLPOP", "a", "b", "0.2"}, {"BRPOP", "a", "0.2"}, {"BRPOPLPUSH", "a", "b", "0.2"},
			{"BLMOVE", "a", "b", "left", "right", "0.2"}, {"BLMPOP", "0.2", "1", "a", "left"},
		} {
			start := time.Now()
			c.expect("*-1|", cmd...) // every timed-out list wait replies a null array
			if d := time.Since(start); d < 190*time.Millisecond || d > 1500*time.Millisecond {
				t.Errorf("%v timed out after %v", cmd, d)
			}
		}
	}, "--hz", "100")
}

func TestBlockingServesInOrder(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		var waiters []*lsConn
		for i := 0; i < 3; i++ {
			w := lsDial(t, s)
			w.send("BLPOP", "q", "0")
			lsWaitBlocked(t, c, i+1)
			waiters = append(waiters, w)
		}
		c.expect(":3|", "RPUSH", "q", "a", "b", "c")
		for i, want := range []string{"a", "b", "c"} {
			if got := waiters[i].read(5 * time.Second); got != "*2\r\n$1\r\nq\r\n$1\r\n"+want+"\r\n" {
				t.Fatalf("waiter %d got %q", i, got)
			}
		}
		c.expect(":0|", "EXISTS", "q")
		// One element for two waiters: the first gets it, the second
		// stays blocked.
		w1, w2 := lsDial(t, s), lsDial(t, s)
		w1.send("BRPOP", "q", "0")
		lsWaitBlocked(t, c, 1)
		w2.send("BRPOP", "q", "0")
		lsWaitBlocked(t, c, 2)
		c.expect(":1|", "LPUSH", "q", "x")
		if got := w1.read(5 * time.Second); got != "*2\r\n$1\r\nq\r\n$1\r\nx\r\n" {
			t.Fatalf("first waiter: %q", got)
		}
		lsWaitBlocked(t, c, 1)
		c.expect(":1|", "LPUSH", "q", "y")
		if got := w2.read(5 * time.Second); got != "*2\r\n$1\r\nq\r\n$1\r\ny\r\n" {
			t.Fatalf("second waiter: %q", got)
		}
	})
}

// TestBlockingServedFromReadyKey: a client waiting on several keys is
// served from the key that became ready first, not from its first key.
func TestBlockingServedFromReadyKey(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		w := lsDial(t, s)
		w.send("BLPOP", "k1", "k2", "k2", "k1", "0")
		lsWaitBlocked(t, c, 1)
		c.expect("+OK|", "MULTI")
		c.expect("+QUEUED|", "RPUSH", "k2", "from2")
		c.expect("+QUEUED|", "RPUSH", "k1", "from1")
		c.expect("*2|:1|:1|", "EXEC")
		if got := w.read(5 * time.Second); got != "*2\r\n$2\r\nk2\r\n$5\r\nfrom2\r\n" {
			t.Fatalf("served %q", got)
		}
		c.expect(lsArr("from1"), "LRANGE", "k1", "0", "-1")
		c.expect(":0|", "EXISTS", "k2")
	})
}

func TestBlockingMultiExec(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		// Inside a transaction a blocking command does not block.
		c.expect("+OK|", "MULTI")
		for _, cmd := range [][]string{
			{"BLPOP", "e", "0"}, {"BRPOP", "e", "0"}, {"BLMPOP", "0", "1", "e", "left"},
			{"BLMOVE", "e", "f", "left", "left", "0"}, {"BRPOPLPUSH", "e", "f", "0"},
		} {
			c.expect("+QUEUED|", cmd...)
		}
		c.expect("*5|*-1|*-1|*-1|$-1|$-1|", "EXEC")
		// A waiter sees the state after the whole transaction.
		w := lsDial(t, s)
		w.send("BLPOP", "list", "0")
		lsWaitBlocked(t, c, 1)
		c.expect("+OK|", "MULTI")
		c.expect("+QUEUED|", "LPUSH", "list", "a")
		c.expect("+QUEUED|", "LPUSH", "list", "b")
		c.expect("+QUEUED|", "LPUSH", "list", "c")
		c.expect("*3|:1|:2|:3|", "EXEC")
		if got := w.read(5 * time.Second); got != "*2\r\n$4\r\nlist\r\n$1\r\nc\r\n" {
			t.Fatalf("served %q", got)
		}
		// LPUSH + DEL in a transaction wakes nobody.
		w.send("BLPOP", "gone", "0")
		lsWaitBlocked(t, c, 1)
		c.expect("+OK|", "MULTI")
		c.expect("+QUEUED|", "LPUSH", "gone", "a")
		c.expect("+QUEUED|", "DEL", "gone")
		c.expect("+QUEUED|", "SET", "gone", "str")
		c.expect("*3|:1|:1|+OK|", "EXEC")
		lsWaitBlocked(t, c, 1)
		c.expect(":1|", "DEL", "gone")
		c.expect(":1|", "LPUSH", "gone", "b")
		if got := w.read(5 * time.Second); got != "*2\r\n$4\r\ngone\r\n$1\r\nb\r\n" {
			t.Fatalf("served %q", got)
		}
	})
}

func TestBlockingWokenByKeyspaceMoves(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		w := lsDial(t, s)
		// RENAME
		w.send("BLPOP", "dst", "0")
		lsWaitBlocked(t, c, 1)
		c.expect(":2|", "RPUSH", "src", "a", "b")
		c.expect("+OK|", "RENAME", "src", "dst")
		if got := w.read(5 * time.Second); got != "*2\r\n$3\r\ndst\r\n$1\r\na\r\n" {
			t.Fatalf("RENAME: %q", got)
		}
		// MOVE from another database
		w.send("BRPOP", "m", "0")
		lsWaitBlocked(t, c, 1)
		c.expect("+OK|", "SELECT", "1")
		c.expect(":1|", "RPUSH", "m", "x")
		c.expect(":1|", "MOVE", "m", "0")
		if got := w.read(5 * time.Second); got != "*2\r\n$1\r\nm\r\n$1\r\nx\r\n" {
			t.Fatalf("MOVE: %q", got)
		}
		// SWAPDB
		c.expect(":1|", "RPUSH", "sw", "hello")
		w.send("BRPOP", "sw", "5")
		lsWaitBlocked(t, c, 1)
		c.expect("+OK|", "SWAPDB", "0", "1")
		if got := w.read(5 * time.Second); got != "*2\r\n$2\r\nsw\r\n$5\r\nhello\r\n" {
			t.Fatalf("SWAPDB: %q", got)
		}
		// A string does not wake a list waiter; a later list does.
		w.send("BLPOP", "str", "0")
		lsWaitBlocked(t, c, 1)
		c.expect("+OK|", "SELECT", "0")
		c.expect("+OK|", "SET", "str", "v")
		lsWaitBlocked(t, c, 1)
		c.expect(":1|", "DEL", "str")
		c.expect(":1|", "RPUSH", "str", "l")
		if got := w.read(5 * time.Second); got != "*2\r\n$3\r\nstr\r\n$1\r\nl\r\n" {
			t.Fatalf("after SET: %q", got)
		}
	})
}

func TestBlockingMoveChain(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		w1, w2 := lsDial(t, s), lsDial(t, s)
		w1.send("BLMOVE", "a", "b", "RIGHT", "LEFT", "0")
		lsWaitBlocked(t, c, 1)
		w2.send("BRPOPLPUSH", "b", "c", "0")
		lsWaitBlocked(t, c, 2)
		c.expect(":1|", "RPUSH", "a", "x")
		if got := w1.read(5 * time.Second); got != "$1\r\nx\r\n" {
			t.Fatalf("BLMOVE: %q", got)
		}
		if got := w2.read(5 * time.Second); got != "$1\r\nx\r\n" {
			t.Fatalf("BRPOPLPUSH: %q", got)
		}
		c.expect(lsArr("x"), "LRANGE", "c", "0", "-1")
		c.expect(":0|", "EXISTS", "a", "b")
		// A destination of the wrong type ends the wait with WRONGTYPE and
		// leaves the element where it was.
		c.expect("+OK|", "SET", "target", "nolist")
		w1.send("BRPOPLPUSH", "blist", "target", "0")
		lsWaitBlocked(t, c, 1)
		c.expect(":1|", "RPUSH", "blist", "foo")
		if got := w1.read(5 * time.Second); got != "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n" {
			t.Fatalf("wrong destination: %q", got)
		}
		c.expect(lsArr("foo"), "LRANGE", "blist", "0", "-1")
		// A circular BLMOVE onto its own source.
		c.expect(":1|", "DEL", "blist")
		w1.send("BLMOVE", "circ", "circ", "LEFT", "RIGHT", "0")
		lsWaitBlocked(t, c, 1)
		c.expect(":2|", "RPUSH", "circ", "1", "2")
		if got := w1.read(5 * time.Second); got != "$1\r\n1\r\n" {
			t.Fatalf("circular: %q", got)
		}
		c.expect(lsArr("2", "1"), "LRANGE", "circ", "0", "-1")
	})
}

func TestBlockingBLMPOP(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		w := lsDial(t, s)
		w.send("BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "2")
		lsWaitBlocked(t, c, 1)
		c.expect(":3|", "RPUSH", "y", "1", "2", "3")
		if got := w.read(5 * time.Second); got != "*2\r\n$1\r\ny\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n" {
			t.Fatalf("BLMPOP: %q", got)
		}
		c.expect("-ERR numkeys should be greater than 0|", "BLMPOP", "0", "0", "x", "left")
		c.expect("-ERR count should be greater than 0|", "BLMPOP", "0", "1", "x", "left", "COUNT", "0")
		c.expect("-ERR timeout is negative|", "BLMPOP", "-1", "1", "x", "left")
		c.expect("-ERR timeout is not a float or out of range|", "BLMPOP", "x", "1", "x", "left")
		c.expect("-ERR syntax error|", "BLMPOP", "x", "1", "x", "middle")
	})
}

func TestBlockingDisconnectAndUnblock(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := lsDial(t, s)
		w := lsDial(t, s)
		w.send("BLPOP", "k", "0")
		lsWaitBlocked(t, c, 1)
		w.r.Conn.Close()
		lsWaitBlocked(t, c, 0)
		c.expect(":1|", "RPUSH", "k", "kept")
		c.expect(lsArr("kept"), "LRANGE", "k", "0", "-1")
		c.expect(":1|", "DEL", "k")

		w = lsDial(t, s)
		id := strings.TrimSpace(strings.TrimPrefix(w.do("CLIENT", "ID"), ":"))
		w.send("BRPOPLPUSH", "k", "d", "0")
		lsWaitBlocked(t, c, 1)
		c.expect(":1|", "CLIENT", "UNBLOCK", id)
		if got := w.read(5 * time.Second); got != "*-1\r\n" {
			t.Fatalf("unblock timeout: %q", got)
		}
		w.send("BLMPOP", "0", "1", "k", "left")
		lsWaitBlocked(t, c, 1)
		c.expect(":1|", "CLIENT", "UNBLOCK", id, "ERROR")
		if got := w.read(5 * time.Second); got != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
			t.Fatalf("unblock error: %q", got)
		}
		c.expect(":0|", "CLIENT", "UNBLOCK", id)
		// The exported helper, as CLIENT UNBLOCK would call it.
		w.send("BLPOP", "k", "0")
		lsWaitBlocked(t, c, 1)
		srv := s.Srv.Core()
		s.Srv.Lock()
		var ok bool
		for _, cl := range srv.Clients() {
			if cl.Blocked != nil {
				ok = command.UnblockClient(srv, cl, true)
			}
		}
		s.Srv.Unlock()
		if !ok {
			t.Fatal("UnblockClient found no blocked client")
		}
		if got := w.read(5 * time.Second); got != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
			t.Fatalf("UnblockClient: %q", got)
		}
		// The connection works normally afterwards, pipelined requests
		// included.
		w.send("BLPOP", "k", "0")
		w.send("PING")
		lsWaitBlocked(t, c, 1)
		c.expect(":1|", "RPUSH", "k", "v")
		if got := w.read(5 * time.Second); got != "*2\r\n$1\r\nk\r\n$1\r\nv\r\n" {
			t.Fatalf("after unblock: %q", got)
		}
		if got := w.read(5 * time.Second); got != "+PONG\r\n" {
			t.Fatalf("pipelined: %q", got)
		}
	})
}

func TestBlockingPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		f := lsAttachFeed(s)
		c := lsDial(t, s)
		w1, w2, w3, w4 := lsDial(t, s), lsDial(t, s), lsDial(t, s), lsDial(t, s)
		w1.send("BRPOP", "a", "0")
		lsWaitBlocked(t, c, 1)
		w2.send("BLMPOP", "0", "1", "a", "LEFT", "COUNT", "5")
		lsWaitBlocked(t, c, 2)
		w3.send("BLMOVE", "b", "c", "LEFT", "RIGHT", "0")
		lsWaitBlocked(t, c, 3)
		w4.send("BRPOPLPUSH", "c", "d", "0")
		lsWaitBlocked(t, c, 4)
		c.expect(":3|", "RPUSH", "a", "1", "2", "3")
		c.expect(":1|", "RPUSH", "b", "x")
		for _, w := range []*lsConn{w1, w2, w3, w4} {
			w.read(5 * time.Second)
		}
		// In a transaction the blocking forms run as their plain ones.
		c.expect("+OK|", "MULTI")
		c.expect("+QUEUED|", "RPUSH", "t", "1", "2")
		c.expect("+QUEUED|", "BLPOP", "t", "0")
		c.expect("+QUEUED|", "BLPOP", "empty", "0")
		c.expect("+QUEUED|", "BLMOVE", "t", "u", "RIGHT", "LEFT", "0")
		c.expect("*4|:2|"+lsArr("t", "1")+"*-1|$1|2|", "EXEC")
		want := []string{
			"0 RPUSH a 1 2 3",
			"0 RPOP a",
			"0 LPOP a 2",
			"0 RPUSH b x",
			"0 LMOVE b c left right",
			"0 RPOPLPUSH c d",
			"0 MULTI",
			"0 RPUSH t 1 2",
			"0 LPOP t",
			"0 LMOVE t u RIGHT LEFT",
			"0 EXEC",
		}
		if got := f.take(s); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("stream:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
