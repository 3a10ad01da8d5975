// Package versacommercetest is an in-memory fake of the VersaCommerce order
// API, an http.Handler for tests that should not touch a real shop:
//
//	fake := versacommercetest.NewServer()
//	fake.AddOrder(versacommercetest.Order{Total: money.MustParse("19.99")})
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, _ := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
//		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
//
// Without a socket, orderkit.WithHTTPClient(&http.Client{Transport:
// fake.Transport()}) serves the requests in memory.
//
// It checks HTTP basic auth, applies every documented filter with limit and
// offset, counts, nests items and payments on include=, answers single
// orders and their items, payments and shipments, and creates orders,
// refusing missing required attributes with the API's
// {"errors": {"field": [...]}} answer (422). Orders are listed in ascending
// id order. Amounts are sent as strings and the currency as "€", as the
// real API does; every answer carries a Date header from the fake's clock
// (SetClock) and an X-Request-Id.
//
// Where the vendor's pages can be read two ways, the fake can be switched
// between the readings: SetRootElement (JSON answers with or without the
// root element: [{"order": {...}}] or [{...}]), SetPageCap (the shop
// answers at most n orders per page whatever limit was asked),
// SetCreatedAtBounds (created_at_min and created_at_max read by their
// names, inclusive or exclusive; as their table rows' words say, reversed;
// or ignored), SetCreatedAtOnCreate (Create keeps the time of creation, not
// the order date sent), SetOriginID (origin_id echoed, null on every order,
// or absent), SetWriteDelay (Create answers at once and writes the order
// later, on the fake's clock) and SetDateHeader (answers with or without a
// Date header). SetIgnoreIDMin and SetIgnoreLimit make it a shop that does
// not honour those parameters, for testing what a client does then. The
// switches combine; SetClock skews or drives the fake's clock.
//
// Faults (the vocabulary every orderkit fake shares) are queued with
// FailNext, FailNextOn, FailNextRetryAfter, DropNextBeforeActing,
// DropNextAfterActing, FailNextAfterActing, TruncateNextAfterActing and
// DelayNext; each applies to the next request that reaches the fake (for
// FailNextOn: the next with its method and path).
package versacommercetest

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderkit/orderkit/internal/fakehttp"
	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
)

// The credentials a new fake accepts; SetCredentials changes them for one
// fake.
var (
	DefaultAPIKey      = "test-api-key"
	DefaultAPIPassword = "test-api-password"
)

// BaseURL returns the base URL a versacommerce.Client needs to reach the
// fake served at serverURL (an httptest.Server's URL): the fake serves the
// API under /api, as a shop does.
//
//	c, err := versacommerce.NewClient("", versacommercetest.DefaultAPIKey, versacommercetest.DefaultAPIPassword,
//		orderkit.WithBaseURL(versacommercetest.BaseURL(srv.URL)))
func BaseURL(serverURL string) string { return strings.TrimRight(serverURL, "/") + "/api" }

// ShopID is the shop id the fake's orders carry.
const ShopID = 953

// Order is an order held by the fake. Zero fields take defaults in AddOrder.
type Order struct {
	ID                  int64
	Code                string
	CreatedAt           time.Time
	Status              string // default "open"
	PaymentStatus       string // default "not_paid"
	ItemsStatus         string // default "undelivered"
	PaymentType         string // default "misc"
	ShippingType        string
	ExternalInvoicingID string
	Note                string
	CouponCode          string
	CustomerEmail       string
	CouponValue         money.Amount
	ItemTotal           money.Amount
	PaymentCost         money.Amount
	ShippingCost        money.Amount
	Subtotal            money.Amount
	Total               money.Amount
	WeightTotal         money.Amount
	Items               []Item
	BillingAddress      Address
	ShippingAddress     Address
	// Payments are the payments booked on the order; Create books those
	// sent. AddOrder numbers those without an id.
	Payments []Payment
	// Shipments are answered by GET /api/orders/:id/shipments.json as they
	// are: the vendor does not document their fields.
	Shipments []json.RawMessage
	// Extra holds further attributes sent to Create (origin_name,
	// customer, payments, …), kept as sent.
	Extra map[string]json.RawMessage
}

// Item is an order line held by the fake.
type Item struct {
	ID        int64
	ProductID int64
	Quantity  int
	Code      string
	Title     string
	Status    string
	Price     money.Amount
}

// Payment is a payment booked on an order held by the fake.
type Payment struct {
	ID       int64
	Category string // default "misc"
	Amount   money.Amount
	Currency string // ISO 4217, default "EUR"
	Comment  string
	TransID  string
}

