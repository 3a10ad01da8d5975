package attivita_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

// The error of a lost create is an *orderkit.LostCreateError that holds
// the request pointer the method took and the call's error, reads as it,
// and carries no credential, whatever verb prints it.
func TestLostErrorsText(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("POST", base+"/api/orders", httpmock.NewStringResponder(502, `<html>Bad gateway</html>`))
	mock.RegisterResponder("POST", base+"/api/webhooks", httpmock.NewStringResponder(502, `<html>Bad gateway</html>`))
	req := &attivita.OrderRequest{Products: officeTwo}
	before := time.Now()
	_, err := c.Orders.Create(ctx, req)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, "attivita", lost.API)
	assert.Same(t, req, lost.Request)
	assert.Empty(t, lost.Reference, "Attivita stores no reference")
	assert.NotNil(t, lost.Evidence)
	assert.False(t, lost.SentAt.Before(before.Round(0)))
	assert.False(t, lost.EndedAt.Before(lost.SentAt))
	assert.Equal(t, time.UTC, lost.SentAt.Location())
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Same(t, e, lost.Err)
	assert.Equal(t, "attivita: create: "+e.Error(), lost.Error())
	assert.Contains(t, lost.Error(), "502")

	hp := &attivita.WebhookParams{URL: "https://example.com/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}}
	_, herr := c.Webhooks.Create(ctx, hp)
	var lostHook *orderkit.LostCreateError
	require.ErrorAs(t, herr, &lostHook)
	assert.Same(t, hp, lostHook.Request)
	require.ErrorAs(t, herr, &e)
	assert.Equal(t, "attivita: create: "+e.Error(), lostHook.Error())
	for _, err := range []error{err, herr} {
		for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			assert.NotContains(t, s, testToken)
		}
	}
}

// A lost create's Date header lands in ServerDate, in UTC.
func TestLostCreateServerDate(t *testing.T) {
	c, mock := newMocked(t)
	date := time.Date(2024, 3, 1, 12, 0, 5, 0, time.UTC)
	mock.RegisterResponder("POST", base+"/api/orders", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(502, "bad gateway")
		resp.Header.Set("Date", date.Format(http.TimeFormat))
		return resp, nil
	})
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: officeTwo})
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	assert.Equal(t, date, lost.ServerDate)
}

// OrderItem and Webhook decode on their own as inside an answer: both
// shapes of an item's product, a price that must be there; a webhook's id
// and switch under either name, on when absent.
func TestUnmarshalItemAndWebhook(t *testing.T) {
	var it attivita.OrderItem
	require.NoError(t, json.Unmarshal([]byte(`{"product":{"displayName":"Office","_id":"p1"},"quantity":"2","price":"89.99","subtotal":179.98,"licenses":[{"licenseKey":"K1"}]}`), &it))
	assert.Equal(t, attivita.ID("p1"), it.ProductID)
	assert.Equal(t, "Office", it.ProductName)
	assert.Equal(t, 2, it.Quantity)
	assert.Equal(t, "89.99", it.Price.String())
	require.NotNil(t, it.Subtotal)
	assert.Equal(t, "179.98", it.Subtotal.String())
	assert.Equal(t, []string{"K1"}, it.Keys())
	require.NoError(t, json.Unmarshal([]byte(`{"product":"Office","productId":"p2","quantity":1,"price":5}`), &it))
	assert.Equal(t, attivita.ID("p2"), it.ProductID)
	assert.Equal(t, "Office", it.ProductName)
	assert.Nil(t, it.Subtotal)
	assert.Nil(t, it.Keys())
	for _, bad := range []string{`{"product":"Office","quantity":1}`, `{"product":"Office","quantity":1,"price":null}`, `{"quantity":1,"price":"abc"}`} {
		var it attivita.OrderItem
		assert.Error(t, json.Unmarshal([]byte(bad), &it), bad)
	}

	var h attivita.Webhook
	require.NoError(t, json.Unmarshal([]byte(`{"id":"w2","url":"https://example.com/h","events":{"productBackInStock":true},"createdAt":"2024-03-01T08:00:00Z"}`), &h))
	assert.Equal(t, attivita.Webhook{ID: "w2", URL: "https://example.com/h", Events: attivita.WebhookEvents{ProductBackInStock: true},
		Active: true, CreatedAt: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)}, h)
	require.NoError(t, json.Unmarshal([]byte(`{"_id":"w1","id":"w2","active":false}`), &h))
	assert.Equal(t, attivita.ID("w1"), h.ID)
	assert.False(t, h.Active)
	require.NoError(t, json.Unmarshal([]byte(`{"_id":"w1","isActive":false,"active":true}`), &h))
	assert.False(t, h.Active, "isActive wins")
}

// The options the client documents as checked refuse what they cannot
// use; WithUserAgent's value is sent.
func TestClientOptionsChecked(t *testing.T) {
	for name, o := range map[string]orderkit.Option{
		"WithTimeout(0)":            orderkit.WithTimeout(0),
		"WithTimeout(-1s)":          orderkit.WithTimeout(-time.Second),
		"WithMaxResponseBytes(0)":   orderkit.WithMaxResponseBytes(0),
		"WithRateLimit(-1, 1)":      orderkit.WithRateLimit(-1, 1),
		"WithRateLimit(1, 0)":       orderkit.WithRateLimit(1, 0),
		"WithLimiter(nil)":          orderkit.WithLimiter(nil),
		"WithUserAgent(\"\")":       orderkit.WithUserAgent(""),
		"WithRetry(-1, 0, 0)":       orderkit.WithRetry(-1, 0, 0),
		"WithHTTPClient(nil)":       orderkit.WithHTTPClient(nil),
		"WithLogger(nil)":           orderkit.WithLogger(nil),
		"WithRetry(1, 2s, 1s)":      orderkit.WithRetry(1, 2*time.Second, time.Second),
		"WithMaxResponseBytes(-10)": orderkit.WithMaxResponseBytes(-10),
	} {
		_, err := attivita.NewClient(testToken, o)
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument, name)
		assert.NotContains(t, err.Error(), testToken)
	}

	c, mock := newMocked(t, orderkit.WithUserAgent("shop/1.0"), orderkit.WithTimeout(time.Minute),
		orderkit.WithRateLimit(1000, 10), orderkit.WithLimiter(rate.NewLimiter(rate.Inf, 1)))
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, `[]`, &got))
	_, err := c.Orders.List(ctx)
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, "shop/1.0", got.Header.Get("User-Agent"))
}
