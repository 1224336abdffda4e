package core

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Memory accounting and maxmemory eviction, after Redis's evict.c.
//
// used_memory is an estimate kept cheap enough to consult before every
// command: the live Go heap measured by the last garbage collection
// (runtime/metrics /gc/heap/live:bytes) plus goroutine stacks, both read
// by the cron, plus the bytes accounted since that collection — the
// argument bytes of every write that may grow the dataset (deny-oom
// commands), minus the estimated size of every key evicted. When a new
// collection has finished, the cron takes its measure and drops what was
// accounted before the previous refresh (the collection started after
// it). The estimate never includes garbage: a Go heap holds up to GOGC%
// of dead objects between collections, which Redis's allocator would
// have freed already.
//
// With maxmemory set, the Go runtime's soft memory limit is tied to it
// (gcMemoryLimit), so that garbage is collected before the process grows
// far beyond maxmemory and the live measure stays fresh near the limit.

// Eviction results, as Redis's EVICT_OK, EVICT_RUNNING, EVICT_FAIL.
const (
	evictOK = iota
	evictRunning
	evictFail
)

// evictPoolSize is Redis's EVPOOL_SIZE.
const evictPoolSize = 16

// Maxmemory policies, as the flags of Redis's MAXMEMORY_* values.
const (
	policyLRU = 1 << iota
	policyLFU
	policyTTL
	policyRandom
	policyAllKeys
	policyNoEviction
)

// poolEntry is one candidate of the eviction pool.
type poolEntry struct {
	idle uint64 // the larger, the better a candidate
	key  string
	db   int
	used bool
}

// evictState is the server's memory estimate and eviction state.
type evictState struct {
	// preOOM is whether the last command found memory over maxmemory
	// that eviction could not free (scripts' writes check it).
	preOOM     bool
	policyName string
	policy     int
	logFactor  int
	decayTime  int
	maxmemory  uint64 // what the GC memory limit was last set for

	pool   [evictPoolSize]poolEntry
	nextDB int

	// base is the measured part of used memory and gcCycles the
	// collection count it comes from. accounted is the running sum of the
	// bytes accounted (writes added, evictions removed), baseAcc its value
	// the base already reflects, prevAcc its value at the previous refresh.
	base      uint64
	accounted int64
	baseAcc   int64
	prevAcc   int64
	gcCycles  uint64
	peak      uint64
	samples   []metrics.Sample

	// Evicted counts evicted keys (evicted_keys).
	evicted int64
	// exceededStart is when used memory last went over maxmemory (0 when
	// under), exceededTotal the accumulated time over it, in µs.
	exceededStart time.Time
	exceededTotal int64
	// running is set while eviction is unfinished (the cron continues it).
	running bool
}

var memMetrics = []string{
	"/gc/cycles/total:gc-cycles",
	"/gc/heap/live:bytes",
	"/memory/classes/heap/stacks:bytes",
	"/memory/classes/os-stacks:bytes",
	"/memory/classes/heap/objects:bytes",
}

// keyOverhead is what a key costs in the Go heap besides its name and
// value bytes, rounded up: about 24 B for a string kept inline in its
// keyspace record (header, bucket slot, rounding), about 90 B for a value
// behind an Object (the record, the 56-byte Object, its slot). It was
// measured as 133 B per key before the inline records; kept high, it only
// makes eviction between two collections start early, never late.
const keyOverhead = 128

// ObjectSize estimates the memory a key and its value take, for the
// eviction accounting.
func ObjectSize(key string, o *keyspace.Object) int64 {
	return int64(len(key)) + keyOverhead + o.MemoryEstimate()
}

// writeOverhead is the per-command bytes accounted besides its arguments
// for a deny-oom write (as if it added a key).
const writeOverhead = keyOverhead

// EvictIfNeeded refreshes the memory estimate and, with maxmemory set,
// evicts what a fresh measure shows to be over it, as every command would
// have had the estimate been exact. INFO and MEMORY call it before
// reporting used_memory.
func (s *Server) EvictIfNeeded() {
	s.RefreshMemory()
	s.evictFor(25 * time.Millisecond)
}

// evictFor runs eviction rounds while they end unfinished (over the
// tenacity budget), for up to budget: Redis continues such an eviction
// from a timer on every event loop turn.
func (s *Server) evictFor(budget time.Duration) {
	if s.Config.MaxMemory == 0 {
		return
	}
	end := time.Now().Add(budget)
	for s.performEvictions() == evictRunning && time.Now().Before(end) {
		s.RefreshMemory()
	}
}

