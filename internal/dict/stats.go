package dict

import (
	"fmt"
	"strings"
)

// statsVectLen is Redis's DICT_STATS_VECTLEN.
const statsVectLen = 50

// Stats returns the table's statistics in the text of Redis's
// dictGetStats (DEBUG HTSTATS, HTSTATS-KEY): per table its size, number
// of elements, used buckets, chain lengths and their distribution; the
// rehashing target too while rehashing. Like Redis it is cut at 4095
// bytes.
func (d *Dict[V]) Stats() string {
	var b strings.Builder
	d.statsHt(&b, 0)
	if d.ht[1] != nil {
		d.statsHt(&b, 1)
	}
	s := b.String()
	if len(s) > 4095 {
		s = s[:4095]
	}
	return s
}

func (d *Dict[V]) statsHt(b *strings.Builder, t int) {
	TableStats(b, t, len(d.ht[t]), d.used[t], func(chain func(n int)) {
		for _, e := range d.ht[t] {
			n := 0
			for ; e != nil; e = e.next {
				n++
			}
			chain(n)
		}
	})
}

// TableStats writes the statistics of table t (0, or 1 the rehashing
// target) of size buckets holding used keys in the text of Redis's
// dictGetStatsHt; chains calls its argument with the chain length of
// every bucket. The keyspace's table (internal/kvtable) shares it.
func TableStats(b *strings.Builder, t, size, used int, chains func(chain func(n int))) {
	name := "main hash table"
	if t == 1 {
		name = "rehashing target"
	}
	if used == 0 {
		fmt.Fprintf(b, "Hash table %d stats (%s):\nNo stats available for empty dictionaries\n", t, name)
		return
	}
	var clvector [statsVectLen]int
	slots, maxChain, totChain := 0, 0, 0
	chains(func(n int) {
		clvector[min(n, statsVectLen-1)]++
		if n == 0 {
			return
		}
		slots++
		maxChain = max(maxChain, n)
		totChain += n
	})
	fmt.Fprintf(b, "Hash table %d stats (%s):\n table size: %d\n number of elements: %d\n different slots: %d\n max chain length: %d\n avg chain length (counted): %.02f\n avg chain length (computed): %.02f\n Chain length distribution:\n",
		t, name, size, used, slots, maxChain,
		float32(totChain)/float32(slots), float32(used)/float32(slots))
	for i := 0; i < statsVectLen-1; i++ {
		if clvector[i] == 0 {
			continue
		}
		fmt.Fprintf(b, "   %d: %d (%.02f%%)\n", i, clvector[i], float32(clvector[i])/float32(size)*100)
	}
}
