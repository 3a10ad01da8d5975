// Package orderkit is a set of typed Go clients for four commerce order APIs
// used by German shops, resellers and integrators. It holds no code itself;
// import the package for the API you talk to:
//
//   - attivita: the Attivita software-licence reseller API — products with
//     customer prices and stock, orders that hand out licence keys (bundles
//     grouped by licence pool), sandbox mode, webhooks.
//   - inventorum: the Inventorum POS/retail API — order lists, delta sync
//     from a checkpoint that never misses an order, basket checkout.
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
// # One pipeline
//
// Every request of every client goes through one internal pipeline. It sets
// the base URL, credentials (bearer token, HTTP basic or an API-key header),
// the User-Agent and the API's own headers; encodes and decodes JSON or XML
// with a cap on the answer's size; waits on a client-side rate limit before
// every attempt; and retries through go-retryablehttp with a policy that
// knows the method:
//
//   - GET, HEAD, PUT and DELETE are retried on connection errors and on 408,
//     429, 500, 502, 503 and 504, with exponential backoff and jitter,
//     honouring Retry-After (capped) and never waiting past the context's
//     deadline.
//   - POST — which creates an order, spends credit or hands out keys — is
//     retried only when the server surely did not act on it (the connection
//     was never made, or a 429 or 503 with Retry-After), unless the call is
//     declared idempotent. Otherwise the error matches ErrOutcomeUnknown, so
//     the caller looks the order up instead of buying twice.
//
// Failures are one error type, re-exported by each client as Error, with the
// status, method, URL without query, the vendor's message and a short excerpt
// of the body, and sentinels for errors.Is: ErrNotFound, ErrUnauthorized,
// ErrForbidden, ErrConflict, ErrRateLimited, ErrServer, ErrOutcomeUnknown,
// ErrInvalidResponse, ErrInvalidArgument. No token, password or API key ever
// appears in an error or a log line; credentials are refused over plain http
// except to loopback or by explicit opt-in; a redirect to another host, or
// from https to http, is refused.
//
// Each client package also ships an in-memory fake of its API
// (attivitatest, inventorumtest, versacommercetest, adilitytest) as an
// http.Handler, for tests that should not touch the network. The fakes share
// one shape: NewServer, a default credential, BaseURL(srv.URL) for the
// client, SetClock, FailNext and Count.
//
// To see every client at work, run the quickstart on the fakes:
//
//	go run github.com/orderkit/orderkit/examples/quickstart
package orderkit
