package command

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Server commands: DBSIZE FLUSHDB FLUSHALL SWAPDB TIME LASTSAVE INFO
// CONFIG SHUTDOWN DEBUG MEMORY, and the FLUSH subcommands of FUNCTION and
// SCRIPT that test suites send before each file.

const (
	srvAdmin   = core.FlagAdmin | core.FlagNoScript | core.FlagLoading | core.FlagStale
	loadStale  = core.FlagLoading | core.FlagStale
	scriptHelp = core.FlagLoading | core.FlagStale
)

var _ = register(
	&core.Command{Name: "dbsize", Arity: 1, Flags: core.FlagReadOnly | core.FlagFast, Handler: dbsize, Group: "server", Since: "1.0.0", Summary: "Return the number of keys in the selected database"},
	&core.Command{Name: "flushdb", Arity: -1, Flags: core.FlagWrite, Handler: flushdb, Group: "server", Since: "1.0.0", Summary: "Remove all keys from the current database"},
	&core.Command{Name: "flushall", Arity: -1, Flags: core.FlagWrite, Handler: flushall, Group: "server", Since: "1.0.0", Summary: "Remove all keys from all databases"},
	&core.Command{Name: "swapdb", Arity: 3, Flags: core.FlagWrite | core.FlagFast, Handler: swapdb, Group: "server", Since: "4.0.0", Summary: "Swaps two Redis databases"},
	&core.Command{Name: "time", Arity: 1, Flags: loadStale | core.FlagFast, Handler: timeCmd, Group: "server", Since: "2.6.0", Summary: "Return the current server time"},
	&core.Command{Name: "lastsave", Arity: 1, Flags: loadStale | core.FlagFast, Handler: lastsave, Group: "server", Since: "1.0.0", Summary: "Get the UNIX time stamp of the last successful save to disk"},
	&core.Command{Name: "info", Arity: -1, Flags: loadStale, Handler: info, Group: "server", Since: "1.0.0", Summary: "Get information and statistics about the server"},
	&core.Command{Name: "shutdown", Arity: -1, Flags: srvAdmin | core.FlagNoMulti | core.FlagAllowBusy, Handler: shutdown, Group: "server", Since: "1.0.0", Summary: "Synchronously save the dataset to disk and then shut down the server"},
	&core.Command{Name: "debug", Arity: -2, Flags: srvAdmin | core.FlagProtected, Handler: debugCmd, Group: "server", Since: "1.0.0", Summary: "A container for debugging commands"},
	&core.Command{Name: "config", Arity: -2, Group: "server", Since: "2.0.0", Summary: "A container for server configuration commands",
		Subcommands: map[string]*core.Command{
			"get":       {Name: "get", Arity: -3, Flags: srvAdmin, Handler: configGet, Group: "server", Since: "2.0.0", Summary: "Get the values of configuration parameters"},
			"set":       {Name: "set", Arity: -4, Flags: srvAdmin, Handler: configSet, Group: "server", Since: "2.0.0", Summary: "Set configuration parameters to the given values"},
			"resetstat": {Name: "resetstat", Arity: 2, Flags: srvAdmin, Handler: configResetStat, Group: "server", Since: "2.0.0", Summary: "Reset the stats returned by INFO"},
			"rewrite":   {Name: "rewrite", Arity: 2, Flags: srvAdmin, Handler: configRewrite, Group: "server", Since: "2.8.0", Summary: "Rewrite the configuration file with the in memory configuration"},
			"help":      {Name: "help", Arity: 2, Flags: loadStale, Handler: configHelp, Group: "server", Since: "5.0.0", Summary: "Show helpful text about the different subcommands"},
		}},
	&core.Command{Name: "memory", Arity: -2, Group: "server", Since: "4.0.0", Summary: "A container for memory diagnostics commands",
		Subcommands: map[string]*core.Command{
			"doctor":       {Name: "doctor", Arity: 2, Handler: memoryDoctor, Group: "server", Since: "4.0.0", Summary: "Outputs memory problems report"},
			"help":         {Name: "help", Arity: 2, Flags: loadStale, Handler: memoryHelp, Group: "server", Since: "4.0.0", Summary: "Show helpful text about the different subcommands"},
			"malloc-stats": {Name: "malloc-stats", Arity: 2, Handler: memoryMallocStats, Group: "server", Since: "4.0.0", Summary: "Show allocator internal stats"},
			"purge":        {Name: "purge", Arity: 2, Handler: memoryPurge, Group: "server", Since: "4.0.0", Summary: "Ask the allocator to release memory"},
			"stats":        {Name: "stats", Arity: 2, Handler: memoryStats, Group: "server", Since: "4.0.0", Summary: "Show memory usage details"},
			"usage":        {Name: "usage", Arity: -3, Flags: core.FlagReadOnly, FirstKey: 2, LastKey: 2, Step: 1, Handler: memoryUsage, Group: "server", Since: "4.0.0", Summary: "Estimate the memory usage of a key"},
		}},
)

// scriptingFallback is FUNCTION and SCRIPT until scripting exists: FLUSH
// (which test suites send before every file) and HELP. It is registered
// by init only when no command group registered these names, so the
// scripting commands replace it whatever the file order.
var scriptingFallback = []*core.Command{
	{Name: "function", Arity: -2, Group: "scripting", Since: "7.0.0", Summary: "A container for function commands",
		Subcommands: map[string]*core.Command{
			"flush": {Name: "flush", Arity: -2, Flags: core.FlagNoScript | core.FlagWrite, Handler: functionFlush, Group: "scripting", Since: "7.0.0", Summary: "Deleting all functions"},
			"help":  {Name: "help", Arity: 2, Flags: scriptHelp, Handler: functionHelp, Group: "scripting", Since: "7.0.0", Summary: "Show helpful text about the different subcommands"},
		}},
	{Name: "script", Arity: -2, Group: "scripting", Since: "2.6.0", Summary: "A container for Lua scripts management commands",
		Subcommands: map[string]*core.Command{
			"flush": {Name: "flush", Arity: -2, Flags: core.FlagNoScript, Handler: scriptFlush, Group: "scripting", Since: "2.6.0", Summary: "Remove all the scripts from the script cache."},
			"help":  {Name: "help", Arity: 2, Flags: scriptHelp, Handler: scriptHelpCmd, Group: "scripting", Since: "5.0.0", Summary: "Show helpful text about the different subcommands"},
		}},
}

func init() {
	taken := map[string]bool{}
	for _, g := range groups {
		for _, c := range g {
			taken[c.Name] = true
		}
	}
	var fallback []*core.Command
	for _, c := range scriptingFallback {
		if !taken[c.Name] {
			fallback = append(fallback, c)
		}
	}
	register(fallback...)
}

