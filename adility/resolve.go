package adility

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// How a lost Place is resolved.
//
// The Distribution API reads an order only by its id (GET /orders/:id); it
// has no list and no search, and nothing reads an order by its
// order_number. What it does offer is that order_number is unique per
// distributor: a second Place with a number already used is refused. So the
// one way from an order number to what became of it is to send the same
// Place again:
//
//   - it succeeds: no order had that number, so the lost Place made none;
//     this one made it, and its answer holds the order with its vouchers;
//   - it is refused as a duplicate: an order with that number exists — the
//     one the lost Place made, when the number was fresh. If the refusal
//     names the order's id (the format is unpublished; an "order_id"
//     member or element is read), Get reads it with its vouchers.
//     Otherwise the API offers no way to them: the result says "placed,
//     not readable" (ErrPlacedUnreadable) with the order number, which
//     Adility's support can look up.
//
// Sending the same Place again is safe because the uniqueness is the
// server's: however many copies arrive, and in whatever order (the lost
// request itself may still arrive late), at most one order gets the
// number, and the copy carries the very request that was lost, so the
// order it makes is the one intended. What it cannot tell apart: an order
// number used before by another order (the lost Place would have been
// refused too, and the result then names that older order), and a refusal
// for another reason (an offer sold out since — possibly by the lost Place
// itself): that proves nothing either way and stays Unresolvable.

// ErrPlacedUnreadable: Adility refused the order number of a Place whose
// own answer was lost as already used — so the order was placed — but the
// API offers no way to read an order by its number, so its id and vouchers
// cannot be fetched. The error (a *PlacedError) carries the order number
// and the request; Adility's support can find the order by the number. It
// also matches ErrDuplicateOrderNumber, ErrUnresolvable and
// ErrOutcomeUnknown.
var ErrPlacedUnreadable = errors.New("order placed, but the API offers no way to read it by its order number: vouchers not reachable")

// LostPlaceError is what Place returns when its answer was lost: the
// order may or may not have been placed. It matches ErrOutcomeUnknown and
// carries what Resolve needs (Resolve sends Request again, unless a 2xx
// arrived); errors.As reaches the *Error inside.
type LostPlaceError struct {
	// OrderNumber is the number the lost Place sent.
	OrderNumber string
	// Request is the request as it was sent.
	Request PlaceRequest
	// SentAt is the client's clock, in UTC, just before sending.
	SentAt time.Time
	// ServerDate is the Date header of the last answer, if one arrived.
	ServerDate time.Time
	// Answered is the 2xx status of an answer that arrived but could not
	// be read (cut off, no order in it): the order was placed. Zero when
	// no 2xx arrived.
	Answered int
	// OrderID is an order id read from what arrived of such an answer,
	// when any; Resolve checks it with Get before trusting it.
	OrderID string
	// Err is the error of the call (an *Error).
	Err error
}

// Error says which order number's outcome is unknown, and why.
func (e *LostPlaceError) Error() string {
	return fmt.Sprintf("place order %q: %v", e.OrderNumber, e.Err)
}

// Unwrap returns the call's error, which matches ErrOutcomeUnknown.
func (e *LostPlaceError) Unwrap() error { return e.Err }

// PlacedError says that an order was placed but cannot be read: a Place
// with its order number, sent again after the first one's answer was lost,
// was refused as a duplicate, and the refusal did not name the order (an
// order placed earlier under the same number, by another call, would be
// refused alike: the API cannot tell them apart, so use fresh numbers); or
// the lost answer was a 2xx that named no order Get could read. It matches
// ErrPlacedUnreadable, ErrUnresolvable, ErrOutcomeUnknown (the order's
// vouchers are unknown) and, after a duplicate refusal, through Err,
// ErrDuplicateOrderNumber. Resolve with a PlacedError only reads (Get of
// OrderID, when set); it never sends the Place again.
type PlacedError struct {
	// OrderNumber is the number of the placed order.
	OrderNumber string
	// Request is the request that placed it.
	Request PlaceRequest
	// SentAt is the client's clock, in UTC, when the Place was sent.
	SentAt time.Time
	// ServerDate is the Date header of the duplicate refusal (or of the
	// 2xx answer), if sent.
	ServerDate time.Time
	// OrderID is the id the refusal or the 2xx answer named, when it
	// named one (then reading it failed or found another number).
	OrderID string
	// Err is the duplicate refusal, or the lost Place's error after a 2xx
	// (an *Error).
	Err error
}

// Error says the order is placed and why its vouchers are out of reach.
func (e *PlacedError) Error() string {
	return fmt.Sprintf("place order %q: %v: %v", e.OrderNumber, ErrPlacedUnreadable, e.Err)
}

