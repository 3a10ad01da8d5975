// Package inventorumtest is an in-memory fake of the Inventorum orders and
// basket endpoints, an http.Handler for tests of code that uses package
// inventorum:
//
//	fake := inventorumtest.NewServer()
//	fake.GenerateOrders(250, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute)
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
//
// or, without a socket, through the fake's Transport:
//
//	c, _ := inventorum.NewClient(inventorumtest.DefaultAccessToken,
//		orderkit.WithBaseURL(inventorumtest.BaseURL("http://inventorum.test")),
//		orderkit.WithHTTPClient(&http.Client{Transport: fake.Transport()}))
//
// It serves GET /api/orders/delta/, GET /api/orders/, POST /api/basket/ and
// POST /api/auth/token/ as the vendor's page describes them: the delta feed
// ordered by (delta time, id), start_date inclusive, pages from 0; the list
// by a required date range, pages from 1, iPad left out unless asked for,
// search over the documented fields; DRAFT orders never listed; PENDING
// orders in the delta feed only for X-Api-Version below 12; baskets that
// become pending orders; paths without their trailing slash answered 301.
//
// The vendor's payload carries no modification time, so the fake files an
// order in the delta feed under Order.DeltaTime (completed_at, else
// time_added); ModifyOrder moves an order by setting completed_at.
//
// Where the delta page can be read more than one way, SetDeltaReading
// switches the fake to another reading (start_date exclusive, pages from 1,
// a page size capped below the limit asked, the feed ordered by a hidden
// modification time, timestamps in whole seconds), alone or combined, so
// that code can be tested against each. SetIgnoreChannel and
// SetDeltaDefaultChannel switch the channel parameter's readings;
// SetHidePending, SetDateHeader and SetBasketDelay those a lost basket's
// lookup must survive (PENDING baskets hidden from the feed whatever
// X-Api-Version asks, answers without a Date header, a basket written
// after its POST was answered).
package inventorumtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orderkit/orderkit/internal/fakehttp"
	"github.com/orderkit/orderkit/inventorum"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// The credentials a new fake accepts: the access token, and the client
// and refresh token a token refresh needs.
var (
	DefaultAccessToken  = "fake-access-token"
	DefaultRefreshToken = "fake-refresh-token"
	DefaultClientID     = "fake-client"
	DefaultClientSecret = "fake-secret"
)

// BaseURL returns the base URL an inventorum.Client needs to reach the fake
// served at serverURL (an httptest.Server's URL): the fake serves the API
// under /api, as the production host does.
//
//	c, err := inventorum.NewClient(inventorumtest.DefaultAccessToken, orderkit.WithBaseURL(inventorumtest.BaseURL(srv.URL)))
func BaseURL(serverURL string) string { return strings.TrimRight(serverURL, "/") + "/api" }

// Request is one request the fake received, as Requests returns it.
type Request struct {
	Method string
	// Path is the URL path as received, such as "/api/orders/delta/".
	Path  string
	Query url.Values
	// Header is the request's headers, without Authorization.
	Header http.Header
}

// base keeps the embedded field unexported: its methods are promoted, and
// the docs name no internal type.
type base = fakehttp.Server[Request]

