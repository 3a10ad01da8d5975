package attivita_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

const (
	testToken = "tok-SECRET-1234567890"
	base      = "https://api.attivita.de"
)

// newMocked returns a client on its own mock transport, with fast retries.
func newMocked(t *testing.T, opts ...orderkit.Option) (*attivita.Client, *httpmock.MockTransport) {
	t.Helper()
	mock := httpmock.NewMockTransport()
	all := append([]orderkit.Option{
		orderkit.WithHTTPClient(&http.Client{Transport: mock}),
		orderkit.WithRetry(2, 0, time.Millisecond),
	}, opts...)
	c, err := attivita.NewClient(testToken, all...)
	require.NoError(t, err)
	return c, mock
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// jsonResponder answers status with body as JSON, dated now as every
// server dates its answers, and records the request.
func jsonResponder(status int, body string, got **http.Request) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		if got != nil {
			*got = r
		}
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		resp.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		return resp, nil
	}
}

func requireAuthHeaders(t *testing.T, r *http.Request) {
	t.Helper()
	require.NotNil(t, r, "no request was sent")
	require.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
	require.Equal(t, "application/json", r.Header.Get("Accept"))
	require.Contains(t, r.Header.Get("User-Agent"), "orderkit/")
}

var ctx = context.Background()

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }

func errCanceled() error { return context.Canceled }
