package aof

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/splitargs"
)

// FileType is the type letter of a manifest line.
type FileType byte

// The manifest file types of Redis 7.0.
const (
	TypeBase    FileType = 'b'
	TypeHistory FileType = 'h'
	TypeIncr    FileType = 'i'
)

// File name pieces of the multi-part layout (aof.c).
const (
	baseSuffix     = ".base"
	incrSuffix     = ".incr"
	rdbSuffix      = ".rdb"
	aofSuffix      = ".aof"
	manifestSuffix = ".manifest"
	tempPrefix     = "temp-"

	manifestMaxLine = 1024
)

// FileInfo is one line of the manifest.
type FileInfo struct {
	Name string
	Seq  int64
	Type FileType
}

// Manifest is the parsed AOF manifest: at most one base file, the history
// files (to be deleted) and the ordered incr files.
type Manifest struct {
	Base    *FileInfo
	History []FileInfo
	Incr    []FileInfo
	// BaseSeq and IncrSeq are the sequence numbers of the newest base and
	// incr file (curr_base_file_seq, curr_incr_file_seq): the next file of
	// each kind gets the number after it.
	BaseSeq int64
	IncrSeq int64
}

// ManifestError is a manifest that Redis would refuse to load. Reason is
// Redis's message; Line and Text locate the offending line when there is
// one (Line is 0 otherwise).
type ManifestError struct {
	Path   string
	Line   int
	Text   string
	Reason string
}

// Error implements error.
func (e *ManifestError) Error() string {
	var b strings.Builder
	b.WriteString("Bad AOF manifest file")
	if e.Path != "" {
		b.WriteString(" ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Line > 0 {
		fmt.Fprintf(&b, " (reading the manifest file, at line %d: '%s')", e.Line, e.Text)
	}
	return b.String()
}

// ManifestName is the manifest file name for the AOF base name filename
// ("appendonly.aof.manifest").
func ManifestName(filename string) string { return filename + manifestSuffix }

// ParseManifest parses manifest text exactly as Redis 7.0's
// aofLoadManifestFromFile does: lines are read fgets-style in chunks of at
// most 1024 bytes, '#' lines are comments, every other line is trimmed and
// split like sdssplitargs into key/value pairs (file, seq, type; unknown
// keys are ignored), and the checks and messages are Redis's.
func ParseManifest(data []byte) (*Manifest, error) {
	m := &Manifest{}
	var maxSeq int64
	linenum := 0
	fail := func(text, reason string) error {
		return &ManifestError{Line: linenum, Text: text, Reason: reason}
	}
	for len(data) > 0 {
		// fgets(buf, 1025): at most 1024 bytes, up to and including '\n'.
		n := len(data)
		if n > manifestMaxLine {
			n = manifestMaxLine
		}
		if k := bytes.IndexByte(data[:n], '\n'); k >= 0 {
			n = k + 1
		}
		chunk := data[:n]
		data = data[n:]
		linenum++
		// The C code sees a NUL-terminated string.
		if k := bytes.IndexByte(chunk, 0); k >= 0 {
			chunk = chunk[:k]
		}
		if len(chunk) > 0 && chunk[0] == '#' {
			continue
		}
		if bytes.IndexByte(chunk, '\n') < 0 {
			return nil, &ManifestError{Reason: "The AOF manifest file contains too long line"}
		}
		line := strings.Trim(string(chunk), " \t\r\n")
		if line == "" {
			return nil, fail(line, "Invalid AOF manifest file format")
		}
		argv, err := splitargs.Split(line)
		if err != nil || len(argv) < 6 || len(argv)%2 != 0 {
			return nil, fail(line, "Invalid AOF manifest file format")
		}
		var ai FileInfo
		haveName := false
		for i := 0; i < len(argv); i += 2 {
			switch strings.ToLower(argv[i]) {
			case "file":
				ai.Name = cString(argv[i+1])
				haveName = true
				if strings.ContainsAny(ai.Name, "/\\") {
					return nil, fail(line, "File can't be a path, just a filename")
				}
			case "seq":
				ai.Seq = atoll(argv[i+1])
			case "type":
				if v := argv[i+1]; v != "" {
					ai.Type = FileType(v[0])
				} else {
					ai.Type = 0
				}
			}
		}
		if !haveName || ai.Seq == 0 || ai.Type == 0 {
			return nil, fail(line, "Invalid AOF manifest file format")
		}
		switch ai.Type {
		case TypeBase:
			if m.Base != nil {
				return nil, fail(line, "Found duplicate base file information")
			}
			b := ai
			m.Base = &b
			m.BaseSeq = ai.Seq
		case TypeHistory:
			m.History = append(m.History, ai)
		case TypeIncr:
			if ai.Seq <= maxSeq {
				return nil, fail(line, "Found a non-monotonic sequence number")
			}
			m.Incr = append(m.Incr, ai)
			m.IncrSeq = ai.Seq
			maxSeq = ai.Seq
		default:
			return nil, fail(line, "Unknown AOF file type")
		}
	}
	if linenum == 0 {
		return nil, &ManifestError{Reason: "Found an empty AOF manifest"}
	}
	return m, nil
}

// cString cuts s at its first NUL byte, as the C string functions would.
func cString(s string) string {
	if k := strings.IndexByte(s, 0); k >= 0 {
		return s[:k]
	}
	return s
}

// atoll is C's atoll (glibc strtoll base 10): leading white space, an
// optional sign, digits up to the first non-digit; out-of-range values
// saturate.
func atoll(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v uint64
	over := false
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if v > (math.MaxUint64-9)/10 {
			over = true
			continue
		}
		v = v*10 + uint64(s[i]-'0')
	}
	if neg {
		if over || v > 1<<63 {
			return math.MinInt64
		}
		return -int64(v)
	}
	if over || v > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(v)
}

