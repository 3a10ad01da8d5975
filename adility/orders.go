package adility

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/orderstate"
)

// OrderStatus is an order's status as Adility names it: "active" or
// "cancelled". Another value is kept as sent.
type OrderStatus string

// The documented order statuses.
const (
	OrderActive    OrderStatus = "active"
	OrderCancelled OrderStatus = "cancelled"
)

// String returns the status as Adility names it.
func (s OrderStatus) String() string { return string(s) }

// Status maps the status onto the common orderkit status: active is open
// (vouchers issued and usable), cancelled is canceled, anything else unknown.
func (s OrderStatus) Status() orderstate.Status {
	switch s {
	case OrderActive:
		return orderstate.StatusOpen
	case OrderCancelled:
		return orderstate.StatusCanceled
	}
	return orderstate.StatusUnknown
}

func parseOrderStatus(s string) OrderStatus {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "active":
		return OrderActive
	case "cancelled", "canceled":
		return OrderCancelled
	}
	return OrderStatus(strings.TrimSpace(s))
}

// Order is an order placed by a consumer in a consumer-facing application.
// For digital offers (deals, gift cards) its items carry the vouchers the
// order bought.
type Order struct {
	ID           string
	OrderNumber  string
	Status       OrderStatus
	Items        []OrderItem
	AccountID    string
	CustomerName string
	// PurchasedAt is in UTC; zero when the API sent none (or a layout
	// that could not be read — then Unknown["purchased_at"] holds it).
	PurchasedAt     time.Time
	ShippingAddress *Location
	// Shipments are kept as sent: Adility does not publish their
	// attributes.
	Shipments []Shipment
	// ApplicationID is set for orders of standalone applications such as
	// plug-ins.
	ApplicationID string
	// Unknown holds the attributes the reference page does not document,
	// by name: raw JSON text, or the XML element's inner XML.
	Unknown map[string]string
}

// Vouchers returns the vouchers of every item, in order.
func (o *Order) Vouchers() []Voucher {
	n := 0
	for _, it := range o.Items {
		n += len(it.Vouchers)
	}
	out := make([]Voucher, 0, n)
	for _, it := range o.Items {
		out = append(out, it.Vouchers...)
	}
	return out
}

// OrderItem is one offer in an order, with the vouchers issued for it.
type OrderItem struct {
	OfferID       string
	ReservationID string
	PromotionID   string
	Quantity      int64
	Vouchers      []Voucher
	// Unknown holds undocumented attributes as sent (see Order.Unknown).
	Unknown map[string]string
}

// Location is a postal address.
type Location struct {
	AddressLine1 string `json:"address_line_1" xml:"address_line_1"`
	AddressLine2 string `json:"address_line_2,omitempty" xml:"address_line_2,omitempty"`
	City         string `json:"city" xml:"city"`
	StateCode    string `json:"state_code" xml:"state_code"`
	PostalCode   string `json:"postal_code" xml:"postal_code"`
}

// UnmarshalJSON reads a Location tolerantly: keys with stray whitespace
// (the reference page's own sample has "\n address_line_1") and postal
// codes sent as numbers.
//
// An address that is not an object (a bare string) is left empty rather
// than failing the order; Order.Unknown then keeps it as sent.
func (l *Location) UnmarshalJSON(b []byte) error {
	d := jdec{b: b}
	w := orderWire{ShippingAddress: l}
	_, _ = d.location(d.ws(0), &w)
	return nil
}

func (l *Location) isZero() bool { return l == nil || *l == Location{} }

// Shipment is a shipment of an order. Adility does not publish its
// attributes, so it is kept as sent.
type Shipment struct {
	// Fields holds the shipment's scalar attributes by name (JSON members
	// or XML child elements) as text.
	Fields map[string]string
	// Raw is the shipment as sent: JSON text, or the XML element's inner
	// XML.
	Raw string
}

// ----- wire types -----

