package persist

import (
	"bufio"
	"io"
	"math"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/hash"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/persist/aof"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/quicklist"
	"github.com/redis-clone/redis-clone/internal/set"
	"github.com/redis-clone/redis-clone/internal/stream"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// The three dataset formats a snapshot is written in: an RDB (dump.rdb,
// and the base of the AOF with aof-use-rdb-preamble), RESP commands (the
// base of the AOF without the preamble) and JSON (snapshot-format json).
// Each encoder takes the keys database by database, as snapshots and
// synchronous saves hand them out.

// encoder writes one dataset.
type encoder interface {
	// entry writes one key; the entries of a database come together.
	entry(e *keyspace.Entry) error
	// close ends the dataset (trailer, checksum) and flushes.
	close() error
}

// sizesFunc reports how many keys, and keys with a TTL, database db
// holds (the RDB's RESIZEDB hint, the JSON key count).
type sizesFunc func(db int) (keys, expires int)

// rdbEncoder writes an RDB file.
type rdbEncoder struct {
	w     *rdb.Writer
	sizes sizesFunc
	db    int
}

// newRDBEncoder starts an RDB on out with Redis's AUX fields; aofBase
// marks the base file of an AOF. repl are the replication AUX fields (repl-stream-db, repl-id,
// repl-offset), written before aof-base as Redis orders them; functions
// are the function libraries' codes, written after the header.
func newRDBEncoder(out io.Writer, opts rdb.WriterOptions, aofBase bool, usedMem int64, sizes sizesFunc, repl []rdb.Aux, functions []string) (*rdbEncoder, error) {
	e := &rdbEncoder{w: rdb.NewWriterOptions(out, opts), sizes: sizes, db: -1}
	aux := rdb.DefaultAux(usedMem, aofBase)
	if len(repl) > 0 && len(aux) > 0 {
		last := aux[len(aux)-1]
		aux = append(append(aux[:len(aux)-1], repl...), last)
	}
	if err := e.w.Header(aux); err != nil {
		return e, err
	}
	for _, code := range functions {
		if err := e.w.Function([]byte(code)); err != nil {
			return e, err
		}
	}
	return e, nil
}

func (e *rdbEncoder) entry(en *keyspace.Entry) error {
	if en.DB != e.db {
		e.db = en.DB
		keys, expires := e.sizes(en.DB)
		if err := e.w.SelectDB(en.DB, uint64(keys), uint64(expires)); err != nil {
			return err
		}
	}
	return writeObject(e.w, sbytes(en.Key), en.Obj, en.Expire)
}

func (e *rdbEncoder) close() error { return e.w.Close() }

// itemsPerCmd is AOF_REWRITE_ITEMS_PER_CMD: elements per RPUSH, SADD,
// HMSET or ZADD of a rewritten AOF.
const itemsPerCmd = 64

// respEncoder writes RESP commands that rebuild the dataset, like Redis's
// rewriteAppendOnlyFileRio: SELECT, then SET / RPUSH / SADD / HMSET /
// ZADD in batches of 64 elements, then PEXPIREAT for keys with a TTL.
type respEncoder struct {
	w    *bufio.Writer
	db   int
	args [][]byte
	num  []byte
	buf  []byte
	// arena holds copies of the items of the command being built: an
	// iterator's slices are only valid during its callback.
	arena []byte
}

func newRESPEncoder(out io.Writer) *respEncoder {
	bw, ok := out.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(out, 64<<10)
	}
	return &respEncoder{w: bw, db: -1}
}

// cmd writes the command in e.args.
func (e *respEncoder) cmd() error {
	e.buf = aof.AppendCommand(e.buf[:0], e.args)
	_, err := e.w.Write(e.buf)
	if cap(e.buf) > 1<<20 {
		e.buf = nil
	}
	e.arena = e.arena[:0]
	if cap(e.arena) > 1<<20 {
		e.arena = nil
	}
	return err
}

// batch writes name key followed by the items each adds (one or two words
// per item), in commands of at most itemsPerCmd items.
func (e *respEncoder) batch(name string, key []byte, total int, each func(add func(words ...[]byte) error) error) error {
	count := 0
	start := func() {
		e.args = append(e.args[:0], []byte(name), key)
	}
	start()
	err := each(func(words ...[]byte) error {
		for _, w := range words {
			// Earlier copies stay valid if the arena grows: append
			// moves it, leaving the old array as it was.
			s := len(e.arena)
			e.arena = append(e.arena, w...)
			e.args = append(e.args, e.arena[s:len(e.arena):len(e.arena)])
		}
		count++
		if count%itemsPerCmd == 0 || count == total {
			if err := e.cmd(); err != nil {
				return err
			}
			start()
		}
		return nil
	})
	return err
}

func (e *respEncoder) entry(en *keyspace.Entry) error {
	if en.DB != e.db {
		e.db = en.DB
		e.args = append(e.args[:0], []byte("SELECT"), strconv.AppendInt(nil, int64(en.DB), 10))
		if err := e.cmd(); err != nil {
			return err
		}
	}
	key := sbytes(en.Key)
	o := en.Obj
	var err error
	switch o.Type {
	case keyspace.TypeString:
		e.args = append(e.args[:0], []byte("SET"), key, o.Str)
		err = e.cmd()
	case keyspace.TypeList:
		l := o.Val.(*quicklist.List)
		err = e.batch("RPUSH", key, l.Len(), func(add func(...[]byte) error) error {
			for v := range listElems(l) {
				if err := add(v); err != nil {
					return err
				}
			}
			return nil
		})
	case keyspace.TypeSet:
		s := o.Val.(*set.Set)
		err = e.batch("SADD", key, s.Len(), func(add func(...[]byte) error) error {
			for m := range setMembers(s) {
				if err := add(m); err != nil {
					return err
				}
			}
			return nil
		})
	case keyspace.TypeHash:
		h := o.Val.(*hash.Hash)
		err = e.batch("HMSET", key, h.Len(), func(add func(...[]byte) error) error {
			for f, v := range hashPairs(h) {
				if err := add(f, v); err != nil {
					return err
				}
			}
			return nil
		})
	case keyspace.TypeZSet:
		z := o.Val.(*zset.ZSet)
		err = e.batch("ZADD", key, z.Len(), func(add func(...[]byte) error) error {
			for m, s := range zsetMembers(z) {
				if err := add(formatScore(s), m); err != nil {
					return err
				}
			}
			return nil
		})
	case keyspace.TypeStream:
		err = o.Val.(*stream.Stream).RewriteCommands(key, func(args [][]byte) error {
			e.args = append(e.args[:0], args...)
			return e.cmd()
		})
	default:
		_, err = ValueOf(o) // the error naming the unsupported type
	}
	if err != nil {
		return err
	}
	if en.Expire != -1 {
		e.args = append(e.args[:0], []byte("PEXPIREAT"), key, strconv.AppendInt(e.num[:0], en.Expire, 10))
		return e.cmd()
	}
	return nil
}

func (e *respEncoder) close() error { return e.w.Flush() }

// formatScore renders a score as Redis's rioWriteBulkDouble ("%.17g"),
// with inf and -inf for the infinities.
func formatScore(f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return []byte("inf")
	case math.IsInf(f, -1):
		return []byte("-inf")
	}
	return strconv.AppendFloat(nil, f, 'g', 17, 64)
}
