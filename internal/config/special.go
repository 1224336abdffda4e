package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// This file implements the directives whose values are not a single
// bool, number, enum or string (Redis's SPECIAL_CONFIG ones).

// ---- dir ----

func initDir(c *Config) { c.Dir = defaultDir() }

// setDir validates the directory the way Redis's chdir would and stores
// its absolute path. Redis changes its working directory; we do not, the
// server resolves data files against Dir instead.
func setDir(c *Config, args []string) (int, string) {
	if len(args) != 1 {
		return setFailed, "wrong number of arguments"
	}
	p := args[0]
	if p == "" {
		return setFailed, strerror(syscall.ENOENT)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return setFailed, strerror(err)
	}
	if !fi.IsDir() {
		return setFailed, strerror(syscall.ENOTDIR)
	}
	if err := syscall.Access(p, 1); err != nil { // chdir needs search permission
		return setFailed, strerror(err)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return setFailed, strerror(err)
	}
	c.Dir = abs
	return setChanged, ""
}

func getDir(c *Config) string { return c.Dir }

func rewriteDir(c *Config, st *rewriteState, name string) {
	st.rewriteLine(name, name+" "+repr(c.Dir), true)
}

// ---- save ----

var defaultSave = []SavePoint{{900, 1}, {300, 10}, {60, 10000}}

func initSave(c *Config) { c.Save = slices.Clone(defaultSave) }

// setSave is setConfigSaveOption, including its file-loading quirk: while
// reading a file the first save line replaces the defaults and later ones
// append; otherwise every set replaces the list.
func setSave(c *Config, args []string) (int, string) {
	if len(args) == 1 && args[0] == "" {
		c.Save = nil
		args = nil
	}
	if len(args)%2 != 0 {
		return setFailed, "Invalid save parameters"
	}
	vals := make([]int64, len(args))
	for j, a := range args {
		v, ok := atoiC(a)
		if !ok || (j%2 == 0 && v < 1) || (j%2 == 1 && v < 0) {
			return setFailed, "Invalid save parameters"
		}
		vals[j] = v
	}
	if !c.readingFile {
		c.Save = nil
	} else if !c.saveLoaded {
		c.saveLoaded = true
		c.Save = nil
	}
	for j := 0; j < len(vals); j += 2 {
		// changes is a C int in Redis
		c.Save = append(c.Save, SavePoint{Seconds: vals[j], Changes: int64(int32(vals[j+1]))})
	}
	return setChanged, ""
}

func getSave(c *Config) string {
	parts := make([]string, 0, 2*len(c.Save))
	for _, s := range c.Save {
		parts = append(parts, strconv.FormatInt(s.Seconds, 10), strconv.FormatInt(s.Changes, 10))
	}
	return strings.Join(parts, " ")
}

func rewriteSave(c *Config, st *rewriteState, name string) {
	if len(c.Save) == 0 {
		st.rewriteLine(name, `save ""`, true)
	}
	for _, s := range c.Save {
		st.rewriteLine(name, "save "+strconv.FormatInt(s.Seconds, 10)+" "+strconv.FormatInt(s.Changes, 10), true)
	}
	st.markProcessed(name)
}

// ---- client-output-buffer-limit ----

var defaultCOBL = [3]ClientBufferLimit{
	{0, 0, 0},
	{256 * 1024 * 1024, 64 * 1024 * 1024, 60},
	{32 * 1024 * 1024, 8 * 1024 * 1024, 60},
}

var cobClassNames = [3]string{"normal", "slave", "pubsub"}

func initCOBL(c *Config) { c.ClientOutputBufferLimit = defaultCOBL }

// clientClass is getClientTypeByName restricted to the classes that have
// output buffer limits; -1 for anything else (including "master").
func clientClass(s string) int {
	switch strings.ToLower(s) {
	case "normal":
		return ClientNormal
	case "slave", "replica":
		return ClientReplica
	case "pubsub":
		return ClientPubSub
	}
	return -1
}

// setCOBL is updateClientOutputBufferLimit: all groups are checked before
// any is applied.
func setCOBL(c *Config, args []string) (int, string) {
	if len(args)%4 != 0 {
		return setFailed, "Wrong number of arguments in buffer limit configuration."
	}
	vals := c.ClientOutputBufferLimit
	for j := 0; j < len(args); j += 4 {
		class := clientClass(args[j])
		if class < 0 {
			return setFailed, "Invalid client class specified in buffer limit configuration."
		}
		hard, ok1 := Memtoull(args[j+1])
		soft, ok2 := Memtoull(args[j+2])
		secs, ok3 := atoiC(args[j+3])
		secs = int64(int32(secs)) // a C int in Redis
		if !ok1 || !ok2 || !ok3 || secs < 0 {
			return setFailed, "Error in hard, soft or soft_seconds setting in buffer limit configuration."
		}
		vals[class] = ClientBufferLimit{HardBytes: hard, SoftBytes: soft, SoftSeconds: secs}
	}
	c.ClientOutputBufferLimit = vals
	return setChanged, ""
}

