package geo

import "math"

// Correctly rounded sin, cos and asin. Redis computes distances with
// glibc's libm, whose results are the correctly rounded values (Go's math
// package can be one unit in the last place off), and GEOSEARCHSTORE
// STOREDIST writes distances with 17 significant digits, so the last bit
// shows. These functions evaluate in double-double arithmetic (about 104
// bits) and round once.

// dd is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func (a dd) neg() dd { return dd{-a.hi, -a.lo} }

func (a dd) mul(b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

func (a dd) divFloat(b float64) dd {
	q1 := a.hi / b
	p := twoProd(q1, b)
	r := a.add(p.neg())
	q2 := r.hi / b
	return quickTwoSum(q1, q2)
}

func (a dd) float() float64 { return a.hi + a.lo }

// invFact[n] is 1/n! in double-double, for the Taylor series.
var invFact = func() [32]dd {
	var f [32]dd
	f[0] = dd{1, 0}
	for n := 1; n < len(f); n++ {
		f[n] = f[n-1].divFloat(float64(n))
	}
	return f
}()

// Evaluation: a quick pass runs the high-order Taylor terms in plain
// float64 (their weight is below 2^-64) and only the leading ones in
// double-double; when its result, give or take its error bound, rounds to
// one float64, that is the answer (Ziv's strategy). Otherwise a full
// double-double pass decides.

const (
	quickSplit = 3       // Taylor terms k >= quickSplit in float64
	quickErr   = 0x1p-60 // relative error bound of a quick result
	fullSplit  = 14      // all terms in double-double
	maxK       = 13      // sin series up to r^27/27!, cos up to r^28/28!
	pio2Hi     = 1.5707963267948966
	pio2Lo     = 6.123233995736766e-17
)

// sign returns v negated for odd k.
func sign(k int, v dd) dd {
	if k%2 == 1 {
		return v.neg()
	}
	return v
}

// sinReduced returns sin r for |r| <= pi/4 (plus a little); terms k >=
// split run in float64.
func sinReduced(r dd, split int) dd {
	r2 := r.mul(r)
	var tail float64
	k := maxK
	for ; k >= split; k-- {
		tail = tail*r2.hi + sign(k, invFact[2*k+1]).hi
	}
	acc := dd{tail, 0}
	if split > maxK {
		acc = dd{}
	}
	for ; k >= 0; k-- {
		acc = acc.mul(r2).add(sign(k, invFact[2*k+1]))
	}
	return acc.mul(r)
}

// cosReduced returns cos r like sinReduced.
func cosReduced(r dd, split int) dd {
	r2 := r.mul(r)
	var tail float64
	k := maxK + 1
	for ; k >= split; k-- {
		tail = tail*r2.hi + sign(k, invFact[2*k]).hi
	}
	acc := dd{tail, 0}
	if split > maxK+1 {
		acc = dd{}
	}
	for ; k >= 0; k-- {
		acc = acc.mul(r2).add(sign(k, invFact[2*k]))
	}
	return acc
}

// Cody-Waite pieces of pi/2: each product with a small integer is exact.
const (
	pio2a = 1.57079632673412561417e+00 // 33 bits
	pio2b = 6.07710050630396597660e-11 // 33 bits
	pio2c = 2.02226624871116645580e-21 // 33 bits
	pio2d = 8.47842766036889956997e-32
)

// reduce returns r = x - k*pi/2 in double-double and k mod 4, for |x| <= 8.
func reduce(x float64) (dd, int) {
	if math.Abs(x) <= math.Pi/4 {
		return dd{x, 0}, 0
	}
	k := math.Round(x / (math.Pi / 2))
	r := dd{x - k*pio2a, 0}
	r = r.add(dd{-k * pio2b, 0})
	r = r.add(dd{-k * pio2c, 0})
	r = r.add(dd{-k * pio2d, 0})
	return r, int(int64(k) & 3)
}

// sinDD and cosDD return sin x and cos x (|x| <= 8) in double-double.
func sinDD(x float64, split int) dd {
	r, q := reduce(x)
	switch q {
	case 1:
		return cosReduced(r, split)
	case 2:
		return sinReduced(r, split).neg()
	case 3:
		return cosReduced(r, split).neg()
	}
	return sinReduced(r, split)
}

func cosDD(x float64, split int) dd {
	r, q := reduce(x)
	switch q {
	case 1:
		return sinReduced(r, split).neg()
	case 2:
		return cosReduced(r, split).neg()
	case 3:
		return sinReduced(r, split)
	}
	return cosReduced(r, split)
}

// rounded returns the float64 nearest to a, and whether that is certain
// given a relative error bound rel.
func rounded(a dd, rel float64) (float64, bool) {
	e := math.Abs(a.hi) * rel
	up := a.hi + (a.lo + e)
	down := a.hi + (a.lo - e)
	return up, up == down
}

// crSin is sin(x) correctly rounded (the math package beyond |x| > 8).
func crSin(x float64) float64 {
	if x == 0 || !(math.Abs(x) <= 8) {
		return math.Sin(x)
	}
	if v, ok := rounded(sinDD(x, quickSplit), quickErr); ok {
		return v
	}
	return sinDD(x, fullSplit).float()
}

// crCos is cos(x) correctly rounded (the math package beyond |x| > 8).
func crCos(x float64) float64 {
	if !(math.Abs(x) <= 8) {
		return math.Cos(x)
	}
	if v, ok := rounded(cosDD(x, quickSplit), quickErr); ok {
		return v
	}
	return cosDD(x, fullSplit).float()
}

// asinNewton refines t0 ≈ asin(y) with one Newton step in double-double.
func asinNewton(t0 float64, y dd, split int) dd {
	diff := sinDD(t0, split).add(y.neg())
	return dd{t0, 0}.add(diff.divFloat(math.Cos(t0)).neg())
}

// asinDD returns asin y for 0 < y <= 1.
func asinDD(y float64, split int) dd {
	if y < 0.5 {
		return asinNewton(math.Asin(y), dd{y, 0}, split)
	}
	// asin y = pi/2 - 2 asin(sqrt((1-y)/2)); 1-y and the halving are exact.
	z := (1 - y) / 2
	s0 := math.Sqrt(z)
	if s0 == 0 {
		return dd{pio2Hi, pio2Lo}
	}
	s := quickTwoSum(s0, -math.FMA(s0, s0, -z)/(2*s0))
	t := asinNewton(math.Asin(s.hi), s, split)
	return dd{pio2Hi, pio2Lo}.add(dd{-2 * t.hi, -2 * t.lo})
}

// crAsin is asin(y) correctly rounded.
func crAsin(y float64) float64 {
	if !(math.Abs(y) <= 1) || y == 0 {
		return math.Asin(y)
	}
	neg := y < 0
	if neg {
		y = -y
	}
	v, ok := rounded(asinDD(y, quickSplit), 4*quickErr)
	if !ok {
		v = asinDD(y, fullSplit).float()
	}
	if neg {
		return -v
	}
	return v
}
