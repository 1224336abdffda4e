package resp

import (
	"bytes"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// TestParseCasesAgainstRedis sends every error, incomplete and ignored case
// of parseCases to a real Redis 7.0 and checks that it answers the same way.
// It runs only when RESP_REDIS_ADDR names a server without a password; cases
// for unauthenticated clients also need RESP_REDIS_AUTH_ADDR, a server with
// requirepass set. For example:
//
//	redis-server --port 7777 --daemonize yes
//	redis-server --port 7778 --daemonize yes && redis-cli -p 7778 config set requirepass x
//	RESP_REDIS_ADDR=127.0.0.1:7777 RESP_REDIS_AUTH_ADDR=127.0.0.1:7778 go test -run AgainstRedis ./internal/resp/
func TestParseCasesAgainstRedis(t *testing.T) {
	addr, authAddr := os.Getenv("RESP_REDIS_ADDR"), os.Getenv("RESP_REDIS_AUTH_ADDR")
	if addr == "" {
		t.Skip("RESP_REDIS_ADDR not set")
	}
	for _, c := range parseCases {
		a := addr
		if c.unauth {
			a = authAddr
		}
		if a == "" || c.maxBulk != 0 || (c.n > 0 && len(c.args) > 0) {
			continue
		}
		t.Run(caseName(c), func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", a)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			in := []byte(c.in)
			want := []byte{}
			if c.n > 0 { // ignored request: a PING after it must be answered
				in = append(in[:c.n:c.n], "PING\r\n"...)
				want = []byte("+PONG\r\n")
				if c.unauth {
					want = []byte("-NOAUTH Authentication required.\r\n")
				}
			}
			if c.err != "" {
				want = []byte("-" + c.err + "\r\n")
			}
			if _, err := conn.Write(in); err != nil {
				t.Fatal(err)
			}
			conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
			got, err := io.ReadAll(conn)
			closed := err == nil
			if !bytes.Equal(got, want) {
				t.Errorf("redis replied %q; want %q", got, want)
			}
			if closed != (c.err != "") {
				t.Errorf("redis closed the connection: %v; want %v", closed, c.err != "")
			}
		})
	}
}
