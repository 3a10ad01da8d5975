package inventorum_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/money"
)

// Sync the delta feed from a stored checkpoint and store the new one.
func ExampleOrdersService_Sync() {
	fake := inventorumtest.NewServer()
	fake.GenerateOrders(10, time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), time.Minute)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}

	stored := []byte(`{"channels": {}}`) // what the last run saved; this, a first run
	for run := 1; run <= 2; run++ {
		var cp inventorum.DeltaCheckpoint
		if err := json.Unmarshal(stored, &cp); err != nil {
			panic(err)
		}
		n := 0
		for o, err := range c.Orders.Sync(context.Background(), &cp, &inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop, inventorum.ChannelEbay}}) {
			if err != nil {
				fmt.Println("error:", err)
				break
			}
			fmt.Println(o.ID, o.Channel, o.Status(), o.GrossTotal().Format("EUR"))
			n++
		}
		stored, _ = json.Marshal(cp)
		fmt.Printf("run %d: %d orders\n", run, n)
	}
	// Output:
	// 1002 shop completed 5.98 EUR
	// 1009 shop open 29.97 EUR
	// 1003 ebay open 11.97 EUR
	// run 1: 3 orders
	// run 2: 0 orders
}

// Create a basket and read the API's validation answer.
func ExampleBasketService_Create() {
	srv := httptest.NewServer(inventorumtest.NewServer())
	defer srv.Close()
	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))

	res, err := c.Basket.Create(context.Background(), &inventorum.BasketRequest{
		Items:    []inventorum.BasketItem{{Product: 7890302, Quantity: 1, Price: money.MustParse("15.99")}},
		Discount: &inventorum.Discount{Type: inventorum.DiscountPercent, Amount: money.MustParse("0.1")},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.ID, res.State, res.Status())

	_, err = c.Basket.Create(context.Background(), &inventorum.BasketRequest{})
	fmt.Println(errors.Is(err, orderkit.ErrInvalidArgument))
	// Output:
	// 1001 PENDING pending
	// true
}

// Walk every page of the order list for one day.
func ExampleOrdersService_All() {
	fake := inventorumtest.NewServer()
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	fake.GenerateOrders(100, day, 20*time.Minute)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))

	n := 0
	var total money.Amount
	for o, err := range c.Orders.All(context.Background(), &inventorum.ListOptions{Start: day, End: day.Add(24 * time.Hour), Channel: inventorum.ChannelShop}) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		n++
		total = total.Add(o.GrossTotal())
	}
	fmt.Println(n, "shop orders,", total.Format("EUR"))
	// Output:
	// 10 shop orders, 399.78 EUR
}

// A client that refreshes its own OAuth2 token and hands each new refresh
// token to the caller to store.
func ExampleNewOAuth2Client() {
	srv := httptest.NewServer(inventorumtest.NewServer())
	defer srv.Close()
	c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
		ClientID:     inventorumtest.DefaultClientID,
		ClientSecret: inventorumtest.DefaultClientSecret,
		Token:        inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken},
		OnRefresh: func(_ context.Context, t inventorum.Token) error {
			fmt.Println("store refresh token", t.RefreshToken)
			return nil
		},
	}, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
	if err != nil {
		panic(err)
	}
	p, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Total, "orders")
	// Output:
	// store refresh token fake-refresh-1
	// 0 orders
}

// Create a basket with the caller's own reference and let the client find
// the order when the answer is lost.
func ExampleBasketService_Create_resolveOutcome() {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))

	fake.DropNextAfterActing() // the basket is created, its answer lost
	res, err := c.Basket.Create(context.Background(), &inventorum.BasketRequest{
		Items: []inventorum.BasketItem{{Product: 7890302, Quantity: 2, Price: money.MustParse("15.99")}},
	}, orderkit.Reference("ERP-4711"), orderkit.ResolveOutcome())
	switch {
	case errors.Is(err, orderkit.ErrNotCreated):
		fmt.Println("not created: send it again")
	case errors.Is(err, orderkit.ErrOutcomeUnknown):
		fmt.Println("still unknown:", err) // ambiguous, or the lookup failed
	case err != nil:
		fmt.Println("error:", err)
	default:
		fmt.Println("created", res.ID, *res.Order.Basket.NoteInternal, res.Order.Status())
	}
	fmt.Println(fake.Count("POST", "/api/basket/"), "POST")
	// Output:
	// created 1001 ERP-4711 pending
	// 1 POST
}

// Resolve a lost basket later, from the error Create returned.
func ExampleBasketService_Resolve() {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
	ctx := context.Background()

	// Another till's basket, a moment before: the feed shows it PENDING,
	// so it shows new baskets, and finding none can mean not created.
	if _, err := c.Basket.Create(ctx, &inventorum.BasketRequest{
		Items:    []inventorum.BasketItem{{Product: 5977221, Quantity: 2, Price: money.MustParse("4.20")}},
		Customer: 495,
	}); err != nil {
		return
	}
	fake.DropNextBeforeActing() // the connection breaks before the server acts
	_, err := c.Basket.Create(ctx, &inventorum.BasketRequest{
		Items:    []inventorum.BasketItem{{Product: 7890302, Quantity: 1, Price: money.MustParse("15.99")}},
		Customer: 494,
	})
	if !errors.Is(err, orderkit.ErrOutcomeUnknown) {
		return
	}
	res, rerr := c.Basket.Resolve(ctx, err)
	if rerr != nil {
		fmt.Println("lookup failed:", rerr)
		return
	}
	fmt.Println(res.State, "after", res.Lookups, "lookups; safe to send again now:", res.SafeToResend)
	// Output:
	// not created after 7 lookups; safe to send again now: false
}

// Call options: a deadline for one call and its response metadata.
func ExampleOrdersService_Delta() {
	srv := httptest.NewServer(inventorumtest.NewServer())
	defer srv.Close()
	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))

	var meta orderkit.Response
	p, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{Channel: inventorum.ChannelShop},
		orderkit.CallTimeout(10*time.Second), orderkit.CaptureResponse(&meta))
	if err != nil {
		fmt.Println("error:", err, "request id", meta.RequestID)
		return
	}
	fmt.Println(meta.StatusCode, p.Total, "orders")
	// Output:
	// 200 0 orders
}

// Call an endpoint the SDK does not wrap, with the client's auth, limits,
// retries and errors.
func ExampleClient_Do() {
	fake := inventorumtest.NewServer()
	fake.GenerateOrders(3, time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), time.Minute)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))

	var page struct {
		Total int `json:"total"`
	}
	res, err := c.Do(context.Background(), http.MethodGet, "orders/delta/?channel=ipad&limit=1", nil, &page)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(res.StatusCode, page.Total)

	_, err = c.Do(context.Background(), http.MethodGet, "products/", nil, nil)
	fmt.Println(errors.Is(err, orderkit.ErrNotFound))
	// Output:
	// 200 1
	// true
}
