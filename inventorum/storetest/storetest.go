// Package storetest checks an implementation of the seams a fleet of
// Inventorum workers shares — inventorum.TokenStore,
// inventorum.CheckpointStore and orderkit.Limiter — against their
// contracts, as testing/fstest checks a file system:
//
//	func TestMyTokenStore(t *testing.T) {
//		storetest.TestTokenStore(t, func(t *testing.T) func() inventorum.TokenStore {
//			key := freshKey(t) // a store no other test uses
//			return func() inventorum.TokenStore { return mystore.New(conn(t), key) }
//		})
//	}
//
// Each suite is given a function that sets up a fresh, empty store and
// returns an opener: every call of the opener returns another handle on
// that same store, as another process would open it (for a store in
// memory, the same value). The suites run the handles concurrently.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/orderstate"
)

func tok(n int) inventorum.Token {
	return inventorum.Token{
		AccessToken:  fmt.Sprintf("access-%d", n),
		RefreshToken: fmt.Sprintf("refresh-%d", n),
		TokenType:    "Bearer",
		Scope:        "orders checkout",
		Expiry:       time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(n) * time.Hour),
	}
}

func sameToken(a, b inventorum.Token) bool {
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken &&
		a.TokenType == b.TokenType && a.Scope == b.Scope && a.Expiry.Equal(b.Expiry)
}

// TestTokenStore checks the TokenStore contract: Load of an empty store,
// compare-and-swap on the refresh token (atomic under concurrent handles),
// the lock (exclusive across handles, honouring ctx), and clients of one
// account sharing the store through OAuth2Config.Store refreshing once per
// token lifetime and after a 401.
func TestTokenStore(t *testing.T, fresh func(t *testing.T) func() inventorum.TokenStore) {
	ctx := context.Background()
	t.Run("LoadEmpty", func(t *testing.T) {
		got, err := fresh(t)().Load(ctx)
		if err != nil || !sameToken(got, inventorum.Token{}) {
			t.Fatalf("Load of an empty store = %v, %v; want the zero Token", got, err)
		}
	})
	t.Run("CompareAndSwap", func(t *testing.T) {
		open := fresh(t)
		s1, s2 := open(), open()
		mustSwap(t, s1, inventorum.Token{}, tok(1), true)
		mustSwap(t, s2, inventorum.Token{}, tok(2), false)
		mustSwap(t, s2, tok(2), tok(3), false)
		mustLoad(t, s2, tok(1))
		mustSwap(t, s2, tok(1), tok(2), true)
		mustLoad(t, s1, tok(2))
		// Only the refresh token is compared.
		old := tok(2)
		old.AccessToken, old.Expiry = "other", time.Time{}
		mustSwap(t, s1, old, tok(3), true)
		mustLoad(t, s2, tok(3))
	})
	t.Run("CompareAndSwapConcurrent", func(t *testing.T) {
		open := fresh(t)
		mustSwap(t, open(), inventorum.Token{}, tok(0), true)
		const n = 8
		var wins atomic.Int32
		var winner atomic.Int32
		var wg sync.WaitGroup
		for i := 1; i <= n; i++ {
			s := open()
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.CompareAndSwap(ctx, tok(0), tok(i))
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
					winner.Store(int32(i))
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d of %d concurrent swaps from one token succeeded; want 1", wins.Load(), n)
		}
		mustLoad(t, open(), tok(int(winner.Load())))
	})
	t.Run("LockExclusive", func(t *testing.T) {
		open := fresh(t)
		const n = 6
		var in, max atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			s := open()
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < 3; k++ {
					unlock, err := s.Lock(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if v := in.Add(1); v > max.Load() {
						max.Store(v)
					}
					time.Sleep(2 * time.Millisecond)
					in.Add(-1)
					unlock()
				}
			}()
		}
		wg.Wait()
		if max.Load() != 1 {
			t.Fatalf("%d lock holders at once; want 1", max.Load())
		}
	})
	t.Run("LockWaitsForCtx", func(t *testing.T) {
		open := fresh(t)
		unlock, err := open().Lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		if u2, err := open().Lock(cctx); err == nil {
			u2()
			t.Fatal("a second Lock succeeded while the lock was held")
		} else if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Lock while held = %v; want an error matching context.DeadlineExceeded", err)
		}
		unlock()
		u3, err := open().Lock(ctx)
		if err != nil {
			t.Fatalf("Lock after unlock: %v", err)
		}
		u3()
	})
	t.Run("ClientsRefreshOnce", func(t *testing.T) { clientsRefreshOnce(t, fresh(t)) })
}

