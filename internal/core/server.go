package core

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// Version is the Redis version the server reports (redis_version).
const Version = "7.0.15"

// CloneVersion is redis-clone's own version, shown in the banner.
const CloneVersion = "0.1.0"

// Feed receives the stream of executed writes (AOF, replicas). Args are
// only valid during the call.
type Feed interface {
	Feed(db int, args [][]byte)
}

// Stats are the counters INFO stats reports.
type Stats struct {
	ConnectionsReceived int64
	CommandsProcessed   int64
	RejectedConns       int64
	EvictedClients      int64 // clients closed by maxmemory-clients
	NetInputBytes       int64
	NetOutputBytes      int64
	ErrorReplies        int64
	UnexpectedErrors    int64
	ErrorCounts         map[string]int64 // errorstats, by error prefix
	ExpiredStalePerc    float64
	// ops samples for instantaneous_ops_per_sec
	opsSamples [16]int64
	opsIdx     int
	opsLastCmd int64
	opsLastMs  int64
}

// Server is the shared state every handler sees.
type Server struct {
	Config   *config.Config
	KS       *keyspace.Keyspace
	Commands Table
	cmdCache cmdCache // Exec's last lookup (cmdcache.go)
	Log      *slog.Logger
	Mode     string // "eventloop" or "threaded"
	RunID    string
	Start    time.Time
	// Port is the TCP port actually listened on.
	Port int
	// ConfigFile is the absolute path of the config file, or "".
	ConfigFile string
	// Executable is the absolute path of the binary.
	Executable string

	Stats Stats
	// Dirty counts changes since the last save (rdb_changes_since_last_save).
	Dirty int64

	clients      map[int64]*Client
	nextClientID int64
	current      *Client
	ctx          Ctx
	feeds        []Feed
	blocked      map[blockKey][]*Client
	readyKeys    []blockKey
	readySet     map[blockKey]struct{}
	modHooks     []func(db int, key string)
	watched      map[blockKey][]*watchedKey
	pubsub       *pubsubState
	lazy         lazyFree
	inExec       bool
	execPending  []pendingOp
	diag         diagState
	security     Security
	trk          trackingState
	cronPaused   bool
	evict        evictState
	script       *ScriptRun
	clk          execClock

	// ScriptYield is set by the front end: a slow script calls it to let
	// other clients be served (with -BUSY) while it runs.
	ScriptYield func()
	// ShutdownFunc is set by the front end; SHUTDOWN and signals call it.
	ShutdownFunc func(save bool) error
	// DataLock is the lock whose holder owns the data, set by the front
	// end: background jobs (BGSAVE, BGREWRITEAOF) take it to come back.
	DataLock sync.Locker
	ext      extHooks
	repl     replHooks
	// CloseClient is set by the front end to close a connection (used by
	// CLIENT KILL of another client and timeouts).
	now int64
}

// NewServer returns a server over cfg with the given command table.
func NewServer(cfg *config.Config, table Table, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	id := make([]byte, 20)
	_, _ = rand.Read(id)
	s := &Server{
		Config:   cfg,
		KS:       keyspace.New(cfg.Databases),
		Commands: table,
		Log:      log,
		RunID:    hex.EncodeToString(id),
		Start:    time.Now(),
		clients:  make(map[int64]*Client),
		blocked:  make(map[blockKey][]*Client),
		readySet: make(map[blockKey]struct{}),
	}
	s.Stats.ErrorCounts = make(map[string]int64)
	s.KS.SetHooks(hooks{s})
	s.Executable, _ = os.Executable()
	s.setNow(time.Now())
	s.syncEvictConfig()
	s.initClientEviction()
	s.RefreshMemory()
	return s
}

func (s *Server) setNow(t time.Time) {
	s.now = t.UnixMilli()
	s.KS.SetNow(s.now)
}

// Now returns the cached clock of the running command, in Unix ms.
func (s *Server) Now() int64 { return s.now }

// AddFeed registers f to receive every executed write.
func (s *Server) AddFeed(f Feed) { s.feeds = append(s.feeds, f) }

// OnKeyModified registers fn to be called for every modified key.
func (s *Server) OnKeyModified(fn func(db int, key string)) {
	s.modHooks = append(s.modHooks, fn)
}

// propagate is the one place that turns an executed write into the
// replication/AOF stream.
func (s *Server) propagate(db int, args [][]byte) {
	if s.inExec {
		s.execPending = append(s.execPending, pendingOp{db, args})
		return
	}
	for _, f := range s.feeds {
		f.Feed(db, args)
	}
}

type hooks struct{ s *Server }

func (h hooks) KeyModified(db int, key string) {
	s := h.s
	if len(s.watched) > 0 {
		s.touchWatched(db, key)
	}
	s.trackingKeyModified(key)
	s.signalWaiters(db, key)
}

