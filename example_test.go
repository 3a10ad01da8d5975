package orderkit_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
)

// A unit test of your own code puts httpmock on the transport of the
// http.Client it hands to the SDK, never on http.DefaultTransport; call
// options capture what the answer said.
func Example_httpmock() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", "https://api.attivita.de/api/products/p-1",
		func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(200, `{"_id": "p-1", "name": "office", "price": "149.99", "availableStock": 3}`)
			resp.Header.Set("Content-Type", "application/json")
			resp.Header.Set("X-Request-Id", "req-1")
			return resp, nil
		})
	mock.RegisterResponder("GET", "https://api.attivita.de/api/products/p-2",
		httpmock.NewStringResponder(404, `{"error": "Product not found"}`))

	c, err := attivita.NewClient("test-token", orderkit.WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	var meta orderkit.Response
	p, err := c.Products.Get(ctx, "p-1", orderkit.CaptureResponse(&meta))
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Name, p.Price.Format("EUR"), p.Price.FormatDE("€"), meta.StatusCode, meta.RequestID)

	_, err = c.Products.Get(ctx, "p-2")
	var e *orderkit.Error
	fmt.Println(errors.Is(err, orderkit.ErrNotFound), errors.As(err, &e) && e.Message == "Product not found")
	fmt.Println(mock.GetTotalCallCount(), "calls")
	// Output:
	// office 149.99 EUR 149,99 € 200 req-1
	// true true
	// 2 calls
}

// NewClient checks every option and names the one it cannot use.
func ExampleOption() {
	_, err := attivita.NewClient("token", orderkit.WithTimeout(0))
	fmt.Println(err)
	fmt.Println(errors.Is(err, orderkit.ErrInvalidArgument))
	// Output:
	// attivita: invalid argument: option 1: WithTimeout: 0s is not a positive duration
	// true
}
