package attivita_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/attivita/attivitatest"
	"github.com/orderkit/orderkit/internal/modeltest"
)

var resolveTrace = flag.Bool("model.resolve.trace", false, "log every step of TestResolveModel's schedules")

var resolveSchedules = flag.Int("model.resolve", 0, "schedules per reading in TestResolveModel (0: 100, 3 under -race, 10 with -short)")

// resolveReading is one combination of the readings of the vendor pages
// the fake plays (see attivitatest): a vendor server written apart from
// the client.
type resolveReading struct {
	sandbox   bool                        // the lost call goes out in sandbox mode
	listing   attivitatest.SandboxListing // how sandbox orders are listed
	listsLive bool                        // a sandbox list shows live orders too
	late      bool                        // orders written up to SettleTime after acting
	local     bool                        // orderDate in Berlin time without offset
	noDate    bool                        // no Date header on any answer
	skew      bool                        // the server's clock off by minutes
	others    bool                        // identical orders of other clients before and after
}

// name is the reading's subtest name: "live", "sb-unmarked+live-late-nodate".
func (r resolveReading) name() string {
	n := "live"
	if r.sandbox {
		n = "sb-" + r.listing.String()
		if r.listsLive {
			n += "+live"
		}
	}
	for _, f := range []struct {
		on   bool
		name string
	}{{r.late, "late"}, {r.local, "local"}, {r.noDate, "nodate"}, {r.skew, "skew"}, {r.others, "others"}} {
		if f.on {
			n += "-" + f.name
		}
	}
	return n
}

func resolveReadings() []resolveReading {
	modes := []resolveReading{{}}
	for _, l := range []attivitatest.SandboxListing{attivitatest.SandboxMarked, attivitatest.SandboxUnmarked, attivitatest.SandboxUnlisted} {
		modes = append(modes, resolveReading{sandbox: true, listing: l}, resolveReading{sandbox: true, listing: l, listsLive: true})
	}
	var out []resolveReading
	for _, m := range modes {
		for bits := range 32 {
			r := m
			r.late, r.local, r.noDate, r.skew, r.others = bits&1 != 0, bits&2 != 0, bits&4 != 0, bits&8 != 0, bits&16 != 0
			out = append(out, r)
		}
	}
	return out
}

// resolveColumns are TestResolveModel's counts per reading: lost calls by
// the answer of their last lookup (SettleTime or more after the cut), and
// every unsafe answer of any lookup.
var resolveColumns = []string{"calls", "created", "notcr", "ambig", "unsafe!"}

// TestResolveModel plays seeded random schedules of a lost Orders.Create
// and its lookups against the fake under every combination of readings,
// with an oracle that knows what the server holds: whether the lost call's
// order exists (written or still being written) and which one it is. No
// answer of any lookup, early or late, may be unsafe: NotCreated while
// the order exists, or Created with another order. It logs, per reading,
// the share of lost calls that their last lookup (SettleTime or more after
// the cut) resolved (Created or NotCreated) rather than left Ambiguous.
//
// A schedule replays from its name; seeds are unique across readings, so
// the reading may be left out:
//
//	go test ./attivita -run 'TestResolveModel//seed=6400012$' -v -model.resolve.trace
func TestResolveModel(t *testing.T) {
	n := modeltest.Schedules(*resolveSchedules, 100, 10, 3)
	readings := resolveReadings()
	tally := modeltest.NewTally(resolveColumns...)
	t.Cleanup(func() { logResolveTally(t, readings, tally, n) })
	for i, rd := range readings {
		t.Run(rd.name(), func(t *testing.T) {
			t.Parallel()
			count := func(col string) { tally.Add(rd.name(), col, 1) }
			for j := range n {
				seed := int64(i*100000 + j)
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					resolveSchedule(t, rd, seed, count)
				})
			}
		})
	}
}

// resolved is the share of lost calls whose last lookup answered Created
// or NotCreated rather than Ambiguous.
var resolved = modeltest.Ratio{Name: "resolved", Num: []string{"created", "notcr"}, Den: []string{"calls"}}