// serverHooks let the subsystems that arrive later (persistence,
// replication, pub/sub, scripting) feed what the server commands report.
// Each is optional; without it a neutral value is used.
var serverHooks struct {
	// IsReplica reports whether the server replicates a master.
	IsReplica func() bool
	// LastSave returns the Unix time of the last successful save
	// (LASTSAVE, rdb_last_save_time).
	LastSave func(s *core.Server) int64
	// AfterFlushAll runs after FLUSHALL emptied the dataset (Redis then
	// saves an RDB when save points are configured).
	AfterFlushAll func(ctx *core.Ctx)
	// PubSub returns the server's channel, pattern and shard channel
	// counts (INFO stats).
	PubSub func(s *core.Server) (channels, patterns, shard int)
	// FlushScripts empties the script cache (SCRIPT FLUSH) and
	// FlushFunctions the function libraries (FUNCTION FLUSH).
	FlushScripts, FlushFunctions func(s *core.Server, async bool)
	// ScriptMemory reports the scripting engine's figures (INFO memory).
	ScriptMemory func(s *core.Server) scriptMem
	// ObjectEncoding names a value's encoding for DEBUG OBJECT.
	ObjectEncoding func(o *keyspace.Object) string
	// ValueSize estimates the bytes a collection value uses (MEMORY
	// USAGE); samples is how many nested elements to look at, 0 all.
	ValueSize func(o *keyspace.Object, samples int64) int64
}

// infoSections lets other command groups supply an INFO section's fields
// (the lines after its "# Title" header, each ending in "\r\n"), replacing
// the built-in neutral ones. Keys are lower-case section names.
var infoSections = map[string]func(ctx *core.Ctx) string{}

// srvExtra is per-server state of the server commands.
type srvExtra struct {
	mu         sync.Mutex
	startupMem uint64
	replID     string
}

var extras sync.Map // *core.Server → *srvExtra

func extraFor(s *core.Server) *srvExtra {
	if e, ok := extras.Load(s); ok {
		return e.(*srvExtra)
	}
	id := make([]byte, 20)
	_, _ = rand.Read(id)
	e := &srvExtra{replID: hex.EncodeToString(id), startupMem: heapInUse()}
	actual, _ := extras.LoadOrStore(s, e)
	return actual.(*srvExtra)
}

// ---- keyspace-wide commands ----

func dbsize(ctx *core.Ctx) { ctx.W.Int(int64(ctx.DB.Len())) }

// flushArgs parses FLUSHDB/FLUSHALL's optional SYNC|ASYNC.
func flushArgs(ctx *core.Ctx) bool {
	switch {
	case len(ctx.Args) == 1:
		return true
	case len(ctx.Args) == 2 && (strings.EqualFold(string(ctx.Args[1]), "sync") || strings.EqualFold(string(ctx.Args[1]), "async")):
		return true
	}
	ctx.Error(rerr.Syntax)
	return false
}

// flushAsync reports whether a FLUSHDB/FLUSHALL frees in the background:
// ASYNC, or no option and lazyfree-lazy-user-flush yes.
func flushAsync(ctx *core.Ctx) bool {
	if len(ctx.Args) == 2 {
		return strings.EqualFold(string(ctx.Args[1]), "async")
	}
	return ctx.Srv.Config.LazyfreeLazyUserFlush
}

func flushdb(ctx *core.Ctx) {
	if !flushArgs(ctx) {
		return
	}
	n := ctx.DB.Len()
	ctx.Srv.TrackingFlush()
	ctx.DB.Flush()
	if flushAsync(ctx) {
		ctx.Srv.LazyFree(int64(n))
	}
	// One more change than keys removed so that an empty FLUSHDB is
	// still propagated (forceCommandPropagation).
	ctx.Dirty(n + 1)
	ctx.W.OK()
}

func flushall(ctx *core.Ctx) {
	if !flushArgs(ctx) {
		return
	}
	n := 0
	ks := ctx.Srv.KS
	ctx.Srv.TrackingFlush()
	for i := 0; i < ks.Len(); i++ {
		db := ks.DB(i)
		n += db.Len()
		db.Flush()
	}
	if flushAsync(ctx) {
		ctx.Srv.LazyFree(int64(n))
	}
	ctx.Dirty(n + 1)
	if serverHooks.AfterFlushAll != nil {
		serverHooks.AfterFlushAll(ctx)
	}
	ctx.W.OK()
}

func swapdb(ctx *core.Ctx) {
	a, ok1 := parseInt32(ctx.Args[1])
	if !ok1 {
		ctx.Error(rerr.InvalidFirstDB)
		return
	}
	b, ok2 := parseInt32(ctx.Args[2])
	if !ok2 {
		ctx.Error(rerr.InvalidSecondDB)
		return
	}
	n := ctx.Srv.KS.Len()
	if a < 0 || a >= n || b < 0 || b >= n {
		ctx.Error(rerr.DBIndexRange)
		return
	}
	if a != b {
		ctx.Srv.KS.Swap(a, b)
	}
	ctx.Dirty(1)
	ctx.W.OK()
}

// intArg parses argument i as a C int like getIntFromObjectOrReply,
// replying Redis's error for a non-integer or an out-of-range value.
func intArg(ctx *core.Ctx, i int) (int, bool) {
	n, ok := ctx.Int(i)
	if !ok {
		return 0, false
	}
	if n < -1<<31 || n > 1<<31-1 {
		ctx.Error(rerr.IntRange)
		return 0, false
	}
	return int(n), true
}

// parseInt32 parses a Redis integer that must fit a C int.
func parseInt32(b []byte) (int, bool) {
	n, ok := numfmt.ParseInt(b)
	if !ok || n < -1<<31 || n > 1<<31-1 {
		return 0, false
	}
	return int(n), true
}

func timeCmd(ctx *core.Ctx) {
	now := time.Now()
	ctx.W.ArrayLen(2)
	ctx.W.BulkInt(now.Unix())
	ctx.W.BulkInt(int64(now.Nanosecond() / 1000))
}

// lastSave returns the Unix time of the last save, or the start time
// while no persistence reports one.
func lastSave(s *core.Server) int64 {
	if serverHooks.LastSave != nil {
		return serverHooks.LastSave(s)
	}
	return s.Start.Unix()
}

func lastsave(ctx *core.Ctx) { ctx.W.Int(lastSave(ctx.Srv)) }

// ---- SHUTDOWN ----

