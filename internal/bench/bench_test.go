package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/versacommerce"
)

// Each scenario has three sub-benchmarks, so that benchstat -col /impl
// sets them side by side with the first as the base:
//
//   - impl=handwritten: the client a Go developer writes by hand (net/http,
//     encoding/json into plain structs of their own; handwritten_test.go).
//     This is the baseline the SDK is held to.
//   - impl=sdktypes: the same bare net/http code decoding into the SDK's
//     exported types through their UnmarshalJSON methods. Against it,
//     impl=sdk shows the pipeline's own overhead (retries, rate limit,
//     size cap, typed errors) less the pass encoding/json makes over each
//     body before it calls the SDK's decoder, which impl=sdk does not make.
//   - impl=sdk: the SDK client as a user constructs it.

// benchFeed is the size of the feed the single-call scenarios' server
// holds; the sync scenario has its own server of syncOrders.
const (
	benchFeed  = 1000
	syncOrders = 100_000
)

// side is one implementation of a scenario: set up once (its client, its
// http.Client), it returns the operation timed in the loop, which makes one
// call and says what is wrong with the answer.
type side func(b *testing.B) func() error

// sides runs one scenario as impl=handwritten, impl=sdktypes and impl=sdk.
func sides(b *testing.B, handwritten, sdktypes, sdk side) {
	for _, sd := range []struct {
		name  string
		setup side
	}{{"impl=handwritten", handwritten}, {"impl=sdktypes", sdktypes}, {"impl=sdk", sdk}} {
		b.Run(sd.name, func(b *testing.B) {
			op := sd.setup(b)
			b.ReportAllocs()
			for b.Loop() {
				if err := op(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// check turns a call's result into the loop's verdict.
func check(err error, ok bool, what string, got any) error {
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("unexpected %s: %v", what, got)
	}
	return nil
}

func BenchmarkAttivitaGet(b *testing.B) {
	s := newServer(b, benchFeed)
	ctx := context.Background()
	sides(b, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			o, err := handwrittenAttivitaGet(ctx, hc, s, attivitaOrderNumber)
			return check(err, err == nil && o.OrderNumber == attivitaOrderNumber, "order", o)
		}
	}, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			o, err := baselineAttivitaGet(ctx, hc, s, attivitaOrderNumber)
			return check(err, err == nil && o.OrderNumber == attivitaOrderNumber, "order", o)
		}
	}, func(b *testing.B) func() error {
		c := attivitaClient(b, s)
		return func() error {
			o, err := c.Orders.Get(ctx, attivitaOrderNumber)
			return check(err, err == nil && o.OrderNumber == attivitaOrderNumber, "order", o)
		}
	})
}

func BenchmarkVersaCommerceGet(b *testing.B) {
	s := newServer(b, benchFeed)
	ctx := context.Background()
	sides(b, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			o, err := handwrittenVCGet(ctx, hc, s, vcOrderID)
			return check(err, err == nil && o.ID == vcOrderID, "order", o)
		}
	}, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			o, err := baselineVCGet(ctx, hc, s, vcOrderID)
			return check(err, err == nil && o.ID == vcOrderID, "order", o)
		}
	}, func(b *testing.B) func() error {
		c := vcClient(b, s)
		return func() error {
			o, err := c.Orders.Get(ctx, vcOrderID, nil)
			return check(err, err == nil && o.ID == vcOrderID, "order", o)
		}
	})
}

func BenchmarkInventorumDeltaPage100(b *testing.B) {
	s := newServer(b, benchFeed)
	ctx := context.Background()
	sides(b, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			p, err := handwrittenDelta(ctx, hc, s, time.Time{})
			if err != nil {
				return err
			}
			return check(nil, len(p.Data) == deltaPageSize, "page size", len(p.Data))
		}
	}, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			p, err := baselineDelta(ctx, hc, s, time.Time{})
			if err != nil {
				return err
			}
			return check(nil, len(p.Data) == deltaPageSize, "page size", len(p.Data))
		}
	}, func(b *testing.B) func() error {
		c := inventorumClient(b, s)
		return func() error {
			p, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{Limit: deltaPageSize, Channel: inventorum.ChannelIPad})
			if err != nil {
				return err
			}
			return check(nil, len(p.Data) == deltaPageSize, "page size", len(p.Data))
		}
	})
}

