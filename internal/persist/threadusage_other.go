//go:build !linux

package persist

import "time"

// threadUsage is not available outside Linux (see threadusage_linux.go).
func threadUsage() (cpu time.Duration, preempted int64, ok bool) { return 0, 0, false }
