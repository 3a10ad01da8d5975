package pipeline

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

const (
	base   = "https://api.example.test/v1"
	canary = "CANARY-s3cr3t-7f1d"
)

// harness is a pipeline client on its own mock transport, with the waits
// between attempts recorded instead of slept.
type harness struct {
	mock  *httpmock.MockTransport
	c     *Client
	mu    sync.Mutex
	waits []time.Duration
	logs  *bytes.Buffer
}

func newHarness(t *testing.T, mutate ...func(*Config)) *harness {
	t.Helper()
	h := &harness{mock: httpmock.NewMockTransport(), logs: &bytes.Buffer{}}
	cfg := NewConfig("test", base)
	cfg.Auth = Bearer(canary)
	cfg.HTTPClient = &http.Client{Transport: h.mock}
	cfg.Logger = slog.New(slog.NewTextHandler(lockedWriter{&h.mu, h.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	require.NoError(t, cfg.Apply(orderkit.WithRetry(3, 10*time.Millisecond, time.Hour)))
	for _, m := range mutate {
		m(&cfg)
	}
	cfg.sleep = func(_ context.Context, d time.Duration) {
		h.mu.Lock()
		h.waits = append(h.waits, d)
		h.mu.Unlock()
	}
	c, err := New(cfg)
	require.NoError(t, err)
	h.c = c
	return h
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (h *harness) calls(key string) int { return h.mock.GetCallCountInfo()[key] }

// seq answers with each responder in turn, repeating the last.
func seq(rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int32
	return func(r *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		if i >= len(rs) {
			i = len(rs) - 1
		}
		return rs[i](r)
	}
}

func status(code int, body string, kv ...string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(code, body)
		for i := 0; i+1 < len(kv); i += 2 {
			resp.Header.Set(kv[i], kv[i+1])
		}
		return resp, nil
	}
}

func connErr(op string) httpmock.Responder {
	return httpmock.NewErrorResponder(&net.OpError{Op: op, Net: "tcp", Err: syscall.ECONNRESET})
}

// checkNoSecret fails if the canary shows in any form of err or the logs.
func checkNoSecret(t *testing.T, h *harness, err error) {
	t.Helper()
	if err != nil {
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%v", err), fmt.Sprintf("%s", err)} {
			assert.NotContains(t, s, canary)
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	assert.NotContains(t, h.logs.String(), canary)
}

func get(h *harness, out any) (*Response, error) {
	return h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1"}, out)
}

func post(h *harness, idempotent bool) (*Response, error) {
	return h.c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: map[string]int{"qty": 1}, Idempotent: idempotent}, nil)
}

func TestGetRequestAndDecode(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Header = http.Header{"X-Api-Version": {"12"}}; c.UserAgent = "ua/1" })
	h.mock.RegisterResponderWithQuery("GET", base+"/orders/A%2F1", "status=open&limit=5",
		func(r *http.Request) (*http.Response, error) {
			assert.Equal(t, "Bearer "+canary, r.Header.Get("Authorization"))
			assert.Equal(t, "12", r.Header.Get("X-Api-Version"))
			assert.Equal(t, "ua/1", r.Header.Get("User-Agent"))
			assert.Equal(t, "application/json", r.Header.Get("Accept"))
			assert.Equal(t, "yes", r.Header.Get("X-Call"))
			return httpmock.NewStringResponse(200, `{"id":7,"name":"Wobbler"}`), nil
		})
	var out struct {
		ID   int
		Name string
	}
	res, err := h.c.Do(context.Background(), &Request{
		Method: "GET", Path: Path("orders", "A/1"),
		Query:  map[string][]string{"status": {"open"}, "limit": {"5"}},
		Header: http.Header{"X-Call": {"yes"}},
	}, &out)
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, 1, res.Attempts)
	assert.Equal(t, 7, out.ID)
	assert.Equal(t, "Wobbler", out.Name)
}

func TestPostBodyJSONWithoutHTMLEscaping(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		assert.Equal(t, `{"note":"<b>&</b>"}`, string(b))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		return httpmock.NewStringResponse(201, `{}`), nil
	})
	_, err := h.c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: map[string]string{"note": "<b>&</b>"}}, nil)
	require.NoError(t, err)
}

