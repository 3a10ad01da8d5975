package inventorum_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failingStore fails every CompareAndSwap while fail is set.
type failingStore struct {
	inventorum.TokenStore
	fail atomic.Bool
}

func (s *failingStore) CompareAndSwap(ctx context.Context, old, next inventorum.Token) (bool, error) {
	if s.fail.Load() {
		return false, errors.New("store down")
	}
	return s.TokenStore.CompareAndSwap(ctx, old, next)
}

func storeClient(t *testing.T, srvURL string, store inventorum.TokenStore, onRefresh func(context.Context, inventorum.Token) error) *inventorum.Client {
	c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
		ClientID: inventorumtest.DefaultClientID, ClientSecret: inventorumtest.DefaultClientSecret,
		Token: inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken},
		Store: store, OnRefresh: onRefresh,
	}, orderkit.WithBaseURL(inventorumtest.BaseURL(srvURL)), orderkit.WithRetry(0, 0, time.Millisecond))
	require.NoError(t, err)
	return c
}

func TestOAuthStoreDownKeepsTheRotatedTokenAndTheLock(t *testing.T) {
	defer inventorum.SetStoreRetryFor(50 * time.Millisecond)()
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	store := &failingStore{TokenStore: inventorum.NewFileTokenStore(filepath.Join(t.TempDir(), "token.json"))}
	var offered []string
	a := storeClient(t, srv.URL, store, func(_ context.Context, tk inventorum.Token) error {
		offered = append(offered, tk.RefreshToken)
		return nil
	})
	ctx := context.Background()
	// Seed the store, then let it fail.
	_, err := a.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	require.Equal(t, 1, fake.Refreshes())
	fake.ExpireAccessTokens()
	store.fail.Store(true)
	_, err = a.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "kept in memory")
	assert.Equal(t, 2, fake.Refreshes(), "refreshed once, not again")
	stored, err := store.Load(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, fake.CurrentRefreshToken(), stored.RefreshToken, "the store did not take it")

	// Another client of the account waits for the lock rather than send
	// the spent refresh token.
	other := storeClient(t, srv.URL, store, nil)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = other.Orders.Delta(short, &inventorum.DeltaOptions{})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 2, fake.Refreshes())

	store.fail.Store(false)
	_, err = a.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	stored, err = store.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, fake.CurrentRefreshToken(), stored.RefreshToken)
	_, err = other.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err, "the other client reads the stored token")
	assert.Equal(t, 2, fake.Refreshes())
	assert.Equal(t, []string{"fake-refresh-1", "fake-refresh-2"}, offered)
}

func TestOAuthStoreWrittenDuringRefreshIsAConflict(t *testing.T) {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	store := &sneakyStore{TokenStore: inventorum.NewMemoryTokenStore(inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken})}
	c := storeClient(t, srv.URL, store, nil)
	store.sneak.Store(true)
	_, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{})
	assert.ErrorIs(t, err, inventorum.ErrTokenConflict)
	tk, _ := c.Token()
	assert.Equal(t, fake.CurrentRefreshToken(), tk.RefreshToken, "the client keeps the token it was answered")
	_, err = c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{})
	assert.NoError(t, err)
	assert.Equal(t, 1, fake.Refreshes())
}

// sneakyStore writes a token of its own, outside the lock, just before the
// first compare-and-swap.
type sneakyStore struct {
	inventorum.TokenStore
	sneak atomic.Bool
}

func (s *sneakyStore) CompareAndSwap(ctx context.Context, old, next inventorum.Token) (bool, error) {
	if s.sneak.CompareAndSwap(true, false) {
		_, _ = s.TokenStore.CompareAndSwap(ctx, old, inventorum.Token{RefreshToken: "by-hand"})
	}
	return s.TokenStore.CompareAndSwap(ctx, old, next)
}

func TestOAuthStoreWithoutTokenNeedsOne(t *testing.T) {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
		ClientID: inventorumtest.DefaultClientID, ClientSecret: inventorumtest.DefaultClientSecret,
		Store: inventorum.NewMemoryTokenStore(inventorum.Token{}),
	}, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
	require.NoError(t, err)
	_, err = c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{})
	assert.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	assert.Zero(t, fake.Refreshes())
}
