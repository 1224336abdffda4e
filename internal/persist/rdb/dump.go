package rdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// DumpValue returns the DUMP payload of v with DefaultWriterOptions: the
// RDB type byte and encoded value, the RDB version (2 bytes, little
// endian) and the CRC64 of all that (8 bytes, little endian), exactly the
// layout of Redis's createDumpPayload, so RESTORE in redis-server accepts
// it. It returns an error for values the Writer refuses (empty
// collections, NaN scores, duplicate intset members).
func DumpValue(v Value) ([]byte, error) {
	return DumpValueOptions(v, DefaultWriterOptions())
}

// DumpValueOptions is DumpValue with explicit options (Compression and the
// encoding thresholds apply; Checksum does not: DUMP always has one).
func DumpValueOptions(v Value, opts WriterOptions) ([]byte, error) {
	var b bytes.Buffer
	w := NewWriterOptions(&b, opts)
	w.dump = true
	if err := w.Value(nil, v, NoExpiry); err != nil {
		return nil, err
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	p := b.Bytes()
	p = binary.LittleEndian.AppendUint16(p, Version)
	return binary.LittleEndian.AppendUint64(p, Checksum(p)), nil
}

// LoadValue decodes a DUMP payload (as RESTORE does). The footer is checked
// first, like verifyDumpPayload: a payload shorter than 10 bytes, with an
// RDB version above Version or a wrong CRC64 gives a *LoadError of kind
// ErrDumpPayload ("DUMP payload version or checksum are wrong"); a payload
// whose value cannot be decoded, or is an empty collection, gives kind
// ErrBadDataFormat ("Bad data format"), with the reason in Detail, except
// for module values, which give kind ErrUnsupported. Slices in
// the result do not alias payload.
func LoadValue(payload []byte) (Value, error) {
	return LoadValueOptions(payload, LoadOptions{})
}

// LoadValueOptions is LoadValue with options: SkipChecksum skips the CRC64
// check (Redis's skip_checksum_validation).
func LoadValueOptions(payload []byte, opts LoadOptions) (Value, error) {
	if len(payload) < 10 {
		return Value{}, &LoadError{Kind: ErrDumpPayload, Detail: "payload shorter than its footer"}
	}
	footer := payload[len(payload)-10:]
	if ver := binary.LittleEndian.Uint16(footer); ver > Version {
		return Value{}, &LoadError{Kind: ErrDumpPayload, Detail: fmt.Sprintf("RDB version %d", ver)}
	}
	if !opts.SkipChecksum {
		if got, want := binary.LittleEndian.Uint64(footer[2:]), Checksum(payload[:len(payload)-8]); got != want {
			return Value{}, &LoadError{Kind: ErrDumpPayload, Expected: want, Got: got, Detail: "checksum mismatch"}
		}
	}
	d := &decoder{r: newBytesReader(payload[:len(payload)-10])}
	d.r.noCRC = true
	bad := func(err error) (Value, error) {
		if err == errEmptyKey {
			return Value{}, &LoadError{Kind: ErrBadDataFormat, Offset: d.r.offset(), Detail: "empty collection"}
		}
		var le *LoadError
		if errors.As(err, &le) && le.Kind == ErrUnsupported {
			return Value{}, err
		}
		if errors.As(err, &le) {
			detail := le.Detail
			if detail == "" {
				detail = le.Error()
			}
			off := le.Offset
			if off < 0 {
				off = d.r.offset()
			}
			return Value{}, &LoadError{Kind: ErrBadDataFormat, Offset: off, Detail: detail}
		}
		return Value{}, &LoadError{Kind: ErrBadDataFormat, Offset: d.r.offset(), Detail: err.Error()}
	}
	t, err := d.r.readByte()
	if err != nil {
		return bad(err)
	}
	v, err := d.readValue(int(t))
	if err != nil {
		return bad(err)
	}
	return v, nil
}
