package server

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"strconv"
)

// The Unix socket (unixsocket, unixsocketperm). As Redis does, a stale
// socket file is removed before binding, the file gets unixsocketperm when
// that is set, and it is removed again at shutdown. Its clients show
// "path:0" as both addresses and flag U, and protected mode never refuses
// them (Redis's islocalClient).

// unixPath returns the configured socket path ("" when there is none).
func (s *Server) unixPath() string { return s.core.Config.UnixSocket }

// prepareUnixSocket removes a leftover socket file at path.
func prepareUnixSocket(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Binding will fail and report the path.
		return
	}
}

// chmodUnixSocket applies unixsocketperm to the socket file.
func (s *Server) chmodUnixSocket() error {
	path, perm := s.unixPath(), s.core.Config.UnixSocketPerm
	if path == "" || perm == 0 {
		return nil
	}
	return os.Chmod(path, fs.FileMode(perm))
}

// removeUnixSocket deletes the socket file when the server stops.
func (s *Server) removeUnixSocket() {
	if path := s.unixPath(); path != "" {
		s.core.Log.Info("Removing the unix socket file.")
		_ = os.Remove(path)
	}
}

// unixClientAddr is the address a Unix socket client shows.
func unixClientAddr(path string) string { return path + ":0" }

// isUnixAddr reports whether a is the address of a Unix socket.
func isUnixAddr(a net.Addr) bool {
	_, ok := a.(*net.UnixAddr)
	return ok
}

// resolvePort0 replaces port 0 in addrs by one free port, the same for
// every address (a listener on the first address picks it), so that
// --port 0 with several bind addresses listens on one port, as it must for
// the port the server reports.
func resolvePort0(addrs []string) ([]string, error) {
	if len(addrs) == 0 {
		return addrs, nil
	}
	host, port, err := net.SplitHostPort(addrs[0])
	if err != nil || port != "0" {
		return addrs, nil
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return nil, err
	}
	p := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	out := make([]string, len(addrs))
	for i, a := range addrs {
		if h, pt, err := net.SplitHostPort(a); err == nil && pt == "0" {
			a = net.JoinHostPort(h, p)
		}
		out[i] = a
	}
	return out, nil
}
