package resp

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// parseCase is one request and what Parse must make of it. Every error and
// incomplete case was checked against redis-server 7.0.15 (see
// TestParseCasesAgainstRedis).
type parseCase struct {
	in      string
	unauth  bool
	maxBulk int64
	args    []string // first request's arguments; nil for incomplete/error
	n       int      // bytes consumed; 0 for incomplete/error
	err     string   // protocol error text
}

func dollar(c string) string { return MsgExpectedDollarPrefix + c + MsgExpectedDollarSuffix }

var parseCases = []parseCase{
	// Multibulk.
	{in: "*1\r\n$4\r\nPING\r\n", args: []string{"PING"}, n: 14},
	{in: "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$0\r\n\r\n", args: []string{"SET", "x", ""}, n: 26},
	{in: "*1\r\n$3\r\nfoo\r\n*1\r\n", args: []string{"foo"}, n: 13},
	{in: "*1\r\n$3\r\nfooXY", args: []string{"foo"}, n: 13},           // trailing 2 bytes unchecked
	{in: "*1\rX$4\r\nPINGxy", args: []string{"PING"}, n: 14},          // byte after '\r' unchecked
	{in: "*1\r\n$4\r\nPI\x00G\r\n", args: []string{"PI\x00G"}, n: 14}, // binary safe data
	{in: "*0\r\n", args: []string{}, n: 4},
	{in: "*-10\r\n", args: []string{}, n: 6},
	{in: "*-9223372036854775808\r\n", args: []string{}, n: 23},
	{in: "*-11\r\n", unauth: true, args: []string{}, n: 6},
	{in: "*", n: 0},
	{in: "*1", n: 0},
	{in: "*1\r", n: 0},
	{in: "*1\r\n", n: 0},
	{in: "*1\r\n$", n: 0},
	{in: "*1\r\n$3\r", n: 0},
	{in: "*1\r\n$3\r\n", n: 0},
	{in: "*1\r\n$3\r\nfoo", n: 0},
	{in: "*1\r\n$3\r\nfoo\r", n: 0},
	{in: "*2\r\n$3\r\nfoo\r\nX", n: 0}, // no '\r' yet, so no '$' check yet
	{in: "*2147483647\r\n", n: 0},
	{in: "*1\r\n$536870912\r\n", n: 0},
	{in: "*1\r\n$2000000000\r\nabc", maxBulk: 4000000000, n: 0},
	{in: "*\x00", n: 0},
	{in: "*1\x00\r\n", n: 0},                     // strchr stops at NUL
	{in: "*1\r\n$4\x00\r\nPING\r\n", n: 0},       // idem
	{in: "*1\r\nfoo\x00\r\n", n: 0},              // idem
	{in: "*10\r\n", unauth: true, n: 0},          // limit is inclusive
	{in: "*1\r\n$16384\r\n", unauth: true, n: 0}, // idem
	{in: "*" + strings.Repeat("1", 65535), n: 0},
	{in: "*1\r\n$" + strings.Repeat("1", 65535), n: 0},
	{in: "*3000000000\r\n", err: MsgInvalidMultibulkLength},
	{in: "*2147483648\r\n", err: MsgInvalidMultibulkLength},
	{in: "*-9223372036854775809\r\n", err: MsgInvalidMultibulkLength},
	{in: "*99999999999999999999\r\n", err: MsgInvalidMultibulkLength},
	{in: "*-0\r\n", err: MsgInvalidMultibulkLength},
	{in: "*01\r\n", err: MsgInvalidMultibulkLength},
	{in: "*+1\r\n", err: MsgInvalidMultibulkLength},
	{in: "*\r\n", err: MsgInvalidMultibulkLength},
	{in: "*-\r\n", err: MsgInvalidMultibulkLength},
	{in: "* 1\r\n", err: MsgInvalidMultibulkLength},
	{in: "*1 \r\n", err: MsgInvalidMultibulkLength},
	{in: "*11x\r\n", err: MsgInvalidMultibulkLength},
	{in: "*\r\r", err: MsgInvalidMultibulkLength},
	{in: "*2147483648\r\n", unauth: true, err: MsgInvalidMultibulkLength},
	{in: "*11\r\n", unauth: true, err: MsgUnauthMultibulkLength},
	{in: "*" + strings.Repeat("1", 65536), err: MsgTooBigMultibulkCount},
	{in: "*\x00" + strings.Repeat("1", 65536), err: MsgTooBigMultibulkCount},
	{in: "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", err: dollar("f")},
	{in: "*1\r\nfoo\r\n", err: dollar("f")},
	{in: "*1\r\n\r\n", err: dollar(" ")},
	{in: "*1\r\n\n\r\n", err: dollar(" ")},
	{in: "*1\r\n\xff\r\n", err: dollar("\xff")},
	{in: "*1\r\n*1\r\n", err: dollar("*")},
	{in: "*1\r\n$2000000000\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$536870913\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$blabla\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$-1\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$-0\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$03\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$99999999999999999999\r\n", err: MsgInvalidBulkLength},
	{in: "*1\r\n$6\r\n", maxBulk: 5, err: MsgInvalidBulkLength},
	{in: "*1\r\n$536870913\r\n", unauth: true, err: MsgInvalidBulkLength},
	{in: "*1\r\n$16385\r\n", unauth: true, err: MsgUnauthBulkLength},
	{in: "*1\r\n$" + strings.Repeat("1", 65536), err: MsgTooBigBulkCount},
	{in: "*1\r\n$4\x00" + strings.Repeat("1", 65536), err: MsgTooBigBulkCount},
	{in: "*1\r\n\x00" + strings.Repeat("1", 65536), err: MsgTooBigBulkCount},

	// Inline.
	{in: "PING\r\n", args: []string{"PING"}, n: 6},
	{in: "PING\n", args: []string{"PING"}, n: 5},
	{in: "PING x y z\r\n", args: []string{"PING", "x", "y", "z"}, n: 12},
	{in: "$-10\r\n", args: []string{"$-10"}, n: 6},
	{in: "ECHO a\rb\r\n", args: []string{"ECHO", "a", "b"}, n: 10},
	{in: "ECHO a\r\r\n", args: []string{"ECHO", "a"}, n: 9},
	{in: "ECHO \"a\\x41\\n\" 'b\\'c'\r\nPING\r\n", args: []string{"ECHO", "aA\n", "b'c"}, n: 23},
	{in: "ECHO a\"b c\"\r\n", args: []string{"ECHO", "ab c"}, n: 13},
	{in: "\x0bECHO a\x0bb\r\n", args: []string{"ECHO", "a\x0bb"}, n: 11},
	{in: "\r\n", args: []string{}, n: 2},
	{in: "\n", args: []string{}, n: 1},
	{in: "  \t \r\n", args: []string{}, n: 6},
	{in: "$-10", n: 0},
	{in: "PING\r", n: 0},
	{in: "\x00", n: 0},
	{in: "$\x00", n: 0},
	{in: "PING\x00\r\nPING\r\n", n: 0}, // strchr stops at NUL
	{in: strings.Repeat("P", 65536), n: 0},
	{in: `set """test-key""" test-value` + "\r\n", err: MsgUnbalancedQuotes},
	{in: "ECHO \"a\"b\r\n", err: MsgUnbalancedQuotes},
	{in: "ECHO 'a\r\n", err: MsgUnbalancedQuotes},
	{in: strings.Repeat("P", 65537), err: MsgTooBigInlineRequest},
	{in: "PING\x00" + strings.Repeat("a", 70000) + "\r\n", err: MsgTooBigInlineRequest},
}