// LoadManifest reads and parses dir/dirname/<filename>.manifest. A missing
// manifest gives an error that satisfies errors.Is(err, fs.ErrNotExist).
func LoadManifest(dir, dirname, filename string) (*Manifest, error) {
	return loadManifest(OSFS{}, filepath.Join(dir, dirname), filename)
}

func loadManifest(fsys FS, aofDir, filename string) (*Manifest, error) {
	path := filepath.Join(aofDir, ManifestName(filename))
	data, err := fsys.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("Fatal error: can't open the AOF manifest file %s for reading: %s", path, Strerror(err))
	}
	m, err := ParseManifest(data)
	if err != nil {
		var me *ManifestError
		if errors.As(err, &me) {
			me.Path = path
		}
		return nil, err
	}
	return m, nil
}

// Bytes formats the manifest as Redis writes it: the base first, then the
// history files, then the incr files, one "file <name> seq <n> type <t>"
// line each. Names that need it are quoted like sdscatrepr.
func (m *Manifest) Bytes() []byte {
	var b []byte
	line := func(ai FileInfo) {
		b = append(b, "file "...)
		b = appendManifestName(b, ai.Name)
		b = append(b, " seq "...)
		b = strconv.AppendInt(b, ai.Seq, 10)
		b = append(b, " type "...)
		b = append(b, byte(ai.Type), '\n')
	}
	if m.Base != nil {
		line(*m.Base)
	}
	for _, ai := range m.History {
		line(ai)
	}
	for _, ai := range m.Incr {
		line(ai)
	}
	return b
}

// String returns the manifest text.
func (m *Manifest) String() string { return string(m.Bytes()) }

func isPrint(c byte) bool { return c >= 0x20 && c <= 0x7e }

func appendManifestName(b []byte, name string) []byte {
	needs := name == "" // unquoted, Redis would write a line it cannot read
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '\\' || c == '"' || !isPrint(c) || c == ' ' {
			needs = true
			break
		}
	}
	if !needs {
		return append(b, name...)
	}
	return splitargs.AppendRepr(b, []byte(name))
}

// Clone returns a deep copy of m.
func (m *Manifest) Clone() *Manifest {
	c := &Manifest{BaseSeq: m.BaseSeq, IncrSeq: m.IncrSeq}
	if m.Base != nil {
		b := *m.Base
		c.Base = &b
	}
	c.History = append([]FileInfo(nil), m.History...)
	c.Incr = append([]FileInfo(nil), m.Incr...)
	return c
}

// Empty reports whether the manifest names no base and no incr file.
func (m *Manifest) Empty() bool { return m.Base == nil && len(m.Incr) == 0 }

// Save writes the manifest to dir/dirname/<filename>.manifest through
// temp-<filename>.manifest: write, fsync, rename, fsync of the directory.
func (m *Manifest) Save(dir, dirname, filename string) error {
	return saveManifest(OSFS{}, filepath.Join(dir, dirname), filename, m)
}

func saveManifest(fsys FS, aofDir, filename string, m *Manifest) error {
	err := writeFileAtomic(fsys, aofDir, tempPrefix+ManifestName(filename), ManifestName(filename), m.Bytes())
	if err != nil {
		return fmt.Errorf("can't write the AOF manifest file %s: %s", ManifestName(filename), Strerror(err))
	}
	return nil
}

// newBase names the next base file, turning the current base (if any) into
// the first history entry (getNewBaseFileNameAndMarkPreAsHistory).
func (m *Manifest) newBase(filename string, rdb bool) string {
	if m.Base != nil {
		h := *m.Base
		h.Type = TypeHistory
		m.History = append([]FileInfo{h}, m.History...)
	}
	m.BaseSeq++
	suffix := aofSuffix
	if rdb {
		suffix = rdbSuffix
	}
	m.Base = &FileInfo{
		Name: filename + "." + strconv.FormatInt(m.BaseSeq, 10) + baseSuffix + suffix,
		Seq:  m.BaseSeq,
		Type: TypeBase,
	}
	return m.Base.Name
}

// newIncr appends the next incr file and returns its name (getNewIncrAofName).
func (m *Manifest) newIncr(filename string) string {
	m.IncrSeq++
	ai := FileInfo{
		Name: filename + "." + strconv.FormatInt(m.IncrSeq, 10) + incrSuffix + aofSuffix,
		Seq:  m.IncrSeq,
		Type: TypeIncr,
	}
	m.Incr = append(m.Incr, ai)
	return ai.Name
}

// markRewrittenIncrAsHistory moves every incr file but the last (the one
// being written) to the history, newest first (markRewrittenIncrAofAsHistory).
func (m *Manifest) markRewrittenIncrAsHistory(keepLast bool) {
	n := len(m.Incr)
	if n == 0 {
		return
	}
	end := n
	if keepLast {
		end = n - 1
	}
	for i := end - 1; i >= 0; i-- {
		h := m.Incr[i]
		h.Type = TypeHistory
		m.History = append([]FileInfo{h}, m.History...)
	}
	m.Incr = append([]FileInfo(nil), m.Incr[end:]...)
}
