package command

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/hash"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/quicklist"
	"github.com/redis-clone/redis-clone/internal/rerr"
	setpkg "github.com/redis-clone/redis-clone/internal/set"
	"github.com/redis-clone/redis-clone/internal/stream"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// DEBUG subcommands about values and the keyspace (Redis's debug.c):
// OBJECT, DIGEST, DIGEST-VALUE, LISTPACK, QUICKLIST, HTSTATS, HTSTATS-KEY,
// STRINGMATCH-TEST, SET-SKIP-CHECKSUM-VALIDATION, REPLYBUFFER, PAUSE-CRON,
// SET-DISABLE-DENY-SCRIPTS.
// The others live with their groups (server.go, persistence.go, lists.go).
// DEBUG itself is protected by enable-debug-command (core.FlagProtected).

var _ = registerDebug("object", debugObject)
var _ = registerDebug("digest", debugDigest)
var _ = registerDebug("digest-value", debugDigestValue)
var _ = registerDebug("listpack", debugListpack)
var _ = registerDebug("quicklist", debugQuicklist)
var _ = registerDebug("htstats", debugHTStats)
var _ = registerDebug("htstats-key", debugHTStatsKey)
var _ = registerDebug("stringmatch-test", debugStringmatchTest)
var _ = registerDebug("set-skip-checksum-validation", debugSetSkipChecksum)
var _ = registerDebug("replybuffer", debugReplyBuffer)

// skipChecksumValidation is DEBUG SET-SKIP-CHECKSUM-VALIDATION's flag:
// RESTORE then accepts payloads whose CRC64 does not match.
var skipChecksumValidation bool

// debugObject implements DEBUG OBJECT key in Redis's format: address,
// refcount, encoding, the RDB serialized length, the raw 24-bit lru field
// and the idle seconds, plus the quicklist figures for lists.
func debugObject(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	o, ok := ctx.DB.RawGet(ctx.Args[2])
	if !ok {
		ctx.Error(rerr.NoSuchKey)
		return
	}
	refcount := int64(1)
	shared := ctx.Srv.Config.MaxMemory == 0 || !(lruPolicy(ctx) || lfuPolicy(ctx))
	if o.Type == keyspace.TypeString && shared && keyspace.IsSharedInteger(o.Str) {
		refcount = keyspace.SharedRefcount
	}
	var extra string
	if l, ok := o.Val.(*quicklist.List); ok {
		nodes, size := 0, 0
		l.Nodes(func(_ bool, data []byte) bool {
			nodes++
			size += len(data)
			return true
		})
		avg := 0.0
		if nodes > 0 {
			avg = float64(l.Len()) / float64(nodes)
		}
		compressed := 0
		if ctx.Srv.Config.ListCompressDepth != 0 {
			compressed = 1
		}
		extra = fmt.Sprintf(" ql_nodes:%d ql_avg_node:%.2f ql_listpack_max:%d ql_compressed:%d ql_uncompressed_size:%d",
			nodes, avg, ctx.Srv.Config.ListMaxListpackSize, compressed, size)
	}
	ctx.W.Simple(fmt.Sprintf("Value at:%p refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d%s",
		o, refcount, o.Encoding(), serializedLength(ctx, o), o.LRU(), ctx.Srv.KS.IdleTime(o)/1000, extra))
}

// serializedLength is Redis's rdbSavedObjectLen: the bytes of the value
// in RDB format (the DUMP payload without its type byte, RDB version and
// CRC64). Streams have no RDB codec here yet and report 0.
func serializedLength(ctx *core.Ctx, o *keyspace.Object) int {
	v, err := persist.ValueOf(o)
	if err != nil {
		return 0
	}
	payload, err := rdb.DumpValueOptions(v, persist.WriterOptions(ctx.Srv.Config))
	if err != nil || len(payload) < 11 {
		return 0
	}
	return len(payload) - 11
}

// ---- DIGEST ----

// xorDigest xors SHA1(b) into d (Redis's xorDigest: order-independent).
func xorDigest(d *[20]byte, b []byte) {
	h := sha1.Sum(b)
	for i := range d {
		d[i] ^= h[i]
	}
}

// mixDigest is Redis's mixDigest: d = SHA1(d xor SHA1(b)), so the order
// of the mixed strings matters.
func mixDigest(d *[20]byte, b []byte) {
	xorDigest(d, b)
	*d = sha1.Sum(d[:])
}

// redisTypeNumber is the OBJ_* number Redis mixes into a value's digest.
func redisTypeNumber(t keyspace.Type) uint32 {
	if t == keyspace.TypeStream {
		return 6 // OBJ_STREAM; 5 is OBJ_MODULE
	}
	return uint32(t)
}

