package orderkit_test

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestOptionsRefuseWhatTheyCannotUse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  orderkit.Option
		want string
	}{
		{"nil option", nil, "option 2 is nil"},
		{"empty base URL", orderkit.WithBaseURL(""), "WithBaseURL: empty URL"},
		{"nil http client", orderkit.WithHTTPClient(nil), "WithHTTPClient: nil"},
		{"negative retries", orderkit.WithRetry(-1, 0, 0), "WithRetry: negative retry count -1"},
		{"waits reversed", orderkit.WithRetry(3, time.Second, time.Millisecond), "WithRetry: waitMax 1ms is below waitMin 1s"},
		{"negative wait", orderkit.WithRetry(3, -time.Second, time.Second), "WithRetry: negative wait"},
		{"negative rate", orderkit.WithRateLimit(-1, 1), "WithRateLimit: invalid rate -1"},
		{"burst zero", orderkit.WithRateLimit(5, 0), "WithRateLimit: burst 0 is below 1"},
		{"nil limiter", orderkit.WithLimiter(nil), "WithLimiter: nil"},
		{"nil logger", orderkit.WithLogger(nil), "WithLogger: nil"},
		{"empty user agent", orderkit.WithUserAgent(""), "WithUserAgent: empty"},
		{"bad header name", orderkit.WithHeader("X Bad", "v"), `WithHeader: invalid header name "X Bad"`},
		{"header line break", orderkit.WithHeader("X-Ok", "a\r\nb"), "line break"},
		{"negative timeout", orderkit.WithTimeout(-1), "WithTimeout: -1ns is not a positive duration"},
		{"zero timeout", orderkit.WithTimeout(0), "WithTimeout: 0s is not a positive duration"},
		{"negative cap", orderkit.WithMaxResponseBytes(-1), "WithMaxResponseBytes: -1 is not a positive size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := orderkit.DefaultSettings()
			err := s.Apply(orderkit.WithUserAgent("first"), tc.opt)
			require.Error(t, err)
			assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			assert.Contains(t, err.Error(), tc.want)
			if tc.opt != nil {
				assert.Contains(t, err.Error(), "option 2:", "the error names the option by position")
			}
		})
	}
}

func TestOptionsSetWhatTheySay(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	lim := rate.NewLimiter(1, 1)
	lg := slog.New(slog.DiscardHandler)
	s := orderkit.DefaultSettings()
	require.NoError(t, s.Apply(
		orderkit.WithBaseURL("https://api.example.test/api"),
		orderkit.WithHTTPClient(hc),
		orderkit.WithRetry(0, 0, 0),
		orderkit.WithLimiter(lim),
		orderkit.WithLogger(lg),
		orderkit.WithUserAgent("ua/1"),
		orderkit.WithHeader("x-one", "1"),
		orderkit.WithTimeout(2*time.Second),
		orderkit.WithMaxResponseBytes(1024),
		orderkit.WithInsecureHTTP(),
	))
	assert.Equal(t, "https://api.example.test/api", s.BaseURL)
	assert.Same(t, hc, s.HTTPClient)
	assert.Equal(t, 0, s.MaxRetries)
	assert.Zero(t, s.RetryWaitMin)
	assert.Zero(t, s.RetryWaitMax)
	assert.Same(t, lim, s.Limiter)
	assert.Same(t, lg, s.Logger)
	assert.Equal(t, "ua/1", s.UserAgent)
	assert.Equal(t, "1", s.Header.Get("X-One"))
	assert.Equal(t, 2*time.Second, s.Timeout)
	assert.EqualValues(t, 1024, s.MaxResponseBytes)
	assert.True(t, s.AllowInsecureHTTP)

	require.NoError(t, s.Apply(orderkit.WithRateLimit(0, 0)))
	assert.Nil(t, s.Limiter, "rate 0 turns the limit off")
	require.NoError(t, s.Apply(orderkit.WithRateLimit(20, 20)))
	require.NotNil(t, s.Limiter)
	assert.Equal(t, rate.Limit(20), s.Limiter.Limit())
	assert.Equal(t, 20, s.Limiter.Burst())
}

func TestDefaultSettings(t *testing.T) {
	t.Parallel()
	s := orderkit.DefaultSettings()
	assert.Equal(t, orderkit.DefaultTimeout, s.Timeout)
	assert.Equal(t, orderkit.DefaultMaxRetries, s.MaxRetries)
	assert.Equal(t, orderkit.DefaultRetryWaitMin, s.RetryWaitMin)
	assert.Equal(t, orderkit.DefaultRetryWaitMax, s.RetryWaitMax)
	assert.EqualValues(t, orderkit.DefaultMaxResponseBytes, s.MaxResponseBytes)
	assert.Equal(t, orderkit.JSON, s.Format)
	assert.Equal(t, "json", orderkit.JSON.String())
	assert.Equal(t, "xml", orderkit.XML.String())
	assert.Equal(t, "Format(9)", orderkit.Format(9).String())
}

