package orderkit

import (
	"fmt"
	"github.com/orderkit/orderkit/internal/header"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Response is the metadata of an answer: what a caller needs to log a call
// or open a support ticket. Every *Error carries the last answer's; on
// success, CaptureResponse hands it over.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the answer's headers.
	Header http.Header
	// Attempts counts the requests sent, retries included.
	Attempts int
	// RequestID is the vendor's id for this answer, read from the first of
	// x-rid (Inventorum), X-Request-Id, Request-Id, X-Correlation-Id and
	// X-Amzn-RequestId that is present; empty when none is.
	RequestID string
	// Rate is the rate-limit state the answer reported, where it did.
	Rate RateLimit
}

// RateLimit is what an answer says of the API's rate limit, read from the
// X-RateLimit-* or RateLimit-* headers and Retry-After. A field the answer
// does not send is zero; Known reports whether any was sent.
type RateLimit struct {
	// Limit is the number of requests allowed in the window.
	Limit int
	// Remaining is the number of requests left in the window.
	Remaining int
	// Reset is when the window starts anew.
	Reset time.Time
	// RetryAfter is the wait the server asked for.
	RetryAfter time.Duration
}

// Known reports whether the answer said anything of its rate limit.
func (r RateLimit) Known() bool {
	return r.Limit != 0 || r.Remaining != 0 || !r.Reset.IsZero() || r.RetryAfter != 0
}

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
func NewResponse(status int, h http.Header, attempts int, now time.Time) *Response {
	r := &Response{StatusCode: status, Header: h, Attempts: attempts}
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

func readRate(vals *[len(metaHeaders)][]string, h http.Header, now time.Time) RateLimit {
	var rl RateLimit
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

// CallSettings is what a CallOption changes: the settings of one call.
// Client methods read them; a caller builds them only through CallOptions.
type CallSettings struct {
	// Header is added to this call's request; a key with no values removes
	// the client's header of that name for this call.
	Header http.Header
	// Retry, when set, replaces the client's retry settings for this call.
	Retry *RetrySettings
	// Timeout, when positive, bounds this call whole, retries included (as
	// a context deadline would).
	Timeout time.Duration
	// Response, when set, receives the metadata of the call's last answer,
	// on success and on failure.
	Response *Response
	// Reference is the caller's own reference for a create (an order number
	// of the caller's system), which the client stores where the API lets
	// it and uses to find the order again after an unknown outcome.
	Reference string
	// Resolve asks a create to look the order up by itself when its answer
	// is lost, instead of returning ErrOutcomeUnknown at once.
	Resolve bool
}

// RetrySettings are the retry bounds of one call.
type RetrySettings struct {
	MaxRetries       int
	WaitMin, WaitMax time.Duration
}

// CallOption changes the settings of one call. Every method of every client
// takes them as its last, variadic parameters, so adding one never breaks a
// caller:
//
//	var meta orderkit.Response
//	order, err := c.Orders.Get(ctx, id, orderkit.CaptureResponse(&meta), orderkit.CallTimeout(5*time.Second))
//	log.Println(meta.RequestID)
type CallOption func(*CallSettings) error

// ApplyCallOptions returns the settings opts make. A nil option, or one
// that refuses its value, is an error wrapping ErrInvalidArgument.
func ApplyCallOptions(opts []CallOption) (CallSettings, error) {
	if len(opts) == 0 {
		return CallSettings{}, nil
	}
	var cs CallSettings
	for i, o := range opts {
		if o == nil {
			return cs, fmt.Errorf("%w: call option %d is nil", ErrInvalidArgument, i+1)
		}
		if err := o(&cs); err != nil {
			return cs, fmt.Errorf("%w: call option %d: %v", ErrInvalidArgument, i+1, err)
		}
	}
	return cs, nil
}

// CallHeader adds a header to one call. An empty value list removes a
// header the client sends by default, for this call.
func CallHeader(key string, values ...string) CallOption {
	return func(cs *CallSettings) error {
		if err := checkHeader("CallHeader", key, ""); err != nil {
			return err
		}
		for _, v := range values {
			if err := checkHeader("CallHeader", key, v); err != nil {
				return err
			}
		}
		if cs.Header == nil {
			cs.Header = http.Header{}
		}
		k := http.CanonicalHeaderKey(key)
		if len(values) == 0 {
			cs.Header[k] = nil
			return nil
		}
		cs.Header[k] = append(cs.Header[k], values...)
		return nil
	}
}

// CallRetry replaces the client's retry settings for one call, with the
// same rules as WithRetry.
func CallRetry(maxRetries int, waitMin, waitMax time.Duration) CallOption {
	return func(cs *CallSettings) error {
		if err := checkRetry("CallRetry", maxRetries, waitMin, waitMax); err != nil {
			return err
		}
		cs.Retry = &RetrySettings{MaxRetries: maxRetries, WaitMin: waitMin, WaitMax: waitMax}
		return nil
	}
}

// NoRetry sends one call once, whatever the client's retry settings.
func NoRetry() CallOption {
	return func(cs *CallSettings) error {
		cs.Retry = &RetrySettings{}
		return nil
	}
}

// CallTimeout bounds one call whole, retries included, as a context
// deadline would. Zero or a negative duration is refused.
func CallTimeout(d time.Duration) CallOption {
	return func(cs *CallSettings) error {
		if d <= 0 {
			return fmt.Errorf("CallTimeout: %v is not a positive duration", d)
		}
		cs.Timeout = d
		return nil
	}
}

// CaptureResponse stores the metadata of the call's last answer in dst, on
// success and on failure (when an answer arrived). A nil dst is refused.
func CaptureResponse(dst *Response) CallOption {
	return func(cs *CallSettings) error {
		if dst == nil {
			return fmt.Errorf("CaptureResponse: nil *Response")
		}
		cs.Response = dst
		return nil
	}
}

// Reference gives a create the caller's own reference for it (an order
// number of the caller's system). The client stores it where the API lets
// it (Inventorum's note_internal, VersaCommerce's origin_id) and uses it to
// find the order again when the create's answer is lost. An empty
// reference is refused.
func Reference(ref string) CallOption {
	return func(cs *CallSettings) error {
		if strings.TrimSpace(ref) == "" {
			return fmt.Errorf("Reference: empty reference")
		}
		cs.Reference = ref
		return nil
	}
}

// ResolveOutcome makes a create look its order up by itself when the answer
// is lost (a connection reset after sending, a 5xx, an unreadable 2xx): the
// call then returns the order that was created, or an *OutcomeError that
// says it was not created or is ambiguous. Without it the call returns
// ErrOutcomeUnknown at once and the caller resolves with the client's
// Resolve method.
func ResolveOutcome() CallOption {
	return func(cs *CallSettings) error {
		cs.Resolve = true
		return nil
	}
}