// clientsRefreshOnce runs several OAuth2 clients of one account, each on
// its own handle of the store, against the fake: one refresh when the
// store holds no access token, one after the fake expires every token.
func clientsRefreshOnce(t *testing.T, open func() inventorum.TokenStore) {
	ctx := context.Background()
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	const n = 6
	clients := make([]*inventorum.Client, n)
	for i := range clients {
		c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
			ClientID: inventorumtest.DefaultClientID, ClientSecret: inventorumtest.DefaultClientSecret,
			Token: inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken},
			Store: open(),
		}, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRetry(0, 0, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	round := func() {
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < 3; k++ {
					if _, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	round()
	if got := fake.Refreshes(); got != 1 {
		t.Fatalf("%d clients sharing a store refreshed %d times; want 1", n, got)
	}
	fake.ExpireAccessTokens()
	round()
	if got := fake.Refreshes(); got != 2 {
		t.Fatalf("after every access token expired: %d refreshes in all; want 2", got)
	}
	stored, err := open().Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stored.RefreshToken != fake.CurrentRefreshToken() {
		t.Fatalf("the store holds a refresh token the server no longer accepts")
	}
}

func mustSwap(t *testing.T, s inventorum.TokenStore, old, next inventorum.Token, want bool) {
	t.Helper()
	got, err := s.CompareAndSwap(context.Background(), old, next)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("CompareAndSwap(old refresh %q, next refresh %q) = %v; want %v", old.RefreshToken, next.RefreshToken, got, want)
	}
}

func mustLoad(t *testing.T, s inventorum.TokenStore, want inventorum.Token) {
	t.Helper()
	got, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !sameToken(got, want) {
		t.Fatalf("Load = %v (expiry %s); want %v (expiry %s)", got, got.Expiry, want, want.Expiry)
	}
}

// TestCheckpointStore checks the CheckpointStore contract: versions and
// compare-and-swap, leases (exclusive, expiring, renewed, released) and
// their fencing tokens, all under concurrent handles, and
// Orders.SyncLeased run by several workers on one account delivering every
// order.
func TestCheckpointStore(t *testing.T, fresh func(t *testing.T) func() inventorum.CheckpointStore) {
	ctx := context.Background()
	shop := inventorum.CheckpointKey{Account: "acct-1", Channel: inventorum.ChannelShop}
	ebay := inventorum.CheckpointKey{Account: "acct-1", Channel: inventorum.ChannelEbay}
	other := inventorum.CheckpointKey{Account: "acct/2 ü", Channel: inventorum.ChannelShop}
	cp := func(n int) *inventorum.DeltaCheckpoint {
		return &inventorum.DeltaCheckpoint{Channels: map[inventorum.Channel]*inventorum.DeltaCursor{
			inventorum.ChannelShop: {Time: time.Date(2024, 1, 1, 0, n, 0, 0, time.UTC), ID: inventorum.ID(n), Seen: []inventorum.ID{inventorum.ID(n)}, Versions: []uint64{uint64(n) | 1<<63}},
		}}
	}
	load := func(t *testing.T, s inventorum.CheckpointStore, key inventorum.CheckpointKey, wantN int, wantV uint64) {
		t.Helper()
		got, v, err := s.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if v != wantV {
			t.Fatalf("Load(%s) version = %d; want %d", key, v, wantV)
		}
		cur := got.Channels[inventorum.ChannelShop]
		if wantN == 0 {
			if len(got.Channels) != 0 {
				t.Fatalf("Load(%s) = %+v; want the zero checkpoint", key, got)
			}
			return
		}
		if cur == nil || cur.ID != inventorum.ID(wantN) || !cur.Time.Equal(cp(wantN).Channels[inventorum.ChannelShop].Time) ||
			len(cur.Seen) != 1 || len(cur.Versions) != 1 || cur.Versions[0] != uint64(wantN)|1<<63 {
			t.Fatalf("Load(%s) = %+v; want checkpoint %d", key, cur, wantN)
		}
	}
	t.Run("VersionsWithoutLeases", func(t *testing.T) {
		open := fresh(t)
		s1, s2 := open(), open()
		load(t, s1, shop, 0, 0)
		v1, err := s1.Save(ctx, shop, cp(1), 0, 0)
		if err != nil || v1 == 0 {
			t.Fatalf("first Save = %d, %v", v1, err)
		}
		load(t, s2, shop, 1, v1)
		if _, err := s2.Save(ctx, shop, cp(2), 0, 0); !errors.Is(err, inventorum.ErrCheckpointConflict) {
			t.Fatalf("Save from a stale version = %v; want ErrCheckpointConflict", err)
		}
		v2, err := s2.Save(ctx, shop, cp(2), v1, 0)
		if err != nil || v2 <= v1 {
			t.Fatalf("Save = %d, %v; want a version above %d", v2, err, v1)
		}
		load(t, s1, shop, 2, v2)
		load(t, s1, ebay, 0, 0)
		load(t, s1, other, 0, 0)
		if _, err := s1.Save(ctx, shop, nil, v2, 0); err == nil {
			t.Fatal("Save of a nil checkpoint succeeded")
		}
	})
	t.Run("LeaseFencing", func(t *testing.T) {
		open := fresh(t)
		a, b := open(), open()
		la, err := a.Acquire(ctx, shop, time.Minute)
		if err != nil || la.Fence == 0 || la.Key != shop {
			t.Fatalf("Acquire = %+v, %v", la, err)
		}
		if _, err := b.Acquire(ctx, shop, time.Minute); !errors.Is(err, inventorum.ErrLeaseHeld) {
			t.Fatalf("second Acquire = %v; want ErrLeaseHeld", err)
		}
		lo, err := b.Acquire(ctx, ebay, time.Minute)
		if err != nil {
			t.Fatalf("Acquire of another key: %v", err)
		}
		if _, err := b.Save(ctx, shop, cp(1), 0, 0); !errors.Is(err, inventorum.ErrLeaseLost) {
			t.Fatalf("Save without the lease's fence = %v; want ErrLeaseLost", err)
		}
		v1, err := a.Save(ctx, shop, cp(1), 0, la.Fence)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Renew(ctx, la, time.Minute); err != nil {
			t.Fatalf("Renew of a held lease: %v", err)
		}
		if err := a.Release(ctx, la); err != nil {
			t.Fatal(err)
		}
		if err := a.Renew(ctx, la, time.Minute); !errors.Is(err, inventorum.ErrLeaseLost) {
			t.Fatalf("Renew after Release = %v; want ErrLeaseLost", err)
		}
		lb, err := b.Acquire(ctx, shop, time.Minute)
		if err != nil || lb.Fence <= la.Fence {
			t.Fatalf("Acquire after Release = %+v, %v; want a fence above %d", lb, err, la.Fence)
		}
		if _, err := a.Save(ctx, shop, cp(9), v1, la.Fence); !errors.Is(err, inventorum.ErrLeaseLost) {
			t.Fatalf("Save with an older lease's fence = %v; want ErrLeaseLost", err)
		}
		// Releasing an old lease leaves the new one held.
		if err := a.Release(ctx, la); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Acquire(ctx, shop, time.Minute); !errors.Is(err, inventorum.ErrLeaseHeld) {
			t.Fatalf("Acquire after an old lease's Release = %v; want ErrLeaseHeld", err)
		}
		if _, err := b.Save(ctx, shop, cp(2), v1, lb.Fence); err != nil {
			t.Fatal(err)
		}
		load(t, a, shop, 2, v1+1)
		_ = b.Release(ctx, lo)
		_ = b.Release(ctx, lb)
	})
	t.Run("LeaseExpires", func(t *testing.T) {
		open := fresh(t)
		a, b := open(), open()
		const ttl = 300 * time.Millisecond
		la, err := a.Acquire(ctx, shop, ttl)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(ttl / 2)
		if err := a.Renew(ctx, la, ttl); err != nil {
			t.Fatalf("Renew: %v", err)
		}
		time.Sleep(ttl * 2 / 3)
		if _, err := b.Acquire(ctx, shop, ttl); !errors.Is(err, inventorum.ErrLeaseHeld) {
			t.Fatalf("Acquire of a renewed lease = %v; want ErrLeaseHeld", err)
		}
		time.Sleep(ttl + 50*time.Millisecond)
		if err := a.Renew(ctx, la, ttl); !errors.Is(err, inventorum.ErrLeaseLost) {
			t.Fatalf("Renew of an expired lease = %v; want ErrLeaseLost", err)
		}
		lb, err := b.Acquire(ctx, shop, time.Minute)
		if err != nil || lb.Fence <= la.Fence {
			t.Fatalf("Acquire of an expired lease = %+v, %v; want a fence above %d", lb, err, la.Fence)
		}
		if _, err := a.Save(ctx, shop, cp(1), 0, la.Fence); !errors.Is(err, inventorum.ErrLeaseLost) {
			t.Fatalf("Save by the expired lease's holder = %v; want ErrLeaseLost", err)
		}
		_ = b.Release(ctx, lb)
	})
	t.Run("Concurrent", func(t *testing.T) {
		open := fresh(t)
		const n = 8
		var wins atomic.Int32
		var lease atomic.Value
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			s := open()
			wg.Add(1)
			go func() {
				defer wg.Done()
				l, err := s.Acquire(ctx, shop, time.Minute)
				if err == nil {
					wins.Add(1)
					lease.Store(l)
				} else if !errors.Is(err, inventorum.ErrLeaseHeld) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d of %d concurrent Acquires succeeded; want 1", wins.Load(), n)
		}
		l := lease.Load().(inventorum.Lease)
		wins.Store(0)
		for i := 0; i < n; i++ {
			s := open()
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Save(ctx, shop, cp(i+1), 0, l.Fence)
				if err == nil {
					wins.Add(1)
				} else if !errors.Is(err, inventorum.ErrCheckpointConflict) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d of %d concurrent Saves from one version succeeded; want 1", wins.Load(), n)
		}
	})
	t.Run("SyncLeased", func(t *testing.T) { syncLeased(t, fresh(t)) })
}

// syncLeased runs workers, each on its own handle of the store, over every
// channel of one account while orders arrive, and checks that every order
// is delivered, each order version at most once.
func syncLeased(t *testing.T, open func() inventorum.CheckpointStore) {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	fake.GenerateOrders(300, start, time.Second)
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken,
		orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRateLimit(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	type ver struct {
		id inventorum.ID
		at time.Time
	}
	var mu sync.Mutex
	got := map[ver]int{}
	handle := func(_ context.Context, o inventorum.Order) error {
		mu.Lock()
		defer mu.Unlock()
		got[ver{o.ID, o.DeltaTime().UTC()}]++
		return nil
	}
	const workers = 4
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var held atomic.Int32
	for w := 0; w < workers; w++ {
		store := open()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				for _, ch := range inventorum.Channels {
					key := inventorum.CheckpointKey{Account: "acct", Channel: ch}
					_, err := c.Orders.SyncLeased(ctx, store, key, &inventorum.LeasedSyncOptions{
						Sync: &inventorum.SyncOptions{PageSize: 7}, LeaseTTL: 2 * time.Second,
					}, handle)
					switch {
					case errors.Is(err, inventorum.ErrLeaseHeld):
						held.Add(1)
					case err != nil && ctx.Err() == nil:
						t.Errorf("SyncLeased(%s): %v", key, err)
					}
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	// Orders arrive and change while the workers run.
	for i := 0; i < 30; i++ {
		at := start.Add(time.Hour + time.Duration(i)*time.Second)
		fake.AddOrder(inventorum.Order{State: orderstate.Completed, Channel: inventorum.Channels[i%len(inventorum.Channels)], TimeAdded: at, CompletedAt: at})
		fake.ModifyOrder(inventorum.ID(1001+i*7), at, func(o *inventorum.Order) { o.State |= orderstate.Shipped })
		time.Sleep(5 * time.Millisecond)
	}
	missing := func() int {
		mu.Lock()
		defer mu.Unlock()
		lost := 0
		for id := inventorum.ID(1001); ; id++ {
			o, ok := fake.Order(id)
			if !ok {
				return lost
			}
			if !o.State.Has(orderstate.Draft) && !o.State.Has(orderstate.Pending) && got[ver{o.ID, o.DeltaTime().UTC()}] == 0 {
				lost++
			}
		}
	}
	// Let the workers read through (or give up after a while), then stop
	// them.
	for deadline := time.Now().Add(20 * time.Second); missing() > 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()

	lost := missing()
	mu.Lock()
	defer mu.Unlock()
	dup := 0
	for v, n := range got {
		if n > 1 {
			dup++
			t.Logf("order %d of %s delivered %d times", v.id, v.at, n)
		}
	}
	if lost != 0 || dup != 0 {
		t.Fatalf("%d workers: %d order versions lost, %d delivered twice; want 0 and 0", workers, lost, dup)
	}
	if held.Load() == 0 {
		t.Log("no worker ever met another's lease (the workers did not overlap)")
	}
}

// TestLimiter checks a Limiter meant to hold perSecond requests per second
// with a burst of burst across every handle that open returns: waiters on
// several handles together pass no more than burst plus perSecond times
// the time taken, and not much fewer (at least 70 % of it), and Wait
// returns ctx's error once ctx ends. It runs about two seconds.
func TestLimiter(t *testing.T, open func() orderkit.Limiter, perSecond float64, burst int) {
	ctx := context.Background()
	t.Run("Rate", func(t *testing.T) {
		const handles, waiters = 3, 4
		dur := 1500 * time.Millisecond
		rctx, cancel := context.WithTimeout(ctx, dur)
		defer cancel()
		start := time.Now()
		var passed atomic.Int64
		var wg sync.WaitGroup
		for h := 0; h < handles; h++ {
			l := open()
			for w := 0; w < waiters; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for l.Wait(rctx) == nil {
						if rctx.Err() != nil {
							return
						}
						passed.Add(1)
					}
				}()
			}
		}
		wg.Wait()
		el := time.Since(start).Seconds()
		limit := float64(burst) + perSecond*el + 1
		low := 0.7 * perSecond * dur.Seconds()
		got := float64(passed.Load())
		t.Logf("%.0f waits passed in %.2fs (limit %.0f)", got, el, limit)
		if got > limit {
			t.Fatalf("%.0f waits passed in %.2fs; want at most %.0f", got, el, limit)
		}
		if got < low {
			t.Fatalf("%.0f waits passed in %.2fs; want at least %.0f", got, el, low)
		}
	})
	t.Run("Ctx", func(t *testing.T) {
		l := open()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := l.Wait(cctx); err == nil {
			t.Fatal("Wait with a cancelled context returned nil")
		}
	})
}
