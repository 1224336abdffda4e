package rerr

// Errors of the diagnostics and flow-control commands (SLOWLOG, LATENCY,
// MONITOR, CLIENT PAUSE) and of the executor checks that come with them,
// exactly as Redis 7.0 words them.
const (
	SlowlogCount     = "ERR count should be greater than or equal to -1"
	PauseMode        = "ERR CLIENT PAUSE mode must be WRITE or ALL"
	MonitorDenied    = "ERR MONITOR isn't allowed for DENY BLOCKING client"
	ReplicaKeyspace  = "ERR Replica can't interact with the keyspace"
	LatencyNoSamples = "ERR No samples available for event '%s'"
)
