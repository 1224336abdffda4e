package geo

import (
	"math"
	"testing"
)

// Expected values come from redis-server 7.0.15 (GEOADD, GEOPOS, GEOHASH,
// GEODIST on the Sicily example).

func TestEncodeWGS84MatchesRedisScores(t *testing.T) {
	for _, tc := range []struct {
		lon, lat float64
		score    uint64
	}{
		{13.361389, 38.115556, 3479099956230698},
		{15.087269, 37.502669, 3479447370796909},
		{12.758489, 38.788135, 3479273021651468},
		{17.241510, 38.788135, 3481342659049484},
	} {
		if got := EncodeWGS84(tc.lon, tc.lat); got != tc.score {
			t.Errorf("EncodeWGS84(%v, %v) = %d, want %d", tc.lon, tc.lat, got, tc.score)
		}
	}
}

func TestDecodeFormatsAsRedis(t *testing.T) {
	lon, lat := DecodeScore(3479099956230698)
	if got := string(AppendCoord(nil, lon)); got != "13.36138933897018433" {
		t.Errorf("lon %s", got)
	}
	if got := string(AppendCoord(nil, lat)); got != "38.11555639549629859" {
		t.Errorf("lat %s", got)
	}
	if got := GeohashString(3479099956230698); got != "sqc8b49rny0" {
		t.Errorf("geohash %s", got)
	}
	if got := GeohashString(3479447370796909); got != "sqdtr74hyu0" {
		t.Errorf("geohash %s", got)
	}
}

func TestDistance(t *testing.T) {
	lon1, lat1 := DecodeScore(3479099956230698)
	lon2, lat2 := DecodeScore(3479447370796909)
	d := Distance(lon1, lat1, lon2, lat2)
	for _, tc := range []struct {
		conv float64
		want string
	}{{1, "166274.1516"}, {1000, "166.2742"}, {1609.34, "103.3182"}, {0.3048, "545518.8700"}} {
		if got := string(AppendDistance(nil, d/tc.conv)); got != tc.want {
			t.Errorf("distance / %v = %s, want %s", tc.conv, got, tc.want)
		}
	}
	if got := string(AppendDistance(nil, 0)); got != "0.0000" {
		t.Errorf("zero: %s", got)
	}
	if got := string(AppendDistance(nil, 0.00005)); got != "0.0000" && got != "0.0001" {
		t.Errorf("tiny: %s", got)
	}
	if got := string(AppendDistance(nil, 0.0123)); got != "0.0123" {
		t.Errorf("small: %s", got)
	}
}

func TestAppendCoord(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{{0, "0"}, {math.Copysign(0, -1), "0"}, {1.5, "1.5"}, {-180, "-180"}, {85.05112878, "85.0511287799999991"}} {
		if got := string(AppendCoord(nil, tc.f)); got != tc.want {
			t.Errorf("AppendCoord(%v) = %s, want %s", tc.f, got, tc.want)
		}
	}
}

// TestAreasCoverRadius checks that every point within a radius lies in
// one of the score ranges Areas returns.
func TestAreasCoverRadius(t *testing.T) {
	for _, c := range []struct{ lon, lat, radius float64 }{
		{15, 37, 200000}, {0, 0, 10}, {-179.9, 84, 500000}, {179.9, -84, 1000}, {2.35, 48.85, 5000000},
	} {
		s := Shape{Lon: c.lon, Lat: c.lat, Radius: c.radius, Conversion: 1}
		areas := s.Areas()
		for dx := -1.0; dx <= 1.0; dx += 0.05 {
			for dy := -1.0; dy <= 1.0; dy += 0.05 {
				lon, lat := c.lon+dx*c.radius/50000, c.lat+dy*c.radius/100000
				if lon < LongMin || lon > LongMax || lat < LatMin || lat > LatMax {
					continue
				}
				score := float64(EncodeWGS84(lon, lat))
				_, _, _, in := s.Within(score)
				if !in {
					continue
				}
				found := false
				for _, a := range areas {
					if score >= a.Min && score < a.Max {
						found = true
					}
				}
				if !found {
					t.Fatalf("center %v,%v r %v: point %v,%v inside but in no area", c.lon, c.lat, c.radius, lon, lat)
				}
			}
		}
	}
}

// TestCorrectlyRounded compares the double-double functions with the math
// package (at most one unit in the last place apart) and with values
// glibc returns for the Redis example (correctly rounded ones).
func TestCorrectlyRounded(t *testing.T) {
	dr := piF / 180.0
	if got := crCos(37 * dr); got != 0x1.98e6c0ea27a14p-1 {
		t.Errorf("cos(37°) = %x", got)
	}
	for i := -4000; i <= 4000; i++ {
		x := float64(i) * 0.002
		for _, c := range []struct {
			name    string
			got, mt float64
		}{
			{"sin", crSin(x), math.Sin(x)},
			{"cos", crCos(x), math.Cos(x)},
			{"asin", crAsin(x / 8), math.Asin(x / 8)},
		} {
			// The math package's asin is up to a few units off near 1.
			if c.got != c.mt && math.Abs(c.got-c.mt) > 8*ulp(c.mt) {
				t.Fatalf("%s(%v) = %v, math says %v", c.name, x, c.got, c.mt)
			}
		}
	}
	// Reference value from mpmath at 200 bits.
	if got := crAsin(0.99975); got != 1.5484351811461987 {
		t.Errorf("asin(0.99975) = %v", got)
	}
	if got := crAsin(1); got != math.Pi/2 {
		t.Errorf("asin(1) = %v", got)
	}
}

func ulp(x float64) float64 {
	x = math.Abs(x)
	return math.Nextafter(x, math.Inf(1)) - x
}

func BenchmarkDistance(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Distance(13.361389, 38.115556, 15.087269+float64(i&7)*1e-3, 37.502669)
	}
}
