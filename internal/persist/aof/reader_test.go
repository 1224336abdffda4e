package aof

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func readAll(data string) ([][][]byte, int64, error) {
	cr := NewCommandReader(strings.NewReader(data))
	var out [][][]byte
	for {
		args, err := cr.Next()
		if err == io.EOF {
			return out, cr.Offset(), nil
		}
		if err != nil {
			return out, cr.Offset(), err
		}
		out = append(out, args)
	}
}

func TestCommandReaderValid(t *testing.T) {
	data := "#TS:1700000000\r\n" + enc("SELECT", "0") + enc("SET", "k", "a\r\nb") + enc("SET", "", "") + "#x\n" + enc("PING")
	cmds, off, err := readAll(data)
	if err != nil {
		t.Fatal(err)
	}
	want := [][][]byte{cmd("SELECT", "0"), cmd("SET", "k", "a\r\nb"), cmd("SET", "", ""), cmd("PING")}
	if !reflect.DeepEqual(cmds, want) || off != int64(len(data)) {
		t.Fatalf("%q %d", cmds, off)
	}
}

func TestCommandReaderErrors(t *testing.T) {
	trunc := []string{"*", "*1", "*1\r", "*1\r\n", "*1\r\n$", "*1\r\n$3", "*1\r\n$3\r\n", "*1\r\n$3\r\nab", "*1\r\n$3\r\nabc", "*1\r\n$3\r\nabc\r",
		"*1\r\n$1099511627775\r\nabc"}
	for _, s := range trunc {
		if _, err := ParseCommand(bufio.NewReader(strings.NewReader(s))); !errors.Is(err, ErrTruncated) {
			t.Errorf("%q: %v, want truncated", s, err)
		}
	}
	bad := []string{"x", "\r\n", "*0\r\n", "*-1\r\n", "*x\r\n", "*1x", "*1\n$1\r\na\r\n", "*1\r\n+OK\r\n",
		"*1\r\n$-1\r\n", "*1\r\n$x\r\n", "*1\r\n$1\r\nab\r\n", "*1\r\n$1\r\na\n\n", "*1\r\n$1\r\nax",
		"*1\r\n$1099511627777\r\n", "*2147483648\r\n", "*" + strings.Repeat("1", 30) + "\r\n",
		"*1\r\n$" + strings.Repeat("0", 2000) + "1\r\n"}
	for _, s := range bad {
		_, err := ParseCommand(bufio.NewReader(strings.NewReader(s)))
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%q: %v, want format error", s, err)
		}
	}
	// The offset of a format error points at the bad bytes.
	_, _, err := readAll(enc("SET", "a", "b") + "garbage\r\n")
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Offset != int64(len(enc("SET", "a", "b"))) {
		t.Fatalf("%v", err)
	}
}

// TestCommandReaderNoGiantAllocation: a corrupt length claiming a huge
// bulk costs no more memory than the bytes that are really there.
func TestCommandReaderNoGiantAllocation(t *testing.T) {
	data := "*2\r\n$3\r\nSET\r\n$1000000000000\r\n" + strings.Repeat("x", 1000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseCommand(bufio.NewReader(strings.NewReader(data)))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Fatal(err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
		t.Fatalf("allocated %d bytes", d)
	}
	// argc is not trusted either.
	runtime.ReadMemStats(&before)
	_, err = ParseCommand(bufio.NewReader(strings.NewReader("*2147483647\r\n$1\r\na\r\n")))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Fatal(err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Fatalf("allocated %d bytes", d)
	}
}

func TestCommandReaderLargeBulk(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789"), 300000) // 3 MB: several growth steps
	data := string(AppendCommand(nil, [][]byte{[]byte("SET"), []byte("k"), big}))
	cmds, _, err := readAll(data)
	if err != nil || len(cmds) != 1 || !bytes.Equal(cmds[0][2], big) {
		t.Fatalf("%v", err)
	}
	for _, cut := range []int{len(data) - 1, len(data) - 2, len(data) - 3, len(data) - 2000000} {
		if _, _, err := readAll(data[:cut]); !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut %d: %v", cut, err)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	f.Add([]byte(enc("SET", "k", "v") + enc("SELECT", "1")))
	f.Add([]byte("#TS:1\r\n*1\r\n$4\r\nPING\r\n"))
	f.Add([]byte("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"))
	f.Add([]byte("*1\r\n$99999999999\r\nab"))
	f.Add([]byte("*2\r\n$1\r\na\r\n$0\r\n\r\n*-1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cr := NewCommandReader(bytes.NewReader(data))
		var last int64
		for {
			args, err := cr.Next()
			if err != nil {
				var fe *FormatError
				if err != io.EOF && !errors.Is(err, ErrTruncated) && !errors.As(err, &fe) {
					t.Fatalf("unexpected error %v", err)
				}
				if cr.Offset() > int64(len(data)) {
					t.Fatalf("offset %d past %d", cr.Offset(), len(data))
				}
				return
			}
			if len(args) == 0 {
				t.Fatal("empty command")
			}
			// The bytes consumed end with exactly this command, encoded
			// canonically or not; re-encoding must parse back the same.
			re := AppendCommand(nil, args)
			got, err := ParseCommand(bufio.NewReader(bytes.NewReader(re)))
			if err != nil || !reflect.DeepEqual(got, args) {
				t.Fatalf("re-parse %q: %v", re, err)
			}
			if cr.Offset() <= last {
				t.Fatal("no progress")
			}
			last = cr.Offset()
		}
	})
}
