package numfmt

import (
	"math"
	"strconv"
	"testing"
)

// TestParseFloatSmallInt checks the integer fast path of ParseFloat
// against the general parser (ParseFloatLoose does not take it).
func TestParseFloatSmallInt(t *testing.T) {
	for _, s := range []string{"0", "-0", "7", "-7", "000000012345", "000000099999", "999999999999999",
		"-999999999999999", "1000000000000000", "9007199254740993", "-", "--1", "1-", "+1", "1.", "12a"} {
		v, ok := ParseFloatString(s)
		lv, lok := ParseFloatLooseString(s)
		if ok != lok || math.Float64bits(v) != math.Float64bits(lv) {
			t.Errorf("ParseFloatString(%q) = %v %v, the general parser %v %v", s, v, ok, lv, lok)
		}
	}
	if v, _ := ParseFloatString("-0"); !math.Signbit(v) {
		t.Error(`ParseFloatString("-0") is not -0`)
	}
}

// TestAppendFloatIntegral checks the integer path of AppendFloat against
// %.17g as strconv formats it.
func TestAppendFloatIntegral(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 12345, -99999, 1e15, 1e16, 99999999999999984, -99999999999999984,
		1e17, -1e17, 123456789012345678, 0.5, -2.5, 1e300, 5e-324}
	for i := 0; i < 64; i++ {
		vals = append(vals, float64(int64(1)<<i), -float64(int64(1)<<i), float64(int64(1)<<i)-1)
	}
	for _, v := range vals {
		got := string(AppendFloat(nil, v))
		want := strconv.FormatFloat(v, 'g', 17, 64)
		if got != want {
			t.Errorf("AppendFloat(%v) = %q, want %q", v, got, want)
		}
	}
}
