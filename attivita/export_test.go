package attivita

import "time"

// SetClientClock replaces c's clock (time.Now) for tests that move time
// without sleeping: the times of a lost create and of its lookups.
func SetClientClock(c *Client, now func() time.Time) { c.now = now }
