package fakehttp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/fakehttp"
)

// widgetRequest is the example fake's request record.
type widgetRequest struct {
	Method, Path, Body string
	// Status is the status answered, 0 when no answer was sent.
	Status int
}

// widgetFake is a fake as the client packages write them: it embeds
// fakehttp.Server and wires it in its constructor and ServeHTTP. It
// creates widgets on POST /widgets and lists them on GET /widgets.
type widgetFake struct {
	fakehttp.Server[widgetRequest]
	mu      sync.Mutex
	widgets []string // creation times
}

func newWidgetFake() *widgetFake {
	f := &widgetFake{}
	fakehttp.Bind(&f.Server, f)
	return f
}

func (f *widgetFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		fakehttp.Record(&f.Server, r.Method, r.URL.Path, widgetRequest{r.Method, r.URL.Path, string(body), sw.status})
	}()
	fakehttp.Serve(&f.Server, sw, r, f.serve)
}

func (f *widgetFake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.URL.Path == "/widgets" && r.Method == http.MethodPost:
		f.widgets = append(f.widgets, f.Now().UTC().Format(time.RFC3339))
		fakehttp.WriteJSON(w, http.StatusCreated, map[string]any{"id": len(f.widgets), "created": f.widgets[len(f.widgets)-1]})
	case r.URL.Path == "/widgets" && r.Method == http.MethodGet:
		fakehttp.WriteJSON(w, http.StatusOK, f.widgets)
	default:
		fakehttp.WriteJSON(w, http.StatusNotFound, map[string]string{"error": "no such thing"})
	}
}

func (f *widgetFake) made() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.widgets)
}

// statusWriter notes the status answered, for the request record.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Flush() {
	if fl, ok := w.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// wire is one way to reach a fake: its Transport, or a loopback server.
type wire struct {
	name string
	// dial returns a client and the base URL that reach f.
	dial func(t *testing.T, f *widgetFake) (*http.Client, string)
}

var wires = []wire{
	{"transport", func(t *testing.T, f *widgetFake) (*http.Client, string) {
		// A host that does not resolve: only a transport without a
		// socket reaches it.
		return &http.Client{Transport: f.Transport()}, "http://widgets.invalid"
	}},
	{"server", func(t *testing.T, f *widgetFake) (*http.Client, string) {
		srv := httptest.NewServer(f)
		t.Cleanup(srv.Close)
		return srv.Client(), srv.URL
	}},
}

type answer struct {
	resp *http.Response
	body []byte
	err  error // of the round trip or of reading the body
}

func call(ctx context.Context, hc *http.Client, method, url, body string) answer {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return answer{err: err}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{resp, b, err}
}

