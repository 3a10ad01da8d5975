// Package adilitytest is an in-memory fake of the Adility Distribution API's
// Order resource, for tests that should not touch the network. It speaks
// JSON and XML (by the request's Content-Type and Accept), checks the API
// key, issues one voucher for each unit ordered, refuses a repeated
// order_number, and cancels an order with all its vouchers.
//
//	fake := adilitytest.NewServer()
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	c, _ := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)))
//
// or, without a socket, orderkit.WithHTTPClient(&http.Client{Transport:
// fake.Transport()}) with any base URL.
//
// The fake answers under "/" and under "/distribution/beta/", so a base URL
// with or without the documented path works. Besides the Order resource it
// cancels single vouchers and reads a voucher by its redemption code under
// DemoAdvertiserID. Its error bodies are its own choice (Adility does not
// publish one): {"errors": {"order_number": ["has already been taken"]}}
// and <errors><error>...</error></errors> with 422, {"error": "..."} and
// <error>...</error> with 401 and 404. SetDuplicateRefusal switches the
// refusal of a repeated order_number between its readings: plain, naming
// the order at the top level, or in a nested error object.
package adilitytest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/orderkit/orderkit/internal/fakehttp"
)

// DefaultAPIKey is the API key the fake accepts: pass it to
// adility.NewClient. A test of a wrong key passes the client another.
var DefaultAPIKey = "adilitytest-api-key"

// MaxQuantity is the most units of one item the fake sells in one order
// (one voucher each); more is refused with 422, so a test cannot make it
// issue vouchers until memory runs out.
const MaxQuantity = 1000

// DemoOfferID is the offer every new Server sells.
const DemoOfferID = "4e8b1a2f9a0e7d0011000001"

// DemoAdvertiserID is the advertiser of every offer the fake sells: its
// vouchers are read by redemption code under
// /advertisers/DemoAdvertiserID/vouchers/:redemption_code.
const DemoAdvertiserID = "4e8b1a2f9a0e7d0011000042"

// base is the shared fake machinery, embedded unexported.
type base = fakehttp.Server[Request]

// Server is the fake. Its zero value is not usable; call NewServer. It is
// safe for concurrent use.
//
// Besides its own methods it has those every orderkit fake shares:
// Requests and Count (the requests received, faulted ones included),
// Transport (an in-memory http.RoundTripper), SetClock and Now (the purchase
// time of orders, the dates of vouchers and every answer's Date header),
// and the faults FailNext, FailNextOn, FailNextRetryAfter,
// DropNextBeforeActing, DropNextAfterActing, FailNextAfterActing,
// TruncateNextAfterActing and DelayNext, each queued for the coming
// requests in order. Count takes the path without the "/distribution/beta"
// prefix ("/orders").
type Server struct {
	base

	mu      sync.Mutex
	offers  map[string]bool
	orders  map[string]*Order
	numbers map[string]string // order_number → order id
	seq     int
	// refusal is the shape of a duplicate order_number refusal (see
	// SetDuplicateRefusal).
	refusal DuplicateRefusal
}

// DuplicateRefusal is the shape of Adility's answer to a repeated
// order_number, which it does not publish.
type DuplicateRefusal int

// The readings SetDuplicateRefusal switches between. Each is a 422.
const (
	// DuplicateRefusalPlain says only that the number is taken (the
	// default): {"errors": {"order_number": ["has already been taken"]}},
	// <errors><error>order_number has already been taken</error></errors>.
	DuplicateRefusalPlain DuplicateRefusal = iota
	// DuplicateRefusalTopLevel also names the existing order beside the
	// errors: {"errors": {...}, "order_id": "<id>"}; in XML an <order_id>
	// in <errors>.
	DuplicateRefusalTopLevel
	// DuplicateRefusalNested answers one error object that names the
	// order: {"error": {"message": "Order number has already been taken",
	// "code": "duplicate_order_number", "order_id": "<id>"}}; in XML
	// <error><message>…</message><code>…</code><order_id>…</order_id></error>.
	DuplicateRefusalNested
)

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string
	// Format is "json" or "xml": the format the fake answered in.
	Format string
	// APIKey is the X-ADILITY-API-KEY header as received.
	APIKey string
	// Body is the request body as received.
	Body string
}

