package hdrhist

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The .out files were produced by Redis 7.0.15's deps/hdr_histogram (C)
// for the values in the matching .txt files: the total, the log-bucket
// walk Redis's LATENCY HISTOGRAM prints (micros, cumulative count) and a
// few percentiles.
func TestMatchesHdrHistogramC(t *testing.T) {
	for _, name := range []string{"in1", "in2", "in3", "in4"} {
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile("testdata/" + name + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile("testdata/" + name + ".out")
			if err != nil {
				t.Fatal(err)
			}
			h, err := New(1, 1000000000, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range strings.Fields(string(in)) {
				v, _ := strconv.ParseInt(f, 10, 64)
				h.Record(v)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "total %d\n", h.TotalCount())
			var prev int64
			h.LogBuckets(1024, 2, func(hi, cum int64) {
				if cum > prev {
					fmt.Fprintf(&b, "%d %d\n", hi/1000, cum)
				}
				prev = cum
			})
			for _, p := range []float64{0, 50, 99, 99.9, 100} {
				fmt.Fprintf(&b, "p%s %d\n", strconv.FormatFloat(p, 'g', -1, 64), h.ValueAtPercentile(p))
			}
			if b.String() != string(want) {
				t.Errorf("got\n%s\nwant\n%s", b.String(), want)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range [][3]int64{{0, 10, 2}, {1, 10, 0}, {1, 10, 6}, {6, 10, 2}} {
		if _, err := New(c[0], c[1], int(c[2])); err == nil {
			t.Errorf("New%v: no error", c)
		}
	}
	h, _ := New(1, 1000, 2)
	if h.Record(-1) || h.Record(1<<40) {
		t.Error("out of range values recorded")
	}
	if h.TotalCount() != 0 {
		t.Error("count changed")
	}
}
