// Command fleet is a worker of a fleet that syncs the orders of many
// Inventorum accounts, every channel of each, into one place: run as many
// as you like, on as many machines, against one Redis, and together they
// behave as one careful client. For each account they share:
//
//   - one rate limit (a GCRA in Redis): 20 requests a second in all;
//   - one token (inventorum.TokenStore on Redis): one worker refreshes it
//     once per lifetime and stores the rotated refresh token by
//     compare-and-swap, the others wait and read it;
//   - one syncer per channel (inventorum.CheckpointStore on Redis): a lease
//     with a fencing token per (account, channel), and the checkpoint
//     saved by compare-and-swap after every order.
//
// With REDIS_URL set it reads the accounts from the JSON file named by
// FLEET_ACCOUNTS ([{"name", "base_url", "client_id", "client_secret",
// "refresh_token"}], the refresh token only seeding an empty store) and
// runs until SIGINT or SIGTERM, printing each order, or appending it to
// -ledger:
//
//	REDIS_URL=redis://localhost:6379 FLEET_ACCOUNTS=accounts.json go run .
//
// Without REDIS_URL it runs on a fresh machine with nothing but Go: three
// workers in this one process on the SDK's in-memory stores, against three
// fake accounts (inventorumtest behind the vendor's limits), and prints
// what they synced:
//
//	go run .
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/examples/fleet/fakevendor"
	"github.com/orderkit/orderkit/examples/fleet/redisfleet"
	"github.com/orderkit/orderkit/examples/fleet/worker"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(1)
	}
}

// accountJSON is one entry of FLEET_ACCOUNTS.
type accountJSON struct {
	Name         string `json:"name"`
	BaseURL      string `json:"base_url"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RefreshToken string `json:"refresh_token"`
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ledger := fs.String("ledger", "", "append each order as `file` lines \"account id delta-time\" instead of printing it")
	maxLeases := fs.Int("max-leases", 0, "sync at most this many (account, channel) keys at once (0: no bound)")
	leaseTTL := fs.Duration("lease-ttl", 10*time.Second, "lease time of a key")
	pageSize := fs.Int("page-size", 0, "delta page size (0: 100)")
	burst := fs.Int("burst", 10, "the shared limiter's burst, below the server's 20")
	duration := fs.Duration("for", 0, "stop after this long (0: run until SIGINT or SIGTERM; without REDIS_URL 4s)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := worker.Options{
		Sync:      inventorum.LeasedSyncOptions{LeaseTTL: *leaseTTL, Sync: &inventorum.SyncOptions{PageSize: *pageSize}},
		MaxLeases: *maxLeases,
		Logger:    slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if getenv("REDIS_URL") == "" {
		if *duration == 0 {
			*duration = 4 * time.Second
		}
		return demo(ctx, *duration, opts, stdout)
	}
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	ropt, err := redis.ParseURL(getenv("REDIS_URL"))
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(ropt)
	defer rdb.Close()
	b, err := os.ReadFile(getenv("FLEET_ACCOUNTS"))
	if err != nil {
		return fmt.Errorf("FLEET_ACCOUNTS: %w", err)
	}
	var list []accountJSON
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("FLEET_ACCOUNTS: %w", err)
	}
	accounts := make([]worker.Account, len(list))
	for i, a := range list {
		accounts[i] = worker.Account(a)
	}
	const prefix = "orderkit:inventorum"
	stores := worker.Stores{
		Limiter: func(a string) orderkit.Limiter {
			return redisfleet.NewLimiter(rdb, prefix+":{"+a+"}:rate", inventorum.DefaultRateLimit, *burst)
		},
		Tokens:      func(a string) inventorum.TokenStore { return redisfleet.NewTokenStore(rdb, prefix+":{"+a+"}") },
		Checkpoints: redisfleet.NewCheckpointStore(rdb, prefix),
	}
	out := stdout
	if *ledger != "" {
		// O_APPEND and one write per order: a line is in the file once
		// handle returns, whatever happens to the process after.
		f, err := os.OpenFile(*ledger, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	var mu sync.Mutex
	return worker.Run(ctx, accounts, stores, opts, func(_ context.Context, account string, o inventorum.Order) error {
		mu.Lock()
		defer mu.Unlock()
		_, err := fmt.Fprintf(out, "%s %d %d\n", account, o.ID, o.DeltaTime().UnixNano())
		return err
	})
}

// demo runs three workers in this process on the in-memory stores
// against three fake accounts, while orders arrive, and prints a summary.
func demo(ctx context.Context, d time.Duration, opts worker.Options, stdout io.Writer) error {
	vendor := fakevendor.New(3, inventorum.DefaultRateLimit, inventorum.DefaultRateLimit, time.Hour)
	srv := httptest.NewServer(vendor)
	defer srv.Close()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var accounts []worker.Account
	limiters := map[string]orderkit.Limiter{}
	tokens := map[string]inventorum.TokenStore{}
	for _, name := range vendor.Names() {
		vendor.Account(name).Fake.GenerateOrders(500, start, time.Minute)
		accounts = append(accounts, worker.Account{
			Name: name, BaseURL: fakevendor.BaseURL(srv.URL, name),
			ClientID: inventorumtest.DefaultClientID, ClientSecret: inventorumtest.DefaultClientSecret,
			RefreshToken: inventorumtest.DefaultRefreshToken,
		})
		limiters[name] = rate.NewLimiter(inventorum.DefaultRateLimit, 10)
		tokens[name] = inventorum.NewMemoryTokenStore(inventorum.Token{})
	}
	stores := worker.Stores{
		Limiter:     func(a string) orderkit.Limiter { return limiters[a] },
		Tokens:      func(a string) inventorum.TokenStore { return tokens[a] },
		Checkpoints: inventorum.NewMemoryCheckpointStore(),
	}
	opts.Logger = nil // the end of the demo cuts waits short; nothing to report
	if opts.Sync.LeaseTTL > 2*time.Second {
		opts.Sync.LeaseTTL = 2 * time.Second
	}
	opts.Poll = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	// New orders keep arriving while the workers run.
	go func() {
		for i := 0; ctx.Err() == nil; i++ {
			name := vendor.Names()[i%3]
			at := time.Now().UTC()
			vendor.Account(name).Fake.AddOrder(inventorum.Order{State: 360, Channel: inventorum.Channels[i%len(inventorum.Channels)], TimeAdded: at, CompletedAt: at})
			time.Sleep(20 * time.Millisecond)
		}
	}()
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = worker.Run(ctx, accounts, stores, opts, func(_ context.Context, account string, o inventorum.Order) error {
				mu.Lock()
				got[fmt.Sprintf("%s %d %d", account, o.ID, o.DeltaTime().UnixNano())]++
				mu.Unlock()
				return nil
			})
		}()
	}
	wg.Wait()
	perAccount := map[string][2]int{}
	for k, n := range got {
		a := strings.Fields(k)[0]
		c := perAccount[a]
		c[0]++
		c[1] += n - 1
		perAccount[a] = c
	}
	names := vendor.Names()
	sort.Strings(names)
	fmt.Fprintf(stdout, "3 workers in one process, in-memory stores, %s against 3 fake accounts (set REDIS_URL for a fleet):\n", d)
	for _, name := range names {
		st := vendor.Account(name).Stats()
		fmt.Fprintf(stdout, "  %s: %d order versions synced, %d twice; %d requests, %d answered 429, %d token refreshes (%d failed)\n",
			name, perAccount[name][0], perAccount[name][1], st.Requests, st.Throttled, st.Refreshes, st.RefreshFailures)
	}
	return nil
}
