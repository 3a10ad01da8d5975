package inventorum

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
)

// TestAuthErrorsNeverValidation: a 401 or 403 matches ErrUnauthorized or
// ErrForbidden whatever its body says, in each of the API's error shapes,
// and never ErrValidation, also on the basket POST whose 400 is a
// validation error.
func TestAuthErrorsNeverValidation(t *testing.T) {
	bodies := map[string]string{
		"detail":           `{"detail": "Invalid token."}`,
		"serializer error": `{"error": {"fields": {"items": ["This field is required."]}, "description": "Serialization error", "key": "common.serializer_error"}}`,
		"error string":     `{"error": "invalid_client"}`,
		"html":             `<html><body>Forbidden</body></html>`,
		"empty":            ``,
	}
	calls := map[string]func(c *Client) error{
		"Orders.Delta": func(c *Client) error {
			_, err := c.Orders.Delta(context.Background(), nil)
			return err
		},
		"Basket.Create": func(c *Client) error {
			_, err := c.Basket.Create(context.Background(), docBasket())
			return err
		},
	}
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		want, other := orderkit.ErrUnauthorized, orderkit.ErrForbidden
		if status == http.StatusForbidden {
			want, other = other, want
		}
		for bname, body := range bodies {
			for cname, call := range calls {
				t.Run(http.StatusText(status)+"/"+bname+"/"+cname, func(t *testing.T) {
					c, mock := newMock(t)
					mock.RegisterNoResponder(jsonResponder(t, status, body, nil))
					err := call(c)
					require.ErrorIs(t, err, want)
					assert.NotErrorIs(t, err, other)
					assert.NotErrorIs(t, err, orderkit.ErrValidation)
					assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "a refused POST was not carried out")
					var ve *orderkit.ValidationError
					assert.False(t, errors.As(err, &ve))
					var pe *orderkit.Error
					require.ErrorAs(t, err, &pe)
					assert.Equal(t, status, pe.StatusCode)
					assert.Equal(t, "inventorum", pe.API)
				})
			}
		}
	}
	// The same serializer body on a 400 is a validation error.
	c, mock := newMock(t)
	mock.RegisterNoResponder(jsonResponder(t, 400, bodies["serializer error"], nil))
	_, err := c.Basket.Create(context.Background(), docBasket())
	require.ErrorIs(t, err, orderkit.ErrValidation)
}

// TestUnreachable: a request that never reached the server matches
// ErrUnreachable; a basket that never reached it is not a lost create.
func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, err := NewClient("t", orderkit.WithBaseURL("http://"+addr+"/api"), orderkit.WithRetry(1, 0, time.Millisecond), orderkit.WithRateLimit(0, 0))
	require.NoError(t, err)

	_, err = c.Orders.Delta(context.Background(), nil)
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
	var pe *orderkit.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 0, pe.StatusCode)

	_, err = c.Basket.Create(context.Background(), docBasket(), orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
	assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	var lost *orderkit.LostCreateError
	assert.False(t, errors.As(err, &lost))

	_, err = c.Do(context.Background(), http.MethodGet, "products/", nil, nil)
	require.ErrorIs(t, err, orderkit.ErrUnreachable)
}

