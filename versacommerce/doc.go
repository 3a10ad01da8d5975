// Package versacommerce is a client for the order resource of the
// VersaCommerce shop API: list orders with every documented filter, walk
// them all, count them, read one with its items and payments, and create
// orders pushed from marketplaces or a POS. The shared vocabulary (options,
// call options, errors, Response, Resolution, LostCreateError) is package
// orderkit's; this package holds what is VersaCommerce's own.
//
// # Construct
//
// A client belongs to one shop and authenticates with the app's API key and
// password (HTTP basic auth):
//
//	c, err := versacommerce.NewClient("myshop", apiKey, apiPassword)
//
// It talks to the API root https://myshop.versacommerce.de/api;
// orderkit.WithBaseURL takes another API root, such as a versacommercetest
// fake behind httptest (orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL))).
// The options of package orderkit set retries, a rate limit, a logger and
// the HTTP client; NewClient refuses one it cannot use, naming it.
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
// Every id of the API is an ID, a whole number the API sends as a number
// or a string. Amounts are money.Amount (exact decimals, never float64),
// quantities int, times UTC, and statuses are typed with a Status()
// mapping onto orderstate.Status. The decoder takes the API as it is: ids
// and zipcodes as numbers or strings, "cancelled" for "canceled", "€" for
// EUR, answers with or without their root element ({"order": …}).
//
// Every method takes call options last: a header, retries, a timeout, and
// the answer's metadata (status, headers, the shop's request id), kept on
// success and on failure:
//
//	var res orderkit.Response
//	o, err := c.Orders.Get(ctx, 4711, &versacommerce.GetOptions{Include: []versacommerce.Include{versacommerce.IncludeItems}},
//		orderkit.NoRetry(), orderkit.CaptureResponse(&res))
//	log.Println(res.StatusCode, res.RequestID)
//
// Client.Do reaches endpoints the SDK does not wrap (an order's shipments,
// GET /api/orders/:id/shipments.json, whose fields the vendor does not
// document) through the same auth, limits, retries and redaction.
//
// # What All promises
//
// All walks every order matching its options in ascending id order, page
// by page as the loop asks for them: every order that matches from the
// walk's start to its end is yielded exactly once, and the walk ends after
// at most one request per yielded order plus one. Orders created while it
// walks have higher ids and may or may not be yielded (set IDMax to leave
// them out); an order deleted, or changed so that it no longer matches,
// may or may not be yielded.
//
// It pages by id (id_min just above the last order seen), never by offset,
// and ends on an empty page (or once id_max is reached), never on a short
// one: a shop may answer fewer orders than the limit asked although more
// follow. It checks on every page that the orders come in ascending id
// order, each with a positive id at least the id_min asked for (and at
// most id_max); a page that breaks this — the same page again, ids not
// increasing, an id below id_min: a shop that ignores id_min — ends the
// walk with an error matching orderkit.ErrInvalidResponse that holds a
// *PagingError, so an order is never skipped or yielded twice and the
// walk never loops. A page longer than the limit asked (a shop that
// ignores limit) is read as it is.
//
// # Create and lost answers
//
// Create checks the required attributes before anything is sent. Give it
// a reference (orderkit.Reference, sent as origin_id) and it can find its
// order again when the answer is lost:
//
//	order, err := c.Orders.Create(ctx, &versacommerce.OrderRequest{
//		PaymentType: versacommerce.PaymentTypeMisc,
//		PaymentCost: versacommerce.Amount(money.Zero),
//		…
//	}, orderkit.Reference(marketplaceOrderID), orderkit.ResolveOutcome())
//
// Create is a POST and is never retried once the shop may have received
// it. When its answer is lost (a connection cut after sending, a 5xx, an
// unreadable or empty 2xx) the error is an *orderkit.LostCreateError
// (matching orderkit.ErrOutcomeUnknown): Request is the *OrderRequest
// Create took, Reference the origin_id sent (the Reference call option, or
// OrderRequest.OriginID), SentAt, EndedAt and ServerDate the clocks a
// lookup needs. OrdersService.Resolve(ctx, err) finds out what happened;
// with orderkit.ResolveOutcome, Create does so itself and returns the order
// it made, or an *orderkit.OutcomeError. The lookups take the call's
// header, retries and timeout; CaptureResponse keeps the create's own
// answer (or none, when it was lost).
//
// # What Resolve proves
//
// Resolve lists the orders created since the request was sent, by the
// shop's clock (GET /api/orders.json?created_at_min=…&include=items, paged
// by id; with the note filter when the request had no reference), and
// keeps those carrying the request's reference as origin_id (and its
// origin_name, when set):
//
//   - one: State Created, Order is it (items included);
//   - none: State NotCreated as of AsOf, the shop's time of the last
//     answer; SafeToResend when AsOf is LostRequestWindow or more after the
//     send;
//   - several: State Ambiguous with the Candidates; it never guesses.
//
// A request without a reference and without a note cannot be told apart
// from other orders: State Unresolvable. So is a lookup by reference that
// finds orders created since the send none of which carries the origin_id
// key at all: the page documents origin_id as a create attribute but shows
// no listed order with it, and a shop that does not echo it cannot say
// which order is ours; so is one whose only order with the reference
// comes without the origin_name sent. So is a lookup that finds none where
// the shop does not read created_at_min by its name: the page's table
// words it "creation before date", and a shop that reads it so lists only
// older orders (or none). Listed orders outside the window asked for (or
// without a creation time) show that, and so does an order created since
// the send in the answer to created_at_max at the window's start. When the
// request set CreatedAt (the order date), the page does not say whether
// the shop stamps that date or the time of creation: the lookup searches a
// minute either side of that date and since the send, and identical
// orders with that date are Ambiguous.
//
// It costs one request per page of the orders created since the send
// (MaxLimit orders, fewer when the shop caps its pages lower), plus one
// (the empty page that ends the walk), plus one before concluding
// NotCreated (that created_at_max request, limit 1), as much again for the
// window around CreatedAt when it is set, and the walk again when the
// shop's clock turns out to be more than 15 minutes behind and no Date
// header came with the lost answer.
//
// # Handle errors
//
// Every failure after sending is an *orderkit.Error with the status, the
// shop's message and a body excerpt, never a credential. Branch with
// errors.Is on the sentinels of package orderkit:
//
//	switch {
//	case errors.Is(err, orderkit.ErrNotFound):        // no such order
//	case errors.Is(err, orderkit.ErrUnauthorized):    // wrong API key or password
//	case errors.Is(err, orderkit.ErrInvalidArgument): // refused before sending
//	case errors.Is(err, orderkit.ErrUnreachable):     // never reached the shop: safe to send again
//	case errors.Is(err, orderkit.ErrValidation):      // the shop refused the attributes
//	case errors.Is(err, orderkit.ErrNotCreated):      // looked up: not created
//	case errors.Is(err, orderkit.ErrOutcomeUnknown):  // Create may have worked: Resolve it
//	}
//
// A refused Create (the shop's {"errors": {"field": [...]}}, usually 422)
// carries the shop's field messages as an *orderkit.ValidationError; a 401
// or 403 never does, whatever its body:
//
//	var ve *orderkit.ValidationError
//	if errors.As(err, &ve) {
//		fmt.Println(ve.Fields["total"], ve.Field("billing_address.city"))
//	}
package versacommerce