type orderWire struct {
	ID              wire.ID      `json:"id" xml:"id"`
	OrderNumber     wire.ID      `json:"order_number" xml:"order_number"`
	Status          string       `json:"status" xml:"status"`
	Items           itemList     `json:"items" xml:"items"`
	AccountID       wire.ID      `json:"account_id" xml:"account_id"`
	CustomerName    string       `json:"customer_name" xml:"customer_name"`
	PurchasedAt     flexTime     `json:"purchased_at" xml:"purchased_at"`
	ShippingAddress *Location    `json:"shipping_address" xml:"shipping_address"`
	Shipments       shipmentList `json:"shipments" xml:"shipments"`
	ApplicationID   wire.ID      `json:"application_id" xml:"application_id"`
	Any             []xmlAny     `json:"-" xml:",any"`
	// addressRaw is the shipping address as sent (JSON), kept when it
	// is in a shape Location does not read.
	addressRaw string
}

// orderKeys are the documented attributes, as a set.
var orderKeys = fieldSet(orderFields)

func (w *orderWire) order(unknown map[string]string) *Order {
	o := &Order{
		ID:            string(w.ID),
		OrderNumber:   string(w.OrderNumber),
		Status:        parseOrderStatus(w.Status),
		AccountID:     string(w.AccountID),
		CustomerName:  w.CustomerName,
		PurchasedAt:   w.PurchasedAt.t,
		Shipments:     w.Shipments,
		ApplicationID: string(w.ApplicationID),
		Unknown:       unknown,
	}
	if !w.ShippingAddress.isZero() {
		o.ShippingAddress = w.ShippingAddress
	}
	if w.PurchasedAt.raw != "" {
		o.Unknown = keep(o.Unknown, "purchased_at", w.PurchasedAt.raw)
	}
	if raw := w.addressRaw; o.ShippingAddress == nil && raw != "" && raw != "null" && raw != `""` && raw[0] != '{' {
		// An address in a shape Location does not read is kept as sent.
		o.Unknown = keep(o.Unknown, "shipping_address", raw)
	}
	for i := range w.Items {
		o.Items = append(o.Items, w.Items[i].item())
	}
	return o
}

func keep(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

type itemWire struct {
	OfferID       wire.ID     `json:"offer_id" xml:"offer_id"`
	ReservationID wire.ID     `json:"reservation_id" xml:"reservation_id"`
	PromotionID   wire.ID     `json:"promotion_id" xml:"promotion_id"`
	Quantity      wire.Int    `json:"quantity" xml:"quantity"`
	Vouchers      voucherList `json:"vouchers" xml:"vouchers"`
	Any           []xmlAny    `json:"-" xml:",any"`
	unknown       map[string]string
}

// itemKeys are the documented attributes, as a set.
var itemKeys = fieldSet(itemFields)

func (w *itemWire) item() OrderItem {
	it := OrderItem{
		OfferID:       string(w.OfferID),
		ReservationID: string(w.ReservationID),
		PromotionID:   string(w.PromotionID),
		Quantity:      int64(w.Quantity),
		Unknown:       w.unknown,
	}
	if w.Any != nil {
		it.Unknown = unknownXML(w.Any)
	}
	for i := range w.Vouchers {
		it.Vouchers = append(it.Vouchers, w.Vouchers[i].voucher())
	}
	return it
}

// itemList is "items": a JSON array, a single object or null;
// <items><item>...</item></items> (or a lone item's fields) in XML.
type itemList []itemWire

// shipmentList is "shipments", kept as sent.
type shipmentList []Shipment

func xmlShipment(children []xmlAny) Shipment {
	var s Shipment
	var raw strings.Builder
	for _, c := range children {
		s.Fields = keep(s.Fields, c.XMLName.Local, c.Inner)
		fmt.Fprintf(&raw, "<%s>%s</%s>", c.XMLName.Local, c.Inner, c.XMLName.Local)
	}
	s.Raw = raw.String()
	return s
}

// orderEnvelope decodes an order answer whether or not it is wrapped in
// {"order": ...} or, in XML, in an outer element around <order>.
type orderEnvelope struct {
	order *Order
	// recognised: the answer is shaped like an order (a JSON object with
	// at least one documented attribute, or an XML <order> element),
	// even if every value is empty as in the reference page's sample.
	recognised bool
	// partialID is an order id read from the start of an answer that
	// could not be decoded whole.
	partialID string
}

// UnmarshalJSON reads the whole answer in one walk (see decode_json.go).
func (e *orderEnvelope) UnmarshalJSON(b []byte) error {
	d := jdec{b: b}
	var w orderWire
	unknown, recognised, _, err := d.orderJSON(d.ws(0), &w)
	if err != nil {
		return err
	}
	e.order = w.order(unknown)
	e.recognised = recognised
	return nil
}

func decodeOrder(f Format, data []byte) (*Order, error) {
	env, err := decodeEnvelope(f, data)
	if err != nil {
		return nil, err
	}
	if env.order == nil {
		return nil, errNotObject
	}
	return env.order, nil
}

// decodeEnvelope reads an order answer in the client's format, in one
// pass.
func decodeEnvelope(f Format, data []byte) (*orderEnvelope, error) {
	if f == XML {
		return decodeOrderXML(data)
	}
	if !json.Valid(data) {
		// The walk needs valid JSON; encoding/json says what is wrong.
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, err
		}
		return nil, errors.New("invalid JSON")
	}
	d := jdec{b: data}
	var w orderWire
	unknown, recognised, _, err := d.orderJSON(d.ws(0), &w)
	if err != nil {
		return nil, err
	}
	return &orderEnvelope{order: w.order(unknown), recognised: recognised}, nil
}