func TestXMLFormat(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Format = XML })
	type order struct {
		XMLName xml.Name `xml:"order"`
		Number  string   `xml:"order_number"`
	}
	h.mock.RegisterResponder("POST", base+"/orders", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		assert.Equal(t, xml.Header+`<order><order_number>N-1</order_number></order>`, string(b))
		assert.Equal(t, "application/xml", r.Header.Get("Content-Type"))
		assert.Equal(t, "application/xml", r.Header.Get("Accept"))
		return httpmock.NewStringResponse(201, `<?xml version="1.0"?><order><order_number>N-1</order_number></order>`), nil
	})
	var out order
	_, err := h.c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: order{Number: "N-1"}}, &out)
	require.NoError(t, err)
	assert.Equal(t, "N-1", out.Number)
}

func TestFormBodyAndAuthOverride(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/auth/token/", func(r *http.Request) (*http.Response, error) {
		user, pass, ok := r.BasicAuth()
		assert.True(t, ok)
		assert.Equal(t, "client", user)
		assert.Equal(t, "secret-pass", pass)
		assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
		require.NoError(t, r.ParseForm())
		assert.Equal(t, "refresh_token", r.PostForm.Get("grant_type"))
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := h.c.Do(context.Background(), &Request{Method: "POST", Path: "auth/token/", Form: map[string][]string{"grant_type": {"refresh_token"}}, Auth: Basic("client", "secret-pass")}, nil)
	require.NoError(t, err)
}

func TestAPIKeyHeader(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Auth = APIKey("X-ADILITY-API-KEY", canary) })
	h.mock.RegisterResponder("GET", base+"/orders/1", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, canary, r.Header.Get("X-ADILITY-API-KEY"))
		assert.Empty(t, r.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := get(h, nil)
	require.NoError(t, err)
}

func TestGet503Then200MakesTwoCalls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", seq(status(503, "busy"), status(200, `{"id":1}`)))
	var out struct{ ID int }
	res, err := get(h, &out)
	require.NoError(t, err)
	assert.Equal(t, 1, out.ID)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, 2, h.calls("GET "+base+"/orders/1"))
	require.Len(t, h.waits, 1)
}

func TestSafeMethodsRetryOnTheDocumentedStatuses(t *testing.T) {
	t.Parallel()
	for _, code := range []int{408, 429, 500, 502, 503, 504} {
		for _, method := range []string{"GET", "HEAD", "PUT", "DELETE"} {
			h := newHarness(t)
			h.mock.RegisterResponder(method, base+"/orders/1", seq(status(code, ""), status(200, "")))
			_, err := h.c.Do(context.Background(), &Request{Method: method, Path: "orders/1"}, nil)
			require.NoError(t, err, "%s %d", method, code)
			assert.Equal(t, 2, h.calls(method+" "+base+"/orders/1"), "%s %d", method, code)
		}
	}
	for _, code := range []int{400, 401, 403, 404, 409, 422, 501} {
		h := newHarness(t)
		h.mock.RegisterResponder("GET", base+"/orders/1", status(code, ""))
		_, err := get(h, nil)
		require.Error(t, err)
		assert.Equal(t, 1, h.calls("GET "+base+"/orders/1"), "%d is not retried", code)
	}
}

func TestGetRetriesConnectionErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", seq(connErr("read"), status(200, "")))
	_, err := get(h, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, h.calls("GET "+base+"/orders/1"))
}

func TestRetryAfterSecondsAndDateSetTheWait(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	h.mock.RegisterResponder("GET", base+"/orders/1", seq(
		status(429, "", "Retry-After", "7"),
		status(503, "", "Retry-After", date),
		status(200, "")))
	_, err := get(h, nil)
	require.NoError(t, err)
	require.Len(t, h.waits, 2)
	assert.Equal(t, 7*time.Second, h.waits[0])
	assert.InDelta(t, float64(90*time.Second), float64(h.waits[1]), float64(2*time.Second))
}

func TestRetryAfterIsCappedByRetryWaitMax(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.RetryWaitMax = 5 * time.Second })
	h.mock.RegisterResponder("GET", base+"/orders/1", seq(status(429, "", "Retry-After", "3600"), status(200, "")))
	_, err := get(h, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{5 * time.Second}, h.waits)
}

func TestBackoffGrowsWithinBounds(t *testing.T) {
	t.Parallel()
	for attempt := 0; attempt < 8; attempt++ {
		want := 100 * time.Millisecond << attempt
		if want > time.Second {
			want = time.Second
		}
		for i := 0; i < 50; i++ {
			d := expBackoff(100*time.Millisecond, time.Second, attempt)
			assert.GreaterOrEqual(t, d, want/2)
			assert.LessOrEqual(t, d, want)
		}
	}
	assert.Zero(t, expBackoff(0, time.Second, 3))
}

