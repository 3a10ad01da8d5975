package versacommerce_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	base     = "https://myshop.versacommerce.de/api"
	key      = "app-key-123"
	password = "app-password-456"
)

func newMock(t *testing.T, opts ...orderkit.Option) (*versacommerce.Client, *httpmock.MockTransport) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	all := append([]orderkit.Option{
		orderkit.WithHTTPClient(&http.Client{Transport: mock}),
		orderkit.WithRetry(2, 0, time.Millisecond),
	}, opts...)
	c, err := versacommerce.NewClient("myshop", key, password, all...)
	require.NoError(t, err)
	return c, mock
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// respond checks what every request must carry, then answers status and
// body.
func respond(t *testing.T, status int, body []byte) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		user, pass, ok := r.BasicAuth()
		assert.True(t, ok, "basic auth")
		assert.Equal(t, key, user)
		assert.Equal(t, password, pass)
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Contains(t, r.Header.Get("User-Agent"), "orderkit/")
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func TestNewClient(t *testing.T) {
	c, err := versacommerce.NewClient("my-shop1", "k", "p")
	require.NoError(t, err)
	assert.Equal(t, "https://my-shop1.versacommerce.de/api/", c.BaseURL())

	for _, shop := range []string{"", "my.shop", "evil.com/x", "a@b", "-shop", "shop-", "shop:80", "sh op",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		_, err := versacommerce.NewClient(shop, "k", "p")
		assert.ErrorIs(t, err, orderkit.ErrInvalidArgument, "shop %q", shop)
	}
	_, err = versacommerce.NewClient("shop", "", "p")
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = versacommerce.NewClient("shop", "k", "")
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)

	// A base URL replaces the shop host; the shop may then be empty.
	c, err = versacommerce.NewClient("", "k", "p", orderkit.WithBaseURL("https://orders.example.com/api"))
	require.NoError(t, err)
	assert.Equal(t, "https://orders.example.com/api/", c.BaseURL())
	// Credentials never go over plain http to a remote host.
	_, err = versacommerce.NewClient("", "k", "p", orderkit.WithBaseURL("http://orders.example.com/api"))
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestErrorsNeverCarryCredentials(t *testing.T) {
	c, mock := newMock(t)
	// A server echoing the credentials back must not get them into the error.
	mock.RegisterResponder("GET", base+"/orders/7.json",
		httpmock.NewStringResponder(401, `{"errors": {"base": ["bad login app-key-123 / app-password-456"]}}`))
	_, err := c.Orders.Get(context.Background(), 7, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, orderkit.ErrUnauthorized)
	assert.NotContains(t, err.Error(), key)
	assert.NotContains(t, err.Error(), password)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.NotContains(t, e.Body, password)
	assert.Equal(t, 401, e.StatusCode)
}

func TestErrorShapes(t *testing.T) {
	cases := []struct {
		name, body string
		fields     map[string][]string
		msg        string
	}{
		{"documented", string(fixture(t, "errors_422.json")),
			map[string][]string{"billing_address.city": {"can't be blank"}, "total": {"can't be blank", "is not a number"}},
			"billing_address.city can't be blank; total can't be blank; total is not a number"},
		{"list", `{"errors": ["Order is locked"]}`, map[string][]string{"base": {"Order is locked"}}, "Order is locked"},
		{"single message per field", `{"errors": {"code": "has already been taken"}}`, map[string][]string{"code": {"has already been taken"}}, "code has already been taken"},
		{"plain string", `{"errors": "nope"}`, nil, "nope"},
		{"error key", `{"error": "nope"}`, nil, "nope"},
		{"html", `<html><body>Bad Gateway</body></html>`, nil, ""},
		{"truncated", `{"errors": {"total": ["can't`, nil, ""},
		{"odd types", `{"errors": {"total": [1, {"a": 2}], "x": null}}`, map[string][]string{"total": {"1", `{"a": 2}`}}, `total 1; total {"a": 2}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mock := newMock(t)
			mock.RegisterResponder("GET", base+"/orders/1.json", httpmock.NewStringResponder(422, tc.body))
			_, err := c.Orders.Get(context.Background(), 1, nil)
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 422, e.StatusCode)
			assert.Equal(t, tc.msg, e.Message)
			var ve *orderkit.ValidationError
			if tc.fields == nil {
				assert.False(t, errors.As(err, &ve))
				return
			}
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.fields, ve.Fields)
			assert.ErrorIs(t, err, orderkit.ErrValidation)
		})
	}
}

func TestLoggerGetsNoSecretsOrQuery(t *testing.T) {
	var buf safeBuffer
	logger := newDebugLogger(&buf)
	c, mock := newMock(t, orderkit.WithLogger(logger))
	mock.RegisterResponder("GET", base+"/orders.json", httpmock.NewStringResponder(200, `[]`))
	_, err := c.Orders.List(context.Background(), &versacommerce.ListOptions{Filter: versacommerce.Filter{Note: "secret-note"}})
	require.NoError(t, err)
	out := buf.String()
	assert.Contains(t, out, "/api/orders.json")
	assert.NotContains(t, out, "secret-note")
	assert.NotContains(t, out, password)
}
