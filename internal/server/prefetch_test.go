package server

import (
	"strconv"
	"strings"
	"testing"
)

// TestScanRequest: the look-ahead finds the length and second argument of
// complete, well-formed multibulk requests and gives up (0) on anything
// else, which the parser proper then handles.
func TestScanRequest(t *testing.T) {
	get := "*2\r\n$3\r\nGET\r\n$5\r\nkey:1\r\n"
	for _, tc := range []struct {
		in   string
		size int
		key  string
	}{
		{get, len(get), "key:1"},
		{get + get, len(get), "key:1"},
		{"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nxxx\r\n", 29, "k"},
		{"*1\r\n$4\r\nPING\r\n", 14, ""},
		{"*2\r\n$3\r\nGET\r\n$0\r\n\r\n", 19, ""},
		{get[:len(get)-1], 0, ""},                  // incomplete
		{get[:10], 0, ""},                          // incomplete
		{"*2\r", 0, ""},                            // incomplete count
		{"GET key:1\r\n", 0, ""},                   // inline
		{"", 0, ""},                                // nothing
		{"*0\r\n", 0, ""},                          // empty request
		{"*-1\r\n", 0, ""},                         // null
		{"*2\n$3\r\nGET\r\n", 0, ""},               // bad line end
		{"*2\r\n$3\r\nGET\r\n:5\r\n", 0, ""},       // not a bulk
		{"*2\r\n$3\r\nGETX\r\n$1\r\nk\r\n", 0, ""}, // data longer than its length
		{"*2\r\n$3\r\nGET\r\n$-1\r\n", 0, ""},
		{"*2\r\n$3\r\nGET\r\n$99999999999\r\nk\r\n", 0, ""},    // too many digits
		{"*65\r\n" + strings.Repeat("$1\r\nx\r\n", 65), 0, ""}, // too many arguments
	} {
		size, key := scanRequest([]byte(tc.in))
		if size != tc.size || string(key) != tc.key {
			t.Errorf("%q: got %d %q, want %d %q", tc.in, size, key, tc.size, tc.key)
		}
		if size == 0 && key != nil {
			t.Errorf("%q: key %q without a request", tc.in, key)
		}
	}
	// A request with the most arguments the scan walks.
	req := "*64\r\n$4\r\nMGET\r\n" + strings.Repeat("$2\r\nab\r\n", 63)
	if size, key := scanRequest([]byte(req)); size != len(req) || string(key) != "ab" {
		t.Errorf("64 arguments: %d %q", size, key)
	}
}

// TestPrefetchAhead: how much of a batch the look-ahead is done with
// (process does not call it again before that): the requests it scanned
// (up to PrefetchMax), nothing when the batch starts with a request it
// does not scan, the whole batch when its first two requests are on one
// key.
func TestPrefetchAhead(t *testing.T) {
	s, c := benchServer(t)
	get := "*2\r\n$3\r\nGET\r\n$5\r\nkey:1\r\n"
	get2 := "*2\r\n$3\r\nGET\r\n$5\r\nkey:2\r\n"
	partial := "*2\r\n$3\r\nGET\r\n$5\r\nkey:"
	for _, tc := range []struct {
		in   string
		want int
	}{
		{get, len(get)},
		{get + get2, 2 * len(get)},
		{get + get2 + partial, 2 * len(get)},
		{get + "PING\r\n" + get, len(get)},
		{"PING\r\n" + get + get2, 0},
		{strings.Repeat(get, 40), 40 * len(get)}, // one key: gives up
		{get + get2 + strings.Repeat(get, 40), 16 * len(get)},
		{get + get2 + get2 + get, 4 * len(get)},
	} {
		if got := prefetchAhead(s, c, []byte(tc.in)); got != tc.want {
			t.Errorf("%q: %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestProcessPrefetched: a pipelined batch (looked ahead and prefetched)
// gives the replies of the same requests sent one at a time (never looked
// ahead), across databases, types, expired keys and a request the scan
// does not take.
func TestProcessPrefetched(t *testing.T) {
	reqs := []string{
		"SET a 1", "SET b xxx", "INCR a", "INCR counter", "GET a", "GET b", "GET nope",
		"LPUSH l x", "GET l", "INCR l", "SELECT 1", "GET a", "SET a other", "GET a",
		"SELECT 0", "GET a", "SET e 1 PX 100000", "GET e", "PEXPIREAT b 1", "GET b", "EXISTS b", "MGET a b counter",
		"APPEND a 23", "GET a", "DEL a", "GET a", "HSET h f v", "HGET h f", "GET h",
	}
	var batch []byte
	for _, r := range reqs {
		batch = append(batch, encodeRequest(strings.Fields(r))...)
	}
	batch = append(batch, "PING inline\r\n"...)
	batch = append(batch, encodeRequest([]string{"GET", "counter"})...)

	s1, c1 := benchServer(t)
	n, closeConn := process(s1, c1, batch)
	if n != len(batch) || closeConn {
		t.Fatalf("batch: %d of %d, close %v", n, len(batch), closeConn)
	}
	if got := prefetchAhead(s1, c1, batch); got == 0 || got == len(batch) {
		t.Fatalf("the batch is not looked ahead (%d of %d)", got, len(batch))
	}
	s2, c2 := benchServer(t)
	for rest := batch; len(rest) > 0; {
		n, closeConn := process(s2, c2, rest[:requestLen(t, rest)])
		if n == 0 || closeConn {
			t.Fatalf("one at a time: %d, close %v at %q", n, closeConn, rest)
		}
		rest = rest[n:]
	}
	if got, want := string(c1.Out.Bytes()), string(c2.Out.Bytes()); got != want {
		t.Errorf("pipelined:\n%q\none at a time:\n%q", got, want)
	}
}

// requestLen returns the length of the first request in buf.
func requestLen(t *testing.T, buf []byte) int {
	if n, _ := scanRequest(buf); n > 0 {
		return n
	}
	if i := strings.Index(string(buf), "\r\n"); i >= 0 {
		return i + 2
	}
	t.Fatalf("no request in %q", buf)
	return 0
}

func encodeRequest(args []string) []byte {
	b := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b = append(b, "$"+strconv.Itoa(len(a))+"\r\n"+a+"\r\n"...)
	}
	return b
}
