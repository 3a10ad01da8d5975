package versacommerce_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/versacommerce"
	"github.com/orderkit/orderkit/versacommerce/versacommercetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walkSeeds is how many seeded schedules TestAllModel runs. A failing one
// replays alone from its subtest name:
//
//	go test ./versacommerce -run 'TestAllModel/seed=17$'
var walkSeeds = flag.Int("walkseeds", 300, "schedules TestAllModel runs (seeds 1..n)")

// TestAllModel walks a fake shop whose orders are created and deleted
// while the walk runs, under a page cap from 1 to 250 below or above the
// limit asked, with and without id bounds, and under every reading switch
// the fake has, each in turn by seed: the three root readings, a shop that
// ignores limit, and a shop that ignores id_min. The oracle: every order
// that matched from the walk's start to its end is yielded exactly once;
// nothing is yielded twice or out of id order; nothing yielded is outside
// the bounds or never existed; and the walk sends at most one request per
// yielded order plus one. A shop that ignores id_min cannot be walked by
// id: there the walk may end early, but only with a *PagingError, and the
// rest of the oracle holds for what it yielded.
func TestAllModel(t *testing.T) {
	stats := map[string]int{}
	for seed := int64(1); seed <= int64(*walkSeeds); seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			for k, v := range runWalkModel(t, seed) {
				stats[k] += v
			}
		})
	}
	t.Logf("schedules: %d; %v", *walkSeeds, stats)
}

