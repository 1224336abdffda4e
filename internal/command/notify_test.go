package command_test

import (
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// notifySub is a PSUBSCRIBE '*' connection that checks the keyspace
// events it receives.
type notifySub struct {
	t        *testing.T
	sub, pub *servertest.Raw
}

func newNotifySub(t *testing.T, s *servertest.Server, resp3 bool) *notifySub {
	t.Helper()
	n := &notifySub{t: t, sub: s.Raw(), pub: s.Raw()}
	if resp3 {
		if v := n.sub.Do("HELLO", "3"); v.Type != '%' {
			t.Fatalf("hello 3: %v", v)
		}
	}
	if v := n.sub.Do("PSUBSCRIBE", "*"); len(v.Array) != 3 || v.Array[0].Str != "psubscribe" {
		t.Fatalf("psubscribe: %v", v)
	}
	return n
}

// expect reads the next messages and compares them with want, each
// "channel payload"; then it checks nothing else arrived before a
// sentinel PUBLISHed after the fact.
func (n *notifySub) expect(what string, want ...string) {
	n.t.Helper()
	var got []string
	for _, w := range want {
		_ = w
		v := n.sub.Read()
		if len(v.Array) != 4 || v.Array[0].Str != "pmessage" || v.Array[1].Str != "*" {
			n.t.Fatalf("%s: unexpected %+v", what, v)
		}
		got = append(got, v.Array[2].Str+" "+v.Array[3].Str)
	}
	n.pub.Do("PUBLISH", "sentinel", "x")
	v := n.sub.Read()
	if len(v.Array) != 4 || v.Array[2].Str != "sentinel" {
		got = append(got, v.Array[2].Str+" "+v.Array[3].Str+" (extra)")
		for len(v.Array) == 4 && v.Array[2].Str != "sentinel" {
			v = n.sub.Read()
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		n.t.Fatalf("%s: got\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// ev expands "event key" pairs into the keyspace and keyevent messages of
// db 0, as notify-keyspace-events KE sends them.
func ev(pairs ...string) []string {
	var out []string
	for _, p := range pairs {
		db := "0"
		if i := strings.IndexByte(p, '@'); i >= 0 {
			db, p = p[i+1:i+2], p[:i]
		}
		event, key, _ := strings.Cut(p, " ")
		out = append(out, "__keyspace@"+db+"__:"+key+" "+event, "__keyevent@"+db+"__:"+event+" "+key)
	}
	return out
}

func TestKeyspaceNotificationsEvents(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := s.Raw()
		c.Do("CONFIG", "SET", "notify-keyspace-events", "KEA")
		n := newNotifySub(t, s, false)
		steps := []struct {
			cmd  []string
			want []string
		}{
			{[]string{"SET", "foo", "bar"}, ev("set foo")},
			{[]string{"SET", "foo", "bar", "EX", "100"}, ev("set foo", "expire foo")},
			{[]string{"PERSIST", "foo"}, ev("persist foo")},
			{[]string{"APPEND", "foo", "x"}, ev("append foo")},
			{[]string{"INCR", "n"}, ev("incrby n")},
			{[]string{"INCRBYFLOAT", "n", "1.5"}, ev("incrbyfloat n")},
			{[]string{"SETRANGE", "foo", "0", "a"}, ev("setrange foo")},
			{[]string{"SETBIT", "b", "1", "1"}, ev("setbit b")},
			{[]string{"GET", "missing"}, nil},
			{[]string{"DEL", "foo", "missing"}, ev("del foo")},
			{[]string{"RENAME", "n", "m"}, ev("rename_from n", "rename_to m")},
			{[]string{"EXPIRE", "m", "100"}, ev("expire m")},
			{[]string{"COPY", "m", "m2"}, ev("copy_to m2")},
			{[]string{"MOVE", "m2", "1"}, ev("move_from m2", "move_to m2@1")},
			{[]string{"LPUSH", "l", "a", "b"}, ev("lpush l")},
			{[]string{"RPOP", "l"}, ev("rpop l")},
			{[]string{"LPOP", "l"}, ev("lpop l", "del l")},
			{[]string{"RPUSH", "l", "a", "b", "c"}, ev("rpush l")},
			{[]string{"LMOVE", "l", "l2", "LEFT", "RIGHT"}, ev("rpush l2", "lpop l")},
			{[]string{"LSET", "l", "0", "z"}, ev("lset l")},
			{[]string{"LINSERT", "l", "BEFORE", "z", "y"}, ev("linsert l")},
			{[]string{"LREM", "l", "0", "y"}, ev("lrem l")},
			{[]string{"LTRIM", "l", "0", "0"}, ev("ltrim l")},
			{[]string{"SORT", "l", "ALPHA", "STORE", "l3"}, ev("sortstore l3")},
			{[]string{"HSET", "h", "f", "v"}, ev("hset h")},
			{[]string{"HINCRBY", "h", "n", "1"}, ev("hincrby h")},
			{[]string{"HDEL", "h", "f", "n"}, ev("hdel h", "del h")},
			{[]string{"SADD", "s", "a", "b"}, ev("sadd s")},
			{[]string{"SREM", "s", "a"}, ev("srem s")},
			{[]string{"SINTERSTORE", "s2", "s", "s"}, ev("sinterstore s2")},
			{[]string{"SPOP", "s"}, ev("spop s", "del s")},
			{[]string{"ZADD", "z", "1", "a", "2", "b"}, ev("zadd z")},
			{[]string{"ZINCRBY", "z", "1", "a"}, ev("zincr z")},
			{[]string{"ZREM", "z", "a"}, ev("zrem z")},
			{[]string{"ZPOPMIN", "z"}, ev("zpopmin z", "del z")},
			{[]string{"ZADD", "z", "1", "a", "2", "b", "3", "c"}, ev("zadd z")},
			{[]string{"ZREMRANGEBYSCORE", "z", "1", "1"}, ev("zremrangebyscore z")},
			{[]string{"ZUNIONSTORE", "z2", "1", "z"}, ev("zunionstore z2")},
			{[]string{"XADD", "x", "1-1", "f", "v"}, ev("xadd x")},
			{[]string{"XGROUP", "CREATE", "x", "g", "$"}, ev("xgroup-create x")},
			{[]string{"XGROUP", "CREATECONSUMER", "x", "g", "c"}, ev("xgroup-createconsumer x")},
			{[]string{"XDEL", "x", "1-1"}, ev("xdel x")},
			{[]string{"UNLINK", "z2"}, ev("del z2")},
			{[]string{"FLUSHALL"}, nil},
		}
		for _, st := range steps {
			if v := c.Do(st.cmd...); v.Type == '-' {
				t.Fatalf("%v: %s", st.cmd, v.Str)
			}
			n.expect(strings.Join(st.cmd, " "), st.want...)
		}
		// A blocked client served later reports its pop.
		b := s.Raw()
		b.Send(servertest.Encode("BLPOP", "bl", "0"))
		for {
			if v := c.Do("CLIENT", "LIST"); strings.Contains(v.Str, "cmd=blpop") {
				break
			}
		}
		c.Do("RPUSH", "bl", "v")
		if v := b.Read(); len(v.Array) != 2 || v.Array[1].Str != "v" {
			t.Fatalf("blpop %v", v)
		}
		n.expect("served BLPOP", ev("rpush bl", "lpop bl", "del bl")...)
	})
}

func TestKeyspaceNotificationsClasses(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		c := s.Raw()
		n := newNotifySub(t, s, false)

		// Disabled (the default): nothing.
		c.Do("SET", "k", "v")
		c.Do("DEL", "k")
		n.expect("disabled")

		// K$: keyspace channel only, string events only.
		c.Do("CONFIG", "SET", "notify-keyspace-events", "K$")
		c.Do("SET", "k", "v")
		c.Do("LPUSH", "l", "x")
		c.Do("DEL", "k")
		c.Do("INCR", "k")
		n.expect("K$", "__keyspace@0__:k set", "__keyspace@0__:k incrby")

		// Ex: expired events only, on the keyevent channel, from the
		// active cycle without any access to the key.
		c.Do("CONFIG", "SET", "notify-keyspace-events", "Ex")
		c.Do("SET", "gone", "v", "PX", "20")
		v := n.sub.Read()
		if len(v.Array) != 4 || v.Array[2].Str != "__keyevent@0__:expired" || v.Array[3].Str != "gone" {
			t.Fatalf("expired: %v", v)
		}
		n.expect("Ex")
		// Lazy expiry reports it too.
		c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "0")
		c.Do("SET", "lazy", "v", "PX", "1")
		for c.Do("PTTL", "lazy").Int > 0 {
		}
		c.Do("EXISTS", "lazy")
		n.expect("lazy expiry", "__keyevent@0__:expired lazy")
		c.Do("DEBUG", "SET-ACTIVE-EXPIRE", "1")

		// n: key creation; A does not include it. m: read misses.
		c.Do("CONFIG", "SET", "notify-keyspace-events", "Enm")
		c.Do("SET", "a", "1")
		c.Do("SET", "a", "2")
		c.Do("GET", "nokey")
		c.Do("RPUSH", "nl", "x")
		n.expect("Enm", "__keyevent@0__:new a", "__keyevent@0__:keymiss nokey", "__keyevent@0__:new nl")

		// The database index is the client's, and RESP3 subscribers get
		// push messages.
		c.Do("CONFIG", "SET", "notify-keyspace-events", "KEg")
		n3 := newNotifySub(t, s, true)
		c.Do("SELECT", "9")
		c.Do("SET", "k9", "v")
		c.Do("EXPIRE", "k9", "100")
		for _, want := range []string{"__keyspace@9__:k9 expire", "__keyevent@9__:expire k9"} {
			v := n3.sub.Read()
			if v.Type != '>' || len(v.Array) != 4 || v.Array[2].Str+" "+v.Array[3].Str != want {
				t.Fatalf("resp3: got %v want %s", v, want)
			}
		}
		n.expect("db 9", "__keyspace@9__:k9 expire", "__keyevent@9__:expire k9")
	}, "--enable-debug-command", "yes")
}