func shutdown(ctx *core.Ctx) {
	var save, nosave, abort, other bool
	for _, a := range ctx.Args[1:] {
		switch strings.ToLower(string(a)) {
		case "nosave":
			nosave = true
		case "save":
			save = true
		case "now", "force":
			other = true
		case "abort":
			abort = true
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	if (abort && (save || nosave || other)) || (save && nosave) {
		ctx.Error(rerr.Syntax)
		return
	}
	if abort {
		ctx.Error(rerr.ShutdownAbortNone)
		return
	}
	if r := ctx.Srv.ScriptRunning(); !nosave && r != nil && r.TimedOut() {
		// Only SHUTDOWN NOSAVE stops the server while a script is busy.
		if r.Eval {
			ctx.Error(rerr.ScriptBusy)
		} else {
			ctx.Error(rerr.ScriptBusyFunctionRun)
		}
		return
	}
	doSave := !nosave && (save || len(ctx.Srv.Config.Save) > 0)
	fn := ctx.Srv.ShutdownFunc
	if fn == nil {
		ctx.Error(rerr.ShutdownErrors)
		return
	}
	ctx.Srv.Log.Warn("User requested shutdown...")
	if err := fn(doSave); err != nil {
		ctx.Srv.Log.Warn("Errors trying to shut down the server. Check the logs for more information.", "err", err)
		ctx.Error(rerr.ShutdownErrors)
		return
	}
	// No reply: the connection closes with the server.
	ctx.Client.CloseAfterReply = true
}

// ---- FUNCTION FLUSH / SCRIPT FLUSH ----

// flushMode parses the optional SYNC|ASYNC of FUNCTION/SCRIPT FLUSH.
func flushMode(ctx *core.Ctx, errText string) (async, ok bool) {
	switch {
	case len(ctx.Args) == 2:
		return ctx.Srv.Config.LazyfreeLazyUserFlush, true
	case len(ctx.Args) == 3 && strings.EqualFold(string(ctx.Args[2]), "sync"):
		return false, true
	case len(ctx.Args) == 3 && strings.EqualFold(string(ctx.Args[2]), "async"):
		return true, true
	}
	ctx.Error(errText)
	return false, false
}

func functionFlush(ctx *core.Ctx) {
	if len(ctx.Args) > 3 {
		subcommandSyntaxError(ctx)
		return
	}
	async, ok := flushMode(ctx, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
	if !ok {
		return
	}
	if serverHooks.FlushFunctions != nil {
		serverHooks.FlushFunctions(ctx.Srv, async)
	}
	ctx.Dirty(1)
	ctx.W.OK()
}

func scriptFlush(ctx *core.Ctx) {
	async, ok := flushMode(ctx, "ERR SCRIPT FLUSH only support SYNC|ASYNC option")
	if !ok {
		return
	}
	if serverHooks.FlushScripts != nil {
		serverHooks.FlushScripts(ctx.Srv, async)
	}
	ctx.W.OK()
}

func functionHelp(ctx *core.Ctx) {
	replyHelp(ctx, []string{
		"LOAD [REPLACE] <FUNCTION CODE>",
		"    Create a new library with the given library name and code.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"STATS",
		"    Return information about the current function running:",
		"    * Function name",
		"    * Command used to run the function",
		"    * Duration in MS that the function is running",
		"    If no function is running, return nil",
		"    In addition, returns a list of available engines.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the libraries.",
		"    * SYNC: Synchronously flush the libraries.",
		"DUMP",
		"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
		"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
		"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
		"    control how to handle existing libraries (default APPEND):",
		"    * FLUSH: delete all existing libraries.",
		"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
		"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
		"      libraries with the new libraries (notice that even on this option there is a chance of failure",
		"      in case of functions name collision with another library).",
	})
}

func scriptHelpCmd(ctx *core.Ctx) {
	replyHelp(ctx, []string{
		"DEBUG (YES|SYNC|NO)",
		"    Set the debug mode for subsequent scripts executed.",
		"EXISTS <sha1> [<sha1> ...]",
		"    Return information about the existence of the scripts in the script cache.",
		"FLUSH [ASYNC|SYNC]",
		"    Flush the Lua scripts cache. Very dangerous on replicas.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the scripts cache.",
		"    * SYNC: Synchronously flush the scripts cache.",
		"KILL",
		"    Kill the currently executing Lua script.",
		"LOAD <script>",
		"    Load a script into the scripts cache without executing it.",
	})
}

// ---- CONFIG ----

func configGet(ctx *core.Ctx) {
	patterns := make([]string, len(ctx.Args)-2)
	for i, a := range ctx.Args[2:] {
		patterns[i] = string(a)
	}
	pairs := ctx.Srv.Config.GetMany(patterns)
	ctx.W.MapLen(len(pairs))
	for _, p := range pairs {
		ctx.W.BulkString(p[0])
		ctx.W.BulkString(p[1])
	}
}

func configSet(ctx *core.Ctx) {
	args := make([]string, len(ctx.Args)-2)
	for i, a := range ctx.Args[2:] {
		args[i] = string(a)
	}
	err := ctx.Srv.Config.SetWith(args, configSetOptions(ctx))
	if err != nil {
		ctx.Error(err.Error())
		return
	}
	ctx.W.OK()
}

func configResetStat(ctx *core.Ctx) {
	ctx.Srv.ResetStats()
	ctx.Srv.ResetPeakMemory()
	ctx.W.OK()
}

func configRewrite(ctx *core.Ctx) {
	if err := ctx.Srv.Config.Rewrite(""); err != nil {
		msg := err.Error()
		if msg != rerr.NoConfigFile {
			ctx.Srv.Log.Warn("CONFIG REWRITE failed: " + strings.TrimPrefix(msg, "ERR Rewriting config file: "))
		}
		ctx.Error(msg)
		return
	}
	ctx.Srv.Log.Warn("CONFIG REWRITE executed with success.")
	ctx.W.OK()
}

func configHelp(ctx *core.Ctx) {
	replyHelp(ctx, []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	})
}

// ---- INFO ----

// defaultInfoSections are the sections of a bare INFO.
var defaultInfoSections = []string{"server", "clients", "memory", "persistence", "stats",
	"replication", "cpu", "module_list", "errorstats", "cluster", "keyspace"}

func info(ctx *core.Ctx) {
	ctx.W.Verbatim(genInfo(ctx, ctx.Args[1:]), "txt")
}

// genInfo builds INFO's text for the requested section arguments.
func genInfo(ctx *core.Ctx, args [][]byte) string {
	want := map[string]bool{}
	all := false
	if len(args) == 0 {
		for _, s := range defaultInfoSections {
			want[s] = true
		}
	}
	for _, a := range args {
		switch s := strings.ToLower(string(a)); s {
		case "default":
			for _, d := range defaultInfoSections {
				want[d] = true
			}
		case "all":
			all = true
		case "everything":
			all = true
		default:
			want[s] = true
		}
	}
	var b strings.Builder
	sections := 0
	section := func(title string, body func() string) {
		if sections > 0 {
			b.WriteString("\r\n")
		}
		sections++
		b.WriteString("# " + title + "\r\n")
		b.WriteString(body())
	}
	type sec struct {
		names []string
		title string
		body  func(ctx *core.Ctx) string
	}
	for _, s := range []sec{
		{[]string{"server"}, "Server", infoServer},
		{[]string{"clients"}, "Clients", infoClients},
		{[]string{"memory"}, "Memory", infoMemory},
		{[]string{"persistence"}, "Persistence", infoPersistence},
		{[]string{"stats"}, "Stats", infoStats},
		{[]string{"replication"}, "Replication", infoReplication},
		{[]string{"cpu"}, "CPU", infoCPU},
		{[]string{"module_list", "modules"}, "Modules", func(*core.Ctx) string { return "" }},
		{[]string{"commandstats"}, "Commandstats", infoCommandStats},
		{[]string{"errorstats"}, "Errorstats", infoErrorStats},
		{[]string{"latencystats"}, "Latencystats", func(*core.Ctx) string { return "" }},
		{[]string{"cluster"}, "Cluster", func(*core.Ctx) string { return "cluster_enabled:0\r\n" }},
		{[]string{"keyspace"}, "Keyspace", infoKeyspace},
	} {
		on := all
		for _, n := range s.names {
			on = on || want[n]
		}
		if !on {
			continue
		}
		body := s.body
		if hook := infoSections[s.names[0]]; hook != nil {
			body = hook
		}
		section(s.title, func() string { return body(ctx) })
	}
	return b.String()
}

// infoLines formats name:value pairs as INFO lines.
func infoLines(kv ...any) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(kv[i].(string))
		b.WriteByte(':')
		switch v := kv[i+1].(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		case uint64:
			b.WriteString(strconv.FormatUint(v, 10))
		case bool:
			if v {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		default:
			fmt.Fprint(&b, v)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

var (
	unameOnce sync.Once
	unameStr  string
)

func osString() string {
	unameOnce.Do(func() {
		var u unix.Utsname
		if err := unix.Uname(&u); err != nil {
			unameStr = runtime.GOOS + " " + runtime.GOARCH
			return
		}
		unameStr = unix.ByteSliceToString(u.Sysname[:]) + " " + unix.ByteSliceToString(u.Release[:]) + " " +
			unix.ByteSliceToString(u.Machine[:])
	})
	return unameStr
}

// buildID is a stable identifier of this binary (redis_build_id).
var buildID = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 15 {
				return s.Value[:15]
			}
		}
	}
	return "0"
}()

func infoServer(ctx *core.Ctx) string {
	s := ctx.Srv
	now := time.Now()
	uptime := int64(now.Sub(s.Start) / time.Second)
	return infoLines(
		"redis_version", core.Version,
		"redis_git_sha1", "00000000",
		"redis_git_dirty", 0,
		"redis_build_id", buildID,
		"redis_mode", "standalone",
		"os", osString(),
		"arch_bits", strconv.Itoa(strconv.IntSize),
		"monotonic_clock", "POSIX clock_gettime",
		"multiplexing_api", "epoll",
		"atomicvar_api", "c11-builtin",
		"gcc_version", "0.0.0",
		"process_id", os.Getpid(),
		"process_supervised", "no",
		"run_id", s.RunID,
		"tcp_port", s.Port,
		"server_time_usec", now.UnixMicro(),
		"uptime_in_seconds", uptime,
		"uptime_in_days", uptime/(3600*24),
		"hz", s.Config.Hz,
		"configured_hz", s.Config.Hz,
		"lru_clock", (now.UnixMilli()/1000)&(1<<24-1),
		"executable", s.Executable,
		"config_file", configFile(s),
		"io_threads_active", 0,
	)
}

// configFile returns the absolute path of the configuration file, or "".
func configFile(s *core.Server) string {
	if s.ConfigFile != "" {
		return s.ConfigFile
	}
	return s.Config.File()
}

func infoClients(ctx *core.Ctx) string {
	s := ctx.Srv
	replicas, maxIn, inTimeout := 0, 0, 0
	for _, c := range s.Clients() {
		if c.Kind == core.KindReplica {
			replicas++
		}
		maxIn = max(maxIn, c.QueryBuf)
		if c.Blocked != nil && c.Blocked.Timeout != 0 {
			inTimeout++
		}
	}
	return infoLines(
		"connected_clients", s.NumClients()-replicas,
		"cluster_connections", 0,
		"maxclients", s.Config.MaxClients,
		"client_recent_max_input_buffer", maxIn,
		"client_recent_max_output_buffer", 0,
		"blocked_clients", s.BlockedClients(),
		"tracking_clients", trackingInfo(s, 0),
		"clients_in_timeout_table", inTimeout,
	)
}

// heapInUse is the memory the Go heap holds for live and recently freed
// objects: the closest figure to Redis's used_memory.
func heapInUse() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// memStats gathers the memory figures INFO and MEMORY STATS report.
type memFigures struct {
	used, peak, startup, rss, sys, heapSys, heapInuse, totalSystem uint64
}

func readMemFigures(s *core.Server) memFigures {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	e := extraFor(s)
	s.EvictIfNeeded()
	f := memFigures{used: s.UsedMemory(), sys: m.Sys, heapSys: m.HeapSys, heapInuse: m.HeapInuse}
	e.mu.Lock()
	f.peak, f.startup = s.PeakMemory(), e.startupMem
	e.mu.Unlock()
	f.rss = processRSS()
	if f.rss == 0 {
		f.rss = m.Sys - m.HeapReleased
	}
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) == nil {
		f.totalSystem = uint64(si.Totalram) * uint64(si.Unit)
	}
	return f
}