func TestAttemptsAreBoundedAndTheLastAnswerIsKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", status(500, `{"error":"database down"}`))
	_, err := get(h, nil)
	require.Error(t, err)
	assert.Equal(t, 4, h.calls("GET "+base+"/orders/1"), "1 attempt + 3 retries")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 500, e.StatusCode)
	assert.Equal(t, "database down", e.Message)
	assert.Equal(t, 4, e.Attempts)
	assert.ErrorIs(t, err, ErrServer)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a GET changes nothing")
	assert.NotContains(t, err.Error(), "giving up")
	assert.Contains(t, err.Error(), "500 Internal Server Error")
}

func TestPostResetIsSentOnceAndOutcomeUnknown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", connErr("read"))
	_, err := post(h, false)
	require.Error(t, err)
	assert.Equal(t, 1, h.calls("POST "+base+"/orders"))
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.ErrorIs(t, err, syscall.ECONNRESET)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.True(t, errors.Is(e, ErrOutcomeUnknown))
	assert.Zero(t, e.StatusCode)
	checkNoSecret(t, h, err)
}

func TestPostServerErrorIsNotRetriedAndOutcomeUnknown(t *testing.T) {
	t.Parallel()
	for _, code := range []int{500, 502, 504, 408} {
		h := newHarness(t)
		h.mock.RegisterResponder("POST", base+"/orders", status(code, "<html>Bad Gateway</html>"))
		_, err := post(h, false)
		require.Error(t, err)
		assert.Equal(t, 1, h.calls("POST "+base+"/orders"), "%d", code)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "%d", code)
	}
	// A 4xx is the server saying no: the outcome is known.
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", status(422, `{"error":"bad"}`))
	_, err := post(h, false)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
}

func TestPostNeverConnectedIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", seq(connErr("dial"), status(201, `{}`)))
	_, err := post(h, false)
	require.NoError(t, err)
	assert.Equal(t, 2, h.calls("POST "+base+"/orders"))
}

func TestPost429And503WithRetryAfterAreRetried(t *testing.T) {
	t.Parallel()
	for _, code := range []int{429, 503} {
		h := newHarness(t)
		h.mock.RegisterResponder("POST", base+"/orders", seq(status(code, "", "Retry-After", "2"), status(201, `{}`)))
		_, err := post(h, false)
		require.NoError(t, err, "%d", code)
		assert.Equal(t, 2, h.calls("POST "+base+"/orders"))
		assert.Equal(t, []time.Duration{2 * time.Second}, h.waits)
	}
	// Without Retry-After nothing says the server turned it away unread.
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", status(429, ""))
	_, err := post(h, false)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 1, h.calls("POST "+base+"/orders"))
}

func TestPostRateLimitedToTheEndIsAKnownOutcome(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", status(429, "", "Retry-After", "1"))
	_, err := post(h, false)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 4, h.calls("POST "+base+"/orders"))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, time.Second, e.RetryAfter)
}

func TestIdempotentPostIsRetriedOn502(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", seq(status(502, "bad gateway"), connErr("read"), status(201, `{}`)))
	_, err := post(h, true)
	require.NoError(t, err)
	assert.Equal(t, 3, h.calls("POST "+base+"/orders"))
}

func TestCancelledContextStopsAWaitAtOnce(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", base+"/orders/1", status(503, "", "Retry-After", "3600"))
	c, err := New(cfgWith("test", base, func(c *Config) {
		c.HTTPClient = &http.Client{Transport: mock}
		c.MaxRetries = 3
		c.RetryWaitMax = 2 * time.Hour
	}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for mock.GetTotalCallCount() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := c.Do(ctx, &Request{Method: "GET", Path: "orders/1"}, nil)
		done <- err
	}()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, mock.GetTotalCallCount())
	case <-time.After(30 * time.Second):
		t.Fatal("the wait did not end with the context")
	}
}

