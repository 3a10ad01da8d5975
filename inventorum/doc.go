// Package inventorum is a client for the Inventorum orders and basket API:
// the delta feed of orders created or modified since a time, the order
// list by date range, and basket checkout. Retailers use it to mirror
// every POS, shop and marketplace order into an ERP or bookkeeping.
//
// # Construct
//
// With a fixed access token:
//
//	c, err := inventorum.NewClient(os.Getenv("INVENTORUM_TOKEN"))
//
// Or with OAuth2 refresh: access tokens live 24 hours and every refresh
// rotates the refresh token, so the client refreshes before expiry (and
// once after a 401) and hands each new token to OnRefresh, which must store
// it:
//
//	c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
//		ClientID: id, ClientSecret: secret,
//		Token:     inventorum.Token{RefreshToken: stored},
//		OnRefresh: func(ctx context.Context, t inventorum.Token) error { return save(t.RefreshToken) },
//	})
//
// Every request sends "X-Api-Version: 12" (WithAPIVersion changes it
// within 3–12) and waits on a client-side limit of 20 requests per second,
// the published limit (WithRateLimit or WithLimiter replace it).
//
// # Call
//
// Sync is the job most users run: it walks the delta feed of every channel
// from a checkpoint, yields each order version at least once (see Sync for
// exactly what is promised and under which readings of the vendor page)
// and advances the checkpoint past the orders the loop has finished with.
// Store the checkpoint and pass it to the next run:
//
//	cp, err := inventorum.LoadCheckpoint("inventorum-checkpoint.json") // missing: first run
//	for o, err := range c.Orders.Sync(ctx, &cp, inventorum.SyncOptions{}) {
//		if err != nil {
//			break // cp holds what was consumed; store it and retry later
//		}
//		if err := book(o); err != nil {
//			break // o was not consumed: the next run delivers it again
//		}
//	}
//	err = inventorum.SaveCheckpoint("inventorum-checkpoint.json", &cp) // atomic
//
// The single calls are there too: Orders.Delta and Orders.List return a
// page, Orders.DeltaAll and Orders.All iterate over every page, and
// Basket.Create creates a basket (a pending order). Options are checked
// before anything is sent.
//
// Every method takes call options last: a header, retries, a deadline for
// the one call, and the answer's metadata (status, headers, the request id
// x-rid for a support ticket), on success and on failure:
//
//	var meta inventorum.Response
//	p, err := c.Orders.Delta(ctx, inventorum.DeltaOptions{Channel: inventorum.ChannelShop},
//		inventorum.CallTimeout(10*time.Second), inventorum.CaptureResponse(&meta))
//	log.Println(meta.RequestID)
//
// # Handle errors
//
// Every failure after sending is an *Error (status, method, URL without
// query, the API's message, a body excerpt, the request id) and matches the
// sentinels with errors.Is: ErrNotFound, ErrUnauthorized, ErrRateLimited,
// ErrServer, ErrInvalidResponse, and ErrInvalidArgument for a call refused
// before sending. The API's validation answer is a *ValidationError
// (matching ErrValidation) with the messages per field:
//
//	var ve *inventorum.ValidationError
//	if errors.As(err, &ve) {
//		log.Print(ve.Message, ve.Fields["items"])
//	}
//
// # Lost answers
//
// A basket POST is never retried once it may have reached the server.
// When its answer is lost (the connection broke after sending, a 5xx, a
// cut-off 2xx), the error matches ErrOutcomeUnknown and is a
// *LostBasketError that records the request, when it was sent and the
// server's clock. Basket.Resolve takes that error and looks the order up
// in the delta feed; with the ResolveOutcome call option Create does it by
// itself. Give the basket a reference of your own (Reference, written into
// note_internal) and the lookup matches on it; without one it matches on
// customer, notes and items among the orders created while the call ran,
// and reports two alike as ambiguous rather than guess:
//
//	res, err := c.Basket.Create(ctx, req, inventorum.Reference(orderNo), inventorum.ResolveOutcome())
//	switch {
//	case err == nil:
//		// created: res.ID (res.Order is set when found by the lookup)
//	case errors.Is(err, inventorum.ErrNotCreated):
//		// not created as of the lookup; resend when SafeToResend says so
//	case errors.Is(err, inventorum.ErrOutcomeUnknown):
//		// ambiguous, or the lookup failed: Basket.Resolve(ctx, err) later
//	}
//
// No access token, refresh token or client secret appears in an error or a
// log line. Package inventorumtest is an in-memory fake of the API for
// tests, with the faults every orderkit fake offers (FailNext,
// DropNextAfterActing, TruncateNextAfterActing, ...); serve it with
// httptest and point the client at it with
// WithBaseURL(inventorumtest.BaseURL(srv.URL)).
package inventorum
