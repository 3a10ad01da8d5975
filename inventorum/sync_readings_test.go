package inventorum_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
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

var shopOnly = []inventorum.Channel{inventorum.ChannelShop}

// start_date read as "after": of 250 orders, the 12 sharing one timestamp
// across the page boundary at 100 are all delivered, once.
func TestSyncExclusiveStartSharedTimestampAtPageBoundary(t *testing.T) {
	fake, c := newFake(t)
	fake.SetDeltaReading(inventorumtest.DeltaReading{ExclusiveStart: true, Resolution: time.Second})
	var all []inventorum.Order
	for i := 0; i < 250; i++ {
		at := t0.Add(time.Duration(i) * time.Second)
		if i >= 94 && i < 106 {
			at = t0.Add(94 * time.Second)
		}
		all = append(all, add(fake, inventorum.ChannelShop, at))
	}
	got, cp, err := runSync(t, c, nil, inventorum.SyncOptions{Channels: shopOnly}, nil)
	require.NoError(t, err)
	assert.Equal(t, ids(all), got)
	again, _, err := runSync(t, c, cp, inventorum.SyncOptions{Channels: shopOnly}, nil)
	require.NoError(t, err)
	assert.Empty(t, again)
}

// A server answering 50 when 100 are asked: the short page is not the end
// while the total says otherwise, and 60 orders on one second all arrive.
func TestSyncPageCappedBelowTheLimit(t *testing.T) {
	fake, c := newFake(t)
	fake.SetDeltaReading(inventorumtest.DeltaReading{PageCap: 50, Resolution: time.Second})
	var all []inventorum.Order
	for i := 0; i < 60; i++ {
		all = append(all, add(fake, inventorum.ChannelShop, t0))
	}
	for i := 0; i < 70; i++ {
		all = append(all, add(fake, inventorum.ChannelShop, t0.Add(time.Duration(i+1)*time.Second)))
	}
	got, cp, err := runSync(t, c, nil, inventorum.SyncOptions{Channels: shopOnly}, nil)
	require.NoError(t, err)
	assert.Equal(t, ids(all), got)
	again, _, err := runSync(t, c, cp, inventorum.SyncOptions{Channels: shopOnly}, nil)
	require.NoError(t, err)
	assert.Empty(t, again)
}

// The feed ordered by a modification time the payload does not show: an
// order modified between two pages moves to the end; the order behind it
// is still delivered, the modified one once per version, and a later run
// with nothing new delivers nothing.
func TestSyncHiddenModificationTime(t *testing.T) {
	fake, c := newFake(t)
	fake.SetDeltaReading(inventorumtest.DeltaReading{HiddenModTime: true, Resolution: time.Second})
	var all []inventorum.Order
	for i := 0; i < 10; i++ {
		all = append(all, add(fake, inventorum.ChannelShop, t0.Add(time.Duration(i)*time.Second)))
	}
	opts := inventorum.SyncOptions{Channels: shopOnly, PageSize: 4}
	n := 0
	var states []orderstate.State
	got, cp, err := runSync(t, c, nil, opts, func(o inventorum.Order) bool {
		n++
		if o.ID == all[1].ID {
			states = append(states, o.State)
		}
		if n == 4 {
			require.True(t, fake.ModifyOrder(all[1].ID, t0.Add(time.Hour), func(o *inventorum.Order) { o.State |= orderstate.Refunded }))
		}
		return true
	})
	require.NoError(t, err)
	want := append(ids(all), all[1].ID)
	assert.ElementsMatch(t, want, got, "every order, and the modified one again")
	assert.Equal(t, []orderstate.State{orderstate.Completed, orderstate.Completed | orderstate.Refunded}, states)
	m, _ := fake.Order(all[1].ID)
	assert.Equal(t, all[1].CompletedAt, m.CompletedAt, "the payload keeps its times")
	for i := 0; i < 3; i++ {
		again, next, err := runSync(t, c, cp, opts, nil)
		require.NoError(t, err)
		assert.Empty(t, again, "run %d: nothing new, nothing delivered", i)
		cp = next
	}
}

// The fake's page numbers from 1: page 0 and page 1 are the same first
// page, and a stretch read by page number notices it.
func TestSyncPagesFromOne(t *testing.T) {
	for _, rd := range []inventorumtest.DeltaReading{{PagesFromOne: true}, {PagesFromOne: true, ExclusiveStart: true, PageCap: 3}} {
		t.Run(rd.String(), func(t *testing.T) {
			fake, c := newFake(t)
			fake.SetDeltaReading(rd)
			var all []inventorum.Order
			for i := 0; i < 23; i++ {
				all = append(all, add(fake, inventorum.ChannelShop, t0.Add(time.Duration(i/9)*time.Minute)))
			}
			got, cp, err := runSync(t, c, nil, inventorum.SyncOptions{Channels: shopOnly, PageSize: 4}, nil)
			require.NoError(t, err)
			assert.Equal(t, ids(all), got)
			again, _, err := runSync(t, c, cp, inventorum.SyncOptions{Channels: shopOnly, PageSize: 4}, nil)
			require.NoError(t, err)
			assert.Empty(t, again)
		})
	}
}

