package pipeline

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func calls(t *testing.T, opts ...orderkit.CallOption) config.CallSettings {
	t.Helper()
	c, err := New(NewConfig("test", "https://api.example"))
	require.NoError(t, err)
	cs, err := c.Calls("Test", opts)
	require.NoError(t, err)
	return cs
}

func TestCallOptionsReachTheRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.Header = http.Header{"X-Sandbox-Mode": {"true"}} })
	var got http.Header
	h.mock.RegisterResponder("GET", base+"/orders/1", func(r *http.Request) (*http.Response, error) {
		got = r.Header.Clone()
		return status(200, `{}`, "x-rid", "rid-77", "X-RateLimit-Remaining", "19")(r)
	})
	var meta Response
	res, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1",
		Call: calls(t, orderkit.CallHeader("X-Trace", "t-1"), orderkit.CallHeader("X-Sandbox-Mode"), orderkit.CaptureResponse(&meta))}, nil)
	require.NoError(t, err)
	assert.Equal(t, "t-1", got.Get("X-Trace"))
	_, sandbox := got["X-Sandbox-Mode"]
	assert.False(t, sandbox, "a call header with no values removes the client's header")
	assert.Equal(t, 200, meta.StatusCode)
	assert.Equal(t, "rid-77", meta.RequestID)
	assert.Equal(t, 19, meta.Rate.Remaining)
	assert.Equal(t, 1, meta.Attempts)
	assert.Equal(t, *res, meta)
}

func TestCaptureResponseOnFailureAndRequestIDOnTheError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", status(404, `{"error":"no such order"}`, "X-Request-Id", "req-404"))
	var meta Response
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1", Call: calls(t, orderkit.CaptureResponse(&meta))}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, "req-404", e.RequestID)
	require.NotNil(t, e.Response)
	assert.Equal(t, 404, e.Response.StatusCode)
	assert.Equal(t, "req-404", meta.RequestID)
	assert.Equal(t, 404, meta.StatusCode)
	assert.Contains(t, err.Error(), "[request id req-404]")

	// No answer at all: the captured metadata is zero, not stale.
	h.mock.RegisterResponder("GET", base+"/orders/2", connErr("read"))
	meta = Response{StatusCode: 999}
	_, err = h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/2", Call: calls(t, orderkit.CaptureResponse(&meta), orderkit.NoRetry())}, nil)
	require.Error(t, err)
	assert.Equal(t, Response{}, meta)
}

func TestCallRetryAndNoRetry(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", status(503, `busy`))
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1", Call: calls(t, orderkit.NoRetry())}, nil)
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1, h.calls("GET "+base+"/orders/1"), "NoRetry sends once though the client retries 3 times")

	_, err = h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1", Call: calls(t, orderkit.CallRetry(1, time.Millisecond, time.Millisecond))}, nil)
	require.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 1+2, h.calls("GET "+base+"/orders/1"))
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 2, e.Attempts)
}

func TestCallTimeoutBoundsTheWholeCall(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := New(NewConfig("test", srv.URL))
	require.NoError(t, err)
	start := time.Now()
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "x", Call: calls(t, orderkit.CallTimeout(50*time.Millisecond))}, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)
}

