package rerr

// Scripting (EVAL, FUNCTION) errors.
const (
	ScriptNoScript        = "ERR This Redis command is not allowed from script"
	ScriptACLCommand      = "ERR The user executing the script can't run this command or subcommand"
	ScriptACLKey          = "ERR The user executing the script can't access at least one of the keys mentioned in the command"
	ScriptACLChannel      = "ERR The user executing the script can't publish to the channel mentioned in the command"
	ScriptWriteInRO       = "ERR Write commands are not allowed from read-only scripts."
	ScriptNotBusy         = "NOTBUSY No scripts in execution right now."
	ScriptUnkillable      = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
	ScriptBusy            = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	ScriptBusyFunctionRun = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
	// ScriptBusyFunction is SCRIPT KILL while a function runs, and
	// ScriptBusyEval FUNCTION KILL while an EVAL script runs.
	ScriptBusyFunction = ScriptBusyFunctionRun
	ScriptBusyEval     = ScriptBusy
	NoScriptErr        = "NOSCRIPT No matching script. Please use EVAL."
)
