package rerr

// Replication's error texts (REPLICAOF, REPLCONF, PSYNC, WAIT, and the
// refusals of writes on replicas), as Redis 7.0 words them.
const (
	NoReplicas        = "NOREPLICAS Not enough good replicas to write."
	MasterDown        = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
	NoMasterLink      = "NOMASTERLINK Can't SYNC while not connected with my master"
	InvalidMasterPort = "ERR Invalid master port"
	ReplicaOfReplica  = "ERR Command is not valid when client is a replica."
	ReplconfUnknown   = "ERR Unrecognized REPLCONF option: %s"
	ReplconfIPTooLong = "ERR REPLCONF ip-address provided by replica instance is too long: %d bytes"
	WaitOnReplica     = "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated."
	PsyncWithOutput   = "ERR SYNC and PSYNC are invalid with pending output"
)
