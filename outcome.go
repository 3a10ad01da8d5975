package orderkit

import (
	"errors"
	"fmt"
	"time"
)

// Sentinels of outcome resolution. An *OutcomeError matches one of them.
var (
	// ErrNotCreated: after an unknown outcome, the lookup found no order
	// the lost create could have made, as of OutcomeError.AsOf.
	ErrNotCreated = errors.New("not created")
	// ErrAmbiguous: after an unknown outcome, the lookup found orders the
	// lost create could have made but cannot tell whether one of them is
	// it (several match, or a lone match might be another call's), and
	// will not guess. It also matches ErrOutcomeUnknown.
	ErrAmbiguous = errors.New("ambiguous: the lookup cannot tell which order, if any, the lost create made")
	// ErrUnresolvable: the API offers no way to look the order up. It also
	// matches ErrOutcomeUnknown.
	ErrUnresolvable = errors.New("the API offers no way to look the order up")
)

// ResolutionState says what a lookup after an unknown outcome found.
type ResolutionState int

// The states of a Resolution.
const (
	// Unresolved: no lookup was made (the zero value).
	Unresolved ResolutionState = iota
	// Created: exactly one order matches; the create was carried out.
	Created
	// NotCreated: no order matches as of Resolution.AsOf.
	NotCreated
	// Ambiguous: several orders match; Resolution.Candidates holds them.
	Ambiguous
	// Unresolvable: the API offers no way to look the order up.
	Unresolvable
)

// String returns the state's name: "created", "not created", ...
func (s ResolutionState) String() string {
	switch s {
	case Unresolved:
		return "unresolved"
	case Created:
		return "created"
	case NotCreated:
		return "not created"
	case Ambiguous:
		return "ambiguous"
	case Unresolvable:
		return "unresolvable"
	}
	return fmt.Sprintf("ResolutionState(%d)", int(s))
}

// Resolution is what a client's Resolve method found after a create ended
// with ErrOutcomeUnknown. T is the client's order type.
type Resolution[T any] struct {
	// State says what was found.
	State ResolutionState
	// Order is the order the create made, when State is Created.
	Order T
	// Candidates are the orders that match, when State is Ambiguous.
	Candidates []T
	// AsOf is the server time up to which the lookup saw every order,
	// when State is NotCreated: an order the lost create made after it
	// would not have been seen.
	AsOf time.Time
	// SafeToResend reports, when State is NotCreated, that sending the
	// create again cannot make a second order: the API refuses a repeat
	// (a unique order number), or the lost request can no longer arrive.
	SafeToResend bool
	// Lookups counts the requests the lookup sent.
	Lookups int
	// Cause is the error that made the outcome unknown.
	Cause error
}

// Err returns nil when State is Created, and otherwise an *OutcomeError
// that says what was found.
func (r *Resolution[T]) Err() error {
	if r.State == Created {
		return nil
	}
	return &OutcomeError{State: r.State, AsOf: r.AsOf, SafeToResend: r.SafeToResend, Candidates: len(r.Candidates), Lookups: r.Lookups, Err: r.Cause}
}

// OutcomeError is what a create called with ResolveOutcome returns when
// its answer was lost and the lookup did not find exactly one order. It
// matches ErrNotCreated, ErrAmbiguous or ErrUnresolvable by State; the
// last two also match ErrOutcomeUnknown, since the create may still have
// been carried out. Err is the error that made the outcome unknown.
type OutcomeError struct {
	// State is what the lookup found: NotCreated, Ambiguous or
	// Unresolvable.
	State ResolutionState
	// AsOf is the server time up to which the lookup saw every order, when
	// State is NotCreated.
	AsOf time.Time
	// SafeToResend reports, when State is NotCreated, that sending the
	// create again cannot make a second order.
	SafeToResend bool
	// Candidates counts the matching orders, when State is Ambiguous.
	Candidates int
	// Lookups counts the requests the lookup sent.
	Lookups int
	// Err is the error that made the outcome unknown.
	Err error
}

// Error says what the lookup found and why it was needed.
func (e *OutcomeError) Error() string {
	var s string
	switch e.State {
	case NotCreated:
		s = "not created as of " + e.AsOf.UTC().Format(time.RFC3339)
		if e.SafeToResend {
			s += " (safe to send again)"
		}
	case Ambiguous:
		s = fmt.Sprintf("outcome ambiguous: %d orders match", e.Candidates)
	case Unresolvable:
		s = ErrOutcomeUnknown.Error() + "; " + ErrUnresolvable.Error()
	default:
		s = ErrOutcomeUnknown.Error()
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap gives errors.Is the sentinels of State, and the cause — except
// for NotCreated, whose cause no longer matches ErrOutcomeUnknown: the
// outcome is known.
func (e *OutcomeError) Unwrap() []error {
	var out []error
	switch e.State {
	case NotCreated:
		return []error{ErrNotCreated}
	case Ambiguous:
		out = []error{ErrAmbiguous, ErrOutcomeUnknown}
	case Unresolvable:
		out = []error{ErrUnresolvable, ErrOutcomeUnknown}
	default:
		out = []error{ErrOutcomeUnknown}
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// LostCreateError is the error of a create whose answer was lost (a
// connection cut after sending, a 5xx, a 2xx that could not be read): the
// order may exist. Every client's create returns it, matching
// ErrOutcomeUnknown; pass it to the client's Resolve method to learn what
// happened instead of buying twice.
type LostCreateError struct {
	// API names the client: "attivita", "inventorum", "versacommerce",
	// "adility".
	API string
	// Request is what the create was given, as its method took it (a
	// *attivita.OrderRequest, *inventorum.BasketRequest,
	// *versacommerce.OrderRequest or *adility.PlaceRequest).
	Request any
	// Reference is what the order can be found by: the caller's Reference
	// call option, or the order number the request carried (Adility's);
	// empty when there is none.
	Reference string
	// SentAt and EndedAt are the client's clock, in UTC, just before the
	// request was sent and when the call ended without a usable answer.
	SentAt, EndedAt time.Time
	// ServerDate is the Date header of the lost answer (a 5xx, a cut-off
	// 2xx); zero when no answer arrived.
	ServerDate time.Time
	// Err is the call's error (an *Error matching ErrOutcomeUnknown).
	Err error
	// LookupErr is why the lookup the ResolveOutcome call option asked
	// for failed or could not be made; nil otherwise. errors.Is and
	// errors.As do not reach it: whatever the lookup met (a 403, a done
	// context), the create's outcome is still unknown, and a switch on
	// the sentinels must not take it for the create's own answer. Resolve
	// the error again later.
	LookupErr error
	// Evidence is the client's own record for its Resolve (what arrived of
	// a cut answer, the server's clock as last seen). Callers leave it as
	// it is.
	Evidence any
}

// Error says that the create's outcome is unknown, and why.
func (e *LostCreateError) Error() string {
	s := "create"
	if e.API != "" {
		s = e.API + ": create"
	}
	if e.Err == nil || !errors.Is(e.Err, ErrOutcomeUnknown) {
		s += ": " + ErrOutcomeUnknown.Error()
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.LookupErr != nil {
		s += "; lookup failed: " + e.LookupErr.Error()
	}
	return s
}

// Unwrap gives errors.Is ErrOutcomeUnknown and the call's error.
func (e *LostCreateError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrOutcomeUnknown}
	}
	return []error{ErrOutcomeUnknown, e.Err}
}
