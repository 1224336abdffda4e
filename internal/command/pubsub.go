package command

import (
	"github.com/redis-clone/redis-clone/internal/core"
)

var pubsubFlags = core.FlagPubSub | core.FlagNoScript | core.FlagLoading | core.FlagStale

var _ = register(
	&core.Command{Name: "subscribe", Arity: -2, Flags: pubsubFlags, Handler: subscribe, Group: "pubsub", Since: "2.0.0", Summary: "Listen for messages published to the given channels"},
	&core.Command{Name: "unsubscribe", Arity: -1, Flags: pubsubFlags, Handler: unsubscribe, Group: "pubsub", Since: "2.0.0", Summary: "Stop listening for messages posted to the given channels"},
	&core.Command{Name: "psubscribe", Arity: -2, Flags: pubsubFlags, Handler: psubscribe, Group: "pubsub", Since: "2.0.0", Summary: "Listen for messages published to channels matching the given patterns"},
	&core.Command{Name: "punsubscribe", Arity: -1, Flags: pubsubFlags, Handler: punsubscribe, Group: "pubsub", Since: "2.0.0", Summary: "Stop listening for messages posted to channels matching the given patterns"},
	&core.Command{Name: "ssubscribe", Arity: -2, Flags: pubsubFlags, FirstKey: 1, LastKey: -1, Step: 1, Handler: ssubscribe, Group: "pubsub", Since: "7.0.0", Summary: "Listen for messages published to the given shard channels"},
	&core.Command{Name: "sunsubscribe", Arity: -1, Flags: pubsubFlags, FirstKey: 1, LastKey: -1, Step: 1, Handler: sunsubscribe, Group: "pubsub", Since: "7.0.0", Summary: "Stop listening for messages posted to the given shard channels"},
	&core.Command{Name: "publish", Arity: 3, Flags: core.FlagPubSub | core.FlagLoading | core.FlagStale | core.FlagFast | core.FlagMayReplicate, Handler: publish, Group: "pubsub", Since: "2.0.0", Summary: "Post a message to a channel"},
	&core.Command{Name: "spublish", Arity: 3, Flags: core.FlagPubSub | core.FlagLoading | core.FlagStale | core.FlagFast | core.FlagMayReplicate, FirstKey: 1, LastKey: 1, Step: 1, Handler: spublish, Group: "pubsub", Since: "7.0.0", Summary: "Post a message to a shard channel"},
	&core.Command{Name: "pubsub", Arity: -2, Group: "pubsub", Since: "2.8.0", Summary: "A container for Pub/Sub commands", Subcommands: map[string]*core.Command{
		"channels":      {Name: "channels", Arity: -2, Flags: core.FlagPubSub | core.FlagLoading | core.FlagStale, Handler: pubsubChannels, Group: "pubsub", Since: "2.8.0", Summary: "List active channels"},
		"numsub":        {Name: "numsub", Arity: -2, Flags: core.FlagPubSub | core.FlagLoading | core.FlagStale, Handler: pubsubNumSub, Group: "pubsub", Since: "2.8.0", Summary: "Get the count of subscribers for channels"},
		"numpat":        {Name: "numpat", Arity: 2, Flags: core.FlagPubSub | core.FlagLoading | core.FlagStale, Handler: pubsubNumPat, Group: "pubsub", Since: "2.8.0", Summary: "Get the count of unique patterns pattern subscriptions"},
		"shardchannels": {Name: "shardchannels", Arity: -2, Flags: core.FlagPubSub | core.FlagLoading | core.FlagStale, Handler: pubsubShardChannels, Group: "pubsub", Since: "7.0.0", Summary: "List active shard channels"},
		"shardnumsub":   {Name: "shardnumsub", Arity: -2, Flags: core.FlagPubSub | core.FlagLoading | core.FlagStale, Handler: pubsubShardNumSub, Group: "pubsub", Since: "7.0.0", Summary: "Get the count of subscribers for shard channels"},
		"help":          {Name: "help", Arity: 2, Flags: core.FlagLoading | core.FlagStale, Handler: pubsubHelp, Group: "pubsub", Since: "6.2.0", Summary: "Show helpful text about the different subcommands"},
	}},
)

func subscribe(ctx *core.Ctx) {
	for _, ch := range ctx.Args[1:] {
		ctx.Srv.Subscribe(ctx.Client, core.PubSubGlobal, ch)
	}
}

