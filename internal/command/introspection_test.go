package command_test

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// clientLineRE matches one CLIENT LIST line (Redis 7.0's fields, in order).
const clientLineRE = `id=\d+ addr=127\.0\.0\.1:\d+ laddr=[\d.]+:\d+ fd=-?\d+ name=\S* age=\d+ idle=\d+ flags=\w+ db=\d+ sub=\d+ psub=\d+ ssub=\d+ multi=-?\d+ qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ events=r cmd=\S+ user=default redir=-1 resp=[23]`

func TestClientListAndInfo(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		id := c.clientID()
		c.match(`^\$\d+\r\nid=`+id+` `+clientLineRE[len(`id=\d+ `):]+`\n\r\n$`, "CLIENT", "INFO")
		c.match(` flags=N db=\d+ sub=0 psub=0 ssub=0 multi=-1 .* cmd=client\|info user=default redir=-1 resp=2\n`, "CLIENT", "INFO")
		c.match(`^\$\d+\r\n(`+clientLineRE+`\n)+\r\n$`, "CLIENT", "LIST")
		c.match(`^\$\d+\r\nid=`+id+` .* cmd=client\|list `, "CLIENT", "LIST", "ID", id)
		c.match(`^\$\d+\r\nid=`+id+` `, "CLIENT", "LIST", "ID", "999999", id)
		c.expect(bulk(""), "CLIENT", "LIST", "ID", "999999")
		c.match(`id=`+id+` `, "CLIENT", "LIST", "TYPE", "normal")
		c.expect(bulk(""), "CLIENT", "LIST", "TYPE", "master")
		c.expect(bulk(""), "CLIENT", "LIST", "TYPE", "replica")
		c.expect(bulk(""), "CLIENT", "LIST", "TYPE", "slave")
		c.expect(bulk(""), "CLIENT", "LIST", "TYPE", "pubsub")
		c.expect("-ERR Unknown client type 'foo'\r\n", "CLIENT", "LIST", "TYPE", "foo")
		c.expect("-ERR Invalid client ID\r\n", "CLIENT", "LIST", "ID", "x")
		c.expect(syntaxEr, "CLIENT", "LIST", "TYPE")
		c.expect(syntaxEr, "CLIENT", "LIST", "ID")
		c.expect(syntaxEr, "CLIENT", "LIST", "foo", "bar")
		c.expect(syntaxEr, "CLIENT", "LIST", "TYPE", "normal", "x")
		c.expect("-ERR wrong number of arguments for 'client|info' command\r\n", "CLIENT", "INFO", "x")
		c.expect("-ERR wrong number of arguments for 'client|id' command\r\n", "CLIENT", "ID", "x")
		c.expect("-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n", "CLIENT", "foo")
		c.expect("-ERR wrong number of arguments for 'client' command\r\n", "CLIENT")

		// Names.
		c.expect(nilBulk, "CLIENT", "GETNAME")
		c.match(` name= `, "CLIENT", "INFO")
		c.expect("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", "CLIENT", "SETNAME", "foo bar")
		c.expect("-ERR Client names cannot contain spaces, newlines or special characters.\r\n", "CLIENT", "SETNAME", "a\nb")
		c.expect(okReply, "CLIENT", "SETNAME", "myname")
		c.expect(bulk("myname"), "CLIENT", "GETNAME")
		c.match(` name=myname `, "CLIENT", "LIST")
		c.expect(okReply, "CLIENT", "SETNAME", "")
		c.expect(nilBulk, "CLIENT", "GETNAME")

		// Other flags and modes.
		c.expect(okReply, "CLIENT", "NO-EVICT", "on")
		c.match(` flags=e `, "CLIENT", "INFO")
		c.expect(okReply, "CLIENT", "NO-EVICT", "OFF")
		c.expect(syntaxEr, "CLIENT", "NO-EVICT", "maybe")
		c.expect(":-1\r\n", "CLIENT", "GETREDIR")
		c.expect("*6\r\n"+bulk("flags")+"*1\r\n"+bulk("off")+bulk("redirect")+":-1\r\n"+bulk("prefixes")+"*0\r\n", "CLIENT", "TRACKINGINFO")
		c.expect(okReply, "CLIENT", "UNPAUSE")
		c.expect(syntaxEr, "CLIENT", "REPLY", "maybe")
		c.expect(okReply, "CLIENT", "REPLY", "ON")
		c.match(`^\*\d+\r\n\+CLIENT <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n\+CACHING \(YES\|NO\)\r\n`, "CLIENT", "HELP")

		// RESP3 framing.
		c.do("HELLO", "3")
		c.match(`^=\d+\r\ntxt:id=`+id+` .* resp=3\n\r\n$`, "CLIENT", "INFO")
		c.match(`^=\d+\r\ntxt:id=`, "CLIENT", "LIST")
		c.expect("_\r\n", "CLIENT", "GETNAME")
		c.expect("%3\r\n"+bulk("flags")+"~1\r\n"+bulk("off")+bulk("redirect")+":-1\r\n"+bulk("prefixes")+"*0\r\n", "CLIENT", "TRACKINGINFO")
	})
}

