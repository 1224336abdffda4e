package rerr

// Errors of the server, connection and introspection commands (AUTH,
// HELLO, CLIENT, COMMAND, CONFIG, INFO, DEBUG …), exactly as Redis 7.0
// words them.
const (
	AuthNoPassword    = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
	HelloNoAuth       = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	ProtoNotInteger   = "ERR Protocol version is not an integer or out of range"
	ClientNameInvalid = "ERR Client names cannot contain spaces, newlines or special characters."
	InvalidClientID   = "ERR Invalid client ID"
	ClientIDPositive  = "ERR client-id should be greater than 0"
	UnblockReason     = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"
	Unblocked         = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
	ResetNotNormal    = "ERR can only reset normal client connections"
	NoConfigFile      = "ERR The server is running without a config file"
	ShutdownErrors    = "ERR Errors trying to SHUTDOWN. Check logs."
	ShutdownAbortNone = "ERR No shutdown in progress."
	FlushAllArgs      = "ERR FLUSHALL can be called only with ASYNC or SYNC as option"
	TimeoutNotInt     = "ERR timeout is not an integer or out of range"
	InvalidFirstDB    = "ERR invalid first DB index"
	InvalidSecondDB   = "ERR invalid second DB index"
	IntRange          = "ERR value is out of range, value must between -2147483648 and 2147483647"
)

// Templates (fmt verbs) of the server commands' errors.
const (
	HelloSyntax        = "ERR Syntax error in HELLO option '%s'"
	UnknownClientType  = "ERR Unknown client type '%s'"
	NoSuchUser         = "ERR No such user '%s'"
	ConfigSetUnknown   = "ERR Unknown option or number of arguments for CONFIG SET - '%s'"
	ConfigSetFailed    = "ERR CONFIG SET failed (possibly related to argument '%s') - %s"
	ConfigRewriteError = "ERR Rewriting config file: %s"
	SubcommandSyntax   = "ERR unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP."
)