// Unwrap gives errors.Is ErrPlacedUnreadable, ErrUnresolvable,
// ErrOutcomeUnknown and the refusal.
func (e *PlacedError) Unwrap() []error {
	return []error{ErrPlacedUnreadable, ErrUnresolvable, ErrOutcomeUnknown, e.Err}
}

// Resolve finds out what became of a Place whose answer was lost, and to
// find out it usually sends that Place again: Resolve may place the order.
// err is the error Place returned (a *LostPlaceError or *PlacedError,
// possibly wrapped); it holds everything needed.
//
// The API reads orders only by id, so unless
// the lost answer already settles it, Resolve sends the lost Place again,
// the very request with the same order number (see the comment above
// ErrPlacedUnreadable for why that cannot place a second order); if the
// lost Place had placed nothing, this one places it. Call Resolve only
// when you still want the order. There is no read-only way to learn the
// outcome from the API unless an order id is known: Get it yourself when
// LostPlaceError.OrderID or PlacedError.OrderID is set.
//
// Resolve never sends the Place again when the lost answer was a 2xx
// (LostPlaceError.Answered: the order was placed), nor for a *PlacedError,
// nor under a number other than LostPlaceError.OrderNumber (a Request whose
// number differs is refused with ErrInvalidArgument). The Resolution is:
//
//   - Created, with the order and its vouchers: the repeated Place went
//     through (the lost one had placed nothing, and now the order exists
//     once), or the lost answer or the duplicate refusal named the order
//     and Get read it (its order number checked).
//   - Unresolvable, with Cause a *PlacedError (ErrPlacedUnreadable): the
//     order was placed (a 2xx answer, or a duplicate refusal of the
//     repeated Place), but the API offers no way to its vouchers.
//   - Unresolvable, with Cause the refusal: the repeated Place was refused
//     for another reason, which proves nothing.
//
// Resolve never reports NotCreated: the only probe the API offers places
// the order when it is missing. Lookups counts the requests sent. A lookup
// that itself fails (the repeated Place lost again, a 5xx, a done context,
// a Get of a named order that fails) returns that error; it still holds
// the *LostPlaceError or *PlacedError, so Resolve can be called with it
// later.
func (s *OrdersService) Resolve(ctx context.Context, err error, opts ...CallOption) (orderkit.Resolution[*Order], error) {
	cs, cerr := pipeline.Calls(apiName, opts)
	if cerr != nil {
		return orderkit.Resolution[*Order]{}, cerr
	}
	var lost *LostPlaceError
	var placed *PlacedError
	switch {
	case errors.As(err, &lost):
		return s.resolve(ctx, lost, cs)
	case errors.As(err, &placed):
		res := orderkit.Resolution[*Order]{State: orderkit.Unresolvable, Cause: placed}
		if placed.OrderID != "" {
			res.Lookups++
			o, gerr := s.readPlaced(ctx, placed.OrderID, placed.OrderNumber, cs)
			if gerr != nil {
				res.State = orderkit.Unresolved
				return res, placedLookupFailed(gerr, placed)
			}
			if o != nil {
				res.State, res.Order = orderkit.Created, o
			}
		}
		return res, nil
	}
	return orderkit.Resolution[*Order]{}, pipeline.Invalid(apiName, "resolve: the error holds no lost Place (want the error of Place matching ErrOutcomeUnknown): %v", err)
}

