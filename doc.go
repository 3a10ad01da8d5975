// Package orderkit is the shared vocabulary of four typed Go clients for
// commerce order APIs used by German shops, resellers and integrators.
// Import the package of the API you talk to, and this one for what they
// share:
//
//   - attivita: the Attivita software-licence reseller API — products with
//     customer prices and stock, orders that hand out licence keys, sandbox
//     mode, webhooks.
//   - inventorum: the Inventorum POS/retail API — order lists, a delta sync
//     from a checkpoint, basket checkout, OAuth2 refresh.
//   - versacommerce: the VersaCommerce shop API — orders with every filter,
//     count, items, payments, shipments, create.
//   - adility: the Adility distribution API — place, get and cancel orders
//     that return vouchers, in JSON or XML.
//
// money (Amount, an exact decimal that never passes through float64) and
// orderstate (one Status for all four) carry the values they share.
//
// # What every client shares
//
// Every client is built the same way and answers the same way:
//
//	c, err := attivita.NewClient(token, orderkit.WithRetry(5, time.Second, time.Minute))
//	order, err := c.Orders.Get(ctx, 1001, orderkit.CallTimeout(10*time.Second))
//
// What they share:
//
//   - Options for NewClient: WithBaseURL (the API root), WithHTTPClient,
//     WithRetry, WithRateLimit, WithLimiter, WithLogger, WithUserAgent,
//     WithHeader, WithTimeout, WithMaxResponseBytes, WithInsecureHTTP. A
//     client package adds its own (attivita.WithSandbox,
//     inventorum.WithAPIVersion, adility.WithFormat). Every option is
//     checked: a nil, negative or contradictory value, another client's
//     option, or a credential given as a header makes NewClient fail with
//     ErrInvalidArgument naming the option.
//   - Call options, last on every method: CallHeader, CallRetry, NoRetry,
//     CallTimeout, CaptureResponse (the answer's Response: status, headers,
//     attempts, request id, rate limit), and for creates Reference and
//     ResolveOutcome. A call option the method does not take is an error,
//     never ignored.
//   - Every client has Do for an endpoint the SDK does not wrap, through
//     the same auth, limits, retries and redaction.
//
// # Errors
//
// A call that fails after it was sent returns an *Error: status, method,
// URL without query, the vendor's message and code, a body excerpt,
// attempts and the vendor's request id. Branch with errors.Is on the
// sentinels ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict,
// ErrRateLimited, ErrServer, ErrValidation (detail *ValidationError),
// ErrUnreachable (the request never reached the API), ErrOutcomeUnknown,
// ErrInvalidResponse, ErrResponseTooLarge, ErrRedirectRefused and
// ErrInvalidArgument (refused before sending). A 401 or 403 never matches
// ErrValidation. A vendor's coded refusal is an *APIError.
//
// # Lost creates
//
// A create (an order, a basket, a webhook) is retried only when the server
// surely did not act. When its answer is lost the error is a
// *LostCreateError matching ErrOutcomeUnknown; the client's Resolve method
// looks the order up and returns a Resolution: Created (with the order),
// NotCreated (as of a time; SafeToResend says whether a new create is
// safe), Ambiguous or Unresolvable. Resolve only reads: it never sends a
// create. Each client package documents what its lookup proves.
//
// # One order model
//
// Order is one typed order for all four APIs, for an ERP or bookkeeping
// system: each client's Order has a Common method that converts it with
// nothing guessed. Every amount is a Figure that says whether the vendor
// sent it (Given), a rule of the vendor's page gave it (Derived) or it is
// missing (Absent); the totals are reconciled to the cent, and an order
// that does not add up comes back whole with a *ReconciliationError
// (ErrNotReconciled) listing the differences.
//
// # Fakes for tests
//
// Each client package ships an in-memory fake of its API (attivitatest,
// inventorumtest, versacommercetest, adilitytest): NewServer(), the default
// credentials as Default… values, BaseURL(srv.URL), an in-process
// Transport(), Requests(), and one fault vocabulary: FailNext,
// FailNextOn, FailNextRetryAfter, DropNextBeforeActing,
// DropNextAfterActing, FailNextAfterActing, TruncateNextAfterActing and
// DelayNext.
//
// To see every client at work, run the quickstart on the fakes:
//
//	go run github.com/orderkit/orderkit/examples/quickstart
package orderkit
