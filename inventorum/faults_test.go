package inventorum_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fake's shared fault vocabulary, seen from the client.
func TestFakeFaults(t *testing.T) {
	ctx := context.Background()
	delta := inventorum.DeltaOptions{}
	const path = "/api/orders/delta/"

	t.Run("FailNextRetryAfter", func(t *testing.T) {
		fake, c := newFake(t)
		fake.FailNextRetryAfter(http.StatusTooManyRequests, 1500*time.Millisecond, `{"detail": "Request was throttled."}`)
		_, err := c.Orders.Delta(ctx, &delta, orderkit.NoRetry())
		require.ErrorIs(t, err, orderkit.ErrRateLimited)
		var e *orderkit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 2*time.Second, e.RetryAfter, "rounded up to whole seconds")
		assert.Equal(t, "Request was throttled.", e.Message)
		// The fault is spent: the next call is served.
		_, err = c.Orders.Delta(ctx, &delta)
		require.NoError(t, err)
		assert.Equal(t, 2, fake.Count("GET", path), "faulted requests count")
	})
	t.Run("FailNext queues in order", func(t *testing.T) {
		fake, c := newFake(t)
		fake.FailNext(http.StatusNotFound, `{"detail": "Not found."}`)
		fake.FailNext(http.StatusForbidden, `{"detail": "No."}`)
		_, err := c.Orders.Delta(ctx, &delta)
		assert.ErrorIs(t, err, orderkit.ErrNotFound)
		_, err = c.Orders.Delta(ctx, &delta)
		assert.ErrorIs(t, err, orderkit.ErrForbidden)
		_, err = c.Orders.Delta(ctx, &delta)
		assert.NoError(t, err)
		assert.Equal(t, 3, fake.Count("GET", path))
	})
	t.Run("DelayNext", func(t *testing.T) {
		fake, c := newFake(t)
		fake.DelayNext(time.Minute)
		_, err := c.Orders.Delta(ctx, &delta, orderkit.CallTimeout(30*time.Millisecond))
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
		assert.Equal(t, 1, fake.Count("GET", path))
		_, err = c.Orders.Delta(ctx, &delta)
		require.NoError(t, err, "the delay is spent")
	})
	t.Run("DropNextBeforeActing on a GET is retried", func(t *testing.T) {
		fake, c := newFake(t, orderkit.WithRetry(1, 0, time.Millisecond))
		fake.DropNextBeforeActing()
		_, err := c.Orders.Delta(ctx, &delta)
		require.NoError(t, err)
		assert.Equal(t, 2, fake.Count("GET", path))
	})
	t.Run("answers carry the fake's clock", func(t *testing.T) {
		fake, c := newFake(t)
		at := time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)
		fake.SetClock(func() time.Time { return at })
		var meta orderkit.Response
		_, err := c.Orders.Delta(ctx, &delta, orderkit.CaptureResponse(&meta))
		require.NoError(t, err)
		assert.Equal(t, "Mon, 03 Jun 2024 09:00:00 GMT", meta.Header.Get("Date"))
	})
}