// RefreshMemory re-reads the runtime's memory metrics: when a garbage
// collection finished since the last call, its live heap becomes the
// measured base and the accounted bytes are dropped. The cron calls it;
// INFO and MEMORY call it before reporting.
func (s *Server) RefreshMemory() {
	e := &s.evict
	if e.samples == nil {
		e.samples = make([]metrics.Sample, len(memMetrics))
		for i, name := range memMetrics {
			e.samples[i].Name = name
		}
	}
	metrics.Read(e.samples)
	val := func(i int) uint64 {
		if e.samples[i].Value.Kind() == metrics.KindUint64 {
			return e.samples[i].Value.Uint64()
		}
		return 0
	}
	cycles := val(0)
	if cycles != e.gcCycles || e.base == 0 {
		// The collection's live heap is what was reachable when it
		// started, some time after the previous refresh: what was
		// accounted since that refresh stays accounted (possibly counted
		// twice until the next collection, never lost).
		e.gcCycles = cycles
		live := val(1)
		if cycles == 0 {
			// No collection yet: all allocated objects count as live.
			live = val(4)
		}
		e.base = live + val(2) + val(3)
		e.baseAcc = e.prevAcc
	}
	e.prevAcc = e.accounted
	e.peak = max(e.peak, s.UsedMemory())
}

// UsedMemory returns the used_memory estimate in bytes.
func (s *Server) UsedMemory() uint64 {
	e := &s.evict
	d := e.accounted - e.baseAcc
	if d < 0 && uint64(-d) >= e.base {
		return 0
	}
	return uint64(int64(e.base) + d)
}

// PeakMemory returns the largest used_memory estimate seen.
func (s *Server) PeakMemory() uint64 { return max(s.evict.peak, s.UsedMemory()) }

// ResetPeakMemory sets the peak to the current estimate (CONFIG RESETSTAT
// does not, MEMORY STATS reports it; kept for DEBUG and tests).
func (s *Server) ResetPeakMemory() { s.evict.peak = s.UsedMemory() }

// AccountMemory adds n bytes (negative: removes) to the used memory
// estimate until the next garbage collection measures the truth.
func (s *Server) AccountMemory(n int64) { s.evict.accounted += n }

// EvictedKeys returns the number of keys evicted (evicted_keys).
func (s *Server) EvictedKeys() int64 { return s.evict.evicted }

// EvictionExceededTime returns total_eviction_exceeded_time and
// current_eviction_exceeded_time in milliseconds.
func (s *Server) EvictionExceededTime() (total, current int64) {
	e := &s.evict
	total = e.exceededTotal / 1000
	if !e.exceededStart.IsZero() {
		current = time.Since(e.exceededStart).Milliseconds()
		total += current
	}
	return total, current
}

// ResetEvictionStats clears the eviction counters (CONFIG RESETSTAT).
func (s *Server) ResetEvictionStats() {
	s.evict.evicted = 0
	s.evict.exceededTotal = 0
	if !s.evict.exceededStart.IsZero() {
		s.evict.exceededStart = time.Now()
	}
}

// syncEvictConfig follows changes of maxmemory-policy, the LFU settings
// and maxmemory: the keyspace's access tracking and the GC memory limit.
// It costs a few comparisons when nothing changed.
func (s *Server) syncEvictConfig() {
	e := &s.evict
	c := s.Config
	if c.MaxMemoryPolicy != e.policyName || c.LFULogFactor != e.logFactor || c.LFUDecayTime != e.decayTime {
		e.policyName, e.logFactor, e.decayTime = c.MaxMemoryPolicy, c.LFULogFactor, c.LFUDecayTime
		e.policy = parsePolicy(c.MaxMemoryPolicy)
		s.KS.SetAccessPolicy(e.policy&policyLFU != 0, c.LFULogFactor, c.LFUDecayTime)
		e.pool = [evictPoolSize]poolEntry{}
	}
	if c.MaxMemory != e.maxmemory {
		e.maxmemory = c.MaxMemory
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(gcMemoryLimit(c.MaxMemory))
		}
	}
}

// gcMemoryLimit is the Go runtime's soft memory limit for a maxmemory:
// none without maxmemory, else maxmemory plus half of it (at least 32 MB)
// for garbage, goroutine stacks and runtime metadata. Near the limit the
// collector runs as often as it must to stay under it, which keeps the
// process's RSS within about 1.5× maxmemory where GOGC=100 alone would
// let the heap reach twice the live data.
func gcMemoryLimit(maxmemory uint64) int64 {
	if maxmemory == 0 {
		return math.MaxInt64
	}
	slack := max(maxmemory/2, 32<<20)
	if maxmemory > math.MaxInt64-slack {
		return math.MaxInt64
	}
	return int64(maxmemory + slack)
}

func parsePolicy(name string) int {
	p := 0
	switch {
	case name == "noeviction":
		return policyNoEviction
	case name == "volatile-ttl":
		return policyTTL
	case strings.HasSuffix(name, "-lru"):
		p = policyLRU
	case strings.HasSuffix(name, "-lfu"):
		p = policyLFU
	case strings.HasSuffix(name, "-random"):
		p = policyRandom
	}
	if strings.HasPrefix(name, "allkeys-") {
		p |= policyAllKeys
	}
	return p
}