// processRSS reads the resident set size from /proc/self/statm.
func processRSS() uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// bytesToHuman formats n like Redis: 100B, 2.00K, 1.50M …
func bytesToHuman(n uint64) string {
	d := float64(n)
	switch {
	case n < 1024:
		return strconv.FormatUint(n, 10) + "B"
	case n < 1024*1024:
		return fmt.Sprintf("%.2fK", d/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.2fM", d/(1024*1024))
	case n < 1024*1024*1024*1024:
		return fmt.Sprintf("%.2fG", d/(1024*1024*1024))
	case n < 1024*1024*1024*1024*1024:
		return fmt.Sprintf("%.2fT", d/(1024*1024*1024*1024))
	case n < 1024*1024*1024*1024*1024*1024:
		return fmt.Sprintf("%.2fP", d/(1024*1024*1024*1024*1024))
	}
	return strconv.FormatUint(n, 10) + "B"
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func diff(a, b uint64) int64 { return int64(a) - int64(b) }

func infoMemory(ctx *core.Ctx) string {
	s := ctx.Srv
	f := readMemFigures(s)
	lazyPending, lazyFreed := s.LazyFreeStats()
	var sm scriptMem
	if serverHooks.ScriptMemory != nil {
		sm = serverHooks.ScriptMemory(s)
	}
	overhead := min(f.startup, f.used)
	dataset := f.used - overhead
	datasetPerc := 0.0
	if f.used > f.startup {
		datasetPerc = float64(dataset) * 100 / float64(f.used-f.startup)
	}
	peakPerc := 0.0
	if f.peak > 0 {
		peakPerc = float64(f.used) * 100 / float64(f.peak)
	}
	maxmem := s.Config.MaxMemory
	return infoLines(
		"used_memory", f.used,
		"used_memory_human", bytesToHuman(f.used),
		"used_memory_rss", f.rss,
		"used_memory_rss_human", bytesToHuman(f.rss),
		"used_memory_peak", f.peak,
		"used_memory_peak_human", bytesToHuman(f.peak),
		"used_memory_peak_perc", fmt.Sprintf("%.2f%%", peakPerc),
		"used_memory_overhead", overhead,
		"used_memory_startup", f.startup,
		"used_memory_dataset", dataset,
		"used_memory_dataset_perc", fmt.Sprintf("%.2f%%", datasetPerc),
		"allocator_allocated", f.used,
		"allocator_active", f.heapInuse,
		"allocator_resident", f.heapSys,
		"total_system_memory", f.totalSystem,
		"total_system_memory_human", bytesToHuman(f.totalSystem),
		"used_memory_lua", sm.vmEval,
		"used_memory_vm_eval", sm.vmEval,
		"used_memory_lua_human", bytesToHuman(uint64(sm.vmEval)),
		"used_memory_scripts_eval", sm.scriptsEval,
		"number_of_cached_scripts", sm.numScripts,
		"number_of_functions", sm.numFuncs,
		"number_of_libraries", sm.numLibs,
		"used_memory_vm_functions", sm.vmFuncs,
		"used_memory_vm_total", sm.vmEval+sm.vmFuncs,
		"used_memory_vm_total_human", bytesToHuman(uint64(sm.vmEval+sm.vmFuncs)),
		"used_memory_functions", sm.funcs,
		"used_memory_scripts", sm.scriptsEval+sm.funcs,
		"used_memory_scripts_human", bytesToHuman(uint64(sm.scriptsEval+sm.funcs)),
		"maxmemory", maxmem,
		"maxmemory_human", bytesToHuman(maxmem),
		"maxmemory_policy", s.Config.MaxMemoryPolicy,
		"allocator_frag_ratio", fmt.Sprintf("%.2f", ratio(f.heapInuse, f.used)),
		"allocator_frag_bytes", diff(f.heapInuse, f.used),
		"allocator_rss_ratio", fmt.Sprintf("%.2f", ratio(f.heapSys, f.heapInuse)),
		"allocator_rss_bytes", diff(f.heapSys, f.heapInuse),
		"rss_overhead_ratio", fmt.Sprintf("%.2f", ratio(f.rss, f.heapSys)),
		"rss_overhead_bytes", diff(f.rss, f.heapSys),
		"mem_fragmentation_ratio", fmt.Sprintf("%.2f", ratio(f.rss, f.used)),
		"mem_fragmentation_bytes", diff(f.rss, f.used),
		"mem_not_counted_for_evict", 0,
		"mem_replication_backlog", 0,
		"mem_total_replication_buffers", 0,
		"mem_clients_slaves", 0,
		"mem_clients_normal", 0,
		"mem_cluster_links", 0,
		"mem_aof_buffer", 0,
		"mem_allocator", "libc",
		"active_defrag_running", 0,
		"lazyfree_pending_objects", lazyPending,
		"lazyfreed_objects", lazyFreed,
	)
}

func infoPersistence(ctx *core.Ctx) string {
	s := ctx.Srv
	return infoLines(
		"loading", 0,
		"async_loading", 0,
		"current_cow_peak", 0,
		"current_cow_size", 0,
		"current_cow_size_age", 0,
		"current_fork_perc", "0.00",
		"current_save_keys_processed", 0,
		"current_save_keys_total", 0,
		"rdb_changes_since_last_save", s.Dirty,
		"rdb_bgsave_in_progress", 0,
		"rdb_last_save_time", lastSave(s),
		"rdb_last_bgsave_status", "ok",
		"rdb_last_bgsave_time_sec", -1,
		"rdb_current_bgsave_time_sec", -1,
		"rdb_saves", 0,
		"rdb_last_cow_size", 0,
		"rdb_last_load_keys_expired", 0,
		"rdb_last_load_keys_loaded", 0,
		"aof_enabled", s.Config.AppendOnly,
		"aof_rewrite_in_progress", 0,
		"aof_rewrite_scheduled", 0,
		"aof_last_rewrite_time_sec", -1,
		"aof_current_rewrite_time_sec", -1,
		"aof_last_bgrewrite_status", "ok",
		"aof_rewrites", 0,
		"aof_rewrites_consecutive_failures", 0,
		"aof_last_write_status", "ok",
		"aof_last_cow_size", 0,
		"module_fork_in_progress", 0,
		"module_fork_last_cow_size", 0,
	)
}

func infoStats(ctx *core.Ctx) string {
	s := ctx.Srv
	st := &s.Stats
	var channels, patterns, shard int
	if serverHooks.PubSub != nil {
		channels, patterns, shard = serverHooks.PubSub(s)
	}
	evictTotal, evictCurrent := s.EvictionExceededTime()
	return infoLines(
		"total_connections_received", st.ConnectionsReceived,
		"total_commands_processed", st.CommandsProcessed,
		"instantaneous_ops_per_sec", s.InstantaneousOps(),
		"total_net_input_bytes", st.NetInputBytes,
		"total_net_output_bytes", st.NetOutputBytes,
		"total_net_repl_input_bytes", 0,
		"total_net_repl_output_bytes", 0,
		"instantaneous_input_kbps", "0.00",
		"instantaneous_output_kbps", "0.00",
		"instantaneous_input_repl_kbps", "0.00",
		"instantaneous_output_repl_kbps", "0.00",
		"rejected_connections", st.RejectedConns,
		"sync_full", replSyncStat(s, 0),
		"sync_partial_ok", replSyncStat(s, 1),
		"sync_partial_err", replSyncStat(s, 2),
		"expired_keys", s.KS.Expired,
		"expired_stale_perc", fmt.Sprintf("%.2f", st.ExpiredStalePerc*100),
		"expired_time_cap_reached_count", 0,
		"expire_cycle_cpu_milliseconds", 0,
		"evicted_keys", s.EvictedKeys(),
		"evicted_clients", s.Stats.EvictedClients,
		"total_eviction_exceeded_time", evictTotal,
		"current_eviction_exceeded_time", evictCurrent,
		"keyspace_hits", s.KS.Hits,
		"keyspace_misses", s.KS.Misses,
		"pubsub_channels", channels,
		"pubsub_patterns", patterns,
		"pubsubshard_channels", shard,
		"latest_fork_usec", 0,
		"total_forks", 0,
		"migrate_cached_sockets", 0,
		"slave_expires_tracked_keys", 0,
		"active_defrag_hits", 0,
		"active_defrag_misses", 0,
		"active_defrag_key_hits", 0,
		"active_defrag_key_misses", 0,
		"total_active_defrag_time", 0,
		"current_active_defrag_time", 0,
		"tracking_total_keys", trackingInfo(s, 1),
		"tracking_total_items", trackingInfo(s, 2),
		"tracking_total_prefixes", trackingInfo(s, 3),
		"unexpected_error_replies", st.UnexpectedErrors,
		"total_error_replies", st.ErrorReplies,
		"dump_payload_sanitizations", 0,
		"total_reads_processed", st.CommandsProcessed,
		"total_writes_processed", st.CommandsProcessed,
		"io_threaded_reads_processed", 0,
		"io_threaded_writes_processed", 0,
		"reply_buffer_shrinks", 0,
		"reply_buffer_expands", 0,
	)
}

func infoReplication(ctx *core.Ctx) string {
	e := extraFor(ctx.Srv)
	return infoLines(
		"role", "master",
		"connected_slaves", 0,
		"master_failover_state", "no-failover",
		"master_replid", e.replID,
		"master_replid2", strings.Repeat("0", 40),
		"master_repl_offset", 0,
		"second_repl_offset", -1,
		"repl_backlog_active", 0,
		"repl_backlog_size", 1048576,
		"repl_backlog_first_byte_offset", 0,
		"repl_backlog_histlen", 0,
	)
}

func rusageTime(tv unix.Timeval) string {
	return fmt.Sprintf("%d.%06d", tv.Sec, tv.Usec)
}

func infoCPU(ctx *core.Ctx) string {
	var self, children, thread unix.Rusage
	_ = unix.Getrusage(unix.RUSAGE_SELF, &self)
	_ = unix.Getrusage(unix.RUSAGE_CHILDREN, &children)
	_ = unix.Getrusage(unix.RUSAGE_THREAD, &thread)
	return infoLines(
		"used_cpu_sys", rusageTime(self.Stime),
		"used_cpu_user", rusageTime(self.Utime),
		"used_cpu_sys_children", rusageTime(children.Stime),
		"used_cpu_user_children", rusageTime(children.Utime),
		"used_cpu_sys_main_thread", rusageTime(thread.Stime),
		"used_cpu_user_main_thread", rusageTime(thread.Utime),
	)
}

// safeInfoString replaces the characters that would break INFO's format.
func safeInfoString(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '#', ':', '\n', '\r':
			return '_'
		}
		return r
	}, s)
}

