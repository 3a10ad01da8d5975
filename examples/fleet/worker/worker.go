// Package worker is one worker of the fleet: it syncs every channel of
// every account it is given, one SyncLeased run per (account, channel) at
// a time, taking whichever keys no other worker holds.
package worker

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/inventorum"
)

// Account is one Inventorum account the fleet syncs.
type Account struct {
	Name         string
	BaseURL      string
	ClientID     string
	ClientSecret string
	// RefreshToken seeds the account's token store when it is empty.
	RefreshToken string
}

// Stores are the shared seams: per account a limiter and a token store,
// and one checkpoint store.
type Stores struct {
	Limiter     func(account string) orderkit.Limiter
	Tokens      func(account string) inventorum.TokenStore
	Checkpoints inventorum.CheckpointStore
}

// Options tune a worker.
type Options struct {
	Channels []inventorum.Channel // default: every channel
	Sync     inventorum.LeasedSyncOptions
	// Poll is the pause after a key has been read through (default 1 s);
	// a key another worker holds is tried again after LeaseTTL/3.
	Poll time.Duration
	// MaxLeases bounds the keys this worker syncs at once (0: no bound),
	// so that the keys spread over the fleet.
	MaxLeases int
	Logger    *slog.Logger
}

// Handler receives each order of each account; an error leaves the order
// unfinished (it is delivered again).
type Handler func(ctx context.Context, account string, o inventorum.Order) error

// Run syncs until ctx ends.
func Run(ctx context.Context, accounts []Account, st Stores, opts Options, handle Handler) error {
	if opts.Poll == 0 {
		opts.Poll = time.Second
	}
	if len(opts.Channels) == 0 {
		opts.Channels = inventorum.Channels
	}
	ttl := opts.Sync.LeaseTTL
	if ttl == 0 {
		ttl = 30 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var sem chan struct{}
	if opts.MaxLeases > 0 {
		sem = make(chan struct{}, opts.MaxLeases)
	}
	type job struct {
		c   *inventorum.Client
		key inventorum.CheckpointKey
	}
	var jobs []job
	for _, acct := range accounts {
		c, err := inventorum.NewOAuth2Client(inventorum.OAuth2Config{
			ClientID: acct.ClientID, ClientSecret: acct.ClientSecret,
			Token: inventorum.Token{RefreshToken: acct.RefreshToken},
			Store: st.Tokens(acct.Name),
		}, orderkit.WithBaseURL(acct.BaseURL), orderkit.WithLimiter(st.Limiter(acct.Name)),
			orderkit.WithRetry(5, 100*time.Millisecond, 2*time.Second), orderkit.WithTimeout(10*time.Second))
		if err != nil {
			return err
		}
		for _, ch := range opts.Channels {
			jobs = append(jobs, job{c, inventorum.CheckpointKey{Account: acct.Name, Channel: ch}})
		}
	}
	// Each worker starts on the keys in another order, so that the
	// channels of one account spread over the fleet (a worker that dies
	// then stalls a few channels of many accounts, not whole accounts).
	rand.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
	var wg sync.WaitGroup
	for _, j := range jobs {
		c, key := j.c, j.key
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := func(ctx context.Context, o inventorum.Order) error { return handle(ctx, key.Account, o) }
			for ctx.Err() == nil {
				pause := opts.Poll
				if sem != nil {
					select {
					case sem <- struct{}{}:
					case <-ctx.Done():
						return
					}
				}
				n, err := c.Orders.SyncLeased(ctx, st.Checkpoints, key, &opts.Sync, h)
				if sem != nil {
					<-sem
				}
				switch {
				case errors.Is(err, inventorum.ErrLeaseHeld):
					pause = ttl / 3
				case err != nil && ctx.Err() == nil:
					log.Warn("sync", "key", key.String(), "handled", n, "err", err)
					pause = 200 * time.Millisecond
				case err == nil && n > 0:
					pause = 0 // more may have come meanwhile
				}
				// Jitter, so that the workers do not knock in step.
				t := time.NewTimer(pause + time.Duration(rand.Int64N(int64(pause/4+time.Millisecond))))
				select {
				case <-ctx.Done():
					t.Stop()
				case <-t.C:
				}
			}
		}()
	}
	wg.Wait()
	return nil
}
