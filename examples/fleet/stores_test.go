package main

import (
	"path/filepath"
	"testing"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/storetest"
	"golang.org/x/time/rate"
)

// Without REDIS_URL the fleet module runs the contract suites on the
// stores the SDK ships (redisfleet's tests run them on Redis).

func TestSDKTokenStores(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		storetest.TestTokenStore(t, func(t *testing.T) func() inventorum.TokenStore {
			s := inventorum.NewMemoryTokenStore(inventorum.Token{})
			return func() inventorum.TokenStore { return s }
		})
	})
	t.Run("file", func(t *testing.T) {
		storetest.TestTokenStore(t, func(t *testing.T) func() inventorum.TokenStore {
			p := filepath.Join(t.TempDir(), "token.json")
			return func() inventorum.TokenStore { return inventorum.NewFileTokenStore(p) }
		})
	})
}

func TestSDKCheckpointStores(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		storetest.TestCheckpointStore(t, func(t *testing.T) func() inventorum.CheckpointStore {
			s := inventorum.NewMemoryCheckpointStore()
			return func() inventorum.CheckpointStore { return s }
		})
	})
	t.Run("file", func(t *testing.T) {
		storetest.TestCheckpointStore(t, func(t *testing.T) func() inventorum.CheckpointStore {
			d := t.TempDir()
			return func() inventorum.CheckpointStore { return inventorum.NewFileCheckpointStore(d) }
		})
	})
}

func TestSDKLimiter(t *testing.T) {
	l := rate.NewLimiter(20, 5)
	storetest.TestLimiter(t, func() orderkit.Limiter { return l }, 20, 5)
}
