package server

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"

	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Connections accepted while a slow script runs in the event loop. gnet
// accepts in the loop goroutine, which is the one running the script, so
// without this a client that connects to send SCRIPT KILL would wait for
// the script to end. As Redis's processEventsWhileBlocked accepts too,
// busyYield accepts on a duplicate of each gnet listener (dup'd once, the
// accept queue is shared with gnet's; a Unix socket beside TCP listeners
// is accepted by a goroutine of ours, which queues the connections for
// busyYield while busy), with the checks OnOpen makes
// (retired listener, maxclients, protected mode), and serves each new
// connection as a side connection: a loopConn without a gnet.Conn whose
// socket busyYield reads and writes itself (non-blocking), with its own
// core client. At the end of the batch that ran the script (OnTraffic)
// the side connections are handed to gnet (Engine.Register with the
// loopConn as the context): OnOpen adopts the same loopConn, so the
// client keeps its state (database, name, protocol, transaction), its
// unsent output is written first and its unprocessed input (lc.pre) runs
// before what gnet reads.

// gnet accepts in the loop only when its listeners have SO_REUSEPORT
// (without, a separate reactor goroutine accepts every connection and
// queues it for the loop, where it waits for the script to end), so the
// event loop's listeners have it. As that would let another process that
// sets SO_REUSEPORT too bind the same port and share the connections,
// probeListen first binds every address without it: a port some server
// listens on already fails as it does without SO_REUSEPORT, and a server
// started later on ours fails too (our socket does not let a socket
// without SO_REUSEPORT bind).

// probeListen reports whether every address can be listened on without
// SO_REUSEPORT.
func probeListen(addrs []string) error {
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			return err
		}
		ln.Close()
	}
	return nil
}

// busyAcceptState is the eventLoop's part.
type busyAcceptState struct {
	// listens are the listeners to dup ("tcp"/"unix", address), set by
	// run; lfds their duplicates, made at the first yield (duped).
	listens []listenAddr
	lfds    []listenFD
	duped   bool
	// side are the side connections not yet adopted by gnet.
	side []*loopConn
	// stopped is set once the engine stopped: nothing is accepted any
	// more and the duplicates are closed.
	stopped bool
	// active is set by the first yield of a slow script: the batch that
	// ran it ends with handOver.
	active bool

	// unixLn is the Unix socket listener when the server also listens on
	// TCP (gnet turns SO_REUSEPORT off for every listener when one is a
	// Unix socket); acceptUnix serves it.
	unixLn      net.Listener
	unixStarted bool
	unixWG      sync.WaitGroup
	// qmu guards busy and queue: while busy, acceptUnix queues the
	// connections for busyYield instead of registering them with gnet.
	qmu   sync.Mutex
	busy  bool
	queue []net.Conn
}

type listenAddr struct{ network, addr string }

type listenFD struct {
	fd   int
	unix bool
}

// sideSock is the socket of a side connection, until gnet adopts it.
type sideSock struct {
	fd int
	// out is output the socket did not take yet (written first).
	out []byte
	// registered is set once the connection was handed to gnet (its
	// OnOpen adopts it).
	registered bool
	// eof: the peer closed its side.
	eof bool
}

// noteListeners records the listeners gnet will open from urls
// ("tcp://addr", "unix://path").
func (el *eventLoop) noteListeners(urls []string) {
	b := &el.busyAccept
	for _, u := range urls {
		network, addr, ok := strings.Cut(u, "://")
		if ok {
			b.listens = append(b.listens, listenAddr{network, addr})
		}
	}
}

// dupListeners duplicates gnet's listeners once. The caller holds the
// data lock, in the loop.
func (el *eventLoop) dupListeners() {
	b := &el.busyAccept
	if b.duped || b.stopped || el.eng.Validate() != nil {
		return
	}
	b.duped = true
	for _, l := range b.listens {
		fd, err := el.eng.DupListener(l.network, l.addr)
		if err != nil {
			el.srv.core.Log.Warn("Cannot accept while a script runs", "listener", l.addr, "err", err.Error())
			continue
		}
		b.lfds = append(b.lfds, listenFD{fd: fd, unix: l.network == "unix"})
	}
}

