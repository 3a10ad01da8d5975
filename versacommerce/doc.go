// Package versacommerce is a client for the order resource of the
// VersaCommerce shop API: list orders with every documented filter, walk
// them all, count them, read one with its items, and create orders pushed
// from marketplaces or a POS.
//
// # Construct
//
// A client belongs to one shop and authenticates with the app's API key and
// password (HTTP basic auth):
//
//	c, err := versacommerce.NewClient("myshop", apiKey, apiPassword)
//
// It talks to the API root https://myshop.versacommerce.de/api; WithBaseURL
// takes another API root, such as a versacommercetest fake behind httptest
// (WithBaseURL(versacommercetest.BaseURL(srv.URL))). Options set
// retries, a rate limit, a logger and the HTTP client; NewClient refuses
// one it cannot use, naming it.
//
// # Call
//
//	open, err := c.Orders.List(ctx, &versacommerce.ListOptions{
//		Filter: versacommerce.Filter{
//			Status:       versacommerce.OrderStatusOpen,
//			CreatedAtMin: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
//		},
//		Include: []versacommerce.Include{versacommerce.IncludeItems},
//	})
//
//	for order, err := range c.Orders.All(ctx, &versacommerce.ListOptions{}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(order.Code, order.Total.Format(order.Currency))
//	}
//
// All pages by id and ends only on an empty page (a shop may answer fewer
// orders than the limit asked): every order that matches from the walk's
// start to its end is yielded exactly once, and a shop that ignores id_min
// ends the walk with an error (a *PagingError), never a loop or a gap.
// Amounts are money.Amount (exact decimals, never float64), times
// are UTC, and statuses are typed with a Status() mapping onto
// orderstate.Status. The decoder takes the API as it is: ids and zipcodes
// as numbers or strings, "cancelled" for "canceled", "€" for EUR.
//
// Every method takes call options last: a header, retries, a timeout, and
// the answer's metadata (status, headers, the shop's request id), kept on
// success and on failure:
//
//	var res versacommerce.Response
//	o, err := c.Orders.Get(ctx, 4711, versacommerce.NoRetry(), versacommerce.CaptureResponse(&res))
//	log.Println(res.StatusCode, res.RequestID)
//
// GetIncluding nests associations: c.Orders.GetIncluding(ctx, 4711,
// []versacommerce.Include{versacommerce.IncludeItems}).
//
// Create checks the required attributes before anything is sent. Give it a
// reference (sent as origin_id) and it can find its order again when the
// answer is lost:
//
//	order, err := c.Orders.Create(ctx, &versacommerce.OrderRequest{
//		PaymentType: versacommerce.PaymentTypeMisc,
//		PaymentCost: versacommerce.Amount(money.Zero),
//		…
//	}, versacommerce.Reference(marketplaceOrderID), versacommerce.ResolveOutcome())
//
// With ResolveOutcome a lost answer (a connection cut after sending, a 5xx,
// a cut-off 2xx) is resolved at once: Create lists the orders created since
// it sent (by the shop's clock) and returns the one with the reference, or
// an error matching ErrNotCreated (nothing found; OutcomeError says as of
// when, and whether sending again is safe) or ErrAmbiguous (several found;
// it never guesses). Without it the error matches ErrOutcomeUnknown and
// Resolve(ctx, err) does the same later, from the error alone.
//
// # Handle errors
//
// Every failure after sending is an *Error with the status, the shop's
// message and a body excerpt, never a credential. Branch with errors.Is:
//
//	switch {
//	case errors.Is(err, versacommerce.ErrNotFound):        // no such order
//	case errors.Is(err, versacommerce.ErrInvalidArgument): // refused before sending
//	case errors.Is(err, versacommerce.ErrValidation):      // the shop refused the attributes
//	case errors.Is(err, versacommerce.ErrNotCreated):      // looked up: not created
//	case errors.Is(err, versacommerce.ErrOutcomeUnknown):  // Create may have worked: Resolve it
//	}
//
// A refused Create carries the shop's field messages (the one
// orderkit.ValidationError shape of every orderkit client):
//
//	var ve *versacommerce.ValidationError
//	if errors.As(err, &ve) {
//		fmt.Println(ve.Fields["total"], ve.Field("billing_address.city"))
//	}
package versacommerce