// logResolveTally logs the counts per reading, then the resolved share by
// each reading's mode and switches across the others.
func logResolveTally(t *testing.T, readings []resolveReading, tally *modeltest.Tally, n int) {
	by := modeltest.NewTally(resolveColumns...)
	for _, rd := range readings {
		mode := strings.SplitN(rd.name(), "-", 2)[0]
		if rd.sandbox {
			mode = strings.SplitN(rd.name(), "-", 3)[0] + "-" + strings.SplitN(rd.name(), "-", 3)[1]
		}
		keys := []string{"mode " + mode}
		for _, f := range []struct {
			on   bool
			name string
		}{{rd.late, "late"}, {rd.local, "local"}, {rd.noDate, "nodate"}, {rd.skew, "skew"}, {rd.others, "others"}} {
			keys = append(keys, fmt.Sprintf("%s=%v", f.name, f.on))
		}
		for _, k := range keys {
			for _, c := range resolveColumns {
				by.Add(k, c, tally.Get(rd.name(), c))
			}
		}
	}
	t.Logf("%d readings × %d schedules\n%s\nby mode and switch (\"all\" counts each call once per switch):\n%s",
		len(readings), n, tally.String(resolved), by.String(resolved))
}

// roundTripFunc is an http.RoundTripper from a func.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// resolveSchedule plays one schedule: identical orders of other clients
// before the lost call, maybe one of this client's own (answered), the
// lost call (carried out or not, its answer lost four ways), orders of
// other clients after it, and a lookup at a random time after it — again
// after SettleTime when the first was earlier. The fake's and the client's
// clocks are one virtual clock (the server's skewed), moved by the
// schedule and by each request's travel time.
func resolveSchedule(t *testing.T, rd resolveReading, seed int64, count func(col string)) {
	rng := rand.New(rand.NewSource(seed))
	// A time in 2024–2025; one schedule in four starts near a change of
	// Berlin's clocks (back on 2024-10-27 01:00 UTC, forward on
	// 2025-03-30 01:00 UTC).
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int63n(int64(2 * 365 * 24 * time.Hour))))
	if rng.Intn(4) == 0 {
		base = []time.Time{time.Date(2024, 10, 27, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC)}[rng.Intn(2)].
			Add(time.Duration(rng.Int63n(int64(3 * time.Hour))))
	}
	var mu sync.Mutex
	now := base
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	until := func(at time.Time) {
		mu.Lock()
		defer mu.Unlock()
		if at.After(now) {
			now = at
		}
	}

	fake := attivitatest.NewServer()
	fake.SeedDemo()
	fake.SetClock(clock)
	fake.SetSandboxListing(rd.listing)
	fake.SetSandboxListsLive(rd.listsLive)
	fake.SetLocalDates(rd.local)
	fake.SetDateHeader(!rd.noDate)
	var skew, delay time.Duration
	if rd.skew {
		skew = time.Duration(rng.Int63n(int64(20*time.Minute))) - 10*time.Minute
		fake.SetClockSkew(skew)
	}
	if rd.late {
		delay = time.Duration(rng.Int63n(int64(attivita.SettleTime - time.Second)))
		fake.SetWriteDelay(delay)
	}
	trace := func(string, ...any) {}
	if *resolveTrace {
		trace = t.Logf
	}
	trace("base %s skew %v delay %v", base.Format(time.RFC3339), skew, delay)
	// Each request travels up to 300 ms each way.
	tr := fake.Transport()
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		advance(time.Duration(rng.Int63n(int64(300 * time.Millisecond))))
		res, err := tr.RoundTrip(r)
		advance(time.Duration(rng.Int63n(int64(300 * time.Millisecond))))
		return res, err
	})
	newClient := func() *attivita.Client {
		opts := []orderkit.Option{orderkit.WithHTTPClient(&http.Client{Transport: rt}), orderkit.WithRetry(0, 0, 0)}
		if rd.sandbox {
			opts = append(opts, attivita.WithSandbox())
		}
		c, err := attivita.NewClient(attivitatest.DefaultToken, opts...)
		if err != nil {
			t.Fatal(err)
		}
		attivita.SetClientClock(c, clock)
		return c
	}
	c, other := newClient(), newClient()
	ctx := context.Background()
	ask := []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 1 + rng.Intn(2)}}
	// next numbers the orders as the fake does: live from 1001, sandbox
	// from 900001.
	next := map[bool]attivita.OrderNumber{false: 1001, true: 900001}
	posts := 0
	place := func(by *attivita.Client, sandbox bool, products []attivita.OrderProduct, who string) {
		o, err := by.Orders.Create(ctx, &attivita.OrderRequest{Products: products}, attivita.Sandbox(sandbox))
		posts++
		if err != nil {
			t.Fatalf("%s's order: %v", who, err)
		}
		if o.OrderNumber != next[sandbox] {
			t.Fatalf("%s's order is %d, the model numbers it %d", who, o.OrderNumber, next[sandbox])
		}
		trace("%s placed %d (sandbox %v, %v) at %s", who, o.OrderNumber, sandbox, products, clock().Format(time.RFC3339))
		next[sandbox]++
	}
	otherOrder := func(who string) {
		products := ask
		if rng.Intn(4) == 0 {
			products = []attivita.OrderProduct{{ProductID: attivitatest.DemoOfficeID, Amount: 3}}
		}
		mode := rd.sandbox
		if rng.Intn(4) == 0 {
			mode = !mode
		}
		place(other, mode, products, who)
	}

	// Before: other clients' identical orders, dated at least 5 s before
	// the lost call; an identical order within the lost call's seconds
	// cannot be told from its own (the package doc says so).
	if rd.others {
		for range 1 + rng.Intn(2) {
			advance(time.Duration(rng.Int63n(int64(time.Minute))))
			otherOrder("another client (before)")
		}
		advance(delay + 5*time.Second + time.Duration(rng.Int63n(int64(time.Minute))))
	}
	// This client's own identical order, answered, a moment before.
	if rng.Intn(3) == 0 {
		place(c, rd.sandbox, ask, "this client (earlier, answered)")
		advance(time.Duration(rng.Int63n(int64(30 * time.Second))))
	}

	// The lost call.
	kind := rng.Intn(4)
	acted := kind == 1 || kind == 2
	switch kind {
	case 0:
		fake.DropNextBeforeActing()
	case 1:
		fake.DropNextAfterActing()
	case 2:
		fake.FailNextAfterActing(http.StatusBadGateway, "<html>502 Bad Gateway</html>")
	case 3:
		fake.FailNext(http.StatusBadGateway, "<html>502 Bad Gateway</html>")
	}
	want := next[rd.sandbox]
	_, err := c.Orders.Create(ctx, &attivita.OrderRequest{Products: ask})
	posts++
	var lost *orderkit.LostCreateError
	if !errors.As(err, &lost) {
		t.Fatalf("the lost call: %v, want a *orderkit.LostCreateError", err)
	}
	if acted {
		next[rd.sandbox]++
	}
	cut := clock()
	trace("lost call (fault %d, acted %v, order %d) %s – %s", kind, acted, want, lost.SentAt.Format(time.RFC3339), cut.Format(time.RFC3339))

	// After: other clients' identical orders, dated more than SettleTime
	// after the cut, before or after the lookup.
	type event struct {
		at time.Time
		do func()
	}
	var events []event
	if rd.others {
		for range 1 + rng.Intn(2) {
			at := cut.Add(attivita.SettleTime + 3*time.Second + time.Duration(rng.Int63n(int64(20*time.Second))))
			events = append(events, event{at, func() { otherOrder("another client (after)") }})
		}
	}
	// final is the last lookup's answer, made SettleTime after the cut.
	var final orderkit.ResolutionState
	check := func() {
		r, err := c.Orders.Resolve(ctx, err)
		if err != nil {
			t.Fatalf("lookup: %v", err)
		}
		final = r.State
		exists := acted
		bad := ""
		switch r.State {
		case orderkit.Created:
			if !exists || r.Order.OrderNumber != want {
				bad = fmt.Sprintf("Created with order %d; the lost call's order exists %v, is %d", r.Order.OrderNumber, exists, want)
			}
		case orderkit.NotCreated:
			if exists {
				bad = fmt.Sprintf("NotCreated (SafeToResend %v) while order %d exists", r.SafeToResend, want)
			} else if !r.SafeToResend {
				bad = "NotCreated without SafeToResend"
			}
		case orderkit.Ambiguous:
		default:
			bad = "state " + r.State.String()
		}
		trace("lookup at %s (%v after the cut): %v, %d candidates", clock().Format(time.RFC3339), clock().Sub(cut), r.State, len(r.Candidates))
		if bad != "" {
			count("unsafe!")
			t.Errorf("unsafe at %v after the cut: %s", clock().Sub(cut), bad)
		}
	}
	first := cut.Add(time.Duration(rng.Int63n(int64(35 * time.Second))))
	events = append(events, event{first, check})
	if first.Sub(cut) < attivita.SettleTime+time.Second {
		// Resolve again later, as the package doc says to.
		events = append(events, event{cut.Add(attivita.SettleTime + time.Second + time.Duration(rng.Int63n(int64(20*time.Second)))), check})
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })
	for _, e := range events {
		until(e.at)
		e.do()
	}
	count("calls")
	switch final {
	case orderkit.Created:
		count("created")
	case orderkit.NotCreated:
		count("notcr")
	default:
		count("ambig")
	}
	if got := fake.Count("POST", "/api/orders"); got != posts {
		t.Errorf("%d POSTs, the schedule sent %d: a lookup sent a create", got, posts)
	}
}
