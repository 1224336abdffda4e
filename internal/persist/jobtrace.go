package persist

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"
)

// Execution traces of background jobs, a debugging aid for the stall
// measurements (bench/persistprobe, scripts/persist-bench.sh): with the
// environment variable REDIS_CLONE_JOBTRACE set to a directory, each
// BGSAVE or BGREWRITEAOF records a Go execution trace from its start to
// its end in that directory (`go tool trace` reads it). The slices the
// job and the event loop collect show as regions "slice" and
// "slice(loop)". A heap profile is written at the job's start and at its
// end beside the trace (compare them with `go tool pprof -sample_index
// alloc_space -base start end` to see what the job's duration allocated).
// Without the variable nothing is recorded.

// jobTraceDir is the directory of the job traces, "" for none.
var jobTraceDir = os.Getenv("REDIS_CLONE_JOBTRACE")

// startJobTrace starts the trace of a job of kind, and returns the
// function that stops it (nil when not tracing).
func (m *Manager) startJobTrace(kind jobKind) func() {
	if jobTraceDir == "" || trace.IsEnabled() {
		return nil
	}
	name := "bgsave"
	if kind == jobRewrite {
		name = "bgrewriteaof"
	}
	path := filepath.Join(jobTraceDir, fmt.Sprintf("%s-%d-%s.trace", name, os.Getpid(), time.Now().Format("150405.000")))
	f, err := os.Create(path)
	if err != nil {
		m.log.Warn("REDIS_CLONE_JOBTRACE: " + err.Error())
		return nil
	}
	if err := trace.Start(f); err != nil {
		m.log.Warn("REDIS_CLONE_JOBTRACE: " + err.Error())
		f.Close()
		return nil
	}
	m.log.Info("Tracing the background job to " + path)
	base := strings.TrimSuffix(path, ".trace")
	writeHeapProfile(base + ".start.heap")
	return func() {
		trace.Stop()
		f.Close()
		writeHeapProfile(base + ".end.heap")
	}
}

// writeHeapProfile writes the heap profile to path after a GC (the
// profile only counts what the last GC saw), ignoring errors: a debugging
// aid, which changes what it measures (the GC it forces at the job's
// start collects garbage that would otherwise count during it; the one at
// its end stalls the clients).
func writeHeapProfile(path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return
	}
	_ = pprof.Lookup("heap").WriteTo(f, 0)
	f.Close()
}