// acceptWhileBusy accepts every pending connection on the listeners as a
// side connection. The caller holds the data lock, in the loop.
func (el *eventLoop) acceptWhileBusy() {
	b := &el.busyAccept
	b.active = true
	b.qmu.Lock()
	b.busy = true
	queued := b.queue
	b.queue = nil
	b.qmu.Unlock()
	for _, nc := range queued {
		_, isUnix := nc.(*net.UnixConn)
		var sa unix.Sockaddr
		if ta, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
			if ip4 := ta.IP.To4(); ip4 != nil {
				sa4 := &unix.SockaddrInet4{Port: ta.Port}
				copy(sa4.Addr[:], ip4)
				sa = sa4
			} else {
				sa6 := &unix.SockaddrInet6{Port: ta.Port}
				copy(sa6.Addr[:], ta.IP.To16())
				sa = sa6
			}
		}
		fd, err := dupConnFD(nc)
		nc.Close()
		if err == nil {
			el.openSide(fd, sa, isUnix, true)
		}
	}
	el.dupListeners()
	for _, l := range el.busyAccept.lfds {
		for {
			nfd, sa, err := unix.Accept4(l.fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
			if err != nil {
				if err == unix.EINTR || err == unix.ECONNABORTED {
					continue
				}
				break // EAGAIN: the queue is empty (or an error gnet will see)
			}
			el.openSide(nfd, sa, l.unix, false)
		}
	}
}

// openSide makes a side connection of the accepted socket fd, with the
// checks of OnOpen (goLn: accepted by a listener of CONFIG SET port/bind,
// never retired).
func (el *eventLoop) openSide(fd int, sa unix.Sockaddr, unixConn, goLn bool) {
	s := el.srv
	refuse := func(msg string) {
		if msg != "" {
			_, _ = unix.Write(fd, []byte("-"+msg+"\r\n"))
		}
		unix.Close(fd)
	}
	if !unixConn && !goLn && el.refuseRetiredInitial() {
		refuse("")
		return
	}
	if s.core.NumClients() >= s.core.Config.MaxClients {
		s.core.Stats.RejectedConns++
		refuse(rerr.MaxClients)
		return
	}
	lc := &loopConn{el: el, side: &sideSock{fd: fd}}
	if unixConn {
		addr := unixClientAddr(s.unixPath())
		lc.cl = s.core.NewClient(lc, addr, addr, fd)
		lc.cl.Unix = true
	} else {
		remote := sockaddrString(sa)
		if msg := s.core.ConnectionDenied(remote); msg != "" {
			refuse(msg)
			return
		}
		lc.cl = s.core.NewClient(lc, remote, sockName(fd, nil), fd)
	}
	if el.conns == nil {
		el.conns = map[*loopConn]struct{}{}
	}
	el.conns[lc] = struct{}{}
	el.busyAccept.side = append(el.busyAccept.side, lc)
}

// refuseRetiredInitial reports whether the initial listeners are retired
// (CONFIG SET port/bind moved the server elsewhere).
func (el *eventLoop) refuseRetiredInitial() bool {
	r := &el.relisten0
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.retired
}

// readSide reads what the side connection's socket holds into lc.pre.
func (el *eventLoop) readSide(lc *loopConn, chunk []byte) {
	sd := lc.side
	for !sd.eof {
		n, err := unix.Read(sd.fd, chunk)
		if n > 0 {
			lc.pre = append(lc.pre, chunk[:n]...)
		}
		if n == 0 && err == nil {
			sd.eof = true
		}
		if err != nil && err != unix.EAGAIN && err != unix.EINTR {
			sd.eof = true
		}
		if err != nil || n < len(chunk) {
			return
		}
	}
}

// writeSide writes the side connection's output to its socket without
// blocking; what the socket does not take waits in sd.out.
func (el *eventLoop) writeSide(lc *loopConn) {
	sd := lc.side
	out := &lc.cl.Out
	if out.Len() > 0 {
		el.srv.core.Stats.NetOutputBytes += int64(out.Len())
		sd.out = append(sd.out, out.Bytes()...)
		out.Reset()
	}
	for len(sd.out) > 0 {
		n, err := unix.Write(sd.fd, sd.out)
		if n > 0 {
			sd.out = sd.out[n:]
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			if err != unix.EAGAIN {
				sd.out = nil
				sd.eof = true
			}
			break
		}
	}
	if len(sd.out) == 0 {
		sd.out = nil
	}
	lc.pending = len(sd.out)
	el.srv.core.OutputFlushed(lc.cl)
}