func runWalkModel(t *testing.T, seed int64) map[string]int {
	rng := rand.New(rand.NewSource(seed))
	fake := versacommercetest.NewServer()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)), orderkit.WithRetry(0, 0, 0))
	require.NoError(t, err)

	// The shop's readings for this schedule.
	pageCap := 1 + rng.Intn(250)
	if rng.Intn(2) == 0 {
		pageCap = 1 + rng.Intn(8) // small caps make many pages
	}
	fake.SetPageCap(pageCap)
	// Every combination of the fake's reading switches, in turn by seed.
	root := versacommercetest.RootElement(seed % 3)
	fake.SetRootElement(root)
	ignoreLimit, ignoreIDMin := seed/3%2 == 1, seed/6%2 == 1
	fake.SetIgnoreLimit(ignoreLimit)
	fake.SetIgnoreIDMin(ignoreIDMin)
	reading := fmt.Sprintf("cap %d, root %d, ignore limit %t, ignore id_min %t", pageCap, root, ignoreLimit, ignoreIDMin)
	limit := 0
	if rng.Intn(3) > 0 {
		limit = 1 + rng.Intn(versacommerce.MaxLimit)
	}

	statuses := []string{"open", "closed", "canceled"}
	exists := map[int64]bool{}
	status := map[int64]string{}
	add := func() {
		o := versacommercetest.Order{Status: statuses[rng.Intn(len(statuses))]}
		if rng.Intn(4) == 0 {
			o.ID = int64(len(exists)) + 100 + int64(rng.Intn(50)) // gaps in the ids
			if _, taken := status[o.ID]; taken || o.ID < maxID(status) {
				o.ID = 0
			}
		}
		o = fake.AddOrder(o)
		exists[o.ID], status[o.ID] = true, o.Status
	}
	remove := func() {
		ids := sortedIDs(exists)
		if len(ids) == 0 {
			return
		}
		id := ids[rng.Intn(len(ids))]
		require.True(t, fake.RemoveOrder(id))
		delete(exists, id)
	}
	for n := rng.Intn(60); n > 0; n-- {
		add()
	}

	opts := &versacommerce.ListOptions{Limit: limit}
	if rng.Intn(4) == 0 {
		opts.Status = versacommerce.OrderStatusOpen
	}
	if ids := sortedIDs(exists); len(ids) > 0 && rng.Intn(4) == 0 {
		opts.IDMin = versacommerce.ID(ids[rng.Intn(len(ids))])
	}
	if ids := sortedIDs(exists); len(ids) > 0 && rng.Intn(4) == 0 {
		opts.IDMax = versacommerce.ID(ids[rng.Intn(len(ids))] + int64(rng.Intn(3)))
		if opts.IDMax < opts.IDMin {
			opts.IDMin, opts.IDMax = opts.IDMax, opts.IDMin
		}
	}
	match := func(id int64) bool {
		return (opts.Status == "" || status[id] == string(opts.Status)) &&
			versacommerce.ID(id) >= opts.IDMin && (opts.IDMax == 0 || versacommerce.ID(id) <= opts.IDMax)
	}
	atStart := map[int64]bool{}
	for id := range exists {
		if match(id) {
			atStart[id] = true
		}
	}

	before := fake.Count("GET", "/api/orders.json")
	var got []int64
	var walkErr error
	for o, err := range c.Orders.All(context.Background(), opts) {
		if err != nil {
			require.Nil(t, walkErr, "one error, then the sequence ends (%s)", reading)
			walkErr = err
			continue
		}
		got = append(got, int64(o.ID))
		// The shop changes while the walk runs.
		switch rng.Intn(6) {
		case 0:
			for k := rng.Intn(4); k > 0; k-- {
				add()
			}
		case 1:
			remove()
		}
	}
	requests := fake.Count("GET", "/api/orders.json") - before

	seen := map[int64]bool{}
	for i, id := range got {
		assert.False(t, seen[id], "order %d yielded twice", id)
		seen[id] = true
		if i > 0 {
			assert.Greater(t, id, got[i-1], "ascending ids")
		}
		_, ever := status[id]
		assert.True(t, ever && match(id), "order %d never matched", id)
	}
	out := map[string]int{"requests": requests, "orders yielded": len(got)}
	if walkErr != nil {
		require.True(t, ignoreIDMin, "only a shop that ignores id_min ends the walk early: %v (%s, limit %d)", walkErr, reading, limit)
		var pe *versacommerce.PagingError
		require.ErrorAs(t, walkErr, &pe, reading)
		assert.ErrorIs(t, walkErr, orderkit.ErrInvalidResponse)
		out["ended by a *PagingError"]++
	} else {
		for id := range atStart {
			if exists[id] {
				assert.True(t, seen[id], "order %d existed from start to end but was not yielded (%s, limit %d)", id, reading, limit)
			}
		}
	}
	assert.LessOrEqual(t, requests, len(got)+1, "at most one request per yielded order plus one (%s)", reading)
	if pageCap < max(limit, 1) || limit == 0 {
		out["capped below the limit"]++
	}
	out[fmt.Sprintf("root=%d ignoreLimit=%t ignoreIDMin=%t", root, ignoreLimit, ignoreIDMin)]++
	return out
}

func sortedIDs(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func maxID(m map[int64]string) int64 {
	var top int64
	for id := range m {
		top = max(top, id)
	}
	return top
}

func TestAllEndsOnAnEmptyPageUnderAPageCap(t *testing.T) {
	c, fake, _ := newFake(t)
	for i := 0; i < 7; i++ {
		fake.AddOrder(versacommercetest.Order{})
	}
	fake.SetPageCap(3)
	var got []int64
	for o, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Limit: 5}) {
		require.NoError(t, err)
		got = append(got, int64(o.ID))
	}
	assert.Equal(t, []int64{100, 101, 102, 103, 104, 105, 106}, got, "short pages do not end the walk")
	var mins []string
	for _, r := range fake.Requests() {
		mins = append(mins, r.Query.Get("id_min"))
	}
	assert.Equal(t, []string{"", "103", "106", "107"}, mins, "pages of 3, 3, 1, then the empty page")

	// With IDMax the walk ends once it is reached, without the empty page.
	before := len(fake.Requests())
	got = nil
	for o, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Filter: versacommerce.Filter{IDMax: 102}}) {
		require.NoError(t, err)
		got = append(got, int64(o.ID))
	}
	assert.Equal(t, []int64{100, 101, 102}, got)
	assert.Len(t, fake.Requests()[before:], 1)
}

