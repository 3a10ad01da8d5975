package pipeline

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client package's own option reaches its own NewClient and is refused
// by another's, naming the option and both packages.
func TestOwnOptionsBelongToOnePackage(t *testing.T) {
	t.Parallel()
	withSandbox := NewOption("WithSandbox", func(s *config.Settings) error {
		s.SetOwn("attivita", "WithSandbox", true)
		return nil
	})
	cfg := NewConfig("attivita", base)
	require.NoError(t, cfg.Apply(orderkit.WithTimeout(time.Second), withSandbox))
	v, ok := cfg.OwnValue("WithSandbox")
	assert.True(t, ok)
	assert.Equal(t, true, v)

	cfg = NewConfig("inventorum", base)
	err := cfg.Apply(withSandbox)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, "inventorum: invalid argument: option 1: attivita.WithSandbox is an option of package attivita, not of inventorum", err.Error())
}

// A call option of limited scope is refused by a method that does not
// take it, and a client package's own call option by another client.
func TestCallOptionsOfLimitedScope(t *testing.T) {
	t.Parallel()
	sandbox := NewCallOption("Sandbox", func(cs *config.CallSettings) error {
		cs.SetOwn("attivita", "Sandbox", true)
		return nil
	})
	att, err := New(NewConfig("attivita", base))
	require.NoError(t, err)
	cs, err := att.Calls("Orders.Create", []orderkit.CallOption{sandbox, orderkit.Reference("r-1")}, "attivita.Sandbox", "Reference")
	require.NoError(t, err)
	v, ok := cs.OwnValue("Sandbox")
	assert.True(t, ok && v == true)
	assert.Equal(t, "r-1", cs.Reference)

	_, err = att.Calls("Products.List", []orderkit.CallOption{orderkit.NoRetry(), orderkit.Reference("r-1")})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, "attivita: invalid argument: Products.List: call option 2: Reference does not apply to Products.List", err.Error())

	inv, err := New(NewConfig("inventorum", base))
	require.NoError(t, err)
	_, err = inv.Calls("Orders.List", []orderkit.CallOption{sandbox}, "attivita.Sandbox")
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "attivita.Sandbox is an option of package attivita, not of inventorum")
}

// The client's own credential header cannot be set through WithHeader or
// CallHeader, in any spelling.
func TestCredentialHeadersAreRefused(t *testing.T) {
	t.Parallel()
	cfg := NewConfig("adility", base)
	cfg.Auth = APIKey("X-ADILITY-API-KEY", canary)
	cfg.CredentialHeader = "X-ADILITY-API-KEY"
	require.NoError(t, cfg.Apply(orderkit.WithHeader("x-adility-api-key", "other")))
	_, err := New(cfg)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "X-Adility-Api-Key carries a credential")

	cfg = NewConfig("adility", base)
	cfg.Auth = APIKey("X-ADILITY-API-KEY", canary)
	cfg.CredentialHeader = "X-ADILITY-API-KEY"
	c, err := New(cfg)
	require.NoError(t, err)
	_, err = c.Calls("Orders.Get", []orderkit.CallOption{orderkit.CallHeader("X-Adility-Api-Key", "other")})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), "other")
}

// A 401 or 403 is about credentials whatever its body says: the decoder's
// validation detail is dropped, so ErrValidation never matches.
func TestAuthFailuresNeverMatchValidation(t *testing.T) {
	t.Parallel()
	for _, status := range []int{401, 403, 400} {
		h := newHarness(t, func(c *Config) {
			c.DecodeError = func(int, http.Header, []byte) (string, string, error) {
				return "bad", "", &orderkit.ValidationError{Fields: map[string][]string{"base": {"Invalid credentials"}}}
			}
		})
		h.mock.RegisterResponder("GET", base+"/orders", httpmock.NewStringResponder(status, `{"errors": {"base": ["Invalid credentials"]}}`))
		_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders"}, nil)
		require.Error(t, err)
		switch status {
		case 401:
			assert.ErrorIs(t, err, ErrUnauthorized)
			assert.NotErrorIs(t, err, ErrValidation)
		case 403:
			assert.ErrorIs(t, err, ErrForbidden)
			assert.NotErrorIs(t, err, ErrValidation)
		default:
			assert.ErrorIs(t, err, ErrValidation, "a 400 keeps its validation detail")
		}
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "bad", e.Message)
	}
}