// doOrder sends r and reads its answer as an order, in one pass: the
// answer is taken as bytes and walked here (JSON after one validity scan;
// XML keeps undocumented elements as inner XML, which needs the input
// itself). A 2xx that cannot be read is an ErrInvalidResponse, and for a
// POST also ErrOutcomeUnknown.
func (c *Client) doOrder(ctx context.Context, r *pipeline.Request) (*orderEnvelope, *pipeline.Response, error) {
	var raw []byte
	resp, err := c.pc.Do(ctx, r, &raw)
	if err != nil {
		return &orderEnvelope{}, resp, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		if resp != nil && resp.StatusCode == http.StatusNoContent {
			return &orderEnvelope{}, resp, nil
		}
		err = errors.New("empty answer")
	}
	var env *orderEnvelope
	if err == nil {
		env, err = decodeEnvelope(c.format, raw)
	}
	if err != nil {
		if r.Method == http.MethodPost {
			err = fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		}
		head := raw
		if len(head) > 512 {
			head = head[:512]
		}
		return &orderEnvelope{partialID: idInExcerpt(string(head))}, resp, c.invalidAnswer(r.Method, r.Path, resp, err)
	}
	return env, resp, nil
}

// ----- the service -----

// OrdersService places, reads and cancels orders (Distribution API).
type OrdersService struct{ c *Client }

// PlaceRequest is a new order. For "deal" offers the customer name, a
// unique order number and offer/quantity for each item are all that is
// required.
type PlaceRequest struct {
	// OrderNumber is your own number for the order. Adility refuses a
	// number it has seen before (ErrDuplicateOrderNumber).
	OrderNumber  string
	CustomerName string
	Items        []PlaceItem
	// ShippingAddress is optional; it is sent only when set.
	ShippingAddress *Location
	// Idempotent lets the client retry a Place whose answer was lost (a
	// reset connection, a 5xx). It is safe because Adility refuses a
	// repeated order number: if the first attempt did place the order, the
	// retry is refused as a duplicate, and Place returns the order when the
	// refusal names it, or else a *PlacedError (ErrPlacedUnreadable: placed,
	// vouchers not readable by the API). Without Idempotent such a failure
	// returns a *LostPlaceError (ErrOutcomeUnknown) at once and nothing is
	// resent.
	Idempotent bool
}

