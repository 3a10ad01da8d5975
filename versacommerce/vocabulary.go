package versacommerce

import (
	"time"

	"github.com/orderkit/orderkit"
)

// The vocabulary every orderkit client shares, re-exported so that one
// import suffices. These are the very types and values of package orderkit:
// versacommerce.ErrNotFound is orderkit.ErrNotFound, and an error from any client
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
	// ValidationError is the shop's {"errors": {"field": ["message", ...]}}
	// answer (usually 422 to Create): Fields maps each attribute
	// ("billing_address.city", "total") to the shop's messages; messages
	// that name no field are under "base". It matches ErrValidation. See
	// orderkit.ValidationError.
	ValidationError = orderkit.ValidationError
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
	// ErrValidation: the shop refused the request's attributes; errors.As
	// with a *ValidationError gives every field's messages.
	ErrValidation = orderkit.ErrValidation
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

// Reference sets the reference a Create is looked up by when its answer is
// lost: it is sent as the order's origin_id, so it must be unique per
// order (the id of the order in the system it comes from). See
// orderkit.Reference and OrdersService.Resolve.
func Reference(ref string) CallOption { return orderkit.Reference(ref) }

// ResolveOutcome makes Create look its order up itself when the answer is
// lost, and return the order it made or an *OutcomeError. See
// orderkit.ResolveOutcome and OrdersService.Resolve.
func ResolveOutcome() CallOption { return orderkit.ResolveOutcome() }
