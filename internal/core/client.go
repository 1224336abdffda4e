package core

import (
	"sync"

	"github.com/redis-clone/redis-clone/internal/resp"
)

// Conn is what the executor may ask of a client's connection. Front ends
// implement it; both methods may be called only by the data owner.
type Conn interface {
	// Wake asks the front end to flush the client's Out buffer soon and,
	// if the client was unblocked, to resume processing its input.
	Wake()
	// Close closes the connection as soon as possible; pending output may
	// be dropped.
	Close()
}

// Client is the state of one connection that commands can see: identity,
// selected database, protocol version and the reply buffer. It holds no
// socket; its Conn belongs to a front end.
type Client struct {
	ID        int64
	Conn      Conn
	Addr      string // remote ip:port
	LocalAddr string
	// Unix marks a connection on the Unix socket (flag U in CLIENT LIST);
	// Addr and LocalAddr are then "path:0", as Redis shows them.
	Unix  bool
	FD    int
	Name  string
	DB    int
	Proto int // 2 or 3
	// Out collects replies. The data owner writes it; a front end flushes
	// it holding OutMu (see Server.Push).
	Out   resp.Writer
	OutMu sync.Mutex
	// Parser is the client's request parser; its limits follow auth state.
	Parser resp.Parser

	Created         int64 // Unix ms
	LastInteraction int64 // Unix ms
	LastCmd         string
	Authenticated   bool
	User            string

	// CloseAfterReply asks the front end to close once Out is flushed
	// (QUIT, protocol errors).
	CloseAfterReply bool
	// Closed is set once the client is being removed.
	Closed bool

	// QueryBuf and OutBuf are sizes the front end reports for CLIENT LIST.
	QueryBuf, OutBufPeak int

	// Blocked is non-nil while the client waits in a blocking command; the
	// front end then stops feeding it requests.
	Blocked *Blocked

	// Flags for CLIENT LIST and behaviour.
	NoEvict, NoTouch bool
	ReplyMode        ReplyMode
	Kind             ClientKind

	// Multi holds the queued commands of an open MULTI, or nil.
	Multi *MultiState
	// Watched are the keys WATCHed by the client; DirtyCAS is set when one
	// of them was modified (EXEC then fails).
	Watched  []*watchedKey
	DirtyCAS bool

	// Script marks the client scripts run their commands as (MONITOR shows
	// its commands as [db lua]).
	Script bool

	pubsub *clientPubSub
	diag   clientDiag
	// pushed marks byte ranges of Out written as push data during the
	// current command: CLIENT REPLY OFF/SKIP does not silence them.
	pushed [][2]int

	// tracking is the client-side caching state (tracking.go).
	tracking *clientTracking
	// qb models the query buffer's allocation (querybuf.go).
	qb queryBufState
}

// ReplyMode is CLIENT REPLY's state.
type ReplyMode uint8

// Reply modes.
const (
	ReplyOn ReplyMode = iota
	ReplyOff
	ReplySkipNext
	ReplySkip
)

// ClientKind is a client's type for CLIENT LIST / KILL TYPE.
type ClientKind uint8

// Client kinds.
const (
	KindNormal ClientKind = iota
	KindReplica
	KindMaster
	KindPubSub
)

// String returns the kind's name as CLIENT KILL TYPE spells it.
func (k ClientKind) String() string {
	switch k {
	case KindReplica:
		return "replica"
	case KindMaster:
		return "master"
	case KindPubSub:
		return "pubsub"
	}
	return "normal"
}

// MultiState is an open transaction: the queued commands and whether one
// of them was rejected (EXECABORT).
type MultiState struct {
	Queue [][][]byte
	Cmds  []*Command
	Dirty bool
}

// Blocked describes what a parked client waits for.
type Blocked struct {
	DB      int
	Keys    []string
	Timeout int64 // Unix ms, 0 = forever
	// Ready is called (by the data owner) after a key in Keys was modified.
	// It returns true when it served the client (wrote its reply); the
	// client is then unblocked.
	Ready func() bool
	// OnTimeout writes the reply for a timed-out wait.
	OnTimeout func()
}
