package core

// The query buffer's allocation as Redis 7.0 manages it, for CLIENT
// LIST's qbuf-free (unit/querybuf). The front ends keep their own input
// buffers; this models Redis's: each read makes room for 16 KB more
// (PROTO_IOBUF_LEN; the first allocation is QueryBufInitial bytes), and
// the cron (clientsCronResizeQueryBuffer) gives back a buffer wasting more
// than 4 KB when the client has been idle for over 2 seconds, or trims one
// over 32 KB to its recent peak when that peak used less than half of it.

// QueryBufInitial is the query buffer's first allocation (16 KB asked,
// the allocator's size class less the string header).
const QueryBufInitial = 20474

const (
	queryBufBigArg    = 32 * 1024 // PROTO_MBULK_BIG_ARG
	queryBufReadLen   = 16 * 1024 // PROTO_IOBUF_LEN
	queryBufResizeMin = 32 * 1024 // PROTO_RESIZE_THRESHOLD
	queryBufWasteMin  = 4 * 1024
)

// queryBufState is a client's modelled query buffer.
type queryBufState struct {
	alloc, peak int
}

// NoteQueryBuf records that the front end read input and now holds
// c.QueryBuf bytes of it; bulk is the length of an argument whose data is
// still arriving (or -1): Redis allocates a large one's buffer whole at
// once. The data owner calls it.
func (c *Client) NoteQueryBuf(bulk int) {
	n := c.QueryBuf
	if bulk >= queryBufBigArg {
		c.qb.alloc = max(c.qb.alloc, bulk+2)
	} else if c.qb.alloc < n+queryBufReadLen {
		c.qb.alloc = max(QueryBufInitial, n+queryBufReadLen)
	}
	c.qb.peak = max(c.qb.peak, n)
}

// QueryBufAlloc returns the query buffer's allocation (part of CLIENT
// LIST tot-mem).
func (c *Client) QueryBufAlloc() int { return c.qb.alloc }

// QueryBufFree returns CLIENT LIST's qbuf-free: the allocated room not in
// use.
func (c *Client) QueryBufFree() int { return max(c.qb.alloc-c.QueryBuf, 0) }

// queryBufCron resizes the clients' query buffers.
func (s *Server) queryBufCron() {
	for _, c := range s.clients {
		q := &c.qb
		used := c.QueryBuf
		if q.alloc-used > queryBufWasteMin {
			idle := (s.now - c.LastInteraction) / 1000
			switch {
			case idle > 2:
				q.alloc = used
			case q.alloc > queryBufResizeMin && q.alloc/2 > q.peak:
				q.alloc = max(used, q.peak)
			}
		}
		q.peak = used
	}
}
