package server

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// eventLoop is the gnet front end: one loop, Redis's model.
type eventLoop struct {
	gnet.BuiltinEventEngine
	srv   *Server
	eng   gnet.Engine
	ready chan error
	// bootPort is the TCP port the listeners bind (port 0 resolved).
	bootPort int
	// inLoop is true while the loop goroutine runs a batch: Wake may then
	// queue the connection instead of asking gnet to wake it.
	inLoop bool
	// dirty are the connections whose output waits for the end of the
	// loop iteration (flushAfterBatch), as Redis writes every reply in
	// beforeSleep; flushSet is true while that flush is scheduled.
	dirty    []*loopConn
	flushSet bool
	once     sync.Once
	// conns are the open connections and cur the one whose batch runs
	// (busyYield serves the others while a slow script runs).
	conns map[*loopConn]struct{}
	cur   *loopConn
	// relisten0 holds the listeners of CONFIG SET port/bind (relisten.go).
	relisten0 relistenState
	// commit0 is the AOF group commit of each iteration (commit.go).
	commit0 commitState
	// busyAccept holds the connections accepted while a slow script runs
	// (busyaccept.go).
	busyAccept busyAcceptState
	// batches counts OnTraffic calls since the loop last yielded to the
	// Go scheduler (see yieldSometimes).
	batches int
}

// loopConn is a client connection of the event loop.
type loopConn struct {
	el     *eventLoop
	gc     gnet.Conn
	cl     *core.Client
	queued bool
	// woken is true when the executor woke the connection (a blocked
	// client served, a pause ended): its buffered requests then resume.
	woken   bool
	closing bool
	// pending is the output gnet still buffers for the connection, as
	// last seen by the loop (core.OutputHolder).
	pending int
	// held is true while the connection's replies wait for the AOF
	// commit of the iteration (core.ReplyBarrier, commit.go).
	held bool
	// pre is input busyYield read from the socket but did not run yet.
	pre []byte
	// side is set (and gc nil) for a connection accepted while a slow
	// script ran, until gnet adopts it (busyaccept.go).
	side *sideSock
}

func (el *eventLoop) run(addrs []string) error {
	addrs, err := resolvePort0(addrs)
	if err != nil {
		return err
	}
	if len(addrs) > 0 {
		if _, p, err := net.SplitHostPort(addrs[0]); err == nil {
			el.bootPort, _ = strconv.Atoi(p)
		}
	}
	urls := make([]string, len(addrs))
	for i, a := range addrs {
		urls[i] = "tcp://" + a
	}
	el.relisten0.initial = addrs
	if err := probeListen(addrs); err != nil {
		return err
	}
	if path := el.srv.unixPath(); path != "" {
		prepareUnixSocket(path)
		if len(addrs) > 0 {
			// Accepted by a goroutine of ours (busyaccept.go).
			if err := el.listenUnix(path); err != nil {
				return err
			}
		} else {
			urls = append(urls, "unix://"+path)
		}
	}
	el.noteListeners(urls)
	defer el.closeBusyAccept()
	opts := []gnet.Option{
		gnet.WithMulticore(false),
		gnet.WithTicker(true),
		gnet.WithReuseAddr(true),
		// The listeners belong to the loop, not to a separate acceptor
		// goroutine, so a slow script can accept (busyaccept.go).
		gnet.WithReusePort(true),
		gnet.WithTCPNoDelay(gnet.TCPNoDelay),
		gnet.WithLoadBalancing(gnet.LeastConnections),
		gnet.WithLogger(quietLogger{}),
	}
	if ka := el.srv.core.Config.TCPKeepAlive; ka > 0 {
		opts = append(opts, gnet.WithTCPKeepAlive(time.Duration(ka)*time.Second))
	}
	return gnet.Rotate(el, urls, opts...)
}

func (el *eventLoop) OnBoot(eng gnet.Engine) gnet.Action {
	el.eng = eng
	el.srv.core.Port = el.bootPort
	_ = el.srv.chmodUnixSocket()
	if fd, err := eng.Dup(); err == nil {
		if sa, err := unix.Getsockname(fd); err == nil {
			switch a := sa.(type) {
			case *unix.SockaddrInet4:
				el.srv.core.Port = a.Port
			case *unix.SockaddrInet6:
				el.srv.core.Port = a.Port
			}
		}
		unix.Close(fd)
	}
	el.once.Do(func() { el.ready <- nil })
	return gnet.None
}

