package server

import (
	"errors"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// threaded is the goroutine-per-connection front end.
type threaded struct {
	srv       *Server
	listeners []net.Listener
	// unixLn is the Unix socket listener (nil without unixsocket); CONFIG
	// SET port/bind leaves it alone.
	unixLn net.Listener
	wg     sync.WaitGroup
	conns  sync.Map // *threadConn → struct{}
	done   chan struct{}
}

// threadConn is one client connection of the threaded front end.
type threadConn struct {
	t  *threaded
	nc net.Conn
	cl *core.Client
	// wake carries flush requests to the writer goroutine.
	wake chan struct{}
	// flushing (guarded by cl.OutMu) marks that a goroutine is writing.
	flushing bool
	spare    []byte
	closed   atomic.Bool
	// resume asks the reader to process buffered input after an unblock.
	resume atomic.Bool
	// inflight is the size of the chunk being written (core.OutputHolder).
	inflight atomic.Int64
}

const readChunk = 16 * 1024

func (t *threaded) listen(addrs []string) error {
	addrs, err := resolvePort0(addrs)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			for _, l := range t.listeners {
				l.Close()
			}
			return err
		}
		t.listeners = append(t.listeners, ln)
	}
	if len(t.listeners) > 0 {
		if tcp, ok := t.listeners[0].Addr().(*net.TCPAddr); ok {
			t.srv.core.Port = tcp.Port
		}
	}
	if path := t.srv.unixPath(); path != "" {
		prepareUnixSocket(path)
		ln, err := net.Listen("unix", path)
		if err == nil {
			err = t.srv.chmodUnixSocket()
		}
		if err != nil {
			for _, l := range t.listeners {
				l.Close()
			}
			if ln != nil {
				ln.Close()
			}
			return err
		}
		t.unixLn = ln
	}
	return nil
}

func (t *threaded) serve() {
	for _, ln := range t.listeners {
		t.wg.Add(1)
		go t.accept(ln)
	}
	if t.unixLn != nil {
		t.wg.Add(1)
		go t.accept(t.unixLn)
	}
	t.wg.Add(1)
	go t.cron()
}

func (t *threaded) cron() {
	defer t.wg.Done()
	s := t.srv
	timer := time.NewTimer(s.cronInterval())
	defer timer.Stop()
	for {
		select {
		case <-t.done:
			return
		case <-timer.C:
		}
		s.mu.Lock()
		s.core.Cron()
		next := s.cronInterval()
		s.mu.Unlock()
		s.core.BeforeReply()
		timer.Reset(next)
	}
}

func (t *threaded) accept(ln net.Listener) {
	defer t.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		t.open(nc)
	}
}

func (t *threaded) open(nc net.Conn) {
	s := t.srv
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
		if ka := s.core.Config.TCPKeepAlive; ka > 0 {
			_ = tc.SetKeepAlive(true)
			_ = tc.SetKeepAlivePeriod(time.Duration(ka) * time.Second)
		}
	}
	s.mu.Lock()
	if s.core.NumClients() >= s.core.Config.MaxClients {
		s.core.Stats.RejectedConns++
		s.mu.Unlock()
		_, _ = nc.Write([]byte("-" + rerr.MaxClients + "\r\n"))
		nc.Close()
		return
	}
	unixConn := isUnixAddr(nc.LocalAddr())
	if !unixConn {
		if msg := s.core.ConnectionDenied(nc.RemoteAddr().String()); msg != "" {
			s.mu.Unlock()
			_, _ = nc.Write([]byte("-" + msg + "\r\n"))
			nc.Close()
			return
		}
	}
	tc := &threadConn{t: t, nc: nc, wake: make(chan struct{}, 1)}
	if unixConn {
		addr := unixClientAddr(s.unixPath())
		tc.cl = s.core.NewClient(tc, addr, addr, connFD(nc))
		tc.cl.Unix = true
	} else {
		tc.cl = s.core.NewClient(tc, nc.RemoteAddr().String(), nc.LocalAddr().String(), connFD(nc))
	}
	s.mu.Unlock()
	t.conns.Store(tc, struct{}{})
	t.wg.Add(2)
	go tc.reader()
	go tc.writer()
}

