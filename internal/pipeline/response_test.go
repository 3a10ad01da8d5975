package pipeline

import (
	"net/http"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/stretchr/testify/assert"
)

func TestNewResponseReadsRequestIDAndRate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	h := http.Header{}
	h.Set("x-rid", "rid-1")
	h.Set("X-Request-Id", "other")
	h.Set("X-RateLimit-Limit", "20")
	h.Set("X-RateLimit-Remaining", "7")
	h.Set("X-RateLimit-Reset", "1796126400")
	h.Set("Retry-After", "3")
	r := NewResponse(200, h, 2, now)
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, 2, r.Attempts)
	assert.Equal(t, "rid-1", r.RequestID, "x-rid comes first")
	assert.Equal(t, orderkit.RateLimit{Limit: 20, Remaining: 7, Reset: time.Unix(1796126400, 0).UTC(), RetryAfter: 3 * time.Second}, r.Rate)
	assert.True(t, r.Rate.Known())

	h = http.Header{}
	h.Set("X-Request-Id", "req-2")
	h.Set("RateLimit-Reset", "30")
	h.Set("Retry-After", now.Add(time.Minute).Format(http.TimeFormat))
	r = NewResponse(429, h, 1, now)
	assert.Equal(t, "req-2", r.RequestID)
	assert.Equal(t, now.Add(30*time.Second), r.Rate.Reset, "a small reset is seconds from now")
	assert.Equal(t, time.Minute, r.Rate.RetryAfter)

	r = NewResponse(204, nil, 1, now)
	assert.Empty(t, r.RequestID)
	assert.False(t, r.Rate.Known())

	h = http.Header{}
	h.Set("X-RateLimit-Limit", "lots")
	h.Set("Retry-After", "-4")
	assert.False(t, NewResponse(200, h, 1, now).Rate.Known(), "unreadable values are left zero")
}

func TestResponseMetadataCostsNoAllocationsForAbsentHeaders(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"}}
	now := time.Now()
	if n := testing.AllocsPerRun(100, func() { _ = NewResponse(200, h, 1, now) }); n > 1 {
		t.Errorf("NewResponse allocates %v times; want 1 (the Response)", n)
	}
}

func TestStatusKinds(t *testing.T) {
	for code, want := range map[int]error{404: ErrNotFound, 401: ErrUnauthorized, 403: ErrForbidden,
		409: ErrConflict, 429: ErrRateLimited, 500: ErrServer, 503: ErrServer} {
		assert.Equal(t, []error{want}, statusKinds(code), code)
	}
	assert.Nil(t, statusKinds(400))
	e := &Error{API: "attivita", Method: "POST", URL: "https://api.attivita.de/api/orders", StatusCode: 502}
	addKind(e, statusKinds(502)...)
	addKind(e, ErrOutcomeUnknown, ErrOutcomeUnknown, nil)
	assert.Len(t, e.Kinds, 2, "each kind once, nil ignored")
	assert.ErrorIs(t, e, ErrServer)
	assert.Contains(t, e.Error(), "502 Bad Gateway: "+ErrOutcomeUnknown.Error())
}