func (el *eventLoop) OnOpen(gc gnet.Conn) ([]byte, gnet.Action) {
	s := el.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	if lc, ok := gc.Context().(*loopConn); ok && lc.side != nil {
		return el.adopt(lc, gc) // accepted while a script ran
	}
	unixConn := isUnixAddr(gc.LocalAddr())
	if !unixConn && el.refuseRetired(gc) {
		return nil, gnet.Close
	}
	if s.core.NumClients() >= s.core.Config.MaxClients {
		s.core.Stats.RejectedConns++
		return []byte("-" + rerr.MaxClients + "\r\n"), gnet.Close
	}
	lc := &loopConn{el: el, gc: gc}
	fd := gc.Fd()
	if unixConn {
		addr := unixClientAddr(s.unixPath())
		lc.cl = s.core.NewClient(lc, addr, addr, fd)
		lc.cl.Unix = true
	} else {
		if msg := s.core.ConnectionDenied(addrString(gc.RemoteAddr())); msg != "" {
			return []byte("-" + msg + "\r\n"), gnet.Close
		}
		lc.cl = s.core.NewClient(lc, addrString(gc.RemoteAddr()), sockName(fd, gc.LocalAddr()), fd)
	}
	gc.SetContext(lc)
	if el.conns == nil {
		el.conns = map[*loopConn]struct{}{}
	}
	el.conns[lc] = struct{}{}
	return nil, gnet.None
}

func (el *eventLoop) OnClose(gc gnet.Conn, _ error) gnet.Action {
	lc, ok := gc.Context().(*loopConn)
	if !ok {
		return gnet.None
	}
	s := el.srv
	if el.inLoop {
		// A write inside a batch (flushDirty) found the peer gone and
		// gnet closed the connection there: the loop holds the lock.
		lc.closing = true
		s.core.RemoveClient(lc.cl)
		return gnet.None
	}
	s.mu.Lock()
	if !lc.closing {
		// The peer closed (or shut down its side) after a batch whose
		// replies wait for the end of the iteration, or for the AOF
		// commit: they go now, before gnet closes the socket, as they
		// would have gone (Redis's beforeSleep) before the end of the
		// input was read. A held reply waits for the commit, done now
		// for every connection waiting on it.
		el.inLoop = true
		if lc.held {
			el.commitLocked()
		} else if lc.queued {
			el.flush(lc)
		}
		el.inLoop = false
	}
	// It may still be in el.dirty or the commit's list: nothing more is
	// written to it.
	lc.closing = true
	delete(el.conns, lc)
	s.core.RemoveClient(lc.cl)
	s.mu.Unlock()
	return gnet.None
}

func (el *eventLoop) OnTraffic(gc gnet.Conn) gnet.Action {
	lc, ok := gc.Context().(*loopConn)
	if !ok {
		return gnet.None
	}
	s := el.srv
	buf, _ := gc.Peek(-1)
	s.mu.Lock()
	if lc.closing {
		s.mu.Unlock()
		return gnet.Close
	}
	el.inLoop = true
	lc.pending = gc.OutboundBuffered()
	fromPre := len(lc.pre) > 0
	if fromPre {
		// Input read while a slow script ran comes first.
		lc.pre = append(lc.pre, buf...)
		_, _ = gc.Discard(len(buf))
		buf = lc.pre
	}
	el.cur = lc
	ran0 := s.core.Stats.CommandsProcessed
	n, closeConn := process(s.core, lc.cl, buf)
	pipelined := s.core.Stats.CommandsProcessed-ran0 > 1
	el.cur = nil
	ran := n > 0
	if fromPre {
		lc.pre = append(lc.pre[:0], lc.pre[n:]...)
		n = 0
	}
	if !closeConn && el.mustHold() {
		// These replies wait for the AOF write (and fsync) done once for
		// every client of this iteration (commit.go).
		el.hold(lc, ran)
	} else if !s.core.BeforeReply() {
		// The AOF could not be made durable: nothing may be acknowledged.
		el.dropDirty(lc)
		closeConn = true
	}
	lc.woken = false // its own requests just ran
	if el.busyAccept.active {
		el.handOver() // a slow script ended
	}
	if closeConn || !(pipelined || el.flushSet) {
		el.flushDirty(lc)
	} else {
		el.deferFlush(lc)
	}
	el.inLoop = false
	s.mu.Unlock()
	if n > 0 {
		_, _ = gc.Discard(n)
	}
	el.yieldSometimes()
	if closeConn {
		s.mu.Lock()
		lc.closing = true
		s.mu.Unlock()
		return gnet.Close
	}
	return gnet.None
}

// OnTick runs the cron. gnet calls it on its own ticker goroutine, so it
// takes the data lock like a batch does and wakes connections through gnet.
func (el *eventLoop) OnTick() (time.Duration, gnet.Action) {
	el.startUnixAccept()
	s := el.srv
	s.mu.Lock()
	s.core.Cron()
	s.core.BeforeReply()
	stop := s.stopping
	next := s.cronInterval()
	s.mu.Unlock()
	if stop {
		return time.Second, gnet.Shutdown
	}
	return next, gnet.None
}

// deferFlush queues self's output for the end of the loop iteration
// (OnTraffic does so for a batch of several requests, or when the flush
// is already scheduled; a lone request's reply goes at once, which saves
// the scheduling when few connections are ready at a time): gnet
// runs the woken task after every ready connection of the iteration was
// read and processed, so their replies go out together, as Redis writes
// them in beforeSleep. Writing each connection's replies as soon as they
// are ready made every write wake the sleeping peer (a benchmark client
// that had just drained the previous connection's replies): one wake-up,
// with its inter-processor interrupt, per connection and iteration
// instead of one per iteration. One eventfd write per iteration (gnet's
// Wake) schedules the flush.
func (el *eventLoop) deferFlush(self *loopConn) {
	if !self.queued {
		self.queued = true
		el.dirty = append(el.dirty, self)
	}
	if el.flushSet {
		return
	}
	el.flushSet = true
	if err := self.gc.Wake(el.flushAfterBatch); err != nil {
		el.flushSet = false
		el.flushDirty(nil)
	}
}

