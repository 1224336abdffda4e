// Package rerr holds every error text the server sends to clients, exactly
// as Redis 7.0 words them. Handlers reply with these constants (or format
// the templates) so that a text is written in one place only.
package rerr

// Fixed error replies (without the leading '-').
const (
	WrongType        = "WRONGTYPE Operation against a key holding the wrong kind of value"
	Syntax           = "ERR syntax error"
	NoSuchKey        = "ERR no such key"
	SameObject       = "ERR source and destination objects are the same"
	IndexOutOfRange  = "ERR index out of range"
	NotInteger       = "ERR value is not an integer or out of range"
	NotFloat         = "ERR value is not a valid float"
	OutOfRange       = "ERR value is out of range"
	OutOfRangePos    = "ERR value is out of range, must be positive"
	Overflow         = "ERR increment or decrement would overflow"
	NaNOrInfinity    = "ERR increment would produce NaN or Infinity"
	OffsetRange      = "ERR offset is out of range"
	StringTooLong    = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	BitOffset        = "ERR bit offset is not an integer or out of range"
	BitValue         = "ERR bit is not an integer or out of range"
	DBIndexRange     = "ERR DB index is out of range"
	InvalidExpire    = "ERR invalid expire time in '%s' command"
	NoAuth           = "NOAUTH Authentication required."
	WrongPass        = "WRONGPASS invalid username-password pair or user is disabled."
	NoProto          = "NOPROTO unsupported protocol version"
	NoSuchClient     = "ERR No such client"
	Loading          = "LOADING Redis is loading the dataset in memory"
	OOM              = "OOM command not allowed when used memory > 'maxmemory'."
	ExecAbort        = "EXECABORT Transaction discarded because of previous errors."
	BusyKey          = "BUSYKEY Target key name already exists."
	ReadOnlyReplica  = "READONLY You can't write against a read only replica."
	MaxClients       = "ERR max number of clients reached"
	NotAllowedInMult = "ERR Command not allowed inside a transaction"
	TimeoutNegative  = "ERR timeout is negative"
	TimeoutNotFloat  = "ERR timeout is not a float or out of range"
	NoKeyArgs        = "ERR The command has no key arguments"
	InvalidCommand   = "ERR Invalid command specified"
	InvalidArgs      = "ERR Invalid arguments specified for command"
	InvalidNumArgs   = "ERR Invalid number of arguments specified for command"
	DebugNotAllowed  = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
)

// Templates (fmt verbs) for errors that name a command or an argument.
const (
	UnknownCommand    = "ERR unknown command '%.128s', with args beginning with: %s"
	UnknownSubcommand = "ERR unknown subcommand '%.128s'. Try %s HELP."
	WrongArity        = "ERR wrong number of arguments for '%s' command"
)

// Transactions.
const (
	ExecWithoutMulti    = "ERR EXEC without MULTI"
	DiscardWithoutMulti = "ERR DISCARD without MULTI"
	MultiNested         = "ERR MULTI calls can not be nested"
	WatchInMulti        = "ERR WATCH inside MULTI is not allowed"
)

// Pub/sub.
const (
	PubSubContext = "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
)
