package rerr

// Errors of the ACL layer and the ACL command, exactly as Redis 7.0 words
// them (acl.c, server.c processCommand, networking.c).
const (
	// NoPermCommand is formatted with the command's full name.
	NoPermCommand = "NOPERM this user has no permissions to run the '%s' command"
	NoPermKey     = "NOPERM this user has no permissions to access one of the keys used as arguments"
	NoPermChannel = "NOPERM this user has no permissions to access one of the channels used as arguments"

	// ACLChangedInMulti is EXEC's reply for a queued command the user may
	// no longer run; formatted with the reason.
	ACLChangedInMulti = "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: %s"

	ACLUserSpaces     = "ERR Usernames can't contain spaces or null characters"
	ACLDeleteDefault  = "ERR The 'default' user cannot be removed"
	ACLSetUserError   = "ERR Error in ACL SETUSER modifier '%s': %s"
	ACLUnmatchedParen = "ERR Unmatched parenthesis in acl selector starting at '%s'."
	ACLNoFile         = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."
	ACLSaveFailed     = "ERR There was an error trying to save the ACLs. Please check the server logs for more information"
	ACLUnknownCat     = "ERR Unknown category '%.128s'"
	ACLGenpassRange   = "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096"
	ACLUserNotFound   = "ERR User '%s' not found"
	ACLCmdNotFound    = "ERR Command '%s' not found"

	// Texts of ACL DRYRUN's bulk reply for a denial.
	ACLDryRunCommand = "This user has no permissions to run the '%s' command"
	ACLDryRunKey     = "This user has no permissions to access the '%s' key"
	ACLDryRunChannel = "This user has no permissions to access the '%s' channel"

	// ProtectedMode is the reply a non-loopback connection gets while
	// protected mode is on and the default user has no password.
	ProtectedMode = "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside."

	// ModuleNotAllowed is the protected-command error of MODULE.
	ModuleNotAllowed = "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
)
