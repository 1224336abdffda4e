package aof

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// ExecFunc executes one command read from the AOF (MULTI and EXEC are
// handled by Load and never passed). It returns an error only for what
// must stop the loading, such as an unknown command; a command that merely
// fails (a WRONGTYPE reply, say) is not an error, as in Redis. args are
// only valid for the duration of the call (Load reuses their storage for
// the next command): copy what you keep.
type ExecFunc func(args [][]byte) error

// RDBFunc loads an RDB image (an RDB base file or the RDB preamble of a
// legacy AOF) from r. It must read through r itself, not through another
// buffered reader wrapped around it, and stop right after the RDB's EOF
// opcode and checksum: Load goes on reading RESP commands from r.
type RDBFunc func(r *bufio.Reader, name string) error

// FileLoad describes one file that Load read.
type FileLoad struct {
	Name     string
	Type     FileType
	Size     int64
	RDB      bool // began with an RDB image
	Commands int64
	Duration time.Duration
}

// LoadInfo tells what Load found and did.
type LoadInfo struct {
	// Exists is false when there was no AOF at all (no manifest naming a
	// file, no legacy appendonly.aof): the caller may fall back to an RDB.
	Exists bool
	// Empty is true when the files exist but hold no byte.
	Empty bool
	// Upgraded is true when a legacy single-file AOF was moved into the
	// multi-part layout.
	Upgraded bool
	Manifest *Manifest
	Files    []FileLoad
	Commands int64
	// Truncated is set when the last file ended inside a command (or an
	// unfinished MULTI) and was cut at TruncatedAt, its last complete
	// command (it was TruncatedFrom bytes long).
	Truncated     bool
	TruncatedFile string
	TruncatedAt   int64
	TruncatedFrom int64
	// TotalSize and BaseSize seed aof_current_size and aof_base_size.
	TotalSize int64
	BaseSize  int64
	Duration  time.Duration
}

type countingReader struct {
	r io.Reader
	n int64
}

// Read implements io.Reader, counting the bytes read.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Load replays the AOF of opts.Dir: the manifest in opts.Dir/opts.DirName,
// or a legacy single file opts.Dir/opts.FileName, which is then moved into
// the multi-part layout as Redis 7.0 does (aofUpgradePrepare; here only
// after it loaded successfully, so a file that fails to load is left where
// it was). The base file is loaded first (an RDB image through loadRDB,
// RESP commands through exec), then each incr file in order.
//
// A last file that ends inside a command is, with opts.LoadTruncated, cut
// back to its last complete command and loaded; without it Load fails with
// Redis's "Unexpected end of file" message. A truncated file that is not
// the last one, bytes that are not a command, a missing file or a bad
// manifest make Load fail, and then no file has been changed.
func Load(opts Options, exec ExecFunc, loadRDB RDBFunc) (LoadInfo, error) {
	opts.setDefaults()
	start := time.Now()
	l := &loader{opts: opts, fs: opts.FS, log: opts.Logger, exec: exec, loadRDB: loadRDB,
		aofDir: filepath.Join(opts.Dir, opts.DirName)}
	info, err := l.run()
	info.Duration = time.Since(start)
	return info, err
}

type loader struct {
	opts    Options
	fs      FS
	log     *slog.Logger
	exec    ExecFunc
	loadRDB RDBFunc
	aofDir  string
}

