package persist

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/redis-clone/redis-clone/internal/core"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Loading: recovery at start (loadDataFromDisk), DEBUG RELOAD and DEBUG
// LOADAOF. AOF commands run through the command table with a fake client
// (every command's own semantics apply); RDB and JSON keys are rebuilt
// with the configured encodings. Nothing expires while loading.

// recover loads the dataset at start: the AOF when appendonly is yes and
// one exists, else the snapshot (dump.rdb or dump.json).
func (m *Manager) recover() error {
	start := time.Now()
	if m.cfg.AppendOnly {
		info, err := m.loadAOF()
		if err != nil {
			return err
		}
		if info.Exists {
			m.log.Info(fmt.Sprintf("DB loaded from append only file: %.3f seconds", time.Since(start).Seconds()))
			return nil
		}
	}
	loaded, err := m.loadSnapshot(false)
	if err != nil {
		return err
	}
	if loaded {
		m.log.Info(fmt.Sprintf("DB loaded from disk: %.3f seconds", time.Since(start).Seconds()))
	}
	return nil
}

// loading marks the keyspace as loading (nothing expires) until the
// returned function is called.
func (m *Manager) loading() func() {
	ks := m.srv.KS
	prevLoading, prevDisabled := ks.Loading, ks.ExpireDisabled
	ks.Loading, ks.ExpireDisabled = true, true
	return func() { ks.Loading, ks.ExpireDisabled = prevLoading, prevDisabled }
}

// loadAOF replays the AOF into the keyspace.
func (m *Manager) loadAOF() (aof.LoadInfo, error) {
	defer m.loading()()
	c := m.srv.LoadingClient()
	info, err := aof.Load(m.aofOptions(),
		func(args [][]byte) error { return m.srv.ExecLoaded(c, args) },
		func(r *bufio.Reader, name string) error {
			l := m.newLoader(true, false)
			opts := m.aofOptions()
			if !l.sizeFromFile(filepath.Join(opts.Dir, opts.DirName, name)) {
				l.sizeFromFile(filepath.Join(opts.Dir, name)) // a legacy AOF's preamble
			}
			if err := rdb.Load(r, l, rdb.LoadOptions{SkipChecksum: !m.cfg.RDBChecksum}); err != nil {
				m.logRDBError(err)
				return err
			}
			l.done()
			return nil
		})
	if err != nil {
		m.log.Warn(err.Error())
		return info, err
	}
	m.srv.Dirty = 0
	return info, nil
}

// loadSnapshot loads dump.rdb or dump.json (the configured format's file,
// else the other one's) and reports whether a file was found. allowDup
// lets keys of the file replace keys already present (DEBUG RELOAD
// MERGE).
func (m *Manager) loadSnapshot(allowDup bool) (bool, error) {
	defer m.loading()()
	format := m.snapshotFormat()
	path := m.snapshotPath(format)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		other := formatJSON
		if format == formatJSON {
			other = formatRDB
		}
		if _, err := os.Stat(m.snapshotPath(other)); err != nil {
			return false, nil
		}
		format, path = other, m.snapshotPath(other)
	}
	f, err := os.Open(path)
	if err != nil {
		m.log.Warn(fmt.Sprintf("Fatal error loading the DB: %s. Exiting.", aof.Strerror(err)))
		return false, err
	}
	defer f.Close()
	l := m.newLoader(false, allowDup)
	l.sizeFromFile(path)
	br := bufio.NewReaderSize(f, 1<<20)
	if format == formatJSON {
		_, err = decodeJSON(br, func(db int, key []byte, v rdb.Value, exp int64) error {
			if err := l.SelectDB(db); err != nil {
				return err
			}
			o, err := ObjectOf(v, m.cfg)
			if err != nil {
				return err
			}
			return l.add(key, o, nil, exp)
		})
		if err != nil {
			m.log.Warn(err.Error())
			m.log.Warn("Terminating server after JSON snapshot reading failure.")
			return true, err
		}
	} else if err = rdb.Load(br, l, rdb.LoadOptions{SkipChecksum: !m.cfg.RDBChecksum}); err != nil {
		m.logRDBError(err)
		return true, err
	}
	l.done()
	return true, nil
}

