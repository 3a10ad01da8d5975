package attivita_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

// Do reaches an endpoint the SDK does not wrap through the same pipeline:
// the API root, auth, the client's sandbox mode, call options, the answer
// decoded or raw, the error of every other method, and the POST rule.
func TestDo(t *testing.T) {
	c, mock := newMocked(t, attivita.WithSandbox())
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/orders/1001/invoice", jsonResponder(200, `{"invoiceNumber":"R-1","total":"178.49"}`, &got))
	var inv struct {
		InvoiceNumber string `json:"invoiceNumber"`
		Total         string `json:"total"`
	}
	var meta orderkit.Response
	res, err := c.Do(ctx, "GET", "orders/1001/invoice?format=json", nil, &inv, orderkit.CallHeader("X-Trace", "t-1"), orderkit.CaptureResponse(&meta))
	require.NoError(t, err)
	assert.Equal(t, "R-1", inv.InvoiceNumber)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, 200, meta.StatusCode)
	requireAuthHeaders(t, got)
	assert.Equal(t, "format=json", got.URL.RawQuery)
	assert.Equal(t, "t-1", got.Header.Get("X-Trace"))
	assert.Equal(t, "true", got.Header.Get("X-Sandbox-Mode"), "the client's mode")

	// A body goes out as JSON; a *[]byte receives the answer as it came;
	// Sandbox(false) leaves the sandbox for one call.
	mock.RegisterResponder("POST", base+"/api/orders/1001/notes", jsonResponder(201, `{"ok":true}`, &got))
	var raw []byte
	_, err = c.Do(ctx, "POST", "orders/1001/notes", map[string]string{"note": "hi"}, &raw, attivita.Sandbox(false))
	require.NoError(t, err)
	assert.JSONEq(t, `{"ok":true}`, string(raw))
	body, err := io.ReadAll(got.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"note":"hi"}`, string(body))
	assert.Empty(t, got.Header.Values("X-Sandbox-Mode"))

	// Errors as every method's; a POST is not retried once it may have
	// acted.
	mock.RegisterResponder("GET", base+"/api/nowhere", jsonResponder(404, `{"error":"Not found"}`, nil))
	_, err = c.Do(ctx, "GET", "nowhere", nil, nil)
	require.ErrorIs(t, err, orderkit.ErrNotFound)
	mock.RegisterResponder("POST", base+"/api/things", httpmock.NewStringResponder(502, "bad gateway"))
	_, err = c.Do(ctx, "POST", "things", json.RawMessage(`{}`), nil)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+base+"/api/things"])

	// Refused before sending: a path that is not relative to the API root,
	// a method that is no HTTP method, options Do does not take.
	mock.ZeroCallCounters()
	var nilCtx context.Context // a nil context is refused
	for _, call := range []func() error{
		func() error { _, err := c.Do(ctx, "GET", "https://elsewhere.example/orders", nil, nil); return err },
		func() error { _, err := c.Do(ctx, "FETCH", "orders", nil, nil); return err },
		func() error { _, err := c.Do(ctx, "GET", "orders", nil, nil, orderkit.ResolveOutcome()); return err },
		func() error { _, err := c.Do(ctx, "GET", "orders", nil, nil, orderkit.Reference("r")); return err },
		func() error {
			_, err := c.Do(ctx, "GET", "orders", nil, nil, orderkit.CallHeader("X-Sandbox-Mode", "true"))
			return err
		},
		func() error { _, err := c.Do(nilCtx, "GET", "orders", nil, nil); return err },
	} {
		require.ErrorIs(t, call(), orderkit.ErrInvalidArgument)
	}
	assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing was sent")
}
