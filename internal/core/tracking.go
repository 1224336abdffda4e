package core

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
)

// Client-side caching, after Redis's tracking.c. A client with CLIENT
// TRACKING on has the keys its read-only commands fetch remembered in the
// tracking table (key → client IDs, across databases, as Redis); when a
// key is modified (the keyspace's KeyModified signal, the same one that
// invalidates WATCH: writes, expiry, eviction, flushes) every client that
// fetched it gets an invalidation message and the key leaves the table.
// BCAST clients register prefixes instead: modified keys are collected per
// prefix and broadcast after each request and cron run.
//
// Messages are `>2 invalidate [keys]` pushes for RESP3 clients, or go to
// the REDIRECT client: as a push if it speaks RESP3, as a message of the
// __redis__:invalidate channel if it is a RESP2 subscriber. Messages for
// the client whose command is running are queued and sent after its reply
// (Redis's tracking_pending_keys).

const trackingChannel = "__redis__:invalidate"

// trackingState is the server-wide tracking table.
type trackingState struct {
	table    map[string]map[int64]struct{}
	items    int64
	prefixes map[string]*bcastState
	clients  int
	// pending are invalidations for clients whose command is running,
	// sent once it replied.
	pending []pendingInvalidation
	// inCall counts nested command executions (call).
	inCall int
	// expiring is the key being removed because its TTL passed: its
	// modification has no client (NOLOOP does not filter it).
	expiring    string
	hasExpiring bool
	// flushing is set while FLUSHALL/FLUSHDB remove keys: the flush sends
	// one null invalidation instead of one per key.
	flushing     bool
	hooked       bool
	limitCounter int
	// caller, callerCmd and callerArgs are the last command run by a
	// client that is not a script's: when a script's read-only command
	// runs, that client (EVAL's caller) tracks the script's declared keys
	// (Redis's server.script_caller).
	caller     *Client
	callerCmd  *Command
	callerArgs [][]byte
}

// bcastState is one BCAST prefix: its clients and the keys modified since
// the last broadcast, each with the client that modified it last (nil
// for expiry and eviction).
type bcastState struct {
	keys    map[string]*Client
	clients map[*Client]struct{}
}

type pendingInvalidation struct {
	target *Client
	key    string
	null   bool
}

// clientTracking is one client's tracking mode (Redis's CLIENT_TRACKING_*
// flags).
type clientTracking struct {
	on, bcast, optin, optout, noloop, caching, brokenRedir bool
	redirect                                               int64
	prefixes                                               map[string]struct{}
	lastWasClient                                          bool
}

// TrackingOptions are the options of CLIENT TRACKING ON.
type TrackingOptions struct {
	Redirect                     int64
	BCAST, OptIn, OptOut, NoLoop bool
	Prefixes                     []string
}

// TrackingInfo describes a client's tracking state (CLIENT TRACKINGINFO,
// CLIENT LIST).
type TrackingInfo struct {
	On, BCAST, OptIn, OptOut, NoLoop, Caching, BrokenRedirect bool
	// Redirect is the redirection client ID (0 for none), -1 when
	// tracking is off.
	Redirect int64
	// Prefixes are the BCAST prefixes, sorted.
	Prefixes []string
}

// Tracking returns c's tracking state.
func (s *Server) Tracking(c *Client) TrackingInfo {
	t := c.tracking
	if t == nil || !t.on {
		return TrackingInfo{Redirect: -1}
	}
	info := TrackingInfo{On: true, BCAST: t.bcast, OptIn: t.optin, OptOut: t.optout, NoLoop: t.noloop,
		Caching: t.caching, BrokenRedirect: t.brokenRedir, Redirect: t.redirect}
	for p := range t.prefixes {
		info.Prefixes = append(info.Prefixes, p)
	}
	sort.Strings(info.Prefixes)
	return info
}

// TrackingStats returns tracking_clients, tracking_total_keys,
// tracking_total_items and tracking_total_prefixes for INFO.
func (s *Server) TrackingStats() (clients, keys, items, prefixes int64) {
	t := &s.trk
	return int64(t.clients), int64(len(t.table)), t.items, int64(len(t.prefixes))
}

