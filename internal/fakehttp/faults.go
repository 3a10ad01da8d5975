package fakehttp

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind names one fault. The first seven are the vocabulary every fake
// offers as methods of the same names and meanings (see Server):
//
//	FailNext(status, body)                    FailStatus
//	FailNextOn(method, path, status, body)    FailStatus for one method and path
//	FailNextRetryAfter(status, after, body)   FailStatus with Retry-After
//	DropNextBeforeActing()                    DropBeforeActing
//	DropNextAfterActing()                     DropAfterActing
//	FailNextAfterActing(status, body)         FailAfterActing
//	TruncateNextAfterActing()                 TruncateAfterActing
//	DelayNext(d)                              Delay
//
// The others are what a loopback server in front of any handler does on
// demand (see Loopback): DropAfterReading, CutBody, Stall and Huge; and
// RateLimited, Unavailable, HTMLError and EmptyOK build FailStatus faults
// that a proxy or a struggling API answers.
type FaultKind int

// The faults. None of them acts on the request (runs the fake's real
// handler) unless its name says so.
const (
	// FailStatus answers Status (and Body, and Retry-After when set)
	// without acting on the request.
	FailStatus FaultKind = iota + 1
	// DropBeforeActing closes the connection without acting, without
	// reading the request's body and without an answer (a connection reset
	// before the server read the request).
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
	// DropAfterReading reads the whole request, then closes the connection
	// without acting and without an answer.
	DropAfterReading
	// CutBody answers Status (200 when zero) with Body (when empty, a JSON
	// object cut off half-way), announced with a Content-Length larger than
	// Body, and closes the connection: the body stops short. It does not
	// act.
	CutBody
	// Stall reads the request and never answers: it waits until the
	// request's context ends (the client gives up, or the server closes
	// the connection), then closes the connection.
	Stall
	// Huge answers 200 with a JSON body of HugeSize bytes, larger than any
	// client's cap on an answer's size, without a Content-Length.
	Huge
)

// HugeSize is the size of a Huge answer's body.
const HugeSize = 40 << 20

// Fault is one scheduled fault.
type Fault struct {
	Kind       FaultKind
	Status     int
	Body       string
	RetryAfter time.Duration
	Delay      time.Duration
	// ContentType, when set, is the Content-Type of a FailStatus,
	// FailAfterActing or CutBody answer; otherwise it follows from Body:
	// JSON for '{' or '[', XML for '<', none for anything else.
	ContentType string
	// Method and Path, when set, restrict the fault to matching requests;
	// others pass it by and leave it queued.
	Method, Path string
}

// RateLimited is a 429 with Retry-After: 1 and a JSON error body.
func RateLimited() Fault {
	return Fault{Kind: FailStatus, Status: http.StatusTooManyRequests, RetryAfter: time.Second, Body: `{"error":"Too many requests"}`}
}

// Unavailable is a 503 with Retry-After: 1 and a plain-text body.
func Unavailable() Fault {
	return Fault{Kind: FailStatus, Status: http.StatusServiceUnavailable, RetryAfter: time.Second,
		Body: "Service Unavailable\n", ContentType: "text/plain; charset=utf-8"}
}

// HTMLError is a proxy's 502 with its HTML page.
func HTMLError() Fault {
	return Fault{Kind: FailStatus, Status: http.StatusBadGateway, ContentType: "text/html",
		Body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"}
}

// EmptyOK is a 200 JSON answer with an empty body.
func EmptyOK() Fault {
	return Fault{Kind: FailStatus, Status: http.StatusOK, ContentType: "application/json"}
}

// cutJSON is CutBody's body when the fault names none.
const cutJSON = `{"id": 1, "data": [{"id": 2, "na`

func (f Fault) matches(r *http.Request) bool {
	return (f.Method == "" || f.Method == r.Method) && (f.Path == "" || f.Path == r.URL.Path)
}

// Faults is a queue of faults, consumed one per matching request, and an
// optional fault for every request the queue lets by (Always). The zero
// value is empty and ready; it is safe for concurrent use.
type Faults struct {
	mu     sync.Mutex
	queue  []Fault
	always Fault
}

// Push queues f.
func (q *Faults) Push(f Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.queue = append(q.queue, f)
}

// Always applies f to every matching request that no queued fault
// matches; the zero Fault ends it.
func (q *Faults) Always(f Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.always = f
}

// Pending counts the queued faults.
func (q *Faults) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.queue)
}

// next takes the fault for r: the first queued one that matches, else the
// Always fault if it matches.
func (q *Faults) next(r *http.Request) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.queue {
		if f.matches(r) {
			q.queue = append(q.queue[:i], q.queue[i+1:]...)
			return f, true
		}
	}
	if q.always.Kind != 0 && q.always.matches(r) {
		return q.always, true
	}
	return Fault{}, false
}

// Serve answers r through serve, applying the next matching fault first.
// serve is the fake's real handler; it runs (acts) only for the faults
// whose names say so, and for Delay.
func (q *Faults) Serve(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
	f, ok := q.next(r)
	if !ok {
		serve(w, r)
		return
	}
	apply(w, r, f, serve)
}

// apply answers r with fault f, running serve where f acts.
func apply(w http.ResponseWriter, r *http.Request, f Fault, serve http.HandlerFunc) {
	switch f.Kind {
	case FailStatus:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
		}
		writeStatus(w, f.Status, f.ContentType, f.Body)
	case DropBeforeActing:
		abort()
	case DropAfterReading:
		_, _ = io.Copy(io.Discard, r.Body)
		abort()
	case DropAfterActing:
		serve(newRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
		abort()
	case FailAfterActing:
		serve(newRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
		writeStatus(w, f.Status, f.ContentType, f.Body)
	case TruncateAfterActing:
		rec := newRecorder()
		serve(rec, r.WithContext(context.WithoutCancel(r.Context())))
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		body := rec.body.Bytes()
		// An empty answer has no half to send: announce one byte that
		// never comes, so that the answer is still cut off.
		cut(w, rec.status, max(len(body), 1), body[:len(body)/2])
	case CutBody:
		body := f.Body
		if body == "" {
			body = cutJSON
		}
		setContentType(w, f.ContentType, body)
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		cut(w, status, 2*len(body), []byte(body))
	case Stall:
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
		abort()
	case Huge:
		w.Header().Set("Content-Type", "application/json")
		const head, tail = `{"data":"`, `"}`
		if _, err := io.WriteString(w, head); err != nil {
			return
		}
		chunk := []byte(strings.Repeat("x", 64<<10))
		for n := HugeSize - len(head) - len(tail); n > 0; n -= len(chunk) {
			if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, tail)
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

// cut sends status with a Content-Length of announced and only body, then
// closes the connection.
func cut(w http.ResponseWriter, status, announced int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(announced))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	abort()
}

// abort ends the handler and makes net/http close the connection without
// finishing the answer.
func abort() { panic(http.ErrAbortHandler) }

func setContentType(w http.ResponseWriter, contentType, body string) {
	switch {
	case contentType != "":
		w.Header().Set("Content-Type", contentType)
	case body == "":
	case body[0] == '{' || body[0] == '[':
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	case body[0] == '<':
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	}
}

func writeStatus(w http.ResponseWriter, status int, contentType, body string) {
	setContentType(w, contentType, body)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
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
