package command

import (
	"sort"
	"strconv"

	"github.com/redis-clone/redis-clone/internal/core"
	"github.com/redis-clone/redis-clone/internal/geo"
	"github.com/redis-clone/redis-clone/internal/keyspace"
	"github.com/redis-clone/redis-clone/internal/numfmt"
	"github.com/redis-clone/redis-clone/internal/rerr"
	"github.com/redis-clone/redis-clone/internal/resp"
	"github.com/redis-clone/redis-clone/internal/zset"
)

// The geo commands (Redis's geo.c) on top of sorted sets: a position is a
// member whose score is its 52-bit geohash (internal/geo). GEOADD runs
// ZADD with the encoded scores and is propagated as that ZADD, as Redis
// does; the searches scan the score ranges of nine geohash boxes and keep
// the members within the shape.

var _ = register(
	geoCmd("geoadd", -5, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, geoaddCommand, "3.2.0", "Add one or more geospatial items in the geospatial index represented using a sorted set"),
	geoCmd("geodist", -4, core.FlagReadOnly, 1, 1, 1, geodistCommand, "3.2.0", "Returns the distance between two members of a geospatial index"),
	geoCmd("geohash", -2, core.FlagReadOnly, 1, 1, 1, geohashCommand, "3.2.0", "Returns members of a geospatial index as standard geohash strings"),
	geoCmd("geopos", -2, core.FlagReadOnly, 1, 1, 1, geoposCommand, "3.2.0", "Returns longitude and latitude of members of a geospatial index"),
	zkeys(geoCmd("georadius", -6, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, georadiusCommand, "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point"), georadiusKeys(6)),
	geoCmd("georadius_ro", -6, core.FlagReadOnly, 1, 1, 1, georadiusroCommand, "3.2.10", "A read-only variant for GEORADIUS"),
	zkeys(geoCmd("georadiusbymember", -5, core.FlagWrite|core.FlagDenyOOM, 1, 1, 1, georadiusbymemberCommand, "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member"), georadiusKeys(5)),
	geoCmd("georadiusbymember_ro", -5, core.FlagReadOnly, 1, 1, 1, georadiusbymemberroCommand, "3.2.10", "A read-only variant for GEORADIUSBYMEMBER"),
	geoCmd("geosearch", -7, core.FlagReadOnly, 1, 1, 1, geosearchCommand, "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle."),
	geoCmd("geosearchstore", -8, core.FlagWrite|core.FlagDenyOOM, 1, 2, 1, geosearchstoreCommand, "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key."),
)

// geoCmd builds a command of the "geo" group.
func geoCmd(name string, arity int, flags core.Flag, first, last, step int, h core.Handler, since, summary string) *core.Command {
	return &core.Command{Name: name, Arity: arity, Flags: flags, FirstKey: first, LastKey: last, Step: step,
		Handler: h, Group: "geo", Since: since, Summary: summary, Categories: []string{"geo"}}
}

// georadiusKeys finds the keys of GEORADIUS and GEORADIUSBYMEMBER: the
// source, then the key after the last STORE or STOREDIST at or after
// argument from.
func georadiusKeys(from int) func(args [][]byte) []int {
	return func(args [][]byte) []int {
		keys := []int{1}
		store := 0
		for i := from; i < len(args)-1; i++ {
			if zopt(args[i], "store") || zopt(args[i], "storedist") {
				store = i + 1
				i++
			}
		}
		if store > 0 {
			keys = append(keys, store)
		}
		return keys
	}
}

// geoLongLat parses args[i], args[i+1] as a longitude and latitude within
// the limits, replying the error otherwise (extractLongLatOrReply).
func geoLongLat(ctx *core.Ctx, i int) (lon, lat float64, ok bool) {
	if lon, ok = ctx.Float(i); !ok {
		return
	}
	if lat, ok = ctx.Float(i + 1); !ok {
		return
	}
	if lon < geo.LongMin || lon > geo.LongMax || lat < geo.LatMin || lat > geo.LatMax {
		ctx.Errorf(rerr.GeoLongLat, lon, lat)
		return 0, 0, false
	}
	return lon, lat, true
}

// geoUnit returns the meters per unit of b (extractUnitOrReply), replying
// the error and returning -1 for an unknown unit.
func geoUnit(ctx *core.Ctx, b []byte) float64 {
	switch {
	case zopt(b, "m"):
		return 1
	case zopt(b, "km"):
		return 1000
	case zopt(b, "ft"):
		return 0.3048
	case zopt(b, "mi"):
		return 1609.34
	}
	ctx.Error(rerr.GeoUnit)
	return -1
}

