package rdb

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
)

// entry is one key collected by collector.
type entry struct {
	db  int
	key string
	v   Value
	exp int64
}

// collector is a Handler that keeps everything.
type collector struct {
	aux     [][2]string
	db      int
	resize  [][2]uint64
	entries []entry
	funcs   []string
	evict   map[string][2]int64
}

func (c *collector) Aux(k, v []byte) error {
	c.aux = append(c.aux, [2]string{string(k), string(v)})
	return nil
}
func (c *collector) SelectDB(db int) error { c.db = db; return nil }
func (c *collector) ResizeDB(k, e uint64) error {
	c.resize = append(c.resize, [2]uint64{k, e})
	return nil
}
func (c *collector) add(k []byte, v Value, exp int64) error {
	c.entries = append(c.entries, entry{c.db, string(k), v, exp})
	return nil
}
func (c *collector) String(k, v []byte, exp int64) error {
	return c.add(k, Value{Kind: KindString, Str: v}, exp)
}
func (c *collector) List(k []byte, e [][]byte, exp int64) error {
	return c.add(k, Value{Kind: KindList, List: e}, exp)
}
func (c *collector) Set(k []byte, m [][]byte, exp int64) error {
	return c.add(k, Value{Kind: KindSet, Set: m}, exp)
}
func (c *collector) Hash(k []byte, p [][2][]byte, exp int64) error {
	return c.add(k, Value{Kind: KindHash, Hash: p}, exp)
}
func (c *collector) ZSet(k []byte, m []ZMember, exp int64) error {
	return c.add(k, Value{Kind: KindZSet, ZSet: m}, exp)
}
func (c *collector) Stream(k []byte, s *Stream, exp int64) error {
	return c.add(k, Value{Kind: KindStream, Stream: s}, exp)
}
func (c *collector) Function(code []byte) error {
	c.funcs = append(c.funcs, string(code))
	return nil
}
func (c *collector) Eviction(k []byte, idle int64, freq int) error {
	if c.evict == nil {
		c.evict = map[string][2]int64{}
	}
	c.evict[string(k)] = [2]int64{idle, int64(freq)}
	return nil
}

func (c *collector) auxMap() map[string]string {
	m := map[string]string{}
	for _, a := range c.aux {
		m[a[0]] = a[1]
	}
	return m
}

func (c *collector) byKey() map[string]entry {
	m := map[string]entry{}
	for _, e := range c.entries {
		m[fmt.Sprintf("%d/%s", e.db, e.key)] = e
	}
	return m
}

// canon renders a value in a canonical, order-independent text form for
// comparisons (sets sorted, hashes and zsets sorted by member).
func canon(v Value) string {
	var b strings.Builder
	b.WriteString(v.Kind.String())
	b.WriteString(":")
	switch v.Kind {
	case KindString:
		fmt.Fprintf(&b, "%q", v.Str)
	case KindList:
		for _, e := range v.List {
			fmt.Fprintf(&b, "%q,", e)
		}
	case KindSet:
		s := make([]string, len(v.Set))
		for i, m := range v.Set {
			s[i] = string(m)
		}
		sort.Strings(s)
		for _, m := range s {
			fmt.Fprintf(&b, "%q,", m)
		}
	case KindHash:
		m := map[string]string{}
		for _, p := range v.Hash {
			m[string(p[0])] = string(p[1])
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(&b, "%q=%q,", k, m[k])
		}
		fmt.Fprintf(&b, "#%d", len(v.Hash))
	case KindZSet:
		m := map[string]float64{}
		for _, z := range v.ZSet {
			m[string(z.Member)] = z.Score
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(&b, "%q=%v/%v,", k, m[k], math.Signbit(m[k]))
		}
		fmt.Fprintf(&b, "#%d", len(v.ZSet))
	case KindStream:
		s := v.Stream
		fmt.Fprintf(&b, "len=%d last=%v first=%v maxdel=%v added=%d;", s.Length, s.LastID, s.FirstID, s.MaxDeletedID, s.EntriesAdded)
		for _, n := range s.Nodes {
			fmt.Fprintf(&b, "node %v %q:", n.Master, n.MasterFields)
			for _, e := range n.Entries {
				fmt.Fprintf(&b, "%v/%v/%v%q,", e.ID, e.Deleted, e.SameFields, e.Fields)
			}
		}
		for _, g := range s.Groups {
			fmt.Fprintf(&b, "group %q %v %d %v", g.Name, g.LastID, g.EntriesRead, g.Pending)
			for _, c := range g.Consumers {
				fmt.Fprintf(&b, "consumer %q %d %v", c.Name, c.SeenTime, c.Pending)
			}
		}
	}
	return b.String()
}

func loadBytes(t testing.TB, b []byte) *collector {
	t.Helper()
	c := &collector{}
	if err := Load(bytes.NewReader(b), c, LoadOptions{}); err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}
