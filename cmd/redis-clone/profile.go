package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// startCPUProfile starts a CPU profile written to the file named by the
// environment variable REDIS_CLONE_CPUPROFILE (a debugging aid for the
// bench/ measurements; `go tool pprof` reads the file) and returns the
// function that stops it, which the server runs on a clean exit. Without the
// variable it does nothing.
func startCPUProfile(stderr io.Writer) func() {
	path := os.Getenv("REDIS_CLONE_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(stderr, "REDIS_CLONE_CPUPROFILE:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(stderr, "REDIS_CLONE_CPUPROFILE:", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
