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

// FAILOVER's error texts.
const (
	NoFailover           = "ERR No failover in progress."
	FailoverTimeout      = "ERR FAILOVER timeout must be greater than 0"
	FailoverInProgress   = "ERR FAILOVER already in progress."
	FailoverOnReplica    = "ERR FAILOVER is not valid when server is a replica."
	FailoverNoReplicas   = "ERR FAILOVER requires connected replicas."
	FailoverForce        = "ERR FAILOVER with force option requires both a timeout and target HOST and IP."
	FailoverNotReplica   = "ERR FAILOVER target HOST and PORT is not a replica."
	FailoverNotOnline    = "ERR FAILOVER target replica is not online."
	PsyncFailoverMaster  = "ERR PSYNC FAILOVER can't be sent to a master."
	PsyncFailoverReplid  = "ERR PSYNC FAILOVER replid must match my replid."
	NoSyncFailingOver    = "NOMASTERLINK Can't SYNC while failing over"
	ReplicaOfFailingOver = "ERR REPLICAOF not allowed while failing over."
)