// geoFloat parses args[i] as a float, replying msg when it is not one.
func geoFloat(ctx *core.Ctx, i int, msg string) (float64, bool) {
	f, ok := numfmt.ParseFloat(ctx.Args[i])
	if !ok {
		ctx.Error(msg)
	}
	return f, ok
}

// geoDistance parses "<radius> <unit>" at args[i] (extractDistanceOrReply).
func geoDistance(ctx *core.Ctx, i int) (radius, conv float64, ok bool) {
	if radius, ok = geoFloat(ctx, i, rerr.GeoRadiusNumeric); !ok {
		return
	}
	if radius < 0 {
		ctx.Error(rerr.GeoRadiusNegative)
		return 0, 0, false
	}
	if conv = geoUnit(ctx, ctx.Args[i+1]); conv < 0 {
		return 0, 0, false
	}
	return radius, conv, true
}

// geoMemberPos returns the position of member in z.
func geoMemberPos(z *zset.ZSet, member []byte) (lon, lat float64, ok bool) {
	score, ok := z.Score(member)
	if !ok {
		return 0, 0, false
	}
	lon, lat = geo.DecodeScore(score)
	return lon, lat, true
}

// geoCoord writes a coordinate as addReplyHumanLongDouble.
func geoCoord(w *resp.Writer, f float64) {
	var tmp [48]byte
	s := geo.AppendCoord(tmp[:0], f)
	if w.Proto == 3 {
		w.RawString(",")
		w.Raw(s)
		w.RawString("\r\n")
		return
	}
	w.Bulk(s)
}

// geoDist writes a distance with four fractional digits (always a bulk).
func geoDist(w *resp.Writer, d float64) {
	var tmp [48]byte
	w.Bulk(geo.AppendDistance(tmp[:0], d))
}

// geoaddCommand implements GEOADD key [NX|XX] [CH] longitude latitude
// member [...]: it becomes the ZADD of the encoded scores, which is what
// is executed, notified ("zadd") and propagated.
func geoaddCommand(ctx *core.Ctx) {
	args := ctx.Args
	xx, nx := false, false
	longidx := 2
options:
	for ; longidx < len(args); longidx++ {
		switch a := args[longidx]; {
		case zopt(a, "nx"):
			nx = true
		case zopt(a, "xx"):
			xx = true
		case zopt(a, "ch"):
		default:
			break options
		}
	}
	if (len(args)-longidx)%3 != 0 || (xx && nx) {
		ctx.Error(rerr.Syntax)
		return
	}
	elements := (len(args) - longidx) / 3
	zargs := make([][]byte, 0, longidx+elements*2)
	zargs = append(zargs, []byte("zadd"))
	zargs = append(zargs, args[1:longidx]...)
	for i := 0; i < elements; i++ {
		lon, lat, ok := geoLongLat(ctx, longidx+i*3)
		if !ok {
			return
		}
		bits := geo.EncodeWGS84(lon, lat)
		zargs = append(zargs, strconv.AppendUint(nil, bits, 10), args[longidx+i*3+2])
	}
	ctx.Args = zargs
	zaddGeneric(ctx, 0)
	ctx.Args = args
	ctx.Propagate(zargs...)
}

// geodistCommand implements GEODIST key member1 member2 [unit].
func geodistCommand(ctx *core.Ctx) {
	toMeter := 1.0
	if len(ctx.Args) == 5 {
		if toMeter = geoUnit(ctx, ctx.Args[4]); toMeter < 0 {
			return
		}
	} else if len(ctx.Args) > 5 {
		ctx.Error(rerr.Syntax)
		return
	}
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	if z == nil {
		ctx.W.Null()
		return
	}
	lon1, lat1, ok1 := geoMemberPos(z, ctx.Args[2])
	lon2, lat2, ok2 := geoMemberPos(z, ctx.Args[3])
	if !ok1 || !ok2 {
		ctx.W.Null()
		return
	}
	geoDist(ctx.W, geo.Distance(lon1, lat1, lon2, lat2)/toMeter)
}

// geohashCommand implements GEOHASH key [member ...].
func geohashCommand(ctx *core.Ctx) {
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	ctx.W.ArrayLen(len(ctx.Args) - 2)
	for _, m := range ctx.Args[2:] {
		var score float64
		found := false
		if z != nil {
			score, found = z.Score(m)
		}
		if !found {
			ctx.W.Null()
			continue
		}
		ctx.W.BulkString(geo.GeohashString(score))
	}
}

// geoposCommand implements GEOPOS key [member ...].
func geoposCommand(ctx *core.Ctx) {
	z, ok := readZSet(ctx, ctx.Args[1])
	if !ok {
		return
	}
	ctx.W.ArrayLen(len(ctx.Args) - 2)
	for _, m := range ctx.Args[2:] {
		found := false
		var lon, lat float64
		if z != nil {
			lon, lat, found = geoMemberPos(z, m)
		}
		if !found {
			ctx.W.NullArray()
			continue
		}
		ctx.W.ArrayLen(2)
		geoCoord(ctx.W, lon)
		geoCoord(ctx.W, lat)
	}
}