// Server is the fake. Its methods are safe for concurrent use.
//
// Besides its own methods, it has those every orderkit fake shares
// (promoted from the part every fake embeds):
//
//   - Requests() []Request: every request received, oldest first, faulted
//     ones and token refreshes included; Count(method, path) counts them,
//     such as ("GET", "/api/orders/delta/").
//   - Transport() http.RoundTripper: serves the fake in memory, whatever
//     the URL's host.
//   - SetClock(now) and Now(): the fake's clock, which dates baskets,
//     refreshed tokens and every answer's Date header.
//   - The faults, each for the next request for the orders or basket
//     endpoints (token refreshes pass them by), in the order queued:
//     FailNext(status, body), FailNextOn(method, path, status, body),
//     FailNextRetryAfter(status, after, body), DropNextBeforeActing() (a
//     basket is not created), DropNextAfterActing() (a basket is created,
//     then the connection closes without an answer),
//     FailNextAfterActing(status, body) (a proxy's 502 after the basket
//     was created), TruncateNextAfterActing() and DelayNext(d).
type Server struct {
	base

	mu     sync.Mutex
	orders []inventorum.Order
	byID   map[inventorum.ID]int
	// deltaIdx indexes orders by (delta time, id); rebuilt when dirty.
	deltaIdx []int
	dirty    bool
	nextID   inventorum.ID
	access   map[string]bool
	refresh  string
	refreshN int
	// deltaDefault is the channel the delta feed keeps without a channel
	// parameter; "" is every channel.
	deltaDefault  inventorum.Channel
	ignoreChannel bool
	reading       DeltaReading
	// modTime is the hidden modification time of each order modified
	// under DeltaReading.HiddenModTime; other orders use DeltaTime.
	modTime       map[inventorum.ID]time.Time
	tokenLifetime time.Duration
	// hidePending, noDate and basketDelay are the readings of
	// SetHidePending, SetDateHeader and SetBasketDelay; delayed holds the
	// baskets received and not written yet.
	hidePending bool
	noDate      bool
	basketDelay time.Duration
	delayed     []delayedBasket
}

type delayedBasket struct {
	due   time.Time
	order inventorum.Order
}

// SetHidePending makes the delta feed hide PENDING orders (new baskets)
// whatever X-Api-Version asks, as version 12 and later do: a server that
// serves its current version's feed to an older version. By default
// (false) PENDING orders show for X-Api-Version below 12, as the page
// documents.
func (s *Server) SetHidePending(hide bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hidePending = hide
}

// SetDateHeader switches the Date header of every answer on (the
// default) or off: a proxy or server that sends none.
func (s *Server) SetDateHeader(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noDate = !on
}

// SetBasketDelay makes the fake write a basket d after its POST arrived,
// on the fake's clock (a server that queues the write): the POST is
// answered at once (or its answer lost, as the faults say), and the order
// appears, created at the time it is written, with the first request at
// or after then. 0 (the default) writes it at once.
func (s *Server) SetBasketDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.basketDelay = d
}

// writeDue writes the delayed baskets whose time has come.
func (s *Server) writeDue() {
	now := s.Now()
	s.mu.Lock()
	var due []inventorum.Order
	keep := s.delayed[:0]
	for _, b := range s.delayed {
		if !now.Before(b.due) {
			b.order.TimeAdded, b.order.CompletedAt = b.due, b.due
			due = append(due, b.order)
		} else {
			keep = append(keep, b)
		}
	}
	s.delayed = keep
	s.mu.Unlock()
	for _, o := range due {
		s.AddOrder(o)
	}
}

// noDateWriter drops the Date header of an answer (SetDateHeader(false)).
type noDateWriter struct{ http.ResponseWriter }

func (w noDateWriter) WriteHeader(code int) {
	w.Header()["Date"] = nil // nil, not deleted: net/http adds one when absent
	w.ResponseWriter.WriteHeader(code)
}

func (w noDateWriter) Write(b []byte) (int, error) {
	w.Header()["Date"] = nil
	return w.ResponseWriter.Write(b)
}

