package inventorum_test

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runSync runs one sync from the stored checkpoint (JSON, as a service
// stores it) and returns the ids delivered, the error and the new JSON.
func runSync(t *testing.T, c *inventorum.Client, stored []byte, opts inventorum.SyncOptions, body func(o inventorum.Order) bool) ([]inventorum.ID, []byte, error) {
	t.Helper()
	var cp inventorum.DeltaCheckpoint
	if stored != nil {
		require.NoError(t, json.Unmarshal(stored, &cp))
	}
	var got []inventorum.ID
	var runErr error
	for o, err := range c.Orders.Sync(context.Background(), &cp, &opts) {
		if err != nil {
			runErr = err
			break
		}
		got = append(got, o.ID)
		if body != nil && !body(o) {
			break
		}
	}
	out, err := json.Marshal(cp)
	require.NoError(t, err)
	return got, out, runErr
}

func deliverable(orders []inventorum.Order) []inventorum.ID {
	var out []inventorum.ID
	for _, o := range orders {
		if !o.State.Has(orderstate.Draft) && !o.State.Has(orderstate.Pending) {
			out = append(out, o.ID)
		}
	}
	return out
}

func add(fake *inventorumtest.Server, ch inventorum.Channel, at time.Time) inventorum.Order {
	return fake.AddOrder(inventorum.Order{State: orderstate.Completed, Channel: ch, TimeAdded: at, CompletedAt: at})
}

func assertOnce(t *testing.T, want, got []inventorum.ID) {
	t.Helper()
	assert.ElementsMatch(t, want, got)
}

func TestSyncAllChannelsOnceThenNothing(t *testing.T) {
	fake, c := newFake(t)
	gen := fake.GenerateOrders(700, t0, 7*time.Second)
	got, cp, err := runSync(t, c, nil, inventorum.SyncOptions{}, nil)
	require.NoError(t, err)
	assertOnce(t, deliverable(gen), got)
	// Each channel holds 100 orders, fewer deliverable: one page each.
	assert.Equal(t, 7, fake.Count("GET", "/api/orders/delta/"))

	again, cp2, err := runSync(t, c, cp, inventorum.SyncOptions{}, nil)
	require.NoError(t, err)
	assert.Empty(t, again, "a second run with nothing new delivers nothing")
	assert.JSONEq(t, string(cp), string(cp2))

	newer := add(fake, inventorum.ChannelEbay, t0.Add(24*time.Hour))
	again, _, err = runSync(t, c, cp2, inventorum.SyncOptions{}, nil)
	require.NoError(t, err)
	assert.Equal(t, []inventorum.ID{newer.ID}, again)
}

func TestSyncServerDefaultChannelReadings(t *testing.T) {
	for name, setup := range map[string]func(*inventorumtest.Server){
		"default shop":    func(f *inventorumtest.Server) { f.SetDeltaDefaultChannel(inventorum.ChannelShop) },
		"default all":     func(f *inventorumtest.Server) {},
		"channel ignored": func(f *inventorumtest.Server) { f.SetIgnoreChannel(true) },
		"ignored, all shop": func(f *inventorumtest.Server) {
			f.SetIgnoreChannel(true)
			f.SetDeltaDefaultChannel(inventorum.ChannelShop)
		},
	} {
		t.Run(name, func(t *testing.T) {
			fake, c := newFake(t)
			setup(fake)
			gen := fake.GenerateOrders(120, t0, time.Second)
			got, cp, err := runSync(t, c, nil, inventorum.SyncOptions{PageSize: 9}, nil)
			require.NoError(t, err)
			if name == "ignored, all shop" {
				// A server that sends only shop whatever is asked: the
				// helper cannot conjure the rest, but delivers shop once.
				var shop []inventorum.Order
				for _, o := range gen {
					if o.Channel == inventorum.ChannelShop {
						shop = append(shop, o)
					}
				}
				assertOnce(t, deliverable(shop), got)
				return
			}
			assertOnce(t, deliverable(gen), got)
			again, _, err := runSync(t, c, cp, inventorum.SyncOptions{PageSize: 9}, nil)
			require.NoError(t, err)
			assert.Empty(t, again)
		})
	}
}

func TestSyncSelectedChannels(t *testing.T) {
	fake, c := newFake(t)
	gen := fake.GenerateOrders(70, t0, time.Second)
	got, cp, err := runSync(t, c, nil, inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop, inventorum.ChannelEbay}}, nil)
	require.NoError(t, err)
	var want []inventorum.Order
	for _, o := range gen {
		if o.Channel == inventorum.ChannelShop || o.Channel == inventorum.ChannelEbay {
			want = append(want, o)
		}
	}
	assertOnce(t, deliverable(want), got)
	var parsed inventorum.DeltaCheckpoint
	require.NoError(t, json.Unmarshal(cp, &parsed))
	assert.Len(t, parsed.Channels, 2)

	_, _, err = runSync(t, c, nil, inventorum.SyncOptions{Channels: []inventorum.Channel{"amazon"}}, nil)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, _, err = runSync(t, c, nil, inventorum.SyncOptions{PageSize: 101}, nil)
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestSyncSharedTimestampAcrossPageBoundary(t *testing.T) {
	fake, c := newFake(t)
	var all []inventorum.Order
	// Page size 3: the boundary falls inside each group of equal times.
	for i, n := range []int{2, 4, 1, 5, 3} {
		at := t0.Add(time.Duration(i) * time.Minute)
		for j := 0; j < n; j++ {
			all = append(all, add(fake, inventorum.ChannelShop, at))
		}
	}
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, PageSize: 3}
	got, cp, err := runSync(t, c, nil, opts, nil)
	require.NoError(t, err)
	assert.Equal(t, ids(all), got, "each once, in feed order")
	again, _, err := runSync(t, c, cp, opts, nil)
	require.NoError(t, err)
	assert.Empty(t, again)

	// Runs that each consume one order and break on the next deliver
	// every order once, in order.
	var union []inventorum.ID
	var stored []byte
	for i := 0; i < 100; i++ {
		n := 0
		got, next, err := runSync(t, c, stored, opts, func(inventorum.Order) bool { n++; return n < 2 })
		require.NoError(t, err)
		if len(got) == 0 {
			break
		}
		union = append(union, got[0])
		stored = next
	}
	assert.Equal(t, ids(all), union)
}