func TestWaitPastTheDeadlineIsNotStarted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", status(503, "maintenance", "Retry-After", "30"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	// Retry-After 30 s fits in the hour: retried.
	_, err := h.c.Do(ctx, &Request{Method: "GET", Path: "orders/1"}, nil)
	require.Error(t, err)
	assert.Equal(t, 4, h.calls("GET "+base+"/orders/1"))

	h2 := newHarness(t)
	h2.mock.RegisterResponder("GET", base+"/orders/1", status(503, "maintenance", "Retry-After", "30"))
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	_, err = h2.c.Do(ctx2, &Request{Method: "GET", Path: "orders/1"}, nil)
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, h2.calls("GET "+base+"/orders/1"), "a 30 s wait cannot fit in 5 s")
	assert.Empty(t, h2.waits)
}

func TestLimiterIsConsultedPerAttempt(t *testing.T) {
	t.Parallel()
	lim := rate.NewLimiter(rate.Every(time.Hour), 3)
	h := newHarness(t, func(c *Config) { c.Limiter = lim; c.MaxRetries = 5 })
	h.mock.RegisterResponder("GET", base+"/orders/1", status(503, ""))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := h.c.Do(ctx, &Request{Method: "GET", Path: "orders/1"}, nil)
	require.Error(t, err)
	// Three tokens, three attempts; the fourth would wait an hour, past the
	// deadline, so it is never sent.
	assert.Equal(t, 3, h.calls("GET "+base+"/orders/1"))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "rate limit")
}

func TestOversizedBodyFailsCleanly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes = 100 })
	h.mock.RegisterResponder("GET", base+"/orders/1", status(200, `{"id":"`+strings.Repeat("x", 1000)+`"}`))
	var out map[string]any
	_, err := get(h, &out)
	require.ErrorIs(t, err, ErrResponseTooLarge)
	require.ErrorIs(t, err, ErrInvalidResponse)
	assert.Nil(t, out)
}

// endless is an error body that never ends; counting what was read.
type endless struct{ n atomic.Int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n.Add(int64(len(p)))
	return len(p), nil
}
func (e *endless) Close() error { return nil }

func TestErrorBodyIsReadThroughALimit(t *testing.T) {
	t.Parallel()
	body := &endless{}
	h := newHarness(t, func(c *Config) { c.MaxRetries = 0 })
	h.mock.RegisterResponder("GET", base+"/orders/1", func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 502, Body: body, Header: http.Header{}, Request: r}, nil
	})
	_, err := get(h, nil)
	require.ErrorIs(t, err, ErrServer)
	assert.LessOrEqual(t, body.n.Load(), int64(maxErrorBody+64<<10))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.LessOrEqual(t, len(e.Body), excerptLen+4)
}

func TestRetriedErrorBodiesAreDrainedThroughALimit(t *testing.T) {
	t.Parallel()
	bodies := []*endless{{}, {}}
	var n atomic.Int32
	h := newHarness(t, func(c *Config) { c.MaxRetries = 1 })
	h.mock.RegisterResponder("GET", base+"/orders/1", func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 503, Body: bodies[n.Add(1)-1], Header: http.Header{}, Request: r}, nil
	})
	_, err := get(h, nil)
	require.ErrorIs(t, err, ErrServer)
	for _, b := range bodies {
		assert.LessOrEqual(t, b.n.Load(), int64(maxErrorBody+64<<10))
	}
}

func TestHTMLFromAProxyIsATypedError(t *testing.T) {
	t.Parallel()
	page := "<html>\n<head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
	h := newHarness(t, func(c *Config) { c.MaxRetries = 0 })
	h.mock.RegisterResponder("GET", base+"/orders/1", status(502, page, "Content-Type", "text/html"))
	var out map[string]any
	_, err := get(h, &out)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 502, e.StatusCode)
	assert.Equal(t, "GET", e.Method)
	assert.Equal(t, base+"/orders/1", e.URL)
	assert.Contains(t, e.Body, "<title>502 Bad Gateway</title>")
	assert.NotContains(t, e.Body, "\n")
	assert.ErrorIs(t, err, ErrServer)
	assert.Contains(t, err.Error(), "502 Bad Gateway")
}

func TestUnreadableSuccessAnswers(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"empty":     "",
		"html":      "<html>maintenance</html>",
		"truncated": `{"id": 1, "name": "Wob`,
		"wrongtype": `{"id": "one"}`,
	}
	for name, body := range cases {
		h := newHarness(t)
		h.mock.RegisterResponder("GET", base+"/orders/1", status(200, body))
		h.mock.RegisterResponder("POST", base+"/orders", status(201, body))
		var out struct{ ID int }
		_, err := get(h, &out)
		require.ErrorIs(t, err, ErrInvalidResponse, name)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, name)
		_, err = h.c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: 1}, &out)
		require.ErrorIs(t, err, ErrInvalidResponse, name)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: the order was made but its answer is lost", name)
		assert.Equal(t, 1, h.calls("POST "+base+"/orders"))
	}
}

