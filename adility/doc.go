// Package adility is a client for the Order resource of the Adility
// Distribution API: consumer apps and plug-ins place orders for deals and
// gift cards and hand the returned vouchers to the buyer.
//
// The shared vocabulary (options, call options, errors, Resolution) is
// package orderkit's; this package holds what is Adility's own.
//
// # Construct
//
// The API key travels in the X-ADILITY-API-KEY header (WithHeader and
// CallHeader refuse that header). Adility does not publish a production
// base URL, so orderkit.WithBaseURL is required, with the API root. The
// documented test host is plain http and needs an explicit opt-in, since
// the key would travel unencrypted:
//
//	c, err := adility.NewClient(apiKey,
//		orderkit.WithBaseURL(adility.TestBaseURL),
//		orderkit.WithInsecureHTTP(),
//		adility.WithFormat(adility.XML), // JSON is the default
//	)
//
// Both wire formats are complete: requests are sent and answers read in the
// client's format, with matching Content-Type and Accept headers; XML
// answers may declare ISO-8859-1.
//
// # Call
//
//	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
//		OrderNumber:  "shop-10042", // unique: Adility refuses a repeat
//		CustomerName: "John Smith",
//		Items:        []adility.PlaceItem{{OfferID: offerID, Quantity: 2}},
//	})
//	for _, v := range o.Vouchers() {
//		fmt.Println(v.RedemptionCode, v.PrintURL)
//	}
//	o, err = c.Orders.Get(ctx, o.ID)
//	o, err = c.Orders.Cancel(ctx, o.ID)                         // the order and all its vouchers
//	v, err := c.Vouchers.Cancel(ctx, offerID, voucherID)        // one voucher
//	v, err = c.Vouchers.GetByRedemptionCode(ctx, advertiserID, code)
//
// Every id is an ID. Every method takes orderkit call options last: a
// header, retries, a timeout for the whole call, and the answer's metadata
// (status, headers, request id) on success and on failure:
//
//	var meta orderkit.Response
//	o, err = c.Orders.Get(ctx, id, orderkit.CallTimeout(5*time.Second),
//		orderkit.NoRetry(), orderkit.CaptureResponse(&meta))
//	log.Println(meta.RequestID)
//
// Only Place takes orderkit.ResolveOutcome; no method takes
// orderkit.Reference (the order number is in the request). Client.Do
// reaches what the client does not wrap.
//
// Answers are read whether or not they are wrapped in {"order": ...} or an
// outer XML element, ids and codes whether numbers or strings, lists whether
// arrays, single objects or null. Statuses are typed (OrderStatus,
// VoucherStatus) and OrderStatus maps onto orderstate.Status. Timestamps are
// time.Time in UTC; one in a layout that cannot be read is left zero rather
// than failing the answer, and kept as sent in Unknown. What the page leaves
// open is kept, not dropped: shipments (attributes unpublished) keep their
// fields and raw text, and undocumented attributes of orders, items and
// vouchers are kept in their Unknown maps.
//
// # Handle errors
//
// Place checks its request before sending and returns an error matching
// orderkit.ErrInvalidArgument. Once sent, every failure is an
// *orderkit.Error (status, method, URL, Adility's message, a body excerpt;
// never the API key) that matches the sentinels with errors.Is:
//
//	switch {
//	case errors.Is(err, adility.ErrPlacedUnreadable):     // placed, vouchers not readable by the API
//	case errors.Is(err, adility.ErrDuplicateOrderNumber): // that number was used before
//	case errors.Is(err, orderkit.ErrOutcomeUnknown):      // may have been placed: Resolve, PlaceAgain
//	case errors.Is(err, adility.ErrAlreadyCancelled):
//	case errors.Is(err, orderkit.ErrNotFound):
//	}
//
// Adility's error format is not published; the client reads JSON and XML
// bodies of the usual shapes ("error", "errors" as list or keyed by
// attribute, "message") and plain text into an *orderkit.APIError
// (errors.As; Kind is ErrDuplicateOrderNumber, ErrAlreadyCancelled,
// orderkit.ErrNotFound or nil), and, where the body names fields, an
// *orderkit.ValidationError (orderkit.ErrValidation) too. A 401 or 403
// never matches orderkit.ErrValidation.
//
// Place is a POST and is not retried once it may have reached the server,
// unless PlaceRequest.Idempotent is set; Get and Cancel are retried on
// connection errors, 429 and 5xx.
//
// # A lost answer
//
// When the answer to a Place is lost, Place returns an
// *orderkit.LostCreateError (orderkit.ErrOutcomeUnknown) whose Request is
// the *PlaceRequest and whose Reference is its order number. The API reads
// orders only by id — no list, no search, nothing by order number — but it
// keeps order numbers unique per distributor. Two methods settle a lost
// Place:
//
//   - Resolve only reads, and never sends a Place. What arrived of a cut
//     2xx answer may name the order: Get reads it (its number checked) and
//     the Resolution is Created. A 2xx that names none proves the order
//     placed, out of the API's reach: Unresolvable with a *PlacedError
//     (ErrPlacedUnreadable). Otherwise nothing tells, and the Resolution is
//     Unresolvable with the lost Place as its Cause. Resolve never reports
//     NotCreated (nothing it can read proves an order absent), never sends
//     a POST, and answers Created only with the order Get read under the
//     lost call's own order number. Given a *PlacedError whose refusal
//     named the order, it reads it the same way. orderkit.ResolveOutcome
//     makes Place run it by itself.
//
//   - PlaceAgain sends the very request again, same order number (never
//     another), and may place the order: it goes through (the lost one
//     placed nothing; now the order exists once, with its vouchers), or it
//     is refused as a duplicate (the lost one placed it). A refusal that
//     names the order's id leads to it with Get. The refusal's format is
//     unpublished; an id is read from "order_id" (or "order": {"id"}) at
//     the top of a JSON refusal, inside its "error" object
//     ({"error": {"message", "code", "order_id"}}) or its "errors" object
//     or list, and from an <order_id> element anywhere in an XML one. One
//     that names none ends in a *PlacedError (ErrPlacedUnreadable): placed,
//     but its vouchers are out of the API's reach — ask Adility by the
//     order number. It sends
//     nothing after a 2xx or for a *PlacedError. A refusal for another
//     reason (an offer sold out since) proves nothing either way
//     (orderkit.ErrUnresolvable).
//
//     o, err := c.Orders.Place(ctx, req)
//     if errors.Is(err, orderkit.ErrOutcomeUnknown) {
//     res, rerr := c.Orders.Resolve(ctx, err) // reads only
//     switch {
//     case rerr != nil: // the lookup failed: Resolve again later
//     case res.State == orderkit.Created:
//     o = res.Order
//     case errors.Is(res.Err(), adility.ErrPlacedUnreadable):
//     // placed; ask Adility by the order number
//     default:
//     o, err = c.Orders.PlaceAgain(ctx, res.Err()) // same number: never placed twice
//     }
//     }
//
// Sending the same Place again is safe because the uniqueness is the
// server's: however many copies arrive, and in whatever order (the lost
// request itself may still arrive late), at most one order gets the number.
// What it cannot tell apart is an order number used before by another
// order: use fresh numbers. PlaceRequest.Idempotent lets the pipeline resend
// a lost Place at once, on the same ground.
//
// The package adilitytest is an in-memory fake of the API, for tests; serve
// it with httptest and point the client at it with
// orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)), or use its Transport.
package adility