func TestSyncWholePageSharesOneTimestamp(t *testing.T) {
	fake, c := newFake(t)
	var all []inventorum.Order
	for j := 0; j < 25; j++ {
		all = append(all, add(fake, inventorum.ChannelShop, t0))
	}
	all = append(all, add(fake, inventorum.ChannelShop, t0.Add(time.Second)))
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, PageSize: 4}
	got, cp, err := runSync(t, c, nil, opts, nil)
	require.NoError(t, err)
	assert.Equal(t, ids(all), got)
	// The first page (asked without start_date), then 7 pages of the
	// shared time, read twice to confirm that no order shifted out of reach
	// while they were read, then the page after it.
	assert.Equal(t, 16, fake.Count("GET", "/api/orders/delta/"), "no endless loop")

	// Resume from a checkpoint in the middle of the shared time.
	half, cpHalf, err := runSync(t, c, nil, opts, func(o inventorum.Order) bool { return o.ID != all[10].ID })
	require.NoError(t, err)
	assert.Equal(t, ids(all[:11]), half)
	rest, _, err := runSync(t, c, cpHalf, opts, nil)
	require.NoError(t, err)
	assert.Equal(t, ids(all[10:]), rest, "the order the loop broke on comes again, then the rest")

	again, _, err := runSync(t, c, cp, opts, nil)
	require.NoError(t, err)
	assert.Empty(t, again)
}

