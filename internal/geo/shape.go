package geo

import "math"

// Shape is a search area: a circle of Radius, or a Width × Height box,
// around Lon, Lat; sizes are in the query's unit and Conversion turns them
// into meters (GeoShape).
type Shape struct {
	Box                   bool
	Lon, Lat              float64
	Radius, Width, Height float64
	Conversion            float64
	bounds                [4]float64
}

// boundingBox computes the shape's bounds: min lon, min lat, max lon, max lat.
func (s *Shape) boundingBox() {
	height := s.Conversion * s.Radius
	width := height
	if s.Box {
		height = s.Conversion * (s.Height / 2)
		width = s.Conversion * (s.Width / 2)
	}
	latDelta := radDeg(height / EarthRadius)
	longDeltaTop := radDeg(width / EarthRadius / crCos(degRad(s.Lat+latDelta)))
	longDeltaBottom := radDeg(width / EarthRadius / crCos(degRad(s.Lat-latDelta)))
	if s.Lat < 0 {
		s.bounds[0] = s.Lon - longDeltaBottom
		s.bounds[2] = s.Lon + longDeltaBottom
	} else {
		s.bounds[0] = s.Lon - longDeltaTop
		s.bounds[2] = s.Lon + longDeltaTop
	}
	s.bounds[1] = s.Lat - latDelta
	s.bounds[3] = s.Lat + latDelta
}

// estimateSteps is geohashEstimateStepsByRadius.
func estimateSteps(rangeMeters, lat float64) uint8 {
	if rangeMeters == 0 {
		return 26
	}
	step := 1
	for rangeMeters < mercatorMax {
		rangeMeters *= 2
		step++
	}
	step -= 2
	if lat > 66 || lat < -66 {
		step--
		if lat > 80 || lat < -80 {
			step--
		}
	}
	step = max(1, min(step, 26))
	return uint8(step)
}

// ScoreRange is a half-open score interval [Min, Max) of one geohash box.
type ScoreRange struct{ Min, Max float64 }

// Areas returns the score ranges of the geohash box around the shape's
// center and its eight neighbors, in Redis's order (center, N, S, E, W,
// NE, NW, SE, SW), leaving out the neighbors the shape cannot reach and a
// box equal to the one before it (geohashCalculateAreasByShapeWGS84 and
// membersOfAllNeighbors).
func (s *Shape) Areas() []ScoreRange {
	s.boundingBox()
	minLon, minLat, maxLon, maxLat := s.bounds[0], s.bounds[1], s.bounds[2], s.bounds[3]
	radius := s.Radius
	if s.Box {
		radius = math.Sqrt((s.Width/2)*(s.Width/2) + (s.Height/2)*(s.Height/2))
	}
	radius *= s.Conversion
	steps := estimateSteps(radius, s.Lat)
	hash, _ := Encode(s.Lon, s.Lat, steps)
	nb := neighbors(hash)
	area, _ := Decode(hash)

	decrease := false
	if a, _ := Decode(nb[0]); a.Lat.Max < maxLat {
		decrease = true
	}
	if a, _ := Decode(nb[1]); a.Lat.Min > minLat {
		decrease = true
	}
	if a, _ := Decode(nb[2]); a.Long.Max < maxLon {
		decrease = true
	}
	if a, _ := Decode(nb[3]); a.Long.Min > minLon {
		decrease = true
	}
	if steps > 1 && decrease {
		steps--
		hash, _ = Encode(s.Lon, s.Lat, steps)
		nb = neighbors(hash)
		area, _ = Decode(hash)
	}
	// nb: 0 N, 1 S, 2 E, 3 W, 4 NE, 5 NW, 6 SE, 7 SW
	if steps >= 2 {
		if area.Lat.Min < minLat {
			nb[1], nb[7], nb[6] = Hash{}, Hash{}, Hash{}
		}
		if area.Lat.Max > maxLat {
			nb[0], nb[4], nb[5] = Hash{}, Hash{}, Hash{}
		}
		if area.Long.Min < minLon {
			nb[3], nb[7], nb[5] = Hash{}, Hash{}, Hash{}
		}
		if area.Long.Max > maxLon {
			nb[2], nb[6], nb[4] = Hash{}, Hash{}, Hash{}
		}
	}
	boxes := [9]Hash{hash, nb[0], nb[1], nb[2], nb[3], nb[4], nb[5], nb[6], nb[7]}
	out := make([]ScoreRange, 0, 9)
	last := 0
	for i, h := range boxes {
		if h.IsZero() {
			continue
		}
		// Redis compares with the previous processed box only when that
		// was not the center one (its index 0 reads as "none").
		if last != 0 && h == boxes[last] {
			continue
		}
		next := h
		next.Bits++
		out = append(out, ScoreRange{Min: float64(h.Align52()), Max: float64(next.Align52())})
		last = i
	}
	return out
}

// neighbors returns the eight neighbors of h: N, S, E, W, NE, NW, SE, SW.
func neighbors(h Hash) [8]Hash {
	return [8]Hash{
		h.neighbor(0, 1), h.neighbor(0, -1), h.neighbor(1, 0), h.neighbor(-1, 0),
		h.neighbor(1, 1), h.neighbor(-1, 1), h.neighbor(1, -1), h.neighbor(-1, -1),
	}
}

// Within decodes a stored score and reports whether that position lies in
// the shape, with its distance in meters from the center (geoWithinShape).
func (s *Shape) Within(score float64) (lon, lat, dist float64, ok bool) {
	lon, lat = DecodeScore(score)
	if !s.Box {
		dist = Distance(s.Lon, s.Lat, lon, lat)
		return lon, lat, dist, dist <= s.Radius*s.Conversion
	}
	w, h := s.Width*s.Conversion, s.Height*s.Conversion
	if LatDistance(lat, s.Lat) > h/2 {
		return lon, lat, 0, false
	}
	if Distance(lon, lat, s.Lon, lat) > w/2 {
		return lon, lat, 0, false
	}
	return lon, lat, Distance(s.Lon, s.Lat, lon, lat), true
}
