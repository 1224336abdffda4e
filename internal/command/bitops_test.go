package command_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Tests of the bitmap commands; the harness (stRun, stEnv) is in
// strings_test.go.

const (
	errBitOffset = "ERR bit offset is not an integer or out of range"
	errBitValue  = "ERR bit is not an integer or out of range"
	errNotInt    = "ERR value is not an integer or out of range"
	errSyntax    = "ERR syntax error"
	errBFType    = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."
)

func TestBitSetbitGetbit(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.int(0, "GETBIT", "k", "0")
		e.int(0, "GETBIT", "k", "100")
		e.int(0, "SETBIT", "k", "7", "1")
		e.bulk("\x01", "GET", "k")
		e.int(1, "SETBIT", "k", "7", "1")
		e.int(1, "SETBIT", "k", "7", "0")
		e.bulk("\x00", "GET", "k")
		e.int(0, "SETBIT", "k", "0", "1")
		e.int(0, "SETBIT", "k", "17", "1")
		e.bulk("\x80\x00\x40", "GET", "k")
		e.int(1, "GETBIT", "k", "0")
		e.int(0, "GETBIT", "k", "1")
		e.int(1, "GETBIT", "k", "17")
		e.int(0, "GETBIT", "k", "24")
		e.int(0, "GETBIT", "k", "4294967295")
		// Growing with a zero bit still pads the string.
		e.int(0, "SETBIT", "k", "39", "0")
		e.int(5, "STRLEN", "k")
		// Bits of an existing string; "1" is 0x31 = 00110001.
		e.ok("SET", "s", "1")
		for i, want := range []int64{0, 0, 1, 1, 0, 0, 0, 1} {
			e.int(want, "GETBIT", "s", strconv.Itoa(i))
		}
		e.int(0, "SETBIT", "s", "6", "1")
		e.bulk("3", "GET", "s")
		e.ok("SET", "t", "x", "EX", "100")
		e.int(0, "SETBIT", "t", "100", "1")
		e.expectTTL("t", 98000, 100000)

		for _, off := range []string{"-1", "abc", "1.5", "", " 1", "4294967296", "9223372036854775807", "#1"} {
			e.err(errBitOffset, "SETBIT", "k", off, "1")
			e.err(errBitOffset, "GETBIT", "k", off)
		}
		for _, v := range []string{"2", "-1", "abc", "", "10", "1.0"} {
			e.err(errBitValue, "SETBIT", "k", "0", v)
		}
		// The offset is checked first, then the value, then the type.
		e.err(errBitOffset, "SETBIT", "k", "-1", "5")
		e.nonString("h")
		e.err(errBitValue, "SETBIT", "h", "0", "5")
		e.wrongType("SETBIT", "h", "0", "1")
		e.wrongType("GETBIT", "h", "0")
		e.err(errBitOffset, "GETBIT", "h", "x")
		e.int(0, "EXISTS", "never")
		e.err(errBitValue, "SETBIT", "never", "0", "2")
		e.int(0, "EXISTS", "never")
	})
}

func TestBitSetbitPropagation(t *testing.T) {
	stRun(t, func(e *stEnv) {
		if e.oracle() {
			return
		}
		f := e.feed()
		e.int(0, "SETBIT", "k", "3", "1")
		e.int(1, "SETBIT", "k", "3", "1")  // no change
		e.int(0, "SETBIT", "k", "2", "0")  // no change
		e.int(0, "SETBIT", "k", "15", "0") // grows
		expectProp(t, f, "SETBIT k 3 1", "SETBIT k 15 0")
		e.int(2, "BITOP", "NOT", "d", "k")
		e.int(0, "BITOP", "AND", "d", "missing")
		e.int(0, "BITOP", "AND", "d", "missing")
		expectProp(t, f, "BITOP NOT d k", "BITOP AND d missing")
		e.expect("[:0 :0]", "BITFIELD", "k", "GET", "u4", "4", "SET", "u4", "4", "0")
		e.expect("[:0]", "BITFIELD", "k", "GET", "u4", "4")
		e.expect("[:1]", "BITFIELD_RO", "k", "GET", "u4", "0")
		e.expect("[:1]", "BITFIELD", "k", "INCRBY", "u4", "4", "1")
		expectProp(t, f, "BITFIELD k INCRBY u4 4 1")
		e.expect("[:0]", "BITFIELD", "new", "SET", "u4", "0", "0") // creates the key
		expectProp(t, f, "BITFIELD new SET u4 0 0")
	})
}

