package core

import (
	"math"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

func TestGCPauseObserve(t *testing.T) {
	var g gcSampler
	buckets := []float64{math.Inf(-1), 0.0001, 0.001, 0.002, 0.004, math.Inf(1)}
	h := &metrics.Float64Histogram{Counts: []uint64{0, 5, 0, 0, 0}, Buckets: buckets}
	if _, ok := g.observe(h); ok {
		t.Fatal("first observation reported a pause")
	}
	h = &metrics.Float64Histogram{Counts: []uint64{0, 7, 0, 0, 0}, Buckets: buckets}
	if d, ok := g.observe(h); !ok || d != 100*time.Microsecond {
		t.Fatalf("got %v %v, want 100µs", d, ok)
	}
	h = &metrics.Float64Histogram{Counts: []uint64{0, 8, 0, 1, 0}, Buckets: buckets}
	if d, ok := g.observe(h); !ok || d != 2*time.Millisecond {
		t.Fatalf("got %v %v, want 2ms (the worst new pause)", d, ok)
	}
	if _, ok := g.observe(h); ok {
		t.Fatal("no new pause, one reported")
	}
}

// TestSparkline compares LATENCY GRAPH's rendering with Redis 7.0.15's
// output for the samples 50 ms (1 s ago) and 30 ms (now).
func TestSparkline(t *testing.T) {
	var seq sparkline
	seq.add(50, "1s")
	seq.add(30, "0s")
	var b strings.Builder
	seq.render(&b, 80, 4)
	want := "# \n| \n| \n|_\n  \n10\nss\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