// logRDBError logs an RDB loading failure as Redis does before exiting.
func (m *Manager) logRDBError(err error) {
	var le *rdb.LoadError
	if errors.As(err, &le) {
		m.log.Warn(le.Error())
		switch le.Kind {
		case rdb.ErrChecksum:
			m.log.Warn(fmt.Sprintf("Internal error in RDB reading offset %d, function at rdb.c:0 -> RDB CRC error", 0))
		case rdb.ErrShortRead:
			m.log.Warn(fmt.Sprintf("Internal error in RDB reading offset %d, function at rdb.c:0 -> Unexpected EOF reading RDB file", le.Offset))
		}
	} else {
		m.log.Warn(err.Error())
	}
	m.log.Warn("Terminating server after rdb file reading failure.")
}

// Function loads a function library found in the RDB.
func (l *loader) Function(code []byte) error {
	if core.FunctionsHook.Load == nil {
		return nil
	}
	return core.FunctionsHook.Load(l.m.srv, code, l.allowDup)
}

// loader is the rdb.Handler that fills the keyspace.
type loader struct {
	m           *Manager
	cfg         *config.Config
	ks          *keyspace.Keyspace
	db          *keyspace.DB
	keepExpired bool // an AOF's RDB base keeps expired keys, as Redis
	allowDup    bool
	now         int64
	// lastKey is the key just loaded (hasLast: kept), whose access
	// field an Eviction record sets.
	lastKey []byte
	hasLast bool
	maxKeys int64 // most keys the input can hold (its size / minKeyBytes), 0 if unknown
	loaded  int64
	expired int64
}

func (m *Manager) newLoader(keepExpired, allowDup bool) *loader {
	return &loader{m: m, cfg: m.cfg, ks: m.srv.KS, db: m.srv.KS.DB(0),
		keepExpired: keepExpired, allowDup: allowDup, now: time.Now().UnixMilli()}
}

// minKeyBytes is the size of the smallest key an RDB can hold: type,
// key length, value length.
const minKeyBytes = 3

// sizeFromFile bounds the RESIZEDB hints the loader believes by the size
// of the file at path, and reports whether there is one.
func (l *loader) sizeFromFile(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	l.maxKeys = st.Size() / minKeyBytes
	return true
}

// done logs the counts and records them for INFO.
func (l *loader) done() {
	l.m.loadedKeys, l.m.expiredKeys = l.loaded, l.expired
	l.m.log.Info(fmt.Sprintf("Done loading RDB, keys loaded: %d, keys expired: %d.", l.loaded, l.expired))
}

// Aux logs the fields Redis logs.
func (l *loader) Aux(key, val []byte) error {
	switch string(key) {
	case "redis-ver":
		l.m.log.Info(fmt.Sprintf("Loading RDB produced by version %s", val))
	case "ctime":
		if t, err := strconv.ParseInt(string(val), 10, 64); err == nil {
			l.m.log.Info(fmt.Sprintf("RDB age %d seconds", max(time.Now().Unix()-t, 0)))
		}
	case "used-mem":
		if n, err := strconv.ParseInt(string(val), 10, 64); err == nil {
			l.m.log.Info(fmt.Sprintf("RDB memory usage when created %.2f Mb", float64(n)/(1024*1024)))
		}
	case "aof-preamble":
		if string(val) == "1" {
			l.m.log.Info("RDB has an AOF tail")
		}
	case "aof-base":
		if string(val) == "1" {
			l.m.log.Info("RDB is base AOF")
		}
	case "repl-id":
		l.m.loadedRepl.ID = string(val)
	case "repl-offset":
		if n, err := strconv.ParseInt(string(val), 10, 64); err == nil {
			l.m.loadedRepl.Offset = n
		}
	case "repl-stream-db":
		if n, err := strconv.Atoi(string(val)); err == nil {
			l.m.loadedRepl.StreamDB = n
		}
	}
	return nil
}

// SelectDB switches the database keys go to.
func (l *loader) SelectDB(db int) error {
	if db < 0 || db >= l.ks.Len() {
		return fmt.Errorf("FATAL: Data file was created with a Redis server configured to handle more than %d databases. Exiting", l.ks.Len())
	}
	l.db = l.ks.DB(db)
	return nil
}

// ResizeDB sizes the database's tables for the keys announced, like
// dictExpand in Redis's rdbLoad. The hint is believed only as far as the
// input could hold that many keys (maxKeys), so a corrupt count cannot make
// it allocate more than the file justifies.
func (l *loader) ResizeDB(keys, expires uint64) error {
	if l.maxKeys <= 0 {
		return nil
	}
	l.db.Reserve(int(min(keys, uint64(l.maxKeys))), int(min(expires, uint64(l.maxKeys))))
	return nil
}

// BorrowsKeys implements rdb.Borrower: add copies the key (the keyspace
// keeps it as a string), String copies the value.
func (l *loader) BorrowsKeys() {}