func TestServerFaults(t *testing.T) {
	t.Parallel()
	for _, wr := range wires {
		t.Run(wr.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			for _, tc := range []struct {
				name  string
				plan  func(f *widgetFake)
				check func(t *testing.T, a answer)
				// acted: whether the POST created a widget; status: what
				// the fake's log says it answered.
				acted  bool
				status int
			}{
				{"none", func(*widgetFake) {}, func(t *testing.T, a answer) {
					require.NoError(t, a.err)
					assert.Equal(t, 201, a.resp.StatusCode)
					assert.JSONEq(t, `{"id":1,"created":"2024-05-06T07:08:09Z"}`, string(a.body))
				}, true, 201},
				{"FailNext", func(f *widgetFake) { f.FailNext(409, `{"error":"taken"}`) }, func(t *testing.T, a answer) {
					require.NoError(t, a.err)
					assert.Equal(t, 409, a.resp.StatusCode)
					assert.Equal(t, "application/json; charset=utf-8", a.resp.Header.Get("Content-Type"))
					assert.Equal(t, `{"error":"taken"}`, string(a.body))
					assert.Empty(t, a.resp.Header.Get("Retry-After"))
				}, false, 409},
				{"FailNextRetryAfter", func(f *widgetFake) { f.FailNextRetryAfter(429, 1500*time.Millisecond, "<error>slow</error>") }, func(t *testing.T, a answer) {
					require.NoError(t, a.err)
					assert.Equal(t, 429, a.resp.StatusCode)
					assert.Equal(t, "2", a.resp.Header.Get("Retry-After"), "rounded up to whole seconds")
					assert.Equal(t, "application/xml; charset=utf-8", a.resp.Header.Get("Content-Type"))
					assert.Equal(t, "<error>slow</error>", string(a.body))
				}, false, 429},
				{"DropNextBeforeActing", func(f *widgetFake) { f.DropNextBeforeActing() }, func(t *testing.T, a answer) {
					require.Error(t, a.err)
					assert.Nil(t, a.resp, "no answer")
				}, false, 0},
				{"DropNextAfterActing", func(f *widgetFake) { f.DropNextAfterActing() }, func(t *testing.T, a answer) {
					require.Error(t, a.err)
					assert.Nil(t, a.resp, "no answer")
				}, true, 0},
				{"FailNextAfterActing", func(f *widgetFake) { f.FailNextAfterActing(502, "bad gateway") }, func(t *testing.T, a answer) {
					require.NoError(t, a.err)
					assert.Equal(t, 502, a.resp.StatusCode)
					assert.Equal(t, "bad gateway", string(a.body))
				}, true, 502},
				{"TruncateNextAfterActing", func(f *widgetFake) { f.TruncateNextAfterActing() }, func(t *testing.T, a answer) {
					require.ErrorIs(t, a.err, io.ErrUnexpectedEOF)
					require.NotNil(t, a.resp, "the headers arrive")
					assert.Equal(t, 201, a.resp.StatusCode, "the real answer's status")
					assert.Equal(t, "application/json; charset=utf-8", a.resp.Header.Get("Content-Type"))
					full := `{"created":"2024-05-06T07:08:09Z","id":1}` + "\n"
					assert.EqualValues(t, len(full), a.resp.ContentLength, "the full length announced")
					assert.Equal(t, full[:len(full)/2], string(a.body), "half the real answer")
				}, true, 201},
				{"DelayNext", func(f *widgetFake) { f.DelayNext(30 * time.Millisecond) }, func(t *testing.T, a answer) {
					require.NoError(t, a.err)
					assert.Equal(t, 201, a.resp.StatusCode)
				}, true, 201},
			} {
				t.Run(tc.name, func(t *testing.T) {
					f := newWidgetFake()
					f.SetClock(func() time.Time { return time.Date(2024, 5, 6, 9, 8, 9, 0, time.FixedZone("CEST", 2*3600)) })
					hc, base := wr.dial(t, f)
					tc.plan(f)
					start := time.Now()
					a := call(ctx, hc, http.MethodPost, base+"/widgets", `{"name":"w"}`)
					tc.check(t, a)
					if tc.name == "DelayNext" {
						assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
					}
					if a.resp != nil {
						assert.Equal(t, "Mon, 06 May 2024 07:08:09 GMT", a.resp.Header.Get("Date"), "dated by the fake's clock")
					}
					assert.Equal(t, map[bool]int{true: 1, false: 0}[tc.acted], f.made(), "widgets created")
					assert.Equal(t, []widgetRequest{{"POST", "/widgets", `{"name":"w"}`, tc.status}}, f.Requests())
					assert.Equal(t, 1, f.Count("POST", "/widgets"), "counted, faulted or not")

					// The fault was used up.
					a = call(ctx, hc, http.MethodGet, base+"/widgets", "")
					require.NoError(t, a.err)
					assert.Equal(t, 200, a.resp.StatusCode)
				})
			}
		})
	}
}

func TestServerDelayGivenUp(t *testing.T) {
	t.Parallel()
	for _, wr := range wires {
		t.Run(wr.name, func(t *testing.T) {
			t.Parallel()
			f := newWidgetFake()
			hc, base := wr.dial(t, f)
			f.DelayNext(time.Hour)
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			a := call(ctx, hc, http.MethodPost, base+"/widgets", "{}")
			require.ErrorIs(t, a.err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 10*time.Second)
			// On the wire the handler ends a moment after the client
			// hangs up.
			require.Eventually(t, func() bool { return f.Count("POST", "/widgets") == 1 }, 5*time.Second, time.Millisecond)
			assert.Equal(t, 0, f.made(), "a delay given up on does not act")
		})
	}
}

func TestServerFailNextOn(t *testing.T) {
	t.Parallel()
	for _, wr := range wires {
		t.Run(wr.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newWidgetFake()
			hc, base := wr.dial(t, f)
			f.FailNextOn("POST", "/widgets", 503, "busy")
			f.FailNext(500, "oops")
			// The GET passes the POST's fault by and meets FailNext.
			a := call(ctx, hc, http.MethodGet, base+"/widgets", "")
			require.NoError(t, a.err)
			assert.Equal(t, 500, a.resp.StatusCode)
			assert.Equal(t, "oops", string(a.body))
			a = call(ctx, hc, http.MethodGet, base+"/widgets", "")
			require.NoError(t, a.err)
			assert.Equal(t, 200, a.resp.StatusCode, "FailNextOn lets other requests by")
			a = call(ctx, hc, http.MethodPost, base+"/gadgets", "")
			require.NoError(t, a.err)
			assert.Equal(t, 404, a.resp.StatusCode, "and other paths")
			a = call(ctx, hc, http.MethodPost, base+"/widgets", "")
			require.NoError(t, a.err)
			assert.Equal(t, 503, a.resp.StatusCode, "the POST it waited for")
			assert.Equal(t, "busy", string(a.body))
			assert.Equal(t, 0, f.made())
			a = call(ctx, hc, http.MethodPost, base+"/widgets", "")
			require.NoError(t, a.err)
			assert.Equal(t, 201, a.resp.StatusCode, "used up")

			var statuses []int
			for _, r := range f.Requests() {
				statuses = append(statuses, r.Status)
			}
			assert.Equal(t, []int{500, 200, 404, 503, 201}, statuses, "in order")
			assert.Equal(t, 2, f.Count("GET", "/widgets"))
			assert.Equal(t, 2, f.Count("POST", "/widgets"))
			assert.Equal(t, 1, f.Count("POST", "/gadgets"))
			assert.Equal(t, 0, f.Count("get", "/widgets"))
		})
	}
}