func TestCallOptions(t *testing.T) {
	t.Parallel()
	var meta orderkit.Response
	cs, err := orderkit.ApplyCallOptions([]orderkit.CallOption{
		orderkit.CallHeader("x-trace", "a", "b"),
		orderkit.CallHeader("X-Sandbox-Mode"),
		orderkit.CallRetry(1, time.Millisecond, time.Second),
		orderkit.CallTimeout(time.Second),
		orderkit.CaptureResponse(&meta),
		orderkit.Reference("shop-42"),
		orderkit.ResolveOutcome(),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, cs.Header["X-Trace"])
	v, ok := cs.Header["X-Sandbox-Mode"]
	assert.True(t, ok)
	assert.Empty(t, v, "no values removes the client's header")
	assert.Equal(t, &orderkit.RetrySettings{MaxRetries: 1, WaitMin: time.Millisecond, WaitMax: time.Second}, cs.Retry)
	assert.Equal(t, time.Second, cs.Timeout)
	assert.Same(t, &meta, cs.Response)
	assert.Equal(t, "shop-42", cs.Reference)
	assert.True(t, cs.Resolve)

	cs, err = orderkit.ApplyCallOptions([]orderkit.CallOption{orderkit.NoRetry()})
	require.NoError(t, err)
	assert.Equal(t, &orderkit.RetrySettings{}, cs.Retry)

	for _, bad := range []struct {
		opt  orderkit.CallOption
		want string
	}{
		{nil, "call option 1 is nil"},
		{orderkit.CallHeader(""), "CallHeader: empty header name"},
		{orderkit.CallHeader("X-A", "x\ny"), "line break"},
		{orderkit.CallHeader("X Bad"), `CallHeader: invalid header name "X Bad"`},
		{orderkit.CallRetry(-1, 0, 0), "CallRetry: negative retry count"},
		{orderkit.CallTimeout(0), "CallTimeout: 0s is not a positive duration"},
		{orderkit.CaptureResponse(nil), "CaptureResponse: nil"},
		{orderkit.Reference(" "), "Reference: empty reference"},
	} {
		_, err := orderkit.ApplyCallOptions([]orderkit.CallOption{bad.opt})
		require.Error(t, err)
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
		assert.Contains(t, err.Error(), bad.want)
	}
}

func TestNewResponseReadsRequestIDAndRate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	h := http.Header{}
	h.Set("x-rid", "rid-1")
	h.Set("X-Request-Id", "other")
	h.Set("X-RateLimit-Limit", "20")
	h.Set("X-RateLimit-Remaining", "7")
	h.Set("X-RateLimit-Reset", "1796126400")
	h.Set("Retry-After", "3")
	r := orderkit.NewResponse(200, h, 2, now)
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, 2, r.Attempts)
	assert.Equal(t, "rid-1", r.RequestID, "x-rid comes first")
	assert.Equal(t, orderkit.RateLimit{Limit: 20, Remaining: 7, Reset: time.Unix(1796126400, 0).UTC(), RetryAfter: 3 * time.Second}, r.Rate)
	assert.True(t, r.Rate.Known())

	h = http.Header{}
	h.Set("X-Request-Id", "req-2")
	h.Set("RateLimit-Reset", "30")
	h.Set("Retry-After", now.Add(time.Minute).Format(http.TimeFormat))
	r = orderkit.NewResponse(429, h, 1, now)
	assert.Equal(t, "req-2", r.RequestID)
	assert.Equal(t, now.Add(30*time.Second), r.Rate.Reset, "a small reset is seconds from now")
	assert.Equal(t, time.Minute, r.Rate.RetryAfter)

	r = orderkit.NewResponse(204, nil, 1, now)
	assert.Empty(t, r.RequestID)
	assert.False(t, r.Rate.Known())

	h = http.Header{}
	h.Set("X-RateLimit-Limit", "lots")
	h.Set("Retry-After", "-4")
	assert.False(t, orderkit.NewResponse(200, h, 1, now).Rate.Known(), "unreadable values are left zero")
}