// Order is an order as the fake keeps and sends it.
type Order struct {
	XMLName         xml.Name  `json:"-" xml:"order"`
	ID              string    `json:"id" xml:"id"`
	OrderNumber     string    `json:"order_number" xml:"order_number"`
	Status          string    `json:"status" xml:"status"`
	Items           []Item    `json:"items" xml:"items>item"`
	AccountID       string    `json:"account_id" xml:"account_id"`
	CustomerName    string    `json:"customer_name" xml:"customer_name"`
	PurchasedAt     string    `json:"purchased_at" xml:"purchased_at"`
	ShippingAddress *Location `json:"shipping_address,omitempty" xml:"shipping_address,omitempty"`
	Shipments       []string  `json:"shipments" xml:"-"`
}

// Item is one offer of an order with its vouchers.
type Item struct {
	OfferID  string    `json:"offer_id" xml:"offer_id"`
	Quantity int       `json:"quantity" xml:"quantity"`
	Vouchers []Voucher `json:"vouchers" xml:"vouchers>voucher"`
}

// Voucher is a voucher as the fake issues it.
type Voucher struct {
	XMLName        xml.Name `json:"-" xml:"voucher"`
	ID             string   `json:"id" xml:"id"`
	OfferID        string   `json:"offer_id" xml:"offer_id"`
	RedemptionCode string   `json:"redemption_code" xml:"redemption_code"`
	CustomerName   string   `json:"customer_name" xml:"customer_name"`
	Status         string   `json:"status" xml:"status"`
	AcquiredAt     string   `json:"acquired_at" xml:"acquired_at"`
	CancelledAt    string   `json:"cancelled_at,omitempty" xml:"cancelled_at,omitempty"`
	ActivationDate string   `json:"activation_date" xml:"activation_date"`
	ExpirationDate string   `json:"expiration_date" xml:"expiration_date"`
	AccountID      string   `json:"account_id" xml:"account_id"`
	Barcode        string   `json:"barcode" xml:"barcode"`
	PrintURL       string   `json:"print_url" xml:"print_url"`
}

// Location is a shipping address.
type Location struct {
	AddressLine1 string `json:"address_line_1" xml:"address_line_1"`
	AddressLine2 string `json:"address_line_2,omitempty" xml:"address_line_2,omitempty"`
	City         string `json:"city" xml:"city"`
	StateCode    string `json:"state_code" xml:"state_code"`
	PostalCode   string `json:"postal_code" xml:"postal_code"`
}

// BaseURL returns the base URL an adility.Client needs to reach the fake
// served at serverURL (an httptest.Server's URL): the server URL itself.
// (The fake also answers under /distribution/beta, the reference page's
// path, so serverURL+"/distribution/beta" works too.) A loopback server
// needs no WithInsecureHTTP.
//
//	c, err := adility.NewClient(adilitytest.DefaultAPIKey, orderkit.WithBaseURL(adilitytest.BaseURL(srv.URL)))
func BaseURL(serverURL string) string { return strings.TrimRight(serverURL, "/") }

// AccountID is the account every order of the fake belongs to.
const AccountID = "4e8b1a2f9a0e7d0011000009"

// NewServer returns a fake that accepts DefaultAPIKey and sells
// DemoOfferID.
func NewServer() *Server {
	s := &Server{
		offers:  map[string]bool{DemoOfferID: true},
		orders:  map[string]*Order{},
		numbers: map[string]string{},
	}
	fakehttp.Bind(&s.base, s)
	return s
}

// AddOffer makes the fake sell the offers with these ids.
func (s *Server) AddOffer(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.offers[id] = true
	}
}

// SetDuplicateRefusal switches the shape of the refusal of a repeated
// order_number (default DuplicateRefusalPlain): a client must read the
// order it names in every shape, and be right when none is named.
func (s *Server) SetDuplicateRefusal(r DuplicateRefusal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusal = r
}

