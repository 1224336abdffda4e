package aof

import (
	"errors"
	"fmt"
	"io"
	"syscall"
)

var errNotDir = syscall.ENOTDIR

// ErrTruncated reports a file that ends in the middle of a command.
var ErrTruncated = fmt.Errorf("aof: unexpected end of file: %w", io.ErrUnexpectedEOF)

// ErrRewriteInProgress is returned by StartRewrite while another rewrite runs.
var ErrRewriteInProgress = errors.New("Background append only file rewriting already in progress")

// ErrClosed is returned by operations on a closed Writer.
var ErrClosed = errors.New("aof: writer closed")

// FormatError is a byte sequence that is not a valid AOF command. Offset is
// where the offending line or bulk starts, counted from the start of the
// file (or of the reader).
type FormatError struct {
	Offset int64
	Msg    string
}

// Error implements error.
func (e *FormatError) Error() string {
	return fmt.Sprintf("0x%16x: %s", e.Offset, e.Msg)
}

// Strerror renders err the way C's strerror renders an errno ("No space
// left on device"), for the messages Redis builds with it (-MISCONF, logs).
// Errors that carry no errno are rendered with their own text.
func Strerror(err error) string {
	if err == nil {
		return ""
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		s := en.Error()
		if s != "" && s[0] >= 'a' && s[0] <= 'z' {
			s = string(s[0]-'a'+'A') + s[1:]
		}
		return s
	}
	return err.Error()
}
