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
	"github.com/orderkit/orderkit/internal/pipeline"
)

// Resolution is what a lookup after a lost create found: the order (or
// webhook) that was created, a definite "not created" as of a server time,
// or the candidates when more than one matches. See orderkit.Resolution.
type Resolution[T any] = orderkit.Resolution[T]

// The states of a Resolution, re-exported from orderkit.
const (
	Created      = orderkit.Created
	NotCreated   = orderkit.NotCreated
	Ambiguous    = orderkit.Ambiguous
	Unresolvable = orderkit.Unresolvable
)

// ResolveOutcome makes Orders.Create and Webhooks.Create look up by
// themselves what they created when the answer is lost: the call then
// returns the order (webhook) that was created, or an *OutcomeError that
// says it was not (ErrNotCreated) or is ambiguous (ErrAmbiguous). The
// lookup costs one GET of the list. See orderkit.ResolveOutcome.
func ResolveOutcome() CallOption { return orderkit.ResolveOutcome() }

// Attivita takes no idempotency key and no reference of the caller's, so a
// lost create is found by what it asked for (the products and amounts, or
// the webhook's url and events) and when: the order's date must fall in
// the window of the lost call, read on the server's clock.
const (
	// dateSlack widens the window on both sides: order dates and Date
	// headers are whole seconds.
	dateSlack = 2 * time.Second
	// unknownSkew is the allowance for the server's clock when no answer
	// carried a Date header to read it from.
	unknownSkew = 2 * time.Minute
)

// SettleTime is how long after a lost create a lookup must run before its
// "not created" is also safe to send again: an order still being written
// when the connection ended has appeared in the list by then. A lookup
// made earlier reports NotCreated with SafeToResend false; resolve again
// later to have it confirmed.
const SettleTime = 10 * time.Second

// LostCall is what a lost create leaves for the lookup: when it was sent
// and when it ended (the client's clock), the server's Date header of the
// lost answer if one arrived, and whether it went out in sandbox mode.
type LostCall struct {
	// SentAt is the client's time just before the request was sent.
	SentAt time.Time
	// EndedAt is the client's time when the call ended without a usable
	// answer.
	EndedAt time.Time
	// ServerDate is the Date header of the lost answer (a 5xx, a cut-off
	// 2xx); zero when no answer arrived.
	ServerDate time.Time
	// Sandbox reports that the request went out in sandbox mode; the
	// lookup then lists the sandbox's orders.
	Sandbox bool

	// seenSkew is the server's clock minus the client's as the client's
	// latest answer at the time of the lost call showed it, if seenKnown.
	seenSkew  time.Duration
	seenKnown bool
}

// LostOrderError is the error Orders.Create returns when its answer was
// lost and the order may exist. It matches ErrOutcomeUnknown, and Err is
// the *Error of the call. Hand the error to OrdersService.Resolve to find
// out; a caller that kept Products and the times elsewhere may build one
// itself.
type LostOrderError struct {
	// Products is what the lost call asked for.
	Products []OrderProduct
	LostCall
	// Err is the error that made the outcome unknown.
	Err error
}

// Error says that the order may have been placed, and why.
func (e *LostOrderError) Error() string {
	if e.Err == nil {
		return "attivita: POST orders: " + ErrOutcomeUnknown.Error()
	}
	return e.Err.Error()
}

// Unwrap returns the call's error, and ErrOutcomeUnknown.
func (e *LostOrderError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrOutcomeUnknown}
	}
	return []error{e.Err, ErrOutcomeUnknown}
}

func (c *Client) lostCall(sandbox bool, sent time.Time, err error) LostCall {
	lc := LostCall{SentAt: sent, EndedAt: time.Now(), Sandbox: sandbox}
	lc.seenSkew, lc.seenKnown = c.seenSkew()
	var e *Error
	if errors.As(err, &e) && e.Response != nil {
		if d, perr := http.ParseTime(e.Response.Header.Get("Date")); perr == nil {
			lc.ServerDate = d.UTC()
		}
	}
	return lc
}

func (c *Client) newLostOrder(products []OrderProduct, sandbox bool, sent time.Time, err error) *LostOrderError {
	return &LostOrderError{Products: append([]OrderProduct(nil), products...), LostCall: c.lostCall(sandbox, sent, err), Err: err}
}

// lostFrom finds the record of a lost create of type T in err: directly,
// or inside the *OutcomeError of an earlier resolution.
func lostFrom[T error](err error) (T, bool) {
	var lost T
	if errors.As(err, &lost) {
		return lost, true
	}
	var oe *OutcomeError
	if errors.As(err, &oe) && errors.As(oe.Err, &lost) {
		return lost, true
	}
	return lost, false
}

// window is the span of server time in which a lost create was carried
// out, if it was.
type window struct{ from, to time.Time }

func (w window) holds(t time.Time) bool {
	// An object without a date cannot be ruled out.
	return t.IsZero() || (!t.Before(w.from) && !t.After(w.to))
}

