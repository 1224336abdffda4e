package command

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
)

// LOLWUT: the version banner, and the computer art Redis 5 and 6 drew
// (LOLWUT VERSION 5: squares falling into disorder, after Georg Nees's
// "Schotter"; LOLWUT VERSION 6: a city skyline in four shades of grey).
// Any other version, and LOLWUT without VERSION on 7.0, replies only
// "Redis ver. 7.0.15". The art is random, as in Redis; its sizes, limits,
// argument errors and captions are Redis's.

var _ = register(
	&core.Command{Name: "lolwut", Arity: -1, Flags: core.FlagReadOnly | core.FlagFast, Handler: lolwut,
		Group: "server", Since: "5.0.0", Summary: "Display some computer art and the Redis version"},
)

func lolwut(ctx *core.Ctx) {
	args := ctx.Args[1:]
	version := uint32(7)
	if len(args) >= 2 && strings.EqualFold(string(args[0]), "version") {
		v, ok := numfmt.ParseInt(args[1])
		if !ok {
			ctx.Error(rerr.NotInteger)
			return
		}
		// Redis prints the number as an unsigned int before comparing.
		version = uint32(v)
		args = args[2:]
	}
	switch version {
	case 5:
		lolwutSchotter(ctx, args)
	case 6:
		lolwutSkyline(ctx, args)
	default:
		ctx.W.Verbatim("Redis ver. "+core.Version+"\n", "txt")
	}
}

// lolwutDims parses the optional numeric arguments into dims (which hold
// the defaults) and clamps each into [1, limit[i]]. It replies with the
// error and returns false on a non-integer.
func lolwutDims(ctx *core.Ctx, args [][]byte, dims []int, limit []int) bool {
	for i := range dims {
		if i < len(args) {
			v, ok := numfmt.ParseInt(args[i])
			if !ok {
				ctx.Error(rerr.NotInteger)
				return false
			}
			dims[i] = int(max(1, min(v, int64(limit[i]))))
		}
	}
	return true
}

// pixels is a grid of small colour numbers; reads and writes outside it
// are ignored (reads give 0).
type pixels struct {
	w, h int
	p    []uint8
}

func newPixels(w, h int, fill uint8) *pixels {
	c := &pixels{w: w, h: h, p: make([]uint8, w*h)}
	if fill != 0 {
		for i := range c.p {
			c.p[i] = fill
		}
	}
	return c
}

func (c *pixels) set(x, y int, v uint8) {
	if x >= 0 && y >= 0 && x < c.w && y < c.h {
		c.p[y*c.w+x] = v
	}
}

func (c *pixels) at(x, y int) uint8 {
	if x >= 0 && y >= 0 && x < c.w && y < c.h {
		return c.p[y*c.w+x]
	}
	return 0
}

// line draws the segment between two points, stepping one pixel at a time
// along the longer axis and carrying the error along the shorter one.
func (c *pixels) line(x0, y0, x1, y1 int, v uint8) {
	dx, dy := x1-x0, y1-y0
	stepX, stepY := 1, 1
	if dx < 0 {
		dx, stepX = -dx, -1
	}
	if dy < 0 {
		dy, stepY = -dy, -1
	}
	acc := dx - dy
	for {
		c.set(x0, y0, v)
		if x0 == x1 && y0 == y1 {
			return
		}
		twice := 2 * acc
		if twice > -dy {
			acc -= dy
			x0 += stepX
		}
		if twice < dx {
			acc += dx
			y0 += stepY
		}
	}
}

// square outlines a square of the given side centred on (cx, cy), turned
// by angle radians.
func (c *pixels) square(cx, cy int, side, angle float64) {
	r := math.Round(side / math.Sqrt2) // distance from the centre to a corner
	var xs, ys [4]int
	for i := range xs {
		a := angle + math.Pi/4 + float64(i)*math.Pi/2
		xs[i] = int(math.Round(float64(cx) + r*math.Sin(a)))
		ys[i] = int(math.Round(float64(cy) + r*math.Cos(a)))
	}
	for i := range xs {
		j := (i + 1) % 4
		c.line(xs[i], ys[i], xs[j], ys[j], 1)
	}
}