func TestClientListSeesOthers(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		other := svDial(t, s.Addr)
		other.expect(okReply, "CLIENT", "SETNAME", "other")
		other.expect(okReply, "SELECT", "4")
		oid := other.clientID()
		list := c.match(`^\$\d+\r\n(`+clientLineRE+`\n){2}\r\n$`, "CLIENT", "LIST")
		if !regexp.MustCompile(`id=`+oid+` addr=\S+ laddr=\S+ fd=\d+ name=other age=\d+ idle=\d+ flags=N db=4 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 `).MatchString(list) ||
			!strings.Contains(list, " cmd=client|id ") {
			t.Errorf("CLIENT LIST does not show the other client:\n%s", list)
		}
		other.c.Close()
		deadline := time.Now().Add(5 * time.Second)
		for strings.Contains(c.do("CLIENT", "LIST"), "name=other") {
			if time.Now().After(deadline) {
				t.Fatal("closed client still listed")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func TestClientKill(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect("-ERR wrong number of arguments for 'client|kill' command\r\n", "CLIENT", "KILL")
		c.expect(syntaxEr, "CLIENT", "KILL", "ID", "10", "wrong_arg")
		c.expect("-ERR client-id should be greater than 0\r\n", "CLIENT", "KILL", "ID", "str")
		c.expect("-ERR client-id should be greater than 0\r\n", "CLIENT", "KILL", "ID", "-1")
		c.expect("-ERR client-id should be greater than 0\r\n", "CLIENT", "KILL", "ID", "0")
		c.expect("-ERR Unknown client type 'wrong_type'\r\n", "CLIENT", "KILL", "TYPE", "wrong_type")
		c.expect("-ERR No such user 'wrong_user'\r\n", "CLIENT", "KILL", "USER", "wrong_user")
		c.expect(syntaxEr, "CLIENT", "KILL", "SKIPME", "yes_or_no")
		c.expect(syntaxEr, "CLIENT", "KILL", "foo", "bar")
		c.expect("-ERR No such client\r\n", "CLIENT", "KILL", "1.2.3.4:5")
		c.expect(":0\r\n", "CLIENT", "KILL", "ID", "99999999")
		c.expect(":0\r\n", "CLIENT", "KILL", "ADDR", "1.2.3.4:5", "SKIPME", "no")

		// Kill another client by ID, by address (old form) and by laddr.
		for _, how := range []string{"id", "addr-old", "addr", "user"} {
			o := svDial(t, addr)
			oid := o.clientID()
			var oaddr string
			if m := regexp.MustCompile(`addr=(\S+)`).FindStringSubmatch(o.do("CLIENT", "INFO")); m != nil {
				oaddr = m[1]
			}
			switch how {
			case "id":
				c.expect(":1\r\n", "CLIENT", "KILL", "ID", oid)
			case "addr-old":
				c.expect(okReply, "CLIENT", "KILL", oaddr)
			case "addr":
				c.expect(":1\r\n", "CLIENT", "KILL", "ADDR", oaddr, "TYPE", "normal")
			case "user":
				c.expect(":1\r\n", "CLIENT", "KILL", "USER", "default", "ID", oid)
			}
			if !o.closed(5 * time.Second) {
				t.Errorf("CLIENT KILL (%s): victim still connected", how)
			}
		}
		// The old form can kill the caller, after the reply.
		var myaddr string
		if m := regexp.MustCompile(`addr=(\S+)`).FindStringSubmatch(c.do("CLIENT", "INFO")); m != nil {
			myaddr = m[1]
		}
		c.expect(okReply, "CLIENT", "KILL", myaddr)
		if !c.closed(5 * time.Second) {
			t.Error("CLIENT KILL of self: still connected")
		}
	})
}

func TestClientKillSkipme(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		a, b := svDial(t, s.Addr), svDial(t, s.Addr)
		a.expect("+PONG\r\n", "PING")
		b.expect("+PONG\r\n", "PING")
		c.expect(":2\r\n", "CLIENT", "KILL", "SKIPME", "yes")
		if !a.closed(5*time.Second) || !b.closed(5*time.Second) {
			t.Fatal("clients not killed")
		}
		d := svDial(t, s.Addr)
		d.expect("+PONG\r\n", "PING")
		c.expect(":2\r\n", "CLIENT", "KILL", "SKIPME", "no")
		if !c.closed(5 * time.Second) {
			t.Fatal("caller not killed with SKIPME no")
		}
	})
}