func caseName(c parseCase) string {
	s := c.in
	if len(s) > 40 {
		s = s[:40] + fmt.Sprintf("...(%d bytes)", len(c.in))
	}
	if c.unauth {
		s += " (unauth)"
	}
	return fmt.Sprintf("%q", s)
}

func strs(args [][]byte) []string {
	if args == nil {
		return nil
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = string(a)
	}
	return out
}

func TestParseCases(t *testing.T) {
	for _, c := range parseCases {
		p := &Parser{Limits: Limits{MaxBulkLen: c.maxBulk, Unauthenticated: c.unauth}}
		args, n, err := p.Parse([]byte(c.in))
		if c.err != "" {
			var pe *ProtocolError
			if !errors.As(err, &pe) || pe.Error() != c.err || args != nil || n != 0 {
				t.Errorf("%s: got %q, %d, %v; want error %q", caseName(c), strs(args), n, err, c.err)
			}
			continue
		}
		if err != nil || n != c.n || !reflect.DeepEqual(strs(args), c.args) {
			t.Errorf("%s: got %q, %d, %v; want %q, %d", caseName(c), strs(args), n, err, c.args, c.n)
		}
		if c.n == 0 && args != nil {
			t.Errorf("%s: incomplete request must give nil args", caseName(c))
		}
		if c.n > 0 && args == nil {
			t.Errorf("%s: complete request must give non-nil args", caseName(c))
		}
	}
}

