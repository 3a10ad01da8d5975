package inventorum_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The lookup after a lost basket finds the basket, and only it, under
// every reading of the delta page the fake knows (start_date since or
// after, pages from 0 or 1, a capped page size, a hidden modification
// time, times in seconds, milliseconds or as given, pages with a total or
// as a bare array without one), with the channel parameter
// honoured or ignored, in a busy channel whose orders around the send fill
// more than a page, and reports NotCreated when the POST never arrived.
// Exactly one POST is sent either way.
func TestResolveUnderEveryReading(t *testing.T) {
	for _, rd := range testedReadings() {
		reading := rd.DeltaReading
		if rd.capped {
			reading.PageCap = 30
		}
		t.Run(rd.name(), func(t *testing.T) {
			t.Parallel()
			fake, c := newFake(t)
			fake.SetDeltaReading(reading)
			fake.SetIgnoreChannel(rd.ignoreChannel)
			clk := newClock(fake, time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC))
			ctx := context.Background()
			req := sampleBasket()
			fake.GenerateOrders(5, clk.now().Add(-time.Hour), time.Minute)

			// A busy back office: 110 orders of its channel in the seconds
			// before the send, more than a page holds, some of them
			// modified since: the basket is on a later page.
			for i := 0; i < 110; i++ {
				at := clk.now().Add(-4*time.Second + time.Duration(i)*time.Millisecond)
				o := fake.AddOrder(inventorum.Order{State: orderstate.Completed, Channel: inventorum.ChannelBackoffice, TimeAdded: at, CompletedAt: at})
				if i%7 == 0 {
					fake.ModifyOrder(o.ID, at.Add(3*time.Second), nil)
				}
			}

			fake.DropNextAfterActing()
			_, lostErr := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1"))
			require.ErrorIs(t, lostErr, orderkit.ErrOutcomeUnknown)
			require.Equal(t, 116, fake.Len())
			var basketID inventorum.ID
			for id := inventorum.ID(1); basketID == 0 && id < 5000; id++ {
				if o, ok := fake.Order(id); ok && o.State == orderstate.Pending && o.Customer != nil {
					basketID = o.ID
				}
			}
			require.NotZero(t, basketID)
			res, err := c.Basket.Resolve(ctx, lostErr)
			require.NoError(t, err)
			require.Equal(t, orderkit.Created, res.State, "candidates %v", res.Candidates)
			assert.Equal(t, basketID, res.Order.ID)
			checkFound(t, res.Order, req)

			// Another customer's basket, lost before it arrived.
			other := sampleBasket()
			other.Customer = 495
			fake.DropNextBeforeActing()
			_, err = c.Basket.Create(ctx, other, orderkit.ResolveOutcome())
			var oe *orderkit.OutcomeError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, orderkit.NotCreated, oe.State)
			assert.Equal(t, 2, fake.Count("POST", basketPath), "one POST per Create")
		})
	}
}

// A lost call without a Date header, to a server whose clock is three
// minutes behind the client's: the lookup first guesses the window on the
// client's clock, then learns the server's and reads again from earlier.
// The basket, paid since (so the first read, from the guess, already
// answers it), is found by the second read.
func TestResolveServerClockBehindWithoutDate(t *testing.T) {
	fake, c := newFake(t)
	fake.SetIgnoreChannel(true)
	clk := newClock(fake, time.Now().Add(-3*time.Minute))
	ctx := context.Background()
	req := sampleBasket()
	fake.DropNextAfterActing()
	_, lostErr := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1"))
	require.ErrorIs(t, lostErr, orderkit.ErrOutcomeUnknown)
	require.Equal(t, 1, fake.Len())
	basket, ok := fake.Order(1001)
	require.True(t, ok)
	fake.ModifyOrder(basket.ID, clk.now().Add(2*time.Minute), func(o *inventorum.Order) { o.State = orderstate.Paid | orderstate.Closed })

	res, err := c.Basket.Resolve(ctx, lostErr)
	require.NoError(t, err)
	require.Equal(t, orderkit.Created, res.State)
	assert.Equal(t, basket.ID, res.Order.ID)
	assert.Equal(t, 1, fake.Count("POST", basketPath))
}
