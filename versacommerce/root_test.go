package versacommerce_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unroot removes the root elements from a fixture: [{"order": {...}}] →
// [{...}], {"order": {...}} → {...}.
func unroot(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	var list []map[string]json.RawMessage
	if json.Unmarshal(data, &list) == nil {
		out := make([]json.RawMessage, len(list))
		for i, m := range list {
			require.Contains(t, m, name)
			out[i] = m[name]
		}
		b, err := json.Marshal(out)
		require.NoError(t, err)
		return b
	}
	var one map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &one))
	require.Contains(t, one, name)
	return one[name]
}

// TestBothRootReadingsDecodeAlike reads every vendor payload with its root
// element and without: the page and the getting-started page disagree,
// and the results must be the same, field by field.
func TestBothRootReadingsDecodeAlike(t *testing.T) {
	for _, fx := range []string{"orders.json", "orders_include_items.json"} {
		t.Run(fx, func(t *testing.T) {
			var got [2][]versacommerce.Order
			for i, body := range [][]byte{fixture(t, fx), unroot(t, fixture(t, fx), "order")} {
				c, mock := newMock(t)
				mock.RegisterResponder("GET", base+"/orders.json", respond(t, 200, body))
				page, err := c.Orders.List(context.Background(), nil)
				require.NoError(t, err)
				got[i] = page
			}
			require.Len(t, got[0], 2)
			assert.Equal(t, got[0], got[1])
			assert.EqualValues(t, 100, got[1][0].ID)
			assert.EqualValues(t, 101, got[1][1].ID)
		})
	}
	t.Run("order.json", func(t *testing.T) {
		var got [2]*versacommerce.Order
		for i, body := range [][]byte{fixture(t, "order.json"), unroot(t, fixture(t, "order.json"), "order")} {
			c, mock := newMock(t)
			mock.RegisterResponder("GET", base+"/orders/100.json", respond(t, 200, body))
			o, err := c.Orders.Get(context.Background(), 100, nil)
			require.NoError(t, err)
			got[i] = o
		}
		assert.Equal(t, got[0], got[1])
		assert.Equal(t, "196-083-565", got[1].Code)
		assert.Equal(t, versacommerce.ID(953), got[1].Customer.ShopID)
		assert.Equal(t, "59514", got[1].ShippingAddress.Zipcode)
	})
	t.Run("create_response.json", func(t *testing.T) {
		var got [2]*versacommerce.Order
		bare := fixture(t, "create_response.json")
		for i, body := range [][]byte{[]byte(`{"order": ` + string(bare) + `}`), bare} {
			c, mock := newMock(t)
			mock.RegisterResponder("POST", base+"/orders.json", respond(t, 201, body))
			o, err := c.Orders.Create(context.Background(), minimalOrder())
			require.NoError(t, err)
			got[i] = o
		}
		assert.Equal(t, got[0], got[1])
		require.Len(t, got[1].Items, 1)
		assert.Equal(t, "1", got[1].Items[0].Code)
		assert.Equal(t, "1", got[1].Items[0].OriginID)
	})
}

// TestFakeRootReadingsThroughTheClient switches the fake between the
// readings; every call reads the same orders under each.
func TestFakeRootReadingsThroughTheClient(t *testing.T) {
	var results [][]any
	for _, root := range []versacommercetest.RootElement{versacommercetest.RootAsDocumented, versacommercetest.RootNever, versacommercetest.RootAlways} {
		c, fake, _ := newFake(t)
		fake.SetClock(func() time.Time { return day })
		fake.SetRootElement(root)
		seed(fake)
		ctx := context.Background()
		list, err := c.Orders.List(ctx, &versacommerce.ListOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}})
		require.NoError(t, err)
		one, err := c.Orders.Get(ctx, 100, &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}})
		require.NoError(t, err)
		items, err := c.Orders.Items(ctx, 100)
		require.NoError(t, err)
		created, err := c.Orders.Create(ctx, minimalOrder())
		require.NoError(t, err)
		require.Len(t, list, 4)
		require.Len(t, items, 1)
		assert.Equal(t, "Stift", items[0].Title)
		assert.EqualValues(t, 104, created.ID)
		results = append(results, []any{list, one, items, created})
	}
	assert.Equal(t, results[0], results[1])
	assert.Equal(t, results[0], results[2])
}
