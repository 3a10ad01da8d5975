package bench

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandwrittenReadsThePayloads checks that the hand-written client
// decodes what the SDK decodes, field values included, and walks the same
// pages in the sync: the comparison is of equal work.
func TestHandwrittenReadsThePayloads(t *testing.T) {
	s := newServer(t, 1000)
	ctx := context.Background()
	hc := handwrittenHTTP()

	t.Run("attivita get", func(t *testing.T) {
		want, err := attivitaClient(t, s).Orders.Get(ctx, attivitaOrderNumber)
		require.NoError(t, err)
		got, err := handwrittenAttivitaGet(ctx, hc, s, attivitaOrderNumber)
		require.NoError(t, err)
		assert.Equal(t, want.OrderNumber, got.OrderNumber)
		assert.Equal(t, want.OrderDate, got.OrderDate)
		assert.InDelta(t, 179.98, got.GrandTotal, 1e-9)
		require.Len(t, got.Items, 1)
		assert.Equal(t, "507f1f77bcf86cd799439011", got.Items[0].Product.ID)
		assert.Len(t, got.Items[0].Licenses, 2)
	})
	t.Run("versacommerce get", func(t *testing.T) {
		want, err := vcClient(t, s).Orders.Get(ctx, vcOrderID)
		require.NoError(t, err)
		got, err := handwrittenVCGet(ctx, hc, s, vcOrderID)
		require.NoError(t, err)
		assert.Equal(t, want.ID, got.ID)
		assert.Equal(t, want.Code, got.Code)
		assert.Equal(t, want.Total.String(), "15.94")
		assert.Equal(t, "15.94", got.Total)
		assert.Equal(t, "€", got.Currency)
		require.NotNil(t, got.Customer)
		assert.Equal(t, "953", got.Customer.ShopID.String())
		require.NotNil(t, got.BillingAddress)
		assert.Equal(t, "59514", got.BillingAddress.Zipcode)
	})
	t.Run("versacommerce page", func(t *testing.T) {
		got, err := handwrittenVCPage(ctx, hc, s)
		require.NoError(t, err)
		require.Len(t, got, vcPageSize)
		for i, o := range got {
			assert.EqualValues(t, i+1, o.Order.ID)
		}
	})
	t.Run("inventorum delta page", func(t *testing.T) {
		got, err := handwrittenDelta(ctx, hc, s, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, 1000, got.Total)
		require.Len(t, got.Data, deltaPageSize)
		for i, o := range got.Data {
			assert.EqualValues(t, deltaOrderID(i), o.ID)
			assert.Equal(t, feedStart.Add(time.Duration(i)*feedStep), o.deltaTime().UTC())
			assert.Equal(t, "138.6000000000", o.AmountPaid)
		}
	})
	t.Run("inventorum sync", func(t *testing.T) {
		reqs := s.requests.Load()
		var ids []int64
		n, err := handwrittenSync(ctx, hc, s, func(o *hwInvOrder) { ids = append(ids, o.ID) })
		require.NoError(t, err)
		assert.Equal(t, 1000, n)
		for i, id := range ids {
			assert.EqualValues(t, deltaOrderID(i), id)
		}
		assert.EqualValues(t, 11, s.requests.Load()-reqs, "the same pages as Sync and the sdktypes walk")
	})
}
