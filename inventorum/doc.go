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
// # Handle errors
//
// Every failure after sending is an *Error (status, method, URL without
// query, the API's message, a body excerpt) and matches the sentinels with
// errors.Is: ErrNotFound, ErrUnauthorized, ErrRateLimited, ErrServer,
// ErrInvalidResponse, and ErrInvalidArgument for a call refused before
// sending. A basket POST is never retried once it may have reached the
// server; when its outcome is unknown the error matches ErrOutcomeUnknown:
// look the order up before creating it again. The API's validation answer
// is a *ValidationError with the messages per field:
//
//	_, err := c.Basket.Create(ctx, req)
//	var ve *inventorum.ValidationError
//	switch {
//	case errors.As(err, &ve):
//		log.Print(ve.Fields["items"])
//	case errors.Is(err, inventorum.ErrOutcomeUnknown):
//		// check the delta feed (API version < 12 shows pending orders)
//	}
//
// No access token, refresh token or client secret appears in an error or a
// log line. Package inventorumtest is an in-memory fake of the API for
// tests; serve it with httptest and point the client at it with
// WithBaseURL(inventorumtest.BaseURL(srv.URL)).
package inventorum
