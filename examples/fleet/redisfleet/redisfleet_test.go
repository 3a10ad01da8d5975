package redisfleet_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/examples/fleet/redisfleet"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/storetest"
	"github.com/redis/go-redis/v9"
)

// redisClient connects to REDIS_URL. Without REDIS_URL the Redis tests are
// skipped (the same suites run on the SDK's stores in stores_test.go); with
// it, a Redis that does not answer fails them.
func redisClient(t *testing.T) *redis.Client {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL is not set")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("REDIS_URL is set but Redis does not answer: %v", err)
	}
	return rdb
}

var run = fmt.Sprintf("test-%d", time.Now().UnixNano())
var seq atomic.Int64

// prefix is a key prefix no other test, run or process uses.
func prefix() string { return fmt.Sprintf("orderkit-test:%s:%d", run, seq.Add(1)) }

func TestRedisTokenStore(t *testing.T) {
	rdb := redisClient(t)
	storetest.TestTokenStore(t, func(t *testing.T) func() inventorum.TokenStore {
		p := "{" + prefix() + "}"
		return func() inventorum.TokenStore { return redisfleet.NewTokenStore(rdb, p) }
	})
}

func TestRedisCheckpointStore(t *testing.T) {
	rdb := redisClient(t)
	storetest.TestCheckpointStore(t, func(t *testing.T) func() inventorum.CheckpointStore {
		p := prefix()
		return func() inventorum.CheckpointStore {
			// Each handle its own connection pool, as another process.
			return redisfleet.NewCheckpointStore(redis.NewClient(rdb.Options()), p)
		}
	})
}

func TestRedisLimiter(t *testing.T) {
	rdb := redisClient(t)
	key := prefix()
	storetest.TestLimiter(t, func() orderkit.Limiter {
		return redisfleet.NewLimiter(redis.NewClient(rdb.Options()), key, 20, 5)
	}, 20, 5)
}