// mockDelta answers every delta request with body(query).
func mockDelta(t *testing.T, body func(q map[string][]string) string) *inventorum.Client {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodGet, "=~/api/orders/delta/", func(r *http.Request) (*http.Response, error) {
		res := httpmock.NewStringResponse(200, body(r.URL.Query()))
		res.Header.Set("Content-Type", "application/json")
		return res, nil
	})
	c, err := inventorum.NewClient("tok", orderkit.WithHTTPClient(&http.Client{Transport: mock}), orderkit.WithRateLimit(0, 0))
	require.NoError(t, err)
	return c
}

func syncErr(t *testing.T, c *inventorum.Client, cp *inventorum.DeltaCheckpoint, opts inventorum.SyncOptions) (int, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n := 0
	for _, err := range c.Orders.Sync(ctx, cp, &opts) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

const order1 = `{"id": %d, "channel": "shop", "state": 360, "delta_state": "created", "time_added": "%s", "completed_at": "%s"}`

// A server that ignores limit, start_date or page is an ErrInconsistentFeed
// error (matching ErrInvalidResponse), never a loop or a silent skip.
func TestSyncServerIgnoringParameters(t *testing.T) {
	ord := func(id int, at string) string { return sprintf(order1, id, at, at) }
	t.Run("limit", func(t *testing.T) {
		c := mockDelta(t, func(map[string][]string) string {
			return `{"total": 3, "data": [` + ord(1, "2024-03-01T10:00:00+00:00") + `,` + ord(2, "2024-03-01T10:00:01+00:00") + `,` + ord(3, "2024-03-01T10:00:02+00:00") + `]}`
		})
		_, err := syncErr(t, c, &inventorum.DeltaCheckpoint{}, inventorum.SyncOptions{Channels: shopOnly, PageSize: 2})
		require.ErrorIs(t, err, inventorum.ErrInconsistentFeed)
		require.ErrorIs(t, err, orderkit.ErrInvalidResponse)
		assert.Contains(t, err.Error(), "ignores limit")
	})
	t.Run("start_date", func(t *testing.T) {
		c := mockDelta(t, func(map[string][]string) string {
			return `{"total": 2, "data": [` + ord(1, "2024-03-01T10:00:00+00:00") + `,` + ord(2, "2024-03-01T10:00:01+00:00") + `]}`
		})
		n, err := syncErr(t, c, &inventorum.DeltaCheckpoint{}, inventorum.SyncOptions{Channels: shopOnly, PageSize: 2})
		require.ErrorIs(t, err, inventorum.ErrInconsistentFeed)
		assert.Contains(t, err.Error(), "ignores start_date")
		assert.Equal(t, 2, n, "the first page is delivered, then the repeat is refused")
	})
	t.Run("page", func(t *testing.T) {
		c := mockDelta(t, func(map[string][]string) string {
			return `{"total": 9, "data": [` + ord(1, "2024-03-01T10:00:00+00:00") + `,` + ord(2, "2024-03-01T10:00:00+00:00") + `]}`
		})
		_, err := syncErr(t, c, &inventorum.DeltaCheckpoint{}, inventorum.SyncOptions{Channels: shopOnly, PageSize: 2})
		require.ErrorIs(t, err, inventorum.ErrInconsistentFeed)
		assert.Contains(t, err.Error(), "ignores paging")
	})
	t.Run("total never reached", func(t *testing.T) {
		// Every page but the first is empty, and total says 5.
		c := mockDelta(t, func(q map[string][]string) string {
			if q["page"][0] != "0" {
				return `{"total": 5, "data": []}`
			}
			return `{"total": 5, "data": [` + ord(1, "2024-03-01T10:00:00+00:00") + `,` + ord(2, "2024-03-01T10:00:00+00:00") + `]}`
		})
		cp := inventorum.DeltaCheckpoint{}
		_, err := syncErr(t, c, &cp, inventorum.SyncOptions{Channels: shopOnly, PageSize: 2})
		require.ErrorIs(t, err, inventorum.ErrInconsistentFeed)
		assert.Contains(t, err.Error(), "answered 2 distinct orders for a total of 5")
		// The cursor has not moved past the orders it could not confirm.
		assert.False(t, cp.Channels[inventorum.ChannelShop].Time.After(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)))
	})
}