func TestErrorMatchesItsKindsAndSaysWhatFailed(t *testing.T) {
	t.Parallel()
	cause := &orderkit.ValidationError{Message: "Serialization error", Code: "common.serializer_error",
		Fields: map[string][]string{"items[0].price": {"required", "positive"}, "base": {"bad basket"}}}
	e := &orderkit.Error{API: "inventorum", Method: "POST", URL: "https://app.inventorum.com/api/basket/",
		StatusCode: 400, Message: "Validation error", Attempts: 2, RequestID: "rid-9",
		Kinds: orderkit.StatusKinds(400), Err: cause}
	var err error = e
	assert.ErrorIs(t, err, orderkit.ErrValidation)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var ve *orderkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "required; positive", ve.Field("items[0].price"))
	assert.Equal(t, "inventorum: POST https://app.inventorum.com/api/basket/: 400 Bad Request: Validation error: "+
		"validation failed: Serialization error: bad basket; items[0].price: required, positive (after 2 attempts) [request id rid-9]", e.Error())

	e = &orderkit.Error{API: "attivita", Method: "POST", URL: "https://api.attivita.de/api/orders", StatusCode: 502}
	e.AddKind(orderkit.StatusKinds(502)...)
	e.AddKind(orderkit.ErrOutcomeUnknown, orderkit.ErrOutcomeUnknown, nil)
	assert.Len(t, e.Kinds, 2, "each kind once, nil ignored")
	assert.True(t, e.OutcomeUnknown())
	assert.ErrorIs(t, e, orderkit.ErrServer)
	assert.Contains(t, e.Error(), "502 Bad Gateway: "+orderkit.ErrOutcomeUnknown.Error())

	for code, want := range map[int]error{404: orderkit.ErrNotFound, 401: orderkit.ErrUnauthorized, 403: orderkit.ErrForbidden,
		409: orderkit.ErrConflict, 429: orderkit.ErrRateLimited, 500: orderkit.ErrServer, 503: orderkit.ErrServer} {
		assert.Equal(t, []error{want}, orderkit.StatusKinds(code), code)
	}
	assert.Nil(t, orderkit.StatusKinds(400))
}

func TestAPIError(t *testing.T) {
	t.Parallel()
	errCredit := errors.New("credit limit exceeded")
	e := &orderkit.APIError{StatusCode: 400, Code: "CREDIT_LIMIT_EXCEEDED", Message: "You have reached your credit limit", Kind: errCredit}
	assert.ErrorIs(t, e, errCredit)
	assert.Equal(t, "You have reached your credit limit (CREDIT_LIMIT_EXCEEDED)", e.Error())
	assert.Equal(t, "a; b", (&orderkit.APIError{Messages: []string{"a", "b"}}).Error())
	assert.Equal(t, "API error 418", (&orderkit.APIError{StatusCode: 418}).Error())
}

func TestOutcomeError(t *testing.T) {
	t.Parallel()
	cause := &orderkit.Error{API: "attivita", Method: "POST", URL: "u", Kinds: []error{orderkit.ErrOutcomeUnknown}}
	asOf := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

	r := orderkit.Resolution[string]{State: orderkit.NotCreated, AsOf: asOf, SafeToResend: true, Lookups: 2, Cause: cause}
	err := r.Err()
	assert.ErrorIs(t, err, orderkit.ErrNotCreated)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "a definite not-created is a known outcome")
	assert.True(t, strings.HasPrefix(err.Error(), "not created as of 2026-12-01T12:00:00Z (safe to send again)"), err.Error())

	r = orderkit.Resolution[string]{State: orderkit.Ambiguous, Candidates: []string{"a", "b"}, Cause: cause}
	err = r.Err()
	assert.ErrorIs(t, err, orderkit.ErrAmbiguous)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var oe *orderkit.OutcomeError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 2, oe.Candidates)
	var e *orderkit.Error
	assert.ErrorAs(t, err, &e, "the cause stays reachable")

	r = orderkit.Resolution[string]{State: orderkit.Unresolvable}
	err = r.Err()
	assert.ErrorIs(t, err, orderkit.ErrUnresolvable)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)

	r = orderkit.Resolution[string]{State: orderkit.Created, Order: "o"}
	assert.NoError(t, r.Err())
	for s, name := range map[orderkit.ResolutionState]string{orderkit.Unresolved: "unresolved", orderkit.Created: "created",
		orderkit.NotCreated: "not created", orderkit.Ambiguous: "ambiguous", orderkit.Unresolvable: "unresolvable", 9: "ResolutionState(9)"} {
		assert.Equal(t, name, s.String())
	}
}

func TestResponseMetadataCostsNoAllocationsForAbsentHeaders(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"}}
	now := time.Now()
	if n := testing.AllocsPerRun(100, func() { _ = orderkit.NewResponse(200, h, 1, now) }); n > 1 {
		t.Errorf("NewResponse allocates %v times; want 1 (the Response)", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = orderkit.ApplyCallOptions(nil) }); n != 0 {
		t.Errorf("ApplyCallOptions(nil) allocates %v times", n)
	}
}