// objectDigest mixes the digest of value o (with TTL or not) into d, as
// Redis's xorObjectDigest, so that digests match redis-server's.
func objectDigest(d *[20]byte, o *keyspace.Object, hasExpire bool) {
	var aux [4]byte
	binary.BigEndian.PutUint32(aux[:], redisTypeNumber(o.Type))
	mixDigest(d, aux[:])
	switch o.Type {
	case keyspace.TypeString:
		mixDigest(d, o.Str)
	case keyspace.TypeList:
		o.Val.(*quicklist.List).Range(0, false, func(_ int, v []byte) bool {
			mixDigest(d, v)
			return true
		})
	case keyspace.TypeSet:
		var buf []byte
		o.Val.(*setpkg.Set).Range(func(m setpkg.Member) bool {
			buf = m.Append(buf[:0])
			xorDigest(d, buf)
			return true
		})
	case keyspace.TypeZSet:
		var buf []byte
		o.Val.(*zset.ZSet).Range(false, func(m []byte, score float64) {
			var ele [20]byte
			mixDigest(&ele, m)
			buf = numfmt.AppendFloat(buf[:0], score)
			mixDigest(&ele, buf)
			xorDigest(d, ele[:])
		})
	case keyspace.TypeHash:
		o.Val.(*hash.Hash).Range(func(f, v []byte) bool {
			var ele [20]byte
			mixDigest(&ele, f)
			mixDigest(&ele, v)
			xorDigest(d, ele[:])
			return true
		})
	case keyspace.TypeStream:
		var buf []byte
		o.Val.(*stream.Stream).Range(stream.MinID, stream.MaxID, false, func(e *stream.Entry) bool {
			if e.Deleted {
				return true
			}
			buf = strconv.AppendUint(buf[:0], e.ID.Ms, 10)
			buf = append(buf, '.')
			buf = strconv.AppendUint(buf, e.ID.Seq, 10)
			mixDigest(d, buf)
			e.Fields(func(f, v []byte) {
				mixDigest(d, f)
				mixDigest(d, v)
			})
			return true
		})
	}
	if hasExpire {
		xorDigest(d, []byte("!!expire!!"))
	}
}

// debugDigest implements DEBUG DIGEST: Redis's digest of the whole
// dataset (40 zeros when it is empty), comparable with redis-server's.
func debugDigest(ctx *core.Ctx) {
	if !debugArgc(ctx, 2, 2) {
		return
	}
	var final [20]byte
	ks := ctx.Srv.KS
	for j := 0; j < ks.Len(); j++ {
		db := ks.DB(j)
		if db.Len() == 0 {
			continue
		}
		var aux [4]byte
		binary.BigEndian.PutUint32(aux[:], uint32(j))
		mixDigest(&final, aux[:])
		db.RangeAll(func(key string, o *keyspace.Object, hasExpire bool) {
			var d [20]byte
			mixDigest(&d, []byte(key))
			objectDigest(&d, o, hasExpire)
			xorDigest(&final, d[:])
		})
	}
	ctx.W.Simple(hex.EncodeToString(final[:]))
}

// debugDigestValue implements DEBUG DIGEST-VALUE key...: each value's
// digest (logically expired keys included; zeros for a missing key).
func debugDigestValue(ctx *core.Ctx) {
	keys := ctx.Args[2:]
	ctx.W.ArrayLen(len(keys))
	for _, k := range keys {
		var d [20]byte
		if o, ok := ctx.DB.RawGet(k); ok {
			objectDigest(&d, o, ctx.DB.Expire(k) != -1)
		}
		ctx.W.Simple(hex.EncodeToString(d[:]))
	}
}

// ---- encodings ----

// debugListpack implements DEBUG LISTPACK key: Redis prints the listpack
// on its stdout; so do we (the entries, one per line).
func debugListpack(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	o := objectLookupOr(ctx, rerr.NoSuchKey)
	if o == nil {
		return
	}
	if o.Encoding() != "listpack" {
		ctx.Error("ERR Not a listpack encoded object.")
		return
	}
	fmt.Printf("{listpack of %s, %s}\n", o.Type, o.Encoding())
	ctx.W.Simple("Listpack structure printed on stdout")
}