// lookupTimes reads the server's clock from every Date header known: the
// lost answer's, the client's last answer before it, and the lookup's own.
// Where they disagree (the server's clock was stepped) the window spans
// them all, so that an order placed in between is a candidate too: the
// resolution is then ambiguous rather than wrong. It returns the window of
// the lost call and the server time of the lookup (AsOf).
func (lc LostCall) lookupTimes(res *pipeline.Response, answered time.Time) (window, time.Time) {
	var lookupDate time.Time
	if res != nil {
		if d, err := http.ParseTime(res.Header.Get("Date")); err == nil {
			lookupDate = d.UTC()
		}
	}
	var skews []time.Duration
	if !lc.ServerDate.IsZero() && !lc.EndedAt.IsZero() {
		skews = append(skews, lc.ServerDate.Sub(lc.EndedAt))
	}
	if lc.seenKnown {
		skews = append(skews, lc.seenSkew)
	}
	if !lookupDate.IsZero() {
		skews = append(skews, lookupDate.Sub(answered))
	}
	slack := dateSlack
	var lo, hi time.Duration
	if len(skews) == 0 {
		slack = unknownSkew
	} else {
		lo, hi = skews[0], skews[0]
		for _, d := range skews[1:] {
			lo, hi = min(lo, d), max(hi, d)
		}
	}
	end := lc.EndedAt
	if end.IsZero() || end.Before(lc.SentAt) {
		end = lc.SentAt
	}
	w := window{from: lc.SentAt.Add(lo - slack).UTC(), to: end.Add(hi + slack).UTC()}
	asOf := lookupDate
	if asOf.IsZero() {
		asOf = answered.Add(hi).UTC()
	}
	return w, asOf
}

// settled reports whether a lookup answered at (client time) is late
// enough for "not created" to be safe to send again.
func (lc LostCall) settled(answered time.Time) bool {
	end := lc.EndedAt
	if end.IsZero() {
		end = lc.SentAt
	}
	return !end.IsZero() && answered.Sub(end) >= SettleTime
}

