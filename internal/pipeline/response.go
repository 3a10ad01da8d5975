package pipeline

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/header"
)

// metaHeaders are the headers NewResponse reads, in canonical form: first
// the request id's, in order, then the rate limit's.
var metaHeaders = [...]string{
	"X-Rid", "X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid",
	"X-Ratelimit-Limit", "Ratelimit-Limit", "X-Ratelimit-Remaining", "Ratelimit-Remaining",
	"X-Ratelimit-Reset", "Ratelimit-Reset", "Retry-After",
}

// Indexes into metaHeaders.
const (
	metaRequestIDs = 5 // the first five
	metaLimit      = 5
	metaRemaining  = 7
	metaReset      = 9
	metaRetryAfter = 11
)

// NewResponse reads the metadata of an answer: status, headers, the request
// id and the rate information. now is the time Reset and Retry-After are
// read against.
func NewResponse(status int, h http.Header, attempts int, now time.Time) *orderkit.Response {
	r := &orderkit.Response{StatusCode: status, Header: h, Attempts: attempts}
	if len(h) == 0 {
		return r
	}
	var vals [len(metaHeaders)][]string
	found := false
	if len(h) <= 16 {
		// Most answers carry neither a request id nor rate headers: one
		// pass over a few names is cheaper than a dozen lookups.
		for k, v := range h {
			if i := metaIndex(k); i >= 0 {
				vals[i], found = v, true
			}
		}
	} else {
		for i, k := range metaHeaders {
			if v, ok := h[k]; ok {
				vals[i], found = v, true
			}
		}
	}
	if !found {
		return r
	}
	for _, v := range vals[:metaRequestIDs] {
		if len(v) > 0 && v[0] != "" {
			r.RequestID = v[0]
			break
		}
	}
	r.Rate = readRate(&vals, h, now)
	return r
}

// metaIndex returns k's index in metaHeaders, or -1.
func metaIndex(k string) int {
	switch k {
	case "X-Rid":
		return 0
	case "X-Request-Id":
		return 1
	case "Request-Id":
		return 2
	case "X-Correlation-Id":
		return 3
	case "X-Amzn-Requestid":
		return 4
	case "X-Ratelimit-Limit":
		return 5
	case "Ratelimit-Limit":
		return 6
	case "X-Ratelimit-Remaining":
		return 7
	case "Ratelimit-Remaining":
		return 8
	case "X-Ratelimit-Reset":
		return 9
	case "Ratelimit-Reset":
		return 10
	case "Retry-After":
		return 11
	}
	return -1
}

func readRate(vals *[len(metaHeaders)][]string, h http.Header, now time.Time) orderkit.RateLimit {
	var rl orderkit.RateLimit
	// The first of the pair (X-RateLimit-*, RateLimit-*) that holds a value.
	get := func(i int) string {
		if v := vals[i]; len(v) > 0 && v[0] != "" {
			return strings.TrimSpace(v[0])
		}
		if v := vals[i+1]; len(v) > 0 && v[0] != "" {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	// Each header is parsed only when present: a parse error allocates.
	if v := get(metaLimit); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			rl.Limit = n
		}
	}
	if v := get(metaRemaining); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			rl.Remaining = n
		}
	}
	if v := get(metaReset); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			// A small number is seconds from now (RateLimit-Reset), a
			// large one a Unix time (X-RateLimit-Reset as many APIs send).
			if n < 1e9 {
				rl.Reset = now.Add(time.Duration(n) * time.Second).UTC()
			} else {
				rl.Reset = time.Unix(n, 0).UTC()
			}
		}
	}
	if vals[metaRetryAfter] != nil {
		if d, ok := header.RetryAfter(h, now); ok {
			rl.RetryAfter = d
		}
	}
	return rl
}
