// Command redis-clone is a Redis-compatible server.
//
// Usage:
//
//	redis-clone [/path/to/redis.conf] [--mode=eventloop|threaded] [--port N | N] [--directive value ...]
//
// See usage below and the README.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/logging"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/replication"
	"github.com/redis-clone/redis-clone/internal/server"
)

const usage = `Redis Clone Server v` + core.CloneVersion + `

Usage: redis-clone [config-file] [options] [port]

Options:
  --mode=MODE        Server architecture: eventloop (default, one event loop
                     owns the data, as Redis) or threaded (a goroutine per
                     client, commands executed under a lock)
  --port=N, --port N TCP port to listen on (default 6379; env REDIS_CLONE_PORT)
  --NAME VALUE...    Any redis.conf directive, e.g. --save "" --appendonly yes
  -h, --help         Show this help
  -v, --version      Show the version

Examples:
  redis-clone                              # event loop on port 6379
  redis-clone --mode=threaded              # threaded mode on port 6379
  redis-clone --mode=eventloop --port=7000 # event loop on port 7000
  redis-clone 7000                         # event loop on port 7000
  REDIS_CLONE_PORT=7001 redis-clone        # port from the environment
  redis-clone /etc/redis/redis.conf --port 7000 --save "" --appendonly yes
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// parseArgs turns the command line into a configuration.
func parseArgs(args []string, stderr io.Writer) (*config.Config, bool, error) {
	cfg := config.Default()
	if p := os.Getenv("REDIS_CLONE_PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return nil, false, fmt.Errorf("invalid REDIS_CLONE_PORT %q", p)
		}
		cfg.Port = n
	}
	var rest []string
	// inDirective is true after "--name" (without "=") until the next
	// option: the words in between are that directive's values, so a
	// number there is not the bare port.
	inDirective := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-h" || a == "--help":
			return nil, true, nil
		case a == "-v" || a == "--version":
			fmt.Fprintf(stderr, "Redis Clone Server v=%s (redis_version %s)\n", core.CloneVersion, core.Version)
			os.Exit(0)
		case i == 0 && !strings.HasPrefix(a, "-") && !isPort(a):
			if err := cfg.LoadFile(a); err != nil {
				return nil, false, err
			}
		case !inDirective && isPort(a):
			rest = append(rest, "--port", a)
		default:
			if strings.HasPrefix(a, "--") {
				inDirective = !strings.Contains(a, "=")
			}
			rest = append(rest, a)
		}
	}
	if len(rest) > 0 {
		if err := cfg.ApplyArgs(rest); err != nil {
			return nil, false, err
		}
	}
	return cfg, false, nil
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 65535
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, help, err := parseArgs(args, stderr)
	if help {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		var pe *config.ParseError
		if errors.As(err, &pe) {
			fmt.Fprint(stderr, err)
		} else {
			fmt.Fprintln(stderr, err)
		}
		return 1
	}
	logOut := stdout
	if cfg.LogFile != "" {
		f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "Can't open the log file: %v\n", err)
			return 1
		}
		defer f.Close()
		logOut = f
	}
	log, level := logging.New(logOut, cfg.LogLevel)
	cfg.OnChange("loglevel", func() error {
		level.Set(logging.Level(cfg.LogLevel))
		return nil
	})
	command.MarkACLDirectives(cfg)
	if names := cfg.Unsupported(); len(names) > 0 {
		log.Warn("Config directives accepted but not acted on: " + strings.Join(names, ", "))
	}
	if cfg.Dir != "" {
		if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
			log.Warn("Can't create dir " + cfg.Dir + ": " + err.Error())
		}
	}
	c := core.NewServer(cfg, command.Table(), log)
	if err := command.SetupACL(c); err != nil {
		log.Warn(err.Error())
		return 1
	}
	if f := cfg.File(); f != "" {
		c.ConfigFile, _ = filepath.Abs(f)
	}
	srv, err := server.New(c, cfg.Mode)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	log.Info("oO0OoO0OoO0Oo Redis Clone is starting oO0OoO0OoO0Oo")
	log.Info(fmt.Sprintf("Redis version=%s, bits=64, commit=00000000, modified=0, pid=%d, just started", core.Version, os.Getpid()))
	log.Info("Server initialized")
	// The profile covers the loading of the dataset too.
	defer startCPUProfile(stderr)()
	if err := srv.CheckListeners(); err != nil {
		log.Warn(err.Error())
		return 1
	}
	// Recover the dataset before listening; a corrupt file stops here
	// (persist logged why) and nothing on disk is touched.
	if _, err := persist.Open(c, persist.Options{}); err != nil {
		return 1
	}
	replication.Open(c)
	// Catch SIGTERM/SIGINT before announcing readiness, so a supervisor
	// that signals right after the banner gets a clean shutdown.
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sig)
	if err := srv.Start(); err != nil {
		log.Warn(fmt.Sprintf("Failed listening on port %d (tcp), aborting.", cfg.Port), "err", err)
		return 1
	}
	mode := "Event Loop"
	ready := "Event loop server ready to accept connections"
	if cfg.Mode == server.ModeThreaded {
		mode = "Threaded"
		ready = "Threaded server ready to accept connections"
	}
	fmt.Fprintf(stdout, "Redis Clone Server v%s\nMode: %s\nPort: %d\nPID: %d\n%s\n%s\n",
		core.CloneVersion, mode, srv.Port(), os.Getpid(), strings.Repeat("=", 40), ready)
	log.Info("Ready to accept connections")
	if cfg.UnixSocket != "" {
		log.Info("The server is now ready to accept connections at " + cfg.UnixSocket)
	}

	shuttingDown := false
	for {
		select {
		case s := <-sig:
			name, flags := "SIGTERM", cfg.ShutdownOnSigterm
			if s == syscall.SIGINT {
				name, flags = "SIGINT", cfg.ShutdownOnSigint
			}
			if shuttingDown && s == syscall.SIGINT {
				log.Warn("You insist... exiting now.")
				return 1
			}
			shuttingDown = true
			log.Info(fmt.Sprintf("Received %s scheduling shutdown...", name))
			log.Info("User requested shutdown...")
			// As prepareForShutdown: save when save points are configured,
			// unless shutdown-on-sig* says otherwise.
			save := (len(cfg.Save) > 0 || flags&config.ShutdownSave != 0) && flags&config.ShutdownNoSave == 0
			srv.Lock()
			err := c.PrepareShutdown(save)
			srv.Unlock()
			if err != nil {
				log.Warn(fmt.Sprintf("%s received but errors trying to shut down the server, check the logs for more information", name))
				shuttingDown = false
				continue
			}
			srv.Stop()
		case <-srv.Done():
		}
		log.Info("Redis is now ready to exit, bye bye...")
		return 0
	}
}
