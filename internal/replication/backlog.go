package replication

// backlog is the replication backlog: a ring holding the last bytes of
// the stream, for partial resynchronization. end is always the caller's
// master_repl_offset (the offset of the last byte written).
type backlog struct {
	buf  []byte
	pos  int // where the next byte goes
	hist int // bytes held
}

// newBacklog returns an empty backlog of size bytes; the stream stands at
// offset (the next byte is offset+1).
func newBacklog(size int, offset int64) *backlog {
	_ = offset
	return &backlog{buf: make([]byte, size)}
}

// write appends p, dropping the oldest bytes beyond the size.
func (b *backlog) write(p []byte) {
	size := len(b.buf)
	if len(p) > size {
		p = p[len(p)-size:]
	}
	for len(p) > 0 {
		n := copy(b.buf[b.pos:], p)
		b.pos = (b.pos + n) % size
		p = p[n:]
		b.hist = min(b.hist+n, size)
	}
}

// first returns the offset of the oldest byte held (repl_backlog_off),
// given the offset of the last one.
func (b *backlog) first(end int64) int64 { return end - int64(b.hist) + 1 }

// from returns a copy of the bytes from offset off (first(end) ≤ off ≤
// end+1) to end.
func (b *backlog) from(off, end int64) []byte {
	n := int(end - off + 1)
	if n <= 0 {
		return nil
	}
	out := make([]byte, n)
	size := len(b.buf)
	start := (b.pos - n + size) % size
	k := copy(out, b.buf[start:])
	if k < n {
		copy(out[k:], b.buf[:n-k])
	}
	return out
}

// resized returns a backlog of size bytes holding the newest of b's.
func (b *backlog) resized(size int, end int64) *backlog {
	nb := newBacklog(size, end)
	keep := min(b.hist, size)
	nb.write(b.from(end-int64(keep)+1, end))
	return nb
}