// closeSide closes a side connection (peer gone, QUIT, CLIENT KILL). One
// already handed to gnet is closed by OnOpen when adopted. The caller
// holds the data lock, in the loop.
func (el *eventLoop) closeSide(lc *loopConn) {
	lc.closing = true
	if lc.side.registered {
		return
	}
	el.dropSide(lc)
	el.srv.core.RemoveClient(lc.cl)
}

// dropSide closes a side connection's socket and forgets it.
func (el *eventLoop) dropSide(lc *loopConn) {
	b := &el.busyAccept
	if lc.side.fd >= 0 {
		unix.Close(lc.side.fd)
		lc.side.fd = -1
	}
	delete(el.conns, lc)
	for i, x := range b.side {
		if x == lc {
			b.side = append(b.side[:i], b.side[i+1:]...)
			break
		}
	}
}

// handOver gives every side connection to gnet once the script ended.
// The caller holds the data lock, in the loop.
func (el *eventLoop) handOver() {
	b := &el.busyAccept
	b.active = false
	b.qmu.Lock()
	b.busy = false
	queued := b.queue
	b.queue = nil
	b.qmu.Unlock()
	for _, nc := range queued {
		el.registerQueued(nc)
	}
	for _, lc := range b.side {
		if lc.closing || lc.side.registered {
			continue
		}
		if err := el.register(lc); err != nil {
			el.srv.core.Log.Warn("Cannot hand a connection accepted while busy to the event loop", "id", lc.cl.ID, "err", err.Error())
			lc.closing = true
			el.dropSide(lc)
			el.srv.core.RemoveClient(lc.cl)
		}
	}
}

// register hands lc's socket to gnet: the engine enrolls a duplicate and
// calls OnOpen with lc as the connection's context. lc keeps its own
// descriptor until then.
func (el *eventLoop) register(lc *loopConn) error {
	dup, err := unix.Dup(lc.side.fd)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(dup), "")
	nc, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return err
	}
	ctx := gnet.NewNetConnContext(gnet.NewContext(context.Background(), lc), nc)
	ch, err := el.eng.Register(ctx)
	if err != nil {
		nc.Close()
		return err
	}
	lc.side.registered = true
	go el.watchRegister(lc, ch)
	return nil
}

// watchRegister closes lc if the engine could not enroll it (it is
// stopping).
func (el *eventLoop) watchRegister(lc *loopConn, ch <-chan gnet.RegisteredResult) {
	res, ok := <-ch
	if ok && res.Err == nil {
		return
	}
	s := el.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	if lc.side == nil {
		return // adopted after all
	}
	lc.side.registered = false
	el.closeSide(lc)
}

// adopt is OnOpen for a connection handed over by register: lc becomes a
// gnet connection. It returns the output to send first and the action.
// The caller holds the data lock, in the loop.
func (el *eventLoop) adopt(lc *loopConn, gc gnet.Conn) ([]byte, gnet.Action) {
	sd := lc.side
	sd.registered = false
	if lc.closing || sd.eof {
		el.dropSide(lc)
		el.srv.core.RemoveClient(lc.cl)
		return nil, gnet.Close
	}
	el.dropSide(lc)
	lc.side = nil
	lc.gc = gc
	lc.cl.FD = gc.Fd()
	el.conns[lc] = struct{}{}
	out := sd.out
	if o := &lc.cl.Out; o.Len() > 0 {
		el.srv.core.Stats.NetOutputBytes += int64(o.Len())
		out = append(out, o.Bytes()...)
		o.Reset()
	}
	if len(lc.pre) > 0 {
		// Requests read while busy run now, before what gnet reads.
		_ = gc.Wake(nil)
	}
	return out, gnet.None
}

// exitWhileBusy ends the server from a slow script's yield once
// SHUTDOWN NOSAVE ran (Redis exits from within processEventsWhileBlocked):
// the loop goroutine, which runs the script, cannot return to gnet, so
// the server finishes here (Done is closed and the process exits) and
// the goroutine waits forever. The caller holds the data lock, released
// here.
func (el *eventLoop) exitWhileBusy() {
	s := el.srv
	// As the process exit would: the listeners stop listening and the
	// clients see their connection closed (gnet, stuck with the loop,
	// closes nothing; shutdown keeps the descriptors from being reused).
	el.dupListeners()
	for _, l := range el.busyAccept.lfds {
		_ = unix.Shutdown(l.fd, unix.SHUT_RDWR)
	}
	for lc := range el.conns {
		if lc.side == nil {
			_ = unix.Shutdown(lc.gc.Fd(), unix.SHUT_RDWR)
		}
	}
	el.closeBusyAcceptLocked()
	s.mu.Unlock()
	el.closeUnixListener()
	s.finish(nil)
	select {}
}

