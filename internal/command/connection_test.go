package command_test

import (
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// helloReply is HELLO's map for the given protocol and client id, in
// RESP2 or RESP3 framing.
func helloReply(proto int, id string) string {
	head := "*14\r\n"
	if proto == 3 {
		head = "%7\r\n"
	}
	return head + bulk("server") + bulk("redis") + bulk("version") + bulk("7.0.15") +
		bulk("proto") + ":" + strconv.Itoa(proto) + "\r\n" + bulk("id") + ":" + id + "\r\n" +
		bulk("mode") + bulk("standalone") + bulk("role") + bulk("master") + bulk("modules") + "*0\r\n"
}

// clientID returns the connection's CLIENT ID.
func (c *svConn) clientID() string {
	c.t.Helper()
	r := c.do("CLIENT", "ID")
	return strings.TrimSuffix(strings.TrimPrefix(r, ":"), "\r\n")
}

func TestPingEchoSelect(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect("+PONG\r\n", "PING")
		c.expect(bulk("hi"), "PING", "hi")
		c.expect("-ERR wrong number of arguments for 'ping' command\r\n", "PING", "x", "y", "z")
		c.expect(bulk("x y"), "ECHO", "x y")
		c.expect("-ERR wrong number of arguments for 'echo' command\r\n", "ECHO")
		c.expect("-ERR value is not an integer or out of range\r\n", "SELECT", "x")
		c.expect("-ERR DB index is out of range\r\n", "SELECT", "16")
		c.expect("-ERR DB index is out of range\r\n", "SELECT", "-1")
		c.expect("-ERR value is out of range, value must between -2147483648 and 2147483647\r\n", "SELECT", "99999999999")
		c.expect(okReply, "SELECT", "15")
	})
}

func TestAuthWithoutPassword(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect("-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n", "AUTH", "x")
		c.expect(okReply, "AUTH", "default", "anything")
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "AUTH", "bob", "x")
		c.expect(syntaxEr, "AUTH", "a", "b", "c")
		c.expect("-ERR wrong number of arguments for 'auth' command\r\n", "AUTH")
	})
}

func TestAuthWithPassword(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect("-NOAUTH Authentication required.\r\n", "PING")
		c.expect("-NOAUTH Authentication required.\r\n", "CLIENT", "ID")
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "AUTH", "bad")
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "AUTH", "default", "bad")
		c.expect("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n", "HELLO", "3")
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "HELLO", "3", "AUTH", "default", "bad")
		c.expect(okReply, "AUTH", "s3cret")
		c.expect("+PONG\r\n", "PING")
		// A failed AUTH does not log the client out.
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "AUTH", "bad")
		c.expect("+PONG\r\n", "PING")
		// RESET logs it out again.
		c.expect("+RESET\r\n", "RESET")
		c.expect("-NOAUTH Authentication required.\r\n", "PING")

		d := svDial(t, s.Addr)
		d.match("^"+strings.Replace(regexp.QuoteMeta(helloReply(3, "ID")), "ID", `\d+`, 1)+"$", "HELLO", "3", "AUTH", "default", "s3cret")
		d.expect("+PONG\r\n", "PING")

		e := svDial(t, s.Addr)
		e.expect(okReply, "AUTH", "default", "s3cret")
		e.expect("+PONG\r\n", "PING")

		// go-redis with a password.
		rc := redis.NewClient(&redis.Options{Addr: s.Addr, Password: "s3cret"})
		defer rc.Close()
		if err := rc.Ping(servertest.Ctx(t)).Err(); err != nil {
			t.Errorf("go-redis with password: %v", err)
		}
	}, "--requirepass", "s3cret")
}

func TestHello(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		id := c.clientID()
		c.expect(helloReply(2, id), "HELLO")
		c.expect(helloReply(2, id), "HELLO", "2")
		c.expect(helloReply(3, id), "HELLO", "3")
		// Now in RESP3: nulls and maps change.
		c.expect("_\r\n", "CLIENT", "GETNAME")
		c.expect("%1\r\n"+bulk("maxmemory")+bulk("0"), "CONFIG", "GET", "maxmemory")
		c.expect(helloReply(3, id), "HELLO")
		c.expect("-NOPROTO unsupported protocol version\r\n", "HELLO", "4")
		c.expect("-NOPROTO unsupported protocol version\r\n", "HELLO", "1")
		c.expect("-ERR Protocol version is not an integer or out of range\r\n", "HELLO", "x")
		c.expect("-ERR Syntax error in HELLO option 'foo'\r\n", "HELLO", "3", "foo")
		c.expect("-ERR Syntax error in HELLO option 'SETNAME'\r\n", "HELLO", "3", "SETNAME")
		c.expect("-ERR Syntax error in HELLO option 'AUTH'\r\n", "HELLO", "3", "AUTH", "default")
		c.expect("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", "HELLO", "2", "SETNAME", "a b")
		// A failed HELLO keeps the protocol.
		c.expect("_\r\n", "CLIENT", "GETNAME")
		c.expect(helloReply(2, id), "HELLO", "2", "SETNAME", "myname")
		c.expect(bulk("myname"), "CLIENT", "GETNAME")
		c.expect(helloReply(3, id), "HELLO", "3", "AUTH", "default", "x", "SETNAME", "other")
		c.expect(bulk("other"), "CLIENT", "GETNAME")
		c.expect(helloReply(2, id), "HELLO", "2")
		c.expect("-ERR wrong number of arguments for 'client|info' command\r\n", "CLIENT", "INFO", "x")
	})
}

