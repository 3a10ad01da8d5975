// Package orderkit is a set of typed Go clients for four commerce order APIs
// used by German shops, resellers and integrators, and the vocabulary they
// share. Import the package for the API you talk to:
//
//   - attivita: the Attivita software-licence reseller API — products with
//     customer prices and stock, orders that hand out licence keys (bundles
//     grouped by licence pool), sandbox mode, webhooks.
//   - inventorum: the Inventorum POS/retail API — order lists, a delta sync
//     from a checkpoint that loses no order version under any reading of the
//     vendor's page, basket checkout.
//   - versacommerce: the VersaCommerce shop API — orders with every filter,
//     count, items, create.
//   - adility: the Adility distribution API — place, get and cancel orders
//     that return vouchers, in JSON or XML.
//
// Two shared packages carry the values all four speak: money (Amount, an
// exact decimal that never passes through float64) and orderstate
// (Inventorum's state bitmask and one common Status each client maps its own
// states onto).
//
// # The shared vocabulary
//
// This package holds what every client has in common, so that an
// integration reads the same whichever API it calls. Each client package
// re-exports these names (attivita.Error is orderkit.Error,
// inventorum.ErrNotFound is orderkit.ErrNotFound), so one import suffices.
//
//   - Error: every failure after a request was sent, with the status, method,
//     URL without query, the vendor's message and code, a body excerpt, the
//     attempts, the vendor's request id and the answer's metadata.
//   - The sentinels for errors.Is: ErrNotFound, ErrUnauthorized,
//     ErrForbidden, ErrConflict, ErrRateLimited, ErrServer, ErrValidation,
//     ErrOutcomeUnknown, ErrInvalidResponse, ErrResponseTooLarge,
//     ErrInvalidArgument, ErrRedirectRefused; and for resolved outcomes
//     ErrNotCreated, ErrAmbiguous, ErrUnresolvable.
//   - ValidationError and APIError: one shape for "these fields are wrong"
//     and for a vendor's coded refusal, in every client.
//   - Option and Settings: what NewClient takes (WithBaseURL, WithHTTPClient,
//     WithRetry, WithTimeout, ...). Every option is checked; a nil, negative
//     or contradictory value makes NewClient fail and names the option.
//   - CallOption: what every method takes last — CallHeader, CallRetry,
//     NoRetry, CallTimeout, CaptureResponse (the answer's Response metadata,
//     request id included, on success too), Reference and ResolveOutcome.
//   - Resolution and OutcomeError: what a create whose answer was lost turns
//     into once the client has looked the order up — created (with the
//     order), not created as of a time, or ambiguous.
//
// # One order model
//
// Order is one typed order for all four APIs, for an ERP or bookkeeping
// system that takes them all: each client's Order has a Common method that
// converts it with nothing guessed. Every amount is a Figure that says
// whether the vendor sent it (Given), a rule of the vendor's page gave it
// (Derived) or it is missing (Absent); the totals are reconciled to the
// cent, and an order that does not add up comes back whole with a
// *ReconciliationError (ErrNotReconciled) listing the differences.
//
// # One pipeline
//
// Every request of every client goes through one internal pipeline. It sets
// the base URL (always the API root), credentials (bearer token, HTTP basic
// or an API-key header), the User-Agent and the API's own headers; encodes
// and decodes JSON or XML with a cap on the answer's size; waits on a
// client-side rate limit before every attempt; bounds each attempt whole
// with the client's timeout; and retries through go-retryablehttp with a
// policy that knows the method:
//
//   - GET, HEAD, PUT and DELETE are retried on connection errors and on 408,
//     429, 500, 502, 503 and 504, with exponential backoff and jitter,
//     honouring Retry-After (capped) and never waiting past the context's
//     deadline.
//   - POST — which creates an order, spends credit or hands out keys — is
//     retried only when the server surely did not act on it (nothing was
//     written to the connection, or a 429 or 503 with Retry-After), unless
//     the call is declared idempotent. Otherwise the error matches
//     ErrOutcomeUnknown, and the client's Resolve method (or the
//     ResolveOutcome call option) looks the order up instead of buying
//     twice.
//
// No token, password or API key ever appears in an error or a log line;
// credentials are refused over plain http except to loopback or by explicit
// opt-in; a redirect to another host, or from https to http, is refused.
//
// Each client package also ships an in-memory fake of its API
// (attivitatest, inventorumtest, versacommercetest, adilitytest) as an
// http.Handler, for tests that should not touch the network. The fakes share
// one shape: NewServer, a default credential, BaseURL(srv.URL) for the
// client, SetClock, Count, and one fault vocabulary: FailNext,
// FailNextRetryAfter, DropNextBeforeActing, DropNextAfterActing,
// FailNextAfterActing, TruncateNextAfterActing and DelayNext.
//
// To see every client at work, run the quickstart on the fakes:
//
//	go run github.com/orderkit/orderkit/examples/quickstart
package orderkit