// flushAfterBatch is the task deferFlush schedules: it writes the output
// of every queued connection. gnet calls it in the loop, after
// OnTraffic for the connection that scheduled it (when still open).
func (el *eventLoop) flushAfterBatch(gnet.Conn, error) error {
	s := el.srv
	s.mu.Lock()
	el.flushSet = false
	el.inLoop = true
	el.flushDirty(nil)
	el.inLoop = false
	s.mu.Unlock()
	return nil
}

// flushDirty writes the pending output of self (if not nil) and of every
// queued connection, in the loop.
func (el *eventLoop) flushDirty(self *loopConn) {
	if self != nil {
		el.flush(self)
	}
	for len(el.dirty) > 0 {
		lc := el.dirty[len(el.dirty)-1]
		el.dirty = el.dirty[:len(el.dirty)-1]
		lc.queued = false
		if lc != self {
			el.flush(lc)
			if lc.woken {
				lc.woken = false
				if lc.cl.Blocked == nil && !lc.closing && lc.side == nil && lc.gc.InboundBuffered() > 0 {
					// Resume an unblocked client's buffered requests.
					_ = lc.gc.Wake(nil)
				}
			}
		}
	}
}

// dropDirty discards the pending output of self and of every queued
// connection.
func (el *eventLoop) dropDirty(self *loopConn) {
	self.cl.Out.Reset()
	for _, lc := range el.dirty {
		lc.cl.Out.Reset()
	}
}

func (el *eventLoop) flush(lc *loopConn) {
	out := &lc.cl.Out
	if lc.closing {
		return
	}
	if lc.held {
		return // the commit of the iteration flushes it (commit.go)
	}
	if lc.side != nil {
		el.writeSide(lc)
		return
	}
	if out.Len() > 0 {
		el.srv.core.Stats.NetOutputBytes += int64(out.Len())
		_, _ = lc.gc.Write(out.Bytes())
		if cap(out.Bytes()) > maxKeptOutput {
			out.Swap(nil) // gnet copied it: do not keep a burst's buffer
		} else {
			out.Reset()
		}
	}
	lc.pending = lc.gc.OutboundBuffered()
	el.srv.core.OutputFlushed(lc.cl)
}

// Wake implements core.Conn.
func (lc *loopConn) Wake() {
	if lc.el.inLoop {
		lc.woken = true
		if !lc.queued {
			lc.queued = true
			lc.el.dirty = append(lc.el.dirty, lc)
		}
		return
	}
	if lc.side != nil {
		return // adopted soon: OnOpen flushes its output
	}
	// From the cron goroutine: let gnet run OnTraffic for it in the loop,
	// which flushes its output and resumes its input.
	_ = lc.gc.Wake(nil)
}

// Close implements core.Conn.
func (lc *loopConn) Close() {
	if lc.side != nil {
		lc.el.closeSide(lc)
		return
	}
	lc.closing = true
	_ = lc.gc.Close()
}

func (el *eventLoop) stop() {
	el.closeGoListeners()
	el.closeUnixListener()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = el.eng.Stop(ctx)
}

func addrString(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

type quietLogger struct{}

func (quietLogger) Debugf(string, ...any) {}
func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Errorf(format string, a ...any) {
	_ = fmt.Sprintf(format, a...)
}
func (quietLogger) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }

// sockName returns the local address of the accepted socket fd (gnet
// reports the listener's, e.g. 0.0.0.0:port).
func sockName(fd int, fallback net.Addr) string {
	sa, err := unix.Getsockname(fd)
	if err == nil {
		switch a := sa.(type) {
		case *unix.SockaddrInet4:
			return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
		case *unix.SockaddrInet6:
			return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
		}
	}
	return addrString(fallback)
}

// yieldEvery is how many batches the loop runs between two yields to the
// Go scheduler.
const yieldEvery = 128

// yieldSometimes lets the Go scheduler run every yieldEvery batches.
// Under steady load gnet's loop never parks, so its goroutine would keep
// one scheduling tick for as long as the load lasts; every 10 ms the
// runtime's monitor thread (sysmon) then forces a preemption, which resets
// its idle back-off and sends it back to waking every 20 µs. On a server
// with one CPU those wake-ups preempted the loop's thread about 3,000
// times a second (perf stat: 18,200 context switches in 3 s of P1 SET
// against Redis's 460) and cost a tenth of its throughput. A voluntary yield
// starts a new tick, so the monitor finds nothing to do and backs off to
// its 10 ms sleep; it also lets the cron's goroutine run between batches.
func (el *eventLoop) yieldSometimes() {
	el.batches++
	if el.batches >= yieldEvery {
		el.batches = 0
		runtime.Gosched()
	}
}
