package inventorum_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Retries asked for on the client and on the call still never send a
// basket twice that the server may have read: a 502 after the POST, a
// dropped connection or a cut-off answer each cost exactly one POST, and
// the lookup that follows only reads.
func TestCreateNeverRetriedWhateverTheRetrySettings(t *testing.T) {
	for name, fault := range map[string]func(*inventorumtest.Server){
		"502 after acting":     func(f *inventorumtest.Server) { f.FailNextAfterActing(http.StatusBadGateway, "") },
		"dropped after acting": (*inventorumtest.Server).DropNextAfterActing,
		"dropped before":       (*inventorumtest.Server).DropNextBeforeActing,
		"truncated":            (*inventorumtest.Server).TruncateNextAfterActing,
	} {
		t.Run(name, func(t *testing.T) {
			fake, c := newFake(t, inventorum.WithRetry(5, time.Millisecond, time.Millisecond))
			fault(fake)
			_, err := c.Basket.Create(context.Background(), sampleBasket(), inventorum.CallRetry(5, time.Millisecond, time.Millisecond), inventorum.ResolveOutcome())
			if err != nil {
				require.ErrorIs(t, err, inventorum.ErrNotCreated, "the only error a lookup that found nothing gives")
			}
			assert.Equal(t, 1, fake.Count("POST", basketPath), "exactly one POST")
			assert.Equal(t, 7, fake.Count("GET", "/api/orders/delta/"), "one lookup per channel")
			assert.LessOrEqual(t, fake.Len(), 1, "at most one basket")
		})
	}

	// A 503 with Retry-After turned the POST away unread: it is sent
	// again, and one basket is made.
	fake, c := newFake(t, inventorum.WithRetry(5, time.Millisecond, time.Millisecond))
	fake.FailNextRetryAfter(http.StatusServiceUnavailable, time.Millisecond, "")
	res, err := c.Basket.Create(context.Background(), sampleBasket(), inventorum.CallRetry(5, time.Millisecond, time.Millisecond), inventorum.ResolveOutcome())
	require.NoError(t, err)
	assert.Nil(t, res.Order, "the answer arrived: no lookup")
	assert.Equal(t, 2, fake.Count("POST", basketPath))
	assert.Equal(t, 0, fake.Count("GET", "/api/orders/delta/"))
	assert.Equal(t, 1, fake.Len())
}
