package inventorum

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/orderstate"
)

// basketEvidence is the Evidence of a lost basket's
// *orderkit.LostCreateError: the server's clock minus the client's as a
// lookup first measured it, for later lookups of the same basket. It
// reaches them on the copy a lookup returns as the Resolution's Cause (and
// inside the OutcomeError of ResolveOutcome), so that a later lookup reads
// the send on the same clock (TestResolveNotCreated).
type basketEvidence struct {
	skew      time.Duration
	skewKnown bool
	// pendingShown: a lookup's feed answered a PENDING order, so it shows
	// new baskets (see lookup.pendingShown).
	pendingShown bool
}

// Windows of the lookup after a lost answer.
const (
	// dateSlack covers the Date header's whole seconds and the time an
	// answer takes to arrive, when the server's clock is known from a Date
	// header; two baskets alike a minute apart stay apart.
	dateSlack = 5 * time.Second
	// noDateSlack is the margin for client and server clocks when no
	// answer carried a Date header.
	noDateSlack = 2 * time.Minute
	// ResendAfter is how long after a lost basket was sent, on the server's
	// clock, a lookup that finds nothing reports it safe to send again:
	// a request the server had received would have been carried out by
	// then. A lookup made sooner reports NotCreated without SafeToResend.
	ResendAfter = time.Minute
	// maxLookupPages bounds the pages read per channel.
	maxLookupPages = 50
	// lookupVersion is the newest X-Api-Version whose delta feed shows
	// PENDING orders, which a new basket is.
	lookupVersion = 11
)

// Resolve finds out what a Basket.Create whose answer was lost did: err is
// the error Create returned (an *orderkit.LostCreateError, also wrapped, or
// the *orderkit.OutcomeError of ResolveOutcome); the call options apply to
// every lookup request. It only reads: one GET per channel, more for long
// feeds. The error is for a lookup that could not be made; the
// Resolution's Err method gives the outcome as an error. See the package
// doc, "Lost answers", for what it proves.
//
// GET /orders/delta/
func (s *BasketService) Resolve(ctx context.Context, err error, opts ...orderkit.CallOption) (orderkit.Resolution[*Order], error) {
	cs, cerr := s.c.pc.Calls("Basket.Resolve", opts)
	if cerr != nil {
		return orderkit.Resolution[*Order]{}, cerr
	}
	var lost *orderkit.LostCreateError
	if !errors.As(err, &lost) {
		var oe *orderkit.OutcomeError
		if !errors.As(err, &oe) || !errors.As(oe.Err, &lost) {
			return orderkit.Resolution[*Order]{}, pipeline.Invalid(apiName, "Resolve needs the error of a Basket.Create whose outcome is unknown, not %v", err)
		}
	}
	if req, ok := lost.Request.(*BasketRequest); !ok || req == nil || lost.API != apiName {
		return orderkit.Resolution[*Order]{}, pipeline.Invalid(apiName, "Resolve needs the error of a Basket.Create (API %q, a non-nil *BasketRequest), not one of API %q with a %T", apiName, lost.API, lost.Request)
	}
	return s.resolve(ctx, lost, lookupCall(cs))
}

// lookup is the state of one resolution.
type lookup struct {
	s     *BasketService
	ctx   context.Context
	lost  *orderkit.LostCreateError
	req   *BasketRequest
	call  config.CallSettings
	start time.Time // start_date of the queries, server time
	// skew is the server's clock minus the client's, when known.
	skew      time.Duration
	skewKnown bool
	asOf      time.Time
	// pendingShown is set once an answer held a PENDING order: the feed
	// shows new baskets. A server may hide them from the delta feed
	// whatever X-Api-Version asks (version 12 does), and a feed that hides
	// them cannot show that the basket is absent.
	pendingShown bool
	lookups      int
	seen         map[ID]bool
	matches      []*Order
}

func (s *BasketService) resolve(ctx context.Context, lost *orderkit.LostCreateError, call config.CallSettings) (orderkit.Resolution[*Order], error) {
	// The lookup works on a copy: the caller's error is not written to.
	cp := *lost
	lost = &cp
	ev, _ := lost.Evidence.(basketEvidence)
	lk := &lookup{s: s, ctx: ctx, lost: lost, req: lost.Request.(*BasketRequest), call: call, seen: map[ID]bool{}}
	lk.pendingShown = ev.pendingShown
	switch {
	case ev.skewKnown:
		lk.skew, lk.skewKnown = ev.skew, true
	case !lost.ServerDate.IsZero():
		lk.skew, lk.skewKnown = lost.ServerDate.Sub(lost.EndedAt), true
	}
	lk.start = lk.windowStart()
	// Each channel is asked for on its own: without a channel the page
	// reads both as "all channels" and as "Default: shop".
	for i := 0; i < len(Channels); i++ {
		guessed := !lk.skewKnown
		if err := lk.channel(Channels[i]); err != nil {
			return orderkit.Resolution[*Order]{Lookups: lk.lookups, Cause: lost}, err
		}
		if guessed && lk.skewKnown {
			// The first answer told the server's clock: ask again from
			// the send on that clock if the guess started too late.
			lost.Evidence = basketEvidence{skew: lk.skew, skewKnown: true, pendingShown: lk.pendingShown}
			if start := lk.windowStart(); start.Before(lk.start) {
				lk.start = start
				i--
			}
		}
	}
	if lk.skewKnown {
		lost.Evidence = basketEvidence{skew: lk.skew, skewKnown: true, pendingShown: lk.pendingShown}
	}
	return lk.outcome(), nil
}

