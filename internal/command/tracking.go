package command

import (
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// Client-side caching commands: CLIENT TRACKING, CACHING, GETREDIR and
// TRACKINGINFO (registered with CLIENT in introspection.go). The tracking
// table and invalidation messages live in internal/core/tracking.go.

var _ = onReset(func(ctx *core.Ctx) { ctx.Srv.DisableTracking(ctx.Client) })

// clientTracking implements CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST]
// [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP].
func clientTracking(ctx *core.Ctx) {
	args := ctx.Args
	s, c := ctx.Srv, ctx.Client
	var opt core.TrackingOptions
	for j := 3; j < len(args); j++ {
		more := j < len(args)-1
		switch strings.ToLower(string(args[j])) {
		case "redirect":
			if !more {
				ctx.Error(rerr.Syntax)
				return
			}
			j++
			if opt.Redirect != 0 {
				ctx.Error(rerr.TrackingRedirectTwice)
				return
			}
			id, ok := ctx.Int(j)
			if !ok {
				return
			}
			opt.Redirect = id
			if s.Client(id) == nil {
				ctx.Error(rerr.TrackingNoSuchRedirect)
				return
			}
		case "bcast":
			opt.BCAST = true
		case "optin":
			opt.OptIn = true
		case "optout":
			opt.OptOut = true
		case "noloop":
			opt.NoLoop = true
		case "prefix":
			if !more {
				ctx.Error(rerr.Syntax)
				return
			}
			j++
			opt.Prefixes = append(opt.Prefixes, string(args[j]))
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}
	switch strings.ToLower(string(args[2])) {
	case "on":
		cur := s.Tracking(c)
		switch {
		case !opt.BCAST && len(opt.Prefixes) > 0:
			ctx.Error(rerr.TrackingPrefixNoBCAST)
			return
		case cur.On && cur.BCAST != opt.BCAST:
			ctx.Error(rerr.TrackingSwitchBCAST)
			return
		case opt.BCAST && (opt.OptIn || opt.OptOut):
			ctx.Error(rerr.TrackingOptBCAST)
			return
		case opt.OptIn && opt.OptOut:
			ctx.Error(rerr.TrackingOptInOut)
			return
		case (opt.OptIn && cur.OptOut) || (opt.OptOut && cur.OptIn):
			ctx.Error(rerr.TrackingSwitchOpt)
			return
		}
		if opt.BCAST {
			if msg := s.TrackingPrefixCollision(c, opt.Prefixes); msg != "" {
				ctx.Error(msg)
				return
			}
		}
		s.EnableTracking(c, opt)
	case "off":
		s.DisableTracking(c)
	default:
		ctx.Error(rerr.Syntax)
		return
	}
	ctx.W.OK()
}

// clientCaching implements CLIENT CACHING YES|NO.
func clientCaching(ctx *core.Ctx) {
	s, c := ctx.Srv, ctx.Client
	t := s.Tracking(c)
	if !t.On {
		ctx.Error(rerr.CachingNotTracking)
		return
	}
	switch strings.ToLower(string(ctx.Args[2])) {
	case "yes":
		if !t.OptIn {
			ctx.Error(rerr.CachingYesNotOptIn)
			return
		}
	case "no":
		if !t.OptOut {
			ctx.Error(rerr.CachingNoNotOptOut)
			return
		}
	default:
		ctx.Error(rerr.Syntax)
		return
	}
	s.SetTrackingCaching(c)
	ctx.W.OK()
}

// clientGetRedir implements CLIENT GETREDIR: the redirection ID, 0 when
// tracking without one, -1 when not tracking.
func clientGetRedir(ctx *core.Ctx) {
	ctx.W.Int(ctx.Srv.Tracking(ctx.Client).Redirect)
}

// clientTrackingInfo implements CLIENT TRACKINGINFO.
func clientTrackingInfo(ctx *core.Ctx) {
	t := ctx.Srv.Tracking(ctx.Client)
	w := ctx.W
	w.MapLen(3)
	w.BulkString("flags")
	flags := []string{"off"}
	if t.On {
		flags[0] = "on"
		if t.BCAST {
			flags = append(flags, "bcast")
		}
		if t.OptIn {
			flags = append(flags, "optin")
			if t.Caching {
				flags = append(flags, "caching-yes")
			}
		}
		if t.OptOut {
			flags = append(flags, "optout")
			if t.Caching {
				flags = append(flags, "caching-no")
			}
		}
		if t.NoLoop {
			flags = append(flags, "noloop")
		}
		if t.BrokenRedirect {
			flags = append(flags, "broken_redirect")
		}
	}
	w.SetLen(len(flags))
	for _, f := range flags {
		w.BulkString(f)
	}
	w.BulkString("redirect")
	w.Int(t.Redirect)
	w.BulkString("prefixes")
	w.ArrayLen(len(t.Prefixes))
	for _, p := range t.Prefixes {
		w.BulkString(p)
	}
}

// trackingInfo returns one of the INFO tracking figures: 0
// tracking_clients, 1 tracking_total_keys, 2 tracking_total_items, 3
// tracking_total_prefixes.
func trackingInfo(s *core.Server, which int) int64 {
	clients, keys, items, prefixes := s.TrackingStats()
	return [4]int64{clients, keys, items, prefixes}[which]
}

var _ = registerDebug("pause-cron", debugPauseCron)

// debugPauseCron implements DEBUG PAUSE-CRON 0|1 (the tracking suite
// stops the cron's table-limit enforcement with it).
func debugPauseCron(ctx *core.Ctx) {
	if !debugArgc(ctx, 3, 3) {
		return
	}
	ctx.Srv.PauseCron(atoi(ctx.Args[2]) != 0)
	ctx.W.OK()
}
