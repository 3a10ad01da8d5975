package orderkit

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/orderkit/orderkit/internal/config"
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

// CallOption changes one call: every method takes ...CallOption last, so
// adding one never breaks a caller. The shared call options are the Call
// functions of this package plus Reference and ResolveOutcome; a client
// package may add its own (attivita.Sandbox). A call option that does not
// apply to the method it is given to, or that cannot use its value, makes
// the call fail before sending with an error that matches
// ErrInvalidArgument and names it.
type CallOption struct {
	name  string
	apply func(*config.CallSettings) error
}

func newCallOption(name string, f func(*config.CallSettings) error) CallOption {
	return CallOption{name: name, apply: f}
}

// CallHeader adds a header to one call. An empty value list removes a
// header the client sends by default, for this call.
func CallHeader(key string, values ...string) CallOption {
	return newCallOption("CallHeader", func(cs *config.CallSettings) error {
		if err := checkHeader("CallHeader", key, ""); err != nil {
			return err
		}
		if credentialHeader(key) {
			return fmt.Errorf("CallHeader: %s carries a credential; give credentials to NewClient", http.CanonicalHeaderKey(key))
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
	})
}

// CallRetry replaces the client's retry settings for one call, with the
// same rules as WithRetry.
func CallRetry(maxRetries int, waitMin, waitMax time.Duration) CallOption {
	return newCallOption("CallRetry", func(cs *config.CallSettings) error {
		if err := checkRetry("CallRetry", maxRetries, waitMin, waitMax); err != nil {
			return err
		}
		cs.Retry = &config.Retry{MaxRetries: maxRetries, WaitMin: waitMin, WaitMax: waitMax}
		return nil
	})
}

// NoRetry sends one call once, whatever the client's retry settings.
func NoRetry() CallOption {
	return newCallOption("NoRetry", func(cs *config.CallSettings) error {
		cs.Retry = &config.Retry{}
		return nil
	})
}

// CallTimeout bounds one call whole, retries included, as a context
// deadline would. Zero or a negative duration is refused.
func CallTimeout(d time.Duration) CallOption {
	return newCallOption("CallTimeout", func(cs *config.CallSettings) error {
		if d <= 0 {
			return fmt.Errorf("CallTimeout: %v is not a positive duration", d)
		}
		cs.Timeout = d
		return nil
	})
}

// CaptureResponse stores the metadata of the call's last answer in dst, on
// success and on failure (when an answer arrived). A nil dst is refused.
func CaptureResponse(dst *Response) CallOption {
	return newCallOption("CaptureResponse", func(cs *config.CallSettings) error {
		if dst == nil {
			return fmt.Errorf("CaptureResponse: nil *Response")
		}
		cs.Response = dst
		return nil
	})
}

// Reference gives a create the caller's own reference for it (an order
// number of the caller's system). The client stores it where the API lets
// it (Inventorum's note_internal, VersaCommerce's origin_id) and uses it to
// find the order again when the create's answer is lost. An empty
// reference is refused.
func Reference(ref string) CallOption {
	return newCallOption("Reference", func(cs *config.CallSettings) error {
		if strings.TrimSpace(ref) == "" {
			return fmt.Errorf("Reference: empty reference")
		}
		cs.Reference = ref
		cs.Given = append(cs.Given, "Reference")
		return nil
	})
}

// ResolveOutcome makes a create look its order up by itself when the answer
// is lost (a connection reset after sending, a 5xx, an unreadable 2xx): the
// call then returns the order that was created, or an *OutcomeError that
// says it was not created or is ambiguous. Without it the call returns
// ErrOutcomeUnknown at once and the caller resolves with the client's
// Resolve method.
func ResolveOutcome() CallOption {
	return newCallOption("ResolveOutcome", func(cs *config.CallSettings) error {
		cs.Resolve = true
		cs.Given = append(cs.Given, "ResolveOutcome")
		return nil
	})
}
