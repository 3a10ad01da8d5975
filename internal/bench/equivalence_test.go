package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/versacommerce"
)

// The benchmarks compare like with like only if the baseline does the same
// work: these tests check that it decodes exactly what the client returns,
// and that the server serves the vendors' payloads with distinct ids.

func TestTemplatesKeepTheFixtures(t *testing.T) {
	require.NoError(t, loadTemplates())
	// An order rendered with the fixture's own id and time is the fixture,
	// whitespace aside.
	got := string(deltaTmpl.appendOrder(nil, 8791312, time.Date(2017, 12, 12, 14, 49, 22, 0, time.UTC), 0))
	raw, err := firstOrder("../../inventorum/testdata/delta.json", "data")
	require.NoError(t, err)
	assert.JSONEq(t, string(raw), got)

	got = string(vcTmpl.appendOrder(nil, 100, feedStart, 0))
	raw, err = firstOrder("../../versacommerce/testdata/orders.json", "")
	require.NoError(t, err)
	assert.JSONEq(t, string(raw), got)

	got = string(attivitaTmpl.appendOrder(nil, 1001, feedStart, 0))
	raw, err = firstOrder("../../attivita/testdata/orders.json", "")
	require.NoError(t, err)
	assert.JSONEq(t, string(raw), got)

	// Any other n gives an order of its own values, valid JSON, rendered
	// without allocating (the server's work is counted in allocs/op on
	// both sides, so it must add nothing).
	for _, tmpl := range []*template{deltaTmpl, vcTmpl} {
		one, two := tmpl.appendOrder(nil, 1, feedStart, 1), tmpl.appendOrder(nil, 1, feedStart, 2)
		assert.True(t, json.Valid(one), "%s", one)
		assert.NotEqual(t, string(one), string(two))
		if !raceEnabled {
			buf := make([]byte, 0, 64<<10)
			assert.Zero(t, testing.AllocsPerRun(10, func() { buf = tmpl.appendOrder(buf[:0], 1, feedStart, 77) }))
		}
	}

	_, err = newTemplate([]byte(`{"id":1,"x":{"id":1,"y":2}}`), cut{`"id":1,`, "1", holeID, 1})
	assert.ErrorContains(t, err, "2 times, want 1")
}

func TestBaselineDecodesLikeTheClient(t *testing.T) {
	s := newServer(t, 1000)
	ctx := context.Background()
	hc := handwrittenHTTP()

	t.Run("attivita get", func(t *testing.T) {
		want, err := attivitaClient(t, s).Orders.Get(ctx, attivitaOrderNumber)
		require.NoError(t, err)
		got, err := baselineAttivitaGet(ctx, hc, s, attivitaOrderNumber)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.EqualValues(t, attivitaOrderNumber, got.OrderNumber)
		assert.Equal(t, "179.98", got.GrandTotal.String())
		require.Len(t, got.Items, 1)
		require.Len(t, got.Items[0].Licenses, 2)
	})
	t.Run("versacommerce get", func(t *testing.T) {
		want, err := vcClient(t, s).Orders.Get(ctx, vcOrderID, nil)
		require.NoError(t, err)
		got, err := baselineVCGet(ctx, hc, s, vcOrderID)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.EqualValues(t, vcOrderID, got.ID)
		assert.Equal(t, "196-083-565", got.Code)
		assert.Equal(t, "15.94", got.Total.String())
		assert.Equal(t, "EUR", got.Currency) // "€" on the wire
	})
	t.Run("versacommerce page", func(t *testing.T) {
		want, err := vcClient(t, s).Orders.List(ctx, &versacommerce.ListOptions{Limit: vcPageSize})
		require.NoError(t, err)
		got, err := baselineVCPage(ctx, hc, s)
		require.NoError(t, err)
		require.Len(t, got, vcPageSize)
		assert.Equal(t, want, got)
		for i, o := range got {
			assert.EqualValues(t, i+1, o.ID)
			// Each order has values of its own (appendOrder's n = i+1).
			assert.Equal(t, fmt.Sprintf("%d.196-083-565", i+1), o.Code)
			assert.Equal(t, string(appendAmount(nil, int64(i+1), "15.94")), o.Total.StringFixed(2))
			assert.Equal(t, feedStart.Add(time.Duration(i)*feedStep), o.CreatedAt)
		}
	})
	t.Run("inventorum delta page", func(t *testing.T) {
		want, err := inventorumClient(t, s).Orders.Delta(ctx, &inventorum.DeltaOptions{Limit: deltaPageSize, Channel: inventorum.ChannelIPad})
		require.NoError(t, err)
		got, err := baselineDelta(ctx, hc, s, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.EqualValues(t, 1000, got.Total)
		require.Len(t, got.Data, deltaPageSize)
		for i, o := range got.Data {
			assert.Equal(t, inventorum.ID(deltaOrderID(i)), o.ID)
			assert.Equal(t, feedStart.Add(time.Duration(i)*feedStep), o.DeltaTime())
			// Each order has amounts of its own (appendAmount).
			paid := string(appendAmount(nil, int64(i+1), "138.6000000000"))
			assert.Equal(t, money.MustParse(paid).String(), o.AmountPaid.String())
		}
	})
	t.Run("inventorum sync", func(t *testing.T) {
		c := inventorumClient(t, s)
		var cp inventorum.DeltaCheckpoint
		var want []inventorum.Order
		reqs := s.requests.Load()
		for o, err := range c.Orders.Sync(ctx, &cp, syncOptions) {
			require.NoError(t, err)
			want = append(want, o)
		}
		sdkReqs := s.requests.Load() - reqs
		var got []inventorum.Order
		reqs = s.requests.Load()
		n, err := baselineSync(ctx, hc, s, func(o *inventorum.Order) { got = append(got, *o) })
		require.NoError(t, err)
		baseReqs := s.requests.Load() - reqs
		assert.Equal(t, 1000, n)
		require.Len(t, got, 1000)
		assert.Equal(t, want, got)
		for i, o := range got {
			assert.Equal(t, inventorum.ID(deltaOrderID(i)), o.ID)
		}
		// Both walk the same pages: 100 new orders on the first, 99 on
		// each next (its first order is the last one seen).
		assert.EqualValues(t, 11, baseReqs)
		assert.Equal(t, baseReqs, sdkReqs)
		assert.Equal(t, feedStart.Add(999*feedStep), cp.Channels[inventorum.ChannelIPad].Time)
	})
}
