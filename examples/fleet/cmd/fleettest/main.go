// Command fleettest runs the fleet against a server that enforces what
// Inventorum enforces, and reports what it did:
//
//	cd examples/fleet && go run ./cmd/fleettest
//
// It starts a Redis of its own (redis-server from PATH, on a loopback
// port, AOF on, in a temporary directory), a loopback server of -accounts
// Inventorum accounts (fakevendor: 20 requests per second per account,
// 429 with Retry-After beyond; refresh tokens rotated strictly and
// access tokens that expire after -token-lifetime), each with a backlog of
// -orders orders, and -workers processes of the fleet program (built from
// this module). While they run, orders arrive and change, a worker is
// killed with SIGKILL and started again every -kill-every, and Redis is
// killed with SIGKILL and started again once, halfway. Then the feed
// stops changing, the workers get until every order is delivered (at
// most -drain), and it reports: 429s, token refreshes and failed ones,
// 401s, order versions lost and delivered twice, and each account's
// request rate while its feed answered full pages. It asserts nothing
// about timing; it exits 1 when an order was lost or a refresh failed.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/orderkit/orderkit/examples/fleet/fakevendor"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/inventorum/inventorumtest"
	"github.com/orderkit/orderkit/orderstate"
	"github.com/redis/go-redis/v9"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "fleettest:", err)
		os.Exit(1)
	}
}

type config struct {
	workers, accounts, orders, pageSize, port int
	changeFor, drain, killEvery, lifetime     time.Duration
	keep                                      bool
}