func TestSyncOrdersAddedAndModifiedWhilePaging(t *testing.T) {
	fake, c := newFake(t)
	var all []inventorum.Order
	for i := 0; i < 20; i++ {
		all = append(all, add(fake, inventorum.ChannelShop, t0.Add(time.Duration(i/2)*time.Second)))
	}
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, PageSize: 5}
	var added []inventorum.Order
	modified := all[1].ID
	n := 0
	got, cp, err := runSync(t, c, nil, opts, func(o inventorum.Order) bool {
		n++
		switch n {
		case 3:
			// An order delivered already is modified: it moves to the end.
			require.True(t, fake.ModifyOrder(modified, t0.Add(time.Hour), func(o *inventorum.Order) { o.State |= orderstate.Refunded }))
			// New orders arrive: one in the same second as the newest
			// order of the feed (timestamps have seconds), one later.
			added = append(added, add(fake, inventorum.ChannelShop, t0.Add(9*time.Second)), add(fake, inventorum.ChannelShop, t0.Add(30*time.Minute)))
		case 12:
			// An order not delivered yet moves forward past the page.
			require.True(t, fake.ModifyOrder(all[15].ID, t0.Add(2*time.Hour), nil))
		}
		return true
	})
	require.NoError(t, err)
	seen := map[inventorum.ID]int{}
	for _, id := range got {
		seen[id]++
	}
	for _, o := range append(all, added...) {
		assert.GreaterOrEqual(t, seen[o.ID], 1, "order %d missed", o.ID)
	}
	assert.Equal(t, 2, seen[modified], "the modified order comes again")
	assert.Equal(t, 1, seen[all[15].ID])
	again, _, err := runSync(t, c, cp, opts, nil)
	require.NoError(t, err)
	assert.Empty(t, again)
}

func TestSyncStopsHalfWayOnError(t *testing.T) {
	fake, c := newFake(t)
	var all []inventorum.Order
	for i := 0; i < 30; i++ {
		all = append(all, add(fake, inventorum.ChannelShop, t0.Add(time.Duration(i/3)*time.Second)))
	}
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, PageSize: 4}
	n := 0
	got, cp, err := runSync(t, c, nil, opts, func(inventorum.Order) bool {
		n++
		if n == 6 {
			fake.FailNext(http.StatusBadGateway, "<html>bad gateway</html>")
		}
		return true
	})
	require.ErrorIs(t, err, orderkit.ErrServer)
	assert.Equal(t, ids(all[:7]), got, "two pages delivered before the failure (the second overlaps the first at one time)")
	rest, cp2, err := runSync(t, c, cp, opts, nil)
	require.NoError(t, err)
	assert.Equal(t, ids(all[7:]), rest, "resumes without a gap or a duplicate")
	again, _, err := runSync(t, c, cp2, opts, nil)
	require.NoError(t, err)
	assert.Empty(t, again)
}

