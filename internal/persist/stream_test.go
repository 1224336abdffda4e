package persist_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStreamSurvivesAOFRewrite: with aof-use-rdb-preamble yes a rewrite
// writes an RDB base holding the stream (its nodes, group and pending
// entry), and the stream comes back after a restart.
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
			want := dataset(t, a.addr)
			a.shutdown(false)
			bases, _ := filepath.Glob(filepath.Join(dir, "appendonlydir", "*.base.rdb"))
			if len(bases) != 1 {
				t.Fatalf("RDB base files after the rewrite: %v", bases)
			}
			if b, err := os.ReadFile(bases[0]); err != nil || !strings.Contains(string(b), "alice") {
				t.Fatalf("the RDB base lacks the stream's consumer: %v", err)
			}

			b := start(t, mode, dir, args...)
			sameDataset(t, want, dataset(t, b.addr))
			p, err := b.do("XPENDING", "s", "g").Slice()
			if err != nil || len(p) != 4 || p[0] != int64(1) || p[1] != "1-1" {
				t.Fatalf("XPENDING = %v %v", p, err)
			}
		})
	}
}

// TestStreamDumpRestore: DUMP and RESTORE of streams (with groups,
// consumers, pending entries, deleted entries, several nodes) reproduce
// them exactly, in both modes; a damaged payload is refused with Redis's
// error.
func TestStreamDumpRestore(t *testing.T) {
	modes(t, func(t *testing.T, mode string) {
		a := start(t, mode, t.TempDir(), "--save", "")
		populateStreams(t, a.addr)
		for _, k := range []string{"stream", "emptystream"} {
			p, err := a.do("DUMP", k).Text()
			if err != nil {
				t.Fatalf("DUMP %s: %v", k, err)
			}
			if err := a.do("RESTORE", k+":copy", 0, p).Err(); err != nil {
				t.Fatalf("RESTORE %s: %v", k, err)
			}
			orig := a.do("XINFO", "STREAM", k, "FULL").String()
			cp := a.do("XINFO", "STREAM", k+":copy", "FULL").String()
			if strings.TrimPrefix(orig, fmt.Sprintf("XINFO STREAM %s FULL: ", k)) != strings.TrimPrefix(cp, fmt.Sprintf("XINFO STREAM %s:copy FULL: ", k)) {
				t.Fatalf("%s restored differently:\n%s\n%s", k, orig, cp)
			}
			if q, _ := a.do("DUMP", k+":copy").Text(); q != p {
				t.Fatalf("%s: DUMP of the restored copy differs", k)
			}
			// A damaged byte is refused (the footer's CRC64 catches it).
			b := []byte(p)
			b[30] ^= 0x55
			err = a.do("RESTORE", k+":bad", 0, string(b)).Err()
			if err == nil || err.Error() != "ERR DUMP payload version or checksum are wrong" {
				t.Fatalf("damaged payload: %v", err)
			}
		}
	})
}