// A server that sends its headers and then stalls the body is bounded by
// WithTimeout, as a stall before the headers is.
func TestWithTimeoutBoundsAStalledBody(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"id":`))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	for _, hc := range []*http.Client{nil, {}} {
		cfg := NewConfig("test", srv.URL)
		require.NoError(t, cfg.Apply(orderkit.WithTimeout(100*time.Millisecond), orderkit.WithRetry(1, time.Millisecond, time.Millisecond)))
		if hc != nil {
			require.NoError(t, cfg.Apply(orderkit.WithHTTPClient(hc)))
		}
		c, err := New(cfg)
		require.NoError(t, err)
		start := time.Now()
		var out map[string]any
		_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "x"}, &out)
		require.Error(t, err)
		assert.ErrorIs(t, err, ErrInvalidResponse)
		assert.Less(t, time.Since(start), 3*time.Second, "two attempts of 100 ms, not the server's patience")
	}
	assert.EqualValues(t, 4, hits.Load(), "each stalled attempt was retried once")
}

// A context that is done before anything is sent is a plain context error:
// nothing reached the server, so no outcome is unknown.
func TestContextDoneBeforeSendingIsAPlainContextError(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, err := New(cfgWith("test", srv.URL, func(c *Config) { c.Auth = Bearer(canary) }))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Do(ctx, &Request{Method: "POST", Path: "orders", Body: map[string]int{"amount": 1}}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Zero(t, e.Attempts)
	assert.Zero(t, hits.Load())
}

// A POST whose context ends while the connection is still being made never
// wrote a byte: not an unknown outcome.
func TestPostCancelledWhileDialingIsNotUnknown(t *testing.T) {
	t.Parallel()
	dialing := make(chan struct{})
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		close(dialing)
		<-ctx.Done()
		return nil, ctx.Err()
	}}}
	c, err := New(cfgWith("test", "http://127.0.0.1:9", func(c *Config) { c.HTTPClient = hc }))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-dialing; cancel() }()
	_, err = c.Do(ctx, &Request{Method: "POST", Path: "orders", Body: map[string]int{"amount": 1}}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
}

// A POST that wrote its request and then lost the connection may have been
// carried out, whatever the transport.
func TestPostResetAfterWritingIsUnknown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			_, _ = conn.Read(buf)
			conn.Close()
		}
	}()
	c, err := New(NewConfig("test", "http://"+ln.Addr().String()))
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: map[string]int{"amount": 1}}, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

func TestBaseURLIsQuotedAsGiven(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"api.attivita.de":               `base URL "api.attivita.de" is not an absolute http or https URL`,
		"localhost:8080":                `base URL "localhost:8080" is not an absolute http or https URL`,
		"ftp://files.example.test":      `base URL "ftp://files.example.test"`,
		"https://user:pw@api.test/api":  `base URL "https://[REDACTED]@api.test/api" must not carry credentials`,
		"https://user:pw@[bad/api":      `base URL "https://[REDACTED]@[bad/api"`,
		"https://api.test:pw@api.test/": `base URL "https://[REDACTED]@api.test/"`,
		"user:pw@api.test/api":          `base URL "[REDACTED]@api.test/api"`,
		"ftp://api.test/api?key=pw":     `base URL "ftp://api.test/api?[REDACTED]"`,
		"https://u:pw@[bad/a?k=pw#f":    `base URL "https://[REDACTED]@[bad/a?[REDACTED]"`,
	} {
		_, err := New(NewConfig("test", raw))
		require.ErrorIs(t, err, ErrInvalidArgument, raw)
		assert.Contains(t, err.Error(), want, raw)
		assert.NotContains(t, err.Error(), "pw", raw)
	}
}

func TestCallsRefusesANilOption(t *testing.T) {
	t.Parallel()
	c, err := New(NewConfig("attivita", base))
	require.NoError(t, err)
	_, err = c.Calls("Orders.Get", []orderkit.CallOption{{}})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.True(t, strings.HasPrefix(err.Error(), "attivita: "), err.Error())
	cfg := NewConfig("attivita", base)
	err = cfg.Apply(orderkit.WithTimeout(-time.Second))
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, "attivita: invalid argument: option 1: WithTimeout: -1s is not a positive duration", err.Error())
	assert.True(t, errors.Is(err, orderkit.ErrInvalidArgument))
}

// The joined fast path resolves every path as the parsing one does.
func TestResolveFastPathMatchesParsing(t *testing.T) {
	t.Parallel()
	for _, b := range []string{"https://api.example.test/api", "https://api.example.test/", "http://127.0.0.1:8080/distribution/beta/"} {
		c, err := New(NewConfig("test", b))
		require.NoError(t, err)
		for _, p := range []string{"orders", "orders/1", "/orders/delta/", "orders/1.json", "a-b_c~d/E9", "offers/x/vouchers/y", "orders/A%2F1", "orders/ü"} {
			q := map[string][]string{"limit": {"2"}}
			got, err := c.resolve(p, q)
			require.NoError(t, err, p)
			ref, err := url.Parse(strings.TrimPrefix(p, "/"))
			require.NoError(t, err)
			want := c.base.ResolveReference(ref)
			want.RawQuery = "limit=2"
			assert.Equal(t, want.String(), got.String(), "%s + %s", b, p)
			assert.Equal(t, want.Path, got.Path, "%s + %s", b, p)
		}
	}
}

// A request id that echoes the credential is scrubbed before it reaches an
// error or the captured metadata.
func TestRequestIDEchoingTheCredentialIsScrubbed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mock.RegisterResponder("GET", base+"/orders/1", status(404, `{}`, "X-Request-Id", "rid-Bearer "+canary, "X-Echo", "Bearer "+canary))
	var meta Response
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders/1", Call: calls(t, orderkit.CaptureResponse(&meta))}, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), canary)
	assert.NotContains(t, meta.RequestID, canary)
	assert.Equal(t, "rid-Bearer [REDACTED]", meta.RequestID)
	assert.Equal(t, "Bearer [REDACTED]", meta.Header.Get("X-Echo"), "the error's headers are scrubbed too")
	checkNoSecret(t, h, err)
}

// attemptRecorder is a RoundTripper that notes each attempt's context: its
// deadline and whether it had ended when the attempt began. The first
// attempt waits for its context to end; later ones answer at once.
type attemptRecorder struct {
	deadlines []time.Time
	hadErr    []error
}

func (a *attemptRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	dl, _ := r.Context().Deadline()
	a.deadlines = append(a.deadlines, dl)
	a.hadErr = append(a.hadErr, r.Context().Err())
	if len(a.deadlines) == 1 {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	ctx := r.Context()
	return &http.Response{
		StatusCode: 200,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       ctxBody{ctx: ctx, r: strings.NewReader(`{"id":1}`)},
		Request:    r,
	}, nil
}

// ctxBody fails its reads once ctx has ended, as a network body does.
type ctxBody struct {
	ctx context.Context
	r   *strings.Reader
}

func (b ctxBody) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, err
	}
	return b.r.Read(p)
}
func (b ctxBody) Close() error { return nil }

// A retry after a first attempt that ran out of its WithTimeout gets a
// timeout of its own, from the call's context: the first attempt's ended
// context must not reach it, through the request or the wait between.
func TestRetryAfterATimedOutAttemptGetsItsOwnTimeout(t *testing.T) {
	t.Parallel()
	for _, auth := range []Auth{nil, Bearer("tok-" + canary)} {
		rec := &attemptRecorder{}
		cfg := NewConfig("test", "http://127.0.0.1:9")
		require.NoError(t, cfg.Apply(orderkit.WithTimeout(50*time.Millisecond), orderkit.WithRetry(1, time.Millisecond, time.Millisecond)))
		cfg.HTTPClient = &http.Client{Transport: rec}
		cfg.Auth = auth
		c, err := New(cfg)
		require.NoError(t, err)
		var out struct{ ID int }
		var meta orderkit.Response
		_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "x", Call: calls(t, orderkit.CaptureResponse(&meta))}, &out)
		require.NoError(t, err)
		assert.Equal(t, 1, out.ID)
		assert.Equal(t, 2, meta.Attempts)
		require.Len(t, rec.deadlines, 2)
		assert.False(t, rec.deadlines[0].IsZero(), "the first attempt is bounded by WithTimeout")
		assert.False(t, rec.deadlines[1].IsZero(), "the retry is bounded by WithTimeout")
		assert.NoError(t, rec.hadErr[1], "the retry starts on a live context")
		assert.True(t, rec.deadlines[1].After(rec.deadlines[0]), "the retry's deadline is its own, later than the first's")
	}
}

// The caller's deadline, when it comes before WithTimeout's, bounds the
// first attempt and the retry alike.
func TestCallerDeadlineBeforeTimeoutBoundsEveryAttempt(t *testing.T) {
	t.Parallel()
	rec := &attemptRecorder{}
	cfg := NewConfig("test", "http://127.0.0.1:9")
	require.NoError(t, cfg.Apply(orderkit.WithTimeout(time.Hour), orderkit.WithRetry(1, time.Millisecond, time.Millisecond)))
	cfg.HTTPClient = &http.Client{Transport: rec}
	c, err := New(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	want, _ := ctx.Deadline()
	_, err = c.Do(ctx, &Request{Method: "GET", Path: "x"}, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Len(t, rec.deadlines, 1, "no retry once the caller's deadline passed")
	assert.Equal(t, want, rec.deadlines[0])
}

type callerKey struct{}

type valueSeer struct{ got []any }

func (v *valueSeer) RoundTrip(r *http.Request) (*http.Response, error) {
	v.got = append(v.got, r.Context().Value(callerKey{}))
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
}

// The request's context is the caller's: its values reach the transport,
// for a GET and for a POST (which adds the pipeline's trace), and its
// cancellation stops the call.
func TestRequestContextCarriesTheCallersValues(t *testing.T) {
	t.Parallel()
	seer := &valueSeer{}
	cfg := NewConfig("test", "http://127.0.0.1:9")
	cfg.HTTPClient = &http.Client{Transport: seer}
	c, err := New(cfg)
	require.NoError(t, err)
	ctx := context.WithValue(context.Background(), callerKey{}, "mine")
	_, err = c.Do(ctx, &Request{Method: "GET", Path: "x"}, nil)
	require.NoError(t, err)
	_, err = c.Do(ctx, &Request{Method: "POST", Path: "x", Body: map[string]int{"a": 1}}, nil)
	require.NoError(t, err)
	assert.Equal(t, []any{"mine", "mine"}, seer.got)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Do(cctx, &Request{Method: "GET", Path: "x"}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, seer.got, 2, "a canceled call sends nothing")
}