func TestAllRefusesAShopThatIgnoresIDMin(t *testing.T) {
	c, fake, _ := newFake(t)
	for i := 0; i < 5; i++ {
		fake.AddOrder(versacommercetest.Order{})
	}
	fake.SetPageCap(2)
	fake.SetIgnoreIDMin(true)
	var got []int64
	var errs []error
	for o, err := range c.Orders.All(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, int64(o.ID))
	}
	assert.Equal(t, []int64{100, 101}, got, "the first page, then nothing twice")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], orderkit.ErrInvalidResponse)
	var pe *versacommerce.PagingError
	require.ErrorAs(t, errs[0], &pe)
	assert.Equal(t, versacommerce.PagingError{IDMin: 102, Index: 0, ID: 100}, *pe)
	assert.Contains(t, errs[0].Error(), "ignores id_min")
	assert.Equal(t, 2, fake.Count("GET", "/api/orders.json"), "no loop")
}

func TestAllReadsAShopThatIgnoresLimit(t *testing.T) {
	c, fake, _ := newFake(t)
	for i := 0; i < 9; i++ {
		fake.AddOrder(versacommercetest.Order{})
	}
	fake.SetIgnoreLimit(true)
	n := 0
	for _, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Limit: 2}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 9, n)
	assert.Equal(t, 2, fake.Count("GET", "/api/orders.json"), "the long page, then the empty one")
}

func TestAllRefusesAnOrderAboveIDMax(t *testing.T) {
	c, fake, _ := newFake(t)
	for i := 0; i < 3; i++ {
		fake.AddOrder(versacommercetest.Order{})
	}
	// A shop that ignores id_max too.
	fake.FailNext(200, `[{"order": {"id": 100}}, {"order": {"id": 105}}]`)
	var errs []error
	for _, err := range c.Orders.All(context.Background(), &versacommerce.ListOptions{Filter: versacommerce.Filter{IDMax: 101}}) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	var pe *versacommerce.PagingError
	require.True(t, errors.As(errs[0], &pe))
	assert.Equal(t, versacommerce.PagingError{IDMax: 101, Index: 1, ID: 105, Previous: 100}, *pe)
}

func TestAllNeverLoopsOnAShopThatRepeatsItsPage(t *testing.T) {
	// A shop that answers the same page whatever it is asked, with a
	// deadline as a backstop: the walk must end on its own.
	c, mock := newMock(t)
	mock.RegisterResponder("GET", base+"/orders.json", respond(t, 200, []byte(`[{"id": 7}, {"id": 8}]`)))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var errs []error
	n := 0
	for _, err := range c.Orders.All(ctx, nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	assert.Equal(t, 2, n)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], orderkit.ErrInvalidResponse)
	assert.NotErrorIs(t, errs[0], context.DeadlineExceeded)
	assert.Equal(t, 2, mock.GetTotalCallCount())
}

func TestListAndAllRefuseAnEntryWithoutAnID(t *testing.T) {
	// A list entry without a positive id (a proxy's {}, an id of 0) is not
	// an order; it must not pass for one whose amounts are all zero, as Get
	// refuses it too.
	for _, body := range []string{`[{}]`, `[{"order": {}}]`, `[{"id": 0, "total": "9.99"}]`, `[{"id": -3}]`, `[{"order": null}]`} {
		t.Run(body, func(t *testing.T) {
			c, mock := newMock(t)
			mock.RegisterResponder("GET", base+"/orders.json", respond(t, 200, []byte(body)))
			var got []versacommerce.Order
			var errs []error
			for o, err := range c.Orders.All(context.Background(), nil) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				got = append(got, o)
			}
			assert.Empty(t, got)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], orderkit.ErrInvalidResponse)
			assert.Contains(t, errs[0].Error(), "entry 0 of the page has no positive id")
			assert.Equal(t, 1, mock.GetTotalCallCount())

			page, err := c.Orders.List(context.Background(), nil)
			assert.Nil(t, page)
			assert.ErrorIs(t, err, orderkit.ErrInvalidResponse)
			var e *orderkit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 200, e.StatusCode)
		})
	}
}
