package versacommerce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// Resolving a lost Create. The shop has no filter for origin_id, but it
// filters by creation time (created_at_min) and by note, and every order
// carries its origin_id: the lookup lists the orders created since the lost
// request was sent (by the shop's clock) and keeps those with the
// reference.
const (
	// clockSlack is how far before the send time (by the shop's clock, as
	// its Date header tells) the lookup starts: the Date header and
	// created_at have whole seconds, and the offset is measured over a
	// network.
	clockSlack = 5 * time.Second
	// unknownSkew is how far the lookup reaches back when no Date header
	// has told the shop's clock yet; the first answer's Date narrows it.
	unknownSkew = 15 * time.Minute
	// LostRequestWindow is how long after sending a lost Create could still
	// be carried out by the shop (a request stuck in a proxy or a slow
	// worker). A lookup that finds nothing is SafeToResend only when the
	// shop's clock shows at least this much time since the send.
	LostRequestWindow = 2 * time.Minute
)

func serverDate(err error, res *orderkit.Response) time.Time {
	if res == nil {
		var e *orderkit.Error
		if errors.As(err, &e) {
			res = e.Response
		}
	}
	if res == nil {
		return time.Time{}
	}
	return dateOf(res)
}

func dateOf(res *orderkit.Response) time.Time {
	if res == nil || res.Header == nil {
		return time.Time{}
	}
	t, err := http.ParseTime(res.Header.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// Resolve finds out what a Create that ended with orderkit.ErrOutcomeUnknown
// did, from the *orderkit.LostCreateError its error holds: it lists the
// orders created since the request was sent and keeps those carrying its
// reference (origin_id). It never sends a create. The package doc says
// what each State proves and what the lookup costs. The error is a
// lookup's failure, or orderkit.ErrInvalidArgument when err holds no lost
// create of this client.
//
// GET /api/orders.json?created_at_min=…&include=items
func (s *OrdersService) Resolve(ctx context.Context, err error, call ...orderkit.CallOption) (orderkit.Resolution[*Order], error) {
	var lost *orderkit.LostCreateError
	if !errors.As(err, &lost) {
		return orderkit.Resolution[*Order]{}, pipeline.Invalid(api, "resolve: the error holds no *orderkit.LostCreateError (only a Create that ended with ErrOutcomeUnknown does)")
	}
	req, ok := lost.Request.(*OrderRequest)
	if !ok || req == nil {
		return orderkit.Resolution[*Order]{}, pipeline.Invalid(api, "resolve: the lost create's Request is a %T, not a *versacommerce.OrderRequest", lost.Request)
	}
	cs, cerr := s.c.pc.Calls("Orders.Resolve", call)
	if cerr != nil {
		return orderkit.Resolution[*Order]{}, cerr
	}
	return s.resolve(ctx, err, lost, req, cs)
}

func (s *OrdersService) resolve(ctx context.Context, err error, a *orderkit.LostCreateError, req *OrderRequest, cs config.CallSettings) (orderkit.Resolution[*Order], error) {
	cs.Resolve = false
	r := orderkit.Resolution[*Order]{Cause: err}
	if a.Reference == "" && blank(req.Note) {
		r.State = orderkit.Unresolvable
		return r, nil
	}

	// offset is the shop's clock minus ours, when a Date header told it.
	var offset time.Duration
	known := !a.ServerDate.IsZero()
	if known {
		offset = a.ServerDate.Sub(a.EndedAt)
	}
	from := func() time.Time {
		if known {
			return a.SentAt.Add(offset).Add(-clockSlack).UTC()
		}
		return a.SentAt.Add(-unknownSkew).UTC()
	}
	var asOf time.Time
	for pass := 0; pass < 2; pass++ {
		// The window since the send; with an order date (CreatedAt) the
		// window around it first: the page does not say whether the shop
		// stamps the date sent or the time of creation, so both are
		// searched.
		f := Filter{CreatedAtMin: from().Truncate(time.Second)}
		if a.Reference == "" {
			f.Note = req.Note
		}
		windows := []Filter{f}
		if !req.CreatedAt.IsZero() {
			around := f
			around.CreatedAtMin = req.CreatedAt.Add(-time.Minute).UTC()
			around.CreatedAtMax = req.CreatedAt.Add(time.Minute).UTC()
			windows = []Filter{around, f}
		}
		var last *orderkit.Response
		var found []*Order
		sinceSend := map[*Order]bool{}
		seen, originSeen, outside, unsure := 0, false, false, false
		for wi, w := range windows {
			opts := ListOptions{Filter: w, Limit: MaxLimit, Include: []Include{IncludeItems}}
			for o, werr := range s.walk(ctx, opts, cs, func(res *orderkit.Response) {
				r.Lookups++
				if res != nil {
					last = res
				}
			}, &originSeen) {
				if werr != nil {
					return r, werr
				}
				seen++
				if o.CreatedAt.IsZero() || o.CreatedAt.Before(w.CreatedAtMin) ||
					(!w.CreatedAtMax.IsZero() && o.CreatedAt.After(w.CreatedAtMax)) {
					// The page's table words created_at_min as "creation
					// before date": a shop that reads it so, or ignores it,
					// lists orders outside the window, and one without a
					// creation time cannot be placed in it. Its silence then
					// says nothing of the order made since the send.
					outside = true
				}
				match, maybe := matches(req, a.Reference, &o)
				unsure = unsure || maybe
				if !match || wi > 0 && contains(found, o.ID) {
					continue
				}
				found = append(found, &o)
				sinceSend[found[len(found)-1]] = wi == len(windows)-1
			}
		}
		asOf = dateOf(last)
		wasKnown := known
		if !asOf.IsZero() && !known {
			known, offset = true, time.Until(asOf)
		}
		if !wasKnown && known && offset < -(unknownSkew-clockSlack) {
			// The shop's clock is so far behind ours that the window
			// searched may start after the order was made: search again
			// from where its clock says the send was.
			continue
		}
		if asOf.IsZero() {
			asOf = time.Now().Add(offset).UTC()
		}
		if known {
			// The window since the send was placed on the shop's clock
			// before it was known: keep what was made since the send.
			start := from().Truncate(time.Second)
			kept := found[:0]
			for _, o := range found {
				if !sinceSend[o] || !o.CreatedAt.Before(start) {
					kept = append(kept, o)
				}
			}
			found = kept
		}
		switch {
		case len(found) == 0 && a.Reference != "" && seen > 0 && !originSeen:
			// Orders were created since the send, but the shop's answers
			// carry no origin_id: the reference cannot tell whether one of
			// them is ours.
			r.State = orderkit.Unresolvable
		case len(found) == 0 && unsure:
			// An order with the reference whose origin_name the shop did
			// not echo: it may be ours.
			r.State = orderkit.Unresolvable
		case len(found) == 0 && outside:
			// The shop listed orders outside the window asked for (or
			// without a creation time): it does not filter as the lookup
			// reads created_at_min, so finding none proves nothing.
			r.State = orderkit.Unresolvable
		case len(found) == 0:
			// An empty window is also what a shop that reads
			// created_at_min as "before" answers when no order is older
			// than the window. One order at most asked with
			// created_at_max at the window's start tells the readings
			// apart: read by its name it lists orders from before the
			// window, read as the table words it those since then.
			later, perr := s.createdSince(ctx, f, cs) // the window since the send
			r.Lookups++
			if perr != nil {
				return r, perr
			}
			if later {
				r.State = orderkit.Unresolvable
				return r, nil
			}
			r.State = orderkit.NotCreated
			r.AsOf = asOf
			r.SafeToResend = known && asOf.Sub(a.SentAt.Add(offset)) >= LostRequestWindow
		case len(found) == 1:
			r.State, r.Order = orderkit.Created, found[0]
		default:
			r.State, r.Candidates = orderkit.Ambiguous, found
		}
		return r, nil
	}
	return r, fmt.Errorf("versacommerce: resolve: the shop's clock could not be placed")
}

// createdSince asks for one order created up to the start of f's window
// (created_at_max) and reports whether the shop answered one created after
// it, or one without a creation time: a shop that does not read the
// created_at bounds by their names.
func (s *OrdersService) createdSince(ctx context.Context, f Filter, cs config.CallSettings) (bool, error) {
	probe := ListOptions{Filter: Filter{CreatedAtMax: f.CreatedAtMin, Note: f.Note}, Limit: 1}
	q, err := probe.query()
	if err != nil {
		return false, err
	}
	page, _, err := s.list(ctx, q, cs, nil)
	if err != nil {
		return false, err
	}
	for i := range page {
		if t := page[i].CreatedAt; t.IsZero() || t.After(f.CreatedAtMin) {
			return true, nil
		}
	}
	return false, nil
}

func contains(orders []*Order, id ID) bool {
	for _, o := range orders {
		if o.ID == id {
			return true
		}
	}
	return false
}

// matches reports whether o is what req would have made: the reference as
// origin_id (and the same origin_name, when set), or without a reference
// the same note. unsure is an order with the reference but no origin_name
// to compare with the one sent: a shop that does not echo origin_name.
func matches(req *OrderRequest, ref string, o *Order) (match, unsure bool) {
	if ref != "" {
		if o.OriginID != ref {
			return false, false
		}
		if req.OriginName != "" && o.OriginName == "" {
			return false, true
		}
		return req.OriginName == "" || o.OriginName == req.OriginName, false
	}
	return o.Note == req.Note, false
}
