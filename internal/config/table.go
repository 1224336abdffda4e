package config

import (
	"math"
	"strings"
)

// C limits used by Redis's directive table.
const (
	intMin    = math.MinInt32
	intMax    = math.MaxInt32
	uintMax   = math.MaxUint32
	longMax   = math.MaxInt64
	ullongMax = -1 // as a long long, which is how Redis stores the bound
)

var (
	maxmemoryPolicyEnum = []enumItem{{"volatile-lru", 0}, {"volatile-lfu", 1}, {"volatile-random", 2},
		{"volatile-ttl", 3}, {"allkeys-lru", 4}, {"allkeys-lfu", 5}, {"allkeys-random", 6}, {"noeviction", 7}}
	syslogFacilityEnum = []enumItem{{"user", 0}, {"local0", 1}, {"local1", 2}, {"local2", 3}, {"local3", 4},
		{"local4", 5}, {"local5", 6}, {"local6", 7}, {"local7", 8}}
	loglevelEnum          = []enumItem{{"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3}}
	supervisedEnum        = []enumItem{{"upstart", 1}, {"systemd", 2}, {"auto", 3}, {"no", 0}}
	aofFsyncEnum          = []enumItem{{"everysec", 0}, {"always", 1}, {"no", 2}}
	shutdownOnSigEnum     = []enumItem{{"default", 0}, {"save", ShutdownSave}, {"nosave", ShutdownNoSave}, {"now", ShutdownNow}, {"force", ShutdownForce}}
	replDisklessLoadEnum  = []enumItem{{"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}}
	tlsAuthClientsEnum    = []enumItem{{"no", 0}, {"yes", 1}, {"optional", 2}}
	oomScoreAdjEnum       = []enumItem{{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}}
	aclPubsubDefaultEnum  = []enumItem{{"allchannels", 1}, {"resetchannels", 0}}
	sanitizeDumpEnum      = []enumItem{{"no", 0}, {"yes", 1}, {"clients", 2}}
	protectedActionEnum   = []enumItem{{"no", 0}, {"yes", 1}, {"local", 2}}
	endpointTypeEnum      = []enumItem{{"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}}
	propagationErrorEnum  = []enumItem{{"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}}
	modeEnum              = []enumItem{{"eventloop", 0}, {"threaded", 1}}
	snapshotFormatEnum    = []enumItem{{"rdb", 0}, {"json", 1}}
	protectedActionNo     = 0
	loglevelNotice        = 2
	maxmemoryNoEviction   = 7
	syslogLocal0          = 1
	tlsAuthClientsYes     = 1
	enumDefaultFirstValue = 0
)

// Modifiable is the absence of flags; named for readability of the table.
const fModifiable dflag = 0

func boolD(name, alias string, fl dflag, def bool, p func(*Config) *bool) *directive {
	return &directive{name: name, alias: alias, flags: fl, kind: kBool, defBool: def, boolPtr: p, impl: p != nil}
}

// numD declares a numeric directive. p is nil or a func(*Config) returning
// *int, *int64 or *uint64.
func numD(name, alias string, fl dflag, unsigned bool, lo, hi, def int64, nf int, p any) *directive {
	d := &directive{name: name, alias: alias, flags: fl, kind: kNum, unsigned: unsigned,
		lo: lo, hi: hi, defNum: def, nflags: nf}
	switch f := p.(type) {
	case func(*Config) *int:
		d.intPtr = f
	case func(*Config) *int64:
		d.i64Ptr = f
	case func(*Config) *uint64:
		d.u64Ptr = f
	}
	d.impl = p != nil
	return d
}

// enumD declares an enum directive. p is nil, a func(*Config) *string
// (canonical name) or a func(*Config) *int (value).
func enumD(name, alias string, fl dflag, items []enumItem, def int, p any) *directive {
	d := &directive{name: name, alias: alias, flags: fl, kind: kEnum, enum: items, defEnum: def}
	switch f := p.(type) {
	case func(*Config) *string:
		d.enumStr = f
	case func(*Config) *int:
		d.enumInt = f
	}
	d.impl = p != nil
	return d
}

// strD declares a string directive whose default is def.
func strD(name, alias string, fl dflag, emptyNull bool, def string, p func(*Config) *string) *directive {
	return &directive{name: name, alias: alias, flags: fl, kind: kString, emptyNull: emptyNull,
		defStr: def, strPtr: p, impl: p != nil}
}

// nullD declares a string directive that is unset (NULL) by default and
// whose empty value means unset.
func nullD(name, alias string, fl dflag, p func(*Config) *string) *directive {
	d := strD(name, alias, fl, true, "", p)
	d.nullDefault = true
	return d
}

func withBool(d *directive, v func(bool) string) *directive  { d.validBool = v; return d }
func withStr(d *directive, v func(string) string) *directive { d.validStr = v; return d }
func withEnum(d *directive, v func(int) string) *directive   { d.validEnum = v; return d }
func withAfter(d *directive, f func(*Config)) *directive     { d.after = f; return d }
func specialD(name, alias string, fl dflag, impl bool, initFn func(*Config),
	setFn func(*Config, []string) (int, string), getFn func(*Config) string,
	rewriteFn func(*Config, *rewriteState, string)) *directive {
	return &directive{name: name, alias: alias, flags: fl, kind: kSpecial, impl: impl,
		initFn: initFn, setFn: setFn, getFn: getFn, rewriteFn: rewriteFn}
}

// Validators, with Redis's texts.

func validActiveDefrag(v bool) string {
	if v {
		return "Active defragmentation cannot be enabled: it requires a Redis server compiled " +
			"with a modified Jemalloc like the one shipped by default with the Redis source distribution"
	}
	return ""
}

func isBaseName(s string) bool { return !strings.ContainsAny(s, `/\`) }

func validDBFilename(s string) string {
	if !isBaseName(s) {
		return "dbfilename can't be a path, just a filename"
	}
	return ""
}

func validAOFFilename(s string) string {
	if s == "" {
		return "appendfilename can't be empty"
	}
	if !isBaseName(s) {
		return "appendfilename can't be a path, just a filename"
	}
	return ""
}

func validAOFDirname(s string) string {
	if s == "" {
		return "appenddirname can't be empty"
	}
	if !isBaseName(s) {
		return "appenddirname can't be a path, just a dirname"
	}
	return ""
}

func validShutdownOnSig(v int) string {
	if v&ShutdownNoSave != 0 && v&ShutdownSave != 0 {
		return "shutdown options SAVE and NOSAVE can't be used simultaneously"
	}
	return ""
}

func validHostname(s string) string {
	if len(s) >= 256 {
		return "Hostnames must be less than 256 characters"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return "Hostnames may only contain alphanumeric characters, hyphens or dots"
		}
	}
	return ""
}

// validProcTitle is validateProcTitleTemplate: the template must expand
// (known {variables}, no dangling brace) to something non-blank.
func validProcTitle(s string) string {
	const bad = "template format is invalid or contains unknown variables"
	var out strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			out.WriteString(s)
			break
		}
		out.WriteString(s[:i])
		s = s[i+1:]
		if s == "" {
			return bad
		}
		if s[0] == '{' {
			out.WriteByte('{')
			s = s[1:]
			continue
		}
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return bad
		}
		switch s[:j] {
		case "title", "server-mode", "unixsocket":
			// empty when validating
		case "listen-addr", "config-file", "port", "tls-port":
			out.WriteByte('x')
		default:
			return bad
		}
		s = s[j+1:]
	}
	if strings.Trim(out.String(), " ") == "" {
		return bad
	}
	return ""
}

// clampHz mirrors updateHZ: hz is a hint, kept within 1..500.
func clampHz(c *Config) {
	if c.Hz < 1 {
		c.Hz = 1
	}
	if c.Hz > 500 {
		c.Hz = 500
	}
}

// table returns every directive Redis 7.0.15 (as built by Debian, with
// TLS) knows, in the order of config.c's static_configs, followed by our
// own. Directives with a Config field are the ones the server acts on.
func table() []*directive {
	return []*directive{
		// Bool configs
		boolD("rdbchecksum", "", fImmutable, true, func(c *Config) *bool { return &c.RDBChecksum }),
		boolD("daemonize", "", fImmutable, false, nil),
		boolD("io-threads-do-reads", "", fDebug|fImmutable, false, nil),
		boolD("always-show-logo", "", fImmutable, false, nil),
		boolD("protected-mode", "", fModifiable, true, func(c *Config) *bool { return &c.ProtectedMode }),
		boolD("rdbcompression", "", fModifiable, true, func(c *Config) *bool { return &c.RDBCompression }),
		boolD("rdb-del-sync-files", "", fModifiable, false, nil),
		boolD("activerehashing", "", fModifiable, true, nil),
		boolD("stop-writes-on-bgsave-error", "", fModifiable, true, func(c *Config) *bool { return &c.StopWritesOnBgsaveError }),
		boolD("set-proc-title", "", fImmutable, true, nil),
		boolD("dynamic-hz", "", fModifiable, true, nil),
		boolD("lazyfree-lazy-eviction", "", fDebug, false, func(c *Config) *bool { return &c.LazyfreeLazyEviction }),
		boolD("lazyfree-lazy-expire", "", fDebug, false, func(c *Config) *bool { return &c.LazyfreeLazyExpire }),
		boolD("lazyfree-lazy-server-del", "", fDebug, false, func(c *Config) *bool { return &c.LazyfreeLazyServerDel }),
		boolD("lazyfree-lazy-user-del", "", fDebug, false, func(c *Config) *bool { return &c.LazyfreeLazyUserDel }),
		boolD("lazyfree-lazy-user-flush", "", fDebug, false, func(c *Config) *bool { return &c.LazyfreeLazyUserFlush }),
		boolD("repl-disable-tcp-nodelay", "", fModifiable, false, nil),
		boolD("repl-diskless-sync", "", fDebug, true, nil),
		boolD("aof-rewrite-incremental-fsync", "", fModifiable, true, func(c *Config) *bool { return &c.AOFRewriteIncrementalFsync }),
		boolD("no-appendfsync-on-rewrite", "", fModifiable, false, func(c *Config) *bool { return &c.NoAppendFsyncOnRewrite }),
		boolD("cluster-require-full-coverage", "", fModifiable, true, nil),
		boolD("rdb-save-incremental-fsync", "", fModifiable, true, func(c *Config) *bool { return &c.RDBSaveIncrementalFsync }),
		boolD("aof-load-truncated", "", fModifiable, true, func(c *Config) *bool { return &c.AOFLoadTruncated }),
		boolD("aof-use-rdb-preamble", "", fModifiable, true, func(c *Config) *bool { return &c.AOFUseRDBPreamble }),
		boolD("aof-timestamp-enabled", "", fModifiable, false, func(c *Config) *bool { return &c.AOFTimestampEnabled }),
		boolD("cluster-replica-no-failover", "cluster-slave-no-failover", fModifiable, false, nil),
		boolD("replica-lazy-flush", "slave-lazy-flush", fModifiable, false, nil),
		boolD("replica-serve-stale-data", "slave-serve-stale-data", fModifiable, true, nil),
		boolD("replica-read-only", "slave-read-only", fDebug, true, func(c *Config) *bool { return &c.ReplicaReadOnly }),
		boolD("replica-ignore-maxmemory", "slave-ignore-maxmemory", fModifiable, true, nil),
		boolD("jemalloc-bg-thread", "", fModifiable, true, nil),
		withBool(boolD("activedefrag", "", fDebug, false, nil), validActiveDefrag),
		boolD("syslog-enabled", "", fImmutable, false, nil),
		boolD("cluster-enabled", "", fImmutable, false, nil),
		// appendonly: the original project's default is yes.
		boolD("appendonly", "", fDenyLoading, true, func(c *Config) *bool { return &c.AppendOnly }),
		boolD("cluster-allow-reads-when-down", "", fModifiable, false, nil),
		boolD("cluster-allow-pubsubshard-when-down", "", fModifiable, true, nil),
		boolD("crash-log-enabled", "", fModifiable, true, nil),
		boolD("crash-memcheck-enabled", "", fModifiable, true, nil),
		boolD("use-exit-on-panic", "", fHidden, false, nil),
		boolD("disable-thp", "", fImmutable, true, nil),
		boolD("cluster-allow-replica-migration", "", fModifiable, true, nil),
		boolD("replica-announced", "", fModifiable, true, nil),
		boolD("latency-tracking", "", fModifiable, true, func(c *Config) *bool { return &c.LatencyTracking }),
		boolD("aof-disable-auto-gc", "", fModifiable, false, func(c *Config) *bool { return &c.AOFDisableAutoGC }),
		boolD("replica-ignore-disk-write-errors", "", fModifiable, false, nil),
		boolD("lua-enable-deprecated-api", "", fImmutable|fHidden, false, nil),

		// String configs
		strD("aclfile", "", fImmutable, false, "", nil),
		nullD("unixsocket", "", fImmutable, func(c *Config) *string { return &c.UnixSocket }),
		nullD("pidfile", "", fImmutable, func(c *Config) *string { return &c.PidFile }),
		nullD("replica-announce-ip", "slave-announce-ip", fModifiable, nil),
		nullD("masteruser", "", fSensitive, nil),
		nullD("cluster-announce-ip", "", fModifiable, nil),
		strD("cluster-config-file", "", fImmutable, false, "nodes.conf", nil),
		withStr(nullD("cluster-announce-hostname", "", fModifiable, nil), validHostname),
		strD("syslog-ident", "", fImmutable, false, "redis", nil),
		withStr(strD("dbfilename", "", fProtected, false, "dump.rdb", func(c *Config) *string { return &c.DBFilename }), validDBFilename),
		withStr(strD("appendfilename", "", fImmutable, false, "appendonly.aof", func(c *Config) *string { return &c.AppendFilename }), validAOFFilename),
		withStr(strD("appenddirname", "", fImmutable, false, "appendonlydir", func(c *Config) *string { return &c.AppendDirName }), validAOFDirname),
		nullD("server_cpulist", "", fImmutable, nil),
		nullD("bio_cpulist", "", fImmutable, nil),
		nullD("aof_rewrite_cpulist", "", fImmutable, nil),
		nullD("bgsave_cpulist", "", fImmutable, nil),
		strD("ignore-warnings", "", fModifiable, false, "", nil),
		withStr(strD("proc-title-template", "", fModifiable, false, "{title} {listen-addr} {server-mode}", nil), validProcTitle),
		nullD("bind-source-addr", "", fModifiable, nil),
		strD("logfile", "", fImmutable, false, "", func(c *Config) *string { return &c.LogFile }),

		// SDS configs
		nullD("masterauth", "", fSensitive, nil),
		nullD("requirepass", "", fSensitive, func(c *Config) *string { return &c.RequirePass }),

		// Enum configs
		enumD("supervised", "", fImmutable, supervisedEnum, 0, nil),
		enumD("syslog-facility", "", fImmutable, syslogFacilityEnum, syslogLocal0, nil),
		enumD("repl-diskless-load", "", fDebug|fDenyLoading, replDisklessLoadEnum, 0, nil),
		enumD("loglevel", "", fModifiable, loglevelEnum, loglevelNotice, func(c *Config) *string { return &c.LogLevel }),
		enumD("maxmemory-policy", "", fModifiable, maxmemoryPolicyEnum, maxmemoryNoEviction, func(c *Config) *string { return &c.MaxMemoryPolicy }),
		enumD("appendfsync", "", fModifiable, aofFsyncEnum, 0, func(c *Config) *string { return &c.AppendFsync }),
		enumD("oom-score-adj", "", fModifiable, oomScoreAdjEnum, 0, nil),
		enumD("acl-pubsub-default", "", fModifiable, aclPubsubDefaultEnum, 0, nil),
		enumD("sanitize-dump-payload", "", fDebug, sanitizeDumpEnum, 0, nil),
		enumD("enable-protected-configs", "", fImmutable, protectedActionEnum, protectedActionNo, func(c *Config) *string { return &c.EnableProtectedConfigs }),
		enumD("enable-debug-command", "", fImmutable, protectedActionEnum, protectedActionNo, func(c *Config) *string { return &c.EnableDebugCommand }),
		enumD("enable-module-command", "", fImmutable, protectedActionEnum, protectedActionNo, func(c *Config) *string { return &c.EnableModuleCommand }),
		enumD("cluster-preferred-endpoint-type", "", fModifiable, endpointTypeEnum, 0, nil),
		enumD("propagation-error-behavior", "", fModifiable, propagationErrorEnum, 0, nil),
		withEnum(enumD("shutdown-on-sigint", "", fMulti, shutdownOnSigEnum, 0, func(c *Config) *int { return &c.ShutdownOnSigint }), validShutdownOnSig),
		withEnum(enumD("shutdown-on-sigterm", "", fMulti, shutdownOnSigEnum, 0, func(c *Config) *int { return &c.ShutdownOnSigterm }), validShutdownOnSig),

		// Integer configs
		numD("databases", "", fImmutable, false, 1, intMax, 16, 0, func(c *Config) *int { return &c.Databases }),
		numD("port", "", fModifiable, false, 0, 65535, 6379, 0, func(c *Config) *int { return &c.Port }),
		numD("io-threads", "", fDebug|fImmutable, false, 1, 128, 1, 0, nil),
		numD("auto-aof-rewrite-percentage", "", fModifiable, false, 0, intMax, 100, 0, func(c *Config) *int { return &c.AutoAOFRewritePercentage }),
		numD("cluster-replica-validity-factor", "cluster-slave-validity-factor", fModifiable, false, 0, intMax, 10, 0, nil),
		numD("list-max-listpack-size", "list-max-ziplist-size", fModifiable, false, intMin, intMax, -2, 0, func(c *Config) *int { return &c.ListMaxListpackSize }),
		numD("tcp-keepalive", "", fModifiable, false, 0, intMax, 300, 0, func(c *Config) *int { return &c.TCPKeepAlive }),
		numD("cluster-migration-barrier", "", fModifiable, false, 0, intMax, 1, 0, nil),
		numD("active-defrag-cycle-min", "", fModifiable, false, 1, 99, 1, 0, nil),
		numD("active-defrag-cycle-max", "", fModifiable, false, 1, 99, 25, 0, nil),
		numD("active-defrag-threshold-lower", "", fModifiable, false, 0, 1000, 10, 0, nil),
		numD("active-defrag-threshold-upper", "", fModifiable, false, 0, 1000, 100, 0, nil),
		numD("lfu-log-factor", "", fModifiable, false, 0, intMax, 10, 0, func(c *Config) *int { return &c.LFULogFactor }),
		numD("lfu-decay-time", "", fModifiable, false, 0, intMax, 1, 0, func(c *Config) *int { return &c.LFUDecayTime }),
		numD("replica-priority", "slave-priority", fModifiable, false, 0, intMax, 100, 0, nil),
		numD("repl-diskless-sync-delay", "", fModifiable, false, 0, intMax, 5, 0, nil),
		numD("maxmemory-samples", "", fModifiable, false, 1, intMax, 5, 0, func(c *Config) *int { return &c.MaxMemorySamples }),
		numD("maxmemory-eviction-tenacity", "", fModifiable, false, 0, 100, 10, 0, func(c *Config) *int { return &c.MaxMemoryEvictionTenacity }),
		numD("timeout", "", fModifiable, false, 0, intMax, 0, 0, func(c *Config) *int { return &c.Timeout }),
		numD("replica-announce-port", "slave-announce-port", fModifiable, false, 0, 65535, 0, 0, nil),
		numD("tcp-backlog", "", fImmutable, false, 0, intMax, 511, 0, nil),
		numD("cluster-port", "", fImmutable, false, 0, 65535, 0, 0, nil),
		numD("cluster-announce-bus-port", "", fModifiable, false, 0, 65535, 0, 0, nil),
		numD("cluster-announce-port", "", fModifiable, false, 0, 65535, 0, 0, nil),
		numD("cluster-announce-tls-port", "", fModifiable, false, 0, 65535, 0, 0, nil),
		numD("repl-timeout", "", fModifiable, false, 1, intMax, 60, 0, nil),
		numD("repl-ping-replica-period", "repl-ping-slave-period", fModifiable, false, 1, intMax, 10, 0, nil),
		numD("list-compress-depth", "", fDebug, false, 0, intMax, 0, 0, func(c *Config) *int { return &c.ListCompressDepth }),
		numD("rdb-key-save-delay", "", fHidden, false, intMin, intMax, 0, 0, nil),
		numD("key-load-delay", "", fHidden, false, intMin, intMax, 0, 0, nil),
		numD("active-expire-effort", "", fModifiable, false, 1, 10, 1, 0, func(c *Config) *int { return &c.ActiveExpireEffort }),
		withAfter(numD("hz", "", fModifiable, false, 0, intMax, 10, 0, func(c *Config) *int { return &c.Hz }), clampHz),
		numD("min-replicas-to-write", "min-slaves-to-write", fModifiable, false, 0, intMax, 0, 0, nil),
		numD("min-replicas-max-lag", "min-slaves-max-lag", fModifiable, false, 0, intMax, 10, 0, nil),
		numD("watchdog-period", "", fHidden, false, 0, intMax, 0, 0, nil),
		numD("shutdown-timeout", "", fModifiable, false, 0, intMax, 10, 0, func(c *Config) *int { return &c.ShutdownTimeout }),
		numD("repl-diskless-sync-max-replicas", "", fModifiable, false, 0, intMax, 0, 0, nil),

		// Unsigned int configs
		numD("maxclients", "", fModifiable, true, 1, uintMax, 10000, 0, func(c *Config) *int { return &c.MaxClients }),
		numD("unixsocketperm", "", fImmutable, true, 0, 0o777, 0, numOctal, func(c *Config) *int { return &c.UnixSocketPerm }),
		numD("socket-mark-id", "", fImmutable, true, 0, uintMax, 0, 0, nil),

		// Unsigned long configs (bound-checked as signed, as in Redis)
		numD("active-defrag-max-scan-fields", "", fModifiable, false, 1, longMax, 1000, 0, nil),
		numD("slowlog-max-len", "", fModifiable, false, 0, longMax, 128, 0, func(c *Config) *int { return &c.SlowlogMaxLen }),
		numD("acllog-max-len", "", fModifiable, false, 0, longMax, 128, 0, func(c *Config) *int { return &c.ACLLogMaxLen }),

		// Long long configs
		numD("busy-reply-threshold", "lua-time-limit", fModifiable, false, 0, longMax, 5000, 0, func(c *Config) *int64 { return &c.BusyReplyThreshold }),
		numD("cluster-node-timeout", "", fModifiable, false, 0, longMax, 15000, 0, nil),
		numD("slowlog-log-slower-than", "", fModifiable, false, -1, longMax, 10000, 0, func(c *Config) *int64 { return &c.SlowlogLogSlowerThan }),
		numD("latency-monitor-threshold", "", fModifiable, false, 0, longMax, 0, 0, func(c *Config) *int64 { return &c.LatencyMonitorThreshold }),
		numD("proto-max-bulk-len", "", fDebug, false, 1024*1024, longMax, 512*1024*1024, numMemory, func(c *Config) *int64 { return &c.ProtoMaxBulkLen }),
		numD("stream-node-max-entries", "", fModifiable, false, 0, longMax, 100, 0, func(c *Config) *int64 { return &c.StreamNodeMaxEntries }),
		numD("repl-backlog-size", "", fModifiable, false, 1, longMax, 1024*1024, numMemory, nil),

		// Unsigned long long configs
		numD("maxmemory", "", fModifiable, true, 0, ullongMax, 0, numMemory, func(c *Config) *uint64 { return &c.MaxMemory }),
		numD("cluster-link-sendbuf-limit", "", fModifiable, true, 0, ullongMax, 0, numMemory, nil),

		// Size_t configs
		numD("hash-max-listpack-entries", "hash-max-ziplist-entries", fModifiable, true, 0, longMax, 512, 0, func(c *Config) *int { return &c.HashMaxListpackEntries }),
		numD("set-max-intset-entries", "", fModifiable, true, 0, longMax, 512, 0, func(c *Config) *int { return &c.SetMaxIntsetEntries }),
		numD("zset-max-listpack-entries", "zset-max-ziplist-entries", fModifiable, true, 0, longMax, 128, 0, func(c *Config) *int { return &c.ZSetMaxListpackEntries }),
		numD("active-defrag-ignore-bytes", "", fModifiable, true, 1, longMax, 100<<20, numMemory, nil),
		numD("hash-max-listpack-value", "hash-max-ziplist-value", fModifiable, true, 0, longMax, 64, numMemory, func(c *Config) *int { return &c.HashMaxListpackValue }),
		numD("stream-node-max-bytes", "", fModifiable, true, 0, longMax, 4096, numMemory, func(c *Config) *int { return &c.StreamNodeMaxBytes }),
		numD("zset-max-listpack-value", "zset-max-ziplist-value", fModifiable, true, 0, longMax, 64, numMemory, func(c *Config) *int { return &c.ZSetMaxListpackValue }),
		numD("hll-sparse-max-bytes", "", fModifiable, true, 0, longMax, 3000, numMemory, func(c *Config) *int { return &c.HLLSparseMaxBytes }),
		numD("tracking-table-max-keys", "", fModifiable, true, 0, longMax, 1000000, 0, func(c *Config) *int { return &c.TrackingTableMaxKeys }),
		numD("client-query-buffer-limit", "", fDebug, true, 1024*1024, longMax, 1024*1024*1024, numMemory, func(c *Config) *int64 { return &c.ClientQueryBufferLimit }),
		numD("maxmemory-clients", "", fModifiable, false, -100, longMax, 0, numMemory|numPercent, func(c *Config) *int64 { return &c.MaxMemoryClients }),

		// Other configs
		numD("repl-backlog-ttl", "", fModifiable, false, 0, longMax, 60*60, 0, nil),
		numD("auto-aof-rewrite-min-size", "", fModifiable, false, 0, longMax, 64*1024*1024, numMemory, func(c *Config) *int64 { return &c.AutoAOFRewriteMinSize }),
		numD("loading-process-events-interval-bytes", "", fHidden, false, 1024, intMax, 2*1024*1024, 0, nil),

		// TLS (Debian builds Redis with TLS support)
		numD("tls-port", "", fModifiable, false, 0, 65535, 0, 0, nil),
		numD("tls-session-cache-size", "", fModifiable, false, 0, intMax, 20*1024, 0, nil),
		numD("tls-session-cache-timeout", "", fModifiable, false, 0, intMax, 300, 0, nil),
		boolD("tls-cluster", "", fModifiable, false, nil),
		boolD("tls-replication", "", fModifiable, false, nil),
		enumD("tls-auth-clients", "", fModifiable, tlsAuthClientsEnum, tlsAuthClientsYes, nil),
		boolD("tls-prefer-server-ciphers", "", fModifiable, false, nil),
		boolD("tls-session-caching", "", fModifiable, true, nil),
		nullD("tls-cert-file", "", fVolatile, nil),
		nullD("tls-key-file", "", fVolatile, nil),
		nullD("tls-key-file-pass", "", fModifiable, nil),
		nullD("tls-client-cert-file", "", fVolatile, nil),
		nullD("tls-client-key-file", "", fVolatile, nil),
		nullD("tls-client-key-file-pass", "", fModifiable, nil),
		nullD("tls-dh-params-file", "", fVolatile, nil),
		nullD("tls-ca-cert-file", "", fVolatile, nil),
		nullD("tls-ca-cert-dir", "", fVolatile, nil),
		nullD("tls-protocols", "", fModifiable, nil),
		nullD("tls-ciphers", "", fModifiable, nil),
		nullD("tls-ciphersuites", "", fModifiable, nil),

		// Special configs
		specialD("dir", "", fProtected|fDenyLoading, true, initDir, setDir, getDir, rewriteDir),
		specialD("save", "", fMulti, true, initSave, setSave, getSave, rewriteSave),
		specialD("client-output-buffer-limit", "", fMulti, true, initCOBL, setCOBL, getCOBL, rewriteCOBL),
		specialD("oom-score-adj-values", "", fMulti, false, initOOM, setOOM, getOOM, rewriteOOM),
		specialD("notify-keyspace-events", "", fModifiable, true, initNotify, setNotify, getNotify, rewriteNotify),
		specialD("bind", "", fMulti, true, initBind, setBind, getBind, rewriteBind),
		specialD("replicaof", "slaveof", fImmutable|fMulti, false, initReplicaOf, setReplicaOf, getReplicaOf, rewriteReplicaOf),
		specialD("latency-tracking-info-percentiles", "", fMulti, true, initPercentiles, setPercentiles, getPercentiles, rewritePercentiles),

		// Our own directives.
		enumD("mode", "", fImmutable|fHidden, modeEnum, enumDefaultFirstValue, func(c *Config) *string { return &c.Mode }),
		enumD("snapshot-format", "", fModifiable, snapshotFormatEnum, enumDefaultFirstValue, func(c *Config) *string { return &c.SnapshotFormat }),
	}
}

// deprecatedDirectives are accepted in a file with exactly one argument
// and ignored, as Redis 7.0 does.
var deprecatedDirectives = map[string]bool{
	"list-max-ziplist-entries": true,
	"list-max-ziplist-value":   true,
	"lua-replicate-commands":   true,
}
