package orderkit_test

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
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
		{"zero option", orderkit.Option{}, "option 2 is the zero orderkit.Option"},
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
		{"credential header", orderkit.WithHeader("authorization", "Bearer x"), "WithHeader: Authorization carries a credential"},
		{"typed nil limiter", orderkit.WithLimiter((*rate.Limiter)(nil)), "WithLimiter: nil *rate.Limiter"},
		{"negative timeout", orderkit.WithTimeout(-1), "WithTimeout: -1ns is not a positive duration"},
		{"zero timeout", orderkit.WithTimeout(0), "WithTimeout: 0s is not a positive duration"},
		{"negative cap", orderkit.WithMaxResponseBytes(-1), "WithMaxResponseBytes: -1 is not a positive size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := pipeline.NewConfig("test", "https://api.example.test")
			err := s.Apply(orderkit.WithUserAgent("first"), tc.opt)
			require.Error(t, err)
			assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "option 2", "the error names the option by position")
		})
	}
}

func TestOptionsSetWhatTheySay(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	lim := rate.NewLimiter(1, 1)
	lg := slog.New(slog.DiscardHandler)
	s := pipeline.NewConfig("test", "https://api.example.test")
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
	rl, ok := s.Limiter.(*rate.Limiter)
	require.True(t, ok)
	assert.Equal(t, rate.Limit(20), rl.Limit())
	assert.Equal(t, 20, rl.Burst())
}

func TestCallOptions(t *testing.T) {
	t.Parallel()
	var meta orderkit.Response
	c, err := pipeline.New(pipeline.NewConfig("test", "https://api.example.test"))
	require.NoError(t, err)
	cs, err := c.Calls("Orders.Create", []orderkit.CallOption{
		orderkit.CallHeader("x-trace", "a", "b"),
		orderkit.CallHeader("X-Sandbox-Mode"),
		orderkit.CallRetry(1, time.Millisecond, time.Second),
		orderkit.CallTimeout(time.Second),
		orderkit.CaptureResponse(&meta),
		orderkit.Reference("shop-42"),
		orderkit.ResolveOutcome(),
	}, "Reference", "ResolveOutcome")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, cs.Header["X-Trace"])
	v, ok := cs.Header["X-Sandbox-Mode"]
	assert.True(t, ok)
	assert.Empty(t, v, "no values removes the client's header")
	assert.Equal(t, &config.Retry{MaxRetries: 1, WaitMin: time.Millisecond, WaitMax: time.Second}, cs.Retry)
	assert.Equal(t, time.Second, cs.Timeout)
	assert.Same(t, &meta, cs.Response)
	assert.Equal(t, "shop-42", cs.Reference)
	assert.True(t, cs.Resolve)

	cs, err = c.Calls("Orders.Get", []orderkit.CallOption{orderkit.NoRetry()})
	require.NoError(t, err)
	assert.Equal(t, &config.Retry{}, cs.Retry)

	for _, bad := range []struct {
		opt  orderkit.CallOption
		want string
	}{
		{orderkit.CallOption{}, "call option 1 is the zero orderkit.CallOption"},
		{orderkit.CallHeader("Authorization", "Bearer x"), "CallHeader: Authorization carries a credential"},
		{orderkit.ResolveOutcome(), "Orders.Get: call option 1: ResolveOutcome does not apply to Orders.Get"},
		{orderkit.CallHeader(""), "CallHeader: empty header name"},
		{orderkit.CallHeader("X-A", "x\ny"), "line break"},
		{orderkit.CallHeader("X Bad"), `CallHeader: invalid header name "X Bad"`},
		{orderkit.CallRetry(-1, 0, 0), "CallRetry: negative retry count"},
		{orderkit.CallTimeout(0), "CallTimeout: 0s is not a positive duration"},
		{orderkit.CaptureResponse(nil), "CaptureResponse: nil"},
		{orderkit.Reference(" "), "Reference: empty reference"},
	} {
		_, err := c.Calls("Orders.Get", []orderkit.CallOption{bad.opt}, "Reference")
		require.Error(t, err)
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
		assert.Contains(t, err.Error(), bad.want)
	}
}

func TestErrorMatchesItsKindsAndSaysWhatFailed(t *testing.T) {
	t.Parallel()
	cause := &orderkit.ValidationError{Message: "Serialization error", Code: "common.serializer_error",
		Fields: map[string][]string{"items[0].price": {"required", "positive"}, "base": {"bad basket"}}}
	e := &orderkit.Error{API: "inventorum", Method: "POST", URL: "https://app.inventorum.com/api/basket/",
		StatusCode: 400, Message: "Validation error", Attempts: 2, RequestID: "rid-9",
		Err: cause}
	var err error = e
	assert.ErrorIs(t, err, orderkit.ErrValidation)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var ve *orderkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "required; positive", ve.Field("items[0].price"))
	assert.Equal(t, "inventorum: POST https://app.inventorum.com/api/basket/: 400 Bad Request: Validation error: "+
		"validation failed: Serialization error: bad basket; items[0].price: required, positive (after 2 attempts) [request id rid-9]", e.Error())

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
