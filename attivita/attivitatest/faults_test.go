package attivitatest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/attivita/attivitatest"
)

const orderBody = `{"products":[{"productId":"` + attivitatest.DemoOfficeID + `","amount":1}]}`

// serve starts the demo fake over a real connection, so that dropped and
// truncated answers behave as on the wire.
func serve(t *testing.T) (*attivitatest.Server, *httptest.Server) {
	t.Helper()
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv
}

func send(t *testing.T, srv *httptest.Server, method, path, body string, sandbox bool) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+attivitatest.DefaultToken)
	if sandbox {
		req.Header.Set("X-Sandbox-Mode", "true")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestFaults(t *testing.T) {
	t.Run("FailNextRetryAfter", func(t *testing.T) {
		fake, srv := serve(t)
		fake.FailNextRetryAfter(http.StatusTooManyRequests, 1500*time.Millisecond, `{"error":"slow down"}`)
		resp, body, err := send(t, srv, "POST", "/api/orders", orderBody, false)
		require.NoError(t, err)
		assert.Equal(t, 429, resp.StatusCode)
		assert.Equal(t, "2", resp.Header.Get("Retry-After"))
		assert.JSONEq(t, `{"error":"slow down"}`, string(body))
		assert.Equal(t, 0, fake.OrderCount(), "not acted on")
		assert.Equal(t, 1, fake.Count("POST", "/api/orders"))
	})
	t.Run("DropNextBeforeActing", func(t *testing.T) {
		fake, srv := serve(t)
		fake.DropNextBeforeActing()
		_, _, err := send(t, srv, "POST", "/api/orders", orderBody, false)
		require.Error(t, err)
		assert.Equal(t, 0, fake.OrderCount())
		assert.Equal(t, 1, fake.Count("POST", "/api/orders"), "counted although faulted")
		assert.Equal(t, 0, fake.Requests()[0].Status, "no answer")
	})
	t.Run("DropNextAfterActing", func(t *testing.T) {
		fake, srv := serve(t)
		fake.DropNextAfterActing()
		_, _, err := send(t, srv, "POST", "/api/orders", orderBody, false)
		require.Error(t, err)
		assert.Equal(t, 1, fake.OrderCount(), "acted on")
		assert.Equal(t, 149, fake.Stock(attivitatest.DemoOfficeID))
	})
	t.Run("FailNextAfterActing", func(t *testing.T) {
		fake, srv := serve(t)
		fake.FailNextAfterActing(http.StatusBadGateway, `<html>bad gateway</html>`)
		resp, body, err := send(t, srv, "POST", "/api/orders", orderBody, false)
		require.NoError(t, err)
		assert.Equal(t, 502, resp.StatusCode)
		assert.Equal(t, "<html>bad gateway</html>", string(body))
		assert.Equal(t, 1, fake.OrderCount())
	})
	t.Run("TruncateNextAfterActing", func(t *testing.T) {
		fake, srv := serve(t)
		fake.TruncateNextAfterActing()
		resp, body, err := send(t, srv, "POST", "/api/orders", orderBody, false)
		require.Error(t, err, "the body ends early")
		require.NotNil(t, resp)
		assert.Equal(t, 201, resp.StatusCode)
		assert.Greater(t, resp.ContentLength, int64(len(body)))
		assert.NotEmpty(t, body)
		assert.Equal(t, 1, fake.OrderCount())
	})
	t.Run("DelayNext", func(t *testing.T) {
		fake, srv := serve(t)
		fake.DelayNext(time.Hour)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/products", nil)
		req.Header.Set("Authorization", "Bearer "+attivitatest.DefaultToken)
		_, err := srv.Client().Do(req)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		resp, _, err := send(t, srv, "GET", "/api/products", "", false)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode, "the delay was used up")
	})
	t.Run("FailNextOn waits for its request", func(t *testing.T) {
		fake, srv := serve(t)
		fake.FailNextOn("POST", "/api/orders", 500, `{"error":"x"}`)
		resp, _, err := send(t, srv, "GET", "/api/products", "", false)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		resp, _, err = send(t, srv, "POST", "/api/orders", orderBody, false)
		require.NoError(t, err)
		assert.Equal(t, 500, resp.StatusCode)
		assert.Equal(t, 0, fake.OrderCount())
	})
}

