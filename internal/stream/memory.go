package stream

import "encoding/binary"

// NodeSizes calls fn with the byte size of each macro node's listpack, from
// the first node, until fn returns false (MEMORY USAGE samples them).
func (s *Stream) NodeSizes(fn func(lpBytes int) bool) {
	s.nodes.Scan(func(it nodeItem) bool { return fn(it.n.lpBytes()) })
}

// RaxNodesOf returns how many nodes Redis's radix tree holding the given
// IDs (sorted ascending) as 16-byte big-endian keys has, as RaxNodes
// does for the macro nodes (a PEL is such a tree).
func RaxNodesOf(ids []ID) int {
	if len(ids) == 0 {
		return 1
	}
	keys := make([][16]byte, len(ids))
	for i, id := range ids {
		binary.BigEndian.PutUint64(keys[i][:8], id.Ms)
		binary.BigEndian.PutUint64(keys[i][8:], id.Seq)
	}
	return raxCount(keys, 0)
}