// DeltaReading is how the fake reads the delta page where the page allows
// more than one reading. The zero value is the reading the fake documents:
// start_date inclusive, pages from 0, the limit asked, the feed ordered by
// the orders' visible delta time, timestamps as given.
type DeltaReading struct {
	// ExclusiveStart reads start_date as "after" (>) instead of "since"
	// (>=).
	ExclusiveStart bool
	// PagesFromOne numbers pages from 1, as the main reference does ("page
	// defaults to the first page", page=1). Page 0, or none, is the first
	// page.
	PagesFromOne bool
	// PageCap, when positive, answers at most this many orders a page
	// whatever limit asks (a server or proxy capping the page size).
	PageCap int
	// HiddenModTime orders the feed by a modification time the payload
	// does not show: ModifyOrder keeps time_added and completed_at and
	// moves the order to its modification time (the end of the feed), with
	// delta_state "modified".
	HiddenModTime bool
	// Envelope is how the delta feed wraps a page: "" or "data" for the
	// documented {"total", "data"}, "results" for {"total", "results"},
	// "bare" for a bare array of orders, which tells no total.
	Envelope string
	// Resolution, when positive, truncates the times of orders added or
	// modified afterwards to it: time.Second for whole seconds,
	// time.Millisecond for milliseconds. start_date is compared with the
	// stored times as sent (milliseconds).
	Resolution time.Duration
}

// String names the reading for test names: "ge-p0-nocap-visible-ns" and
// the like.
func (r DeltaReading) String() string {
	var b strings.Builder
	if r.ExclusiveStart {
		b.WriteString("gt")
	} else {
		b.WriteString("ge")
	}
	if r.PagesFromOne {
		b.WriteString("-p1")
	} else {
		b.WriteString("-p0")
	}
	if r.PageCap > 0 {
		fmt.Fprintf(&b, "-cap%d", r.PageCap)
	} else {
		b.WriteString("-nocap")
	}
	if r.HiddenModTime {
		b.WriteString("-hidden")
	} else {
		b.WriteString("-visible")
	}
	switch r.Resolution {
	case 0:
		b.WriteString("-ns")
	case time.Second:
		b.WriteString("-s")
	case time.Millisecond:
		b.WriteString("-ms")
	default:
		b.WriteString("-" + r.Resolution.String())
	}
	if r.Envelope != "" && r.Envelope != "data" {
		b.WriteString("-" + r.Envelope)
	}
	return b.String()
}

// SetDeltaReading switches the delta feed to reading r. It may be called
// at any time; Resolution applies to orders added or modified afterwards.
func (s *Server) SetDeltaReading(r DeltaReading) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reading = r
	s.dirty = true
}

// SetTokenLifetime sets the expires_in the token endpoint answers (default
// 24 hours).
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLifetime = d
}

// deltaKey is where o stands in the delta feed.
func (s *Server) deltaKey(o *inventorum.Order) time.Time {
	if t, ok := s.modTime[o.ID]; ok && s.reading.HiddenModTime {
		return t
	}
	return o.DeltaTime()
}

func (s *Server) trunc(t time.Time) time.Time {
	if s.reading.Resolution > 0 {
		return t.Truncate(s.reading.Resolution)
	}
	return t
}

// NewServer returns an empty fake that accepts DefaultAccessToken and
// refreshes with DefaultClientID, DefaultClientSecret and
// DefaultRefreshToken.
func NewServer() *Server {
	s := &Server{
		nextID:        1000,
		byID:          map[inventorum.ID]int{},
		access:        map[string]bool{DefaultAccessToken: true},
		refresh:       DefaultRefreshToken,
		modTime:       map[inventorum.ID]time.Time{},
		tokenLifetime: 24 * time.Hour,
	}
	fakehttp.Bind(&s.base, s)
	return s
}

// SetDeltaDefaultChannel makes the delta feed keep only ch when the request
// names no channel (the page's "Default: shop" reading). "" (the default)
// keeps every channel (its "from all channels" reading).
func (s *Server) SetDeltaDefaultChannel(ch inventorum.Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deltaDefault = ch
}

// SetIgnoreChannel makes the delta feed ignore the channel parameter.
func (s *Server) SetIgnoreChannel(ignore bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ignoreChannel = ignore
}

// ExpireAccessTokens makes every access token issued so far answer 401.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = map[string]bool{}
}

// CurrentRefreshToken returns the refresh token the fake accepts now.
func (s *Server) CurrentRefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh
}

// Refreshes counts successful token refreshes.
func (s *Server) Refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshN
}

