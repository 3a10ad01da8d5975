package versacommerce

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// Resolving a lost Create. The shop has no filter for origin_id, but it
// filters by creation time (created_at_min) and every order can carry its
// origin_id: the lookup lists the orders created since the lost request
// was sent (by the shop's clock) and tells ours by its reference, the
// others by their own reference or their items. The package doc states
// the rules; the constants are their parameters.
const (
	// clockSlack is how far before the send (placed on the shop's clock)
	// the window starts: created_at has whole seconds.
	clockSlack = 5 * time.Second
	// MaxClockSkew bounds how far the shop's clock may be from the
	// client's when no answer carries a Date header: the lookup then
	// reaches this far around the send, and NotCreated is safe to resend
	// only when the client's clock shows LostRequestWindow plus twice this
	// since the send.
	MaxClockSkew = 15 * time.Minute
	// LostRequestWindow is the settle time: how long after sending a lost
	// Create may still be carried out by the shop (a request stuck in a
	// proxy, a queued write). Resolve assumes none is carried out later.
	// A NotCreated is SafeToResend only when the lookup saw every order
	// the shop wrote up to at least this long after the send, on the
	// shop's clock.
	LostRequestWindow = 2 * time.Minute
	// orderDateReach is how far around an OrderRequest.CreatedAt the
	// lookup also searches, for a shop that keeps the date sent.
	orderDateReach = time.Minute
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
// orders created since the request was sent and tells by their reference
// (origin_id) and items whether one is the lost Create's. It only reads;
// it never sends a create. The package doc says what each State proves,
// what it assumes and what the lookup costs. The error is a lookup's
// failure, or orderkit.ErrInvalidArgument when err holds no lost create of
// this client.
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

// window is a span of creation times the lost order may carry; a zero to
// is open.
type window struct{ from, to time.Time }

func (w window) holds(t time.Time) bool {
	return !t.Before(w.from) && (w.to.IsZero() || !t.After(w.to))
}

// firstDate keeps the first Date the lookup's answers carry, with the
// client's clock just before its request and when it came.
type firstDate struct {
	date, sent, came time.Time
}

func (f *firstDate) seen(res *orderkit.Response, sent, came time.Time) {
	if d := dateOf(res); f.date.IsZero() && !d.IsZero() {
		f.date, f.sent, f.came = d, sent, came
	}
}

func (s *OrdersService) resolve(ctx context.Context, err error, a *orderkit.LostCreateError, req *OrderRequest, cs config.CallSettings) (orderkit.Resolution[*Order], error) {
	cs.Resolve = false
	r := orderkit.Resolution[*Order]{Cause: err}
	now := s.c.now
	var first firstDate

	// 1. Does the shop read the created_at bounds by their names? A bound
	// far in the future (and, for the order date's window, one far in the
	// past) must list nothing; a shop that reads them otherwise (reversed,
	// as the filter table words them, or not at all) is walked whole.
	byName := true
	probes := []Filter{{CreatedAtMin: s.c.now().UTC().AddDate(100, 0, 0).Truncate(time.Second)}}
	if !req.CreatedAt.IsZero() {
		probes = append(probes, Filter{CreatedAtMax: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	for _, f := range probes {
		q, qerr := (&ListOptions{Filter: f, Limit: 1}).query()
		if qerr != nil {
			return r, qerr
		}
		sent := now()
		page, res, lerr := s.list(ctx, q, cs)
		r.Lookups++
		if lerr != nil {
			return r, lerr
		}
		first.seen(res, sent, now())
		if len(page) > 0 {
			byName = false
		}
	}

	// 2. Place the send on the shop's clock, in [sendLo, sendHi); offLo
	// is the least the shop's clock can be ahead of the client's.
	var sendLo, sendHi time.Time
	var offLo time.Duration
	switch {
	case !a.ServerDate.IsZero():
		// The lost answer's Date was stamped after the request arrived,
		// and before the call ended by the client's clock.
		offLo = a.ServerDate.Sub(a.EndedAt)
		sendLo, sendHi = a.SentAt.Add(offLo), a.ServerDate.Add(time.Second)
	case !first.date.IsZero():
		// The offset the probe's Date tells, the shop's clock assumed not
		// to drift since the send.
		offLo = first.date.Sub(first.came)
		sendLo, sendHi = a.SentAt.Add(offLo), a.SentAt.Add(first.date.Add(time.Second).Sub(first.sent))
	default:
		offLo = -MaxClockSkew
		sendLo, sendHi = a.SentAt.Add(-MaxClockSkew), a.SentAt.Add(MaxClockSkew)
	}
	windows := []window{{from: sendLo.UTC().Truncate(time.Second).Add(-clockSlack)}}
	if !req.CreatedAt.IsZero() {
		// The page does not say whether the shop keeps the order date sent
		// or stamps the time of creation: both are searched.
		d := req.CreatedAt.UTC()
		windows = append(windows, window{from: d.Add(-orderDateReach).Truncate(time.Second), to: d.Add(orderDateReach).Truncate(time.Second).Add(time.Second)})
	}

	// 3. Walk: each window when the bounds are read by name, else every
	// order. Every walk ends on an empty page, so it saw every order the
	// shop wrote before its last request.
	walks := []Filter{{}}
	if byName {
		walks = walks[:0]
		for _, w := range windows {
			walks = append(walks, Filter{CreatedAtMin: w.from, CreatedAtMax: w.to})
		}
	}
	listed := map[ID]*Order{}
	var order []ID
	// asOf is the shop's time up to which every walk saw every order: the
	// least over the walks of the last answer's Date, or, without one, of
	// the client's clock before the last request plus offLo.
	var asOf time.Time
	for i, f := range walks {
		var lastDate time.Time
		prev := now() // bounds the last request's send from below
		lastSent := prev
		for o, werr := range s.walk(ctx, ListOptions{Filter: f, Limit: MaxLimit, Include: []Include{IncludeItems}}, cs, func(res *orderkit.Response) {
			r.Lookups++
			came := now()
			first.seen(res, prev, came)
			lastSent, prev = prev, came
			lastDate = dateOf(res)
		}) {
			if werr != nil {
				return r, werr
			}
			if _, dup := listed[o.ID]; !dup {
				o := o
				listed[o.ID] = &o
				order = append(order, o.ID)
			}
		}
		end := lastSent.Add(offLo).UTC().Truncate(time.Second)
		if lastDate.After(end) {
			end = lastDate
		}
		if i == 0 || end.Before(asOf) {
			asOf = end
		}
	}

	// 4. Tell the orders apart.
	ref := a.Reference
	echoes := false // some order carries an origin_id: the shop keeps it
	for _, id := range order {
		if listed[id].OriginID != "" {
			echoes = true
		}
	}
	var ours, maybe []*Order
	for _, id := range order {
		o := listed[id]
		switch judge(req, ref, o, echoes, windows) {
		case isOurs:
			ours = append(ours, o)
		case mayBeOurs:
			maybe = append(maybe, o)
		}
	}
	switch {
	case len(ours) == 1:
		r.State, r.Order = orderkit.Created, ours[0]
	case len(ours) > 1:
		r.State, r.Candidates = orderkit.Ambiguous, ours
	case len(maybe) > 0:
		r.State, r.Candidates = orderkit.Ambiguous, maybe
	default:
		// Every order the shop wrote up to AsOf was seen; the lost request
		// can no longer be carried out once LostRequestWindow has passed
		// since its send.
		r.State, r.AsOf = orderkit.NotCreated, asOf
		r.SafeToResend = !asOf.Before(sendHi.Add(LostRequestWindow))
	}
	return r, nil
}

type verdict int

const (
	notOurs verdict = iota
	mayBeOurs
	isOurs
)

// judge says whether o is the order req would have made. An order with
// the reference as origin_id is ours wherever it lies (origin_name, when
// both carry one, must agree); other orders outside every window are not.
// Inside one, an order is not ours when it carries another origin_id than
// the reference, when the shop keeps origin_id (echoes: some order carries
// one) and o carries none, or when its items (product and quantity, summed
// per product) differ from the request's. Anything else may be ours.
func judge(req *OrderRequest, ref string, o *Order, echoes bool, windows []window) verdict {
	if ref != "" && o.OriginID == ref {
		if req.OriginName != "" && o.OriginName != "" && !strings.EqualFold(strings.TrimSpace(o.OriginName), strings.TrimSpace(req.OriginName)) {
			return notOurs // another source's order with the same id
		}
		if req.OriginName != "" && o.OriginName == "" {
			return mayBeOurs // a shop that does not echo origin_name
		}
		return isOurs
	}
	in := o.CreatedAt.IsZero() // a time the order does not tell cannot place it
	for _, w := range windows {
		in = in || w.holds(o.CreatedAt)
	}
	if !in {
		return notOurs
	}
	if ref != "" {
		switch id := strings.TrimSpace(o.OriginID); {
		case id == "" && echoes:
			return notOurs
		case id != "" && !similar(id, ref):
			return notOurs
		}
	}
	if !sameItems(req, o) {
		return notOurs
	}
	return mayBeOurs
}

// similar reports whether an origin_id the shop answered might be the
// reference sent, altered: the same but for case and spaces, or one a
// prefix of the other (a shop that cuts long values).
func similar(got, ref string) bool {
	g, r := strings.ToLower(got), strings.ToLower(strings.TrimSpace(ref))
	return strings.HasPrefix(g, r) || strings.HasPrefix(r, g)
}

// sameItems compares the quantities per product of the request and of
// the order; an order listed without its items (no items key, or none
// where items_count says there are some) cannot be told apart.
func sameItems(req *OrderRequest, o *Order) bool {
	if o.Items == nil || len(o.Items) == 0 && o.ItemsCount > 0 {
		return true
	}
	want, got := map[ID]int{}, map[ID]int{}
	for _, it := range req.Items {
		want[it.ProductID] += it.Quantity
	}
	for _, it := range o.Items {
		got[it.ProductID] += it.Quantity
	}
	if len(want) != len(got) {
		return false
	}
	for id, n := range want {
		if got[id] != n {
			return false
		}
	}
	return true
}
