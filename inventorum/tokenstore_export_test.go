package inventorum

import "time"

// SetStoreRetryFor sets how long a rotated token's store is retried, for
// a test, and returns the function that restores it.
func SetStoreRetryFor(d time.Duration) (restore func()) {
	old := storeRetryFor
	storeRetryFor = d
	return func() { storeRetryFor = old }
}