func run() error {
	var cfg config
	flag.IntVar(&cfg.workers, "workers", 8, "worker processes")
	flag.IntVar(&cfg.accounts, "accounts", 20, "Inventorum accounts")
	flag.IntVar(&cfg.orders, "orders", 2500, "backlog of orders per account")
	flag.IntVar(&cfg.pageSize, "page-size", 10, "delta page size the workers ask for")
	flag.IntVar(&cfg.port, "redis-port", 6398, "loopback port of the test's Redis")
	flag.DurationVar(&cfg.changeFor, "change-for", 30*time.Second, "how long orders arrive and change, and workers and Redis are killed")
	flag.DurationVar(&cfg.drain, "drain", 20*time.Second, "how long the workers get afterwards to deliver everything")
	flag.DurationVar(&cfg.killEvery, "kill-every", 3*time.Second, "SIGKILL a worker this often")
	flag.DurationVar(&cfg.lifetime, "token-lifetime", 4*time.Second, "access token lifetime (whole seconds)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory (logs, ledgers, AOF)")
	flag.Parse()

	dir, err := os.MkdirTemp("", "fleettest-")
	if err != nil {
		return err
	}
	if cfg.keep {
		fmt.Println("directory:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Redis, with AOF: the tokens, checkpoints and fencing counters must
	// survive its restart.
	rs := &redisProc{dir: dir, port: cfg.port}
	if err := rs.start(); err != nil {
		return err
	}
	defer rs.kill()
	rdb := redis.NewClient(&redis.Options{Addr: rs.addr()})
	defer rdb.Close()

	// The vendor.
	vendor := fakevendor.New(cfg.accounts, inventorum.DefaultRateLimit, inventorum.DefaultRateLimit, cfg.lifetime)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: vendor}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	srvURL := "http://" + ln.Addr().String()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var accts []map[string]string
	for _, name := range vendor.Names() {
		vendor.Account(name).Fake.GenerateOrders(cfg.orders, start, time.Second)
		accts = append(accts, map[string]string{
			"name": name, "base_url": fakevendor.BaseURL(srvURL, name),
			"client_id": inventorumtest.DefaultClientID, "client_secret": inventorumtest.DefaultClientSecret,
			"refresh_token": inventorumtest.DefaultRefreshToken,
		})
	}
	acctFile := filepath.Join(dir, "accounts.json")
	b, _ := json.Marshal(accts)
	if err := os.WriteFile(acctFile, b, 0o600); err != nil {
		return err
	}

	// The workers: the fleet program of this module.
	bin := filepath.Join(dir, "fleet")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/orderkit/orderkit/examples/fleet").CombinedOutput(); err != nil {
		return fmt.Errorf("building the fleet program: %v\n%s", err, out)
	}
	keys := cfg.accounts * len(inventorum.Channels)
	maxLeases := (keys+cfg.workers-1)/cfg.workers + 4
	ws := &workers{bin: bin, dir: dir, env: append(os.Environ(), "REDIS_URL=redis://"+rs.addr(), "FLEET_ACCOUNTS="+acctFile),
		args: []string{"-lease-ttl", "3s", "-page-size", strconv.Itoa(cfg.pageSize), "-max-leases", strconv.Itoa(maxLeases)}}
	began := time.Now()
	for i := 0; i < cfg.workers; i++ {
		if err := ws.start(i); err != nil {
			return err
		}
	}
	defer ws.stopAll(syscall.SIGKILL)
	fmt.Printf("%d workers, %d accounts × %d channels, %d orders each, page size %d, tokens living %s; Redis on %s with AOF\n",
		cfg.workers, cfg.accounts, len(inventorum.Channels), cfg.orders, cfg.pageSize, cfg.lifetime, rs.addr())

	// The feed changes, workers die, Redis dies once.
	var changes sync.WaitGroup
	changeCtx, stopChanges := context.WithTimeout(ctx, cfg.changeFor)
	defer stopChanges()
	var added, modified int
	changes.Add(1)
	go func() {
		defer changes.Done()
		r := rand.New(rand.NewPCG(1, 2))
		for changeCtx.Err() == nil {
			a := vendor.Account(vendor.Names()[r.IntN(cfg.accounts)])
			at := time.Now().UTC()
			if r.IntN(2) == 0 {
				a.Fake.AddOrder(inventorum.Order{State: orderstate.Completed, Channel: inventorum.Channels[r.IntN(len(inventorum.Channels))], TimeAdded: at, CompletedAt: at})
				added++
			} else if a.Fake.ModifyOrder(inventorum.ID(1001+r.IntN(a.Fake.Len())), at, func(o *inventorum.Order) { o.State |= orderstate.Shipped }) {
				modified++
			}
			time.Sleep(25 * time.Millisecond)
		}
	}()
	kills, redisRestarts := 0, 0
	changes.Add(1)
	go func() {
		defer changes.Done()
		r := rand.New(rand.NewPCG(3, 4))
		tick := time.NewTicker(cfg.killEvery)
		defer tick.Stop()
		redisAt := time.After(cfg.changeFor / 2)
		for {
			select {
			case <-changeCtx.Done():
				return
			case <-redisAt:
				rs.kill()
				time.Sleep(500 * time.Millisecond)
				if err := rs.start(); err != nil {
					fmt.Fprintln(os.Stderr, "restarting Redis:", err)
					cancel()
					return
				}
				redisRestarts++
			case <-tick.C:
				i := r.IntN(cfg.workers)
				ws.kill(i)
				kills++
				time.Sleep(300 * time.Millisecond)
				if err := ws.start(i); err != nil {
					fmt.Fprintln(os.Stderr, "restarting a worker:", err)
				}
			}
		}
	}()
	changes.Wait()
	changedUntil := time.Since(began)

	// Drain: until every order's latest version is in a ledger.
	var res result
	deadline := time.Now().Add(cfg.drain)
	for {
		res = check(vendor, dir)
		if res.lost == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	caughtUp := time.Since(began)
	ws.stopAll(syscall.SIGTERM)
	res = check(vendor, dir)

	fmt.Printf("feed changed for %s (%d orders added, %d modified); %d worker SIGKILLs and restarts, %d Redis SIGKILL and restart; every order delivered after %s\n\n",
		changedUntil.Round(time.Second), added, modified, kills, redisRestarts, caughtUp.Round(100*time.Millisecond))
	fmt.Println("account  requests  429  401  refreshes  failed  lost  twice  rate while full pages")
	var tot fakevendor.Stats
	var rates []float64
	for _, name := range vendor.Names() {
		st := vendor.Account(name).Stats()
		rate := 0.0
		if w := st.LastFull.Sub(st.First).Seconds(); w > 0 {
			rate = float64(st.FullWindow) / w
		}
		rates = append(rates, rate)
		fmt.Printf("%-7s  %8d  %3d  %3d  %9d  %6d  %4d  %5d  %5.1f/s over %4.1fs\n", name, st.Requests, st.Throttled, st.Unauthorized,
			st.Refreshes, st.RefreshFailures, res.lostBy[name], res.dupBy[name], rate, st.LastFull.Sub(st.First).Seconds())
		tot.Requests += st.Requests
		tot.Throttled += st.Throttled
		tot.Unauthorized += st.Unauthorized
		tot.Refreshes += st.Refreshes
		tot.RefreshFailures += st.RefreshFailures
	}
	sort.Float64s(rates)
	lifetimes := caughtUp.Seconds() / (cfg.lifetime.Seconds() * 3 / 4)
	fmt.Printf("\ntotal: %d requests, %d answered 429, %d answered 401; %d refreshes (%.1f per account, ~%.1f token lifetimes of %s less the refresh margin), %d failed\n",
		tot.Requests, tot.Throttled, tot.Unauthorized, tot.Refreshes, float64(tot.Refreshes)/float64(cfg.accounts), lifetimes, cfg.lifetime, tot.RefreshFailures)
	fmt.Printf("orders: %d versions expected, %d lost, %d delivered again (bound: SaveEvery=1 per run cut off — at most %d keys held by each of the %d workers killed, and the %d keys at Redis's restart: %d)\n",
		res.expected, res.lost, res.dups, maxLeases, kills, keys, maxLeases*kills+keys*redisRestarts)
	fmt.Printf("request rate per account while its feed answered full pages: min %.1f/s, median %.1f/s, max %.1f/s (published limit 20/s)\n",
		rates[0], rates[len(rates)/2], rates[len(rates)-1])
	if res.lost > 0 || tot.RefreshFailures > 0 {
		return errors.New("orders lost or refreshes failed")
	}
	return nil
}

type result struct {
	expected, lost, dups int
	lostBy, dupBy        map[string]int
}

// check compares the ledgers with the vendor's orders: the latest version
// of every order the feed shows must be there; any line there more than
// once is a duplicate.
func check(vendor *fakevendor.Server, dir string) result {
	seen := map[string]int{}
	files, _ := filepath.Glob(filepath.Join(dir, "ledger-*.txt"))
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if line := sc.Text(); strings.Count(line, " ") == 2 {
				seen[line]++
			}
		}
		fh.Close()
	}
	res := result{lostBy: map[string]int{}, dupBy: map[string]int{}}
	for _, name := range vendor.Names() {
		f := vendor.Account(name).Fake
		for id := inventorum.ID(1001); ; id++ {
			o, ok := f.Order(id)
			if !ok {
				break
			}
			if o.State.Has(orderstate.Draft) || o.State.Has(orderstate.Pending) {
				continue
			}
			res.expected++
			if seen[fmt.Sprintf("%s %d %d", name, o.ID, o.DeltaTime().UnixNano())] == 0 {
				res.lost++
				res.lostBy[name]++
			}
		}
	}
	for line, n := range seen {
		if n > 1 {
			res.dups += n - 1
			res.dupBy[strings.Fields(line)[0]] += n - 1
		}
	}
	return res
}

