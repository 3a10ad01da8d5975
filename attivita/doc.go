// Package attivita is a client for the Attivita reseller API: products with
// customer prices and stock, orders that hand out licence keys (bundles
// grouped by licence pool), sandbox mode and webhooks. The shared
// vocabulary (options, call options, errors, Resolution) is package
// orderkit's; this package holds what is Attivita's own.
//
// # Construct
//
// A client needs the API access token Attivita support issues. It takes the
// shared options of package orderkit and its own WithSandbox, which sends
// every request in sandbox mode (X-Sandbox-Mode: true), so orders cost
// nothing and carry dummy keys:
//
//	c, err := attivita.NewClient(os.Getenv("ATTIVITA_TOKEN"),
//		attivita.WithSandbox(), orderkit.WithRetry(3, time.Second, 30*time.Second))
//
// orderkit.WithBaseURL takes the API root, as DefaultBaseURL is one
// ("https://api.attivita.de/api"); nothing is appended to it. For tests,
// the attivitatest package is an in-memory fake of the API:
//
//	fake := attivitatest.NewServer()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, err := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)))
//
// # Call
//
// Resources are services on the client; methods take the context, path
// ids, a request or options struct by pointer, then call options:
//
//	products, err := c.Products.List(ctx, &attivita.ListProductsOptions{Region: attivita.RegionDACH})
//	for _, p := range products {
//		fmt.Println(p.DisplayName, p.Price.Format("EUR"), p.AvailableStock) // "100+" at the cap
//	}
//	order, err := c.Orders.Create(ctx, &attivita.OrderRequest{
//		Products: []attivita.OrderProduct{{ProductID: products[0].ID, Amount: 1}},
//	})
//	for _, it := range order.Items {
//		for _, g := range it.KeysByPool() { // one group per licence pool for bundles
//			fmt.Println(g.PoolName, g.Keys)
//		}
//	}
//
// Orders are named by their OrderNumber (an integer, as the API sends it);
// products, licence pools and webhooks by an ID (a string). Quantities are
// ints.
//
// Every method takes call options last: the shared ones of package
// orderkit (a header, retries, a timeout, the answer's metadata) and
// Sandbox, which switches sandbox mode on or off for one call, whatever
// the client's mode:
//
//	var meta orderkit.Response
//	order, err := c.Orders.Get(ctx, 1001, orderkit.CaptureResponse(&meta), attivita.Sandbox(true))
//	log.Println(meta.StatusCode, meta.RequestID)
//
// A call option a method does not take (orderkit.Reference anywhere, since
// Attivita stores no reference of the caller's; orderkit.ResolveOutcome
// except on creates) fails the call before sending with an error matching
// orderkit.ErrInvalidArgument. The X-Sandbox-Mode header is the client's to
// write: orderkit.WithHeader and orderkit.CallHeader refuse it. Client.Do
// reaches the endpoints the SDK does not wrap through the same pipeline.
//
// # Lost answers
//
// Orders.Create is never sent twice. When its answer is lost (the
// connection ends after sending, a 5xx, a 2xx that cannot be read or holds
// neither an order number nor a line) the order may exist: the error is a
// *orderkit.LostCreateError, matching orderkit.ErrOutcomeUnknown, whose
// Request is the *OrderRequest Create took. Attivita takes no idempotency
// key, so the client finds the order in the order list by what was asked
// (the amount of each product, lines of one product added up) and when
// (the order date in the window of the lost call, on the server's clock as
// the Date headers of the lost answer, of the client's last answer before
// it and of the lookup show it; where they disagree the window spans them
// all), in the mode the lost call went out in. Orders.Resolve does that
// from the error alone; the orderkit.ResolveOutcome call option makes
// Create do it by itself, with the same call options:
//
//	order, err := c.Orders.Create(ctx, req, orderkit.ResolveOutcome())
//	switch {
//	case errors.Is(err, orderkit.ErrNotCreated): // not placed; see Resolution.SafeToResend
//	case errors.Is(err, orderkit.ErrAmbiguous): // identical orders in the same seconds: never guessed
//	case errors.Is(err, orderkit.ErrOutcomeUnknown): // the lookup failed too; Resolve(ctx, err) later
//	}
//
// or, by hand:
//
//	if errors.Is(err, orderkit.ErrOutcomeUnknown) {
//		r, lookupErr := c.Orders.Resolve(ctx, err)
//		// r.State: Created (r.Order, keys included), NotCreated (r.AsOf,
//		// r.SafeToResend) or Ambiguous (r.Candidates)
//	}
//
// What a Resolution proves:
//
//   - Created: exactly one order of the lost call's mode matches, dated in
//     the window. An order listed without a date cannot be told from an
//     older identical one: a single such match is Ambiguous.
//   - NotCreated: no order matches as of AsOf (the server's time of the
//     lookup). SafeToResend is true once SettleTime has passed since the
//     lost call: an order still being written has appeared by then.
//   - Ambiguous: several orders match (identical orders placed in the same
//     seconds), Candidates holds them; Resolve never picks one.
//
// A sandbox lookup takes only the orders the list marks as sandbox orders
// (status "sandbox-completed" or a sandboxNotice), a live one only live
// orders: a live order is never reported as the sandbox's. An order this
// client's Create returned (answered, or found by ResolveOutcome) is never
// a candidate, so an identical order placed a moment before the lost one
// is not taken for it. While another Create of this client with the same
// products in the same mode waits for its answer, a single match may be
// that call's order: the State is then Ambiguous. So it is when the single
// match is an order Resolve found for another lost call of this client;
// resolving the same lost call again (the same products, mode and SentAt)
// finds the same order. A client other than the one that made the calls
// knows none of this, and may answer Ambiguous or take such an order.
//
// The error carries the client's own record (Evidence: the mode, the clock
// skew last seen, a copy of what was sent). A LostCreateError rebuilt by
// the caller from stored fields (API, Request, SentAt, EndedAt) has none:
// Resolve then reads it in the mode of its Sandbox call option, else the
// client's. A Sandbox option that contradicts the Evidence is refused.
//
// Webhooks.Create is resolved the same way (by url and events, its
// Request a *WebhookParams); the webhook found comes without its secret,
// which only the lost answer held.
//
// # Handle errors
//
// A refused call is an *orderkit.Error (status, method, URL, the API's
// message and code, request id and the answer's metadata). Branch with
// errors.Is on the shared sentinels of package orderkit (ErrNotFound,
// ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrUnreachable,
// ErrValidation, ...) and on Attivita's codes (ErrCreditLimitExceeded,
// ErrProductNotAvailable, ErrAccountSuspended, ErrAccountNotActive,
// ErrInsufficientStock), and use errors.As for the details:
//
//	var short *attivita.InsufficientStockError
//	switch {
//	case errors.As(err, &short):
//		// short.Items: every product with requested and available quantity
//	case errors.Is(err, attivita.ErrCreditLimitExceeded):
//	case errors.Is(err, orderkit.ErrValidation):
//		var ve *orderkit.ValidationError // Fields["products[0].amount"]
//		errors.As(err, &ve)
//	case errors.Is(err, orderkit.ErrOutcomeUnknown):
//		// the order may have been placed: Resolve before buying again
//	}
//
// The codes that have no richer detail (ACCOUNT_SUSPENDED,
// CREDIT_LIMIT_EXCEEDED, the inactive account) come as an
// *orderkit.APIError: attivita.Code(apiErr.Code) compares with the Code
// constants, apiErr.Kind is the sentinel. A 401 or 403 matches
// orderkit.ErrUnauthorized or orderkit.ErrForbidden, never ErrValidation.
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