func infoCommandStats(ctx *core.Ctx) string {
	var b strings.Builder
	var walk func(m map[string]*core.Command)
	walk = func(m map[string]*core.Command) {
		for _, c := range sortedCommands(m) {
			if c.Calls != 0 || c.FailedCalls != 0 || c.RejectedCalls != 0 {
				perCall := float32(0)
				if c.Calls != 0 {
					perCall = float32(c.Usec) / float32(c.Calls)
				}
				fmt.Fprintf(&b, "cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d\r\n",
					safeInfoString(c.Name), c.Calls, c.Usec, perCall, c.RejectedCalls, c.FailedCalls)
			}
			if c.Subcommands != nil {
				walk(c.Subcommands)
			}
		}
	}
	walk(ctx.Srv.Commands)
	return b.String()
}

func infoErrorStats(ctx *core.Ctx) string {
	counts := ctx.Srv.Stats.ErrorCounts
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		fmt.Fprintf(&b, "errorstat_%s:count=%d\r\n", safeInfoString(k), counts[k])
	}
	return b.String()
}

func infoKeyspace(ctx *core.Ctx) string {
	var b strings.Builder
	ks := ctx.Srv.KS
	for i := 0; i < ks.Len(); i++ {
		db := ks.DB(i)
		keys, expires := db.Len(), db.ExpiresLen()
		if keys > 0 || expires > 0 {
			fmt.Fprintf(&b, "db%d:keys=%d,expires=%d,avg_ttl=%d\r\n", i, keys, expires, db.AvgTTL())
		}
	}
	return b.String()
}

