package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// These tests need no redis-server; the expected texts were taken from
// redis-server 7.0.15 (see diff_test.go for the live comparisons).

func TestParseErrorText(t *testing.T) {
	cases := []struct{ conf, want string }{
		{"port 7791\nfoo bar\n", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'foo bar'\nBad directive or wrong number of arguments\n"},
		{"port abc", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'port abc'\nargument couldn't be parsed into an integer\n"},
		{"  port 70000  ", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'port 70000'\nargument must be between 0 and 65535 inclusive\n"},
		{"# c\nappendonly maybe", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'appendonly maybe'\nargument must be 'yes' or 'no'\n"},
		{"maxmemory 1xb", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'maxmemory 1xb'\nargument must be a memory value\n"},
		{`bind "a`, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'bind \"a'\nUnbalanced quotes in configuration line\n"},
		{"save 1 2 3", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'save 1 2 3'\nInvalid save parameters\n"},
		{"port 1 2", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'port 1 2'\nwrong number of arguments\n"},
		{"maxmemory-policy foo", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'maxmemory-policy foo'\nargument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\n"},
		{"logfile /nonexistent/dir/x.log", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n"},
		{"dir /nonexistent-dir", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'dir /nonexistent-dir'\nNo such file or directory\n"},
		{"mode fast", "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 1\n>>> 'mode fast'\nargument(s) must be one of the following: eventloop, threaded\n"},
	}
	for _, tc := range cases {
		err := Default().LoadString(tc.conf)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: err = %v, want a *ParseError", tc.conf, err)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.conf, err.Error(), tc.want)
		}
	}
}

func TestLoadFileValues(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "inc.conf")
	os.WriteFile(inc, []byte("maxmemory 2mb\n"), 0o644)
	conf := "# comment\nPORT 7000\nbind 127.0.0.1 ::1\nsave 60 1\nsave '30 2'\nmaxmemory 1gb\n" +
		"include " + inc + "\nappendonly no\nhz 1000\nnotify-keyspace-events KExg\n" +
		"slave-read-only no\nhash-max-ziplist-entries 7\nmode threaded\nsnapshot-format json\n" +
		"dir " + dir + "\nclient-output-buffer-limit replica 1mb 2k 3\nrequirepass \"p w\"\n" +
		"list-max-ziplist-entries 3\nrename-command KEYS \"\"\nuser alice on\nloadmodule /x.so\n" +
		"daemonize yes\nmymodule.opt 1\nshutdown-on-sigterm nosave now\n"
	path := filepath.Join(dir, "redis.conf")
	os.WriteFile(path, []byte(conf), 0o644)
	c := Default()
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if c.File() != path {
		t.Errorf("File() = %q", c.File())
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !equalAny(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("Port", c.Port, 7000)
	check("Bind", c.Bind, []string{"127.0.0.1", "::1"})
	check("Save", c.Save, []SavePoint{{60, 1}, {30, 2}})
	check("MaxMemory", c.MaxMemory, uint64(2*1024*1024))
	check("AppendOnly", c.AppendOnly, false)
	check("Hz", c.Hz, 500)
	check("NotifyKeyspaceEvents", c.NotifyKeyspaceEvents, "gxKE")
	check("NotifyKeyspaceFlags", c.NotifyKeyspaceFlags, NotifyKeyspace|NotifyKeyevent|NotifyGeneric|NotifyExpired)
	check("ReplicaReadOnly", c.ReplicaReadOnly, false)
	check("HashMaxListpackEntries", c.HashMaxListpackEntries, 7)
	check("Mode", c.Mode, "threaded")
	check("SnapshotFormat", c.SnapshotFormat, "json")
	check("Dir", c.Dir, dir)
	check("ClientOutputBufferLimit", c.ClientOutputBufferLimit[ClientReplica], ClientBufferLimit{1024 * 1024, 2000, 3})
	check("RequirePass", c.RequirePass, "p w")
	check("RenameCommands", c.RenameCommands, [][2]string{{"KEYS", ""}})
	check("ShutdownOnSigterm", c.ShutdownOnSigterm, ShutdownNoSave|ShutdownNow)
	// slave-read-only is an alias of a directive we implement.
	check("Unsupported", c.Unsupported(), []string{"list-max-ziplist-entries",
		"rename-command", "user", "loadmodule", "daemonize", "mymodule.opt"})
	if v, _ := c.Value("slave-read-only"); v != "no" {
		t.Errorf("slave-read-only = %q", v)
	}
	c.SetImplemented("slave-serve-stale-data", true)
	c.SetImplemented("rename-command", true)
	c.SetImplemented("daemonize", false)
	check("Unsupported after SetImplemented", c.Unsupported(), []string{"list-max-ziplist-entries",
		"user", "loadmodule", "daemonize", "mymodule.opt"})
	if !c.implemented("replica-serve-stale-data") {
		t.Error("SetImplemented on an alias")
	}
}

func equalAny(a, b any) bool {
	switch x := a.(type) {
	case []string:
		return slices.Equal(x, b.([]string))
	case []SavePoint:
		return slices.Equal(x, b.([]SavePoint))
	case [][2]string:
		return slices.Equal(x, b.([][2]string))
	}
	return a == b
}

func TestArgvForms(t *testing.T) {
	cases := []struct {
		args []string
		want map[string]string
	}{
		{[]string{"--port", "7000", "--save", "", "--appendonly", "yes"},
			map[string]string{"port": "7000", "save": "", "appendonly": "yes"}},
		{[]string{"--save", "900", "1", "300", "10", "--maxmemory", "1mb"},
			map[string]string{"save": "900 1 300 10", "maxmemory": "1048576"}},
		{[]string{"--save"}, map[string]string{"save": ""}},
		{[]string{"--save", "--port", "1"}, map[string]string{"save": "", "port": "1"}},
		{[]string{"--save", "10 1", "--save", "20 2"}, map[string]string{"save": "10 1 20 2"}},
		{[]string{"--port=7001", "--mode=threaded", "--save="}, map[string]string{"port": "7001", "mode": "threaded", "save": ""}},
		{[]string{"--mode", "threaded"}, map[string]string{"mode": "threaded"}},
		{[]string{"--requirepass", "a \"b\"\n"}, map[string]string{"requirepass": "a \"b\"\n"}},
		{[]string{"--port 7002"}, map[string]string{"port": "7002"}},
		{[]string{"--bind", "127.0.0.1", "::1"}, map[string]string{"bind": "127.0.0.1 ::1"}},
		{[]string{"--bind", "127.0.0.1 ::1"}, map[string]string{"bind": "127.0.0.1 ::1"}},
		{[]string{"--client-output-buffer-limit", "pubsub", "1", "2", "3"},
			map[string]string{"client-output-buffer-limit": "normal 0 0 0 slave 268435456 67108864 60 pubsub 1 2 3"}},
	}
	for _, tc := range cases {
		c := Default()
		if err := c.ApplyArgs(tc.args); err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		for k, want := range tc.want {
			if got, _ := c.Value(k); got != want {
				t.Errorf("%q: %s = %q, want %q", tc.args, k, got, want)
			}
		}
	}

	// Options continue the file: save lines accumulate, line numbers go on.
	c := Default()
	if err := c.LoadString("save 900 1\nsave 300 10\n"); err != nil {
		t.Fatal(err)
	}
	if err := c.ApplyArgs([]string{"--save", "60", "100"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Value("save"); v != "900 1 300 10 60 100" {
		t.Errorf("save = %q", v)
	}
	err := Default().ApplyArgs([]string{"--port", "abc"})
	want := "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n"
	if err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
	// Our --name=value extension still reports unknown names.
	err = Default().ApplyArgs([]string{"--foo=bar"})
	if err == nil || !strings.Contains(err.Error(), ">>> 'foo \"bar\"'\nBad directive") {
		t.Errorf("--foo=bar: %v", err)
	}
}

func TestLoadArgs(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.conf")
	os.WriteFile(path, []byte("port 1\nport 2\n"), 0o644)
	c := Default()
	if err := c.LoadArgs([]string{path, "--port", "3", "-"}, strings.NewReader("maxmemory 5\n")); err != nil {
		t.Fatal(err)
	}
	if c.Port != 3 || c.MaxMemory != 5 || c.File() != path {
		t.Errorf("port %d maxmemory %d file %q", c.Port, c.MaxMemory, c.File())
	}
	err := Default().LoadArgs([]string{path, "--port", "abc"}, nil)
	if err == nil || !strings.Contains(err.Error(), "at line 4\n>>> 'port \"abc\"'") {
		t.Errorf("got %v", err)
	}
	c = Default()
	if err := c.LoadArgs([]string{"-", "--hz", "20"}, strings.NewReader("hz 5\ndatabases 4")); err != nil {
		t.Fatal(err)
	}
	if c.Hz != 20 || c.Databases != 4 || c.File() != "" {
		t.Errorf("hz %d databases %d file %q", c.Hz, c.Databases, c.File())
	}
}

func TestGet(t *testing.T) {
	c := Default()
	names := func(kvs [][2]string) []string {
		var out []string
		for _, kv := range kvs {
			out = append(out, kv[0])
		}
		return out
	}
	if got := names(c.Get("*max*ziplist*")); !slices.Equal(got, []string{"list-max-ziplist-size",
		"hash-max-ziplist-entries", "zset-max-ziplist-entries", "hash-max-ziplist-value", "zset-max-ziplist-value"}) {
		t.Errorf("*max*ziplist* = %q", got)
	}
	if got := c.Get("SLAVEOF"); len(got) != 1 || got[0] != [2]string{"SLAVEOF", ""} {
		t.Errorf("SLAVEOF = %q", got)
	}
	if got := c.Get("P*RT"); len(got) != 1 || got[0] != [2]string{"port", "6379"} {
		t.Errorf("P*RT = %q", got)
	}
	if got := c.GetMany([]string{"PORT", "port", "p?rt"}); len(got) != 1 || got[0][0] != "PORT" {
		t.Errorf("PORT port p?rt = %q", got)
	}
	if got := c.Get("*watchdog*"); len(got) != 0 {
		t.Errorf("hidden matched by a pattern: %q", got)
	}
	if got := c.Get("watchdog-period"); len(got) != 1 {
		t.Errorf("hidden by exact name: %q", got)
	}
	if got := c.GetMany([]string{"maxmemory", "maxmemory", "maxmemory*"}); len(got) != 5 {
		t.Errorf("maxmemory*: %q", got)
	}
	want := map[string]string{
		"bind":                              "* -::*",
		"client-output-buffer-limit":        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
		"save":                              "900 1 300 10 60 10000",
		"proto-max-bulk-len":                "536870912",
		"unixsocketperm":                    "0",
		"oom-score-adj-values":              "0 200 800",
		"latency-tracking-info-percentiles": "50 99 99.9",
		"appendfsync":                       "everysec",
		"mode":                              "eventloop",
		"snapshot-format":                   "rdb",
		"dbfilename":                        "dump.rdb",
	}
	for k, v := range want {
		if got, _ := c.Value(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if _, ok := c.Value("nope"); ok {
		t.Error("Value(nope) ok")
	}
}

func TestSetErrorsAndAtomicity(t *testing.T) {
	c := Default()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"foo", "bar"}, "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"},
		{[]string{"maxmemory", "1xb"}, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"},
		{[]string{"daemonize", "yes"}, "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"},
		{[]string{"dir", "/tmp"}, "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config"},
		{[]string{"MAXMEMORY", "1", "maxmemory", "2"}, "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter"},
		{[]string{"maxmemory", "1", "port"}, "ERR syntax error"},
		{[]string{"maxmemory"}, "ERR wrong number of arguments for 'config|set' command"},
		{[]string{"mode", "threaded"}, "ERR CONFIG SET failed (possibly related to argument 'mode') - can't set immutable config"},
		{[]string{"hash-max-ziplist-entries", "-1"}, "ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - argument must be between 0 and 9223372036854775807 inclusive"},
	}
	for _, tc := range cases {
		err := c.Set(tc.args)
		var re ReplyError
		if !errors.As(err, &re) || err.Error() != tc.want {
			t.Errorf("%q: got %v, want %q", tc.args, err, tc.want)
		}
	}
	// All or nothing.
	if err := c.Set([]string{"maxmemory", "5", "save", "1 1", "hz", "abc"}); err == nil {
		t.Fatal("no error")
	}
	if c.MaxMemory != 0 || getSave(c) != "900 1 300 10 60 10000" {
		t.Errorf("not rolled back: maxmemory %d save %q", c.MaxMemory, getSave(c))
	}

	// Callbacks run once per changed directive, after all values are set;
	// a failing one rolls everything back and the callbacks run again.
	var calls []string
	c.OnChange("port", func() error {
		calls = append(calls, "port:"+itoa(c.Port))
		if c.Port == 1 {
			return errors.New("Unable to listen on this port. Check server logs.")
		}
		return nil
	})
	c.OnChange("slave-read-only", func() error { calls = append(calls, "ro:"+yesno(c.ReplicaReadOnly)); return nil })
	if err := c.Set([]string{"replica-read-only", "no", "port", "7000"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(calls, []string{"ro:no", "port:7000"}) {
		t.Errorf("calls = %q", calls)
	}
	calls = nil
	if err := c.Set([]string{"port", "7000", "maxmemory", "9"}); err != nil || len(calls) != 0 {
		t.Errorf("unchanged value ran callbacks: %v %q", err, calls)
	}
	err := c.Set([]string{"replica-read-only", "yes", "port", "1", "maxmemory", "10"})
	want := "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs."
	if err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
	if c.Port != 7000 || c.ReplicaReadOnly || c.MaxMemory != 9 {
		t.Errorf("not rolled back: port %d ro %v maxmemory %d", c.Port, c.ReplicaReadOnly, c.MaxMemory)
	}
	if !slices.Equal(calls, []string{"ro:yes", "port:1", "ro:no", "port:7000"}) {
		t.Errorf("calls = %q", calls)
	}

	// Protected configs.
	p := Default()
	if err := p.LoadString("enable-protected-configs local"); err != nil {
		t.Fatal(err)
	}
	if err := p.Set([]string{"dbfilename", "x.rdb"}); err == nil {
		t.Error("remote client set a protected config")
	}
	if err := p.SetWith([]string{"dbfilename", "x.rdb"}, SetOptions{Local: true}); err != nil || p.DBFilename != "x.rdb" {
		t.Errorf("local: %v %q", err, p.DBFilename)
	}
	if err := p.SetWith([]string{"appendonly", "no"}, SetOptions{Loading: true}); err != ErrLoading {
		t.Errorf("loading: %v", err)
	}
	if err := p.SetWith([]string{"dir", t.TempDir()}, SetOptions{Local: true}); err != nil {
		t.Errorf("dir: %v", err)
	}
	if !Sensitive("REQUIREPASS") || Sensitive("port") || !Known("slaveof") || Known("nope") {
		t.Error("Sensitive/Known")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func yesno(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func TestRewrite(t *testing.T) {
	if err := Default().Rewrite(""); err != ErrNoConfigFile {
		t.Errorf("no file: %v", err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "redis.conf")
	conf := "# top\nport 7000\ndir " + dir + "\nsave 900 1\nsave 300 10\n\n\nslave-read-only no\n" +
		"list-max-ziplist-entries 5\nrename-command KEYS \"\"\nmaxmemory 1mb\nmaxmemory 2mb\n" +
		"user alice on >x ~* +@all\nloglevel notice\npidfile \"\"\n"
	os.WriteFile(path, []byte(conf), 0o644)
	c := Default()
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if err := c.Set([]string{"save", "60 5", "maxmemory", "3gb", "notify-keyspace-events", "KEA",
		"requirepass", "pw", "slave-read-only", "yes", "maxmemory-policy", "allkeys-lru"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Rewrite(""); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "# top\nport 7000\ndir " + repr(dir) + "\nsave 60 5\n\nreplica-read-only yes\n" +
		"# ??? list-max-ziplist-entries 5\nrename-command KEYS \"\"\nmaxmemory 3gb\n\n" +
		"user alice on >x ~* +@all\nloglevel notice\n\n" +
		"# Generated by CONFIG REWRITE\n" +
		"requirepass \"pw\"\nmaxmemory-policy allkeys-lru\n" +
		"notify-keyspace-events \"AKE\"\n" +
		"latency-tracking-info-percentiles 50 99 99.9\n" +
		"user default on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* &* +@all\n"
	if string(got) != want {
		t.Errorf("rewritten file:\n%s\nwant:\n%s", got, want)
	}
	// A second rewrite changes nothing (but, as in Redis, the file's final
	// newline reads as one more empty line), and the file loads back.
	if err := c.Rewrite(""); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(path)
	if string(again) != want+"\n" {
		t.Errorf("second rewrite:\n%s", again)
	}
	c2 := Default()
	if err := c2.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	for _, kv := range c.Get("*") {
		if v, _ := c2.Value(kv[0]); v != kv[1] {
			t.Errorf("reloaded %s = %q, want %q", kv[0], v, kv[1])
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	// Rewriting to a missing file creates it; an unwritable one fails.
	fresh := filepath.Join(dir, "new.conf")
	if err := c.Rewrite(fresh); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(fresh); !strings.HasPrefix(string(b), "# Generated by CONFIG REWRITE\nrequirepass \"pw\"\n") {
		t.Errorf("fresh file:\n%s", b)
	}
	err := c.Rewrite(filepath.Join(dir, "missing", "x.conf"))
	if err == nil || err.Error() != "ERR Rewriting config file: No such file or directory" {
		t.Errorf("missing dir: %v", err)
	}
}

// TestDebianConf loads the redis.conf shipped by Debian's redis-server
// package unchanged.
func TestDebianConf(t *testing.T) {
	const path = "/etc/redis/redis.conf"
	if _, err := os.ReadFile(path); err != nil {
		t.Skipf("%s not readable: %v", path, err)
	}
	c := Default()
	if err := c.LoadFile(path); err != nil {
		t.Fatalf("%v", err)
	}
	if got := getBind(c); got != "127.0.0.1 -::1" {
		t.Errorf("bind = %q", got)
	}
	if c.Port != 6379 || c.Dir != "/var/lib/redis" || c.AppendOnly || c.LogFile != "/var/log/redis/redis-server.log" {
		t.Errorf("port %d dir %q appendonly %v logfile %q", c.Port, c.Dir, c.AppendOnly, c.LogFile)
	}
	if getSave(c) != "900 1 300 10 60 10000" { // Debian's file has no save line
		t.Errorf("save = %q", getSave(c))
	}
	u := c.Unsupported()
	for _, name := range []string{"daemonize", "tcp-backlog", "always-show-logo", "repl-diskless-sync", "jemalloc-bg-thread"} {
		if !slices.Contains(u, name) {
			t.Errorf("Unsupported() lacks %s: %q", name, u)
		}
	}
	for _, name := range []string{"port", "bind", "dir", "save", "appendonly", "maxmemory", "loglevel", "hz"} {
		if slices.Contains(u, name) {
			t.Errorf("Unsupported() has %s", name)
		}
	}
}

func TestParsers(t *testing.T) {
	mem := map[string]uint64{"": 0, "0": 0, "1": 1, "1k": 1000, "1kb": 1024, "1KB": 1024, "2m": 2000000,
		"2mb": 2 << 20, "3g": 3000000000, "3gb": 3 << 30, "5b": 5, "kb": 0,
		"99999999999999999999": 1<<64 - 1}
	for s, want := range mem {
		if got, ok := Memtoull(s); !ok || got != want {
			t.Errorf("Memtoull(%q) = %d %v, want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"-1", "1x", "+1", " 1", "1 kb", "1kbb"} {
		if _, ok := Memtoull(s); ok {
			t.Errorf("Memtoull(%q) ok", s)
		}
	}
	for s, want := range map[string]string{"a": `"a"`, "a\"b\\": `"a\"b\\"`, "\n\r\t\a\b\x01\xff": `"\n\r\t\a\b\x01\xff"`} {
		if got := repr(s); got != want {
			t.Errorf("repr(%q) = %s, want %s", s, got, want)
		}
	}
	for v, want := range map[int64]string{0: "0", 1024: "1kb", 1 << 20: "1mb", 3 << 30: "3gb", 1000: "1000", -1: "-1"} {
		if got := formatMemory(v); got != want {
			t.Errorf("formatMemory(%d) = %q, want %q", v, got, want)
		}
	}
	if f, ok := KeyspaceEventFlags("KEA"); !ok || KeyspaceEventString(f) != "AKE" {
		t.Errorf("KEA -> %q", KeyspaceEventString(f))
	}
}

func FuzzLoadString(f *testing.F) {
	for _, s := range fileErrorCases {
		f.Add(s)
	}
	f.Add("save 900 1\nsave 300 10\nbind 1.2.3.4\nclient-output-buffer-limit normal 1 2 3\n")
	f.Add("latency-tracking-info-percentiles \"1 2 3\"\noom-score-adj-values 1 2 3\nslaveof a 1\n")
	f.Fuzz(func(t *testing.T, text string) {
		if strings.Contains(strings.ToLower(text), "include") {
			t.Skip() // could read any file, including /dev/zero
		}
		c := Default()
		err := c.LoadString(text)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "\n*** FATAL CONFIG FILE ERROR") {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
		}
		_ = c.Get("*")
		_ = c.Unsupported()
	})
}

func FuzzSet(f *testing.F) {
	for _, args := range setCases {
		if len(args) >= 2 {
			f.Add(args[0], args[1])
		}
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		if strings.EqualFold(name, "dir") {
			t.Skip()
		}
		c := Default()
		c.SetImplemented(name, true)
		err := c.SetWith([]string{name, value}, SetOptions{Local: true})
		if err != nil {
			var re ReplyError
			if !errors.As(err, &re) {
				t.Fatalf("error type %T", err)
			}
			return
		}
		// A value that was accepted reads back and is accepted again.
		got, ok := c.Value(name)
		if !ok {
			t.Fatalf("set unknown %q", name)
		}
		if e := lookup[strings.ToLower(name)]; e.d.flags&fImmutable == 0 {
			if err := c.Set([]string{name, got}); err != nil && !strings.Contains(err.Error(), "protected") {
				t.Fatalf("CONFIG SET %s %q (read back from %q): %v", name, got, value, err)
			}
		}
	})
}
