package inventorum_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/modeltest"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/orderstate"
)

var resolveSchedules = flag.Int("resolve.schedules", 0, "schedules per reading in TestResolveModel (0: 300, 100 with -short, 12 under -race)")

// resolveReading is one combination of the readings a lost basket's
// lookup must survive.
type resolveReading struct {
	// version is the client's X-Api-Version (WithAPIVersion).
	version int
	// hidePending: the server hides PENDING orders from the delta feed
	// whatever X-Api-Version asks (inventorumtest.SetHidePending).
	hidePending bool
	// delay: the server writes the basket this long after the POST
	// arrived (SetBasketDelay).
	delay time.Duration
	// date: answers carry a Date header (SetDateHeader).
	date bool
	// skew is the server's clock minus the client's.
	skew time.Duration
}

func (r resolveReading) name() string {
	n := fmt.Sprintf("v%d", r.version)
	if r.hidePending {
		n += "-hidden"
	} else {
		n += "-shown"
	}
	if r.delay > 0 {
		n += "-late" + r.delay.String()
	} else {
		n += "-atonce"
	}
	if r.date {
		n += "-date"
	} else {
		n += "-nodate"
	}
	return n + "-skew" + r.skew.String()
}

func resolveReadings() []resolveReading {
	var out []resolveReading
	for _, v := range []int{11, 12} {
		for _, hide := range []bool{false, true} {
			for _, delay := range []time.Duration{0, 20 * time.Second} {
				for _, date := range []bool{true, false} {
					for _, skew := range []time.Duration{0, -3 * time.Minute, 4 * time.Minute} {
						out = append(out, resolveReading{v, hide, delay, date, skew})
					}
				}
			}
		}
	}
	return out
}

type resolveOutcome struct {
	// unsafe: NotCreated while the basket exists (or SafeToResend while
	// the server received it), or Created with another order.
	unsafe  bool
	state   orderkit.ResolutionState
	failed  bool // the lookup could not be made
	skipped bool // the lost Create did not end in ErrOutcomeUnknown
	detail  string
}

// runResolveModel is one schedule: a feed with other orders (some of them
// other customers' PENDING baskets), baskets identical to the lost one
// made by other clients before the send and after the call, a basket
// lost before or after the server acted, a lookup some time later (the
// basket paid since, or not), and an oracle that knows what the server
// holds.
func runResolveModel(t testing.TB, rd resolveReading, seed int64) resolveOutcome {
	rng := rand.New(rand.NewSource(seed))
	fake := inventorumtest.NewServer()
	fake.SetHidePending(rd.hidePending)
	fake.SetBasketDelay(rd.delay)
	fake.SetDateHeader(rd.date)
	// The lookup comes lag after the send. The client's clock cannot be
	// moved on, so the send is moved back: the server's clock starts lag
	// behind, and the lost error's client times are moved back by lag
	// after the Create (both clocks then moved on together).
	lag := []time.Duration{0, 10 * time.Second, 30 * time.Second, 70 * time.Second, 3 * time.Minute}[rng.Intn(5)]
	clk := newClock(fake, time.Now().Add(rd.skew-lag))
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken,
		orderkit.WithBaseURL(inventorumtest.BaseURL("https://inventorum.test")),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}),
		inventorum.WithAPIVersion(rd.version),
		orderkit.WithRateLimit(0, 0), orderkit.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	req := sampleBasket()
	// known holds every order the model added: the lost basket is the
	// one order the server holds besides them.
	known := map[inventorum.ID]bool{}
	add := func(o inventorum.Order) { known[fake.AddOrder(o).ID] = true }
	identical := func(at time.Time, state orderstate.State) {
		o := inventorum.Order{State: state, Channel: inventorum.ChannelBackoffice, TimeAdded: at, CompletedAt: at,
			Customer: &inventorum.Customer{ID: req.Customer}}
		for _, it := range req.Items {
			o.Basket.Items = append(o.Basket.Items, inventorum.Item{Product: it.Product, Quantity: it.Quantity, Price: it.Price})
		}
		add(o)
	}
	states := []orderstate.State{orderstate.Completed, orderstate.Paid | orderstate.Closed, orderstate.Pending}
	for i, n := 0, rng.Intn(8); i < n; i++ {
		at := clk.now().Add(-time.Duration(rng.Intn(600)) * time.Second)
		add(inventorum.Order{State: states[rng.Intn(len(states))], Channel: inventorum.Channels[rng.Intn(len(inventorum.Channels))],
			TimeAdded: at, CompletedAt: at, Customer: &inventorum.Customer{ID: inventorum.ID(1 + rng.Intn(400))},
			Basket: inventorum.Basket{Items: []inventorum.Item{{Product: 42, Quantity: 1}}}})
	}
	// Identical baskets by other clients before the send: inside the
	// Date header's slack, a little before, a while before.
	if rng.Intn(3) == 0 {
		before := []time.Duration{time.Second, 3 * time.Second, 30 * time.Second, 5 * time.Minute}[rng.Intn(4)]
		identical(clk.now().Add(-before), states[1+rng.Intn(2)])
	}
	var opts []orderkit.CallOption
	if rng.Intn(3) == 0 {
		opts = append(opts, orderkit.Reference(fmt.Sprintf("order-%d", seed)))
	}
	received := true
	fault := rng.Intn(4)
	switch fault {
	case 0:
		fake.DropNextBeforeActing()
		received = false
	case 1:
		fake.DropNextAfterActing()
	case 2:
		fake.FailNextAfterActing(http.StatusBadGateway, `{"detail": "bad gateway"}`)
	default:
		fake.TruncateNextAfterActing()
	}
	_, lostErr := c.Basket.Create(context.Background(), req, opts...)
	if !errors.Is(lostErr, orderkit.ErrOutcomeUnknown) {
		return resolveOutcome{skipped: true, detail: fmt.Sprint(lostErr)}
	}
	var lost *orderkit.LostCreateError
	if !errors.As(lostErr, &lost) {
		t.Fatalf("%v is no *orderkit.LostCreateError", lostErr)
	}
	lost.SentAt, lost.EndedAt = lost.SentAt.Add(-lag), lost.EndedAt.Add(-lag)
	// Later: identical baskets by other clients after the call, the
	// lookup lag after the send, the basket paid since or not.
	afterAt := time.Duration(-1)
	if rng.Intn(3) == 0 {
		afterAt = []time.Duration{8 * time.Second, 40 * time.Second, 2 * time.Minute}[rng.Intn(3)]
	}
	if afterAt >= 0 && afterAt <= lag {
		clk.advance(afterAt)
		identical(clk.now(), states[1+rng.Intn(2)])
		clk.advance(lag - afterAt)
	} else {
		clk.advance(lag)
	}
	ours := func() (inventorum.Order, bool) {
		for id := inventorum.ID(1001); id < 1100; id++ {
			if o, ok := fake.Order(id); ok && !known[id] {
				return o, true
			}
		}
		return inventorum.Order{}, false
	}
	if rng.Intn(4) == 0 {
		// A request writes a late basket whose time has come.
		_, _ = c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{Channel: inventorum.ChannelShop})
		if o, ok := ours(); ok {
			fake.ModifyOrder(o.ID, clk.now(), func(o *inventorum.Order) { o.State = orderstate.Paid | orderstate.Closed })
		}
	}
	res, err := c.Basket.Resolve(context.Background(), lostErr)
	if err != nil {
		return resolveOutcome{failed: true, detail: err.Error()}
	}
	out := resolveOutcome{state: res.State}
	basket, exists := ours()
	facts := fmt.Sprintf("[fault %d, reference %v, lag %s, identical after %s; basket %+v; lookups %d, candidates %d]",
		fault, len(opts) > 0, lag, afterAt, basket, res.Lookups, len(res.Candidates))
	switch res.State {
	case orderkit.Created:
		if !exists || res.Order == nil || res.Order.ID != basket.ID {
			out.unsafe = true
			out.detail = fmt.Sprintf("Created with %+v; the basket exists %v %s", res.Order, exists, facts)
		}
	case orderkit.NotCreated:
		if exists || (res.SafeToResend && received) {
			out.unsafe = true
			out.detail = fmt.Sprintf("NotCreated (safe to resend %v) while the basket exists %v, received %v %s", res.SafeToResend, exists, received, facts)
		}
	}
	return out
}

