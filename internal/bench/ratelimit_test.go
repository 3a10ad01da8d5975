package bench

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
)

// The rate-limited sync: an initial Inventorum sync of 20,000 orders (pages
// of 100) against the loopback server behind Inventorum's published limit
// of 20 requests per second per token, with the client as NewClient makes
// it (its default limiter: rate.NewLimiter(20, 20)). It measures what a
// user gets — the rate achieved and the 429s received — not code.
//
// "20 requests per second" can be enforced two ways, and the vendor's page
// does not say which; the server is run under both:
//
//   - server=gcra: GCRA, i.e. a token bucket of 20 filled at 20 a second.
//     A request is answered while it arrives no earlier than
//     tat-19·50ms (tat: the theoretical arrival time); a burst of 20 is
//     let through, then one every 50 ms. Over a long run that is 20 a
//     second, but a 1-s window may hold up to 39 requests (the burst and
//     the 19 refills). This is what examples/fleet's fakevendor enforces.
//   - server=window: a sliding window of 1 s. A request is answered only
//     if fewer than 20 requests were answered in the second before it
//     (arrivals in (now-1s, now]); no 1-s window ever holds more than 20.
//
// Under both, a request turned away is answered 429 with Retry-After (whole
// seconds, rounded up, at least 1) and does not count against the limit.
//
// client=default is the client under test. The other clients are
// experiments with another limiter (orderkit.WithLimiter), to show what a
// change to the default would give; they are not the SDK's behaviour.

const (
	limitedOrders = 20_000
	vendorRPS     = 20
)

// limitPolicy decides, under its lock, whether a request arriving now is
// answered, and if not how long until it would be.
type limitPolicy interface {
	admit(now time.Time) (ok bool, wait time.Duration)
}

// gcra is a token bucket of burst requests filled at one per interval.
type gcra struct {
	interval time.Duration
	burst    int
	tat      time.Time
}

func (g *gcra) admit(now time.Time) (bool, time.Duration) {
	tat := g.tat
	if tat.Before(now) {
		tat = now
	}
	if wait := tat.Sub(now) - time.Duration(g.burst-1)*g.interval; wait > 0 {
		return false, wait
	}
	g.tat = tat.Add(g.interval)
	return true, 0
}

// window answers at most n requests in any window of length span.
type window struct {
	span time.Duration
	n    int
	log  []time.Time // the answered requests' arrivals, oldest first
}

func (w *window) admit(now time.Time) (bool, time.Duration) {
	for len(w.log) > 0 && !w.log[0].After(now.Add(-w.span)) {
		w.log = w.log[1:]
	}
	if len(w.log) >= w.n {
		return false, w.log[0].Add(w.span).Sub(now)
	}
	w.log = append(w.log, now)
	return true, 0
}

// limited wraps the bench server's handler in a per-token limit and
// records what it answered.
type limited struct {
	s      *server
	policy func() limitPolicy

	mu       sync.Mutex
	tokens   map[string]limitPolicy
	answered []time.Time // arrivals of the requests answered
	throttle int         // requests answered 429
}

func (l *limited) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	tok := r.Header.Get("Authorization")
	l.mu.Lock()
	p, ok := l.tokens[tok]
	if !ok {
		p = l.policy()
		l.tokens[tok] = p
	}
	ok, wait := p.admit(now)
	if !ok {
		l.throttle++
		l.mu.Unlock()
		secs := max(int(math.Ceil(wait.Seconds())), 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"detail":"Request was throttled. Expected available in ` + strconv.Itoa(secs) + ` seconds."}`))
		return
	}
	l.answered = append(l.answered, now)
	l.mu.Unlock()
	l.s.serve(w, r)
}

// maxIn is the most answered requests in any window of length span.
func maxIn(arrivals []time.Time, span time.Duration) int {
	most, j := 0, 0
	for i := range arrivals {
		for !arrivals[j].After(arrivals[i].Add(-span)) {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// BenchmarkInventorumSyncRateLimited syncs 20,000 orders (about 200 pages)
// from an empty checkpoint, once per iteration, each iteration with a new
// client and a fresh server-side limit (so every run starts as an initial
// sync with full buckets on both sides). Run it as
//
//	go test -run '^$' -bench '^BenchmarkInventorumSyncRateLimited$' -benchtime=1x -count=3 ./internal/bench/
//
// It reports, per sync: wall-s, the wall time; req/s, the requests answered
// (not 429) per second of wall time; 429s, the requests turned away;
// requests, those answered; max-in-1s, the most answered requests in any
// 1-s window; floor-s, the shortest wall time the server's limit allows for
// that many requests.
func BenchmarkInventorumSyncRateLimited(b *testing.B) {
	s := newServer(b, limitedOrders)
	interval := time.Second / vendorRPS
	servers := []struct {
		name   string
		policy func() limitPolicy
		// floor is the least time the policy needs to answer n requests
		// from full buckets.
		floor func(n int) time.Duration
	}{
		{"server=gcra", func() limitPolicy { return &gcra{interval: interval, burst: vendorRPS} },
			func(n int) time.Duration { return time.Duration(max(n-vendorRPS, 0)) * interval }},
		{"server=window", func() limitPolicy { return &window{span: time.Second, n: vendorRPS} },
			func(n int) time.Duration { return time.Duration((n-1)/vendorRPS) * time.Second }},
	}
	clients := []struct {
		name string
		opts func() []orderkit.Option
	}{
		// The default: 19.5 requests per second, no burst.
		{"client=default", func() []orderkit.Option { return nil }},
		// For comparison, the default before 0.3: 20 per second, burst 20.
		{"client=r20b20", func() []orderkit.Option {
			return []orderkit.Option{orderkit.WithLimiter(rate.NewLimiter(20, 20))}
		}},
	}
	for _, sv := range servers {
		for _, cl := range clients {
			b.Run(sv.name+"/"+cl.name, func(b *testing.B) {
				var wall time.Duration
				var answered, throttled, most int
				var floor time.Duration
				for b.Loop() {
					l := &limited{s: s, policy: sv.policy, tokens: map[string]limitPolicy{}}
					ts := httptest.NewServer(l)
					opts := append([]orderkit.Option{orderkit.WithBaseURL(ts.URL + "/inv/api")}, cl.opts()...)
					c, err := inventorum.NewClient(inventorumToken, opts...)
					if err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					n, err := sdkSync(context.Background(), c, nil)
					wall += time.Since(start)
					ts.Close()
					if err != nil || n != limitedOrders {
						b.Fatal(n, err)
					}
					l.mu.Lock()
					answered += len(l.answered)
					throttled += l.throttle
					most = max(most, maxIn(l.answered, time.Second))
					floor += sv.floor(len(l.answered))
					l.mu.Unlock()
				}
				per := float64(b.N)
				b.ReportMetric(wall.Seconds()/per, "wall-s")
				b.ReportMetric(float64(answered)/wall.Seconds(), "req/s")
				b.ReportMetric(float64(throttled)/per, "429s")
				b.ReportMetric(float64(answered)/per, "requests")
				b.ReportMetric(float64(most), "max-in-1s")
				b.ReportMetric(floor.Seconds()/per, "floor-s")
			})
		}
	}
}
