package glob

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The table below was produced by loading redisSubjects as keys into an
// empty database of redis-server 7.0.15 and running KEYS with each pattern.

var redisSubjects = []string{
	"",
	"a",
	"b",
	"ab",
	"abc",
	"abd",
	"aXc",
	"hello",
	"hallo",
	"hxllo",
	"hllo",
	"heeeello",
	"A",
	"Z",
	"z",
	"-",
	"]",
	"^",
	"[",
	"\\",
	"*",
	"?",
	"a*b",
	"a?b",
	"a[b",
	"a]b",
	"a\\b",
	"foo:bar",
	"foo:1:baz",
	"user:1000",
	"\x00",
	"\xff",
	"\x80",
	"a\x00b",
	"\xe7",
	"_",
	"`",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"aab",
	"ba",
	"bab",
}

// redisKeysTable maps a pattern to a bit string: byte i is '1' when
// KEYS pattern returned redisSubjects[i] on redis-server 7.0.15.
var redisKeysTable = []struct{ pattern, want string }{
	{"*", "11111111111111111111111111111111111111111"},
	{"?", "01100000000011111111110000000011101110000"},
	{"??", "00010000000000000000000000000000000000010"},
	{"???", "00001110000000000000001111100000010000101"},
	{"a*", "01011110000000000000001111100000010001100"},
	{"*a", "01000000000000000000000000000000000001010"},
	{"*b", "00110000000000000000001111100000010000101"},
	{"a*b", "00010000000000000000001111100000010000100"},
	{"a?b", "00000000000000000000001111100000010000100"},
	{"a*c", "00001010000000000000000000000000000000000"},
	{"*b*", "00111100000000000000001111111000010000111"},
	{"**", "01111111111111111111111111111111111111111"},
	{"a**", "01011110000000000000001111100000010001100"},
	{"**b", "00110000000000000000001111100000010000101"},
	{"a*b*c", "00001000000000000000000000000000000000000"},
	{"h?llo", "00000001110000000000000000000000000000000"},
	{"h*llo", "00000001111100000000000000000000000000000"},
	{"h[ae]llo", "00000001100000000000000000000000000000000"},
	{"h[^e]llo", "00000000110000000000000000000000000000000"},
	{"h[a-b]llo", "00000000100000000000000000000000000000000"},
	{"h[b-a]llo", "00000000100000000000000000000000000000000"},
	{"h[^a-e]llo", "00000000010000000000000000000000000000000"},
	{"h[x]llo", "00000000010000000000000000000000000000000"},
	{"[abc]", "01100000000000000000000000000000000000000"},
	{"[^abc]", "00000000000011111111110000000011101110000"},
	{"[a-z]", "01100000000000100000000000000000000000000"},
	{"[z-a]", "01100000000000100000000000000000000000000"},
	{"[A-Z]", "00000000000011000000000000000000000000000"},
	{"[Z-a]", "01000000000001001111000000000000000110000"},
	{"[a-]", "01000000000000001100000000000000000110000"},
	{"[-a]", "01000000000000010000000000000000000000000"},
	{"[-]", "00000000000000010000000000000000000000000"},
	{"[]", "00000000000000000000000000000000000000000"},
	{"[]]", "00000000000000000000000000000000000000000"},
	{"[^]", "01100000000011111111110000000011101110000"},
	{"[", "00000000000000000000000000000000000000000"},
	{"[^", "01100000000011111111110000000011101110000"},
	{"[a", "01000000000000000000000000000000000000000"},
	{"[ab", "01100000000000000000000000000000000000000"},
	{"a[", "00000000000000000000000000000000000000000"},
	{"a[b", "00010000000000000000000000000000000000000"},
	{"a[]b", "00000000000000000000000000000000000000000"},
	{"a[]]b", "00000000000000000000000000000000000000000"},
	{"[\\]]", "00000000000000001000000000000000000000000"},
	{"[\\-]", "00000000000000010000000000000000000000000"},
	{"[a\\-z]", "01000000000000110000000000000000000000000"},
	{"[\\", "00000000000000000001000000000000000000000"},
	{"\\", "00000000000000000001000000000000000000000"},
	{"\\*", "00000000000000000000100000000000000000000"},
	{"\\?", "00000000000000000000010000000000000000000"},
	{"a\\*b", "00000000000000000000001000000000000000000"},
	{"a\\?b", "00000000000000000000000100000000000000000"},
	{"a\\[b", "00000000000000000000000010000000000000000"},
	{"a\\\\b", "00000000000000000000000000100000000000000"},
	{"a\\b", "00010000000000000000000000000000000000000"},
	{"\\a", "01000000000000000000000000000000000000000"},
	{"*\\", "00000000000000000001000000000000000000000"},
	{"[*]", "00000000000000000000100000000000000000000"},
	{"[?]", "00000000000000000000010000000000000000000"},
	{"a[*]b", "00000000000000000000001000000000000000000"},
	{"a[?]b", "00000000000000000000000100000000000000000"},
	{"[^-]", "01100000000011101111110000000011101110000"},
	{"[]-]", "00000000000000000000000000000000000000000"},
	{"[a-\xff]", "01000000000011011111110000000011000110000"},
	{"[\xff-a]", "01000000000011011111110000000011000110000"},
	{"[\x80-\xff]", "00000000000000000000000000000001101000000"},
	{"[\x00-a]", "01000000000011011111110000000010000110000"},
	{"[^\x00]", "01100000000011111111110000000001101110000"},
	{"a?*b", "00000000000000000000001111100000010000100"},
	{"a*?b", "00000000000000000000001111100000010000100"},
	{"*:*", "00000000000000000000000000011100000000000"},
	{"foo:*", "00000000000000000000000000011000000000000"},
	{"foo:?:*", "00000000000000000000000000001000000000000"},
	{"user:*", "00000000000000000000000000000100000000000"},
	{"user:[0-9]*", "00000000000000000000000000000100000000000"},
	{"*[0-9]", "00000000000000000000000000000100000000000"},
	{"[[]", "00000000000000000010000000000000000000000"},
	{"[[]*", "00000000000000000010000000000000000000000"},
	{"*]", "00000000000000001000000000000000000000000"},
	{"[]a]", "00000000000000000000000000000000000000000"},
	{"[!a]", "01000000000000000000000000000000000000000"},
	{"\x00", "00000000000000000000000000000010000000000"},
	{"a\x00b", "00000000000000000000000000000000010000000"},
	{"a?b*", "00000000000000000000001111100000010000100"},
	{"[a-c-e]", "01100000000000010000000000000000000000000"},
	{"[a-c-]", "01100000000000010000000000000000000000000"},
	{"[\\a-c]", "01000000000000010000000000000000000000000"},
	{"[a\\]", "01000000000000001000000000000000000000000"},
	{"?*?", "00011111111100000000001111111100010001111"},
	{"*?*?*", "00011111111100000000001111111100010001111"},
	{"b*", "00100000000000000000000000000000000000011"},
	{"*ab", "00010000000000000000000000000000000000101"},
	{"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "00000000000000000000000000000000000000000"},
	{"*a*a*a", "00000000000000000000000000000000000001000"},
	{"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", "00000000000000000000000000000000000001000"},
}

func TestRedisKeysTable(t *testing.T) {
	for _, tc := range redisKeysTable {
		if len(tc.want) != len(redisSubjects) {
			t.Fatalf("bad table row for %q", tc.pattern)
		}
		for i, s := range redisSubjects {
			want := tc.want[i] == '1'
			if tc.pattern == "*" {
				// KEYS short-circuits a lone "*" before calling
				// stringmatchlen, which itself rejects the empty key.
				want = s != ""
			}
			if got := MatchString(tc.pattern, s, false); got != want {
				t.Errorf("MatchString(%q, %q) = %v, want %v", tc.pattern, s, got, want)
			}
			if got := Match([]byte(tc.pattern), []byte(s), false); got != want {
				t.Errorf("Match(%q, %q) = %v, want %v", tc.pattern, s, got, want)
			}
		}
	}
}

// TestNocase covers case-insensitive matching. Expected values come from
// Redis's own stringmatchlen compiled from the 7.0.15 sources (nocase is not
// reachable with arbitrary subjects through KEYS).
func TestNocase(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"HELLO", "hello", true},
		{"h*O", "HellO", true},
		{"[A-C]", "b", true},
		{"[a-c]", "B", true},
		{"[^A-C]", "b", false},
		{"[Z-a]", "z", false}, // swapped, then lowered: 'z'..'a' is empty
		{"[Z-a]", "_", false},
		{"[a-Z]", "_", false},
		{"[\\A]", "a", false}, // escaped set members compare case-sensitively
		{"[\\A]", "A", true},
		{"\\A", "a", true},
		{"[\x80-Z]", "A", false}, // glibc tolower maps -128 to 128
		{"[\xff-a]", "a", true},  // tolower(-1) is EOF and stays -1
		{"[\xfe-a]", "a", false},
		{"?B?", "abc", true},
	}
	for _, tc := range tests {
		if got := MatchString(tc.pattern, tc.s, true); got != tc.want {
			t.Errorf("MatchString(%q, %q, nocase) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestNestingLimit(t *testing.T) {
	// 1000 '*' groups are fine; the 1001st recursion level exceeds the
	// limit and the match fails even though it would otherwise succeed.
	s := strings.Repeat("a", 3000)
	if !MatchString(strings.Repeat("*a", 1000), s, false) {
		t.Error("1000 star groups should match")
	}
	if MatchString(strings.Repeat("*a", 1001), s, false) {
		t.Error("1001 star groups should hit the nesting limit")
	}
	if MatchString("*", "", false) || MatchString("**", "", false) {
		t.Error(`"*" must not match the empty string (Redis callers special-case it)`)
	}
}

func TestCVE202236021(t *testing.T) {
	p := "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b"
	s := strings.Repeat("a", 40)
	start := time.Now()
	if MatchString(p, s, false) {
		t.Fatal("unexpected match")
	}
	if d := time.Since(start); d > 10*time.Millisecond {
		t.Fatalf("abusive pattern took %v", d)
	}
	// A much longer subject and pattern must still be quick.
	p = strings.Repeat("*a", 500) + "*b"
	s = strings.Repeat("a", 100000)
	start = time.Now()
	if MatchString(p, s, false) {
		t.Fatal("unexpected match")
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("abusive pattern took %v", d)
	}
}

func TestNoAlloc(t *testing.T) {
	p, s := []byte("user:[0-9]*:na?e"), []byte("user:1234:name")
	n := testing.AllocsPerRun(100, func() {
		if !Match(p, s, false) {
			t.Fatal("no match")
		}
	})
	if n != 0 {
		t.Fatalf("Match allocates %v times", n)
	}
}

// refMatch is an independent dynamic-programming matcher for patterns made
// only of literals, '?' and '*', where Redis semantics are plain globbing
// except that an empty subject only matches an empty pattern.
func refMatch(p, s []byte) bool {
	if len(s) == 0 {
		return len(p) == 0
	}
	// dp[j] reports whether p[:i] matches s[:j].
	dp := make([]bool, len(s)+1)
	dp[0] = true
	for i := 0; i < len(p); i++ {
		next := make([]bool, len(s)+1)
		switch p[i] {
		case '*':
			acc := false
			for j := 0; j <= len(s); j++ {
				acc = acc || dp[j]
				next[j] = acc
			}
		default:
			for j := 1; j <= len(s); j++ {
				next[j] = dp[j-1] && (p[i] == '?' || p[i] == s[j-1])
			}
		}
		dp = next
	}
	return dp[len(s)]
}

func asciiFold(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerByte(c)
	}
	return string(b)
}

func simplePattern(p []byte) bool {
	return !bytes.ContainsAny(p, "[\\") && bytes.Count(p, []byte("*")) < maxNesting
}

func FuzzMatch(f *testing.F) {
	for _, tc := range redisKeysTable {
		f.Add(tc.pattern, "hello", false)
		f.Add(tc.pattern, "aXc", true)
	}
	f.Fuzz(func(t *testing.T, pattern, s string, nocase bool) {
		got := Match([]byte(pattern), []byte(s), nocase)
		if MatchString(pattern, s, nocase) != got {
			t.Fatalf("Match and MatchString disagree on %q %q", pattern, s)
		}
		if !nocase && simplePattern([]byte(pattern)) {
			if want := refMatch([]byte(pattern), []byte(s)); got != want {
				t.Fatalf("Match(%q, %q) = %v, reference says %v", pattern, s, got, want)
			}
		}
		if !strings.ContainsAny(pattern, "*?[\\") && got != (pattern == s || nocase && asciiFold(pattern) == asciiFold(s)) {
			t.Fatalf("literal pattern %q vs %q: %v", pattern, s, got)
		}
	})
}

func BenchmarkMatchLiteralPrefix(b *testing.B) {
	p, s := []byte("user:*"), []byte("user:123456789")
	for b.Loop() {
		Match(p, s, false)
	}
}

func BenchmarkMatchClass(b *testing.B) {
	p, s := []byte("user:[0-9]*:n?me"), []byte("user:123456789:name")
	for b.Loop() {
		Match(p, s, false)
	}
}

func BenchmarkMatchCVE(b *testing.B) {
	p := []byte("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")
	s := bytes.Repeat([]byte("a"), 40)
	for b.Loop() {
		Match(p, s, false)
	}
}
