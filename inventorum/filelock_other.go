//go:build !unix

package inventorum

import (
	"context"
	"path/filepath"
	"sync"
)

// fileLocks holds one semaphore per lock path.
var fileLocks sync.Map // string -> chan struct{}

// lockFile takes an exclusive lock for path within this process only:
// outside unix there is no advisory file lock in the standard library, so
// the file stores serve one process there.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	v, _ := fileLocks.LoadOrStore(abs, make(chan struct{}, 1))
	sem := v.(chan struct{})
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
