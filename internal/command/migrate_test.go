package command_test

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// TestMigrate moves keys to a second server of the same mode. Every reply
// was checked against two redis-server 7.0.15 instances running the same
// sequence (and across: our source to a Redis target and back).
func TestMigrate(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		dst := servertest.Start(t, s.Mode)
		_, port, _ := net.SplitHostPort(dst.Addr)
		src := svDial(t, s.Addr)
		tgt := svDial(t, dst.Addr)
		f := (&stEnv{s: s}).feed()
		migrate := func(want string, args ...string) {
			t.Helper()
			src.expect(want, append([]string{"MIGRATE", "127.0.0.1", port}, args...)...)
		}
		busy := "-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n"

		src.expect(okReply, "SET", "k", "v", "PX", "100000")
		f.take()
		migrate(okReply, "k", "0", "1000")
		expectProp(t, f, "DEL k")
		src.expect(":0\r\n", "EXISTS", "k")
		tgt.expect(bulk("v"), "GET", "k")
		if ttl, _ := strconv.Atoi(strings.TrimSpace(tgt.do("PTTL", "k")[1:])); ttl < 90000 || ttl > 100000 {
			t.Errorf("PTTL on the target %d", ttl)
		}
		migrate("+NOKEY\r\n", "k", "0", "1000")

		// A key the target has: refused without REPLACE, nothing deleted.
		src.expect(okReply, "SET", "k", "v2")
		f.take()
		migrate(busy, "k", "0", "1000")
		expectProp(t, f)
		src.expect(bulk("v2"), "GET", "k")
		migrate(okReply, "k", "0", "1000", "COPY", "REPLACE")
		src.expect(bulk("v2"), "GET", "k")
		tgt.expect(bulk("v2"), "GET", "k")
		expectProp(t, f)

		// KEYS: the missing key is skipped; the one the target refuses
		// stays, the others move.
		src.expect(okReply, "MSET", "a", "1", "b", "2", "c", "3")
		tgt.expect(okReply, "SELECT", "3")
		tgt.expect(okReply, "SET", "b", "old")
		f.take()
		migrate(busy, "", "3", "1000", "KEYS", "a", "b", "nokey", "c")
		expectProp(t, f, "DEL a c")
		src.expect(":1\r\n", "EXISTS", "a", "b", "c")
		tgt.expect(":3\r\n", "EXISTS", "a", "b", "c")
		tgt.expect(bulk("old"), "GET", "b")

		migrate("-ERR When using MIGRATE KEYS option, the key argument must be set to the empty string\r\n", "x", "0", "1000", "KEYS", "b")
		migrate("-ERR syntax error\r\n", "b", "0", "1000", "AUTH")
		migrate("-ERR syntax error\r\n", "b", "0", "1000", "bogus")
		migrate("-ERR value is not an integer or out of range\r\n", "b", "x", "1000")
		migrate("-ERR Target instance replied with error: ERR DB index is out of range\r\n", "b", "99", "1000")

		// AUTH: a wrong password is the target's error and the key stays.
		// The cached connection was authenticated before requirepass was
		// set, so its RESTORE still went through, exactly as with Redis's
		// cached MIGRATE sockets: the retry needs REPLACE.
		tgt.expect(okReply, "SELECT", "0")
		tgt.expect(okReply, "CONFIG", "SET", "requirepass", "pw")
		migrate("-ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.\r\n", "b", "0", "1000", "AUTH", "bad")
		src.expect(":1\r\n", "EXISTS", "b")
		migrate(okReply, "b", "0", "1000", "AUTH2", "default", "pw", "REPLACE")
		src.expect(":0\r\n", "EXISTS", "b")
		tgt.expect(okReply, "CONFIG", "SET", "requirepass", "")

		// A target that does not answer.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		_, closed, _ := net.SplitHostPort(ln.Addr().String())
		ln.Close()
		src.expect(okReply, "SET", "z", "1")
		src.expect("-IOERR error or timeout connecting to the client\r\n", "MIGRATE", "127.0.0.1", closed, "z", "0", "200")
		src.expect(bulk("1"), "GET", "z")

		src.expect("*2\r\n$1\r\nx\r\n$1\r\ny\r\n", "COMMAND", "GETKEYS", "MIGRATE", "h", "1", "", "0", "10", "KEYS", "x", "y")
	})
}
