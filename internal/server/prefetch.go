package server

import (
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
)

// Before running a pipelined batch, process looks ahead at the next
// requests in the input and has the keyspace prefetch the key each one
// names first (keyspace.DB.Prefetch): their lookups' cache misses then
// overlap instead of following one another. The look-ahead is a plain
// scan of well-formed multibulk requests that only finds the bytes of
// their second argument (the first key of nearly every keyed command; for
// others the prefetch of a name that is not a key is harmless). It does
// not parse for real: anything unusual (an inline request, a malformed or
// incomplete one) ends the scan and the parser proper deals with it.

// prefetchAhead scans the complete requests at the start of buf, at most
// keyspace.PrefetchMax, and prefetches their keys in c's database when
// there are at least two different ones. It returns how much of buf it is
// done with: the length of the requests it scanned, all of buf when it
// gave up on the batch, 0 when buf does not start with a request it
// scans (process calls it again at the next request).
//
// A pipeline of requests on one key (LPUSH mylist …, HSET myhash …) has
// nothing to gain: when the first two requests name the same key it gives
// up on the batch, and a key that repeats the one before it is not
// prefetched again.
func prefetchAhead(s *core.Server, c *core.Client, buf []byte) int {
	var keys [keyspace.PrefetchMax][]byte
	n, off := 0, 0
	for req := 0; req < len(keys) && off < len(buf); req++ {
		size, key := scanRequest(buf[off:])
		if size == 0 {
			break
		}
		off += size
		if n > 0 && string(key) == string(keys[n-1]) {
			if req == 1 {
				return len(buf)
			}
			continue
		}
		keys[n] = key
		n++
	}
	if n >= 2 {
		s.KS.DB(c.DB).Prefetch(keys[:n])
	}
	return off
}

// scanMaxArgs bounds the arguments scanRequest walks through.
const scanMaxArgs = 64

// scanRequest returns the length of the complete multibulk request at the
// start of buf and its second argument (nil if it has fewer than two),
// or 0 if buf does not start with a complete, well-formed multibulk
// request of at most scanMaxArgs arguments.
func scanRequest(buf []byte) (size int, key []byte) {
	if len(buf) == 0 || buf[0] != '*' {
		return 0, nil
	}
	argc, i := scanLen(buf, 1)
	if i < 0 || argc <= 0 || argc > scanMaxArgs {
		return 0, nil
	}
	for a := 0; a < argc; a++ {
		if i >= len(buf) || buf[i] != '$' {
			return 0, nil
		}
		l, j := scanLen(buf, i+1)
		if j < 0 || l > len(buf)-j-2 || buf[j+l] != '\r' {
			return 0, nil
		}
		if a == 1 {
			key = buf[j : j+l]
		}
		i = j + l + 2
	}
	return i, key
}

// scanLen reads the decimal number at buf[i:] up to its "\r\n" and returns
// it with the offset after the "\n", or -1 for the offset if the number is
// missing, longer than 9 digits or not followed by "\r\n".
func scanLen(buf []byte, i int) (v, next int) {
	start := i
	for i < len(buf) && i-start <= 9 {
		c := buf[i]
		if c < '0' || c > '9' {
			break
		}
		v = v*10 + int(c-'0')
		i++
	}
	if i == start || i-start > 9 || i+1 >= len(buf) || buf[i] != '\r' || buf[i+1] != '\n' {
		return 0, -1
	}
	return v, i + 2
}
