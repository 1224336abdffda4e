package splitargs

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string // nil means ErrUnbalanced
	}{
		{"", []string{}},
		{"   \t\r\n\v\f ", []string{}},
		{"set foo bar", []string{"set", "foo", "bar"}},
		{"  set   foo\tbar\r\n", []string{"set", "foo", "bar"}},
		{`"hello world"`, []string{"hello world"}},
		{`"a\x41\n"`, []string{"aA\n"}},
		{`"\xff\x00z"`, []string{"\xff\x00z"}},
		{`"\xFf"`, []string{"\xff"}},
		{`"\x4"`, []string{"x4"}},
		{`"\xzz"`, []string{"xzz"}},
		{`"\n\r\t\b\a\\\"\q"`, []string{"\n\r\t\b\a\\\"q"}},
		{`'a\'b'`, []string{"a'b"}},
		{`'a\nb'`, []string{`a\nb`}},
		{`'a"b'`, []string{`a"b`}},
		{`"a'b"`, []string{`a'b`}},
		{`a"b c"`, []string{"ab c"}},
		{`a'b c'`, []string{"ab c"}},
		{`"" ''`, []string{"", ""}},
		{`"a" "b"`, []string{"a", "b"}},
		{"\"a\"\vb", []string{"a", "b"}},
		{"a\vb", []string{"a\vb"}},
		{"a\fb c", []string{"a\fb", "c"}},
		{"\va", []string{"a"}},
		{"a\x00b c", []string{"a"}},
		{"\x00a", []string{}},
		{"\"a\x00\"", nil},
		{"\"a\"\x00b", []string{"a"}},
		{`"a"b`, nil},
		{`'a'b`, nil},
		{`"a"'b'`, nil},
		{`"abc`, nil},
		{`'abc`, nil},
		{`"abc\"`, nil},
		{`"abc\`, nil},
		{`'abc\'`, nil},
		{`set """test-key""" test-value`, nil},
		{`"\x`, nil},
		{`"\x4`, nil},
		{`"\x41`, nil},
		{"\xe2\x82\xac \"\xe2\x82\xac\"", []string{"€", "€"}},
	}
	for _, tc := range tests {
		got, err := Split(tc.in)
		if tc.want == nil {
			if !errors.Is(err, ErrUnbalanced) || got != nil {
				t.Errorf("Split(%q) = %q, %v; want ErrUnbalanced", tc.in, got, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		gb, err := SplitBytes([]byte(tc.in))
		if err != nil || gb == nil || len(gb) != len(tc.want) {
			t.Errorf("SplitBytes(%q) = %q, %v; want %q", tc.in, gb, err, tc.want)
			continue
		}
		for i := range gb {
			if string(gb[i]) != tc.want[i] {
				t.Errorf("SplitBytes(%q)[%d] = %q; want %q", tc.in, i, gb[i], tc.want[i])
			}
		}
	}
}

func TestAppendSplitReuse(t *testing.T) {
	line := []byte(`plain "quo ted" x'y z' last`)
	var dst [][]byte
	var scratch []byte
	for round := 0; round < 3; round++ {
		var err error
		dst, scratch, err = AppendSplit(dst[:0], scratch[:0], line)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"plain", "quo ted", "xy z", "last"}
		if len(dst) != len(want) {
			t.Fatalf("got %q", dst)
		}
		for i := range want {
			if string(dst[i]) != want[i] {
				t.Fatalf("token %d = %q; want %q", i, dst[i], want[i])
			}
		}
		// Unquoted tokens alias the line but cannot grow into it.
		if &dst[0][0] != &line[0] || cap(dst[0]) != len("plain") {
			t.Fatalf("plain token should alias line with limited capacity")
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		dst, scratch, _ = AppendSplit(dst[:0], scratch[:0], line)
	}); n != 0 {
		t.Errorf("AppendSplit allocates %v times per run; want 0", n)
	}
	// Errors leave dst and scratch at their original lengths.
	dst = append(dst[:0], []byte("keep"))
	scratch = append(scratch[:0], 'k')
	d2, s2, err := AppendSplit(dst, scratch, []byte(`a "b`))
	if err != ErrUnbalanced || len(d2) != 1 || len(s2) != 1 {
		t.Errorf("error path: %q %q %v", d2, s2, err)
	}
}

// quote renders s so that Split parses it back to s.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "a b c", `"a\x41" 'b\'c'`, `"unterminated`, `a"b"c`, "\x00", `"\`, `'\'`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		toks, err := Split(line)
		if err != nil {
			if err != ErrUnbalanced || toks != nil {
				t.Fatalf("Split(%q) = %q, %v", line, toks, err)
			}
			return
		}
		// SplitBytes agrees with Split.
		bt, err := SplitBytes([]byte(line))
		if err != nil || len(bt) != len(toks) {
			t.Fatalf("SplitBytes(%q) = %q, %v; Split gave %q", line, bt, err, toks)
		}
		for i := range bt {
			if !bytes.Equal(bt[i], []byte(toks[i])) {
				t.Fatalf("SplitBytes(%q)[%d] = %q; want %q", line, i, bt[i], toks[i])
			}
		}
		// Re-quoting every token round-trips.
		quoted := make([]string, len(toks))
		for i, tok := range toks {
			quoted[i] = quote(tok)
		}
		back, err := Split(strings.Join(quoted, " "))
		if err != nil || !reflect.DeepEqual(back, toks) {
			t.Fatalf("round trip of %q: got %q, %v", toks, back, err)
		}
	})
}
