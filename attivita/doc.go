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
// Every method takes call options last: a header, retries, a timeout, the
// answer's metadata (status, headers, request id), sandbox mode for one
// call:
//
//	var meta attivita.Response
//	order, err := c.Orders.Get(ctx, 1001, attivita.CaptureResponse(&meta), attivita.CallTimeout(5*time.Second))
//	log.Println(meta.StatusCode, meta.RequestID)
//
// Sandbox mode can be switched for one call with Sandbox(true) or
// ContextWithSandbox(ctx, true) (or false, to leave a sandbox client for
// one real call).
//
// # Lost answers
//
// Orders.Create is never sent twice. When its answer is lost (the
// connection ends after sending, a 5xx, a 2xx that cannot be read) the
// order may exist, and the error matches ErrOutcomeUnknown. Attivita takes
// no idempotency key, so the client finds the order in the order list by
// what was asked (the amount of each product) and when (the order date in
// the window of the lost call, on the server's clock as the Date headers
// show it), leaving out the orders this client already knows another
// create made. Resolve does that from the error alone; the ResolveOutcome
// call option makes Create do it by itself:
//
//	order, err := c.Orders.Create(ctx, products, attivita.ResolveOutcome())
//	switch {
//	case errors.Is(err, attivita.ErrNotCreated): // not placed; see Resolution.SafeToResend
//	case errors.Is(err, attivita.ErrAmbiguous): // identical orders in the same seconds: never guessed
//	case errors.Is(err, attivita.ErrOutcomeUnknown): // the lookup failed too; Resolve(ctx, err) later
//	}
//
// or, by hand:
//
//	if errors.Is(err, attivita.ErrOutcomeUnknown) {
//		r, lookupErr := c.Orders.Resolve(ctx, err)
//		// r.State: Created (r.Order, keys included), NotCreated (r.AsOf,
//		// r.SafeToResend) or Ambiguous (r.Candidates)
//	}
//
// Webhooks.Create is resolved the same way (by url and events); the
// webhook found comes without its secret, which only the lost answer held.
//
// # Handle errors
//
// A refused call is an *Error (status, method, URL, the API's message and
// code, request id and the answer's metadata). Branch with errors.Is on the shared sentinels (ErrNotFound,
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
//	case errors.Is(err, attivita.ErrValidation):
//		var ve *attivita.ValidationError // orderkit's one shape: Fields["products[0].amount"]
//		errors.As(err, &ve)
//	case errors.Is(err, attivita.ErrOutcomeUnknown):
//		// the order may have been placed: Resolve before buying again
//	}
//
// The codes that have no richer detail (ACCOUNT_SUSPENDED,
// CREDIT_LIMIT_EXCEEDED, the inactive account) come as an *APIError
// (orderkit.APIError): attivita.Code(apiErr.Code) compares with the Code
// constants, apiErr.Kind is the sentinel.
//
// The pipeline retries GETs and the webhook PATCH, but a POST only when the
// server surely did not act on it.
//
// Money is money.Amount (exact decimals); a price that is missing, null or
// unreadable is a decoding error, never a zero.
//
// The webhook secret returned by Webhooks.Create is a Secret, which prints,
// logs and marshals as "[REDACTED]"; call Reveal to store it.
package attivita
