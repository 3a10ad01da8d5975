package versacommerce

import "time"

// SetClock replaces c's clock (time.Now) for a test that drives time, as
// the fakes' SetClock does for the server.
func SetClock(c *Client, now func() time.Time) { c.now = now }
