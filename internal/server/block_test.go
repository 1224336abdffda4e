package server_test

import (
	"testing"
	"time"

	"github.com/redis-clone/redis-clone/internal/command"
	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/servertest"
)

// waitkey KEY TIMEOUTMS parks the client until KEY exists (then replies its
// value) or the timeout passes (null). It exercises the executor's parking
// mechanism the blocking commands build on, through both front ends.
func waitKey(ctx *core.Ctx) {
	key := string(ctx.Args[1])
	if o := ctx.DB.Lookup(ctx.Args[1]); o != nil {
		ctx.W.Bulk(o.Str)
		return
	}
	ms, ok := ctx.Int(2)
	if !ok {
		return
	}
	c, db, srv := ctx.Client, ctx.DB, ctx.Srv
	b := &core.Blocked{DB: db.ID(), Keys: []string{key}}
	if ms > 0 {
		b.Timeout = ctx.Now() + ms
	}
	b.Ready = func() bool {
		o := db.Lookup([]byte(key))
		if o == nil {
			return false
		}
		c.Out.Bulk(o.Str)
		return true
	}
	srv.Block(c, b)
}

func blockTable() core.Table {
	t := command.Table()
	t.Add(&core.Command{Name: "waitkey", Arity: 3, Flags: core.FlagBlocking, FirstKey: 1, LastKey: 1, Step: 1, Handler: waitKey})
	return t
}

func TestParkedClientWokenByAnotherClient(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			s := servertest.StartTable(t, mode, blockTable())
			waiter := s.Raw()
			// The request after the blocking one must wait until the
			// client is woken, then run.
			waiter.Send(servertest.Encode("WAITKEY", "k", "0") + servertest.Encode("PING"))
			time.Sleep(50 * time.Millisecond)
			other := s.Raw()
			if got := other.Do("SET", "k", "hello"); got.Str != "OK" {
				t.Fatalf("set: %+v", got)
			}
			if got := waiter.Read(); got.Str != "hello" {
				t.Fatalf("woken reply %+v", got)
			}
			if got := waiter.Read(); got.Str != "PONG" {
				t.Fatalf("pipelined reply after wake %+v", got)
			}
		})
	}
}

func TestParkedClientTimesOut(t *testing.T) {
	for _, mode := range servertest.Modes {
		t.Run(mode, func(t *testing.T) {
			s := servertest.StartTable(t, mode, blockTable(), "--hz", "100")
			waiter := s.Raw()
			start := time.Now()
			waiter.Send(servertest.Encode("WAITKEY", "missing", "100") + servertest.Encode("PING"))
			if got := waiter.ReadLine(); got != "*-1\r\n" {
				t.Fatalf("timeout reply %q", got)
			}
			if d := time.Since(start); d < 90*time.Millisecond || d > 2*time.Second {
				t.Fatalf("timed out after %v", d)
			}
			if got := waiter.Read(); got.Str != "PONG" {
				t.Fatalf("after timeout %+v", got)
			}
		})
	}
}