// ---- MEMORY ----

func memoryHelp(ctx *core.Ctx) {
	replyHelp(ctx, []string{
		"DOCTOR",
		"    Return memory problems reports.",
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"STATS",
		"    Return information about the memory usage of the server.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
	})
}

func memoryDoctor(ctx *core.Ctx) {
	f := readMemFigures(ctx.Srv)
	var text string
	if f.used < 5*1024*1024 {
		text = "Hi Sam, this instance is empty or is using very little memory, " +
			"my issues detector can't be used in these conditions. " +
			"Please, leave for your mission on Earth and fill it with some data. " +
			"The new Sam and I will be back to our programming as soon as I " +
			"finished rebooting.\n"
	} else {
		text = "Hi Sam, I can't find any memory issue in your instance. " +
			"I can only account for what occurs on this base.\n"
	}
	ctx.W.Verbatim(text, "txt")
}

func memoryMallocStats(ctx *core.Ctx) {
	ctx.W.BulkString("Stats not supported for the current allocator")
}

func memoryPurge(ctx *core.Ctx) {
	debug.FreeOSMemory()
	ctx.W.OK()
}

func memoryStats(ctx *core.Ctx) {
	s := ctx.Srv
	f := readMemFigures(s)
	w := ctx.W
	var dbs []int
	for i := 0; i < s.KS.Len(); i++ {
		if db := s.KS.DB(i); db.Len() > 0 || db.ExpiresLen() > 0 {
			dbs = append(dbs, i)
		}
	}
	overhead := min(f.startup, f.used)
	dataset := f.used - overhead
	keys := 0
	for _, i := range dbs {
		keys += s.KS.DB(i).Len()
	}
	perKey := uint64(0)
	if keys > 0 {
		perKey = (f.used - f.startup) / uint64(keys)
	}
	datasetPerc, peakPerc := 0.0, 0.0
	if f.used > f.startup {
		datasetPerc = float64(dataset) * 100 / float64(f.used-f.startup)
	}
	if f.peak > 0 {
		peakPerc = float64(f.used) * 100 / float64(f.peak)
	}
	w.MapLen(27 + len(dbs))
	kv := func(k string, v int64) {
		w.BulkString(k)
		w.Int(v)
	}
	kvf := func(k string, v float64) {
		w.BulkString(k)
		w.Double(v)
	}
	kv("peak.allocated", int64(f.peak))
	kv("total.allocated", int64(f.used))
	kv("startup.allocated", int64(f.startup))
	kv("replication.backlog", 0)
	kv("clients.slaves", 0)
	kv("clients.normal", 0)
	kv("cluster.links", 0)
	kv("aof.buffer", 0)
	kv("lua.caches", 0)
	kv("functions.caches", 0)
	for _, i := range dbs {
		w.BulkString("db." + strconv.Itoa(i))
		w.MapLen(3)
		kv("overhead.hashtable.main", int64(s.KS.DB(i).Len())*24)
		kv("overhead.hashtable.expires", int64(s.KS.DB(i).ExpiresLen())*24)
		kv("overhead.hashtable.slot-to-keys", 0)
	}
	kv("overhead.total", int64(overhead))
	kv("keys.count", int64(keys))
	kv("keys.bytes-per-key", int64(perKey))
	kv("dataset.bytes", int64(dataset))
	kvf("dataset.percentage", datasetPerc)
	kvf("peak.percentage", peakPerc)
	kv("allocator.allocated", int64(f.used))
	kv("allocator.active", int64(f.heapInuse))
	kv("allocator.resident", int64(f.heapSys))
	kvf("allocator-fragmentation.ratio", ratio(f.heapInuse, f.used))
	kv("allocator-fragmentation.bytes", diff(f.heapInuse, f.used))
	kvf("allocator-rss.ratio", ratio(f.heapSys, f.heapInuse))
	kv("allocator-rss.bytes", diff(f.heapSys, f.heapInuse))
	kvf("rss-overhead.ratio", ratio(f.rss, f.heapSys))
	kv("rss-overhead.bytes", diff(f.rss, f.heapSys))
	kvf("fragmentation", ratio(f.rss, f.used))
	kv("fragmentation.bytes", diff(f.rss, f.used))
}