func TestStatusSentinels(t *testing.T) {
	t.Parallel()
	cases := map[int]error{404: ErrNotFound, 401: ErrUnauthorized, 403: ErrForbidden, 409: ErrConflict, 429: ErrRateLimited, 500: ErrServer, 503: ErrServer}
	for code, want := range cases {
		h := newHarness(t, func(c *Config) { c.MaxRetries = 0 })
		h.mock.RegisterResponder("GET", base+"/orders/1", status(code, `{"error":"nope","code":"X_CODE"}`))
		_, err := get(h, nil)
		require.ErrorIs(t, err, want, "%d", code)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "nope", e.Message)
		assert.Equal(t, "X_CODE", e.Code)
	}
}

type stockError struct{ items int }

func (e *stockError) Error() string { return fmt.Sprintf("%d items short", e.items) }

var errCredit = errors.New("credit limit exceeded")

func TestVendorDecoderDetailIsReachable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) {
		c.DecodeError = func(status int, _ http.Header, body []byte) (string, string, error) {
			switch {
			case bytes.Contains(body, []byte("STOCK")):
				return "short", "INSUFFICIENT_STOCK", &stockError{items: 2}
			case bytes.Contains(body, []byte("PANIC")):
				panic("decoder bug")
			}
			return "credit", "CREDIT_LIMIT_EXCEEDED", errCredit
		}
	})
	h.mock.RegisterResponder("POST", base+"/orders", seq(status(400, "STOCK"), status(402, "CREDIT"), status(400, "PANIC")))
	_, err := post(h, false)
	var se *stockError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 2, se.items)
	assert.Contains(t, err.Error(), "INSUFFICIENT_STOCK")
	_, err = post(h, false)
	require.ErrorIs(t, err, errCredit)
	_, err = post(h, false)
	var e *Error
	require.ErrorAs(t, err, &e, "a panicking decoder still gives a typed error")
	assert.Equal(t, 400, e.StatusCode)
}

func TestErrorTextHasNoQueryNorUserInfo(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxRetries = 0 })
	h.mock.RegisterResponder("GET", base+"/orders", status(500, ""))
	h.mock.RegisterResponder("GET", base+"/missing", connErr("read"))
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders", Query: map[string][]string{"search": {"Paul Schmidt"}, "token": {canary}}}, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "?")
	assert.NotContains(t, err.Error(), "Schmidt")
	_, err = h.c.Do(context.Background(), &Request{Method: "GET", Path: "missing", Query: map[string][]string{"token": {canary}}}, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "?")
	checkNoSecret(t, h, err)
}

func TestSecretsNeverReachErrorsOrLogs(t *testing.T) {
	t.Parallel()
	echo := func(code int) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			// A server (or proxy) that echoes the credentials back.
			body := fmt.Sprintf(`{"error":"invalid token %s","headers":%q}`, canary, r.Header.Get("Authorization")+r.Header.Get("X-Key"))
			return httpmock.NewStringResponse(code, body), nil
		}
	}
	auths := map[string]Auth{"bearer": Bearer(canary), "basic": Basic("user-"+canary, canary), "apikey": APIKey("X-Key", canary)}
	responders := map[string]httpmock.Responder{
		"401 echo": echo(401),
		"500 echo": echo(500),
		"200 echo": func(r *http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(200, "not json "+canary), nil
		},
		"reset":     connErr("read"),
		"refused":   connErr("dial"),
		"429":       status(429, canary, "Retry-After", "1"),
		"redirect":  status(302, "", "Location", "https://evil.test/steal?k="+canary),
		"html 502":  status(502, "<html>"+canary+"</html>"),
		"too large": status(200, strings.Repeat(canary, 100)),
	}
	for an, auth := range auths {
		for rn, resp := range responders {
			h := newHarness(t, func(c *Config) { c.Auth = auth; c.MaxResponseBytes = 500 })
			h.mock.RegisterResponder("GET", base+"/orders/1", resp)
			h.mock.RegisterResponder("POST", base+"/orders", resp)
			h.mock.RegisterResponder("GET", "https://evil.test/steal", status(200, "{}"))
			var out map[string]any
			_, err := get(h, &out)
			require.Error(t, err, "%s/%s", an, rn)
			checkNoSecret(t, h, err)
			_, err = h.c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: 1}, &out)
			require.Error(t, err, "%s/%s", an, rn)
			checkNoSecret(t, h, err)
		}
	}
}

