package inventorum_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
)

// BenchmarkSyncRequestsPerOrder syncs one channel of 5,000 orders (bursts
// of 150 orders on one second every 1,000) from an empty checkpoint under
// each reading of the delta page, and reports the requests per order
// delivered ("req/order"): about 1/100 under the documented reading on a
// steady feed, more where pages are capped (1/cap) or where a burst larger
// than a page must be read by page number twice.
func BenchmarkSyncRequestsPerOrder(b *testing.B) {
	type feed struct {
		name  string
		rd    inventorumtest.DeltaReading
		burst bool
	}
	// The documented reading over a feed without bursts: 1/100 and the
	// overlap of each page with the next.
	feeds := []feed{{"steady-" + inventorumtest.DeltaReading{}.String(), inventorumtest.DeltaReading{}, false}}
	for _, rd := range benchReadings {
		feeds = append(feeds, feed{rd.String(), rd, true})
	}
	for _, f := range feeds {
		rd := f.rd
		b.Run(f.name, func(b *testing.B) {
			fake := inventorumtest.NewServer()
			fake.SetDeltaReading(rd)
			if f.burst {
				burstyFeed(fake, 5000)
			} else {
				fake.GenerateOrders(5000*len(inventorum.Channels), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Second)
			}
			requests := 0
			c := inProcessClient(b, fake, func() { requests++ })
			b.ReportAllocs()
			b.ResetTimer()
			orders := 0
			for i := 0; i < b.N; i++ {
				var cp inventorum.DeltaCheckpoint
				for _, err := range c.Orders.Sync(context.Background(), &cp, &inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}}) {
					if err != nil {
						b.Fatal(err)
					}
					orders++
				}
			}
			b.ReportMetric(float64(requests)/float64(orders), "req/order")
		})
	}
}

// benchReadings are the documented reading, each other reading alone, and
// all of them together.
var benchReadings = []inventorumtest.DeltaReading{
	{},
	{ExclusiveStart: true},
	{PagesFromOne: true},
	{PageCap: 50},
	{HiddenModTime: true},
	{Resolution: time.Second},
	{Resolution: time.Millisecond},
	{ExclusiveStart: true, PagesFromOne: true, PageCap: 50, HiddenModTime: true, Resolution: time.Second},
}

// burstyFeed adds n shop orders, one every 1.5 s but for a burst of 150
// on one second at each thousand, and returns them.
func burstyFeed(fake *inventorumtest.Server, n int) []inventorum.Order {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]inventorum.Order, 0, n)
	for i := 0; i < n; i++ {
		if i%1000 >= 150 || i%1000 == 0 {
			at = at.Add(1500 * time.Millisecond)
		}
		out = append(out, fake.AddOrder(inventorum.Order{State: 360, Channel: inventorum.ChannelShop, TimeAdded: at, CompletedAt: at}))
	}
	return out
}

func inProcessClient(tb testing.TB, fake *inventorumtest.Server, before func()) *inventorum.Client {
	tr := &handlerTransport{h: fake, before: before}
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL("https://inventorum.test/api"),
		orderkit.WithHTTPClient(&http.Client{Transport: tr}), orderkit.WithRateLimit(0, 0))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// The benchmark's feed, smaller, delivers every order exactly once under
// each of its readings, in feed order, with about one request per page.
func TestSyncBurstyFeedEveryReading(t *testing.T) {
	for _, rd := range benchReadings {
		t.Run(rd.String(), func(t *testing.T) {
			fake := inventorumtest.NewServer()
			fake.SetDeltaReading(rd)
			all := burstyFeed(fake, 1200)
			requests := 0
			c := inProcessClient(t, fake, func() { requests++ })
			var got []inventorum.ID
			var cp inventorum.DeltaCheckpoint
			for o, err := range c.Orders.Sync(context.Background(), &cp, &inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, o.ID)
			}
			if len(got) != len(all) {
				t.Fatalf("%d orders delivered, want %d", len(got), len(all))
			}
			for i := range all {
				if got[i] != all[i].ID {
					t.Fatalf("order %d: got %d, want %d", i, got[i], all[i].ID)
				}
			}
			pageSize := 100
			if rd.PageCap > 0 {
				pageSize = rd.PageCap
			}
			// Keyset pages overlap by the orders of their last time, and
			// the burst is read twice by page number (three pages more
			// under pages from 1).
			if max := 2*len(all)/pageSize + 12; requests > max {
				t.Errorf("%d requests, more than %d", requests, max)
			}
			t.Logf("%d requests for %d orders", requests, len(all))
		})
	}
}