// DBsSwapped is SWAPDB's notice (Redis's dbSwapDatabases), after the swap:
// WATCH is touched as touchAllWatchedKeysInDb does for both databases, and
// every key clients are blocked on in either is signalled, so that they
// are served when the key now exists, or get their error when a stream
// they read through a group is gone. Tracking is not invalidated (Redis
// 7.0 does not either), and the cost is that of the watched and blocked
// keys, not of the databases' sizes.
func (h hooks) DBsSwapped(a, b int) {
	s := h.s
	for k := range s.watched {
		switch k.db {
		case a:
			s.touchWatchedOnSwap(k, b)
		case b:
			s.touchWatchedOnSwap(k, a)
		}
	}
	var keys []blockKey
	for k := range s.blocked {
		if k.db == a || k.db == b {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		s.signalWaiters(k.db, k.key)
	}
}

// signalWaiters tells the clients blocked on key that it changed.
func (s *Server) signalWaiters(db int, key string) {
	for _, fn := range s.modHooks {
		fn(db, key)
	}
	if len(s.blocked) > 0 {
		k := blockKey{db, key}
		if _, ok := s.blocked[k]; ok {
			if _, dup := s.readySet[k]; !dup {
				s.readySet[k] = struct{}{}
				s.readyKeys = append(s.readyKeys, k)
			}
		}
	}
}

// KeyModifiedWanted reports whether KeyModified would do anything (keep
// it in step with KeyModified): Modified then skips copying the key.
func (h hooks) KeyModifiedWanted() bool {
	s := h.s
	return len(s.watched) > 0 || len(s.modHooks) > 0 || s.trk.hooked || len(s.blocked) > 0
}

func (h hooks) KeyExpired(db int, key string) {
	h.s.trackingExpiring(key)
	if len(h.s.feeds) > 0 {
		h.s.propagate(db, [][]byte{[]byte("DEL"), []byte(key)})
	}
}

// NewClient registers a new connection's client state and returns it.
func (s *Server) NewClient(conn Conn, addr, laddr string, fd int) *Client {
	s.nextClientID++
	c := &Client{
		ID:        s.nextClientID,
		Conn:      conn,
		Addr:      addr,
		LocalAddr: laddr,
		FD:        fd,
		Proto:     2,
		Created:   time.Now().UnixMilli(),
	}
	c.LastInteraction = c.Created
	c.Out.Proto = 2
	c.Authenticated = s.defaultAuthenticated()
	s.updateParserLimits(c)
	s.clients[c.ID] = c
	s.Stats.ConnectionsReceived++
	return c
}

func (s *Server) updateParserLimits(c *Client) {
	c.Parser.Limits.MaxBulkLen = s.Config.ProtoMaxBulkLen
	c.Parser.Limits.Unauthenticated = !c.Authenticated
}

// SetAuthenticated marks c as authenticated (or not) and updates its
// protocol limits.
func (s *Server) SetAuthenticated(c *Client, ok bool) {
	c.Authenticated = ok
	s.updateParserLimits(c)
}

// RemoveClient forgets c (its connection closed).
func (s *Server) RemoveClient(c *Client) {
	if c.Closed {
		return
	}
	c.Closed = true
	if c.Blocked != nil {
		s.unblock(c)
	}
	s.Unwatch(c)
	s.dropPubSub(c)
	s.DisableTracking(c)
	delete(s.clients, c.ID)
}

// NumClients returns the number of connected clients.
func (s *Server) NumClients() int { return len(s.clients) }

// Client returns the connected client with id, or nil.
func (s *Server) Client(id int64) *Client { return s.clients[id] }

// Clients returns the connected clients ordered by ID.
func (s *Server) Clients() []*Client {
	out := make([]*Client, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Current returns the client whose command is executing, or nil.
func (s *Server) Current() *Client { return s.current }

// Push lets fn write to target's reply buffer (pub/sub messages, replies
// to unblocked clients) and wakes target's front end to flush it.
func (s *Server) Push(target *Client, fn func(w *resp.Writer)) {
	if target == s.current {
		pushing(target, func() { fn(&target.Out) })
		return
	}
	target.OutMu.Lock()
	wake := s.writeLimited(target, fn)
	target.OutMu.Unlock()
	if wake {
		target.Conn.Wake()
	}
}

// KillClient closes c: at once for another client, after the current
// reply for the calling client.
func (s *Server) KillClient(c *Client) {
	if c == s.current {
		c.CloseAfterReply = true
		return
	}
	s.RemoveClient(c)
	c.Conn.Close()
}

// BlockedClients returns how many clients are parked.
func (s *Server) BlockedClients() int {
	n := 0
	for _, c := range s.clients {
		if c.Blocked != nil {
			n++
		}
	}
	return n
}