// debugQuicklist implements DEBUG QUICKLIST key [full]: the node layout
// printed on stdout.
func debugQuicklist(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 4) {
		return
	}
	o := objectLookupOr(ctx, rerr.NoSuchKey)
	if o == nil {
		return
	}
	l, ok := o.Val.(*quicklist.List)
	if !ok || o.Encoding() != "quicklist" {
		ctx.Error("ERR Not a quicklist encoded object.")
		return
	}
	fmt.Printf("{quicklist\n count: %d\n}\n", l.Len())
	i := 0
	l.Nodes(func(plain bool, data []byte) bool {
		container := "PACKED"
		if plain {
			container = "PLAIN"
		}
		fmt.Printf("{node %d\n container: %s\n size: %d\n}\n", i, container, len(data))
		i++
		return true
	})
	ctx.W.Simple("Quicklist structure printed on stdout")
}

// objectLookupOr finds key without touching it (objectCommandLookup),
// replying errMsg when it does not exist.
func objectLookupOr(ctx *core.Ctx, errMsg string) *keyspace.Object {
	o := ctx.DB.Peek(ctx.Args[2])
	if o == nil {
		ctx.Error(errMsg)
	}
	return o
}

// debugHTStats implements DEBUG HTSTATS dbid: the statistics of the
// database's key and expires tables, as a verbatim string.
func debugHTStats(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	id, ok := ctx.Int(2)
	if !ok {
		return
	}
	if id < 0 || id >= int64(ctx.Srv.KS.Len()) {
		ctx.Error("ERR Out of range database")
		return
	}
	keys, expires := ctx.Srv.KS.DB(int(id)).HTStats()
	ctx.W.Verbatim("[Dictionary HT]\n"+keys+"[Expires HT]\n"+expires, "txt")
}

// debugHTStatsKey implements DEBUG HTSTATS-KEY key for values kept in a
// hash table (hashtable sets and hashes, skiplist sorted sets).
func debugHTStatsKey(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	o := objectLookupOr(ctx, rerr.NoSuchKey)
	if o == nil {
		return
	}
	var stats string
	ok := false
	switch v := o.Val.(type) {
	case *setpkg.Set:
		stats, ok = v.DictStats()
	case *hash.Hash:
		stats, ok = v.DictStats()
	case *zset.ZSet:
		stats, ok = v.DictStats()
	}
	if !ok {
		ctx.Error("ERR The value stored at the specified key is not represented using an hash table")
		return
	}
	ctx.W.Verbatim(stats, "txt")
}

// debugStringmatchTest implements DEBUG STRINGMATCH-TEST: Redis's fuzz of
// stringmatchlen with random patterns and strings (it must not crash).
func debugStringmatchTest(ctx *core.Ctx) {
	if !debugArgc(ctx, 2, 2) {
		return
	}
	const chars = "*?[]\\^-abcABC01"
	var pat, str [64]byte
	for i := 0; i < 1000000; i++ {
		pl, sl := rand.IntN(len(pat)), rand.IntN(len(str))
		for j := 0; j < pl; j++ {
			pat[j] = chars[rand.IntN(len(chars))]
		}
		for j := 0; j < sl; j++ {
			str[j] = chars[rand.IntN(len(chars))]
		}
		glob.Match(pat[:pl], str[:sl], i&1 == 0)
	}
	ctx.W.Simple("Apparently Redis did not crash: test passed")
}

// debugSetSkipChecksum implements DEBUG SET-SKIP-CHECKSUM-VALIDATION
// <0|1>: RESTORE skips the payload's CRC64 check while it is set.
func debugSetSkipChecksum(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	skipChecksumValidation = atoi(ctx.Args[2]) != 0
	ctx.W.OK()
}

// debugReplyBuffer implements DEBUG REPLYBUFFER PEAK-RESET-TIME
// <never|reset|ms> and REPLYBUFFER RESIZING <0|1>. Reply buffers here are
// Go byte slices the front ends reuse; there is no resizing cron to tune,
// so the settings are validated and acknowledged.
func debugReplyBuffer(ctx *core.Ctx) {
	if !debugArgc(ctx, 4, 4) {
		return
	}
	switch strings.ToLower(string(ctx.Args[2])) {
	case "peak-reset-time":
		v := strings.ToLower(string(ctx.Args[3]))
		if v != "never" && v != "reset" {
			if _, ok := ctx.Int(3); !ok {
				return
			}
		}
	case "resizing":
	default:
		subcommandSyntaxError(ctx)
		return
	}
	ctx.W.OK()
}

var _ = registerDebug("set-disable-deny-scripts", debugSetDisableDenyScripts)

// debugSetDisableDenyScripts implements DEBUG SET-DISABLE-DENY-SCRIPTS
// <0|1>: whether scripts may call commands flagged no-script.
func debugSetDisableDenyScripts(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	ctx.Srv.SetDisableDenyScripts(atoi(ctx.Args[2]) != 0)
	ctx.W.OK()
}