func TestBitcount(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.int(0, "BITCOUNT", "missing")
		e.int(0, "BITCOUNT", "missing", "0", "-1")
		e.int(0, "BITCOUNT", "missing", "a", "b")
		e.int(0, "BITCOUNT", "missing", "1")
		e.ok("SET", "k", "foobar")
		for _, c := range []struct {
			args []string
			want int64
		}{
			{nil, 26}, {[]string{"0", "0"}, 4}, {[]string{"1", "1"}, 6}, {[]string{"1", "1", "BYTE"}, 6},
			{[]string{"5", "30", "BIT"}, 17}, {[]string{"0", "-1"}, 26}, {[]string{"-2", "-1"}, 7},
			{[]string{"-1", "-2"}, 0}, {[]string{"-1", "-2", "foo"}, 0}, {[]string{"2", "1"}, 0},
			{[]string{"0", "1000"}, 26}, {[]string{"-1000", "0"}, 4}, {[]string{"6", "10"}, 0},
			{[]string{"0", "0", "bit"}, 0}, {[]string{"1", "1", "bit"}, 1}, {[]string{"0", "7", "BIT"}, 4},
			{[]string{"-1", "-1", "BIT"}, 0}, {[]string{"-8", "-1", "BIT"}, 4}, {[]string{"3", "12", "BIT"}, 5},
			{[]string{"0", "-1", "BIT"}, 26}, {[]string{"-100", "100", "bit"}, 26}, {[]string{"9", "9", "BIT"}, 1},
		} {
			e.int(c.want, append([]string{"BITCOUNT", "k"}, c.args...)...)
		}
		e.err(errSyntax, "BITCOUNT", "k", "0")
		e.err(errSyntax, "BITCOUNT", "k", "0", "1", "BIT", "x")
		e.err(errSyntax, "BITCOUNT", "k", "0", "1", "bits")
		e.err(errNotInt, "BITCOUNT", "k", "a", "1")
		e.err(errNotInt, "BITCOUNT", "k", "0", "1.5", "BIT")
		e.ok("SET", "empty", "")
		e.int(0, "BITCOUNT", "empty")
		e.int(0, "BITCOUNT", "empty", "0", "-1", "BIT")
		e.nonString("h")
		e.wrongType("BITCOUNT", "h")
		e.wrongType("BITCOUNT", "h", "a", "b")
	})
}