func ssubscribe(ctx *core.Ctx) {
	for _, ch := range ctx.Args[1:] {
		ctx.Srv.Subscribe(ctx.Client, core.PubSubShard, ch)
	}
}

func unsubscribe(ctx *core.Ctx) { unsubscribeKind(ctx, core.PubSubGlobal) }

func sunsubscribe(ctx *core.Ctx) { unsubscribeKind(ctx, core.PubSubShard) }

func unsubscribeKind(ctx *core.Ctx, kind core.PubSubKind) {
	if len(ctx.Args) == 1 {
		ctx.Srv.UnsubscribeAll(ctx.Client, kind, true)
		return
	}
	for _, ch := range ctx.Args[1:] {
		ctx.Srv.Unsubscribe(ctx.Client, kind, ch, true)
	}
}

func psubscribe(ctx *core.Ctx) {
	for _, p := range ctx.Args[1:] {
		ctx.Srv.PSubscribe(ctx.Client, p)
	}
}

func punsubscribe(ctx *core.Ctx) {
	if len(ctx.Args) == 1 {
		ctx.Srv.PUnsubscribeAll(ctx.Client, true)
		return
	}
	for _, p := range ctx.Args[1:] {
		ctx.Srv.PUnsubscribe(ctx.Client, p, true)
	}
}

func publish(ctx *core.Ctx) {
	ctx.W.Int(int64(ctx.Srv.Publish(core.PubSubGlobal, ctx.Args[1], ctx.Args[2])))
}

func spublish(ctx *core.Ctx) {
	ctx.W.Int(int64(ctx.Srv.Publish(core.PubSubShard, ctx.Args[1], ctx.Args[2])))
}

func pubsubChannels(ctx *core.Ctx) { channelList(ctx, core.PubSubGlobal) }

func pubsubShardChannels(ctx *core.Ctx) { channelList(ctx, core.PubSubShard) }

func channelList(ctx *core.Ctx, kind core.PubSubKind) {
	var pattern []byte
	if len(ctx.Args) > 2 {
		pattern = ctx.Args[2]
	}
	ctx.W.BulkStrings(ctx.Srv.Channels(kind, pattern))
}

func pubsubNumSub(ctx *core.Ctx) { numSub(ctx, core.PubSubGlobal) }

func pubsubShardNumSub(ctx *core.Ctx) { numSub(ctx, core.PubSubShard) }

func numSub(ctx *core.Ctx, kind core.PubSubKind) {
	// An array of pairs, not a map, even in RESP3 (as Redis 7.0).
	ctx.W.ArrayLen(2 * (len(ctx.Args) - 2))
	for _, ch := range ctx.Args[2:] {
		ctx.W.Bulk(ch)
		ctx.W.Int(int64(ctx.Srv.NumSub(kind, ch)))
	}
}

func pubsubNumPat(ctx *core.Ctx) { ctx.W.Int(int64(ctx.Srv.NumPatterns())) }

func pubsubHelp(ctx *core.Ctx) {
	lines := []string{
		"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
		"CHANNELS [<pattern>]",
		"    Return the currently active channels matching a <pattern> (default: '*').",
		"NUMPAT",
		"    Return number of subscriptions to patterns.",
		"NUMSUB [<channel> ...]",
		"    Return the number of subscribers for the specified channels, excluding",
		"    pattern subscriptions(default: no channels).",
		"SHARDCHANNELS [<pattern>]",
		"    Return the currently active shard level channels matching a <pattern> (default: '*').",
		"SHARDNUMSUB [<shardchannel> ...]",
		"    Return the number of subscribers for the specified shard level channel(s)",
		"HELP",
		"    Prints this help.",
	}
	ctx.W.ArrayLen(len(lines))
	for _, l := range lines {
		ctx.W.Simple(l)
	}
}

func init() {
	clientHooks.PubSub = func(c *core.Client) (int, int, int) { return c.Subscriptions() }
	serverHooks.PubSub = func(s *core.Server) (int, int, int) {
		return len(s.Channels(core.PubSubGlobal, nil)), s.NumPatterns(), len(s.Channels(core.PubSubShard, nil))
	}
	onReset(func(ctx *core.Ctx) {
		ctx.Srv.UnsubscribeAll(ctx.Client, core.PubSubGlobal, false)
		ctx.Srv.UnsubscribeAll(ctx.Client, core.PubSubShard, false)
		ctx.Srv.PUnsubscribeAll(ctx.Client, false)
	})
}
