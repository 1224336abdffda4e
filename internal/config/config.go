package config

import (
	"path/filepath"
	"strings"
)

// RedisVersion is the Redis release whose configuration this package
// reproduces; it appears in the FATAL CONFIG FILE ERROR banner.
const RedisVersion = "7.0.15"

// SavePoint is one "save <seconds> <changes>" rule: snapshot when at least
// Changes writes happened within Seconds.
type SavePoint struct {
	Seconds int64
	Changes int64
}

// ClientBufferLimit is one class of client-output-buffer-limit: disconnect
// a client whose pending output exceeds HardBytes, or stays above SoftBytes
// for SoftSeconds. Zero disables a limit.
type ClientBufferLimit struct {
	HardBytes   uint64
	SoftBytes   uint64
	SoftSeconds int64
}

// Client classes, the indexes of Config.ClientOutputBufferLimit.
const (
	ClientNormal  = 0
	ClientReplica = 1
	ClientPubSub  = 2
)

// Keyspace notification classes, the bits of Config.NotifyKeyspaceFlags
// (Redis's NOTIFY_* values).
const (
	NotifyKeyspace = 1 << 0  // K
	NotifyKeyevent = 1 << 1  // E
	NotifyGeneric  = 1 << 2  // g
	NotifyString   = 1 << 3  // $
	NotifyList     = 1 << 4  // l
	NotifySet      = 1 << 5  // s
	NotifyHash     = 1 << 6  // h
	NotifyZSet     = 1 << 7  // z
	NotifyExpired  = 1 << 8  // x
	NotifyEvicted  = 1 << 9  // e
	NotifyStream   = 1 << 10 // t
	NotifyKeyMiss  = 1 << 11 // m (not part of A)
	NotifyModule   = 1 << 13 // d
	NotifyNew      = 1 << 14 // n (not part of A)
	// NotifyAll is what the class 'A' stands for.
	NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash |
		NotifyZSet | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule
)

// Shutdown flags, the bits of Config.ShutdownOnSigint and ShutdownOnSigterm
// (0 is "default").
const (
	ShutdownSave   = 1
	ShutdownNoSave = 2
	ShutdownNow    = 4
	ShutdownForce  = 8
)

// Config is the server's configuration. The exported fields are the
// directives the server acts on, kept current by LoadFile, ApplyArgs and
// Set; read them directly on hot paths. Change them only through Set (or
// the loaders) so that CONFIG GET and CONFIG REWRITE stay truthful.
// Directives without a field are validated and kept internally.
//
// A Config is not safe for concurrent use: its owner (the event loop, or
// whoever holds the server lock) calls it.
type Config struct {
	// Mode is our own directive `mode`: "eventloop" or "threaded".
	Mode string

	// Network and clients.
	Port                   int
	Bind                   []string // "bind"; empty means none, default "*" "-::*"
	ProtectedMode          bool
	MaxClients             int
	Timeout                int // seconds; 0 disables
	TCPKeepAlive           int // seconds
	ProtoMaxBulkLen        int64
	ClientQueryBufferLimit int64
	// ClientOutputBufferLimit is indexed by ClientNormal, ClientReplica,
	// ClientPubSub.
	ClientOutputBufferLimit [3]ClientBufferLimit
	RequirePass             string
	EnableDebugCommand      string // "no", "yes" or "local"
	EnableProtectedConfigs  string // "no", "yes" or "local"
	EnableModuleCommand     string // "no", "yes" or "local"

	// Logging and housekeeping.
	LogLevel string // "debug", "verbose", "notice", "warning"
	LogFile  string
	PidFile  string
	// UnixSocket is the path of the Unix socket to listen on ("" for
	// none), UnixSocketPerm its permission bits (0: the umask's).
	UnixSocket         string
	UnixSocketPerm     int
	Hz                 int // clamped to 1..500 like Redis
	ActiveExpireEffort int
	Databases          int
	ShutdownTimeout    int // seconds
	ShutdownOnSigint   int // Shutdown* bits
	ShutdownOnSigterm  int // Shutdown* bits

	// Persistence.
	Dir                        string // absolute
	DBFilename                 string
	Save                       []SavePoint
	SnapshotFormat             string // our own: "rdb" or "json"
	StopWritesOnBgsaveError    bool
	RDBCompression             bool
	RDBChecksum                bool
	RDBSaveIncrementalFsync    bool
	AppendOnly                 bool
	AppendFsync                string // "always", "everysec", "no"
	AppendFilename             string
	AppendDirName              string
	AOFLoadTruncated           bool
	AOFUseRDBPreamble          bool
	AOFTimestampEnabled        bool
	AOFRewriteIncrementalFsync bool
	AOFDisableAutoGC           bool
	NoAppendFsyncOnRewrite     bool
	AutoAOFRewritePercentage   int
	AutoAOFRewriteMinSize      int64

	// MaxMemoryClients is maxmemory-clients: bytes, or minus a percentage
	// of maxmemory; 0 disables client eviction.
	MaxMemoryClients int64

	// Memory and eviction.
	MaxMemory                 uint64
	MaxMemoryPolicy           string
	MaxMemorySamples          int
	MaxMemoryEvictionTenacity int
	LFULogFactor              int
	LFUDecayTime              int
	LazyfreeLazyEviction      bool
	LazyfreeLazyExpire        bool
	LazyfreeLazyServerDel     bool
	LazyfreeLazyUserDel       bool
	LazyfreeLazyUserFlush     bool

	// Diagnostics.
	SlowlogLogSlowerThan    int64 // microseconds; negative disables
	SlowlogMaxLen           int
	LatencyMonitorThreshold int64 // milliseconds
	// LatencyTracking enables the per-command latency histograms
	// (LATENCY HISTOGRAM, INFO latencystats).
	LatencyTracking    bool
	BusyReplyThreshold int64 // milliseconds ("lua-time-limit")
	// NotifyKeyspaceEvents is the canonical class string as CONFIG GET
	// reports it; NotifyKeyspaceFlags holds the same as Notify* bits.
	NotifyKeyspaceEvents string
	NotifyKeyspaceFlags  int
	TrackingTableMaxKeys int
	ACLLogMaxLen         int

	// Encodings.
	ListMaxListpackSize    int
	ListCompressDepth      int
	HashMaxListpackEntries int
	HashMaxListpackValue   int
	SetMaxIntsetEntries    int
	ZSetMaxListpackEntries int
	ZSetMaxListpackValue   int
	HLLSparseMaxBytes      int
	StreamNodeMaxBytes     int
	StreamNodeMaxEntries   int64

	ReplicaReadOnly bool

	// RenameCommands lists the "rename-command old new" directives seen,
	// in order (new is "" to remove a command).
	RenameCommands [][2]string

	// RenameCommand, when set before loading, is called for each
	// rename-command directive; an error aborts loading with its text as
	// the message (Redis: "No such command in rename-command"). Setting it
	// also makes rename-command count as implemented.
	RenameCommand func(oldName, newName string) error

	// ACLUserLines, when set, returns the "user ..." lines CONFIG REWRITE
	// writes (Redis writes every ACL user). When nil, user lines in the
	// file are kept as they are and a "user default" line derived from
	// requirepass is added if the file has none.
	ACLUserLines func() []string

	// UserLines are the "user" directives read (each without "user"), in
	// order; the ACL layer loads them at startup.
	UserLines [][]string

	other       map[string]any // values of directives without a field, by name
	file        string
	mainLines   int  // lines of the main config text, for ApplyArgs line numbers
	loaded      bool // a main config text was parsed
	readingFile bool // Redis's reading_config_file
	saveLoaded  bool // Redis's static save_loaded
	seen        []string
	seenSet     map[string]bool
	implOver    map[string]bool
	callbacks   map[string][]func() error
}

