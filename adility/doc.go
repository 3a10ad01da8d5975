// Package adility is a client for the Order resource of the Adility
// Distribution API: consumer apps and plug-ins place orders for deals and
// gift cards and hand the returned vouchers to the buyer.
//
// # Construct
//
// The API key travels in the X-ADILITY-API-KEY header. Adility does not
// publish a production base URL, so WithBaseURL is required. The documented
// test host is plain http and needs an explicit opt-in, since the key would
// travel unencrypted:
//
//	c, err := adility.NewClient(apiKey,
//		adility.WithBaseURL(adility.TestBaseURL),
//		adility.WithInsecureHTTP(),
//		adility.WithFormat(adility.XML), // JSON is the default
//	)
//
// Both wire formats are complete: requests are sent and answers read in the
// client's format, with matching Content-Type and Accept headers.
//
// # Call
//
//	o, err := c.Orders.Place(ctx, &adility.PlaceRequest{
//		OrderNumber:  "shop-10042",   // unique: Adility refuses a repeat
//		CustomerName: "John Smith",
//		Items:        []adility.PlaceItem{{OfferID: offerID, Quantity: 2}},
//	})
//	for _, v := range o.Vouchers() {
//		fmt.Println(v.RedemptionCode, v.PrintURL)
//	}
//	o, err = c.Orders.Get(ctx, o.ID)
//	o, err = c.Orders.Cancel(ctx, o.ID)            // the order and all its vouchers
//	v, err := c.Vouchers.Cancel(ctx, offerID, voucherID) // one voucher
//
// Every method takes call options last: a header, retries, a timeout for
// the whole call, and the answer's metadata (status, headers, request id)
// on success and on failure:
//
//	var meta adility.Response
//	o, err = c.Orders.Get(ctx, id, adility.CallTimeout(5*time.Second),
//		adility.NoRetry(), adility.CaptureResponse(&meta))
//	log.Println(meta.RequestID)
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
// ErrInvalidArgument. Once sent, every failure is an *Error (status, method,
// URL, Adility's message, a body excerpt; never the API key) that matches
// the sentinels with errors.Is:
//
//	switch {
//	case errors.Is(err, adility.ErrPlacedUnreadable):     // placed, vouchers not readable by the API
//	case errors.Is(err, adility.ErrDuplicateOrderNumber): // that number was used before
//	case errors.Is(err, adility.ErrOutcomeUnknown):       // may have been placed: Resolve
//	case errors.Is(err, adility.ErrAlreadyCancelled):
//	case errors.Is(err, adility.ErrNotFound):
//	}
//
// Place is a POST and is not retried once it may have reached the server.
// Get and Cancel are retried on connection errors, 429 and 5xx.
//
// # A lost answer
//
// When the answer to a Place is lost, Place returns a *LostPlaceError
// (ErrOutcomeUnknown) holding the request. Resolve settles it, and may
// place the order doing so: the API reads orders only by id — no list, no
// search, nothing by order number — but it keeps order numbers unique, so
// unless the lost answer was a 2xx (then the order is placed and nothing is
// sent again), Resolve sends the same Place again, same number: it
// goes through (the lost one placed nothing; now the order exists once,
// with its vouchers), or it is refused as a duplicate (the lost one placed
// it). A refusal that names the order's id leads to it with Get; one that
// does not ends in a *PlacedError (ErrPlacedUnreadable): placed, but its
// vouchers are out of the API's reach — ask Adility by the order number.
//
//	o, err := c.Orders.Place(ctx, req)
//	if errors.Is(err, adility.ErrOutcomeUnknown) {
//		res, rerr := c.Orders.Resolve(ctx, err)
//		switch {
//		case rerr != nil: // the lookup failed too; Resolve again later
//		case res.State == adility.Created:
//			o = res.Order // with its vouchers, placed once
//		default: // res.Err() says what is known (errors.Is ErrPlacedUnreadable)
//		}
//	}
//
// The ResolveOutcome call option makes Place do this by itself, and
// PlaceRequest.Idempotent lets the pipeline resend a lost Place at once;
// both rely on the same unique number. Never resend under another number.
//
// Adility's error format is not published; the client reads JSON and XML
// bodies of the usual shapes ("error", "errors" as list or keyed by
// attribute, "message") and plain text into an *APIError (errors.As; Kind is
// ErrDuplicateOrderNumber, ErrAlreadyCancelled, ErrNotFound or nil), and,
// where the body names fields, a *ValidationError (ErrValidation) too.
//
// The package adilitytest is an in-memory fake of the API, for tests; serve
// it with httptest and point the client at it with
// WithBaseURL(adilitytest.BaseURL(srv.URL)).
package adility
