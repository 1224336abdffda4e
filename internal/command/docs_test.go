package command

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/resp"
)

func args(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, x := range s {
		out[i] = []byte(x)
	}
	return out
}

func TestDocsLoaded(t *testing.T) {
	for _, name := range []string{"get", "set", "config|get", "client|list", "xadd", "georadius_ro"} {
		if docFor(name) == nil {
			t.Errorf("no docs for %s", name)
		}
	}
	if docFor("sentinel") != nil || docFor("nosuch") != nil {
		t.Error("unexpected docs")
	}
	if g := docFor("zadd").Group; g != "sorted-set" {
		t.Errorf("zadd group %q", g)
	}
	if tok := docFor("set").Args[2].Args[0].Token; tok == nil || *tok != "NX" {
		t.Errorf("set NX token %v", tok)
	}
}

func TestLegacyKeyRange(t *testing.T) {
	for _, tc := range []struct {
		name              string
		first, last, step int
		movable           bool
	}{
		{"get", 1, 1, 1, false},
		{"mset", 1, -1, 2, false},
		{"mget", 1, -1, 1, false},
		{"lmove", 1, 2, 1, false},
		{"rename", 1, 2, 1, false},
		{"blpop", 1, -2, 1, false},
		{"zunionstore", 1, 1, 1, true},
		{"eval", 0, 0, 0, true},
		{"sort", 1, 1, 1, true},
		{"sort_ro", 1, 1, 1, true},
		{"migrate", 3, 3, 1, true},
		{"georadius", 1, 1, 1, true},
		{"georadius_ro", 1, 1, 1, false},
		{"xread", 0, 0, 0, true},
		{"memory|usage", 2, 2, 1, false},
		{"ping", 0, 0, 0, false},
		{"bitfield", 1, 1, 1, false},
	} {
		d := docFor(tc.name)
		if d == nil {
			t.Errorf("%s: no docs", tc.name)
			continue
		}
		if d.first != tc.first || d.last != tc.last || d.step != tc.step || d.movable != tc.movable {
			t.Errorf("%s: got %d %d %d movable=%v, want %d %d %d movable=%v", tc.name,
				d.first, d.last, d.step, d.movable, tc.first, tc.last, tc.step, tc.movable)
		}
	}
}

func keyPositions(keys []keyRef) string {
	var b []string
	for _, k := range keys {
		b = append(b, strconv.Itoa(k.pos))
	}
	return strings.Join(b, ",")
}

func TestKeysFromSpecs(t *testing.T) {
	many := []string{"zunionstore", "target", "260"}
	want := []string{"1"}
	for i := 0; i < 260; i++ {
		many = append(many, "k"+strconv.Itoa(i))
		want = append(want, strconv.Itoa(3+i))
	}
	for _, tc := range []struct {
		args []string
		want string
		ok   bool
	}{
		{[]string{"get", "k"}, "1", true},
		{[]string{"mset", "a", "1", "b", "2"}, "1,3", true},
		{[]string{"lmove", "a", "b", "left", "right"}, "1,2", true},
		{[]string{"blpop", "a", "b", "0"}, "1,2", true},
		{[]string{"eval", "return 1", "2", "a", "b", "x"}, "3,4", true},
		{[]string{"eval", "return 1", "0"}, "", false},
		{[]string{"eval", "return 1", "3", "a"}, "", false},
		{[]string{"xread", "count", "2", "streams", "s1", "s2", "0", "0"}, "4,5", true},
		{[]string{"georadius", "k", "0", "0", "1", "km", "store", "dst"}, "1,7", true},
		{[]string{"memory", "usage", "key"}, "2", true},
		{[]string{"xgroup", "create", "key", "groupname", "$"}, "2", true},
		{[]string{"lcs", "key1", "key2"}, "1,2", true},
		{many, strings.Join(want, ","), true},
		{[]string{"zinterstore", "dst", "2", "a", "b", "weights", "1", "2"}, "1,3,4", true},
		{[]string{"migrate", "h", "1", "", "0", "5000", "keys", "a", "b"}, "", false}, // incomplete spec
	} {
		name := tc.args[0]
		if len(tc.args) > 1 && (name == "memory" || name == "xgroup") {
			name += "|" + tc.args[1]
		}
		d := docFor(name)
		keys, ok := d.keysFromSpecs(args(tc.args...), false)
		if ok != tc.ok || (ok && keyPositions(keys) != tc.want) {
			t.Errorf("%q: got %s ok=%v, want %s ok=%v", tc.args, keyPositions(keys), ok, tc.want, tc.ok)
		}
	}
	// Partial mode keeps what the complete specs found.
	keys, _ := docFor("sort").keysFromSpecs(args("sort", "k", "store", "dst"), true)
	if keyPositions(keys) != "1" { // the STORE spec is "unknown"
		t.Errorf("sort partial: %s", keyPositions(keys))
	}
}