// Default returns the configuration a server has before reading any file:
// Redis 7.0's defaults, except for the original project's dir ./data
// (made absolute against the current directory), appendonly yes and save
// "900 1 300 10 60 10000".
func Default() *Config {
	c := &Config{other: map[string]any{}}
	for _, d := range directives {
		d.init(c)
	}
	return c
}

// File returns the absolute path of the configuration file loaded by
// LoadFile (or LoadArgs), or "" when none was.
func (c *Config) File() string { return c.file }

// Unsupported returns the directives named in the loaded file(s) or argv
// that this server accepts but does not act on, each once, in the order
// first seen. The server logs them in one startup warning.
func (c *Config) Unsupported() []string {
	var out []string
	for _, name := range c.seen {
		if !c.implemented(name) {
			out = append(out, name)
		}
	}
	return out
}

// SetImplemented overrides whether the server acts on the named directive
// (or meta-directive such as "user" or "loadmodule"), which decides
// whether Unsupported reports it. Aliases follow their directive.
func (c *Config) SetImplemented(name string, yes bool) {
	if c.implOver == nil {
		c.implOver = map[string]bool{}
	}
	c.implOver[canonicalName(name)] = yes
}

// OnChange registers fn to run after a CONFIG SET changed the named
// directive (an alias names the same directive). Callbacks run after all
// values of one CONFIG SET are stored; if one fails, every value of that
// CONFIG SET is restored, the callbacks run again, and Set returns an error
// carrying the callback's text. Loading a file does not call them.
func (c *Config) OnChange(name string, fn func() error) {
	if c.callbacks == nil {
		c.callbacks = map[string][]func() error{}
	}
	n := canonicalName(name)
	c.callbacks[n] = append(c.callbacks[n], fn)
}

// Known reports whether name (case-insensitive) is a directive CONFIG
// GET/SET knows.
func Known(name string) bool {
	_, ok := lookup[strings.ToLower(name)]
	return ok
}

// Sensitive reports whether the named directive holds a secret (such as
// requirepass), whose CONFIG SET value must be redacted from the slowlog,
// MONITOR and the like.
func Sensitive(name string) bool {
	e, ok := lookup[strings.ToLower(name)]
	return ok && e.d.flags&fSensitive != 0
}

// canonicalName maps a directive name or alias to its primary lower-case
// name; other names are just lower-cased.
func canonicalName(name string) string {
	n := strings.ToLower(name)
	if e, ok := lookup[n]; ok {
		return e.d.name
	}
	return n
}

// implemented reports whether the server acts on the directive name (as
// recorded by noteSeen).
func (c *Config) implemented(name string) bool {
	cn := canonicalName(name)
	if v, ok := c.implOver[cn]; ok {
		return v
	}
	if e, ok := lookup[cn]; ok {
		return e.d.impl
	}
	switch cn {
	case "include":
		return true
	case "rename-command":
		return c.RenameCommand != nil
	}
	return false
}

// noteSeen records a directive name met in a file or argv.
func (c *Config) noteSeen(name string) {
	if c.seenSet == nil {
		c.seenSet = map[string]bool{}
	}
	if c.seenSet[name] {
		return
	}
	c.seenSet[name] = true
	c.seen = append(c.seen, name)
}

// defaultDir is the original project's data directory.
func defaultDir() string {
	d, err := filepath.Abs("data")
	if err != nil {
		return "data"
	}
	return d
}
