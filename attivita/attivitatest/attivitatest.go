// Package attivitatest is an in-memory fake of the Attivita API for tests:
// an http.Handler that keeps a catalogue with customer prices, licence pools
// and stock, a credit limit, orders and webhooks, and answers like the real
// API, errors included.
//
//	fake := attivitatest.NewServer()
//	fake.SeedDemo()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, _ := attivita.NewClient(attivitatest.DefaultToken, orderkit.WithBaseURL(attivitatest.BaseURL(srv.URL)))
//
// or without a socket, whatever the base URL:
//
//	c, _ := attivita.NewClient(attivitatest.DefaultToken,
//		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
//
// Orders take distinct keys from the pools, bundles take one key from each of
// their pools per unit, all or nothing; a bundle's stock is the minimum over
// its pools; stock is shown capped at 100. Short stock answers
// INSUFFICIENT_STOCK with every short product, an order over the credit limit
// CREDIT_LIMIT_EXCEEDED. With X-Sandbox-Mode: true an order is checked the
// same way but answered as "sandbox-completed" with dummy keys, and stock,
// credit and keys stay untouched.
//
// Sandbox orders are stored as sandbox orders, with the same structure as
// real ones (the vendor's notes say so): GET /api/orders and
// GET /api/orders/:n in sandbox mode answer the sandbox's orders, in live
// mode the live ones only — sandbox mode is for testing "without affecting
// production", so a live order history never shows test orders.
//
// Where the vendor's pages can be read more than one way, a switch turns
// the fake to each reading; they combine freely:
//
//   - SetSandboxListing: sandbox orders listed marked as such (status
//     "sandbox-completed", the default), listed as plain "completed"
//     orders without a sandboxNotice, or not listed at all.
//   - SetSandboxListsLive: a sandbox list shows the live orders too.
//   - SetWriteDelay: an order is written (listed, dated) some time after
//     the request was acted on, after the connection may have closed.
//   - SetLocalDates: orderDate as local time in Germany (Europe/Berlin)
//     without an offset, instead of UTC with "Z".
//   - SetDateHeader(false): answers carry no Date header.
//   - SetClockSkew: the server's clock runs ahead of (or behind) the
//     fake's clock by a fixed amount.
//   - SetWebhookDates(false): webhooks listed without their times.
//
// Order dates, webhook times and every answer's Date header come from the
// fake's clock: SetClock fixes it (or skews it against the client's) for
// tests that compare them.
//
// Faults (the vocabulary every orderkit fake shares, see Server): FailNext,
// FailNextOn, FailNextRetryAfter, DropNextBeforeActing,
// DropNextAfterActing, FailNextAfterActing, TruncateNextAfterActing and
// DelayNext each affect the next request (FailNextOn: the next one with
// that method and path).
package attivitatest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Berlin for SetLocalDates, on any machine

	"github.com/orderkit/orderkit/internal/fakehttp"
	"github.com/orderkit/orderkit/money"
)

// DefaultToken is the API token the fake accepts.
var DefaultToken = "attivita-test-token"

// BaseURL returns the API root an attivita.Client needs to reach the fake
// served at serverURL (an httptest.Server's URL): serverURL + "/api", as
// the real API's root is https://api.attivita.de/api.
//
//	c, err := attivita.NewClient(attivitatest.DefaultToken, attivita.WithBaseURL(attivitatest.BaseURL(srv.URL)))
func BaseURL(serverURL string) string { return strings.TrimRight(serverURL, "/") + "/api" }

// SandboxNotice is what the fake says about sandbox orders, in the
// X-Sandbox-Notice header and the body's sandboxNotice.
const SandboxNotice = "Sandbox mode: this order is a test. No stock, credit or licence keys were used."

// Pool is a licence pool: the keys one product (or one component of a
// bundle) is sold from.
type Pool struct {
	ID          string
	Name        string
	ProductName string // display name of the pool's product
	Keys        []string
}

// Product is a catalogue entry. Its stock is the keys left in its pool, or
// for a bundle the minimum over its pools.
type Product struct {
	ID           string
	Name         string
	DisplayName  string
	Price        money.Amount  // customer price, discounts applied
	OldPrice     *money.Amount // nil: not sent
	Manufacturer string
	Category     string
	Duration     string
	Seats        int
	Description  map[string]string
	Region       string // "DACH", "EU", "GLOBAL" or "" (null)
	RegionInfo   string
	// Pools are the licence pool ids; more than one makes a bundle.
	Pools []string
	// Unlisted products are hidden from the API (isListed: false).
	Unlisted bool
}

// Request is one request the fake answered.
type Request struct {
	Method  string
	Path    string
	Query   string
	Sandbox bool
	Status  int
}

// base is what every orderkit fake shares: the faults, the request log,
// the clock and the in-memory Transport.
type base = fakehttp.Server[Request]

