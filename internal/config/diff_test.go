package config

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Differential tests: the same input fed to redis-server 7.0 and to this
// package must give the same values, errors and files.

// divergent are directives whose values differ from Redis's on purpose or
// because of how the oracle is started.
var divergent = map[string]bool{
	"port": true, "bind": true, "dir": true, "daemonize": true, "pidfile": true,
	"appendonly": true, "save": true, "logfile": true,
}

func TestDefaultsMatchRedis(t *testing.T) {
	o := startOracle(t, "")
	theirs := o.getAll("*")
	ours := map[string]string{}
	for _, kv := range Default().Get("*") {
		ours[kv[0]] = kv[1]
	}
	if len(theirs) < 150 {
		t.Fatalf("oracle returned only %d directives", len(theirs))
	}
	for name, want := range theirs {
		got, ok := ours[name]
		if !ok {
			t.Errorf("%s: unknown to us", name)
			continue
		}
		if divergent[name] {
			continue
		}
		if got != want {
			t.Errorf("%s = %q, redis %q", name, got, want)
		}
	}
	for name := range ours {
		if _, ok := theirs[name]; !ok && name != "mode" && name != "snapshot-format" {
			t.Errorf("%s: reported by us, not by redis", name)
		}
	}
	// Hidden directives answer exact names only.
	for _, name := range []string{"watchdog-period", "use-exit-on-panic", "rdb-key-save-delay",
		"key-load-delay", "loading-process-events-interval-bytes", "lua-enable-deprecated-api"} {
		want := o.getAll(name)[name]
		got, _ := Default().Value(name)
		if got != want {
			t.Errorf("%s = %q, redis %q", name, got, want)
		}
	}
	// The project's own defaults.
	d := Default()
	if v, _ := d.Value("save"); v != "900 1 300 10 60 10000" {
		t.Errorf("save = %q", v)
	}
	if v, _ := d.Value("appendonly"); v != "yes" {
		t.Errorf("appendonly = %q", v)
	}
	if d.Dir != defaultDir() || !filepath.IsAbs(d.Dir) || filepath.Base(d.Dir) != "data" {
		t.Errorf("dir = %q", d.Dir)
	}
}

// fileErrorCases are configuration texts, most of them wrong.
var fileErrorCases = []string{
	"port 7791\nfoo bar\n", "port abc", "port 70000", "port 1 2", "port", "appendonly maybe",
	"APPENDONLY Yes", "maxmemory 1xb", "maxmemory -1", "maxmemory 1KB", "save 1 2 3", "save 0 1",
	"save 1 -1", "save a b", "save ''\nsave 5", `bind "a`, `port "1"x`, "maxmemory-policy foo",
	"notify-keyspace-events Q", "hash-max-ziplist-entries -1", "client-output-buffer-limit foo 1 1 1",
	"client-output-buffer-limit normal 1 1", "client-output-buffer-limit normal 1 1 x",
	"client-output-buffer-limit master 1 1 1", "client-output-buffer-limit 'normal 1 1 1 pubsub 2'",
	"oom-score-adj-values 1 2", "oom-score-adj-values 1 2 3000", "oom-score-adj-values '1 2 x'",
	"replicaof a", "replicaof a b", "replicaof a 70000", "slaveof a -1", "maxmemory-clients 200%",
	"maxmemory-clients -1", "maxmemory-clients x%", "shutdown-on-sigint save nosave",
	"shutdown-on-sigint", "shutdown-on-sigint foo", "shutdown-on-sigterm 'now force' bad",
	"unixsocketperm 999", "unixsocketperm 1000", "unixsocketperm -1", "rename-command",
	"sentinel monitor x", "foo.bar", "user", "include", "loadmodule", "dbfilename a/b",
	"appendfilename ''", "appenddirname a/b", "activedefrag yes", "proc-title-template {x}",
	"proc-title-template '{title}'", "proc-title-template '{'", "cluster-announce-hostname a_b",
	"latency-tracking-info-percentiles 101", "latency-tracking-info-percentiles abc",
	"latency-tracking-info-percentiles '1 nan'", "hz abc", "maxclients 0", "maxclients 4294967296",
	"databases 0", "list-max-ziplist-entries 1 2", "lua-replicate-commands yes extra",
	"  # comment\n\n  port abc  ", "\tPORT\t1 \n Port x", "cluster-enabled yes\nreplicaof 127.0.0.1 1",
	"logfile /nonexistent/dir/x.log", "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
	"maxmemory 10gb\nmaxmemory x", `requirepass "a b" extra`, "tls-port 70000", "io-threads 0",
	`"" 1`, "proto-max-bulk-len 1k", "client-query-buffer-limit 1",
	"hash-max-listpack-value 99999999999999999999", "slowlog-log-slower-than -2",
	"enable-debug-command maybe", "port 010", "port +1", "timeout 2147483648", "list-max-listpack-size -2147483649",
	"save 1 99999999999999999999999 x", "notify-keyspace-events 'A K'", "supervised systemd x",
	"loglevel", "dir", "dir /nonexistent-dir", "dir /etc/passwd", "acllog-max-len -1",
	"active-defrag-max-scan-fields 0", "maxmemory 18446744073709551616", "port 1 # comment",
	"port 1\r\nport 2\r\nport x\r\n", "save \"1 2\" 3", "'port' abc", "port \"\\x41\"",
	"bind ''\nport x", "daemonize yes yes",
}