// TestResolveModel runs seeded, randomized schedules of a lost basket and
// its lookup under every combination of the readings a lookup must
// survive: the client's API version 11 or 12, PENDING baskets shown or
// hidden by the server whatever X-Api-Version asks, the basket written at
// once or 20 s after its POST, answers with or without a Date header, the
// server's clock on time, 3 minutes behind or 4 ahead; identical baskets
// by other clients before the send and after the call, with and without
// a Reference, the basket paid since or not. An oracle that knows what
// the server holds requires that no answer is unsafe (NotCreated while the
// basket exists or SafeToResend while the server received it, Created
// with another order); the share resolved (Created or NotCreated, not
// Ambiguous) is logged per reading. A failing schedule replays from its
// name:
//
//	go test ./inventorum -run 'TestResolveModel/v12-hidden-atonce-date-skew0s/seed=17$' -v
func TestResolveModel(t *testing.T) {
	n := modeltest.Schedules(*resolveSchedules, 300, 100, 12)
	tally := modeltest.NewTally("schedules", "created", "notcreated", "ambiguous", "failed", "skipped", "unsafe!")
	readings := resolveReadings()
	if raceEnabled {
		var some []resolveReading
		for i := 0; i < len(readings); i += 5 {
			some = append(some, readings[i])
		}
		readings = some
	}
	t.Cleanup(func() {
		t.Logf("lost baskets per reading (%d readings × %d schedules; resolved = Created or NotCreated of those looked up):\n%s", len(readings), n,
			tally.String(modeltest.Ratio{Name: "resolved", Num: []string{"created", "notcreated"}, Den: []string{"created", "notcreated", "ambiguous"}}))
	})
	for _, rd := range readings {
		name := rd.name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for seed := 0; seed < n; seed++ {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					out := runResolveModel(t, rd, int64(seed))
					tally.Add(name, "schedules", 1)
					switch {
					case out.skipped:
						tally.Add(name, "skipped", 1)
					case out.failed:
						tally.Add(name, "failed", 1)
					case out.state == orderkit.Created:
						tally.Add(name, "created", 1)
					case out.state == orderkit.NotCreated:
						tally.Add(name, "notcreated", 1)
					default:
						tally.Add(name, "ambiguous", 1)
					}
					if out.unsafe {
						tally.Add(name, "unsafe!", 1)
						t.Errorf("unsafe answer: %s", out.detail)
					}
				})
			}
		})
	}
}