// Server is the fake. Its zero value is not usable; call NewServer. It is
// safe for concurrent use.
//
// Besides its own methods it has those every orderkit fake has:
//
//   - FailNext, FailNextOn, FailNextRetryAfter, DropNextBeforeActing,
//     DropNextAfterActing, FailNextAfterActing, TruncateNextAfterActing
//     and DelayNext queue a fault for the coming requests, one each
//     (FailNextOn for a method and path such as "POST", "/api/orders").
//     "After acting" places the order, hands out its keys and spends the
//     credit before the answer is lost.
//   - Requests returns the requests received, oldest first, faulted ones
//     included (Status 0: no answer was sent); Count(method, path) counts
//     them, such as ("POST", "/api/orders").
//   - SetClock(now) replaces the fake's clock (time.Now by default): order
//     dates, webhook times and every answer's Date header come from it, in
//     UTC and to the second; Now reads it.
//   - Transport returns an http.RoundTripper that serves every request in
//     memory, whatever the host:
//     orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}).
type Server struct {
	base

	mu          sync.Mutex
	token       string
	products    []*Product
	pools       map[string]*Pool
	orders      []order
	nextOrder   int64
	customer    int
	creditLimit *money.Amount
	spent       money.Amount
	germanVAT   bool
	account     string // "", "suspended", "inactive"
	webhooks    []*webhook
	secrets     map[string]string
	sandboxSeq  int64
	sandboxAll  bool // a sandbox list shows live orders too
	sandboxList SandboxListing
	hookNoDates bool          // webhooks are listed without createdAt and updatedAt
	writeDelay  time.Duration // orders are written this long after acting
	localDates  bool          // orderDate in Berlin time without offset

	// dateMu guards what dates an answer, which its header is written
	// with, under s.mu or not.
	dateMu sync.Mutex
	noDate bool          // answers carry no Date header
	skew   time.Duration // the server's clock minus the fake's clock
}

// SandboxListing is how the order list shows sandbox orders, in sandbox
// mode: the vendor's notes say sandbox orders "use the same structure as
// real ones", and no more.
type SandboxListing int

// The readings of the notes about listing sandbox orders.
const (
	// SandboxMarked lists sandbox orders with status "sandbox-completed"
	// (the default).
	SandboxMarked SandboxListing = iota
	// SandboxUnmarked lists sandbox orders as plain "completed" orders,
	// without a sandboxNotice: a list cannot tell them from live ones. The
	// answer to the create still marks them, as the notes describe.
	SandboxUnmarked
	// SandboxUnlisted answers sandbox creates but never lists them, nor
	// finds them by number, in either mode.
	SandboxUnlisted
)

// String names the reading: "marked", "unmarked", "unlisted".
func (l SandboxListing) String() string {
	switch l {
	case SandboxMarked:
		return "marked"
	case SandboxUnmarked:
		return "unmarked"
	case SandboxUnlisted:
		return "unlisted"
	}
	return "SandboxListing(" + strconv.Itoa(int(l)) + ")"
}

type webhook struct {
	ID        string        `json:"_id"`
	URL       string        `json:"url"`
	Events    webhookEvents `json:"events"`
	IsActive  bool          `json:"isActive"`
	CreatedAt string        `json:"createdAt,omitempty"`
	UpdatedAt string        `json:"updatedAt,omitempty"`
}

type webhookEvents struct {
	ProductOutOfStock   bool `json:"productOutOfStock"`
	ProductBackInStock  bool `json:"productBackInStock"`
	ProductPriceChanged bool `json:"productPriceChanged"`
}

// NewServer returns an empty fake: no products, no pools, no credit limit,
// first order number 1001, customer number 7.
func NewServer() *Server {
	s := &Server{
		token:     DefaultToken,
		pools:     map[string]*Pool{},
		nextOrder: 1001,
		customer:  7,
	}
	fakehttp.Bind(&s.base, s)
	return s
}

// clock is the time the fake stamps now, as the API sends it: the fake's
// clock (SetClock) plus the skew (SetClockSkew), in UTC, to the second.
func (s *Server) clock() time.Time {
	s.dateMu.Lock()
	skew := s.skew
	s.dateMu.Unlock()
	return s.Now().Add(skew).UTC().Truncate(time.Second)
}

// Demo catalogue ids, from the API's own examples.
const (
	DemoOfficeID    = "507f1f77bcf86cd799439011" // Microsoft Office 2021 Home & Business, 149.99, DACH
	DemoAntivirusID = "507f191e810c19729de860ea" // Norton Antivirus, 29.99, EU
	DemoBundleID    = "60d5ec49f1b2c72d9c8b4567" // Office + Antivirus Bundle, 129.99, GLOBAL
	DemoSoldOutID   = "60d5ec49f1b2c72d9c8b4999" // Windows 11 Pro, no stock, no region
)

