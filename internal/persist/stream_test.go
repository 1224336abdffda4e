package persist_test

import (
	"strings"
	"testing"
)

// TestStreamSurvivesAOFRewrite: the RDB codec has no stream encoding, so
// with a stream in the dataset a rewrite writes a RESP base (XADD, XSETID,
// XGROUP, XCLAIM) even with aof-use-rdb-preamble yes; the stream, its group
// and its pending entry come back after a restart.
func TestStreamSurvivesAOFRewrite(t *testing.T) {
	for _, mode := range []string{"eventloop", "threaded"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"--appendonly", "yes", "--save", "", "--aof-use-rdb-preamble", "yes"}
			a := start(t, mode, dir, args...)
			a.do("XADD", "s", "1-1", "f", "v")
			a.do("XADD", "s", "2-1", "f", "w")
			a.do("XGROUP", "CREATE", "s", "g", "0")
			a.do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">")
			a.do("SET", "k", "v")
			a.do("BGREWRITEAOF")
			waitIdle(t, a)
			if info := a.client().Info(ctxT(t), "persistence").Val(); !strings.Contains(info, "aof_last_bgrewrite_status:ok") {
				t.Fatalf("rewrite with a stream failed:\n%s", info)
			}
			a.shutdown(false)

			b := start(t, mode, dir, args...)
			if n, err := b.do("XLEN", "s").Int64(); err != nil || n != 2 {
				t.Fatalf("XLEN = %d %v", n, err)
			}
			p, err := b.do("XPENDING", "s", "g").Slice()
			if err != nil || len(p) != 4 || p[0] != int64(1) || p[1] != "1-1" {
				t.Fatalf("XPENDING = %v %v", p, err)
			}
			if v, err := b.do("GET", "k").Text(); err != nil || v != "v" {
				t.Fatalf("GET k = %q %v", v, err)
			}
		})
	}
}
