package server

import (
	"golang.org/x/sys/unix"
)

// busyYield serves the other connections while a slow script runs in the
// event loop (Redis's processEventsWhileBlocked). The loop goroutine is
// the one running the script, so gnet cannot deliver their input: it is
// read straight from each socket into the connection's side buffer
// (after what gnet already buffered), and the complete requests run
// through the executor, which answers -BUSY to all but the commands
// allowed while busy (SCRIPT KILL, FUNCTION KILL …). What remains of the
// side buffer is processed by the next OnTraffic, before gnet's input.
// New connections are accepted too (busyaccept.go).
func (el *eventLoop) busyYield() {
	s := el.srv
	el.acceptWhileBusy()
	var chunk [16 << 10]byte
	for lc := range el.conns {
		if lc == el.cur || lc.closing || lc.cl.Blocked != nil {
			continue
		}
		if lc.side != nil {
			el.readSide(lc, chunk[:])
		} else {
			if in, _ := lc.gc.Peek(-1); len(in) > 0 {
				lc.pre = append(lc.pre, in...)
				_, _ = lc.gc.Discard(len(in))
			}
			for {
				n, err := unix.Read(lc.gc.Fd(), chunk[:])
				if n > 0 {
					lc.pre = append(lc.pre, chunk[:n]...)
				}
				if err != nil || n < len(chunk) {
					break
				}
			}
		}
		closeConn := false
		if len(lc.pre) > 0 {
			var n int
			n, closeConn = process(s.core, lc.cl, lc.pre)
			lc.pre = append(lc.pre[:0], lc.pre[n:]...)
			el.flush(lc)
		}
		if lc.side != nil && (closeConn || lc.side.eof) && !lc.closing {
			el.closeSide(lc)
		} else if closeConn && !lc.closing {
			lc.closing = true
			_ = lc.gc.Close()
		}
	}
}
