package fakehttp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	var q Faults
	var acted atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q.Serve(w, r, func(w http.ResponseWriter, r *http.Request) {
			acted.Add(1)
			WriteJSON(w, http.StatusCreated, map[string]string{"id": "o-1", "pad": "0123456789"})
		})
	}))
	defer srv.Close()
	post := func() (*http.Response, []byte, error) {
		resp, err := srv.Client().Post(srv.URL+"/orders", "application/json", nil)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, b, err
	}

	q.Push(Fault{Kind: FailStatus, Status: 503, RetryAfter: 1500 * time.Millisecond, Body: `{"error":"busy"}`})
	resp, body, err := post()
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Retry-After"))
	assert.Equal(t, `{"error":"busy"}`, string(body))
	assert.EqualValues(t, 0, acted.Load(), "FailStatus does not act")

	q.Push(Fault{Kind: DropBeforeActing})
	_, _, err = post()
	require.Error(t, err)
	assert.EqualValues(t, 0, acted.Load(), "DropBeforeActing does not act")

	q.Push(Fault{Kind: DropAfterActing})
	_, _, err = post()
	require.Error(t, err)
	assert.EqualValues(t, 1, acted.Load(), "DropAfterActing acts")

	q.Push(Fault{Kind: FailAfterActing, Status: 502, Body: "bad gateway"})
	resp, body, err = post()
	require.NoError(t, err)
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, "bad gateway", string(body))
	assert.EqualValues(t, 2, acted.Load())

	q.Push(Fault{Kind: TruncateAfterActing})
	resp, body, err = post()
	if err == nil {
		t.Fatalf("a truncated answer read whole: %d %q", resp.StatusCode, body)
	}
	assert.EqualValues(t, 3, acted.Load())
	require.NotNil(t, resp, "the headers of a truncated answer arrive")
	assert.Equal(t, 201, resp.StatusCode, "the real answer's status")
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"), "the real answer's headers")
	assert.Equal(t, `{"id":"o-1","pad`, string(body), "half the real answer")

	q.Push(Fault{Kind: Delay, Delay: 20 * time.Millisecond})
	start := time.Now()
	resp, _, err = post()
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	assert.EqualValues(t, 4, acted.Load())

	q.Push(Fault{Kind: FailStatus, Status: 500, Method: "GET"})
	resp, _, err = post()
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode, "a GET-only fault lets a POST by")
	assert.Equal(t, 1, q.Pending())

	q.Push(Fault{Kind: FailStatus, Status: 500, Path: "/refunds"})
	resp, _, err = post()
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode, "a fault for another path lets /orders by")
	assert.Equal(t, 2, q.Pending())
	q.Push(Fault{Kind: FailStatus, Status: 409, Method: "POST", Path: "/orders", Body: "<error>taken</error>"})
	resp, body, err = post()
	require.NoError(t, err)
	assert.Equal(t, 409, resp.StatusCode, "the matching fault, queued behind two that do not match")
	assert.Equal(t, "application/xml; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "<error>taken</error>", string(body))
	assert.Equal(t, 2, q.Pending(), "the faults that did not match stay queued")
	assert.EqualValues(t, 6, acted.Load())

	// A delay the caller gives up on ends without acting.
	q.Push(Fault{Kind: Delay, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/orders", nil)
	require.NoError(t, err)
	_, err = srv.Client().Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	srv.Close() // waits for the handler to return
	assert.Equal(t, 2, q.Pending())
	assert.EqualValues(t, 6, acted.Load(), "a delay cut short does not act")
}

// TestTruncateEmptyAnswer: an answer with no body is cut off too, instead
// of arriving whole.
func TestTruncateEmptyAnswer(t *testing.T) {
	t.Parallel()
	var q Faults
	var acted atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q.Serve(w, r, func(w http.ResponseWriter, r *http.Request) {
			acted.Add(1)
			w.WriteHeader(http.StatusAccepted)
		})
	}))
	defer srv.Close()
	q.Push(Fault{Kind: TruncateAfterActing})
	resp, err := srv.Client().Post(srv.URL+"/orders/1/cancel", "application/json", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	assert.Error(t, err, "an empty answer read whole: %q", b)
	assert.EqualValues(t, 1, acted.Load())
}
