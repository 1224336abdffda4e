//go:build !unix

package zset

import "testing"

// cpuMeter is the benchmark timer alone where getrusage is not available.
type cpuMeter struct{ b *testing.B }

func startCPU(b *testing.B) *cpuMeter { b.ResetTimer(); return &cpuMeter{b} }
func (m *cpuMeter) Stop()             { m.b.StopTimer() }
func (m *cpuMeter) Start()            { m.b.StartTimer() }
func (m *cpuMeter) Report()           { m.b.StopTimer() }