func TestDateHeaderFollowsTheClock(t *testing.T) {
	fake, srv := serve(t)
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	fake.SetClock(func() time.Time { return at })
	resp, body, err := send(t, srv, "POST", "/api/orders", orderBody, false)
	require.NoError(t, err)
	assert.Equal(t, "Wed, 02 Jan 2030 03:04:05 GMT", resp.Header.Get("Date"))
	var o struct{ OrderDate string }
	require.NoError(t, json.Unmarshal(body, &o))
	assert.Equal(t, "2030-01-02T03:04:05Z", o.OrderDate)
	fake.FailNextAfterActing(502, "")
	resp, _, err = send(t, srv, "POST", "/api/orders", orderBody, false)
	require.NoError(t, err)
	assert.Equal(t, "Wed, 02 Jan 2030 03:04:05 GMT", resp.Header.Get("Date"), "faulted answers too")
}

func orderNumbers(t *testing.T, body []byte) []float64 {
	t.Helper()
	var list []struct {
		OrderNumber float64
		Status      string
	}
	require.NoError(t, json.Unmarshal(body, &list))
	out := []float64{}
	for _, o := range list {
		out = append(out, o.OrderNumber)
	}
	return out
}

func TestSandboxOrdersAreStored(t *testing.T) {
	fake, srv := serve(t)
	_, _, err := send(t, srv, "POST", "/api/orders", orderBody, false)
	require.NoError(t, err)
	resp, body, err := send(t, srv, "POST", "/api/orders", orderBody, true)
	require.NoError(t, err)
	require.Equal(t, 201, resp.StatusCode)
	assert.Contains(t, string(body), `"status":"sandbox-completed"`)
	assert.Equal(t, 1, fake.OrderCount())
	assert.Equal(t, 1, fake.SandboxOrderCount())
	assert.Equal(t, 149, fake.Stock(attivitatest.DemoOfficeID), "sandbox spends nothing")

	_, body, err = send(t, srv, "GET", "/api/orders", "", false)
	require.NoError(t, err)
	assert.Equal(t, []float64{1001}, orderNumbers(t, body), "a live list shows live orders")
	_, body, err = send(t, srv, "GET", "/api/orders", "", true)
	require.NoError(t, err)
	assert.Equal(t, []float64{900001}, orderNumbers(t, body), "a sandbox list shows sandbox orders")
	assert.Contains(t, string(body), `"status":"sandbox-completed"`)
	assert.Contains(t, string(body), `SAND-BOX1-TEST-KEY1`)

	resp, _, err = send(t, srv, "GET", "/api/orders/900001", "", true)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	resp, _, err = send(t, srv, "GET", "/api/orders/900001", "", false)
	require.NoError(t, err)
	assert.Equal(t, 404, resp.StatusCode, "no sandbox order in live mode")

	fake.SetSandboxListsLive(true)
	_, body, err = send(t, srv, "GET", "/api/orders", "", true)
	require.NoError(t, err)
	assert.Equal(t, []float64{900001, 1001}, orderNumbers(t, body), "the other reading: both")
	_, body, err = send(t, srv, "GET", "/api/orders", "", false)
	require.NoError(t, err)
	assert.Equal(t, []float64{1001}, orderNumbers(t, body))
}

// The reading where sandbox orders are answered but never listed.
func TestSandboxOrdersUnlisted(t *testing.T) {
	fake, srv := serve(t)
	fake.SetSandboxListing(attivitatest.SandboxUnlisted)
	_, _, err := send(t, srv, "POST", "/api/orders", orderBody, false)
	require.NoError(t, err)
	resp, body, err := send(t, srv, "POST", "/api/orders", orderBody, true)
	require.NoError(t, err)
	require.Equal(t, 201, resp.StatusCode)
	assert.Contains(t, string(body), `"orderNumber":900001`)
	assert.Equal(t, 1, fake.SandboxOrderCount())

	for _, live := range []bool{false, true} {
		fake.SetSandboxListsLive(live)
		_, body, err = send(t, srv, "GET", "/api/orders", "", true)
		require.NoError(t, err)
		want := []float64{}
		if live {
			want = []float64{1001}
		}
		assert.Equal(t, want, orderNumbers(t, body), "sandbox list, lists live %v", live)
		resp, _, err = send(t, srv, "GET", "/api/orders/900001", "", true)
		require.NoError(t, err)
		assert.Equal(t, 404, resp.StatusCode)
	}
	_, body, err = send(t, srv, "GET", "/api/orders", "", false)
	require.NoError(t, err)
	assert.Equal(t, []float64{1001}, orderNumbers(t, body))

	fake.SetSandboxListing(attivitatest.SandboxMarked)
	_, body, err = send(t, srv, "GET", "/api/orders", "", true)
	require.NoError(t, err)
	assert.Equal(t, []float64{900001, 1001}, orderNumbers(t, body))
}
