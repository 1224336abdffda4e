package config

import (
	"strconv"
	"strings"
)

// ReplyError is an error whose text is exactly the error reply Redis sends
// for it, without the leading '-' (for example "ERR syntax error"). Set,
// SetWith and Rewrite return only ReplyErrors.
type ReplyError string

// Error returns the reply text.
func (e ReplyError) Error() string { return string(e) }

// Fixed replies of CONFIG SET and CONFIG REWRITE.
const (
	// ErrNoConfigFile is CONFIG REWRITE's reply when the server was
	// started without a configuration file.
	ErrNoConfigFile ReplyError = "ERR The server is running without a config file"
	// ErrSyntax is CONFIG SET's reply to an odd number of arguments.
	ErrSyntax ReplyError = "ERR syntax error"
	// ErrSetArity is the arity error of CONFIG SET with fewer than two
	// arguments.
	ErrSetArity ReplyError = "ERR wrong number of arguments for 'config|set' command"
	// ErrLoading is CONFIG SET's reply when it touches a directive that
	// cannot change while the dataset is loading.
	ErrLoading ReplyError = "LOADING Redis is loading the dataset in memory"
)

// Templates of the variable replies (fmt-free: see the helpers below).
const (
	unknownOptionPrefix = "ERR Unknown option or number of arguments for CONFIG SET - '"
	setFailedPrefix     = "ERR CONFIG SET failed (possibly related to argument '"
	rewriteFailedPrefix = "ERR Rewriting config file: "
)

// errorText makes a reply line safe the way addReplyErrorFormat does:
// newlines become spaces.
func errorText(s string) ReplyError {
	return ReplyError(strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s))
}

func errUnknownOption(name string) error {
	return errorText(unknownOptionPrefix + name + "'")
}

func errSetFailed(name, msg string) error {
	if msg == "" {
		return errorText(setFailedPrefix + name + "')")
	}
	return errorText(setFailedPrefix + name + "') - " + msg)
}

// ParseError is a fatal error in configuration text (a file, argv or
// stdin). Its Error text is exactly what redis-server writes to stderr
// before exiting with status 1, leading and trailing newline included:
//
//	*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
//	Reading the configuration file, at line 2
//	>>> 'foo bar'
//	Bad directive or wrong number of arguments
//
// Print it with fmt.Fprint (not Fprintln) to match byte for byte.
type ParseError struct {
	Line int    // 1-based line number; 0 when the error concerns no line
	Text string // the offending line, trimmed
	Msg  string // the reason, in Redis's words
}

// Error returns the full FATAL CONFIG FILE ERROR report.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("\n*** FATAL CONFIG FILE ERROR (Redis " + RedisVersion + ") ***\n")
	if e.Line > 0 {
		b.WriteString("Reading the configuration file, at line " + strconv.Itoa(e.Line) + "\n")
		b.WriteString(">>> '" + e.Text + "'\n")
	}
	b.WriteString(e.Msg + "\n")
	return b.String()
}

// OpenError reports a configuration file (the main one or an include)
// that could not be read. Redis logs its text as a warning and exits 1.
type OpenError struct {
	Path string
	Err  error
}

// Error returns Redis's log message, e.g. "Fatal error, can't open config
// file '/x.conf': No such file or directory".
func (e *OpenError) Error() string {
	return "Fatal error, can't open config file '" + e.Path + "': " + strerror(e.Err)
}

// Unwrap returns the underlying OS error.
func (e *OpenError) Unwrap() error { return e.Err }