func TestServerClock(t *testing.T) {
	t.Parallel()
	f := newWidgetFake()
	before := time.Now()
	now := f.Now()
	assert.False(t, now.Before(before) || now.After(time.Now()), "time.Now by default")
	fixed := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	f.SetClock(func() time.Time { return fixed })
	assert.Equal(t, fixed, f.Now())
	a := call(context.Background(), &http.Client{Transport: f.Transport()}, http.MethodPost, "http://x.invalid/widgets", "")
	require.NoError(t, a.err)
	var got struct{ Created string }
	require.NoError(t, json.Unmarshal(a.body, &got))
	assert.Equal(t, "2030-01-02T03:04:05Z", got.Created)
	assert.Equal(t, "Wed, 02 Jan 2030 03:04:05 GMT", a.resp.Header.Get("Date"))
	f.SetClock(nil)
	assert.WithinDuration(t, time.Now(), f.Now(), time.Minute, "nil restores time.Now")

	// A clock may call into the fake without deadlocking it.
	f.SetClock(func() time.Time { _ = f.Count("GET", "/"); return fixed })
	assert.Equal(t, fixed, f.Now())
}

func TestTransport(t *testing.T) {
	t.Parallel()
	f := newWidgetFake()
	hc := &http.Client{Transport: f.Transport()}
	body := &closeRecorder{Reader: strings.NewReader(`{"a":1}`)}
	req, err := http.NewRequest(http.MethodPost, "http://widgets.invalid/widgets?x=1", body)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	assert.Same(t, req, resp.Request)
	assert.Positive(t, resp.ContentLength)
	assert.True(t, body.closed, "the request body is closed")
	assert.Equal(t, []widgetRequest{{"POST", "/widgets", `{"a":1}`, 201}}, f.Requests())

	// A request without a body reaches the handler with an empty one.
	req, err = http.NewRequest(http.MethodGet, "http://widgets.invalid/widgets", nil)
	require.NoError(t, err)
	resp2, err := f.Transport().RoundTrip(req)
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, 200, resp2.StatusCode)

	// Stall and the other faults beyond the shared vocabulary work in
	// memory too.
	fakehttp.Push(&f.Server, fakehttp.Fault{Kind: fakehttp.Stall})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	a := call(ctx, hc, http.MethodPost, "http://widgets.invalid/widgets", "")
	assert.ErrorIs(t, a.err, context.DeadlineExceeded)
	fakehttp.Push(&f.Server, fakehttp.Fault{Kind: fakehttp.CutBody})
	a = call(context.Background(), hc, http.MethodGet, "http://widgets.invalid/widgets", "")
	assert.ErrorIs(t, a.err, io.ErrUnexpectedEOF)
	assert.Equal(t, `{"id": 1, "data": [{"id": 2, "na`, string(a.body))
	assert.Equal(t, 1, f.made())

	// A fake that never bound its handler says so.
	var unbound fakehttp.Server[widgetRequest]
	_, err = unbound.Transport().RoundTrip(req)
	assert.ErrorContains(t, err, "Bind")
}

// TestTransportHandlerPanic: a panic of the handler is the test's, not a
// dropped connection.
func TestTransportHandlerPanic(t *testing.T) {
	t.Parallel()
	var s fakehttp.Server[int]
	fakehttp.Bind(&s, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	req, err := http.NewRequest(http.MethodGet, "http://x.invalid/", nil)
	require.NoError(t, err)
	assert.PanicsWithValue(t, "boom", func() { _, _ = s.Transport().RoundTrip(req) })
}

func TestServerConcurrent(t *testing.T) {
	t.Parallel()
	f := newWidgetFake()
	hc := &http.Client{Transport: f.Transport()}
	const n = 40
	for range n / 2 {
		f.FailNext(503, "")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%7 == 0 {
				f.SetClock(time.Now)
			}
			a := call(context.Background(), hc, http.MethodPost, "http://w.invalid/widgets", strconv.Itoa(i))
			if a.err != nil {
				t.Error(a.err)
				return
			}
			mu.Lock()
			codes[a.resp.StatusCode]++
			mu.Unlock()
			_ = f.Requests()
		}()
	}
	wg.Wait()
	assert.Equal(t, map[int]int{503: n / 2, 201: n / 2}, codes)
	assert.Equal(t, n, f.Count("POST", "/widgets"))
	assert.Len(t, f.Requests(), n)
	assert.Equal(t, n/2, f.made())
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }
