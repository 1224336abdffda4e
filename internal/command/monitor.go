package command

import (
	"strconv"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// MONITOR, and what the executor's diagnostics contribute to CLIENT LIST,
// INFO clients and the server log. The executor feeds the MONITOR clients
// (core/monitor.go).

var _ = register(
	&core.Command{Name: "monitor", Arity: 1, Flags: diagAdmin, Handler: monitor, Group: "server", Since: "1.0.0", Summary: "Listen for all requests received by the server in real time"},
)

// monitor turns the client into a MONITOR client. A client that already is
// one gets no reply at all, as in Redis.
func monitor(ctx *core.Ctx) {
	c := ctx.Client
	if ctx.InExec() {
		ctx.Error(rerr.MonitorDenied)
		return
	}
	if c.IsMonitor() || c.Kind == core.KindReplica {
		return
	}
	ctx.Srv.StartMonitor(c)
	ctx.W.OK()
}

func init() {
	clientHooks.Monitor = (*core.Client).IsMonitor
	core.ClientInfo = func(s *core.Server, c *core.Client) string {
		// The client itself as the caller: its reply buffer is not read
		// (a front end may hold it).
		return string(appendClientInfo(nil, &core.Ctx{Srv: s, Client: c}, c))
	}
	infoSections["clients"] = infoClientsWithOutput
}

// infoClientsWithOutput is INFO clients with client_recent_max_output_buffer
// filled in.
func infoClientsWithOutput(ctx *core.Ctx) string {
	const field = "client_recent_max_output_buffer:"
	text := infoClients(ctx)
	i := strings.Index(text, field)
	if i < 0 {
		return text
	}
	j := i + len(field) + strings.Index(text[i+len(field):], "\r\n")
	return text[:i+len(field)] + strconv.FormatInt(ctx.Srv.RecentMaxOutputBuffer(), 10) + text[j:]
}