// refBitpos is a bit-by-bit model of BITPOS over s.
func refBitpos(s []byte, bit int, args []string) int64 {
	n := int64(len(s))
	isBit := len(args) == 3 && strings.EqualFold(args[2], "bit")
	total := n
	if isBit {
		total = n * 8
	}
	start, end := int64(0), total-1
	if len(args) >= 1 {
		start, _ = strconv.ParseInt(args[0], 10, 64)
	}
	endGiven := len(args) >= 2
	if endGiven {
		end, _ = strconv.ParseInt(args[1], 10, 64)
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	if end >= total {
		end = total - 1
	}
	if start > end {
		return -1
	}
	if !isBit {
		start, end = start*8, end*8+7
	}
	for i := start; i <= end; i++ {
		if int(s[i/8]>>(7-i%8)&1) == bit {
			return i
		}
	}
	if bit == 1 || endGiven {
		return -1
	}
	return end + 1
}

func TestBitpos(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.int(-1, "BITPOS", "missing", "1")
		e.int(0, "BITPOS", "missing", "0")
		e.int(0, "BITPOS", "missing", "0", "5", "x", "y")
		e.ok("SET", "a", "\xff\xf0\x00")
		e.int(12, "BITPOS", "a", "0")
		e.ok("SET", "b", "\x00\xff\xf0")
		e.int(8, "BITPOS", "b", "1", "0")
		e.int(16, "BITPOS", "b", "1", "2")
		e.int(16, "BITPOS", "b", "1", "2", "-1", "BYTE")
		e.int(8, "BITPOS", "b", "1", "7", "15", "BIT")
		e.int(8, "BITPOS", "b", "1", "7", "-3", "bit")
		e.ok("SET", "ones", "\xff\xff\xff")
		e.int(24, "BITPOS", "ones", "0")
		e.int(24, "BITPOS", "ones", "0", "1")
		e.int(-1, "BITPOS", "ones", "0", "0", "-1")
		e.int(-1, "BITPOS", "ones", "0", "0", "-1", "BIT")
		e.err(errNotInt, "BITPOS", "ones", "0", "0", "", "BIT")
		e.int(-1, "BITPOS", "ones", "1", "5")
		e.ok("SET", "empty", "")
		e.int(-1, "BITPOS", "empty", "1")
		e.int(-1, "BITPOS", "empty", "0")
		e.int(-1, "BITPOS", "empty", "0", "0", "-1", "BIT")

		e.err("ERR The bit argument must be 1 or 0.", "BITPOS", "a", "2")
		e.err("ERR The bit argument must be 1 or 0.", "BITPOS", "missing", "-1")
		e.err(errNotInt, "BITPOS", "a", "x")
		e.err(errNotInt, "BITPOS", "a", "1", "x")
		e.err(errNotInt, "BITPOS", "a", "1", "0", "x")
		e.err(errSyntax, "BITPOS", "a", "1", "0", "1", "BITS")
		e.err(errSyntax, "BITPOS", "a", "1", "0", "x", "BITS")
		e.err(errNotInt, "BITPOS", "a", "1", "0", "x", "BIT")
		e.err(errSyntax, "BITPOS", "a", "1", "0", "1", "BIT", "extra")
		e.nonString("h")
		e.wrongType("BITPOS", "h", "1")
		e.wrongType("BITPOS", "h", "0", "x")
		e.err("ERR The bit argument must be 1 or 0.", "BITPOS", "h", "3")
	})
}

func TestBitposModel(t *testing.T) {
	// Many strings, ranges and units against a bit-by-bit model.
	stRun(t, func(e *stEnv) {
		seed := uint32(11)
		rnd := func(n int) int {
			seed = seed*1664525 + 1013904223
			return int(seed>>8) % n
		}
		pattern := []byte{0x00, 0xff, 0x80, 0x01, 0x7f, 0xfe, 0x10}
		for iter := 0; iter < 150; iter++ {
			s := make([]byte, rnd(20))
			for i := range s {
				s[i] = pattern[rnd(len(pattern))]
			}
			e.ok("SET", "k", string(s))
			span := len(s)*8 + 4
			num := func() string { return strconv.Itoa(rnd(2*span+1) - span) }
			for q := 0; q < 6; q++ {
				bit := rnd(2)
				var args []string
				switch rnd(4) {
				case 1:
					args = []string{num()}
				case 2:
					args = []string{num(), num()}
				case 3:
					args = []string{num(), num(), []string{"BIT", "BYTE"}[rnd(2)]}
				}
				want := refBitpos(s, bit, args)
				e.int(want, append([]string{"BITPOS", "k", strconv.Itoa(bit)}, args...)...)
			}
		}
	})
}

