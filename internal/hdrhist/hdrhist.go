// Package hdrhist is a High Dynamic Range histogram with the bucket layout,
// percentile and logarithmic iteration rules of the HdrHistogram_c library
// Redis 7.0 embeds (deps/hdr_histogram), so that LATENCY HISTOGRAM and INFO
// latencystats report the same buckets and values as Redis for the same
// samples. Only what Redis uses is here: recording, total count, value at
// percentile and the logarithmic bucket walk.
//
// A Histogram is not safe for concurrent use.
package hdrhist

import (
	"errors"
	"math"
	"math/bits"
)

// Histogram counts recorded values in buckets whose width keeps the given
// number of significant decimal digits over [lowest, highest].
type Histogram struct {
	unitMagnitude               int32
	subBucketHalfCountMagnitude int32
	subBucketHalfCount          int32
	subBucketMask               int64
	subBucketCount              int32
	countsLen                   int32
	highest                     int64
	total                       int64
	counts                      []int64
}

// ErrConfig reports histogram bounds or precision HdrHistogram rejects.
var ErrConfig = errors.New("hdrhist: invalid configuration")

// New returns an empty histogram tracking values in [lowest, highest]
// with sigFigs (1 to 5) significant digits, as hdr_init.
func New(lowest, highest int64, sigFigs int) (*Histogram, error) {
	if lowest < 1 || sigFigs < 1 || sigFigs > 5 || lowest*2 > highest {
		return nil, ErrConfig
	}
	largestSingleUnit := 2 * int64(math.Pow10(sigFigs))
	subBucketCountMagnitude := int32(math.Ceil(math.Log(float64(largestSingleUnit)) / math.Log(2)))
	h := &Histogram{highest: highest}
	h.subBucketHalfCountMagnitude = max(subBucketCountMagnitude, 1) - 1
	h.unitMagnitude = int32(math.Log(float64(lowest)) / math.Log(2))
	h.subBucketCount = int32(1) << (h.subBucketHalfCountMagnitude + 1)
	h.subBucketHalfCount = h.subBucketCount / 2
	h.subBucketMask = (int64(h.subBucketCount) - 1) << h.unitMagnitude
	if h.unitMagnitude+h.subBucketHalfCountMagnitude > 61 {
		return nil, ErrConfig
	}
	bucketCount := bucketsNeeded(highest, h.subBucketCount, h.unitMagnitude)
	h.countsLen = (bucketCount + 1) * (h.subBucketCount / 2)
	h.counts = make([]int64, h.countsLen)
	return h, nil
}

func bucketsNeeded(value int64, subBucketCount, unitMagnitude int32) int32 {
	smallestUntrackable := int64(subBucketCount) << unitMagnitude
	needed := int32(1)
	for smallestUntrackable <= value {
		if smallestUntrackable > math.MaxInt64/2 {
			return needed + 1
		}
		smallestUntrackable <<= 1
		needed++
	}
	return needed
}

func (h *Histogram) bucketIndex(v int64) int32 {
	pow2ceiling := 64 - int32(bits.LeadingZeros64(uint64(v|h.subBucketMask)))
	return pow2ceiling - h.unitMagnitude - (h.subBucketHalfCountMagnitude + 1)
}

func (h *Histogram) subBucketIndex(v int64, bucket int32) int32 {
	return int32(v >> (bucket + h.unitMagnitude))
}

func (h *Histogram) countsIndex(bucket, sub int32) int32 {
	return (bucket+1)<<h.subBucketHalfCountMagnitude + sub - h.subBucketHalfCount
}

func (h *Histogram) valueFromIndex(bucket, sub int32) int64 {
	return int64(sub) << (bucket + h.unitMagnitude)
}

// valueAtIndex is hdr_value_at_index.
func (h *Histogram) valueAtIndex(index int32) int64 {
	bucket := (index >> h.subBucketHalfCountMagnitude) - 1
	sub := (index & (h.subBucketHalfCount - 1)) + h.subBucketHalfCount
	if bucket < 0 {
		sub -= h.subBucketHalfCount
		bucket = 0
	}
	return h.valueFromIndex(bucket, sub)
}

