package command_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/redis-clone/redis-clone/internal/servertest"
)

// bulk is the RESP2 bulk string of s.
func lolwutBulk(s string) string { return "$" + strconv.Itoa(len(s)) + "\r\n" + s + "\r\n" }

// TestLolwut checks LOLWUT's banner, its art's deterministic parts and its
// errors against replies taken from redis-server 7.0.15.
func TestLolwut(t *testing.T) {
	svRun(t, func(t *testing.T, s *servertest.Server) {
		c := svDial(t, s.Addr)
		banner := "Redis ver. 7.0.15\n"
		c.expect(lolwutBulk(banner), "LOLWUT")
		c.expect(lolwutBulk(banner), "LOLWUT", "VERSION", "7")
		c.expect(lolwutBulk(banner), "LOLWUT", "VERSION", "-3") // read as unsigned, as Redis does
		c.expect(lolwutBulk(banner), "lolwut", "foo", "bar")
		c.expect("-ERR value is not an integer or out of range\r\n", "LOLWUT", "VERSION", "x")
		c.expect("-ERR value is not an integer or out of range\r\n", "LOLWUT", "VERSION", "5", "a")
		c.expect("-ERR value is not an integer or out of range\r\n", "LOLWUT", "VERSION", "6", "10", "1.5")

		// Two rows of squares: the first two rows are never disturbed.
		grid := "⠀⡤⠤⠤⠤⡤⠤⠤⠤⡄\n⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n⠀⡧⠤⠤⠤⡧⠤⠤⠤⡇\n⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n⠀⠧⠤⠤⠤⠧⠤⠤⠤⠇\n"
		nees := "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n"
		c.expect(lolwutBulk(grid+nees), "LOLWUT", "VERSION", "5", "10", "2", "2")
		// Sizes below 1 are raised to 1.
		c.expect(lolwutBulk("⠋\n"+nees), "LOLWUT", "VERSION", "5", "0", "0", "0")

		// The default Schotter: 66 columns, 8×12 squares of 16 pixels,
		// 196 pixel rows, so 49 lines of braille.
		art := readBulk(t, c.do("LOLWUT", "VERSION", "5"))
		if !strings.HasSuffix(art, nees) {
			t.Fatalf("VERSION 5 caption: %q", svShort(art))
		}
		lines := strings.Split(strings.TrimSuffix(art, "\n"+nees), "\n")
		if len(lines) != 49 {
			t.Fatalf("VERSION 5: %d lines, want 49", len(lines))
		}
		for i, l := range lines {
			if n := len([]rune(l)); n != 66 {
				t.Fatalf("VERSION 5 line %d: %d cells, want 66", i, n)
			}
			for _, r := range l {
				if r < 0x2800 || r > 0x28ff {
					t.Fatalf("VERSION 5 line %d: %U is not a braille cell", i, r)
				}
			}
		}

		// The skyline: one coloured space per pixel, 20×6.
		sky := readBulk(t, c.do("LOLWUT", "VERSION", "6", "20", "6"))
		caption := "\nDedicated to the 8 bit game developers of past and present.\n" +
			"Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n"
		if !strings.HasSuffix(sky, caption) {
			t.Fatalf("VERSION 6 caption: %q", svShort(sky))
		}
		row := regexp.MustCompile("^(\033\\[0;(30;40|90;100|37;47|97;107)m \033\\[0m){20}$")
		rows := strings.Split(strings.TrimSuffix(sky, caption), "\n")
		if len(rows) != 6 {
			t.Fatalf("VERSION 6: %d rows, want 6", len(rows))
		}
		for i, r := range rows {
			if !row.MatchString(r) {
				t.Fatalf("VERSION 6 row %d: %q", i, r)
			}
		}
		// The top row is above every tower (heights are at most 5/6 of
		// the canvas): all white.
		if strings.Count(rows[0], "0;97;107m") != 20 {
			t.Fatalf("VERSION 6 top row not all white: %q", rows[0])
		}

		c.do("HELLO", "3")
		c.expect("=22\r\ntxt:"+banner+"\r\n", "LOLWUT")
	})
}

// readBulk returns the payload of a RESP2 bulk reply.
func readBulk(t *testing.T, reply string) string {
	t.Helper()
	head, rest, ok := strings.Cut(reply, "\r\n")
	n, err := strconv.Atoi(strings.TrimPrefix(head, "$"))
	if !ok || err != nil || !strings.HasPrefix(head, "$") || len(rest) != n+2 {
		t.Fatalf("not a bulk reply: %q", svShort(reply))
	}
	return rest[:n]
}
