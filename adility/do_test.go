package adility_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
)

// Do reaches an endpoint the client does not wrap with the client's key,
// format and rules.
func TestDo(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, mock := newMocked(t, tf.f)
			mock.RegisterResponder(http.MethodPost, testBase+"/offers/o1/reservations", func(r *http.Request) (*http.Response, error) {
				checkHeaders(t, r, tf.mime, true)
				assert.Equal(t, "2", r.URL.Query().Get("quantity"))
				if tf.f == adility.XML {
					assert.Equal(t, `<reservation><note>hold</note></reservation>`, normXML(readBody(t, r)))
					return respond(201, tf.mime, `<reservation><id>r-1</id></reservation>`)(r)
				}
				assert.JSONEq(t, `{"reservation":{"note":"hold"}}`, readBody(t, r))
				return respond(201, tf.mime, `{"reservation":{"id":"r-1"}}`)(r)
			})
			type reservation struct {
				XMLName xml.Name `json:"-" xml:"reservation"`
				ID      string   `json:"id,omitempty" xml:"id,omitempty"`
				Note    string   `json:"note,omitempty" xml:"note,omitempty"`
			}
			var body, out any = map[string]any{"reservation": reservation{Note: "hold"}}, &struct {
				Reservation reservation `json:"reservation"`
			}{}
			if tf.f == adility.XML {
				body, out = reservation{Note: "hold"}, &reservation{}
			}
			res, err := c.Do(context.Background(), http.MethodPost, "offers/o1/reservations?quantity=2", body, out)
			require.NoError(t, err)
			assert.Equal(t, 201, res.StatusCode)
			if tf.f == adility.XML {
				assert.Equal(t, "r-1", out.(*reservation).ID)
			} else {
				assert.Contains(t, readJSON(t, out), `"r-1"`)
			}
		})
	}
}

func readJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestDoRefusals(t *testing.T) {
	c, mock := newMocked(t, adility.JSON)
	for _, tc := range []struct{ method, path string }{
		{"TRACE", "orders"}, {http.MethodGet, "https://evil.example/orders"}, {http.MethodGet, "//evil.example/x"}, {http.MethodGet, "orders/../../x"},
	} {
		_, err := c.Do(context.Background(), tc.method, tc.path, nil, nil)
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, tc.path)
	}
	_, err := c.Do(context.Background(), http.MethodGet, "orders/1", nil, nil, orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, 0, mock.GetTotalCallCount())

	// A POST through Do is a write like Place: a 5xx is an unknown outcome,
	// and it is not retried.
	mock.RegisterResponder(http.MethodPost, testBase+"/orders", respond(502, "text/html", "<html>bad gateway</html>"))
	_, err = c.Do(context.Background(), http.MethodPost, "orders", map[string]any{"order": map[string]any{}}, nil)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}

// Errors of every client alike: 401 and 403 are about the key, whatever
// the body says, and never ErrValidation; a request that never reached the
// API matches ErrUnreachable.
func TestAuthErrorsAndUnreachable(t *testing.T) {
	bodies := map[string]string{
		"errors by field": `{"errors":{"api_key":["is invalid"]}}`,
		"error string":    `{"error":"Invalid API key"}`,
		"xml errors":      `<errors><order_number>is invalid</order_number></errors>`,
		"empty":           ``,
	}
	for _, status := range []int{401, 403} {
		for name, body := range bodies {
			t.Run(http.StatusText(status)+"/"+name, func(t *testing.T) {
				c, mock := newMocked(t, adility.JSON)
				mock.RegisterResponder(http.MethodGet, testBase+"/orders/1", respond(status, "application/json", body))
				_, err := c.Orders.Get(context.Background(), "1")
				want, other := orderkit.ErrUnauthorized, orderkit.ErrForbidden
				if status == 403 {
					want, other = other, want
				}
				require.ErrorIs(t, err, want)
				assert.NotErrorIs(t, err, other)
				assert.NotErrorIs(t, err, orderkit.ErrValidation)
				var ve *orderkit.ValidationError
				assert.False(t, errors.As(err, &ve))
				assert.NotContains(t, err.Error(), testKey)
			})
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, err := adility.NewClient(testKey, orderkit.WithBaseURL("http://"+addr+"/distribution/beta"), orderkit.WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.Orders.Get(context.Background(), "1")
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
	_, err = c.Orders.Place(context.Background(), lostRequest("u-1"))
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "nothing reached the API")
}