type redisProc struct {
	dir  string
	port int
	cmd  *exec.Cmd
}

func (r *redisProc) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *redisProc) start() error {
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--appendonly", "yes", "--appendfsync", "everysec", "--save", "")
	logf, err := os.OpenFile(filepath.Join(r.dir, "redis.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	r.cmd.Stdout, r.cmd.Stderr = logf, logf
	if err := r.cmd.Start(); err != nil {
		return fmt.Errorf("redis-server: %w (install it: apt-get install -y redis-server)", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: r.addr()})
	defer rdb.Close()
	for i := 0; i < 100; i++ {
		if rdb.Ping(context.Background()).Err() == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("redis-server did not answer")
}

func (r *redisProc) kill() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

type workers struct {
	bin, dir  string
	env, args []string
	mu        sync.Mutex
	procs     map[int]*exec.Cmd
	runs      int
}

func (w *workers) start(i int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.procs == nil {
		w.procs = map[int]*exec.Cmd{}
	}
	w.runs++
	cmd := exec.Command(w.bin, append([]string{"-ledger", filepath.Join(w.dir, fmt.Sprintf("ledger-%d-%d.txt", i, w.runs))}, w.args...)...)
	cmd.Env = w.env
	logf, err := os.OpenFile(filepath.Join(w.dir, fmt.Sprintf("worker-%d.log", i)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	w.procs[i] = cmd
	return nil
}

func (w *workers) kill(i int) {
	w.mu.Lock()
	cmd := w.procs[i]
	delete(w.procs, i)
	w.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}
}

func (w *workers) stopAll(sig syscall.Signal) {
	w.mu.Lock()
	procs := w.procs
	w.procs = nil
	w.mu.Unlock()
	for _, cmd := range procs {
		_ = cmd.Process.Signal(sig)
	}
	for _, cmd := range procs {
		_ = cmd.Wait()
	}
}
