package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/attivita"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/versacommerce"
)

// The SDK side: each client as a user would construct it, pointed at the
// loopback server. Inventorum's client-side limit of 20 requests per second
// is turned off, so that the comparison measures code, not the limit.

func attivitaClient(tb testing.TB, s *server) *attivita.Client {
	tb.Helper()
	c, err := attivita.NewClient(attivitaToken, orderkit.WithBaseURL(s.attivitaURL()+"/api"))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func vcClient(tb testing.TB, s *server) *versacommerce.Client {
	tb.Helper()
	c, err := versacommerce.NewClient(vcShop, vcKey, vcPassword, orderkit.WithBaseURL(s.vcURL()))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func inventorumClient(tb testing.TB, s *server) *inventorum.Client {
	tb.Helper()
	c, err := inventorum.NewClient(inventorumToken, orderkit.WithBaseURL(s.inventorumURL()), orderkit.WithRateLimit(0, 0))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// syncOptions syncs the one channel the server's feed holds.
var syncOptions = &inventorum.SyncOptions{Channels: []inventorum.Channel{inventorum.ChannelIPad}}

// The baseline side: what a careful hand-written client does with net/http
// and encoding/json, decoding into the SDK's own model types. It sets the
// same credentials and headers, checks the status, and reads each body to
// the end so the connection is reused; it has no retries, no rate limit, no
// size cap, no typed errors and no secret scrubbing. It shares the
// hand-written client's http.Client setup (handwrittenHTTP).

func baselineGet(ctx context.Context, hc *http.Client, u string, header http.Header, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Read to the end here too, so that the connection is reused.
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("GET %s: status %d", req.URL.Path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

func basic(user, password string) http.Header {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(user, password)
	return http.Header{"Authorization": r.Header["Authorization"]}
}

var (
	attivitaHeader   = bearer(attivitaToken)
	vcHeader         = basic(vcKey, vcPassword)
	inventorumHeader = http.Header{"Authorization": {"Bearer " + inventorumToken}, "X-Api-Version": {"12"}}
)

// getJSON is baselineGet into a new T.
func getJSON[T any](ctx context.Context, hc *http.Client, u string, header http.Header) (*T, error) {
	var v T
	err := baselineGet(ctx, hc, u, header, &v)
	return &v, err
}

func baselineAttivitaGet(ctx context.Context, hc *http.Client, s *server, number int64) (*attivita.Order, error) {
	return getJSON[attivita.Order](ctx, hc, s.attivitaOrderURL(number), attivitaHeader)
}

func baselineVCGet(ctx context.Context, hc *http.Client, s *server, id int64) (*versacommerce.Order, error) {
	return getJSON[versacommerce.Order](ctx, hc, s.vcOrderURL(id), vcHeader)
}

func baselineVCPage(ctx context.Context, hc *http.Client, s *server) ([]versacommerce.Order, error) {
	p, err := getJSON[[]versacommerce.Order](ctx, hc, s.vcPageURL(), vcHeader)
	return *p, err
}

func baselineDelta(ctx context.Context, hc *http.Client, s *server, start time.Time) (*inventorum.Page, error) {
	return getJSON[inventorum.Page](ctx, hc, s.deltaURL(start), inventorumHeader)
}

// baselineSync walks the delta feed by keyset (keysetSync) on the SDK's
// types.
func baselineSync(ctx context.Context, hc *http.Client, s *server, each func(*inventorum.Order)) (int, error) {
	return keysetSync(func(start time.Time) ([]inventorum.Order, error) {
		p, err := baselineDelta(ctx, hc, s, start)
		return p.Data, err
	}, func(o *inventorum.Order) (time.Time, inventorum.ID) { return o.DeltaTime(), o.ID }, each)
}

// keysetSync walks the delta feed by keyset as the client's Sync does:
// each page asked from the newest delta time seen, skipping the orders at
// that time it already handed on. It is simpler than Sync (no checkpoint to
// store, no page numbers for a page sharing one time, no confirmation
// pass), so it gives the SDK no handicap. Both baselines walk with it.
func keysetSync[O any, I int64 | inventorum.ID](page func(start time.Time) ([]O, error), key func(*O) (time.Time, I), each func(*O)) (int, error) {
	var start time.Time
	var lastID I
	n := 0
	for {
		data, err := page(start)
		if err != nil {
			return n, err
		}
		next, nextID := start, lastID
		for i := range data {
			o := &data[i]
			t, id := key(o)
			if t.Before(start) || (t.Equal(start) && id <= lastID) {
				continue
			}
			n++
			each(o)
			if t.After(next) || (t.Equal(next) && id > nextID) {
				next, nextID = t, id
			}
		}
		if len(data) < deltaPageSize {
			return n, nil
		}
		next = next.Truncate(time.Millisecond)
		if !next.After(start) {
			return n, errors.New("keyset sync: a whole page shares one time")
		}
		start, lastID = next, nextID
	}
}

// heapPeak keeps the highest HeapInuse sampled. Client and baseline sample
// alike (every 100 orders), so both pay the same for it.
type heapPeak struct {
	peak uint64
	ms   runtime.MemStats
}

func (h *heapPeak) sample() {
	runtime.ReadMemStats(&h.ms)
	h.peak = max(h.peak, h.ms.HeapInuse)
}

// sdkSync syncs the whole feed through Sync and returns how many orders it
// yielded, sampling the heap every 100 orders.
func sdkSync(ctx context.Context, c *inventorum.Client, h *heapPeak) (int, error) {
	var cp inventorum.DeltaCheckpoint
	n := 0
	for _, err := range c.Orders.Sync(ctx, &cp, syncOptions) {
		if err != nil {
			return n, err
		}
		n++
		if h != nil && n%100 == 0 {
			h.sample()
		}
	}
	return n, nil
}

func baselineSyncSampled(ctx context.Context, hc *http.Client, s *server, h *heapPeak) (int, error) {
	return baselineSync(ctx, hc, s, sampleEvery100[inventorum.Order](h))
}

// sampleEvery100 samples the heap into h (when not nil) at every 100th
// order it is handed, as sdkSync does.
func sampleEvery100[O any](h *heapPeak) func(*O) {
	n := 0
	return func(*O) {
		n++
		if h != nil && n%100 == 0 {
			h.sample()
		}
	}
}
