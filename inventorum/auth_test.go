package inventorum_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/money"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type store struct {
	mu     sync.Mutex
	tokens []inventorum.Token
	fail   error
}

func (s *store) save(_ context.Context, t inventorum.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.tokens = append(s.tokens, t)
	return nil
}

func (s *store) refreshTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, t := range s.tokens {
		out = append(out, t.RefreshToken)
	}
	return out
}

func newOAuth(t *testing.T, tok inventorum.Token, opts ...orderkit.Option) (*inventorumtest.Server, *inventorum.Client, *store, *clock) {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	st := &store{}
	clk := &clock{t: t0}
	c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
		ClientID: inventorumtest.DefaultClientID, ClientSecret: inventorumtest.DefaultClientSecret,
		Token: tok, OnRefresh: st.save, Now: clk.now,
	}, append([]orderkit.Option{orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRetry(0, 0, time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return fake, c, st, clk
}

func TestOAuthRefreshWhenMissingAndBeforeExpiry(t *testing.T) {
	fake, c, st, clk := newOAuth(t, inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken})
	ctx := context.Background()
	_, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, fake.Refreshes())
	assert.Equal(t, []string{"fake-refresh-1"}, st.refreshTokens())
	tok, ok := c.Token()
	require.True(t, ok)
	assert.Equal(t, "fake-access-1", tok.AccessToken)
	assert.Equal(t, t0.Add(24*time.Hour), tok.Expiry)

	clk.add(23 * time.Hour)
	_, err = c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, fake.Refreshes(), "not yet")

	clk.add(58 * time.Minute) // 2 minutes before expiry
	_, err = c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, fake.Refreshes())
	assert.Equal(t, []string{"fake-refresh-1", "fake-refresh-2"}, st.refreshTokens(), "every rotated refresh token is handed over")
	assert.Equal(t, fake.CurrentRefreshToken(), st.refreshTokens()[1])
}

func TestOAuthRefreshOnceAfter401(t *testing.T) {
	fake, c, st, _ := newOAuth(t, inventorum.Token{AccessToken: inventorumtest.DefaultAccessToken, RefreshToken: inventorumtest.DefaultRefreshToken})
	ctx := context.Background()
	_, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	assert.Equal(t, 0, fake.Refreshes(), "a token without expiry is used until 401")

	fake.ExpireAccessTokens()
	// A basket POST refused with 401 was not acted on: it is sent again
	// once with the new token, and one order results.
	before := fake.Len()
	res, err := c.Basket.Create(ctx, &inventorum.BasketRequest{Items: []inventorum.BasketItem{{Product: 1, Quantity: 1, Price: money.MustParse("1.5")}}})
	require.NoError(t, err)
	assert.NotZero(t, res.ID)
	assert.Equal(t, before+1, fake.Len())
	assert.Equal(t, 2, fake.Count("POST", "/api/basket/"))
	assert.Equal(t, 1, fake.Refreshes())
	assert.Equal(t, []string{"fake-refresh-1"}, st.refreshTokens())

	// A 401 that refreshing does not cure is returned after one repeat.
	fake.FailNext(401, `{"detail": "Invalid token."}`)
	fake.FailNext(401, `{"detail": "Invalid token."}`)
	_, err = c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.ErrorIs(t, err, orderkit.ErrUnauthorized)
	assert.Equal(t, 2, fake.Refreshes())
}

func TestOAuthConcurrentCallsRefreshOnce(t *testing.T) {
	fake, c, st, _ := newOAuth(t, inventorum.Token{AccessToken: inventorumtest.DefaultAccessToken, RefreshToken: inventorumtest.DefaultRefreshToken})
	fake.ExpireAccessTokens()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{}); err != nil {
				failed.Add(1)
				t.Log(err)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failed.Load())
	assert.Equal(t, 1, fake.Refreshes(), "one refresh for all; a second would send a dead refresh token")
	assert.Len(t, st.refreshTokens(), 1)
}

func TestOAuthCallbackFailureIsRetried(t *testing.T) {
	fake, c, st, _ := newOAuth(t, inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken})
	st.fail = errors.New("disk full")
	_, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	st.mu.Lock()
	st.fail = nil
	st.mu.Unlock()
	_, err = c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, fake.Refreshes(), "the token is offered again, not refreshed again")
	assert.Equal(t, []string{"fake-refresh-1"}, st.refreshTokens())
}

func TestOAuthSecretsScrubbed(t *testing.T) {
	fake, c, _, _ := newOAuth(t, inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken})
	ctx := context.Background()
	_, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.NoError(t, err)
	tok, _ := c.Token()
	fake.FailNext(400, `{"detail": "token `+tok.AccessToken+` refresh `+tok.RefreshToken+` secret `+inventorumtest.DefaultClientSecret+`"}`)
	_, err = c.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.Error(t, err)
	for _, s := range []string{tok.AccessToken, tok.RefreshToken, inventorumtest.DefaultClientSecret} {
		assert.NotContains(t, err.Error(), s)
	}
	var e *orderkit.Error
	require.ErrorAs(t, err, &e)
	assert.NotContains(t, e.Body, tok.RefreshToken)

	// A refresh token the server no longer accepts: a clear 400.
	_, c2, _, _ := newOAuth(t, inventorum.Token{RefreshToken: "dead-refresh-token"})
	_, err = c2.Orders.Delta(ctx, &inventorum.DeltaOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid_grant")
	assert.NotContains(t, err.Error(), "dead-refresh-token")
}

