package attivita_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
)

// demo starts the in-memory fake and a client of it with opts; real code
// passes its token and no base URL.
func demo(opts ...orderkit.Option) (*attivita.Client, *attivitatest.Server, func()) {
	fake := attivitatest.NewServer()
	fake.SeedDemo()
	srv := httptest.NewServer(fake)
	c, err := attivita.NewClient(attivitatest.DefaultToken, append(opts, orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)))...)
	if err != nil {
		panic(err)
	}
	return c, fake, srv.Close
}

func ExampleProductsService_List() {
	c, _, stop := demo()
	defer stop()

	products, err := c.Products.List(context.Background(), nil)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, p := range products {
		fmt.Printf("%-38s %10s  stock %s\n", p, p.Price.Format("EUR"), p.AvailableStock)
	}
	// Output:
	// Microsoft Office 2021 Home & Business  149.99 EUR  stock 100+
	// Norton Antivirus                        29.99 EUR  stock 3
	// Office + Antivirus Bundle              129.99 EUR  stock 3
	// Windows 11 Pro                          99.90 EUR  stock 0
}

func ExampleOrdersService_Create() {
	c, _, stop := demo()
	defer stop()

	order, err := c.Orders.Create(context.Background(), &attivita.OrderRequest{Products: []attivita.OrderProduct{
		{ProductID: attivitatest.DemoBundleID, Amount: 1},
	}})
	var short *attivita.InsufficientStockError
	switch {
	case errors.As(err, &short):
		fmt.Println("not enough stock:", short.Items)
		return
	case errors.Is(err, orderkit.ErrOutcomeUnknown):
		fmt.Println("the order may exist: look it up before buying again")
		return
	case err != nil:
		fmt.Println("error:", err)
		return
	}
	fmt.Printf("order %d %s, total %s\n", order.OrderNumber, order.Status, order.GrandTotal.Format("EUR"))
	for _, it := range order.Items {
		for _, g := range it.KeysByPool() {
			fmt.Printf("%s: %v\n", g.PoolName, g.Keys)
		}
	}
	// Output:
	// order 1001 completed, total 129.99 EUR
	// Office 2021 Pool: [OFFC-0000-0000-0001]
	// Antivirus Pool: [NRTN-0000-0000-0001]
}

func ExampleOrdersService_Create_insufficientStock() {
	c, _, stop := demo()
	defer stop()

	_, err := c.Orders.Create(context.Background(), &attivita.OrderRequest{Products: []attivita.OrderProduct{
		{ProductID: attivitatest.DemoAntivirusID, Amount: 5},
	}})
	var short *attivita.InsufficientStockError
	if errors.As(err, &short) {
		for _, it := range short.Items {
			fmt.Printf("%s: requested %d, available %d\n", it.ProductName, it.RequestedQuantity, it.AvailableQuantity)
		}
	}
	// Output:
	// Norton Antivirus: requested 5, available 3
}

func ExampleWithSandbox() {
	c, fake, stop := demo(attivita.WithSandbox())
	defer stop()

	ctx := context.Background()
	order, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(order.Status, order.Sandbox, order.Keys())
	fmt.Println("keys left:", fake.KeysLeft("pool-office-2021"))
	// Output:
	// sandbox-completed true [SAND-BOX1-TEST-KEY1]
	// keys left: 150
}

func ExampleSecret() {
	s := attivita.Secret("whsec_abc123")
	fmt.Println(s, fmt.Sprintf("%q", s))
	fmt.Println(s.Reveal())
	// Output:
	// [REDACTED] [REDACTED]
	// whsec_abc123
}

func ExampleOrdersService_Resolve() {
	c, fake, stop := demo()
	defer stop()
	fake.DropNextAfterActing() // the order is placed, its answer lost

	ctx := context.Background()
	products := []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}
	order, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: products})
	if errors.Is(err, orderkit.ErrOutcomeUnknown) {
		// Do not buy again: find out what the lost call did.
		r, rerr := c.Orders.Resolve(ctx, err)
		if rerr != nil {
			fmt.Println("lookup failed, still unknown:", rerr)
			return
		}
		switch r.State {
		case orderkit.Created:
			order, err = r.Order, nil
		case orderkit.NotCreated:
			fmt.Println("not placed as of", r.AsOf, "- safe to send again:", r.SafeToResend)
			return
		case orderkit.Ambiguous:
			fmt.Println(len(r.Candidates), "identical orders match; check them by hand")
			return
		}
	}
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("order", order.OrderNumber, order.Keys())
	fmt.Println("POSTs sent:", fake.Count("POST", "/api/orders"))
	// Output:
	// order 1001 [OFFC-0000-0000-0001]
	// POSTs sent: 1
}

func ExampleOrdersService_Create_resolveOutcome() {
	c, fake, stop := demo()
	defer stop()
	fake.FailNextAfterActing(502, "<html>Bad gateway</html>") // a proxy's answer after the order was placed

	order, err := c.Orders.Create(context.Background(),
		&attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoAntivirusID, Amount: 1}}},
		orderkit.ResolveOutcome())
	switch {
	case errors.Is(err, orderkit.ErrNotCreated):
		fmt.Println("not placed; safe to send again once SafeToResend says so")
	case errors.Is(err, orderkit.ErrOutcomeUnknown): // ambiguous, or the lookup failed
		fmt.Println("still unknown:", err)
	case err != nil:
		fmt.Println("error:", err)
	default:
		fmt.Println("order", order.OrderNumber, order.Keys())
	}
	// Output:
	// order 1001 [NRTN-0000-0000-0001]
}

func ExampleSandbox() {
	c, _, stop := demo()
	defer stop()

	var meta orderkit.Response
	order, err := c.Orders.Create(context.Background(),
		&attivita.OrderRequest{Products: []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1}}},
		attivita.Sandbox(true), orderkit.CaptureResponse(&meta), orderkit.CallTimeout(30*time.Second))
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(order.Status, order.Keys(), meta.StatusCode, meta.Header.Get("X-Sandbox-Mode"))
	// Output:
	// sandbox-completed [SAND-BOX1-TEST-KEY1] 201 true
}