// Address is a billing or shipping address held by the fake.
type Address struct {
	Firstname, Lastname, Company, Street, Streetnumber, Zipcode, City, Country string
}

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	// Header is the request's headers, without Authorization.
	Header http.Header
}

// base is the fault machinery, request log and clock every orderkit fake
// shares; its methods are Server's.
type base = fakehttp.Server[Request]

// Server is the fake. It is safe for concurrent use.
//
// Besides its own methods it has those every orderkit fake shares:
// FailNext, FailNextOn, FailNextRetryAfter, DropNextBeforeActing,
// DropNextAfterActing, FailNextAfterActing, TruncateNextAfterActing and
// DelayNext queue faults; Requests returns every request received, oldest
// first, faulted ones included, and Count(method, path) counts them
// (("GET", "/api/orders.json")); SetClock replaces the clock that stamps
// created orders and the Date header of every answer, and Now reads it;
// Transport serves requests in memory, without a socket.
type Server struct {
	base

	mu         sync.Mutex
	key, pass  string
	orders     []*Order // ascending id
	nextID     int64
	nextItemID int64
	nextPayID  int64
	root       RootElement
	pageCap    int
	ignoreMin  bool
	ignoreLim  bool
	bounds     CreatedAtBounds
	onCreate   CreatedAtOnCreate
	origin     OriginID
	delay      time.Duration
	noDate     bool
	pending    []pendingWrite // Creates accepted, not yet written (SetWriteDelay)
	requestSeq atomic.Int64
}

// pendingWrite is an order a Create was answered for and the fake writes
// at due (SetWriteDelay).
type pendingWrite struct {
	due   time.Time
	order Order
}

// RootElement says whether the fake's JSON answers wrap each object in a
// root element named after it. The vendor's order pages show lists as
// [{"order": {...}}], one order as {"order": {...}} and a created order
// bare; its getting-started page says answers have no root element.
type RootElement int

// The readings SetRootElement switches between.
const (
	// RootAsDocumented answers as the order pages show (the default):
	// lists and single orders wrapped, items as [{"item": {...}}] (and
	// payments as [{"payment": {...}}], by the same rule), the order
	// Create made bare.
	RootAsDocumented RootElement = iota
	// RootNever answers without any root element: [{...}], {...}.
	RootNever
	// RootAlways wraps every object, the order Create made too.
	RootAlways
)

// CreatedAtBounds says how the list reads created_at_min and
// created_at_max.
type CreatedAtBounds int

// The readings SetCreatedAtBounds switches between.
const (
	// CreatedAtByName reads them by their names (the default):
	// created_at_min is the earliest creation time, created_at_max the
	// latest.
	CreatedAtByName CreatedAtBounds = iota
	// CreatedAtAsTableWords reads them as the words of the vendor's filter
	// table say, the reverse of their names: created_at_min "creation
	// before date", created_at_max "creation after date".
	CreatedAtAsTableWords
	// CreatedAtByNameExclusive reads them by their names with the bounds
	// left out: created_at_min lists orders created after it, not at it.
	CreatedAtByNameExclusive
	// CreatedAtIgnored ignores both: every order is listed and counted
	// whatever they say.
	CreatedAtIgnored
)

// OriginID says what the orders the fake answers carry as origin_id. The
// page documents origin_id among Create's attributes but shows no answer
// with it: a shop may echo it, answer null on every order (a column its
// API does not fill), or leave the key out.
type OriginID int

// The readings SetOriginID switches between.
const (
	// OriginIDEchoed answers the origin_id the order was created with, null
	// for an order created without one (the default).
	OriginIDEchoed OriginID = iota
	// OriginIDNull answers "origin_id": null on every order, ours included.
	OriginIDNull
	// OriginIDAbsent leaves the origin_id key out of every order.
	OriginIDAbsent
)

// CreatedAtOnCreate says which time Create stamps on the order: the page
// lists created_at (the order date) among Create's attributes without
// saying which time the shop keeps.
type CreatedAtOnCreate int

// The readings SetCreatedAtOnCreate switches between.
const (
	// CreatedAtAsSent keeps the created_at sent, when one was (the
	// default); without one, the time of creation.
	CreatedAtAsSent CreatedAtOnCreate = iota
	// CreatedAtOfCreation stamps the time of creation on the fake's clock,
	// whatever was sent.
	CreatedAtOfCreation
)

// NewServer returns an empty fake shop accepting DefaultAPIKey and
// DefaultAPIPassword.
func NewServer() *Server {
	s := &Server{key: DefaultAPIKey, pass: DefaultAPIPassword, nextID: 100, nextItemID: 1000, nextPayID: 5000}
	fakehttp.Bind(&s.base, s)
	return s
}

