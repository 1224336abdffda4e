package resp

// Texts of the protocol errors, exactly as Redis 7.0 sends them after the
// leading '-'. After replying one of them Redis closes the connection.
const (
	MsgTooBigInlineRequest    = "ERR Protocol error: too big inline request"
	MsgUnbalancedQuotes       = "ERR Protocol error: unbalanced quotes in request"
	MsgTooBigMultibulkCount   = "ERR Protocol error: too big mbulk count string"
	MsgInvalidMultibulkLength = "ERR Protocol error: invalid multibulk length"
	MsgUnauthMultibulkLength  = "ERR Protocol error: unauthenticated multibulk length"
	MsgTooBigBulkCount        = "ERR Protocol error: too big bulk count string"
	MsgInvalidBulkLength      = "ERR Protocol error: invalid bulk length"
	MsgUnauthBulkLength       = "ERR Protocol error: unauthenticated bulk length"

	// MsgExpectedDollarPrefix and MsgExpectedDollarSuffix surround the
	// offending byte (sent as is, except that \r and \n become spaces).
	MsgExpectedDollarPrefix = "ERR Protocol error: expected '$', got '"
	MsgExpectedDollarSuffix = "'"
)

// ProtocolError is a malformed request. Error returns the text to send to
// the client after "-" (it already carries the "ERR " code); the caller then
// closes the connection, as Redis does.
type ProtocolError struct {
	Msg string
}

// Error returns the reply text, e.g. "ERR Protocol error: invalid bulk length".
func (e *ProtocolError) Error() string { return e.Msg }

// Preallocated errors, so that error paths do not allocate either.
var (
	errTooBigInline       = &ProtocolError{MsgTooBigInlineRequest}
	errUnbalanced         = &ProtocolError{MsgUnbalancedQuotes}
	errTooBigMbulkCount   = &ProtocolError{MsgTooBigMultibulkCount}
	errInvalidMbulkLen    = &ProtocolError{MsgInvalidMultibulkLength}
	errUnauthMbulkLen     = &ProtocolError{MsgUnauthMultibulkLength}
	errTooBigBulkCount    = &ProtocolError{MsgTooBigBulkCount}
	errInvalidBulkLen     = &ProtocolError{MsgInvalidBulkLength}
	errUnauthBulkLen      = &ProtocolError{MsgUnauthBulkLength}
	errExpectedDollarByte [256]*ProtocolError
)

func init() {
	for i := range errExpectedDollarByte {
		c := byte(i)
		// addReplyErrorFormat maps \r and \n to spaces.
		if c == '\r' || c == '\n' {
			c = ' '
		}
		errExpectedDollarByte[i] = &ProtocolError{MsgExpectedDollarPrefix + string([]byte{c}) + MsgExpectedDollarSuffix}
	}
}
