// Package arena owns pointer-free memory for many small records: a slab
// allocator over 64 KiB byte pages, addressed by 32-bit references instead
// of Go pointers.
//
// The keyspace keeps each key, with a short value, in one record here
// (internal/kvtable). A record costs its bytes rounded up to 8, and the
// pages hold no pointers, so the garbage collector neither scans nor
// tracks records one by one: a million keys are about 16 pages per MB to
// the GC instead of two million objects.
//
// Data flows in through Alloc (a record of n bytes, from the free list of
// its size class or the class's current page) and out through Free (the
// record joins its class's free list, linked through its first 4 bytes).
// Bytes turns a reference back into the record's bytes. Records larger
// than a page's share get a page of their own, released on Free.
//
// Pages are never returned to the Go heap while the arena lives (as an
// allocator keeps its arenas); freed records are reused by later records
// of the same class. Reset drops everything at once (FLUSHDB).
package arena