func getCOBL(c *Config) string {
	parts := make([]string, 0, 12)
	for i, l := range c.ClientOutputBufferLimit {
		parts = append(parts, cobClassNames[i], strconv.FormatUint(l.HardBytes, 10),
			strconv.FormatUint(l.SoftBytes, 10), strconv.FormatInt(l.SoftSeconds, 10))
	}
	return strings.Join(parts, " ")
}

func rewriteCOBL(c *Config, st *rewriteState, name string) {
	for i, l := range c.ClientOutputBufferLimit {
		class := cobClassNames[i]
		if class == "slave" {
			class = "replica"
		}
		line := name + " " + class + " " + formatMemory(int64(l.HardBytes)) + " " +
			formatMemory(int64(l.SoftBytes)) + " " + strconv.FormatInt(l.SoftSeconds, 10)
		st.rewriteLine(name, line, l != defaultCOBL[i])
	}
}

// ---- oom-score-adj-values ----

var defaultOOM = [3]int{0, 200, 800}

func initOOM(c *Config) { c.other["oom-score-adj-values"] = defaultOOM }

func setOOM(c *Config, args []string) (int, string) {
	if len(args) != 3 {
		return setFailed, "wrong number of arguments"
	}
	var vals [3]int
	for i, a := range args {
		v, ok := atoiC(a)
		if !ok || v < -2000 || v > 2000 {
			return setFailed, "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
		}
		vals[i] = int(v)
	}
	if c.other["oom-score-adj-values"].([3]int) == vals {
		return setUnchanged, ""
	}
	c.other["oom-score-adj-values"] = vals
	return setChanged, ""
}

func getOOM(c *Config) string {
	v := c.other["oom-score-adj-values"].([3]int)
	return strconv.Itoa(v[0]) + " " + strconv.Itoa(v[1]) + " " + strconv.Itoa(v[2])
}

func rewriteOOM(c *Config, st *rewriteState, name string) {
	v := c.other["oom-score-adj-values"].([3]int)
	st.rewriteLine(name, name+" "+getOOM(c), v != defaultOOM)
}

// ---- notify-keyspace-events ----

func initNotify(c *Config) { c.NotifyKeyspaceEvents, c.NotifyKeyspaceFlags = "", 0 }

// KeyspaceEventFlags parses a notify-keyspace-events class string into
// Notify* bits, as Redis's keyspaceEventsStringToFlags; ok is false when s
// holds a character that names no class.
func KeyspaceEventFlags(s string) (flags int, ok bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			flags |= NotifyAll
		case 'g':
			flags |= NotifyGeneric
		case '$':
			flags |= NotifyString
		case 'l':
			flags |= NotifyList
		case 's':
			flags |= NotifySet
		case 'h':
			flags |= NotifyHash
		case 'z':
			flags |= NotifyZSet
		case 'x':
			flags |= NotifyExpired
		case 'e':
			flags |= NotifyEvicted
		case 'K':
			flags |= NotifyKeyspace
		case 'E':
			flags |= NotifyKeyevent
		case 't':
			flags |= NotifyStream
		case 'm':
			flags |= NotifyKeyMiss
		case 'd':
			flags |= NotifyModule
		case 'n':
			flags |= NotifyNew
		default:
			return 0, false
		}
	}
	return flags, true
}

// KeyspaceEventString formats Notify* bits in Redis's canonical order
// (keyspaceEventsFlagsToString), e.g. "AKE".
func KeyspaceEventString(flags int) string {
	var b []byte
	if flags&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, f := range []struct {
			bit int
			c   byte
		}{{NotifyGeneric, 'g'}, {NotifyString, '$'}, {NotifyList, 'l'}, {NotifySet, 's'},
			{NotifyHash, 'h'}, {NotifyZSet, 'z'}, {NotifyExpired, 'x'}, {NotifyEvicted, 'e'},
			{NotifyStream, 't'}, {NotifyModule, 'd'}, {NotifyNew, 'n'}} {
			if flags&f.bit != 0 {
				b = append(b, f.c)
			}
		}
	}
	if flags&NotifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if flags&NotifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if flags&NotifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

