package attivita_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

// endpoint is one method of the client, called with call options.
type endpoint struct {
	name, method, url string
	ok                string // a 2xx body the method accepts
	call              func(c *attivita.Client, opts ...orderkit.CallOption) error
}

func endpoints(t *testing.T) []endpoint {
	var orders []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(fixture(t, "orders.json")), &orders))
	var products []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(fixture(t, "products.json")), &products))
	// Lost creates as a caller rebuilds them from stored fields: no
	// Evidence, so the lookup's mode is the call's.
	now := time.Now()
	lost := &orderkit.LostCreateError{API: "attivita", Request: &attivita.OrderRequest{Products: officeTwo}, SentAt: now, EndedAt: now}
	lostHook := &orderkit.LostCreateError{API: "attivita", Request: &attivita.WebhookParams{URL: "https://example.com/h"}, SentAt: now, EndedAt: now}
	drain := func(seq func(func(attivita.Order, error) bool)) error {
		var err error
		seq(func(_ attivita.Order, e error) bool { err = e; return e == nil })
		return err
	}
	return []endpoint{
		{"Products.List", "GET", base + "/api/products", fixture(t, "products.json"), func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Products.List(ctx, nil, o...)
			return err
		}},
		{"Products.All", "GET", base + "/api/products", fixture(t, "products.json"), func(c *attivita.Client, o ...orderkit.CallOption) error {
			var err error
			for _, e := range c.Products.All(ctx, nil, o...) {
				err = e
			}
			return err
		}},
		{"Products.Get", "GET", base + "/api/products/507f1f77bcf86cd799439011", string(products[0]), func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Products.Get(ctx, "507f1f77bcf86cd799439011", o...)
			return err
		}},
		{"Orders.List", "GET", base + "/api/orders", fixture(t, "orders.json"), func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Orders.List(ctx, o...)
			return err
		}},
		{"Orders.All", "GET", base + "/api/orders", fixture(t, "orders.json"), func(c *attivita.Client, o ...orderkit.CallOption) error {
			return drain(c.Orders.All(ctx, o...))
		}},
		{"Orders.Get", "GET", base + "/api/orders/1001", string(orders[0]), func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Orders.Get(ctx, 1001, o...)
			return err
		}},
		{"Orders.Create", "POST", base + "/api/orders", fixture(t, "create_order_response.json"), func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo}, o...)
			return err
		}},
		{"Orders.Resolve", "GET", base + "/api/orders", fixture(t, "orders.json"), func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Orders.Resolve(ctx, lost, o...)
			return err
		}},
		{"Webhooks.List", "GET", base + "/api/webhooks", `{"betaNotice":"beta","webhooks":[]}`, func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Webhooks.List(ctx, o...)
			return err
		}},
		{"Webhooks.Create", "POST", base + "/api/webhooks", `{"_id":"w1","url":"https://example.com/h","events":{"productOutOfStock":true},"secret":"whsec_1"}`, func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://example.com/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}}, o...)
			return err
		}},
		{"Webhooks.Resolve", "GET", base + "/api/webhooks", `{"webhooks":[]}`, func(c *attivita.Client, o ...orderkit.CallOption) error {
			_, err := c.Webhooks.Resolve(ctx, lostHook, o...)
			return err
		}},
		{"Do", "GET", base + "/api/orders/1001", string(orders[0]), func(c *attivita.Client, o ...orderkit.CallOption) error {
			var out attivita.Order
			_, err := c.Do(ctx, "GET", "orders/1001", nil, &out, o...)
			return err
		}},
		{"Webhooks.Update", "PATCH", base + "/api/webhooks/w1", `{"_id":"w1","url":"https://example.com/h","isActive":false}`, func(c *attivita.Client, o ...orderkit.CallOption) error {
			off := false
			_, err := c.Webhooks.Update(ctx, "w1", &attivita.WebhookUpdate{Active: &off}, o...)
			return err
		}},
	}
}

