package keyspace_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/keyspace"
)

func TestStringEncoding(t *testing.T) {
	for _, c := range []struct{ val, enc string }{
		{"0", "int"}, {"1", "int"}, {"-1", "int"}, {"100000", "int"},
		{"-9223372036854775808", "int"}, {"9223372036854775807", "int"},
		{"9223372036854775808", "embstr"}, {"-9223372036854775809", "embstr"},
		{"0123", "embstr"}, {" 12", "embstr"}, {"12 ", "embstr"}, {"-0", "embstr"},
		{"+1", "embstr"}, {"", "embstr"}, {"1.5", "embstr"},
		{strings.Repeat("x", 44), "embstr"}, {strings.Repeat("x", 45), "raw"},
		{strings.Repeat("1", 45), "raw"},
	} {
		if got := keyspace.StringEncoding([]byte(c.val)); got != c.enc {
			t.Errorf("StringEncoding(%q) = %s, want %s", c.val, got, c.enc)
		}
	}
}

func TestIsSharedInteger(t *testing.T) {
	for _, c := range []struct {
		val    string
		shared bool
	}{{"0", true}, {"9999", true}, {"10000", false}, {"-1", false}, {"01", false}, {"a", false}} {
		if got := keyspace.IsSharedInteger([]byte(c.val)); got != c.shared {
			t.Errorf("IsSharedInteger(%q) = %v", c.val, got)
		}
	}
}

func TestObjectClone(t *testing.T) {
	ks := keyspace.New(1)
	o := keyspace.NewString([]byte("hello"))
	ks.SetAccess(o, -1, 42)
	cp, err := o.Clone()
	if err != nil {
		t.Fatal(err)
	}
	cp.Str[0] = 'j'
	if string(o.Str) != "hello" || string(cp.Str) != "jello" || cp.LRU() != o.LRU() || ks.IdleTime(cp) != 42000 || cp.Type != keyspace.TypeString {
		t.Errorf("clone not independent: %q %q", o.Str, cp.Str)
	}

	l := &keyspace.Object{Type: keyspace.TypeList, Val: []string{"a"}}
	var nc keyspace.ErrNoCloner
	if _, err := l.Clone(); !errors.As(err, &nc) || nc.Type != keyspace.TypeList {
		t.Errorf("clone without cloner: %v", err)
	}
	keyspace.CloneValue[keyspace.TypeList] = func(v any) any { return append([]string(nil), v.([]string)...) }
	defer delete(keyspace.CloneValue, keyspace.TypeList)
	cl, err := l.Clone()
	if err != nil {
		t.Fatal(err)
	}
	cl.Val.([]string)[0] = "b"
	if l.Val.([]string)[0] != "a" {
		t.Error("list clone shares memory")
	}
	if got := l.Encoding(); got != "unknown" {
		t.Errorf("Encoding without hook = %s", got)
	}
	keyspace.EncodingOf[keyspace.TypeList] = func(any) string { return "quicklist" }
	defer delete(keyspace.EncodingOf, keyspace.TypeList)
	if got := l.Encoding(); got != "quicklist" {
		t.Errorf("Encoding = %s", got)
	}
}

func TestLookupNoTouchAndScanAll(t *testing.T) {
	ks := keyspace.New(1)
	ks.SetNow(1000)
	db := ks.DB(0)
	for i := 0; i < 100; i++ {
		db.Set([]byte("k"+strconv.Itoa(i)), keyspace.NewString([]byte("v")), false)
	}
	db.SetExpire([]byte("k0"), 1500)
	ks.SetNow(2000)

	o := db.LookupNoTouch([]byte("k1"))
	if o == nil || o.LRU() != 1 || ks.Hits != 1 {
		t.Fatalf("LookupNoTouch: %v hits=%d", o, ks.Hits)
	}
	if db.LookupNoTouch([]byte("nokey")) != nil || ks.Misses != 1 {
		t.Fatal("LookupNoTouch of a missing key")
	}

	// ScanAll still reports the expired key; ExpireIfNeeded removes it.
	seen := map[string]bool{}
	for cur := uint64(0); ; {
		cur = db.ScanAll(cur, func(k string) { seen[k] = true })
		if cur == 0 {
			break
		}
	}
	if len(seen) != 100 || !seen["k0"] {
		t.Fatalf("ScanAll saw %d keys", len(seen))
	}
	if db.ExpireIfNeeded([]byte("k1")) || !db.ExpireIfNeeded([]byte("k0")) || db.Len() != 99 {
		t.Fatalf("ExpireIfNeeded: len %d", db.Len())
	}
}

// TestSetString checks SetString against Set of a new object: the value,
// encoding flags and TTL of the result, inline or not.
func TestSetString(t *testing.T) {
	ks := keyspace.New(1)
	db := ks.DB(0)
	key := []byte("k")
	buf := []byte("abc")
	db.SetString(key, buf, false)
	buf[0] = 'x' // the value was copied
	if v, found, isString := db.LookupString(key); !found || !isString || string(v) != "abc" {
		t.Fatalf("LookupString %q %v %v", v, found, isString)
	}
	first := db.Peek(key) // now an object
	if string(first.Str) != "abc" {
		t.Fatalf("value %q", first.Str)
	}
	first.RawStr = true
	db.SetExpire(key, ks.Now()+100000)
	db.SetString(key, []byte("12"), false)
	if o := db.Peek(key); string(o.Str) != "12" || o.RawStr || o.Encoding() != "int" {
		t.Fatalf("shorter overwrite: %q raw %v enc %s", o.Str, o.RawStr, o.Encoding())
	}
	if string(first.Str) != "abc" {
		t.Fatalf("the replaced object changed: %q", first.Str)
	}
	if db.Expire(key) != -1 {
		t.Fatal("TTL kept without keepTTL")
	}
	db.SetExpire(key, ks.Now()+100000)
	db.SetString(key, []byte("xyz"), true)
	if db.Expire(key) == -1 {
		t.Fatal("TTL dropped with keepTTL")
	}
	long := []byte("a value longer than the embedded buffer")
	db.SetString(key, long, false)
	if o := db.Peek(key); string(o.Str) != string(long) || o.Encoding() != "embstr" {
		t.Fatalf("longer overwrite: %q %s", o.Str, o.Encoding())
	}
	huge := make([]byte, 5000)
	db.SetString(key, huge, false)
	if o := db.Peek(key); len(o.Str) != 5000 || o.Encoding() != "raw" {
		t.Fatalf("huge overwrite: %d %s", len(o.Str), o.Encoding())
	}
	db.SetString([]byte("other"), []byte("v"), false)
	if o := db.Peek([]byte("other")); o == nil || string(o.Str) != "v" {
		t.Fatal("new key")
	}
}