func setNotify(c *Config, args []string) (int, string) {
	if len(args) != 1 {
		return setFailed, "wrong number of arguments"
	}
	flags, ok := KeyspaceEventFlags(args[0])
	if !ok {
		return setFailed, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
	}
	c.NotifyKeyspaceFlags = flags
	c.NotifyKeyspaceEvents = KeyspaceEventString(flags)
	return setChanged, ""
}

func getNotify(c *Config) string { return c.NotifyKeyspaceEvents }

func rewriteNotify(c *Config, st *rewriteState, name string) {
	st.rewriteLine(name, name+" "+repr(c.NotifyKeyspaceEvents), c.NotifyKeyspaceFlags != 0)
}

// ---- bind ----

var defaultBind = []string{"*", "-::*"}

func initBind(c *Config) { c.Bind = slices.Clone(defaultBind) }

func setBind(c *Config, args []string) (int, string) {
	if len(args) > 16 {
		return setFailed, "Too many bind addresses specified."
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	c.Bind = slices.Clone(args)
	if c.Bind == nil {
		c.Bind = []string{}
	}
	return setChanged, ""
}

func getBind(c *Config) string { return strings.Join(c.Bind, " ") }

func rewriteBind(c *Config, st *rewriteState, name string) {
	if slices.Equal(c.Bind, defaultBind) {
		st.markProcessed(name)
		return
	}
	addrs := `""`
	if len(c.Bind) > 0 {
		addrs = strings.Join(c.Bind, " ")
	}
	st.rewriteLine(name, name+" "+addrs, true)
}

// ---- replicaof ----

type replicaOf struct {
	host string // "" when not a replica
	port int
}

func initReplicaOf(c *Config) { c.other["replicaof"] = replicaOf{} }

func setReplicaOf(c *Config, args []string) (int, string) {
	if len(args) != 2 {
		return setFailed, "wrong number of arguments"
	}
	r := replicaOf{}
	c.other["replicaof"] = r
	if strings.EqualFold(args[0], "no") && strings.EqualFold(args[1], "one") {
		return setChanged, ""
	}
	port, ok := atoiC(args[1])
	port = int64(int32(port)) // stored in a C int
	if port < 0 || port > 65535 || !ok {
		return setFailed, "Invalid master port"
	}
	r.host, r.port = args[0], int(port)
	c.other["replicaof"] = r
	return setChanged, ""
}

// SetReplicaOf records the master REPLICAOF set (host "" for NO ONE), so
// CONFIG GET and CONFIG REWRITE show it as Redis does.
func (c *Config) SetReplicaOf(host string, port int) {
	c.other["replicaof"] = replicaOf{host: host, port: port}
}

func getReplicaOf(c *Config) string {
	r := c.other["replicaof"].(replicaOf)
	if r.host == "" {
		return ""
	}
	return r.host + " " + strconv.Itoa(r.port)
}

func rewriteReplicaOf(c *Config, st *rewriteState, name string) {
	r := c.other["replicaof"].(replicaOf)
	if r.host == "" || c.other["cluster-enabled"].(bool) {
		st.markProcessed(name)
		return
	}
	st.rewriteLine(name, name+" "+r.host+" "+strconv.Itoa(r.port), true)
}

// ---- latency-tracking-info-percentiles ----

func initPercentiles(c *Config) {
	c.other["latency-tracking-info-percentiles"] = []float64{50, 99, 99.9}
}

func setPercentiles(c *Config, args []string) (int, string) {
	const key = "latency-tracking-info-percentiles"
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	vals := make([]float64, 0, len(args))
	for _, a := range args {
		f, ok := string2d(a)
		if !ok {
			c.other[key] = []float64{}
			return setFailed, "Invalid latency-tracking-info-percentiles parameters"
		}
		if f > 100 || f < 0 {
			c.other[key] = []float64{}
			return setFailed, "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
		}
		vals = append(vals, f)
	}
	c.other[key] = vals
	return setChanged, ""
}

// LatencyPercentiles returns latency-tracking-info-percentiles: the
// percentiles INFO latencystats reports for every command.
func (c *Config) LatencyPercentiles() []float64 {
	return c.other["latency-tracking-info-percentiles"].([]float64)
}

func getPercentiles(c *Config) string {
	vals := c.other["latency-tracking-info-percentiles"].([]float64)
	parts := make([]string, len(vals))
	for i, f := range vals {
		parts[i] = formatPercentile(f)
	}
	return strings.Join(parts, " ")
}

func rewritePercentiles(c *Config, st *rewriteState, name string) {
	v := getPercentiles(c)
	if v == "" {
		v = `""`
	}
	st.rewriteLine(name, name+" "+v, true)
}

// strerror renders an OS error the way C's strerror does ("No such file
// or directory"), which is how Redis words them.
func strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return strerror(pe.Err)
	}
	return err.Error()
}