// TestDo: Do sends what the SDK does not wrap through the same pipeline:
// path below the API root, query, JSON body, the client's headers and
// auth, decoding, errors, call options, and no blind repeat of a POST.
func TestDo(t *testing.T) {
	c, mock := newMock(t, WithAPIVersion(10))
	mock.RegisterResponder("POST", base+"/products/", func(r *http.Request) (*http.Response, error) {
		checkHeaders(t, r, "10")
		assert.Equal(t, "run-1", r.Header.Get("X-Trace"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"name": "Mug"}`, string(b))
		resp := httpmock.NewStringResponse(201, `{"id": 77, "name": "Mug"}`)
		resp.Header.Set("Content-Type", "application/json")
		resp.Header.Set("x-rid", "rid-9")
		return resp, nil
	})
	var out struct {
		ID   ID     `json:"id"`
		Name string `json:"name"`
	}
	res, err := c.Do(context.Background(), http.MethodPost, "products/", map[string]string{"name": "Mug"}, &out, orderkit.CallHeader("X-Trace", "run-1"))
	require.NoError(t, err)
	assert.Equal(t, ID(77), out.ID)
	assert.Equal(t, 201, res.StatusCode)
	assert.Equal(t, "rid-9", res.RequestID)

	mock.RegisterResponder("GET", base+"/products/", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "2", r.URL.Query().Get("page"))
		return httpmock.NewStringResponse(404, `{"detail": "Not found."}`), nil
	})
	var raw []byte
	_, err = c.Do(context.Background(), http.MethodGet, "products/?page=2", nil, &raw)
	require.ErrorIs(t, err, orderkit.ErrNotFound)
	assert.Contains(t, err.Error(), "Not found.")

	// A POST whose answer is lost is not repeated: its outcome is unknown.
	mock.RegisterResponder("POST", base+"/refunds/", httpmock.NewStringResponder(502, `bad gateway`))
	_, err = c.Do(context.Background(), http.MethodPost, "refunds/", map[string]int{"order": 1}, nil)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, mock.GetCallCountInfo()["POST "+base+"/refunds/"])

	// Refused before sending: a path that leaves the API root, a bad
	// method, a call option Do does not take.
	before := mock.GetTotalCallCount()
	for _, tc := range []struct {
		method, path string
		opts         []orderkit.CallOption
	}{
		{"GET", "https://elsewhere.example/api/orders/", nil},
		{"GET", "//elsewhere.example/orders/", nil},
		{"BREW", "orders/", nil},
		{"POST", "basket/", []orderkit.CallOption{orderkit.Reference("x")}},
		{"POST", "basket/", []orderkit.CallOption{orderkit.ResolveOutcome()}},
	} {
		_, err := c.Do(context.Background(), tc.method, tc.path, nil, nil, tc.opts...)
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, "%s %s", tc.method, tc.path)
	}
	assert.Equal(t, before, mock.GetTotalCallCount())
}

// TestDoRefreshesAfter401: Do uses the same auth as every method, token
// refresh after a 401 included.
func TestDoRefreshesAfter401(t *testing.T) {
	mock := httpmock.NewMockTransport()
	refreshes := 0
	mock.RegisterResponder("POST", base+"/auth/token/", func(*http.Request) (*http.Response, error) {
		refreshes++
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": "fresh", "refresh_token": "r2", "expires_in": 3600})
	})
	mock.RegisterResponder("GET", base+"/products/", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Authorization") != "Bearer fresh" {
			return httpmock.NewStringResponse(401, `{"detail": "Invalid token."}`), nil
		}
		return httpmock.NewStringResponse(200, `[]`), nil
	})
	c, err := NewOAuth2Client(OAuth2Config{ClientID: "id", ClientSecret: "s", Token: Token{AccessToken: "old", RefreshToken: "r1"}},
		orderkit.WithHTTPClient(&http.Client{Transport: mock}), orderkit.WithRateLimit(0, 0))
	require.NoError(t, err)
	var out []json.RawMessage
	_, err = c.Do(context.Background(), http.MethodGet, "products/", nil, &out)
	require.NoError(t, err)
	assert.Equal(t, 1, refreshes)
}

// TestAPIVersionKeptInTheClient: the version is the client's, written into
// every request's header; WithHeader cannot set it a second way.
func TestAPIVersionKeptInTheClient(t *testing.T) {
	c, mock := newMock(t, WithAPIVersion(7))
	assert.Equal(t, 7, c.APIVersion())
	mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 200, `{"total": 0, "data": []}`, func(r *http.Request) {
		assert.Equal(t, []string{"7"}, r.Header.Values("X-Api-Version"))
	}))
	_, err := c.Orders.Delta(context.Background(), nil)
	require.NoError(t, err)

	_, err = NewClient("t", orderkit.WithHeader("X-Api-Version", "9"))
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "WithAPIVersion")

	// The last WithAPIVersion wins.
	c, err = NewClient("t", WithAPIVersion(5), WithAPIVersion(11))
	require.NoError(t, err)
	assert.Equal(t, 11, c.APIVersion())
}

// TestCallOptionScope: only Basket.Create takes Reference and
// ResolveOutcome; elsewhere they fail the call before sending and the
// error names them.
func TestCallOptionScope(t *testing.T) {
	for _, tc := range callCases {
		if tc.name == "Basket.Create" {
			continue
		}
		for _, o := range []struct {
			name string
			opt  orderkit.CallOption
		}{{"Reference", orderkit.Reference("ERP-1")}, {"ResolveOutcome", orderkit.ResolveOutcome()}} {
			t.Run(tc.name+"/"+o.name, func(t *testing.T) {
				c, mock := newMock(t)
				mock.RegisterNoResponder(httpmock.NewNotFoundResponder(t.Fatal))
				err := tc.call(c, context.Background(), o.opt)
				require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
				assert.Contains(t, err.Error(), o.name)
				assert.Equal(t, 0, mock.GetTotalCallCount())
			})
		}
	}
}

// TestNilOptions: nil options mean the defaults where every field is
// optional, and are refused where some field is required.
func TestNilOptions(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders/delta/", jsonResponder(t, 200, `{"total": 0, "data": []}`, func(r *http.Request) {
		assert.Equal(t, "0", r.URL.Query().Get("page"))
	}))
	ctx := context.Background()
	_, err := c.Orders.Delta(ctx, nil)
	require.NoError(t, err)
	for _, err := range c.Orders.DeltaAll(ctx, nil) {
		require.NoError(t, err)
	}
	cp := DeltaCheckpoint{}
	for _, err := range c.Orders.Sync(ctx, &cp, nil) {
		require.NoError(t, err)
	}
	assert.Len(t, cp.Channels, len(Channels), "nil sync options sync every channel")

	before := mock.GetTotalCallCount()
	_, err = c.Orders.List(ctx, nil)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	for _, err := range c.Orders.All(ctx, nil) {
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	}
	_, err = c.Basket.Create(ctx, nil)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Equal(t, before, mock.GetTotalCallCount())
}

// TestCreateLeavesTheRequestAlone: the reference goes into the basket sent,
// not into the caller's request.
func TestCreateLeavesTheRequestAlone(t *testing.T) {
	c, mock := newMock(t)
	mock.RegisterResponder("POST", base+"/basket/", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		assert.True(t, strings.Contains(string(b), `"note_internal":"ERP-7"`), string(b))
		return httpmock.NewStringResponse(200, `{"id": 5, "state": "01"}`), nil
	})
	req := docBasket()
	req.NoteInternal = ""
	_, err := c.Basket.Create(context.Background(), req, orderkit.Reference("ERP-7"))
	require.NoError(t, err)
	assert.Empty(t, req.NoteInternal)
}