// evictionTimeLimit is Redis's evictionTimeLimitUs for
// maxmemory-eviction-tenacity (0 means no limit).
func evictionTimeLimit(tenacity int) time.Duration {
	switch {
	case tenacity <= 10:
		return time.Duration(50*tenacity) * time.Microsecond
	case tenacity < 100:
		return time.Duration(500*math.Pow(1.15, float64(tenacity-10))) * time.Microsecond
	}
	return 0
}

// overMaxmemory reports whether used memory exceeds maxmemory, and by how
// much.
func (s *Server) overMaxmemory() (bool, int64) {
	used := s.UsedMemory()
	if used <= s.Config.MaxMemory {
		return false, 0
	}
	return true, int64(used - s.Config.MaxMemory)
}

// checkOOM runs eviction before a command (Redis's processCommand calls
// performEvictions) and reports whether the command must be rejected with
// -OOM: the eviction could not bring memory under maxmemory and the
// command may grow it (deny-oom, or anything but EXEC/DISCARD/QUIT/RESET
// queued in a transaction, or an EXEC of deny-oom commands).
func (s *Server) checkOOM(c *Client, cmd *Command, flags Flag) bool {
	s.syncEvictConfig()
	if s.Config.MaxMemory == 0 {
		return false
	}
	// The state is kept for the commands a script calls (Redis's
	// pre_command_oom_state).
	s.evict.preOOM = s.performEvictions() == evictFail
	if !s.evict.preOOM {
		return false
	}
	deny := flags&FlagDenyOOM != 0
	if c.Multi != nil {
		switch cmd.Name {
		case "exec":
			for _, q := range c.Multi.Cmds {
				if q.Flags&FlagDenyOOM != 0 {
					deny = true
				}
			}
		case "discard", "quit", "reset":
		default:
			deny = true
		}
	}
	if !deny {
		return false
	}
	if cmd.Name == "exec" && c.Multi != nil {
		// EXEC rejected: the transaction is aborted (execCommandAbort).
		cmd.RejectedCalls++
		s.Discard(c)
		msg := "EXECABORT Transaction discarded because of: " + rerr.OOM
		s.countError(msg)
		c.Out.Error(msg)
		return true
	}
	s.reject(c, cmd, rerr.OOM)
	return true
}

// Allocated tells the memory estimate that the command allocated n bytes
// beyond its arguments (a value grown in place), so that maxmemory sees it
// before the next garbage collection measures the heap.
func (c *Ctx) Allocated(n int) {
	if n > 0 {
		c.Srv.evict.accounted += int64(n)
	}
}

// accountWrite adds a deny-oom write's argument bytes to the estimate.
func (s *Server) accountWrite(cmd *Command, args [][]byte) {
	if cmd.Flags&FlagDenyOOM == 0 {
		return
	}
	n := int64(writeOverhead)
	for _, a := range args[1:] {
		n += int64(len(a))
	}
	s.evict.accounted += n
}

// evictCron continues an unfinished eviction and keeps the estimate and
// the access policy current; the cron calls it.
func (s *Server) evictCron() {
	s.syncEvictConfig()
	s.RefreshMemory()
	if s.Config.MaxMemory > 0 {
		// The cron continues an unfinished eviction for up to a quarter
		// of its period.
		s.evictFor(time.Second / time.Duration(max(s.Config.Hz, 1)) / 4)
	} else if !s.evict.exceededStart.IsZero() {
		s.evict.exceededTotal += time.Since(s.evict.exceededStart).Microseconds()
		s.evict.exceededStart = time.Time{}
		s.evict.running = false
	}
}

// safeToEvict is Redis's isSafeToPerformEvictions: not while loading, nor
// while clients are paused (the dataset must stay static).
func (s *Server) safeToEvict() bool {
	return !s.KS.Loading && !s.ClientsPaused()
}

// performEvictions evicts keys by maxmemory-policy until used memory is
// under maxmemory or the time budget of maxmemory-eviction-tenacity is
// spent (the cron then continues), as Redis's performEvictions.
func (s *Server) performEvictions() int {
	if !s.safeToEvict() {
		return evictOK
	}
	e := &s.evict
	result := evictFail
	over, toFree := s.overMaxmemory()
	switch {
	case !over:
		result = evictOK
	case e.policy&policyNoEviction != 0:
		result = evictFail
	default:
		result = s.evictKeys(toFree)
	}
	// update_metrics
	if result == evictOK {
		e.running = false
		if !e.exceededStart.IsZero() {
			e.exceededTotal += time.Since(e.exceededStart).Microseconds()
			e.exceededStart = time.Time{}
		}
	} else if e.exceededStart.IsZero() {
		e.exceededStart = time.Now()
	}
	return result
}

