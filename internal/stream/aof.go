package stream

import "strconv"

// RewriteCommands emits the commands that rebuild the stream at key, as
// Redis's AOF rewrite does (rewriteStreamObject): an XADD per entry (or
// XADD key MAXLEN 0 0-1 x y for an empty stream), XSETID with the last
// ID, ENTRIESADDED and MAXDELETEDID, then per group XGROUP CREATE …
// ENTRIESREAD, and per consumer either an XCLAIM … TIME RETRYCOUNT JUSTID
// FORCE for each of its pending entries or XGROUP CREATECONSUMER when it
// has none. emit gets fresh slices; an error from it stops the rewrite
// and is returned.
func (s *Stream) RewriteCommands(key []byte, emit func(args [][]byte) error) error {
	var err error
	if s.length > 0 {
		s.Range(MinID, MaxID, false, func(e *Entry) bool {
			args := make([][]byte, 0, 3+2*e.NumFields())
			args = append(args, []byte("XADD"), key, e.ID.Append(nil))
			e.Fields(func(f, v []byte) {
				args = append(args, append([]byte(nil), f...), append([]byte(nil), v...))
			})
			err = emit(args)
			return err == nil
		})
	} else {
		err = emit([][]byte{[]byte("XADD"), key, []byte("MAXLEN"), []byte("0"), []byte("0-1"), []byte("x"), []byte("y")})
	}
	if err != nil {
		return err
	}
	if err := emit([][]byte{[]byte("XSETID"), key, s.LastID.Append(nil),
		[]byte("ENTRIESADDED"), strconv.AppendUint(nil, s.EntriesAdded, 10),
		[]byte("MAXDELETEDID"), s.MaxDeletedID.Append(nil)}); err != nil {
		return err
	}
	s.Groups(func(g *Group) bool {
		name := []byte(g.name)
		err = emit([][]byte{[]byte("XGROUP"), []byte("CREATE"), key, name, g.LastID.Append(nil),
			[]byte("ENTRIESREAD"), strconv.AppendInt(nil, g.EntriesRead, 10)})
		if err != nil {
			return false
		}
		g.Consumers(func(c *Consumer) bool {
			if c.PendingLen() == 0 {
				err = emit([][]byte{[]byte("XGROUP"), []byte("CREATECONSUMER"), key, name, []byte(c.name)})
				return err == nil
			}
			c.RangePending(MinID, func(id ID, n *NACK) bool {
				err = emit([][]byte{[]byte("XCLAIM"), key, name, []byte(c.name), []byte("0"), id.Append(nil),
					[]byte("TIME"), strconv.AppendInt(nil, n.DeliveryTime, 10),
					[]byte("RETRYCOUNT"), strconv.AppendInt(nil, n.DeliveryCount, 10),
					[]byte("JUSTID"), []byte("FORCE")})
				return err == nil
			})
			return err == nil
		})
		return err == nil
	})
	return err
}
