package config

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/redis-clone/redis-clone/internal/splitargs"
)

// maxIncludeDepth bounds nested include directives (Redis recurses until
// its stack overflows).
const maxIncludeDepth = 64

// LoadFile reads the configuration file at path and applies it on top of
// the current values, like redis-server's first argument. File remembers
// its absolute path for CONFIG REWRITE. A file that cannot be read yields
// an *OpenError; bad content a *ParseError.
func (c *Config) LoadFile(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	c.file = abs
	data, err := os.ReadFile(path)
	if err != nil {
		return &OpenError{Path: path, Err: err}
	}
	return c.loadMain(string(data))
}

// LoadString applies configuration text in redis.conf syntax, as if it
// were the content of the configuration file (without setting File).
func (c *Config) LoadString(text string) error {
	return c.loadMain(text)
}

// loadMain parses the main configuration text. Arguments applied later by
// ApplyArgs continue it, as redis-server appends them to the file text.
func (c *Config) loadMain(text string) error {
	c.readingFile = true
	c.loaded = true
	c.mainLines = strings.Count(text, "\n") + 1
	return c.parseText(text, 0, 0)
}

// ApplyArgs applies redis-server style options, the command-line words
// after the configuration file: "--port", "7000", "--save", "", "--save",
// "900", "1", "300", "10", "--appendonly", "yes". Every "--name" starts a
// directive whose arguments are the following words; a bare "--save" (or
// one followed by another option) means save "". Our extension: a single
// word "--name=value" means "--name value". The options are turned into
// configuration text and parsed like the file, continuing its line
// numbers in error reports exactly as Redis does.
func (c *Config) ApplyArgs(args []string) error {
	opts := buildOptions(args)
	if !c.loaded {
		c.readingFile = true
		c.loaded = true
		c.mainLines = 1 // Redis parses "" + "\n" + options
	}
	base := c.mainLines
	c.mainLines += strings.Count(opts, "\n") + 1
	return c.parseText(opts, base, 0)
}

// LoadArgs handles a whole redis-server command line (without the
// program name) exactly as Redis 7.0 does: an optional configuration
// file first (any word not starting with '-'), "-" as the first or last
// word to read more configuration from stdin, then options as for
// ApplyArgs. Everything is parsed as one text.
func (c *Config) LoadArgs(args []string, stdin io.Reader) error {
	var text string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		abs, err := filepath.Abs(args[0])
		if err != nil {
			abs = args[0]
		}
		c.file = abs
		data, err := os.ReadFile(args[0])
		if err != nil {
			return &OpenError{Path: args[0], Err: err}
		}
		text = string(data)
		args = args[1:]
		if len(args) > 0 && args[len(args)-1] == "-" {
			args, text = args[:len(args)-1], text+readAll(stdin)
		}
	} else if len(args) > 0 && (args[0] == "-" || args[len(args)-1] == "-") {
		if args[0] == "-" {
			args = args[1:]
		} else {
			args = args[:len(args)-1]
		}
		text = readAll(stdin)
	}
	return c.loadMain(text + "\n" + buildOptions(args))
}

