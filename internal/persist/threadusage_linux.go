package persist

import (
	"syscall"
	"time"
)

// threadUsage returns the CPU time the calling OS thread has used and how
// many times the kernel preempted it (involuntary context switches), or
// ok false when they cannot be read. A job reads it around each hold of
// the data lock, to tell a hold that was long because of its work from
// one the kernel stretched by descheduling the thread that held the lock.
func threadUsage() (cpu time.Duration, preempted int64, ok bool) {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, 0, false
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpu, ru.Nivcsw, true
}
