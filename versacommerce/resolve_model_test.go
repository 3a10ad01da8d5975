package versacommerce_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/modeltest"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
)

var resolveSchedules = flag.Int("resolve.schedules", 0, "schedules per reading in TestResolveModel (0: 100, 6 under -race, 12 with -short)")

// resolveReading is one combination of the fake's readings that
// TestResolveModel runs schedules under.
type resolveReading struct {
	origin versacommercetest.OriginID
	bounds versacommercetest.CreatedAtBounds
	date   bool // answers carry a Date header
	delay  bool // Create writes its order up to LostRequestWindow later
	skew   bool // the shop's clock is minutes off the client's
}

func (r resolveReading) name() string {
	origin := [...]string{"echoed", "null", "absent"}[r.origin]
	bounds := map[versacommercetest.CreatedAtBounds]string{
		versacommercetest.CreatedAtByName: "incl", versacommercetest.CreatedAtByNameExclusive: "excl",
		versacommercetest.CreatedAtIgnored: "ignored", versacommercetest.CreatedAtAsTableWords: "reversed",
	}[r.bounds]
	flag := func(on bool, yes, no string) string {
		if on {
			return yes
		}
		return no
	}
	return strings.Join([]string{origin, bounds, flag(r.date, "date", "nodate"), flag(r.delay, "delay", "now"), flag(r.skew, "skew", "sync")}, "-")
}

func resolveReadings() []resolveReading {
	var out []resolveReading
	for _, origin := range []versacommercetest.OriginID{versacommercetest.OriginIDEchoed, versacommercetest.OriginIDNull, versacommercetest.OriginIDAbsent} {
		for _, bounds := range []versacommercetest.CreatedAtBounds{versacommercetest.CreatedAtByName, versacommercetest.CreatedAtByNameExclusive,
			versacommercetest.CreatedAtIgnored, versacommercetest.CreatedAtAsTableWords} {
			for _, date := range []bool{true, false} {
				for _, delay := range []bool{false, true} {
					for _, skew := range []bool{false, true} {
						out = append(out, resolveReading{origin, bounds, date, delay, skew})
					}
				}
			}
		}
	}
	return out
}

// modelClock is the client's clock; the shop's is it plus skew. Both move
// only when the schedule moves them.
type modelClock struct {
	mu   sync.Mutex
	t    time.Time
	skew time.Duration
}

