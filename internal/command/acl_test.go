package command_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// arr encodes a RESP2 array of bulk strings.
func arr(items ...string) string {
	s := "*" + strconv.Itoa(len(items)) + "\r\n"
	for _, it := range items {
		s += bulk(it)
	}
	return s
}

// aclCleanup deletes test users (for runs against a real server).
func aclCleanup(t *testing.T, addr string, users ...string) {
	t.Cleanup(func() {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = c.Write([]byte(servertest.Encode(append([]string{"ACL", "DELUSER"}, users...)...)))
		_, _ = c.Write([]byte(servertest.Encode("CONFIG", "SET", "requirepass", "")))
		buf := make([]byte, 256)
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		_, _ = c.Read(buf)
	})
}

const pwHash = "30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4" // sha256("pw")

// unit/acl: creating users, the rules' reply layout (GETUSER, LIST).
func TestACLSetUserGetUserList(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "alice", "bob", "carol", "dave", "e")
		c := svDial(t, addr)
		c.expect(okReply, "ACL", "SETUSER", "alice", "on", ">pw", "~obj:*", "&chan:*", "+@read", "-get")
		c.expect("*12\r\n"+bulk("flags")+arr("on")+bulk("passwords")+arr(pwHash)+
			bulk("commands")+bulk("-@all +@read -get")+bulk("keys")+bulk("~obj:*")+
			bulk("channels")+bulk("&chan:*")+bulk("selectors")+"*0\r\n", "ACL", "GETUSER", "alice")
		c.expect(okReply, "ACL", "SETUSER", "bob", "on", "nopass", "%R~r:*", "%W~w:*", "%RW~rw:*", "+@all", "-@dangerous", "(~sel:*", "+get)", "(+set ~x)")
		c.expect("*12\r\n"+bulk("flags")+arr("on", "nopass")+bulk("passwords")+"*0\r\n"+
			bulk("commands")+bulk("+@all -@dangerous")+bulk("keys")+bulk("%R~r:* %W~w:* ~rw:*")+
			bulk("channels")+bulk("")+bulk("selectors")+"*2\r\n"+
			"*6\r\n"+bulk("commands")+bulk("-@all +get")+bulk("keys")+bulk("~sel:*")+bulk("channels")+bulk("")+
			"*6\r\n"+bulk("commands")+bulk("-@all +set")+bulk("keys")+bulk("~x")+bulk("channels")+bulk(""),
			"ACL", "GETUSER", "bob")
		got := c.do("ACL", "LIST")
		for _, want := range []string{
			"user alice on #" + pwHash + " ~obj:* resetchannels &chan:* -@all +@read -get",
			"user bob on nopass %R~r:* %W~w:* ~rw:* resetchannels +@all -@dangerous (~sel:* resetchannels -@all +get) (~x resetchannels -@all +set)",
			"user default on nopass ~* &* +@all",
		} {
			if !strings.Contains(got, bulk(want)) {
				t.Errorf("ACL LIST %q lacks %q", got, want)
			}
		}
		// A new user is off, with no permissions; reset adds sanitize-payload.
		c.expect(okReply, "ACL", "SETUSER", "dave", "reset")
		c.expect("*12\r\n"+bulk("flags")+arr("off", "sanitize-payload")+bulk("passwords")+"*0\r\n"+
			bulk("commands")+bulk("-@all")+bulk("keys")+bulk("")+bulk("channels")+bulk("")+bulk("selectors")+"*0\r\n",
			"ACL", "GETUSER", "dave")
		// Subcommands and first args.
		c.expect(okReply, "ACL", "SETUSER", "carol", "-@all", "+client", "-client|kill", "+config|get", "+select|0")
		g := c.match(`\$\d+\r\n-@all \+`, "ACL", "GETUSER", "carol")
		for _, r := range []string{" +client", " -client|kill", " +config|get", " +select|0"} {
			if !strings.Contains(g, r) {
				t.Errorf("GETUSER carol lacks %q: %q", r, g)
			}
		}
		c.expect(nilBulk, "ACL", "GETUSER", "nobody")
		users := c.do("ACL", "USERS")
		if !strings.Contains(users, bulk("alice")+bulk("bob")+bulk("carol")+bulk("dave")) {
			t.Errorf("ACL USERS: %q", users)
		}
		c.expect(":2\r\n", "ACL", "DELUSER", "dave", "carol", "nobody")
		c.expect("-ERR The 'default' user cannot be removed\r\n", "ACL", "DELUSER", "alice", "default")
		c.expect(bulk("default"), "ACL", "WHOAMI")
	})
}

