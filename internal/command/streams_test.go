package command_test

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/servertest"
	"github.com/redis-clone/redis-clone/internal/stream"
)

// xsReadRaw reads one whole reply and returns its exact bytes.
func xsReadRaw(t testing.TB, r *bufio.Reader) string {
	t.Helper()
	s, err := resp.ReadRawReply(r)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, s)
	}
	return s
}

// xsConn is a raw connection that checks exact reply bytes.
type xsConn struct {
	t *testing.T
	r *servertest.Raw
}

func xsDial(t *testing.T, s *servertest.Server) *xsConn { return &xsConn{t: t, r: s.Raw()} }

// do sends args and returns the exact reply.
func (c *xsConn) do(args ...string) string {
	c.t.Helper()
	c.send(args...)
	return c.read(5 * time.Second)
}

func (c *xsConn) send(args ...string) {
	c.t.Helper()
	c.r.Send(servertest.Encode(args...))
}

func (c *xsConn) read(d time.Duration) string {
	c.t.Helper()
	_ = c.r.Conn.SetReadDeadline(time.Now().Add(d))
	return xsReadRaw(c.t, c.r.R)
}

// expect checks args' reply; in want "|" stands for CRLF.
func (c *xsConn) expect(want string, args ...string) {
	c.t.Helper()
	want = strings.ReplaceAll(want, "|", "\r\n")
	if got := c.do(args...); got != want {
		c.t.Errorf("%q:\n got %q\nwant %q", args, got, want)
	}
}

// expectRead checks the next reply (of a command sent earlier).
func (c *xsConn) expectRead(want string) {
	c.t.Helper()
	want = strings.ReplaceAll(want, "|", "\r\n")
	if got := c.read(5 * time.Second); got != want {
		c.t.Errorf("got %q\nwant %q", got, want)
	}
}

// expectNothing checks that no reply arrives within d.
func (c *xsConn) expectNothing(d time.Duration) {
	c.t.Helper()
	_ = c.r.Conn.SetReadDeadline(time.Now().Add(d))
	if b, err := c.r.R.Peek(1); err == nil {
		c.t.Fatalf("unexpected reply starting with %q", b)
	}
	// A timed-out read leaves the buffered reader usable.
}

