// Package redisfleet implements the seams a fleet of Inventorum workers
// shares on Redis: orderkit.Limiter (GCRA, through redis_rate),
// inventorum.TokenStore and inventorum.CheckpointStore (Lua scripts, so
// that every compare-and-swap is one atomic step in Redis). Every key of
// one account and channel shares a hash tag, so they work on a Redis
// Cluster too.
//
// What they assume of Redis: one primary (or a cluster) that every worker
// reaches, and persistence (AOF, appendonly yes) for the tokens, the
// checkpoints and the fencing counters — a Redis that loses its data loses
// the refresh token (the account must be authorised again, or the token
// restored from an OnRefresh copy) and the checkpoints (every order is
// delivered again, from the beginning or SyncOptions.Since).
package redisfleet

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Limiter is an orderkit.Limiter shared by every process that uses the same
// Redis and key: a generic cell rate algorithm (redis_rate's Lua script on
// Redis's clock), so the processes together pass at most perSecond
// requests a second after a burst of at most burst.
type Limiter struct {
	rl    *redis_rate.Limiter
	key   string
	limit redis_rate.Limit
}

// NewLimiter returns a Limiter of perSecond requests a second with a burst
// of burst, under key. Give the burst some room below the server's own
// (Inventorum's is read as 20): a request that leaves the limiter is still
// on its way, and requests that travel at different speeds arrive closer
// together than they left.
func NewLimiter(rdb *redis.Client, key string, perSecond, burst int) *Limiter {
	return &Limiter{
		rl:    redis_rate.NewLimiter(rdb),
		key:   key,
		limit: redis_rate.Limit{Rate: perSecond, Burst: burst, Period: time.Second},
	}
}

// Wait blocks until a request may be sent, or ctx ends; it fails at once
// when ctx's deadline comes before the request's turn, and with Redis's
// error when Redis does not answer.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		res, err := l.rl.Allow(ctx, l.key, l.limit)
		if err != nil {
			return fmt.Errorf("redisfleet: rate limit: %w", err)
		}
		if res.Allowed > 0 {
			return nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < res.RetryAfter {
			return fmt.Errorf("redisfleet: rate limit: the next turn is %s away, past the deadline: %w", res.RetryAfter, context.DeadlineExceeded)
		}
		t := time.NewTimer(res.RetryAfter)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
