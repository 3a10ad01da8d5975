package inventorum_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A token endpoint that answers an expires_in too large for a
// time.Duration (10^10 seconds, some 300 years) gives a token that lives
// long (capped at ten years), not one already expired: it is refreshed once, not on
// every call.
func TestOAuthHugeExpiresInRefreshesOnce(t *testing.T) {
	fake := inventorumtest.NewServer()
	var refreshes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/auth/token/") {
			n := refreshes.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token": %q, "token_type": "Bearer", "expires_in": 10000000000, "refresh_token": "rotated-%d"}`, inventorumtest.DefaultAccessToken, n)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	clk := &clock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
		ClientID: inventorumtest.DefaultClientID, ClientSecret: inventorumtest.DefaultClientSecret,
		Token: inventorum.Token{RefreshToken: inventorumtest.DefaultRefreshToken}, Now: clk.now,
	}, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)), orderkit.WithRetry(0, 0, time.Millisecond), orderkit.WithRateLimit(0, 0))
	require.NoError(t, err)
	for i := 0; i < 5; i++ {
		_, err := c.Orders.Delta(context.Background(), &inventorum.DeltaOptions{Limit: 1})
		require.NoError(t, err)
		clk.add(24 * time.Hour)
	}
	assert.EqualValues(t, 1, refreshes.Load())
	tok, ok := c.Token()
	require.True(t, ok)
	assert.True(t, tok.Expiry.After(clk.now().Add(300*24*time.Hour)), "expiry %s", tok.Expiry)
	assert.True(t, tok.Expiry.Before(clk.now().Add(11*365*24*time.Hour)), "expiry %s: the lifetime is capped at ten years", tok.Expiry)
}