// SeedDemo fills the catalogue with the API's example products: Office
// (150 keys, shown as 100), Norton Antivirus (3 keys), the Office + Antivirus
// bundle drawing from both pools, and a sold-out product without a region.
func (s *Server) SeedDemo() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(s.AddPool(Pool{ID: "pool-office-2021", Name: "Office 2021 Pool", ProductName: "Microsoft Office 2021", Keys: GenerateKeys("OFFC", 150)}))
	must(s.AddPool(Pool{ID: "pool-antivirus", Name: "Antivirus Pool", ProductName: "Norton Antivirus", Keys: GenerateKeys("NRTN", 3)}))
	must(s.AddPool(Pool{ID: "pool-windows-11", Name: "Windows 11 Pool", ProductName: "Windows 11 Pro"}))
	old := money.MustParse("249.99")
	must(s.AddProduct(Product{ID: DemoOfficeID, Name: "microsoft-office-2021-home-business", DisplayName: "Microsoft Office 2021 Home & Business",
		Price: money.MustParse("149.99"), OldPrice: &old, Manufacturer: "Microsoft", Category: "ESD", Duration: "Lifetime", Seats: 1,
		Description: map[string]string{"DE": "Microsoft Office 2021 für PC und Mac", "EN": "Microsoft Office 2021 for PC and Mac"},
		Region:      "DACH", RegionInfo: "Valid for Germany, Austria and Switzerland", Pools: []string{"pool-office-2021"}}))
	must(s.AddProduct(Product{ID: DemoAntivirusID, Name: "norton-antivirus", DisplayName: "Norton Antivirus",
		Price: money.MustParse("29.99"), Manufacturer: "Norton", Category: "ESD", Duration: "1 Year", Seats: 1,
		Description: map[string]string{"EN": "Norton Antivirus for one device"}, Region: "EU", Pools: []string{"pool-antivirus"}}))
	must(s.AddProduct(Product{ID: DemoBundleID, Name: "office-antivirus-bundle", DisplayName: "Office + Antivirus Bundle",
		Price: money.MustParse("129.99"), Manufacturer: "Attivita", Category: "Bundle", Duration: "Lifetime", Seats: 1,
		Region: "GLOBAL", Pools: []string{"pool-office-2021", "pool-antivirus"}}))
	must(s.AddProduct(Product{ID: DemoSoldOutID, Name: "windows-11-pro", DisplayName: "Windows 11 Pro",
		Price: money.MustParse("99.90"), Manufacturer: "Microsoft", Category: "ESD", Duration: "Lifetime", Seats: 1,
		Pools: []string{"pool-windows-11"}}))
}

// GenerateKeys returns n distinct licence keys that start with prefix
// ("OFFC-0000-0000-0001", ...).
func GenerateKeys(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		d := fmt.Sprintf("%012d", i+1)
		out[i] = fmt.Sprintf("%s-%s-%s-%s", prefix, d[0:4], d[4:8], d[8:12])
	}
	return out
}

// AddPool adds a licence pool. Its id and every key must be new.
func (s *Server) AddPool(p Pool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == "" {
		return fmt.Errorf("attivitatest: pool without id")
	}
	if _, dup := s.pools[p.ID]; dup {
		return fmt.Errorf("attivitatest: pool %q exists", p.ID)
	}
	if err := s.checkDistinct(p.Keys); err != nil {
		return err
	}
	p.Keys = append([]string(nil), p.Keys...)
	s.pools[p.ID] = &p
	return nil
}

// checkDistinct refuses keys already in a pool or handed out, or given
// twice. s.mu must be held.
func (s *Server) checkDistinct(keys []string) error {
	seen := map[string]bool{}
	for _, q := range s.pools {
		for _, k := range q.Keys {
			seen[k] = true
		}
	}
	for _, o := range s.orders {
		if o.Sandbox {
			continue // dummy keys
		}
		for _, it := range o.Items {
			for _, k := range it.Licenses {
				seen[k.LicenseKey] = true
			}
		}
	}
	for _, k := range keys {
		if seen[k] {
			return fmt.Errorf("attivitatest: key %q is not distinct", k)
		}
		seen[k] = true
	}
	return nil
}

// AddKeys adds keys to a pool (a restock). Keys already in a pool or
// handed out are refused, checked under the same lock as the change.
func (s *Server) AddKeys(poolID string, keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pools[poolID]
	if !ok {
		return fmt.Errorf("attivitatest: no pool %q", poolID)
	}
	if err := s.checkDistinct(keys); err != nil {
		return err
	}
	p.Keys = append(p.Keys, keys...)
	return nil
}

