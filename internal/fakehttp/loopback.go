package fakehttp

import (
	"io"
	"net/http"
	"net/http/httptest"
)

// Loopback is a loopback HTTP server in front of a handler that misbehaves
// on demand, for tests that prove a client retries what is safe and sends
// a POST at most once: it resets connections, cuts bodies short, stalls,
// rate-limits, answers with a proxy's HTML page or with nothing, with the
// Fault vocabulary of the fakes. It counts the requests it reads.
type Loopback struct {
	*httptest.Server
	next   http.Handler
	faults Faults
	log    Log[struct{}]
}

// NewLoopback starts a Loopback in front of next (which may be nil: then a
// request that meets no fault gets 200 "{}"). Faults that act run next.
func NewLoopback(next http.Handler) *Loopback {
	l := &Loopback{next: next}
	l.Server = httptest.NewServer(http.HandlerFunc(l.serve))
	return l
}

// Close closes every connection, which ends stalled requests, and stops
// the server.
func (l *Loopback) Close() {
	l.Server.CloseClientConnections()
	l.Server.Close()
}

// Next queues faults for the coming requests, one each (a fault with a
// Method or Path waits for a matching request).
func (l *Loopback) Next(faults ...Fault) {
	for _, f := range faults {
		l.faults.Push(f)
	}
}

// Always answers every request the queue lets by with f; the zero Fault
// ends it.
func (l *Loopback) Always(f Fault) { l.faults.Always(f) }

// Count returns how many requests with this method and path the server
// read: all but those dropped before reading (DropBeforeActing).
func (l *Loopback) Count(method, path string) int { return l.log.Count(method, path) }

// Total returns how many requests the server read.
func (l *Loopback) Total() int { return len(l.log.All()) }

func (l *Loopback) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := l.faults.next(r)
	if !ok || f.Kind != DropBeforeActing {
		l.log.Add(r.Method, r.URL.Path, struct{}{})
	}
	if !ok {
		l.pass(w, r)
		return
	}
	apply(w, r, f, l.pass)
}

func (l *Loopback) pass(w http.ResponseWriter, r *http.Request) {
	if l.next != nil {
		l.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, "{}")
}
