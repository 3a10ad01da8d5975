package inventorum_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func leasedClient(t *testing.T, n int) (*inventorumtest.Server, *inventorum.Client) {
	fake := inventorumtest.NewServer()
	for i := 0; i < n; i++ {
		add(fake, inventorum.ChannelShop, time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC))
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRateLimit(0, 0))
	require.NoError(t, err)
	return fake, c
}

var shopKey = inventorum.CheckpointKey{Account: "a", Channel: inventorum.ChannelShop}

func TestSyncLeasedHeldLeaseSendsNothing(t *testing.T) {
	fake, c := leasedClient(t, 3)
	store := inventorum.NewMemoryCheckpointStore()
	_, err := store.Acquire(context.Background(), shopKey, time.Minute)
	require.NoError(t, err)
	n, err := c.Orders.SyncLeased(context.Background(), store, shopKey, nil, func(context.Context, inventorum.Order) error { return nil })
	assert.ErrorIs(t, err, inventorum.ErrLeaseHeld)
	assert.Zero(t, n)
	assert.Empty(t, fake.Requests())
}

func TestSyncLeasedResumesAfterHandlerError(t *testing.T) {
	_, c := leasedClient(t, 5)
	store := inventorum.NewMemoryCheckpointStore()
	var got []inventorum.ID
	boom := errors.New("boom")
	n, err := c.Orders.SyncLeased(context.Background(), store, shopKey, nil, func(_ context.Context, o inventorum.Order) error {
		if len(got) == 3 {
			return boom
		}
		got = append(got, o.ID)
		return nil
	})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, 3, n)
	n, err = c.Orders.SyncLeased(context.Background(), store, shopKey, nil, func(_ context.Context, o inventorum.Order) error {
		got = append(got, o.ID)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, []inventorum.ID{1001, 1002, 1003, 1004, 1005}, got, "each order once: the unfinished one again, none lost")
	// The lease was released.
	l, err := store.Acquire(context.Background(), shopKey, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), l.Fence)
}

// lostStore answers every Renew with ErrLeaseLost and counts saves.
type lostStore struct {
	inventorum.CheckpointStore
	saves atomic.Int32
}

func (s *lostStore) Renew(context.Context, inventorum.Lease, time.Duration) error {
	return inventorum.ErrLeaseLost
}

func (s *lostStore) Save(ctx context.Context, key inventorum.CheckpointKey, cp *inventorum.DeltaCheckpoint, v, f uint64) (uint64, error) {
	s.saves.Add(1)
	return s.CheckpointStore.Save(ctx, key, cp, v, f)
}

func TestSyncLeasedStopsWhenTheLeaseIsLost(t *testing.T) {
	_, c := leasedClient(t, 50)
	store := &lostStore{CheckpointStore: inventorum.NewMemoryCheckpointStore()}
	n, err := c.Orders.SyncLeased(context.Background(), store, shopKey, &inventorum.LeasedSyncOptions{LeaseTTL: 90 * time.Millisecond, SaveEvery: 1000},
		func(ctx context.Context, o inventorum.Order) error {
			time.Sleep(10 * time.Millisecond)
			return nil
		})
	assert.ErrorIs(t, err, inventorum.ErrLeaseLost)
	assert.Less(t, n, 10, "handling stops within the lease's time")
	assert.Zero(t, store.saves.Load(), "nothing is saved once the lease is lost")
}

func TestSyncLeasedStopsAtTheLeasesTimeWithoutRenewal(t *testing.T) {
	_, c := leasedClient(t, 50)
	store := &slowRenew{CheckpointStore: inventorum.NewMemoryCheckpointStore()}
	var last time.Time
	_, err := c.Orders.SyncLeased(context.Background(), store, shopKey, &inventorum.LeasedSyncOptions{LeaseTTL: 90 * time.Millisecond},
		func(ctx context.Context, o inventorum.Order) error {
			last = time.Now()
			time.Sleep(10 * time.Millisecond)
			return nil
		})
	assert.ErrorIs(t, err, inventorum.ErrLeaseLost)
	// SyncLeased reads its clock before it asks for the lease, and the
	// store is asked after that: the lease's end on the client's clock is
	// no later than the store's call plus the TTL.
	assert.True(t, last.Before(store.acquired.Add(90*time.Millisecond)), "no order is handled past the lease's time")
}

// slowRenew's Renew never answers before its context ends; it notes when
// the lease was asked for.
type slowRenew struct {
	inventorum.CheckpointStore
	acquired time.Time
}

func (s *slowRenew) Acquire(ctx context.Context, key inventorum.CheckpointKey, ttl time.Duration) (inventorum.Lease, error) {
	s.acquired = time.Now()
	return s.CheckpointStore.Acquire(ctx, key, ttl)
}

func (s *slowRenew) Renew(ctx context.Context, _ inventorum.Lease, _ time.Duration) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestSyncLeasedRefusesBadArguments(t *testing.T) {
	_, c := leasedClient(t, 0)
	h := func(context.Context, inventorum.Order) error { return nil }
	store := inventorum.NewMemoryCheckpointStore()
	for name, f := range map[string]func() error{
		"nil store": func() error { _, err := c.Orders.SyncLeased(context.Background(), nil, shopKey, nil, h); return err },
		"nil handler": func() error {
			_, err := c.Orders.SyncLeased(context.Background(), store, shopKey, nil, nil)
			return err
		},
		"no account": func() error {
			_, err := c.Orders.SyncLeased(context.Background(), store, inventorum.CheckpointKey{Channel: inventorum.ChannelShop}, nil, h)
			return err
		},
		"bad channel": func() error {
			_, err := c.Orders.SyncLeased(context.Background(), store, inventorum.CheckpointKey{Account: "a", Channel: "fax"}, nil, h)
			return err
		},
		"negative ttl": func() error {
			_, err := c.Orders.SyncLeased(context.Background(), store, shopKey, &inventorum.LeasedSyncOptions{LeaseTTL: -1}, h)
			return err
		},
	} {
		assert.ErrorIs(t, f(), orderkit.ErrInvalidArgument, name)
	}
}
