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
// Resolve never tells a caller it is safe to create again while the order
// exists, and never hands back another caller's order. It lists the
// orders created since the request was sent, on the shop's clock
// (GET /api/orders.json?created_at_min=…&include=items, paged by id to an
// empty page), and judges each:
//
//   - ours: it carries the reference as origin_id (and the origin_name
//     sent, when both carry one) — wherever its creation time lies;
//   - not ours: it carries another origin_id; or it carries none while
//     some listed order carries one (the shop keeps origin_id, so ours
//     would carry the reference); or its items differ from the request's
//     (quantities summed per product); or its creation time lies outside
//     the window;
//   - anything else may be ours: no reference was sent, or the shop shows
//     no origin_id on any order (null on every order, or no key), and the
//     items are the same (or were not listed).
//
// The Resolution is:
//
//   - one order ours: Created, Order is it (items included);
//   - several ours, or none ours and some that may be: Ambiguous, with the
//     Candidates. It never guesses, so without a reference (or in a shop
//     that shows no origin_id) a lost create is at best Ambiguous or
//     NotCreated, never Created;
//   - none either: NotCreated as of AsOf, the shop's time up to which the
//     lookup saw every order it wrote. SafeToResend when AsOf is at least
//     LostRequestWindow after the latest the send can have been on the
//     shop's clock: the one rule for the settle time and the lookup's
//     reach.
//
// The window starts 5 s before the send placed on the shop's clock: by the
// lost answer's Date header (stamped after the request arrived, before the
// call ended), else by the first lookup answer's Date (the shop's clock
// taken not to drift since), else — no Date at all — MaxClockSkew before
// the send by the client's clock, and then NotCreated is safe to resend
// only when the client's clock shows LostRequestWindow plus twice
// MaxClockSkew since the send. When the request set CreatedAt (the order
// date), the page does not say whether the shop keeps that date or the
// time of creation: a minute either side of it is searched too.
//
// The filter table words created_at_min "creation before date", the
// reverse of its name, and a shop may ignore it, or read its bounds
// exclusive. Before walking, one request with created_at_min far in the
// future (and, with CreatedAt, one with created_at_max in 2000) must list
// nothing: then the bounds are read by their names, inclusive or
// exclusive, and the window is walked; otherwise every order of the shop
// is walked, and the window applied here.
//
// What it assumes: references are unique (another order with the same
// origin_id and origin_name would be taken for ours); a shop that keeps
// origin_id keeps it on every order; a lost request is carried out within
// LostRequestWindow of its send or never; the shop's clock is within
// MaxClockSkew of the client's when no answer carries a Date, and does not
// drift between the create and the lookup otherwise.
//
// It costs one request per page of the window (MaxLimit orders, fewer when
// the shop caps its pages lower), plus the empty page that ends the walk,
// plus the one request (two with CreatedAt) that checks the bounds; as
// much again for the window around CreatedAt; and a walk of every order
// of the shop where the bounds are not read by their names.
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
