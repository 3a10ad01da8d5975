package adility_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
)

func newFake(t *testing.T, f adility.Format, opts ...orderkit.Option) (*adility.Client, *adilitytest.Server) {
	t.Helper()
	fake := adilitytest.NewServer()
	fake.SetClock(func() time.Time { return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) })
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	all := append([]orderkit.Option{
		orderkit.WithBaseURL(srv.URL + "/distribution/beta"),
		adility.WithFormat(f),
		orderkit.WithRetry(2, 0, time.Millisecond),
	}, opts...)
	c, err := adility.NewClient(adilitytest.DefaultAPIKey, all...)
	require.NoError(t, err)
	return c, fake
}

func TestFakeOrderLifecycle(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, fake := newFake(t, tf.f)
			fake.AddOffer("gift-25")
			ctx := context.Background()
			o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
				OrderNumber:  "life-1",
				CustomerName: "John Smith",
				Items: []adility.PlaceItem{
					{OfferID: adilitytest.DemoOfferID, Quantity: 2},
					{OfferID: "gift-25", Quantity: 1},
				},
				ShippingAddress: &adility.Location{AddressLine1: "1 Main St", City: "Springfield", StateCode: "IL", PostalCode: "62701"},
			})
			require.NoError(t, err)
			assert.Equal(t, "life-1", o.OrderNumber)
			assert.Equal(t, adility.OrderActive, o.Status)
			assert.Equal(t, adility.ID(adilitytest.AccountID), o.AccountID)
			assert.Equal(t, time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), o.PurchasedAt)
			require.NotNil(t, o.ShippingAddress)
			assert.Equal(t, "Springfield", o.ShippingAddress.City)
			require.Len(t, o.Items, 2)
			assert.Len(t, o.Items[0].Vouchers, 2, "one voucher per unit")
			assert.Len(t, o.Items[1].Vouchers, 1)
			for _, v := range o.Vouchers() {
				assert.Equal(t, adility.VoucherAcquired, v.Status)
				assert.NotEmpty(t, v.RedemptionCode)
				assert.Equal(t, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), v.ExpirationDate)
			}
			assert.Equal(t, adility.ID("gift-25"), o.Items[1].Vouchers[0].OfferID)

			reqs := fake.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tf.ext, reqs[0].Format)
			assert.Equal(t, adilitytest.DefaultAPIKey, reqs[0].APIKey)

			got, err := c.Orders.Get(ctx, o.ID)
			require.NoError(t, err)
			assert.Equal(t, o, got)

			_, err = c.Orders.Place(ctx, &adility.PlaceRequest{OrderNumber: "life-1", CustomerName: "Other",
				Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}})
			require.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
			assert.Len(t, fake.Orders(), 1)

			one := o.Items[0].Vouchers[0]
			v, err := c.Vouchers.Cancel(ctx, one.OfferID, one.ID)
			require.NoError(t, err)
			assert.Equal(t, adility.VoucherCancelled, v.Status)
			assert.False(t, v.CancelledAt.IsZero())
			_, err = c.Vouchers.Cancel(ctx, one.OfferID, one.ID)
			require.ErrorIs(t, err, adility.ErrAlreadyCancelled)

			cancelled, err := c.Orders.Cancel(ctx, o.ID)
			require.NoError(t, err)
			assert.Equal(t, adility.OrderCancelled, cancelled.Status)
			for _, v := range cancelled.Vouchers() {
				assert.Equal(t, adility.VoucherCancelled, v.Status, "cancelling an order cancels all its vouchers")
			}
			kept, ok := fake.Order(string(o.ID))
			require.True(t, ok)
			assert.Equal(t, "cancelled", kept.Status)

			_, err = c.Orders.Cancel(ctx, o.ID)
			require.ErrorIs(t, err, adility.ErrAlreadyCancelled)
			_, err = c.Orders.Get(ctx, "no-such-order")
			require.ErrorIs(t, err, orderkit.ErrNotFound)
			_, err = c.Vouchers.Cancel(ctx, "x", "y")
			require.ErrorIs(t, err, orderkit.ErrNotFound)
		})
	}
}

func TestFakeRefusals(t *testing.T) {
	for _, tf := range formats {
		t.Run(tf.name, func(t *testing.T) {
			c, fake := newFake(t, tf.f)
			_, err := c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: "r-1", CustomerName: "J",
				Items: []adility.PlaceItem{{OfferID: "unknown-offer", Quantity: 1}}})
			var ae *orderkit.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusUnprocessableEntity, ae.StatusCode)
			assert.Contains(t, ae.Message, "offer_id is invalid")
			assert.NotErrorIs(t, err, adility.ErrDuplicateOrderNumber)
			assert.Empty(t, fake.Orders())

			bad, err := adility.NewClient("wrong-key", orderkit.WithBaseURL(c.BaseURL()), adility.WithFormat(tf.f))
			require.NoError(t, err)
			_, err = bad.Orders.Get(context.Background(), "1")
			require.ErrorIs(t, err, orderkit.ErrUnauthorized)
			assert.NotContains(t, err.Error(), "wrong-key")
		})
	}
}

