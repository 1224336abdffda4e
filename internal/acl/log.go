package acl

import (
	"time"

	"github.com/redis-clone/redis-clone/internal/core"
)

// logGroupingMs is ACL_LOG_GROUPING_MAX_TIME_DELTA: a denial within a
// minute of an identical one updates that entry instead of adding one.
const logGroupingMs = 60000

// logEntry is one ACL LOG entry.
type logEntry struct {
	count    int64
	reason   int
	context  string
	object   string
	username string
	ctime    int64 // Unix ms
	cinfo    string
}

// LogEntry is an ACL LOG entry as the ACL command replies it.
type LogEntry struct {
	Count            int64
	Reason, Context  string
	Object, Username string
	AgeSeconds       float64
	ClientInfo       string
}

func reasonName(r int) string {
	switch r {
	case reasonCmd:
		return "command"
	case reasonKey:
		return "key"
	case reasonChannel:
		return "channel"
	case reasonAuth:
		return "auth"
	}
	return "unknown"
}

// addLog is addACLLogEntry. username "" means c's user.
func (r *Registry) addLog(c *core.Client, cmd *core.Command, args [][]byte, reason int, object, username string) {
	ctx := "toplevel"
	if c.Multi != nil {
		ctx = "multi"
	} else if c.Script {
		ctx = "lua"
	}
	r.addLogCtx(c, cmd, args, reason, object, username, ctx)
}

// addLogCtx is addLog with an explicit context.
func (r *Registry) addLogCtx(c *core.Client, cmd *core.Command, args [][]byte, reason int, object, username, ctx string) {
	if username == "" {
		username = r.userOf(c).Name
	}
	le := &logEntry{count: 1, reason: reason, context: ctx, object: object, username: username,
		ctime: time.Now().UnixMilli()}
	if r.env.ClientInfo != nil {
		le.cinfo = r.env.ClientInfo(r.srv, c, cmd, args)
	}
	for i := 0; i < len(r.log) && i < 10; i++ {
		cur := r.log[i]
		d := cur.ctime - le.ctime
		if d < 0 {
			d = -d
		}
		if cur.reason == le.reason && cur.context == le.context && d <= logGroupingMs &&
			cur.object == le.object && cur.username == le.username {
			copy(r.log[1:i+1], r.log[:i])
			r.log[0] = cur
			cur.cinfo, cur.ctime = le.cinfo, le.ctime
			cur.count++
			return
		}
	}
	r.log = append([]*logEntry{le}, r.log...)
	maxLen := r.srv.Config.ACLLogMaxLen
	if len(r.log) > maxLen {
		r.log = r.log[:maxLen]
	}
}

// Log returns up to count entries, newest first.
func (r *Registry) Log(count int) []LogEntry {
	count = min(count, len(r.log))
	now := time.Now().UnixMilli()
	out := make([]LogEntry, 0, count)
	for _, le := range r.log[:count] {
		out = append(out, LogEntry{Count: le.count, Reason: reasonName(le.reason), Context: le.context,
			Object: le.object, Username: le.username, AgeSeconds: float64(now-le.ctime) / 1000, ClientInfo: le.cinfo})
	}
	return out
}

// ResetLog empties the ACL log.
func (r *Registry) ResetLog() { r.log = nil }