// TestParseCasesByteByByte feeds every case one byte at a time. Redis
// reports the "too big" errors as soon as more than 64KB is buffered, so
// those are left out.
func TestParseCasesByteByByte(t *testing.T) {
	for _, c := range parseCases {
		if len(c.in) > InlineMaxSize {
			continue
		}
		p := &Parser{Limits: Limits{MaxBulkLen: c.maxBulk, Unauthenticated: c.unauth}}
		buf := []byte(c.in)
		var (
			args [][]byte
			n    int
			err  error
		)
		for k := 1; k <= len(buf); k++ {
			// A fresh copy each time (for the short cases): the parser
			// must not rely on the array staying the same.
			b := buf[:k]
			if len(buf) < 4096 {
				b = append([]byte(nil), b...)
			}
			args, n, err = p.Parse(b)
			if err != nil || n > 0 {
				break
			}
		}
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s: got %q, %d, %v; want error %q", caseName(c), strs(args), n, err, c.err)
			}
			continue
		}
		if err != nil || n != c.n || !reflect.DeepEqual(strs(args), c.args) {
			t.Errorf("%s: got %q, %d, %v; want %q, %d", caseName(c), strs(args), n, err, c.args, c.n)
		}
	}
}

// pipeline is a mix of request forms that parse without error.
var pipeline = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n" +
	"PING\r\n" +
	"*0\r\n" +
	"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n" +
	"\r\n" +
	"ECHO \"quoted \\x41 \\\"arg\\\"\" 'single\\'s'\n" +
	"*-1\r\n" +
	"*1\r\n$0\r\n\r\n" +
	"*2\r\n$4\r\nECHO\r\n$11\r\nbin\x00\r\n\xff\x01xyz\r\n" +
	"   \t\r\n" +
	"*1\r\n$4\r\nPING\r\n"

type parsed struct {
	args []string
	n    int
}

// parseAll parses buf with one call per request.
func parseAll(t *testing.T, buf []byte) []parsed {
	t.Helper()
	var p Parser
	var out []parsed
	for len(buf) > 0 {
		args, n, err := p.Parse(buf)
		if err != nil {
			t.Fatalf("parse error %v at %q", err, buf)
		}
		if n == 0 {
			t.Fatalf("incomplete at %q", buf)
		}
		out = append(out, parsed{strs(args), n})
		buf = buf[n:]
	}
	return out
}

