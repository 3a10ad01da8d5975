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

	"github.com/orderkit/orderkit/attivita"
)

// The error of a lost create reads as the call's error and carries no
// credential, whatever verb prints it; one built by hand without Err still
// says the outcome is unknown.
func TestLostErrorsText(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("POST", base+"/api/orders", httpmock.NewStringResponder(502, `<html>Bad gateway</html>`))
	mock.RegisterResponder("POST", base+"/api/webhooks", httpmock.NewStringResponder(502, `<html>Bad gateway</html>`))
	_, err := c.Orders.Create(ctx, officeTwo)
	var lost *attivita.LostOrderError
	require.ErrorAs(t, err, &lost)
	var e *attivita.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, e.Error(), lost.Error())
	assert.Contains(t, lost.Error(), "502")
	_, herr := c.Webhooks.Create(ctx, attivita.WebhookParams{URL: "https://example.com/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
	var lostHook *attivita.LostWebhookError
	require.ErrorAs(t, herr, &lostHook)
	require.ErrorAs(t, herr, &e)
	assert.Equal(t, e.Error(), lostHook.Error())
	for _, err := range []error{err, herr} {
		for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			assert.NotContains(t, s, testToken)
		}
	}

	bare := &attivita.LostOrderError{Products: officeTwo}
	assert.Equal(t, "attivita: POST orders: "+attivita.ErrOutcomeUnknown.Error(), bare.Error())
	assert.ErrorIs(t, bare, attivita.ErrOutcomeUnknown)
	bareHook := &attivita.LostWebhookError{}
	assert.Equal(t, "attivita: POST webhooks: "+attivita.ErrOutcomeUnknown.Error(), bareHook.Error())
	assert.ErrorIs(t, bareHook, attivita.ErrOutcomeUnknown)
}

// OrderItem and Webhook decode on their own as inside an answer: both
// shapes of an item's product, a price that must be there; a webhook's id
// and switch under either name, on when absent.
func TestUnmarshalItemAndWebhook(t *testing.T) {
	var it attivita.OrderItem
	require.NoError(t, json.Unmarshal([]byte(`{"product":{"displayName":"Office","_id":"p1"},"quantity":"2","price":"89.99","subtotal":179.98,"licenses":[{"licenseKey":"K1"}]}`), &it))
	assert.Equal(t, "p1", it.ProductID)
	assert.Equal(t, "Office", it.ProductName)
	assert.Equal(t, 2, it.Quantity)
	assert.Equal(t, "89.99", it.Price.String())
	require.NotNil(t, it.Subtotal)
	assert.Equal(t, "179.98", it.Subtotal.String())
	assert.Equal(t, []string{"K1"}, it.Keys())
	require.NoError(t, json.Unmarshal([]byte(`{"product":"Office","productId":"p2","quantity":1,"price":5}`), &it))
	assert.Equal(t, "p2", it.ProductID)
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
	assert.Equal(t, "w1", h.ID)
	assert.False(t, h.Active)
	require.NoError(t, json.Unmarshal([]byte(`{"_id":"w1","isActive":false,"active":true}`), &h))
	assert.False(t, h.Active, "isActive wins")
}

// The options the client documents as checked refuse what they cannot
// use; WithUserAgent's value is sent.
func TestClientOptionsChecked(t *testing.T) {
	for name, o := range map[string]attivita.Option{
		"WithTimeout(0)":            attivita.WithTimeout(0),
		"WithTimeout(-1s)":          attivita.WithTimeout(-time.Second),
		"WithMaxResponseBytes(0)":   attivita.WithMaxResponseBytes(0),
		"WithRateLimit(-1, 1)":      attivita.WithRateLimit(-1, 1),
		"WithRateLimit(1, 0)":       attivita.WithRateLimit(1, 0),
		"WithLimiter(nil)":          attivita.WithLimiter(nil),
		"WithUserAgent(\"\")":       attivita.WithUserAgent(""),
		"WithRetry(-1, 0, 0)":       attivita.WithRetry(-1, 0, 0),
		"WithHTTPClient(nil)":       attivita.WithHTTPClient(nil),
		"WithLogger(nil)":           attivita.WithLogger(nil),
		"WithRetry(1, 2s, 1s)":      attivita.WithRetry(1, 2*time.Second, time.Second),
		"WithMaxResponseBytes(-10)": attivita.WithMaxResponseBytes(-10),
	} {
		_, err := attivita.NewClient(testToken, o)
		require.ErrorIs(t, err, attivita.ErrInvalidArgument, name)
		assert.NotContains(t, err.Error(), testToken)
	}

	c, mock := newMocked(t, attivita.WithUserAgent("shop/1.0"), attivita.WithTimeout(time.Minute),
		attivita.WithRateLimit(1000, 10), attivita.WithLimiter(rate.NewLimiter(rate.Inf, 1)))
	var got *http.Request
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, `[]`, &got))
	_, err := c.Orders.List(ctx)
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, "shop/1.0", got.Header.Get("User-Agent"))
}