// Overheads of MEMORY USAGE's estimate, as Redis 7.0 counts them for a
// key: the object header, the key's sds and its dict entry.
const (
	objHeaderSize = 16
	dictEntrySize = 24
)

// sdsAlloc estimates the allocation of an sds string of n bytes (header,
// terminator, allocator rounding).
func sdsAlloc(n int) int64 {
	hdr := 3
	switch {
	case n < 1<<5:
		hdr = 1
	case n < 1<<8:
		hdr = 3
	case n < 1<<16:
		hdr = 5
	default:
		hdr = 9
	}
	return mallocSize(int64(n + hdr + 1))
}

// mallocSize rounds n up to a jemalloc size class.
func mallocSize(n int64) int64 {
	switch {
	case n <= 8:
		return 8
	case n <= 128:
		return (n + 15) / 16 * 16
	}
	// Four classes per doubling above 128 bytes.
	step := int64(16)
	for lim := int64(128); n > lim*2; lim *= 2 {
		step *= 2
	}
	step *= 2
	return (n + step - 1) / step * step
}

func memoryUsage(ctx *core.Ctx) {
	samples := int64(5)
	for j := 3; j < len(ctx.Args); j++ {
		if strings.EqualFold(string(ctx.Args[j]), "samples") && j+1 < len(ctx.Args) {
			n, ok := ctx.Int(j + 1)
			if !ok {
				return
			}
			if n < 0 {
				ctx.Error(rerr.Syntax)
				return
			}
			samples = n
			j++
			continue
		}
		ctx.Error(rerr.Syntax)
		return
	}
	key := ctx.Args[2]
	o := ctx.DB.Peek(key)
	if o == nil {
		ctx.W.Null()
		return
	}
	size := int64(objHeaderSize)
	if o.Type == keyspace.TypeString {
		switch o.Encoding() {
		case "embstr": // header and string in one allocation
			size = mallocSize(int64(objHeaderSize + 3 + len(o.Str) + 1))
		case "raw":
			size += sdsAlloc(len(o.Str))
		}
	} else if serverHooks.ValueSize != nil {
		size += serverHooks.ValueSize(o, samples)
	} else {
		size += 64
	}
	size += sdsAlloc(len(key)) + dictEntrySize
	ctx.W.Int(size)
}

// ---- DEBUG ----

// debugSubcommands holds DEBUG's subcommands by lower-case name; other
// command groups add theirs with registerDebug. DEBUG is not a container
// in Redis (its subcommands check their own arity), so neither is it here.
var debugSubcommands = map[string]func(ctx *core.Ctx){}

// registerDebug adds a DEBUG subcommand.
func registerDebug(name string, fn func(ctx *core.Ctx)) bool {
	debugSubcommands[strings.ToLower(name)] = fn
	return true
}

var _ = registerDebug("help", debugHelp)
var _ = registerDebug("log", debugLog)
var _ = registerDebug("sleep", debugSleep)
var _ = registerDebug("set-active-expire", debugSetActiveExpire)
var _ = registerDebug("protocol", debugProtocol)
var _ = registerDebug("change-repl-id", debugChangeReplID)
var _ = registerDebug("error", debugError)
var _ = registerDebug("populate", debugPopulate)
var _ = registerDebug("config-rewrite-force-all", debugConfigRewriteForceAll)

func debugCmd(ctx *core.Ctx) {
	fn := debugSubcommands[strings.ToLower(string(ctx.Args[1]))]
	if fn == nil {
		subcommandSyntaxError(ctx)
		return
	}
	fn(ctx)
}

// debugArgc checks a DEBUG subcommand's argument count (including DEBUG
// and the subcommand), replying the syntax error otherwise.
func debugArgc(ctx *core.Ctx, lo, hi int) bool {
	if len(ctx.Args) < lo || len(ctx.Args) > hi {
		subcommandSyntaxError(ctx)
		return false
	}
	return true
}