// unit/acl: every rule error of ACL SETUSER, with Redis's texts.
func TestACLSetUserErrors(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "e")
		c := svDial(t, addr)
		for _, tc := range []struct{ op, msg string }{
			{"+nosuchcmd", "Unknown command or category name in ACL"},
			{"+@nosuchcat", "Unknown command or category name in ACL"},
			{"-nosuchcmd", "Unknown command or category name in ACL"},
			{"+config|get|x", "Allowing first-arg of a subcommand is not supported"},
			{"+config|nosuch", "Unknown command or category name in ACL"},
			{"%Q~x", "Syntax error"},
			{"%~x", "Syntax error"},
			{"#abc", "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"},
			{"<nope", "The password you are trying to remove from the user does not exist"},
			{"bogus", "Syntax error"},
		} {
			c.expect("-ERR Error in ACL SETUSER modifier '"+tc.op+"': "+tc.msg+"\r\n", "ACL", "SETUSER", "e", tc.op)
		}
		c.expect("-ERR Error in ACL SETUSER modifier '~x': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns\r\n", "ACL", "SETUSER", "e", "~*", "~x")
		c.expect("-ERR Error in ACL SETUSER modifier '&x': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels\r\n", "ACL", "SETUSER", "e", "&*", "&x")
		c.expect("-ERR Unmatched parenthesis in acl selector starting at '(+get'.\r\n", "ACL", "SETUSER", "e", "(+get", "~x")
		c.expect("-ERR Usernames can't contain spaces or null characters\r\n", "ACL", "SETUSER", "a b")
		// A failed SETUSER changes nothing: the user was never created.
		c.expect(nilBulk, "ACL", "GETUSER", "e")
		c.expect("-ERR Unknown category 'nosuch'\r\n", "ACL", "CAT", "nosuch")
		c.expect("-ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096\r\n", "ACL", "GENPASS", "0")
		c.match(`^\$64\r\n[0-9a-f]{64}\r\n$`, "ACL", "GENPASS")
		c.match(`^\$2\r\n[0-9a-f]{2}\r\n$`, "ACL", "GENPASS", "5")
		c.expect("-ERR value is not an integer or out of range\r\n", "ACL", "LOG", "x")
		c.expect("-ERR unknown subcommand 'NOSUCH'. Try ACL HELP.\r\n", "ACL", "NOSUCH")
		c.expect("-ERR wrong number of arguments for 'acl|getuser' command\r\n", "ACL", "GETUSER")
		c.expect("-ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.\r\n", "ACL", "SAVE")
		if h := c.do("ACL", "HELP"); !strings.HasPrefix(h, "*29\r\n+ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CAT [<category>]\r\n") {
			t.Errorf("ACL HELP: %q", svShort(h))
		}
	})
}

