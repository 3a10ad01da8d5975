package fakehttp

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Server is what every orderkit fake has in common: the faults it can be
// told to commit, the log of the requests it received, its clock, and an
// in-memory transport. A fake embeds it and wires it in its NewServer with
// Bind; its ServeHTTP calls Record and Serve (see the package doc). The
// zero Server is ready but for Transport, which needs Bind; it is safe for
// concurrent use.
//
// Each fault method queues one fault; the faults apply to the coming
// requests in the order they were queued, one each. A fault queued for a
// method and path (FailNextOn) waits for a request with that method and
// path and lets others by.
type Server[R any] struct {
	faults Faults
	log    Log[R]

	mu      sync.Mutex
	now     func() time.Time
	handler http.Handler
}

// FailNext makes the next request answer status with body, without acting
// on it. A body starting with '{' or '[' is sent as JSON, one starting with
// '<' as XML.
func (s *Server[R]) FailNext(status int, body string) {
	s.faults.Push(Fault{Kind: FailStatus, Status: status, Body: body})
}

// FailNextOn is FailNext for the next request with that method and path
// only, such as ("POST", "/api/orders"); other requests pass it by and are
// answered as usual.
func (s *Server[R]) FailNextOn(method, path string, status int, body string) {
	s.faults.Push(Fault{Kind: FailStatus, Status: status, Body: body, Method: method, Path: path})
}

// FailNextRetryAfter is FailNext with a Retry-After header of after
// (rounded up to whole seconds), as a 429 or 503 that turns a request
// away carries.
func (s *Server[R]) FailNextRetryAfter(status int, after time.Duration, body string) {
	s.faults.Push(Fault{Kind: FailStatus, Status: status, Body: body, RetryAfter: after})
}

// DropNextBeforeActing closes the next request's connection without acting
// on it and without an answer: nothing is created, and the client cannot
// tell.
func (s *Server[R]) DropNextBeforeActing() {
	s.faults.Push(Fault{Kind: DropBeforeActing})
}

// DropNextAfterActing carries out the next request (an order is created),
// then closes the connection without an answer.
func (s *Server[R]) DropNextAfterActing() {
	s.faults.Push(Fault{Kind: DropAfterActing})
}

// FailNextAfterActing carries out the next request, then answers status
// and body instead of the real answer (a proxy's 502 after the API acted).
func (s *Server[R]) FailNextAfterActing(status int, body string) {
	s.faults.Push(Fault{Kind: FailAfterActing, Status: status, Body: body})
}

// TruncateNextAfterActing carries out the next request, then sends the
// real answer's status and headers, its full Content-Length and only half
// its body, and closes the connection: reading the body ends in
// io.ErrUnexpectedEOF.
func (s *Server[R]) TruncateNextAfterActing() {
	s.faults.Push(Fault{Kind: TruncateAfterActing})
}

// DelayNext waits d before serving the next request normally. A request
// given up on (its context ends) while it waits is not carried out.
func (s *Server[R]) DelayNext(d time.Duration) {
	s.faults.Push(Fault{Kind: Delay, Delay: d})
}

// Requests returns every request the fake received, oldest first, faulted
// ones included.
func (s *Server[R]) Requests() []R { return s.log.All() }

// Count returns how many requests with method and path the fake received,
// faulted ones included. method is compared exactly ("POST").
func (s *Server[R]) Count(method, path string) int { return s.log.Count(method, path) }

// SetClock replaces the fake's clock, time.Now by default (nil restores
// it). What the fake dates and the Date header of every answer come from
// it: a fixed clock makes the fake answer the same on every run, a skewed
// one tests a client against a server whose clock is off.
func (s *Server[R]) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Now returns the time on the fake's clock (see SetClock).
func (s *Server[R]) Now() time.Time {
	s.mu.Lock()
	now := s.now
	s.mu.Unlock()
	if now == nil {
		return time.Now()
	}
	return now()
}

// Transport returns an http.RoundTripper that serves every request with
// the fake, in memory and whatever the URL's host, without opening a
// socket:
//
//	hc := &http.Client{Transport: fake.Transport()}
//
// Faults behave as on the wire: a dropped connection is an error of the
// round trip, a truncated body ends in io.ErrUnexpectedEOF, and a request
// whose context ends before its answer fails with the context's error.
func (s *Server[R]) Transport() http.RoundTripper { return roundTripper{s.bound} }

// bound returns the handler Bind gave, nil before.
func (s *Server[R]) bound() http.Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handler
}

// Bind tells s the fake's whole handler (the fake itself), which its
// Transport serves requests with. A fake calls it once, in its NewServer.
func Bind[R any](s *Server[R], h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = h
}

// Record adds req to the requests s returns from Requests, counted by
// Count under method and path. A fake's ServeHTTP calls it for every
// request (deferred, to record what the answer was).
func Record[R any](s *Server[R], method, path string, req R) { s.log.Add(method, path, req) }

// Serve answers r with next, the fake's real handler, after the next
// queued fault that matches r: next runs only when the fault lets it (see
// FaultKind). Every answer, faulted ones included, carries a Date header
// from the fake's clock; next may set it again.
func Serve[R any](s *Server[R], w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	w.Header().Set("Date", s.Now().UTC().Format(http.TimeFormat))
	s.faults.Serve(w, r, next)
}

// Push queues any fault for s's coming requests, for a fake that offers
// more than the shared vocabulary.
func Push[R any](s *Server[R], f Fault) { s.faults.Push(f) }

// roundTripper serves requests in memory with the handler that handler
// returns.
type roundTripper struct{ handler func() http.Handler }

// errDropped is the error of a round trip whose connection the fake
// dropped without an answer.
var errDropped = errors.New("fakehttp: connection closed without an answer")

func (t roundTripper) RoundTrip(r *http.Request) (resp *http.Response, err error) {
	h := t.handler()
	if r.Body != nil {
		defer r.Body.Close()
	}
	if h == nil {
		return nil, errors.New("fakehttp: Transport of a fake that was not bound (Bind)")
	}
	// The handler gets the request as a server would, leaving the
	// caller's untouched.
	sr := r.Clone(r.Context())
	if sr.Body == nil {
		sr.Body = http.NoBody
	}
	sr.RequestURI = r.URL.RequestURI()
	sr.RemoteAddr = "192.0.2.1:1234"
	if sr.Host == "" {
		sr.Host = r.URL.Host
	}
	rec := httptest.NewRecorder()
	aborted := false
	func() {
		defer func() {
			if p := recover(); p != nil {
				if p != http.ErrAbortHandler {
					panic(p)
				}
				aborted = true
			}
		}()
		h.ServeHTTP(rec, sr)
	}()
	if err := r.Context().Err(); err != nil && (aborted || !rec.Flushed) {
		return nil, err
	}
	if aborted && !rec.Flushed {
		return nil, errDropped
	}
	resp = rec.Result()
	resp.Request = r
	if aborted {
		// The headers and part of the body left before the connection
		// closed.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(rec.Body.Bytes()), errReader{}))
	} else if resp.Header.Get("Content-Length") == "" {
		resp.ContentLength = int64(rec.Body.Len())
	}
	return resp, nil
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
