package command_test

import (
	"strings"
	"testing"
)

// The geo tests compare reply bytes with those of redis-server 7.0.15 for
// the same commands (the Sicily example of the Redis documentation).

func geoSicily(c *hsConn) {
	c.t.Helper()
	c.expect(":2\r\n", "GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania")
}

func TestGeoAddStoresGeohashScores(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		geoSicily(c)
		c.expect("*4\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n",
			"ZRANGE", "Sicily", "0", "-1", "WITHSCORES")
		// NX: existing members untouched; CH counts changes; XX and NX clash.
		c.expect(":1\r\n", "GEOADD", "Sicily", "CH", "NX", "13.5", "38.1", "Palermo", "12.758489", "38.788135", "edge1")
		c.expect(":1\r\n", "GEOADD", "Sicily", "XX", "CH", "12.758489", "38.7", "edge1", "1", "1", "nothere")
		c.expect("$-1\r\n", "ZSCORE", "Sicily", "nothere")
		c.expect("-ERR syntax error\r\n", "GEOADD", "Sicily", "XX", "NX", "1", "2", "x")
		c.expect("-ERR syntax error\r\n", "GEOADD", "Sicily", "1", "2", "x", "3")
		c.expect("-ERR invalid longitude,latitude pair 200.000000,2.000000\r\n", "GEOADD", "Sicily", "200", "2", "x")
		c.expect("-ERR invalid longitude,latitude pair 1.000000,85.100000\r\n", "GEOADD", "Sicily", "1", "85.1", "x")
		c.expect("-ERR value is not a valid float\r\n", "GEOADD", "Sicily", "foo", "2", "x")
		c.expect("-ERR wrong number of arguments for 'geoadd' command\r\n", "GEOADD", "Sicily", "1", "2")
		c.expect("+OK\r\n", "SET", "str", "x")
		c.expect("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "GEOADD", "str", "1", "1", "a")
	})
}

func TestGeoReadCommandsBytes(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		geoSicily(c)
		c.expect("$8\r\n166.2742\r\n", "GEODIST", "Sicily", "Palermo", "Catania", "km")
		c.expect("$11\r\n166274.1516\r\n", "GEODIST", "Sicily", "Palermo", "Catania")
		c.expect("$8\r\n103.3182\r\n", "GEODIST", "Sicily", "Palermo", "Catania", "mi")
		c.expect("$11\r\n545518.8700\r\n", "GEODIST", "Sicily", "Palermo", "Catania", "ft")
		c.expect("-ERR unsupported unit provided. please use M, KM, FT, MI\r\n", "GEODIST", "Sicily", "Palermo", "Catania", "yd")
		c.expect("$-1\r\n", "GEODIST", "Sicily", "Palermo", "nope")
		c.expect("$-1\r\n", "GEODIST", "nokey", "a", "b")
		c.expect("*2\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*-1\r\n",
			"GEOPOS", "Sicily", "Palermo", "nope")
		c.expect("*3\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n$-1\r\n", "GEOHASH", "Sicily", "Palermo", "Catania", "nope")
		c.expect("*1\r\n*-1\r\n", "GEOPOS", "nokey", "a")
	})
}

func TestGeoResp3(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		geoSicily(c)
		if got := c.raw("HELLO", "3"); !strings.HasPrefix(got, "%7\r\n") {
			t.Fatalf("hello: %q", got)
		}
		c.expect("*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n", "GEOPOS", "Sicily", "Palermo", "nope")
		c.expect("$11\r\n166274.1516\r\n", "GEODIST", "Sicily", "Palermo", "Catania")
		c.expect("_\r\n", "GEODIST", "Sicily", "Palermo", "nope")
		c.expect("*2\r\n*3\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n*3\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n",
			"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST", "WITHCOORD")
	})
}