// unit/acl: what a user may run: commands, keys (with read/write
// patterns), channels and selectors; the NOPERM texts.
func TestACLPermissions(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "u1", "u2")
		admin := svDial(t, addr)
		admin.expect(okReply, "ACL", "SETUSER", "u1", "on", ">pw", "~obj:*", "&chan:*", "+@read", "+set", "-get", "+publish", "+subscribe", "+psubscribe", "+select", "+multi", "+exec")
		admin.expect(okReply, "ACL", "SETUSER", "u2", "on", "nopass", "%R~r:*", "%W~w:*", "+@all", "(~sel:* +get)")
		c := svDial(t, addr)
		c.expect(okReply, "AUTH", "u1", "pw")
		c.expect("-NOPERM this user has no permissions to run the 'get' command\r\n", "GET", "obj:1")
		c.expect("-NOPERM this user has no permissions to run the 'acl|whoami' command\r\n", "ACL", "WHOAMI")
		c.expect("-NOPERM this user has no permissions to run the 'acl|setuser' command\r\n", "ACL", "SETUSER", "u1", "+@all")
		c.expect("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", "SET", "x", "1")
		c.expect(okReply, "SET", "obj:1", "v")
		c.expect(bulk("v"), "GETRANGE", "obj:1", "0", "-1")
		c.expect("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", "MGET", "obj:1", "other")
		c.expect("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n", "PUBLISH", "news", "m")
		c.expect(":0\r\n", "PUBLISH", "chan:1", "m")
		c.expect("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n", "PSUBSCRIBE", "chan:1*")
		// In MULTI the denial aborts EXEC.
		c.expect(okReply, "MULTI")
		c.expect("-NOPERM this user has no permissions to run the 'get' command\r\n", "GET", "obj:1")
		c.expect("-EXECABORT Transaction discarded because of previous errors.\r\n", "EXEC")

		d := svDial(t, addr)
		d.expect(okReply, "AUTH", "u2", "any")
		d.expect(okReply, "SET", "w:1", "x")                                                                                  // write-only pattern
		d.expect("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", "GET", "w:1")        // no read
		d.expect(nilBulk, "GET", "r:1")                                                                                       // read-only pattern
		d.expect("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", "SET", "r:1", "x")   // no write
		d.expect(nilBulk, "GET", "sel:1")                                                                                     // via the selector
		d.expect("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", "SET", "sel:1", "x") // selector has only GET
		d.expect(":2\r\n", "APPEND", "w:1", "x")                                                                              // APPEND only inserts: W is enough

		// DRYRUN reports the same decisions without running anything.
		admin.expect(okReply, "ACL", "DRYRUN", "u1", "set", "obj:1", "v")
		admin.expect(bulk("This user has no permissions to run the 'get' command"), "ACL", "DRYRUN", "u1", "get", "obj:1")
		admin.expect(bulk("This user has no permissions to access the 'other' key"), "ACL", "DRYRUN", "u1", "set", "other", "v")
		admin.expect(bulk("This user has no permissions to access the 'news' channel"), "ACL", "DRYRUN", "u1", "publish", "news", "m")
		admin.expect(bulk("This user has no permissions to access the 'r:1' key"), "ACL", "DRYRUN", "u2", "set", "r:1", "1")
		admin.expect(okReply, "ACL", "DRYRUN", "u2", "get", "sel:1")
		admin.expect("-ERR User 'nobody' not found\r\n", "ACL", "DRYRUN", "nobody", "get", "x")
		admin.expect("-ERR Command 'nocmd' not found\r\n", "ACL", "DRYRUN", "u1", "nocmd", "x")
		admin.expect("-ERR wrong number of arguments for 'get' command\r\n", "ACL", "DRYRUN", "u1", "get")
	})
}

// unit/auth: requirepass is the default user's password; AUTH, HELLO
// AUTH and the unauthenticated errors.
func TestACLAuthRequirePass(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "off1")
		admin := svDial(t, addr)
		admin.expect(okReply, "CONFIG", "SET", "requirepass", "foobar")
		admin.match(`\$93\r\nuser default on #c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2 ~\* &\* \+@all\r\n`, "ACL", "LIST")
		c := svDial(t, addr)
		c.expect("-NOAUTH Authentication required.\r\n", "PING")
		c.expect("-NOAUTH Authentication required.\r\n", "ACL", "WHOAMI")
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "AUTH", "wrong")
		c.expect("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n", "HELLO", "2")
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "HELLO", "2", "AUTH", "default", "wrong")
		c.match(`^\*14\r\n`, "HELLO", "2", "AUTH", "default", "foobar")
		c.expect("+PONG\r\n", "PING")
		d := svDial(t, addr)
		d.expect(okReply, "AUTH", "foobar")
		d.expect(okReply, "AUTH", "default", "foobar")
		// A disabled user cannot authenticate even with the right password.
		admin.expect(okReply, "ACL", "SETUSER", "off1", "off", ">pw", "+@all")
		d.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "AUTH", "off1", "pw")
		// Clearing requirepass lets every connection in again.
		admin.expect(okReply, "CONFIG", "SET", "requirepass", "")
		e := svDial(t, addr)
		e.expect("+PONG\r\n", "PING")
		e.expect("-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n", "AUTH", "x")
	})
}