func (s *OrdersService) resolve(ctx context.Context, lost *LostPlaceError, cs orderkit.CallSettings) (orderkit.Resolution[*Order], error) {
	res := orderkit.Resolution[*Order]{Cause: lost}
	if lost.Request.OrderNumber != lost.OrderNumber {
		return res, pipeline.Invalid(apiName, "resolve: the lost Place's request has order number %q, not %q: it is never sent under another number", lost.Request.OrderNumber, lost.OrderNumber)
	}
	if err := lost.Request.validate(); err != nil {
		return res, err
	}
	if lost.OrderID != "" {
		res.Lookups++
		o, err := s.readPlaced(ctx, lost.OrderID, lost.OrderNumber, cs)
		if err != nil {
			return res, fmt.Errorf("adility: resolving order %q: reading order %q: %w; the lost Place: %w", lost.OrderNumber, lost.OrderID, err, lost)
		}
		if o != nil {
			res.State, res.Order = orderkit.Created, o
			return res, nil
		}
	}
	if lost.Answered != 0 {
		// The lost Place was answered 2xx: it placed the order. Sending it
		// again could only be refused as a duplicate.
		res.State = orderkit.Unresolvable
		res.Cause = &PlacedError{OrderNumber: lost.OrderNumber, Request: *copyRequest(&lost.Request), SentAt: lost.SentAt,
			ServerDate: lost.ServerDate, OrderID: lost.OrderID, Err: lost.Err}
		return res, nil
	}
	req := copyRequest(&lost.Request)
	o, attempts, err := s.place(ctx, req, true, cs)
	res.Lookups += attempts
	if err == nil {
		res.State, res.Order = orderkit.Created, o
		return res, nil
	}
	var placed *PlacedError
	if errors.As(err, &placed) || errors.Is(err, ErrDuplicateOrderNumber) {
		if placed == nil {
			placed = &PlacedError{OrderNumber: req.OrderNumber, Request: *req, SentAt: lost.SentAt,
				ServerDate: serverDate(err), Err: err}
			if r := refusalOf(err); r != nil {
				placed.OrderID = r.orderID
			}
		}
		if placed.OrderID != "" {
			res.Lookups++
			o, gerr := s.readPlaced(ctx, placed.OrderID, lost.OrderNumber, cs)
			if gerr != nil {
				return res, placedLookupFailed(gerr, placed)
			}
			if o != nil {
				res.State, res.Order = orderkit.Created, o
				return res, nil
			}
		}
		res.State, res.Cause = orderkit.Unresolvable, placed
		return res, nil
	}
	if refusedForGood(err) {
		res.State = orderkit.Unresolvable
		res.Cause = fmt.Errorf("%w; sent again with order number %q, it was refused for another reason, which does not tell: %w", lost, lost.OrderNumber, err)
		return res, nil
	}
	// The lost Place stays in the chain: the outcome is still unknown, and
	// Resolve can be called with this error again.
	return res, fmt.Errorf("adility: resolving order %q: %w; the lost Place: %w", lost.OrderNumber, err, lost)
}

// readPlaced reads the order id names, which should be the placed order
// with this number. It returns the order; nil and no error when the id
// does not lead to it (not found, or another order number); or Get's
// error when Get failed in a way that may pass.
func (s *OrdersService) readPlaced(ctx context.Context, id, number string, cs orderkit.CallSettings) (*Order, error) {
	o, err := s.get(ctx, id, cs)
	switch {
	case err == nil && o.OrderNumber == number:
		return o, nil
	case err == nil, refusedForGood(err):
		return nil, nil
	}
	return nil, err
}

// placedLookupFailed is the error of a Resolve that knows the order was
// placed but could not read it yet: it keeps the *PlacedError, so Resolve
// can be called with it again (and then only reads).
func placedLookupFailed(err error, placed *PlacedError) error {
	return fmt.Errorf("adility: resolving order %q: reading order %q: %w; %w", placed.OrderNumber, placed.OrderID, err, placed)
}

// refusedForGood reports whether err is a 4xx refusal that asking again
// would not change (not 401, 403, 408 or 429, and not an unknown outcome).
func refusedForGood(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.StatusCode >= 400 && pe.StatusCode < 500 && !errors.Is(err, ErrOutcomeUnknown) &&
		pe.StatusCode != http.StatusUnauthorized && pe.StatusCode != http.StatusForbidden &&
		pe.StatusCode != http.StatusRequestTimeout && pe.StatusCode != http.StatusTooManyRequests
}

// copyRequest copies req, its items and address, so that what was sent
// is kept as it was.
func copyRequest(req *PlaceRequest) *PlaceRequest {
	c := *req
	c.Items = append([]PlaceItem(nil), req.Items...)
	if req.ShippingAddress != nil {
		a := *req.ShippingAddress
		c.ShippingAddress = &a
	}
	return &c
}

// attemptsOf counts the requests a call sent.
func attemptsOf(resp *pipeline.Response, err error) int {
	var pe *Error
	switch {
	case resp != nil && resp.Attempts > 0:
		return resp.Attempts
	case errors.As(err, &pe) && pe.Attempts > 0:
		return pe.Attempts
	}
	return 1
}

// serverDate is the Date header of the answer inside err, if any.
func serverDate(err error) time.Time {
	var pe *Error
	if errors.As(err, &pe) && pe.Response != nil {
		if t, perr := http.ParseTime(pe.Response.Header.Get("Date")); perr == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// idInExcerpt reads an order id from the start of a cut-off answer:
// {"order":{"id":"..." or <order><id>...</id>. The first "id" may be a
// voucher's in a body ordered otherwise; Resolve checks the order number
// of what Get finds.
var idInExcerptRE = regexp.MustCompile(`^\s*(?:<\?xml[^>]*>\s*)?(?:\{\s*"order"\s*:\s*\{|\{|<order>)\s*(?:"id"\s*:\s*"?([A-Za-z0-9._-]{1,64})"?\s*[,}]|<id>\s*([A-Za-z0-9._-]{1,64})\s*</id>)`)

func idInExcerpt(body string) string {
	m := idInExcerptRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return m[1]
	}
	return m[2]
}