func TestBitop(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.ok("MSET", "a", "\xff\x0f\xaa", "b", "\x0f\xf0")
		e.int(3, "BITOP", "AND", "d", "a", "b")
		e.bulk("\x0f\x00\x00", "GET", "d")
		e.int(3, "BITOP", "or", "d", "a", "b")
		e.bulk("\xff\xff\xaa", "GET", "d")
		e.int(3, "BITOP", "Xor", "d", "a", "b")
		e.bulk("\xf0\xff\xaa", "GET", "d")
		e.int(3, "BITOP", "NOT", "d", "a")
		e.bulk("\x00\xf0U", "GET", "d")
		e.int(3, "BITOP", "AND", "d", "a", "missing")
		e.bulk("\x00\x00\x00", "GET", "d")
		e.int(3, "BITOP", "OR", "d", "missing", "a")
		e.bulk("\xff\x0f\xaa", "GET", "d")
		e.int(3, "BITOP", "XOR", "d", "a", "a", "a")
		e.bulk("\xff\x0f\xaa", "GET", "d")
		e.int(3, "BITOP", "AND", "a", "a", "a")
		e.bulk("\xff\x0f\xaa", "GET", "a")
		// Long inputs exercise any word-at-a-time path.
		long1 := strings.Repeat("Z\xa5\xff\x00", 40)
		long2 := strings.Repeat("\x0f", 100)
		e.ok("MSET", "l1", long1, "l2", long2)
		e.int(160, "BITOP", "AND", "d", "l1", "l2")
		var want []byte
		for i := 0; i < 160; i++ {
			var y byte
			if i < 100 {
				y = 0x0f
			}
			want = append(want, long1[i]&y)
		}
		e.bulk(string(want), "GET", "d")

		// The target loses its TTL; an all-empty result deletes it.
		e.ok("SET", "d", "x", "EX", "100")
		e.int(3, "BITOP", "NOT", "d", "a")
		e.expectTTL("d", -1, -1)
		e.int(0, "BITOP", "AND", "d", "missing", "missing2")
		e.int(0, "EXISTS", "d")
		e.ok("SET", "empty", "")
		e.int(0, "BITOP", "NOT", "d", "empty")
		e.int(0, "EXISTS", "d")
		e.nonString("h")
		e.int(0, "BITOP", "OR", "h", "missing")
		e.int(0, "EXISTS", "h")

		e.err(errSyntax, "BITOP", "NAND", "d", "a")
		e.err("ERR BITOP NOT must be called with a single source key.", "BITOP", "NOT", "d", "a", "b")
		e.nonString("h")
		e.wrongType("BITOP", "AND", "d", "a", "h")
		e.wrongType("BITOP", "NOT", "d", "h")
		e.int(3, "BITOP", "OR", "h", "a") // the target may hold any type
		e.bulk("\xff\x0f\xaa", "GET", "h")
		e.err("ERR wrong number of arguments for 'bitop' command", "BITOP", "AND", "d")
	})
}