var debugHelpLines = []string{
	"AOF-FLUSH-SLEEP <microsec>",
	"    Server will sleep before flushing the AOF, this is used for testing.",
	"ASSERT",
	"    Crash by assertion failed.",
	"CHANGE-REPL-ID",
	"    Change the replication IDs of the instance.",
	"    Dangerous: should be used only for testing the replication subsystem.",
	"CONFIG-REWRITE-FORCE-ALL",
	"    Like CONFIG REWRITE but writes all configuration options, including",
	"    keywords not listed in original configuration file or default values.",
	"CRASH-AND-RECOVER [<milliseconds>]",
	"    Hard crash and restart after a <milliseconds> delay (default 0).",
	"DIGEST",
	"    Output a hex signature representing the current DB content.",
	"DIGEST-VALUE <key> [<key> ...]",
	"    Output a hex signature of the values of all the specified keys.",
	"ERROR <string>",
	"    Return a Redis protocol error with <string> as message. Useful for clients",
	"    unit tests to simulate Redis errors.",
	"LEAK <string>",
	"    Create a memory leak of the input string.",
	"LOG <message>",
	"    Write <message> to the server log.",
	"HTSTATS <dbid>",
	"    Return hash table statistics of the specified Redis database.",
	"HTSTATS-KEY <key>",
	"    Like HTSTATS but for the hash table stored at <key>'s value.",
	"LOADAOF",
	"    Flush the AOF buffers on disk and reload the AOF in memory.",
	"REPLICATE <string>",
	"    Replicates the provided string to replicas, allowing data divergence.",
	"OBJECT <key>",
	"    Show low level info about `key` and associated value.",
	"DROP-CLUSTER-PACKET-FILTER <packet-type>",
	"    Drop all packets that match the filtered type. Set to -1 allow all packets.",
	"OOM",
	"    Crash the server simulating an out-of-memory error.",
	"PANIC",
	"    Crash the server simulating a panic.",
	"POPULATE <count> [<prefix>] [<size>]",
	"    Create <count> string keys named key:<num>. If <prefix> is specified then",
	"    it is used instead of the 'key' prefix. These are not propagated to",
	"    replicas. Cluster slots are not respected so keys not belonging to the",
	"    current node can be created in cluster mode.",
	"PROTOCOL <type>",
	"    Reply with a test value of the specified type. <type> can be: string,",
	"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
	"    true, false.",
	"RELOAD [option ...]",
	"    Save the RDB on disk and reload it back to memory. Valid <option> values:",
	"    * MERGE: conflicting keys will be loaded from RDB.",
	"    * NOFLUSH: the existing database will not be removed before load, but",
	"      conflicting keys will generate an exception and kill the server.",
	"    * NOSAVE: the database will be loaded from an existing RDB file.",
	"    Examples:",
	"    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
	"      the database.",
	"    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
	"      existing RDB file.",
	"    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
	"      file to the database.",
	"RESTART [<milliseconds>]",
	"    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
	"SDSLEN <key>",
	"    Show low level SDS string info representing `key` and value.",
	"SEGFAULT",
	"    Crash the server with sigsegv.",
	"SET-ACTIVE-EXPIRE <0|1>",
	"    Setting it to 0 disables expiring keys in background when they are not",
	"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
	"    default.",
	"QUICKLIST-PACKED-THRESHOLD <size>",
	"    Sets the threshold for elements to be inserted as plain vs packed nodes",
	"    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
	"SET-SKIP-CHECKSUM-VALIDATION <0|1>",
	"    Enables or disables checksum checks for RDB files and RESTORE's payload.",
	"SLEEP <seconds>",
	"    Stop the server for <seconds>. Decimals allowed.",
	"STRINGMATCH-TEST",
	"    Run a fuzz tester against the stringmatchlen() function.",
	"STRUCTSIZE",
	"    Return the size of different Redis core C structures.",
	"LISTPACK <key>",
	"    Show low level info about the listpack encoding of <key>.",
	"QUICKLIST <key> [<0|1>]",
	"    Show low level info about the quicklist encoding of <key>.",
	"    The optional argument (0 by default) sets the level of detail",
	"CLIENT-EVICTION",
	"    Show low level client eviction pools info (maxmemory-clients).",
	"PAUSE-CRON <0|1>",
	"    Stop periodic cron job processing.",
	"REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
	"    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
	"    In case NEVER is provided the last observed peak will never be reset",
	"    In case RESET is provided the peak reset time will be restored to the default value",
	"REPLYBUFFER RESIZING <0|1>",
	"    Enable or disable the reply buffer resize cron job",
	"CLUSTERLINK KILL <to|from|all> <node-id>",
	"    Kills the link based on the direction to/from (both) with the provided node.",
}

func debugHelp(ctx *core.Ctx) {
	if !debugArgc(ctx, 2, 2) {
		return
	}
	replyHelp(ctx, debugHelpLines)
}

func debugLog(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	ctx.Srv.Log.Warn("DEBUG LOG: " + string(ctx.Args[2]))
	ctx.W.OK()
}

func debugSleep(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	secs, _ := numfmt.ParseFloatLoose(ctx.Args[2])
	if secs > 0 {
		time.Sleep(time.Duration(secs * float64(time.Second)))
	}
	ctx.W.OK()
}

func debugSetActiveExpire(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	n := atoi(ctx.Args[2])
	ctx.Srv.SetActiveExpire(n != 0)
	ctx.W.OK()
}

// atoi parses a leading decimal integer like C's atoi (0 when none).
func atoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var n int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

func debugProtocol(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	w := ctx.W
	resp3 := ctx.Client.Proto >= 3
	switch strings.ToLower(string(ctx.Args[2])) {
	case "string":
		w.BulkString("Hello World")
	case "integer":
		w.Int(12345)
	case "double":
		w.Double(3.141)
	case "bignum":
		if resp3 {
			w.RawString("(1234567999999999999999999999999999999\r\n")
		} else {
			w.BulkString("1234567999999999999999999999999999999")
		}
	case "null":
		w.Null()
	case "array":
		w.ArrayLen(3)
		for j := 0; j < 3; j++ {
			w.Int(int64(j))
		}
	case "set":
		w.SetLen(3)
		for j := 0; j < 3; j++ {
			w.Int(int64(j))
		}
	case "map":
		w.MapLen(3)
		for j := 0; j < 3; j++ {
			w.Int(int64(j))
			w.Bool(j == 1)
		}
	case "attrib":
		if resp3 {
			w.RawString("|1\r\n")
			w.BulkString("key-popularity")
			w.ArrayLen(2)
			w.BulkString("key:123")
			w.Int(90)
		}
		w.BulkString("Some real reply following the attribute")
	case "push":
		if !resp3 {
			ctx.Error("ERR RESP2 is not supported by this command")
			return
		}
		w.PushLen(2)
		w.BulkString("server-cpu-usage")
		w.Int(42)
		w.BulkString("Some real reply following the push reply")
	case "true":
		w.Bool(true)
	case "false":
		w.Bool(false)
	case "verbatim":
		w.Verbatim("This is a verbatim\nstring", "txt")
	default:
		ctx.Error("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}

func debugChangeReplID(ctx *core.Ctx) {
	if !debugArgc(ctx, 2, 2) {
		return
	}
	e := extraFor(ctx.Srv)
	id := make([]byte, 20)
	_, _ = rand.Read(id)
	e.mu.Lock()
	e.replID = hex.EncodeToString(id)
	e.mu.Unlock()
	ctx.W.OK()
}

func debugError(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	msg := string(ctx.Args[2])
	ctx.Error(msg)
}

func debugPopulate(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 5) {
		return
	}
	count, ok := ctx.Int(2)
	if !ok {
		return
	}
	if count < 0 {
		ctx.Error(rerr.OutOfRangePos)
		return
	}
	prefix := "key"
	if len(ctx.Args) >= 4 {
		prefix = string(ctx.Args[3])
	}
	var size int64
	if len(ctx.Args) == 5 {
		n, ok := ctx.Int(4)
		if !ok {
			return
		}
		if n < 0 {
			ctx.Error(rerr.OutOfRangePos)
			return
		}
		size = n
	}
	for j := int64(0); j < count; j++ {
		key := []byte(prefix + ":" + strconv.FormatInt(j, 10))
		if ctx.DB.Exists(key) {
			continue
		}
		val := []byte("value:" + strconv.FormatInt(j, 10))
		if size > 0 {
			v := make([]byte, size)
			copy(v, val)
			val = v
		}
		ctx.DB.AddNewString(key, val)
	}
	ctx.W.OK()
}

func debugConfigRewriteForceAll(ctx *core.Ctx) {
	if !debugArgc(ctx, 2, 2) {
		return
	}
	if err := ctx.Srv.Config.Rewrite(""); err != nil {
		ctx.Errorf("ERR CONFIG-REWRITE-FORCE-ALL failed: %s", strings.TrimPrefix(err.Error(), "ERR Rewriting config file: "))
		return
	}
	ctx.W.OK()
}

// configSetOptions describes the calling client for CONFIG SET.
func configSetOptions(ctx *core.Ctx) config.SetOptions {
	return config.SetOptions{Local: core.IsLocalClient(ctx.Client)}
}
