package command_test

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Reproductions of Redis's unit/networking (external:skip in its suite):
// CONFIG SET port and bind re-listen, in both modes and against
// SERVER_ORACLE. Left out: "CONFIG SET bind-source-addr" (replication),
// "Protected mode works as expected" (needs a non-loopback address) and
// the restart half of "Default bind address configuration handling".

// freePort returns a port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

// pingAt reports whether a new connection to addr answers PING.
func pingAt(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && line == "+PONG\r\n"
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// "CONFIG SET port number"
func TestNetworkingConfigSetPort(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		orig := portOf(addr)
		newPort := strconv.Itoa(freePort(t))
		newAddr := "127.0.0.1:" + newPort
		r := svDial(t, addr)
		r.expect(okReply, "CONFIG", "SET", "port", newPort)
		defer func() {
			// Back to the original port (for the oracle).
			c := svDial(t, newAddr)
			c.do("CONFIG", "SET", "port", orig)
		}()
		r.c.Close()
		rd := svDial(t, newAddr)
		rd.expect("+PONG\r\n", "PING")
		rd.expect("*2\r\n"+bulk("port")+bulk(newPort), "CONFIG", "GET", "port")
		if pingAt(addr) {
			t.Error("the old port still serves")
		}

		// already in use
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer busy.Close()
		rd.match(`^-ERR CONFIG SET failed \(possibly related to argument 'port'\) - Unable to listen on this port`,
			"CONFIG", "SET", "port", portOf(busy.Addr().String()))
		rd.expect("*2\r\n"+bulk("port")+bulk(newPort), "CONFIG", "GET", "port")
		rd.c.Close()
		if !pingAt(newAddr) {
			t.Error("no longer listening on the previous port")
		}
	})
}

// "CONFIG SET bind address" and the first half of "Default bind address
// configuration handling": an invalid address fails and keeps the old
// ones; an empty list stops listening; setting the address again serves.
func TestNetworkingConfigSetBind(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		before := r.do("CONFIG", "GET", "bind")
		defer func() {
			// The original list (the oracle's "* -::*").
			lines := strings.Split(before, "\r\n")
			r.do("CONFIG", "SET", "bind", lines[len(lines)-2])
		}()
		r.match(`^-ERR CONFIG SET failed \(possibly related to argument 'bind'\) - Failed to bind to specified addresses`,
			"CONFIG", "SET", "bind", "999.999.999.999")
		r.expect(before, "CONFIG", "GET", "bind")
		if !pingAt(addr) {
			t.Error("not listening after a failed CONFIG SET bind")
		}

		r.expect(okReply, "CONFIG", "SET", "bind", "")
		r.expect("*2\r\n"+bulk("bind")+bulk(""), "CONFIG", "GET", "bind")
		if pingAt(addr) {
			t.Error("a new client was served with bind \"\"")
		}
		r.expect("+PONG\r\n", "PING") // existing connections stay
		r.expect(okReply, "CONFIG", "SET", "bind", "127.0.0.1")
		if !pingAt(addr) {
			t.Error("not listening after CONFIG SET bind 127.0.0.1")
		}
	})
}