// AddProduct adds a product whose pools exist already.
func (s *Server) AddProduct(p Product) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == "" {
		return fmt.Errorf("attivitatest: product without id")
	}
	if s.product(p.ID) != nil {
		return fmt.Errorf("attivitatest: product %q exists", p.ID)
	}
	if len(p.Pools) == 0 {
		return fmt.Errorf("attivitatest: product %q has no licence pool", p.ID)
	}
	for _, id := range p.Pools {
		if s.pools[id] == nil {
			return fmt.Errorf("attivitatest: product %q: no pool %q", p.ID, id)
		}
	}
	cp := p
	cp.Pools = append([]string(nil), p.Pools...)
	s.products = append(s.products, &cp)
	return nil
}

// SetPrice changes a product's customer price.
func (s *Server) SetPrice(productID string, price money.Amount) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.product(productID)
	if p == nil {
		return fmt.Errorf("attivitatest: no product %q", productID)
	}
	p.Price = price
	return nil
}

// SetCreditLimit sets how much the account may spend in total; orders that
// would pass it are refused with CREDIT_LIMIT_EXCEEDED.
func (s *Server) SetCreditLimit(limit money.Amount) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.creditLimit = &limit
}

// SetGermanVAT adds 19 % VAT to order totals, as for German customers.
func (s *Server) SetGermanVAT(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.germanVAT = on
}

// Suspend makes every request answer 403 ACCOUNT_SUSPENDED.
func (s *Server) Suspend() { s.setAccount("suspended") }

// Deactivate makes every request answer 403 "Account is not active".
func (s *Server) Deactivate() { s.setAccount("inactive") }

// Activate undoes Suspend and Deactivate.
func (s *Server) Activate() { s.setAccount("") }

func (s *Server) setAccount(a string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.account = a
}

// SetSandboxListsLive makes a sandbox-mode order list (and lookup by
// number) show the live orders beside the sandbox's, the other reading of
// the vendor's notes; a live list never shows sandbox orders.
func (s *Server) SetSandboxListsLive(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sandboxAll = on
}

// SetSandboxListing sets how order lists and lookups by number show
// sandbox orders (SandboxMarked by default): marked, unmarked or not at
// all. Stored sandbox orders are counted by SandboxOrderCount whatever the
// reading.
func (s *Server) SetSandboxListing(l SandboxListing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sandboxList = l
}

// SetWriteDelay(d) writes every order d after the request was acted on:
// until then it is in no list and not found by number, and it is dated
// when written. The answer to the create, when one is sent, holds the
// order as it will be written. Zero (the default) writes at once. A delay
// longer than attivita.SettleTime is outside what the client's Resolve
// assumes of the server.
func (s *Server) SetWriteDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writeDelay = max(d, 0)
}

// SetLocalDates(true) sends orderDate as local time in Germany
// (Europe/Berlin, "2024-03-01T09:00:00") without an offset, the vendor
// being German; false (the default) sends UTC with "Z".
func (s *Server) SetLocalDates(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.localDates = on
}

// SetDateHeader(false) sends every answer, faulted ones included, without
// a Date header; true (the default) sends it.
func (s *Server) SetDateHeader(on bool) {
	s.dateMu.Lock()
	defer s.dateMu.Unlock()
	s.noDate = !on
}

// SetClockSkew sets the server's clock d ahead of the fake's clock
// (SetClock; negative: behind): order dates, webhook times and Date
// headers all read it.
func (s *Server) SetClockSkew(d time.Duration) {
	s.dateMu.Lock()
	defer s.dateMu.Unlock()
	s.skew = d
}

// SetWebhookDates(false) lists webhooks without createdAt and updatedAt,
// which the vendor does not document: the reading where a list cannot show
// when a webhook was made. True (the default) lists them.
func (s *Server) SetWebhookDates(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hookNoDates = !on
}

// Stock returns the true stock of a product (not capped): keys left in its
// pool, or the minimum over a bundle's pools; -1 for an unknown product.
func (s *Server) Stock(productID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.product(productID)
	if p == nil {
		return -1
	}
	return s.stock(p)
}

// KeysLeft returns how many keys a pool has left; -1 for an unknown pool.
func (s *Server) KeysLeft(poolID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pools[poolID]
	if p == nil {
		return -1
	}
	return len(p.Keys)
}

// Spent returns the sum of the grand totals of all orders.
func (s *Server) Spent() money.Amount {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spent
}

// OrderCount returns the number of stored live (non-sandbox) orders.
func (s *Server) OrderCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, o := range s.orders {
		if !o.Sandbox {
			n++
		}
	}
	return n
}

// SandboxOrderCount returns the number of sandbox orders stored.
func (s *Server) SandboxOrderCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, o := range s.orders {
		if o.Sandbox {
			n++
		}
	}
	return n
}

// WebhookSecrets returns the secrets of the webhooks created, by id, so a
// test can check what the client was given.
func (s *Server) WebhookSecrets() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.secrets))
	for k, v := range s.secrets {
		out[k] = v
	}
	return out
}

