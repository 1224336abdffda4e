package server_test

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// A client that sends a pipeline and then shuts down its side of the
// connection still gets every reply before the server closes (the event
// loop writes a pipelined batch's replies at the end of its iteration, or
// after the AOF commit under appendfsync always, either of which may come
// after it read the end of the input).
func TestHalfClosedPipelineGetsReplies(t *testing.T) {
	t.Run("aof-off", func(t *testing.T) { halfClosedPipeline(t) })
	t.Run("appendfsync-always", func(t *testing.T) {
		halfClosedPipeline(t, "--appendonly", "yes", "--appendfsync", "always")
	})
}

func halfClosedPipeline(t *testing.T, directives ...string) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		req := strings.Repeat(servertest.Encode("INCR", "hc"), 3) + servertest.Encode("PING")
		n := 0
		for i := 0; i < 50; i++ {
			nc, err := net.Dial("tcp", s.Addr)
			if err != nil {
				t.Fatal(err)
			}
			_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := nc.Write([]byte(req)); err != nil {
				t.Fatal(err)
			}
			if err := nc.(*net.TCPConn).CloseWrite(); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(nc)
			nc.Close()
			if err != nil {
				t.Fatalf("round %d: %v after %q", i, err, got)
			}
			want := ""
			for j := 1; j <= 3; j++ {
				n++
				want += ":" + itoa(n) + "\r\n"
			}
			want += "+PONG\r\n"
			if string(got) != want {
				t.Fatalf("round %d: got %q, want %q", i, got, want)
			}
		}
	}, directives...)
}

func itoa(n int) string {
	b := []byte{}
	for ; n > 0 || len(b) == 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