func TestParseErrorsMatchRedis(t *testing.T) {
	redisServer(t)
	tail := []string{"--port", "0", "--unixsocket", ""}
	fatal := 0
	defer func() {
		if fatal < len(fileErrorCases)*3/4 {
			t.Errorf("only %d of %d cases made redis-server fail", fatal, len(fileErrorCases))
		}
	}()
	wants := redisFatalAll(t, fileErrorCases)
	for i, conf := range fileErrorCases {
		want := wants[i]
		if strings.Contains(want, "FATAL") {
			fatal++
		}
		c := Default()
		err := c.LoadString(conf)
		if err == nil {
			err = c.ApplyArgs(tail)
		}
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("config %q:\n got %q\nwant %q", conf, got, want)
		}
	}
}

func TestArgvErrorsMatchRedis(t *testing.T) {
	redisServer(t)
	cases := []struct {
		conf string
		args []string
	}{
		{"", []string{"--port", "abc"}},
		{"port 1\nport 2\n", []string{"--port", "abc", "--foo"}},
		{"port 1\nport 2", []string{"--maxmemory", "1", "--foo", "bar"}},
		{"", []string{"--port"}},
		{"", []string{"--save", "--port", "abc"}},
		{"", []string{"--port", "1", "2", "3"}},
		{"", []string{"--save", "1", "2", "3"}},
		{"", []string{"--save", "900 1", "--port", "x"}},
		{"", []string{"--bind", "a b", "--port", "x"}},
		{"", []string{"--port 6380 x"}},
		{"", []string{"--appendonly", "maybe"}},
		{"", []string{"--notify-keyspace-events", "\n\t\x01"}},
		{"", []string{"--requirepass", "a\"b", "--port", "x"}},
		{"", []string{"--requirepass", "a\"b", "x"}},
		{"", []string{"--maxmemory", "--port", "1"}},
		{"", []string{"--sentinel", "--port", "x"}},
		{"", []string{"--save", "10", "1", "--save", "20", "x"}},
		{"", []string{"-", "--port", "x"}},
		{"", []string{"--port", "-", "x"}},
		{"", []string{"--", "1"}},
		{"", []string{"--", "--port", "x"}},
		{"# only a comment", []string{"--port", "1", "x"}},
	}
	tail := []string{"--port", "0", "--unixsocket", ""}
	for _, tc := range cases {
		want := redisFatal(t, tc.conf, tc.args...)
		c := Default()
		err := c.LoadString(tc.conf)
		if err == nil {
			err = c.ApplyArgs(append(append([]string{}, tc.args...), tail...))
		}
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("conf %q args %q:\n got %q\nwant %q", tc.conf, tc.args, got, want)
		}
	}
}

