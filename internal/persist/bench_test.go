package persist

import (
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// benchManager returns a manager over a server holding n string keys,
// without a front end.
func benchManager(b *testing.B, n int) *Manager {
	cfg := config.Default()
	if err := cfg.ApplyArgs([]string{"--dir", b.TempDir(), "--save", "", "--appendonly", "no"}); err != nil {
		b.Fatal(err)
	}
	s := core.NewServer(cfg, core.Table{}, slog.New(slog.DiscardHandler))
	s.DataLock = &sync.Mutex{}
	db := s.KS.DB(0)
	for i := 0; i < n; i++ {
		db.Set([]byte("key:"+strconv.Itoa(i)), keyspace.NewString([]byte("value-0123456789")), false)
	}
	m, err := Open(s, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Exited)
	return m
}

// BenchmarkSnapshotRDB measures a background-style snapshot (slices under
// the lock, encoding outside) of 1M string keys into io.Discard, and a
// synchronous save of the same.
func BenchmarkSnapshotRDB(b *testing.B) {
	m := benchManager(b, 1<<20)
	b.Run("background", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m.lock.Lock()
			snap := m.srv.KS.StartSnapshot()
			j := &job{snap: snap, total: int64(snap.Keys())}
			st := m.settings(formatRDB, false)
			m.lock.Unlock()
			if err := m.streamSnapshot(j, io.Discard, st); err != nil {
				b.Fatal(err)
			}
			m.lock.Lock()
			snap.End()
			m.lock.Unlock()
		}
	})
	b.Run("sync", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := m.writeAll(io.Discard, formatRDB, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