// sameProducts reports whether o holds what the lost create asked for: the
// same amount of each product, lines with one product added up (the API
// may merge or keep them).
func sameProducts(asked []OrderProduct, o *Order) bool {
	want := map[string]int{}
	for _, p := range asked {
		want[p.ProductID] += p.Amount
	}
	got := map[string]int{}
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

// Resolve finds out what a lost Orders.Create did. err is the error that
// Create returned (or one wrapping it): a *LostOrderError, or the
// *OutcomeError of an earlier resolution. It lists the orders once and
// looks for an order with the same amount of each product whose date lies
// in the window of the lost call on the server's clock (read from the Date
// header of the lost answer, or of the lookup's own answer), in the same
// mode (sandbox or not) as the lost call, whatever opts and ctx say; a
// sandbox lookup takes only the orders the list marks as sandbox orders
// (status "sandbox-completed" or a sandboxNotice):
//
//   - one such order: State Created, Order is it, keys included (an
//     order listed without a date cannot be told from an older identical
//     one: it makes the State Ambiguous);
//   - none: State NotCreated as of AsOf (the server's time of the lookup);
//     SafeToResend once SettleTime has passed since the lost call;
//   - several (identical orders placed in the same seconds): State
//     Ambiguous with the Candidates; Resolve never picks one.
//
// An order this client's Create returned (answered, or found by
// ResolveOutcome) is never a candidate: an identical order placed a moment
// before the lost one is not taken for it. While another Create of this
// client with the same products in the same mode waits for its answer, a
// single match may be that call's order: the State is then Ambiguous. So
// it is when the single match is an order Resolve found for another lost
// call of this client: resolving the same lost call again (the same
// products, mode and SentAt) finds the same order. A client other than the
// one that made the calls knows none of this, and may answer Ambiguous or
// take such an order.
//
// A Resolution with State Created has a nil Err(); the error returned is
// for a lookup that failed (the Resolution then says Unresolved) or an err
// that holds no lost create (ErrInvalidArgument).
//
// GET /api/orders
func (s *OrdersService) Resolve(ctx context.Context, err error, opts ...CallOption) (Resolution[*Order], error) {
	lost, ok := lostFrom[*LostOrderError](err)
	if !ok || lost == nil {
		return Resolution[*Order]{Cause: err}, pipeline.Invalid(api, "Resolve: the error holds no lost Orders.Create")
	}
	if lost.SentAt.IsZero() || len(lost.Products) == 0 {
		return Resolution[*Order]{Cause: err}, pipeline.Invalid(api, "Resolve: the lost Orders.Create has no SentAt or no products")
	}
	return s.resolve(ctx, lost, 0, opts)
}

// resolve looks the lost order up. self is 1 when the lookup is made by
// the lost Create itself (ResolveOutcome), which is still in flight, and
// 0 for Resolve.
func (s *OrdersService) resolve(ctx context.Context, lost *LostOrderError, self int, opts []CallOption) (Resolution[*Order], error) {
	r := Resolution[*Order]{Cause: lost}
	if _, err := pipeline.Calls(api, opts); err != nil {
		return r, err
	}
	orders, res, err := s.list(ctx, lookupOptions(lost.LostCall, opts))
	answered := time.Now()
	r.Lookups = attempts(res, err)
	if err != nil {
		return r, fmt.Errorf("attivita: resolving the lost order: %w", err)
	}
	w, asOf := lost.lookupTimes(res, answered)
	var matches []*Order
	for i := range orders {
		o := &orders[i]
		// Each mode takes only its own orders. A sandbox list may show live
		// orders too, and a live order is never reported as the sandbox's:
		// a sandbox create found nowhere is NotCreated, and sending it
		// again costs nothing.
		if o.Sandbox != lost.Sandbox {
			continue
		}
		if w.holds(o.OrderDate) && sameProducts(lost.Products, o) && !s.c.claimed.taken(orderKey(o)) {
			matches = append(matches, o)
		}
	}
	// Another Create of this client with the same products in the same
	// mode, still waiting for its answer, may have placed the one match:
	// taking it would hand its keys out twice.
	busy := s.c.claimed.inFlight(createKey(lost.Sandbox, lost.Products)) > self
	id := lostID(lost)
	decide(&r, lost.LostCall, matches, func(o *Order) bool {
		return o.OrderDate.IsZero() || busy || s.c.claimed.contested(orderKey(o), id)
	}, asOf, answered)
	if r.State == Created && self == 0 {
		s.c.claimed.foundFor(orderKey(r.Order), id)
	}
	return r, nil
}

// createKey names what a Create asks for in its mode: the amount of each
// product, lines of one product added up, in product order.
func createKey(sandbox bool, products []OrderProduct) string {
	sum := map[string]int{}
	for _, p := range products {
		sum[p.ProductID] += p.Amount
	}
	ids := make([]string, 0, len(sum))
	for id := range sum {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString(orderKeyIn(sandbox, 0))
	for _, id := range ids {
		b.WriteString("|")
		b.WriteString(strconv.Quote(id))
		b.WriteString("=")
		b.WriteString(strconv.Itoa(sum[id]))
	}
	return b.String()
}

// decide sets the outcome from the matches: none is NotCreated as of asOf,
// one is Created, several are Ambiguous. A single match for which
// undated holds is Ambiguous too: one the API lists without a date (an
// older identical order or webhook cannot be told from the lost one), or
// one that another create still in flight may have made; Resolve never
// picks one.
func decide[T any](r *Resolution[T], lc LostCall, matches []T, undated func(T) bool, asOf, answered time.Time) {
	switch {
	case len(matches) == 0:
		r.State, r.AsOf, r.SafeToResend = NotCreated, asOf, lc.settled(answered)
	case len(matches) == 1 && !undated(matches[0]):
		r.State, r.Order = Created, matches[0]
	default:
		r.State, r.Candidates = Ambiguous, matches
	}
}

// lookupOptions are the caller's options with the lost call's mode last:
// the order (webhook) was placed in that mode, so the lookup lists there
// whatever an option (Sandbox, CallHeader) or the context says. A live
// order looked up in the sandbox's list would be reported NotCreated, and
// sent again.
func lookupOptions(lc LostCall, opts []CallOption) []CallOption {
	return append(append(make([]CallOption, 0, len(opts)+1), opts...), Sandbox(lc.Sandbox))
}

// resolveNow is Create's ResolveOutcome path.
func (s *OrdersService) resolveNow(ctx context.Context, lost *LostOrderError, opts []CallOption) (*Order, error) {
	r, err := s.resolve(ctx, lost, 1, opts)
	if err != nil {
		return nil, errors.Join(lost, err)
	}
	if r.State == Created {
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
	var e *Error
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
// LostOrderError rebuilt from its stored fields) finds it again, while for
// any other lost call it is a match that Resolve cannot rule out nor take:
// the State is Ambiguous, never Created (its keys handed out twice) and
// never NotCreated (a LostOrderError rebuilt with a SentAt stored less
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
func lostID(lost *LostOrderError) string {
	return createKey(lost.Sandbox, lost.Products) + "@" + strconv.FormatInt(lost.SentAt.UnixNano(), 10)
}

func orderKey(o *Order) string { return orderKeyIn(o.Sandbox, o.OrderNumber) }

// orderKeyIn is the key of order number n of the sandbox or the live
// account.
func orderKeyIn(sandbox bool, n int64) string {
	if sandbox {
		return "order:sandbox:" + strconv.FormatInt(n, 10)
	}
	return "order:" + strconv.FormatInt(n, 10)
}

func webhookKey(h *Webhook) string { return "webhook:" + h.ID }
