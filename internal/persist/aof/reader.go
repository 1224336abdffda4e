package aof

import (
	"bufio"
	"fmt"
	"io"
)

// Limits of the AOF command reader.
const (
	// maxLineLen bounds a "*<argc>" or "$<len>" line, CRLF included, like
	// the 1024-byte fgets buffer of Redis's loader.
	maxLineLen = 1024
	// annotationMax is how much of a '#' annotation line Redis's fgets
	// consumes at once (AOF_ANNOTATION_LINE_MAX_LEN - 1).
	annotationMax = 1023
	// MaxArgs is the largest argument count accepted (Redis parses it
	// into an int).
	MaxArgs = 1<<31 - 1
	// MaxBulkLen is the largest bulk length accepted. Memory is only
	// allocated as the bytes actually arrive, so a corrupt length costs
	// nothing before the file runs out.
	MaxBulkLen = 1 << 40
	// bulkChunk is the most a bulk buffer grows by before its bytes have
	// been read.
	bulkChunk = 1 << 20
)

// CommandReader reads the RESP commands of an AOF file one at a time,
// strictly: "*<argc>\r\n" then argc times "$<len>\r\n<len bytes>\r\n", with
// argc >= 1 and every length a plain decimal number, and '#' annotation
// lines (such as "#TS:<unix time>") skipped between commands.
type CommandReader struct {
	br  *bufio.Reader
	off int64
}