func (s *Server) product(id string) *Product {
	for _, p := range s.products {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (s *Server) stock(p *Product) int {
	min := -1
	for _, id := range p.Pools {
		n := len(s.pools[id].Keys)
		if min < 0 || n < min {
			min = n
		}
	}
	if min < 0 {
		return 0
	}
	return min
}

// ServeHTTP answers the API's endpoints under /api, applying the next
// queued fault first.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w, date: s.dateHeader}
	sandbox := strings.EqualFold(r.Header.Get("X-Sandbox-Mode"), "true")
	// Logged even when a fault drops the connection (a panic that
	// net/http turns into a closed connection).
	defer func() {
		fakehttp.Record(&s.base, r.Method, r.URL.Path, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Sandbox: sandbox, Status: rec.status})
	}()
	// Every answer, faulted ones included, is dated by the server's clock
	// as its header is written (rec), or carries no Date at all.
	fakehttp.Serve(&s.base, rec, r, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.serve(w, r, sandbox)
	})
}

// dateHeader is the Date header of an answer sent now: the server's clock,
// or nil for none (which also keeps net/http from adding one).
func (s *Server) dateHeader() []string {
	s.dateMu.Lock()
	noDate := s.noDate
	s.dateMu.Unlock()
	if noDate {
		return nil
	}
	return []string{s.clock().Format(http.TimeFormat)}
}

type recorder struct {
	http.ResponseWriter
	status int
	date   func() []string
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
		r.Header()["Date"] = r.date()
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// Flush passes a flush on, so that a truncated answer's half body leaves.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, sandbox bool) {
	if sandbox {
		w.Header().Set("X-Sandbox-Mode", "true")
		w.Header().Set("X-Sandbox-Notice", SandboxNotice)
	}
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		writeError(w, http.StatusUnauthorized, "Authentication required", "", nil)
		return
	case auth != "Bearer "+s.token:
		writeError(w, http.StatusUnauthorized, "Invalid authentication token", "", nil)
		return
	}
	switch s.account {
	case "suspended":
		writeError(w, http.StatusForbidden, "Your account has been suspended. Please contact support.", "ACCOUNT_SUSPENDED", nil)
		return
	case "inactive":
		writeError(w, http.StatusForbidden, "Account is not active. Please contact support.", "", nil)
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) < 2 || parts[0] != "api" {
		writeError(w, http.StatusNotFound, "Not found", "", nil)
		return
	}
	switch {
	case parts[1] == "products" && len(parts) == 2 && r.Method == http.MethodGet:
		s.listProducts(w, r)
	case parts[1] == "products" && len(parts) == 3 && r.Method == http.MethodGet:
		s.getProduct(w, parts[2])
	case parts[1] == "orders" && len(parts) == 2 && r.Method == http.MethodGet:
		s.listOrders(w, sandbox)
	case parts[1] == "orders" && len(parts) == 2 && r.Method == http.MethodPost:
		s.createOrder(w, r, sandbox)
	case parts[1] == "orders" && len(parts) == 3 && r.Method == http.MethodGet:
		s.getOrder(w, parts[2], sandbox)
	case parts[1] == "webhooks" && len(parts) == 2 && r.Method == http.MethodGet:
		s.listWebhooks(w)
	case parts[1] == "webhooks" && len(parts) == 2 && r.Method == http.MethodPost:
		s.createWebhook(w, r)
	case parts[1] == "webhooks" && len(parts) == 3 && r.Method == http.MethodPatch:
		s.updateWebhook(w, r, parts[2])
	case parts[1] == "products" || parts[1] == "orders" || parts[1] == "webhooks":
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed", "", nil)
	default:
		writeError(w, http.StatusNotFound, "Not found", "", nil)
	}
}

func writeError(w http.ResponseWriter, status int, msg, code string, extra map[string]any) {
	body := map[string]any{"error": msg}
	if code != "" {
		body["code"] = code
	}
	for k, v := range extra {
		body[k] = v
	}
	fakehttp.WriteJSON(w, status, body)
}

// productJSON is a product as the API sends it.
type productJSON struct {
	ID              string            `json:"_id"`
	Name            string            `json:"name"`
	DisplayName     string            `json:"displayName"`
	Price           money.Amount      `json:"price"`
	ProductImageURL string            `json:"productImageUrl"`
	Manufacturer    map[string]string `json:"manufacturer"`
	CategoryName    string            `json:"categoryName"`
	IsMultidevice   bool              `json:"isMultidevice"`
	IsSubscription  bool              `json:"isSubscription"`
	IsTerm          bool              `json:"isTerm"`
	IsMobileOnly    bool              `json:"isMobileOnly"`
	IsBundle        bool              `json:"isBundle"`
	LicensePools    []string          `json:"licensePools"`
	OldPrice        *money.Amount     `json:"oldPrice,omitempty"`
	Duration        string            `json:"duration"`
	Seats           int               `json:"seats"`
	Description     map[string]string `json:"description"`
	AvailableStock  int               `json:"availableStock"`
	ValidRegion     *string           `json:"validRegion"`
	ValidRegionInfo string            `json:"validRegionInfo,omitempty"`
}