// channel reads the feed of ch from lk.start and keeps the orders that
// match the lost basket. Page numbers are offsets: an order the feed files
// again at its end while the pages are read (it was paid, say) moves the
// orders behind it one place forward, and the next page skips one, which
// may be the basket. So a feed of more than one page is read again until
// a read answers the orders of the read before in the same places (orders
// filed since may follow them), as Sync reads a stretch by page number.
func (lk *lookup) channel(ch Channel) error {
	var prev []ID
	for pass := 0; pass < maxPasses; pass++ {
		seq, pages, err := lk.pass(ch)
		if err != nil {
			return err
		}
		if pages <= 1 || pass > 0 && len(seq) >= len(prev) && slices.Equal(seq[:len(prev)], prev) {
			return nil
		}
		prev = seq
	}
	return fmt.Errorf("looking the basket up in the %s feed: %w", ch, lk.s.c.pc.InvalidAnswer(http.MethodGet, "orders/delta/", nil,
		fmt.Errorf("%w: %d reads since %s did not agree (orders moved while it was read)", ErrInconsistentFeed, maxPasses, lk.start.Format(time.RFC3339))))
}

// pass reads the feed of ch from lk.start once, page by page, and returns
// the orders in the order first met and the number of pages that held
// orders. A page that tells no total (a bare array) may be short because
// the server caps the page size: such a feed ends only at an empty page.
func (lk *lookup) pass(ch Channel) ([]ID, int, error) {
	version := lk.s.c.version
	if version > lookupVersion {
		version = lookupVersion
	}
	hdr := http.Header{}
	for k, v := range lk.call.Header {
		hdr[k] = v
	}
	hdr.Set(versionHeader, strconv.Itoa(version))
	here := map[ID]bool{}
	var seq []ID
	stale, pages := 0, 0
	for page := 0; page < maxLookupPages; page++ {
		q := url.Values{}
		q.Set("start_date", lk.start.UTC().Format(deltaTimeLayout))
		q.Set("limit", strconv.Itoa(MaxDeltaLimit))
		q.Set("page", strconv.Itoa(page))
		q.Set("channel", string(ch))
		var meta orderkit.Response
		call := lk.call
		call.Header, call.Response = hdr, &meta
		p, err := lk.s.c.Orders.page(lk.ctx, "orders/delta/", q, call)
		lk.lookups++
		if dst, ok := lk.call.Response.(*orderkit.Response); ok {
			*dst = meta
		}
		if err != nil {
			return nil, 0, fmt.Errorf("looking the basket up in the %s feed: %w", ch, err)
		}
		lk.clock(meta.Header)
		if len(p.Data) > 0 {
			pages++
		}
		fresh := 0
		for i := range p.Data {
			o := &p.Data[i]
			if o.State.Has(orderstate.Pending) {
				lk.pendingShown = true
			}
			if here[o.ID] {
				continue
			}
			here[o.ID] = true
			seq = append(seq, o.ID)
			fresh++
			if lk.seen[o.ID] {
				continue // a server that ignores the channel parameter
			}
			lk.seen[o.ID] = true
			if lk.matchesBasket(o) {
				lk.matches = append(lk.matches, o)
			}
		}
		switch {
		case len(p.Data) == 0:
			return seq, pages, nil
		case fresh == 0:
			// A page of orders already seen: the pages may count from 1
			// (page 0 and 1 alike); two in a row end the feed.
			if stale++; stale >= 2 {
				return seq, pages, nil
			}
			continue
		}
		stale = 0
		if p.Total > 0 && int64(len(here)) >= p.Total {
			return seq, pages, nil
		}
	}
	return nil, 0, fmt.Errorf("looking the basket up in the %s feed: more than %d pages since %s", ch, maxLookupPages, lk.start.Format(time.RFC3339))
}

// clock notes the server's time of the first lookup answer: the lookup
// sees every order created before it. Without a Date header on the lost
// call, the first answer's tells the server's clock.
func (lk *lookup) clock(h http.Header) {
	if !lk.asOf.IsZero() {
		return
	}
	now := time.Now().UTC()
	d, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		lk.asOf = now.Add(lk.skew)
		return
	}
	lk.asOf = d.UTC()
	if !lk.skewKnown {
		lk.skew, lk.skewKnown = d.Sub(now), true
	}
}

