package inventorum_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Retries asked for on the client and on the call still never send a
// basket twice that the server may have read: a 502 after the POST, a
// dropped connection or a cut-off answer each cost exactly one POST, and
// the lookup that follows only reads.
func TestCreateNeverRetriedWhateverTheRetrySettings(t *testing.T) {
	for name, tc := range map[string]struct {
		fault   func(*inventorumtest.Server)
		created bool
	}{
		"502 after acting":     {func(f *inventorumtest.Server) { f.FailNextAfterActing(http.StatusBadGateway, "") }, true},
		"dropped after acting": {(*inventorumtest.Server).DropNextAfterActing, true},
		"dropped before":       {(*inventorumtest.Server).DropNextBeforeActing, false},
		"truncated":            {(*inventorumtest.Server).TruncateNextAfterActing, true},
	} {
		t.Run(name, func(t *testing.T) {
			fake, c := newFake(t, orderkit.WithRetry(5, time.Millisecond, time.Millisecond))
			addPendingBasket(fake, time.Now())
			tc.fault(fake)
			res, err := c.Basket.Create(context.Background(), sampleBasket(), orderkit.Reference("ERP-1"), orderkit.CallRetry(5, time.Millisecond, time.Millisecond), orderkit.ResolveOutcome())
			if tc.created {
				// The server made the basket: the lookup finds it.
				require.NoError(t, err)
				require.NotNil(t, res.Order, "found by the lookup")
				checkFound(t, res.Order, sampleBasket())
				assert.Equal(t, 2, fake.Len(), "one basket, and another customer's")
			} else {
				require.ErrorIs(t, err, orderkit.ErrNotCreated)
				assert.Equal(t, 1, fake.Len(), "no basket but another customer's")
			}
			assert.Equal(t, 1, fake.Count("POST", basketPath), "exactly one POST")
			assert.Equal(t, 7, fake.Count("GET", "/api/orders/delta/"), "one lookup per channel")
		})
	}
	// A 503 with Retry-After turned the POST away unread: it is sent
	// again, and one basket is made.
	fake, c := newFake(t, orderkit.WithRetry(5, time.Millisecond, time.Millisecond))
	fake.FailNextRetryAfter(http.StatusServiceUnavailable, time.Millisecond, "")
	res, err := c.Basket.Create(context.Background(), sampleBasket(), orderkit.CallRetry(5, time.Millisecond, time.Millisecond), orderkit.ResolveOutcome())
	require.NoError(t, err)
	assert.Nil(t, res.Order, "the answer arrived: no lookup")
	assert.Equal(t, 2, fake.Count("POST", basketPath))
	assert.Equal(t, 0, fake.Count("GET", "/api/orders/delta/"))
	assert.Equal(t, 1, fake.Len())
}
