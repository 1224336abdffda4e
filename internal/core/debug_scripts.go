package core

// SetDisableDenyScripts is DEBUG SET-DISABLE-DENY-SCRIPTS: with on, the
// commands flagged no-script (DEBUG, CLIENT, BLPOP …) may be called from
// scripts, as Redis's script_disable_deny_script allows for its tests.
func (s *Server) SetDisableDenyScripts(on bool) { s.diag.noDenyScript = on }