func TestClientReply(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.send("CLIENT", "REPLY", "OFF")
		c.send("PING", "a")
		c.send("CLIENT", "REPLY", "ON")
		first := c.read()
		if first == bulk("a") {
			t.Skip("the executor does not implement CLIENT REPLY OFF yet")
		}
		if first != okReply {
			t.Fatalf("after CLIENT REPLY OFF/ON: %q", first)
		}
		c.expect(bulk("b"), "PING", "b")
		c.send("CLIENT", "REPLY", "SKIP")
		c.send("PING", "c")
		c.expect(bulk("d"), "PING", "d")
		c.send("CLIENT", "REPLY", "SKIP")
		c.expect(okReply, "CLIENT", "REPLY", "ON")
		c.expect("+PONG\r\n", "PING")
	})
}

func TestClientUnblock(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		if strings.HasPrefix(c.do("COMMAND", "INFO", "blpop"), "*1\r\n$-1") {
			t.Skip("BLPOP not implemented yet")
		}
		c.expect(":0\r\n", "CLIENT", "UNBLOCK", "99999")
		c.expect(":0\r\n", "CLIENT", "UNBLOCK", c.clientID())
		c.expect("-ERR value is not an integer or out of range\r\n", "CLIENT", "UNBLOCK", "x")
		c.expect("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n", "CLIENT", "UNBLOCK", "1", "maybe")
		c.expect("-ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.\r\n", "CLIENT", "UNBLOCK", "1", "error", "x")
		for _, reason := range []string{"", "TIMEOUT", "ERROR"} {
			b := svDial(t, s.Addr)
			bid := b.clientID()
			b.send("BLPOP", "nolist", "0")
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(c.do("INFO", "clients"), "blocked_clients:1\r\n") {
				if time.Now().After(deadline) {
					t.Fatal("client never blocked")
				}
				time.Sleep(10 * time.Millisecond)
			}
			c.match(`id=`+bid+` .* flags=b .* cmd=blpop `, "CLIENT", "LIST")
			args := []string{"CLIENT", "UNBLOCK", bid}
			if reason != "" {
				args = append(args, reason)
			}
			c.expect(":1\r\n", args...)
			want := "*-1\r\n"
			if reason == "ERROR" {
				want = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n"
			}
			if got := b.read(); got != want {
				t.Errorf("CLIENT UNBLOCK %s: blocked client got %q, want %q", reason, got, want)
			}
			b.expect("+PONG\r\n", "PING")
		}
	})
}