func TestBitfield(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.expect("[]", "BITFIELD", "k")
		e.int(0, "EXISTS", "k")
		e.expect("[:0 :0]", "BITFIELD", "k", "GET", "u8", "0", "GET", "i64", "1000")
		e.int(0, "EXISTS", "k")
		e.expect("[:0]", "BITFIELD", "k", "SET", "i8", "0", "-100")
		e.expect("[:-100 :156]", "BITFIELD", "k", "GET", "i8", "0", "GET", "u8", "0")
		e.expect("[:156]", "BITFIELD", "k", "SET", "u8", "0", "255")
		e.expect("[:255 :-1 :15 :1]", "BITFIELD", "k", "GET", "u8", "0", "GET", "i8", "0", "GET", "u4", "4", "GET", "u1", "7")
		e.bulk("\xff", "GET", "k")
		// Unaligned fields and # offsets.
		e.expect("[:0 :0]", "BITFIELD", "b", "SET", "u5", "7", "23", "SET", "u8", "#2", "170")
		e.expect("[:23 :170 :170]", "BITFIELD", "b", "GET", "u5", "7", "GET", "u8", "#2", "GET", "u8", "16")
		e.bulk("\x01p\xaa", "GET", "b")
		e.expect("[:0]", "BITFIELD", "w", "SET", "i64", "0", "-9223372036854775808")
		e.expect("[:-9223372036854775808 :0]", "BITFIELD", "w", "GET", "i64", "0", "GET", "u63", "1")

		// INCRBY with the three overflow modes.
		e.expect("[:100]", "BITFIELD", "c", "INCRBY", "u8", "0", "100")
		e.expect("[:200]", "BITFIELD", "c", "INCRBY", "u8", "0", "100")
		e.expect("[:44]", "BITFIELD", "c", "INCRBY", "u8", "0", "100")
		e.expect("[:255 $(nil) :0]", "BITFIELD", "c", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "1000",
			"OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1", "OVERFLOW", "sat", "INCRBY", "u8", "0", "-300")
		e.expect("[:127 :-128 :-128]", "BITFIELD", "s", "INCRBY", "i8", "0", "127",
			"INCRBY", "i8", "0", "1", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000")
		e.expect("[$(nil) :127]", "BITFIELD", "s", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "-1", "OVERFLOW", "WRAP", "INCRBY", "i8", "0", "-1")
		// SET applies the overflow mode to the value stored; it returns the
		// old value.
		e.expect("[:127 :255 :44]", "BITFIELD", "s", "SET", "i8", "0", "255", "SET", "u8", "0", "300", "GET", "u8", "0")
		e.expect("[:44 :255 $(nil) :255]", "BITFIELD", "s", "OVERFLOW", "SAT", "SET", "u8", "0", "300",
			"SET", "u8", "0", "-5", "OVERFLOW", "FAIL", "SET", "u8", "0", "256", "GET", "u8", "0")
		e.expect("[:-1 :127]", "BITFIELD", "s", "OVERFLOW", "SAT", "SET", "i8", "0", "1000", "GET", "i8", "0")
		e.expect("[:9223372036854775807]", "BITFIELD", "big", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "9223372036854775807")
		e.expect("[:9223372036854775807 :-2]", "BITFIELD", "big", "OVERFLOW", "SAT", "INCRBY", "i64", "0", "1",
			"OVERFLOW", "WRAP", "INCRBY", "i64", "0", "9223372036854775807")
		e.expect("[$(nil) :-2]", "BITFIELD", "big", "OVERFLOW", "FAIL", "INCRBY", "i64", "0", "-9223372036854775807", "GET", "i64", "0")
		e.expect("[:9223372036854775807 :0]", "BITFIELD", "u63", "INCRBY", "u63", "0", "9223372036854775807", "INCRBY", "u63", "0", "1")

		// Errors, checked left to right before anything runs.
		e.ok("SET", "k", "\x0f")
		for _, typ := range []string{"u64", "i65", "i0", "u0", "x8", "8", "", "i", "u-1", "I8", "U8", "i 8", "i08"} {
			e.err(errBFType, "BITFIELD", "k", "GET", typ, "0")
		}
		for _, off := range []string{"-1", "abc", "#-1", "#x", "##1", "4294967296", "#536870912"} {
			e.err(errBitOffset, "BITFIELD", "k", "GET", "u8", off)
		}
		e.err(errNotInt, "BITFIELD", "k", "SET", "u8", "0", "x")
		e.err(errNotInt, "BITFIELD", "k", "INCRBY", "u8", "0", "1.5")
		e.err("ERR Invalid OVERFLOW type specified", "BITFIELD", "k", "OVERFLOW", "SATURATE", "GET", "u8", "0")
		e.err(errSyntax, "BITFIELD", "k", "GET", "u8")
		e.err(errSyntax, "BITFIELD", "k", "SET", "u8", "0")
		e.err(errSyntax, "BITFIELD", "k", "OVERFLOW")
		e.err(errSyntax, "BITFIELD", "k", "FOO", "u8", "0")
		e.err(errSyntax, "BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u8")
		e.bulk("\x0f", "GET", "k") // the valid SET before the error did not run
		e.nonString("h")
		e.wrongType("BITFIELD", "h", "GET", "u8", "0")
		e.wrongType("BITFIELD", "h", "SET", "u8", "0", "1")
		e.err(errBFType, "BITFIELD", "h", "GET", "u64", "0")
		e.wrongType("BITFIELD", "h")
		e.wrongType("BITFIELD_RO", "h", "GET", "u8", "0")
	})
}