func TestRedirectToAnotherHostIsRefusedWithoutCredentials(t *testing.T) {
	t.Parallel()
	for name, auth := range map[string]Auth{"bearer": Bearer(canary), "basic": Basic("u", canary), "apikey": APIKey("X-ADILITY-API-KEY", canary)} {
		for _, target := range []string{"https://evil.test/orders/1", "http://api.example.test/v1/orders/2"} {
			h := newHarness(t, func(c *Config) { c.Auth = auth })
			h.mock.RegisterResponder("GET", base+"/orders/1", status(302, "", "Location", target))
			var leaked atomic.Int32
			h.mock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				leaked.Add(1)
				return httpmock.NewStringResponse(200, "{}"), nil
			})
			_, err := get(h, nil)
			require.ErrorIs(t, err, ErrRedirectRefused, "%s → %s", name, target)
			assert.Zero(t, leaked.Load(), "%s: nothing was sent to %s", name, target)
			assert.Equal(t, 1, h.calls("GET "+base+"/orders/1"), "a refused redirect is not retried")
			checkNoSecret(t, h, err)
		}
	}
	// A redirect on the same host is followed, credentials and all.
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", status(301, "", "Location", base+"/orders/1/"))
	h.mock.RegisterResponder("GET", base+"/orders/1/", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "Bearer "+canary, r.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := get(h, nil)
	require.NoError(t, err)
}

func TestRedirectOnARealSocketCarriesNoKey(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("X-ADILITY-API-KEY") + r.Header.Get("Authorization"))
	}))
	defer other.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/x", http.StatusFound)
	}))
	defer first.Close()
	c, err := New(cfgWith("test", first.URL, func(c *Config) { c.Auth = APIKey("X-ADILITY-API-KEY", canary) }))
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "orders"}, nil)
	require.ErrorIs(t, err, ErrRedirectRefused)
	assert.Nil(t, got.Load(), "the other host was never called")
}

func TestPlainHTTPCredentialsNeedLoopbackOrOptIn(t *testing.T) {
	t.Parallel()
	_, err := New(cfgWith("", "http://api.example.test", func(c *Config) { c.Auth = Bearer(canary) }))
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.NotContains(t, err.Error(), canary)
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"} {
		_, err = New(cfgWith("", ok, func(c *Config) { c.Auth = Bearer(canary) }))
		require.NoError(t, err, ok)
	}
	_, err = New(cfgWith("", "http://api.example.test", func(c *Config) { c.Auth = Bearer(canary); c.AllowInsecureHTTP = true }))
	require.NoError(t, err)
	_, err = New(cfgWith("", "http://api.example.test", func(c *Config) {}))
	require.NoError(t, err, "no credentials, nothing to protect")
	for _, bad := range []string{"", "ftp://x", "api.example.test", "https://user:pw@api.example.test"} {
		_, err = New(cfgWith("", bad, func(c *Config) {}))
		require.ErrorIs(t, err, ErrInvalidArgument, bad)
	}
}

func TestTLSCertificateErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, err := New(cfgWith("test", srv.URL, func(c *Config) {
		c.MaxRetries = 3
		c.RetryWaitMin = time.Millisecond
		c.RetryWaitMax = time.Millisecond
	}))
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "orders"}, nil)
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts)
	assert.Zero(t, hits.Load())
	assert.True(t, isCertError(err), "cause kept: %v", err)
}

func TestDotSegmentsAreRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, p := range []string{"orders/../admin", "./x", "..", "https://evil.test/x", "//evil.test/x"} {
		_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: p}, nil)
		require.ErrorIs(t, err, ErrInvalidArgument, p)
	}
	assert.Zero(t, h.mock.GetTotalCallCount())
	assert.Equal(t, "orders/..%2Fadmin", Path("orders", "../admin"))
}

