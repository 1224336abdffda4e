package persist_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/config"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/persist"
	"github.com/redis-clone/redis-clone/internal/server"
)

// childEnv makes the test binary run a server instead of the tests: the
// crash test kills it with SIGKILL, which only a separate process allows.
const childEnv = "PERSIST_TEST_CHILD_ARGS"

// runChild runs a server configured by the arguments in childEnv
// (separated by newlines), prints "PORT <n>" once it listens and serves
// until killed.
func runChild() int {
	cfg := config.Default()
	if err := cfg.ApplyArgs(strings.Split(os.Getenv(childEnv), "\n")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	c := core.NewServer(cfg, command.Table(), slog.New(slog.NewTextHandler(os.Stderr, nil)))
	srv, err := server.New(c, cfg.Mode)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	srv.FreePortForZero = true
	if _, err := persist.Open(c, persist.Options{}); err != nil {
		return 1
	}
	if err := srv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Printf("PORT %d\n", srv.Port())
	select {}
}

// child is a server process.
type child struct {
	cmd  *exec.Cmd
	addr string
}

// spawn starts a server process on dir; it returns once it listens.
func spawn(t *testing.T, mode, dir string, extra ...string) *child {
	t.Helper()
	args := append([]string{"--bind", "127.0.0.1", "--port", "0", "--dir", dir, "--save", "",
		"--mode", mode}, extra...)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, "\n"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	var logMu sync.Mutex
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		b, _ := io.ReadAll(stderr)
		logMu.Lock()
		logs.Write(b)
		logMu.Unlock()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "PORT ") {
		_ = cmd.Wait()
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("child did not start (%v): %q\n%s", err, line, logs.String())
	}
	port, _ := strconv.Atoi(strings.TrimSpace(line[5:]))
	return &child{cmd: cmd, addr: fmt.Sprintf("127.0.0.1:%d", port)}
}

// kill SIGKILLs the process and reaps it.
func (c *child) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_ = c.cmd.Wait()
}

// TestCrashLosesNoAcknowledgedWrite kills the server with SIGKILL while
// clients write under appendfsync always, restarts it and checks that
// every acknowledged INCR and SET survived, round after round, in both
// modes, on one growing AOF (some rounds kill it while it loads).
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns server processes")
	}
	const rounds = 24
	const writers = 4
	dir := t.TempDir()
	extra := []string{"--appendonly", "yes", "--appendfsync", "always"}
	// acked[w] is the last INCR reply writer w got; sets[w] the SETs
	// acknowledged (key -> value).
	acked := make([]int64, writers)
	sets := make([]map[string]string, writers)
	for w := range sets {
		sets[w] = map[string]string{}
	}
	deadline := time.Now().Add(25 * time.Second)
	for round := 0; round < rounds && time.Now().Before(deadline); round++ {
		mode := []string{"eventloop", "threaded"}[round%2]
		if round%5 == 4 {
			// Kill it while it loads the AOF, then go on as usual.
			c := spawn(t, mode, dir, extra...)
			c.kill()
		}
		c := spawn(t, mode, dir, extra...)
		ctx := ctxT(t)

		// Everything acknowledged so far must be there.
		rc := redis.NewClient(&redis.Options{Addr: c.addr, Protocol: 2, DisableIdentity: true, MaxRetries: -1})
		for w := 0; w < writers; w++ {
			got, err := rc.Get(ctx, fmt.Sprintf("counter:%d", w)).Int64()
			if err != nil && err != redis.Nil {
				t.Fatalf("round %d: get counter: %v", round, err)
			}
			if got < acked[w] {
				t.Fatalf("round %d (%s): counter:%d = %d, but %d was acknowledged", round, mode, w, got, acked[w])
			}
			acked[w] = got // an unacknowledged INCR may have made it
			for k, v := range sets[w] {
				if g := rc.Get(ctx, k).Val(); g != v {
					t.Fatalf("round %d (%s): %s = %q, acknowledged %q", round, mode, k, g, v)
				}
			}
		}
		rc.Close()

		// Write until killed.
		var wg sync.WaitGroup
		var mu sync.Mutex
		stop := make(chan struct{})
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl := redis.NewClient(&redis.Options{Addr: c.addr, Protocol: 2, DisableIdentity: true, MaxRetries: -1, PoolSize: 1})
				defer cl.Close()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					n, err := cl.Incr(ctx, fmt.Sprintf("counter:%d", w)).Result()
					if err != nil {
						return
					}
					mu.Lock()
					acked[w] = n
					mu.Unlock()
					k, v := fmt.Sprintf("key:%d:%d", w, n), strconv.Itoa(round)
					if err := cl.Set(ctx, k, v, 0).Err(); err != nil {
						return
					}
					mu.Lock()
					sets[w][k] = v
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Duration(30+rand.IntN(120)) * time.Millisecond)
		c.kill()
		close(stop)
		wg.Wait()
	}
	total := int64(0)
	for _, a := range acked {
		total += a
	}
	if total < 100 {
		t.Fatalf("only %d acknowledged INCRs in all rounds: the test did not exercise the AOF", total)
	}
	t.Logf("%d acknowledged INCRs survived every crash", total)
}