// xsWaitBlocked waits until n clients are blocked.
func xsWaitBlocked(t *testing.T, c *xsConn, n int) {
	t.Helper()
	want := fmt.Sprintf("blocked_clients:%d\r\n", n)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(c.do("INFO", "clients"), want) {
		if time.Now().After(deadline) {
			t.Fatalf("never reached %d blocked clients", n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// xsGolden are replies of a real redis-server 7.0.15 (generated from it
// with explicit IDs, so that no reply depends on the clock), byte for
// byte.
var xsGolden = []struct {
	args []string
	want string
}{
	{[]string{"flushall"}, "+OK\r\n"},
	{[]string{"xadd", "s", "1-1", "a", "1", "b", "2"}, "$3\r\n1-1\r\n"},
	{[]string{"xadd", "s", "1-2", "a", "3", "b", "4"}, "$3\r\n1-2\r\n"},
	{[]string{"xadd", "s", "2", "a", "5", "c", "6"}, "$3\r\n2-0\r\n"},
	{[]string{"xadd", "s", "2-*", "a", "5", "c", "6"}, "$3\r\n2-1\r\n"},
	{[]string{"xadd", "s", "0-1", "a", "b"}, "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n"},
	{[]string{"xadd", "s", "0-0", "a", "b"}, "-ERR The ID specified in XADD must be greater than 0-0\r\n"},
	{[]string{"xadd", "s", "0", "a", "b"}, "-ERR The ID specified in XADD must be greater than 0-0\r\n"},
	{[]string{"xadd", "s"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
	{[]string{"xadd", "s", "*"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
	{[]string{"xadd", "s", "*", "a"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
	{[]string{"xadd", "s", "5", "a", "b", "c"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
	{[]string{"xadd", "s", "maxlen", "5"}, "-ERR wrong number of arguments for 'xadd' command\r\n"},
	{[]string{"xadd", "s", "maxlen", "-1", "*", "a", "b"}, "-ERR The MAXLEN argument must be >= 0.\r\n"},
	{[]string{"xadd", "s", "maxlen", "abc", "*", "a", "b"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"xadd", "s", "maxlen", "1", "minid", "5", "*", "a", "b"}, "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n"},
	{[]string{"xadd", "s", "limit", "5", "6-0", "a", "b"}, "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"},
	{[]string{"xadd", "s", "maxlen", "2", "limit", "5", "6-0", "a", "b"}, "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"},
	{[]string{"xadd", "s", "maxlen", "=", "2", "limit", "5", "6-0", "a", "b"}, "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"},
	{[]string{"xadd", "s", "maxlen", "~", "2", "limit", "-1", "6-0", "a", "b"}, "-ERR The LIMIT argument must be >= 0.\r\n"},
	{[]string{"xadd", "s", "nomkstream", "minid", "~", "0", "10-0", "x", "y"}, "$4\r\n10-0\r\n"},
	{[]string{"xadd", "nokey", "nomkstream", "10-0", "x", "y"}, "$-1\r\n"},
	{[]string{"exists", "nokey"}, ":0\r\n"},
	{[]string{"xadd", "s", "bogus", "x", "y"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xadd", "s", "10-0-0", "x", "y"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xadd", "s", "-5", "x", "y"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xadd", "s", "18446744073709551616", "x", "y"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xadd", "s", "12-18446744073709551615", "x", "y"}, "$23\r\n12-18446744073709551615\r\n"},
	{[]string{"xadd", "s", "12-*", "x", "y"}, "-ERR Elements are too large to be stored\r\n"},
	{[]string{"xadd", "s", "13-*", "x", "y"}, "$4\r\n13-0\r\n"},
	{[]string{"xlen", "s"}, ":7\r\n"},
	{[]string{"xlen", "nokey"}, ":0\r\n"},
	{[]string{"xrange", "s", "-", "+"}, "*7\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$23\r\n12-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"},
	{[]string{"xrevrange", "s", "+", "-"}, "*7\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$23\r\n12-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{[]string{"xrange", "s", "-", "+", "count", "2"}, "*2\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n"},
	{[]string{"xrange", "s", "-", "+", "count", "0"}, "*-1\r\n"},
	{[]string{"xrange", "s", "-", "+", "count", "-1"}, "*-1\r\n"},
	{[]string{"xrange", "s", "-", "+", "count"}, "-ERR syntax error\r\n"},
	{[]string{"xrange", "s", "-", "+", "count", "2", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"xrange", "s", "(1-1", "+"}, "*6\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$23\r\n12-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"},
	{[]string{"xrange", "s", "-", "(13"}, "*7\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$23\r\n12-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"},
	{[]string{"xrange", "s", "(-", "+"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xrange", "s", "-", "(+"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xrange", "s", "(18446744073709551615-18446744073709551615", "+"}, "-ERR invalid start ID for the interval\r\n"},
	{[]string{"xrange", "s", "-", "(0-0"}, "-ERR invalid end ID for the interval\r\n"},
	{[]string{"xrange", "s", "2", "2"}, "*2\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n"},
	{[]string{"xrange", "s", "1", "1"}, "*2\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n"},
	{[]string{"xrevrange", "s", "2", "1"}, "*4\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{[]string{"xrange", "s", "abc", "+"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xrange", "nokey", "-", "+"}, "*0\r\n"},
	{[]string{"set", "str", "foo"}, "+OK\r\n"},
	{[]string{"xrange", "str", "-", "+"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"xlen", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"xadd", "str", "*", "a", "b"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"xdel", "s", "1-1", "1-1", "5-5"}, ":1\r\n"},
	{[]string{"xdel", "s", "abc"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xdel", "nokey", "abc"}, ":0\r\n"},
	{[]string{"xdel", "str", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:6\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$4\r\n13-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-2\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n$10\r\nlast-entry\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"},
	{[]string{"xinfo", "stream", "s", "full"}, "*18\r\n$6\r\nlength\r\n:6\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$4\r\n13-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-2\r\n$7\r\nentries\r\n*6\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n2-1\r\n*4\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$23\r\n12-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n$6\r\ngroups\r\n*0\r\n"},
	{[]string{"xinfo", "stream", "s", "full", "count", "1"}, "*18\r\n$6\r\nlength\r\n:6\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$4\r\n13-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-2\r\n$7\r\nentries\r\n*1\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n$6\r\ngroups\r\n*0\r\n"},
	{[]string{"xinfo", "stream", "s", "full", "count"}, "-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.\r\n"},
	{[]string{"xinfo", "stream", "s", "fuller"}, "-ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.\r\n"},
	{[]string{"xinfo", "stream", "s", "full", "count", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"xinfo", "stream", "nokey"}, "-ERR no such key\r\n"},
	{[]string{"xinfo", "stream", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"xinfo", "help"}, "*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CONSUMERS <key> <groupname>\r\n+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n+    Show the stream consumer groups.\r\n+STREAM <key> [FULL [COUNT <count>]\r\n+    Show information about the stream.\r\n+HELP\r\n+    Prints this help.\r\n"},
	{[]string{"xinfo", "help", "x"}, "-ERR wrong number of arguments for 'xinfo|help' command\r\n"},
	{[]string{"xinfo", "foo", "s"}, "-ERR unknown subcommand 'foo'. Try XINFO HELP.\r\n"},
	{[]string{"xinfo", "groups", "s"}, "*0\r\n"},
	{[]string{"xinfo", "consumers", "s", "g"}, "-NOGROUP No such consumer group 'g' for key name 's'\r\n"},
	{[]string{"xgroup", "help"}, "*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CREATE <key> <groupname> <id|$> [option]\r\n+    Create a new consumer group. Options are:\r\n+    * MKSTREAM\r\n+      Create the empty stream if it does not exist.\r\n+    * ENTRIESREAD entries_read\r\n+      Set the group's entries_read counter (internal use).\r\n+CREATECONSUMER <key> <groupname> <consumer>\r\n+    Create a new consumer in the specified group.\r\n+DELCONSUMER <key> <groupname> <consumer>\r\n+    Remove the specified consumer.\r\n+DESTROY <key> <groupname>\r\n+    Remove the specified group.\r\n+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n+    Set the current group ID and entries_read counter.\r\n+HELP\r\n+    Prints this help.\r\n"},
	{[]string{"xgroup", "help", "x"}, "-ERR wrong number of arguments for 'xgroup|help' command\r\n"},
	{[]string{"xgroup", "foo"}, "-ERR unknown subcommand 'foo'. Try XGROUP HELP.\r\n"},
	{[]string{"xgroup"}, "-ERR wrong number of arguments for 'xgroup' command\r\n"},
	{[]string{"xtrim", "s", "maxlen", "2"}, ":4\r\n"},
	{[]string{"xtrim", "s"}, "-ERR wrong number of arguments for 'xtrim' command\r\n"},
	{[]string{"xtrim", "s", "foo"}, "-ERR wrong number of arguments for 'xtrim' command\r\n"},
	{[]string{"xtrim", "s", "maxlen", "~", "1", "limit", "1"}, ":0\r\n"},
	{[]string{"xtrim", "s", "minid", "~", "1", "limit", "1", "limit", "5"}, ":0\r\n"},
	{[]string{"xtrim", "s", "limit", "5"}, "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"},
	{[]string{"xtrim", "nokey", "maxlen", "1"}, ":0\r\n"},
	{[]string{"xtrim", "str", "maxlen", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"},
	{[]string{"xrange", "s", "-", "+"}, "*2\r\n*2\r\n$23\r\n12-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$4\r\n13-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$23\r\n12-18446744073709551615\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$23\r\n12-18446744073709551615\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n$10\r\nlast-entry\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"},
	{[]string{"object", "encoding", "s"}, "$6\r\nstream\r\n"},
	{[]string{"type", "s"}, "+stream\r\n"},
	{[]string{"flushall"}, "+OK\r\n"},
	{[]string{"xgroup", "create", "s", "g", "$"}, "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n"},
	{[]string{"xgroup", "create", "s", "g", "$", "mkstream"}, "+OK\r\n"},
	{[]string{"xgroup", "create", "s", "g", "$", "mkstream"}, "-BUSYGROUP Consumer Group name already exists\r\n"},
	{[]string{"xgroup", "create", "s", "g2", "0", "entriesread", "5"}, "+OK\r\n"},
	{[]string{"xgroup", "create", "s", "g3", "0", "entriesread", "-2"}, "-ERR value for ENTRIESREAD must be positive or -1\r\n"},
	{[]string{"xgroup", "create", "s", "g3", "0", "entriesread", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"xgroup", "create", "s", "g3", "0", "foo"}, "-ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP HELP.\r\n"},
	{[]string{"xgroup", "create", "s", "g3", "0", "mkstream", "mkstream", "mkstream", "mkstream"}, "-ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP HELP.\r\n"},
	{[]string{"xgroup", "create", "s", "g3", "-"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xgroup", "create", "s", "g3", "abc"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xgroup", "setid", "s", "nog", "0"}, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n"},
	{[]string{"xgroup", "setid", "s", "g", "-"}, "+OK\r\n"},
	{[]string{"xgroup", "setid", "s", "g", "+", "entriesread", "3"}, "+OK\r\n"},
	{[]string{"xgroup", "setid", "s", "g", "5", "entriesread"}, "-ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.\r\n"},
	{[]string{"xgroup", "setid", "s", "g", "5", "mkstream"}, "-ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.\r\n"},
	{[]string{"xgroup", "setid", "nokey", "g", "5"}, "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n"},
	{[]string{"xgroup", "destroy", "s", "nog"}, ":0\r\n"},
	{[]string{"xgroup", "createconsumer", "s", "g", "c1"}, ":1\r\n"},
	{[]string{"xgroup", "createconsumer", "s", "g", "c1"}, ":0\r\n"},
	{[]string{"xgroup", "createconsumer", "s", "nog", "c1"}, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n"},
	{[]string{"xgroup", "delconsumer", "s", "g", "c2"}, ":0\r\n"},
	{[]string{"xgroup", "delconsumer", "s", "g", "c1"}, ":0\r\n"},
	{[]string{"xinfo", "groups", "s"}, "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$41\r\n18446744073709551615-18446744073709551615\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n"},
	{[]string{"xgroup", "setid", "s", "g", "0"}, "+OK\r\n"},
	{[]string{"xadd", "s", "1", "a", "1"}, "$3\r\n1-0\r\n"},
	{[]string{"xadd", "s", "2", "b", "2"}, "$3\r\n2-0\r\n"},
	{[]string{"xadd", "s", "3", "c", "3"}, "$3\r\n3-0\r\n"},
	{[]string{"xadd", "s", "4", "d", "4"}, "$3\r\n4-0\r\n"},
	{[]string{"xreadgroup", "group", "g", "alice", "count", "2", "streams", "s", ">"}, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{[]string{"xreadgroup", "group", "g", "bob", "streams", "s", ">"}, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"xreadgroup", "group", "g", "bob", "streams", "s", ">"}, "*-1\r\n"},
	{[]string{"xreadgroup", "group", "g", "alice", "streams", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"},
	{[]string{"xreadgroup", "group", "g", "bob", "streams", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"xreadgroup", "group", "g", "bob", "count", "1", "streams", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{[]string{"xreadgroup", "group", "g", "bob", "streams", "s", "3"}, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"xreadgroup", "group", "g", "carol", "streams", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n"},
	{[]string{"xreadgroup", "group", "nog", "carol", "streams", "s", "0"}, "-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option\r\n"},
	{[]string{"xreadgroup", "group", "g", "carol", "streams", "s", "$"}, "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n"},
	{[]string{"xreadgroup", "group", "g", "carol", "streams", "nokey", ">"}, "-NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option\r\n"},
	{[]string{"xreadgroup", "group", "g", "carol", "streams", "s"}, "-ERR wrong number of arguments for 'xreadgroup' command\r\n"},
	{[]string{"xreadgroup", "group", "g", "carol", "streams", "s", ">", ">"}, "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n"},
	{[]string{"xreadgroup", "group", "g", "carol"}, "-ERR wrong number of arguments for 'xreadgroup' command\r\n"},
	{[]string{"xreadgroup", "streams", "s", ">"}, "-ERR wrong number of arguments for 'xreadgroup' command\r\n"},
	{[]string{"xreadgroup", "group", "g"}, "-ERR wrong number of arguments for 'xreadgroup' command\r\n"},
	{[]string{"xreadgroup", "group", "g", "carol", "noack", "foo", "streams", "s", ">"}, "-ERR syntax error\r\n"},
	{[]string{"xread", "group", "g", "carol", "streams", "s", ">"}, "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n"},
	{[]string{"xread", "noack", "streams", "s", ">"}, "-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n"},
	{[]string{"xread", "streams", "s", ">"}, "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n"},
	{[]string{"xread", "streams", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*4\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"xread", "count", "1", "streams", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"},
	{[]string{"xread", "count", "1", "streams", "s", "s", "0", "2"}, "*2\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"},
	{[]string{"xread", "streams", "s", "nokey", "0", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*4\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"xread", "streams", "nokey", "0"}, "*-1\r\n"},
	{[]string{"xread", "streams", "s", "99"}, "*-1\r\n"},
	{[]string{"xread", "streams", "s", "$"}, "*-1\r\n"},
	{[]string{"xread", "streams", "str", "0"}, "*-1\r\n"},
	{[]string{"xread", "block", "-1", "streams", "s", "0"}, "-ERR timeout is negative\r\n"},
	{[]string{"xread", "block", "abc", "streams", "s", "0"}, "-ERR timeout is not an integer or out of range\r\n"},
	{[]string{"xread", "block", "1.5", "streams", "s", "0"}, "-ERR timeout is not an integer or out of range\r\n"},
	{[]string{"xpending", "s", "g"}, "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n"},
	{[]string{"xpending", "s", "g", "-", "+", "10"}, "*4\r\n*4\r\n$3\r\n1-0\r\n$5\r\nalice\r\n:3\r\n:2\r\n*4\r\n$3\r\n2-0\r\n$5\r\nalice\r\n:3\r\n:2\r\n*4\r\n$3\r\n3-0\r\n$3\r\nbob\r\n:3\r\n:3\r\n*4\r\n$3\r\n4-0\r\n$3\r\nbob\r\n:3\r\n:3\r\n"},
	{[]string{"xpending", "s", "g", "-", "+", "10", "alice"}, "*2\r\n*4\r\n$3\r\n1-0\r\n$5\r\nalice\r\n:3\r\n:2\r\n*4\r\n$3\r\n2-0\r\n$5\r\nalice\r\n:3\r\n:2\r\n"},
	{[]string{"xpending", "s", "g", "-", "+", "10", "nobody"}, "*0\r\n"},
	{[]string{"xpending", "s", "g", "(1", "(4", "10"}, "*3\r\n*4\r\n$3\r\n2-0\r\n$5\r\nalice\r\n:4\r\n:2\r\n*4\r\n$3\r\n3-0\r\n$3\r\nbob\r\n:4\r\n:3\r\n*4\r\n$3\r\n4-0\r\n$3\r\nbob\r\n:4\r\n:3\r\n"},
	{[]string{"xpending", "s", "g", "-", "+", "-5"}, "*0\r\n"},
	{[]string{"xpending", "s", "g", "idle", "0", "-", "+", "10"}, "*4\r\n*4\r\n$3\r\n1-0\r\n$5\r\nalice\r\n:4\r\n:2\r\n*4\r\n$3\r\n2-0\r\n$5\r\nalice\r\n:4\r\n:2\r\n*4\r\n$3\r\n3-0\r\n$3\r\nbob\r\n:4\r\n:3\r\n*4\r\n$3\r\n4-0\r\n$3\r\nbob\r\n:4\r\n:3\r\n"},
	{[]string{"xpending", "s", "g", "idle", "-", "+", "10"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"xpending", "s", "g", "idle", "x", "-", "+", "10"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"xpending", "s", "g", "x", "+", "10"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xpending", "s", "g", "-", "+", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"xpending", "s", "g", "-", "+"}, "-ERR syntax error\r\n"},
	{[]string{"xpending", "s", "nog"}, "-NOGROUP No such key 's' or consumer group 'nog'\r\n"},
	{[]string{"xpending", "nokey", "g"}, "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n"},
	{[]string{"xpending", "s", "g", "-", "+", "10", "alice", "a", "b"}, "*2\r\n*4\r\n$3\r\n1-0\r\n$5\r\nalice\r\n:5\r\n:2\r\n*4\r\n$3\r\n2-0\r\n$5\r\nalice\r\n:5\r\n:2\r\n"},
	{[]string{"xpending", "s", "g", "-", "+", "10", "alice", "a", "b", "c"}, "-ERR syntax error\r\n"},
	{[]string{"xack", "s", "g", "1", "2", "x"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xack", "s", "g", "1", "1"}, ":1\r\n"},
	{[]string{"xack", "s", "nog", "1"}, ":0\r\n"},
	{[]string{"xack", "nokey", "g", "1"}, ":0\r\n"},
	{[]string{"xpending", "s", "g"}, "*4\r\n:3\r\n$3\r\n2-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n"},
	{[]string{"xinfo", "groups", "s"}, "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:-1\r\n"},
	{[]string{"xgroup", "setid", "s", "g2", "$"}, "+OK\r\n"},
	{[]string{"xinfo", "groups", "s"}, "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n"},
	{[]string{"xinfo", "consumers", "s", "nog"}, "-NOGROUP No such consumer group 'nog' for key name 's'\r\n"},
	{[]string{"xgroup", "destroy", "s", "g3"}, ":0\r\n"},
	{[]string{"xgroup", "destroy", "s", "g2"}, ":1\r\n"},
	{[]string{"xinfo", "groups", "s"}, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n"},
	{[]string{"xdel", "s", "3"}, ":1\r\n"},
	{[]string{"xreadgroup", "group", "g", "bob", "streams", "s", "0"}, "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n3-0\r\n*-1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"xinfo", "groups", "s"}, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n"},
	{[]string{"xsetid", "s", "1"}, "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n"},
	{[]string{"xsetid", "s", "5", "entriesadded", "1"}, "-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n"},
	{[]string{"xsetid", "s", "5", "entriesadded", "-1"}, "-ERR entries_added must be positive\r\n"},
	{[]string{"xsetid", "s", "5", "maxdeletedid", "6"}, "-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n"},
	{[]string{"xsetid", "s", "5", "maxdeletedid", "4", "entriesadded", "10"}, "+OK\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n5-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n4-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"},
	{[]string{"xsetid", "nokey", "5"}, "-ERR no such key\r\n"},
	{[]string{"xsetid", "s", "5", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"xsetid", "s", "5", "entriesadded"}, "-ERR syntax error\r\n"},
	{[]string{"xsetid", "s", "-"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xsetid", "str", "5"}, "-ERR no such key\r\n"},
	{[]string{"xinfo", "groups", "s"}, "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n$-1\r\n"},
	{[]string{"xautoclaim", "s", "g", "z", "0", "0", "count", "0"}, "-ERR COUNT must be > 0\r\n"},
	{[]string{"xautoclaim", "s", "g", "z", "0", "0", "count", "8070450532247928833"}, "-ERR COUNT must be > 0\r\n"},
	{[]string{"xautoclaim", "s", "g", "z", "0", "0", "count", "576460752303423487"}, "-ERR Insufficient memory, failed allocating transient memory, COUNT too high.\r\n"},
	{[]string{"xautoclaim", "s", "g", "z", "0", "0", "justid", "foo"}, "-ERR syntax error\r\n"},
	{[]string{"xautoclaim", "s", "g", "z", "x", "0"}, "-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n"},
	{[]string{"xautoclaim", "s", "g", "z", "0", "x"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xautoclaim", "s", "nog", "z", "0", "0"}, "-NOGROUP No such key 's' or consumer group 'nog'\r\n"},
	{[]string{"xautoclaim", "s", "g", "z", "0", "(18446744073709551615-18446744073709551615"}, "-ERR invalid start ID for the interval\r\n"},
	{[]string{"xclaim", "s", "g", "z", "0", "0", "foo"}, "-ERR Unrecognized XCLAIM option 'foo'\r\n"},
	{[]string{"xclaim", "s", "g", "z", "x", "1"}, "-ERR Invalid min-idle-time argument for XCLAIM\r\n"},
	{[]string{"xclaim", "s", "nog", "z", "0", "1"}, "-NOGROUP No such key 's' or consumer group 'nog'\r\n"},
	{[]string{"xclaim", "s", "g", "z", "0", "1", "idle", "x"}, "-ERR Invalid IDLE option argument for XCLAIM\r\n"},
	{[]string{"xclaim", "s", "g", "z", "0", "1", "time", "x"}, "-ERR Invalid TIME option argument for XCLAIM\r\n"},
	{[]string{"xclaim", "s", "g", "z", "0", "1", "retrycount", "x"}, "-ERR Invalid RETRYCOUNT option argument for XCLAIM\r\n"},
	{[]string{"xclaim", "s", "g", "z", "0", "1", "lastid", "x"}, "-ERR Invalid stream ID specified as stream command argument\r\n"},
	{[]string{"xclaim", "s", "g", "z", "0", "1", "idle"}, "-ERR Unrecognized XCLAIM option 'idle'\r\n"},
	{[]string{"flushall"}, "+OK\r\n"},
	{[]string{"config", "set", "stream-node-max-entries", "5"}, "+OK\r\n"},
	{[]string{"config", "set", "stream-node-max-bytes", "200"}, "+OK\r\n"},
	{[]string{"xadd", "s", "1005-1", "99999999999", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "b", "123456"}, "$6\r\n1005-1\r\n"},
	{[]string{"xadd", "s", "2005-0", "-5", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$6\r\n2005-0\r\n"},
	{[]string{"xadd", "s", "3000-0", "-5", "356088317779", "b", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$6\r\n3000-0\r\n"},
	{[]string{"xadd", "s", "4002-3", "b", "123456"}, "$6\r\n4002-3\r\n"},
	{[]string{"xadd", "s", "5000-0", "99999999999", "123456"}, "$6\r\n5000-0\r\n"},
	{[]string{"xadd", "s", "6002-0", "12", "x", "12", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$6\r\n6002-0\r\n"},
	{[]string{"xadd", "s", "7003-0", "99999999999", "-1"}, "$6\r\n7003-0\r\n"},
	{[]string{"xadd", "s", "8003-3", "a", "123456"}, "$6\r\n8003-3\r\n"},
	{[]string{"xadd", "s", "9000-3", "a", "-563504814847", "12", "-1"}, "$6\r\n9000-3\r\n"},
	{[]string{"xadd", "s", "10000-3", "b", "x"}, "$7\r\n10000-3\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:10\r\n$15\r\nradix-tree-keys\r\n:3\r\n$16\r\nradix-tree-nodes\r\n:8\r\n$17\r\nlast-generated-id\r\n$7\r\n10000-3\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$6\r\n1005-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$6\r\n1005-1\r\n*4\r\n$11\r\n99999999999\r\n$59\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\nb\r\n$6\r\n123456\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n10000-3\r\n*2\r\n$1\r\nb\r\n$1\r\nx\r\n"},
	{[]string{"xadd", "s", "11003-3", "b", "123456", "99999999999", "1"}, "$7\r\n11003-3\r\n"},
	{[]string{"xadd", "s", "12002-2", "-5", "x"}, "$7\r\n12002-2\r\n"},
	{[]string{"xadd", "s", "13004-0", "b", "326519448021"}, "$7\r\n13004-0\r\n"},
	{[]string{"xadd", "s", "14004-2", "b", "x"}, "$7\r\n14004-2\r\n"},
	{[]string{"xadd", "s", "15002-2", "-5", "1", "99999999999", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$7\r\n15002-2\r\n"},
	{[]string{"xadd", "s", "16002-1", "b", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "b", "1"}, "$7\r\n16002-1\r\n"},
	{[]string{"xadd", "s", "17001-3", "b", "yyyyyyyyyyyyyyyyyyyy"}, "$7\r\n17001-3\r\n"},
	{[]string{"xadd", "s", "18005-3", "99999999999", "x", "a", "-474918005917"}, "$7\r\n18005-3\r\n"},
	{[]string{"xadd", "s", "19004-0", "-5", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "b", "123456"}, "$7\r\n19004-0\r\n"},
	{[]string{"xadd", "s", "20000-1", "b", "x", "12", "x"}, "$7\r\n20000-1\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:20\r\n$15\r\nradix-tree-keys\r\n:6\r\n$16\r\nradix-tree-nodes\r\n:14\r\n$17\r\nlast-generated-id\r\n$7\r\n20000-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:20\r\n$23\r\nrecorded-first-entry-id\r\n$6\r\n1005-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$6\r\n1005-1\r\n*4\r\n$11\r\n99999999999\r\n$59\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\nb\r\n$6\r\n123456\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n20000-1\r\n*4\r\n$1\r\nb\r\n$1\r\nx\r\n$2\r\n12\r\n$1\r\nx\r\n"},
	{[]string{"xadd", "s", "21005-1", "12", "-1", "b", "-269939339788"}, "$7\r\n21005-1\r\n"},
	{[]string{"xadd", "s", "22002-0", "a", "-210111652102"}, "$7\r\n22002-0\r\n"},
	{[]string{"xadd", "s", "23005-2", "99999999999", "x"}, "$7\r\n23005-2\r\n"},
	{[]string{"xadd", "s", "24001-2", "b", "yyyyyyyyy", "12", "622368440004"}, "$7\r\n24001-2\r\n"},
	{[]string{"xadd", "s", "25000-3", "a", "x", "-5", "yyy"}, "$7\r\n25000-3\r\n"},
	{[]string{"xadd", "s", "26005-2", "99999999999", "x", "a", "123456"}, "$7\r\n26005-2\r\n"},
	{[]string{"xadd", "s", "27002-0", "99999999999", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "a", "x"}, "$7\r\n27002-0\r\n"},
	{[]string{"xadd", "s", "28002-2", "a", "x", "-5", "x"}, "$7\r\n28002-2\r\n"},
	{[]string{"xadd", "s", "29005-3", "99999999999", "-1"}, "$7\r\n29005-3\r\n"},
	{[]string{"xadd", "s", "30001-3", "b", "-1", "b", "1"}, "$7\r\n30001-3\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:30\r\n$15\r\nradix-tree-keys\r\n:8\r\n$16\r\nradix-tree-nodes\r\n:18\r\n$17\r\nlast-generated-id\r\n$7\r\n30001-3\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:30\r\n$23\r\nrecorded-first-entry-id\r\n$6\r\n1005-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$6\r\n1005-1\r\n*4\r\n$11\r\n99999999999\r\n$59\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\nb\r\n$6\r\n123456\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n30001-3\r\n*4\r\n$1\r\nb\r\n$2\r\n-1\r\n$1\r\nb\r\n$1\r\n1\r\n"},
	{[]string{"xadd", "s", "31003-2", "99999999999", "1"}, "$7\r\n31003-2\r\n"},
	{[]string{"xadd", "s", "32003-3", "a", "x"}, "$7\r\n32003-3\r\n"},
	{[]string{"xadd", "s", "33003-2", "b", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "-5", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$7\r\n33003-2\r\n"},
	{[]string{"xadd", "s", "34005-2", "a", "x"}, "$7\r\n34005-2\r\n"},
	{[]string{"xadd", "s", "35002-1", "12", "x", "b", "x"}, "$7\r\n35002-1\r\n"},
	{[]string{"xadd", "s", "36005-2", "a", "x"}, "$7\r\n36005-2\r\n"},
	{[]string{"xadd", "s", "37001-0", "b", "-1"}, "$7\r\n37001-0\r\n"},
	{[]string{"xadd", "s", "38001-3", "99999999999", "-1", "12", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$7\r\n38001-3\r\n"},
	{[]string{"xadd", "s", "39003-1", "a", "966805557198"}, "$7\r\n39003-1\r\n"},
	{[]string{"xadd", "s", "40002-3", "-5", "x", "-5", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$7\r\n40002-3\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:40\r\n$15\r\nradix-tree-keys\r\n:11\r\n$16\r\nradix-tree-nodes\r\n:24\r\n$17\r\nlast-generated-id\r\n$7\r\n40002-3\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:40\r\n$23\r\nrecorded-first-entry-id\r\n$6\r\n1005-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$6\r\n1005-1\r\n*4\r\n$11\r\n99999999999\r\n$59\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\nb\r\n$6\r\n123456\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n40002-3\r\n*4\r\n$2\r\n-5\r\n$1\r\nx\r\n$2\r\n-5\r\n$70\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n"},
	{[]string{"xadd", "s", "41000-2", "b", "905771202141", "a", "123456"}, "$7\r\n41000-2\r\n"},
	{[]string{"xadd", "s", "42002-3", "12", "x", "a", "123456"}, "$7\r\n42002-3\r\n"},
	{[]string{"xadd", "s", "43001-2", "b", "x"}, "$7\r\n43001-2\r\n"},
	{[]string{"xadd", "s", "44004-3", "-5", "138165577107"}, "$7\r\n44004-3\r\n"},
	{[]string{"xadd", "s", "45004-1", "99999999999", "1", "-5", "-361944919965"}, "$7\r\n45004-1\r\n"},
	{[]string{"xadd", "s", "46004-2", "12", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "b", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$7\r\n46004-2\r\n"},
	{[]string{"xadd", "s", "47000-3", "b", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "a", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$7\r\n47000-3\r\n"},
	{[]string{"xadd", "s", "48004-3", "-5", "x"}, "$7\r\n48004-3\r\n"},
	{[]string{"xadd", "s", "49004-2", "-5", "123456", "b", "123456"}, "$7\r\n49004-2\r\n"},
	{[]string{"xadd", "s", "50001-0", "b", "-1"}, "$7\r\n50001-0\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:50\r\n$15\r\nradix-tree-keys\r\n:14\r\n$16\r\nradix-tree-nodes\r\n:30\r\n$17\r\nlast-generated-id\r\n$7\r\n50001-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:50\r\n$23\r\nrecorded-first-entry-id\r\n$6\r\n1005-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$6\r\n1005-1\r\n*4\r\n$11\r\n99999999999\r\n$59\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\nb\r\n$6\r\n123456\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n50001-0\r\n*2\r\n$1\r\nb\r\n$2\r\n-1\r\n"},
	{[]string{"xadd", "s", "51002-2", "b", "-973254124848"}, "$7\r\n51002-2\r\n"},
	{[]string{"xadd", "s", "52002-1", "b", "123456", "99999999999", "yyyyyyyyyyyyyyy"}, "$7\r\n52002-1\r\n"},
	{[]string{"xadd", "s", "53004-1", "a", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "99999999999", "-551011920188"}, "$7\r\n53004-1\r\n"},
	{[]string{"xadd", "s", "54001-2", "99999999999", "1"}, "$7\r\n54001-2\r\n"},
	{[]string{"xadd", "s", "55001-1", "12", "1"}, "$7\r\n55001-1\r\n"},
	{[]string{"xadd", "s", "56002-3", "b", "x"}, "$7\r\n56002-3\r\n"},
	{[]string{"xadd", "s", "57001-1", "-5", "737500143510"}, "$7\r\n57001-1\r\n"},
	{[]string{"xadd", "s", "58005-2", "a", "250698488373", "12", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, "$7\r\n58005-2\r\n"},
	{[]string{"xadd", "s", "59004-3", "a", "x"}, "$7\r\n59004-3\r\n"},
	{[]string{"xdel", "s", "5000-0", "7001-1", "7002-2", "8000-0"}, ":1\r\n"},
	{[]string{"xdel", "s", "1001-1"}, ":0\r\n"},
	{[]string{"xdel", "s", "4001-0"}, ":0\r\n"},
	{[]string{"xdel", "s", "7001-1"}, ":0\r\n"},
	{[]string{"xdel", "s", "10001-2"}, ":0\r\n"},
	{[]string{"xdel", "s", "13005-0"}, ":0\r\n"},
	{[]string{"xdel", "s", "16004-0"}, ":0\r\n"},
	{[]string{"xdel", "s", "19001-3"}, ":0\r\n"},
	{[]string{"xdel", "s", "22000-0"}, ":0\r\n"},
	{[]string{"xdel", "s", "25002-3"}, ":0\r\n"},
	{[]string{"xdel", "s", "28003-3"}, ":0\r\n"},
	{[]string{"xdel", "s", "31004-2"}, ":0\r\n"},
	{[]string{"xdel", "s", "34003-1"}, ":0\r\n"},
	{[]string{"xdel", "s", "37004-2"}, ":0\r\n"},
	{[]string{"xdel", "s", "40000-0"}, ":0\r\n"},
	{[]string{"xdel", "s", "43001-1"}, ":0\r\n"},
	{[]string{"xdel", "s", "46003-3"}, ":0\r\n"},
	{[]string{"xdel", "s", "49002-2"}, ":0\r\n"},
	{[]string{"xdel", "s", "52003-1"}, ":0\r\n"},
	{[]string{"xdel", "s", "55004-1"}, ":0\r\n"},
	{[]string{"xdel", "s", "58000-0"}, ":0\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:58\r\n$15\r\nradix-tree-keys\r\n:15\r\n$16\r\nradix-tree-nodes\r\n:32\r\n$17\r\nlast-generated-id\r\n$7\r\n59004-3\r\n$20\r\nmax-deleted-entry-id\r\n$6\r\n5000-0\r\n$13\r\nentries-added\r\n:59\r\n$23\r\nrecorded-first-entry-id\r\n$6\r\n1005-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$6\r\n1005-1\r\n*4\r\n$11\r\n99999999999\r\n$59\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\nb\r\n$6\r\n123456\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n59004-3\r\n*2\r\n$1\r\na\r\n$1\r\nx\r\n"},
	{[]string{"xtrim", "s", "maxlen", "~", "30"}, ":25\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:33\r\n$15\r\nradix-tree-keys\r\n:8\r\n$16\r\nradix-tree-nodes\r\n:18\r\n$17\r\nlast-generated-id\r\n$7\r\n59004-3\r\n$20\r\nmax-deleted-entry-id\r\n$6\r\n5000-0\r\n$13\r\nentries-added\r\n:59\r\n$23\r\nrecorded-first-entry-id\r\n$7\r\n27002-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$7\r\n27002-0\r\n*4\r\n$11\r\n99999999999\r\n$58\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\na\r\n$1\r\nx\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n59004-3\r\n*2\r\n$1\r\na\r\n$1\r\nx\r\n"},
	{[]string{"xtrim", "s", "minid", "~", "40000"}, ":13\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:20\r\n$15\r\nradix-tree-keys\r\n:5\r\n$16\r\nradix-tree-nodes\r\n:12\r\n$17\r\nlast-generated-id\r\n$7\r\n59004-3\r\n$20\r\nmax-deleted-entry-id\r\n$6\r\n5000-0\r\n$13\r\nentries-added\r\n:59\r\n$23\r\nrecorded-first-entry-id\r\n$7\r\n40002-3\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$7\r\n40002-3\r\n*4\r\n$2\r\n-5\r\n$1\r\nx\r\n$2\r\n-5\r\n$70\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n59004-3\r\n*2\r\n$1\r\na\r\n$1\r\nx\r\n"},
	{[]string{"xtrim", "s", "minid", "45000"}, ":5\r\n"},
	{[]string{"xinfo", "stream", "s"}, "*20\r\n$6\r\nlength\r\n:15\r\n$15\r\nradix-tree-keys\r\n:4\r\n$16\r\nradix-tree-nodes\r\n:10\r\n$17\r\nlast-generated-id\r\n$7\r\n59004-3\r\n$20\r\nmax-deleted-entry-id\r\n$6\r\n5000-0\r\n$13\r\nentries-added\r\n:59\r\n$23\r\nrecorded-first-entry-id\r\n$7\r\n45004-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$7\r\n45004-1\r\n*4\r\n$11\r\n99999999999\r\n$1\r\n1\r\n$2\r\n-5\r\n$13\r\n-361944919965\r\n$10\r\nlast-entry\r\n*2\r\n$7\r\n59004-3\r\n*2\r\n$1\r\na\r\n$1\r\nx\r\n"},
	{[]string{"xrange", "s", "-", "+", "count", "3"}, "*3\r\n*2\r\n$7\r\n45004-1\r\n*4\r\n$11\r\n99999999999\r\n$1\r\n1\r\n$2\r\n-5\r\n$13\r\n-361944919965\r\n*2\r\n$7\r\n46004-2\r\n*4\r\n$2\r\n12\r\n$85\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\nb\r\n$38\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n*2\r\n$7\r\n47000-3\r\n*4\r\n$1\r\nb\r\n$52\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n$1\r\na\r\n$77\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n"},
	{[]string{"xrevrange", "s", "+", "-", "count", "3"}, "*3\r\n*2\r\n$7\r\n59004-3\r\n*2\r\n$1\r\na\r\n$1\r\nx\r\n*2\r\n$7\r\n58005-2\r\n*4\r\n$1\r\na\r\n$12\r\n250698488373\r\n$2\r\n12\r\n$46\r\nyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n*2\r\n$7\r\n57001-1\r\n*2\r\n$2\r\n-5\r\n$12\r\n737500143510\r\n"},
	{[]string{"config", "set", "stream-node-max-entries", "100"}, "+OK\r\n"},
	{[]string{"config", "set", "stream-node-max-bytes", "4096"}, "+OK\r\n"},
}

func TestStreamGolden(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		// XPENDING's idle times depend on the clock: masked.
		idle := regexp.MustCompile(`(\$\d+\r\n[^\r]*\r\n):\d+(\r\n:\d+\r\n)`)
		for _, g := range xsGolden {
			got, want := c.do(g.args...), g.want
			if strings.EqualFold(g.args[0], "xpending") {
				got, want = idle.ReplaceAllString(got, "${1}:I$2"), idle.ReplaceAllString(want, "${1}:I$2")
			}
			if got != want {
				t.Errorf("%q:\n got %q\nwant %q", g.args, got, g.want)
			}
		}
	})
}

func TestStreamTypeAndEncoding(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		c.expect("$3|1-1|", "XADD", "s", "1-1", "f", "v")
		c.expect("+stream|", "TYPE", "s")
		c.expect("$6|stream|", "OBJECT", "ENCODING", "s")
		// An empty stream stays.
		c.expect(":1|", "XDEL", "s", "1-1")
		c.expect(":1|", "EXISTS", "s")
		c.expect(":0|", "XLEN", "s")
		c.expect("$3|2-0|", "XADD", "e", "MAXLEN", "0", "2", "f", "v")
		c.expect(":0|", "XLEN", "e")
		c.expect("+stream|", "TYPE", "e")
	})
}

func TestStreamAutoID(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		before := uint64(time.Now().UnixMilli())
		var last [2]uint64
		for i := 0; i < 50; i++ {
			r := c.do("XADD", "s", "*", "f", strconv.Itoa(i))
			lines := strings.Split(r, "\r\n")
			ms, seq, ok := strings.Cut(lines[1], "-")
			if !ok {
				t.Fatalf("bad ID reply %q", r)
			}
			m, _ := strconv.ParseUint(ms, 10, 64)
			q, _ := strconv.ParseUint(seq, 10, 64)
			if m < before || m > uint64(time.Now().UnixMilli()) {
				t.Fatalf("ID %s not from the clock", lines[1])
			}
			if i > 0 && (m < last[0] || (m == last[0] && q <= last[1])) {
				t.Fatalf("ID %s not above %d-%d", lines[1], last[0], last[1])
			}
			last = [2]uint64{m, q}
		}
		// In the future: the sequence goes on.
		c.expect("$34|9999999999999-18446744073709551615|", "XADD", "f", "9999999999999-18446744073709551615", "a", "b")
		c.expect("$16|10000000000000-0|", "XADD", "f", "*", "a", "b")
		c.expect("$16|10000000000000-1|", "XADD", "f", "*", "a", "b")
		c.expect("$16|10000000000000-2|", "XADD", "f", "10000000000000-*", "a", "b")
		c.expect("$41|18446744073709551615-18446744073709551615|", "XADD", "m", "18446744073709551615-18446744073709551615", "a", "b")
		c.expect("-ERR The stream has exhausted the last possible ID, unable to add more items|", "XADD", "m", "*", "a", "b")
	})
}

func TestStreamBlockingXRead(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		b := xsDial(t, s)

		// Served by the key that got data, with what came after $.
		c.expect("$3|1-1|", "XADD", "s2", "1-1", "old", "x")
		b.send("XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "s3", "$", "$", "$")
		xsWaitBlocked(t, c, 1)
		c.expect("$3|2-1|", "XADD", "s2", "2-1", "new", "y")
		b.expectRead("*1|*2|$2|s2|*1|*2|$3|2-1|*2|$3|new|$1|y|")

		// A timeout replies a null array.
		start := time.Now()
		b.expect("*-1|", "XREAD", "BLOCK", "50", "STREAMS", "nokey", "$")
		if time.Since(start) < 40*time.Millisecond {
			t.Errorf("timed out too early")
		}

		// Writes other than XADD do not wake a reader, even when the
		// stream's last ID passes the one it waits after.
		c.expect("$3|5-0|", "XADD", "d", "5", "f", "v")
		c.expect(":1|", "XDEL", "d", "5")
		b.send("XREAD", "BLOCK", "0", "STREAMS", "d", "3")
		xsWaitBlocked(t, c, 1)
		c.expect("+OK|", "XSETID", "d", "6")
		c.expect(":0|", "XTRIM", "d", "MAXLEN", "0")
		c.expect("+OK|", "XGROUP", "CREATE", "d", "g", "$")
		b.expectNothing(50 * time.Millisecond)
		c.expect("$3|7-0|", "XADD", "d", "7", "f", "v")
		b.expectRead("*1|*2|$1|d|*1|*2|$3|7-0|*2|$1|f|$1|v|")

		// XADD and DEL in one transaction: nothing to read, keep waiting.
		c.do("DEL", "m")
		b.send("XREAD", "BLOCK", "0", "STREAMS", "m", "$")
		xsWaitBlocked(t, c, 1)
		c.expect("+OK|", "MULTI")
		c.expect("+QUEUED|", "XADD", "m", "1", "old", "x")
		c.expect("+QUEUED|", "DEL", "m")
		c.expect("+QUEUED|", "LPUSH", "m", "x")
		c.expect("*3|$3|1-0|:1|:1|", "EXEC")
		b.expectNothing(50 * time.Millisecond)
		c.expect(":1|", "DEL", "m")
		c.expect("$3|2-0|", "XADD", "m", "2", "new", "y")
		b.expectRead("*1|*2|$1|m|*1|*2|$3|2-0|*2|$3|new|$1|y|")

		// Several XADDs in a transaction: served once, with all of them.
		b.send("XREAD", "BLOCK", "0", "STREAMS", "t", "t", "$", "$")
		xsWaitBlocked(t, c, 1)
		c.expect("+OK|", "MULTI")
		c.expect("+QUEUED|", "XADD", "t", "1", "a", "1")
		c.expect("+QUEUED|", "XADD", "t", "2", "b", "2")
		c.expect("*2|$3|1-0|$3|2-0|", "EXEC")
		b.expectRead("*1|*2|$1|t|*2|*2|$3|1-0|*2|$1|a|$1|1|*2|$3|2-0|*2|$1|b|$1|2|")

		// BLOCK inside MULTI behaves as a timeout.
		c.expect("+OK|", "MULTI")
		c.expect("+QUEUED|", "XREAD", "BLOCK", "0", "STREAMS", "none", "$")
		c.expect("*1|*-1|", "EXEC")

		// RESP3: a map of key to entries, and _ on timeout.
		b.do("HELLO", "3")
		b.send("XREAD", "BLOCK", "0", "STREAMS", "r", "$")
		xsWaitBlocked(t, c, 1)
		c.expect("$3|1-0|", "XADD", "r", "1", "f", "v")
		b.expectRead("%1|$1|r|*1|*2|$3|1-0|*2|$1|f|$1|v|")
		b.expect("_|", "XREAD", "BLOCK", "10", "STREAMS", "r", "$")
		b.expect("%1|$1|r|*1|*2|$3|1-0|*2|$1|f|$1|v|", "XREAD", "STREAMS", "r", "0")
		b.do("HELLO", "2")

		// CLIENT UNBLOCK.
		id := strings.TrimSpace(strings.TrimPrefix(b.do("CLIENT", "ID"), ":"))
		b.send("XREAD", "BLOCK", "0", "STREAMS", "u", "$")
		xsWaitBlocked(t, c, 1)
		c.expect(":1|", "CLIENT", "UNBLOCK", id)
		b.expectRead("*-1|")
		b.send("XREAD", "BLOCK", "0", "STREAMS", "u", "$")
		xsWaitBlocked(t, c, 1)
		c.expect(":1|", "CLIENT", "UNBLOCK", id, "ERROR")
		b.expectRead("-UNBLOCKED client unblocked via CLIENT UNBLOCK|")
	})
}

func TestStreamBlockingXReadGroup(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		b := xsDial(t, s)

		c.expect("+OK|", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
		b.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
		xsWaitBlocked(t, c, 1)
		c.expect("$3|1-0|", "XADD", "s", "1", "f", "v")
		b.expectRead("*1|*2|$1|s|*1|*2|$3|1-0|*2|$1|f|$1|v|")
		c.expect("*4|:1|$3|1-0|$3|1-0|*1|*2|$5|alice|$1|1|", "XPENDING", "s", "g")

		// Not > : served at once from the history, even with BLOCK.
		c.expect("*1|*2|$1|s|*1|*2|$3|1-0|*2|$1|f|$1|v|", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", "0")
		c.expect("*1|*2|$1|s|*0|", "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", "0")

		// Deleting the key unblocks with an error.
		b.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
		xsWaitBlocked(t, c, 1)
		c.expect(":1|", "DEL", "s")
		b.expectRead("-UNBLOCKED the stream key no longer exists|")

		// So does replacing it with another type, or flushing.
		c.expect("+OK|", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
		b.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
		xsWaitBlocked(t, c, 1)
		c.expect("+OK|", "SET", "s", "x")
		b.expectRead("-UNBLOCKED the stream key no longer exists|")
		c.do("DEL", "s")
		c.expect("+OK|", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
		b.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
		xsWaitBlocked(t, c, 1)
		c.expect("+OK|", "FLUSHALL")
		b.expectRead("-UNBLOCKED the stream key no longer exists|")

		// Destroying the group: -NOGROUP.
		c.expect("+OK|", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
		b.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
		xsWaitBlocked(t, c, 1)
		c.expect(":1|", "XGROUP", "DESTROY", "s", "g")
		b.expectRead("-NOGROUP the consumer group this client was blocked on no longer exists|")

		// RENAME of a stream whose group has data serves the reader.
		c.do("DEL", "s", "s2")
		c.expect("+OK|", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
		b.send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
		xsWaitBlocked(t, c, 1)
		c.expect("+OK|", "XGROUP", "CREATE", "s2", "g", "$", "MKSTREAM")
		c.expect("$5|100-0|", "XADD", "s2", "100", "f1", "v1")
		c.expect("+OK|", "RENAME", "s2", "s")
		b.expectRead("*1|*2|$1|s|*1|*2|$5|100-0|*2|$2|f1|$2|v1|")

		// A blocked reader counts as a failed call when it gets an error.
		c.expect("+OK|", "XGROUP", "CREATE", "q", "g", "$", "MKSTREAM")
		b.send("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "50", "STREAMS", "q", ">")
		b.expectRead("*-1|")
	})
}

// xsFeed records the replication/AOF stream.
type xsFeed struct {
	mu   sync.Mutex
	cmds []string
}

func (f *xsFeed) Feed(db int, args [][]byte) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	f.mu.Lock()
	f.cmds = append(f.cmds, strings.Join(parts, " "))
	f.mu.Unlock()
}

func (f *xsFeed) take(s *servertest.Server) []string {
	s.Srv.Lock()
	defer s.Srv.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.cmds
	f.cmds = nil
	return out
}

// xsMaskTime replaces the TIME argument of propagated XCLAIMs.
func xsMaskTime(cmds []string) []string {
	for i, c := range cmds {
		f := strings.Fields(c)
		for j := range f {
			if j > 0 && f[j-1] == "TIME" {
				f[j] = "T"
			}
		}
		cmds[i] = strings.Join(f, " ")
	}
	return cmds
}

func TestStreamPropagation(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		f := &xsFeed{}
		s.Srv.Lock()
		s.Srv.Core().AddFeed(f)
		s.Srv.Unlock()
		c := xsDial(t, s)
		check := func(want ...string) {
			t.Helper()
			var got []string
			for _, l := range xsMaskTime(f.take(s)) {
				// Several effects of one command come wrapped in
				// MULTI/EXEC (as Redis); the expectations list the effects.
				if l != "MULTI" && l != "EXEC" {
					got = append(got, l)
				}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("propagated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		// The same sequence as against a real redis-server 7.0.15 with
		// appendonly yes; the expectations are its AOF (without the
		// MULTI/EXEC Redis puts around several effects of one command).
		c.do("CONFIG", "SET", "stream-node-max-entries", "10")
		for i := 1; i <= 25; i++ {
			c.do("XADD", "s", strconv.Itoa(i)+"-1", "f", "v")
		}
		f.take(s)
		c.expect("$4|26-1|", "XADD", "s", "maxlen", "~", "12", "26-1", "f", "v")
		c.expect("$4|27-1|", "XADD", "s", "limit", "5", "maxlen", "~", "0", "27-1", "f", "v")
		c.expect(":10|", "XTRIM", "s", "minid", "~", "25")
		c.expect("$4|28-0|", "XADD", "s", "28-*", "f", "v")
		check("XADD s maxlen = 16 26-1 f v",
			"XADD s limit 5 maxlen = 17 27-1 f v",
			"XTRIM s minid = 21-1",
			"XADD s 28-0 f v")
		c.expect("+OK|", "XGROUP", "create", "s", "g", "0")
		c.do("XREADGROUP", "group", "g", "alice", "count", "2", "streams", "s", ">")
		c.do("XREADGROUP", "group", "g", "bob", "noack", "count", "2", "streams", "s", ">")
		c.do("XREADGROUP", "group", "g", "carol", "noack", "count", "0", "streams", "s", "0")
		c.expect("*0|", "XCLAIM", "s", "g", "dave", "0", "11-1", "12-1", "999-1")
		c.expect(":0|", "XDEL", "s", "12-1")
		c.expect("*0|", "XCLAIM", "s", "g", "dave", "0", "11-1", "12-1", "lastid", "500-0")
		c.expect("*0|", "XCLAIM", "s", "g", "dave", "0", "11-1", "lastid", "600-0", "justid")
		c.expect("*0|", "XCLAIM", "s", "g", "dave", "0", "lastid", "700-0", "justid")
		c.expect("*3|$4|22-1|*1|*2|$4|21-1|*2|$1|f|$1|v|*0|", "XAUTOCLAIM", "s", "g", "erin", "0", "0", "count", "1")
		c.expect(":1|", "XGROUP", "createconsumer", "s", "g", "frank")
		c.expect(":0|", "XGROUP", "delconsumer", "s", "g", "frank")
		c.expect(":0|", "XACK", "s", "g", "11-1")
		c.expect("+OK|", "XSETID", "s", "800-0")
		check("XGROUP create s g 0",
			"XCLAIM s g alice 0 21-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 21-1",
			"XCLAIM s g alice 0 22-1 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 22-1",
			"XGROUP CREATECONSUMER s g bob",
			"XGROUP SETID s g 24-1 ENTRIESREAD 24",
			"XGROUP CREATECONSUMER s g carol",
			"XGROUP SETID s g 500-0 ENTRIESREAD 24",
			"XGROUP SETID s g 600-0 ENTRIESREAD 24",
			"XGROUP SETID s g 700-0 ENTRIESREAD 24",
			"XCLAIM s g erin 0 21-1 TIME T RETRYCOUNT 2 FORCE JUSTID LASTID 700-0",
			"XGROUP createconsumer s g frank",
			"XGROUP delconsumer s g frank",
			"XSETID s 800-0")

		// Claims of deleted entries propagate the removal from the PEL.
		c.do("DEL", "x")
		for i := 1; i <= 3; i++ {
			c.do("XADD", "x", strconv.Itoa(i), "f", "v")
		}
		c.do("XGROUP", "CREATE", "x", "grp", "0")
		c.do("XREADGROUP", "GROUP", "grp", "Alice", "STREAMS", "x", ">")
		c.do("XDEL", "x", "2")
		f.take(s)
		c.expect("*2|*2|$3|1-0|*2|$1|f|$1|v|*2|$3|3-0|*2|$1|f|$1|v|", "XCLAIM", "x", "grp", "Bob", "0", "1", "2", "3")
		check("XCLAIM x grp Bob 0 1 TIME T RETRYCOUNT 2 FORCE JUSTID LASTID 3-0",
			"XCLAIM x grp Alice 0 2 TIME T RETRYCOUNT 1 FORCE JUSTID LASTID 3-0",
			"XCLAIM x grp Bob 0 3 TIME T RETRYCOUNT 2 FORCE JUSTID LASTID 3-0")

		// A served blocked XREADGROUP propagates its effects.
		b := xsDial(t, s)
		c.do("XGROUP", "CREATE", "y", "g", "$", "MKSTREAM")
		f.take(s)
		b.send("XREADGROUP", "GROUP", "g", "zed", "BLOCK", "0", "NOACK", "STREAMS", "y", ">")
		xsWaitBlocked(t, c, 1)
		c.expect("$3|1-0|", "XADD", "y", "1", "f", "v")
		b.expectRead("*1|*2|$1|y|*1|*2|$3|1-0|*2|$1|f|$1|v|")
		time.Sleep(20 * time.Millisecond)
		check("XADD y 1 f v",
			"XGROUP CREATECONSUMER y g zed",
			"XGROUP SETID y g 1-0 ENTRIESREAD 1")
	})
}

func TestStreamCopy(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		for i := 100; i <= 104; i++ {
			c.do("XADD", "x", strconv.Itoa(i), "k"+strconv.Itoa(i), "1")
		}
		c.do("XGROUP", "CREATE", "x", "g1", "0")
		c.do("XGROUP", "CREATE", "x", "g2", "0")
		c.do("XREADGROUP", "GROUP", "g1", "Alice", "COUNT", "1", "STREAMS", "x", ">")
		c.do("XREADGROUP", "GROUP", "g1", "Bob", "COUNT", "1", "STREAMS", "x", ">")
		c.do("XREADGROUP", "GROUP", "g1", "Bob", "NOACK", "COUNT", "1", "STREAMS", "x", ">")
		c.do("XREADGROUP", "GROUP", "g2", "Charlie", "COUNT", "4", "STREAMS", "x", ">")
		c.do("XDEL", "x", "103")
		c.expect(":1|", "COPY", "x", "y")
		full := c.do("XINFO", "STREAM", "x", "FULL")
		if got := c.do("XINFO", "STREAM", "y", "FULL"); got != full {
			t.Fatalf("copy differs:\n%q\n%q", got, full)
		}
		// The copy is independent: groups, PELs and entries.
		c.do("XACK", "x", "g1", "100")
		c.do("XGROUP", "DESTROY", "x", "g2")
		c.do("XADD", "x", "200", "a", "b")
		c.do("XDEL", "x", "101")
		if got := c.do("XINFO", "STREAM", "y", "FULL"); got != full {
			t.Fatalf("copy changed with the original:\n%q\n%q", got, full)
		}
		c.expect(":4|", "XLEN", "y")
	})
}

// xsGolden3 are replies of a real redis-server 7.0.15 to a RESP3 client.
var xsGolden3 = []struct {
	args []string
	want string
}{
	{[]string{"flushall"}, "+OK\r\n"},
	{[]string{"xadd", "x", "100", "a", "1"}, "$5\r\n100-0\r\n"},
	{[]string{"xadd", "x", "101", "b", "1"}, "$5\r\n101-0\r\n"},
	{[]string{"xadd", "x", "102", "c", "1"}, "$5\r\n102-0\r\n"},
	{[]string{"xgroup", "create", "x", "g1", "0"}, "+OK\r\n"},
	{[]string{"xgroup", "create", "x", "g2", "$", "entriesread", "3"}, "+OK\r\n"},
	{[]string{"xreadgroup", "group", "g1", "Alice", "count", "2", "streams", "x", ">"}, "%1\r\n$1\r\nx\r\n*2\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$5\r\n101-0\r\n*2\r\n$1\r\nb\r\n$1\r\n1\r\n"},
	{[]string{"xreadgroup", "group", "g1", "Alice", "streams", "x", "0"}, "%1\r\n$1\r\nx\r\n*2\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$5\r\n101-0\r\n*2\r\n$1\r\nb\r\n$1\r\n1\r\n"},
	{[]string{"xreadgroup", "group", "g1", "Alice", "streams", "x", ">"}, "%1\r\n$1\r\nx\r\n*1\r\n*2\r\n$5\r\n102-0\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n"},
	{[]string{"xreadgroup", "group", "g1", "Alice", "streams", "x", ">"}, "_\r\n"},
	{[]string{"xdel", "x", "101"}, ":1\r\n"},
	{[]string{"xinfo", "stream", "x"}, "%10\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$5\r\n102-0\r\n$20\r\nmax-deleted-entry-id\r\n$5\r\n101-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$5\r\n100-0\r\n$6\r\ngroups\r\n:2\r\n$11\r\nfirst-entry\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n102-0\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n"},
	{[]string{"xinfo", "groups", "x"}, "*2\r\n%6\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$5\r\n102-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n%6\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$5\r\n102-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n"},
	{[]string{"xpending", "x", "g1"}, "*4\r\n:3\r\n$5\r\n100-0\r\n$5\r\n102-0\r\n*1\r\n*2\r\n$5\r\nAlice\r\n$1\r\n3\r\n"},
	{[]string{"xpending", "x", "g2"}, "*4\r\n:0\r\n_\r\n_\r\n_\r\n"},
	{[]string{"xrange", "x", "-", "+", "count", "0"}, "_\r\n"},
	{[]string{"xrange", "x", "-", "+"}, "*2\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$5\r\n102-0\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n"},
	{[]string{"xread", "streams", "x", "nokey", "0", "0"}, "%1\r\n$1\r\nx\r\n*2\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$5\r\n102-0\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n"},
	{[]string{"xread", "streams", "nokey", "0"}, "_\r\n"},
	{[]string{"xautoclaim", "x", "g1", "Bob", "0", "0", "justid"}, "*3\r\n$3\r\n0-0\r\n*2\r\n$5\r\n100-0\r\n$5\r\n102-0\r\n*1\r\n$5\r\n101-0\r\n"},
	{[]string{"xclaim", "x", "g1", "Carol", "0", "100", "101", "justid"}, "*1\r\n$5\r\n100-0\r\n"},
	{[]string{"xinfo", "stream", "empty"}, "-ERR no such key\r\n"},
	{[]string{"xgroup", "create", "e", "g", "$", "mkstream"}, "+OK\r\n"},
	{[]string{"xinfo", "stream", "e"}, "%10\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n0-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:0\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n_\r\n$10\r\nlast-entry\r\n_\r\n"},
	{[]string{"xinfo", "stream", "e", "full"}, "%9\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n0-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:0\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$7\r\nentries\r\n*0\r\n$6\r\ngroups\r\n*1\r\n%7\r\n$4\r\nname\r\n$1\r\ng\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n:0\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n$9\r\nconsumers\r\n*0\r\n"},
}

func TestStreamGoldenResp3(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		c.do("HELLO", "3")
		for _, g := range xsGolden3 {
			if got := c.do(g.args...); got != g.want {
				t.Errorf("%q:\n got %q\nwant %q", g.args, got, g.want)
			}
		}
	})
}

// TestStreamRewriteCommands replays stream.RewriteCommands (the AOF
// rewrite form) and compares the rebuilt stream with the original.
func TestStreamRewriteCommands(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := xsDial(t, s)
		c.do("CONFIG", "SET", "stream-node-max-entries", "3")
		for i := 1; i <= 10; i++ {
			c.do("XADD", "x", strconv.Itoa(i), "f", strconv.Itoa(i), "g", "v")
		}
		c.do("XDEL", "x", "4", "10")
		c.do("XGROUP", "CREATE", "x", "g1", "0")
		c.do("XGROUP", "CREATE", "x", "g2", "5", "ENTRIESREAD", "4")
		c.do("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "x", ">")
		c.do("XREADGROUP", "GROUP", "g1", "bob", "NOACK", "COUNT", "2", "STREAMS", "x", ">")
		c.do("XREADGROUP", "GROUP", "g1", "carol", "COUNT", "2", "STREAMS", "x", ">")
		c.do("XGROUP", "CREATECONSUMER", "x", "g2", "dave")
		c.do("XGROUP", "CREATE", "e", "g", "$", "MKSTREAM")
		c.do("XSETID", "e", "7-7", "ENTRIESADDED", "9", "MAXDELETEDID", "3-0")

		seen := regexp.MustCompile(`seen-time\r\n:\d+\r\n`)
		for _, key := range []string{"x", "e"} {
			var cmds [][][]byte
			s.Srv.Lock()
			o := s.Srv.Core().KS.DB(0).Peek([]byte(key))
			err := o.Val.(*stream.Stream).RewriteCommands([]byte(key+"copy"), func(args [][]byte) error {
				cmds = append(cmds, args)
				return nil
			})
			s.Srv.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			for _, args := range cmds {
				a := make([]string, len(args))
				for i, b := range args {
					a[i] = string(b)
				}
				if r := c.do(a...); strings.HasPrefix(r, "-") {
					t.Fatalf("%q: %q", a, r)
				}
			}
			want := seen.ReplaceAllString(c.do("XINFO", "STREAM", key, "FULL"), "")
			got := seen.ReplaceAllString(c.do("XINFO", "STREAM", key+"copy", "FULL"), "")
			if got != want {
				t.Errorf("%s rebuilt:\n%q\nwant\n%q", key, got, want)
			}
		}
	})
}
