package inventorumtest

import (
	"time"

	"github.com/orderkit/orderkit/internal/fakehttp"
)

// The faults every orderkit fake offers, under the same names and with the
// same meanings. Each applies to the next request for the orders or basket
// endpoints (token refreshes pass them by), in the order they were queued;
// Count counts faulted requests too.

// FailNext makes the next request answer status with body, without acting
// on it. Several calls queue several failures.
func (s *Server) FailNext(status int, body string) {
	s.faults.Push(fakehttp.Fault{Kind: fakehttp.FailStatus, Status: status, Body: body})
}

// FailNextRetryAfter is FailNext with a Retry-After header of after
// (rounded up to whole seconds), as a 429 or 503 carries.
func (s *Server) FailNextRetryAfter(status int, after time.Duration, body string) {
	s.faults.Push(fakehttp.Fault{Kind: fakehttp.FailStatus, Status: status, Body: body, RetryAfter: after})
}

// DropNextBeforeActing closes the next request's connection without acting
// on it and without an answer: a basket is not created.
func (s *Server) DropNextBeforeActing() {
	s.faults.Push(fakehttp.Fault{Kind: fakehttp.DropBeforeActing})
}

// DropNextAfterActing acts on the next request (a basket is created), then
// closes the connection without an answer.
func (s *Server) DropNextAfterActing() {
	s.faults.Push(fakehttp.Fault{Kind: fakehttp.DropAfterActing})
}

// FailNextAfterActing acts on the next request, then answers status and
// body instead (a proxy's 502 after the API created the basket).
func (s *Server) FailNextAfterActing(status int, body string) {
	s.faults.Push(fakehttp.Fault{Kind: fakehttp.FailAfterActing, Status: status, Body: body})
}

// TruncateNextAfterActing acts on the next request, then sends its answer's
// headers and only half its body, and closes the connection.
func (s *Server) TruncateNextAfterActing() {
	s.faults.Push(fakehttp.Fault{Kind: fakehttp.TruncateAfterActing})
}

// DelayNext waits d (or until the request is given up) before serving the
// next request normally.
func (s *Server) DelayNext(d time.Duration) {
	s.faults.Push(fakehttp.Fault{Kind: fakehttp.Delay, Delay: d})
}