// unit/acl: the ACL LOG entries and their grouping.
func TestACLLog(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "antirez")
		admin := svDial(t, addr)
		admin.expect(okReply, "ACL", "SETUSER", "antirez", "on", ">foo", "~object:*", "+set", "+multi", "+discard")
		admin.expect(okReply, "ACL", "LOG", "RESET")
		c := svDial(t, addr)
		c.expect(okReply, "AUTH", "antirez", "foo")
		c.expect("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", "SET", "somekey", "x")
		c.expect("-NOPERM this user has no permissions to access one of the keys used as arguments\r\n", "SET", "somekey", "x")
		c.expect("-NOPERM this user has no permissions to run the 'get' command\r\n", "GET", "object:1")
		c.expect("-WRONGPASS invalid username-password pair or user is disabled.\r\n", "AUTH", "antirez", "wrong")
		log := admin.do("ACL", "LOG")
		if !strings.HasPrefix(log, "*3\r\n*14\r\n") {
			t.Fatalf("ACL LOG: %q", svShort(log))
		}
		entries := strings.Split(log, "*14\r\n")[1:]
		want := []struct{ count, reason, object, user string }{
			{"1", "auth", "AUTH", "antirez"},
			{"1", "command", "get", "antirez"},
			{"2", "key", "somekey", "antirez"},
		}
		for i, w := range want {
			e := entries[i]
			head := bulk("count") + ":" + w.count + "\r\n" + bulk("reason") + bulk(w.reason) + bulk("context") + bulk("toplevel") +
				bulk("object") + bulk(w.object) + bulk("username") + bulk(w.user) + bulk("age-seconds")
			if !strings.HasPrefix(e, head) {
				t.Errorf("entry %d: %q\nwant prefix %q", i, e, head)
			}
			if !strings.Contains(e, bulk("client-info")) || !strings.Contains(e, " user=antirez ") {
				t.Errorf("entry %d client-info: %q", i, e)
			}
		}
		if !strings.Contains(entries[1], "cmd=get ") {
			t.Errorf("entry 1 client-info lacks cmd=get: %q", entries[1])
		}
		admin.match(`^\*1\r\n\*14\r\n\$5\r\ncount\r\n:1\r\n\$6\r\nreason\r\n\$4\r\nauth\r\n`, "ACL", "LOG", "1")
		c.expect(okReply, "MULTI")
		c.expect("-NOPERM this user has no permissions to run the 'get' command\r\n", "GET", "object:1")
		c.expect(okReply, "DISCARD")
		admin.match(`context\r\n\$5\r\nmulti\r\n`, "ACL", "LOG", "1")
		admin.expect(okReply, "ACL", "LOG", "RESET")
		admin.expect("*0\r\n", "ACL", "LOG")
	})
}

// unit/acl: deleting a user disconnects its clients; CLIENT KILL USER.
func TestACLDelUserKillsClients(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "k1", "k2")
		admin := svDial(t, addr)
		admin.expect(okReply, "ACL", "SETUSER", "k1", "on", "nopass", "+@all", "~*")
		admin.expect(okReply, "ACL", "SETUSER", "k2", "on", "nopass", "+@all", "~*")
		c := svDial(t, addr)
		c.expect(okReply, "AUTH", "k1", "x")
		d := svDial(t, addr)
		d.expect(okReply, "AUTH", "k2", "x")
		admin.expect(":1\r\n", "ACL", "DELUSER", "k1")
		if !c.closed(2 * time.Second) {
			t.Error("client of the deleted user still connected")
		}
		d.expect("+PONG\r\n", "PING")
		admin.expect("-ERR No such user 'k1'\r\n", "CLIENT", "KILL", "USER", "k1")
		admin.expect(":1\r\n", "CLIENT", "KILL", "USER", "k2")
		if !d.closed(2 * time.Second) {
			t.Error("CLIENT KILL USER left the client connected")
		}
	})
}

// unit/acl: revoking channels disconnects the subscribers of the revoked
// channels, and only them.
func TestACLRevokedChannelsKillSubscribers(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "psuser")
		admin := svDial(t, addr)
		admin.expect(okReply, "ACL", "SETUSER", "psuser", "on", "nopass", "resetchannels", "&foo:1", "&bar:*", "+@all", "~*")
		a := svDial(t, addr)
		a.expect(okReply, "AUTH", "psuser", "x")
		a.expect("*3\r\n"+bulk("subscribe")+bulk("foo:1")+":1\r\n", "SUBSCRIBE", "foo:1")
		b := svDial(t, addr)
		b.expect(okReply, "AUTH", "psuser", "x")
		b.expect("*3\r\n"+bulk("psubscribe")+bulk("bar:*")+":1\r\n", "PSUBSCRIBE", "bar:*")
		b.expect("-NOPERM this user has no permissions to access one of the channels used as arguments\r\n", "PSUBSCRIBE", "bar:1*")
		// Adding a channel kills nobody.
		admin.expect(okReply, "ACL", "SETUSER", "psuser", "&baz")
		a.expect("*2\r\n"+bulk("pong")+bulk("")+"", "PING")
		// Revoking foo:1 kills a, not b.
		admin.expect(okReply, "ACL", "SETUSER", "psuser", "resetchannels", "&bar:*")
		if !a.closed(2 * time.Second) {
			t.Error("subscriber of a revoked channel still connected")
		}
		b.expect("*2\r\n"+bulk("pong")+bulk(""), "PING")
	})
}

