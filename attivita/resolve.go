package attivita

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// Attivita takes no idempotency key and no reference of the caller's, so a
// lost create is found by what it asked for (the products and amounts, or
// the webhook's url and events) and when: the order's date, read on the
// server's clock. See the package doc, Lost answers, for the rule.
const (
	// dateSlack widens the window on both sides: order dates and Date
	// headers are whole seconds.
	dateSlack = 2 * time.Second
)

// SettleTime is what Resolve assumes of the server: an order is written
// (listed, and dated) no later than SettleTime after the connection of
// its create ended. It is one rule with two uses. A lookup answers
// NotCreated (always SafeToResend) only when it ran at least SettleTime
// after the lost call ended, on the client's clock: an order still being
// written has appeared by then. Before, a lookup that finds nothing is
// Ambiguous: resolve again later. And the lost call's order is dated no
// later than SettleTime after the call ended, on the server's clock: a
// lone match dated later may be another client's, and is Ambiguous too.
const SettleTime = 10 * time.Second

// evidence is this client's record of a lost create, kept in
// orderkit.LostCreateError.Evidence: the mode it went out in, the server's
// clock as the client's last answer before it showed it, and what was
// sent (a copy, in case the caller changes the request afterwards).
type evidence struct {
	sandbox   bool
	seenSkew  time.Duration
	seenKnown bool
	products  []OrderProduct // Orders.Create
	hook      WebhookParams  // Webhooks.Create
}

// lostCall is what the lookup reads of a lost create: the times of the
// orderkit.LostCreateError and the evidence.
type lostCall struct {
	sentAt, endedAt, serverDate time.Time
	evidence
}

// lostCreate returns the error of a create whose answer was lost: req is
// the request the method took, ev what it sent.
func (c *Client) lostCreate(req any, ev *evidence, sandbox bool, sent time.Time, err error) *orderkit.LostCreateError {
	ev.sandbox = sandbox
	ev.seenSkew, ev.seenKnown = c.seenSkew()
	lost := &orderkit.LostCreateError{API: api, Request: req, SentAt: sent.UTC(), EndedAt: c.clockNow().UTC(), Err: err, Evidence: ev}
	var e *orderkit.Error
	if errors.As(err, &e) && e.Response != nil {
		if d, perr := http.ParseTime(e.Response.Header.Get("Date")); perr == nil {
			lost.ServerDate = d.UTC()
		}
	}
	return lost
}

// lostFrom finds the lost create in err: directly, or inside the
// *orderkit.OutcomeError of an earlier resolution. It returns the record
// for the lookup, with the evidence the error carries; an error built by
// the caller without it is read in the mode of the Sandbox call option
// given to Resolve, else the client's. method names Resolve in errors.
func (c *Client) lostFrom(err error, cs config.CallSettings, method string) (*orderkit.LostCreateError, lostCall, error) {
	var lost *orderkit.LostCreateError
	if !errors.As(err, &lost) {
		var oe *orderkit.OutcomeError
		if !errors.As(err, &oe) || !errors.As(oe.Err, &lost) {
			lost = nil
		}
	}
	if lost == nil {
		return nil, lostCall{}, pipeline.Invalid(api, "invalid argument: %s: the error holds no *orderkit.LostCreateError", method)
	}
	lc := lostCall{sentAt: lost.SentAt, endedAt: lost.EndedAt, serverDate: lost.ServerDate}
	v, given := cs.OwnValue("Sandbox")
	if ev, ok := lost.Evidence.(*evidence); ok && ev != nil {
		lc.evidence = *ev
		if given && v.(bool) != ev.sandbox {
			return lost, lc, pipeline.Invalid(api, "invalid argument: %s: attivita.Sandbox(%t) contradicts the lost create, which went out with sandbox mode %t", method, v.(bool), ev.sandbox)
		}
	} else {
		lc.sandbox = c.mode(cs)
	}
	if lc.sentAt.IsZero() {
		return lost, lc, pipeline.Invalid(api, "invalid argument: %s: the lost create has no SentAt", method)
	}
	return lost, lc, nil
}

