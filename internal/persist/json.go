package persist

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redis-clone/redis-clone/internal/hash"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/persist/rdb"
	"github.com/redis-clone/redis-clone/internal/quicklist"
	"github.com/redis-clone/redis-clone/internal/set"
	"github.com/redis-clone/redis-clone/internal/stream"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// The JSON snapshot (snapshot-format json), the original project's
// dump.json: a metadata object, then the data, one key per line:
//
//	{"metadata":{"version":1,"format":"redis-clone","redis_version":"7.0.15","timestamp":1700000000,"key_count":3},
//	"data":[
//	{"db":0,"key":"s","type":"string","value":"hello","expire_at":1700000123456},
//	{"db":0,"key":"l","type":"list","value":["a","b"]},
//	{"db":0,"key":"z","type":"zset","value":[["m",1.5],["n","inf"]]},
//	{"db":1,"key":"h","type":"hash","value":[["field","value"]]},
//	{"db":1,"key":{"base64":"/w=="},"type":"set","value":["1","2"]},
//	{"db":1,"key":"x","type":"stream","value":{"rdb":"EwEQAAAB…"}}
//	]}
//
// Every Redis string (key, value, element, field, member) is a JSON string
// when it is valid UTF-8 and {"base64":"…"} otherwise, so binary data
// survives. Lists keep their order, hashes are [field, value] pairs,
// sorted sets [member, score] pairs with scores as JSON numbers ("inf" and
// "-inf" as strings), a stream is {"rdb":"…"}: the base64 of its DUMP
// payload (RDB encoding with groups, consumers and pending entries, which
// JSON has no natural form for), expire_at is the absolute expiry in Unix
// milliseconds (absent without one). key_count is checked on load.

// jsonVersion is the format version written in the metadata.
const jsonVersion = 1

// jsonEncoder writes the JSON snapshot.
type jsonEncoder struct {
	w     *bufio.Writer
	buf   []byte
	first bool
}

func newJSONEncoder(out io.Writer, keyCount int) (*jsonEncoder, error) {
	bw, ok := out.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(out, 64<<10)
	}
	e := &jsonEncoder{w: bw, first: true}
	_, err := fmt.Fprintf(bw, `{"metadata":{"version":%d,"format":"redis-clone","redis_version":"7.0.15","timestamp":%d,"key_count":%d},`+"\n"+`"data":[`,
		jsonVersion, time.Now().Unix(), keyCount)
	return e, err
}

