// Package header reads what both the pipeline (its retry policy) and the
// public response metadata (orderkit.Response) need from an answer's
// headers, in one place: Retry-After.
package header

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryAfter reads Retry-After as seconds or as an HTTP date: the wait it
// asks for (a date in the past is no wait, seconds are capped at a year),
// and whether the header held one.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > 86400*365 {
			secs = 86400 * 365
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
