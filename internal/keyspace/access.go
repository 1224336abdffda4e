package keyspace

import "math/rand/v2"

// Per-object access metadata, after Redis's robj.lru (evict.c, object.c).
//
// Every Object carries 24 bits of access state in lru, as Redis does:
//
//   - LRU (any policy that is not LFU): the LRU clock of the last access,
//     Unix seconds modulo 2^24 (LRU_CLOCK_RESOLUTION is one second), from
//     which OBJECT IDLETIME and the eviction pool estimate the idle time.
//   - LFU (allkeys-lfu, volatile-lfu): the upper 16 bits are the time of
//     the last decrement in minutes modulo 2^16, the lower 8 bits a
//     logarithmic access counter that starts at LFUInitVal, grows with
//     probability 1/((counter-LFUInitVal)*lfu-log-factor+1) per access and
//     loses one per lfu-decay-time minutes without access.
//
// Reads through Lookup and writes through LookupWrite update it; Peek and
// LookupNoTouch (OBJECT, TYPE, EXISTS, TTL) do not, as Redis's
// LOOKUP_NOTOUCH.

// LRU clock and LFU constants, as Redis's server.h.
const (
	// LRUClockMax is the largest value of the 24-bit LRU clock.
	LRUClockMax = 1<<24 - 1
	// LRUClockResolution is the LRU clock's unit in milliseconds.
	LRUClockResolution = 1000
	// LFUInitVal is the LFU counter of a new object.
	LFUInitVal = 5
)

// accessState is the keyspace's part of the access clock: which mode
// objects track and the clock values of the running command.
type accessState struct {
	lfu       bool
	logFactor float64
	decayTime int64
	lruClock  uint32 // LRU clock at ks.now
	minutes   uint32 // LFU minutes at ks.now
}

func (a *accessState) clock(ms int64) {
	a.lruClock = uint32(ms/LRUClockResolution) & LRUClockMax
	a.minutes = uint32(ms/60000) & 0xffff
}

// SetAccessPolicy selects what objects track on access: the LFU counter
// (lfu true, with lfu-log-factor and lfu-decay-time) or the LRU clock.
// The server calls it when maxmemory-policy or the LFU settings change;
// existing objects keep their bits, reinterpreted as Redis does.
func (ks *Keyspace) SetAccessPolicy(lfu bool, logFactor, decayTime int) {
	ks.access.lfu = lfu
	ks.access.logFactor = float64(logFactor)
	ks.access.decayTime = int64(decayTime)
}

// LFUPolicy reports whether objects track LFU counters.
func (ks *Keyspace) LFUPolicy() bool { return ks.access.lfu }

// initAccess stamps a new object as Redis's createObject does.
func (ks *Keyspace) initAccess(o *Object) { o.lru = ks.newLRU() }

// newLRU returns the access field of a new value.
func (ks *Keyspace) newLRU() uint32 {
	if ks.access.lfu {
		return ks.access.minutes<<8 | LFUInitVal
	}
	return ks.access.lruClock
}

// touch records an access to o (Redis's lookupKey without NOTOUCH).
func (ks *Keyspace) touch(o *Object) { o.lru = ks.touched(o.lru) }

// touched returns access field lru after an access.
func (ks *Keyspace) touched(lru uint32) uint32 {
	if ks.access.lfu {
		c := ks.lfuDecr(lru)
		c = ks.lfuLogIncr(c)
		return ks.access.minutes<<8 | c
	}
	return ks.access.lruClock
}

// Touch records an access to o, as a read lookup does.
func (ks *Keyspace) Touch(o *Object) { ks.touch(o) }

// lfuLogIncr is Redis's LFULogIncr: the counter grows with a probability
// that falls as it grows.
func (ks *Keyspace) lfuLogIncr(c uint32) uint32 {
	if c >= 255 {
		return 255
	}
	base := float64(c) - LFUInitVal
	if base < 0 {
		base = 0
	}
	if rand.Float64() < 1.0/(base*ks.access.logFactor+1) {
		c++
	}
	return c
}

// lfuDecr is Redis's LFUDecrAndReturn: the counter of lru after the decay
// periods elapsed since its last decrement time.
func (ks *Keyspace) lfuDecr(lru uint32) uint32 {
	ldt := lru >> 8
	c := lru & 255
	if ks.access.decayTime <= 0 {
		return c
	}
	now := ks.access.minutes
	var elapsed uint32
	if now >= ldt {
		elapsed = now - ldt
	} else {
		elapsed = 65535 - ldt + now
	}
	periods := int64(elapsed) / ks.access.decayTime
	if periods >= int64(c) {
		return 0
	}
	return c - uint32(periods)
}

// LFUCount returns o's LFU counter after decay, without updating o
// (OBJECT FREQ, the eviction pool).
func (ks *Keyspace) LFUCount(o *Object) int { return int(ks.lfuDecr(o.lru)) }

// IdleTime returns the milliseconds since o was last accessed, on the LRU
// clock (Redis's estimateObjectIdleTime).
func (ks *Keyspace) IdleTime(o *Object) int64 {
	clk := ks.access.lruClock
	if clk >= o.lru {
		return int64(clk-o.lru) * LRUClockResolution
	}
	return int64(clk+(LRUClockMax-o.lru)) * LRUClockResolution
}

// LRU returns o's raw 24-bit access field (DEBUG OBJECT's lru).
func (o *Object) LRU() uint32 { return o.lru }

// LRUClock returns the LRU clock of the running command.
func (ks *Keyspace) LRUClock() uint32 { return ks.access.lruClock }

// SetAccess restores o's access state from a dump or a RESTORE (Redis's
// objectSetLRUOrLFU): under an LFU policy freq (0..255, or negative for
// none) becomes the counter; otherwise idleSeconds (negative for none)
// sets the last access that far in the past. It reports whether o changed.
func (ks *Keyspace) SetAccess(o *Object, freq int, idleSeconds int64) bool {
	lru, ok := ks.accessOf(freq, idleSeconds)
	if ok {
		o.lru = lru
	}
	return ok
}

// accessOf returns the access field SetAccess sets, and false when it
// would change nothing.
func (ks *Keyspace) accessOf(freq int, idleSeconds int64) (uint32, bool) {
	if ks.access.lfu {
		if freq < 0 {
			return 0, false
		}
		return ks.access.minutes<<8 | uint32(min(freq, 255)), true
	}
	if idleSeconds < 0 {
		return 0, false
	}
	abs := int64(ks.access.lruClock) - idleSeconds*1000/LRUClockResolution
	if abs < 0 {
		abs += LRUClockMax
	}
	return uint32(abs) & LRUClockMax, true
}
