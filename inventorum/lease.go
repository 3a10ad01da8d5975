package inventorum

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// LeasedSyncOptions tune SyncLeased. The zero value holds 30-second leases
// and saves after every order.
type LeasedSyncOptions struct {
	// Sync tunes the sync itself; its Channels are replaced by the key's
	// channel.
	Sync *SyncOptions
	// LeaseTTL is how long a lease lasts unless renewed (default 30 s); it
	// is renewed every third of it.
	LeaseTTL time.Duration
	// SaveEvery is how many handled orders go between two saves of the
	// checkpoint (default 1): the most that a worker stopped without
	// warning (a crash, SIGKILL, a lost lease) leaves to be delivered
	// again by the next.
	SaveEvery int
}

// SyncLeased syncs the channel of one account (key) as one worker of a
// fleet: it takes the key's lease (failing at once with ErrLeaseHeld when
// another worker holds it), loads the key's checkpoint, runs Orders.Sync
// on that channel from it, hands each order to handle, saves the
// checkpoint with compare-and-swap and the lease's fencing token every
// SaveEvery orders and at the end, renews the lease while it runs, and
// releases it. It returns how many orders were handled, and nil once the
// feed has been read through.
//
// An order is finished when handle returns nil; handle's error ends the
// run with that order unfinished (delivered again by the next run). The
// run stops before handing on any order once the lease's time is up on the
// local clock without a renewal (a renewal not answered, say), or the
// store says the lease is lost: the error then matches ErrLeaseLost, and
// nothing this worker saved can overwrite what a newer lease's holder
// saved. So two workers never handle orders of one key at once while
// their clocks agree on how long a lease lasts, and an order is delivered
// twice only as Sync says, or when a worker stopped between handling it
// and the next save (at most SaveEvery orders per stop).
//
// GET /orders/delta/
func (s *OrdersService) SyncLeased(ctx context.Context, store CheckpointStore, key CheckpointKey, opts *LeasedSyncOptions, handle func(context.Context, Order) error, callOpts ...orderkit.CallOption) (handled int, err error) {
	var o LeasedSyncOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case store == nil || handle == nil:
		return 0, pipeline.Invalid(apiName, "SyncLeased needs a store and a handler")
	case !key.Channel.Valid() || key.Account == "":
		return 0, pipeline.Invalid(apiName, "SyncLeased: checkpoint key %q needs an account and a documented channel", key)
	case o.LeaseTTL < 0 || o.SaveEvery < 0:
		return 0, pipeline.Invalid(apiName, "SyncLeased: negative LeaseTTL or SaveEvery")
	}
	if o.LeaseTTL == 0 {
		o.LeaseTTL = 30 * time.Second
	}
	if o.SaveEvery == 0 {
		o.SaveEvery = 1
	}
	var so SyncOptions
	if o.Sync != nil {
		so = *o.Sync
	}
	so.Channels = []Channel{key.Channel}

	started := time.Now()
	lease, err := store.Acquire(ctx, key, o.LeaseTTL)
	if err != nil {
		return 0, err
	}
	g := &leaseGuard{store: store, lease: lease, ttl: o.LeaseTTL, until: started.Add(o.LeaseTTL)}
	runCtx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	go g.renew(runCtx, cancel, done)
	defer func() {
		cancel(nil)
		<-done
		// Release even when ctx has ended; a failure only leaves the
		// lease to expire.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = store.Release(rctx, lease)
		rcancel()
	}()

	cp, version, err := store.Load(runCtx, key)
	if err != nil {
		return 0, err
	}
	unsaved := 0
	save := func() error {
		if unsaved == 0 {
			return nil
		}
		if err := g.valid(); err != nil {
			return err
		}
		// Saved whatever runCtx says, but never past the lease.
		sctx, scancel := context.WithDeadline(context.WithoutCancel(ctx), g.deadline())
		defer scancel()
		nv, err := store.Save(sctx, key, &cp, version, lease.Fence)
		if err != nil {
			return fmt.Errorf("inventorum: saving checkpoint %s: %w", key, err)
		}
		version, unsaved = nv, 0
		return nil
	}
	for order, serr := range s.Sync(runCtx, &cp, &so, callOpts...) {
		if serr != nil {
			err = serr
			break
		}
		// cp holds every order handled so far (it advances when the loop
		// body returns).
		if err = g.valid(); err != nil {
			break
		}
		if unsaved >= o.SaveEvery {
			if err = save(); err != nil {
				break
			}
		}
		if err = handle(runCtx, order); err != nil {
			break
		}
		handled++
		unsaved++
	}
	if c := context.Cause(runCtx); err != nil && c != nil && errors.Is(c, ErrLeaseLost) {
		err = c
	}
	if errors.Is(err, ErrLeaseLost) {
		return handled, err
	}
	return handled, errors.Join(err, save())
}

// leaseGuard keeps a lease renewed and tells whether it still holds.
type leaseGuard struct {
	store CheckpointStore
	lease Lease
	ttl   time.Duration

	mu    sync.Mutex
	until time.Time // the lease's end on the local clock
	lost  error
}

func (g *leaseGuard) deadline() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

// valid reports ErrLeaseLost once the lease is lost or its time is up.
func (g *leaseGuard) valid() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.lost != nil {
		return g.lost
	}
	if !time.Now().Before(g.until) {
		return fmt.Errorf("%w: %s: not renewed in time", ErrLeaseLost, g.lease.Key)
	}
	return nil
}

// renew renews the lease every third of its time until ctx ends, and
// cancels ctx when the lease is lost.
func (g *leaseGuard) renew(ctx context.Context, cancel context.CancelCauseFunc, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(g.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		rctx, rcancel := context.WithDeadline(ctx, g.deadline())
		err := g.store.Renew(rctx, g.lease, g.ttl)
		rcancel()
		g.mu.Lock()
		switch {
		case err == nil:
			g.until = start.Add(g.ttl)
		case errors.Is(err, ErrLeaseLost):
			g.lost = err
		case !start.Before(g.until):
			g.lost = fmt.Errorf("%w: %s: renewing: %w", ErrLeaseLost, g.lease.Key, err)
		}
		lost := g.lost
		g.mu.Unlock()
		if lost != nil {
			cancel(lost)
			return
		}
	}
}