func TestCommandCountListInfo(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		list := c.do("COMMAND", "LIST")
		names := parseBulkArray(t, list)
		top := 0
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Errorf("COMMAND LIST: %s twice", n)
			}
			seen[n] = true
			if !strings.Contains(n, "|") {
				top++
			}
		}
		c.expect(":"+strconv.Itoa(top)+"\r\n", "COMMAND", "COUNT")
		for _, n := range []string{"get", "set", "client|list", "config|get", "command|docs", "info", "hello"} {
			if !seen[n] {
				t.Errorf("COMMAND LIST lacks %s", n)
			}
		}
		all := c.do("COMMAND")
		if !strings.HasPrefix(all, "*"+strconv.Itoa(top)+"\r\n*10\r\n") {
			t.Errorf("COMMAND: %q", svShort(all))
		}
		if got := c.do("COMMAND", "INFO"); got != all {
			t.Errorf("COMMAND INFO without names differs from COMMAND")
		}
		pat := parseBulkArray(t, c.do("COMMAND", "LIST", "FILTERBY", "PATTERN", "config*"))
		sort.Strings(pat)
		if strings.Join(pat, " ") != "config config|get config|help config|resetstat config|rewrite config|set" {
			t.Errorf("FILTERBY PATTERN config*: %v", pat)
		}
		cat := parseBulkArray(t, c.do("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection"))
		catSet := map[string]bool{}
		for _, n := range cat {
			catSet[n] = true
		}
		if !catSet["ping"] || !catSet["client|list"] || !catSet["hello"] || catSet["set"] {
			t.Errorf("FILTERBY ACLCAT connection: %v", cat)
		}
	})
}

// parseBulkArray parses a flat array of bulk strings.
func parseBulkArray(t *testing.T, raw string) []string {
	t.Helper()
	lines := strings.Split(raw, "\r\n")
	if !strings.HasPrefix(lines[0], "*") {
		t.Fatalf("not an array: %q", svShort(raw))
	}
	n, _ := strconv.Atoi(lines[0][1:])
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, lines[2+2*i])
	}
	return out
}