// feed parses buf given in chunks ending at the given offsets, the way a
// connection would: unconsumed bytes stay at the start of the buffer.
func feed(t *testing.T, buf []byte, ends []int) []parsed {
	t.Helper()
	var p Parser
	var out []parsed
	var pending []byte
	prev := 0
	for _, end := range ends {
		pending = append(pending, buf[prev:end]...)
		prev = end
		for {
			args, n, err := p.Parse(pending)
			if err != nil {
				t.Fatalf("parse error %v", err)
			}
			if n == 0 {
				break
			}
			out = append(out, parsed{strs(args), n})
			// Compact like a real connection buffer would.
			pending = append(pending[:0], pending[n:]...)
		}
	}
	if len(pending) != 0 {
		t.Fatalf("%d bytes left over", len(pending))
	}
	return out
}

func TestParsePipelineSplits(t *testing.T) {
	buf := []byte(pipeline)
	want := parseAll(t, buf)
	if len(want) != 11 {
		t.Fatalf("pipeline parsed into %d requests: %v", len(want), want)
	}
	if got := want[5].args; !reflect.DeepEqual(got, []string{"ECHO", "quoted A \"arg\"", "single's"}) {
		t.Fatalf("inline request parsed as %q", got)
	}
	// Every single split point.
	for k := 0; k <= len(buf); k++ {
		if got := feed(t, buf, []int{k, len(buf)}); !reflect.DeepEqual(got, want) {
			t.Fatalf("split at %d: got %v want %v", k, got, want)
		}
	}
	// Every pair of split points.
	for i := 0; i <= len(buf); i++ {
		for j := i; j <= len(buf); j++ {
			if got := feed(t, buf, []int{i, j, len(buf)}); !reflect.DeepEqual(got, want) {
				t.Fatalf("splits at %d,%d: got %v want %v", i, j, got, want)
			}
		}
	}
	// Byte by byte.
	ends := make([]int, len(buf))
	for i := range ends {
		ends[i] = i + 1
	}
	if got := feed(t, buf, ends); !reflect.DeepEqual(got, want) {
		t.Fatalf("byte by byte: got %v want %v", got, want)
	}
}

// TestParseResumeMovedBuffer checks that an incomplete request may be passed
// again in another array (as after a reallocation).
func TestParseResumeMovedBuffer(t *testing.T) {
	full := []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n")
	var p Parser
	if args, n, err := p.Parse(full[:20]); args != nil || n != 0 || err != nil {
		t.Fatalf("got %q %d %v", args, n, err)
	}
	moved := append(make([]byte, 0, 100), full...)
	args, n, err := p.Parse(moved)
	if err != nil || n != len(full) || !reflect.DeepEqual(strs(args), []string{"SET", "k", "hello"}) {
		t.Fatalf("got %q %d %v", args, n, err)
	}
	if &args[0][0] != &moved[8] {
		t.Fatalf("args must point into the buffer passed last")
	}
}