func TestOAuthConfigValidated(t *testing.T) {
	_, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{ClientID: "a", ClientSecret: "b"})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
	_, err = inventorum.NewOAuth2Client(inventorum.OAuth2Config{Token: inventorum.Token{RefreshToken: "r"}})
	require.ErrorIs(t, err, orderkit.ErrInvalidArgument)
}

func TestOAuthCallWaitingForTheCallbackDoesNotRefreshAgain(t *testing.T) {
	fake := inventorumtest.NewServer()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	entered, release := make(chan struct{}), make(chan struct{})
	var stored []string
	var mu sync.Mutex
	c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
		ClientID: inventorumtest.DefaultClientID, ClientSecret: inventorumtest.DefaultClientSecret,
		Token: inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken},
		OnRefresh: func(_ context.Context, tok inventorum.Token) error {
			mu.Lock()
			stored = append(stored, tok.RefreshToken)
			first := len(stored) == 1
			mu.Unlock()
			if first {
				close(entered)
				<-release
			}
			return nil
		},
	}, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRetry(0, 0, time.Millisecond))
	require.NoError(t, err)
	ctx := context.Background()
	errA, errB := make(chan error, 1), make(chan error, 1)
	go func() { _, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{}); errA <- err }()
	<-entered
	// A second call starts while the first one's new token is still being
	// stored: it waits for the callback, then uses that token.
	go func() { _, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{}); errB <- err }()
	time.Sleep(100 * time.Millisecond)
	close(release)
	require.NoError(t, <-errA)
	require.NoError(t, <-errB)
	assert.Equal(t, 1, fake.Refreshes(), "a second refresh would rotate the token the callback is storing")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"fake-refresh-1"}, stored)
}

func TestTokenAndConfigNeverPrintSecrets(t *testing.T) {
	tok := inventorum.Token{AccessToken: "acc-secret-1", RefreshToken: "ref-secret-2", TokenType: "Bearer", Scope: "orders", Expiry: t0}
	cfg := inventorum.OAuth2Config{ClientID: "client-7", ClientSecret: "cli-secret-3", Token: tok}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	logger.Info("token", "tok", tok, "cfg", cfg)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("token", "tok", tok, "cfg", cfg)
	for _, out := range []string{
		fmt.Sprintf("%v %+v %#v", tok, tok, tok),
		fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg),
		fmt.Sprintf("%v", &cfg),
		logs.String(),
	} {
		for _, secret := range []string{"acc-secret-1", "ref-secret-2", "cli-secret-3"} {
			assert.NotContains(t, out, secret)
		}
		assert.Contains(t, out, "orders", "the harmless fields stay readable")
	}
	// Storing a token as JSON keeps it whole: that is what it is for.
	b, err := json.Marshal(tok)
	require.NoError(t, err)
	assert.Contains(t, string(b), "ref-secret-2")
}

// A token living less than the refresh margin (expires_in 120 or 10) is
// refreshed about once per lifetime, not on every call, and parallel
// callers still share one refresh.
func TestOAuthShortLivedTokenRefreshedOncePerLifetime(t *testing.T) {
	for _, lifetime := range []time.Duration{120 * time.Second, 10 * time.Second} {
		t.Run(lifetime.String(), func(t *testing.T) {
			fake, c, st, clk := newOAuth(t, inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken}, orderkit.WithRateLimit(0, 0))
			fake.SetTokenLifetime(lifetime)
			ctx := context.Background()
			// Ten lifetimes, twenty calls per lifetime.
			step := lifetime / 20
			for i := 0; i < 200; i++ {
				_, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{Limit: 1})
				require.NoError(t, err)
				clk.add(step)
			}
			// Refreshed once more than three quarters of the lifetime are
			// gone: on the first call, then every 16th.
			assert.Equal(t, 1+199/16, fake.Refreshes())
			assert.Len(t, st.refreshTokens(), fake.Refreshes(), "every rotated refresh token is handed over")
			assert.Equal(t, fake.CurrentRefreshToken(), st.refreshTokens()[len(st.refreshTokens())-1])
			tok, ok := c.Token()
			require.True(t, ok)
			assert.True(t, tok.Expiry.After(clk.now()), "the token in use has not expired")

			// Let the token go stale, then call from many goroutines: one
			// refresh serves them all.
			clk.add(lifetime)
			before := fake.Refreshes()
			var wg sync.WaitGroup
			for i := 0; i < 16; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.Orders.Delta(ctx, &inventorum.DeltaOptions{Limit: 1})
					assert.NoError(t, err)
				}()
			}
			wg.Wait()
			assert.Equal(t, before+1, fake.Refreshes())
		})
	}
}
