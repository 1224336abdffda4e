package command_test

import (
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

func TestPubSub(t *testing.T) {
	servertest.ForEachMode(t, func(t *testing.T, s *servertest.Server) {
		sub, pub := s.Raw(), s.Raw()
		sub.Send(servertest.Encode("SUBSCRIBE", "news", "sport"))
		for _, want := range []string{"*3\r\n", "$9\r\n", "subscribe\r\n", "$4\r\n", "news\r\n", ":1\r\n",
			"*3\r\n", "$9\r\n", "subscribe\r\n", "$5\r\n", "sport\r\n", ":2\r\n"} {
			if got := sub.ReadLine(); got != want {
				t.Fatalf("subscribe: got %q want %q", got, want)
			}
		}
		sub.Send(servertest.Encode("PSUBSCRIBE", "n*"))
		if v := sub.Read(); len(v.Array) != 3 || v.Array[0].Str != "psubscribe" || v.Array[2].Int != 3 {
			t.Fatalf("psubscribe: %v", v)
		}
		if got := pub.Do("PUBLISH", "news", "hello"); got.Int != 2 {
			t.Fatalf("receivers %d, want 2 (channel + pattern)", got.Int)
		}
		got := map[string]bool{}
		for i := 0; i < 2; i++ {
			v := sub.Read()
			got[v.Array[0].Str] = true
			if last := v.Array[len(v.Array)-1].Str; last != "hello" {
				t.Fatalf("message %v", v)
			}
		}
		if !got["message"] || !got["pmessage"] {
			t.Fatalf("kinds %v", got)
		}
		if v := pub.Do("PUBSUB", "NUMSUB", "news", "none"); len(v.Array) != 4 || v.Array[1].Int != 1 || v.Array[3].Int != 0 {
			t.Fatalf("numsub %v", v)
		}
		if v := pub.Do("PUBSUB", "CHANNELS"); len(v.Array) != 2 || v.Array[0].Str != "news" {
			t.Fatalf("channels %v", v)
		}
		if v := pub.Do("PUBSUB", "NUMPAT"); v.Int != 1 {
			t.Fatalf("numpat %v", v)
		}
		// RESP2 subscribed context allows only a few commands.
		sub.Send(servertest.Encode("GET", "x"))
		want := "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
		if got := sub.ReadLine(); got != want {
			t.Fatalf("got %q", got)
		}
		sub.Send(servertest.Encode("UNSUBSCRIBE"))
		counts := []int64{}
		for i := 0; i < 2; i++ {
			v := sub.Read()
			if v.Array[0].Str != "unsubscribe" {
				t.Fatalf("unsubscribe %v", v)
			}
			counts = append(counts, v.Array[2].Int)
		}
		if counts[0] != 2 || counts[1] != 1 {
			t.Fatalf("counts %v", counts)
		}
		sub.Send(servertest.Encode("PUNSUBSCRIBE"))
		if v := sub.Read(); v.Array[0].Str != "punsubscribe" || v.Array[2].Int != 0 {
			t.Fatalf("punsubscribe %v", v)
		}
		// Out of the subscribed context, ordinary commands work again.
		if v := sub.Do("SET", "x", "1"); v.Str != "OK" {
			t.Fatalf("after unsubscribe: %v", v)
		}
		sub.Send(servertest.Encode("UNSUBSCRIBE"))
		for _, want := range []string{"*3\r\n", "$11\r\n", "unsubscribe\r\n", "$-1\r\n", ":0\r\n"} {
			if got := sub.ReadLine(); got != want {
				t.Fatalf("empty unsubscribe: got %q want %q", got, want)
			}
		}
		// A closed subscriber is forgotten.
		gone := s.Raw()
		gone.Do("SUBSCRIBE", "bye")
		gone.Conn.Close()
		for i := 0; i < 100; i++ {
			if pub.Do("PUBSUB", "NUMSUB", "bye").Array[1].Int == 0 {
				return
			}
		}
		t.Fatal("closed subscriber still counted")
	})
}