// PlaceItem is one offer and how many units of it to buy.
type PlaceItem struct {
	OfferID  string
	Quantity int64
	// ReservationID and PromotionID are optional and sent only when set.
	ReservationID string
	PromotionID   string
}

type placeBody struct {
	XMLName         xml.Name        `json:"-" xml:"order"`
	OrderNumber     string          `json:"order_number" xml:"order_number"`
	CustomerName    string          `json:"customer_name" xml:"customer_name"`
	Items           []placeItemBody `json:"items" xml:"items>item"`
	ShippingAddress *Location       `json:"shipping_address,omitempty" xml:"shipping_address,omitempty"`
}

type placeItemBody struct {
	OfferID       string `json:"offer_id" xml:"offer_id"`
	Quantity      int64  `json:"quantity" xml:"quantity"`
	ReservationID string `json:"reservation_id,omitempty" xml:"reservation_id,omitempty"`
	PromotionID   string `json:"promotion_id,omitempty" xml:"promotion_id,omitempty"`
}

type statusBody struct {
	XMLName xml.Name `json:"-"`
	Status  string   `json:"status" xml:"status"`
}

// wrap returns body as the client's format wants it: {"order": {...}} in
// JSON; in XML the body's XMLName is the wrapper.
func (c *Client) wrap(name string, body any) any {
	if c.format == XML {
		return body
	}
	return map[string]any{name: body}
}

func (r *PlaceRequest) validate() error {
	switch {
	case r == nil:
		return pipeline.Invalid(apiName, "nil PlaceRequest")
	case strings.TrimSpace(r.OrderNumber) == "":
		return pipeline.Invalid(apiName, "place order: empty order_number")
	case strings.TrimSpace(r.CustomerName) == "":
		return pipeline.Invalid(apiName, "place order: empty customer_name")
	case len(r.Items) == 0:
		return pipeline.Invalid(apiName, "place order: no items")
	}
	for i, it := range r.Items {
		if strings.TrimSpace(it.OfferID) == "" {
			return pipeline.Invalid(apiName, "place order: items[%d]: empty offer_id", i)
		}
		if it.Quantity < 1 {
			return pipeline.Invalid(apiName, "place order: items[%d]: quantity %d, must be at least 1", i, it.Quantity)
		}
	}
	return nil
}

// Place places an order: POST /orders. The answer is the order, with
// vouchers for "deal" offers.
//
// It is checked before sending (order number and customer name set, at
// least one item, each with an offer id and a quantity of at least 1). A
// number Adility has seen before matches ErrDuplicateOrderNumber.
//
// A POST is not retried once it may have reached the server unless
// req.Idempotent is set. When its answer is lost (a reset connection, a
// 5xx, a 2xx that cannot be read or names no order), Place returns a
// *LostPlaceError matching ErrOutcomeUnknown, which records what
// Resolve needs; with the ResolveOutcome call option, Place resolves it at
// once and returns the order, or an *OutcomeError. When a retry (Idempotent)
// is refused as a duplicate, an earlier attempt of this call placed the
// order: Place reads it if the refusal names it, and otherwise returns a
// *PlacedError (ErrPlacedUnreadable): placed, but not readable by its
// order number. See Resolve.
func (s *OrdersService) Place(ctx context.Context, req *PlaceRequest, opts ...CallOption) (*Order, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	cs, err := pipeline.Calls(apiName, opts)
	if err != nil {
		return nil, err
	}
	sent := copyRequest(req)
	o, _, err := s.place(ctx, sent, req.Idempotent, cs)
	if err == nil {
		return o, nil
	}
	var lost *LostPlaceError
	var placed *PlacedError
	switch {
	case errors.As(err, &lost):
	case errors.As(err, &placed):
		// A retry of this very call was refused as a duplicate: the
		// first attempt placed it.
		if id := placed.OrderID; id != "" {
			if o, _ := s.readPlaced(ctx, id, sent.OrderNumber, cs); o != nil {
				return o, nil
			}
		}
		if cs.Resolve {
			res := orderkit.Resolution[*Order]{State: orderkit.Unresolvable, Cause: placed}
			return nil, res.Err()
		}
		return nil, err
	default:
		return nil, err
	}
	if !cs.Resolve {
		return nil, err
	}
	res, rerr := s.resolve(ctx, lost, cs)
	if rerr != nil {
		return nil, rerr
	}
	if res.State == orderkit.Created {
		return res.Order, nil
	}
	return nil, res.Err()
}

