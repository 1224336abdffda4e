package persist

import (
	"bytes"
	"fmt"
	"iter"
	"unsafe"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/hash"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/quicklist"
	"github.com/redis-clone/redis-clone/internal/set"
	"github.com/redis-clone/redis-clone/internal/stream"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// Conversions between keyspace objects (native encodings: quicklist,
// intset/hashtable, listpack/hashtable, listpack/skiplist) and the rdb
// codec's plain values. Writing walks an object with iterators, copying
// nothing; loading rebuilds each type the way Redis's loader does, so the
// configured thresholds pick the same encodings.

// WriterOptions returns the RDB writer settings of cfg (rdbcompression,
// rdbchecksum and the encoding thresholds).
func WriterOptions(cfg *config.Config) rdb.WriterOptions {
	return rdb.WriterOptions{
		Compression:            cfg.RDBCompression,
		Checksum:               cfg.RDBChecksum,
		ListMaxListpackSize:    cfg.ListMaxListpackSize,
		HashMaxListpackEntries: cfg.HashMaxListpackEntries,
		HashMaxListpackValue:   cfg.HashMaxListpackValue,
		SetMaxIntsetEntries:    cfg.SetMaxIntsetEntries,
		ZSetMaxListpackEntries: cfg.ZSetMaxListpackEntries,
		ZSetMaxListpackValue:   cfg.ZSetMaxListpackValue,
	}
}

// sbytes views s as bytes without copying; the result must not be
// modified.
func sbytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// listElems yields a list's elements head to tail.
func listElems(l *quicklist.List) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		l.Range(0, false, func(_ int, v []byte) bool { return yield(v) })
	}
}

// setMembers yields a set's members as bytes. Integers of an intset are
// rendered into an arena that is never overwritten, so every yielded
// slice stays valid while the caller gathers them.
func setMembers(s *set.Set) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		var arena []byte
		if s.IsIntset() {
			arena = make([]byte, 0, 8*s.Len())
		}
		s.Range(func(m set.Member) bool {
			if !m.IsInt {
				return yield(sbytes(m.Str))
			}
			start := len(arena)
			arena = m.Append(arena)
			return yield(arena[start:len(arena):len(arena)])
		})
	}
}

// hashPairs yields a hash's field/value pairs in storage order.
func hashPairs(h *hash.Hash) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		h.Range(func(f, v []byte) bool { return yield(f, v) })
	}
}

// zsetMembers yields a sorted set's members with their scores: a listpack
// in ascending order, a skiplist from the highest score down, the orders
// Redis writes them in.
func zsetMembers(z *zset.ZSet) iter.Seq2[[]byte, float64] {
	return func(yield func([]byte, float64) bool) {
		if z.IsListpack() {
			z.Each(func(m []byte, s float64) bool { return yield(m, s) })
			return
		}
		stopped := false
		z.Range(true, func(m []byte, s float64) {
			if !stopped && !yield(m, s) {
				stopped = true
			}
		})
	}
}

// writeObject writes key holding o (with expiry exp, -1 for none) to w.
func writeObject(w *rdb.Writer, key []byte, o *keyspace.Object, exp int64) error {
	switch o.Type {
	case keyspace.TypeString:
		return w.String(key, o.Str, exp)
	case keyspace.TypeList:
		l := o.Val.(*quicklist.List)
		return w.List(key, l.Len(), listElems(l), exp)
	case keyspace.TypeSet:
		s := o.Val.(*set.Set)
		return w.Set(key, s.Len(), setMembers(s), exp)
	case keyspace.TypeHash:
		h := o.Val.(*hash.Hash)
		return w.Hash(key, h.Len(), hashPairs(h), exp)
	case keyspace.TypeZSet:
		z := o.Val.(*zset.ZSet)
		return w.ZSet(key, z.Len(), zsetMembers(z), exp)
	case keyspace.TypeStream:
		return w.Stream(key, streamValue(o.Val.(*stream.Stream), false), exp)
	}
	return fmt.Errorf("persist: key %q holds a %s, which cannot be saved", key, o.Type)
}