// acl-pubsub-default decides the channels of new users.
func TestACLPubsubDefault(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "pd1", "pd2")
		c := svDial(t, addr)
		c.expect(okReply, "ACL", "SETUSER", "pd1")
		c.match(`channels\r\n\$0\r\n`, "ACL", "GETUSER", "pd1")
		c.expect(okReply, "CONFIG", "SET", "acl-pubsub-default", "allchannels")
		c.expect(okReply, "ACL", "SETUSER", "pd2")
		c.match(`channels\r\n\$2\r\n&\*\r\n`, "ACL", "GETUSER", "pd2")
		c.expect(okReply, "CONFIG", "SET", "acl-pubsub-default", "resetchannels")
	})
}

// ACL SAVE and LOAD with an aclfile; LOAD replaces all users and
// disconnects the clients of the old ones.
func TestACLFile(t *testing.T) {
	dir := t.TempDir()
	for i, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			file := filepath.Join(dir, "users"+strconv.Itoa(i)+".acl")
			if err := os.WriteFile(file, []byte("user alice on >pw ~* +@all\nuser default on nopass ~* &* +@all\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			s := servertest.Start(t, mode, "--aclfile", file)
			c := svDial(t, s.Addr)
			c.match(`user alice on #`+pwHash+` ~\* resetchannels \+@all`, "ACL", "LIST")
			a := svDial(t, s.Addr)
			a.expect(okReply, "AUTH", "alice", "pw")
			c.expect(okReply, "ACL", "SETUSER", "bob", "on", ">x", "~b:*", "+get")
			c.expect(okReply, "ACL", "SAVE")
			data, _ := os.ReadFile(file)
			want := "user alice on #" + pwHash + " ~* resetchannels +@all\nuser bob on #2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881 ~b:* resetchannels -@all +get\nuser default on nopass ~* &* +@all\n"
			if string(data) != want {
				t.Errorf("saved file:\n%s\nwant\n%s", data, want)
			}
			// A broken file changes nothing.
			if err := os.WriteFile(file, []byte("user carol on +nosuch\nfoo\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			c.expect("-ERR "+file+":1: Error in applying operation '+nosuch': Unknown command or category name in ACL. "+file+":2 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n", "ACL", "LOAD")
			a.expect("+PONG\r\n", "PING")
			if err := os.WriteFile(file, []byte("user carol on nopass ~* +@all\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			c.expect(okReply, "ACL", "LOAD")
			c.expect(arr("carol", "default"), "ACL", "USERS")
			if !a.closed(2 * time.Second) {
				t.Error("client of a user removed by ACL LOAD still connected")
			}
			c.expect("+PONG\r\n", "PING")
		})
	}
}

// "user" directives configure users at startup; with an aclfile too the
// server refuses to start.
func TestACLConfigUsers(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		c.expect("-NOAUTH Authentication required.\r\n", "PING")
		c.expect(okReply, "AUTH", "alice", "pw")
		c.expect(bulk("alice"), "ACL", "WHOAMI")
		c.expect(arr("alice", "default"), "ACL", "USERS")
		c.expect(arr("user alice on #"+pwHash+" ~* resetchannels +@all", "user default on sanitize-payload #"+pwHash+" ~* &* +@all"), "ACL", "LIST")
	}, "--user", "alice", "on", ">pw", "~*", "+@all", "--user", "default", "on", ">pw", "~*", "&*", "+@all")
}

// unit/acl: EXEC re-checks queued commands against the current rules.
func TestACLChangedBeforeExec(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		aclCleanup(t, addr, "tx")
		admin := svDial(t, addr)
		admin.expect(okReply, "ACL", "SETUSER", "tx", "on", "nopass", "~*", "+@all")
		c := svDial(t, addr)
		c.match(`^\*14\r\n`, "HELLO", "2", "AUTH", "tx", "x")
		c.expect(bulk("tx"), "ACL", "WHOAMI")
		c.expect(okReply, "MULTI")
		c.expect("+QUEUED\r\n", "SET", "a", "1")
		c.expect("+QUEUED\r\n", "GET", "a")
		admin.expect(okReply, "ACL", "SETUSER", "tx", "resetkeys", "~b*")
		c.expect("*2\r\n-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to touch the specified keys\r\n"+
			"-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to touch the specified keys\r\n", "EXEC")
		admin.match(`context\r\n\$5\r\nmulti\r\n\$6\r\nobject\r\n\$1\r\na\r\n`, "ACL", "LOG", "1")
	})
}