func readAll(r io.Reader) string {
	if r == nil {
		return ""
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

// buildOptions turns argv options into configuration text the way
// redis-server's main() does.
func buildOptions(args []string) string {
	var b strings.Builder
	handled := true // the last directive has at least one argument
	for j, a := range args {
		if !handled || !strings.HasPrefix(a, "--") {
			b.WriteString(repr(a))
			b.WriteByte(' ')
			handled = true
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		name := a[2:]
		if eq := strings.IndexByte(name, '='); eq > 0 && !strings.ContainsAny(name[:eq], " \t\r\n\"'") {
			b.WriteString(name[:eq] + " " + repr(name[eq+1:]) + " ")
			handled = true
			continue
		}
		b.WriteString(name)
		b.WriteByte(' ')
		toks, err := splitargs.Split(a)
		if err != nil || len(toks) != 1 {
			handled = true // "--port 6380" as one word carries its value
			continue
		}
		handled = false
		last := j == len(args)-1
		nextIsOpt := !last && strings.HasPrefix(args[j+1], "--")
		switch {
		case strings.EqualFold(a, "--save") && (nextIsOpt || last):
			b.WriteString(`""`)
			handled = !last
		case strings.EqualFold(a, "--sentinel") && nextIsOpt:
			handled = true
		}
	}
	return b.String()
}

// parseText is loadServerConfigFromString: it applies text line by line.
// Line numbers in errors are lineBase plus the 1-based line in text.
func (c *Config) parseText(text string, lineBase, depth int) error {
	lines := strings.Split(text, "\n")
	for i, raw := range lines {
		line := strings.Trim(raw, " \t\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		fail := func(msg string) error {
			return &ParseError{Line: lineBase + i + 1, Text: line, Msg: msg}
		}
		argv, err := splitargs.Split(line)
		if err != nil {
			return fail("Unbalanced quotes in configuration line")
		}
		if len(argv) == 0 {
			continue
		}
		name := strings.ToLower(argv[0])
		if e, ok := lookup[name]; ok {
			d := e.d
			multi := d.flags&fMulti != 0
			if !multi && len(argv) != 2 {
				return fail("wrong number of arguments")
			}
			args := argv[1:]
			if multi && len(argv) == 2 && argv[1] != "" {
				// "save '900 1 300 10'" and --save "900 1": split the
				// single argument again.
				if args, err = splitargs.Split(argv[1]); err != nil {
					args = nil
				}
			}
			if res, msg := d.set(c, args); res == setFailed {
				return fail(msg)
			}
			c.noteSeen(name)
			continue
		}
		if deprecatedDirectives[name] && len(argv) == 2 {
			c.noteSeen(name)
			continue
		}
		switch {
		case name == "include" && len(argv) == 2:
			if depth >= maxIncludeDepth {
				return fail("Too many nested include directives")
			}
			if err := c.include(argv[1], depth+1); err != nil {
				return err
			}
		case name == "rename-command" && len(argv) == 3:
			if c.RenameCommand != nil {
				if err := c.RenameCommand(argv[1], argv[2]); err != nil {
					return fail(err.Error())
				}
			}
			c.RenameCommands = append(c.RenameCommands, [2]string{argv[1], argv[2]})
			c.noteSeen(name)
		case name == "user" && len(argv) >= 2:
			c.UserLines = append(c.UserLines, argv[1:])
			c.noteSeen(name)
		case name == "loadmodule" && len(argv) >= 2:
			c.noteSeen(name)
		case strings.Contains(name, "."):
			if len(argv) < 2 {
				return fail("Module config specified without value")
			}
			c.noteSeen(name)
		case name == "sentinel":
			if len(argv) != 1 {
				return fail("sentinel directive while not in sentinel mode")
			}
			c.noteSeen(name)
		default:
			return fail("Bad directive or wrong number of arguments")
		}
	}
	return c.checkLoaded()
}

// include loads the files named by an include directive: one file, or
// every file matching a glob pattern (none is fine), concatenated and
// parsed as one text, as Redis's loadServerConfig does.
func (c *Config) include(pattern string, depth int) error {
	var text strings.Builder
	if strings.ContainsAny(pattern, "*?[") {
		matches, _ := filepath.Glob(pattern)
		hidden := strings.HasPrefix(filepath.Base(pattern), ".")
		for _, m := range matches {
			if !hidden && strings.HasPrefix(filepath.Base(m), ".") {
				continue // glob(3) needs an explicit leading dot
			}
			data, err := os.ReadFile(m)
			if err != nil {
				return &OpenError{Path: m, Err: err}
			}
			text.Write(data)
		}
	} else {
		data, err := os.ReadFile(pattern)
		if err != nil {
			return &OpenError{Path: pattern, Err: err}
		}
		text.Write(data)
	}
	c.readingFile = true
	err := c.parseText(text.String(), 0, depth)
	c.readingFile = false // Redis clears reading_config_file after any load
	return err
}

// checkLoaded runs the sanity checks Redis makes after parsing a
// configuration text.
func (c *Config) checkLoaded() error {
	if c.LogFile != "" {
		if err := checkLogFile(c.LogFile); err != nil {
			return &ParseError{Msg: "Can't open the log file: " + strerror(err)}
		}
	}
	if c.other["cluster-enabled"].(bool) && c.other["replicaof"].(replicaOf).host != "" {
		return &ParseError{Msg: "replicaof directive not allowed in cluster mode"}
	}
	return nil
}

// checkLogFile reports whether the log file could be opened for
// appending, like Redis's fopen(logfile, "a") test, without creating it.
func checkLogFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	if err := syscall.Access(dir, 2|1); err != nil { // W_OK|X_OK: could create it
		return err
	}
	return nil
}
