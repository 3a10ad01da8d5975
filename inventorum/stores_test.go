package inventorum_test

import (
	"path/filepath"
	"testing"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/storetest"
	"golang.org/x/time/rate"
)

// The contract suites of package storetest, on the stores the SDK ships.

func TestMemoryTokenStore(t *testing.T) {
	storetest.TestTokenStore(t, func(t *testing.T) func() inventorum.TokenStore {
		s := inventorum.NewMemoryTokenStore(inventorum.Token{})
		return func() inventorum.TokenStore { return s }
	})
}

func TestFileTokenStore(t *testing.T) {
	storetest.TestTokenStore(t, func(t *testing.T) func() inventorum.TokenStore {
		path := filepath.Join(t.TempDir(), "token.json")
		return func() inventorum.TokenStore { return inventorum.NewFileTokenStore(path) }
	})
}

func TestMemoryCheckpointStore(t *testing.T) {
	storetest.TestCheckpointStore(t, func(t *testing.T) func() inventorum.CheckpointStore {
		s := inventorum.NewMemoryCheckpointStore()
		return func() inventorum.CheckpointStore { return s }
	})
}

func TestFileCheckpointStore(t *testing.T) {
	storetest.TestCheckpointStore(t, func(t *testing.T) func() inventorum.CheckpointStore {
		dir := t.TempDir()
		return func() inventorum.CheckpointStore { return inventorum.NewFileCheckpointStore(dir) }
	})
}

func TestRateLimiterContract(t *testing.T) {
	l := rate.NewLimiter(20, 5)
	storetest.TestLimiter(t, func() orderkit.Limiter { return l }, 20, 5)
}