func TestNativeGetKeys(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"set", "k", "v"}, "1:OW,UPDATE"},
		{[]string{"set", "k", "v", "GET"}, "1:RW,ACCESS,UPDATE"},
		{[]string{"bitfield", "k", "get", "u8", "0"}, "1:RO,ACCESS"},
		{[]string{"bitfield", "k", "set", "u8", "0", "1"}, "1:RW,ACCESS,UPDATE"},
		{[]string{"sort", "k", "limit", "0", "1", "by", "store", "store", "dst"}, "1:RO,ACCESS 8:OW,UPDATE"},
		{[]string{"sort", "k"}, "1:RO,ACCESS"},
		{[]string{"migrate", "h", "1", "k", "0", "5000"}, "3:RW,ACCESS,DELETE"},
		{[]string{"migrate", "h", "1", "", "0", "5000", "auth", "pw", "keys", "a", "b"}, "9:RW,ACCESS,DELETE 10:RW,ACCESS,DELETE"},
	} {
		var parts []string
		for _, k := range nativeGetKeys[tc.args[0]](args(tc.args...)) {
			parts = append(parts, strconv.Itoa(k.pos)+":"+strings.Join(k.flags, ","))
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("%q: got %s want %s", tc.args, got, tc.want)
		}
	}
}

// TestRegisteredCommandsMatchRedis compares what each registered command
// declares (arity, flags, key positions) with Redis 7.0's table. The
// differences are logged, not failed: the registrations belong to the
// command groups, and COMMAND INFO reports what the server actually does.
// Set COMMAND_TABLE_STRICT=1 to fail on them.
func TestRegisteredCommandsMatchRedis(t *testing.T) {
	strict := os.Getenv("COMMAND_TABLE_STRICT") != ""
	report := t.Logf
	if strict {
		report = t.Errorf
	}
	table := Table()
	var check func(c *core.Command)
	check = func(c *core.Command) {
		d := docFor(c.Name)
		if d == nil {
			report("%s: not a Redis 7.0 command", c.Name)
			return
		}
		if c.Arity != d.Arity {
			report("%s: arity %d, Redis %d", c.Name, c.Arity, d.Arity)
		}
		ours := strings.Join(commandFlagNames(c), " ")
		theirs := strings.Join(redisFlagNames(d), " ")
		if ours != theirs {
			report("%s: flags [%s], Redis [%s]", c.Name, ours, theirs)
		}
		if c.KeysFunc == nil && (d.first != c.FirstKey || (d.first != 0 && (d.last != c.LastKey || d.step != c.Step))) {
			report("%s: keys %d %d %d, Redis %d %d %d", c.Name, c.FirstKey, c.LastKey, c.Step, d.first, d.last, d.step)
		}
		for _, sub := range sortedCommands(c.Subcommands) {
			check(sub)
		}
	}
	for _, c := range sortedCommands(table) {
		check(c)
	}
}

// redisFlagNames lists the flags Redis's COMMAND INFO shows for d.
func redisFlagNames(d *cmdDoc) []string {
	var out []string
	for _, f := range []string{"write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript",
		"blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth",
		"no_mandatory_keys", "no_async_loading", "no_multi", "movablekeys", "allow_busy"} {
		if d.hasFlag(f) || (f == "movablekeys" && d.movable) {
			out = append(out, f)
		}
	}
	return out
}