func isRegular(fsys FS, path string) bool {
	st, err := fsys.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func (l *loader) run() (LoadInfo, error) {
	var info LoadInfo
	m := &Manifest{}
	dirExists := false
	if st, err := l.fs.Stat(l.aofDir); err == nil && st.IsDir() {
		dirExists = true
		mm, err := loadManifest(l.fs, l.aofDir, l.opts.FileName)
		switch {
		case err == nil:
			m = mm
		case errors.Is(err, fs.ErrNotExist):
		default:
			return info, err
		}
	}

	// Upgrade from a single-file AOF (loadAppendOnlyFiles).
	legacy := filepath.Join(l.opts.Dir, l.opts.FileName)
	upgrade := false
	if isRegular(l.fs, legacy) {
		if !dirExists || m.Empty() ||
			(m.Base != nil && len(m.Incr) == 0 && m.Base.Name == l.opts.FileName &&
				!isRegular(l.fs, filepath.Join(l.aofDir, l.opts.FileName))) {
			upgrade = true
			m = &Manifest{Base: &FileInfo{Name: l.opts.FileName, Seq: 1, Type: TypeBase}, BaseSeq: 1}
		}
	}
	info.Manifest = m
	if m.Empty() {
		return info, nil
	}
	info.Exists = true

	pathOf := func(name string) string {
		if upgrade {
			return legacy
		}
		return filepath.Join(l.aofDir, name)
	}
	type item struct {
		fi   FileInfo
		path string
		size int64
	}
	var items []item
	if m.Base != nil {
		items = append(items, item{fi: *m.Base, path: pathOf(m.Base.Name)})
	}
	for _, fi := range m.Incr {
		items = append(items, item{fi: fi, path: pathOf(fi.Name)})
	}
	var total int64
	for i := range items {
		st, err := l.fs.Stat(items[i].path)
		if err != nil {
			return info, fmt.Errorf("Unable to obtain the AOF file %s length. stat: %s", items[i].fi.Name, Strerror(err))
		}
		items[i].size = st.Size()
		total += st.Size()
	}
	if total == 0 {
		info.Empty = true
		return info, nil
	}

	for i, it := range items {
		last := i == len(items)-1
		t0 := time.Now()
		fl, tr, err := l.loadFile(it.fi, it.path, it.size, upgrade || it.fi.Name == l.opts.FileName)
		fl.Duration = time.Since(t0)
		info.Commands += fl.Commands
		if err != nil {
			return info, err
		}
		if tr != nil {
			if !last {
				return info, fmt.Errorf("Fatal error: the truncated file is not the last file (%s)", it.fi.Name)
			}
			if !l.opts.LoadTruncated {
				return info, fmt.Errorf("Unexpected end of file reading the append only file %s. You can: "+
					"1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "+
					"2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.: %w",
					it.fi.Name, ErrTruncated)
			}
			l.log.Warn(fmt.Sprintf("!!! Warning: short read while loading the AOF file %s!!!", it.fi.Name))
			l.log.Warn(fmt.Sprintf("!!! Truncating the AOF %s at offset %d !!!", it.fi.Name, tr.at))
			if err := truncateFile(l.fs, it.path, tr.at); err != nil {
				l.log.Warn(fmt.Sprintf("Error truncating the AOF file %s: %s", it.fi.Name, Strerror(err)))
				return info, fmt.Errorf("Error truncating the AOF file %s: %s", it.fi.Name, Strerror(err))
			}
			l.log.Warn(fmt.Sprintf("AOF %s loaded anyway because aof-load-truncated is enabled", it.fi.Name))
			info.Truncated = true
			info.TruncatedFile = it.fi.Name
			info.TruncatedAt = tr.at
			info.TruncatedFrom = it.size
			total -= it.size - tr.at
			fl.Size = tr.at
		}
		kind := "incr"
		if it.fi.Type == TypeBase {
			kind = "base"
			info.BaseSize = fl.Size
		}
		l.log.Info(fmt.Sprintf("DB loaded from %s file %s: %.3f seconds", kind, it.fi.Name, fl.Duration.Seconds()))
		info.Files = append(info.Files, fl)
	}
	info.TotalSize = total

	if upgrade {
		if err := l.upgrade(); err != nil {
			return info, err
		}
		info.Upgraded = true
	}
	return info, nil
}

// upgrade moves the legacy file into the AOF directory behind a manifest
// naming it as the base (aofUpgradePrepare). A crash at any point leaves a
// state the next start upgrades again.
func (l *loader) upgrade() error {
	if err := mkdirIfMissing(l.fs, l.aofDir); err != nil {
		return fmt.Errorf("Can't open or create append-only dir %s: %s", l.aofDir, Strerror(err))
	}
	m := &Manifest{Base: &FileInfo{Name: l.opts.FileName, Seq: 1, Type: TypeBase}, BaseSeq: 1}
	if err := saveManifest(l.fs, l.aofDir, l.opts.FileName, m); err != nil {
		return err
	}
	legacy := filepath.Join(l.opts.Dir, l.opts.FileName)
	if err := l.fs.Rename(legacy, filepath.Join(l.aofDir, l.opts.FileName)); err != nil {
		return fmt.Errorf("Error trying to move the old AOF file %s into dir %s: %s", l.opts.FileName, l.opts.DirName, Strerror(err))
	}
	if err := l.fs.SyncDir(l.aofDir); err != nil {
		return fmt.Errorf("Fail to fsync AOF directory %s: %s", l.aofDir, Strerror(err))
	}
	if err := l.fs.SyncDir(l.opts.Dir); err != nil {
		return fmt.Errorf("Fail to fsync directory %s: %s", l.opts.Dir, Strerror(err))
	}
	l.log.Info(fmt.Sprintf("Successfully migrated an old-style AOF file (%s) into the AOF directory (%s).", l.opts.FileName, l.opts.DirName))
	return nil
}

func truncateFile(fsys FS, path string, size int64) error {
	f, err := fsys.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	err = f.Truncate(size)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

type truncation struct{ at int64 }

// loadFile replays one file (loadSingleAppendOnlyFile). It returns a
// truncation when the file ends inside a command or an open MULTI.
func (l *loader) loadFile(fi FileInfo, path string, size int64, legacy bool) (FileLoad, *truncation, error) {
	fl := FileLoad{Name: fi.Name, Type: fi.Type, Size: size}
	if size == 0 {
		return fl, nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fl, nil, fmt.Errorf("Fatal error: can't open the append log file %s for reading: %s", fi.Name, Strerror(err))
	}
	defer f.Close()
	cnt := &countingReader{r: f}
	br := bufio.NewReaderSize(cnt, 64<<10)
	var off int64

	if sig, _ := br.Peek(5); bytes.Equal(sig, []byte("REDIS")) {
		fl.RDB = true
		if legacy {
			l.log.Info("Reading RDB preamble from AOF file...")
		} else {
			l.log.Info("Reading RDB base file on AOF loading...")
		}
		if l.loadRDB == nil {
			return fl, nil, fmt.Errorf("Error reading the RDB base file %s, AOF loading aborted: no RDB loader", fi.Name)
		}
		if err := l.loadRDB(br, fi.Name); err != nil {
			if legacy {
				return fl, nil, fmt.Errorf("Error reading the RDB preamble of the AOF file %s, AOF loading aborted: %w", fi.Name, err)
			}
			return fl, nil, fmt.Errorf("Error reading the RDB base file %s, AOF loading aborted: %w", fi.Name, err)
		}
		off = cnt.n - int64(br.Buffered())
		if legacy {
			l.log.Info("Reading the remaining AOF tail...")
		}
	}

	validUpTo := off
	validBeforeMulti := off
	inMulti := false
	var queued [][][]byte
	var cb cmdBuf
	for {
		args, err := parseCommandInto(br, &off, &cb)
		if err != nil {
			if err == io.EOF {
				break
			}
			if errors.Is(err, ErrTruncated) {
				if inMulti {
					validUpTo = validBeforeMulti
				}
				return fl, &truncation{at: validUpTo}, nil
			}
			var fe *FormatError
			if errors.As(err, &fe) {
				return fl, nil, fmt.Errorf("Bad file format reading the append only file %s: "+
					"make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest> (%w)", fi.Name, err)
			}
			return fl, nil, fmt.Errorf("Unrecoverable error reading the append only file %s: %s", fi.Name, Strerror(err))
		}
		switch {
		case equalFold(args[0], "multi"):
			if !inMulti {
				inMulti = true
				validBeforeMulti = validUpTo
				queued = queued[:0]
			}
		case equalFold(args[0], "exec"):
			if inMulti {
				inMulti = false
				for _, q := range queued {
					if err := l.exec(q); err != nil {
						return fl, nil, fmt.Errorf("%w reading the append only file %s", err, fi.Name)
					}
				}
				queued = queued[:0]
			}
		default:
			if inMulti {
				queued = append(queued, cloneArgs(args))
			} else if err := l.exec(args); err != nil {
				return fl, nil, fmt.Errorf("%w reading the append only file %s", err, fi.Name)
			}
		}
		fl.Commands++
		validUpTo = off
	}
	if inMulti {
		l.log.Warn(fmt.Sprintf("Revert incomplete MULTI/EXEC transaction in AOF file %s", fi.Name))
		return fl, &truncation{at: validBeforeMulti}, nil
	}
	return fl, nil, nil
}

func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
