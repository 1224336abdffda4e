package command

import (
	"bufio"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
// [AUTH password] [AUTH2 username password] [KEYS key...]: moves keys to
// another server by sending it RESTORE commands with DUMP payloads, as
// Redis's migrateCommand. Like Redis, the transfer is synchronous (the
// data stays locked until the target answered or the timeout passed), the
// connection to a target is kept for reuse and closed after 10 s unused,
// and a failed cached connection is retried once on a fresh one.

var _ = register(migrateCommand())

func migrateCommand() *core.Command {
	c := docCommand("migrate")
	c.Handler = migrate
	c.Categories = []string{"keyspace", "dangerous"}
	return c
}

// migrateOptions are MIGRATE's parsed arguments.
type migrateOptions struct {
	addr               string
	db                 int64
	timeout            time.Duration
	copy, replace      bool
	username, password []byte
}

func migrate(ctx *core.Ctx) {
	args := ctx.Args
	var o migrateOptions
	firstKey, numKeys := 3, 1
	for j := 6; j < len(args); j++ {
		more := len(args) - 1 - j
		switch strings.ToLower(string(args[j])) {
		case "copy":
			o.copy = true
		case "replace":
			o.replace = true
		case "auth":
			if more < 1 {
				ctx.Error(rerr.Syntax)
				return
			}
			j++
			o.password = args[j]
		case "auth2":
			if more < 2 {
				ctx.Error(rerr.Syntax)
				return
			}
			o.username, o.password = args[j+1], args[j+2]
			j += 2
		case "keys":
			if len(args[3]) != 0 {
				ctx.Error(rerr.MigrateKeysNeedEmptyKey)
				return
			}
			firstKey, numKeys = j+1, len(args)-j-1
			j = len(args)
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	timeout, ok := ctx.Int(5)
	if !ok {
		return
	}
	if o.db, ok = ctx.Int(4); !ok {
		return
	}
	if timeout <= 0 {
		timeout = 1000
	}
	o.timeout = time.Duration(timeout) * time.Millisecond
	o.addr = net.JoinHostPort(string(args[1]), string(args[2]))

	// Nothing to move is not an error: the keys may just have expired.
	var keys [][]byte
	var objs []*keyspace.Object
	for _, k := range args[firstKey : firstKey+numKeys] {
		if v := ctx.DB.Lookup(k); v != nil {
			keys = append(keys, k)
			objs = append(objs, v)
		}
	}
	if len(keys) == 0 {
		ctx.W.Simple("NOKEY")
		return
	}

	cache := migrateCacheFor(ctx.Srv)
	for mayRetry := true; ; mayRetry = false {
		ms, err := cache.get(o.addr, o.timeout)
		if err != nil {
			ctx.Error(rerr.MigrateConnect)
			return
		}
		res := migrateOnce(ctx, ms, &o, keys, objs)
		if res.err == "" {
			ctx.W.OK()
			return
		}
		if res.socket {
			cache.drop(o.addr)
			if mayRetry && res.retryable {
				continue
			}
		}
		ctx.Error(res.err)
		return
	}
}

// migrateResult is how one attempt ended: err is the reply error ("" for
// OK); socket marks a connection failure, retryable one after which
// nothing was applied on either side.
type migrateResult struct {
	err               string
	socket, retryable bool
}

// migrateOnce sends AUTH, SELECT when the target's database differs, and
// one RESTORE per key still alive, then reads the replies: every key the
// target accepted is deleted here unless COPY, and propagated as DEL.
func migrateOnce(ctx *core.Ctx, ms *migrateSocket, o *migrateOptions, keys [][]byte, objs []*keyspace.Object) migrateResult {
	var req []byte
	if o.password != nil {
		if o.username != nil {
			req = aof.AppendCommand(req, [][]byte{[]byte("AUTH"), o.username, o.password})
		} else {
			req = aof.AppendCommand(req, [][]byte{[]byte("AUTH"), o.password})
		}
	}
	selectDB := ms.lastDB != o.db
	if selectDB {
		req = aof.AppendCommand(req, [][]byte{[]byte("SELECT"), strconv.AppendInt(nil, o.db, 10)})
	}
	var sent [][]byte
	for i, k := range keys {
		var ttl int64
		if exp := ctx.DB.Expire(k); exp != -1 {
			if ttl = exp - ctx.Now(); ttl < 0 {
				continue
			}
			ttl = max(ttl, 1)
		}
		v, err := persist.ValueOf(objs[i])
		var payload []byte
		if err == nil {
			payload, err = rdb.DumpValueOptions(v, persist.WriterOptions(ctx.Srv.Config))
		}
		if err != nil {
			return migrateResult{err: "ERR " + err.Error()}
		}
		restore := [][]byte{[]byte("RESTORE"), k, strconv.AppendInt(nil, ttl, 10), payload}
		if o.replace {
			restore = append(restore, []byte("REPLACE"))
		}
		req = aof.AppendCommand(req, restore)
		sent = append(sent, k)
	}

	_ = ms.conn.SetWriteDeadline(time.Now().Add(o.timeout))
	if _, err := ms.conn.Write(req); err != nil {
		return migrateResult{err: rerr.MigrateWrite, socket: true, retryable: !isTimeout(err)}
	}
	var authReply, selectReply string
	var err error
	if o.password != nil {
		if authReply, err = ms.readLine(o.timeout); err != nil {
			return migrateResult{err: rerr.MigrateRead, socket: true, retryable: !isTimeout(err)}
		}
	}
	if selectDB {
		if selectReply, err = ms.readLine(o.timeout); err != nil {
			return migrateResult{err: rerr.MigrateRead, socket: true, retryable: !isTimeout(err)}
		}
	}
	setupErr := ""
	switch {
	case strings.HasPrefix(authReply, "-"):
		setupErr = authReply
	case strings.HasPrefix(selectReply, "-"):
		setupErr = selectReply
	}
	var res migrateResult
	del := [][]byte{[]byte("DEL")}
	for j, k := range sent {
		line, err := ms.readLine(o.timeout)
		if err != nil {
			if res.err == "" {
				res = migrateResult{err: rerr.MigrateRead, socket: true, retryable: j == 0 && !isTimeout(err)}
			}
			break
		}
		failed := setupErr
		if failed == "" && strings.HasPrefix(line, "-") {
			failed = line
		}
		if failed != "" {
			if res.err == "" {
				res = migrateResult{err: "ERR Target instance replied with error: " + failed[1:]}
				ms.lastDB = -1
			}
			continue
		}
		if !o.copy && ctx.DB.Delete(k) {
			ctx.Notify(nGeneric, "del", k)
			ctx.Dirty(1)
			del = append(del, k)
		}
	}
	if len(del) > 1 {
		ctx.Propagate(del...)
	} else {
		ctx.NoPropagate()
	}
	if res.err == "" {
		ms.lastDB = o.db
	}
	return res
}

// migrateSocket is a cached connection to a MIGRATE target.
type migrateSocket struct {
	conn    net.Conn
	r       *bufio.Reader
	lastDB  int64 // the database selected on the target, -1 if unknown
	lastUse time.Time
}

// readLine reads one reply line (the target's replies to AUTH, SELECT and
// RESTORE are all single lines).
func (ms *migrateSocket) readLine(timeout time.Duration) (string, error) {
	_ = ms.conn.SetReadDeadline(time.Now().Add(timeout))
	line, err := ms.r.ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// migrateCache holds a server's MIGRATE connections. It is used only by
// the data's owner (the handler and the cron), so it needs no lock.
type migrateCache struct {
	socks map[string]*migrateSocket
}

const (
	migrateMaxSockets = 64               // MIGRATE_SOCKET_CACHE_ITEMS
	migrateSocketTTL  = 10 * time.Second // MIGRATE_SOCKET_CACHE_TTL
)

var migrateCaches sync.Map // *core.Server → *migrateCache

// migrateCacheFor returns s's cache, creating it (and its cron and exit
// hooks) on first use.
func migrateCacheFor(s *core.Server) *migrateCache {
	if c, ok := migrateCaches.Load(s); ok {
		return c.(*migrateCache)
	}
	c := &migrateCache{socks: map[string]*migrateSocket{}}
	migrateCaches.Store(s, c)
	s.OnCron(c.closeIdle)
	s.OnExit(func() {
		for addr := range c.socks {
			c.drop(addr)
		}
	})
	return c
}

// get returns the cached connection to addr or dials a new one, closing
// a random cached one when the cache is full.
func (c *migrateCache) get(addr string, timeout time.Duration) (*migrateSocket, error) {
	if ms := c.socks[addr]; ms != nil {
		ms.lastUse = time.Now()
		return ms, nil
	}
	if len(c.socks) >= migrateMaxSockets {
		for other := range c.socks {
			c.drop(other)
			break
		}
	}
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	ms := &migrateSocket{conn: conn, r: bufio.NewReader(conn), lastDB: -1, lastUse: time.Now()}
	c.socks[addr] = ms
	return ms, nil
}

// drop closes and forgets the connection to addr.
func (c *migrateCache) drop(addr string) {
	if ms := c.socks[addr]; ms != nil {
		_ = ms.conn.Close()
		delete(c.socks, addr)
	}
}

// closeIdle closes the connections unused for migrateSocketTTL.
func (c *migrateCache) closeIdle() {
	for addr, ms := range c.socks {
		if time.Since(ms.lastUse) > migrateSocketTTL {
			c.drop(addr)
		}
	}
}

// isTimeout reports whether err is a deadline expiry (Redis does not
// retry those).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