func TestSyncCancelledContext(t *testing.T) {
	fake, c := newFake(t)
	fake.GenerateOrders(20, t0, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cp inventorum.DeltaCheckpoint
	var n int
	var lastErr error
	for _, err := range c.Orders.Sync(ctx, &cp, &inventorum.SyncOptions{PageSize: 1}) {
		if err != nil {
			lastErr = err
			break
		}
		n++
		if n == 2 {
			cancel()
		}
	}
	require.ErrorIs(t, lastErr, context.Canceled)
	assert.Equal(t, 2, n)
	got, _, err := runSync(t, c, mustJSON(t, cp), inventorum.SyncOptions{PageSize: 1}, nil)
	require.NoError(t, err)
	assert.Len(t, got, len(deliverable(fakeOrders(fake, 20)))-2)
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func fakeOrders(fake *inventorumtest.Server, n int) []inventorum.Order {
	var out []inventorum.Order
	for id := inventorum.ID(1001); id <= inventorum.ID(1000+n); id++ {
		if o, ok := fake.Order(id); ok {
			out = append(out, o)
		}
	}
	return out
}

func TestSyncLookback(t *testing.T) {
	fake, c := newFake(t)
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, Lookback: 10 * time.Minute}
	a := add(fake, inventorum.ChannelShop, t0)
	b := add(fake, inventorum.ChannelShop, t0.Add(time.Minute))
	got, cp, err := runSync(t, c, nil, opts, nil)
	require.NoError(t, err)
	assert.Equal(t, []inventorum.ID{a.ID, b.ID}, got)
	// Filed late, with a time before the checkpoint.
	late := add(fake, inventorum.ChannelShop, t0.Add(30*time.Second))
	got, _, err = runSync(t, c, cp, opts, nil)
	require.NoError(t, err)
	assert.Contains(t, got, late.ID, "the lookback window catches a late order")
	assert.NotContains(t, got, b.ID, "the checkpoint's own orders are not repeated")
}

func TestSyncNilCheckpoint(t *testing.T) {
	_, c := newFake(t)
	for _, err := range c.Orders.Sync(context.Background(), nil, &inventorum.SyncOptions{}) {
		require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	}
}

func TestSyncModifiedWhilePagingWithinOneTimestamp(t *testing.T) {
	fake, c := newFake(t)
	var all []inventorum.Order
	for j := 0; j < 12; j++ {
		all = append(all, add(fake, inventorum.ChannelShop, t0))
	}
	tail := add(fake, inventorum.ChannelShop, t0.Add(time.Minute))
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, PageSize: 4}
	n := 0
	got, cp, err := runSync(t, c, nil, opts, func(o inventorum.Order) bool {
		n++
		if n == 6 {
			// While the second page of the shared time is being read,
			// an order already delivered leaves the shared time: the
			// orders behind it move one place forward in the feed.
			require.True(t, fake.ModifyOrder(all[0].ID, t0.Add(time.Hour), nil))
		}
		return true
	})
	require.NoError(t, err)
	seen := map[inventorum.ID]int{}
	for _, id := range got {
		seen[id]++
	}
	for _, o := range append(all, tail) {
		assert.GreaterOrEqual(t, seen[o.ID], 1, "order %d missed", o.ID)
	}
	assert.Equal(t, 2, seen[all[0].ID], "the modified order comes again")
	again, _, err := runSync(t, c, cp, opts, nil)
	require.NoError(t, err)
	assert.Empty(t, again)
}

// A server (or proxy) that ignores the page parameter answers every page
// alike: the walks end with ErrInvalidResponse instead of asking for ever.
func TestWalksEndWhenTheServerIgnoresPaging(t *testing.T) {
	mock := httpmock.NewMockTransport()
	page := `{"total": 2, "data": [
		{"id": 1, "channel": "shop", "state": 360, "time_added": "2024-03-01T10:00:00+00:00", "completed_at": "2024-03-01T10:00:00+00:00"},
		{"id": 2, "channel": "shop", "state": 360, "time_added": "2024-03-01T10:00:00+00:00", "completed_at": "2024-03-01T10:00:00+00:00"}]}`
	mock.RegisterResponder(http.MethodGet, "=~/api/orders/", httpmock.NewStringResponder(200, page).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	c, err := inventorum.NewClient("tok", orderkit.WithHTTPClient(&http.Client{Transport: mock}), orderkit.WithRateLimit(0, 0))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	var cp inventorum.DeltaCheckpoint
	var got []inventorum.ID
	var last error
	for o, err := range c.Orders.Sync(ctx, &cp, &inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, PageSize: 2}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, o.ID)
	}
	require.ErrorIs(t, last, orderkit.ErrInvalidResponse)
	assert.Contains(t, last.Error(), "https://app.inventorum.com/api/orders/delta/")
	assert.Contains(t, last.Error(), "ignores paging")
	assert.Equal(t, []inventorum.ID{1, 2}, got)
	assert.Less(t, mock.GetTotalCallCount(), 15)

	for name, seq := range map[string]func() iter.Seq2[inventorum.Order, error]{
		"DeltaAll": func() iter.Seq2[inventorum.Order, error] {
			return c.Orders.DeltaAll(ctx, &inventorum.DeltaOptions{Limit: 2})
		},
		"All without total": func() iter.Seq2[inventorum.Order, error] {
			mock.RegisterResponder(http.MethodGet, "=~/api/orders/", httpmock.NewStringResponder(200, strings.Replace(page, `"total": 2`, `"total": 0`, 1)))
			return c.Orders.All(ctx, &inventorum.ListOptions{Start: t0, End: t0.Add(time.Hour), Limit: 2})
		},
	} {
		mock.ZeroCallCounters()
		n := 0
		var last error
		for _, err := range seq() {
			if err != nil {
				last = err
				break
			}
			n++
		}
		require.ErrorIs(t, last, orderkit.ErrInvalidResponse, name)
		assert.Equal(t, 2, n, name)
	}
}

