package keyspace

import (
	"runtime"
	"strconv"
	"testing"
)

func benchKeys(n int) [][]byte {
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
	}
	return keys
}

// BenchmarkSetNew measures storing a new 16-byte string under a new key
// (SET of a fresh key: the key string, the Object and the dict entry).
func BenchmarkSetNew(b *testing.B) {
	keys := benchKeys(1 << 20)
	val := []byte("0123456789abcdef")
	b.ReportAllocs()
	ks := New(1)
	db := ks.DB(0)
	i := 0
	for b.Loop() {
		if i == len(keys) {
			b.StopTimer()
			ks = New(1)
			db = ks.DB(0)
			i = 0
			b.StartTimer()
		}
		db.Set(keys[i], NewStringCopy(val), false)
		i++
	}
}

// BenchmarkSetOverwrite measures SET of an existing key among 100k.
func BenchmarkSetOverwrite(b *testing.B) {
	keys := benchKeys(100000)
	val := []byte("0123456789abcdef")
	db := New(1).DB(0)
	for _, k := range keys {
		db.Set(k, NewString(val), false)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		db.Set(keys[i%len(keys)], NewStringCopy(val), false)
		i += 7919
	}
}

// BenchmarkLookupHit measures GET's lookup of an existing key among 1M.
func BenchmarkLookupHit(b *testing.B) {
	keys := benchKeys(1 << 20)
	val := []byte("0123456789abcdef")
	db := New(1).DB(0)
	for _, k := range keys {
		db.Set(k, NewString(val), false)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if db.Lookup(keys[i&(len(keys)-1)]) == nil {
			b.Fatal("miss")
		}
		i += 7919
	}
}

// BenchmarkMemoryPerKey reports the Go heap per key (heap-B/key, live
// after a collection) for 1M `SET key:N <16-byte value>` as SET stores them, the figure the
// README compares with redis-server's RSS per key.
func BenchmarkMemoryPerKey(b *testing.B) {
	const n = 1_000_000
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		db := New(1).DB(0)
		for i := range n {
			s := strconv.Itoa(i)
			db.Set([]byte("key:"+s), NewStringCopy([]byte("vvvvvvvvvvvvvvvv"[:16-len(s)]+s)), false)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-B/key")
		runtime.KeepAlive(db)
	}
}

// BenchmarkNewStringCopy measures the object SET stores for a 16-byte value
// (one allocation, the value embedded).
func BenchmarkNewStringCopy(b *testing.B) {
	val := []byte("0123456789abcdef")
	b.ReportAllocs()
	for b.Loop() {
		sinkObj = NewStringCopy(val)
	}
}

// BenchmarkNewStringSeparate is the two-allocation form (object, then a
// copy of the value) NewStringCopy replaced, for comparison.
func BenchmarkNewStringSeparate(b *testing.B) {
	val := []byte("0123456789abcdef")
	b.ReportAllocs()
	for b.Loop() {
		sinkObj = NewString(append([]byte(nil), val...))
	}
}

var sinkObj *Object
