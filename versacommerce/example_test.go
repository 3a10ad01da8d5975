package versacommerce_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

// exampleShop starts a fake shop with three orders and returns a client
// for it. Against a real shop: versacommerce.NewClient("myshop", key, password).
func exampleShop() (*versacommerce.Client, func()) {
	fake := versacommercetest.NewServer()
	day := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	fake.AddOrder(versacommercetest.Order{CreatedAt: day, Status: "closed", PaymentStatus: "paid", Total: money.MustParse("97.45")})
	fake.AddOrder(versacommercetest.Order{CreatedAt: day.AddDate(0, 0, 1), Status: "open", Total: money.MustParse("15.94"),
		Items: []versacommercetest.Item{{ProductID: 10000, Quantity: 2, Title: "Stift", Price: money.MustParse("7.97")}}})
	fake.AddOrder(versacommercetest.Order{CreatedAt: day.AddDate(0, 0, 2), Status: "open", PaymentStatus: "paid", Total: money.MustParse("8.49")})
	srv := httptest.NewServer(fake)
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}
	return c, srv.Close
}

func ExampleOrdersService_List() {
	c, done := exampleShop()
	defer done()

	orders, err := c.Orders.List(context.Background(), &versacommerce.ListOptions{
		Filter:  versacommerce.Filter{Status: versacommerce.OrderStatusOpen},
		Include: []versacommerce.Include{versacommerce.IncludeItems},
		Limit:   50,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range orders {
		fmt.Println(o.Code, o.Status, o.Status.Status(), o.Total.Format(o.Currency), len(o.Items), "items")
	}
	// Output:
	// 196-000-101 open open 15.94 EUR 1 items
	// 196-000-102 open open 8.49 EUR 0 items
}

func ExampleOrdersService_All() {
	c, done := exampleShop()
	defer done()

	sum := money.Zero
	for o, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{
		Filter: versacommerce.Filter{PaymentStatus: versacommerce.PaymentStatusPaid},
	}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		sum = sum.Add(o.Total)
	}
	fmt.Println("paid:", sum.Format("EUR"))
	// Output:
	// paid: 105.94 EUR
}

func ExampleOrdersService_Count() {
	c, done := exampleShop()
	defer done()

	n, err := c.Orders.Count(context.Background(), &versacommerce.Filter{
		CreatedAtMin: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "orders since 2 March")
	// Output:
	// 2 orders since 2 March
}

func ExampleOrdersService_Get() {
	c, done := exampleShop()
	defer done()

	// Call options ride on every method: here a timeout for this call and
	// the answer's metadata, kept on success and on failure.
	var res orderkit.Response
	_, err := c.Orders.Get(context.Background(), 4711, nil,
		orderkit.CallTimeout(10*time.Second), orderkit.CaptureResponse(&res))
	if errors.Is(err, orderkit.ErrNotFound) {
		fmt.Println("no order 4711; status", res.StatusCode, "request id", res.RequestID)
	}
	// Output:
	// no order 4711; status 404 request id req-1
}

func ExampleOrdersService_Get_include() {
	c, done := exampleShop()
	defer done()

	o, err := c.Orders.Get(context.Background(), 101, &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range o.Items {
		fmt.Println(it.Quantity, "×", it.Title, it.Price.Format(o.Currency))
	}
	// Output:
	// 2 × Stift 7.97 EUR
}

func ExampleOrdersService_Create() {
	c, done := exampleShop()
	defer done()

	address := &versacommerce.AddressRequest{Firstname: "Eduard", Lastname: "Siebert", Street: "Zwischen den Hölzern",
		Streetnumber: "1a", Zipcode: "59514", City: "Welver", Country: "DE"}
	order, err := c.Orders.Create(context.Background(), &versacommerce.OrderRequest{
		PaymentType:     versacommerce.PaymentTypeMisc,
		PaymentCost:     versacommerce.Amount(money.Zero),
		ItemTotal:       versacommerce.Amount(money.MustParse("15.98")),
		Subtotal:        versacommerce.Amount(money.MustParse("20.93")),
		Total:           versacommerce.Amount(money.MustParse("20.93")),
		ShippingCost:    versacommerce.Amount(money.MustParse("4.95")),
		WeightTotal:     versacommerce.Amount(money.MustParse("0.2")),
		Items:           []versacommerce.ItemRequest{{ProductID: 10000, Quantity: 2, Price: versacommerce.Amount(money.MustParse("7.99"))}},
		BillingAddress:  address,
		ShippingAddress: address,
		OriginName:      "amazon",
	},
		// The marketplace's order id, sent as origin_id: if the answer is
		// lost, Create looks the order up by it.
		orderkit.Reference("302-1234567-1234567"),
		orderkit.ResolveOutcome(),
	)
	switch {
	case errors.Is(err, orderkit.ErrNotCreated):
		fmt.Println("not created: safe to send again once", versacommerce.LostRequestWindow, "have passed")
	case errors.Is(err, orderkit.ErrOutcomeUnknown):
		fmt.Println("the order may exist (ambiguous or unresolvable): do not send it again blindly")
	case err != nil:
		var ve *orderkit.ValidationError
		if errors.As(err, &ve) {
			fmt.Println("refused:", ve.Fields)
		} else {
			fmt.Println(err)
		}
	default:
		fmt.Println("created", order.ID, order.Total.Format(order.Currency))
	}

	// A missing required attribute is refused before anything is sent.
	_, err = c.Orders.Create(context.Background(), &versacommerce.OrderRequest{PaymentType: versacommerce.PaymentTypeMisc})
	fmt.Println(errors.Is(err, orderkit.ErrInvalidArgument))
	// Output:
	// created 103 20.93 EUR
	// true
}

func ExampleOrdersService_Resolve() {
	fake := versacommercetest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}
	address := &versacommerce.AddressRequest{Firstname: "Eduard", Lastname: "Siebert", Street: "Zwischen den Hölzern",
		Streetnumber: "1a", Zipcode: "59514", City: "Welver"}
	req := &versacommerce.OrderRequest{
		PaymentType: versacommerce.PaymentTypeMisc, PaymentCost: versacommerce.Amount(money.Zero),
		ItemTotal: versacommerce.Amount(money.MustParse("7.99")), Subtotal: versacommerce.Amount(money.MustParse("7.99")),
		Total: versacommerce.Amount(money.MustParse("7.99")), ShippingCost: versacommerce.Amount(money.Zero),
		WeightTotal:    versacommerce.Amount(money.Zero),
		Items:          []versacommerce.ItemRequest{{ProductID: 10000, Quantity: 1}},
		BillingAddress: address, ShippingAddress: address,
		OriginName: "pos", OriginID: "receipt-0815",
	}

	// The shop creates the order, but the connection drops before its answer.
	fake.DropNextAfterActing()
	_, err = c.Orders.Create(context.Background(), req)
	fmt.Println(errors.Is(err, orderkit.ErrOutcomeUnknown))

	// Later (or in another process, from the same error): find out.
	r, err := c.Orders.Resolve(context.Background(), err)
	if err != nil {
		fmt.Println("lookup failed:", err)
		return
	}
	switch r.State {
	case orderkit.Created:
		fmt.Println("created:", r.Order.OriginID, r.Order.Total.Format(r.Order.Currency))
	case orderkit.NotCreated:
		fmt.Println("not created as of", r.AsOf, "safe to resend:", r.SafeToResend)
	case orderkit.Ambiguous:
		fmt.Println(len(r.Candidates), "orders match; check by hand")
	case orderkit.Unresolvable:
		fmt.Println("no way to tell")
	}
	// Output:
	// true
	// created: receipt-0815 7.99 EUR
}

// Do reaches what the SDK does not wrap, such as an order's shipments,
// whose fields the vendor does not document: decode what you need.
func ExampleClient_Do() {
	fake := versacommercetest.NewServer()
	fake.AddOrder(versacommercetest.Order{Shipments: []json.RawMessage{
		json.RawMessage(`{"shipment": {"id": 7, "tracking_number": "00340434161094042557"}}`),
	}})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}

	var shipments []struct {
		Shipment struct {
			ID             versacommerce.ID `json:"id"`
			TrackingNumber string           `json:"tracking_number"`
		} `json:"shipment"`
	}
	// GET /api/orders/100/shipments.json: the path is relative to the API root.
	_, err = c.Do(context.Background(), "GET", "orders/100/shipments.json", nil, &shipments, orderkit.CallTimeout(10*time.Second))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range shipments {
		fmt.Println(s.Shipment.ID, s.Shipment.TrackingNumber)
	}
	// Output:
	// 7 00340434161094042557
}

func ExampleOrdersService_Payments() {
	fake := versacommercetest.NewServer()
	fake.AddOrder(versacommercetest.Order{Payments: []versacommercetest.Payment{
		{Amount: money.MustParse("15.94"), Comment: "Sofortüberweisung.de", TransID: "tx-1"},
	}})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}

	payments, err := c.Orders.Payments(context.Background(), 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range payments {
		fmt.Println(p.Category, p.Amount.Format(p.Currency), p.Comment, p.TransID)
	}
	// Output:
	// misc 15.94 EUR Sofortüberweisung.de tx-1
}
