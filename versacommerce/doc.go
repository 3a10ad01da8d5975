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
// It talks to https://myshop.versacommerce.de/api; WithBaseURL points it
// elsewhere, such as a versacommercetest fake behind httptest
// (WithBaseURL(versacommercetest.BaseURL(srv.URL))). Options set
// retries, a rate limit, a logger and the HTTP client.
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
// All pages by id, so orders created while it runs are neither skipped nor
// repeated. Amounts are money.Amount (exact decimals, never float64), times
// are UTC, and statuses are typed with a Status() mapping onto
// orderstate.Status. The decoder takes the API as it is: ids and zipcodes
// as numbers or strings, "cancelled" for "canceled", "€" for EUR.
//
// Create checks the required attributes before anything is sent:
//
//	order, err := c.Orders.Create(ctx, &versacommerce.OrderRequest{
//		PaymentType: versacommerce.PaymentTypeMisc,
//		PaymentCost: versacommerce.Amount(money.Zero),
//		…
//	})
//
// # Handle errors
//
// Every failure after sending is an *Error with the status, the shop's
// message and a body excerpt, never a credential. Branch with errors.Is:
//
//	switch {
//	case errors.Is(err, versacommerce.ErrNotFound):        // no such order
//	case errors.Is(err, versacommerce.ErrInvalidArgument): // refused before sending
//	case errors.Is(err, versacommerce.ErrOutcomeUnknown):  // Create may have worked: look it up
//	}
//
// A refused Create carries the shop's field messages:
//
//	var ve *versacommerce.ValidationError
//	if errors.As(err, &ve) {
//		fmt.Println(ve.Fields["total"])
//	}
package versacommerce