// window is what a lookup reads of an order's date, on the server's
// clock. from is the earliest date the lost call's order may carry; an
// identical order dated before it is an older one. settleEnd is the
// latest (the end of the call plus SettleTime): a match dated between
// them may be the lost call's, one dated later (up to the lookup) is a
// candidate that cannot be taken, since it may be the lost call's written
// late as well as another client's. Without a Date header in any answer
// the server's clock is unknown: every date is possible (unbounded), and
// no match can be taken.
type window struct {
	from, settleEnd time.Time
	unbounded       bool
}

// fit says what a date (and the span after it an order may have been made
// in, see Order) tells of a match: before the window (not the lost call's:
// drop it), within it (may be taken), or neither (a candidate that cannot
// be taken). An undated match is a candidate that cannot be taken.
func (w window) fit(t time.Time, span time.Duration) (older, within bool) {
	if t.IsZero() {
		return false, false
	}
	if w.unbounded {
		return false, false
	}
	if t.Add(span).Before(w.from) {
		return true, false
	}
	return false, !t.Before(w.from) && !t.Add(span).After(w.settleEnd)
}

// lookupTimes reads the server's clock from every Date header known: the
// lost answer's, the client's last answer before it, and the lookup's own.
// Where they disagree (the server's clock was stepped) the window spans
// them all, so that an order placed in between is a candidate too: the
// resolution is then ambiguous rather than wrong. It returns the window of
// the lost call and the server time of the lookup (AsOf).
func (lc lostCall) lookupTimes(res *pipeline.Response, answered time.Time) (window, time.Time) {
	var lookupDate time.Time
	if res != nil {
		if d, err := http.ParseTime(res.Header.Get("Date")); err == nil {
			lookupDate = d.UTC()
		}
	}
	var skews []time.Duration
	if !lc.serverDate.IsZero() && !lc.endedAt.IsZero() {
		skews = append(skews, lc.serverDate.Sub(lc.endedAt))
	}
	if lc.seenKnown {
		skews = append(skews, lc.seenSkew)
	}
	if !lookupDate.IsZero() {
		skews = append(skews, lookupDate.Sub(answered))
	}
	if len(skews) == 0 {
		return window{unbounded: true}, answered.UTC()
	}
	lo, hi := skews[0], skews[0]
	for _, d := range skews[1:] {
		lo, hi = min(lo, d), max(hi, d)
	}
	w := window{
		from:      lc.sentAt.Add(lo - dateSlack).UTC(),
		settleEnd: lc.end().Add(SettleTime + hi + dateSlack).UTC(),
	}
	asOf := lookupDate
	if asOf.IsZero() {
		asOf = answered.Add(hi).UTC()
	}
	return w, asOf
}

// end is when the lost call ended on the client's clock: EndedAt, or
// SentAt when the error holds none (or an earlier one).
func (lc lostCall) end() time.Time {
	if lc.endedAt.IsZero() || lc.endedAt.Before(lc.sentAt) {
		return lc.sentAt
	}
	return lc.endedAt
}

// settled reports whether a lookup sent at (client time) is late enough
// for its "not created" to hold: SettleTime after the lost call ended.
func (lc lostCall) settled(sent time.Time) bool {
	return sent.Sub(lc.end()) >= SettleTime
}