func TestCommandExactReplies(t *testing.T) {
	getInfo := "*10\r\n" + bulk("get") + ":2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n" +
		"*1\r\n*6\r\n" + bulk("flags") + "*2\r\n+RO\r\n+access\r\n" + bulk("begin_search") + "*4\r\n" + bulk("type") + bulk("index") + bulk("spec") + "*2\r\n" + bulk("index") + ":1\r\n" +
		bulk("find_keys") + "*4\r\n" + bulk("type") + bulk("range") + bulk("spec") + "*6\r\n" + bulk("lastkey") + ":0\r\n" + bulk("keystep") + ":1\r\n" + bulk("limit") + ":0\r\n*0\r\n"
	getDocs := "*2\r\n" + bulk("get") + "*10\r\n" + bulk("summary") + bulk("Get the value of a key") + bulk("since") + bulk("1.0.0") +
		bulk("group") + bulk("string") + bulk("complexity") + bulk("O(1)") + bulk("arguments") + "*1\r\n*6\r\n" +
		bulk("name") + bulk("key") + bulk("type") + bulk("key") + bulk("key_spec_index") + ":0\r\n"
	svPortable(t, func(t *testing.T, addr string) {
		c := svDial(t, addr)
		c.expect("*1\r\n"+getInfo, "COMMAND", "INFO", "get")
		c.expect("*2\r\n"+getInfo+nilBulk, "COMMAND", "INFO", "GET", "nosuch")
		c.expect("*1\r\n"+nilBulk, "COMMAND", "INFO", "get|key")
		c.expect("*1\r\n"+nilBulk, "COMMAND", "INFO", "config|get|key")
		c.expect(getDocs, "COMMAND", "DOCS", "get", "nosuch")
		c.expect("*0\r\n", "COMMAND", "DOCS", "nosuch")
		c.expect("*1\r\n*10\r\n"+bulk("config|get")+":-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n", "COMMAND", "INFO", "CONFIG|GET")
		c.expect("*1\r\n*10\r\n"+bulk("ping")+":-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@fast\r\n+@connection\r\n*2\r\n"+bulk("request_policy:all_shards")+bulk("response_policy:all_succeeded")+"*0\r\n*0\r\n", "COMMAND", "INFO", "ping")

		// GETKEYS and GETKEYSANDFLAGS.
		c.expect("*1\r\n"+bulk("key"), "COMMAND", "GETKEYS", "get", "key")
		c.expect("*2\r\n"+bulk("a")+bulk("b"), "COMMAND", "GETKEYS", "mset", "a", "1", "b", "2")
		c.expect("*1\r\n"+bulk("key"), "COMMAND", "GETKEYS", "memory", "usage", "key")
		c.expect("-ERR Invalid command specified\r\n", "COMMAND", "GETKEYS", "nosuch", "x")
		c.expect("-ERR The command has no key arguments\r\n", "COMMAND", "GETKEYS", "ping", "x")
		c.expect("-ERR Invalid number of arguments specified for command\r\n", "COMMAND", "GETKEYS", "get", "a", "b")
		c.expect("-ERR Invalid number of arguments specified for command\r\n", "COMMAND", "GETKEYS", "mset", "a")
		c.expect("-ERR wrong number of arguments for 'command|getkeys' command\r\n", "COMMAND", "GETKEYS")
		c.expect("*1\r\n*2\r\n"+bulk("k1")+"*2\r\n+OW\r\n+update\r\n", "COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1")
		c.expect("*1\r\n*2\r\n"+bulk("k1")+"*3\r\n+RW\r\n+access\r\n+update\r\n", "COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1", "get")
		c.expect("*2\r\n*2\r\n"+bulk("k1")+"*2\r\n+OW\r\n+update\r\n*2\r\n"+bulk("k2")+"*2\r\n+OW\r\n+update\r\n", "COMMAND", "GETKEYSANDFLAGS", "mset", "k1", "v1", "k2", "v2")

		// LIST filters and syntax.
		c.expect(syntaxEr, "COMMAND", "LIST", "bad_arg")
		c.expect(syntaxEr, "COMMAND", "LIST", "FILTERBY", "bad_arg")
		c.expect(syntaxEr, "COMMAND", "LIST", "FILTERBY", "bad_arg", "bad_arg2")
		c.expect("*1\r\n"+bulk("set"), "COMMAND", "LIST", "FILTERBY", "PATTERN", "set")
		c.expect("*1\r\n"+bulk("get"), "COMMAND", "LIST", "FILTERBY", "pattern", "GET")
		c.expect("*0\r\n", "COMMAND", "LIST", "FILTERBY", "PATTERN", "non_exists*")
		c.expect("*0\r\n", "COMMAND", "LIST", "FILTERBY", "ACLCAT", "non_existing_category")
		c.expect("*0\r\n", "COMMAND", "LIST", "FILTERBY", "MODULE", "non_existing_module")

		c.expect("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n", "COMMAND", "foo")
		c.expect("-ERR wrong number of arguments for 'command|count' command\r\n", "COMMAND", "COUNT", "x")
		c.match(`^\*21\r\n\+COMMAND <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n\+\(no subcommand\)\r\n`, "COMMAND", "HELP")

		// RESP3 framing.
		c.do("HELLO", "3")
		c.expect("*1\r\n_\r\n", "COMMAND", "INFO", "nosuch")
		c.match(`^\*1\r\n\*10\r\n\$3\r\nget\r\n:2\r\n~2\r\n\+readonly\r\n\+fast\r\n`, "COMMAND", "INFO", "get")
		c.match(`^%1\r\n\$3\r\nget\r\n%5\r\n`, "COMMAND", "DOCS", "get")
		c.expect("%0\r\n", "COMMAND", "DOCS", "nosuch")
		c.expect("*1\r\n*2\r\n"+bulk("k1")+"~2\r\n+OW\r\n+update\r\n", "COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1")
	})
}

func TestCommandMovableKeys(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		for _, name := range []string{"set", "get", "mset", "ping", "memory", "memory|usage"} {
			if strings.Contains(c.do("COMMAND", "INFO", name), "movablekeys") {
				t.Errorf("%s marked movablekeys", name)
			}
		}
	})
}
