package fakehttp

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultKind names one fault of the vocabulary every fake shares. Each fake
// exposes them as methods of the same names and meanings:
//
//	FailNext(status, body)                    FailStatus
//	FailNextRetryAfter(status, after, body)   FailStatus with Retry-After
//	DropNextBeforeActing()                    DropBeforeActing
//	DropNextAfterActing()                     DropAfterActing
//	FailNextAfterActing(status, body)         FailAfterActing
//	TruncateNextAfterActing()                 TruncateAfterActing
//	DelayNext(d)                              Delay
type FaultKind int

// The faults.
const (
	// FailStatus answers Status (and Body, and Retry-After when set)
	// without acting on the request.
	FailStatus FaultKind = iota + 1
	// DropBeforeActing closes the connection without acting and without
	// an answer.
	DropBeforeActing
	// DropAfterActing acts on the request, then closes the connection
	// without an answer.
	DropAfterActing
	// FailAfterActing acts on the request, then answers Status and Body
	// instead of the real answer (a proxy's 502 after the API acted).
	FailAfterActing
	// TruncateAfterActing acts on the request, then sends the real
	// answer's headers with its full Content-Length but only half its body
	// (none of an empty body, announced as one byte), and closes the
	// connection.
	TruncateAfterActing
	// Delay waits Delay (or until the request's context ends), then serves
	// the request normally.
	Delay
)

// Fault is one scheduled fault.
type Fault struct {
	Kind       FaultKind
	Status     int
	Body       string
	RetryAfter time.Duration
	Delay      time.Duration
	// Method and Path, when set, restrict the fault to matching requests;
	// others pass it by and leave it queued.
	Method, Path string
}

// Faults is a queue of faults, consumed one per matching request. The
// zero value is empty and ready; it is safe for concurrent use.
type Faults struct {
	mu    sync.Mutex
	queue []Fault
}

// Push queues f.
func (q *Faults) Push(f Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, f)
}

// Pending counts the queued faults.
func (q *Faults) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue)
}

func (q *Faults) next(r *http.Request) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.queue {
		if (f.Method == "" || f.Method == r.Method) && (f.Path == "" || f.Path == r.URL.Path) {
			q.queue = append(q.queue[:i], q.queue[i+1:]...)
			return f, true
		}
	}
	return Fault{}, false
}

// Serve answers r through serve, applying the next matching fault first.
// serve is the fake's real handler; it runs (acts) for every fault but
// FailStatus and DropBeforeActing.
func (q *Faults) Serve(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
	f, ok := q.next(r)
	if !ok {
		serve(w, r)
		return
	}
	switch f.Kind {
	case FailStatus:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
		}
		writeStatus(w, f.Status, f.Body)
	case DropBeforeActing:
		abort()
	case DropAfterActing:
		serve(newRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
		abort()
	case FailAfterActing:
		serve(newRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
		writeStatus(w, f.Status, f.Body)
	case TruncateAfterActing:
		rec := newRecorder()
		serve(rec, r.WithContext(context.WithoutCancel(r.Context())))
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		body := rec.body.Bytes()
		// An empty answer has no half to send: announce one byte that
		// never comes, so that the answer is still cut off.
		w.Header().Set("Content-Length", strconv.Itoa(max(len(body), 1)))
		w.WriteHeader(rec.status)
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		abort()
	case Delay:
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
		serve(w, r)
	default:
		serve(w, r)
	}
}

// abort ends the handler and makes net/http close the connection without
// finishing the answer.
func abort() { panic(http.ErrAbortHandler) }

func writeStatus(w http.ResponseWriter, status int, body string) {
	if body != "" {
		if body[0] == '{' || body[0] == '[' {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		} else if body[0] == '<' {
			w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// recorder keeps what a handler answered, for the faults that act and then
// answer otherwise.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}, status: http.StatusOK} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	r.status = code
}
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