// setCases are CONFIG SET argument lists run against both servers in
// order; every reply and every value afterwards must agree.
var setCases = [][]string{
	{"maxmemory", "1xb"}, {"maxmemory", "10mb"}, {"MAXMEMORY", "1", "maxmemory", "2"},
	{"maxmemory", "1", "foo", "1"}, {"foo", "1", "daemonize", "yes"}, {"daemonize", "yes", "foo", "1"},
	{"maxmemory", "5", "hz", "abc"}, {"dir", "/tmp"}, {"dbfilename", "x.rdb"},
	{"hash-max-ziplist-entries", "1", "hash-max-listpack-entries", "2"}, {"Hash-Max-Ziplist-Entries", "-3"},
	{"save", "1 2 3"}, {"save", "1  2"}, {"save", " 1 2"}, {"save", "1 2"}, {"save", ""},
	{"save", "3600 1 300 100 60 10000"}, {"save", "+5 0"}, {"save", "1 4294967297"},
	{"loglevel", "WARNING"}, {"loglevel", "notice"}, {"oom-score-adj", "relative"}, {"oom-score-adj", "no"},
	{"shutdown-on-sigint", "now nosave"}, {"shutdown-on-sigint", ""}, {"shutdown-on-sigint", "default save"},
	{"shutdown-on-sigint", "save  now"}, {"shutdown-on-sigterm", "force now"}, {"shutdown-on-sigterm", "default"},
	{"hz", "1000"}, {"hz", "0"}, {"hz", "10"},
	{"client-output-buffer-limit", "normal 1mb 2 3 pubsub 1 2 3"}, {"client-output-buffer-limit", "master 1 1 1"},
	{"client-output-buffer-limit", "normal 1 1"}, {"client-output-buffer-limit", "normal 1 1 -1"},
	{"client-output-buffer-limit", ""}, {"client-output-buffer-limit", "replica 1k 1k 1"},
	{"client-output-buffer-limit", "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60"},
	{"notify-keyspace-events", "KEA"}, {"notify-keyspace-events", "Ex$mzgn"}, {"notify-keyspace-events", "Q"},
	{"notify-keyspace-events", "glshzxetdKE"}, {"notify-keyspace-events", "Am"}, {"notify-keyspace-events", ""},
	{"latency-tracking-info-percentiles", "1 2.5 100.0"}, {"latency-tracking-info-percentiles", "101"},
	{"latency-tracking-info-percentiles", "0.000001 1e2 0x10"}, {"latency-tracking-info-percentiles", ""},
	{"latency-tracking-info-percentiles", "abc"}, {"latency-tracking-info-percentiles", "50 99 99.9"},
	{"oom-score-adj-values", "1 2"}, {"oom-score-adj-values", "1 2 3000"}, {"oom-score-adj-values", "0 200 800"},
	{"oom-score-adj-values", "10 20 30"}, {"oom-score-adj-values", "0 200 800"},
	{"maxmemory-clients", "5%"}, {"maxmemory-clients", "-5"}, {"maxmemory-clients", "1kb"},
	{"maxmemory-clients", "101%"}, {"maxmemory-clients", "0"},
	{"slowlog-log-slower-than", "-2"}, {"slowlog-log-slower-than", "-1"}, {"slowlog-log-slower-than", "10000"},
	{"maxclients", "0"}, {"maxclients", "-1"}, {"maxclients", "4294967296"},
	{"hash-max-listpack-value", "99999999999999999999"}, {"proto-max-bulk-len", "99999999999999999999"},
	{"port", "010"}, {"port", "+10"}, {"port", " 10"}, {"port", "65536"},
	{"maxmemory", ""}, {"maxmemory", "k"}, {"maxmemory", "99999999999999999999"}, {"maxmemory", "9gb"},
	{"maxmemory", "2GB"}, {"maxmemory", "1g"}, {"maxmemory", "0"},
	{"activedefrag", "yes"}, {"activedefrag", "no"}, {"proc-title-template", "{foo}"},
	{"proc-title-template", "{title}"}, {"proc-title-template", "{title} {{x"},
	{"proc-title-template", "{title} {listen-addr} {server-mode}"},
	{"cluster-announce-hostname", "a_b"}, {"cluster-announce-hostname", "a-b.c"}, {"cluster-announce-hostname", ""},
	{"appendfilename", "a"}, {"replicaof", "a b"}, {"slaveof", "no one"},
	{"masterauth", "x"}, {"masterauth", ""}, {"masteruser", "u"}, {"masteruser", ""},
	{"lua-time-limit", "100"}, {"busy-reply-threshold", "5000"}, {"list-max-ziplist-size", "-1"},
	{"list-max-listpack-size", "-2"}, {"list-compress-depth", "-1"}, {"acl-pubsub-default", "allchannels"},
	{"acl-pubsub-default", "resetchannels"}, {"maxmemory-policy", "allkeys-LRU"}, {"maxmemory-policy", "bad"},
	{"maxmemory-policy", "noeviction"}, {"enable-debug-command", "yes"}, {"io-threads", "2"},
	{"watchdog-period", "0"}, {"ignore-warnings", "ARM64-COW-BUG"}, {"ignore-warnings", ""},
	{"set-max-intset-entries", "010"}, {"stream-node-max-bytes", "4k"}, {"stream-node-max-bytes", "4096"},
	{"lfu-log-factor", "10"}, {"maxmemory-eviction-tenacity", "101"}, {"active-expire-effort", "11"},
	{"active-expire-effort", "0"}, {"bind-source-addr", "1.2.3.4"}, {"bind-source-addr", ""},
	{"appendfsync", "ALWAYS"}, {"appendfsync", "sometimes"}, {"appendfsync", "everysec"},
	{"repl-backlog-size", "2mb"}, {"repl-backlog-size", "1mb"}, {"unixsocketperm", "700"},
	{"stop-writes-on-bgsave-error", "no"}, {"stop-writes-on-bgsave-error", "yes"}, {"rdbcompression", "nO"},
	{"rdbcompression", "yes"}, {"rdbchecksum", "no"}, {"databases", "2"}, {"requirepass", "sec"},
	{"requirepass", ""}, {"timeout", "0"}, {"tcp-keepalive", "300"}, {"slowlog-max-len", "-1"},
	{"latency-monitor-threshold", "-1"}, {"sanitize-dump-payload", "clients"}, {"sanitize-dump-payload", "no"},
	{"lazyfree-lazy-user-del", "yes"}, {"lazyfree-lazy-user-del", "no"}, {"replica-read-only", "no"},
	{"slave-read-only", "yes"}, {"min-slaves-to-write", "0", "min-replicas-max-lag", "10"},
	{"zset-max-ziplist-value", "1kb"}, {"zset-max-listpack-value", "64"}, {"tls-cert-file", ""},
	{"tls-protocols", "TLSv1.2"}, {"tls-protocols", ""}, {"cluster-link-sendbuf-limit", "1gb"},
	{"cluster-link-sendbuf-limit", "0"}, {"repl-diskless-load", "swapdb"}, {"repl-diskless-load", "disabled"},
	{"maxmemory"}, {"maxmemory", "1", "port"}, {"foo", "1", "bar", "2"},
	{"maxmemory", "7", "maxmemory-policy", "bad"}, {"maxmemory", "8", "save", "1"},
}

