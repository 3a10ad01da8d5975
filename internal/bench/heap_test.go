package bench

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSyncPeakHeapIsFlat syncs feeds of 10,000 and 100,000 orders and
// checks that the peak heap of the larger run is not proportionally larger
// (Sync keeps one page and the checkpoint, not the orders it has yielded)
// and stays under 8 MiB.
// The heap is sampled every 100 orders; it includes the loopback server's
// few buffers, which do not grow with the feed either.
//
// It decodes about 120 MB of JSON, which takes seconds without the race
// detector and minutes with it, so it is skipped with -race and -short:
// run it as
//
//	go test -run TestSyncPeakHeapIsFlat -count=1 ./internal/bench/
func TestSyncPeakHeapIsFlat(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("decodes 110,000 orders; run without -race and -short")
	}
	peak := func(orders int) uint64 {
		s := newServer(t, orders)
		c := inventorumClient(t, s)
		var h heapPeak
		runtime.GC()
		h.sample()
		base := h.peak
		n, err := sdkSync(context.Background(), c, &h)
		require.NoError(t, err)
		require.Equal(t, orders, n)
		t.Logf("%d orders: HeapInuse %d B before, peak %d B during the sync", orders, base, h.peak)
		return h.peak
	}
	small, large := peak(10_000), peak(100_000)
	// Ten times the orders; the heap may differ by GC timing, not by the
	// number of orders.
	const slack = 4 << 20
	assert.Less(t, large, 2*small+slack, "peak heap grows with the number of orders synced: %d B for 10k, %d B for 100k", small, large)
	// Issue #12's bound on the 100k sync, loopback server included.
	const bound = 8 << 20
	assert.Less(t, large, uint64(bound), "peak heap of the 100k sync: %d B, over 8 MiB", large)
}