func TestBitfieldRO(t *testing.T) {
	stRun(t, func(e *stEnv) {
		e.expect("[]", "BITFIELD_RO", "k")
		e.expect("[:0]", "BITFIELD_RO", "k", "GET", "u8", "0")
		e.ok("SET", "k", "\x80\x01")
		e.expect("[:128 :-128 :1 :1]", "BITFIELD_RO", "k", "GET", "u8", "0", "GET", "i8", "0", "GET", "u8", "#1", "GET", "u9", "7")
		ro := "ERR BITFIELD_RO only supports the GET subcommand"
		e.err(ro, "BITFIELD_RO", "k", "SET", "u8", "0", "1")
		e.err(ro, "BITFIELD_RO", "k", "GET", "u8", "0", "INCRBY", "u8", "0", "1")
		e.err(ro, "BITFIELD_RO", "missing", "INCRBY", "u8", "0", "1")
		e.expect("[:128]", "BITFIELD_RO", "k", "OVERFLOW", "FAIL", "GET", "u8", "0")
		// Argument errors come before the read-only check.
		e.err(errNotInt, "BITFIELD_RO", "k", "SET", "u8", "0", "x")
		e.err(errBFType, "BITFIELD_RO", "k", "SET", "u64", "0", "1")
		e.bulk("\x80\x01", "GET", "k")
		e.int(0, "EXISTS", "missing")
	})
}

// refBitfield is a model of the bitmap as a bit slice for BITFIELD.
type refBitfield []byte

func (r refBitfield) get(off, bits int) uint64 {
	var v uint64
	for i := 0; i < bits; i++ {
		var b uint64
		if (off+i)/8 < len(r) {
			b = uint64(r[(off+i)/8]>>(7-(off+i)%8)) & 1
		}
		v = v<<1 | b
	}
	return v
}

func TestBitfieldModel(t *testing.T) {
	// Random SET/INCRBY/GET on fields of random widths, against a model
	// using plain integer arithmetic and big-enough ranges.
	stRun(t, func(e *stEnv) {
		seed := uint32(5)
		rnd := func(n int) int {
			seed = seed*1664525 + 1013904223
			return int(seed>>8) % n
		}
		var bitmap refBitfield
		grow := func(off, bits int) {
			for len(bitmap)*8 < off+bits {
				bitmap = append(bitmap, 0)
			}
		}
		set := func(off, bits int, v uint64) {
			for i := 0; i < bits; i++ {
				bit := byte(v>>(bits-1-i)) & 1
				p := off + i
				bitmap[p/8] = bitmap[p/8]&^(1<<(7-p%8)) | bit<<(7-p%8)
			}
		}
		for iter := 0; iter < 300; iter++ {
			signed := rnd(2) == 0
			bits := 1 + rnd(16)
			off := rnd(40)
			typ := "u"
			lo, hi := int64(0), int64(1)<<bits-1
			if signed {
				typ = "i"
				lo, hi = -(int64(1) << (bits - 1)), int64(1)<<(bits-1)-1
			}
			typ += strconv.Itoa(bits)
			raw := bitmap.get(off, bits)
			old := int64(raw)
			if signed && raw>>(bits-1) == 1 {
				old = int64(raw) - int64(1)<<bits
			}
			mode := []string{"WRAP", "SAT", "FAIL"}[rnd(3)]
			wrap := func(v int64) int64 {
				span := hi - lo + 1
				return ((v-lo)%span+span)%span + lo
			}
			clamp := func(v int64) (int64, bool) {
				switch {
				case v > hi:
					return hi, true
				case v < lo:
					return lo, true
				}
				return v, false
			}
			switch rnd(3) {
			case 0:
				e.expect(fmt.Sprintf("[:%d]", old), "BITFIELD", "k", "GET", typ, strconv.Itoa(off))
			case 1:
				grow(off, bits) // even a failing write pads the string
				incr := int64(rnd(1<<(bits+1))) - int64(1)<<bits
				sum := old + incr
				nv, over := clamp(sum)
				if mode == "WRAP" {
					nv = wrap(sum)
				}
				if over && mode == "FAIL" {
					e.expect("[$(nil)]", "BITFIELD", "k", "OVERFLOW", mode, "INCRBY", typ, strconv.Itoa(off), strconv.FormatInt(incr, 10))
					continue
				}
				e.expect(fmt.Sprintf("[:%d]", nv), "BITFIELD", "k", "OVERFLOW", mode, "INCRBY", typ, strconv.Itoa(off), strconv.FormatInt(incr, 10))
				set(off, bits, uint64(nv))
			default:
				grow(off, bits)
				v := int64(rnd(1<<(bits+1))) - int64(1)<<bits
				nv, over := clamp(v)
				if !signed && v < 0 && mode == "SAT" {
					nv = hi // a negative value is a huge unsigned one
				}
				if mode == "WRAP" {
					nv = wrap(v)
				}
				if over && mode == "FAIL" {
					e.expect("[$(nil)]", "BITFIELD", "k", "OVERFLOW", mode, "SET", typ, strconv.Itoa(off), strconv.FormatInt(v, 10))
					continue
				}
				e.expect(fmt.Sprintf("[:%d]", old), "BITFIELD", "k", "OVERFLOW", mode, "SET", typ, strconv.Itoa(off), strconv.FormatInt(v, 10))
				set(off, bits, uint64(nv))
			}
		}
		e.bulk(string(bitmap), "GET", "k")
	})
}

