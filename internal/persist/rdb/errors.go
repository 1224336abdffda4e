package rdb

import (
	"errors"
	"fmt"
)

// Error kinds. Every error Load and LoadValue return for bad input is a
// *LoadError whose Kind is one of these, so callers can test with
// errors.Is(err, rdb.ErrChecksum) and so on. Errors returned by a Handler
// are passed through unchanged.
var (
	// ErrSignature: the file does not start with "REDIS".
	ErrSignature = errors.New("Wrong signature trying to load DB from file")
	// ErrVersion: the RDB version is not between 1 and Version.
	ErrVersion = errors.New("Can't handle RDB format version")
	// ErrShortRead: the input ended before the RDB did.
	ErrShortRead = errors.New("Short read or OOM loading DB. Unrecoverable error, aborting now.")
	// ErrCorrupt: the input is not a valid RDB (a bad length, encoding,
	// listpack, ziplist, intset, LZF blob, duplicate member, NaN score...).
	ErrCorrupt = errors.New("RDB corrupted")
	// ErrChecksum: the CRC64 trailer does not match the data.
	ErrChecksum = errors.New("RDB CRC error")
	// ErrUnsupported: valid RDB data this codec cannot represent (module
	// values and module aux data).
	ErrUnsupported = errors.New("RDB data not supported")
	// ErrDumpPayload is RESTORE's error for a payload whose footer (RDB
	// version or CRC64) is wrong; the text is Redis's, without "ERR ".
	ErrDumpPayload = errors.New("DUMP payload version or checksum are wrong")
	// ErrBadDataFormat is RESTORE's error for a payload whose footer is
	// right but whose value cannot be decoded; Redis's text, without "ERR ".
	ErrBadDataFormat = errors.New("Bad data format")
)

// LoadError describes why an RDB file or DUMP payload was refused.
type LoadError struct {
	// Kind is one of the Err* values above; errors.Is matches it.
	Kind error
	// Offset is the byte offset in the input where the problem was found.
	Offset int64
	// Detail is the specific reason, in Redis's words where Redis has some.
	Detail string
	// Expected and Got are the computed and stored checksums of an
	// ErrChecksum error.
	Expected, Got uint64
}

// Error formats the error like the lines Redis logs for the same problem.
func (e *LoadError) Error() string {
	switch e.Kind {
	case ErrChecksum:
		return fmt.Sprintf("Wrong RDB checksum expected: (%x) but got (%x). Aborting now.", e.Expected, e.Got)
	case ErrSignature:
		return e.Kind.Error()
	case ErrVersion:
		return e.Detail
	case ErrShortRead:
		return fmt.Sprintf("%s (Unexpected EOF reading RDB file at offset %d)", e.Kind.Error(), e.Offset)
	case ErrUnsupported:
		return fmt.Sprintf("%s at offset %d", e.Detail, e.Offset)
	case ErrDumpPayload, ErrBadDataFormat:
		// RESTORE replies with exactly these texts; Detail says more.
		return e.Kind.Error()
	}
	return fmt.Sprintf("Internal error in RDB reading offset %d -> %s", e.Offset, e.Detail)
}

// Unwrap returns Kind.
func (e *LoadError) Unwrap() error { return e.Kind }

// errCorrupt returns an ErrCorrupt error whose offset the loader fills in.
func errCorrupt(detail string) error {
	return &LoadError{Kind: ErrCorrupt, Offset: -1, Detail: detail}
}
