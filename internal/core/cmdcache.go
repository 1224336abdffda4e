package core

// cmdCache remembers the command Exec resolved last and the exact bytes
// of the name it was sent as: a client (or a pipeline, or a benchmark)
// mostly repeats one command, and comparing a few bytes costs less than
// folding the name's case and a map lookup. The table does not change
// after the server is built, so the entry never goes stale.
type cmdCache struct {
	name [16]byte
	n    int
	cmd  *Command
}

// lookupCommand is s.Commands.lookup through the one-entry cache.
func (s *Server) lookupCommand(name []byte) *Command {
	k := &s.cmdCache
	if k.cmd != nil && len(name) == k.n && string(name) == string(k.name[:k.n]) {
		return k.cmd
	}
	cmd := s.Commands.lookup(name)
	if cmd != nil && len(name) <= len(k.name) {
		k.n = copy(k.name[:], name)
		k.cmd = cmd
	}
	return cmd
}