// A copy of a cursor taken during a run keeps what it held while the run
// moves on: the checkpoint's Seen is never overwritten in place.
func TestSyncLeavesEarlierCursorCopiesAlone(t *testing.T) {
	fake, c := newFake(t)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fake.GenerateOrders(40, start, time.Minute)
	var cp inventorum.DeltaCheckpoint
	type snap struct {
		cur  inventorum.DeltaCursor
		seen []inventorum.ID
	}
	var snaps []snap
	n := 0
	for _, err := range c.Orders.Sync(context.Background(), &cp, &inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}, PageSize: 3}) {
		require.NoError(t, err)
		n++
		if cur := cp.Channels[inventorum.ChannelShop]; cur != nil {
			snaps = append(snaps, snap{*cur, append([]inventorum.ID(nil), cur.Seen...)})
		}
	}
	require.Greater(t, n, 3)
	require.NotEmpty(t, snaps)
	for i, s := range snaps {
		assert.Equal(t, s.seen, s.cur.Seen, "copy %d changed", i)
	}
}

// An order modified without its delta time moving on (a POS order closed
// and refunded within the second it was last synced at) is delivered again,
// once, with its new state.
func TestSyncModifiedAtTheCheckpointTime(t *testing.T) {
	fake, c := newFake(t)
	first := add(fake, inventorum.ChannelShop, t0)
	last := add(fake, inventorum.ChannelShop, t0.Add(time.Minute))
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}}
	got, cp, err := runSync(t, c, nil, opts, nil)
	require.NoError(t, err)
	assert.Equal(t, []inventorum.ID{first.ID, last.ID}, got)

	require.True(t, fake.ModifyOrder(last.ID, t0.Add(time.Minute), func(o *inventorum.Order) { o.State |= orderstate.Refunded }))
	var states []orderstate.State
	got, cp, err = runSync(t, c, cp, opts, func(o inventorum.Order) bool {
		states = append(states, o.State)
		return true
	})
	require.NoError(t, err)
	assert.Equal(t, []inventorum.ID{last.ID}, got, "the refund at the checkpoint's own time is delivered")
	assert.Equal(t, []orderstate.State{orderstate.Completed | orderstate.Refunded}, states)

	got, _, err = runSync(t, c, cp, opts, nil)
	require.NoError(t, err)
	assert.Empty(t, got, "and only once")
}

// A checkpoint stored before cursors kept versions still resumes without
// delivering anything twice.
func TestSyncResumesFromACheckpointWithoutVersions(t *testing.T) {
	fake, c := newFake(t)
	o := add(fake, inventorum.ChannelShop, t0)
	opts := inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}}
	old := []byte(`{"channels":{"shop":{"time":"` + t0.Format(time.RFC3339) + `","id":` + mustJSONString(t, o.ID) + `,"seen":[` + mustJSONString(t, o.ID) + `]}}}`)
	got, _, err := runSync(t, c, old, opts, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func mustJSONString(t *testing.T, v any) string {
	t.Helper()
	return string(mustJSON(t, v))
}