// SetCredentials changes the accepted API key and password.
func (s *Server) SetCredentials(key, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key, s.pass = key, password
}

// SetRootElement switches the reading of the root element (default
// RootAsDocumented).
func (s *Server) SetRootElement(r RootElement) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.root = r
}

// SetPageCap makes the fake answer at most n orders per list page,
// whatever limit was asked (as a shop with a lower page cap than the
// documented 250 would); 0 removes the cap.
func (s *Server) SetPageCap(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageCap = n
}

// SetIgnoreIDMin makes the list ignore the id_min filter (true) or honour
// it (false, the default): a shop that answers the same first page again.
func (s *Server) SetIgnoreIDMin(ignore bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ignoreMin = ignore
}

// SetIgnoreLimit makes the list ignore the limit parameter (true),
// answering every matching order (up to the page cap), or honour it
// (false, the default).
func (s *Server) SetIgnoreLimit(ignore bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ignoreLim = ignore
}

// SetCreatedAtBounds switches how the list and the count read
// created_at_min and created_at_max (default CreatedAtByName).
func (s *Server) SetCreatedAtBounds(b CreatedAtBounds) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bounds = b
}

// SetCreatedAtOnCreate switches which time Create stamps on the order
// (default CreatedAtAsSent).
func (s *Server) SetCreatedAtOnCreate(c CreatedAtOnCreate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCreate = c
}

// SetOriginID switches what the answered orders carry as origin_id
// (default OriginIDEchoed). The order keeps what Create sent (in Extra)
// whatever the reading.
func (s *Server) SetOriginID(r OriginID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.origin = r
}

// SetWriteDelay makes Create answer at once (201, the order without id and
// code, as the page shows it) and write the order d later on the fake's
// clock: until then it is not listed, counted or found, and it then gets
// the next id and, unless the created_at sent is kept, the time of writing
// as created_at — a shop that queues its writes, or a request that reached
// the shop late. 0 (the default) writes at once.
func (s *Server) SetWriteDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetDateHeader switches the Date header of every answer on (the default)
// or off: a proxy may strip it, and a client must then place the shop's
// clock without it.
func (s *Server) SetDateHeader(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noDate = !on
}

// Pending counts the Creates answered whose order is not written yet
// (SetWriteDelay), as of the fake's clock.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flush()
	return len(s.pending)
}

// flush writes the pending orders that are due by the fake's clock, in the
// order they were accepted. The caller holds s.mu.
func (s *Server) flush() {
	if len(s.pending) == 0 {
		return
	}
	now := s.Now()
	kept := s.pending[:0]
	for _, p := range s.pending {
		if now.Before(p.due) {
			kept = append(kept, p)
			continue
		}
		o := p.order
		if o.CreatedAt.IsZero() {
			o.CreatedAt = p.due
		}
		s.add(o)
	}
	s.pending = kept
}

// RemoveOrder deletes the order with that id, reporting whether there was
// one (the API has no delete; an order can vanish from a shop's list by
// other means, and tests of a walk need that).
func (s *Server) RemoveOrder(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := sort.Search(len(s.orders), func(i int) bool { return s.orders[i].ID >= id })
	if i < len(s.orders) && s.orders[i].ID == id {
		s.orders = append(s.orders[:i], s.orders[i+1:]...)
		return true
	}
	return false
}

// AddOrder stores o, filling an id above every existing one (when o.ID is
// 0), a code, the creation time and default statuses, and returns it.
func (s *Server) AddOrder(o Order) Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.add(o)
}

func (s *Server) add(o Order) *Order {
	if o.ID == 0 {
		o.ID = s.nextID
	}
	if o.ID >= s.nextID {
		s.nextID = o.ID + 1
	}
	if o.Code == "" {
		o.Code = fmt.Sprintf("196-%03d-%03d", o.ID/1000%1000, o.ID%1000)
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = s.Now()
	}
	o.CreatedAt = o.CreatedAt.UTC().Truncate(time.Second)
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.Status, "open")
	def(&o.PaymentStatus, "not_paid")
	def(&o.ItemsStatus, "undelivered")
	def(&o.PaymentType, "misc")
	o.Items = append([]Item(nil), o.Items...)
	for i := range o.Items {
		if o.Items[i].ID == 0 {
			o.Items[i].ID = s.nextItemID
			s.nextItemID++
		}
	}
	o.Payments = append([]Payment(nil), o.Payments...)
	for i := range o.Payments {
		pay := &o.Payments[i]
		if pay.ID == 0 {
			pay.ID = s.nextPayID
			s.nextPayID++
		}
		def(&pay.Category, "misc")
		def(&pay.Currency, "EUR")
	}
	o.Shipments = append([]json.RawMessage(nil), o.Shipments...)
	p := &o
	i := sort.Search(len(s.orders), func(i int) bool { return s.orders[i].ID >= o.ID })
	if i < len(s.orders) && s.orders[i].ID == o.ID {
		s.orders[i] = p
	} else {
		s.orders = append(s.orders, nil)
		copy(s.orders[i+1:], s.orders[i:])
		s.orders[i] = p
	}
	return p
}