// evictKeys is the loop of performEvictions once eviction is needed.
func (s *Server) evictKeys(toFree int64) int {
	e := &s.evict
	start := time.Now()
	limit := evictionTimeLimit(s.Config.MaxMemoryEvictionTenacity)
	lazy := s.Config.LazyfreeLazyEviction
	var freed int64
	keys := 0
	lazyObjects := int64(0)
	result := evictOK
	for freed < toFree {
		db, key, ok := s.pickEvictionKey()
		if !ok {
			result = evictFail
			break
		}
		d := s.KS.DB(db)
		delStart := time.Now()
		o := d.Evict(key)
		if o == nil {
			continue
		}
		s.LatencySample("eviction-del", time.Since(delStart))
		size := ObjectSize(key, o)
		freed += size
		e.accounted -= size
		e.evicted++
		if lazy && FreesLazily(o) {
			lazyObjects++
		}
		s.NotifyDB(config.NotifyEvicted, "evicted", []byte(key), db)
		if len(s.feeds) > 0 {
			verb := "DEL"
			if lazy {
				verb = "UNLINK"
			}
			s.propagate(db, [][]byte{[]byte(verb), []byte(key)})
		}
		keys++
		if keys%16 == 0 && limit > 0 && time.Since(start) > limit {
			if over, _ := s.overMaxmemory(); over {
				e.running = true
				result = evictRunning
			}
			break
		}
	}
	if lazyObjects > 0 {
		s.LazyFree(lazyObjects)
	}
	s.LatencySample("eviction-cycle", time.Since(start))
	return result
}

// pickEvictionKey chooses the next key to evict by the policy: the best
// entry of the eviction pool (LRU, LFU, TTL), or a random key, rotating
// over the databases (random policies).
func (s *Server) pickEvictionKey() (int, string, bool) {
	e := &s.evict
	volatile := e.policy&policyAllKeys == 0
	n := s.KS.Len()
	if e.policy&policyRandom != 0 {
		for i := 0; i < n; i++ {
			e.nextDB = (e.nextDB + 1) % n
			d := s.KS.DB(e.nextDB)
			if d.EvictionCandidates(volatile) == 0 {
				continue
			}
			if k, ok := d.RandomEvictionKey(volatile); ok {
				return e.nextDB, k, true
			}
		}
		return 0, "", false
	}
	for round := 0; ; round++ {
		if round == 100 {
			// Sampling keeps coming back empty: take any candidate.
			for i := 0; i < n; i++ {
				if k, ok := s.KS.DB(i).RandomEvictionKey(volatile); ok {
					return i, k, true
				}
			}
			return 0, "", false
		}
		total := 0
		for i := 0; i < n; i++ {
			d := s.KS.DB(i)
			if c := d.EvictionCandidates(volatile); c > 0 {
				s.populatePool(i, d, volatile)
				total += c
			}
		}
		if total == 0 {
			return 0, "", false
		}
		for k := evictPoolSize - 1; k >= 0; k-- {
			p := &e.pool[k]
			if !p.used {
				continue
			}
			db, key := p.db, p.key
			*p = poolEntry{}
			if s.KS.DB(db).HasEvictionCandidate(volatile, key) {
				return db, key, true
			}
		}
	}
}

// populatePool samples maxmemory-samples keys of d into the pool, kept in
// ascending order of idle score (Redis's evictionPoolPopulate).
func (s *Server) populatePool(db int, d *keyspace.DB, volatile bool) {
	e := &s.evict
	ks := s.KS
	d.SampleEviction(volatile, max(s.Config.MaxMemorySamples, 1), func(key string, o *keyspace.Object, when int64) {
		var idle uint64
		switch {
		case e.policy&policyLRU != 0:
			if o == nil {
				return
			}
			idle = uint64(ks.IdleTime(o))
		case e.policy&policyLFU != 0:
			if o == nil {
				return
			}
			idle = uint64(255 - ks.LFUCount(o))
		default: // volatile-ttl: the sooner the expire the better
			idle = math.MaxUint64 - uint64(when)
		}
		pool := &e.pool
		k := 0
		for k < evictPoolSize && pool[k].used && pool[k].idle < idle {
			k++
		}
		switch {
		case k == 0 && pool[evictPoolSize-1].used:
			return // worse than every candidate of a full pool
		case k < evictPoolSize && !pool[k].used:
			// an empty slot
		case !pool[evictPoolSize-1].used:
			// shift right from k to make room
			copy(pool[k+1:], pool[k:evictPoolSize-1])
		default:
			// full: drop the worst (leftmost), shift left
			k--
			copy(pool[:k], pool[1:k+1])
		}
		pool[k] = poolEntry{idle: idle, key: key, db: db, used: true}
	})
}
