package geo

import (
	"math"
	"strconv"
)

// Coordinate limits (EPSG:900913) and the maximum step (26 × 2 = 52 bits).
const (
	LatMin  = -85.05112878
	LatMax  = 85.05112878
	LongMin = -180.0
	LongMax = 180.0
	StepMax = 26
)

// EarthRadius is Redis's quadratic mean earth radius for WGS-84, in meters.
const EarthRadius = 6372797.560856

const mercatorMax = 20037726.37

// dR is (M_PI / 180.0) computed in float64 as C does it (a Go constant
// expression would be rounded once, from the exact quotient).
var (
	piF = math.Pi
	dR  = piF / 180.0
)

func degRad(a float64) float64 { return a * dR }
func radDeg(a float64) float64 { return a / dR }

// Hash is a geohash of Step bits per coordinate (GeoHashBits).
type Hash struct {
	Bits uint64
	Step uint8
}

// IsZero reports a zeroed hash (a neighbor excluded from a search).
func (h Hash) IsZero() bool { return h.Bits == 0 && h.Step == 0 }

// Range is an interval of one coordinate.
type Range struct{ Min, Max float64 }

// Area is the rectangle a hash covers.
type Area struct {
	Hash      Hash
	Long, Lat Range
}

var (
	longRange = Range{LongMin, LongMax}
	latRange  = Range{LatMin, LatMax}
)

// interleave64 puts the bits of x in the even positions and those of y in
// the odd ones.
func interleave64(xlo, ylo uint32) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF}
	s := [...]uint{1, 2, 4, 8, 16}
	x, y := uint64(xlo), uint64(ylo)
	for i := 4; i >= 0; i-- {
		x = (x | x<<s[i]) & b[i]
		y = (y | y<<s[i]) & b[i]
	}
	return x | y<<1
}

// deinterleave64 reverses interleave64: even bits in the low half, odd
// bits in the high half.
func deinterleave64(v uint64) uint64 {
	b := [...]uint64{0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF, 0x00000000FFFFFFFF}
	s := [...]uint{0, 1, 2, 4, 8, 16}
	x, y := v, v>>1
	for i := 0; i < 6; i++ {
		x = (x | x>>s[i]) & b[i]
		y = (y | y>>s[i]) & b[i]
	}
	return x | y<<32
}

// encode is geohashEncode over the given ranges.
func encode(lr, ar Range, lon, lat float64, step uint8) (Hash, bool) {
	if step > 32 || step == 0 {
		return Hash{}, false
	}
	if lon > LongMax || lon < LongMin || lat > LatMax || lat < LatMin {
		return Hash{}, false
	}
	if lat < ar.Min || lat > ar.Max || lon < lr.Min || lon > lr.Max {
		return Hash{}, false
	}
	latOff := (lat - ar.Min) / (ar.Max - ar.Min)
	lonOff := (lon - lr.Min) / (lr.Max - lr.Min)
	latOff *= float64(uint64(1) << step)
	lonOff *= float64(uint64(1) << step)
	return Hash{Bits: interleave64(uint32(latOff), uint32(lonOff)), Step: step}, true
}

// Encode returns the geohash of lon, lat with step bits per coordinate.
func Encode(lon, lat float64, step uint8) (Hash, bool) {
	return encode(longRange, latRange, lon, lat, step)
}

// Align52 shifts h to 52 bits (geohashAlign52Bits).
func (h Hash) Align52() uint64 { return h.Bits << (52 - uint(h.Step)*2) }

// EncodeWGS84 returns the sorted set score GEOADD stores for lon, lat
// (both must be within the limits).
func EncodeWGS84(lon, lat float64) uint64 {
	h, _ := Encode(lon, lat, StepMax)
	return h.Align52()
}

// decode is geohashDecode over the given ranges.
func decode(lr, ar Range, h Hash) (Area, bool) {
	if h.IsZero() {
		return Area{}, false
	}
	sep := deinterleave64(h.Bits)
	latScale := ar.Max - ar.Min
	lonScale := lr.Max - lr.Min
	ilato := uint32(sep)
	ilono := uint32(sep >> 32)
	div := float64(uint64(1) << h.Step)
	var a Area
	a.Hash = h
	a.Lat.Min = ar.Min + (float64(ilato)*1.0/div)*latScale
	a.Lat.Max = ar.Min + ((float64(ilato)+1)*1.0/div)*latScale
	a.Long.Min = lr.Min + (float64(ilono)*1.0/div)*lonScale
	a.Long.Max = lr.Min + ((float64(ilono)+1)*1.0/div)*lonScale
	return a, true
}

// Decode returns the area of h.
func Decode(h Hash) (Area, bool) { return decode(longRange, latRange, h) }

// center is geohashDecodeAreaToLongLat: the middle of a, clamped.
func (a Area) center() (lon, lat float64) {
	lon = (a.Long.Min + a.Long.Max) / 2
	lon = math.Min(math.Max(lon, LongMin), LongMax)
	lat = (a.Lat.Min + a.Lat.Max) / 2
	lat = math.Min(math.Max(lat, LatMin), LatMax)
	return lon, lat
}

