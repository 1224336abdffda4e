package stream

// Sizes of the listpack Redis would hold for a node, so that nodes split
// exactly where Redis's split (stream-node-max-bytes compares the real
// listpack size). Nothing is encoded; only lengths are computed.

const (
	lpHeaderSize = 6 // total bytes (4) + number of elements (2)
	lpEOFSize    = 1
)