func TestRetryablehttpWritesNothingToStderr(t *testing.T) {
	// Not parallel: it swaps os.Stderr.
	r, w, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stderr
	os.Stderr = w
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", base+"/orders/1", status(503, ""))
	c, err := New(cfgWith("test", base, func(c *Config) {
		c.Auth = Bearer(canary)
		c.HTTPClient = &http.Client{Transport: mock}
		c.MaxRetries = 2
	}))
	require.NoError(t, err)
	_, callErr := c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1", Query: map[string][]string{"k": {canary}}}, nil)
	os.Stderr = old
	w.Close()
	out, _ := io.ReadAll(r)
	require.Error(t, callErr)
	assert.Empty(t, string(out))
}

func TestLoggerRecordsEachAttemptWithoutSecrets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", seq(status(503, ""), status(200, "{}")))
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1", Query: map[string][]string{"search": {canary}}}, nil)
	require.NoError(t, err)
	h.mu.Lock()
	logs := h.logs.String()
	h.mu.Unlock()
	assert.Equal(t, 2, strings.Count(logs, "orderkit request"))
	assert.Contains(t, logs, "status=503")
	assert.Contains(t, logs, "path=/v1/orders/1")
	assert.NotContains(t, logs, canary)
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", seq(status(503, ""), status(200, `{"id":1}`)))
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out struct{ ID int }
			_, err := get(h, &out)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
}

func TestInvalidResponseConstructor(t *testing.T) {
	t.Parallel()
	cause := errors.New("page out of order")
	err := InvalidResponse("shop", "GET", base+"/orders?token="+canary, &Response{StatusCode: 200, Attempts: 2}, cause)
	require.ErrorIs(t, err, ErrInvalidResponse)
	require.ErrorIs(t, err, cause)
	assert.Equal(t, 200, err.StatusCode)
	assert.Equal(t, 2, err.Attempts)
	assert.Equal(t, "shop: GET "+base+"/orders: 200 OK: page out of order (after 2 attempts)", err.Error())
}

func TestXMLInLatin1(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Format = XML })
	body := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><order><customer_name>J\xfcrgen M\xfcller</customer_name></order>"
	h.mock.RegisterResponder("GET", base+"/orders/1", status(200, body))
	var out struct {
		Name string `xml:"customer_name"`
	}
	_, err := get(h, &out)
	require.NoError(t, err)
	assert.Equal(t, "Jürgen Müller", out.Name)

	h.mock.RegisterResponder("GET", base+"/orders/2", status(200, `<?xml version="1.0" encoding="EBCDIC"?><order/>`))
	_, err = h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/2"}, &out)
	require.ErrorIs(t, err, ErrInvalidResponse)
}

func TestUnknownFormatIsRefused(t *testing.T) {
	t.Parallel()
	_, err := New(cfgWith("", base, func(c *Config) { c.Format = Format(7) }))
	require.ErrorIs(t, err, ErrInvalidArgument)
}

func TestCallHeaderWithoutValuesRemovesTheClientHeader(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Header = http.Header{"X-Sandbox-Mode": {"true"}} })
	h.mock.RegisterResponder("GET", base+"/orders/1", func(r *http.Request) (*http.Response, error) {
		_, present := r.Header["X-Sandbox-Mode"]
		assert.False(t, present)
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1", Header: http.Header{"X-Sandbox-Mode": nil}}, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, h.calls("GET "+base+"/orders/1"))
}

// cutBody yields part of a JSON document, then fails as a reset connection.
type cutBody struct{ r io.Reader }

func (c *cutBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		return n, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return n, err
}
func (c *cutBody) Close() error { return nil }

func cut(code int) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: code, Header: http.Header{}, Request: r,
			Body: &cutBody{r: strings.NewReader(`{"id": 1, "name": "Wob`)}}, nil
	}
}

func TestGetWithABodyCutOffIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", seq(cut(200), status(200, `{"id":1}`)))
	var out struct{ ID int }
	res, err := get(h, &out)
	require.NoError(t, err)
	assert.Equal(t, 1, out.ID)
	assert.Equal(t, 2, res.Attempts)

	h2 := newHarness(t)
	h2.mock.RegisterResponder("GET", base+"/orders/1", cut(200))
	_, err = get(h2, &out)
	require.ErrorIs(t, err, ErrInvalidResponse)
	require.ErrorIs(t, err, syscall.ECONNRESET)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 4, h2.calls("GET "+base+"/orders/1"))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 200, e.StatusCode)
	assert.Equal(t, 4, e.Attempts)
}

func TestPostWithABodyCutOffIsSentOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("POST", base+"/orders", cut(201))
	var out struct{ ID int }
	_, err := h.c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: 1}, &out)
	require.ErrorIs(t, err, ErrInvalidResponse)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, h.calls("POST "+base+"/orders"))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 201, e.StatusCode)
}