// place sends one Place (retried by the pipeline as idempotent allows) and
// turns a lost answer into a *LostPlaceError and a duplicate refusal of a
// retry into a *PlacedError. It returns the attempts sent.
func (s *OrdersService) place(ctx context.Context, req *PlaceRequest, idempotent bool, cs orderkit.CallSettings) (*Order, int, error) {
	body := placeBody{
		OrderNumber:     req.OrderNumber,
		CustomerName:    req.CustomerName,
		ShippingAddress: req.ShippingAddress,
	}
	for _, it := range req.Items {
		body.Items = append(body.Items, placeItemBody(it))
	}
	sentAt := time.Now().UTC()
	env, resp, err := s.c.doOrder(ctx, &pipeline.Request{
		Method:     http.MethodPost,
		Path:       "orders",
		Body:       s.c.wrap("order", body),
		Idempotent: idempotent,
		Call:       cs,
	})
	if err == nil && !env.identified() {
		// The server answered 2xx, so the order may exist; an answer
		// without it ({}, a proxy's page) must not pass for one.
		err = s.c.invalidAnswer(http.MethodPost, "orders", resp,
			fmt.Errorf("%w: %w", ErrOutcomeUnknown, errNoOrder))
	}
	if err == nil {
		return env.order, attemptsOf(resp, nil), nil
	}
	attempts := attemptsOf(resp, err)
	var pe *Error
	if idempotent && errors.As(err, &pe) && pe.Attempts > 0 && !pe.OutcomeUnknown() &&
		(pe.StatusCode == 0 || pe.StatusCode >= 500 || (pe.StatusCode < 300 && pe.Has(ErrInvalidResponse))) {
		// The pipeline retried this Place as a safe call and so does not
		// say that its last attempt may have placed the order; it may.
		pe.AddKind(ErrOutcomeUnknown)
	}
	if r := refusalOf(err); r != nil {
		switch {
		case r.api.Kind == nil && r.api.StatusCode == http.StatusConflict &&
			len(r.api.Messages) == 0 && len(r.api.Fields) == 0 && r.api.Code == "":
			// order_number is the only documented uniqueness rule, so a
			// 409 that says nothing else is the duplicate. One that names
			// another conflict (an offer sold out) is not: taken for the
			// duplicate, it would report an order placed that may not be.
			r.api.Kind = ErrDuplicateOrderNumber
		case r.api.Kind == ErrNotFound || r.api.Kind == ErrAlreadyCancelled:
			// "Offer not found" on a new order is a refusal of the
			// request, not a missing order.
			r.api.Kind = nil
		}
		// Only an idempotent Place is resent after an attempt that may
		// have acted; any other retry followed an attempt that surely did
		// not, so a duplicate then means the number was used before.
		if r.api.Kind == ErrDuplicateOrderNumber && idempotent && attempts > 1 {
			return nil, attempts, &PlacedError{OrderNumber: req.OrderNumber, Request: *req, SentAt: sentAt,
				ServerDate: serverDate(err), OrderID: r.orderID, Err: err}
		}
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		lost := &LostPlaceError{OrderNumber: req.OrderNumber, Request: *req, SentAt: sentAt, ServerDate: serverDate(err), Err: err}
		if errors.As(err, &pe) && pe.StatusCode >= 200 && pe.StatusCode < 300 {
			lost.Answered = pe.StatusCode
			if env.order != nil {
				lost.OrderID = env.order.ID
			}
			if lost.OrderID == "" {
				lost.OrderID = env.partialID
			}
			if lost.OrderID == "" {
				lost.OrderID = idInExcerpt(pe.Body)
			}
		}
		return nil, attempts, lost
	}
	return nil, attempts, err
}

