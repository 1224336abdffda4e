package server

import (
	"github.com/redis-clone/redis-clone/internal/core"
)

// process parses and executes every complete request at the start of buf
// for c, stopping when input is incomplete, the client is blocked or must
// be closed. It returns the bytes consumed and whether the connection must
// be closed (after flushing the replies).
func process(s *core.Server, c *core.Client, buf []byte) (consumed int, closeConn bool) {
	// While commands run, the query buffer holds everything read (Redis
	// trims it after the batch): CLIENT LIST's qbuf.
	c.QueryBuf = len(buf) - c.Parser.Pending()
	c.NoteQueryBuf(c.Parser.PendingBulk())
	if s.EvictClients(c) {
		return 0, true
	}
	// CONFIG SET proto-max-bulk-len applies to connected clients too.
	c.Parser.Limits.MaxBulkLen = s.Config.ProtoMaxBulkLen
	s.BeginBatch()
	defer s.EndBatch()
	prefetched := 0 // end of the requests whose keys were prefetched
	for consumed < len(buf) && c.Blocked == nil && !c.CloseAfterReply {
		if consumed >= prefetched {
			prefetched = consumed + prefetchAhead(s, c, buf[consumed:])
		}
		args, n, err := c.Parser.Parse(buf[consumed:])
		if err != nil {
			s.Log.Info("Client protocol error", "id", c.ID, "addr", c.Addr, "err", err.Error())
			c.Out.Error(err.Error())
			return consumed, true
		}
		if n == 0 {
			if int64(len(buf)-consumed) > s.Config.ClientQueryBufferLimit {
				s.Log.Warn("Closing client that reached max query buffer length", "id", c.ID, "addr", c.Addr)
				return consumed, true
			}
			break
		}
		consumed += n
		s.Stats.NetInputBytes += int64(n)
		if len(args) == 0 {
			continue
		}
		s.Exec(c, args)
		if c.Postponed() {
			// Held by a client pause: the request runs again when the
			// client is woken, so it stays in the input.
			consumed -= n
			s.Stats.NetInputBytes -= int64(n)
		}
	}
	c.QueryBuf = len(buf) - consumed - c.Parser.Pending()
	return consumed, c.CloseAfterReply
}