// sameProducts reports whether o holds what the lost create asked for: the
// same amount of each product, lines with one product added up (the API
// may merge or keep them).
func sameProducts(asked []OrderProduct, o *Order) bool {
	want := map[ID]int{}
	for _, p := range asked {
		want[p.ProductID] += p.Amount
	}
	got := map[ID]int{}
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

// Resolve finds out what a lost Orders.Create did, from the
// *orderkit.LostCreateError it returned (or an error wrapping it, or the
// *orderkit.OutcomeError of an earlier resolution). It lists the orders in
// the mode of the lost call (a sandbox lookup that meets orders the list
// does not mark lists the live orders too, to tell them apart) and never
// sends a create. State is Created (Order, keys included), NotCreated
// (AsOf; always SafeToResend) or Ambiguous (Candidates, possibly none);
// the package doc, Lost answers, says what each proves. The error
// returned is for a lookup that failed (the Resolution is then Unresolved)
// or an err that holds no lost Orders.Create (orderkit.ErrInvalidArgument).
//
// A LostCreateError the caller built (Request a *OrderRequest, SentAt and
// EndedAt kept from the lost call) carries no Evidence: it is looked up in
// the mode of the Sandbox call option, else the client's.
//
// GET /api/orders
func (s *OrdersService) Resolve(ctx context.Context, err error, opts ...orderkit.CallOption) (orderkit.Resolution[*Order], error) {
	r := orderkit.Resolution[*Order]{Cause: err}
	cs, _, cerr := s.c.calls(ctx, "Orders.Resolve", opts)
	if cerr != nil {
		return r, cerr
	}
	lost, lc, lerr := s.c.lostFrom(err, cs, "Orders.Resolve")
	if lerr != nil {
		return r, lerr
	}
	req, _ := lost.Request.(*OrderRequest)
	if len(lc.products) == 0 && req != nil {
		// No Evidence of this client's (a rebuilt error): what was asked.
		lc.products = req.Products
	}
	if req == nil || len(lc.products) == 0 {
		return r, pipeline.Invalid(api, "invalid argument: Orders.Resolve: the error holds no lost Orders.Create with products")
	}
	return s.resolve(ctx, lost, lc, cs, 0)
}

// match is an order or webhook that may be what the lost create made;
// sure when nothing but the lost call can have made it, as far as the
// lookup can tell (see window).
type match[T any] struct {
	v    T
	sure bool
}

// resolve looks the lost order up. self is 1 when the lookup is made by
// the lost Create itself (ResolveOutcome), which is still in flight, and
// 0 for Resolve. The lookup goes out with the caller's call options (a
// CaptureResponse receives its answer), in the lost call's mode.
func (s *OrdersService) resolve(ctx context.Context, lost *orderkit.LostCreateError, lc lostCall, cs config.CallSettings, self int) (orderkit.Resolution[*Order], error) {
	r := orderkit.Resolution[*Order]{Cause: lost}
	sent := s.c.clockNow()
	orders, res, err := s.list(ctx, cs, lc.sandbox)
	answered := s.c.clockNow()
	r.Lookups = attempts(res, err)
	if err != nil {
		return r, fmt.Errorf("attivita: resolving the lost order: %w", err)
	}
	w, asOf := lc.lookupTimes(res, answered)
	// kind says what each listed order is: the lost call's mode's own
	// (true), surely not (false), or maybe (absent from the map: a sandbox
	// list's unmarked order that the live list holds too).
	kind := make(map[*Order]bool, len(orders))
	// listed: the list shows the lost call's kind of orders at all. A live
	// list does; a sandbox list only as far as it shows a sandbox order.
	listed := !lc.sandbox
	var plain []*Order
	for i := range orders {
		o := &orders[i]
		switch {
		case !lc.sandbox:
			kind[o] = !o.Sandbox
		case o.Sandbox:
			kind[o], listed = true, true
		default:
			plain = append(plain, o)
		}
	}
	// A server treats its sandbox orders alike: where its sandbox list
	// marks some, an order it does not mark is a live one.
	if listed {
		for _, o := range plain {
			kind[o] = false
		}
		plain = nil
	}
	if len(plain) > 0 {
		// A sandbox list that marks no order: its orders are the sandbox's
		// unmarked, or live ones the sandbox list shows too. The live
		// list, read after it, holds every live order it showed; an order
		// it does not hold is the sandbox's. Where some are, the live list
		// shows no sandbox order, and those it holds are live.
		live, lres, lerr := s.list(ctx, cs, false)
		r.Lookups += attempts(lres, lerr)
		if lerr != nil {
			return r, fmt.Errorf("attivita: resolving the lost order: listing the live orders: %w", lerr)
		}
		var both []*Order
		for _, o := range plain {
			if slices.ContainsFunc(live, func(l Order) bool { return sameOrder(&l, o) }) {
				both = append(both, o)
				continue
			}
			o.Sandbox = true
			kind[o], listed = true, true
		}
		for _, o := range both {
			if listed {
				kind[o] = false
			} // else maybe live, maybe the sandbox's: no kind
		}
	}
	// Another Create of this client with the same products in the same
	// mode, still waiting for its answer, may have placed the one match:
	// taking it would hand its keys out twice.
	busy := s.c.claimed.inFlight(createKey(lc.sandbox, lc.products)) > self
	id := lostID(lc)
	var matches []match[*Order]
	for i := range orders {
		o := &orders[i]
		own, known := kind[o]
		if (known && !own) || !sameProducts(lc.products, o) {
			continue
		}
		older, within := w.fit(o.OrderDate, o.dateSpan)
		if older || s.c.claimed.taken(orderKeyIn(lc.sandbox, o.OrderNumber)) ||
			(!known && s.c.claimed.taken(orderKeyIn(false, o.OrderNumber))) {
			continue
		}
		sure := known && within && !busy && !s.c.claimed.contested(orderKeyIn(lc.sandbox, o.OrderNumber), id)
		matches = append(matches, match[*Order]{o, sure})
	}
	decide(&r, matches, lc.settled(sent) && listed, asOf)
	if r.State == orderkit.Created && self == 0 {
		s.c.claimed.foundFor(orderKey(r.Order), id)
	}
	return r, nil
}

// sameOrder reports whether a and b are one order as two lists show it:
// the same number, date and lines.
func sameOrder(a, b *Order) bool {
	if a.OrderNumber != b.OrderNumber || !a.OrderDate.Equal(b.OrderDate) || len(a.Items) != len(b.Items) {
		return false
	}
	for i := range a.Items {
		if a.Items[i].ProductID != b.Items[i].ProductID || a.Items[i].Quantity != b.Items[i].Quantity {
			return false
		}
	}
	return true
}

// createKey names what a Create asks for in its mode: the amount of each
// product, lines of one product added up, in product order.
func createKey(sandbox bool, products []OrderProduct) string {
	sum := map[ID]int{}
	for _, p := range products {
		sum[p.ProductID] += p.Amount
	}
	ids := make([]ID, 0, len(sum))
	for id := range sum {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString(orderKeyIn(sandbox, 0))
	for _, id := range ids {
		b.WriteString("|")
		b.WriteString(strconv.Quote(string(id)))
		b.WriteString("=")
		b.WriteString(strconv.Itoa(sum[id]))
	}
	return b.String()
}

// decide sets the outcome from the matches: a single match that is sure
// is Created; none is NotCreated as of asOf when the lookup could see the
// lost call's order (settled: SettleTime after the call, in a list that
// shows its kind of orders), and then always SafeToResend; anything else
// is Ambiguous, with the matches as Candidates (possibly none). Resolve
// never picks one.
func decide[T any](r *orderkit.Resolution[T], matches []match[T], settled bool, asOf time.Time) {
	switch {
	case len(matches) == 0 && settled:
		r.State, r.AsOf, r.SafeToResend = orderkit.NotCreated, asOf, true
	case len(matches) == 1 && matches[0].sure:
		r.State, r.Order = orderkit.Created, matches[0].v
	default:
		r.State = orderkit.Ambiguous
		for _, m := range matches {
			r.Candidates = append(r.Candidates, m.v)
		}
	}
}

// resolveNow is Create's ResolveOutcome path: the lookup goes out with the
// create's call options.
func (s *OrdersService) resolveNow(ctx context.Context, lost *orderkit.LostCreateError, cs config.CallSettings) (*Order, error) {
	ev := lost.Evidence.(*evidence)
	r, err := s.resolve(ctx, lost, lostCall{sentAt: lost.SentAt, endedAt: lost.EndedAt, serverDate: lost.ServerDate, evidence: *ev}, cs, 1)
	if err != nil {
		l := *lost
		l.LookupErr = err
		return nil, &l
	}
	if r.State == orderkit.Created {
		s.c.claimed.claim(orderKey(r.Order))
		return r.Order, nil
	}
	return nil, r.Err()
}

// attempts counts the requests a lookup sent.
func attempts(res *pipeline.Response, err error) int {
	if res != nil {
		return res.Attempts
	}
	var e *orderkit.Error
	if errors.As(err, &e) {
		return e.Attempts
	}
	return 0
}

// claimsKept bounds the orders and webhooks a client remembers: a lost
// create is looked up among the orders of a window seconds wide, so only
// the latest ones matter.
const claimsKept = 4096

// claims remembers, per client, the recent orders and webhooks that a
// create returned to its caller: an answered Create, or one whose
// ResolveOutcome found what it made. Each belongs to that call, so a
// lookup for a lost create never takes one: an identical order the same
// client placed a moment earlier is not reported as the lost one (its keys
// handed out twice, and the purchase never made).
//
// An order Resolve found is remembered too, with the lost call it was
// found for: resolving that call again (from the error, or from a
// LostCreateError rebuilt from its stored fields) finds it again, while for
// any other lost call it is a match that Resolve cannot rule out nor take:
// the State is Ambiguous, never Created (its keys handed out twice) and
// never NotCreated (a LostCreateError rebuilt with a SentAt stored less
// precisely is another call to this record, and must not be told to buy
// again).
type claims struct {
	mu sync.Mutex
	// set maps a key to whom it belongs: "" for a create's own answer,
	// else the lostID of the lost call Resolve found it for.
	set  map[string]string
	ring [claimsKept]string
	next int
	// flying counts the Creates in flight by createKey.
	flying map[string]int
}

// begin counts a Create of key in flight until the returned func is
// called.
func (c *claims) begin(key string) (end func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flying == nil {
		c.flying = make(map[string]int)
	}
	c.flying[key]++
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.flying[key]--; c.flying[key] <= 0 {
			delete(c.flying, key)
		}
	}
}

// inFlight returns how many Creates of key are in flight.
func (c *claims) inFlight(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.flying[key]
}

// claim records key as a create's own; the oldest is forgotten once
// claimsKept are kept.
func (c *claims) claim(key string) { c.record(key, "", true) }

// foundFor records that Resolve found key for the lost call lostID,
// unless key is recorded already.
func (c *claims) foundFor(key, lostID string) { c.record(key, lostID, false) }

func (c *claims) record(key, owner string, replace bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set == nil {
		c.set = make(map[string]string)
	}
	if _, ok := c.set[key]; ok {
		if replace {
			c.set[key] = owner
		}
		return
	}
	if old := c.ring[c.next]; old != "" {
		delete(c.set, old)
	}
	c.ring[c.next] = key
	c.next = (c.next + 1) % claimsKept
	c.set[key] = owner
}

// taken reports whether key is a create's own.
func (c *claims) taken(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	owner, ok := c.set[key]
	return ok && owner == ""
}

// contested reports whether Resolve found key for a lost call other than
// lostID.
func (c *claims) contested(key, lostID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	owner, ok := c.set[key]
	return ok && owner != "" && owner != lostID
}

// lostID names a lost Orders.Create: its mode, products and SentAt.
func lostID(lc lostCall) string {
	return createKey(lc.sandbox, lc.products) + "@" + strconv.FormatInt(lc.sentAt.UnixNano(), 10)
}

func orderKey(o *Order) string { return orderKeyIn(o.Sandbox, o.OrderNumber) }

// orderKeyIn is the key of order number n of the sandbox or the live
// account.
func orderKeyIn(sandbox bool, n OrderNumber) string {
	if sandbox {
		return "order:sandbox:" + strconv.FormatInt(int64(n), 10)
	}
	return "order:" + strconv.FormatInt(int64(n), 10)
}

func webhookKey(h *Webhook) string { return "webhook:" + string(h.ID) }
