package command

import (
	"github.com/redis-clone/redis-clone/internal/hash"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/listpack"
	"github.com/redis-clone/redis-clone/internal/quicklist"
	setval "github.com/redis-clone/redis-clone/internal/set"
	"github.com/redis-clone/redis-clone/internal/stream"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// MEMORY USAGE of a collection, after Redis 7.0's objectComputeSize: the
// sizes of the C structures a 64-bit redis-server with jemalloc allocates
// for the value's encoding, sampling the first SAMPLES elements (or
// quicklist nodes, or stream listpacks) and scaling their average to the
// whole (every element with SAMPLES 0). The robj header, the key's sds
// and its dict entry are added by memoryUsage.

// Sizes of Redis 7.0's structures on a 64-bit build.
const (
	quicklistStructSize = 40 // quicklist
	quicklistNodeSize   = 40 // quicklistNode
	dictStructSize      = 56 // dict
	zsetStructSize      = 16 // zset
	zskiplistStructSize = 32 // zskiplist
	zskiplistNodeSize   = 24 // zskiplistNode without its levels
	zskiplistLevelSize  = 16 // one zskiplistLevel
	zskiplistMaxLevel   = 32 // ZSKIPLIST_MAXLEVEL (the header's levels)
	intsetHeaderSize    = 8  // intset encoding and length
	streamStructSize    = 80 // stream
	streamIDSize        = 16 // streamID
	raxNodeSize         = 4  // raxNode header
	streamCGSize        = 40 // streamCG
	streamNACKSize      = 24 // streamNACK
	streamConsumerSize  = 24 // streamConsumer
	// streamListpackPrealloc is STREAM_LISTPACK_MAX_PRE_ALLOCATE.
	streamListpackPrealloc = 4096
)

func init() {
	serverHooks.ValueSize = valueMemoryUsage
}

// valueMemoryUsage estimates the bytes a collection value takes beyond
// its robj header. samples <= 0 samples every element.
func valueMemoryUsage(o *keyspace.Object, samples int64) int64 {
	if samples <= 0 {
		samples = 1<<63 - 1
	}
	switch v := o.Val.(type) {
	case *quicklist.List:
		return listMemoryUsage(v, samples)
	case *setval.Set:
		return setMemoryUsage(v, samples)
	case *zset.ZSet:
		return zsetMemoryUsage(v, samples)
	case *hash.Hash:
		return hashMemoryUsage(v, samples)
	case *stream.Stream:
		return streamMemoryUsage(v, samples)
	}
	return 0
}

// sampledTotal scales the sum of n sampled element sizes to total
// elements, as Redis does with (double)elesize/samples*count.
func sampledTotal(sum int64, n, total int) int64 {
	if n == 0 {
		return 0
	}
	return int64(float64(sum) / float64(n) * float64(total))
}

// dictMemory is the dict structure and its bucket array.
func dictMemory(slots int) int64 { return dictStructSize + 8*int64(slots) }

func listMemoryUsage(l *quicklist.List, samples int64) int64 {
	var sum int64
	n := 0
	l.Nodes(func(_ bool, data []byte) bool {
		sum += quicklistNodeSize + mallocSize(int64(len(data)))
		n++
		return int64(n) < samples
	})
	return quicklistStructSize + sampledTotal(sum, n, l.NodeCount())
}

func setMemoryUsage(s *setval.Set, samples int64) int64 {
	if s.IsIntset() {
		width := int64(2)
		for _, v := range s.Ints() {
			switch {
			case v < -1<<31 || v > 1<<31-1:
				width = 8
			case (v < -1<<15 || v > 1<<15-1) && width < 4:
				width = 4
			}
		}
		return mallocSize(intsetHeaderSize + width*int64(s.Len()))
	}
	var sum int64
	n := 0
	var buf []byte
	s.Range(func(m setval.Member) bool {
		buf = m.Append(buf[:0])
		sum += dictEntrySize + sdsAlloc(len(buf))
		n++
		return int64(n) < samples
	})
	return dictMemory(s.Slots()) + sampledTotal(sum, n, s.Len())
}

func zsetMemoryUsage(z *zset.ZSet, samples int64) int64 {
	if z.IsListpack() {
		return mallocSize(int64(z.ListpackBytes()))
	}
	size := zsetStructSize + zskiplistStructSize + dictMemory(z.Slots()) +
		mallocSize(zskiplistNodeSize+zskiplistLevelSize*zskiplistMaxLevel)
	var sum int64
	n := 0
	z.SampleNodes(func(member string, levels int) bool {
		sum += sdsAlloc(len(member)) + dictEntrySize +
			mallocSize(int64(zskiplistNodeSize+zskiplistLevelSize*levels))
		n++
		return int64(n) < samples
	})
	return size + sampledTotal(sum, n, z.Len())
}

func hashMemoryUsage(h *hash.Hash, samples int64) int64 {
	if h.IsListpack() {
		// The listpack Redis would hold for these pairs.
		b := listpack.EmptySize
		h.Range(func(f, v []byte) bool {
			b += listpack.EntrySize(f) + listpack.EntrySize(v)
			return true
		})
		return mallocSize(int64(b))
	}
	var sum int64
	n := 0
	h.Range(func(f, v []byte) bool {
		sum += sdsAlloc(len(f)) + sdsAlloc(len(v)) + dictEntrySize
		n++
		return int64(n) < samples
	})
	return dictMemory(h.Slots()) + sampledTotal(sum, n, h.Len())
}

// raxMemory is Redis's streamRadixTreeMemoryUsage (which, as written,
// leaves out the rax structure itself).
func raxMemory(elements, nodes int) int64 {
	return int64(elements)*streamIDSize + int64(nodes)*(raxNodeSize+8*30)
}

func streamMemoryUsage(s *stream.Stream, samples int64) int64 {
	nodes := s.NumNodes()
	size := streamStructSize + raxMemory(nodes, s.RaxNodes())
	// The tail listpack is allocated ahead (lpNew with the preallocation,
	// the default stream-node-max-bytes) and takes at least that much
	// until it grows past it; a full node was shrunk to fit.
	alloc := func(i, b int) int64 {
		if i == nodes-1 {
			b = max(b, streamListpackPrealloc)
		}
		return mallocSize(int64(b))
	}
	var lpsum, last int64
	n := 0
	s.NodeSizes(func(b int) bool {
		lpsum += alloc(n, b)
		n++
		return int64(n) < samples
	})
	if nodes <= n {
		size += lpsum
	} else {
		i := 0
		s.NodeSizes(func(b int) bool { last = alloc(i, b); i++; return true })
		size += lpsum/int64(n)*int64(nodes-1) + last
	}
	s.Groups(func(g *stream.Group) bool {
		var pel []stream.ID
		g.RangePending(stream.ID{}, func(id stream.ID, _ *stream.NACK) bool {
			pel = append(pel, id)
			return true
		})
		size += streamCGSize + raxMemory(len(pel), stream.RaxNodesOf(pel)) +
			streamNACKSize*int64(len(pel))
		g.Consumers(func(c *stream.Consumer) bool {
			var cpel []stream.ID
			c.RangePending(stream.ID{}, func(id stream.ID, _ *stream.NACK) bool {
				cpel = append(cpel, id)
				return true
			})
			size += streamConsumerSize + int64(len(c.Name())) +
				raxMemory(len(cpel), stream.RaxNodesOf(cpel))
			return true
		})
		return true
	})
	return size
}
