package server

import (
	"errors"
	"net"
	"slices"
	"strconv"
	"sync"

	"github.com/panjf2000/gnet/v2"
)

// CONFIG SET port and bind (Redis's changeListenPort / changeBindAddr):
// the server stops listening on the old addresses and listens on the new
// ones; when that fails it keeps the old ones and CONFIG SET fails with
// Redis's error, the configuration rolled back. An empty bind list (or
// port 0) leaves no TCP listener.
//
// The threaded front end simply replaces its listeners. gnet cannot close
// or add listeners of a running engine, so the event loop keeps its
// initial listeners and, once the addresses changed, accepts on Go
// listeners and hands each connection to the engine (Engine.Register);
// connections still arriving on a retired initial listener are closed at
// once (a client sees the connection closed rather than refused), and
// setting the initial addresses again revives it. A new address on the
// initial port of a retired wildcard listener therefore cannot be bound in
// that mode.

// Redis's CONFIG SET errors for the two directives.
const (
	errListenPort = "Unable to listen on this port. Check server logs."
	errBindAddr   = "Failed to bind to specified addresses."
)

// ErrNoListener is Start's error, and Redis's log line before it exits,
// when the configuration gives neither a TCP listener (port 0, or an empty
// bind list) nor a Unix socket.
var ErrNoListener = errors.New("Configured to not listen anywhere, exiting.")

// relistenState is the front ends' part: listeners opened after start.
type relistenState struct {
	mu sync.Mutex
	// initial are the addresses the server started with (resolved: a
	// port 0 replaced by the port picked).
	initial  []string
	resolved bool
	// goLns are the event loop's Go listeners (after a change).
	goLns []net.Listener
	// retired: the event loop's initial listeners no longer serve.
	retired bool
	wg      sync.WaitGroup
}

// registeredConn marks, as a gnet connection's context at OnOpen, a
// connection accepted by one of the event loop's Go listeners.
type registeredConn struct{}

// listenAll listens on every address, closing them all on a failure.
func listenAll(addrs []string) ([]net.Listener, error) {
	var lns []net.Listener
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, err
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

// replaceListeners closes old and listens on addrs; when that fails it
// listens on old's addresses again and returns those listeners with the
// error.
func replaceListeners(old []net.Listener, addrs []string) ([]net.Listener, error) {
	oldAddrs := make([]string, len(old))
	for i, l := range old {
		oldAddrs[i] = l.Addr().String()
		l.Close()
	}
	lns, err := listenAll(addrs)
	if err != nil {
		lns, _ = listenAll(oldAddrs)
	}
	return lns, err
}

// currentAddrs returns the addresses the configuration asks for (none for
// an empty bind list or port 0).
func (s *Server) currentAddrs() []string {
	return s.withPort(s.addrs())
}

// withPort replaces port 0 (a free port picked at start under
// FreePortForZero) in addrs by the port the server listens on.
func (s *Server) withPort(addrs []string) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		if host, port, err := net.SplitHostPort(a); err == nil && port == "0" {
			a = net.JoinHostPort(host, strconv.Itoa(s.core.Port))
		}
		out[i] = a
	}
	return out
}

// relisten is the OnChange callback of port and bind; it runs with the
// data lock held.
func (s *Server) relisten(errText string) error {
	addrs := s.currentAddrs()
	var err error
	switch {
	case s.th != nil:
		err = s.th.relisten(addrs)
	case s.el != nil:
		err = s.el.relisten(addrs)
	default:
		return nil // not serving yet: Start uses the configuration
	}
	if err != nil {
		s.core.Log.Warn("Failed to listen", "addrs", addrs, "err", err.Error())
		return errors.New(errText)
	}
	if p := s.core.Config.Port; p != 0 || !s.FreePortForZero {
		s.core.Port = p
	}
	return nil
}

func (s *Server) watchListenConfig() {
	s.core.Config.OnChange("port", func() error { return s.relisten(errListenPort) })
	s.core.Config.OnChange("bind", func() error { return s.relisten(errBindAddr) })
}

// relisten replaces the threaded front end's listeners; on failure the
// old addresses are listened on again.
func (t *threaded) relisten(addrs []string) error {
	select {
	case <-t.done:
		return nil
	default:
	}
	lns, err := replaceListeners(t.listeners, addrs)
	t.listeners = lns
	for _, ln := range lns {
		t.wg.Add(1)
		go t.accept(ln)
	}
	return err
}

// relisten moves the event loop to addrs (see the file comment).
func (el *eventLoop) relisten(addrs []string) error {
	r := &el.relisten0
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.resolved {
		r.initial = el.srv.withPort(r.initial)
		r.resolved = true
	}
	if slices.Equal(addrs, r.initial) {
		for _, l := range r.goLns {
			l.Close()
		}
		r.goLns = nil
		r.retired = false
		return nil
	}
	lns, err := replaceListeners(r.goLns, addrs)
	if err == nil {
		r.retired = true
	}
	r.goLns = lns
	for _, ln := range lns {
		r.wg.Add(1)
		go el.acceptGo(ln)
	}
	return err
}

// acceptGo accepts on a Go listener and registers each connection with
// the engine, which then calls OnOpen in the loop (while a slow script
// runs, busyYield serves it first: queueOrRegister).
func (el *eventLoop) acceptGo(ln net.Listener) {
	defer el.relisten0.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.SetNoDelay(true)
		}
		el.queueOrRegister(nc) // busyaccept.go
	}
}

// refuseRetired reports whether gc arrived on a retired initial listener.
func (el *eventLoop) refuseRetired(gc gnet.Conn) bool {
	if _, ok := gc.Context().(registeredConn); ok {
		return false
	}
	r := &el.relisten0
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.retired
}

// closeGoListeners closes the Go listeners when the server stops.
func (el *eventLoop) closeGoListeners() {
	r := &el.relisten0
	r.mu.Lock()
	for _, l := range r.goLns {
		l.Close()
	}
	r.goLns = nil
	r.mu.Unlock()
	r.wg.Wait()
}
