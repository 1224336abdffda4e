package core

import (
	"sort"

	"github.com/redis-clone/redis-clone/internal/glob"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// Pub/sub registry, after Redis's pubsub.c: channel and pattern
// subscriptions (and shard channels, which without cluster behave like a
// separate channel namespace). Messages are written to subscribers through
// Push, so they reach clients of either front end.

// PubSubKind selects the namespace: ordinary channels or shard channels.
type PubSubKind int

// The two channel namespaces.
const (
	PubSubGlobal PubSubKind = iota
	PubSubShard
)

type pubsubState struct {
	channels [2]map[string]map[*Client]struct{}
	patterns map[string]map[*Client]struct{}
	// numPatterns counts client-pattern pairs (PUBSUB NUMPAT counts
	// distinct patterns in 7.0: see NumPatterns).
}

// clientPubSub is a client's own subscriptions.
type clientPubSub struct {
	channels [2]map[string]struct{}
	patterns []string
}

func (s *Server) ps() *pubsubState {
	if s.pubsub == nil {
		s.pubsub = &pubsubState{patterns: map[string]map[*Client]struct{}{}}
		s.pubsub.channels[0] = map[string]map[*Client]struct{}{}
		s.pubsub.channels[1] = map[string]map[*Client]struct{}{}
	}
	return s.pubsub
}

func (c *Client) subs() *clientPubSub {
	if c.pubsub == nil {
		c.pubsub = &clientPubSub{}
		c.pubsub.channels[0] = map[string]struct{}{}
		c.pubsub.channels[1] = map[string]struct{}{}
	}
	return c.pubsub
}

// SubscriptionCount returns the client's channel plus pattern subscriptions
// (kind Global) or its shard channel subscriptions (kind Shard).
func (c *Client) SubscriptionCount(kind PubSubKind) int {
	if c.pubsub == nil {
		return 0
	}
	if kind == PubSubShard {
		return len(c.pubsub.channels[1])
	}
	return len(c.pubsub.channels[0]) + len(c.pubsub.patterns)
}

// Subscriptions returns the client's channel, pattern and shard channel
// counts (CLIENT LIST sub/psub/ssub).
func (c *Client) Subscriptions() (channels, patterns, shard int) {
	if c.pubsub == nil {
		return 0, 0, 0
	}
	return len(c.pubsub.channels[0]), len(c.pubsub.patterns), len(c.pubsub.channels[1])
}

func (s *Server) updatePubSubKind(c *Client) {
	if c.SubscriptionCount(PubSubGlobal)+c.SubscriptionCount(PubSubShard) > 0 {
		if c.Kind == KindNormal {
			c.Kind = KindPubSub
		}
	} else if c.Kind == KindPubSub {
		c.Kind = KindNormal
	}
}

func subscribeMsg(kind PubSubKind, sub bool) string {
	switch {
	case kind == PubSubShard && sub:
		return "ssubscribe"
	case kind == PubSubShard:
		return "sunsubscribe"
	case sub:
		return "subscribe"
	}
	return "unsubscribe"
}

func writeSubReply(c *Client, msg string, name []byte, isNull bool, count int) {
	pushing(c, func() { writeSubFrame(&c.Out, msg, name, isNull, count) })
}

func writeSubFrame(w *resp.Writer, msg string, name []byte, isNull bool, count int) {
	if w.Proto == 3 {
		w.PushLen(3)
	} else {
		w.ArrayLen(3)
	}
	w.BulkString(msg)
	if isNull {
		w.Null()
	} else {
		w.Bulk(name)
	}
	w.Int(int64(count))
}

// Subscribe subscribes c to channel and writes the confirmation.
func (s *Server) Subscribe(c *Client, kind PubSubKind, channel []byte) {
	ps, cs := s.ps(), c.subs()
	name := string(channel)
	if _, ok := cs.channels[kind][name]; !ok {
		cs.channels[kind][name] = struct{}{}
		m := ps.channels[kind][name]
		if m == nil {
			m = map[*Client]struct{}{}
			ps.channels[kind][name] = m
		}
		m[c] = struct{}{}
	}
	s.updatePubSubKind(c)
	writeSubReply(c, subscribeMsg(kind, true), channel, false, c.SubscriptionCount(kind))
}

// Unsubscribe removes c from channel (notify: write the confirmation).
func (s *Server) Unsubscribe(c *Client, kind PubSubKind, channel []byte, notify bool) {
	ps, cs := s.ps(), c.subs()
	name := string(channel)
	if _, ok := cs.channels[kind][name]; ok {
		delete(cs.channels[kind], name)
		if m := ps.channels[kind][name]; m != nil {
			delete(m, c)
			if len(m) == 0 {
				delete(ps.channels[kind], name)
			}
		}
	}
	s.updatePubSubKind(c)
	if notify {
		writeSubReply(c, subscribeMsg(kind, false), channel, false, c.SubscriptionCount(kind))
	}
}

// UnsubscribeAll removes every channel subscription of c of the kind; with
// notify and none to remove it still writes one confirmation with a null
// channel, as Redis.
func (s *Server) UnsubscribeAll(c *Client, kind PubSubKind, notify bool) {
	if c.pubsub == nil || len(c.pubsub.channels[kind]) == 0 {
		if notify {
			writeSubReply(c, subscribeMsg(kind, false), nil, true, c.SubscriptionCount(kind))
		}
		return
	}
	names := make([]string, 0, len(c.pubsub.channels[kind]))
	for n := range c.pubsub.channels[kind] {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s.Unsubscribe(c, kind, []byte(n), notify)
	}
}

// PSubscribe subscribes c to a pattern.
func (s *Server) PSubscribe(c *Client, pattern []byte) {
	ps, cs := s.ps(), c.subs()
	p := string(pattern)
	found := false
	for _, x := range cs.patterns {
		if x == p {
			found = true
			break
		}
	}
	if !found {
		cs.patterns = append(cs.patterns, p)
		m := ps.patterns[p]
		if m == nil {
			m = map[*Client]struct{}{}
			ps.patterns[p] = m
		}
		m[c] = struct{}{}
	}
	s.updatePubSubKind(c)
	writeSubReply(c, "psubscribe", pattern, false, c.SubscriptionCount(PubSubGlobal))
}

// PUnsubscribe removes c's pattern subscription.
func (s *Server) PUnsubscribe(c *Client, pattern []byte, notify bool) {
	ps, cs := s.ps(), c.subs()
	p := string(pattern)
	for i, x := range cs.patterns {
		if x == p {
			cs.patterns = append(cs.patterns[:i:i], cs.patterns[i+1:]...)
			if m := ps.patterns[p]; m != nil {
				delete(m, c)
				if len(m) == 0 {
					delete(ps.patterns, p)
				}
			}
			break
		}
	}
	s.updatePubSubKind(c)
	if notify {
		writeSubReply(c, "punsubscribe", pattern, false, c.SubscriptionCount(PubSubGlobal))
	}
}

// PUnsubscribeAll removes all of c's pattern subscriptions.
func (s *Server) PUnsubscribeAll(c *Client, notify bool) {
	if c.pubsub == nil || len(c.pubsub.patterns) == 0 {
		if notify {
			writeSubReply(c, "punsubscribe", nil, true, c.SubscriptionCount(PubSubGlobal))
		}
		return
	}
	for _, p := range append([]string(nil), c.pubsub.patterns...) {
		s.PUnsubscribe(c, []byte(p), notify)
	}
}

// Publish delivers message to the subscribers of channel and returns how
// many clients received it.
func (s *Server) Publish(kind PubSubKind, channel, message []byte) int {
	if s.pubsub == nil {
		return 0
	}
	ps := s.pubsub
	n := 0
	msg := "message"
	if kind == PubSubShard {
		msg = "smessage"
	}
	for c := range ps.channels[kind][string(channel)] {
		s.Push(c, func(w *resp.Writer) {
			if w.Proto == 3 {
				w.PushLen(3)
			} else {
				w.ArrayLen(3)
			}
			w.BulkString(msg)
			w.Bulk(channel)
			w.Bulk(message)
		})
		n++
	}
	if kind == PubSubShard {
		return n
	}
	for p, clients := range ps.patterns {
		if !glob.Match([]byte(p), channel, false) {
			continue
		}
		for c := range clients {
			s.Push(c, func(w *resp.Writer) {
				if w.Proto == 3 {
					w.PushLen(4)
				} else {
					w.ArrayLen(4)
				}
				w.BulkString("pmessage")
				w.BulkString(p)
				w.Bulk(channel)
				w.Bulk(message)
			})
			n++
		}
	}
	return n
}

// Channels returns the active channels of the kind matching pattern ("" =
// all), sorted.
func (s *Server) Channels(kind PubSubKind, pattern []byte) []string {
	var out []string
	if s.pubsub == nil {
		return out
	}
	for name := range s.pubsub.channels[kind] {
		if pattern == nil || glob.Match(pattern, []byte(name), false) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// NumSub returns the number of subscribers of channel.
func (s *Server) NumSub(kind PubSubKind, channel []byte) int {
	if s.pubsub == nil {
		return 0
	}
	return len(s.pubsub.channels[kind][string(channel)])
}

// NumPatterns returns the number of distinct subscribed patterns.
func (s *Server) NumPatterns() int {
	if s.pubsub == nil {
		return 0
	}
	return len(s.pubsub.patterns)
}

// dropPubSub removes every subscription of a closing client.
func (s *Server) dropPubSub(c *Client) {
	if c.pubsub == nil {
		return
	}
	s.UnsubscribeAll(c, PubSubGlobal, false)
	s.UnsubscribeAll(c, PubSubShard, false)
	s.PUnsubscribeAll(c, false)
}