func (c *modelClock) client() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *modelClock) shop() time.Time   { c.mu.Lock(); defer c.mu.Unlock(); return c.t.Add(c.skew) }
func (c *modelClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// hookTransport runs before ahead of every request, then the fake's own
// in-memory transport.
type hookTransport struct {
	next   http.RoundTripper
	before func(*http.Request)
}

func (h *hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h.before(r)
	return h.next.RoundTrip(r)
}

type resolveOutcome struct {
	state   orderkit.ResolutionState
	safe    bool
	unsafe  string // why the answer was unsafe, if it was
	lookups int
}

// runResolveSchedule is one schedule: a shop holding other clients'
// orders (some with the same items as ours, with or without an origin_id
// of their own), a Create lost by one of the fake's faults, time passing
// and more orders arriving before and while Resolve looks, then the
// oracle's verdict on Resolve's answer.
func runResolveSchedule(t testing.TB, rd resolveReading, seed int64) resolveOutcome {
	rng := rand.New(rand.NewSource(seed))
	clk := &modelClock{t: time.Date(2024, 5, 6, 10, 0, 0, 0, time.UTC).Add(time.Duration(rng.Intn(3600)) * time.Second)}
	if rd.skew {
		clk.skew = time.Duration(rng.Intn(20*60)-10*60) * time.Second
		if clk.skew > -time.Minute && clk.skew < time.Minute {
			clk.skew = 3 * time.Minute
		}
		clk.skew += time.Duration(rng.Intn(1000)) * time.Millisecond
	}
	fake := versacommercetest.NewServer()
	fake.SetClock(clk.shop)
	fake.SetOriginID(rd.origin)
	fake.SetCreatedAtBounds(rd.bounds)
	fake.SetDateHeader(rd.date)
	if rng.Intn(3) == 0 {
		fake.SetPageCap(1 + rng.Intn(3))
	}
	if rng.Intn(2) == 0 {
		fake.SetCreatedAtOnCreate(versacommercetest.CreatedAtOfCreation)
	}
	var delay time.Duration
	if rd.delay {
		delay = time.Duration(1+rng.Intn(int(versacommerce.LostRequestWindow/time.Millisecond)-1000)) * time.Millisecond
		fake.SetWriteDelay(delay)
	}

	// Ours: a few products, so that other clients' orders often have the
	// same items; a marker note the oracle finds it by (Resolve does not
	// read notes).
	marker := fmt.Sprintf("ours-%d", seed)
	req := minimalOrder()
	req.Note = marker
	req.Items = nil
	for i, n := 0, 1+rng.Intn(2); i < n; i++ {
		req.Items = append(req.Items, versacommerce.ItemRequest{ProductID: versacommerce.ID(1 + rng.Intn(2)), Quantity: 1 + rng.Intn(2)})
	}
	ref := ""
	if rng.Intn(6) != 0 {
		ref = fmt.Sprintf("lost-%d", seed)
	}
	if rng.Intn(5) == 0 {
		req.OriginName = "amazon"
	}
	if rng.Intn(4) == 0 {
		req.CreatedAt = clk.shop().Add(-time.Duration(rng.Intn(7200)) * time.Second).Truncate(time.Second)
	}

	others := 0
	other := func(at time.Time) {
		others++
		o := versacommercetest.Order{CreatedAt: at, Note: fmt.Sprintf("other-%d", others)}
		if rng.Intn(2) == 0 {
			// The same items as ours.
			for _, it := range req.Items {
				o.Items = append(o.Items, versacommercetest.Item{ProductID: int64(it.ProductID), Quantity: it.Quantity})
			}
		} else {
			o.Items = []versacommercetest.Item{{ProductID: int64(1 + rng.Intn(3)), Quantity: 1 + rng.Intn(3)}}
		}
		if rng.Intn(2) == 0 {
			o.Extra = map[string]json.RawMessage{"origin_id": json.RawMessage(fmt.Sprintf("%q", fmt.Sprintf("other-%d", others)))}
			if req.OriginName != "" && rng.Intn(2) == 0 {
				o.Extra["origin_name"] = json.RawMessage(`"amazon"`)
			}
		}
		fake.AddOrder(o)
	}
	// Before: orders of the last two hours, some in the seconds before
	// the send.
	for i, n := 0, rng.Intn(6); i < n; i++ {
		other(clk.shop().Add(-time.Duration(rng.Intn(7200)) * time.Second))
	}
	for i, n := 0, rng.Intn(3); i < n; i++ {
		other(clk.shop().Add(-time.Duration(rng.Intn(10)) * time.Second))
	}

	busy := false // other clients order while Resolve looks
	tr := &hookTransport{next: fake.Transport(), before: func(*http.Request) {
		clk.add(time.Duration(rng.Intn(700)) * time.Millisecond)
		if busy && rng.Intn(5) == 0 {
			other(clk.shop())
		}
	}}
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL("https://shop.example/api"), orderkit.WithHTTPClient(&http.Client{Transport: tr}),
		orderkit.WithRetry(0, time.Millisecond, time.Millisecond), orderkit.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	versacommerce.SetClock(c, clk.client)

	switch rng.Intn(6) {
	case 0:
		fake.DropNextBeforeActing()
	case 1:
		fake.FailNext(http.StatusBadGateway, "<html>Bad Gateway</html>")
	case 2:
		fake.FailNextAfterActing(http.StatusBadGateway, "<html>Bad Gateway</html>")
	case 3:
		fake.TruncateNextAfterActing()
	default:
		fake.DropNextAfterActing()
	}
	var calls []orderkit.CallOption
	if ref != "" {
		calls = append(calls, orderkit.Reference(ref))
	}
	_, lostErr := c.Orders.Create(context.Background(), req, calls...)
	var lost *orderkit.LostCreateError
	if !errors.As(lostErr, &lost) {
		t.Fatalf("the create was not lost: %v", lostErr)
	}
	sentShop := lost.SentAt.Add(clk.skew)

	// Time passes, other clients order.
	var wait time.Duration
	switch n := rng.Intn(20); {
	case n < 10:
		wait = time.Duration(rng.Intn(30000)) * time.Millisecond
	case n < 17:
		wait = time.Duration(30+rng.Intn(270)) * time.Second
	default:
		wait = time.Duration(30+rng.Intn(10)) * time.Minute
	}
	for i, n := 0, rng.Intn(4); i < n; i++ {
		clk.add(time.Duration(rng.Int63n(int64(wait/4 + 1))))
		other(clk.shop())
	}
	clk.add(wait / 2)
	busy = true

	ourOrder := func() (versacommercetest.Order, bool) {
		for _, o := range fake.Orders() {
			if o.Note == marker {
				return o, true
			}
		}
		return versacommercetest.Order{}, false
	}
	posts := fake.Count("POST", "/api/orders.json")
	r, rerr := c.Orders.Resolve(context.Background(), lostErr)
	if rerr != nil {
		t.Fatalf("resolve: %v", rerr)
	}
	if n := fake.Count("POST", "/api/orders.json"); n != posts {
		t.Fatalf("Resolve sent %d POST", n-posts)
	}
	now, existsNow := ourOrder()
	// Later: the lost request, if it was carried out, has been written.
	clk.add(versacommerce.LostRequestWindow + time.Minute)
	_, existsLater := ourOrder()
	_ = sentShop

	out := resolveOutcome{state: r.State, safe: r.SafeToResend, lookups: r.Lookups}
	switch r.State {
	case orderkit.NotCreated:
		switch {
		case existsNow:
			out.unsafe = fmt.Sprintf("NotCreated as of %s while order %d (created_at %s) exists", r.AsOf, now.ID, now.CreatedAt)
		case r.SafeToResend && existsLater:
			out.unsafe = fmt.Sprintf("SafeToResend as of %s (send %s on the shop's clock) but the order was written later", r.AsOf, sentShop)
		}
	case orderkit.Created:
		if !existsNow || int64(r.Order.ID) != now.ID {
			out.unsafe = fmt.Sprintf("Created with order %d, ours: %v %d", r.Order.ID, existsNow, now.ID)
		}
	case orderkit.Ambiguous:
		if len(r.Candidates) == 0 {
			out.unsafe = "Ambiguous without candidates"
		}
	default:
		out.unsafe = "state " + r.State.String()
	}
	if out.unsafe != "" {
		out.unsafe += fmt.Sprintf(" [ref %q, skew %s, delay %s, order date %v, fault lost err %v]", ref, clk.skew, delay, req.CreatedAt, lostErr)
	}
	return out
}

// TestResolveModel runs seeded, randomized schedules of a lost Create
// under every combination of the fake's readings — origin_id echoed, null
// on every order or absent; created_at bounds inclusive, exclusive,
// ignored or reversed; Date headers present or absent; the order written
// at once or up to LostRequestWindow after the send; the shop's clock in
// step or minutes off — with, per schedule, other clients' orders (some
// with our items, with or without their own origin_id) before, during and
// after, a page cap, an order date sent or not, a reference or none, and
// one of the faults that lose an answer. An oracle that knows what the
// fake holds counts unsafe answers — NotCreated while the order exists,
// SafeToResend for an order written later, Created with another order —
// and requires none. It logs per reading the share of lost creates
// resolved to Created or NotCreated. A failing schedule replays from its
// name:
//
//	go test ./versacommerce -run 'TestResolveModel/echoed-incl-date-now-sync/seed=17$' -v
func TestResolveModel(t *testing.T) {
	n := modeltest.Schedules(*resolveSchedules, 100, 12, 6)
	readings := resolveReadings()
	tally := modeltest.NewTally("runs", "created", "notcr", "safe", "ambig", "unsafe!", "lookups")
	// The parallel subtests run after this function returns: the table is
	// written when they are done.
	t.Cleanup(func() {
		t.Logf("lost creates resolved per reading (%d readings × %d schedules; resolved = Created or NotCreated; safe = NotCreated and SafeToResend):\n%s",
			len(readings), n, tally.String(
				modeltest.Ratio{Name: "resolved", Num: []string{"created", "notcr"}, Den: []string{"runs"}},
				modeltest.Ratio{Name: "lookups/run", Num: []string{"lookups"}, Den: []string{"runs"}, Per: true}))
	})
	for _, rd := range readings {
		name := rd.name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for seed := 0; seed < n; seed++ {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					out := runResolveSchedule(t, rd, int64(seed))
					tally.Add(name, "runs", 1)
					tally.Add(name, "lookups", int64(out.lookups))
					switch out.state {
					case orderkit.Created:
						tally.Add(name, "created", 1)
					case orderkit.NotCreated:
						tally.Add(name, "notcr", 1)
						if out.safe {
							tally.Add(name, "safe", 1)
						}
					default:
						tally.Add(name, "ambig", 1)
					}
					if out.unsafe != "" {
						tally.Add(name, "unsafe!", 1)
						t.Errorf("unsafe: %s", out.unsafe)
					}
				})
			}
		})
	}
}