// TrackingPrefixCollision checks BCAST prefixes against each other and
// against c's registered ones, returning Redis's error text for the first
// overlap ("" if none).
func (s *Server) TrackingPrefixCollision(c *Client, prefixes []string) string {
	var have []string
	if c.tracking != nil {
		for p := range c.tracking.prefixes {
			have = append(have, p)
		}
		sort.Strings(have)
	}
	overlap := func(a, b string) bool {
		n := min(len(a), len(b))
		return a[:n] == b[:n]
	}
	for i, p := range prefixes {
		for _, h := range have {
			if overlap(h, p) {
				return fmt.Sprintf(rerr.TrackingPrefixExisting, cstr(p), cstr(h))
			}
		}
		for _, q := range prefixes[i+1:] {
			if overlap(p, q) {
				return fmt.Sprintf(rerr.TrackingPrefixOther, cstr(p), cstr(q))
			}
		}
	}
	return ""
}

// cstr cuts s at its first NUL, as Redis's %s formatting does.
func cstr(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// EnableTracking turns tracking on for c with opt (CLIENT TRACKING ON);
// the caller validated the options.
func (s *Server) EnableTracking(c *Client, opt TrackingOptions) {
	t := &s.trk
	if c.tracking == nil {
		c.tracking = &clientTracking{}
	}
	ct := c.tracking
	if !ct.on {
		t.clients++
	}
	ct.on = true
	ct.brokenRedir, ct.bcast, ct.optin, ct.optout, ct.noloop = false, false, false, false, false
	ct.redirect = opt.Redirect
	if !t.hooked {
		t.hooked = true
		t.table = make(map[string]map[int64]struct{})
		t.prefixes = make(map[string]*bcastState)
		s.OnCron(s.trackingCron)
	}
	if opt.BCAST {
		ct.bcast = true
		if len(opt.Prefixes) == 0 {
			s.addBcastPrefix(c, "")
		}
		for _, p := range opt.Prefixes {
			s.addBcastPrefix(c, p)
		}
	}
	ct.optin, ct.optout, ct.noloop = opt.OptIn, opt.OptOut, opt.NoLoop
}

func (s *Server) addBcastPrefix(c *Client, p string) {
	bs := s.trk.prefixes[p]
	if bs == nil {
		bs = &bcastState{keys: map[string]*Client{}, clients: map[*Client]struct{}{}}
		s.trk.prefixes[p] = bs
	}
	if _, ok := bs.clients[c]; ok {
		return
	}
	bs.clients[c] = struct{}{}
	if c.tracking.prefixes == nil {
		c.tracking.prefixes = make(map[string]struct{})
	}
	c.tracking.prefixes[p] = struct{}{}
}

// DisableTracking turns tracking off for c (CLIENT TRACKING OFF, RESET,
// disconnection). Keys it fetched stay in the table until modified, as
// in Redis.
func (s *Server) DisableTracking(c *Client) {
	ct := c.tracking
	if ct == nil {
		return
	}
	if ct.bcast {
		for p := range ct.prefixes {
			bs := s.trk.prefixes[p]
			if bs == nil {
				continue
			}
			delete(bs.clients, c)
			if len(bs.clients) == 0 {
				delete(s.trk.prefixes, p)
			}
		}
		ct.prefixes = nil
	}
	if ct.on {
		s.trk.clients--
		ct.on, ct.brokenRedir, ct.bcast, ct.optin, ct.optout, ct.caching, ct.noloop = false, false, false, false, false, false, false
	}
}

// SetTrackingCaching records CLIENT CACHING YES/NO for c's next command
// (or transaction).
func (s *Server) SetTrackingCaching(c *Client) {
	if c.tracking != nil {
		c.tracking.caching = true
	}
}

// trackingBeforeCommand runs before each request: it enforces
// tracking-table-max-keys, as Redis's processCommand.
func (s *Server) trackingBeforeCommand() {
	if s.trk.clients > 0 {
		s.trackingLimit()
	}
}

// trackingEnterCall and trackingLeaveCall bracket a command's handler.
func (s *Server) trackingEnterCall(c *Client, cmd *Command, args [][]byte) {
	t := &s.trk
	t.inCall++
	if !c.Script {
		t.caller, t.callerCmd, t.callerArgs = c, cmd, args
	}
}

func (s *Server) trackingLeaveCall(c *Client, cmd *Command, args [][]byte) {
	t := &s.trk
	t.inCall--
	t.flushing = false
	if t.inCall == 0 {
		// args are only valid during the call: drop the reference.
		defer func() { t.caller, t.callerCmd, t.callerArgs = nil, nil, nil }()
	}
	if c.tracking != nil {
		c.tracking.lastWasClient = cmd.parent != nil && cmd.parent.Name == "client"
	}
	if t.clients == 0 || cmd.Flags&FlagReadOnly == 0 {
		return
	}
	switch cmd.Name {
	case "eval_ro", "evalsha_ro", "fcall_ro":
		return
	}
	caller := c
	if c.Script {
		if t.caller == nil {
			return
		}
		caller, cmd, args = t.caller, t.callerCmd, t.callerArgs
	}
	ct := caller.tracking
	if ct == nil || !ct.on || ct.bcast {
		return
	}
	if (ct.optin && !ct.caching) || (ct.optout && ct.caching) {
		return
	}
	if cmd.Flags&FlagPubSub != 0 {
		return
	}
	for _, i := range cmd.KeyPositions(args) {
		key := string(args[i])
		ids := t.table[key]
		if ids == nil {
			ids = make(map[int64]struct{}, 1)
			t.table[key] = ids
		}
		if _, ok := ids[caller.ID]; !ok {
			ids[caller.ID] = struct{}{}
			t.items++
		}
	}
}

// trackingAfterExec runs when a request of c is done: invalidations
// queued during it are sent (after its reply), BCAST keys broadcast, and
// CLIENT CACHING's one-command effect ends.
func (s *Server) trackingAfterExec(c *Client) {
	t := &s.trk
	if len(t.pending) > 0 {
		p := t.pending
		t.pending = nil
		for _, pi := range p {
			if pi.target.Closed {
				continue
			}
			if pi.null {
				s.sendTrackingNull(pi.target)
			} else {
				s.sendTracking(pi.target, []string{pi.key})
			}
		}
	}
	if len(t.prefixes) > 0 {
		s.trackingBroadcast()
	}
	if ct := c.tracking; ct != nil {
		if c.Multi == nil && !ct.lastWasClient {
			ct.caching = false
		}
		ct.lastWasClient = false
	}
}

// trackingCron is the periodic part: the table limit and the broadcast of
// keys that expired in the active expiry cycle.
func (s *Server) trackingCron() {
	if s.trk.clients > 0 {
		s.trackingLimit()
	}
	if len(s.trk.prefixes) > 0 {
		s.trackingBroadcast()
	}
}

// trackingExpiring marks key as being removed by expiry (its
// modification has no client).
func (s *Server) trackingExpiring(key string) {
	if s.trk.hooked {
		s.trk.expiring, s.trk.hasExpiring = key, true
	}
}

// trackingKeyModified invalidates key (Redis's trackingInvalidateKey from
// signalModifiedKey).
func (s *Server) trackingKeyModified(key string) {
	t := &s.trk
	if !t.hooked {
		return
	}
	by := s.current
	if t.hasExpiring && t.expiring == key {
		by = nil
		t.hasExpiring = false
		t.expiring = ""
	}
	if t.flushing {
		return
	}
	if len(t.prefixes) > 0 {
		for p, bs := range t.prefixes {
			if strings.HasPrefix(key, p) {
				bs.keys[key] = by
			}
		}
	}
	s.invalidateTracked(key)
}

// invalidateTracked sends key's invalidation to every client that fetched
// it and removes it from the table.
func (s *Server) invalidateTracked(key string) {
	t := &s.trk
	ids, ok := t.table[key]
	if !ok {
		return
	}
	order := make([]int64, 0, len(ids))
	for id := range ids {
		order = append(order, id)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, id := range order {
		target := s.clients[id]
		if target == nil || target.tracking == nil || !target.tracking.on || target.tracking.bcast {
			continue
		}
		if target.tracking.noloop && target == s.current {
			continue
		}
		if target == s.current && (t.inCall > 0 || target.Blocked != nil) {
			t.pending = append(t.pending, pendingInvalidation{target: target, key: key})
			continue
		}
		s.sendTracking(target, []string{key})
	}
	t.items -= int64(len(ids))
	delete(t.table, key)
}

// TrackingFlush sends the null invalidation of FLUSHALL/FLUSHDB to every
// tracking client and empties the table; keys the running command
// removes are then not invalidated one by one.
func (s *Server) TrackingFlush() {
	t := &s.trk
	if !t.hooked {
		return
	}
	t.flushing = true
	if t.clients > 0 {
		for _, c := range s.Clients() {
			if c.tracking == nil || !c.tracking.on {
				continue
			}
			if c == s.current && t.inCall > 0 {
				t.pending = append(t.pending, pendingInvalidation{target: c, null: true})
			} else {
				s.sendTrackingNull(c)
			}
		}
	}
	t.table = make(map[string]map[int64]struct{})
	t.items = 0
}

// trackingLimit evicts keys from the table while it holds more than
// tracking-table-max-keys, with an effort that grows while the limit
// stays exceeded (trackingLimitUsedSlots).
func (s *Server) trackingLimit() {
	t := &s.trk
	max := s.Config.TrackingTableMaxKeys
	if max == 0 {
		return
	}
	if len(t.table) <= max {
		t.limitCounter = 0
		return
	}
	effort := 100 * (t.limitCounter + 1)
	for key := range t.table {
		if effort == 0 {
			break
		}
		effort--
		s.invalidateTracked(key)
		if len(t.table) <= max {
			t.limitCounter = 0
			return
		}
	}
	t.limitCounter++
}

// trackingBroadcast sends each BCAST prefix's modified keys to its
// clients (trackingBroadcastInvalidationMessages).
func (s *Server) trackingBroadcast() {
	t := &s.trk
	if t.clients == 0 {
		return
	}
	prefixes := make([]string, 0, len(t.prefixes))
	for p, bs := range t.prefixes {
		if len(bs.keys) > 0 {
			prefixes = append(prefixes, p)
		}
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		bs := t.prefixes[p]
		keys := make([]string, 0, len(bs.keys))
		for k := range bs.keys {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		clients := make([]*Client, 0, len(bs.clients))
		for c := range bs.clients {
			clients = append(clients, c)
		}
		sort.Slice(clients, func(i, j int) bool { return clients[i].ID < clients[j].ID })
		for _, c := range clients {
			if c.tracking.noloop {
				var own []string
				for _, k := range keys {
					if bs.keys[k] != c {
						own = append(own, k)
					}
				}
				if len(own) > 0 {
					s.sendTracking(c, own)
				}
				continue
			}
			s.sendTracking(c, keys)
		}
		bs.keys = map[string]*Client{}
	}
}

// sendTracking sends an invalidation of keys on behalf of tracking client
// c (sendTrackingMessage).
func (s *Server) sendTracking(c *Client, keys []string) {
	s.deliverTracking(c, func(w *resp.Writer) {
		w.ArrayLen(len(keys))
		for _, k := range keys {
			w.BulkString(k)
		}
	})
}

// sendTrackingNull sends the flush invalidation; the null is spelled in
// c's protocol even when it goes to a redirection client, as Redis does.
func (s *Server) sendTrackingNull(c *Client) {
	null := "$-1\r\n"
	if c.Proto == 3 {
		null = "_\r\n"
	}
	s.deliverTracking(c, func(w *resp.Writer) { w.RawString(null) })
}

func (s *Server) deliverTracking(c *Client, payload func(w *resp.Writer)) {
	ct := c.tracking
	redirected := false
	if ct != nil && ct.redirect != 0 {
		r := s.clients[ct.redirect]
		if r == nil || r.Closed {
			ct.brokenRedir = true
			if c.Proto == 3 {
				id := ct.redirect
				s.Push(c, func(w *resp.Writer) {
					w.PushLen(2)
					w.BulkString("tracking-redir-broken")
					w.Int(id)
				})
			}
			return
		}
		c, redirected = r, true
	}
	switch {
	case c.Proto == 3:
		s.Push(c, func(w *resp.Writer) {
			w.PushLen(2)
			w.BulkString("invalidate")
			payload(w)
		})
	case redirected && c.Kind == KindPubSub:
		s.Push(c, func(w *resp.Writer) {
			w.ArrayLen(3)
			w.BulkString("message")
			w.BulkString(trackingChannel)
			payload(w)
		})
	}
}

// TrackingFlags returns CLIENT LIST's tracking flags of c: t (tracking),
// R (broken redirection), B (broadcast).
func (s *Server) TrackingFlags(c *Client) string {
	ct := c.tracking
	if ct == nil || !ct.on {
		return ""
	}
	f := "t"
	if ct.brokenRedir {
		f += "R"
	}
	if ct.bcast {
		f += "B"
	}
	return f
}

// TrackingRedir returns CLIENT LIST's redir field: the redirection ID, or
// -1 when c does not track.
func (s *Server) TrackingRedir(c *Client) string {
	ct := c.tracking
	if ct == nil || !ct.on {
		return "-1"
	}
	return strconv.FormatInt(ct.redirect, 10)
}
