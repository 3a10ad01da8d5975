package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
		assert.Equal(t, int64(want.OrderNumber), got.OrderNumber)
		assert.Equal(t, want.OrderDate, got.OrderDate)
		assert.InDelta(t, 179.98, got.GrandTotal, 1e-9)
		require.Len(t, got.Items, 1)
		assert.Equal(t, "507f1f77bcf86cd799439011", got.Items[0].Product.ID)
		assert.Len(t, got.Items[0].Licenses, 2)
	})
	t.Run("versacommerce get", func(t *testing.T) {
		want, err := vcClient(t, s).Orders.Get(ctx, vcOrderID, nil)
		require.NoError(t, err)
		got, err := handwrittenVCGet(ctx, hc, s, vcOrderID)
		require.NoError(t, err)
		assert.Equal(t, int64(want.ID), got.ID)
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
			assert.Equal(t, fmt.Sprintf("%d.Eduard", i+1), o.Order.BillingAddress.Firstname)
			assert.Equal(t, string(appendAmount(nil, int64(i+1), "15.94")), o.Order.Total)
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
			assert.Equal(t, string(appendAmount(nil, int64(i+1), "138.6000000000")), o.AmountPaid)
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

// TestHandwrittenStructsReadEveryMember checks that the hand-written structs
// hold every member of the server's answers (no member skipped, which would
// spare the baseline work the SDK does) and keep its value: each answer,
// decoded and encoded again, is the answer, times compared as instants.
func TestHandwrittenStructsReadEveryMember(t *testing.T) {
	s := newServer(t, benchFeed)
	for name, c := range map[string]struct {
		body []byte
		out  any
	}{
		"attivita order":      {s.attivitaOrder, new(hwAttivitaOrder)},
		"versacommerce order": {s.vcOrder, new(hwVCOrderEnvelope)},
		"versacommerce page":  {s.vcPage, new([]hwVCOrderEnvelope)},
		"inventorum delta":    {s.deltaFirst, new(hwInvPage)},
	} {
		t.Run(name, func(t *testing.T) {
			dec := json.NewDecoder(bytes.NewReader(c.body))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(c.out))
			again, err := json.Marshal(c.out)
			require.NoError(t, err)
			assert.Equal(t, canonicalJSON(t, c.body), canonicalJSON(t, again))
		})
	}
}

// canonicalJSON decodes a JSON text into maps, slices and numbers, with
// every RFC 3339 time rewritten in UTC, so that two texts of the same
// values compare equal.
func canonicalJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v))
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				x[k] = walk(c)
			}
		case []any:
			for i, c := range x {
				x[i] = walk(c)
			}
		case json.Number:
			f, err := x.Float64()
			require.NoError(t, err)
			return f
		case string:
			if tm, err := time.Parse(time.RFC3339, x); err == nil {
				return tm.UTC().Format(time.RFC3339Nano)
			}
		}
		return v
	}
	return walk(v)
}
