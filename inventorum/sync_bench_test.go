package inventorum_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
)

// BenchmarkSyncRequestsPerOrder syncs one channel of 5,000 orders (bursts
// of 150 orders on one second every 1,000) from an empty checkpoint under
// each reading of the delta page, and reports the requests per order
// delivered ("req/order"): about 1/100 under the documented reading, more
// where pages are capped (1/cap) or where a burst larger than a page must be
// read by page number twice.
func BenchmarkSyncRequestsPerOrder(b *testing.B) {
	readings := []inventorumtest.DeltaReading{
		{},
		{ExclusiveStart: true},
		{PagesFromOne: true},
		{PageCap: 50},
		{HiddenModTime: true},
		{Resolution: time.Second},
		{Resolution: time.Millisecond},
		{ExclusiveStart: true, PagesFromOne: true, PageCap: 50, HiddenModTime: true, Resolution: time.Second},
	}
	for _, rd := range readings {
		b.Run(rd.String(), func(b *testing.B) {
			fake := inventorumtest.NewServer()
			fake.SetDeltaReading(rd)
			start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			at := start
			for i := 0; i < 5000; i++ {
				if i%1000 >= 150 || i%1000 == 0 {
					at = at.Add(1500 * time.Millisecond)
				}
				fake.AddOrder(inventorum.Order{State: 360, Channel: inventorum.ChannelShop, TimeAdded: at, CompletedAt: at})
			}
			requests := 0
			tr := &handlerTransport{h: fake, before: func() { requests++ }}
			c, err := inventorum.NewClient(inventorumtest.AccessToken, inventorum.WithBaseURL("https://inventorum.test/api"),
				inventorum.WithHTTPClient(&http.Client{Transport: tr}), inventorum.WithRateLimit(0, 0))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			orders := 0
			for i := 0; i < b.N; i++ {
				var cp inventorum.DeltaCheckpoint
				for _, err := range c.Orders.Sync(context.Background(), &cp, inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelShop}}) {
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