// errNoOrder: a 2xx answer that names no order (neither id nor
// order_number).
var errNoOrder = errors.New("adility: the answer holds no order (no id, no order_number)")

// identified reports whether the answer named an order.
func (e *orderEnvelope) identified() bool {
	return e.order != nil && (e.order.ID != "" || e.order.OrderNumber != "")
}

// Get reads an order: GET /orders/:id. An unknown id matches ErrNotFound;
// a 2xx answer that is not shaped like an order ({}, {"order": null}, an
// XML root other than <order>) matches ErrInvalidResponse.
func (s *OrdersService) Get(ctx context.Context, id string, opts ...CallOption) (*Order, error) {
	if strings.TrimSpace(id) == "" {
		return nil, pipeline.Invalid(apiName, "get order: empty id")
	}
	cs, err := pipeline.Calls(apiName, opts)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, id, cs)
}

func (s *OrdersService) get(ctx context.Context, id string, cs orderkit.CallSettings) (*Order, error) {
	path := pipeline.Path("orders", id)
	env, resp, err := s.c.doOrder(ctx, &pipeline.Request{Method: http.MethodGet, Path: path, Call: cs})
	if err != nil {
		return nil, err
	}
	if env.order == nil || !env.recognised {
		// {}, {"order": null} or a proxy's page in XML mode is no
		// order. (The reference page's own sample, every value empty,
		// is still read.)
		return nil, s.c.invalidAnswer(http.MethodGet, path, resp, errNoOrder)
	}
	return env.order, nil
}

// Cancel cancels an order with all its vouchers: PUT /orders/:id with the
// status "cancelled". It returns the order as answered, or nil when the
// API answers without a body. (The page's XML sample labels its XML body
// application/json; the client labels it application/xml.) An order that is
// already cancelled matches ErrAlreadyCancelled — unless an earlier attempt
// of this same call was the one that cancelled it (its answer was lost and
// the PUT retried): then Cancel reads the order back and returns it.
func (s *OrdersService) Cancel(ctx context.Context, id string, opts ...CallOption) (*Order, error) {
	if strings.TrimSpace(id) == "" {
		return nil, pipeline.Invalid(apiName, "cancel order: empty id")
	}
	cs, err := pipeline.Calls(apiName, opts)
	if err != nil {
		return nil, err
	}
	path := pipeline.Path("orders", id)
	body := s.c.wrap("order", statusBody{XMLName: xml.Name{Local: "order"}, Status: string(OrderCancelled)})
	var raw []byte
	resp, err := s.c.pc.Do(ctx, &pipeline.Request{Method: http.MethodPut, Path: path, Body: body, Call: cs}, &raw)
	if err != nil {
		var pe *Error
		if errors.Is(err, ErrAlreadyCancelled) && errors.As(err, &pe) && pe.Attempts > 1 {
			if o, gerr := s.get(ctx, id, cs); gerr == nil && o.Status == OrderCancelled {
				return o, nil
			}
		}
		return nil, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	o, derr := decodeOrder(s.c.format, raw)
	if derr != nil {
		return nil, s.c.invalidAnswer(http.MethodPut, path, resp, derr)
	}
	return o, nil
}

// invalidAnswer is the error for a 2xx answer the client read itself and
// could not decode. It matches ErrInvalidResponse.
func (c *Client) invalidAnswer(method, path string, resp *pipeline.Response, cause error) error {
	return c.pc.InvalidAnswer(method, path, resp,
		fmt.Errorf("decoding the answer: %w", cause))
}