// docFlags maps Redis's command flags to the executor's.
var docFlags = map[string]core.Flag{
	"write": core.FlagWrite, "readonly": core.FlagReadOnly, "denyoom": core.FlagDenyOOM,
	"admin": core.FlagAdmin, "pubsub": core.FlagPubSub, "noscript": core.FlagNoScript,
	"blocking": core.FlagBlocking, "loading": core.FlagLoading, "stale": core.FlagStale,
	"skip_monitor": core.FlagSkipMonitor, "skip_slowlog": core.FlagSkipSlowlog, "fast": core.FlagFast,
	"no_auth": core.FlagNoAuth, "may_replicate": core.FlagMayReplicate, "no_multi": core.FlagNoMulti,
	"allow_busy": core.FlagAllowBusy, "protected": core.FlagProtected,
}

// render runs fn with a Ctx writing to a fresh writer and returns the bytes.
func render(proto int, fn func(ctx *core.Ctx)) string {
	ctx := &core.Ctx{W: &resp.Writer{Proto: proto}}
	fn(ctx)
	return string(ctx.W.Bytes())
}

// TestDocsAgainstOracle renders COMMAND INFO and COMMAND DOCS for every
// command of a real Redis 7.0 (SERVER_ORACLE=host:port) from the generated
// table and compares the bytes, in RESP2 and RESP3.
func TestDocsAgainstOracle(t *testing.T) {
	addr := os.Getenv("SERVER_ORACLE")
	if addr == "" {
		t.Skip("SERVER_ORACLE not set")
	}
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	r := bufio.NewReader(nc)
	do := func(a ...string) resp.Value {
		t.Helper()
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(a))
		for _, x := range a {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(x), x)
		}
		_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := nc.Write([]byte(b.String())); err != nil {
			t.Fatal(err)
		}
		v, err := resp.ReadReply(r)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	raw := func(a ...string) string {
		t.Helper()
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(a))
		for _, x := range a {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(x), x)
		}
		_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := nc.Write([]byte(b.String())); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		var one func()
		one = func() {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			out.WriteString(line)
			n, _ := strconv.Atoi(line[1 : len(line)-2])
			switch line[0] {
			case '$', '=':
				if n >= 0 {
					buf := make([]byte, n+2)
					if _, err := ioReadFull(r, buf); err != nil {
						t.Fatal(err)
					}
					out.Write(buf)
				}
			case '*', '~':
				for i := 0; i < n; i++ {
					one()
				}
			case '%':
				for i := 0; i < 2*n; i++ {
					one()
				}
			}
		}
		one()
		return out.String()
	}
	var names []string
	for _, v := range do("COMMAND", "LIST").Array {
		names = append(names, v.Str)
	}
	sort.Strings(names)
	hasSubs := map[string]bool{}
	for _, n := range names {
		if p, _, ok := strings.Cut(n, "|"); ok {
			hasSubs[p] = true
		}
	}
	for _, proto := range []int{2, 3} {
		do("HELLO", strconv.Itoa(proto))
		checked := 0
		for _, n := range names {
			if hasSubs[n] {
				continue // subcommand order is Redis's hash order
			}
			d := docFor(n)
			if d == nil {
				t.Errorf("%s: missing from commanddocs.json", n)
				continue
			}
			cmd := &core.Command{Name: n, Arity: d.Arity}
			for _, f := range d.Flags {
				cmd.Flags |= docFlags[f]
			}
			got := render(proto, func(ctx *core.Ctx) {
				ctx.W.ArrayLen(1)
				writeCommandInfo(ctx, cmd)
			})
			if want := raw("COMMAND", "INFO", n); got != want {
				t.Errorf("RESP%d COMMAND INFO %s:\n got %q\nwant %q", proto, n, got, want)
			}
			got = render(proto, func(ctx *core.Ctx) {
				ctx.W.MapLen(1)
				ctx.W.BulkString(n)
				writeCommandDocs(ctx, cmd)
			})
			if want := raw("COMMAND", "DOCS", n); got != want {
				t.Errorf("RESP%d COMMAND DOCS %s:\n got %q\nwant %q", proto, n, got, want)
			}
			checked++
		}
		if checked < 300 {
			t.Errorf("only %d commands checked", checked)
		}
	}
}

func ioReadFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