// Orders returns a copy of every stored order in ascending id order.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flush()
	out := make([]Order, len(s.orders))
	for i, o := range s.orders {
		out[i] = *o
	}
	return out
}

// Order returns the stored order with that id.
func (s *Server) Order(id int64) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flush()
	if o := s.find(id); o != nil {
		return *o, true
	}
	return Order{}, false
}

func (s *Server) find(id int64) *Order {
	i := sort.Search(len(s.orders), func(i int) bool { return s.orders[i].ID >= id })
	if i < len(s.orders) && s.orders[i].ID == id {
		return s.orders[i]
	}
	return nil
}

// ServeHTTP serves the order resource under /api/, applying the next
// queued fault first. Every answer carries a Date header from the fake's
// clock and an X-Request-Id ("req-1", "req-2", …).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fakehttp.Record(&s.base, r.Method, r.URL.Path, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: headerWithoutAuth(r.Header)})
	if r.Body != nil && r.Body != http.NoBody {
		// Read the body before any fault: once it is read to its end,
		// net/http notices a client that hangs up, and a delayed request
		// ends with its caller.
		var buf bytes.Buffer
		_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			writeErrors(w, http.StatusBadRequest, map[string][]string{"base": {"unreadable body"}})
			return
		}
		r.Body = io.NopCloser(&buf)
	}
	// Rails, which the shop runs on, names every answer.
	w.Header().Set("X-Request-Id", "req-"+strconv.FormatInt(s.requestSeq.Add(1), 10))
	s.mu.Lock()
	noDate := s.noDate
	s.mu.Unlock()
	if noDate {
		w = dateless{w}
	}
	fakehttp.Serve(&s.base, w, r, s.serve)
}

// dateless sends an answer without a Date header (net/http adds none to a
// header set to nil).
type dateless struct{ http.ResponseWriter }

func (d dateless) WriteHeader(code int) {
	d.Header()["Date"] = nil
	d.ResponseWriter.WriteHeader(code)
}

func (d dateless) Write(b []byte) (int, error) {
	d.Header()["Date"] = nil
	return d.ResponseWriter.Write(b)
}