// TestParseContractViolation: after an incomplete request, a shorter or
// unrelated buffer must not make Parse panic, and Reset restores a clean
// state.
func TestParseContractViolation(t *testing.T) {
	var p Parser
	p.Parse([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhel"))
	for _, b := range []string{"*1\r\n", "*", "PING\r\n", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"} {
		p.Parse([]byte(b)) // must not panic
	}
	p.Parse([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhel"))
	p.Reset()
	args, n, err := p.Parse([]byte("*2\r\n$1\r\na\r\n$1\r\nb\r\n"))
	if err != nil || n != 18 || !reflect.DeepEqual(strs(args), []string{"a", "b"}) {
		t.Fatalf("after Reset: %q %d %v", args, n, err)
	}
}

func TestParseArgsCapacityLimited(t *testing.T) {
	var p Parser
	buf := []byte("*2\r\n$1\r\na\r\n$1\r\nb\r\n")
	args, _, _ := p.Parse(buf)
	args[0] = append(args[0], 'X')
	if string(buf) != "*2\r\n$1\r\na\r\n$1\r\nb\r\n" {
		t.Fatalf("appending to an argument overwrote the buffer: %q", buf)
	}
}

func TestParseNoAllocSteadyState(t *testing.T) {
	buf := benchPipeline(100)
	var p Parser
	parseLoop := func() {
		b := buf
		for len(b) > 0 {
			_, n, err := p.Parse(b)
			if err != nil || n == 0 {
				panic("bad pipeline")
			}
			b = b[n:]
		}
	}
	parseLoop()
	if a := testing.AllocsPerRun(50, parseLoop); a != 0 {
		t.Errorf("Parse allocates %v times per pipeline; want 0", a)
	}
	inline := []byte("SET key \"quoted value\"\r\nGET key\r\n")
	inlineLoop := func() {
		b := inline
		for len(b) > 0 {
			_, n, _ := p.Parse(b)
			b = b[n:]
		}
	}
	inlineLoop()
	if a := testing.AllocsPerRun(50, inlineLoop); a != 0 {
		t.Errorf("inline Parse allocates %v times; want 0", a)
	}
}

// TestParseHugeDeclarations checks that declared sizes cost nothing until
// the data is there.
func TestParseHugeDeclarations(t *testing.T) {
	var p Parser
	p.Parse([]byte("*1\r\n$1\r\nx\r\n")) // warm up
	bigBulk := []byte("*1\r\n$536870912\r\n0123456789")
	if a := testing.AllocsPerRun(100, func() {
		p.Reset()
		if args, n, err := p.Parse(bigBulk); args != nil || n != 0 || err != nil {
			panic("expected incomplete")
		}
	}); a != 0 {
		t.Errorf("incomplete 512MB bulk allocates %v times; want 0", a)
	}

	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	for i := 0; i < 100; i++ {
		var q Parser
		q.Parse([]byte("*2147483647\r\n$3\r\nfoo\r\n$3\r\nbar\r\n"))
		q.Parse([]byte("*1\r\n$536870912\r\n0123456789"))
	}
	runtime.ReadMemStats(&ms1)
	if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 100*64*1024 {
		t.Errorf("huge declarations allocated %d bytes for 100 parsers", d)
	}
}

// TestParseLargeMultibulkLinear checks that a request with many arguments
// arriving in small reads is not re-parsed from its start every time.
func TestParseLargeMultibulkLinear(t *testing.T) {
	const nargs = 200000
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", nargs)
	for i := 0; i < nargs; i++ {
		fmt.Fprintf(&b, "$6\r\n%06d\r\n", i)
	}
	buf := b.Bytes()
	var p Parser
	calls := 0
	for k := 512; ; k += 512 {
		if k > len(buf) {
			k = len(buf)
		}
		calls++
		args, n, err := p.Parse(buf[:k])
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			if n != len(buf) || len(args) != nargs || string(args[nargs-1]) != fmt.Sprintf("%06d", nargs-1) {
				t.Fatalf("bad result: n=%d len=%d", n, len(args))
			}
			break
		}
	}
	if calls < 1000 {
		t.Fatalf("only %d calls", calls)
	}
}

func benchPipeline(pairs int) []byte {
	var b bytes.Buffer
	for i := 0; i < pairs; i++ {
		key := fmt.Sprintf("key:%08d", i)
		fmt.Fprintf(&b, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$16\r\nvalue-0123456789\r\n", len(key), key)
		fmt.Fprintf(&b, "*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", len(key), key)
	}
	return b.Bytes()
}

func BenchmarkParse(b *testing.B) {
	buf := benchPipeline(100)
	var p Parser
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		rest := buf
		for len(rest) > 0 {
			_, n, err := p.Parse(rest)
			if err != nil || n == 0 {
				b.Fatal("bad pipeline")
			}
			rest = rest[n:]
		}
	}
}

func BenchmarkParseInline(b *testing.B) {
	buf := bytes.Repeat([]byte("SET key:00000001 value-0123456789\r\nGET key:00000001\r\n"), 100)
	var p Parser
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		rest := buf
		for len(rest) > 0 {
			_, n, err := p.Parse(rest)
			if err != nil || n == 0 {
				b.Fatal("bad pipeline")
			}
			rest = rest[n:]
		}
	}
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"*3000000000\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n",
		"*1\r\nfoo\r\n",
		"$-10",
		"*1\r\n$2000000000\r\n",
		"*1\r\n$blabla\r\n",
		`set """test-key""" test-value` + "\r\n",
		"\x00",
		"*\x00",
		"$\x00",
		"*-10\r\n",
		"\r\n",
		"PING x y z\r\n",
		pipeline,
	}
	for i, s := range seeds {
		f.Add([]byte(s), false, uint8(i))
		f.Add([]byte(s), true, uint8(i))
	}
	f.Fuzz(func(t *testing.T, buf []byte, unauth bool, chunk uint8) {
		lim := Limits{MaxBulkLen: 1 << 20, Unauthenticated: unauth}
		orig := append([]byte(nil), buf...)
		p := &Parser{Limits: lim}
		args, n, err := p.Parse(buf)
		if !bytes.Equal(buf, orig) {
			t.Fatal("Parse modified its input")
		}
		if n < 0 || n > len(buf) {
			t.Fatalf("n=%d outside [0,%d]", n, len(buf))
		}
		if err != nil {
			if _, ok := err.(*ProtocolError); !ok || args != nil || n != 0 {
				t.Fatalf("bad error result %q %d %v", args, n, err)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error text %q contains a newline", err.Error())
			}
		} else if n == 0 && args != nil {
			t.Fatalf("incomplete with args %q", args)
		} else if n > 0 && args == nil {
			t.Fatalf("complete with nil args")
		}
		first := strs(args)

		// Re-parsing the consumed prefix gives the same request.
		if n > 0 {
			again, n2, err2 := (&Parser{Limits: lim}).Parse(buf[:n])
			if err2 != nil || n2 != n || !reflect.DeepEqual(strs(again), first) {
				t.Fatalf("prefix re-parse: %q %d %v; want %q %d", strs(again), n2, err2, first, n)
			}
		}

		// Feeding byte by byte gives the same outcome (the "too big"
		// checks depend on how much is buffered, so only below 64KB).
		if len(buf) <= InlineMaxSize {
			q := &Parser{Limits: lim}
			var (
				bargs [][]byte
				bn    int
				berr  error
			)
			for k := 0; k <= len(buf); k++ {
				bargs, bn, berr = q.Parse(buf[:k])
				if berr != nil || bn > 0 {
					break
				}
			}
			if (berr == nil) != (err == nil) || (err != nil && berr.Error() != err.Error()) ||
				bn != n || !reflect.DeepEqual(strs(bargs), first) {
				t.Fatalf("byte by byte: %q %d %v; whole: %q %d %v", strs(bargs), bn, berr, first, n, err)
			}
			// The whole stream, fed in chunks, gives the same requests.
			whole, wend := parseStream(lim, buf, []int{len(buf)})
			var ends []int
			step := int(chunk%32) + 1
			for k := step; k < len(buf); k += step {
				ends = append(ends, k)
			}
			ends = append(ends, len(buf))
			chunked, cend := parseStream(lim, buf, ends)
			if !reflect.DeepEqual(whole, chunked) || wend != cend {
				t.Fatalf("chunks of %d: %v (%s); whole: %v (%s)", step, chunked, cend, whole, wend)
			}
		}
	})
}

// parseStream parses the chunks of buf ending at ends like a connection
// would, and returns the requests and how the stream ended.
func parseStream(lim Limits, buf []byte, ends []int) ([]parsed, string) {
	p := &Parser{Limits: lim}
	var out []parsed
	var pending []byte
	prev := 0
	for _, end := range ends {
		pending = append(pending, buf[prev:end]...)
		prev = end
		for {
			args, n, err := p.Parse(pending)
			if err != nil {
				return out, "error " + err.Error()
			}
			if n == 0 {
				break
			}
			out = append(out, parsed{strs(args), n})
			pending = append(pending[:0], pending[n:]...)
		}
	}
	return out, fmt.Sprintf("%d bytes pending", len(pending))
}
