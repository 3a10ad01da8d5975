package adility

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// What a lost Place leaves, and what can be learnt of it.
//
// The Distribution API reads an order only by its id (GET /orders/:id); it
// has no list and no search, and nothing reads an order by its
// order_number. So Resolve, which only reads, can settle a lost Place only
// when the lost answer named the order's id (what arrived of a cut 2xx
// answer), or at least was a 2xx (the order was placed). Otherwise the one
// way from an order number to what became of it is to send the same Place
// again, which PlaceAgain does, relying on the order number being unique
// per distributor:
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
// itself): that proves nothing either way.

// ErrPlacedUnreadable: Adility refused the order number of a Place whose
// own answer was lost as already used — so the order was placed — but the
// API offers no way to read an order by its number, so its id and vouchers
// cannot be fetched. The error (a *PlacedError) carries the order number
// and the request; Adility's support can find the order by the number. It
// also matches ErrDuplicateOrderNumber, orderkit.ErrUnresolvable and
// orderkit.ErrOutcomeUnknown.
var ErrPlacedUnreadable = errors.New("order placed, but the API offers no way to read it by its order number: vouchers not reachable")

// placeEvidence is what a lost Place leaves in
// orderkit.LostCreateError.Evidence for Resolve and PlaceAgain.
type placeEvidence struct {
	// sent is a copy of the request as it was sent: PlaceAgain sends it.
	sent *PlaceRequest
	// answered is the 2xx status of an answer that arrived but could not
	// be read (cut off, no order in it): the order was placed. Zero when
	// no 2xx arrived.
	answered int
	// orderID is an order id read from what arrived of such an answer;
	// it is checked with Get before it is trusted.
	orderID ID
}

// PlacedError says that an order was placed but cannot be read: a Place
// with its order number, sent again after the first one's answer was lost,
// was refused as a duplicate, and the refusal did not name the order (an
// order placed earlier under the same number, by another call, would be
// refused alike: the API cannot tell them apart, so use fresh numbers); or
// the lost answer was a 2xx that named no order Get could read. It matches
// ErrPlacedUnreadable, orderkit.ErrUnresolvable, orderkit.ErrOutcomeUnknown
// (the order's vouchers are unknown) and, after a duplicate refusal,
// through Err, ErrDuplicateOrderNumber. Resolve and PlaceAgain with a
// PlacedError only read (Get of OrderID, when set).
type PlacedError struct {
	// OrderNumber is the number of the placed order.
	OrderNumber string
	// Request is the request that placed it, as Place took it.
	Request *PlaceRequest
	// SentAt is the client's clock, in UTC, when the Place was sent.
	SentAt time.Time
	// ServerDate is the Date header of the duplicate refusal (or of the
	// 2xx answer), if sent.
	ServerDate time.Time
	// OrderID is the id the refusal or the 2xx answer named, when it
	// named one (then reading it failed or found another number).
	OrderID ID
	// Err is the duplicate refusal, or the lost Place's error after a 2xx
	// (an *orderkit.Error).
	Err error
}

// Error says the order is placed and why its vouchers are out of reach.
func (e *PlacedError) Error() string {
	return fmt.Sprintf("place order %q: %v: %v", e.OrderNumber, ErrPlacedUnreadable, e.Err)
}

// Unwrap gives errors.Is ErrPlacedUnreadable, orderkit.ErrUnresolvable,
// orderkit.ErrOutcomeUnknown and the refusal.
func (e *PlacedError) Unwrap() []error {
	return []error{ErrPlacedUnreadable, orderkit.ErrUnresolvable, orderkit.ErrOutcomeUnknown, e.Err}
}

// lostPlace returns the lost Place err holds, with its evidence.
func lostPlace(err error) (*orderkit.LostCreateError, *placeEvidence) {
	var lost *orderkit.LostCreateError
	if !errors.As(err, &lost) || lost.API != apiName {
		return nil, nil
	}
	ev, _ := lost.Evidence.(*placeEvidence)
	if ev == nil || ev.sent == nil {
		return nil, nil
	}
	return lost, ev
}

