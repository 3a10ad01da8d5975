package attivita_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
			o, err := c.Orders.Create(ctx, []attivita.OrderProduct{{ProductID: "a", Amount: 1}})
			assert.Nil(t, o)
			require.ErrorIs(t, err, attivita.ErrInvalidResponse)
			require.ErrorIs(t, err, attivita.ErrOutcomeUnknown, "the order may exist: look it up")
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
			require.ErrorIs(t, err, attivita.ErrInvalidResponse)
			assert.NotErrorIs(t, err, attivita.ErrOutcomeUnknown, "a GET buys nothing")
		})
	}
}

func TestOrdersListRefusesNullEntries(t *testing.T) {
	c, mock := newMocked(t)
	mock.RegisterResponder("GET", base+"/api/orders", jsonResponder(200, `[{"orderNumber":1},null]`, nil))
	orders, err := c.Orders.List(ctx)
	require.ErrorIs(t, err, attivita.ErrInvalidResponse)
	assert.Nil(t, orders)
}