// Orders returns copies of every order, oldest first.
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, copyOrder(o))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Order returns a copy of the order with this id.
func (s *Server) Order(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, false
	}
	return copyOrder(o), true
}

// OrderByNumber returns a copy of the order with this order_number: what a
// caller whose Place answer was lost needs in a test.
func (s *Server) OrderByNumber(number string) (Order, bool) {
	s.mu.Lock()
	id, ok := s.numbers[number]
	s.mu.Unlock()
	if !ok {
		return Order{}, false
	}
	return s.Order(id)
}

func copyOrder(o *Order) Order {
	c := *o
	c.Items = make([]Item, len(o.Items))
	for i, it := range o.Items {
		it.Vouchers = append([]Voucher(nil), it.Vouchers...)
		c.Items[i] = it
	}
	if o.ShippingAddress != nil {
		a := *o.ShippingAddress
		c.ShippingAddress = &a
	}
	return c
}

// clock is the time the fake stamps now, in UTC.
func (s *Server) clock() time.Time { return s.Now().UTC() }

// ServeHTTP answers one request, applying the next queued fault.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/distribution/beta")
	format := "json"
	if strings.Contains(r.Header.Get("Accept"), "xml") {
		format = "xml"
	}
	fakehttp.Record(&s.base, r.Method, path, Request{Method: r.Method, Path: path, Format: format,
		APIKey: r.Header.Get("X-ADILITY-API-KEY"), Body: string(body)})
	fakehttp.Serve(&s.base, w, r, func(w http.ResponseWriter, r *http.Request) {
		a := &answer{xml: format == "xml"}
		s.mu.Lock()
		s.route(a, r, path, body)
		s.mu.Unlock()
		a.write(w)
	})
}

// answer is built under the lock and written after it.
type answer struct {
	xml    bool
	status int
	value  any
}

