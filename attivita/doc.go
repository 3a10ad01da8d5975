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
// (the order's date, on the server's clock as the Date headers of the lost
// answer, of the client's last answer before it and of the lookup show
// it), in the mode the lost call went out in. Orders.Resolve does that
// from the error alone; the orderkit.ResolveOutcome call option makes
// Create do it by itself, at once, with the same call options:
//
//	order, err := c.Orders.Create(ctx, req, orderkit.ResolveOutcome())
//	switch {
//	case errors.Is(err, orderkit.ErrNotCreated): // not placed, safe to send again
//	case errors.Is(err, orderkit.ErrAmbiguous): // cannot tell (yet): never guessed
//	case errors.Is(err, orderkit.ErrOutcomeUnknown): // the lookup failed too; Resolve(ctx, err) later
//	}
//
// or, by hand:
//
//	if errors.Is(err, orderkit.ErrOutcomeUnknown) {
//		r, lookupErr := c.Orders.Resolve(ctx, err)
//		// r.State: Created (r.Order, keys included), NotCreated (r.AsOf,
//		// SafeToResend) or Ambiguous (r.Candidates, possibly none)
//	}
//
// The rule is one: the server writes an order (lists and dates it) no
// later than SettleTime after its create's connection ended. So the lost
// call's order is dated between SentAt − 2 s and EndedAt + SettleTime + 2 s
// on the server's clock (the window), and a lookup that runs SettleTime
// after EndedAt (on the client's clock) sees it if it exists. An
// identical order dated after the window, up to the lookup, is still a
// candidate: it may be the lost call's written late as well as another
// client's. What a Resolution proves:
//
//   - Created: exactly one candidate, and it is dated in the window, of
//     the lost call's mode, and no other call of this client can have
//     made it. Only a Date header places the window: with none in any
//     answer, the server's clock is unknown and a match is never taken.
//   - NotCreated: the lookup ran SettleTime or more after the lost call,
//     in a list that shows orders of the lost call's kind, and found no
//     candidate as of AsOf. SafeToResend is then always true. Earlier, a
//     lookup that finds nothing is Ambiguous with no candidates: resolve
//     again once SettleTime has passed. So a Create with
//     orderkit.ResolveOutcome, which looks at once, never answers
//     ErrNotCreated.
//   - Ambiguous: anything else: several candidates, one that cannot be
//     taken (undated, dated after the window, possibly a live order, or
//     possibly another call's of this client), or none in a lookup that
//     cannot prove the order absent. Resolve never picks one.
//
// An identical order another client places inside the window cannot be
// told from the lost call's: where the lost call made none, Resolve takes
// it for the lost one. Attivita offers nothing to tell them apart.
//
// Sandbox orders: a sandbox lookup lists the orders in sandbox mode. Where
// the list marks sandbox orders (status "sandbox-completed" or a
// sandboxNotice), an order it does not mark is taken for a live one (a
// server treats its sandbox orders alike). Where it marks none, the
// lookup lists the live orders too: an order the live list does not hold
// is the sandbox's (Order.Sandbox is then set); one it holds may be live
// and is never taken. A sandbox list that shows no sandbox order at all
// proves nothing absent: a server may not list sandbox orders, so the
// lookup is then Ambiguous, never NotCreated. A live lookup takes only
// orders not marked as sandbox orders.
//
// Dates: an orderDate without an offset is read as Berlin time (see
// Order.OrderDate); in the hour Berlin's clocks go back it names two
// instants, and such a match is never taken.
//
// An order this client's Create returned (answered, or found by
// ResolveOutcome) is never a candidate, so an identical order placed a
// moment before the lost one is not taken for it. While another Create
// of this client with the same products in the same mode waits for its
// answer, a match may be that call's order: it is never taken. Nor is an
// order Resolve found for another lost call of this client; resolving the
// same lost call again (the same products, mode and SentAt) finds the
// same order. A client other than the one that made the calls knows none
// of this, and may answer Ambiguous or take such an order.
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