func (d dateless) Flush() {
	if f, ok := d.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func headerWithoutAuth(h http.Header) http.Header {
	h = h.Clone()
	h.Del("Authorization")
	return h
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flush()
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.key)) != 1 || subtle.ConstantTimeCompare([]byte(pass), []byte(s.pass)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="API"`)
		writeErrors(w, http.StatusUnauthorized, map[string][]string{"base": {"invalid API key or password"}})
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/api/")
	switch {
	case path == "orders.json" && r.Method == http.MethodGet:
		s.list(w, r.URL.Query())
	case (path == "orders.json" || path == "orders") && r.Method == http.MethodPost:
		s.create(w, r)
	case path == "orders/count.json" && r.Method == http.MethodGet:
		s.count(w, r.URL.Query())
	case strings.HasPrefix(path, "orders/") && r.Method == http.MethodGet:
		rest := strings.TrimPrefix(path, "orders/")
		if idText, ok := strings.CutSuffix(rest, "/items.json"); ok {
			s.items(w, idText)
			return
		}
		if idText, ok := strings.CutSuffix(rest, "/payments.json"); ok {
			s.payments(w, idText)
			return
		}
		if idText, ok := strings.CutSuffix(rest, "/shipments.json"); ok {
			s.shipments(w, idText)
			return
		}
		if idText, ok := strings.CutSuffix(rest, ".json"); ok {
			s.get(w, idText, r.URL.Query())
			return
		}
		writeErrors(w, http.StatusNotFound, map[string][]string{"base": {"not found"}})
	default:
		writeErrors(w, http.StatusNotFound, map[string][]string{"base": {"not found"}})
	}
}

func writeErrors(w http.ResponseWriter, status int, fields map[string][]string) {
	fakehttp.WriteJSON(w, status, map[string]any{"errors": fields})
}

// filter is the parsed query of a list or count.
type filter struct {
	strs     map[string]string
	amounts  map[string]money.Amount
	ids      map[string]int64
	times    map[string]time.Time
	limit    int
	offset   int
	withItem bool
	withPay  bool
	// exclusive leaves orders at the created_at bounds out.
	exclusive bool
}

var (
	stringFilters = []string{"code", "status", "items_status", "payment_status", "payment_type", "shipping_type", "external_invoicing_id", "note"}
	amountFilters = []string{"coupon_value", "subtotal", "total", "total_min", "total_max", "coupon_value_min", "coupon_value_max"}
)

func parseFilter(q url.Values) (*filter, map[string][]string) {
	f := &filter{strs: map[string]string{}, amounts: map[string]money.Amount{}, ids: map[string]int64{}, times: map[string]time.Time{}, limit: 150}
	bad := map[string][]string{}
	for _, k := range stringFilters {
		if q.Has(k) {
			f.strs[k] = q.Get(k)
		}
	}
	for _, k := range amountFilters {
		if q.Has(k) {
			a, err := money.Parse(q.Get(k))
			if err != nil {
				bad[k] = append(bad[k], "is not a number")
				continue
			}
			f.amounts[k] = a
		}
	}
	for _, k := range []string{"id_min", "id_max"} {
		if q.Has(k) {
			n, err := strconv.ParseInt(q.Get(k), 10, 64)
			if err != nil {
				bad[k] = append(bad[k], "is not an integer")
				continue
			}
			f.ids[k] = n
		}
	}
	for _, k := range []string{"created_at_min", "created_at_max"} {
		if q.Has(k) {
			t, err := wire.ParseTime(q.Get(k))
			if err != nil {
				bad[k] = append(bad[k], "is not a date")
				continue
			}
			f.times[k] = t
		}
	}
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		switch {
		case err != nil:
			bad["limit"] = append(bad["limit"], "is not an integer")
		case n < 1 || n > 250:
			bad["limit"] = append(bad["limit"], "must be between 1 and 250")
		default:
			f.limit = n
		}
	}
	if q.Has("offset") {
		n, err := strconv.Atoi(q.Get("offset"))
		if err != nil || n < 0 {
			bad["offset"] = append(bad["offset"], "must be a non-negative integer")
		}
		f.offset = n
	}
	f.withItem, f.withPay = includes(q)
	return f, bad
}

func (f *filter) match(o *Order) bool {
	field := map[string]string{
		"code": o.Code, "status": o.Status, "items_status": o.ItemsStatus, "payment_status": o.PaymentStatus,
		"payment_type": o.PaymentType, "shipping_type": o.ShippingType, "external_invoicing_id": o.ExternalInvoicingID, "note": o.Note,
	}
	for k, v := range f.strs {
		if k == "status" && v == "open_or_in_progress" {
			if o.Status != "open" && o.Status != "in_progress" {
				return false
			}
			continue
		}
		if field[k] != v {
			return false
		}
	}
	for k, a := range f.amounts {
		var v money.Amount
		switch strings.TrimSuffix(strings.TrimSuffix(k, "_min"), "_max") {
		case "coupon_value":
			v = o.CouponValue
		case "subtotal":
			v = o.Subtotal
		case "total":
			v = o.Total
		}
		switch {
		case strings.HasSuffix(k, "_min"):
			if v.Cmp(a) < 0 {
				return false
			}
		case strings.HasSuffix(k, "_max"):
			if v.Cmp(a) > 0 {
				return false
			}
		default:
			if !v.Equal(a) {
				return false
			}
		}
	}
	if n, ok := f.ids["id_min"]; ok && o.ID < n {
		return false
	}
	if n, ok := f.ids["id_max"]; ok && o.ID > n {
		return false
	}
	if t, ok := f.times["created_at_min"]; ok && (o.CreatedAt.Before(t) || f.exclusive && o.CreatedAt.Equal(t)) {
		return false
	}
	if t, ok := f.times["created_at_max"]; ok && (o.CreatedAt.After(t) || f.exclusive && o.CreatedAt.Equal(t)) {
		return false
	}
	return true
}

// readTimes applies the SetCreatedAtBounds reading to f.
func (s *Server) readTimes(f *filter) {
	switch s.bounds {
	case CreatedAtByNameExclusive:
		f.exclusive = true
		return
	case CreatedAtIgnored:
		delete(f.times, "created_at_min")
		delete(f.times, "created_at_max")
		return
	case CreatedAtAsTableWords:
	default:
		return
	}
	lo, hasLo := f.times["created_at_min"]
	hi, hasHi := f.times["created_at_max"]
	delete(f.times, "created_at_min")
	delete(f.times, "created_at_max")
	if hasLo {
		f.times["created_at_max"] = lo
	}
	if hasHi {
		f.times["created_at_min"] = hi
	}
}

func (s *Server) matching(f *filter) []*Order {
	var out []*Order
	for _, o := range s.orders {
		if f.match(o) {
			out = append(out, o)
		}
	}
	return out
}

func (s *Server) list(w http.ResponseWriter, q url.Values) {
	f, bad := parseFilter(q)
	if len(bad) > 0 {
		writeErrors(w, http.StatusUnprocessableEntity, bad)
		return
	}
	if s.ignoreMin {
		delete(f.ids, "id_min")
	}
	s.readTimes(f)
	all := s.matching(f)
	if f.offset >= len(all) {
		all = nil
	} else {
		all = all[f.offset:]
	}
	if len(all) > f.limit && !s.ignoreLim {
		all = all[:f.limit]
	}
	if s.pageCap > 0 && len(all) > s.pageCap {
		all = all[:s.pageCap]
	}
	out := make([]any, 0, len(all))
	for _, o := range all {
		out = append(out, s.wrap("order", s.orderJSON(o, f.withItem, f.withPay), true))
	}
	fakehttp.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) count(w http.ResponseWriter, q url.Values) {
	f, bad := parseFilter(q)
	if len(bad) > 0 {
		writeErrors(w, http.StatusUnprocessableEntity, bad)
		return
	}
	s.readTimes(f)
	fakehttp.WriteJSON(w, http.StatusOK, map[string]int{"count": len(s.matching(f))})
}

func (s *Server) lookup(w http.ResponseWriter, idText string) *Order {
	id, err := strconv.ParseInt(idText, 10, 64)
	var o *Order
	if err == nil {
		o = s.find(id)
	}
	if o == nil {
		writeErrors(w, http.StatusNotFound, map[string][]string{"base": {"not found"}})
	}
	return o
}

func (s *Server) get(w http.ResponseWriter, idText string, q url.Values) {
	if o := s.lookup(w, idText); o != nil {
		withItems, withPayments := includes(q)
		fakehttp.WriteJSON(w, http.StatusOK, s.wrap("order", s.orderJSON(o, withItems, withPayments), true))
	}
}

// includes reads include=items,payments,…: the associations the fake
// nests.
func includes(q url.Values) (items, payments bool) {
	for _, inc := range strings.Split(q.Get("include"), ",") {
		items = items || inc == "items"
		payments = payments || inc == "payments"
	}
	return items, payments
}

// payments answers an order's payments, each under the root element
// "payment" as items are under "item" (the vendor shows no example).
func (s *Server) payments(w http.ResponseWriter, idText string) {
	if o := s.lookup(w, idText); o != nil {
		out := make([]any, 0, len(o.Payments))
		for _, p := range o.Payments {
			out = append(out, s.wrap("payment", paymentJSON(p), true))
		}
		fakehttp.WriteJSON(w, http.StatusOK, out)
	}
}

// shipments answers an order's shipments as they were given.
func (s *Server) shipments(w http.ResponseWriter, idText string) {
	if o := s.lookup(w, idText); o != nil {
		out := o.Shipments
		if out == nil {
			out = []json.RawMessage{}
		}
		fakehttp.WriteJSON(w, http.StatusOK, out)
	}
}

func (s *Server) items(w http.ResponseWriter, idText string) {
	if o := s.lookup(w, idText); o != nil {
		out := make([]any, 0, len(o.Items))
		for _, it := range o.Items {
			out = append(out, s.wrap("item", itemJSON(o.ID, it), true))
		}
		fakehttp.WriteJSON(w, http.StatusOK, out)
	}
}

// wrap puts v under its root element name when the reading says so;
// documented tells whether the vendor's page shows this answer wrapped.
func (s *Server) wrap(name string, v map[string]any, documented bool) any {
	switch {
	case s.root == RootAlways, s.root == RootAsDocumented && documented:
		return map[string]any{name: v}
	}
	return v
}

func q(a money.Amount) string { return a.String() }

func (s *Server) orderJSON(o *Order, withItems, withPayments bool) map[string]any {
	m := orderJSON(o, withItems, withPayments)
	switch s.origin {
	case OriginIDNull:
		m["origin_id"] = nil
	case OriginIDAbsent:
		delete(m, "origin_id")
	}
	return m
}

func orderJSON(o *Order, withItems, withPayments bool) map[string]any {
	m := map[string]any{
		"id": o.ID, "code": o.Code, "shop_id": ShopID, "created_at": o.CreatedAt.Format(time.RFC3339),
		"currency": "€", "status": o.Status, "payment_status": o.PaymentStatus, "items_status": o.ItemsStatus,
		"payment_type": o.PaymentType, "shipping_type": nullable(o.ShippingType),
		"external_invoicing_id": nullable(o.ExternalInvoicingID), "note": nullable(o.Note),
		"coupon_code": nullable(o.CouponCode), "customer_email": o.CustomerEmail,
		"coupon_value": q(o.CouponValue), "item_total": q(o.ItemTotal), "payment_cost": q(o.PaymentCost),
		"shipping_cost": q(o.ShippingCost), "subtotal": q(o.Subtotal), "total": q(o.Total),
		"weight_total": o.WeightTotal, "items_count": len(o.Items), "prices_include_tax": true,
		"payments_count": len(o.Payments), "shipments_count": len(o.Shipments),
		"billing_address":  addressJSON(o.ID, "billing", o.BillingAddress),
		"shipping_address": addressJSON(o.ID, "shipping", o.ShippingAddress),
	}
	for k, v := range o.Extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	// Every order carries the attributes Create takes, null when unset, as
	// the shop's serializer writes its columns.
	for _, k := range []string{"origin_id", "origin_name", "source", "referrer"} {
		if _, ok := m[k]; !ok {
			m[k] = nil
		}
	}
	if withItems {
		items := make([]any, 0, len(o.Items))
		for _, it := range o.Items {
			items = append(items, itemJSON(o.ID, it))
		}
		m["items"] = items
	}
	if withPayments {
		payments := make([]any, 0, len(o.Payments))
		for _, p := range o.Payments {
			payments = append(payments, paymentJSON(p))
		}
		m["payments"] = payments
	}
	return m
}

func paymentJSON(p Payment) map[string]any {
	return map[string]any{
		"id": p.ID, "category": p.Category, "amount": q(p.Amount), "currency": p.Currency,
		"comment": nullable(p.Comment), "trans_id": nullable(p.TransID),
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func itemJSON(orderID int64, it Item) map[string]any {
	return map[string]any{
		"id": it.ID, "order_id": orderID, "product_id": it.ProductID, "quantity": it.Quantity,
		"code": it.Code, "title": it.Title, "status": nullable(it.Status), "price": q(it.Price),
	}
}

func addressJSON(orderID int64, category string, a Address) map[string]any {
	return map[string]any{
		"order_id": orderID, "category": category, "firstname": a.Firstname, "lastname": a.Lastname,
		"company": a.Company, "street": a.Street, "streetnumber": a.Streetnumber, "zipcode": a.Zipcode,
		"city": a.City, "country": a.Country,
	}
}

// text reads a JSON string or number as text (the page sends zipcode and
// streetnumber as numbers).
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	var id wire.ID
	if err := id.UnmarshalJSON(b); err != nil {
		return err
	}
	*t = text(id)
	return nil
}

type addressIn struct {
	Firstname, Lastname, Street, City, Company, Country text
	Streetnumber                                        text `json:"streetnumber"`
	Zipcode                                             text `json:"zipcode"`
}

type createIn struct {
	PaymentType      *string       `json:"payment_type"`
	PaymentCost      *money.Amount `json:"payment_cost"`
	ItemTotal        *money.Amount `json:"item_total"`
	Total            *money.Amount `json:"total"`
	Subtotal         *money.Amount `json:"subtotal"`
	WeightTotal      *money.Amount `json:"weight_total"`
	ShippingCost     *money.Amount `json:"shipping_cost"`
	CouponCode       string        `json:"coupon_code"`
	CouponValue      money.Amount  `json:"coupon_value"`
	Note             string        `json:"note"`
	CreatedAt        wire.Time     `json:"created_at"`
	NewStatus        string        `json:"new_status"`
	NewPaymentStatus string        `json:"new_payment_status"`
	ItemsStatus      string        `json:"items_status"`
	Items            []struct {
		ProductID *int64        `json:"product_id"`
		Quantity  *int          `json:"quantity"`
		Code      text          `json:"code"`
		Title     string        `json:"title"`
		Status    string        `json:"status"`
		Price     *money.Amount `json:"price"`
	} `json:"items"`
	BillingAddress  *addressIn `json:"billing_address"`
	ShippingAddress *addressIn `json:"shipping_address"`
	Payments        []struct {
		Category string        `json:"category"`
		Amount   *money.Amount `json:"amount"`
		Currency string        `json:"currency"`
		Comment  string        `json:"comment"`
		TransID  text          `json:"trans_id"`
	} `json:"payments"`
}

var known = map[string]bool{
	"payment_type": true, "payment_cost": true, "item_total": true, "total": true, "subtotal": true,
	"weight_total": true, "shipping_cost": true, "coupon_code": true, "coupon_value": true, "note": true,
	"created_at": true, "new_status": true, "new_payment_status": true, "items_status": true, "items": true,
	"billing_address": true, "shipping_address": true,
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
		writeErrors(w, http.StatusBadRequest, map[string][]string{"base": {"unreadable body"}})
		return
	}
	var env struct {
		Order json.RawMessage `json:"order"`
	}
	var in createIn
	var all map[string]json.RawMessage
	if json.Unmarshal(buf.Bytes(), &env) != nil || len(env.Order) == 0 ||
		json.Unmarshal(env.Order, &in) != nil || json.Unmarshal(env.Order, &all) != nil {
		writeErrors(w, http.StatusUnprocessableEntity, map[string][]string{"base": {"is not a valid order"}})
		return
	}
	bad := map[string][]string{}
	blank := func(field string) { bad[field] = append(bad[field], "can't be blank") }
	if in.PaymentType == nil || strings.TrimSpace(*in.PaymentType) == "" {
		blank("payment_type")
	}
	for name, v := range map[string]*money.Amount{"payment_cost": in.PaymentCost, "item_total": in.ItemTotal, "total": in.Total,
		"subtotal": in.Subtotal, "weight_total": in.WeightTotal, "shipping_cost": in.ShippingCost} {
		if v == nil {
			blank(name)
		}
	}
	if len(in.Items) == 0 {
		blank("items")
	}
	for i, it := range in.Items {
		if it.ProductID == nil || *it.ProductID <= 0 {
			blank(fmt.Sprintf("items[%d].product_id", i))
		}
		if it.Quantity == nil || *it.Quantity <= 0 {
			blank(fmt.Sprintf("items[%d].quantity", i))
		}
	}
	for name, a := range map[string]*addressIn{"billing_address": in.BillingAddress, "shipping_address": in.ShippingAddress} {
		if a == nil {
			blank(name)
			continue
		}
		for f, v := range map[string]text{"firstname": a.Firstname, "lastname": a.Lastname, "street": a.Street,
			"streetnumber": a.Streetnumber, "zipcode": a.Zipcode, "city": a.City} {
			if strings.TrimSpace(string(v)) == "" {
				blank(name + "." + f)
			}
		}
	}
	if len(bad) > 0 {
		writeErrors(w, http.StatusUnprocessableEntity, bad)
		return
	}
	o := Order{
		PaymentType: *in.PaymentType, PaymentCost: *in.PaymentCost, ItemTotal: *in.ItemTotal, Total: *in.Total,
		Subtotal: *in.Subtotal, WeightTotal: *in.WeightTotal, ShippingCost: *in.ShippingCost,
		CouponCode: in.CouponCode, CouponValue: in.CouponValue, Note: in.Note, CreatedAt: in.CreatedAt.Time,
		Status: in.NewStatus, PaymentStatus: in.NewPaymentStatus, ItemsStatus: in.ItemsStatus,
		BillingAddress: in.BillingAddress.address(), ShippingAddress: in.ShippingAddress.address(),
	}
	for _, it := range in.Items {
		item := Item{ProductID: *it.ProductID, Quantity: *it.Quantity, Code: string(it.Code), Title: it.Title, Status: it.Status}
		if it.Price != nil {
			item.Price = *it.Price
		}
		o.Items = append(o.Items, item)
	}
	for _, p := range in.Payments {
		pay := Payment{Category: p.Category, Currency: p.Currency, Comment: p.Comment, TransID: string(p.TransID)}
		if p.Amount != nil {
			pay.Amount = *p.Amount
		}
		o.Payments = append(o.Payments, pay)
	}
	for k, v := range all {
		if !known[k] {
			if o.Extra == nil {
				o.Extra = map[string]json.RawMessage{}
			}
			o.Extra[k] = v
		}
	}
	if s.onCreate == CreatedAtOfCreation {
		o.CreatedAt = time.Time{} // stamped from the clock
	}
	if s.delay > 0 {
		// Written later: the answer is what the page shows, the order as
		// sent without id and code.
		s.pending = append(s.pending, pendingWrite{due: s.Now().Add(s.delay), order: o})
		m := s.orderJSON(&o, true, false)
		delete(m, "id")
		delete(m, "code")
		delete(m, "created_at")
		fakehttp.WriteJSON(w, http.StatusCreated, s.wrap("order", m, false))
		return
	}
	created := s.add(o)
	// The page shows the created order unwrapped, items included.
	fakehttp.WriteJSON(w, http.StatusCreated, s.wrap("order", s.orderJSON(created, true, false), false))
}

func (a *addressIn) address() Address {
	return Address{Firstname: string(a.Firstname), Lastname: string(a.Lastname), Company: string(a.Company),
		Street: string(a.Street), Streetnumber: string(a.Streetnumber), Zipcode: string(a.Zipcode),
		City: string(a.City), Country: string(a.Country)}
}
