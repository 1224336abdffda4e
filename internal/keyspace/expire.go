package keyspace

// Active expiry, after Redis's activeExpireCycle: sample keys with a TTL,
// remove the expired ones, and keep going while many of the sample were
// expired and the time budget allows.

const (
	expireKeysPerLoop  = 20
	expireAcceptStale  = 10 // percent of expired keys in a sample to go on
	expireLoopsPerTick = 16 // loops between clock checks
)

// ActiveExpire runs one active expiry cycle over every database and returns
// how many keys it removed. budget reports whether time remains; it is
// called every few sampling loops.
func (ks *Keyspace) ActiveExpire(budget func() bool) int {
	if ks.ExpireDisabled {
		return 0
	}
	removed := 0
	for _, db := range ks.dbs {
		removed += db.activeExpire(budget)
		if !budget() {
			break
		}
	}
	return removed
}

func (db *DB) activeExpire(budget func() bool) int {
	removed := 0
	for loop := 0; db.expires.Len() > 0; loop++ {
		if loop > 0 && loop%expireLoopsPerTick == 0 && !budget() {
			return removed
		}
		sampled, expired := 0, 0
		var ttlSum int64
		var ttlN int64
		var dead []string
		// Walk the expires table with its own cursor so every key is
		// eventually visited, like Redis 7's bucket-walking cycle.
		for sampled < expireKeysPerLoop {
			db.expireCursor = db.expires.Scan(db.expireCursor, func(k string, when int64) {
				sampled++
				if when <= db.ks.now {
					dead = append(dead, k)
				} else {
					ttlSum += when - db.ks.now
					ttlN++
				}
			})
			if db.expireCursor == 0 {
				break
			}
		}
		for _, k := range dead {
			if db.expireIfNeeded([]byte(k)) {
				expired++
			}
		}
		removed += expired
		if ttlN > 0 {
			avg := ttlSum / ttlN
			if db.avgTTL == 0 {
				db.avgTTL = avg
			} else {
				db.avgTTL = (db.avgTTL/50)*49 + avg/50
			}
		}
		if sampled == 0 || expired*100/sampled <= expireAcceptStale {
			return removed
		}
	}
	return removed
}

// Rehash moves buckets of tables that are being resized, as Redis's cron
// does with activerehashing, while budget reports time left.
func (ks *Keyspace) Rehash(budget func() bool) {
	for _, db := range ks.dbs {
		for db.keys.IsRehashing() && budget() {
			db.keys.Rehash(100)
		}
		for db.expires.IsRehashing() && budget() {
			db.expires.Rehash(100)
		}
	}
}