// appendJSONString appends s as a JSON string, or as {"base64":"…"} when
// it is not valid UTF-8.
func appendJSONString(dst, s []byte) []byte {
	if !utf8.Valid(s) {
		dst = append(dst, `{"base64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, s)
		return append(dst, `"}`...)
	}
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// appendJSONScore appends a score: a JSON number, or "inf" / "-inf".
func appendJSONScore(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, `"inf"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-inf"`...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

func (e *jsonEncoder) entry(en *keyspace.Entry) error {
	b := e.buf[:0]
	if !e.first {
		b = append(b, ',')
	}
	e.first = false
	b = append(b, "\n{\"db\":"...)
	b = strconv.AppendInt(b, int64(en.DB), 10)
	b = append(b, `,"key":`...)
	b = appendJSONString(b, sbytes(en.Key))
	b = append(b, `,"type":"`...)
	b = append(b, en.Obj.Type.String()...)
	b = append(b, `","value":`...)
	o := en.Obj
	switch o.Type {
	case keyspace.TypeString:
		b = appendJSONString(b, o.Str)
	case keyspace.TypeList:
		b = append(b, '[')
		i := 0
		for v := range listElems(o.Val.(*quicklist.List)) {
			if i > 0 {
				b = append(b, ',')
			}
			i++
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
	case keyspace.TypeSet:
		b = append(b, '[')
		i := 0
		for m := range setMembers(o.Val.(*set.Set)) {
			if i > 0 {
				b = append(b, ',')
			}
			i++
			b = appendJSONString(b, m)
		}
		b = append(b, ']')
	case keyspace.TypeHash:
		b = append(b, '[')
		i := 0
		for f, v := range hashPairs(o.Val.(*hash.Hash)) {
			if i > 0 {
				b = append(b, ',')
			}
			i++
			b = append(b, '[')
			b = appendJSONString(b, f)
			b = append(b, ',')
			b = appendJSONString(b, v)
			b = append(b, ']')
		}
		b = append(b, ']')
	case keyspace.TypeZSet:
		b = append(b, '[')
		i := 0
		for m, s := range zsetMembers(o.Val.(*zset.ZSet)) {
			if i > 0 {
				b = append(b, ',')
			}
			i++
			b = append(b, '[')
			b = appendJSONString(b, m)
			b = append(b, ',')
			b = appendJSONScore(b, s)
			b = append(b, ']')
		}
		b = append(b, ']')
	case keyspace.TypeStream:
		p, err := rdb.DumpValue(rdb.Value{Kind: rdb.KindStream, Stream: streamValue(o.Val.(*stream.Stream), false)})
		if err != nil {
			return err
		}
		b = append(b, `{"rdb":"`...)
		b = base64.StdEncoding.AppendEncode(b, p)
		b = append(b, `"}`...)
	default:
		return fmt.Errorf("persist: key %q holds a %s, which the JSON snapshot cannot hold", en.Key, o.Type)
	}
	if en.Expire != -1 {
		b = append(b, `,"expire_at":`...)
		b = strconv.AppendInt(b, en.Expire, 10)
	}
	b = append(b, '}')
	_, err := e.w.Write(b)
	if cap(b) <= 1<<20 {
		e.buf = b
	}
	return err
}

func (e *jsonEncoder) close() error {
	if _, err := e.w.WriteString("\n]}\n"); err != nil {
		return err
	}
	return e.w.Flush()
}

// jsonStr is a Redis string in the JSON snapshot: a JSON string or
// {"base64":"…"}.
type jsonStr []byte

// UnmarshalJSON implements json.Unmarshaler.
func (s *jsonStr) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			Base64 *string `json:"base64"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		if o.Base64 == nil {
			return errors.New(`a string object needs a "base64" field`)
		}
		d, err := base64.StdEncoding.DecodeString(*o.Base64)
		if err != nil {
			return err
		}
		*s = d
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	*s = []byte(str)
	return nil
}

// jsonScore is a score: a JSON number or "inf", "-inf", "+inf".
type jsonScore float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *jsonScore) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		switch strings.ToLower(str) {
		case "inf", "+inf":
			*f = jsonScore(math.Inf(1))
		case "-inf":
			*f = jsonScore(math.Inf(-1))
		default:
			return fmt.Errorf("bad score %q", str)
		}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = jsonScore(v)
	return nil
}

// jsonEntry is one element of "data".
type jsonEntry struct {
	DB       int             `json:"db"`
	Key      jsonStr         `json:"key"`
	Type     string          `json:"type"`
	Value    json.RawMessage `json:"value"`
	ExpireAt *int64          `json:"expire_at"`
}

// jsonMeta is the "metadata" object.
type jsonMeta struct {
	Version   int   `json:"version"`
	Timestamp int64 `json:"timestamp"`
	KeyCount  int64 `json:"key_count"`
}

// jsonValue decodes an entry's value.
func (e *jsonEntry) value() (rdb.Value, error) {
	switch e.Type {
	case "string":
		var s jsonStr
		err := json.Unmarshal(e.Value, &s)
		if s == nil {
			s = []byte{}
		}
		return rdb.Value{Kind: rdb.KindString, Str: s}, err
	case "list", "set":
		var elems []jsonStr
		if err := json.Unmarshal(e.Value, &elems); err != nil {
			return rdb.Value{}, err
		}
		if len(elems) == 0 {
			return rdb.Value{}, fmt.Errorf("empty %s", e.Type)
		}
		out := make([][]byte, len(elems))
		for i, x := range elems {
			out[i] = x
		}
		if e.Type == "list" {
			return rdb.Value{Kind: rdb.KindList, List: out}, nil
		}
		return rdb.Value{Kind: rdb.KindSet, Set: out}, nil
	case "hash":
		var pairs [][2]jsonStr
		if err := json.Unmarshal(e.Value, &pairs); err != nil {
			return rdb.Value{}, err
		}
		if len(pairs) == 0 {
			return rdb.Value{}, errors.New("empty hash")
		}
		out := make([][2][]byte, len(pairs))
		for i, p := range pairs {
			out[i] = [2][]byte{p[0], p[1]}
		}
		return rdb.Value{Kind: rdb.KindHash, Hash: out}, nil
	case "zset":
		var raw [][2]json.RawMessage
		if err := json.Unmarshal(e.Value, &raw); err != nil {
			return rdb.Value{}, err
		}
		if len(raw) == 0 {
			return rdb.Value{}, errors.New("empty zset")
		}
		out := make([]rdb.ZMember, len(raw))
		for i, p := range raw {
			var m jsonStr
			var s jsonScore
			if err := json.Unmarshal(p[0], &m); err != nil {
				return rdb.Value{}, err
			}
			if err := json.Unmarshal(p[1], &s); err != nil {
				return rdb.Value{}, err
			}
			if math.IsNaN(float64(s)) {
				return rdb.Value{}, errors.New("NaN score")
			}
			out[i] = rdb.ZMember{Member: m, Score: float64(s)}
		}
		return rdb.Value{Kind: rdb.KindZSet, ZSet: out}, nil
	case "stream":
		var o struct {
			RDB *string `json:"rdb"`
		}
		if err := json.Unmarshal(e.Value, &o); err != nil {
			return rdb.Value{}, err
		}
		if o.RDB == nil {
			return rdb.Value{}, errors.New(`a stream needs an "rdb" field`)
		}
		p, err := base64.StdEncoding.DecodeString(*o.RDB)
		if err != nil {
			return rdb.Value{}, err
		}
		v, err := rdb.LoadValue(p)
		if le := (*rdb.LoadError)(nil); errors.As(err, &le) {
			return rdb.Value{}, fmt.Errorf("stream: %w (%s)", err, le.Detail)
		} else if err != nil {
			return rdb.Value{}, err
		}
		if v.Kind != rdb.KindStream {
			return rdb.Value{}, fmt.Errorf("stream payload holds a %s", v.Kind)
		}
		return v, nil
	}
	return rdb.Value{}, fmt.Errorf("unknown type %q", e.Type)
}

// decodeJSON reads a JSON snapshot from r, calling add for each key. A
// file that is not exactly the format (truncated, a wrong key count, an
// unknown type) is an error.
func decodeJSON(r io.Reader, add func(db int, key []byte, v rdb.Value, expire int64) error) (jsonMeta, error) {
	var meta jsonMeta
	dec := json.NewDecoder(r)
	bad := func(format string, a ...any) error {
		return fmt.Errorf("Bad JSON snapshot at offset %d: %s", dec.InputOffset(), fmt.Sprintf(format, a...))
	}
	expect := func(want json.Delim) error {
		t, err := dec.Token()
		if err != nil {
			return bad("%v", err)
		}
		if d, ok := t.(json.Delim); !ok || d != want {
			return bad("expected %q, got %v", want, t)
		}
		return nil
	}
	if err := expect('{'); err != nil {
		return meta, err
	}
	seenMeta, seenData := false, false
	var count int64
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return meta, bad("%v", err)
		}
		switch t {
		case "metadata":
			if err := dec.Decode(&meta); err != nil {
				return meta, bad("metadata: %v", err)
			}
			if meta.Version != jsonVersion {
				return meta, bad("unsupported version %d", meta.Version)
			}
			seenMeta = true
		case "data":
			if !seenMeta {
				return meta, bad("data before metadata")
			}
			if err := expect('['); err != nil {
				return meta, err
			}
			for dec.More() {
				var e jsonEntry
				if err := dec.Decode(&e); err != nil {
					return meta, bad("%v", err)
				}
				if e.Key == nil || e.Type == "" || e.Value == nil {
					return meta, bad("entry without key, type or value")
				}
				v, err := e.value()
				if err != nil {
					return meta, bad("key %q: %v", e.Key, err)
				}
				exp := int64(-1)
				if e.ExpireAt != nil {
					exp = *e.ExpireAt
				}
				if err := add(e.DB, e.Key, v, exp); err != nil {
					return meta, err
				}
				count++
			}
			if err := expect(']'); err != nil {
				return meta, err
			}
			seenData = true
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return meta, bad("%v", err)
			}
		}
	}
	if err := expect('}'); err != nil {
		return meta, err
	}
	if !seenMeta || !seenData {
		return meta, bad("metadata or data missing")
	}
	if count != meta.KeyCount {
		return meta, bad("key_count is %d but the file holds %d keys", meta.KeyCount, count)
	}
	return meta, nil
}
