package adility_test

import (
	"context"
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
	"github.com/orderkit/orderkit/adility"
	"github.com/orderkit/orderkit/adility/adilitytest"
	"github.com/orderkit/orderkit/internal/modeltest"
)

var placeSchedules = flag.Int("resolve.schedules", 0, "schedules per reading in TestResolveModel (0: 300, 20 under -race, 30 with -short)")

// placeReading is one combination of readings TestResolveModel runs
// schedules under: the shape of the duplicate refusal, the format, and
// whether Place is declared idempotent (retried after an answer lost).
type placeReading struct {
	refusal    adilitytest.DuplicateRefusal
	format     adility.Format
	idempotent bool
}

func (r placeReading) name() string {
	s := [...]string{"plain", "toplevel", "nested"}[r.refusal] + "-" + map[adility.Format]string{adility.JSON: "json", adility.XML: "xml"}[r.format]
	if r.idempotent {
		return s + "-idempotent"
	}
	return s + "-once"
}

// hookTransport runs before ahead of every request, then next.
type hookTransport struct {
	next   http.RoundTripper
	before func(*http.Request)
}

func (h *hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h.before(r)
	return h.next.RoundTrip(r)
}

type placeOutcome struct {
	lost     bool // Place ended with an unknown outcome
	resolved bool // Resolve answered Created
	settled  bool // the order is in hand after Resolve or PlaceAgain
	unsafe   string
}

// runPlaceSchedule places an order whose answer one of the fake's faults
// loses (another fault may hit the retry of an idempotent Place), among
// other clients' orders with the same items and other numbers placed
// before, between and during the calls; then Resolve (which must send no
// POST and never name another order), then PlaceAgain when Resolve did
// not settle it (which must never make a second order, and must return
// the order when the refusal names it), then Resolve of what PlaceAgain
// returned.
func runPlaceSchedule(t testing.TB, rd placeReading, seed int64) placeOutcome {
	rng := rand.New(rand.NewSource(seed))
	var mu sync.Mutex
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(rng.Intn(86400)) * time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	fake := adilitytest.NewServer()
	fake.SetClock(clock)
	fake.SetDuplicateRefusal(rd.refusal)

	others := 0
	side, err := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL("https://adility.test"),
		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}), orderkit.WithRetry(0, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	other := func() {
		others++
		req := lostRequest(fmt.Sprintf("other-%d-%d", seed, others))
		if _, err := side.Orders.Place(context.Background(), req); err != nil {
			t.Fatalf("another client's order: %v", err)
		}
	}
	for i, n := 0, rng.Intn(3); i < n; i++ {
		other()
	}
	busy := true
	tr := &hookTransport{next: fake.Transport(), before: func(r *http.Request) {
		mu.Lock()
		now = now.Add(time.Duration(rng.Intn(2000)) * time.Millisecond)
		mu.Unlock()
		// Others order while Resolve reads; not ahead of a POST of ours,
		// whose queued faults are its own.
		if busy && r.Method == http.MethodGet && rng.Intn(3) == 0 {
			other()
		}
	}}
	retries := 0
	if rd.idempotent {
		retries = 2
	}
	c, err := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL("https://adility.test"), adility.WithFormat(rd.format),
		orderkit.WithHTTPClient(&http.Client{Transport: tr}), orderkit.WithRetry(retries, 0, 0), orderkit.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}

	fault := func() {
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
	}
	fault()
	second := rd.idempotent && rng.Intn(2) == 0
	if second {
		fault() // the retry's answer is lost too
	}
	number := fmt.Sprintf("ours-%d", seed)
	req := lostRequest(number)
	req.Idempotent = rd.idempotent
	placed, placeErr := c.Orders.Place(context.Background(), req)
	if second {
		// A second fault the Place did not reach goes to a read of no
		// order.
		_, _ = side.Orders.Get(context.Background(), "no-such-order")
	}
	other()
	var out placeOutcome
	ours := func() (adilitytest.Order, bool) { return fake.OrderByNumber(number) }
	check := func(step string, o *adility.Order) {
		want, ok := ours()
		switch {
		case !ok:
			out.unsafe = fmt.Sprintf("%s returned order %s, but no order has number %s", step, o.ID, number)
		case string(o.ID) != want.ID || o.OrderNumber != number:
			out.unsafe = fmt.Sprintf("%s returned order %s (%s), ours is %s", step, o.ID, o.OrderNumber, want.ID)
		case len(o.Vouchers()) != req.Items[0].Quantity:
			out.unsafe = fmt.Sprintf("%s returned order %s with %d vouchers", step, o.ID, len(o.Vouchers()))
		}
	}
	if placeErr == nil || !errors.Is(placeErr, orderkit.ErrOutcomeUnknown) {
		// Settled by Place itself (a retry placed it, or read what a
		// duplicate refusal named): not a lost call, but the order must be
		// ours.
		if placeErr != nil {
			t.Fatalf("place: %v", placeErr)
		}
		check("Place", placed)
		return out
	}
	out.lost = true
	// posts counts the POSTs with our number (others place theirs
	// meanwhile).
	posts := func() int {
		n := 0
		for _, r := range fake.Requests() {
			if r.Method == http.MethodPost && strings.Contains(r.Body, number) {
				n++
			}
		}
		return n
	}

	before := posts()
	res, rerr := c.Orders.Resolve(context.Background(), placeErr)
	if rerr != nil {
		t.Fatalf("resolve: %v", rerr)
	}
	if n := posts(); n != before {
		out.unsafe = fmt.Sprintf("Resolve sent %d POST", n-before)
		return out
	}
	_, exists := ours()
	switch res.State {
	case orderkit.Created:
		out.resolved, out.settled = true, true
		check("Resolve", res.Order)
		return out
	case orderkit.NotCreated:
		if exists {
			out.unsafe = "Resolve: NotCreated while the order exists"
		}
	case orderkit.Unresolvable, orderkit.Ambiguous:
	default:
		out.unsafe = "Resolve: state " + res.State.String()
	}
	if out.unsafe != "" {
		return out
	}

	// Send it again, the same number: never a second order.
	countBefore := len(fake.Orders())
	busy = false
	o, aerr := c.Orders.PlaceAgain(context.Background(), placeErr)
	if n := len(fake.Orders()); n > countBefore+1 || n == countBefore+1 && exists {
		out.unsafe = fmt.Sprintf("PlaceAgain made a second order (%d orders, %d before, ours existed %v)", n, countBefore, exists)
		return out
	}
	switch {
	case aerr == nil:
		out.settled = true
		check("PlaceAgain", o)
	case errors.Is(aerr, adility.ErrPlacedUnreadable):
		if _, ok := ours(); !ok {
			out.unsafe = "PlaceAgain: placed-unreadable without an order of that number"
		} else if rd.refusal != adilitytest.DuplicateRefusalPlain {
			out.unsafe = "PlaceAgain: the refusal named the order, but it was not read: " + aerr.Error()
		}
		before := posts()
		res2, rerr := c.Orders.Resolve(context.Background(), aerr)
		if rerr != nil {
			t.Fatalf("resolve after PlaceAgain: %v", rerr)
		}
		if posts() != before {
			out.unsafe = "Resolve after PlaceAgain sent a POST"
		}
		if res2.State == orderkit.Created {
			check("Resolve after PlaceAgain", res2.Order)
		}
	default:
		out.unsafe = "PlaceAgain: " + aerr.Error()
	}
	return out
}

