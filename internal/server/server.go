package server

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
)

// Server runs a core.Server behind one of the two front ends.
type Server struct {
	core *core.Server
	// mu is the data lock: whoever holds it owns the keyspace and clients.
	mu       sync.Mutex
	mode     string
	el       *eventLoop
	th       *threaded
	done     chan struct{}
	err      error
	stopping bool
	stopOnce sync.Once
	// FreePortForZero makes port 0 listen on a free port the kernel
	// picks (the same one for every bind address), for tests that start
	// many servers. Without it port 0 means what it means to Redis: no TCP
	// listener. Set it before Start.
	FreePortForZero bool
}

// Modes are the front ends --mode accepts.
const (
	ModeEventLoop = "eventloop"
	ModeThreaded  = "threaded"
)

// New returns a server for c in the given mode ("eventloop" or "threaded").
func New(c *core.Server, mode string) (*Server, error) {
	switch mode {
	case ModeEventLoop, ModeThreaded:
	default:
		return nil, fmt.Errorf("unknown mode %q (want eventloop or threaded)", mode)
	}
	c.Mode = mode
	s := &Server{core: c, mode: mode, done: make(chan struct{})}
	c.ShutdownFunc = s.requestShutdown
	c.DataLock = &s.mu
	if mode == ModeThreaded {
		// A slow script lets the other clients' goroutines in (they get
		// -BUSY).
		c.ScriptYield = func() {
			s.mu.Unlock()
			time.Sleep(time.Millisecond)
			s.mu.Lock()
			if s.stopping && s.th != nil {
				s.th.exitWhileBusy() // SHUTDOWN NOSAVE: never returns
			}
		}
	} else {
		// The loop runs the script: it reads the other sockets itself.
		c.ScriptYield = func() {
			if s.el != nil {
				s.el.busyYield()
				if s.stopping {
					s.el.exitWhileBusy() // SHUTDOWN NOSAVE: never returns
				}
			}
			time.Sleep(time.Millisecond)
		}
	}
	s.watchListenConfig()
	return s, nil
}

// Core returns the executor state.
func (s *Server) Core() *core.Server { return s.core }

// Lock takes the data lock (for code outside the front ends, e.g. tests or
// background jobs that report back).
func (s *Server) Lock() { s.mu.Lock() }

// Unlock releases the data lock.
func (s *Server) Unlock() { s.mu.Unlock() }

// addrs returns the TCP addresses the configuration asks for: none when
// port is 0 (unless FreePortForZero) or the bind list is empty (`bind ""`),
// as in Redis.
func (s *Server) addrs() []string {
	cfg := s.core.Config
	if (cfg.Port == 0 && !s.FreePortForZero) || len(cfg.Bind) == 0 {
		return nil
	}
	port := strconv.Itoa(cfg.Port)
	binds := cfg.Bind
	var out []string
	for _, b := range binds {
		optional := false
		if len(b) > 0 && b[0] == '-' {
			optional, b = true, b[1:]
		}
		if b == "*" {
			b = "0.0.0.0"
		}
		if optional && b == "::*" {
			continue // IPv6 wildcard when available: we listen on IPv4 only
		}
		out = append(out, net.JoinHostPort(b, port))
	}
	if len(out) == 0 {
		out = []string{net.JoinHostPort("0.0.0.0", port)}
	}
	return out
}

// CheckListeners returns ErrNoListener when the configuration gives the
// server nothing to listen on (Redis checks this before loading data).
func (s *Server) CheckListeners() error {
	if len(s.addrs()) == 0 && s.unixPath() == "" {
		return ErrNoListener
	}
	return nil
}

// Start listens and serves in the background; it returns once the
// listener is bound (or failed).
func (s *Server) Start() error {
	if err := s.CheckListeners(); err != nil {
		return err
	}
	addrs := s.addrs()
	switch s.mode {
	case ModeEventLoop:
		s.el = &eventLoop{srv: s, ready: make(chan error, 1)}
		go func() {
			err := s.el.run(addrs)
			s.el.once.Do(func() { s.el.ready <- err })
			s.finish(err)
		}()
		return <-s.el.ready
	default:
		s.th = &threaded{srv: s, done: make(chan struct{})}
		if err := s.th.listen(addrs); err != nil {
			return err
		}
		s.th.serve()
		return nil
	}
}

func (s *Server) finish(err error) {
	s.stopOnce.Do(func() {
		s.removeUnixSocket()
		s.core.Exited()
		s.err = err
		close(s.done)
	})
}

// Port returns the TCP port the server listens on. It takes the data lock:
// CONFIG SET port changes it while serving.
func (s *Server) Port() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.core.Port
}

// Done is closed when the server stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

// Stop closes the listeners and every connection and waits for them.
func (s *Server) Stop() {
	switch s.mode {
	case ModeEventLoop:
		if s.el != nil && s.el.eng.Validate() == nil {
			s.el.stop()
		}
		<-s.done
	default:
		if s.th != nil {
			s.th.stop()
		}
		s.finish(nil)
	}
}

// requestShutdown is the core's ShutdownFunc (SHUTDOWN command): it is
// called with the data lock held, so the actual stop happens after it.
func (s *Server) requestShutdown(save bool) error {
	if err := s.core.PrepareShutdown(save); err != nil {
		return err
	}
	s.stopping = true
	go func() {
		time.Sleep(10 * time.Millisecond)
		s.Stop()
	}()
	return nil
}

func (s *Server) cronInterval() time.Duration {
	hz := s.core.Config.Hz
	if hz <= 0 {
		hz = 10
	}
	if hz > 500 {
		hz = 500
	}
	return time.Second / time.Duration(hz)
}