func TestSetMatchesRedis(t *testing.T) {
	o := startOracle(t, "", "--appendonly", "no", "--save", "3600 1 300 100 60 10000")
	c := Default()
	if err := c.Set([]string{"appendonly", "no", "save", "3600 1 300 100 60 10000"}); err != nil {
		t.Fatal(err)
	}
	before := o.getAll("*")
	compare := func(step []string) {
		t.Helper()
		theirs := o.getAll("*")
		for _, kv := range c.Get("*") {
			name, got := kv[0], kv[1]
			want, ok := theirs[name]
			if !ok || (divergent[name] && name != "save" && name != "appendonly") {
				continue
			}
			if got != want {
				t.Errorf("after CONFIG SET %q: %s = %q, redis %q", step, name, got, want)
			}
		}
	}
	_ = before
	for _, step := range setCases {
		want := o.do(append([]string{"CONFIG", "SET"}, step...)...)
		if want == "OK" {
			want = ""
		} else if s, ok := want.(string); ok {
			want = strings.TrimPrefix(s, "-")
		}
		got := ""
		if err := c.Set(step); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("CONFIG SET %q: got %q, redis %q", step, got, want)
		}
		compare(step)
	}
}

func TestGetMatchesRedis(t *testing.T) {
	o := startOracle(t, "")
	c := Default()
	for _, pats := range [][]string{
		{"*max*ziplist*"}, {"slaveof"}, {"SLAVEOF"}, {"PORT"}, {"P*RT"}, {"maxmemory", "maxmemory", "maxmemory*"},
		{"watchdog-period"}, {"*watchdog*"}, {"slave*", "replica*"}, {"nonexist"}, {"[a-c]*"},
		{"*-*-*-*-*"}, {"PORT", "port"}, {"port", "PORT"}, {"hz", "*z"}, {"?"}, {"*\\-max*"},
		{"save", "appendonly", "dir"}, {"requirepass"}, {"notify-keyspace-events"},
	} {
		v := o.do(append([]string{"CONFIG", "GET"}, pats...)...)
		arr := v.([]any)
		var theirs, ours []string
		for i := 0; i < len(arr); i += 2 {
			theirs = append(theirs, arr[i].(string))
		}
		for _, kv := range c.GetMany(pats) {
			ours = append(ours, kv[0])
		}
		sort.Strings(theirs)
		sort.Strings(ours)
		if strings.Join(ours, ",") != strings.Join(theirs, ",") {
			t.Errorf("CONFIG GET %q:\n ours  %q\n redis %q", pats, ours, theirs)
		}
	}
}