func TestBitopModel(t *testing.T) {
	stRun(t, func(e *stEnv) {
		seed := uint32(3)
		rnd := func(n int) int {
			seed = seed*1664525 + 1013904223
			return int(seed>>8) % n
		}
		for iter := 0; iter < 40; iter++ {
			n := 1 + rnd(4)
			srcs := make([]string, n)
			args := []string{"", "dest"}
			for i := range srcs {
				b := make([]byte, rnd(30))
				for j := range b {
					b[j] = byte(rnd(256))
				}
				srcs[i] = string(b)
				key := fmt.Sprintf("s%d", i)
				e.ok("SET", key, srcs[i])
				args = append(args, key)
			}
			maxLen := 0
			for _, s := range srcs {
				maxLen = max(maxLen, len(s))
			}
			at := func(s string, i int) byte {
				if i < len(s) {
					return s[i]
				}
				return 0
			}
			for _, op := range []string{"AND", "OR", "XOR", "NOT"} {
				if op == "NOT" && n > 1 {
					continue
				}
				want := make([]byte, maxLen)
				for i := range want {
					x := at(srcs[0], i)
					for _, s := range srcs[1:] {
						switch op {
						case "AND":
							x &= at(s, i)
						case "OR":
							x |= at(s, i)
						case "XOR":
							x ^= at(s, i)
						}
					}
					if op == "NOT" {
						x = ^x
					}
					want[i] = x
				}
				args[0] = op
				e.int(int64(maxLen), append([]string{"BITOP"}, args...)...)
				if maxLen == 0 {
					e.int(0, "EXISTS", "dest")
				} else {
					e.bulk(string(want), "GET", "dest")
				}
			}
		}
	})
}

func TestBitRESP3(t *testing.T) {
	stRun(t, func(e *stEnv) {
		if v := e.do("HELLO", "3"); v.Type != '%' {
			t.Fatalf("HELLO 3: %s", stFmt(v))
		}
		e.expect("(null)", "GET", "missing")
		e.expect("[(null)]", "BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "4")
		e.ok("MSET", "a", "ohmytext", "b", "mynewtext")
		e.expect("[$matches [[[:4 :7] [:5 :8]] [[:2 :3] [:0 :1]]] $len :6]", "LCS", "a", "b", "IDX")
		if v := e.do("LCS", "a", "b", "IDX"); v.Type != '%' {
			t.Errorf("LCS IDX in RESP3 is not a map: %c", v.Type)
		}
		e.expect("[(null) $ohmytext]", "MGET", "missing", "a")
	})
}