func TestReset(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		id := c.clientID()
		c.expect(okReply, "SELECT", "3")
		c.expect(okReply, "SET", "k", "v")
		c.expect(okReply, "CLIENT", "SETNAME", "n")
		c.expect(helloReply(3, id), "HELLO", "3")
		c.expect("+RESET\r\n", "RESET")
		c.expect(nilBulk, "CLIENT", "GETNAME")
		c.expect(nilBulk, "GET", "k")
		c.match(` db=0 .* resp=2\n`, "CLIENT", "INFO")
		c.expect("-ERR wrong number of arguments for 'reset' command\r\n", "RESET", "x")
		c.expect(okReply, "SELECT", "3")
		c.expect(":1\r\n", "DEL", "k")
	})
}

func TestQuit(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.send("QUIT")
		c.send("SET", "quitkey", "x")
		if got := c.read(); got != okReply {
			t.Fatalf("QUIT: %q", got)
		}
		if !c.closed(5 * time.Second) {
			t.Fatal("connection open after QUIT")
		}
		d := svDial(t, addr)
		d.expect(nilBulk, "GET", "quitkey")
	})
}

// TestGoRedisRESP3 checks that go-redis v9 with its default protocol 3
// (HELLO 3 on connect) works, and reads the replies whose RESP3 form
// differs from RESP2.
func TestGoRedisRESP3(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		rc := redis.NewClient(&redis.Options{Addr: s.Addr, Protocol: 3})
		defer rc.Close()
		ctx := servertest.Ctx(t)
		if err := rc.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if v, err := rc.Get(ctx, "k").Result(); err != nil || v != "v" {
			t.Fatalf("GET: %q %v", v, err)
		}
		if err := rc.Get(ctx, "missing").Err(); err != redis.Nil {
			t.Fatalf("GET missing: %v", err)
		}
		hello, err := rc.Do(ctx, "HELLO", "3").Result()
		if err != nil {
			t.Fatal(err)
		}
		m, ok := hello.(map[any]any)
		if !ok || m["proto"] != int64(3) || m["server"] != "redis" || m["version"] != "7.0.15" {
			t.Fatalf("HELLO 3 via go-redis: %#v", hello)
		}
		cfg, err := rc.ConfigGet(ctx, "maxmemory").Result()
		if err != nil || cfg["maxmemory"] != "0" {
			t.Fatalf("CONFIG GET: %v %v", cfg, err)
		}
		info, err := rc.Info(ctx, "server").Result()
		if err != nil || !strings.Contains(info, "redis_version:7.0.15") {
			t.Fatalf("INFO: %q %v", info, err)
		}
		ci, err := rc.ClientInfo(ctx).Result()
		if err != nil || ci.Resp != 3 {
			t.Fatalf("CLIENT INFO: %+v %v", ci, err)
		}
		list, err := rc.ClientList(ctx).Result()
		if err != nil || !strings.Contains(list, " resp=3") {
			t.Fatalf("CLIENT LIST: %q %v", list, err)
		}
		n, err := rc.DBSize(ctx).Result()
		if err != nil || n != 1 {
			t.Fatalf("DBSIZE: %d %v", n, err)
		}
		tm, err := rc.Time(ctx).Result()
		if err != nil || time.Since(tm).Abs() > time.Minute {
			t.Fatalf("TIME: %v %v", tm, err)
		}
		cmds, err := rc.Command(ctx).Result()
		if err != nil || cmds["get"] == nil || cmds["get"].Arity != 2 || !cmds["get"].ReadOnly {
			t.Fatalf("COMMAND: %v", err)
		}
		docs, err := rc.Do(ctx, "COMMAND", "DOCS", "get").Result()
		if dm, ok := docs.(map[any]any); err != nil || !ok || dm["get"].(map[any]any)["summary"] != "Get the value of a key" {
			t.Fatalf("COMMAND DOCS: %#v %v", docs, err)
		}
		keys, err := rc.CommandGetKeys(ctx, "mset", "a", "1", "b", "2").Result()
		if err != nil || strings.Join(keys, ",") != "a,b" {
			t.Fatalf("COMMAND GETKEYS: %v %v", keys, err)
		}
		if err := rc.FlushAll(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		if err := rc.Do(ctx, "CLIENT", "SETNAME", "gr").Err(); err != nil {
			t.Fatal(err)
		}
		if name, err := rc.ClientGetName(ctx).Result(); err != nil || name != "gr" {
			t.Fatalf("CLIENT GETNAME: %q %v", name, err)
		}
	})
}

// TestRedisCLI runs the real redis-cli 7 against the server, when it is
// installed: a one-shot command and an interactive session (which sends
// COMMAND DOCS at startup to build its hints).
func TestRedisCLI(t *testing.T) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		t.Skip("redis-cli not installed")
	}
	svRun(t, func(t *testing.T, s *servertest.Server) {
		port := strconv.Itoa(s.Port)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, cli, "-p", port, "ping").CombinedOutput()
		if err != nil || string(out) != "PONG\n" {
			t.Fatalf("redis-cli ping: %q %v", out, err)
		}
		cmd := exec.CommandContext(ctx, cli, "-p", port)
		cmd.Stdin = strings.NewReader("set a 1\nget a\nclient setname cli\nclient getname\ninfo keyspace\n")
		out, err = cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("redis-cli session: %v\n%s", err, out)
		}
		want := "OK\n1\nOK\ncli\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"
		if string(out) != want {
			t.Fatalf("redis-cli session:\n got %q\nwant %q", out, want)
		}
		out, err = exec.CommandContext(ctx, cli, "-p", port, "-3", "hello", "3").CombinedOutput()
		if err != nil || !regexp.MustCompile(`^server redis\nversion 7\.0\.15\nproto 3\nid \d+\nmode standalone\nrole master\nmodules \n$`).Match(out) {
			t.Fatalf("redis-cli -3 hello 3: %q %v", out, err)
		}
	})
}