// TestRewriteMatchesRedis rewrites the same file after the same changes in
// both servers. The lines Redis keeps in place must be identical; the
// appended ones must be the same set (Redis appends in hash order).
func TestRewriteMatchesRedis(t *testing.T) {
	redisServer(t)
	dir := t.TempDir()
	tmpl := `# top comment
   # indented comment
slaveof 127.0.0.1 1
save 900 1
SAVE 300 10
hash-max-ziplist-entries 100
rename-command KEYS ""
list-max-ziplist-entries 5


maxmemory 100mb
maxmemory 200mb
dir DIR
appendonly yes
bind 127.0.0.1
logfile ""
pidfile ""
requirepass "x y"
notify-keyspace-events Ex
client-output-buffer-limit normal 0 0 0
client-output-buffer-limit pubsub 32mb 8mb 60
loglevel notice
replica-priority 100
unixsocketperm 700
`
	// (No include here: after an include, Redis lets each later save line
	// replace the list, so the appended save lines would not reload as
	// written; TestIncludeSaveQuirkMatchesRedis covers that.)
	conf := strings.NewReplacer("DIR", dir).Replace(tmpl)

	o := startOracle(t, conf, "--enable-protected-configs", "yes")
	if r := o.do("AUTH", "x y"); r != "OK" {
		t.Fatalf("AUTH: %v", r)
	}
	theirPath := filepath.Join(o.dir, "redis.conf")
	ourPath := filepath.Join(dir, "ours.conf")
	os.WriteFile(ourPath, []byte(conf), 0o644)
	c := Default()
	if err := c.LoadFile(ourPath); err != nil {
		t.Fatal(err)
	}
	port, _ := c.Value("port")
	theirPort := o.getAll("port")["port"]
	if err := c.ApplyArgs([]string{"--port", theirPort, "--bind", "127.0.0.1", "--daemonize", "no",
		"--enable-protected-configs", "yes"}); err != nil {
		t.Fatal(err)
	}
	_ = port
	steps := [][]string{
		{"maxmemory-policy", "allkeys-lru"}, {"save", "1 1 2 2 3 3"}, {"notify-keyspace-events", "KEA"},
		{"requirepass", `sec"ret`}, {"maxmemory", "3gb"}, {"hash-max-listpack-entries", "512"},
		{"client-output-buffer-limit", "normal 1 2 3 replica 1gb 2mb 4"}, {"oom-score-adj-values", "1 2 3"},
		{"latency-tracking-info-percentiles", "1.5 99"}, {"maxmemory-clients", "5%"},
		{"proc-title-template", "{title} {port}"}, {"dbfilename", "d b.rdb"}, {"hz", "1000"},
		{"shutdown-on-sigterm", "nosave now"}, {"replica-priority", "100"}, {"ignore-warnings", "x\ty"},
	}
	for _, s := range steps {
		if r := o.do(append([]string{"CONFIG", "SET"}, s...)...); r != "OK" {
			t.Fatalf("redis CONFIG SET %q: %v", s, r)
		}
		if err := c.Set(s); err != nil {
			t.Fatalf("CONFIG SET %q: %v", s, err)
		}
		if s[0] == "requirepass" {
			o.do("AUTH", s[1])
		}
	}
	if r := o.do("CONFIG", "REWRITE"); r != "OK" {
		t.Fatalf("redis CONFIG REWRITE: %v", r)
	}
	if err := c.Rewrite(""); err != nil {
		t.Fatal(err)
	}
	theirs, _ := os.ReadFile(theirPath)
	ours, _ := os.ReadFile(ourPath)
	th, tt := splitSignature(string(theirs))
	oh, ot := splitSignature(string(ours))
	if th != oh {
		t.Errorf("kept part differs:\n--- ours\n%s\n--- redis\n%s", oh, th)
	}
	sort.Strings(tt)
	sort.Strings(ot)
	if strings.Join(tt, "\n") != strings.Join(ot, "\n") {
		t.Errorf("appended part differs:\n--- ours\n%s\n--- redis\n%s", strings.Join(ot, "\n"), strings.Join(tt, "\n"))
	}
	// Both files load back into the same values.
	c2 := Default()
	if err := c2.LoadFile(ourPath); err != nil {
		t.Fatalf("reloading rewritten file: %v", err)
	}
	for _, kv := range c.Get("*") {
		if v, _ := c2.Value(kv[0]); v != kv[1] {
			t.Errorf("after reload %s = %q, want %q", kv[0], v, kv[1])
		}
	}
}

