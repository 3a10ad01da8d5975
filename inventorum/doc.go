// Package inventorum is a client for the Inventorum orders and basket API:
// the delta feed of orders created or modified since a time, the order
// list by date range, and basket checkout. Retailers use it to mirror
// every POS, shop and marketplace order into an ERP or bookkeeping.
//
// The shared vocabulary (options, call options, errors, the lost-create
// error, Resolution) is package orderkit's; this package holds what is
// Inventorum's own: its client, types, WithAPIVersion and
// ErrInconsistentFeed.
//
// # Construct
//
// With a fixed access token:
//
//	c, err := inventorum.NewClient(os.Getenv("INVENTORUM_TOKEN"),
//		orderkit.WithTimeout(30*time.Second), orderkit.WithRetry(5, time.Second, time.Minute))
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
// within 3–12), and the client paces its requests at 19.5 per second, one
// at a time, just under the published limit of 20 (orderkit.WithRateLimit
// or orderkit.WithLimiter replace it). orderkit.WithBaseURL takes the API root, by default
// "https://app.inventorum.com/api"; for the fake,
// inventorumtest.BaseURL(srv.URL).
//
// # Call
//
// Sync is the job most users run: it walks the delta feed of every channel
// from a checkpoint, yields each order version at least once (see "Sync"
// below for exactly what is promised and under which readings of the
// vendor page) and advances the checkpoint past the orders the loop has
// finished with. Store the checkpoint and pass it to the next run:
//
//	cp, err := inventorum.LoadCheckpoint("inventorum-checkpoint.json") // missing: first run
//	for o, err := range c.Orders.Sync(ctx, &cp, nil) {
//		if err != nil {
//			break // cp holds what was consumed; store it and retry later
//		}
//		if err := book(o); err != nil {
//			break // o was not consumed: the next run delivers it again
//		}
//	}
//	err = inventorum.SaveCheckpoint("inventorum-checkpoint.json", &cp) // atomic
//	if ch := cp.Deferred(); len(ch) > 0 {
//		log.Printf("feed of %v still moving: the next run reads on", ch)
//	}
//
// The single calls are there too: Orders.Delta and Orders.List return a
// page, Orders.DeltaAll and Orders.All iterate over every page, and
// Basket.Create creates a basket (a pending order). Options are structs
// passed by pointer and checked before anything is sent. Client.Do sends a
// request to an endpoint the SDK does not wrap, through the same pipeline.
//
// Every method takes orderkit call options last: a header, retries, a
// deadline for the one call, and the answer's metadata (status, headers,
// the request id x-rid for a support ticket), on success and on failure:
//
//	var meta orderkit.Response
//	p, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{Channel: inventorum.ChannelShop},
//		orderkit.CallTimeout(10*time.Second), orderkit.CaptureResponse(&meta))
//	log.Println(meta.RequestID)
//
// A call option a method does not take (orderkit.Reference anywhere but
// Basket.Create) fails the call before sending, with ErrInvalidArgument.
//
// # Handle errors
//
// Every failure after sending is an *orderkit.Error (status, method, URL
// without query, the API's message, a body excerpt, the request id) and
// matches the sentinels of package orderkit with errors.Is: ErrNotFound,
// ErrUnauthorized (a 401, whatever its body), ErrForbidden, ErrRateLimited,
// ErrServer, ErrInvalidResponse, ErrUnreachable (the request never reached
// the API), and ErrInvalidArgument for a call refused before sending. The
// API's validation answer (the basket's 400) is an
// *orderkit.ValidationError, matching ErrValidation, with the messages per
// field, nested fields joined with dots and list positions in brackets
// ("items[0].price"):
//
//	var ve *orderkit.ValidationError
//	if errors.As(err, &ve) {
//		log.Print(ve.Message, ve.Fields["items"])
//	}
//
// No access token, refresh token or client secret appears in an error or a
// log line. Package inventorumtest is an in-memory fake of the API for
// tests, with the faults every orderkit fake offers (FailNext,
// DropNextAfterActing, TruncateNextAfterActing, ...); serve it with
// httptest and point the client at it with
// orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)).
//
// # Lost answers
//
// A basket POST is never retried once it may have reached the server.
// When its answer is lost (the connection broke after sending, a 5xx, a
// cut-off 2xx), the error matches orderkit.ErrOutcomeUnknown and is an
// *orderkit.LostCreateError whose Request is the *BasketRequest Create was
// given, with when it was sent and the server's clock. Basket.Resolve
// takes that error and looks the order up in the delta feed; with the
// orderkit.ResolveOutcome call option Create does it by itself and returns
// the order it found (in BasketResult.Order), or an *orderkit.OutcomeError
// matching ErrNotCreated or ErrAmbiguous. When ctx is done by then, or the
// lookup fails, Create returns an error that matches both the
// *orderkit.LostCreateError (for a later Resolve) and the lookup's error
// (context.DeadlineExceeded, ErrInconsistentFeed, ...). Give the basket a
// reference of your own (orderkit.Reference, written into note_internal;
// the request's own NoteInternal must then be empty or the same) and the
// lookup matches on it; without one it matches on customer, notes and
// items among the orders created while the call ran, and reports what it
// cannot tell from an identical basket (in practice: the lost basket
// itself) as ambiguous rather than guess:
//
//	res, err := c.Basket.Create(ctx, req, orderkit.Reference(orderNo), orderkit.ResolveOutcome())
//	switch {
//	case err == nil:
//		// created: res.ID (res.Order is set when found by the lookup)
//	case errors.Is(err, orderkit.ErrNotCreated):
//		// not created as of the lookup; resend when SafeToResend says so
//	case errors.Is(err, orderkit.ErrOutcomeUnknown):
//		// ambiguous, or the lookup failed: c.Basket.Resolve(ctx, err) later
//	}
//
// What Resolve proves. It reads the delta feed of every channel from the
// time the basket was sent (the server's time, told from the Date
// headers), with X-Api-Version 11 so that PENDING orders show, and matches
// each order created since: on the Reference the caller gave
// (note_internal), or, without one, on the customer, the notes and the
// items (product and quantity), among the orders created between the send
// and the end of the lost call. Exactly one match is State Created with
// the order; several are Ambiguous with the candidates. None is
// NotCreated as of the server time the lookup began (SafeToResend once
// ResendAfter has passed since the send) only when the absence proves
// it: an answer told the server's clock (a Date header; without one the
// window may miss the send), and the feed showed a PENDING order, so it
// shows new baskets (a server may hide them from the delta feed whatever
// X-Api-Version asks, as version 12 does, and a feed that hides them
// hides this one). Otherwise none is Ambiguous with no candidates: look
// again later (once the basket is paid it shows either way), or pass a
// Reference and look it up yourself. Resolve never guesses, and it never
// sends a create; a basket the server writes after answering is found
// once written (before, NotCreated comes without SafeToResend, which
// assumes a write within ResendAfter). Without a Reference, a lone match
// is Created only when it was created clearly after the send (two seconds
// past the end of the lost call on the server's clock: the Date header
// and time_added tell whole seconds); one created earlier, as the lost
// basket itself is, is Ambiguous with it as the candidate, because an
// identical basket another client made in the seconds before the send
// looks the same (TestResolveModel finds that case). Any match when no
// answer carried a Date header is Ambiguous too. Pass Reference to
// Create to have the basket found for certain. It costs one GET per
// channel (7), more where a channel has over 100 orders since the send:
// such a channel is read at least twice, until two reads agree (an order
// filed again while the pages are read moves the others across pages), and
// a channel whose reads keep disagreeing fails the lookup with an error
// matching ErrInconsistentFeed rather than report NotCreated. A lookup
// that learnt the server's clock hands it on in the Resolution's Cause, so
// that a later Resolve of that Cause reads the send on the same clock.
//
// # Sync
//
// What is promised. Delivery is at least once per order version: every
// version of an order that the feed holds throughout a run which ends
// without an error and without deferring (cp.Deferred() is empty, see
// below) is delivered by the end of that run, unless a newer
// version of the order supersedes it (then the newer one is); so a run
// that ends while nothing changes delivers the latest version of every
// order. The checkpoint is advanced in place past an order only when the
// loop body has finished with it (yield returned true); breaking out of the
// loop, an error, or a cancelled context leave it just past the last order
// finished, so storing it and running again from it resumes without a gap.
//
// What may be delivered twice. An order version is delivered again only
// (a) when the loop broke on it (it was never finished: at most one per
// run broken off), (b) when it lies inside SyncOptions.Lookback, or (c)
// once, for the orders at the cursor of a checkpoint stored by a release
// that recorded versions differently. A run from a stored checkpoint that
// finds nothing new delivers nothing; a run that ends in an error delivers
// nothing twice. A changed order (new state, payment, note, ...) is a new
// version and is delivered again, once.
//
// What is assumed of the server. The feed is ordered by a time no earlier
// than each order's DeltaTime (the visible times, or a modification time
// the payload does not show) and then by id; a new or modified order is
// filed no earlier than every order already in the feed (orders filed
// later with an earlier time are caught only by Lookback); an order whose
// delta_state is not "modified" is filed at its DeltaTime; total counts
// the orders of the whole query. Within that, any of these readings is
// fine, alone or combined: start_date read as since (>=) or after (>),
// page numbers from 0 or from 1, a page size capped below the limit asked,
// timestamps in seconds or milliseconds, pages as {"total", "data"} or as a
// bare array that tells no total (the read then ends only at an empty
// page, a request or a few more per channel).
//
// What is left to the next run. A stretch of more orders on one
// millisecond than a page holds is read by page number, and page numbers
// are offsets: while orders in it keep moving, two reads in a row may not
// agree. After 6 reads that do not agree the run delivers what it read,
// leaves the channel's cursor before the stretch, sets its
// DeltaCursor.Deferred, goes on with the other channels and ends without
// an error: a busy feed does not fail the run. cp.Deferred() lists the
// channels left so; store cp as always, and the next run reads on from
// there (what was delivered is in Seen and is not delivered again). A
// channel deferred run after run means the feed keeps moving at that
// spot; log it.
//
// What is detected and reported. A page holding more orders than asked, an
// order filed before start_date, a page that repeats the page before it,
// and a stretch whose reads agree but keep falling short of total end the
// run with an error matching ErrInconsistentFeed and
// orderkit.ErrInvalidResponse: a server that breaks the protocol. Every
// request moves the read on to a later start_date or is one of a bounded
// number of re-reads (at most 6 passes over a stretch of more orders on
// one millisecond than a page holds), so a run never loops, whatever the
// server answers, and ends once it reaches the end of the feed. An invalid
// checkpoint (see DeltaCheckpoint.Validate) is an ErrInvalidArgument
// before any request.
//
// An error is yielded once and ends the run. Memory is bounded by the page
// size and the number of orders the feed keeps on one millisecond of the
// cursor (and modified orders behind it), not by the number synced.
//
// # Many workers
//
// Several processes on one account share three things, each behind a
// small interface with an in-memory and a file implementation here and a
// contract suite in inventorum/storetest for your own (examples/fleet has
// them on Redis):
//
//   - the rate limit: one orderkit.Limiter given to every client with
//     orderkit.WithLimiter, so that all of them together stay under 20
//     requests per second;
//   - the token: OAuth2Config.Store, a TokenStore. One process refreshes
//     (under Lock), the rotated token is stored by CompareAndSwap before
//     any call uses it, and the others read it instead of refreshing; the
//     refresh POST is never repeated;
//   - the checkpoints: a CheckpointStore, driven by Orders.SyncLeased. One
//     syncer per account and channel holds a lease with a fencing token;
//     a save needs the stored version and the newest fence, so a worker
//     whose lease lapsed cannot overwrite a newer checkpoint.
package inventorum