func TestFakeLostPlaceAnswer(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	req := &adility.PlaceRequest{OrderNumber: "lost-1", CustomerName: "J",
		Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}}
	fake.DropNextAfterActing()
	_, err := c.Orders.Place(context.Background(), req)
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "not resent")
	_, placed := fake.OrderByNumber("lost-1")
	assert.True(t, placed, "the fake did place it")

	// Opted in: the retry is refused as a duplicate, which says the first
	// attempt went through.
	req.OrderNumber = "lost-2"
	req.Idempotent = true
	fake.DropNextAfterActing()
	_, err = c.Orders.Place(context.Background(), req)
	require.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Equal(t, 3, fake.Count(http.MethodPost, "/orders"))
	assert.Len(t, fake.Orders(), 2, "bought once each")
}

func TestFakeLostCancelAnswer(t *testing.T) {
	c, fake := newFake(t, adility.XML)
	o, err := c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: "c-1", CustomerName: "J",
		Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}})
	require.NoError(t, err)
	fake.DropNextAfterActing()
	got, err := c.Orders.Cancel(context.Background(), o.ID)
	require.NoError(t, err, "the retry finds the order cancelled by the first attempt")
	assert.Equal(t, adility.OrderCancelled, got.Status)
	assert.Equal(t, 2, fake.Count(http.MethodPut, "/orders/"+string(o.ID)))
}

func TestFakeFailNext(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	fake.FailNext(http.StatusServiceUnavailable, "<html>maintenance</html>")
	_, err := c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: "f-1", CustomerName: "J",
		Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}})
	require.ErrorIs(t, err, orderkit.ErrServer)
	assert.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.Empty(t, fake.Orders(), "the fake did not act on it")
}

func TestFakeConcurrentPlaces(t *testing.T) {
	c, fake := newFake(t, adility.JSON)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Orders.Place(context.Background(), &adility.PlaceRequest{OrderNumber: fmt.Sprint("p-", i%10),
				CustomerName: "J", Items: []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}}})
		}()
	}
	wg.Wait()
	dups := 0
	for _, err := range errs {
		if err != nil {
			require.ErrorIs(t, err, adility.ErrDuplicateOrderNumber)
			dups++
		}
	}
	assert.Equal(t, 10, dups)
	assert.Len(t, fake.Orders(), 10)
}

// The fake serves a client in memory through its Transport, faults
// included, whatever the base URL's host.
func TestFakeTransport(t *testing.T) {
	fake := adilitytest.NewServer()
	c, err := adility.NewClient(adilitytest.DefaultAPIKey,
		orderkit.WithBaseURL("https://adility.invalid/distribution/beta"),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}),
		orderkit.WithRetry(0, 0, 0))
	require.NoError(t, err)
	o, err := c.Orders.Place(context.Background(), lostRequest("mem-1"))
	require.NoError(t, err)
	checkFakeOrder(t, fake, "mem-1", o)

	fake.TruncateNextAfterActing()
	_, err = c.Orders.Place(context.Background(), lostRequest("mem-2"))
	res, err := c.Orders.Resolve(context.Background(), err)
	require.NoError(t, err)
	require.Equal(t, orderkit.Created, res.State, "the cut answer names the order")
	checkFakeOrder(t, fake, "mem-2", res.Order)

	bad, err := adility.NewClient("wrong-key", orderkit.WithBaseURL("https://adility.invalid"),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
	require.NoError(t, err)
	_, err = bad.Orders.Get(context.Background(), o.ID)
	require.ErrorIs(t, err, orderkit.ErrUnauthorized)
	assert.Equal(t, 2, fake.Count(http.MethodPost, "/orders"))
	assert.Equal(t, 1, fake.Count(http.MethodGet, "/orders/"+string(o.ID)))
}

// A Place with ResolveOutcome whose lookup fails returns the lost create,
// still to be resolved, with the lookup's error in LookupErr: a switch on
// the sentinels sees the unknown outcome, not the lookup's 500.
func TestPlaceResolveOutcomeLookupFails(t *testing.T) {
	fake := adilitytest.NewServer()
	c, err := adility.NewClient(adilitytest.DefaultAPIKey,
		orderkit.WithBaseURL("https://adility.invalid/distribution/beta"),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}),
		orderkit.WithRetry(0, 0, 0))
	require.NoError(t, err)
	fake.TruncateNextAfterActing()                                     // the order is placed, its answer cut
	fake.FailNext(http.StatusInternalServerError, `{"error": "down"}`) // the lookup's GET
	_, err = c.Orders.Place(context.Background(), lostRequest("mem-3"), orderkit.ResolveOutcome())
	require.ErrorIs(t, err, orderkit.ErrOutcomeUnknown)
	assert.NotErrorIs(t, err, orderkit.ErrServer)
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	require.ErrorIs(t, lost.LookupErr, orderkit.ErrServer)
	assert.Contains(t, err.Error(), "lookup failed")

	res, err := c.Orders.Resolve(context.Background(), err)
	require.NoError(t, err)
	require.Equal(t, orderkit.Created, res.State, "resolved later")
	checkFakeOrder(t, fake, "mem-3", res.Order)
	assert.Equal(t, 1, fake.Count(http.MethodPost, "/orders"), "never placed twice")
}