// AddOrder stores o, giving it the next id when o.ID is 0, and returns it.
func (s *Server) AddOrder(o inventorum.Order) inventorum.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.ID == 0 {
		s.nextID++
		o.ID = s.nextID
	} else if o.ID > s.nextID {
		s.nextID = o.ID
	}
	if o.DeltaState == "" {
		o.DeltaState = inventorum.DeltaCreated
	}
	o.TimeAdded, o.CompletedAt = s.trunc(o.TimeAdded), s.trunc(o.CompletedAt)
	delete(s.modTime, o.ID)
	if i, ok := s.byID[o.ID]; ok {
		s.orders[i] = o
	} else {
		s.byID[o.ID] = len(s.orders)
		s.orders = append(s.orders, o)
	}
	s.dirty = true
	return o
}

// ModifyOrder applies fn to the order with id, marks it modified and files
// it in the delta feed at time at: by setting completed_at, or, under
// DeltaReading.HiddenModTime, by a modification time the payload does not
// show. It reports whether the order exists.
func (s *Server) ModifyOrder(id inventorum.ID, at time.Time, fn func(*inventorum.Order)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byID[id]
	if !ok {
		return false
	}
	if fn != nil {
		fn(&s.orders[i])
	}
	s.orders[i].DeltaState = inventorum.DeltaModified
	if s.reading.HiddenModTime {
		s.modTime[id] = s.trunc(at.UTC())
	} else {
		s.orders[i].CompletedAt = s.trunc(at.UTC())
		delete(s.modTime, id)
	}
	s.dirty = true
	return true
}

// Order returns the stored order with id.
func (s *Server) Order(id inventorum.ID) (inventorum.Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.byID[id]; ok {
		return s.orders[i], true
	}
	return inventorum.Order{}, false
}

// Len returns the number of stored orders.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.orders)
}

var genStates = []orderstate.State{orderstate.Completed, orderstate.Completed, orderstate.Paid | orderstate.Closed, orderstate.Pending, orderstate.Canceled, orderstate.Completed | orderstate.Refunded, orderstate.Draft}

// GenerateOrders adds n orders, deterministic from their index: every
// channel and state in turn, one every step from start. It returns them.
func (s *Server) GenerateOrders(n int, start time.Time, step time.Duration) []inventorum.Order {
	out := make([]inventorum.Order, 0, n)
	for i := 0; i < n; i++ {
		t := start.Add(time.Duration(i) * step).UTC()
		qty := i%3 + 1
		unitGross := money.FromCents(int64(199 + i%50*100))
		item := inventorum.Item{
			Name:             fmt.Sprintf("Article %d", i%17+1),
			Product:          inventorum.ID(2000000 + i%17),
			Quantity:         qty,
			OriginalQuantity: money.FromInt(int64(qty)),
			TaxRate:          money.MustParse("19.000"),
			UnitGrossPrice:   unitGross,
			GrossPrice:       unitGross.Times(int64(qty)),
			Price:            money.FromDecimal(unitGross.Decimal().DivRound(money.MustParse("1.19").Decimal(), 10)),
		}
		code := fmt.Sprintf("7206%04d", i%17)
		item.ProductCode = &code
		o := inventorum.Order{
			Basket:      inventorum.Basket{Items: []inventorum.Item{item}, InvoiceNumber: strconv.Itoa(600 + i)},
			State:       genStates[(i/len(inventorum.Channels)+i)%len(genStates)],
			Channel:     inventorum.Channels[i%len(inventorum.Channels)],
			TimeAdded:   t,
			CompletedAt: t,
			AmountPaid:  item.GrossPrice,
		}
		out = append(out, s.AddOrder(o))
	}
	return out
}

