package header

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]struct {
		d  time.Duration
		ok bool
	}{
		"":             {0, false},
		"3":            {3 * time.Second, true},
		" 7 ":          {7 * time.Second, true},
		"-1":           {0, false},
		"999999999999": {365 * 24 * time.Hour, true},
		now.Add(90 * time.Second).Format(http.TimeFormat): {90 * time.Second, true},
		now.Add(-time.Hour).Format(http.TimeFormat):       {0, true},
		"soon": {0, false},
	} {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		d, ok := RetryAfter(h, now)
		if d != want.d || ok != want.ok {
			t.Errorf("Retry-After %q: %v, %v; want %v, %v", v, d, ok, want.d, want.ok)
		}
	}
}
