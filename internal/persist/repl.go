package persist

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/redis-clone/redis-clone/internal/persist/rdb"
)

// Replication's use of the snapshot machinery: a full resynchronization
// ships the dataset as an RDB produced by a background job from a
// point-in-time snapshot (no client waits for it), and a replica loads
// the RDB its master sent.

// StartReplicationSync starts a background job that writes the dataset as
// it is now, in RDB format, to out (a replica's socket, or a file for a
// disk-based sync) and then calls done, holding the data lock, with the
// result. It runs as Redis's RDB child does: BGSAVE meanwhile answers that
// a save is in progress. pace, if not nil, is called between keys with no
// lock held: it may block to slow the job down (out itself must not block
// on anything the data owner holds, as the job may hold the snapshot's
// value lock while it writes). It returns ErrBgsaveBusy while another job
// runs. The caller holds the data lock.
func (m *Manager) StartReplicationSync(out io.Writer, pace func(), done func(error)) error {
	if m.job != nil {
		return ErrBgsaveBusy
	}
	snap := m.srv.KS.StartSnapshot()
	if snap == nil {
		return ErrBgsaveBusy
	}
	st := m.settings(formatRDB, false)
	st.pace = pace
	j := &job{kind: jobSave, start: time.Now(), snap: snap, total: int64(snap.Keys())}
	m.job = j
	m.log.Info(fmt.Sprintf("Starting BGSAVE for SYNC with target: replicas sockets (%d keys)", j.total))
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		err := m.streamSnapshot(j, out, st)
		m.lock.Lock()
		m.logJob(j)
		j.snap.End()
		if m.job == j {
			m.job = nil
		}
		done(err)
		m.lock.Unlock()
	}()
	return nil
}

// CheckRDBFile reads the RDB at path to its end (checksum included)
// without loading anything: a replica checks its master's payload before
// it drops its own data for it.
func (m *Manager) CheckRDBFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return rdb.Load(bufio.NewReaderSize(f, 1<<20), rdb.NopHandler{}, rdb.LoadOptions{SkipChecksum: !m.cfg.RDBChecksum})
}

// LoadReplicaRDB replaces the dataset with the RDB at path (checked with
// CheckRDBFile first) and renames the file to the configured dbfilename,
// as a Redis replica does. yield is called every few thousand keys; the
// caller may release the data lock inside it to let clients get their
// -LOADING replies. The caller holds the data lock.
func (m *Manager) LoadReplicaRDB(path string, yield func()) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	restore := m.loading()
	defer restore()
	m.loadedRepl = ReplInfo{}
	m.emptyData()
	// A replica keeps keys that expired: its master sends their DELs.
	l := m.newLoader(true, true)
	l.sizeFromFile(path)
	h := &yieldingLoader{loader: l, yield: yield}
	if err := rdb.Load(bufio.NewReaderSize(f, 1<<20), h, rdb.LoadOptions{SkipChecksum: !m.cfg.RDBChecksum}); err != nil {
		m.logRDBError(err)
		return err
	}
	l.done()
	if m.snapshotFormat() == formatRDB {
		_ = os.Rename(path, filepath.Join(m.cfg.Dir, m.cfg.DBFilename))
	}
	return nil
}

// yieldingLoader is a loader that calls yield every yieldEvery keys.
type yieldingLoader struct {
	*loader
	yield func()
	n     int
}

const yieldEvery = 4096

func (y *yieldingLoader) tick() {
	if y.n++; y.n%yieldEvery == 0 && y.yield != nil {
		y.yield()
	}
}

func (y *yieldingLoader) String(key, val []byte, exp int64) error {
	y.tick()
	return y.loader.String(key, val, exp)
}

func (y *yieldingLoader) List(key []byte, elems [][]byte, exp int64) error {
	y.tick()
	return y.loader.List(key, elems, exp)
}

func (y *yieldingLoader) Set(key []byte, members [][]byte, exp int64) error {
	y.tick()
	return y.loader.Set(key, members, exp)
}

func (y *yieldingLoader) Hash(key []byte, pairs [][2][]byte, exp int64) error {
	y.tick()
	return y.loader.Hash(key, pairs, exp)
}

func (y *yieldingLoader) ZSet(key []byte, members []rdb.ZMember, exp int64) error {
	y.tick()
	return y.loader.ZSet(key, members, exp)
}

// ReplInfo is the replication state an RDB carries in its AUX fields
// (repl-id, repl-offset, repl-stream-db), so that a restarted replica can
// ask its master for a partial resync.
type ReplInfo struct {
	ID       string
	Offset   int64
	StreamDB int
}

// SetReplicationAux installs fn, called with the data lock held when a
// snapshot starts: the replication fields to write in it, or nil.
func (m *Manager) SetReplicationAux(fn func() *ReplInfo) {
	m.replAux = func() []rdb.Aux {
		ri := fn()
		if ri == nil {
			return nil
		}
		return []rdb.Aux{
			{Key: "repl-stream-db", Value: strconv.Itoa(ri.StreamDB)},
			{Key: "repl-id", Value: ri.ID},
			{Key: "repl-offset", Value: strconv.FormatInt(ri.Offset, 10)},
		}
	}
}

// LoadedReplInfo returns the replication fields of the RDB loaded last
// (at start, or by LoadReplicaRDB), or nil when it had none.
func (m *Manager) LoadedReplInfo() *ReplInfo {
	if m.loadedRepl.ID == "" || m.loadedRepl.Offset < 0 {
		return nil
	}
	ri := m.loadedRepl
	return &ri
}
