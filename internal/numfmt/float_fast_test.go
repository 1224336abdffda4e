package numfmt

import (
	"math"
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
