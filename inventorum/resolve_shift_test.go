package inventorum_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The lookup reads a busy channel by page number, and page numbers are
// offsets: an order of the first page modified while the lookup reads
// (the feed files it again at its end) moves every order behind it one
// place forward, and the second page skips one. When the one skipped is
// the lost basket, a single pass reports NotCreated and SafeToResend, and
// the caller sends the basket twice. The lookup must find it, under every
// reading of the delta page.
func TestResolveBasketShiftedByModificationDuringLookup(t *testing.T) {
	for _, rd := range testedReadings() {
		reading := rd.DeltaReading
		if rd.capped {
			reading.PageCap = 50
		}
		t.Run(rd.name(), func(t *testing.T) {
			t.Parallel()
			fake := inventorumtest.NewServer()
			fake.SetDeltaReading(reading)
			fake.SetIgnoreChannel(rd.ignoreChannel)
			clk := newClock(fake, time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC))
			var first inventorum.ID
			// 100 orders of the basket's channel in the seconds before the
			// send: the basket is the 101st order of the lookup's feed.
			for i := 0; i < 100; i++ {
				at := clk.now().Add(-3*time.Second + time.Duration(i)*time.Millisecond)
				o := fake.AddOrder(inventorum.Order{State: orderstate.Completed, Channel: inventorum.ChannelBackoffice, TimeAdded: at, CompletedAt: at})
				if i == 0 {
					first = o.ID
				}
			}
			// The page the basket is on (the 101st order, offset 100).
			size := 100
			if reading.PageCap > 0 {
				size = reading.PageCap
			}
			basketPage := 100 / size
			if reading.PagesFromOne {
				basketPage++
			}
			lookingUp, modified := false, false
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				if lookingUp && !modified && r.URL.Path == "/api/orders/delta/" && (rd.ignoreChannel || q.Get("channel") == string(inventorum.ChannelBackoffice)) && q.Get("page") == strconv.Itoa(basketPage) {
					// Before the basket's page is read: an order of the
					// first page is paid and filed again at the end of the
					// feed.
					modified = true
					fake.ModifyOrder(first, clk.now(), func(o *inventorum.Order) { o.State |= orderstate.Paid })
				}
				fake.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken,
				orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)),
				orderkit.WithRateLimit(0, 0), orderkit.WithRetry(0, time.Millisecond, time.Millisecond))
			require.NoError(t, err)
			ctx := context.Background()
			req := sampleBasket()
			// A proxy's 502 after the basket was made: its Date header
			// tells the server's clock.
			fake.FailNextAfterActing(http.StatusBadGateway, `{"detail": "bad gateway"}`)
			_, lostErr := c.Basket.Create(ctx, req, orderkit.Reference("ERP-1"))
			require.ErrorIs(t, lostErr, orderkit.ErrOutcomeUnknown)
			require.Equal(t, 101, fake.Len())
			clk.advance(2 * inventorum.ResendAfter)

			lookingUp = true
			res, err := c.Basket.Resolve(ctx, lostErr)
			require.NoError(t, err)
			require.True(t, modified, "the first page was not followed by another")
			require.Equal(t, orderkit.Created, res.State, "safe to resend: %v", res.SafeToResend)
			assert.False(t, res.SafeToResend)
			checkFound(t, res.Order, req)
			assert.Equal(t, 1, fake.Count("POST", basketPath))
		})
	}
}

// A busy channel whose orders move on every read of its later pages: the
// reads never agree, and the lookup fails (the lost basket error keeps the
// failure) instead of reporting NotCreated.
func TestResolveFeedThatNeverSettles(t *testing.T) {
	fake := inventorumtest.NewServer()
	clk := newClock(fake, time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC))
	var orders []inventorum.ID
	for i := 0; i < 150; i++ {
		at := clk.now().Add(-3*time.Second + time.Duration(i)*time.Millisecond)
		orders = append(orders, fake.AddOrder(inventorum.Order{State: orderstate.Completed, Channel: inventorum.ChannelBackoffice, TimeAdded: at, CompletedAt: at}).ID)
	}
	moved := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path == "/api/orders/delta/" && q.Get("channel") == string(inventorum.ChannelBackoffice) && q.Get("page") == "1" {
			fake.ModifyOrder(orders[moved%len(orders)], clk.now(), nil)
			moved++
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)),
		orderkit.WithRateLimit(0, 0), orderkit.WithRetry(0, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	fake.FailNextAfterActing(http.StatusBadGateway, `{"detail": "bad gateway"}`)
	_, err = c.Basket.Create(context.Background(), sampleBasket(), orderkit.ResolveOutcome())
	var lost *orderkit.LostCreateError
	require.ErrorAs(t, err, &lost)
	require.NotErrorIs(t, err, inventorum.ErrInconsistentFeed, "the lookup's failure is not the create's answer")
	lerr := lookupErr(t, err)
	require.ErrorIs(t, lerr, inventorum.ErrInconsistentFeed)
	require.ErrorIs(t, lerr, orderkit.ErrInvalidResponse)
	assert.NotErrorIs(t, lerr, orderkit.ErrOutcomeUnknown, "the lookup is a GET")
	assert.Contains(t, lerr.Error(), "backoffice feed")
	assert.Equal(t, 6, moved, "one move per read of the channel")
	assert.Equal(t, 1, fake.Count("POST", basketPath))
}
