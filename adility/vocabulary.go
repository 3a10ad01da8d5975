package adility

import (
	"time"

	"github.com/orderkit/orderkit"
)

// The vocabulary every orderkit client shares, re-exported so that one
// import suffices. These are the very types and values of package orderkit:
// adility.ErrNotFound is orderkit.ErrNotFound, and an error from any client
// matches either.
type (
	// Error is every failure after a request was sent: status, method, URL,
	// the vendor's message and code, a body excerpt, attempts, the request
	// id and the answer's metadata. See orderkit.Error.
	Error = orderkit.Error
	// Option configures a Client; NewClient refuses one it cannot use. See
	// orderkit.Option.
	Option = orderkit.Option
	// CallOption configures one call; every method takes them last. See
	// orderkit.CallOption.
	CallOption = orderkit.CallOption
	// Response is the metadata of an answer: status, headers, attempts,
	// request id and rate information. See orderkit.Response.
	Response = orderkit.Response
	// OutcomeError says what the lookup after a lost create found. See
	// orderkit.OutcomeError.
	OutcomeError = orderkit.OutcomeError
)

// The shared sentinels; see package orderkit for when each applies.
var (
	ErrNotFound         = orderkit.ErrNotFound
	ErrUnauthorized     = orderkit.ErrUnauthorized
	ErrForbidden        = orderkit.ErrForbidden
	ErrConflict         = orderkit.ErrConflict
	ErrRateLimited      = orderkit.ErrRateLimited
	ErrServer           = orderkit.ErrServer
	ErrOutcomeUnknown   = orderkit.ErrOutcomeUnknown
	ErrInvalidResponse  = orderkit.ErrInvalidResponse
	ErrResponseTooLarge = orderkit.ErrResponseTooLarge
	ErrInvalidArgument  = orderkit.ErrInvalidArgument
	ErrRedirectRefused  = orderkit.ErrRedirectRefused
	ErrNotCreated       = orderkit.ErrNotCreated
	ErrAmbiguous        = orderkit.ErrAmbiguous
	ErrUnresolvable     = orderkit.ErrUnresolvable
)

// CallHeader adds a header to one call; no values removes a header the
// client sends by default. See orderkit.CallHeader.
func CallHeader(key string, values ...string) CallOption { return orderkit.CallHeader(key, values...) }

// CallRetry replaces the client's retry settings for one call. See
// orderkit.CallRetry.
func CallRetry(maxRetries int, waitMin, waitMax time.Duration) CallOption {
	return orderkit.CallRetry(maxRetries, waitMin, waitMax)
}

// NoRetry sends one call once. See orderkit.NoRetry.
func NoRetry() CallOption { return orderkit.NoRetry() }

// CallTimeout bounds one call whole, retries included. See
// orderkit.CallTimeout.
func CallTimeout(d time.Duration) CallOption { return orderkit.CallTimeout(d) }

// CaptureResponse stores the metadata of the call's last answer in dst, on
// success and on failure. See orderkit.CaptureResponse.
func CaptureResponse(dst *Response) CallOption { return orderkit.CaptureResponse(dst) }

// ResolveOutcome makes Place resolve a lost answer by itself (see
// OrdersService.Resolve): it then returns the order, or an *OutcomeError
// saying what is known. With Adility resolving is not a mere lookup: it
// sends the same Place again, same order number (never another), unless a
// 2xx answer already showed the order placed. See orderkit.ResolveOutcome.
func ResolveOutcome() CallOption { return orderkit.ResolveOutcome() }

// Resolution is what Resolve found after a Place whose answer was lost:
// orderkit.Resolution of an *Order.
type Resolution = orderkit.Resolution[*Order]

// ResolutionState says what a Resolution found. See
// orderkit.ResolutionState.
type ResolutionState = orderkit.ResolutionState

// The states of a Resolution. Resolve reports Created or Unresolvable;
// NotCreated and Ambiguous cannot arise with this API (see Resolve).
const (
	Unresolved   = orderkit.Unresolved
	Created      = orderkit.Created
	NotCreated   = orderkit.NotCreated
	Ambiguous    = orderkit.Ambiguous
	Unresolvable = orderkit.Unresolvable
)