func (s *Server) productJSON(p *Product) productJSON {
	stock := s.stock(p)
	if stock > 100 {
		stock = 100
	}
	out := productJSON{
		ID: p.ID, Name: p.Name, DisplayName: p.DisplayName, Price: p.Price,
		ProductImageURL: "https://example.com/" + p.Name + ".jpg",
		Manufacturer:    map[string]string{"name": p.Manufacturer}, CategoryName: p.Category,
		IsBundle: len(p.Pools) > 1, LicensePools: p.Pools, OldPrice: p.OldPrice,
		Duration: p.Duration, Seats: p.Seats, Description: p.Description,
		AvailableStock: stock, ValidRegionInfo: p.RegionInfo,
	}
	if p.Region != "" {
		r := p.Region
		out.ValidRegion = &r
	}
	return out
}

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	region := r.URL.Query().Get("region")
	switch region {
	case "", "DACH", "EU", "GLOBAL":
	default:
		writeError(w, http.StatusBadRequest, "Invalid region", "VALIDATION_ERROR",
			map[string]any{"details": map[string]string{"region": "Region must be one of DACH, EU, GLOBAL"}})
		return
	}
	out := []productJSON{}
	for _, p := range s.products {
		if p.Unlisted || (region != "" && p.Region != region) {
			continue
		}
		out = append(out, s.productJSON(p))
	}
	fakehttp.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) getProduct(w http.ResponseWriter, id string) {
	p := s.product(id)
	if p == nil || p.Unlisted {
		writeError(w, http.StatusNotFound, "Product not found", "", nil)
		return
	}
	fakehttp.WriteJSON(w, http.StatusOK, s.productJSON(p))
}

type license struct {
	LicenseKey string `json:"licenseKey"`
}

type bundleLicense struct {
	LicensePoolID string    `json:"licensePoolId"`
	PoolName      string    `json:"poolName"`
	ProductName   string    `json:"productName"`
	Licenses      []license `json:"licenses"`
}

type orderItem struct {
	ProductID      string
	ProductName    string
	Quantity       int
	Price          money.Amount
	Licenses       []license
	BundleLicenses []bundleLicense
}

type order struct {
	OrderNumber int64
	OrderDate   time.Time
	Status      string
	Items       []orderItem
	SubTotal    money.Amount
	GrandTotal  money.Amount
	Sandbox     bool
}

// listJSON is an order as GET /api/orders sends it: product as an object,
// dated and marked as the readings say. s.mu must be held.
func (s *Server) listJSON(o order) map[string]any {
	items := make([]map[string]any, 0, len(o.Items))
	for _, it := range o.Items {
		items = append(items, map[string]any{
			"product":        map[string]string{"displayName": it.ProductName, "_id": it.ProductID},
			"quantity":       it.Quantity,
			"price":          it.Price,
			"subtotal":       it.Price.Times(int64(it.Quantity)),
			"isReplacement":  false,
			"licenses":       it.Licenses,
			"bundleLicenses": nullable(it.BundleLicenses),
		})
	}
	status := o.Status
	if o.Sandbox && s.sandboxList == SandboxUnmarked {
		status = "completed"
	}
	return map[string]any{
		"orderNumber": o.OrderNumber, "orderDate": s.formatDate(o.OrderDate), "status": status,
		"items": items, "subTotal": o.SubTotal, "discountPercentage": nil, "discountAmount": nil,
		"discountType": 0, "discountTotal": money.Zero, "grandTotal": o.GrandTotal,
		"paymentMethod": "N/A", "orderFrom": 2,
	}
}

// formatDate writes an order date as the reading says: UTC with "Z", or
// Berlin time without an offset. s.mu must be held.
func (s *Server) formatDate(t time.Time) string {
	if s.localDates {
		return t.In(berlin()).Format("2006-01-02T15:04:05")
	}
	return t.UTC().Format(time.RFC3339)
}

// berlin is Germany's time zone, from the system's zone database or the
// copy time/tzdata embeds.
var berlin = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic("attivitatest: " + err.Error())
	}
	return loc
})

// createJSON is an order as POST /api/orders answers it: product as a name
// plus productId. s.mu must be held.
func (s *Server) createJSON(o order) map[string]any {
	items := make([]map[string]any, 0, len(o.Items))
	for _, it := range o.Items {
		items = append(items, map[string]any{
			"product":        it.ProductName,
			"quantity":       it.Quantity,
			"price":          it.Price,
			"isReplacement":  false,
			"licenses":       it.Licenses,
			"bundleLicenses": nullable(it.BundleLicenses),
			"productId":      it.ProductID,
		})
	}
	out := map[string]any{
		"customer": s.customer, "orderNumber": o.OrderNumber, "orderDate": s.formatDate(o.OrderDate),
		"status": o.Status, "items": items, "subTotal": o.SubTotal, "discountTotal": money.Zero,
		"grandTotal": o.GrandTotal, "paymentMethod": "N/A", "orderFrom": 2,
	}
	if o.Sandbox {
		out["sandboxNotice"] = SandboxNotice
	}
	return out
}

