// Package fakevendor serves many Inventorum accounts on one loopback
// server, each an inventorumtest fake behind what the vendor enforces and
// the fake does not: 20 requests per second per account (429 with
// Retry-After beyond it), and access tokens that stop working when their
// lifetime is up. It counts what each account was asked and answered.
package fakevendor

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderkit/orderkit/inventorum/inventorumtest"
)

// Server routes /acct/<name>/api/... to the account <name>.
type Server struct {
	mu       sync.Mutex
	accounts map[string]*Account
	names    []string
}

// Account is one vendor account: its fake, its limit and its counts.
type Account struct {
	Name string
	Fake *inventorumtest.Server

	interval time.Duration // the limit's emission interval
	burst    int
	lifetime time.Duration

	mu     sync.Mutex
	tat    time.Time // GCRA's theoretical arrival time
	access map[string]time.Time
	stats  Stats
}

// Stats are an account's counts.
type Stats struct {
	Requests, Throttled, Unauthorized int
	Refreshes, RefreshFailures        int
	// First is the first request; LastFull the last delta page answered
	// full (there was more to read), and FullWindow the requests from
	// First to LastFull.
	First, LastFull time.Time
	FullWindow      int
}

// New returns a server of n accounts ("a01", "a02", ...) limited to
// perSecond requests a second with a burst of burst (Inventorum's 20 and,
// as read here, 20), whose tokens live lifetime.
func New(n int, perSecond float64, burst int, lifetime time.Duration) *Server {
	s := &Server{accounts: map[string]*Account{}}
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("a%02d", i)
		f := inventorumtest.NewServer()
		f.SetTokenLifetime(lifetime)
		s.accounts[name] = &Account{
			Name: name, Fake: f, interval: time.Duration(float64(time.Second) / perSecond), burst: burst,
			lifetime: lifetime, access: map[string]time.Time{},
		}
		s.names = append(s.names, name)
	}
	return s
}

// Names lists the accounts.
func (s *Server) Names() []string { return s.names }

// Account returns the account name.
func (s *Server) Account(name string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[name]
}

// BaseURL is the API root of account name on the server at serverURL.
func BaseURL(serverURL, name string) string {
	return inventorumtest.BaseURL(strings.TrimRight(serverURL, "/") + "/acct/" + name)
}

// Stats returns a copy of the account's counts.
func (a *Account) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stats
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/acct/")
	name, path, ok2 := strings.Cut(rest, "/")
	a := s.Account(name)
	if !ok || !ok2 || a == nil {
		http.NotFound(w, r)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + path
	a.serve(w, r2)
}

func (a *Account) serve(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	a.mu.Lock()
	a.stats.Requests++
	if a.stats.First.IsZero() {
		a.stats.First = now
	}
	// GCRA: a request is let through while it arrives no earlier than
	// tat - (burst-1)*interval.
	tat := a.tat
	if tat.Before(now) {
		tat = now
	}
	if wait := tat.Sub(now) - time.Duration(a.burst-1)*a.interval; wait > 0 {
		a.stats.Throttled++
		a.mu.Unlock()
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"detail":"Request was throttled."}`))
		return
	}
	a.tat = tat.Add(a.interval)
	isToken := strings.HasSuffix(r.URL.Path, "/auth/token/")
	if !isToken {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if exp, ok := a.access[tok]; ok && !now.Before(exp) {
			a.stats.Unauthorized++
			a.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"detail":"Token has expired."}`))
			return
		}
	}
	a.mu.Unlock()

	rec := httptest.NewRecorder()
	a.Fake.ServeHTTP(rec, r)
	body := rec.Body.Bytes()

	a.mu.Lock()
	switch {
	case isToken && rec.Code == http.StatusOK:
		var ans struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.Unmarshal(body, &ans)
		a.access[ans.AccessToken] = time.Now().Add(a.lifetime)
		a.stats.Refreshes++
	case isToken:
		a.stats.RefreshFailures++
	case rec.Code == http.StatusUnauthorized:
		a.stats.Unauthorized++
	case rec.Code == http.StatusOK && strings.HasSuffix(r.URL.Path, "/orders/delta/"):
		var p struct {
			Data []json.RawMessage `json:"data"`
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if json.Unmarshal(body, &p) == nil && limit > 0 && len(p.Data) >= limit {
			a.stats.LastFull = now
			a.stats.FullWindow = a.stats.Requests
		}
	}
	a.mu.Unlock()

	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}
