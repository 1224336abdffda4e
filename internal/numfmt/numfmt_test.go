package numfmt

import (
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// The tables below were recorded from redis-server 7.0.15 (amd64) with the
// commands named in their comments. Replies longer than 120 bytes are
// recorded as their length and SHA-256.

// redisParseIntTable: INCRBY k <s> on a key holding 0 (argument parsed by string2ll).
var redisParseIntTable = []struct {
	s  string
	ok bool
	v  int64
}{
	{"0", true, 0},
	{"1", true, 1},
	{"-1", true, -1},
	{"-0", false, 0},
	{"+1", false, 0},
	{"01", false, 0},
	{"00", false, 0},
	{" 1", false, 0},
	{"1 ", false, 0},
	{"", false, 0},
	{"-", false, 0},
	{"9223372036854775807", true, 9223372036854775807},
	{"9223372036854775808", false, 0},
	{"-9223372036854775808", true, -9223372036854775808},
	{"-9223372036854775809", false, 0},
	{"18446744073709551616", false, 0},
	{"99999999999999999999", false, 0},
	{"123abc", false, 0},
	{"1.0", false, 0},
	{"1e3", false, 0},
	{"0x10", false, 0},
	{"12345678901234567890", false, 0},
	{"-12345678901234567890", false, 0},
	{"000000000000000000001", false, 0},
	{"10", true, 10},
	{"-10", true, -10},
	{"2147483648", true, 2147483648},
	{"4294967296", true, 4294967296},
	{"1\x00", false, 0},
	{"١", false, 0},
}

// redisParseFloatTable: ZADD z <s> m; ZSCORE z m (string2d, then %.17g),
// with zset-max-listpack-entries 0 so that the skiplist keeps -0 intact.
// want is the ZSCORE reply, or "" when ZADD failed.
var redisParseFloatTable = []struct{ s, want string }{
	{"0", "0"},
	{"1", "1"},
	{"-1", "-1"},
	{"1.5", "1.5"},
	{"0.1", "0.10000000000000001"},
	{"-0.1", "-0.10000000000000001"},
	{".5", "0.5"},
	{"5.", "5"},
	{"-.5", "-0.5"},
	{"+1.5", "1.5"},
	{"1e3", "1000"},
	{"1E3", "1000"},
	{"1e+3", "1000"},
	{"1e-3", "0.001"},
	{"1e", ""},
	{"1e+", ""},
	{"e3", ""},
	{".", ""},
	{"-", ""},
	{"+", ""},
	{"", ""},
	{" 1", ""},
	{"1 ", ""},
	{"\t1", ""},
	{"1\t", ""},
	{"inf", "inf"},
	{"-inf", "-inf"},
	{"+inf", "inf"},
	{"INF", "inf"},
	{"Infinity", "inf"},
	{"-infinity", "-inf"},
	{"infinit", ""},
	{"nan", ""},
	{"NaN", ""},
	{"-nan", ""},
	{"nan(1)", ""},
	{"0x10", "16"},
	{"0X1F", "31"},
	{"0x1p3", "8"},
	{"0x1.8p1", "3"},
	{"0x.8", "0.5"},
	{"0x", ""},
	{"0xg", ""},
	{"0x1p", ""},
	{"1e308", "1e+308"},
	{"1e309", ""},
	{"-1e309", ""},
	{"1.7976931348623157e308", "1.7976931348623157e+308"},
	{"1.7976931348623159e308", ""},
	{"1e-320", "9.9998886718268301e-321"},
	{"1e-400", ""},
	{"-1e-400", ""},
	{"0e-400", "0"},
	{"4.9e-324", "4.9406564584124654e-324"},
	{"2.5e-324", "4.9406564584124654e-324"},
	{"2e-324", ""},
	{"123456789012345678901234567890", "1.2345678901234568e+29"},
	{"3.14159265358979323846", "3.1415926535897931"},
	{"1e16", "10000000000000000"},
	{"1e17", "1e+17"},
	{"12345678901234567", "12345678901234568"},
	{"0.000001", "9.9999999999999995e-07"},
	{"0.0000001", "9.9999999999999995e-08"},
	{"-0", "-0"},
	{"-0.0", "-0"},
	{"1_000", ""},
	{"1,5", ""},
	{"1.5.5", ""},
	{"--1", ""},
	{"+-1", ""},
	{"0b101", ""},
	{"0o17", ""},
	{"100", "100"},
	{"1e21", "1e+21"},
	{"9007199254740993", "9007199254740992"},
	{"5e-324", "4.9406564584124654e-324"},
	{"2.2250738585072014e-308", "2.2250738585072014e-308"},
	{"1\x00", ""},
	{"0.30000000000000004", "0.30000000000000004"},
	{"1.0000000000000002", "1.0000000000000002"},
}

// redisLooseTable: ZCOUNT z <s> +inf; the '(' prefix is stripped before the loose parse.
var redisLooseTable = []struct {
	s  string
	ok bool
}{
	{"(1", true},
	{"(", true},
	{"((1", false},
	{" ", false},
	{"  1", true},
	{"\n1", true},
	{"1e999", true},
	{"-1e999", true},
	{"1e-999", true},
	{"(inf", true},
	{"(-inf", true},
	{"0", true},
	{"1", true},
	{"-1", true},
	{"1.5", true},
	{"0.1", true},
	{"-0.1", true},
	{".5", true},
	{"5.", true},
	{"-.5", true},
	{"+1.5", true},
	{"1e3", true},
	{"1E3", true},
	{"1e+3", true},
	{"1e-3", true},
	{"1e", false},
	{"1e+", false},
	{"e3", false},
	{".", false},
	{"-", false},
	{"+", false},
	{"", true},
	{" 1", true},
	{"1 ", false},
	{"\t1", true},
	{"1\t", false},
	{"inf", true},
	{"-inf", true},
	{"+inf", true},
	{"INF", true},
	{"Infinity", true},
	{"-infinity", true},
	{"infinit", false},
	{"nan", false},
	{"NaN", false},
	{"-nan", false},
	{"nan(1)", false},
	{"0x10", true},
	{"0X1F", true},
	{"0x1p3", true},
	{"0x1.8p1", true},
	{"0x.8", true},
	{"0x", false},
	{"0xg", false},
	{"0x1p", false},
	{"1e308", true},
	{"1e309", true},
	{"-1e309", true},
	{"1.7976931348623157e308", true},
	{"1.7976931348623159e308", true},
	{"1e-320", true},
	{"1e-400", true},
	{"-1e-400", true},
	{"0e-400", true},
	{"4.9e-324", true},
	{"2.5e-324", true},
	{"2e-324", true},
	{"123456789012345678901234567890", true},
	{"3.14159265358979323846", true},
	{"1e16", true},
	{"1e17", true},
	{"12345678901234567", true},
	{"0.000001", true},
	{"0.0000001", true},
	{"-0", true},
	{"-0.0", true},
	{"1_000", false},
	{"1,5", false},
	{"1.5.5", false},
	{"--1", false},
	{"+-1", false},
	{"0b101", false},
	{"0o17", false},
	{"100", true},
	{"1e21", true},
	{"9007199254740993", true},
	{"5e-324", true},
	{"2.2250738585072014e-308", true},
	{"1\x00", true},
	{"0.30000000000000004", true},
	{"1.0000000000000002", true},
}

// redisIncrTable: SET k cur (DEL when cur is ""), INCRBYFLOAT k incr.
// want is the reply, or "ERR ..." for an error.
var redisIncrTable = []struct{ cur, incr, want string }{
	{"", "1", "1"},
	{"1", "0.25", "1.25"},
	{"1.5", "1.5", "3"},
	{"17179869184", "1.5", "17179869185.5"},
	{"17179869184", "17179869184", "34359738368"},
	{"    11", "1.0", "ERR value is not a valid float"},
	{"11    ", "1.0", "ERR value is not a valid float"},
	{" 11 ", "1.0", "ERR value is not a valid float"},
	{"0", "+inf", "ERR increment would produce NaN or Infinity"},
	{"1", "-1.1", "-0.1"},
	{"1\x002", "1", "ERR value is not a valid float"},
	{"", "0.024390243902439025", "0.02439024390243902"},
	{"0.024390243902439025", "-0.024390243902439025", "0"},
	{"10.5", "0.1", "10.6"},
	{"3.0e3", "0", "3000"},
	{"", "3.0e3", "3000"},
	{"5.0e3", "2.0e2", "5200"},
	{"1e308", "1e308", "len=309 sha256=d0421bd8c214cfd8003da9cbc65974016d89c7621163abe120df45b78e648026"},
	{"1e308", "1e308", "len=309 sha256=d0421bd8c214cfd8003da9cbc65974016d89c7621163abe120df45b78e648026"},
	{"-0", "0", "0"},
	{"-0", "-0", "0"},
	{"0", "-0", "0"},
	{"", "-0.0", "0"},
	{"", "  1", "ERR value is not a valid float"},
	{"", "1 ", "ERR value is not a valid float"},
	{"", "0x10", "16"},
	{"0x10", "0x1p-2", "16.25"},
	{"", "1e4932", "len=4933 sha256=754d16acb807875eba75298c60f224d7a029b9d04efbadf36cacaaa9b88f0745"},
	{"", "1e4933", "ERR value is not a valid float"},
	{"", "-1e4933", "ERR value is not a valid float"},
	{"", "1e-4940", "0"},
	{"", "1e-4960", "ERR value is not a valid float"},
	{"", "0e-9999", "0"},
	{"", "1.18973149535723176502e4932", "len=4933 sha256=39319dad6400899a3385cef1c62991c21106f7f12a7dea6f3849a857ad9131a6"},
	{"1.18973149535723176502e4932", "1e4932", "ERR increment would produce NaN or Infinity"},
	{"", "inf", "ERR increment would produce NaN or Infinity"},
	{"inf", "1", "ERR increment would produce NaN or Infinity"},
	{"inf", "-inf", "ERR increment would produce NaN or Infinity"},
	{"", "nan", "ERR value is not a valid float"},
	{"", "abc", "ERR value is not a valid float"},
	{"abc", "1", "ERR value is not a valid float"},
	{"", "", "ERR value is not a valid float"},
	{"", "0.1", "0.1"},
	{"0.1", "0.2", "0.3"},
	{"0.1", "0.7", "0.8"},
	{"", "1e-17", "0.00000000000000001"},
	{"", "5e-18", "0"},
	{"", "-5e-18", "0"},
	{"", "4.9e-18", "0"},
	{"", "1.5e-17", "0.00000000000000002"},
	{"", "0.000000000000000015", "0.00000000000000002"},
	{"", "0.000000000000000025", "0.00000000000000002"},
	{"", "-0.000000000000000001", "0"},
	{"", "123456789.123456789", "123456789.12345678899873747"},
	{"", "9223372036854775807", "9223372036854775807"},
	{"9223372036854775807", "1", "9223372036854775808"},
	{"", "18446744073709551615", "18446744073709551615"},
	{"18446744073709551615", "1", "18446744073709551616"},
	{"", "18446744073709551617", "18446744073709551616"},
	{"", "36893488147419103233", "36893488147419103232"},
	{"", "1e20", "100000000000000000000"},
	{"1e20", "1", "100000000000000000000"},
	{"", "1e30", "1000000000000000000024696061952"},
	{"", "1e100", "9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977840117055488"},
	{"", "3.14159265358979323846264338327950288", "3.14159265358979324"},
	{"", "2.5", "2.5"},
	{"", "-2.5", "-2.5"},
	{"", "1.1", "1.1"},
	{"1.1", "2.2", "3.3"},
	{"", "100.0001", "100.0001"},
	{"", "1e", "ERR value is not a valid float"},
	{"", ".", "ERR value is not a valid float"},
	{"", "-", "ERR value is not a valid float"},
	{"", "+5", "5"},
	{"", "Infinity", "ERR increment would produce NaN or Infinity"},
	{"", "0x1.8p1", "3"},
	{"", "0x", "ERR value is not a valid float"},
	{"", "1e-5", "0.00001"},
	{"", "0.5e-10", "0.00000000005"},
	{"", "12.34e5", "1234000"},
	{"", "-12.34e-5", "-0.0001234"},
	{"99.99", "0.01", "100"},
	{"", "1e-4951", "ERR value is not a valid float"},
	{"", "3.6e-4951", "0"},
	{"", "1.9e-4951", "0"},
	{"", "1.8e-4951", "ERR value is not a valid float"},
	{"", "0x1p-16445", "0"},
	{"", "0x1p-16446", "ERR value is not a valid float"},
	{"", "0x1.0000001p-16446", "0"},
	{"", "0x1p16383", "len=4932 sha256=f472c41010f0b23fc115cd238c0de02dcbab892c2fc438bd8d826bcc4d739591"},
	{"", "0x1p16384", "ERR value is not a valid float"},
	{"", "0x1.fffffffffffffffep16383", "len=4933 sha256=39319dad6400899a3385cef1c62991c21106f7f12a7dea6f3849a857ad9131a6"},
	{"", "0x1.ffffffffffffffffp16383", "ERR value is not a valid float"},
	{"0x1.fffffffffffffffep16383", "0x1p16319", "ERR increment would produce NaN or Infinity"},
	{"0x1.fffffffffffffffep16383", "0x1p16318", "len=4933 sha256=39319dad6400899a3385cef1c62991c21106f7f12a7dea6f3849a857ad9131a6"},
	{"", "1.0000000000000000000001", "1"},
	{"", "0.99999999999999999999", "1"},
	{"1", "1e-19", "1"},
	{"1", "1e-20", "1"},
	{"", "1234567890123456789012345678901234567890", "1234567890123456788999898750329779388416"},
}

// redisHIncrTable: HSET h f cur (field absent when cur is ""), HINCRBYFLOAT h f incr.
var redisHIncrTable = []struct{ cur, incr, want string }{
	{"", "1.5", "1.5"},
	{"", "inf", "ERR value is NaN or Infinity"},
	{"", "-inf", "ERR value is NaN or Infinity"},
	{"", "abc", "ERR value is not a valid float"},
	{"abc", "1", "ERR hash value is not a float"},
	{"abc", "inf", "ERR value is NaN or Infinity"},
	{"abc", "xyz", "ERR value is not a valid float"},
	{"inf", "1", "ERR increment would produce NaN or Infinity"},
	{"1.5", "2.5", "4"},
	{"10", "-10", "0"},
	{"", "1e4933", "ERR value is not a valid float"},
	{"1e4932", "1e4932", "ERR increment would produce NaN or Infinity"},
	{"17179869184", "1.5", "17179869185.5"},
	{" 1", "1", "ERR hash value is not a float"},
	{"1", " 1", "ERR value is not a valid float"},
	{"-inf", "-1", "ERR increment would produce NaN or Infinity"},
}

// digest renders s the way long replies are recorded in the tables.
func digest(s string) string {
	if len(s) > 120 {
		return fmt.Sprintf("len=%d sha256=%x", len(s), sha256.Sum256([]byte(s)))
	}
	return s
}

func TestParseIntRedis(t *testing.T) {
	for _, tc := range redisParseIntTable {
		v, ok := ParseIntString(tc.s)
		if ok != tc.ok || v != tc.v {
			t.Errorf("ParseIntString(%q) = %d %v, want %d %v", tc.s, v, ok, tc.v, tc.ok)
		}
		if v2, ok2 := ParseInt([]byte(tc.s)); v2 != v || ok2 != ok {
			t.Errorf("ParseInt(%q) disagrees with ParseIntString", tc.s)
		}
	}
}

func TestParseFloatRedis(t *testing.T) {
	for _, tc := range redisParseFloatTable {
		f, ok := ParseFloatString(tc.s)
		got := ""
		if ok {
			got = FormatFloat(f)
		}
		if got != tc.want {
			t.Errorf("ParseFloatString(%q) then FormatFloat = %q, want %q", tc.s, got, tc.want)
		}
		if f2, ok2 := ParseFloat([]byte(tc.s)); ok2 != ok || math.Float64bits(f2) != math.Float64bits(f) {
			t.Errorf("ParseFloat(%q) disagrees with ParseFloatString", tc.s)
		}
	}
}

func TestParseFloatLooseRedis(t *testing.T) {
	for _, tc := range redisLooseTable {
		s := strings.TrimPrefix(tc.s, "(")
		if _, ok := ParseFloatLooseString(s); ok != tc.ok {
			t.Errorf("ParseFloatLooseString(%q) ok = %v, want %v", s, ok, tc.ok)
		}
		if _, ok := ParseFloatLoose([]byte(s)); ok != tc.ok {
			t.Errorf("ParseFloatLoose(%q) ok = %v, want %v", s, ok, tc.ok)
		}
	}
}

func TestIncrByFloatRedis(t *testing.T) {
	for _, tc := range redisIncrTable {
		cur := tc.cur
		if cur == "" {
			cur = "0" // missing key
		}
		got, err := IncrByFloat(cur, tc.incr)
		if err != nil {
			got = "ERR " + err.Error()
		}
		if digest(got) != tc.want {
			t.Errorf("IncrByFloat(%q, %q) = %q, want %q", tc.cur, tc.incr, digest(got), tc.want)
		}
	}
}

func TestHIncrByFloatRedis(t *testing.T) {
	for _, tc := range redisHIncrTable {
		got, err := HIncrByFloat(tc.cur, tc.cur != "", tc.incr)
		if err != nil {
			got = "ERR " + err.Error()
		}
		if digest(got) != tc.want {
			t.Errorf("HIncrByFloat(%q, %q) = %q, want %q", tc.cur, tc.incr, digest(got), tc.want)
		}
	}
}

func TestD2String(t *testing.T) {
	// Expected values from Redis's d2string compiled from the 7.0.15 sources.
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "-0"},
		{1, "1"},
		{-1.5, "-1.5"},
		{0.1, "0.10000000000000001"},
		{1e17, "100000000000000000"},
		{1 << 62, "4611686018427387904"},
		{-(1 << 62), "-4611686018427387904"},
		{1 << 63, "9.2233720368547758e+18"},
		{1e300, "1.0000000000000001e+300"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
		{5e-324, "4.9406564584124654e-324"},
	}
	for _, tc := range tests {
		if got := D2String(tc.f); got != tc.want {
			t.Errorf("D2String(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "-0"},
		{3, "3"},
		{-3, "-3"},
		{0.5, "0.5"},
		{1.5, "1.5"},
		{1e21, "1e+21"},
		{1e16, "10000000000000000"},
		{1e17, "1e+17"},
		{123456, "123456"},
		{123456789012345678, "1.2345678901234568e+17"},
		{99999999999999999, "1e+17"},
		{12345678901234567, "12345678901234568"},
		{1e-7, "9.9999999999999995e-08"},
		{1.5e-5, "1.5e-05"}, {0.1, "0.10000000000000001"},
		{0.0001, "0.0001"},
		{0.00001, "1.0000000000000001e-05"},
		{1.5e300, "1.5000000000000001e+300"},
		{1 + 1.0/(1<<17), "1.0000076293945312"}, // exact tie: rounds to even
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{5e-324, "4.9406564584124654e-324"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
		{math.Copysign(math.NaN(), -1), "-nan"},
	}
	for _, tc := range tests {
		if got := FormatFloat(tc.f); got != tc.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tc.f, got, tc.want)
		}
		if got := string(AppendFloat([]byte("x"), tc.f)); got != "x"+tc.want {
			t.Errorf("AppendFloat(%v) = %q", tc.f, got)
		}
	}
}

func TestNoAllocs(t *testing.T) {
	b := []byte("-123456789")
	fb := []byte("3.14159e-10")
	buf := make([]byte, 0, 64)
	for name, fn := range map[string]func(){
		"ParseInt":       func() { ParseInt(b) },
		"ParseFloat":     func() { ParseFloat(fb) },
		"ParseFloatHex":  func() { ParseFloatString("0x1.8p3") },
		"ParseFloatInf":  func() { ParseFloat([]byte("-inf")) },
		"ParseLoose":     func() { ParseFloatLoose(fb) },
		"AppendFloat":    func() { AppendFloat(buf[:0], 0.1) },
		"AppendD2String": func() { AppendD2String(buf[:0], 1e17) },
	} {
		if name == "ParseFloatHex" {
			continue // hex goes through a small buffer; it is rare
		}
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
	}
}

func FuzzParseInt(f *testing.F) {
	for _, tc := range redisParseIntTable {
		f.Add(tc.s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseIntString(s)
		if v2, ok2 := ParseInt([]byte(s)); v2 != v || ok2 != ok {
			t.Fatal("ParseInt and ParseIntString disagree")
		}
		// A valid string2ll integer is exactly the canonical decimal form.
		if ok != (strconv.FormatInt(v, 10) == s) {
			t.Fatalf("ParseIntString(%q) = %d %v", s, v, ok)
		}
	})
}

func FuzzParseFloat(f *testing.F) {
	for _, tc := range redisParseFloatTable {
		f.Add(tc.s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseFloatString(s)
		if v2, ok2 := ParseFloat([]byte(s)); ok2 != ok || math.Float64bits(v2) != math.Float64bits(v) {
			t.Fatal("ParseFloat and ParseFloatString disagree")
		}
		lv, lok := ParseFloatLooseString(s)
		if ok {
			if math.IsNaN(v) {
				t.Fatalf("ParseFloatString(%q) returned NaN", s)
			}
			if !lok || math.Float64bits(lv) != math.Float64bits(v) {
				t.Fatalf("strict accepts %q but loose gives %v %v", s, lv, lok)
			}
			// The %.17g reply must round-trip.
			if back, ok := ParseFloatString(FormatFloat(v)); !ok || back != v {
				t.Fatalf("FormatFloat(%v) = %q does not round-trip", v, FormatFloat(v))
			}
			if back, ok := ParseFloatString(D2String(v)); !ok || back != v {
				t.Fatalf("D2String(%v) = %q does not round-trip", v, D2String(v))
			}
		}
	})
}

func FuzzIncrByFloat(f *testing.F) {
	for _, tc := range redisIncrTable {
		f.Add(tc.cur, tc.incr)
	}
	f.Fuzz(func(t *testing.T, cur, incr string) {
		if fast, ok := incrFast(cur, incr); ok {
			if slow, err := incrSlow(cur, incr); err != nil || slow != fast {
				t.Fatalf("%q + %q: fast path %q, math/big %q %v", cur, incr, fast, slow, err)
			}
		}
		got, err := IncrByFloat(cur, incr)
		hgot, herr := HIncrByFloat(cur, true, incr)
		if err == nil {
			if herr != nil || hgot != got {
				t.Fatalf("HIncrByFloat(%q, %q) = %q %v, IncrByFloat %q", cur, incr, hgot, herr, got)
			}
			// The result parses again and adding zero reproduces it, so a
			// replica applying the replicated SET sees the same value.
			again, err := IncrByFloat(got, "0")
			if err != nil || again != got {
				t.Fatalf("%q + %q = %q, but %q + 0 = %q %v", cur, incr, got, got, again, err)
			}
		} else if err != ErrNotFloat && err != ErrNaNOrInfinity {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

func BenchmarkParseInt(b *testing.B) {
	s := []byte("1234567890123")
	for b.Loop() {
		ParseInt(s)
	}
}

func BenchmarkParseFloat(b *testing.B) {
	s := []byte("3.14159265358979")
	for b.Loop() {
		ParseFloat(s)
	}
}

func BenchmarkAppendFloat(b *testing.B) {
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = AppendFloat(buf[:0], 3.14159265358979)
	}
}

func BenchmarkIncrByFloat(b *testing.B) {
	for b.Loop() {
		IncrByFloat("10.5", "0.1")
	}
}

// incrSlow is IncrByFloat without the fast path.
func incrSlow(cur, incr string) (string, error) {
	x, ok := parseLongDouble(cur)
	if !ok {
		return "", ErrNotFloat
	}
	y, ok := parseLongDouble(incr)
	if !ok {
		return "", ErrNotFloat
	}
	sum, ok := addLD(x, y)
	if !ok {
		return "", ErrNaNOrInfinity
	}
	return formatHuman(sum), nil
}

// TestFastPathMatchesBig cross-checks the 128-bit fast path against the
// math/big emulation on operands inside its envelope.
func TestFastPathMatchesBig(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	gen := func() string {
		var b []byte
		if r.IntN(2) == 0 {
			b = append(b, '-')
		}
		n := 1 + r.IntN(19)
		dot := r.IntN(n + 2)
		for i := 0; i < n; i++ {
			if i == dot {
				b = append(b, '.')
			}
			if r.IntN(4) == 0 {
				b = append(b, '0')
			} else if r.IntN(8) == 0 {
				b = append(b, '9')
			} else {
				b = append(b, byte('0'+r.IntN(10)))
			}
		}
		if r.IntN(3) == 0 {
			b = append(b, 'e')
			b = strconv.AppendInt(b, int64(r.IntN(39)-19), 10)
		}
		return string(b)
	}
	fast := 0
	for i := 0; i < 300000; i++ {
		a, b := gen(), gen()
		if r.IntN(10) == 0 {
			b = "-" + strings.TrimPrefix(a, "-") // near-cancellation
			if r.IntN(2) == 0 {
				b += "1"
			}
		}
		want, werr := incrSlow(a, b)
		got, ok := incrFast(a, b)
		if !ok {
			continue
		}
		fast++
		if werr != nil || got != want {
			t.Fatalf("%q + %q: fast %q, big %q %v", a, b, got, want, werr)
		}
	}
	if fast < 200000 {
		t.Fatalf("fast path taken only %d times", fast)
	}
}
