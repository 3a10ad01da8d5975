package fakehttp_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/internal/fakehttp"
)

// acting is a handler that counts what it carried out and answers 201.
type acting struct{ n atomic.Int32 }

func (a *acting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	a.n.Add(1)
	fakehttp.WriteJSON(w, http.StatusCreated, map[string]string{"id": "o-1"})
}

func newLoopback(t *testing.T, next http.Handler) *fakehttp.Loopback {
	t.Helper()
	l := fakehttp.NewLoopback(next)
	t.Cleanup(l.Close)
	return l
}

// post sends a POST with a body to l over a connection of its own.
func post(ctx context.Context, l *fakehttp.Loopback, path string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.URL+path, strings.NewReader(`{"n":1}`))
	if err != nil {
		return nil, nil, err
	}
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestLoopbackFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		fault fakehttp.Fault
		// status and body wanted; status 0: the round trip fails.
		status      int
		contentType string
		body        string
		retryAfter  string
		readErr     bool
		acted       int32
		counted     int
	}{
		{name: "drop before acting", fault: fakehttp.Fault{Kind: fakehttp.DropBeforeActing}, counted: 0},
		{name: "drop after reading", fault: fakehttp.Fault{Kind: fakehttp.DropAfterReading}, counted: 1},
		{name: "drop after acting", fault: fakehttp.Fault{Kind: fakehttp.DropAfterActing}, acted: 1, counted: 1},
		{name: "cut body", fault: fakehttp.Fault{Kind: fakehttp.CutBody}, status: 200, contentType: "application/json; charset=utf-8",
			body: `{"id": 1, "data": [{"id": 2, "na`, readErr: true, counted: 1},
		{name: "cut body of its own", fault: fakehttp.Fault{Kind: fakehttp.CutBody, Status: 201, Body: "<order>", ContentType: "text/xml"},
			status: 201, contentType: "text/xml", body: "<order>", readErr: true, counted: 1},
		{name: "truncate after acting", fault: fakehttp.Fault{Kind: fakehttp.TruncateAfterActing}, status: 201,
			contentType: "application/json; charset=utf-8", body: `{"id":`, readErr: true, acted: 1, counted: 1},
		{name: "rate limited", fault: fakehttp.RateLimited(), status: 429, contentType: "application/json; charset=utf-8",
			body: `{"error":"Too many requests"}`, retryAfter: "1", counted: 1},
		{name: "unavailable", fault: fakehttp.Unavailable(), status: 503, contentType: "text/plain; charset=utf-8",
			body: "Service Unavailable\n", retryAfter: "1", counted: 1},
		{name: "HTML error", fault: fakehttp.HTMLError(), status: 502, contentType: "text/html",
			body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>", counted: 1},
		{name: "empty OK", fault: fakehttp.EmptyOK(), status: 200, contentType: "application/json", body: "", counted: 1},
		{name: "fail after acting", fault: fakehttp.Fault{Kind: fakehttp.FailAfterActing, Status: 502, Body: "bad gateway"},
			status: 502, contentType: "text/plain; charset=utf-8", body: "bad gateway", acted: 1, counted: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &acting{}
			l := newLoopback(t, a)
			l.Next(tc.fault)
			resp, body, err := post(ctx, l, "/orders")
			switch {
			case tc.status == 0:
				require.Error(t, err, "the connection was not dropped")
			case tc.readErr:
				require.ErrorIs(t, err, io.ErrUnexpectedEOF, "the body was not cut short")
			default:
				require.NoError(t, err)
			}
			if tc.status != 0 {
				require.NotNil(t, resp)
				assert.Equal(t, tc.status, resp.StatusCode)
				assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"))
				assert.Equal(t, tc.retryAfter, resp.Header.Get("Retry-After"))
				assert.Equal(t, tc.body, string(body))
			}
			assert.Equal(t, tc.acted, a.n.Load(), "requests acted on")
			assert.Equal(t, tc.counted, l.Count(http.MethodPost, "/orders"), "requests read")
			assert.Equal(t, tc.counted, l.Total())

			// The fault was used up: the next request is answered.
			resp, body, err = post(ctx, l, "/orders")
			require.NoError(t, err)
			assert.Equal(t, 201, resp.StatusCode)
			assert.JSONEq(t, `{"id":"o-1"}`, string(body))
		})
	}
}

func TestLoopbackHuge(t *testing.T) {
	t.Parallel()
	a := &acting{}
	l := newLoopback(t, a)
	l.Next(fakehttp.Fault{Kind: fakehttp.Huge})
	resp, body, err := post(context.Background(), l, "/orders")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, -1, resp.ContentLength, "no Content-Length: only reading finds out")
	assert.Len(t, body, fakehttp.HugeSize)
	assert.True(t, strings.HasPrefix(string(body), `{"data":"xxx`) && strings.HasSuffix(string(body), `xxx"}`), "a JSON object")
	assert.EqualValues(t, 0, a.n.Load())
}

func TestLoopbackStall(t *testing.T) {
	t.Parallel()
	a := &acting{}
	l := fakehttp.NewLoopback(a)
	l.Next(fakehttp.Fault{Kind: fakehttp.Stall})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := post(ctx, l, "/orders")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	assert.Equal(t, 1, l.Count(http.MethodPost, "/orders"))

	// A stalled request whose caller never gives up ends when the server
	// closes.
	l.Next(fakehttp.Fault{Kind: fakehttp.Stall})
	done := make(chan error, 1)
	go func() {
		_, _, err := post(context.Background(), l, "/orders")
		done <- err
	}()
	require.Eventually(t, func() bool { return l.Total() == 2 }, 5*time.Second, time.Millisecond)
	closed := make(chan struct{})
	go func() { l.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs on a stalled request")
	}
	assert.Error(t, <-done)
	assert.EqualValues(t, 0, a.n.Load())
}

func TestLoopbackAlwaysAndMatching(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a := &acting{}
	l := newLoopback(t, a)
	l.Next(fakehttp.Fault{Kind: fakehttp.FailStatus, Status: 409, Path: "/refunds"},
		fakehttp.Fault{Kind: fakehttp.FailStatus, Status: 418})
	l.Always(fakehttp.Unavailable())
	var got []int
	for range 3 {
		resp, _, err := post(ctx, l, "/orders")
		require.NoError(t, err)
		got = append(got, resp.StatusCode)
	}
	assert.Equal(t, []int{418, 503, 503}, got, "the queue first, then the fault for every request")
	resp, _, err := post(ctx, l, "/refunds")
	require.NoError(t, err)
	assert.Equal(t, 409, resp.StatusCode, "the queued fault for /refunds waited for it")
	l.Always(fakehttp.Fault{})
	resp, _, err = post(ctx, l, "/orders")
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode, "the zero Fault ends Always")
	assert.Equal(t, 4, l.Count(http.MethodPost, "/orders"))
	assert.Equal(t, 1, l.Count(http.MethodPost, "/refunds"))
	assert.Equal(t, 0, l.Count(http.MethodGet, "/orders"))
	assert.EqualValues(t, 1, a.n.Load())
}

func TestLoopbackWithoutHandler(t *testing.T) {
	t.Parallel()
	l := newLoopback(t, nil)
	resp, body, err := post(context.Background(), l, "/anything")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "{}", string(body))
}