// scoreBits converts a score to uint64 as C's (uint64_t) cast does on
// x86-64 (negative values wrap, out of range gives the indefinite value).
func scoreBits(score float64) uint64 {
	switch {
	case score != score:
		return 1 << 63
	case score < 0:
		if score <= -(1 << 63) {
			return 1 << 63
		}
		return uint64(int64(score))
	case score < 1<<63:
		return uint64(score)
	case score < 1<<64:
		return uint64(score-(1<<63)) ^ 1<<63
	}
	return 0
}

// DecodeScore returns the position stored as a sorted set score
// (decodeGeohash).
func DecodeScore(score float64) (lon, lat float64) {
	a, _ := Decode(Hash{Bits: scoreBits(score), Step: StepMax})
	return a.center()
}

// Interleaved bit masks: longitude (x) bits are the odd ones, latitude
// (y) bits the even ones.
const (
	xBits = 0xaaaaaaaaaaaaaaaa
	yBits = 0x5555555555555555
)

// moveX and moveY shift h by d boxes east/west or north/south
// (geohash_move_x, geohash_move_y).
func (h *Hash) moveX(d int) { h.move(xBits, d) }
func (h *Hash) moveY(d int) { h.move(yBits, d) }

// move adds d (-1, 0 or 1) to the coordinate whose bits mask selects,
// carrying through the other coordinate's interleaved bits.
func (h *Hash) move(mask uint64, d int) {
	if d == 0 {
		return
	}
	shift := 64 - uint(h.Step)*2
	v := h.Bits & mask
	other := h.Bits &^ mask
	zz := ^mask >> shift
	if d > 0 {
		v = v + (zz + 1)
	} else {
		v = v | zz
		v = v - (zz + 1)
	}
	v &= mask >> shift
	h.Bits = v | other
}

// neighbor returns h moved by dx, dy boxes.
func (h Hash) neighbor(dx, dy int) Hash {
	h.moveX(dx)
	h.moveY(dy)
	return h
}

// LatDistance is the distance in meters between two latitudes.
func LatDistance(lat1, lat2 float64) float64 {
	return EarthRadius * math.Abs(degRad(lat2)-degRad(lat1))
}

// Distance is the haversine great-circle distance in meters
// (geohashGetDistance).
func Distance(lon1, lat1, lon2, lat2 float64) float64 {
	lon1r := degRad(lon1)
	lon2r := degRad(lon2)
	v := crSin((lon2r - lon1r) / 2)
	if v == 0 {
		return LatDistance(lat1, lat2)
	}
	lat1r := degRad(lat1)
	lat2r := degRad(lat2)
	u := crSin((lat2r - lat1r) / 2)
	a := u*u + crCos(lat1r)*crCos(lat2r)*v*v
	return 2.0 * EarthRadius * crAsin(math.Sqrt(a))
}

// GeohashString returns the 11-character standard geohash of a stored
// score, as GEOHASH replies it (re-encoded over latitude -90..90).
func GeohashString(score float64) string {
	const alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"
	lon, lat := DecodeScore(score)
	h, _ := encode(Range{-180, 180}, Range{-90, 90}, lon, lat, 26)
	var buf [11]byte
	for i := 0; i < 11; i++ {
		idx := 0
		if i < 10 {
			idx = int(h.Bits>>(52-(uint(i)+1)*5)) & 0x1f
		}
		buf[i] = alphabet[idx]
	}
	return string(buf[:])
}

// AppendDistance appends d with four fractional digits, rounded half to
// even like Redis's fixedpoint_d2string (llrint of d × 10000).
func AppendDistance(dst []byte, d float64) []byte {
	if d == 0 {
		return append(dst, "0.0000"...)
	}
	s := math.RoundToEven(d * 10000)
	var v uint64
	if s < 0 {
		dst = append(dst, '-')
		if s <= -(1 << 63) {
			v = 1 << 63
		} else {
			v = uint64(-int64(s))
		}
	} else {
		if s >= 1<<63 {
			v = 1 << 63 // llrint overflow: LLONG_MIN
			dst = append(dst, '-')
		} else {
			v = uint64(int64(s))
		}
	}
	digits := strconv.AppendUint(nil, v, 10)
	if len(digits) <= 4 {
		dst = append(dst, '0', '.')
		for i := len(digits); i < 4; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-4]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-4:]...)
}

// AppendCoord appends f as Redis's LD_STR_HUMAN form of a long double
// ("%.17Lf" without trailing zeroes or dot, "-0" as "0").
func AppendCoord(dst []byte, f float64) []byte {
	if math.IsInf(f, 0) {
		if f > 0 {
			return append(dst, "inf"...)
		}
		return append(dst, "-inf"...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', 17, 64)
	for dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}