// exitWhileBusy is the threaded front end's: the goroutine running the
// script cannot end, so the server finishes here without waiting for it
// (Stop would).
func (t *threaded) exitWhileBusy() {
	s := t.srv
	s.mu.Unlock()
	t.closeAll()
	s.finish(nil)
	select {}
}

// closeBusyAccept closes the listener duplicates and the side
// connections gnet never adopted, once the engine stopped.
func (el *eventLoop) closeBusyAccept() {
	el.closeUnixListener()
	s := el.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	el.closeBusyAcceptLocked()
}

func (el *eventLoop) closeBusyAcceptLocked() {
	s := el.srv
	b := &el.busyAccept
	b.stopped = true
	for _, l := range b.lfds {
		unix.Close(l.fd)
	}
	b.lfds = nil
	for len(b.side) > 0 {
		lc := b.side[0]
		lc.closing = true
		el.dropSide(lc)
		s.core.RemoveClient(lc.cl)
	}
}

// listenUnix listens on the Unix socket at path for acceptUnix.
func (el *eventLoop) listenUnix(path string) error {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false) // removeUnixSocket does
	el.busyAccept.unixLn = ln
	return nil
}

// startUnixAccept starts acceptUnix once the engine runs its loop (the
// first OnTick: gnet starts the ticker after registering the loop, which
// Register reads).
func (el *eventLoop) startUnixAccept() {
	b := &el.busyAccept
	b.qmu.Lock()
	defer b.qmu.Unlock()
	if b.unixLn != nil && !b.unixStarted {
		b.unixStarted = true
		b.unixWG.Add(1)
		go el.acceptUnix(b.unixLn)
	}
}

// acceptUnix accepts on the Unix socket and registers each connection
// with the engine (OnOpen then runs in the loop), or, while a slow script
// runs, queues it for busyYield. A connection that arrives while a script
// runs but before it is slow enough to yield is registered and waits for
// the script to end.
func (el *eventLoop) acceptUnix(ln net.Listener) {
	b := &el.busyAccept
	defer b.unixWG.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		el.queueOrRegister(nc)
	}
}

// queueOrRegister registers a connection accepted by a goroutine of ours
// (the Unix socket, the listeners of CONFIG SET port/bind) with the
// engine, or queues it for busyYield while a slow script runs.
func (el *eventLoop) queueOrRegister(nc net.Conn) {
	b := &el.busyAccept
	b.qmu.Lock()
	defer b.qmu.Unlock()
	if b.busy {
		b.queue = append(b.queue, nc)
		return
	}
	el.registerQueued(nc)
}

// registerQueued hands a connection accepted by a goroutine of ours to
// the engine (OnOpen then runs in the loop).
func (el *eventLoop) registerQueued(nc net.Conn) {
	var ctx context.Context = context.Background()
	if _, ok := nc.(*net.TCPConn); ok {
		ctx = gnet.NewContext(ctx, registeredConn{})
	}
	if _, err := el.eng.Register(gnet.NewNetConnContext(ctx, nc)); err != nil {
		nc.Close()
	}
}

// closeUnixListener stops acceptUnix when the server stops.
func (el *eventLoop) closeUnixListener() {
	b := &el.busyAccept
	b.qmu.Lock()
	ln := b.unixLn
	b.unixLn = nil
	b.qmu.Unlock()
	if ln != nil {
		ln.Close()
		b.unixWG.Wait()
	}
	b.qmu.Lock()
	for _, nc := range b.queue {
		nc.Close()
	}
	b.queue = nil
	b.qmu.Unlock()
}

// dupConnFD returns a non-blocking duplicate of nc's descriptor.
func dupConnFD(nc net.Conn) (int, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return -1, errors.New("no descriptor")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var derr error
	if err := rc.Control(func(f uintptr) { fd, derr = unix.Dup(int(f)) }); err != nil {
		return -1, err
	}
	if derr != nil {
		return -1, derr
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return -1, err
	}
	unix.CloseOnExec(fd)
	return fd, nil
}

// sockaddrString formats an accepted peer address as ip:port.
func sockaddrString(sa unix.Sockaddr) string {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
	case *unix.SockaddrInet6:
		return net.JoinHostPort(net.IP(a.Addr[:]).String(), strconv.Itoa(a.Port))
	}
	return ""
}