// splitSignature splits a rewritten file into the part before the
// "# Generated by CONFIG REWRITE" line and the lines after it.
func splitSignature(s string) (string, []string) {
	head, tail, _ := strings.Cut(s, rewriteSignature+"\n")
	return head, strings.Split(strings.TrimRight(tail, "\n"), "\n")
}

func TestOpenErrorMatchesRedis(t *testing.T) {
	bin := redisServer(t)
	_ = bin
	c := Default()
	err := c.LoadFile("/nonexistent/redis.conf")
	var oe *OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("err = %v", err)
	}
	want := "Fatal error, can't open config file '/nonexistent/redis.conf': No such file or directory"
	if err.Error() != want {
		t.Errorf("got %q want %q", err.Error(), want)
	}
	err = Default().LoadString("include /nonexistent/inc.conf")
	if err == nil || err.Error() != "Fatal error, can't open config file '/nonexistent/inc.conf': No such file or directory" {
		t.Errorf("include: %v", err)
	}
}

// TestIncludeSaveQuirkMatchesRedis: save lines accumulate while a file is
// read, but after an include each later save line replaces the list.
func TestIncludeSaveQuirkMatchesRedis(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "inc.conf")
	os.WriteFile(inc, []byte("save 5 5\n"), 0o644)
	for _, conf := range []string{
		"save 900 1\nsave 300 10\n",
		"save 900 1\ninclude " + inc + "\nsave 300 10\nsave 60 100\n",
		"include " + inc + "\n",
		"save 900 1\ninclude " + inc + "\n",
		"save \"\"\nsave 5 5\n",
	} {
		o := startOracle(t, conf)
		want := o.getAll("save")["save"]
		c := Default()
		if err := c.LoadString(conf); err != nil {
			t.Fatal(err)
		}
		if err := c.ApplyArgs([]string{"--port", "1"}); err != nil {
			t.Fatal(err)
		}
		if v, _ := c.Value("save"); v != want {
			t.Errorf("%q: save = %q, redis %q", conf, v, want)
		}
	}
}