// Resolve finds out, reading only, what became of a Place whose answer was
// lost; it never sends a Place. err is the error Place returned (an
// *orderkit.LostCreateError or a *PlacedError, possibly wrapped). The
// Resolution is:
//
//   - Created, with the order and its vouchers: what arrived of the lost
//     answer (or a duplicate refusal) named the order, and Get read it,
//     its order number checked.
//   - Unresolvable, with Cause a *PlacedError (ErrPlacedUnreadable): a 2xx
//     arrived, so the order was placed, but the API offers no way to it.
//   - Unresolvable, with Cause the lost Place: no answer arrived, and the
//     API reads no order by its number. PlaceAgain(ctx, err) settles it by
//     sending the same Place again.
//
// Resolve never reports NotCreated. Lookups counts the requests sent. A
// lookup that itself fails returns its error, which still holds the lost
// Place, so Resolve can be called with it again.
func (s *OrdersService) Resolve(ctx context.Context, err error, opts ...orderkit.CallOption) (orderkit.Resolution[*Order], error) {
	cs, cerr := s.c.pc.Calls("Orders.Resolve", opts)
	if cerr != nil {
		return orderkit.Resolution[*Order]{}, cerr
	}
	if lost, ev := lostPlace(err); lost != nil {
		return s.resolve(ctx, lost, ev, cs)
	}
	var placed *PlacedError
	if errors.As(err, &placed) {
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

func (s *OrdersService) resolve(ctx context.Context, lost *orderkit.LostCreateError, ev *placeEvidence, cs config.CallSettings) (orderkit.Resolution[*Order], error) {
	res := orderkit.Resolution[*Order]{Cause: lost}
	if ev.orderID != "" {
		res.Lookups++
		o, err := s.readPlaced(ctx, ev.orderID, lost.Reference, cs)
		if err != nil {
			return res, fmt.Errorf("adility: resolving order %q: reading order %q: %w; the lost Place: %w", lost.Reference, ev.orderID, err, lost)
		}
		if o != nil {
			res.State, res.Order = orderkit.Created, o
			return res, nil
		}
	}
	res.State = orderkit.Unresolvable
	if ev.answered != 0 {
		// The lost Place was answered 2xx: it placed the order.
		res.Cause = placedByAnswer(lost, ev)
	}
	return res, nil
}

func placedByAnswer(lost *orderkit.LostCreateError, ev *placeEvidence) *PlacedError {
	req, _ := lost.Request.(*PlaceRequest)
	return &PlacedError{OrderNumber: lost.Reference, Request: req, SentAt: lost.SentAt,
		ServerDate: lost.ServerDate, OrderID: ev.orderID, Err: lost.Err}
}

// PlaceAgain sends the Place whose answer was lost again — the same
// request with the same order number, never another — so it may place the
// order: POST /orders. err is the error Place returned (an
// *orderkit.LostCreateError or a *PlacedError, possibly wrapped, such as
// the *orderkit.OutcomeError of Place with orderkit.ResolveOutcome).
//
// It relies on Adility refusing a repeated order number: if the lost Place
// placed nothing, this one places it and returns the order with its
// vouchers; if it did, this one is refused as a duplicate, and PlaceAgain
// returns the order when the refusal names it, or else a *PlacedError
// (ErrPlacedUnreadable). It sends nothing when the lost answer was a 2xx
// or for a *PlacedError (the order exists): then it only reads. A refusal
// for another reason proves nothing: the error is an
// *orderkit.OutcomeError (orderkit.ErrUnresolvable) holding the refusal and
// the lost Place. A PlaceAgain that fails otherwise (lost again, a done
// context) returns an error that still holds a lost Place, for another
// PlaceAgain later. See the package doc.
func (s *OrdersService) PlaceAgain(ctx context.Context, err error, opts ...orderkit.CallOption) (*Order, error) {
	cs, cerr := s.c.pc.Calls("Orders.PlaceAgain", opts)
	if cerr != nil {
		return nil, cerr
	}
	lost, ev := lostPlace(err)
	if lost == nil {
		var placed *PlacedError
		if !errors.As(err, &placed) {
			return nil, pipeline.Invalid(apiName, "place again: the error holds no lost Place (want the error of Place matching ErrOutcomeUnknown): %v", err)
		}
		return s.readPlacedError(ctx, placed, cs)
	}
	if ev.sent.OrderNumber != lost.Reference {
		return nil, pipeline.Invalid(apiName, "place again: the lost Place's request has order number %q, not %q: it is never sent under another number", ev.sent.OrderNumber, lost.Reference)
	}
	if err := ev.sent.validate(); err != nil {
		return nil, err
	}
	if ev.orderID != "" || ev.answered != 0 {
		res, rerr := s.resolve(ctx, lost, ev, cs)
		switch {
		case rerr != nil:
			return nil, rerr
		case res.State == orderkit.Created:
			return res.Order, nil
		case ev.answered != 0:
			// The lost Place placed the order: sending it again could
			// only be refused as a duplicate.
			return nil, res.Cause
		}
	}
	req, _ := lost.Request.(*PlaceRequest)
	o, _, err := s.place(ctx, req, ev.sent, true, cs)
	if err == nil {
		return o, nil
	}
	var placed *PlacedError
	if errors.As(err, &placed) || errors.Is(err, ErrDuplicateOrderNumber) {
		if placed == nil {
			placed = &PlacedError{OrderNumber: ev.sent.OrderNumber, Request: req, SentAt: lost.SentAt,
				ServerDate: serverDate(err), Err: err}
			if r := refusalOf(err); r != nil {
				placed.OrderID = r.orderID
			}
		}
		return s.readPlacedError(ctx, placed, cs)
	}
	if again, _ := lostPlace(err); again != nil {
		// Lost again: the new error carries the same request and number,
		// and PlaceAgain can be called with it.
		return nil, err
	}
	if refusedForGood(err) {
		res := orderkit.Resolution[*Order]{State: orderkit.Unresolvable,
			Cause: fmt.Errorf("%w; sent again with order number %q, it was refused for another reason, which does not tell: %w", lost, lost.Reference, err)}
		return nil, res.Err()
	}
	// The lost Place stays in the chain: the outcome is still unknown, and
	// PlaceAgain can be called with this error again.
	return nil, fmt.Errorf("adility: place again %q: %w; the lost Place: %w", lost.Reference, err, lost)
}

// readPlacedError reads the order a *PlacedError names, if it names one; it
// returns the order, or the *PlacedError when there is none to read, or
// the failed lookup's error (which keeps the *PlacedError).
func (s *OrdersService) readPlacedError(ctx context.Context, placed *PlacedError, cs config.CallSettings) (*Order, error) {
	if placed.OrderID != "" {
		o, gerr := s.readPlaced(ctx, placed.OrderID, placed.OrderNumber, cs)
		if gerr != nil {
			return nil, placedLookupFailed(gerr, placed)
		}
		if o != nil {
			return o, nil
		}
	}
	return nil, placed
}

// readPlaced reads the order id names, which should be the placed order
// with this number. It returns the order; nil and no error when the id
// does not lead to it (not found, or another order number); or Get's
// error when Get failed in a way that may pass.
func (s *OrdersService) readPlaced(ctx context.Context, id ID, number string, cs config.CallSettings) (*Order, error) {
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
	var pe *orderkit.Error
	return errors.As(err, &pe) && pe.StatusCode >= 400 && pe.StatusCode < 500 && !errors.Is(err, orderkit.ErrOutcomeUnknown) &&
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
func attemptsOf(resp *orderkit.Response, err error) int {
	var pe *orderkit.Error
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
	var pe *orderkit.Error
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

func idInExcerpt(body string) ID {
	m := idInExcerptRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return ID(m[1])
	}
	return ID(m[2])
}