// reader reads, parses and executes; it writes its own replies.
func (tc *threadConn) reader() {
	defer tc.t.wg.Done()
	defer tc.shutdown()
	s := tc.t.srv
	buf := make([]byte, readChunk)
	start, end := 0, 0
	for {
		if end == len(buf) {
			if start > 0 {
				end = copy(buf, buf[start:end])
				start = 0
			} else {
				nb := make([]byte, len(buf)*2)
				copy(nb, buf[:end])
				buf = nb
			}
		}
		n, err := tc.nc.Read(buf[end:])
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && tc.resume.Swap(false) {
				_ = tc.nc.SetReadDeadline(time.Time{})
			} else {
				return
			}
		}
		end += n
		s.mu.Lock()
		if tc.cl.Closed {
			s.mu.Unlock()
			return
		}
		tc.cl.OutMu.Lock()
		ran0 := s.core.Stats.CommandsProcessed
		consumed, closeConn := process(s.core, tc.cl, buf[start:end])
		pipelined := s.core.Stats.CommandsProcessed-ran0 > 1
		tc.cl.OutMu.Unlock()
		s.mu.Unlock()
		if pipelined && !closeConn {
			// Let the other clients whose input is ready run theirs
			// first, so that the replies leave together, as the event
			// loop writes them at the end of its iteration (each write
			// to a peer that sleeps waiting for it costs a wake-up).
			runtime.Gosched()
		}
		start += consumed
		if start == end {
			start, end = 0, 0
			if len(buf) > 4*readChunk {
				buf = make([]byte, readChunk)
			}
		}
		tc.flush()
		if closeConn {
			return
		}
	}
}

// writer flushes output that other clients (or the cron) produced for
// this client.
func (tc *threadConn) writer() {
	defer tc.t.wg.Done()
	for range tc.wake {
		if tc.closed.Load() {
			return
		}
		tc.flush()
	}
}

// flush writes the client's pending output. Only one goroutine writes at a
// time; one that finds another writing leaves its data to it.
func (tc *threadConn) flush() {
	cl := tc.cl
	if !tc.t.srv.core.BeforeReply() {
		// The AOF could not be made durable: nothing may be acknowledged.
		cl.OutMu.Lock()
		cl.Out.Reset()
		cl.OutMu.Unlock()
		_ = tc.nc.Close()
		return
	}
	cl.OutMu.Lock()
	if tc.flushing || cl.Out.Len() == 0 {
		cl.OutMu.Unlock()
		return
	}
	tc.flushing = true
	for {
		data := cl.Out.Swap(tc.spare[:0])
		tc.inflight.Store(int64(len(data)))
		cl.OutMu.Unlock()
		_, err := tc.nc.Write(data)
		tc.spare = data
		if cap(data) > maxKeptOutput {
			tc.spare = nil // do not keep a burst's buffer
		}
		cl.OutMu.Lock()
		tc.inflight.Store(0)
		if err != nil {
			cl.Out.Reset()
		}
		if cl.Out.Len() == 0 {
			tc.flushing = false
			cl.OutMu.Unlock()
			return
		}
	}
}

// Wake implements core.Conn: called by the data owner (lock held).
func (tc *threadConn) Wake() {
	if tc.closed.Load() {
		return
	}
	if tc.cl.Blocked == nil && tc.cl.QueryBuf > 0 {
		// Unblocked with requests still buffered: interrupt the reader.
		tc.resume.Store(true)
		_ = tc.nc.SetReadDeadline(time.Unix(1, 0))
	}
	select {
	case tc.wake <- struct{}{}:
	default:
	}
}

// Close implements core.Conn.
func (tc *threadConn) Close() {
	_ = tc.nc.Close()
}

// shutdown releases the connection once the reader ends.
func (tc *threadConn) shutdown() {
	s := tc.t.srv
	s.mu.Lock()
	if tc.closed.Swap(true) {
		s.mu.Unlock()
		return
	}
	s.core.RemoveClient(tc.cl)
	close(tc.wake)
	s.mu.Unlock()
	tc.nc.Close()
	tc.t.conns.Delete(tc)
}

func (t *threaded) stop() {
	if t.closeAll() {
		t.wg.Wait()
	}
}

// closeAll closes the listeners and connections without waiting for
// their goroutines; false when already done.
func (t *threaded) closeAll() bool {
	select {
	case <-t.done:
		return false
	default:
	}
	close(t.done)
	for _, ln := range t.listeners {
		ln.Close()
	}
	if t.unixLn != nil {
		t.unixLn.Close()
	}
	t.conns.Range(func(k, _ any) bool {
		k.(*threadConn).nc.Close()
		return true
	})
	return true
}

func connFD(nc net.Conn) int {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return -1
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	_ = rc.Control(func(f uintptr) { fd = int(f) })
	return fd
}
