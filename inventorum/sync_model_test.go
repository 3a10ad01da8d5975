package inventorum_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/modeltest"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/orderstate"
)

var modelTrace = flag.Bool("model.trace", false, "log every request and answer of TestSyncModel")

var modelSchedules = flag.Int("model.schedules", 0, "schedules per reading in TestSyncModel (0: 100, 8 under -race, 10 with -short)")

// handlerTransport serves requests with an http.Handler in process, after
// calling before (which may change the handler's state): the model test
// changes the feed between any two requests without a network.
type handlerTransport struct {
	h      http.Handler
	before func()
	trace  func(string, ...any)
}

func (t *handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.before != nil {
		t.before()
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	if t.trace != nil {
		var p struct {
			Total int `json:"total"`
			Data  []struct {
				ID    int64  `json:"id"`
				Added string `json:"time_added"`
				Done  string `json:"completed_at"`
				Delta string `json:"delta_state"`
			} `json:"data"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &p)
		t.trace("%s total=%d %v", r.URL.RawQuery, p.Total, p.Data)
	}
	res := rec.Result()
	res.Request = r
	return res, nil
}

// modelReading is a combination of the delta page's readings; capped
// stands for a page cap below the page size, chosen per schedule.
type modelReading struct {
	inventorumtest.DeltaReading
	capped bool
	// ignoreChannel: the server ignores the channel parameter and answers
	// every channel's orders to each channel's query.
	ignoreChannel bool
}

// name is the reading's part of the subtest name: "gt-p1-capped-hidden-s".
func (r modelReading) name() string {
	name := r.DeltaReading.String()
	if r.capped {
		rd := r.DeltaReading
		rd.PageCap = 1
		name = strings.Replace(rd.String(), "-cap1-", "-capped-", 1)
	}
	if r.ignoreChannel {
		name += "-nochannel"
	}
	return name
}

// allReadings is every combination of the delta page's readings the fake
// knows ("results" as the envelope reads like "data" and is left to
// TestFakeDeltaReadings and TestPageEnvelopes).
func allReadings() []modelReading {
	var out []modelReading
	for _, excl := range []bool{false, true} {
		for _, from1 := range []bool{false, true} {
			for _, capped := range []bool{false, true} {
				for _, hidden := range []bool{false, true} {
					for _, res := range []time.Duration{time.Second, time.Millisecond, 0} {
						for _, ignore := range []bool{false, true} {
							for _, env := range []string{"", "bare"} {
								out = append(out, modelReading{inventorumtest.DeltaReading{ExclusiveStart: excl, PagesFromOne: from1, HiddenModTime: hidden, Resolution: res, Envelope: env}, capped, ignore})
							}
						}
					}
				}
			}
		}
	}
	return out
}

// testedReadings is allReadings, or under the race detector (which makes
// the model and the lookups some seven times slower) every seventh of
// them: 7 is prime to every switch's count of values, so each value of
// each switch still runs. CI runs every reading without -race as a step
// of its own (.ci/run).
func testedReadings() []modelReading {
	all := allReadings()
	if !raceEnabled {
		return all
	}
	var some []modelReading
	for i := 0; i < len(all); i += 7 {
		some = append(some, all[i])
	}
	return some
}

// oracle knows every version of every order the fake held.
type oracle struct {
	current   map[inventorum.ID]string
	versions  map[inventorum.ID][]string
	delivered map[inventorum.ID]map[string]int
}

// modelRun is one schedule: a fake under one reading, orders added and
// modified between requests, bursts on one second, runs broken off and
// resumed from the JSON checkpoint, then quiet runs.
type modelResult struct {
	// errs counts the runs that ended in the sync's own error
	// (ErrInconsistentFeed), failed those that ended in a failed request
	// the model injected.
	lost, dups, breaks, errs, failed, runs int
	// outside counts the versions delivered again that were filed before
	// the run's window (its cursor less the lookback, less the second the
	// times' truncation and the cursor's millisecond take): only a run
	// broken off may cause those.
	outside int
	// lookback is the schedule's SyncOptions.Lookback: duplicates inside
	// it are allowed.
	lookback    time.Duration
	maxRequests int
	// deferred counts the runs that left a stretch to the next run.
	deferred int
	detail   []string
}

// modelLoad is how busy the feed is while a run reads it.
type modelLoad struct {
	name string
	// events bounds the changes during one run (drawn below it).
	events int
	// A change modifies an order one time in modify, and an addition is a
	// burst of orders on one millisecond one time in burst.
	modify, burst int
	// fail is one in how many requests fails (0: none).
	fail int
}

var (
	// steadyLoad is a shop at work: a few changes per run, failed
	// requests now and then.
	steadyLoad = modelLoad{name: "steady", events: 25, modify: 5, burst: 3, fail: 40}
	// churnLoad is a feed that churns while it is read: many orders on one
	// millisecond and modified between nearly every two requests, no
	// failed requests (every error is the sync's own).
	churnLoad = modelLoad{name: "churn", events: 60, modify: 1, burst: 2}
)

func runModelLoad(t testing.TB, mr modelReading, seed int64, load modelLoad) modelResult {
	rng := rand.New(rand.NewSource(seed))
	var res modelResult
	limit := 2 + rng.Intn(5)
	reading := mr.DeltaReading
	if mr.capped {
		reading.PageCap = 1 + rng.Intn(limit-1)
	}
	// Under the fake's own reading (times as given, Resolution 0) the
	// feed's times fall between milliseconds, which start_date cannot
	// name. The jitter has its own source: the other readings' schedules
	// stay as they were.
	jitter := rand.New(rand.NewSource(seed))
	step := func(d time.Duration) time.Duration {
		if reading.Resolution == 0 {
			d += time.Duration(jitter.Intn(1000)) * time.Microsecond
		}
		return d
	}
	fake := inventorumtest.NewServer()
	fake.SetDeltaReading(reading)
	fake.SetIgnoreChannel(mr.ignoreChannel)
	// Orders on two channels, synced together: each channel's cursor
	// must keep to its own orders also when the server mixes them.
	channels := []inventorum.Channel{inventorum.ChannelShop, inventorum.ChannelEbay}
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	or := &oracle{current: map[inventorum.ID]string{}, versions: map[inventorum.ID][]string{}, delivered: map[inventorum.ID]map[string]int{}}
	var ids []inventorum.ID
	channelOf := map[inventorum.ID]inventorum.Channel{}
	// filed is where each order last went into the feed.
	filed := map[inventorum.ID]time.Time{}
	addAt := func(n int, at time.Time) {
		for i := 0; i < n; i++ {
			tag := "0"
			o := fake.AddOrder(inventorum.Order{State: orderstate.Completed, Channel: channels[rng.Intn(len(channels))], TimeAdded: at, CompletedAt: at,
				Basket: inventorum.Basket{NoteInternal: &tag}})
			or.current[o.ID] = tag
			or.versions[o.ID] = append(or.versions[o.ID], tag)
			ids = append(ids, o.ID)
			channelOf[o.ID] = o.Channel
			filed[o.ID] = at
		}
	}
	addN := func(n int) { addAt(n, now) }
	modify := func() {
		if len(ids) == 0 {
			return
		}
		id := ids[rng.Intn(len(ids))]
		tag := fmt.Sprint(len(or.versions[id]))
		fake.ModifyOrder(id, now, func(o *inventorum.Order) {
			o.Basket.NoteInternal = &tag
			o.State ^= orderstate.Refunded
		})
		or.current[id] = tag
		or.versions[id] = append(or.versions[id], tag)
		filed[id] = now
	}
	quiet := false
	requests := 0
	// events bounds the changes during one run: a feed that grows as fast
	// as it is read keeps any reader busy.
	events := 0
	tr := &handlerTransport{h: fake, before: func() {
		requests++
		if quiet || events <= 0 {
			return
		}
		events--
		switch rng.Intn(6) {
		case 0:
			now = now.Add(step(time.Duration(1+rng.Intn(3)) * time.Millisecond))
		case 1, 2:
			now = now.Add(step(time.Duration(200+rng.Intn(1200)) * time.Millisecond))
		}
		if rng.Intn(4) == 0 {
			n := 1
			if rng.Intn(load.burst) == 0 {
				n = 2 + rng.Intn(3*limit)
			}
			addN(n)
		}
		if rng.Intn(load.modify) == 0 {
			modify()
		}
		if load.fail > 0 && rng.Intn(load.fail) == 0 {
			// The request fails: the run ends with an error.
			fake.FailNext(http.StatusBadGateway, `{"detail": "bad gateway"}`)
		}
	}}
	if *modelTrace {
		tr.trace = t.Logf
	}
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken,
		orderkit.WithBaseURL("https://inventorum.test/api"),
		orderkit.WithHTTPClient(&http.Client{Transport: tr}),
		orderkit.WithRateLimit(0, 0), orderkit.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	// The feed before the first run: bursts on one second.
	for i, n := 0, rng.Intn(4); i < n; i++ {
		addN(1 + rng.Intn(2*limit))
		now = now.Add(step(time.Duration(rng.Intn(1500)) * time.Millisecond))
	}

	var stored []byte
	// One schedule in four syncs with a lookback, and between runs files
	// orders late, with a time inside the window behind the newest order
	// (the times' truncation to seconds and the millisecond of the cursor
	// take up to a second more).
	var lookback time.Duration
	if rng.Intn(4) == 0 {
		lookback = time.Duration(3+rng.Intn(3)) * time.Second
	}
	res.lookback = lookback
	opts := inventorum.SyncOptions{Channels: channels, PageSize: limit, Lookback: lookback}
	run := func(breakAfter int) (n int, complete bool) {
		var cp inventorum.DeltaCheckpoint
		if stored != nil {
			if err := json.Unmarshal(stored, &cp); err != nil {
				t.Fatalf("checkpoint: %v", err)
			}
		}
		window := map[inventorum.Channel]time.Time{}
		for ch, cur := range cp.Channels {
			if cur != nil && !cur.Time.IsZero() {
				window[ch] = cur.Time.Add(-lookback - time.Second - time.Millisecond)
			}
		}
		requests = 0
		events = rng.Intn(load.events)
		res.runs++
		complete = true
		for o, err := range c.Orders.Sync(context.Background(), &cp, &opts) {
			if err != nil {
				if !errors.Is(err, inventorum.ErrInconsistentFeed) && !errors.Is(err, orderkit.ErrServer) {
					t.Fatalf("run %d: %v", res.runs, err)
				}
				if errors.Is(err, inventorum.ErrInconsistentFeed) {
					res.errs++
				} else {
					res.failed++
				}
				res.detail = append(res.detail, fmt.Sprintf("run %d: %v", res.runs, err))
				if *modelTrace {
					t.Logf("run %d: %v", res.runs, err)
				}
				complete = false
				break
			}
			tag := ""
			if o.Basket.NoteInternal != nil {
				tag = *o.Basket.NoteInternal
			}
			if o.Channel != channelOf[o.ID] {
				t.Errorf("run %d: order %d of channel %q delivered as %q", res.runs, o.ID, channelOf[o.ID], o.Channel)
			}
			m := or.delivered[o.ID]
			if m == nil {
				m = map[string]int{}
				or.delivered[o.ID] = m
			}
			if w, ok := window[o.Channel]; ok && m[tag] > 0 && filed[o.ID].Before(w) {
				res.outside++
				res.detail = append(res.detail, fmt.Sprintf("run %d: order %d version %s, filed %s, delivered again from a window from %s",
					res.runs, o.ID, tag, filed[o.ID].Format(time.RFC3339Nano), w.Format(time.RFC3339Nano)))
			}
			m[tag]++
			n++
			if breakAfter >= 0 && n > breakAfter {
				res.breaks++
				complete = false
				break
			}
		}
		for _, cur := range cp.Channels {
			if cur != nil && cur.Deferred {
				// A stretch was left to the next run: the orders after
				// it were not read.
				res.deferred++
				complete = false
				break
			}
		}
		if requests > res.maxRequests {
			res.maxRequests = requests
		}
		// Every run ends within a bound: re-reads of a stretch are capped,
		// and every other page moves the cursor on.
		if bound := 8 * (len(ids) + 4) * len(channels); requests > bound {
			t.Errorf("run %d: %d requests for %d orders", res.runs, requests, len(ids))
		}
		b, err := json.Marshal(cp)
		if err != nil {
			t.Fatal(err)
		}
		stored = b
		return n, complete
	}

	for r, runs := 0, 2+rng.Intn(5); r < runs; r++ {
		if lookback > 0 && rng.Intn(2) == 0 {
			addAt(1+rng.Intn(limit), now.Add(-time.Duration(rng.Int63n(int64(lookback-2*time.Second)))))
		}
		start := copyMap(or.current)
		breakAfter := -1
		if rng.Intn(5) < 2 {
			breakAfter = rng.Intn(3 * limit)
		}
		if _, complete := run(breakAfter); complete {
			// Every version held throughout a complete run is delivered by
			// its end.
			for id, tag := range start {
				if or.current[id] == tag && or.delivered[id][tag] == 0 {
					res.lost++
					res.detail = append(res.detail, fmt.Sprintf("run %d: order %d version %s held throughout, not delivered", res.runs, id, tag))
				}
			}
		}
	}
	quiet = true
	if _, complete := run(-1); !complete {
		t.Fatalf("a quiet run did not complete: %v", res.detail)
	}
	for id, tag := range or.current {
		if or.delivered[id][tag] == 0 {
			res.lost++
			res.detail = append(res.detail, fmt.Sprintf("order %d: latest version %s never delivered (versions %v, delivered %v)", id, tag, or.versions[id], or.delivered[id]))
		}
	}
	// Within a lookback, the orders of the window are delivered again.
	if n, _ := run(-1); n != 0 && lookback == 0 {
		res.detail = append(res.detail, fmt.Sprintf("a second quiet run delivered %d", n))
		res.lost += 1000 // a run with nothing new must deliver nothing
	}
	for _, m := range or.delivered {
		for _, n := range m {
			if n > 1 {
				res.dups += n - 1
			}
		}
	}
	return res
}

func copyMap(m map[inventorum.ID]string) map[inventorum.ID]string {
	out := make(map[inventorum.ID]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestSyncModel runs seeded, randomized schedules under every combination
// of the delta page's readings, with the channel parameter honoured or
// ignored (orders on two channels, synced together), and requires that no
// order version is lost, that every order comes with its own channel, and
// that duplicates stay within Sync's documented bound: at most one per run
// broken off. One schedule in four syncs with a Lookback and files orders
// late inside it: none may be lost (duplicates inside the window are
// allowed). A failing schedule replays from its name:
//
//	go test ./inventorum -run 'TestSyncModel/ge-p0-nocap-visible-s/seed=17$' -v
func TestSyncModel(t *testing.T) {
	n := modeltest.Schedules(*modelSchedules, 100, 10, 8)
	runModelTest(t, testedReadings(), n, steadyLoad, nil)
}

// TestSyncModelChurn runs the model on a feed that churns while it is read
// (churnLoad: bursts on one millisecond, an order modified between nearly
// every two requests, no injected failures), under 48 of the readings:
// every combination of start_date, page numbering, page cap, hidden
// modification time and resolution, the envelope and the channel
// parameter's reading cycling through them. A stretch whose reads keep
// disagreeing is left to the next run (DeltaCursor.Deferred), so no run
// may end in an error: at most one in a thousand, the budget a sync run
// nightly may spend. Lost orders and duplicates are held to the same
// bounds as in TestSyncModel.
//
//	go test ./inventorum -run 'TestSyncModelChurn$' -v -model.schedules=100
func TestSyncModelChurn(t *testing.T) {
	n := modeltest.Schedules(*modelSchedules, 30, 10, 3)
	readings := churnReadings()
	if raceEnabled {
		var some []modelReading
		for i := 0; i < len(readings); i += 7 {
			some = append(some, readings[i])
		}
		readings = some
	}
	runModelTest(t, readings, n, churnLoad, func(total *modeltest.Tally) {
		runs, errs := total.Total("runs"), total.Total("errors")
		t.Logf("churn: %d runs, %d ended in an error (%.2f %%), %d deferred a stretch, %d lost, %d duplicates",
			runs, errs, 100*float64(errs)/float64(max(runs, 1)), total.Total("deferred"), total.Total("lost"), total.Total("dups"))
		if errs*1000 > runs {
			t.Errorf("%d of %d runs ended in an error: more than one in a thousand", errs, runs)
		}
	})
}

// churnReadings is 48 of the 192 readings: each combination of the
// switches other than the envelope and the channel parameter once, those
// two cycling through their four combinations.
func churnReadings() []modelReading {
	all := allReadings()
	var out []modelReading
	for k := 0; k*4 < len(all); k++ {
		out = append(out, all[4*k+k%4])
	}
	return out
}

// runModelTest runs n schedules of each reading under load, one subtest
// per reading and seed, logs a table of the figures per reading and
// hands them to check, when not nil, once every schedule has run. Errors
// are the runs that ended in ErrInconsistentFeed, failed those ended by an
// injected failed request, deferred those that left a stretch to the next
// run; "lb dups" are the duplicates of schedules with a Lookback, which
// delivers the orders inside the window again by design.
func runModelTest(t *testing.T, readings []modelReading, n int, load modelLoad, check func(*modeltest.Tally)) {
	tally := modeltest.NewTally("schedules", "runs", "broken", "errors", "failed", "deferred", "lost", "dups", "lb dups", "max req+max")
	for _, rd := range readings {
		name := rd.name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for seed := 0; seed < n; seed++ {
				t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
					res := runModelLoad(t, rd, int64(seed), load)
					dups := "dups"
					if res.lookback != 0 {
						dups = "lb dups"
					}
					for col, v := range map[string]int{"schedules": 1, "runs": res.runs, "broken": res.breaks, "errors": res.errs,
						"failed": res.failed, "deferred": res.deferred, "lost": res.lost, dups: res.dups, "max req": res.maxRequests} {
						tally.Add(name, col, int64(v))
					}
					if res.lost != 0 {
						t.Errorf("lost %d: %v", res.lost, res.detail)
					}
					if res.outside > res.breaks {
						t.Errorf("%d versions filed before the lookback window delivered again, more than the %d runs broken off: %v", res.outside, res.breaks, res.detail)
					}
					if res.lookback == 0 && res.dups > res.breaks {
						t.Errorf("%d duplicate deliveries, more than the %d runs broken off: %v", res.dups, res.breaks, res.detail)
					}
				})
			}
		})
	}
	t.Cleanup(func() {
		t.Logf("%s feed:\n%s", load.name, tally.String())
		if check != nil {
			check(tally)
		}
	})
}

// Under -race the readings are a subset: every value of every switch must
// still be in it.
func TestTestedReadingsCoverEverySwitch(t *testing.T) {
	values := func(rs []modelReading) map[string]bool {
		seen := map[string]bool{}
		for _, r := range rs {
			d := r.DeltaReading
			for _, v := range []string{
				fmt.Sprint("excl=", d.ExclusiveStart), fmt.Sprint("from1=", d.PagesFromOne),
				fmt.Sprint("hidden=", d.HiddenModTime), fmt.Sprint("res=", d.Resolution),
				fmt.Sprint("env=", d.Envelope), fmt.Sprint("capped=", r.capped), fmt.Sprint("ignore=", r.ignoreChannel),
			} {
				seen[v] = true
			}
		}
		return seen
	}
	all, tested := values(allReadings()), values(testedReadings())
	for v := range all {
		if !tested[v] {
			t.Errorf("no tested reading has %s", v)
		}
	}
}