func TestGeoSearchBytes(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		geoSicily(c)
		c.expect("*2\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n",
			"GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH", "ASC")
		c.expect("*1\r\n*2\r\n$7\r\nCatania\r\n$8\r\n166.2742\r\n", "GEORADIUSBYMEMBER", "Sicily", "Palermo", "300", "km", "DESC", "COUNT", "1", "WITHDIST")
		c.expect("*2\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n",
			"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "WITHDIST")
		// Without ASC/DESC the order is that of the geohash boxes.
		c.expect("*2\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n",
			"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST")
		c.expect("*1\r\n$7\r\nCatania\r\n", "GEOSEARCH", "Sicily", "FROMMEMBER", "Catania", "BYRADIUS", "10", "km")
		c.expect("*0\r\n", "GEOSEARCH", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "10", "km")
		c.expect("*1\r\n$7\r\nCatania\r\n", "GEORADIUS_RO", "Sicily", "15", "37", "100", "km")
		c.expect("*1\r\n$7\r\nPalermo\r\n", "GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", "1", "km")
		c.expect("*0\r\n", "GEORADIUSBYMEMBER", "nokey", "Palermo", "1", "km")
	})
}

func TestGeoSearchErrors(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		geoSicily(c)
		for _, tc := range []struct {
			want string
			args []string
		}{
			{"-ERR wrong number of arguments for 'geosearch' command\r\n", []string{"geoSearch", "Sicily", "FROMLONLAT", "15", "37"}},
			{"-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geoSearch\r\n", []string{"geoSearch", "Sicily", "BYRADIUS", "1", "km", "ASC", "WITHDIST"}},
			{"-ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH\r\n", []string{"GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "ASC", "WITHDIST"}},
			{"-ERR syntax error\r\n", []string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "FROMMEMBER", "Palermo"}},
			{"-ERR syntax error\r\n", []string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST"}},
			{"-ERR invalid longitude,latitude pair 200.000000,37.000000\r\n", []string{"GEOSEARCH", "Sicily", "FROMLONLAT", "200", "37", "BYRADIUS", "1", "km"}},
			{"-ERR height or width cannot be negative\r\n", []string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "-1", "2", "km"}},
			{"-ERR need numeric width\r\n", []string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "a", "2", "km"}},
			{"-ERR need numeric height\r\n", []string{"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "1", "b", "km"}},
			{"-ERR need numeric radius\r\n", []string{"GEORADIUS", "Sicily", "15", "37", "abc", "km"}},
			{"-ERR radius cannot be negative\r\n", []string{"GEORADIUS", "Sicily", "15", "37", "-1", "km"}},
			{"-ERR could not decode requested zset member\r\n", []string{"GEORADIUSBYMEMBER", "Sicily", "nope", "1", "km"}},
			{"-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n", []string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "x", "WITHDIST"}},
			{"-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n", []string{"GEOSEARCHSTORE", "x", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHCOORD"}},
			{"-ERR the ANY argument requires COUNT argument\r\n", []string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "ANY"}},
			{"-ERR COUNT must be > 0\r\n", []string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "0"}},
			{"-ERR value is not an integer or out of range\r\n", []string{"GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "x"}},
			{"-ERR syntax error\r\n", []string{"GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "x"}},
		} {
			c.expect(tc.want, tc.args...)
		}
	})
}

func TestGeoStore(t *testing.T) {
	hsRun(t, func(c *hsConn) {
		geoSicily(c)
		c.expect(":2\r\n", "GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "dst")
		c.expect("*4\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n$7\r\nCatania\r\n$16\r\n3479447370796909\r\n",
			"ZRANGE", "dst", "0", "-1", "WITHSCORES")
		c.expect(":1\r\n", "GEOSEARCHSTORE", "d2", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "ASC", "COUNT", "1", "STOREDIST")
		c.expect("*2\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n", "ZRANGE", "d2", "0", "-1", "WITHSCORES")
		// STOREDIST scores carry all 17 digits of the distance.
		c.expect(":2\r\n", "GEOSEARCHSTORE", "d3", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST")
		c.expect("*4\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$7\r\nPalermo\r\n$18\r\n190.44242984775784\r\n",
			"ZRANGE", "d3", "0", "-1", "WITHSCORES")
		// An empty result deletes the destination.
		c.expect(":0\r\n", "GEOSEARCHSTORE", "d2", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km")
		c.expect(":0\r\n", "EXISTS", "d2")
		c.expect(":0\r\n", "GEORADIUS", "nokey", "15", "37", "200", "km", "STORE", "dst")
		c.expect(":0\r\n", "EXISTS", "dst")
		c.expect("*2\r\n$1\r\na\r\n$1\r\nb\r\n", "COMMAND", "GETKEYS", "GEORADIUS", "a", "1", "2", "3", "km", "STORE", "b")
	})
}