// add stores one loaded key, dropping it when it already expired (except
// in an AOF base, as Redis).
// A string comes as str with o nil (the keyspace may keep it inline).
func (l *loader) add(key []byte, o *keyspace.Object, str []byte, exp int64) error {
	l.hasLast = false
	if !l.keepExpired && exp != -1 && exp < l.now {
		l.expired++
		return nil
	}
	if l.allowDup {
		if l.db.Has(key) {
			l.db.Delete(key)
		}
		if o == nil {
			l.db.SetString(key, str, false)
		} else {
			l.db.Add(key, o)
		}
	} else if o == nil && !l.db.AddNewString(key, str) || o != nil && !l.db.AddNew(key, o) {
		l.m.log.Warn(fmt.Sprintf("RDB has duplicated key '%s' in DB %d", key, l.db.ID()))
		return errors.New("Duplicated key found in RDB file")
	}
	if exp != -1 {
		l.db.SetExpire(key, exp)
	}
	l.lastKey = append(l.lastKey[:0], key...)
	l.hasLast = true
	l.loaded++
	return nil
}

// String loads a string (val is borrowed: copied, as SET does, into an
// object that embeds short values).
func (l *loader) String(key, val []byte, exp int64) error {
	return l.add(key, nil, val, exp)
}

// List loads a list.
func (l *loader) List(key []byte, elems [][]byte, exp int64) error {
	return l.add(key, newList(elems, l.cfg), nil, exp)
}

// Set loads a set.
func (l *loader) Set(key []byte, members [][]byte, exp int64) error {
	return l.add(key, newSet(members, l.cfg), nil, exp)
}

// Hash loads a hash.
func (l *loader) Hash(key []byte, pairs [][2][]byte, exp int64) error {
	return l.add(key, newHash(pairs, l.cfg), nil, exp)
}

// ZSet loads a sorted set.
func (l *loader) ZSet(key []byte, members []rdb.ZMember, exp int64) error {
	return l.add(key, newZSet(members, l.cfg), nil, exp)
}

// Stream loads a stream.
func (l *loader) Stream(key []byte, v *rdb.Stream, exp int64) error {
	s, err := newStream(v)
	if err != nil {
		return fmt.Errorf("Stream of key %q cannot be loaded: %w", key, err)
	}
	return l.add(key, &keyspace.Object{Type: keyspace.TypeStream, Val: s}, nil, exp)
}

// Eviction restores the idle time of the key just loaded.
func (l *loader) Eviction(key []byte, idleSeconds int64, freq int) error {
	if l.hasLast {
		l.db.SetAccessKey(l.lastKey, freq, idleSeconds)
	}
	return nil
}

// Errors of DEBUG RELOAD and DEBUG LOADAOF, Redis's texts.
var (
	ErrReloadOptions = errors.New(rerr.ReloadOptions)
	ErrReloadLoad    = errors.New(rerr.ReloadLoad)
)

// emptyData removes every key of every database and the function
// libraries (Redis's emptyData without EMPTYDB_NOFUNCTIONS).
func (m *Manager) emptyData() {
	ks := m.srv.KS
	for i := 0; i < ks.Len(); i++ {
		ks.DB(i).Flush()
	}
	if core.FunctionsHook.Flush != nil {
		core.FunctionsHook.Flush(m.srv)
	}
}

// DebugReload is DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the
// snapshot (unless nosave), empty the dataset (unless noflush) and load
// the snapshot back (merge lets its keys replace existing ones).
func (m *Manager) DebugReload(merge, noflush, nosave bool) error {
	if !nosave {
		if err := m.saveSync(); err != nil {
			return ErrSaveFailed
		}
	}
	if !noflush {
		m.emptyData()
	}
	found, err := m.loadSnapshot(merge)
	if err != nil || !found {
		return ErrReloadLoad
	}
	m.log.Warn("DB reloaded by DEBUG RELOAD")
	return nil
}

// DebugLoadAOF is DEBUG LOADAOF: write the AOF buffer, empty the dataset
// and replay the AOF. A failure to load is fatal, as in Redis.
func (m *Manager) DebugLoadAOF() error {
	if w := m.aofw.Load(); w != nil {
		_ = w.Flush()
	}
	m.emptyData()
	if _, err := m.loadAOF(); err != nil {
		m.fatal("Fatal error loading the AOF by DEBUG LOADAOF: " + err.Error())
		return err
	}
	m.srv.Dirty = 0
	m.log.Warn("Append Only File loaded by DEBUG LOADAOF")
	return nil
}