func nullable(b []bundleLicense) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// visible reports whether an order shows in a list or lookup made in that
// mode.
func (s *Server) visible(o order, sandbox bool) bool {
	if o.Sandbox && s.sandboxList == SandboxUnlisted {
		return false
	}
	if o.OrderDate.After(s.clock()) {
		return false // not written yet (SetWriteDelay)
	}
	return o.Sandbox == sandbox || (sandbox && s.sandboxAll)
}

func (s *Server) listOrders(w http.ResponseWriter, sandbox bool) {
	out := make([]map[string]any, 0, len(s.orders))
	for i := len(s.orders) - 1; i >= 0; i-- {
		if s.visible(s.orders[i], sandbox) {
			out = append(out, s.listJSON(s.orders[i]))
		}
	}
	fakehttp.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) getOrder(w http.ResponseWriter, num string, sandbox bool) {
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Invalid order number", "VALIDATION_ERROR",
			map[string]any{"details": map[string]string{"orderNumber": "Order number must be a number"}})
		return
	}
	for _, o := range s.orders {
		if o.OrderNumber == n && s.visible(o, sandbox) {
			fakehttp.WriteJSON(w, http.StatusOK, s.listJSON(o))
			return
		}
	}
	writeError(w, http.StatusNotFound, "Order not found", "", nil)
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request, sandbox bool) {
	var body struct {
		Products []struct {
			ProductID json.RawMessage `json:"productId"`
			Amount    json.RawMessage `json:"amount"`
		} `json:"products"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid request body", "VALIDATION_ERROR",
			map[string]any{"details": map[string]string{"body": "Body must be JSON"}})
		return
	}
	if len(body.Products) == 0 {
		writeError(w, http.StatusBadRequest, "Validation failed", "VALIDATION_ERROR",
			map[string]any{"details": map[string]string{"products": "At least one product is required"}})
		return
	}
	type line struct {
		p      *Product
		amount int
	}
	lines := make([]line, 0, len(body.Products))
	details := map[string]string{}
	for i, bp := range body.Products {
		var id string
		if json.Unmarshal(bp.ProductID, &id) != nil || id == "" {
			details[fmt.Sprintf("products[%d].productId", i)] = "Product id is required"
		}
		var amount int
		if json.Unmarshal(bp.Amount, &amount) != nil || amount < 1 {
			details[fmt.Sprintf("products[%d].amount", i)] = "Amount must be a positive number"
		}
		lines = append(lines, line{s.product(id), amount})
		if id != "" && (lines[i].p == nil || lines[i].p.Unlisted) && len(details) == 0 {
			writeError(w, http.StatusBadRequest, "Product not found or not available: "+id, "PRODUCT_NOT_AVAILABLE", nil)
			return
		}
	}
	if len(details) > 0 {
		writeError(w, http.StatusBadRequest, "Validation failed", "VALIDATION_ERROR", map[string]any{"details": details})
		return
	}
	// Stock: keys needed per pool over all lines, all or nothing.
	need := map[string]int{}
	requested := map[string]int{}
	for _, l := range lines {
		requested[l.p.ID] += l.amount
		for _, pid := range l.p.Pools {
			need[pid] += l.amount
		}
	}
	short := false
	for pid, n := range need {
		if n > len(s.pools[pid].Keys) {
			short = true
		}
	}
	if short {
		var items []map[string]any
		seen := map[string]bool{}
		for _, l := range lines {
			if seen[l.p.ID] {
				continue
			}
			seen[l.p.ID] = true
			avail := s.stock(l.p)
			short := requested[l.p.ID] > avail
			for _, pid := range l.p.Pools {
				if need[pid] > len(s.pools[pid].Keys) {
					short = true
				}
			}
			if short {
				items = append(items, map[string]any{"productId": l.p.ID, "productName": l.p.DisplayName,
					"requestedQuantity": requested[l.p.ID], "availableQuantity": avail})
			}
		}
		writeError(w, http.StatusBadRequest, "Some products are not available", "INSUFFICIENT_STOCK",
			map[string]any{"unavailableItems": items})
		return
	}
	var sub money.Amount
	for _, l := range lines {
		sub = sub.Add(l.p.Price.Times(int64(l.amount)))
	}
	grand := sub
	if s.germanVAT {
		grand = sub.Gross(money.FromInt(19))
	}
	if !sandbox && s.creditLimit != nil && s.spent.Add(grand).Cmp(*s.creditLimit) > 0 {
		writeError(w, http.StatusBadRequest, "You have reached your credit limit. For assistance, please reach out to our support team.", "CREDIT_LIMIT_EXCEEDED", nil)
		return
	}
	// Dated when written: at once, or SetWriteDelay later.
	o := order{OrderDate: s.clock().Add(s.writeDelay).Truncate(time.Second), Status: "completed", SubTotal: sub, GrandTotal: grand, Sandbox: sandbox}
	dummy := 0
	for _, l := range lines {
		it := orderItem{ProductID: l.p.ID, ProductName: l.p.DisplayName, Quantity: l.amount, Price: l.p.Price}
		bundle := len(l.p.Pools) > 1
		for _, pid := range l.p.Pools {
			pool := s.pools[pid]
			var got []license
			for range l.amount {
				if sandbox {
					dummy++
					got = append(got, license{fmt.Sprintf("SAND-BOX%d-TEST-KEY%d", (dummy-1)/9+1, (dummy-1)%9+1)})
					continue
				}
				got = append(got, license{pool.Keys[0]})
				pool.Keys = pool.Keys[1:]
			}
			it.Licenses = append(it.Licenses, got...)
			if bundle {
				it.BundleLicenses = append(it.BundleLicenses, bundleLicense{pool.ID, pool.Name, pool.ProductName, got})
			}
		}
		o.Items = append(o.Items, it)
	}
	if sandbox {
		o.Status = "sandbox-completed"
		s.sandboxSeq++
		o.OrderNumber = 900000 + s.sandboxSeq
		s.orders = append(s.orders, o)
		fakehttp.WriteJSON(w, http.StatusCreated, s.createJSON(o))
		return
	}
	o.OrderNumber = s.nextOrder
	s.nextOrder++
	s.spent = s.spent.Add(grand)
	s.orders = append(s.orders, o)
	fakehttp.WriteJSON(w, http.StatusCreated, s.createJSON(o))
}

func (s *Server) listWebhooks(w http.ResponseWriter) {
	hooks := make([]*webhook, 0, len(s.webhooks))
	hooks = append(hooks, s.webhooks...)
	sort.SliceStable(hooks, func(i, j int) bool { return hooks[i].CreatedAt < hooks[j].CreatedAt })
	if s.hookNoDates {
		for i, h := range hooks {
			c := *h
			c.CreatedAt, c.UpdatedAt = "", ""
			hooks[i] = &c
		}
	}
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{
		"betaNotice": "Webhooks are in beta and may change.",
		"webhooks":   hooks,
	})
}

func decodeWebhook(r *http.Request, out any) error {
	return json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(out)
}

func validURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	var body struct {
		URL    string        `json:"url"`
		Events webhookEvents `json:"events"`
	}
	if err := decodeWebhook(r, &body); err != nil || !validURL(body.URL) {
		writeError(w, http.StatusBadRequest, "Validation failed", "VALIDATION_ERROR",
			map[string]any{"details": map[string]string{"url": "A valid URL is required"}})
		return
	}
	var idb [12]byte
	_, _ = rand.Read(idb[:])
	var sec [24]byte
	_, _ = rand.Read(sec[:])
	now := s.clock().Format(time.RFC3339)
	h := &webhook{ID: hex.EncodeToString(idb[:]), URL: body.URL, Events: body.Events, IsActive: true, CreatedAt: now, UpdatedAt: now}
	s.webhooks = append(s.webhooks, h)
	if s.secrets == nil {
		s.secrets = map[string]string{}
	}
	secret := "whsec_" + hex.EncodeToString(sec[:])
	s.secrets[h.ID] = secret
	fakehttp.WriteJSON(w, http.StatusCreated, map[string]any{
		"_id": h.ID, "url": h.URL, "events": h.Events, "isActive": h.IsActive,
		"createdAt": h.CreatedAt, "updatedAt": h.UpdatedAt, "secret": secret,
	})
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request, id string) {
	var h *webhook
	for _, x := range s.webhooks {
		if x.ID == id {
			h = x
		}
	}
	if h == nil {
		writeError(w, http.StatusNotFound, "Webhook not found", "", nil)
		return
	}
	var body struct {
		URL      *string        `json:"url"`
		Events   *webhookEvents `json:"events"`
		IsActive *bool          `json:"isActive"`
	}
	if err := decodeWebhook(r, &body); err != nil || (body.URL != nil && !validURL(*body.URL)) {
		writeError(w, http.StatusBadRequest, "Validation failed", "VALIDATION_ERROR",
			map[string]any{"details": map[string]string{"url": "A valid URL is required"}})
		return
	}
	if body.URL != nil {
		h.URL = *body.URL
	}
	if body.Events != nil {
		h.Events = *body.Events
	}
	if body.IsActive != nil {
		h.IsActive = *body.IsActive
	}
	h.UpdatedAt = s.clock().Format(time.RFC3339)
	fakehttp.WriteJSON(w, http.StatusOK, h)
}