func (a *answer) write(w http.ResponseWriter) {
	var b []byte
	var err error
	if a.xml {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		b, err = xml.Marshal(a.value)
		b = append([]byte(xml.Header), b...)
	} else {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		b, err = json.Marshal(a.value)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(b)
}

type xmlError struct {
	XMLName xml.Name `xml:"error"`
	Text    string   `xml:",chardata"`
}

type xmlNestedError struct {
	XMLName xml.Name `xml:"error"`
	Message string   `xml:"message"`
	Code    string   `xml:"code"`
	OrderID string   `xml:"order_id"`
}

type xmlErrors struct {
	XMLName xml.Name `xml:"errors"`
	Errors  []string `xml:"error"`
	OrderID string   `xml:"order_id,omitempty"`
}

// fail sets a single-message error: {"error": msg} / <error>msg</error>.
func (a *answer) fail(status int, msg string) {
	a.status = status
	if a.xml {
		a.value = xmlError{Text: msg}
	} else {
		a.value = map[string]string{"error": msg}
	}
}

// invalid sets a 422 with messages by attribute.
func (a *answer) invalid(field, msg string) {
	a.status = http.StatusUnprocessableEntity
	if a.xml {
		a.value = xmlErrors{Errors: []string{field + " " + msg}}
	} else {
		a.value = map[string]any{"errors": map[string][]string{field: {msg}}}
	}
}

// nameOrder adds the id of an existing order to an invalid answer.
func (a *answer) nameOrder(id string) {
	if a.xml {
		e := a.value.(xmlErrors)
		e.OrderID = id
		a.value = e
		return
	}
	a.value.(map[string]any)["order_id"] = id
}

// refuse sets a 422 with a list of messages.
func (a *answer) refuse(msg string) {
	a.status = http.StatusUnprocessableEntity
	if a.xml {
		a.value = xmlErrors{Errors: []string{msg}}
	} else {
		a.value = map[string]any{"errors": []string{msg}}
	}
}

func (a *answer) ok(status int, v any, wrapper string) {
	a.status = status
	if a.xml {
		a.value = v
	} else {
		a.value = map[string]any{wrapper: v}
	}
}

func (s *Server) route(a *answer, r *http.Request, path string, body []byte) {
	if key := r.Header.Get("X-ADILITY-API-KEY"); key == "" || key != DefaultAPIKey {
		a.fail(http.StatusUnauthorized, "Invalid API key")
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "orders" && r.Method == http.MethodPost:
		s.place(a, r, body)
	case len(parts) == 2 && parts[0] == "orders" && r.Method == http.MethodGet:
		o, ok := s.orders[unescape(parts[1])]
		if !ok {
			a.fail(http.StatusNotFound, "Order not found")
			return
		}
		a.ok(http.StatusOK, o, "order")
	case len(parts) == 2 && parts[0] == "orders" && r.Method == http.MethodPut:
		s.cancelOrder(a, r, unescape(parts[1]), body)
	case len(parts) == 4 && parts[0] == "offers" && parts[2] == "vouchers" && r.Method == http.MethodPut:
		s.cancelVoucher(a, r, unescape(parts[1]), unescape(parts[3]), body)
	case len(parts) == 4 && parts[0] == "advertisers" && parts[2] == "vouchers" && r.Method == http.MethodGet:
		s.voucherByCode(a, unescape(parts[1]), unescape(parts[3]))
	case len(parts) >= 1 && (parts[0] == "orders" || parts[0] == "offers" || parts[0] == "advertisers"):
		a.fail(http.StatusMethodNotAllowed, "Method not allowed")
	default:
		a.fail(http.StatusNotFound, "Not found")
	}
}

func unescape(seg string) string {
	if s, err := url.PathUnescape(seg); err == nil {
		return s
	}
	return seg
}

// placeBody is what POST /orders reads, in either format.
type placeBody struct {
	OrderNumber     string    `json:"order_number" xml:"order_number"`
	CustomerName    string    `json:"customer_name" xml:"customer_name"`
	Items           []Item    `json:"items" xml:"items>item"`
	ShippingAddress *Location `json:"shipping_address" xml:"shipping_address"`
	Status          string    `json:"status" xml:"status"`
}

// decodeBody reads {"order": {...}} (or the bare object) or <order>...</order>
// by the request's Content-Type.
func decodeBody(r *http.Request, body []byte, wrapper string, v *placeBody) error {
	if strings.Contains(r.Header.Get("Content-Type"), "xml") {
		return xml.Unmarshal(body, v)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return err
	}
	if inner, ok := m[wrapper]; ok {
		body = inner
	}
	return json.Unmarshal(body, v)
}

func (s *Server) place(a *answer, r *http.Request, body []byte) {
	var req placeBody
	if err := decodeBody(r, body, "order", &req); err != nil {
		a.fail(http.StatusBadRequest, "Malformed request body")
		return
	}
	switch {
	case strings.TrimSpace(req.OrderNumber) == "":
		a.invalid("order_number", "can't be blank")
		return
	case strings.TrimSpace(req.CustomerName) == "":
		a.invalid("customer_name", "can't be blank")
		return
	case len(req.Items) == 0:
		a.invalid("items", "can't be empty")
		return
	}
	for _, it := range req.Items {
		if !s.offers[it.OfferID] {
			a.invalid("offer_id", "is invalid")
			return
		}
		if it.Quantity < 1 {
			a.invalid("quantity", "must be greater than 0")
			return
		}
		if it.Quantity > MaxQuantity {
			a.invalid("quantity", fmt.Sprintf("must be less than or equal to %d", MaxQuantity))
			return
		}
	}
	if id, dup := s.numbers[req.OrderNumber]; dup {
		switch s.refusal {
		case DuplicateRefusalNested:
			a.status = http.StatusUnprocessableEntity
			const msg, code = "Order number has already been taken", "duplicate_order_number"
			if a.xml {
				a.value = xmlNestedError{Message: msg, Code: code, OrderID: id}
			} else {
				a.value = map[string]any{"error": map[string]string{"message": msg, "code": code, "order_id": id}}
			}
		case DuplicateRefusalTopLevel:
			a.invalid("order_number", "has already been taken")
			a.nameOrder(id)
		default:
			a.invalid("order_number", "has already been taken")
		}
		return
	}
	now := s.clock()
	s.seq++
	o := &Order{
		ID:              fmt.Sprintf("4f1d2c3b9a0e7d00%08d", s.seq),
		OrderNumber:     req.OrderNumber,
		Status:          "active",
		AccountID:       AccountID,
		CustomerName:    req.CustomerName,
		PurchasedAt:     now.Format(time.RFC3339),
		ShippingAddress: req.ShippingAddress,
		Shipments:       []string{},
	}
	for _, it := range req.Items {
		item := Item{OfferID: it.OfferID, Quantity: it.Quantity}
		for range it.Quantity {
			s.seq++
			id := fmt.Sprintf("4f1d2c3b9a0e7d00%08d", s.seq)
			item.Vouchers = append(item.Vouchers, Voucher{
				ID:             id,
				OfferID:        it.OfferID,
				RedemptionCode: fmt.Sprintf("AD-%04d-%04d", s.seq/10000%10000, s.seq%10000),
				CustomerName:   req.CustomerName,
				Status:         "Acquired",
				AcquiredAt:     now.Format(time.RFC3339),
				ActivationDate: now.Format("2006-01-02"),
				ExpirationDate: now.AddDate(1, 0, 0).Format("2006-01-02"),
				AccountID:      AccountID,
				Barcode:        fmt.Sprintf("%013d", s.seq),
				PrintURL:       "https://vouchers.adilitytest.invalid/" + id + "/print",
			})
		}
		o.Items = append(o.Items, item)
	}
	s.orders[o.ID] = o
	s.numbers[o.OrderNumber] = o.ID
	a.ok(http.StatusCreated, o, "order")
}

func (s *Server) cancelOrder(a *answer, r *http.Request, id string, body []byte) {
	o, ok := s.orders[id]
	if !ok {
		a.fail(http.StatusNotFound, "Order not found")
		return
	}
	var req placeBody
	if err := decodeBody(r, body, "order", &req); err != nil {
		a.fail(http.StatusBadRequest, "Malformed request body")
		return
	}
	if req.Status != "cancelled" {
		a.invalid("status", "is invalid")
		return
	}
	if o.Status == "cancelled" {
		a.refuse("Order has already been cancelled")
		return
	}
	now := s.clock().Format(time.RFC3339)
	o.Status = "cancelled"
	for i := range o.Items {
		for j := range o.Items[i].Vouchers {
			v := &o.Items[i].Vouchers[j]
			if v.Status != "cancelled" {
				v.Status, v.CancelledAt = "cancelled", now
			}
		}
	}
	a.ok(http.StatusOK, o, "order")
}

// voucherByCode answers GET /advertisers/:id/vouchers/:redemption_code:
// every offer of the fake is DemoAdvertiserID's.
func (s *Server) voucherByCode(a *answer, advertiserID, code string) {
	if advertiserID == DemoAdvertiserID {
		for _, o := range s.orders {
			for _, it := range o.Items {
				for _, v := range it.Vouchers {
					if v.RedemptionCode == code {
						a.ok(http.StatusOK, v, "voucher")
						return
					}
				}
			}
		}
	}
	a.fail(http.StatusNotFound, "Voucher not found")
}

func (s *Server) cancelVoucher(a *answer, r *http.Request, offerID, id string, body []byte) {
	var v *Voucher
	for _, o := range s.orders {
		for i := range o.Items {
			for j := range o.Items[i].Vouchers {
				if c := &o.Items[i].Vouchers[j]; c.ID == id && c.OfferID == offerID {
					v = c
				}
			}
		}
	}
	if v == nil {
		a.fail(http.StatusNotFound, "Voucher not found")
		return
	}
	var req placeBody
	if err := decodeBody(r, body, "voucher", &req); err != nil {
		a.fail(http.StatusBadRequest, "Malformed request body")
		return
	}
	if req.Status != "cancelled" {
		a.invalid("status", "is invalid")
		return
	}
	if v.Status == "cancelled" {
		a.refuse("Voucher has already been cancelled")
		return
	}
	v.Status, v.CancelledAt = "cancelled", s.clock().Format(time.RFC3339)
	a.ok(http.StatusOK, *v, "voucher")
}
