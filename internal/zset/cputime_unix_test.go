//go:build unix

package zset

import (
	"syscall"
	"testing"
	"time"
)

// cpuMeter measures the process's CPU time (user+system) over a
// benchmark's timed part and reports it per op as "cpu-ns/op": on a
// shared machine this is steadier than ns/op, which also counts the time
// the benchmark waits for a CPU.
type cpuMeter struct {
	b     *testing.B
	start time.Duration
	spent time.Duration
}

// startCPU starts a cpuMeter along with the benchmark's timer.
func startCPU(b *testing.B) *cpuMeter {
	b.ResetTimer()
	return &cpuMeter{b: b, start: cpuTime()}
}

// Stop pauses the meter and the benchmark's timer.
func (m *cpuMeter) Stop() {
	m.b.StopTimer()
	m.spent += cpuTime() - m.start
}

// Start resumes them.
func (m *cpuMeter) Start() {
	m.start = cpuTime()
	m.b.StartTimer()
}

// Report stops the meter and reports the CPU time per op.
func (m *cpuMeter) Report() {
	m.Stop()
	m.b.ReportMetric(float64(m.spent)/float64(m.b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