// ServeHTTP answers the orders, delta, basket and token endpoints under
// /api/, as the API does, after the next queued fault (see FailNext) for
// the orders and basket endpoints. Every answer carries a Date header on
// the fake's clock.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A request is recorded as it arrives, before any fault, so that Count
	// is exact as soon as the client has its error.
	h := r.Header.Clone()
	h.Del("Authorization")
	fakehttp.Record(&s.base, r.Method, r.URL.Path, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: h})
	s.writeDue()
	s.mu.Lock()
	noDate := s.noDate
	s.mu.Unlock()
	if noDate {
		w = noDateWriter{w}
	}
	if strings.HasSuffix(r.URL.Path, "/auth/token/") {
		w.Header().Set("Date", s.Now().UTC().Format(http.TimeFormat))
		s.serve(w, r)
		return
	}
	fakehttp.Serve(&s.base, w, r, s.serve)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	p := strings.TrimPrefix(path, "/api")
	switch p {
	case "/orders", "/orders/delta", "/basket", "/auth/token":
		w.Header().Set("Location", path+"/")
		w.WriteHeader(http.StatusMovedPermanently)
		return
	case "/auth/token/":
		s.token(w, r)
		return
	}
	if !s.authorized(r) {
		fakehttp.WriteJSON(w, http.StatusUnauthorized, map[string]string{"detail": "Invalid token."})
		return
	}
	switch {
	case p == "/orders/delta/" && r.Method == http.MethodGet:
		s.delta(w, r)
	case p == "/orders/" && r.Method == http.MethodGet:
		s.list(w, r)
	case p == "/basket/" && r.Method == http.MethodPost:
		s.basket(w, r)
	case p == "/orders/delta/" || p == "/orders/" || p == "/basket/":
		fakehttp.WriteJSON(w, http.StatusMethodNotAllowed, map[string]string{"detail": fmt.Sprintf("Method \"%s\" not allowed.", r.Method)})
	default:
		fakehttp.WriteJSON(w, http.StatusNotFound, map[string]string{"detail": "Not found."})
	}
}

func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.access[tok]
}

func badRequest(w http.ResponseWriter, msg string) {
	fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]string{"detail": msg})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		fakehttp.WriteJSON(w, http.StatusMethodNotAllowed, map[string]string{"detail": "Method not allowed."})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != DefaultClientID || secret != DefaultClientSecret {
		fakehttp.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	if err := r.ParseForm(); err != nil {
		fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != s.refresh {
		fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	s.refreshN++
	access := fmt.Sprintf("fake-access-%d", s.refreshN)
	s.refresh = fmt.Sprintf("fake-refresh-%d", s.refreshN)
	s.access[access] = true
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": int64(s.tokenLifetime / time.Second),
		"refresh_token": s.refresh, "scope": "orders checkout",
	})
}

func apiVersion(r *http.Request) int {
	v, err := strconv.Atoi(r.Header.Get("X-Api-Version"))
	if err != nil {
		return 12
	}
	return v
}

func intParam(r *http.Request, name string, def, min, max int) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || (max > 0 && n > max) {
		return 0, fmt.Errorf("invalid %s %q", name, raw)
	}
	return n, nil
}

// moneyKeys are the fields the API sends as decimal strings.
var moneyKeys = map[string]bool{
	"price": true, "tax_rate": true, "gross_price": true, "unit_gross_price": true,
	"original_quantity": true, "amount_paid": true, "payment_amount": true, "cost": true, "amount": true,
}

// writeOrders answers a page the way the API does: amounts and quantities
// as strings ("5.8739495798"), timestamps with "+00:00".
func writeOrders(w http.ResponseWriter, p page) {
	var out any = p
	switch p.envelope {
	case "results":
		out = struct {
			Total   int                `json:"total"`
			Results []inventorum.Order `json:"results"`
		}{p.Total, p.Data}
	case "bare":
		out = p.Data
	}
	b, err := json.Marshal(out)
	if err != nil {
		fakehttp.WriteJSON(w, http.StatusInternalServerError, map[string]string{"detail": "A server error occurred."})
		return
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		fakehttp.WriteJSON(w, http.StatusInternalServerError, map[string]string{"detail": "A server error occurred."})
		return
	}
	fakehttp.WriteJSON(w, http.StatusOK, vendorStyle("", v))
}