// A stretch of orders on one millisecond whose reads keep disagreeing
// (orders move while it is read) is left to the next run: the run ends
// without an error, delivers what it read, and marks the channel
// Deferred; the next run, on a feed that has settled, delivers the rest
// and nothing twice.
func TestSyncDefersUnsettledStretch(t *testing.T) {
	ord := func(id int, at string) string { return sprintf(order1, id, at, at) }
	const ms, later = "2024-03-01T10:00:00.000+00:00", "2024-03-01T10:00:05+00:00"
	moving, passes := true, 0
	c := mockDelta(t, func(q map[string][]string) string {
		if q["start_date"][0] != "2024-03-01T09:59:59.999Z" {
			if q["page"][0] != "0" {
				return `{"total": 1, "data": []}`
			}
			return `{"total": 1, "data": [` + ord(5, later) + `]}`
		}
		page := q["page"][0]
		if page == "0" {
			passes++
		}
		odd := moving && passes%2 == 1
		switch {
		case page == "0":
			return `{"total": 5, "data": [` + ord(1, ms) + `,` + ord(2, ms) + `]}`
		case page == "1" && odd:
			// Order 3 moved away and back: this pass skips it.
			return `{"total": 5, "data": [` + ord(4, ms) + `,` + ord(5, later) + `]}`
		case page == "1":
			return `{"total": 5, "data": [` + ord(3, ms) + `,` + ord(4, ms) + `]}`
		case page == "2" && !odd:
			return `{"total": 5, "data": [` + ord(5, later) + `]}`
		}
		return `{"total": 5, "data": []}`
	})
	cp := inventorum.DeltaCheckpoint{}
	opts := inventorum.SyncOptions{Channels: shopOnly, PageSize: 2, Since: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)}
	var got []inventorum.ID
	for o, err := range c.Orders.Sync(context.Background(), &cp, &opts) {
		require.NoError(t, err)
		got = append(got, o.ID)
	}
	assert.ElementsMatch(t, []inventorum.ID{1, 2, 3, 4}, got, "what the passes read is delivered, once")
	assert.Equal(t, []inventorum.Channel{inventorum.ChannelShop}, cp.Deferred())
	assert.True(t, cp.Channels[inventorum.ChannelShop].Deferred)
	assert.True(t, cp.Channels[inventorum.ChannelShop].Time.IsZero(), "the cursor stays before the stretch")
	assert.Equal(t, 6, passes)

	// Stored and loaded, the next run reads the stretch again.
	b, err := json.Marshal(&cp)
	require.NoError(t, err)
	var next inventorum.DeltaCheckpoint
	require.NoError(t, json.Unmarshal(b, &next))
	require.Equal(t, []inventorum.Channel{inventorum.ChannelShop}, next.Deferred())
	moving = false
	got = got[:0]
	for o, err := range c.Orders.Sync(context.Background(), &next, &opts) {
		require.NoError(t, err)
		got = append(got, o.ID)
	}
	assert.Equal(t, []inventorum.ID{5}, got, "the rest, and nothing twice")
	assert.Nil(t, next.Deferred())
	assert.Equal(t, time.Date(2024, 3, 1, 10, 0, 5, 0, time.UTC), next.Channels[inventorum.ChannelShop].Time.UTC())
}

func TestCheckpointValidate(t *testing.T) {
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	for name, tc := range map[string]struct{ json, field string }{
		"unknown channel": {`{"channels":{"amazon":{"time":"2024-03-01T10:00:00Z","id":1,"seen":[1]}}}`, `channels["amazon"]`},
		"versions length": {`{"channels":{"shop":{"time":"2024-03-01T10:00:00Z","id":1,"seen":[1,2],"versions":[7]}}}`, `channels["shop"].versions`},
		"time in future":  {`{"channels":{"shop":{"time":"` + future + `","id":1,"seen":[1]}}}`, `channels["shop"].time`},
	} {
		t.Run(name, func(t *testing.T) {
			var cp inventorum.DeltaCheckpoint
			err := json.Unmarshal([]byte(tc.json), &cp)
			require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
			assert.Contains(t, err.Error(), tc.field)
		})
	}
	// Without versions (stored by an older release) is fine.
	var cp inventorum.DeltaCheckpoint
	require.NoError(t, json.Unmarshal([]byte(`{"channels":{"shop":{"time":"2024-03-01T10:00:00Z","id":1,"seen":[1]}}}`), &cp))
	require.NoError(t, cp.Validate())

	// Sync checks a checkpoint built in code before any request.
	_, c := newFake(t)
	bad := inventorum.DeltaCheckpoint{Channels: map[inventorum.Channel]*inventorum.DeltaCursor{inventorum.ChannelShop: {Seen: []inventorum.ID{1}, Versions: []uint64{1, 2}}}}
	_, err := syncErr(t, c, &bad, inventorum.SyncOptions{})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Contains(t, err.Error(), `channels["shop"].versions`)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
