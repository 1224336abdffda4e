package resp

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadRawReply reads one complete RESP2/RESP3 reply from r and returns its
// exact bytes (an attribute together with the reply it annotates). Tests use
// it to compare replies byte for byte with redis-server's.
func ReadRawReply(r *bufio.Reader) (string, error) {
	var b strings.Builder
	err := readRaw(r, &b)
	return b.String(), err
}

func readRaw(r *bufio.Reader, b *strings.Builder) error {
	line, err := r.ReadString('\n')
	b.WriteString(line)
	if err != nil {
		return err
	}
	if len(line) < 3 {
		return fmt.Errorf("resp: short line %q", line)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	switch line[0] {
	case '$', '=', '!':
		if n < 0 {
			return nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return err
		}
		b.Write(buf)
	case '*', '~', '>', '%', '|':
		if line[0] == '%' || line[0] == '|' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			if err := readRaw(r, b); err != nil {
				return err
			}
		}
		if line[0] == '|' {
			return readRaw(r, b) // the reply the attribute annotates
		}
	}
	return nil
}