func vendorStyle(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = vendorStyle(k, e)
		}
	case []any:
		for i, e := range x {
			x[i] = vendorStyle("", e)
		}
	case json.Number:
		if moneyKeys[key] {
			return x.String()
		}
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil && strings.HasSuffix(x, "Z") {
			return t.UTC().Format("2006-01-02T15:04:05.999999999") + "+00:00"
		}
	}
	return v
}

type page struct {
	Total int                `json:"total"`
	Data  []inventorum.Order `json:"data"`
	// envelope is DeltaReading.Envelope.
	envelope string
}

func (s *Server) delta(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var start time.Time
	if raw := q.Get("start_date"); raw != "" {
		t, err := time.Parse("2006-01-02T15:04:05.000Z", raw)
		if err != nil {
			badRequest(w, "Validation error: start_date must be YYYY-MM-DDTHH:mm:ss.sssZ")
			return
		}
		start = t
	}
	limit, err := intParam(r, "limit", 100, 1, 100)
	if err != nil {
		badRequest(w, "Validation error: "+err.Error())
		return
	}
	pg, err := intParam(r, "page", 0, 0, 0)
	if err != nil {
		badRequest(w, "Validation error: "+err.Error())
		return
	}
	ch := inventorum.Channel(q.Get("channel"))
	if ch != "" && !ch.Valid() {
		badRequest(w, "Validation error: unknown channel")
		return
	}
	version := apiVersion(r)
	orderSpec := q.Get("order_by")
	s.mu.Lock()
	rd := s.reading
	if rd.PagesFromOne {
		// Page 0 (or none) is the first page, page 1 too.
		if pg > 0 {
			pg--
		}
	}
	if rd.PageCap > 0 && limit > rd.PageCap {
		limit = rd.PageCap
	}
	if s.ignoreChannel {
		ch = ""
	}
	if ch == "" {
		ch = s.deltaDefault
	}
	if s.dirty {
		s.reindex()
	}
	// The index is sorted by (delta time, id): start at start_date and
	// keep only the requested page, so a large fake stays fast.
	first := sort.Search(len(s.deltaIdx), func(i int) bool {
		k := s.deltaKey(&s.orders[s.deltaIdx[i]])
		if rd.ExclusiveStart {
			return k.After(start)
		}
		return !k.Before(start)
	})
	var sel []inventorum.Order
	total := 0
	for _, i := range s.deltaIdx[first:] {
		o := &s.orders[i]
		if o.State.Has(orderstate.Draft) || ((version >= 12 || s.hidePending) && o.State.Has(orderstate.Pending)) {
			continue
		}
		if ch != "" && o.Channel != ch {
			continue
		}
		if orderSpec != "" || (total >= pg*limit && total < pg*limit+limit) {
			sel = append(sel, *o)
		}
		total++
	}
	s.mu.Unlock()
	if orderSpec != "" {
		if err := orderBy(sel, orderSpec); err != nil {
			badRequest(w, "Validation error: "+err.Error())
			return
		}
		sel = cut(sel, pg*limit, limit)
	}
	if sel == nil {
		sel = []inventorum.Order{}
	}
	writeOrders(w, page{Total: total, Data: sel, envelope: rd.Envelope})
}

func (s *Server) reindex() {
	s.deltaIdx = s.deltaIdx[:0]
	for i := range s.orders {
		s.deltaIdx = append(s.deltaIdx, i)
	}
	sort.Slice(s.deltaIdx, func(a, b int) bool {
		oa, ob := &s.orders[s.deltaIdx[a]], &s.orders[s.deltaIdx[b]]
		if c := s.deltaKey(oa).Compare(s.deltaKey(ob)); c != 0 {
			return c < 0
		}
		return oa.ID < ob.ID
	})
	s.dirty = false
}

