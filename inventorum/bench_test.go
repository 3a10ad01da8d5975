package inventorum_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
)

// BenchmarkSync syncs every channel of a fake holding many orders, from an
// empty checkpoint. The sync keeps one page and the checkpoint in memory,
// whatever the number of orders.
func BenchmarkSync(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("%d_orders", n), func(b *testing.B) {
			fake := inventorumtest.NewServer()
			fake.GenerateOrders(n, t0, time.Second)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRateLimit(0, 0))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var cp inventorum.DeltaCheckpoint
				count := 0
				for _, err := range c.Orders.Sync(context.Background(), &cp, &inventorum.SyncOptions{}) {
					if err != nil {
						b.Fatal(err)
					}
					count++
				}
				if count == 0 {
					b.Fatal("nothing synced")
				}
			}
		})
	}
}
