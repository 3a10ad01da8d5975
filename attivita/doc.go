// Package attivita is a client for the Attivita reseller API: products with
// customer prices and stock, orders that hand out licence keys (bundles
// grouped by licence pool), sandbox mode and webhooks.
//
// # Construct
//
// A client needs the API access token Attivita support issues. WithSandbox
// sends X-Sandbox-Mode: true on every request, so orders cost nothing and
// carry dummy keys:
//
//	c, err := attivita.NewClient(os.Getenv("ATTIVITA_TOKEN"), attivita.WithSandbox())
//
// For tests, the attivitatest package is an in-memory fake of the API:
//
//	fake := attivitatest.NewServer()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, err := attivita.NewClient(attivitatest.Token, attivita.WithBaseURL(attivitatest.BaseURL(srv.URL)))
//
// # Call
//
//	products, err := c.Products.List(ctx, &attivita.ListProductsOptions{Region: attivita.RegionDACH})
//	for _, p := range products {
//		fmt.Println(p.DisplayName, p.Price.Format("EUR"), p.AvailableStock) // "100+" at the cap
//	}
//	order, err := c.Orders.Create(ctx, []attivita.OrderProduct{{ProductID: products[0].ID, Amount: 1}})
//	for _, it := range order.Items {
//		for _, g := range it.KeysByPool() { // one group per licence pool for bundles
//			fmt.Println(g.PoolName, g.Keys)
//		}
//	}
//
// Sandbox mode can be switched for one call with ContextWithSandbox(ctx,
// true) (or false, to leave a sandbox client for one real call).
//
// # Handle errors
//
// A refused call is an *Error (status, method, URL, the API's message and
// code). Branch with errors.Is on the shared sentinels (ErrNotFound,
// ErrUnauthorized, ErrForbidden, ErrRateLimited, ...) and on Attivita's
// codes (ErrCreditLimitExceeded, ErrProductNotAvailable,
// ErrAccountSuspended, ErrAccountNotActive, ErrInsufficientStock,
// ErrValidation), and use errors.As for the details:
//
//	var short *attivita.InsufficientStockError
//	switch {
//	case errors.As(err, &short):
//		// short.Items: every product with requested and available quantity
//	case errors.Is(err, attivita.ErrCreditLimitExceeded):
//	case errors.Is(err, attivita.ErrOutcomeUnknown):
//		// the order may have been placed: list the orders before buying again
//	}
//
// Orders.Create is never sent twice: the pipeline retries GETs and the
// webhook PATCH, but a POST only when the server surely did not act on it.
//
// Money is money.Amount (exact decimals); a price that is missing, null or
// unreadable is a decoding error, never a zero.
//
// The webhook secret returned by Webhooks.Create is a Secret, which prints,
// logs and marshals as "[REDACTED]"; call Reveal to store it.
package attivita
