package rdb

import "encoding/binary"

// Zipmap layout (zipmap.c, read only: Redis 2.4 hashes): a count byte (254
// when unknown), then entries <len>field<len><free>value<free bytes>, then
// 0xFF. A length is one byte below 254, or 254 and a uint32 LE.
const (
	zmBigLen = 254
	zmEnd    = 255
)

// walkZipmap validates a zipmap like zipmapValidateIntegrity with deep
// checks and calls fn for each field/value pair. Slices alias zm.
func walkZipmap(zm []byte, fn func(field, value []byte) error) error {
	if len(zm) < 2 {
		return errCorrupt("Zipmap integrity check failed: too short")
	}
	last := len(zm) - 1
	if zm[last] != zmEnd {
		return errCorrupt("Zipmap integrity check failed: no terminator")
	}
	// readLen decodes the length at p and returns it with its size.
	readLen := func(p int) (int, int, bool) {
		if zm[p] < zmBigLen {
			return int(zm[p]), 1, true
		}
		if p+5 > last {
			return 0, 0, false
		}
		l := int(binary.LittleEndian.Uint32(zm[p+1:]))
		if l < zmBigLen {
			return 0, 0, false // must have used the one-byte form
		}
		return l, 5, true
	}
	p, count := 1, 0
	for zm[p] != zmEnd {
		fl, s, ok := readLen(p)
		if !ok || fl > last || p+s+fl > last {
			return errCorrupt("Zipmap integrity check failed: field out of range")
		}
		field := zm[p+s : p+s+fl : p+s+fl]
		p += s + fl
		vl, s, ok := readLen(p)
		if !ok || p+s >= last {
			return errCorrupt("Zipmap integrity check failed: value out of range")
		}
		free := int(zm[p+s])
		p += s + 1
		if vl > last || p+vl+free > last {
			return errCorrupt("Zipmap integrity check failed: value out of range")
		}
		value := zm[p : p+vl : p+vl]
		p += vl + free
		if err := fn(field, value); err != nil {
			return err
		}
		count++
	}
	if count == 0 {
		return errCorrupt("Zipmap integrity check failed: empty zipmap")
	}
	if zm[0] != zmBigLen && int(zm[0]) != count {
		return errCorrupt("Zipmap integrity check failed: element count mismatch")
	}
	return nil
}
