package arena

import "encoding/binary"

// Ref addresses a record. The zero Ref is no record.
//
// A slab record's Ref is its page number (plus one) in the upper bits and
// its offset in the page, in 8-byte units, in the lower offsetBits; a
// large record's Ref has the top bit set and indexes the large table.
type Ref uint32

const (
	pageShift  = 16
	pageSize   = 1 << pageShift // bytes per slab page
	offsetBits = pageShift - 3  // offsets in 8-byte units
	largeBit   = Ref(1) << 31

	// MaxSlab is the largest record served from the slab pages; larger
	// ones get a page of their own.
	MaxSlab = 1024
	classes = MaxSlab / 8
)

// maxPages is how many slab pages the page field addresses (a variable
// for the tests).
var maxPages = 1<<(31-offsetBits) - 1

// Arena is a slab allocator. The zero value is ready to use. An Arena is
// not safe for concurrent use.
type Arena struct {
	pages [][]byte
	// free is each class's free list head; next is where the class's
	// current page has unused room (0: none).
	free, next [classes + 1]Ref
	large      [][]byte
	freeLarge  []uint32
	// inUse is the bytes of live records (rounded sizes); pageBytes the
	// bytes of the pages and large records held.
	inUse, pageBytes int64
}

// class returns the size class of an n-byte record: its size in 8-byte
// units.
func class(n int) int { return (n + 7) >> 3 }

// Alloc returns a new record of n bytes (n > 0) and its bytes, which hold
// whatever the record's last owner left (the caller writes all of them).
func (a *Arena) Alloc(n int) (Ref, []byte) {
	if n > MaxSlab {
		return a.allocLarge(n)
	}
	c := class(n)
	size := c << 3
	a.inUse += int64(size)
	if r := a.free[c]; r != 0 {
		b := a.slab(r, size)
		a.free[c] = Ref(binary.LittleEndian.Uint32(b))
		return r, b[:n]
	}
	r := a.next[c]
	if r == 0 {
		if len(a.pages) >= maxPages {
			// The slab address space (16 GiB) is full: records go on
			// as large ones, a Go allocation each.
			a.inUse -= int64(size)
			return a.allocLarge(n)
		}
		r = a.newPage()
	}
	off := int(r&(1<<offsetBits-1)) << 3
	if off+2*size <= pageSize {
		a.next[c] = r + Ref(c)
	} else {
		a.next[c] = 0
	}
	return r, a.slab(r, size)[:n]
}

// newPage adds a slab page and returns the Ref of its first record.
func (a *Arena) newPage() Ref {
	a.pages = append(a.pages, make([]byte, pageSize))
	a.pageBytes += pageSize
	return Ref(len(a.pages)) << offsetBits
}

func (a *Arena) allocLarge(n int) (Ref, []byte) {
	b := make([]byte, n)
	a.inUse += int64(n)
	a.pageBytes += int64(n)
	if k := len(a.freeLarge); k > 0 {
		i := a.freeLarge[k-1]
		a.freeLarge = a.freeLarge[:k-1]
		a.large[i] = b
		return largeBit | Ref(i), b
	}
	a.large = append(a.large, b)
	return largeBit | Ref(len(a.large)-1), b
}

// slab returns the size bytes of slab record r.
func (a *Arena) slab(r Ref, size int) []byte {
	p := a.pages[r>>offsetBits-1]
	off := int(r&(1<<offsetBits-1)) << 3
	return p[off : off+size : off+size]
}

// Bytes returns the n bytes of record r, as allocated with size n (or
// fewer: a prefix). They stay valid until r is freed or the arena reset.
func (a *Arena) Bytes(r Ref, n int) []byte {
	if r&largeBit != 0 {
		return a.large[r&^largeBit][:n]
	}
	p := a.pages[r>>offsetBits-1]
	off := int(r&(1<<offsetBits-1)) << 3
	return p[off : off+n : off+n]
}

// Cap returns how many bytes a record allocated with n bytes may use:
// n rounded up to its size class.
func Cap(n int) int {
	if n > MaxSlab {
		return n
	}
	return class(n) << 3
}

// Free releases record r, allocated with n bytes. Its bytes may be handed
// out again by the next Alloc of its class.
func (a *Arena) Free(r Ref, n int) {
	if r&largeBit != 0 {
		i := uint32(r &^ largeBit)
		a.inUse -= int64(len(a.large[i]))
		a.pageBytes -= int64(len(a.large[i]))
		a.large[i] = nil
		a.freeLarge = append(a.freeLarge, i)
		return
	}
	c := class(n)
	a.inUse -= int64(c << 3)
	binary.LittleEndian.PutUint32(a.slab(r, 4), uint32(a.free[c]))
	a.free[c] = r
}

// Reset releases every record and page.
func (a *Arena) Reset() { *a = Arena{} }

// InUse returns the bytes of live records, each rounded to its class.
func (a *Arena) InUse() int64 { return a.inUse }

// Held returns the bytes of pages and large records the arena holds.
func (a *Arena) Held() int64 { return a.pageBytes }