func (h *Histogram) rangeSize(bucket, sub int32) int64 {
	if sub >= h.subBucketCount {
		bucket++
	}
	return int64(1) << (h.unitMagnitude + bucket)
}

func (h *Histogram) lowestEquivalent(v int64) int64 {
	b := h.bucketIndex(v)
	return h.valueFromIndex(b, h.subBucketIndex(v, b))
}

func (h *Histogram) highestEquivalent(v int64) int64 {
	b := h.bucketIndex(v)
	s := h.subBucketIndex(v, b)
	return h.valueFromIndex(b, s) + h.rangeSize(b, s) - 1
}

// Record counts one occurrence of v. Values outside the trackable range
// are dropped (and false returned), as hdr_record_value does.
func (h *Histogram) Record(v int64) bool {
	if v < 0 {
		return false
	}
	b := h.bucketIndex(v)
	idx := h.countsIndex(b, h.subBucketIndex(v, b))
	if idx < 0 || idx >= h.countsLen {
		return false
	}
	h.counts[idx]++
	h.total++
	return true
}

// TotalCount returns the number of recorded values.
func (h *Histogram) TotalCount() int64 { return h.total }

// ValueAtPercentile returns the value below which percentile percent of
// the recorded values fall, as hdr_value_at_percentile: the highest value
// equivalent to the bucket reached (the lowest for percentile 0).
func (h *Histogram) ValueAtPercentile(percentile float64) int64 {
	requested := min(percentile, 100.0)
	countAt := int64(requested/100*float64(h.total) + 0.5)
	countAt = max(countAt, 1)
	var v, seen int64
	for idx := int32(0); idx < h.countsLen; idx++ {
		seen += h.counts[idx]
		if seen >= countAt {
			v = h.valueAtIndex(idx)
			break
		}
	}
	if percentile == 0 {
		return h.lowestEquivalent(v)
	}
	return h.highestEquivalent(v)
}

// LogBuckets walks the histogram as hdr_iter_log_init(first, base) and
// hdr_iter_next do, calling fn for every step with the highest value
// equivalent to the position reached and the cumulative count up to it.
// Steps without new values are reported too; callers skip them as Redis
// does.
func (h *Histogram) LogBuckets(first int64, base float64, fn func(highestEquivalent, cumulative int64)) {
	it := logIter{h: h, countsIndex: -1, total: h.total,
		nextLevel: first, nextLevelLowest: h.lowestEquivalent(first), base: int64(base)}
	for it.next() {
		fn(it.highestEquivalent, it.cumulative)
	}
}

// logIter is struct hdr_iter with the logarithmic specifics.
type logIter struct {
	h                 *Histogram
	countsIndex       int32
	total, cumulative int64
	value             int64
	highestEquivalent int64
	nextLevel         int64
	nextLevelLowest   int64
	base              int64
}

func (it *logIter) hasNext() bool { return it.cumulative < it.total }

func (it *logIter) moveNext() bool {
	it.countsIndex++
	if it.countsIndex >= it.h.countsLen {
		return false
	}
	it.cumulative += it.h.counts[it.countsIndex]
	v := it.h.valueAtIndex(it.countsIndex)
	b := it.h.bucketIndex(v)
	s := it.h.subBucketIndex(v, b)
	it.value = v
	it.highestEquivalent = it.h.valueFromIndex(b, s) + it.h.rangeSize(b, s) - 1
	return true
}

func (it *logIter) nextAboveLevel() bool {
	if it.countsIndex >= it.h.countsLen {
		return false
	}
	return it.h.valueAtIndex(it.countsIndex+1) > it.nextLevelLowest
}

func (it *logIter) next() bool {
	if !it.hasNext() && !it.nextAboveLevel() {
		return false
	}
	for {
		if it.value >= it.nextLevelLowest {
			it.nextLevel *= it.base
			it.nextLevelLowest = it.h.lowestEquivalent(it.nextLevel)
			return true
		}
		if !it.moveNext() {
			return true
		}
	}
}