// Search variants (georadiusGeneric's flags).
const (
	geoByCoords = 1 << iota
	geoByMember
	geoNoStore
	geoSearch
	geoSearchStore
)

func georadiusCommand(ctx *core.Ctx)           { geoSearchGeneric(ctx, 1, geoByCoords) }
func georadiusbymemberCommand(ctx *core.Ctx)   { geoSearchGeneric(ctx, 1, geoByMember) }
func georadiusroCommand(ctx *core.Ctx)         { geoSearchGeneric(ctx, 1, geoByCoords|geoNoStore) }
func georadiusbymemberroCommand(ctx *core.Ctx) { geoSearchGeneric(ctx, 1, geoByMember|geoNoStore) }
func geosearchCommand(ctx *core.Ctx)           { geoSearchGeneric(ctx, 1, geoSearch) }
func geosearchstoreCommand(ctx *core.Ctx)      { geoSearchGeneric(ctx, 2, geoSearch|geoSearchStore) }

// geoPoint is one search result.
type geoPoint struct {
	lon, lat, dist, score float64
	member                string
}

// geoSearchGeneric is georadiusGeneric: GEORADIUS, GEORADIUSBYMEMBER,
// their _RO forms, GEOSEARCH and GEOSEARCHSTORE.
func geoSearchGeneric(ctx *core.Ctx, srcIdx int, flags int) {
	args := ctx.Args
	var storeKey []byte
	storeDist := false
	z, ok := readZSet(ctx, args[srcIdx])
	if !ok {
		return
	}
	var shape geo.Shape
	var base int
	switch {
	case flags&geoByCoords != 0:
		base = 6
		if shape.Lon, shape.Lat, ok = geoLongLat(ctx, 2); !ok {
			return
		}
		if shape.Radius, shape.Conversion, ok = geoDistance(ctx, base-2); !ok {
			return
		}
	case flags&geoByMember != 0 && z == nil:
		base = 5
	case flags&geoByMember != 0:
		base = 5
		if shape.Lon, shape.Lat, ok = geoMemberPos(z, args[2]); !ok {
			ctx.Error(rerr.GeoMember)
			return
		}
		if shape.Radius, shape.Conversion, ok = geoDistance(ctx, base-2); !ok {
			return
		}
	default:
		base = 2
		if flags&geoSearchStore != 0 {
			base = 3
			storeKey = args[1]
		}
	}

	withDist, withHash, withCoords := false, false, false
	fromMember, fromLoc, byRadius, byBox := false, false, false, false
	sortDir := 0 // 0 none, 1 asc, 2 desc
	anyFlag := false
	var count int64
	remaining := len(args) - base
	for i := 0; i < remaining; i++ {
		j := base + i
		a := args[j]
		switch {
		case zopt(a, "withdist"):
			withDist = true
		case zopt(a, "withhash"):
			withHash = true
		case zopt(a, "withcoord"):
			withCoords = true
		case zopt(a, "any"):
			anyFlag = true
		case zopt(a, "asc"):
			sortDir = 1
		case zopt(a, "desc"):
			sortDir = 2
		case zopt(a, "count") && i+1 < remaining:
			n, ok := ctx.Int(j + 1)
			if !ok {
				return
			}
			if n <= 0 {
				ctx.Error(rerr.GeoCount)
				return
			}
			count = n
			i++
		case zopt(a, "store") && i+1 < remaining && flags&(geoNoStore|geoSearch) == 0:
			storeKey, storeDist = args[j+1], false
			i++
		case zopt(a, "storedist") && i+1 < remaining && flags&(geoNoStore|geoSearch) == 0:
			storeKey, storeDist = args[j+1], true
			i++
		case zopt(a, "storedist") && flags&geoSearch != 0 && flags&geoSearchStore != 0:
			storeDist = true
		case zopt(a, "frommember") && i+1 < remaining && flags&geoSearch != 0 && !fromLoc:
			if z == nil {
				fromMember = true
				i++
				continue
			}
			if shape.Lon, shape.Lat, ok = geoMemberPos(z, args[j+1]); !ok {
				ctx.Error(rerr.GeoMember)
				return
			}
			fromMember = true
			i++
		case zopt(a, "fromlonlat") && i+2 < remaining && flags&geoSearch != 0 && !fromMember:
			if shape.Lon, shape.Lat, ok = geoLongLat(ctx, j+1); !ok {
				return
			}
			fromLoc = true
			i += 2
		case zopt(a, "byradius") && i+2 < remaining && flags&geoSearch != 0 && !byBox:
			if shape.Radius, shape.Conversion, ok = geoDistance(ctx, j+1); !ok {
				return
			}
			shape.Box = false
			byRadius = true
			i += 2
		case zopt(a, "bybox") && i+3 < remaining && flags&geoSearch != 0 && !byRadius:
			w, ok := geoFloat(ctx, j+1, rerr.GeoWidthNumeric)
			if !ok {
				return
			}
			h, ok := geoFloat(ctx, j+2, rerr.GeoHeightNumeric)
			if !ok {
				return
			}
			if h < 0 || w < 0 {
				ctx.Error(rerr.GeoBoxNegative)
				return
			}
			conv := geoUnit(ctx, args[j+3])
			if conv < 0 {
				return
			}
			shape.Width, shape.Height, shape.Conversion, shape.Box = w, h, conv, true
			byBox = true
			i += 3
		default:
			ctx.Error(rerr.Syntax)
			return
		}
	}

	if storeKey != nil && (withDist || withHash || withCoords) {
		what := "STORE option in GEORADIUS"
		if flags&geoSearchStore != 0 {
			what = "GEOSEARCHSTORE"
		}
		ctx.Errorf(rerr.GeoStoreWith, what)
		return
	}
	if flags&geoSearch != 0 && !(fromMember || fromLoc) {
		ctx.Errorf(rerr.GeoFrom, args[0])
		return
	}
	if flags&geoSearch != 0 && !(byRadius || byBox) {
		ctx.Errorf(rerr.GeoBy, args[0])
		return
	}
	if anyFlag && count == 0 {
		ctx.Error(rerr.GeoAnyCount)
		return
	}

	if z == nil {
		if storeKey != nil {
			storeResult(ctx, storeKey, nil, 0, nZSet, "", 0)
		} else {
			ctx.W.ArrayLen(0)
		}
		return
	}
	if count != 0 && sortDir == 0 && !anyFlag {
		sortDir = 1
	}

	limit := 0
	if anyFlag {
		limit = int(min(count, int64(z.Len())+1))
	}
	points := geoCollect(z, &shape, limit)

	if len(points) == 0 && storeKey == nil {
		ctx.W.ArrayLen(0)
		return
	}
	returned := len(points)
	if count != 0 && int64(returned) > count {
		returned = int(count)
	}
	switch sortDir {
	case 1:
		sort.SliceStable(points, func(a, b int) bool { return points[a].dist < points[b].dist })
	case 2:
		sort.SliceStable(points, func(a, b int) bool { return points[a].dist > points[b].dist })
	}
	points = points[:returned]

	if storeKey == nil {
		opts := 0
		for _, f := range []bool{withDist, withHash, withCoords} {
			if f {
				opts++
			}
		}
		w := ctx.W
		w.ArrayLen(returned)
		for i := range points {
			p := &points[i]
			p.dist /= shape.Conversion
			if opts > 0 {
				w.ArrayLen(opts + 1)
			}
			w.BulkString(p.member)
			if withDist {
				geoDist(w, p.dist)
			}
			if withHash {
				w.Int(int64(p.score))
			}
			if withCoords {
				w.ArrayLen(2)
				geoCoord(w, p.lon)
				geoCoord(w, p.lat)
			}
		}
		return
	}

	dst := zset.NewSkiplist(returned)
	lim := zlimits(ctx)
	for i := range points {
		p := &points[i]
		p.dist /= shape.Conversion
		score := p.score
		if storeDist {
			score = p.dist
		}
		dst.Set(p.member, score, lim)
	}
	dst.ShrinkIfSmall(lim)
	event := "georadiusstore"
	if flags&geoSearch != 0 {
		event = "geosearchstore"
	}
	storeResult(ctx, storeKey, keyspace.NewZSet(dst), returned, nZSet, event, returned)
}

// geoCollect gathers the members of z inside shape from the nine boxes
// around its center, stopping once limit are found (no limit when 0), as
// membersOfAllNeighbors and geoGetPointsInRange do.
func geoCollect(z *zset.ZSet, shape *geo.Shape, limit int) []geoPoint {
	var points []geoPoint
	for _, box := range shape.Areas() {
		if limit > 0 && len(points) >= limit {
			break
		}
		r := zset.ScoreRange{Min: box.Min, Max: box.Max, MaxEx: true}
		z.RangeByScore(&r, 0, -1, false, func(member []byte, score float64) {
			if limit > 0 && len(points) >= limit {
				return
			}
			lon, lat, dist, ok := shape.Within(score)
			if !ok {
				return
			}
			points = append(points, geoPoint{lon: lon, lat: lat, dist: dist, score: score, member: string(member)})
		})
	}
	return points
}
