package command_test

import (
	"regexp"
	"strconv"
	"testing"
	"time"
)

// Reproductions of Redis's unit/pubsubshard (external:skip in its suite),
// with exact reply bytes, in both modes and against SERVER_ORACLE.

func ssubReply(ch string, n int) string {
	return "*3\r\n" + bulk("ssubscribe") + bulk(ch) + ":" + strconv.Itoa(n) + "\r\n"
}

func sunsubReply(ch string, n int) string {
	if ch == "" {
		return "*3\r\n" + bulk("sunsubscribe") + nilBulk + ":" + strconv.Itoa(n) + "\r\n"
	}
	return "*3\r\n" + bulk("sunsubscribe") + bulk(ch) + ":" + strconv.Itoa(n) + "\r\n"
}

func smessage(ch, msg string) string {
	return "*3\r\n" + bulk("smessage") + bulk(ch) + bulk(msg)
}

// waitUnsubscribed waits until closed connections' shard subscriptions
// to ch are gone (a close is noticed asynchronously).
func waitUnsubscribed(t *testing.T, r *svConn, ch string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.do("PUBSUB", "SHARDNUMSUB", ch) != "*2\r\n"+bulk(ch)+":0\r\n" {
		if time.Now().After(deadline) {
			t.Fatalf("subscribers of %s remain", ch)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPubSubShardBasics(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		// "SPUBLISH/SSUBSCRIBE basics"
		rd1 := svDial(t, addr)
		rd1.expect(ssubReply("chan1", 1), "SSUBSCRIBE", "chan1")
		rd1.expect(ssubReply("chan2", 2), "SSUBSCRIBE", "chan2")
		r.expect(":1\r\n", "SPUBLISH", "chan1", "hello")
		r.expect(":1\r\n", "SPUBLISH", "chan2", "world")
		if got := rd1.read(); got != smessage("chan1", "hello") {
			t.Errorf("got %q", got)
		}
		if got := rd1.read(); got != smessage("chan2", "world") {
			t.Errorf("got %q", got)
		}
		rd1.expect(sunsubReply("chan1", 1), "SUNSUBSCRIBE", "chan1")
		r.expect(":0\r\n", "SPUBLISH", "chan1", "hello")
		r.expect(":1\r\n", "SPUBLISH", "chan2", "world")
		if got := rd1.read(); got != smessage("chan2", "world") {
			t.Errorf("got %q", got)
		}
		rd1.expect(sunsubReply("chan2", 0), "SUNSUBSCRIBE", "chan2")
		r.expect(":0\r\n", "SPUBLISH", "chan1", "hello")
		r.expect(":0\r\n", "SPUBLISH", "chan2", "world")
		rd1.c.Close()

		// "SPUBLISH/SSUBSCRIBE with two clients"
		rd1, rd2 := svDial(t, addr), svDial(t, addr)
		rd1.expect(ssubReply("chan1", 1), "SSUBSCRIBE", "chan1")
		rd2.expect(ssubReply("chan1", 1), "SSUBSCRIBE", "chan1")
		r.expect(":2\r\n", "SPUBLISH", "chan1", "hello")
		for _, c := range []*svConn{rd1, rd2} {
			if got := c.read(); got != smessage("chan1", "hello") {
				t.Errorf("got %q", got)
			}
		}
		r.expect("*2\r\n"+bulk("chan1")+":2\r\n", "PUBSUB", "SHARDNUMSUB", "chan1")
		r.expect("*1\r\n"+bulk("chan1"), "PUBSUB", "SHARDCHANNELS")
		rd1.c.Close()
		rd2.c.Close()
		waitUnsubscribed(t, r, "chan1")

		// "SPUBLISH/SSUBSCRIBE after UNSUBSCRIBE without arguments"
		rd1 = svDial(t, addr)
		rd1.expect(ssubReply("chan1", 1), "SSUBSCRIBE", "chan1")
		rd1.expect(ssubReply("chan2", 2), "SSUBSCRIBE", "chan2")
		rd1.expect(ssubReply("chan3", 3), "SSUBSCRIBE", "chan3")
		rd1.send("SUNSUBSCRIBE")
		for i := 2; i >= 0; i-- {
			re := regexp.MustCompile(`^\*3\r\n\$12\r\nsunsubscribe\r\n\$5\r\nchan[123]\r\n:` + strconv.Itoa(i) + `\r\n$`)
			if got := rd1.read(); !re.MatchString(got) {
				t.Errorf("SUNSUBSCRIBE: got %q", got)
			}
		}
		for _, ch := range []string{"chan1", "chan2", "chan3"} {
			r.expect(":0\r\n", "SPUBLISH", ch, "hello")
		}
		rd1.c.Close()
		waitUnsubscribed(t, r, "chan1")

		// "SSUBSCRIBE to one channel more than once"
		rd1 = svDial(t, addr)
		rd1.send("SSUBSCRIBE", "chan1", "chan1", "chan1")
		for i := 0; i < 3; i++ {
			if got := rd1.read(); got != ssubReply("chan1", 1) {
				t.Errorf("SSUBSCRIBE chan1 ×3: got %q", got)
			}
		}
		r.expect(":1\r\n", "SPUBLISH", "chan1", "hello")
		if got := rd1.read(); got != smessage("chan1", "hello") {
			t.Errorf("got %q", got)
		}
		rd1.c.Close()
		waitUnsubscribed(t, r, "chan1")

		// "SUNSUBSCRIBE from non-subscribed channels"
		rd1 = svDial(t, addr)
		for _, ch := range []string{"foo", "bar", "quux"} {
			rd1.expect(sunsubReply(ch, 0), "SUNSUBSCRIBE", ch)
		}
		rd1.c.Close()

		// "PUBSUB command basics"
		r.expect("*4\r\n"+bulk("abc")+":0\r\n"+bulk("def")+":0\r\n", "PUBSUB", "SHARDNUMSUB", "abc", "def")

		// "SPUBLISH/SSUBSCRIBE with PUBLISH/SUBSCRIBE"
		rd1, rd2 = svDial(t, addr), svDial(t, addr)
		rd1.expect(ssubReply("chan1", 1), "SSUBSCRIBE", "chan1")
		rd2.expect("*3\r\n"+bulk("subscribe")+bulk("chan1")+":1\r\n", "SUBSCRIBE", "chan1")
		r.expect(":1\r\n", "SPUBLISH", "chan1", "hello")
		r.expect(":1\r\n", "PUBLISH", "chan1", "hello")
		r.expect("*2\r\n"+bulk("chan1")+":1\r\n", "PUBSUB", "SHARDNUMSUB", "chan1")
		r.expect("*2\r\n"+bulk("chan1")+":1\r\n", "PUBSUB", "NUMSUB", "chan1")
		r.expect("*1\r\n"+bulk("chan1"), "PUBSUB", "SHARDCHANNELS")
		r.expect("*1\r\n"+bulk("chan1"), "PUBSUB", "CHANNELS")
		rd1.c.Close()
		rd2.c.Close()
	})
}

// "PubSubShard with CLIENT REPLY OFF": the subscription notifications
// and messages are pushes, sent even with replies off (RESP3).
func TestPubSubShardReplyOff(t *testing.T) {
	svPortable(t, func(t *testing.T, addr string) {
		r := svDial(t, addr)
		rd := svDial(t, addr)
		rd.do("HELLO", "3")
		rd.send("CLIENT", "REPLY", "OFF")
		rd.send("PING")
		rd.expect(">3\r\n"+bulk("ssubscribe")+bulk("channel")+":1\r\n", "SSUBSCRIBE", "channel")
		rd.send("CLIENT", "REPLY", "OFF")
		rd.send("PING")
		r.expect(":1\r\n", "SPUBLISH", "channel", "hello")
		if got := rd.read(); got != ">3\r\n"+bulk("smessage")+bulk("channel")+bulk("hello") {
			t.Errorf("got %q", got)
		}
		rd.send("CLIENT", "REPLY", "OFF")
		rd.send("PING")
		rd.expect(">3\r\n"+bulk("sunsubscribe")+bulk("channel")+":0\r\n", "SUNSUBSCRIBE", "channel")
	})
}