// created is when o was created: time_added, or completed_at without one.
func created(o *Order) time.Time {
	if !o.TimeAdded.IsZero() {
		return o.TimeAdded
	}
	return o.CompletedAt
}

// matchesBasket reports whether o may be the lost basket: its reference,
// or its customer, notes and items, and a creation time after the send.
func (lk *lookup) matchesBasket(o *Order) bool {
	if created(o).Before(lk.windowStart()) {
		// An older order modified since the send: not this basket.
		return false
	}
	r := lk.req
	if lk.lost.Reference != "" {
		return o.Basket.NoteInternal != nil && *o.Basket.NoteInternal == lk.lost.Reference
	}
	var customer ID
	if o.Customer != nil {
		customer = o.Customer.ID
	}
	if customer != r.Customer || !sameNote(o.Basket.NoteInternal, r.NoteInternal) || !sameNote(o.Basket.NoteExternal, r.NoteExternal) {
		return false
	}
	if len(o.Basket.Items) != len(r.Items) {
		return false
	}
	type line struct {
		product  ID
		quantity int
	}
	want := make([]line, len(r.Items))
	for i, it := range r.Items {
		want[i] = line{it.Product, it.Quantity}
	}
	got := make([]line, len(o.Basket.Items))
	for i, it := range o.Basket.Items {
		got[i] = line{it.Product, it.Quantity}
	}
	byLine := func(a, b line) int {
		if c := cmp.Compare(a.product, b.product); c != 0 {
			return c
		}
		return cmp.Compare(a.quantity, b.quantity)
	}
	slices.SortFunc(want, byLine)
	slices.SortFunc(got, byLine)
	return slices.Equal(want, got)
}

func sameNote(got *string, want string) bool {
	if got == nil {
		return want == ""
	}
	return strings.TrimSpace(*got) == strings.TrimSpace(want)
}

// windowStart is the earliest server time the lost basket can have been
// created at; windowEnd the latest, had the server acted before the call
// ended.
func (lk *lookup) windowStart() time.Time {
	if lk.skewKnown {
		return lk.lost.SentAt.Add(lk.skew - dateSlack)
	}
	return lk.lost.SentAt.Add(-noDateSlack)
}

// sureStart is the earliest server time at which a match is surely not a
// basket made before the send: the latest the send can have reached the
// server (the end of the lost call on the server's clock), plus the Date
// header's whole second (the clock is read from it, truncated) and
// time_added's (the feed may send whole seconds). A match created before
// it may be an identical basket another client made in the seconds
// before the send. Without a Date header nothing is sure: every match is
// in the slack.
func (lk *lookup) sureStart() time.Time {
	if lk.skewKnown {
		return lk.lost.EndedAt.Add(lk.skew + 2*time.Second)
	}
	return lk.windowEnd()
}

func (lk *lookup) windowEnd() time.Time {
	if lk.skewKnown {
		return lk.lost.EndedAt.Add(lk.skew + dateSlack)
	}
	return lk.lost.EndedAt.Add(noDateSlack)
}

// outcome decides from the matches. With a reference every match counts.
// Without one, the orders created while the lost call ran count; orders
// created after it (another basket alike, or the server acting late on
// this one) make the outcome ambiguous when none is in the window.
func (lk *lookup) outcome() orderkit.Resolution[*Order] {
	res := orderkit.Resolution[*Order]{Lookups: lk.lookups, Cause: lk.lost, AsOf: lk.asOf}
	var in, late, early []*Order
	end := lk.windowEnd()
	sure := lk.sureStart()
	for _, o := range lk.matches {
		// A start_date read as "since" also brings orders created just
		// before the window; windowStart filtered those.
		switch {
		case lk.lost.Reference == "" && created(o).After(end):
			late = append(late, o)
		case lk.lost.Reference == "" && created(o).Before(sure):
			// Inside the slack before the send: as likely an identical
			// basket made just before this one as this one.
			early = append(early, o)
		default:
			in = append(in, o)
		}
	}
	if len(in) == 0 && len(early) > 0 {
		late = append(early, late...)
	} else if len(in) > 0 && len(early) > 0 {
		in = append(early, in...)
	}
	switch {
	case len(in) == 1:
		res.State, res.Order, res.AsOf = orderkit.Created, in[0], time.Time{}
	case len(in) > 1:
		res.State, res.Candidates, res.AsOf = orderkit.Ambiguous, in, time.Time{}
	case len(late) > 0:
		res.State, res.Candidates, res.AsOf = orderkit.Ambiguous, late, time.Time{}
	case !lk.skewKnown || !lk.pendingShown:
		// No match, but the absence proves nothing: without the server's
		// clock the window may miss the send, and a feed that showed no
		// PENDING order may hide new baskets.
		res.State, res.AsOf = orderkit.Ambiguous, time.Time{}
	default:
		res.State = orderkit.NotCreated
		sent := lk.lost.SentAt.Add(lk.skew)
		res.SafeToResend = !lk.asOf.Before(sent.Add(ResendAfter))
	}
	return res
}