// NewCommandReader returns a reader of the commands in r.
func NewCommandReader(r io.Reader) *CommandReader {
	return &CommandReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next command. At the end of the input it returns io.EOF
// if the input ended between two commands, ErrTruncated if it ended inside
// one, and a *FormatError for bytes that are not a valid command.
func (c *CommandReader) Next() ([][]byte, error) {
	return parseCommand(c.br, &c.off)
}

// Offset is the number of bytes consumed: after a successful Next, the end
// of the command returned.
func (c *CommandReader) Offset() int64 { return c.off }

// ParseCommand reads one command from r like CommandReader.Next; the
// offsets in its errors count from where r stood.
func ParseCommand(r *bufio.Reader) ([][]byte, error) {
	var off int64
	return parseCommand(r, &off)
}

var errLineTooLong = fmt.Errorf("line too long")

// readLine returns the next line through '\n' (or what is left at the end
// of the input, with io.EOF), at most max bytes long.
func readLine(br *bufio.Reader, off *int64, max int) ([]byte, error) {
	var acc []byte
	for {
		frag, err := br.ReadSlice('\n')
		*off += int64(len(frag))
		if acc == nil && err != bufio.ErrBufferFull {
			if len(frag) > max {
				return nil, errLineTooLong
			}
			return frag, err
		}
		acc = append(acc, frag...)
		if len(acc) > max {
			return nil, errLineTooLong
		}
		if err != bufio.ErrBufferFull {
			return acc, err
		}
	}
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// header parses a "*<n>\r\n" or "$<n>\r\n" line. A line cut short by the
// end of the input is ErrTruncated if what is there could still become a
// valid line, a format error otherwise.
func header(line []byte, readErr error, prefix byte, start int64, min, max int64, what string) (int64, error) {
	if readErr != nil && readErr != io.EOF {
		if readErr == errLineTooLong {
			return 0, &FormatError{Offset: start, Msg: fmt.Sprintf("%s line too long", what)}
		}
		return 0, readErr
	}
	if len(line) == 0 {
		return 0, ErrTruncated
	}
	if line[0] != prefix {
		return 0, &FormatError{Offset: start, Msg: fmt.Sprintf("Expected prefix '%c', got: '%c'", prefix, line[0])}
	}
	if readErr == io.EOF { // partial line
		body := line[1:]
		if n := len(body); n > 0 && body[n-1] == '\r' {
			body = body[:n-1]
		}
		if !isDigits(body) || len(body) > 18 {
			return 0, &FormatError{Offset: start, Msg: fmt.Sprintf("invalid %s", what)}
		}
		return 0, ErrTruncated
	}
	n := len(line)
	if n < 3 || line[n-2] != '\r' {
		return 0, &FormatError{Offset: start, Msg: fmt.Sprintf("invalid %s (expected \\r\\n)", what)}
	}
	body := line[1 : n-2]
	if len(body) == 0 || len(body) > 18 || !isDigits(body) {
		return 0, &FormatError{Offset: start, Msg: fmt.Sprintf("invalid %s", what)}
	}
	var v int64
	for _, c := range body {
		v = v*10 + int64(c-'0')
	}
	if v < min || v > max {
		return 0, &FormatError{Offset: start, Msg: fmt.Sprintf("invalid %s %d", what, v)}
	}
	return v, nil
}

// cmdBuf holds the storage parseCommand reuses from one command to the
// next when loading: the argument slice and an arena the small arguments
// are copied into (one allocation per 64 KB of arguments instead of one per
// argument). A command parsed into it is valid until the next parse.
type cmdBuf struct {
	args  [][]byte
	arena []byte
}

// arenaMin is the size of a cmdBuf's first arena.
const arenaMin = 64 << 10

// alloc returns n bytes of the arena. When the arena is full it starts a
// new one, leaving the slices already handed out where they are.
func (p *cmdBuf) alloc(n int) []byte {
	if cap(p.arena)-len(p.arena) < n {
		p.arena = make([]byte, 0, max(2*cap(p.arena), n, arenaMin))
	}
	s := len(p.arena)
	p.arena = p.arena[:s+n]
	return p.arena[s : s+n : s+n]
}

// cloneArgs copies a command out of a cmdBuf (for commands kept across
// parses: those of a MULTI block).
func cloneArgs(args [][]byte) [][]byte {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, len(args))
	for i, a := range args {
		s := len(buf)
		buf = append(buf, a...)
		out[i] = buf[s:len(buf):len(buf)]
	}
	return out
}

// parseCommand reads one command into new slices.
func parseCommand(br *bufio.Reader, off *int64) ([][]byte, error) {
	return parseCommandInto(br, off, nil)
}

// parseCommandInto reads one command, into p's reused storage when p is
// not nil.
func parseCommandInto(br *bufio.Reader, off *int64, p *cmdBuf) ([][]byte, error) {
	// Skip annotations; stop at the end of the input between commands.
	for {
		b, err := br.Peek(1)
		if len(b) == 0 {
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, err
		}
		if b[0] != '#' {
			break
		}
		// Redis's fgets consumes at most 1023 bytes of the line. An
		// annotation cut by the end of the file is a truncation (Redis
		// would skip it and later glue the next append onto it).
		for i := 0; i < annotationMax; i++ {
			c, err := br.ReadByte()
			if err != nil {
				if err == io.EOF {
					return nil, ErrTruncated
				}
				return nil, err
			}
			*off++
			if c == '\n' {
				break
			}
		}
	}
	start := *off
	line, err := readLine(br, off, maxLineLen)
	argc, err := header(line, err, '*', start, 1, MaxArgs, "multibulk length")
	if err != nil {
		return nil, err
	}
	var args [][]byte
	if p != nil {
		args = p.args[:0]
		p.arena = p.arena[:0]
	} else {
		args = make([][]byte, 0, min(argc, 64))
	}
	for j := int64(0); j < argc; j++ {
		start = *off
		line, err = readLine(br, off, maxLineLen)
		n, err := header(line, err, '$', start, 0, MaxBulkLen, "bulk length")
		if err != nil {
			return nil, err
		}
		var arg []byte
		if p != nil && n+2 <= int64(br.Size()) {
			arg, err = readSmallBulk(br, off, int(n), p)
		} else {
			arg, err = readBulk(br, off, n)
		}
		if err != nil {
			return nil, err
		}
		args = append(args, arg)
	}
	if p != nil {
		p.args = args
	}
	return args, nil
}

// readSmallBulk is readBulk for a bulk that fits in br's buffer: its bytes
// are copied from the buffer into p's arena.
func readSmallBulk(br *bufio.Reader, off *int64, n int, p *cmdBuf) ([]byte, error) {
	b, err := br.Peek(n + 2)
	if len(b) < n+2 {
		if err == nil || err == bufio.ErrBufferFull {
			err = io.ErrNoProgress // cannot happen: n+2 fits in the buffer
		}
		*off += int64(len(b))
		if err == io.EOF {
			if len(b) == n+1 && b[n] != '\r' {
				return nil, &FormatError{Offset: *off - 1, Msg: fmt.Sprintf("Expected \\r\\n, got: %02x", b[n])}
			}
			br.Discard(len(b))
			return nil, ErrTruncated
		}
		br.Discard(len(b))
		return nil, err
	}
	*off += int64(n + 2)
	if b[n] != '\r' || b[n+1] != '\n' {
		return nil, &FormatError{Offset: *off - 2, Msg: fmt.Sprintf("Expected \\r\\n, got: %02x%02x", b[n], b[n+1])}
	}
	arg := p.alloc(n)
	copy(arg, b)
	br.Discard(n + 2)
	return arg, nil
}

// readBulk reads n bytes and the CRLF after them, growing the buffer only
// as the bytes arrive.
func readBulk(br *bufio.Reader, off *int64, n int64) ([]byte, error) {
	want := n + 2
	first := want
	if first > bulkChunk {
		first = bulkChunk
	}
	buf := make([]byte, first)
	have := int64(0)
	for {
		k, err := io.ReadFull(br, buf[have:])
		have += int64(k)
		*off += int64(k)
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				// A partial CRLF that is already wrong is garbage.
				if have == n+1 && buf[n] != '\r' {
					return nil, &FormatError{Offset: *off - 1, Msg: fmt.Sprintf("Expected \\r\\n, got: %02x", buf[n])}
				}
				return nil, ErrTruncated
			}
			return nil, err
		}
		if have == want {
			break
		}
		next := int64(len(buf)) * 2
		if next > want {
			next = want
		}
		nb := make([]byte, next)
		copy(nb, buf)
		buf = nb
	}
	if buf[n] != '\r' || buf[n+1] != '\n' {
		return nil, &FormatError{Offset: *off - 2, Msg: fmt.Sprintf("Expected \\r\\n, got: %02x%02x", buf[n], buf[n+1])}
	}
	return buf[:n:n], nil
}