// TestResolveModel runs seeded, randomized schedules of a lost Place
// under every combination of the duplicate refusal's shape (plain, naming
// the order at its top level, or in a nested error object), the format
// (JSON, XML) and Place declared idempotent or not, with, per schedule,
// one of the faults that lose an answer (two for an idempotent Place) and
// other clients' identical orders placed before and while it runs. An
// oracle that knows what the fake holds counts unsafe outcomes: Resolve
// sending a POST, naming an order that is not the lost call's, or saying
// NotCreated while it exists; PlaceAgain making a second order, returning
// another, or leaving the order unread when the refusal names it. It
// requires none, and logs per reading the share of lost calls Resolve
// answered Created (the API reads no order by its number, so a lost call
// whose answer told nothing stays Unresolvable until PlaceAgain), and the
// share settled, the order in hand, after PlaceAgain. A failing schedule
// replays from its name:
//
//	go test ./adility -run 'TestResolveModel/nested-json-once/seed=17$' -v
func TestResolveModel(t *testing.T) {
	n := modeltest.Schedules(*placeSchedules, 300, 30, 20)
	var readings []placeReading
	for _, r := range []adilitytest.DuplicateRefusal{adilitytest.DuplicateRefusalPlain, adilitytest.DuplicateRefusalTopLevel, adilitytest.DuplicateRefusalNested} {
		for _, f := range []adility.Format{adility.JSON, adility.XML} {
			for _, idem := range []bool{false, true} {
				readings = append(readings, placeReading{r, f, idem})
			}
		}
	}
	tally := modeltest.NewTally("runs", "lost", "unsafe!", "resolved", "settled")
	t.Cleanup(func() {
		t.Logf("lost Places per reading (%d readings × %d schedules; resolved = Resolve answered Created; settled = the order in hand after PlaceAgain):\n%s",
			len(readings), n, tally.String(
				modeltest.Ratio{Name: "resolved%", Num: []string{"resolved"}, Den: []string{"lost"}},
				modeltest.Ratio{Name: "settled%", Num: []string{"settled"}, Den: []string{"lost"}}))
	})
	for _, rd := range readings {
		name := rd.name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for seed := 0; seed < n; seed++ {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					out := runPlaceSchedule(t, rd, int64(seed))
					tally.Add(name, "runs", 1)
					for col, on := range map[string]bool{"lost": out.lost, "resolved": out.resolved, "settled": out.settled, "unsafe!": out.unsafe != ""} {
						if on {
							tally.Add(name, col, 1)
						}
					}
					if out.unsafe != "" {
						t.Errorf("unsafe: %s", out.unsafe)
					}
				})
			}
		})
	}
}