type echoedDetail struct{ Fields map[string]string }

func (e *echoedDetail) Error() string { return fmt.Sprint(e.Fields) }

func TestEchoedSecretsNeverReachTypedErrorFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) {
		c.Auth = Basic("key-"+canary, canary)
		c.MaxRetries = 0
		c.DecodeError = func(_ int, _ http.Header, body []byte) (string, string, error) {
			// A decoder that keeps what the body says, as vendor errors do.
			return string(body), string(body), &echoedDetail{Fields: map[string]string{"auth": string(body)}}
		}
	})
	h.mock.RegisterResponder("POST", base+"/orders", func(r *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(422, "echo: "+r.Header.Get("Authorization")+" "+canary), nil
	})
	_, err := post(h, false)
	var e *Error
	require.ErrorAs(t, err, &e)
	var d *echoedDetail
	require.ErrorAs(t, err, &d)
	for _, s := range []string{e.Message, e.Code, e.Body, d.Fields["auth"], fmt.Sprintf("%#v", d), err.Error()} {
		assert.NotContains(t, s, canary)
		assert.NotContains(t, s, "a2V5LU") // base64 of "key-"
	}
	assert.Contains(t, d.Fields["auth"], "[REDACTED]")
}

func TestOutcomeUnknownSeesTheCause(t *testing.T) {
	t.Parallel()
	err := InvalidResponse("shop", "POST", base+"/orders", nil, fmt.Errorf("no order in the answer: %w", ErrOutcomeUnknown))
	assert.True(t, errors.Is(err, ErrOutcomeUnknown))
	assert.False(t, errors.Is(InvalidResponse("shop", "GET", base+"/orders", nil, errors.New("x")), ErrOutcomeUnknown))
}

func TestInvalidAnswerResolvesThePathLikeDo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	err := h.c.InvalidAnswer("GET", Path("orders", "A/1"), &Response{StatusCode: 200, Attempts: 1}, errors.New("no order"))
	require.ErrorIs(t, err, ErrInvalidResponse)
	assert.Equal(t, base+"/orders/A%2F1", err.URL)
	assert.Equal(t, "test: GET "+base+"/orders/A%2F1: 200 OK: no order", err.Error())
}

func TestPostAnsweredAsTheContextEndsIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.mock.RegisterResponder("POST", base+"/orders", func(r *http.Request) (*http.Response, error) {
		cancel() // the order was made; the caller gave up just as it was answered
		return httpmock.NewStringResponse(201, `{"id":1}`), nil
	})
	_, err := h.c.Do(ctx, &Request{Method: "POST", Path: "orders", Body: 1}, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, h.calls("POST "+base+"/orders"))
}

func TestPostTurnedAwayThenNeverConnectedIsAKnownOutcome(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxRetries = 2 })
	h.mock.RegisterResponder("POST", base+"/orders", seq(status(429, "", "Retry-After", "1"), connErr("dial")))
	_, err := post(h, false)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a 429 with Retry-After and refused connections: nothing was carried out")
	assert.Equal(t, 3, h.calls("POST "+base+"/orders"))
}

func TestCredentialsNeverPrint(t *testing.T) {
	t.Parallel()
	for _, a := range []Auth{Bearer(canary), Basic("user-"+canary, canary), APIKey("X-Key", canary)} {
		cfg := cfgWith("", base, func(c *Config) { c.Auth = a })
		for _, s := range []string{fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%s", a), fmt.Sprintf("%#v", a)} {
			assert.NotContains(t, s, canary)
		}
		assert.Contains(t, fmt.Sprintf("%v", a), "[REDACTED]")
	}
}

// cfgWith is NewConfig(api, base) changed by set.
func cfgWith(api, base string, set func(*Config)) Config {
	c := NewConfig(api, base)
	set(&c)
	return c
}

// The wire format's Accept replaces a client-wide one; a call's own wins.
func TestAcceptHeaderPrecedence(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Header = http.Header{"Accept": {"text/plain"}} })
	var got []string
	h.mock.RegisterResponder("GET", base+"/orders", func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Header.Get("Accept"))
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders"}, nil)
	require.NoError(t, err)
	_, err = h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders", Call: calls(t, orderkit.CallHeader("Accept", "application/vnd.x+json"))}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"application/json", "application/vnd.x+json"}, got)
}
