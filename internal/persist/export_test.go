package persist

// SetTestHookPrepared makes every AOF rewrite call fn between the
// preparation of its next incr file and the switch to it (with no lock
// held), until the returned function restores the previous hook.
func SetTestHookPrepared(fn func()) (restore func()) {
	old := testHookPrepared.Swap(&fn)
	return func() { testHookPrepared.Store(old) }
}