// braille renders the canvas as text, one Unicode braille cell (U+2800
// plus the dot bits) per 2×4 pixels, lines separated by '\n'.
func (c *pixels) braille() []byte {
	// Each dot's bit in the braille pattern, by offset in the cell.
	dots := [4][2]uint{{0, 3}, {1, 4}, {2, 5}, {6, 7}}
	var out bytes.Buffer
	for y := 0; y < c.h; y += 4 {
		for x := 0; x < c.w; x += 2 {
			r := rune(0x2800)
			for dy := range 4 {
				for dx := range 2 {
					if c.at(x+dx, y+dy) != 0 {
						r |= 1 << dots[dy][dx]
					}
				}
			}
			out.WriteRune(r)
		}
		if y != c.h-1 {
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// lolwutSchotter is LOLWUT VERSION 5 [columns [squares-per-row
// [squares-per-column]]]: a grid of squares, straight in the first rows
// and turned and shifted more and more at random further down.
func lolwutSchotter(ctx *core.Ctx, args [][]byte) {
	d := []int{66, 8, 12}
	if !lolwutDims(ctx, args, d, []int{1000, 200, 200}) {
		return
	}
	cols, perRow, perCol := d[0], d[1], d[2]
	width := cols * 2
	pad := 0
	if width > 4 {
		pad = 2
	}
	side := float64(float32(width-2*pad) / float32(perRow))
	c := newPixels(width, int(side*float64(perCol))+2*pad, 0)
	jitter := func(row int) float64 {
		f := rand.Float64() / float64(perCol) * float64(row)
		if rand.IntN(2) == 1 {
			f = -f
		}
		return f
	}
	for row := range perCol {
		for col := range perRow {
			cx := int(float64(col)*side + side/2 + float64(pad))
			cy := int(float64(row)*side + side/2 + float64(pad))
			angle := 0.0
			if row > 1 {
				angle = jitter(row)
				cx += int(jitter(row) * side / 3)
				cy += int(jitter(row) * side / 3)
			}
			c.square(cx, cy, side, angle)
		}
	}
	text := c.braille()
	text = append(text, "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. "+core.Version+"\n"...)
	ctx.W.Verbatim(string(text), "txt")
}

// The skyline's shades, drawn as ANSI foreground;background colours.
var skylineShades = [4]string{"0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"}

// tower is one building of the skyline.
type tower struct {
	left, width, height int
	shade               uint8
	windows             bool
}

// draw fills the tower from the ground up; its top row is two pixels
// narrower on each side, and a windowed tower gets two-pixel-wide lit
// windows in every other row of its inner part, in one of the two greys
// other than its own.
func (t tower) draw(c *pixels) {
	ground := c.h - 1
	top := ground - t.height + 1
	for y := ground; y >= top; y-- {
		for x := t.left; x < t.left+t.width; x++ {
			if y == top && (x <= t.left+1 || x >= t.left+t.width-2) {
				continue
			}
			v := t.shade
			inner := x > t.left+1 && x < t.left+t.width-2 && y > top+1 && y < ground-1
			if t.windows && inner {
				rx, ry := x-t.left-1, y-top-1
				if (rx/2)%2 == 1 && ry%2 == 1 {
					if rx%2 == 1 {
						v = c.at(x-1, y) // the window's second pixel
					} else {
						for v == t.shade {
							v = uint8(1 + rand.IntN(2))
						}
					}
				}
			}
			c.set(x, y, v)
		}
	}
}

// lolwutSkyline is LOLWUT VERSION 6 [columns [rows]]: two rows of grey
// towers behind a row of black ones with lit windows, on white.
func lolwutSkyline(ctx *core.Ctx, args [][]byte) {
	d := []int{80, 20}
	if !lolwutDims(ctx, args, d, []int{1000, 1000}) {
		return
	}
	c := newPixels(d[0], d[1], 3)
	// Background: the lighter towers first, so the darker stand in front.
	for shade := uint8(2); shade >= 1; shade-- {
		for x := -10; x < c.w; {
			x += rand.IntN(8)
			t := tower{left: x, width: 10 + rand.IntN(9), shade: shade}
			if shade == 2 {
				t.height = c.h/2 + rand.IntN(c.h)/2
			} else {
				t.height = c.h/2 + rand.IntN(c.h)/3
			}
			t.draw(c)
			if shade == 2 {
				x += t.width / 2
			} else {
				x += t.width + 1
			}
		}
	}
	for x := -10; x < c.w; {
		x += rand.IntN(8)
		t := tower{left: x, width: 5 + rand.IntN(14), windows: true}
		if t.width%4 != 0 {
			t.width += t.width % 3
		}
		t.height = c.h/3 + rand.IntN(c.h)/2
		t.draw(c)
		x += t.width + 5
	}
	var out bytes.Buffer
	for y := range c.h {
		for x := range c.w {
			out.WriteString("\033[" + skylineShades[c.at(x, y)] + " \033[0m")
		}
		if y != c.h-1 {
			out.WriteByte('\n')
		}
	}
	out.WriteString("\nDedicated to the 8 bit game developers of past and present.\n" +
		"Original 8 bit image from Plaguemon by hikikomori. Redis ver. " + core.Version + "\n")
	ctx.W.Verbatim(out.String(), "txt")
}