func orderBy(sel []inventorum.Order, spec string) error {
	fields := strings.Split(spec, ",")
	for _, f := range fields {
		switch strings.TrimPrefix(f, "-") {
		case "id", "channel", "start_date":
		default:
			return fmt.Errorf("unknown order_by field %q", f)
		}
	}
	sort.SliceStable(sel, func(i, j int) bool {
		for _, f := range fields {
			desc := strings.HasPrefix(f, "-")
			var c int
			switch strings.TrimPrefix(f, "-") {
			case "id":
				c = cmpInt(int64(sel[i].ID), int64(sel[j].ID))
			case "channel":
				c = strings.Compare(string(sel[i].Channel), string(sel[j].Channel))
			case "start_date":
				c = sel[i].DeltaTime().Compare(sel[j].DeltaTime())
			}
			if desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	return nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cut(sel []inventorum.Order, off, n int) []inventorum.Order {
	if off >= len(sel) {
		return []inventorum.Order{}
	}
	end := off + n
	if end > len(sel) {
		end = len(sel)
	}
	return sel[off:end]
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	const layout = "2006.01.02 15:04:05"
	start, err1 := time.Parse(layout, q.Get("start"))
	end, err2 := time.Parse(layout, q.Get("end"))
	if err1 != nil || err2 != nil {
		badRequest(w, "Validation error: start and end are required as YYYY.MM.DD hh:mm:ss")
		return
	}
	limit, err := intParam(r, "limit", 40, 1, 40)
	if err != nil {
		badRequest(w, "Validation error: "+err.Error())
		return
	}
	pg, err := intParam(r, "page", 1, 1, 0)
	if err != nil {
		badRequest(w, "Validation error: "+err.Error())
		return
	}
	ch := inventorum.Channel(q.Get("channel"))
	if ch != "" && (!ch.Valid() || ch == inventorum.ChannelBackoffice) {
		badRequest(w, "Validation error: unknown channel")
		return
	}
	terms := strings.Fields(strings.ToLower(q.Get("search")))
	s.mu.Lock()
	var sel []inventorum.Order
	for _, o := range s.orders {
		if o.State.Has(orderstate.Draft) {
			continue
		}
		if ch == "" && o.Channel == inventorum.ChannelIPad || ch != "" && o.Channel != ch {
			continue
		}
		if o.TimeAdded.Before(start) || o.TimeAdded.After(end) {
			continue
		}
		if !matches(&o, terms) {
			continue
		}
		sel = append(sel, o)
	}
	s.mu.Unlock()
	sort.SliceStable(sel, func(i, j int) bool {
		if c := sel[i].CompletedAt.Compare(sel[j].CompletedAt); c != 0 {
			return c < 0
		}
		if c := sel[i].TimeAdded.Compare(sel[j].TimeAdded); c != 0 {
			return c < 0
		}
		return sel[i].ID < sel[j].ID
	})
	writeOrders(w, page{Total: len(sel), Data: cut(sel, (pg-1)*limit, limit)})
}

// matches: every term is found in one of the searchable fields.
func matches(o *inventorum.Order, terms []string) bool {
	if len(terms) == 0 {
		return true
	}
	var fields []string
	fields = append(fields, o.Basket.InvoiceNumber)
	for _, it := range o.Basket.Items {
		fields = append(fields, it.Name)
		if it.ProductCode != nil {
			fields = append(fields, *it.ProductCode)
		}
	}
	if c := o.Customer; c != nil {
		fields = append(fields, c.FirstName, c.LastName)
		if c.MiddleName != nil {
			fields = append(fields, *c.MiddleName)
		}
		if c.BillingAddress != nil {
			fields = append(fields, c.BillingAddress.Company)
		}
		for _, a := range c.ShippingAddresses {
			fields = append(fields, a.Company)
		}
	}
	for _, t := range terms {
		if !slices.ContainsFunc(fields, func(f string) bool { return strings.Contains(strings.ToLower(f), t) }) {
			return false
		}
	}
	return true
}

type basketItem struct {
	Price    *json.Number         `json:"price"`
	Quantity *int                 `json:"quantity"`
	Product  *int64               `json:"product"`
	Name     string               `json:"name"`
	Discount *inventorum.Discount `json:"discount"`
}

type basketBody struct {
	Items        []basketItem         `json:"items"`
	NoteInternal *string              `json:"note_internal"`
	NoteExternal *string              `json:"note_external"`
	Customer     *int64               `json:"customer"`
	Discount     *inventorum.Discount `json:"discount"`
}

func serializerError(w http.ResponseWriter, fields map[string]any) {
	fakehttp.WriteJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
		"fields": fields, "description": "Serialization error", "key": "common.serializer_error",
	}})
}

func (s *Server) basket(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		fakehttp.WriteJSON(w, http.StatusUnsupportedMediaType, map[string]string{"detail": "Unsupported media type."})
		return
	}
	var b basketBody
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&b); err != nil {
		badRequest(w, "JSON parse error")
		return
	}
	if len(b.Items) == 0 {
		serializerError(w, map[string]any{"items": []string{"This field is required."}})
		return
	}
	itemErrs := make([]map[string][]string, len(b.Items))
	bad := false
	for i, it := range b.Items {
		e := map[string][]string{}
		if it.Price == nil {
			e["price"] = []string{"This field is required."}
		} else if _, err := money.Parse(it.Price.String()); err != nil {
			e["price"] = []string{"A valid number is required."}
		}
		if it.Quantity == nil {
			e["quantity"] = []string{"This field is required."}
		} else if *it.Quantity < 1 {
			e["quantity"] = []string{"Ensure this value is greater than or equal to 1."}
		}
		if it.Product == nil {
			e["product"] = []string{"This field is required."}
		}
		if len(e) > 0 {
			bad = true
		}
		itemErrs[i] = e
	}
	if bad {
		serializerError(w, map[string]any{"items": itemErrs})
		return
	}
	now := s.Now().UTC()
	o := inventorum.Order{State: orderstate.Pending, Channel: inventorum.ChannelBackoffice, TimeAdded: now, CompletedAt: now}
	o.Basket.NoteInternal, o.Basket.NoteExternal, o.Basket.Discount = b.NoteInternal, b.NoteExternal, b.Discount
	if b.Customer != nil {
		o.Customer = &inventorum.Customer{ID: inventorum.ID(*b.Customer)}
	}
	for _, it := range b.Items {
		net, _ := money.Parse(it.Price.String())
		unitGross := net.Gross(money.FromInt(19))
		o.Basket.Items = append(o.Basket.Items, inventorum.Item{
			Name: it.Name, Product: inventorum.ID(*it.Product), Quantity: *it.Quantity,
			OriginalQuantity: money.FromInt(int64(*it.Quantity)), Price: net,
			TaxRate: money.MustParse("19.000"), UnitGrossPrice: unitGross,
			GrossPrice: unitGross.Times(int64(*it.Quantity)), Discount: it.Discount,
		})
	}
	s.mu.Lock()
	delay := s.basketDelay
	if delay > 0 {
		// The answer names the id the order will have.
		s.nextID++
		o.ID = s.nextID
		s.delayed = append(s.delayed, delayedBasket{due: now.Add(delay), order: o})
	}
	s.mu.Unlock()
	if delay == 0 {
		o = s.AddOrder(o)
	}
	var customer any
	if b.Customer != nil {
		customer = *b.Customer
	}
	fakehttp.WriteJSON(w, http.StatusOK, map[string]any{
		"id": o.ID, "user": 1, "customer": customer, "basket": int64(o.ID) + 1000,
		"state": fmt.Sprintf("%02d", uint32(o.State)), "completed_at": now.Format("2006-01-02T15:04:05.000-07:00"),
		"channel": 1, "shipment": nil, "description": nil,
	})
}
