// Package faultserver is a loopback HTTP server for tests that misbehaves on
// demand: it resets connections, cuts bodies short, stalls, rate-limits,
// answers with a proxy's HTML page or with nothing, and counts every request
// it sees, so a test can prove that a client retries what is safe and sends a
// POST at most once.
package faultserver

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Fault is one way to answer badly.
type Fault int

// The faults.
const (
	// None passes the request to the next handler.
	None Fault = iota
	// ResetBeforeRead closes the connection with a TCP reset before reading
	// the request.
	ResetBeforeRead
	// ResetAfterRead reads the whole request, then resets the connection.
	ResetAfterRead
	// CutBody sends a 200 whose body stops half-way through the JSON.
	CutBody
	// Stall reads the request and never answers (until the server closes).
	Stall
	// RateLimited answers 429 with Retry-After: 1.
	RateLimited
	// Unavailable answers 503 with Retry-After: 1.
	Unavailable
	// HTMLError answers 502 with a proxy's HTML page.
	HTMLError
	// EmptyOK answers 200 with an empty body.
	EmptyOK
	// Huge answers 200 with a JSON body of HugeSize bytes.
	Huge
)

// HugeSize is the size of the Huge body: larger than any client's cap.
const HugeSize = 40 << 20

// Server wraps a handler and injects faults. Plan faults with Next or
// Always; every request is counted, faulty or not.
type Server struct {
	*httptest.Server
	next http.Handler

	mu     sync.Mutex
	queue  []Fault
	always Fault
	counts map[string]int
	stall  chan struct{}
}

// New starts a loopback server in front of next (which may be nil: then a
// request that meets no fault gets 200 "{}").
func New(next http.Handler) *Server {
	s := &Server{next: next, counts: map[string]int{}, stall: make(chan struct{})}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Server.Config.ConnState = nil
	s.Start()
	return s
}

// Close releases stalled requests and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.stall:
	default:
		close(s.stall)
	}
	s.mu.Unlock()
	s.Server.CloseClientConnections()
	s.Server.Close()
}

// Next queues faults for the coming requests, one each.
func (s *Server) Next(faults ...Fault) {
	s.mu.Lock()
	s.queue = append(s.queue, faults...)
	s.mu.Unlock()
}

// Always answers every request (after the queue is used up) with f.
func (s *Server) Always(f Fault) {
	s.mu.Lock()
	s.always = f
	s.mu.Unlock()
}

// Count returns how many requests arrived with this method and path
// ("POST /api/orders").
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method+" "+path]
}

// Total returns how many requests arrived.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.counts {
		n += c
	}
	return n
}

func (s *Server) take() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		f := s.queue[0]
		s.queue = s.queue[1:]
		return f
	}
	return s.always
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	f := s.take()
	if f != ResetBeforeRead {
		s.mu.Lock()
		s.counts[r.Method+" "+r.URL.Path]++
		s.mu.Unlock()
	}
	switch f {
	case ResetBeforeRead:
		reset(w)
	case ResetAfterRead:
		_, _ = io.Copy(io.Discard, r.Body)
		reset(w)
	case CutBody:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "200")
		_, _ = io.WriteString(w, `{"id": 1, "data": [{"id": 2, "na`)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		reset(w)
	case Stall:
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-s.stall:
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	case RateLimited:
		w.Header().Set("Retry-After", "1")
		http.Error(w, `{"error":"Too many requests"}`, http.StatusTooManyRequests)
	case Unavailable:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
	case HTMLError:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
	case EmptyOK:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
	case Huge:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":"`)
		chunk := strings.Repeat("x", 64<<10)
		for n := 0; n < HugeSize; n += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `"}`)
	default:
		if s.next != nil {
			s.next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}
}

// reset closes the connection with RST instead of FIN.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("faultserver: connection cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