// ValueOf returns o's value in the codec's form, for DUMP. Strings, set,
// hash and stream slices alias o: use the result before o changes.
func ValueOf(o *keyspace.Object) (rdb.Value, error) {
	switch o.Type {
	case keyspace.TypeString:
		return rdb.Value{Kind: rdb.KindString, Str: o.Str}, nil
	case keyspace.TypeList:
		l := o.Val.(*quicklist.List)
		v := rdb.Value{Kind: rdb.KindList, List: make([][]byte, 0, l.Len())}
		for e := range listElems(l) {
			v.List = append(v.List, bytes.Clone(e)) // valid during the callback only
		}
		return v, nil
	case keyspace.TypeSet:
		s := o.Val.(*set.Set)
		v := rdb.Value{Kind: rdb.KindSet, Set: make([][]byte, 0, s.Len())}
		for m := range setMembers(s) {
			v.Set = append(v.Set, m)
		}
		return v, nil
	case keyspace.TypeHash:
		h := o.Val.(*hash.Hash)
		v := rdb.Value{Kind: rdb.KindHash, Hash: make([][2][]byte, 0, h.Len())}
		for f, val := range hashPairs(h) {
			v.Hash = append(v.Hash, [2][]byte{f, val})
		}
		return v, nil
	case keyspace.TypeZSet:
		z := o.Val.(*zset.ZSet)
		v := rdb.Value{Kind: rdb.KindZSet, ZSet: make([]rdb.ZMember, 0, z.Len())}
		for m, s := range zsetMembers(z) {
			v.ZSet = append(v.ZSet, rdb.ZMember{Member: bytes.Clone(m), Score: s})
		}
		return v, nil
	case keyspace.TypeStream:
		return rdb.Value{Kind: rdb.KindStream, Stream: streamValue(o.Val.(*stream.Stream), true)}, nil
	}
	return rdb.Value{}, fmt.Errorf("persist: a %s value cannot be serialized", o.Type)
}

// ObjectOf builds an object holding v with the encodings cfg's
// thresholds give (RESTORE, the JSON snapshot). v's slices are owned by
// the result afterwards.
func ObjectOf(v rdb.Value, cfg *config.Config) (*keyspace.Object, error) {
	switch v.Kind {
	case rdb.KindString:
		return keyspace.NewString(v.Str), nil
	case rdb.KindList:
		return newList(v.List, cfg), nil
	case rdb.KindSet:
		return newSet(v.Set, cfg), nil
	case rdb.KindHash:
		return newHash(v.Hash, cfg), nil
	case rdb.KindZSet:
		return newZSet(v.ZSet, cfg), nil
	case rdb.KindStream:
		st, err := newStream(v.Stream)
		if err != nil {
			return nil, err
		}
		return &keyspace.Object{Type: keyspace.TypeStream, Val: st}, nil
	}
	return nil, fmt.Errorf("persist: value of kind %d cannot be loaded", v.Kind)
}

// newList builds a list (quicklist with list-max-listpack-size nodes).
func newList(elems [][]byte, cfg *config.Config) *keyspace.Object {
	l := quicklist.New(cfg.ListMaxListpackSize)
	for _, e := range elems {
		l.PushBack(e)
	}
	return &keyspace.Object{Type: keyspace.TypeList, Val: l}
}

// newSet builds a set as Redis's loader does: a hashtable when it has more
// members than set-max-intset-entries, else an intset that converts at
// the first member that is not an integer.
func newSet(members [][]byte, cfg *config.Config) *keyspace.Object {
	var s *set.Set
	if len(members) > cfg.SetMaxIntsetEntries {
		s = set.NewHashtable(len(members))
	} else {
		s = set.New()
	}
	for _, m := range members {
		s.Add(m, cfg.SetMaxIntsetEntries)
	}
	return keyspace.NewSet(s)
}

// newHash builds a hash: a hashtable beyond hash-max-listpack-entries
// pairs, else a listpack that converts at the first long field or value.
func newHash(pairs [][2][]byte, cfg *config.Config) *keyspace.Object {
	lim := hash.Limits{MaxEntries: cfg.HashMaxListpackEntries, MaxValue: cfg.HashMaxListpackValue}
	var h *hash.Hash
	if len(pairs) > lim.MaxEntries {
		h = hash.NewHashtable(len(pairs))
	} else {
		h = hash.New()
	}
	for _, p := range pairs {
		h.Set(p[0], p[1], lim)
	}
	return keyspace.NewHash(h)
}

// newZSet builds a sorted set: a skiplist beyond
// zset-max-listpack-entries members, else a listpack that converts at the
// first long member.
func newZSet(members []rdb.ZMember, cfg *config.Config) *keyspace.Object {
	lim := zset.Limits{MaxListpackEntries: cfg.ZSetMaxListpackEntries, MaxListpackValue: cfg.ZSetMaxListpackValue}
	var z *zset.ZSet
	if len(members) > lim.MaxListpackEntries {
		z = zset.NewSkiplist(len(members))
	} else {
		z = zset.New()
	}
	for _, m := range members {
		z.Set(string(m.Member), m.Score, lim)
	}
	return keyspace.NewZSet(z)
}