func BenchmarkVersaCommercePage250(b *testing.B) {
	s := newServer(b, benchFeed)
	ctx := context.Background()
	sides(b, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			p, err := handwrittenVCPage(ctx, hc, s)
			return check(err, len(p) == vcPageSize, "page size", len(p))
		}
	}, func(b *testing.B) func() error {
		hc := handwrittenHTTP()
		return func() error {
			p, err := baselineVCPage(ctx, hc, s)
			return check(err, len(p) == vcPageSize, "page size", len(p))
		}
	}, func(b *testing.B) func() error {
		c := vcClient(b, s)
		return func() error {
			p, err := c.Orders.List(ctx, &versacommerce.ListOptions{Limit: vcPageSize})
			return check(err, len(p) == vcPageSize, "page size", len(p))
		}
	})
}

// BenchmarkInventorumSync100k syncs a feed of 100,000 orders (about 1,010
// pages of 100: each page is asked from the last page's newest time, which
// the API includes) and reports the peak HeapInuse seen during the runs.
func BenchmarkInventorumSync100k(b *testing.B) {
	s := newServer(b, syncOrders)
	ctx := context.Background()
	run := func(b *testing.B, sync func(*heapPeak) (int, error)) {
		var h heapPeak
		runtime.GC()
		start := s.requests.Load()
		b.ReportAllocs()
		for b.Loop() {
			n, err := sync(&h)
			if err != nil || n != syncOrders {
				b.Fatal(n, err)
			}
		}
		b.ReportMetric(float64(h.peak), "peak-heap-B")
		b.ReportMetric(float64(s.requests.Load()-start)/float64(b.N), "requests/op")
	}
	b.Run("impl=handwritten", func(b *testing.B) {
		hc := handwrittenHTTP()
		run(b, func(h *heapPeak) (int, error) { return handwrittenSyncSampled(ctx, hc, s, h) })
	})
	b.Run("impl=sdktypes", func(b *testing.B) {
		hc := handwrittenHTTP()
		run(b, func(h *heapPeak) (int, error) { return baselineSyncSampled(ctx, hc, s, h) })
	})
	b.Run("impl=sdk", func(b *testing.B) {
		c := inventorumClient(b, s)
		run(b, func(h *heapPeak) (int, error) { return sdkSync(ctx, c, h) })
	})
}

// parallelism is the number of goroutines per GOMAXPROCS in
// BenchmarkParallelGet.
const parallelism = 4

// BenchmarkParallelGet reads one VersaCommerce order from
// GOMAXPROCS·parallelism goroutines sharing one client and counts the TCP
// connections the server accepts: reused connections keep that near the
// number of goroutines, whatever the number of requests. The baseline's
// transport keeps 32 idle connections per host as the SDK's does
// (http.DefaultTransport keeps 2, and would open and close connections
// under this load).
func BenchmarkParallelGet(b *testing.B) {
	s := newServer(b, benchFeed)
	ctx := context.Background()
	run := func(b *testing.B, get func() (int64, error)) {
		conns := s.newConns.Load()
		b.SetParallelism(parallelism)
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				id, err := get()
				if err != nil || id != vcOrderID {
					b.Error(id, err)
					return
				}
			}
		})
		b.StopTimer()
		n := s.newConns.Load() - conns
		b.ReportMetric(float64(n)/float64(b.N), "conns/op")
		b.ReportMetric(float64(n), "conns")
		b.ReportMetric(float64(runtime.GOMAXPROCS(0)*parallelism), "goroutines")
	}
	b.Run("impl=handwritten", func(b *testing.B) {
		hc := handwrittenHTTP()
		run(b, func() (int64, error) {
			o, err := handwrittenVCGet(ctx, hc, s, vcOrderID)
			return o.ID, err
		})
		hc.CloseIdleConnections()
	})
	b.Run("impl=sdktypes", func(b *testing.B) {
		hc := handwrittenHTTP()
		run(b, func() (int64, error) {
			o, err := baselineVCGet(ctx, hc, s, vcOrderID)
			return int64(o.ID), err
		})
		hc.CloseIdleConnections()
	})
	b.Run("impl=sdk", func(b *testing.B) {
		c := vcClient(b, s)
		run(b, func() (int64, error) {
			o, err := c.Orders.Get(ctx, vcOrderID, nil)
			if err != nil {
				return 0, err
			}
			return int64(o.ID), nil
		})
	})
}
