package attivita_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

// A 2xx answer that holds no order must never pass for a purchase: the
// caller would see success, no keys and no number to look the order up by.
func TestOrdersCreateAnswerWithoutOrder(t *testing.T) {
	for name, body := range map[string]string{
		"null":         `null`,
		"empty object": `{}`,
		"only noise":   `{"ok":true}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMocked(t)
			mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(201, body, nil))
			o, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "a", Amount: 1}}})
			assert.Nil(t, o)
			require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the order may exist: look it up")
			assert.Equal(t, 1, mock.GetTotalCallCount())
		})
	}
}

func TestOrdersGetAnswerMustBeTheOrderAsked(t *testing.T) {
	for name, body := range map[string]string{
		"null":         `null`,
		"empty object": `{}`,
		"other order":  `{"orderNumber":1002,"items":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMocked(t)
			mock.RegisterResponder("GET", base+"/api/orders/1001", jsonResponder(200, body, nil))
			o, err := c.Orders.Get(ctx, 1001)
			assert.Nil(t, o)
			require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			assert.NotErrorIs(t, err, orderkit.ErrOutcomeUnknown, "a GET buys nothing")
		})
	}
}

func TestOrdersListRefusesNullEntries(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, `[{"orderNumber":1},null]`, nil))
	orders, err := c.Orders.List(ctx)
	require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
	assert.Nil(t, orders)
}

// The secret is shown once: an answer without it must not pass for a
// created webhook, or the caller loses it without knowing.
func TestWebhooksCreateAnswerWithoutSecret(t *testing.T) {
	for name, body := range map[string]string{
		"null":         `null`,
		"empty object": `{}`,
		"no secret":    `{"_id":"w1","url":"https://x.example/h","events":{"productOutOfStock":true}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mock := newMocked(t)
			mock.RegisterResponder("POST", base+"/api/webhooks", jsonResponder(201, body, nil))
			w, err := c.Webhooks.Create(ctx, &attivita.WebhookParams{URL: "https://x.example/h", Events: attivita.WebhookEvents{ProductOutOfStock: true}})
			assert.Nil(t, w)
			require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown, "the webhook may exist: list them")
		})
	}
}

// An unavailableItems in another shape must not throw away the whole error
// body: the code and message still say what happened.
func TestInsufficientStockOddItemsShape(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("POST", base+"/api/orders", jsonResponder(400,
		`{"error":"Some products are not available","code":"INSUFFICIENT_STOCK","unavailableItems":{"productId":"x","productName":"X","requestedQuantity":2,"availableQuantity":1}}`, nil))
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: "x", Amount: 2}}})
	require.ErrorIs(t, err, attivita.ErrInsufficientStock)
	var short *attivita.InsufficientStockError
	require.ErrorAs(t, err, &short)
	assert.Equal(t, []attivita.UnavailableItem{{ProductID: "x", ProductName: "X", RequestedQuantity: 2, AvailableQuantity: 1}}, short.Items)
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Some products are not available", e.Message)
}
