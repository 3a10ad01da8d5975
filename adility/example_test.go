package adility_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
)

// exampleClient runs a client against the in-memory fake.
func exampleClient(opts ...orderkit.Option) (*adility.Client, func()) {
	fake := adilitytest.NewServer()
	fake.SetClock(func() time.Time { return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) })
	srv := httptest.NewServer(fake)
	c, err := adility.NewClient(adilitytest.DefaultAPIKey, append([]orderkit.Option{orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL))}, opts...)...)
	if err != nil {
		panic(err)
	}
	return c, srv.Close
}

func ExampleNewClient() {
	// The documented test host is plain http: the opt-in is explicit.
	c, err := adility.NewClient("my-api-key",
		orderkit.WithBaseURL(adility.TestBaseURL),
		orderkit.WithInsecureHTTP(),
		adility.WithFormat(adility.XML),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.BaseURL())

	_, err = adility.NewClient("my-api-key", orderkit.WithBaseURL(adility.TestBaseURL))
	fmt.Println(errors.Is(err, orderkit.ErrInvalidArgument))
	// Output:
	// http://testapi.adility.com/distribution/beta/
	// true
}

func ExampleOrdersService_Place() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()

	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber:  "shop-10042",
		CustomerName: "John Smith",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 2}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.OrderNumber, o.Status, o.Status.Status())
	for _, v := range o.Vouchers() {
		fmt.Println(v.RedemptionCode, v.Status, v.ExpirationDate.Format("2006-01-02"))
	}

	// The same order number again is refused.
	_, err = c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber:  "shop-10042",
		CustomerName: "John Smith",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}},
	})
	fmt.Println(errors.Is(err, adility.ErrDuplicateOrderNumber))
	// Output:
	// shop-10042 active open
	// AD-0000-0002 Acquired 2025-03-01
	// AD-0000-0003 Acquired 2025-03-01
	// true
}

func ExampleOrdersService_Cancel() {
	c, done := exampleClient(adility.WithFormat(adility.XML))
	defer done()
	ctx := context.Background()

	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber:  "shop-10043",
		CustomerName: "Jane Doe",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	o, err = c.Orders.Cancel(ctx, o.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.Status, o.Vouchers()[0].Status)

	_, err = c.Orders.Cancel(ctx, o.ID)
	fmt.Println(errors.Is(err, adility.ErrAlreadyCancelled))

	_, err = c.Orders.Get(ctx, "no-such-order")
	fmt.Println(errors.Is(err, orderkit.ErrNotFound))
	// Output:
	// cancelled cancelled
	// true
	// true
}

func ExampleVouchersService_Cancel() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()

	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
		OrderNumber:  "shop-10044",
		CustomerName: "John Smith",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 2}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	first := o.Vouchers()[0]
	v, err := c.Vouchers.Cancel(ctx, first.OfferID, first.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.RedemptionCode, v.Status, v.CancelledAt.Format(time.RFC3339))

	o, _ = c.Orders.Get(ctx, o.ID)
	for _, v := range o.Vouchers() {
		fmt.Println(v.RedemptionCode, v.Status)
	}
	// Output:
	// AD-0000-0002 cancelled 2024-03-01T12:00:00Z
	// AD-0000-0002 cancelled
	// AD-0000-0003 Acquired
}

// A Place whose answer is lost: Resolve reads what can be read (here the
// start of a cut answer names the order); PlaceAgain sends the same Place
// with the same order number, which Adility keeps unique, so it cannot buy
// twice.
func ExampleOrdersService_Resolve() {
	fake := adilitytest.NewServer()
	fake.SetClock(func() time.Time { return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC) })
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	req := &adility.PlaceRequest{
		OrderNumber:  "shop-10045",
		CustomerName: "John Smith",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}},
	}

	fake.TruncateNextAfterActing() // the answer is cut off halfway
	_, err = c.Orders.Place(ctx, req)
	fmt.Println(errors.Is(err, orderkit.ErrOutcomeUnknown))

	res, err := c.Orders.Resolve(ctx, err)
	if err != nil {
		fmt.Println(err) // the lookup failed too: call Resolve again later
		return
	}
	switch res.State {
	case orderkit.Created:
		fmt.Println(res.State, res.Order.OrderNumber, len(res.Order.Vouchers()))
	default:
		// No answer arrived, and the API reads no order by its number:
		// PlaceAgain settles it.
		fmt.Println(res.State)
	}
	// Output:
	// true
	// created shop-10045 1
}

func ExampleOrdersService_PlaceAgain() {
	fake := adilitytest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	req := &adility.PlaceRequest{
		OrderNumber:  "shop-10046",
		CustomerName: "John Smith",
		Items:        []adility.PlaceItem{{OfferID: adilitytest.DemoOfferID, Quantity: 1}},
	}

	fake.DropNextBeforeActing() // the connection drops before the API acts
	_, err = c.Orders.Place(ctx, req, orderkit.ResolveOutcome())
	fmt.Println(errors.Is(err, orderkit.ErrUnresolvable))

	o, err := c.Orders.PlaceAgain(ctx, err) // same request, same number
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.OrderNumber, len(o.Vouchers()))

	// The answer is lost after the API placed the order: the number is
	// refused as used, which proves it placed; the API has no read by
	// number, so the error says so.
	req.OrderNumber = "shop-10047"
	fake.DropNextAfterActing()
	_, err = c.Orders.Place(ctx, req)
	var meta orderkit.Response
	_, err = c.Orders.PlaceAgain(ctx, err, orderkit.CaptureResponse(&meta))
	fmt.Println(errors.Is(err, adility.ErrPlacedUnreadable), errors.Is(err, adility.ErrDuplicateOrderNumber), meta.StatusCode)
	// Output:
	// true
	// shop-10046 1
	// true true 422
}
