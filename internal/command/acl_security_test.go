package command_test

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

const deniedProtected = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// nonLoopbackIP returns an IPv4 address of this machine that is not
// loopback, or "".
func nonLoopbackIP() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// BAD-INPUTS 12: protected mode refuses non-loopback clients while the
// default user has no password, with Redis's text, then closes.
func TestProtectedMode(t *testing.T) {
	ip := nonLoopbackIP()
	if ip == "" {
		t.Skip("no non-loopback address")
	}
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		remote := net.JoinHostPort(ip, strconv.Itoa(s.Port))
		c := svDial(t, remote)
		c.send("PING")
		if got := c.read(); got != deniedProtected {
			t.Fatalf("got %q", svShort(got))
		}
		if !c.closed(2 * time.Second) {
			t.Error("denied connection left open")
		}
		// Loopback clients are served.
		local := svDial(t, s.Addr)
		local.expect("+PONG\r\n", "PING")
		// With a password, remote clients get in (and must authenticate).
		local.expect(okReply, "CONFIG", "SET", "requirepass", "pw")
		r := svDial(t, remote)
		r.expect("-NOAUTH Authentication required.\r\n", "PING")
		r.expect(okReply, "AUTH", "pw")
		// protected-mode no lets remote clients in without a password.
		local.expect(okReply, "AUTH", "pw")
		local.expect(okReply, "CONFIG", "SET", "requirepass", "")
		local.expect(okReply, "CONFIG", "SET", "protected-mode", "no")
		r2 := svDial(t, remote)
		r2.expect("+PONG\r\n", "PING")
		local.match(`rejected_connections:1\r\n`, "INFO", "stats")
	}, "--bind", "0.0.0.0")
}

// BAD-INPUTS 7 and 9: before AUTH, big multibulk counts and bulk lengths
// are protocol errors, and commands get NOAUTH.
func TestUnauthenticatedLimits(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		admin := svDial(t, addr)
		admin.expect(okReply, "CONFIG", "SET", "requirepass", "pw")
		aclCleanup(t, addr)
		c := svDial(t, addr)
		c.expect("-NOAUTH Authentication required.\r\n", "GET", "x")
		raw := func(payload, want string) {
			t.Helper()
			d := svDial(t, addr)
			if _, err := d.c.Write([]byte(payload)); err != nil {
				t.Fatal(err)
			}
			if got := d.read(); got != want {
				t.Errorf("%q: got %q want %q", payload, got, want)
			}
			if !d.closed(2 * time.Second) {
				t.Errorf("%q: connection left open", payload)
			}
		}
		raw("*100\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n")
		raw("*1\r\n$100000000\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n")
		// Ten arguments of up to 16 KB are fine before AUTH.
		d := svDial(t, addr)
		d.expect("-NOAUTH Authentication required.\r\n", "MSET", "a", strings.Repeat("x", 16384), "b", "1", "c", "1", "d", "1", "e")
		d.expect(okReply, "AUTH", "pw")
		// Once authenticated the limits are gone.
		d.expect(okReply, "MSET", "k1", "1", "k2", "1", "k3", "1", "k4", "1", "k5", "1", "k6", "1")
		d.expect(okReply, "AUTH", "pw")
		d.expect(okReply, "CONFIG", "SET", "requirepass", "")
	})
}