// A request that never reached a server matches ErrUnreachable: a
// refused connection, a name that does not resolve. One that reached it
// does not, even when the connection broke afterwards.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now

	for _, tc := range []struct {
		name, url string
		method    string
	}{
		{"refused GET", "http://" + addr + "/api", "GET"},
		{"refused POST", "http://" + addr + "/api", "POST"},
		{"no such host", "http://orderkit-no-such-host.invalid/api", "GET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := NewConfig("test", tc.url)
			require.NoError(t, cfg.Apply(orderkit.WithRetry(1, time.Millisecond, time.Millisecond)))
			c, err := New(cfg)
			require.NoError(t, err)
			_, err = c.Do(context.Background(), &Request{Method: tc.method, Path: "orders"}, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, orderkit.ErrUnreachable)
			assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
		})
	}

	// A server that reads the request and hangs up reached the API.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		_ = conn.Close()
	}))
	defer srv.Close()
	cfg := NewConfig("test", srv.URL)
	require.NoError(t, cfg.Apply(orderkit.WithRetry(0, 0, 0)))
	c, err := New(cfg)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "orders", Body: map[string]int{"a": 1}}, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, orderkit.ErrUnreachable)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)

	// A cancelled context is the caller's doing, not an unreachable API.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Do(ctx, &Request{Method: "GET", Path: "orders"}, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, orderkit.ErrUnreachable)
	assert.True(t, errors.Is(err, context.Canceled))
}

// Raw sends what the client does not wrap through the same pipeline: auth,
// the path under the API root, the query, the body, the decoded answer.
func TestRaw(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var got *http.Request
	h.mock.RegisterResponder("GET", base+"/orders/7/payments.json", func(r *http.Request) (*http.Response, error) {
		got = r
		return httpmock.NewStringResponse(200, `[{"id": 1}]`), nil
	})
	var out []struct{ ID int }
	res, err := h.c.Raw(context.Background(), "GET", "orders/7/payments.json?limit=5", nil, &out, config.CallSettings{})
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, []struct{ ID int }{{1}}, out)
	require.NotNil(t, got)
	assert.Equal(t, "limit=5", got.URL.RawQuery)
	assert.Equal(t, "Bearer "+canary, got.Header.Get("Authorization"))

	for _, bad := range []struct{ method, path string }{{"GET", "https://evil.example/x"}, {"GET", "//evil.example/x"}, {"BREW", "x"}, {"GET", "../x"}} {
		_, err := h.c.Raw(context.Background(), bad.method, bad.path, nil, nil, config.CallSettings{})
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, "%s %s", bad.method, bad.path)
	}

	// A POST whose connection breaks after sending is not sent twice.
	posts := 0
	h.mock.RegisterResponder("POST", base+"/orders/7/shipments.json", func(*http.Request) (*http.Response, error) {
		posts++
		return nil, errors.New("connection reset by peer")
	})
	_, err = h.c.Raw(context.Background(), "POST", "orders/7/shipments.json", map[string]string{"a": "b"}, nil, config.CallSettings{})
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, posts)
}

type failingLimiter struct{ err error }

func (l failingLimiter) Wait(context.Context) error { return l.err }

// A shared limiter that fails says why; its error is not taken for the
// context's deadline, and nothing is sent.
func TestLimiterErrorsAreKept(t *testing.T) {
	t.Parallel()
	storeDown := errors.New("limiter store unreachable")
	sent := 0
	h := newHarness(t, func(c *Config) { c.Limiter = failingLimiter{storeDown} })
	h.mock.RegisterResponder("GET", base+"/orders", func(*http.Request) (*http.Response, error) {
		sent++
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := h.c.Do(context.Background(), &Request{Method: "GET", Path: "orders"}, nil)
	require.ErrorIs(t, err, storeDown)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Zero(t, sent)
}
