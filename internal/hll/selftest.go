package hll

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
)

// SelfTest is PFSELFTEST: it checks dense register access with random
// values, then adds ten million distinct elements to a dense and a sparse
// HLL side by side, checking at every power of ten that the sparse one
// stays sparse while small, that both agree, and that the error is within
// six standard errors. It returns "" on success, else Redis's TESTFAILED
// text.
func SelfTest(sparseMax int) string {
	dense := make([]byte, DenseSize)
	copy(dense, "HYLL")
	regs := dense[HeaderSize:]
	var want [Registers]uint8
	for j := 0; j < 1000; j++ {
		for i := range want {
			r := uint8(rand.Uint32() & RegisterMax)
			want[i] = r
			setReg(regs, i, r)
		}
		for i := range want {
			if v := getReg(regs, i); v != want[i] {
				return fmt.Sprintf("TESTFAILED Register %d should be %d but is %d", i, want[i], v)
			}
		}
	}
	clear(regs)
	sparse := New()
	relerr := 1.04 / math.Sqrt(Registers)
	checkpoint := int64(1)
	seed := rand.Uint64()
	var ele [8]byte
	for j := int64(1); j <= 10000000; j++ {
		binary.LittleEndian.PutUint64(ele[:], uint64(j)^seed)
		idx, cnt := PatLen(ele[:])
		denseSet(regs, idx, cnt)
		sparse, _ = Set(sparse, idx, cnt, sparseMax)
		if j != checkpoint {
			continue
		}
		if j < int64(sparseMax/2) && sparse[4] != EncSparse {
			return "TESTFAILED sparse encoding not used"
		}
		dc, _ := Count(dense)
		sc, _ := Count(sparse)
		if dc != sc {
			return "TESTFAILED dense/sparse disagree"
		}
		abserr := checkpoint - int64(dc)
		maxerr := int64(math.Ceil(relerr * 6 * float64(checkpoint)))
		if j == 10 {
			maxerr = 1
		}
		if abserr < 0 {
			abserr = -abserr
		}
		if abserr > maxerr {
			return fmt.Sprintf("TESTFAILED Too big error. card:%d abserr:%d", checkpoint, abserr)
		}
		checkpoint *= 10
	}
	return ""
}
