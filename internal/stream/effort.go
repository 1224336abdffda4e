package stream

// FreeEffort is Redis's lazyfreeGetFreeEffort for a stream: the nodes of
// the radix tree indexing the macro nodes (each one allocation), plus for
// the consumer groups their number times one plus the length of the
// first group's PEL (an estimate for all groups). Above limit the exact
// tree size is not computed: limit+1 is returned as soon as the macro
// nodes alone exceed it (the tree has at least one node per macro node).
func (s *Stream) FreeEffort(limit int) int {
	var effort int
	if s.nodes.Len() > limit {
		effort = s.nodes.Len() + 1
	} else {
		effort = s.RaxNodes()
	}
	if s.groups != nil && s.groups.Len() > 0 {
		first := 0
		s.Groups(func(g *Group) bool {
			first = g.PendingLen()
			return false
		})
		effort += s.groups.Len() * (1 + first)
	}
	return effort
}