func TestCallOptionsOnEveryMethod(t *testing.T) {
	for _, ep := range endpoints(t) {
		t.Run(ep.name, func(t *testing.T) {
			t.Run("header arrives", func(t *testing.T) {
				c, mock := newMocked(t)
				var got *http.Request
				mock.RegisterResponder(ep.method, ep.url, jsonResponder(200, ep.ok, &got))
				require.NoError(t, ep.call(c, orderkit.CallHeader("X-Trace", "t-1")))
				require.NotNil(t, got)
				assert.Equal(t, "t-1", got.Header.Get("X-Trace"))
				requireAuthHeaders(t, got)
			})
			t.Run("sandbox for one call", func(t *testing.T) {
				c, mock := newMocked(t)
				var got *http.Request
				// The first request: a sandbox lookup may list the live
				// orders after it.
				var first *http.Request
				mock.RegisterResponder(ep.method, ep.url, func(r *http.Request) (*http.Response, error) {
					if first == nil {
						first = r
					}
					return jsonResponder(200, ep.ok, &got)(r)
				})
				require.NoError(t, ep.call(c, attivita.Sandbox(true)))
				got = first
				// Resolve here is given a lost create without Evidence:
				// the option names the lost call's mode.
				assert.Equal(t, []string{"true"}, got.Header.Values("X-Sandbox-Mode"))
				sc, smock := newMocked(t, attivita.WithSandbox())
				smock.RegisterResponder(ep.method, ep.url, jsonResponder(200, ep.ok, &got))
				require.NoError(t, ep.call(sc, attivita.Sandbox(false)))
				assert.Empty(t, got.Header.Values("X-Sandbox-Mode"), "the client's default is off for this call")
			})
			t.Run("NoRetry sends once", func(t *testing.T) {
				c, mock := newMocked(t) // two retries by default here
				mock.RegisterResponder(ep.method, ep.url, httpmock.NewStringResponder(503, `{"error":"busy"}`))
				require.Error(t, ep.call(c, orderkit.NoRetry()))
				assert.Equal(t, 1, mock.GetTotalCallCount())
				if ep.method != "POST" {
					mock.ZeroCallCounters()
					require.Error(t, ep.call(c))
					assert.Equal(t, 3, mock.GetTotalCallCount(), "without NoRetry the call is retried")
				}
			})
			t.Run("CallRetry replaces the client's retries", func(t *testing.T) {
				c, mock := newMocked(t) // two retries by default here
				mock.RegisterResponder(ep.method, ep.url, httpmock.NewStringResponder(503, `{"error":"busy"}`))
				require.Error(t, ep.call(c, orderkit.CallRetry(3, 0, time.Millisecond)))
				want := 4
				if ep.method == "POST" {
					want = 1 // a 503 without Retry-After may have acted: never sent again
				}
				assert.Equal(t, want, mock.GetTotalCallCount())
				mock.ZeroCallCounters()
				require.Error(t, ep.call(c, orderkit.CallRetry(0, 0, 0)))
				assert.Equal(t, 1, mock.GetTotalCallCount())
			})
			t.Run("CallTimeout bounds the call", func(t *testing.T) {
				c, mock := newMocked(t)
				mock.RegisterResponder(ep.method, ep.url, func(r *http.Request) (*http.Response, error) {
					<-r.Context().Done()
					return nil, r.Context().Err()
				})
				err := ep.call(c, orderkit.CallTimeout(20*time.Millisecond), orderkit.NoRetry())
				require.ErrorIs(t, err, context.DeadlineExceeded)
			})
			t.Run("CaptureResponse on success and error", func(t *testing.T) {
				c, mock := newMocked(t)
				var n atomic.Int32
				mock.RegisterResponder(ep.method, ep.url, func(r *http.Request) (*http.Response, error) {
					status, body := 200, ep.ok
					if n.Add(1) > 1 {
						status, body = 404, `{"error":"Not found"}`
					}
					resp := httpmock.NewStringResponse(status, body)
					resp.Header.Set("Content-Type", "application/json")
					resp.Header.Set("X-Request-Id", "rid-"+strings.Repeat("1", int(n.Load())))
					return resp, nil
				})
				var meta orderkit.Response
				require.NoError(t, ep.call(c, orderkit.CaptureResponse(&meta)))
				assert.Equal(t, 200, meta.StatusCode)
				assert.Equal(t, "rid-1", meta.RequestID)
				assert.Equal(t, "application/json", meta.Header.Get("Content-Type"))
				assert.Equal(t, 1, meta.Attempts)

				err := ep.call(c, orderkit.CaptureResponse(&meta))
				require.ErrorIs(t, err, orderkit.ErrNotFound)
				assert.Equal(t, 404, meta.StatusCode)
				assert.Equal(t, "rid-11", meta.RequestID)
				var e *orderkit.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, "rid-11", e.RequestID)
			})
			t.Run("options of limited scope", func(t *testing.T) {
				c, mock := newMocked(t)
				mock.RegisterResponder(ep.method, ep.url, jsonResponder(200, ep.ok, nil))
				// Attivita stores no reference: no method takes one.
				err := ep.call(c, orderkit.Reference("shop-1"))
				require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
				assert.Contains(t, err.Error(), "Reference does not apply to")
				// The sandbox header is written from WithSandbox and Sandbox.
				err = ep.call(c, orderkit.CallHeader("X-Sandbox-Mode", "true"))
				require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
				assert.Contains(t, err.Error(), "attivita.Sandbox")
				err = ep.call(c, orderkit.ResolveOutcome())
				if strings.HasSuffix(ep.name, ".Create") {
					require.NoError(t, err, "a create takes ResolveOutcome")
					assert.Equal(t, 1, mock.GetTotalCallCount())
				} else {
					require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
					assert.Contains(t, err.Error(), "ResolveOutcome does not apply to")
					assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing was sent")
				}
			})
			t.Run("nil option refused before sending", func(t *testing.T) {
				c, mock := newMocked(t)
				mock.RegisterResponder(ep.method, ep.url, httpmock.NewStringResponder(200, ep.ok))
				err := ep.call(c, orderkit.NoRetry(), orderkit.CallOption{})
				require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
				assert.Contains(t, err.Error(), "call option 2 is the zero orderkit.CallOption")
				require.ErrorIs(t, ep.call(c, orderkit.CallTimeout(0)), orderkit.ErrInvalidArgument)
				assert.Equal(t, 0, mock.GetTotalCallCount(), "nothing was sent")
			})
		})
	}
}
