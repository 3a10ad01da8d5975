package adility

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
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
	ID           ID
	OrderNumber  string
	Status       OrderStatus
	Items        []OrderItem
	AccountID    ID
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
	ApplicationID ID
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
	OfferID       ID
	ReservationID ID
	PromotionID   ID
	Quantity      int
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

// orderCore holds the attributes of an order read alike in both formats.
type orderCore struct {
	ID            wire.ID  `json:"id" xml:"id"`
	OrderNumber   wire.ID  `json:"order_number" xml:"order_number"`
	Status        string   `json:"status" xml:"status"`
	AccountID     wire.ID  `json:"account_id" xml:"account_id"`
	CustomerName  string   `json:"customer_name" xml:"customer_name"`
	PurchasedAt   flexTime `json:"purchased_at" xml:"purchased_at"`
	ApplicationID wire.ID  `json:"application_id" xml:"application_id"`
}

func (w *orderCore) order(unknown map[string]string) *Order {
	return &Order{
		ID:            ID(w.ID),
		OrderNumber:   string(w.OrderNumber),
		Status:        parseOrderStatus(w.Status),
		AccountID:     ID(w.AccountID),
		CustomerName:  w.CustomerName,
		PurchasedAt:   w.PurchasedAt.t,
		ApplicationID: ID(w.ApplicationID),
		Unknown:       keepTimes(unknown, map[string]flexTime{"purchased_at": w.PurchasedAt}),
	}
}

// orderJSON is an order in JSON. Items and vouchers are lists that may come
// as an array, a single object or null, each element bare or wrapped
// ({"item": {...}}).
type orderJSON struct {
	orderCore
	Items           itemsJSON     `json:"items"`
	ShippingAddress addressJSON   `json:"shipping_address"`
	Shipments       shipmentsJSON `json:"shipments"`
}

func (w *orderJSON) order(unknown map[string]string) *Order {
	o := w.orderCore.order(unknown)
	o.Items, o.Shipments = []OrderItem(w.Items), []Shipment(w.Shipments)
	if a := w.ShippingAddress; !a.loc.isZero() {
		o.ShippingAddress = a.loc
	} else if raw := a.raw; raw != "" && raw != "null" && raw != `""` && raw[0] != '{' {
		// An address in a shape Location does not read is kept as sent.
		o.Unknown = keep(o.Unknown, "shipping_address", raw)
	}
	return o
}

type itemCore struct {
	OfferID       wire.ID  `json:"offer_id" xml:"offer_id"`
	ReservationID wire.ID  `json:"reservation_id" xml:"reservation_id"`
	PromotionID   wire.ID  `json:"promotion_id" xml:"promotion_id"`
	Quantity      wire.Int `json:"quantity" xml:"quantity"`
}

func (w *itemCore) item(unknown map[string]string) OrderItem {
	return OrderItem{
		OfferID:       ID(w.OfferID),
		ReservationID: ID(w.ReservationID),
		PromotionID:   ID(w.PromotionID),
		Quantity:      int(w.Quantity),
		Unknown:       unknown,
	}
}

type itemJSON struct {
	itemCore
	Vouchers vouchersJSON `json:"vouchers"`
}

// itemsJSON is "items": an array, a single object or null.
type itemsJSON []OrderItem

func (l *itemsJSON) UnmarshalJSON(b []byte) error {
	*l = nil
	return eachElement(b, func(elem []byte) error {
		var w itemJSON
		unknown, _, err := itemRecord.read(elem, &w)
		if err != nil {
			return err
		}
		it := w.item(unknown)
		it.Vouchers = []Voucher(w.Vouchers)
		*l = append(*l, it)
		return nil
	})
}

// orderXML is an order in XML. Elements the page does not document are
// kept in Any.
type orderXML struct {
	orderCore
	Items           itemsXML       `xml:"items"`
	ShippingAddress *Location      `xml:"shipping_address"`
	Shipments       []shipmentsXML `xml:"shipments"`
	Any             []xmlAny       `xml:",any"`
}

func (w *orderXML) order() *Order {
	o := w.orderCore.order(unknownXML(w.Any))
	o.Items = w.Items.items()
	if !w.ShippingAddress.isZero() {
		o.ShippingAddress = w.ShippingAddress
	}
	for i := range w.Shipments {
		o.Shipments = append(o.Shipments, w.Shipments[i].shipments()...)
	}
	return o
}

type itemXML struct {
	itemCore
	Vouchers vouchersXML `xml:"vouchers"`
	Any      []xmlAny    `xml:",any"`
}

func (w *itemXML) item() OrderItem {
	it := w.itemCore.item(unknownXML(w.Any))
	it.Vouchers = w.Vouchers.vouchers()
	return it
}

// itemsXML is <items>: <item> elements, or one item's fields directly.
type itemsXML struct {
	Item []itemXML `xml:"item"`
	itemXML
}

func (l *itemsXML) items() []OrderItem {
	if l.itemCore != (itemCore{}) || len(l.Vouchers.Voucher) > 0 || l.Vouchers.voucherCore != (voucherCore{}) {
		return []OrderItem{l.itemXML.item()}
	}
	var out []OrderItem
	for i := range l.Item {
		out = append(out, l.Item[i].item())
	}
	return out
}

// shipmentsXML is <shipments>: <shipment> elements, or one shipment's
// fields directly. Text alone (the reference page's placeholder) is no
// shipment.
type shipmentsXML struct {
	Shipment []shipmentXML `xml:"shipment"`
	Other    []xmlAny      `xml:",any"`
}

type shipmentXML struct {
	Inner  string   `xml:",innerxml"`
	Fields []xmlAny `xml:",any"`
}

func (l *shipmentsXML) shipments() []Shipment {
	if len(l.Other) == 0 {
		var out []Shipment
		for _, s := range l.Shipment {
			out = append(out, Shipment{Fields: unknownXML(s.Fields), Raw: s.Inner})
		}
		return out
	}
	all := l.Other
	for _, s := range l.Shipment {
		all = append(all, xmlAny{XMLName: xml.Name{Local: "shipment"}, Inner: s.Inner})
	}
	var raw strings.Builder
	for _, c := range all {
		fmt.Fprintf(&raw, "<%s>%s</%s>", c.XMLName.Local, c.Inner, c.XMLName.Local)
	}
	return []Shipment{{Fields: unknownXML(all), Raw: raw.String()}}
}

// orderAnswer is an answer holding an order, in either format: bare or
// wrapped in {"order": ...}, an <order> root or another root around one.
type orderAnswer struct {
	order *Order
	// recognised: the answer is shaped like an order (a JSON object with
	// at least one documented attribute, or an XML <order> element), even
	// if every value is empty as in the reference page's sample.
	recognised bool
}

func (a *orderAnswer) UnmarshalJSON(b []byte) error {
	var w orderJSON
	unknown, known, err := orderRecord.read(b, &w)
	if err != nil {
		return err
	}
	a.order, a.recognised = w.order(unknown), known
	return nil
}

func (a *orderAnswer) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var doc struct {
		orderXML
		Order *orderXML `xml:"order"`
	}
	if err := d.DecodeElement(&doc, &start); err != nil {
		return err
	}
	w := &doc.orderXML
	a.recognised = start.Name.Local == "order"
	if doc.Order != nil && w.ID == "" && w.OrderNumber == "" {
		w, a.recognised = doc.Order, true
	}
	a.order = w.order()
	return nil
}

// identified reports whether the answer named an order.
func (a *orderAnswer) identified() bool {
	return a.order != nil && (a.order.ID != "" || a.order.OrderNumber != "")
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
	// reset connection, a 5xx), relying on the unique order number; see
	// the package doc.
	Idempotent bool
}

// PlaceItem is one offer and how many units of it to buy.
type PlaceItem struct {
	OfferID  ID
	Quantity int
	// ReservationID and PromotionID are optional and sent only when set.
	ReservationID ID
	PromotionID   ID
}

type placeBody struct {
	XMLName         xml.Name        `json:"-" xml:"order"`
	OrderNumber     string          `json:"order_number" xml:"order_number"`
	CustomerName    string          `json:"customer_name" xml:"customer_name"`
	Items           []placeItemBody `json:"items" xml:"items>item"`
	ShippingAddress *Location       `json:"shipping_address,omitempty" xml:"shipping_address,omitempty"`
}

type placeItemBody struct {
	OfferID       ID  `json:"offer_id" xml:"offer_id"`
	Quantity      int `json:"quantity" xml:"quantity"`
	ReservationID ID  `json:"reservation_id,omitempty" xml:"reservation_id,omitempty"`
	PromotionID   ID  `json:"promotion_id,omitempty" xml:"promotion_id,omitempty"`
}

type statusBody struct {
	XMLName xml.Name `json:"-"`
	Status  string   `json:"status" xml:"status"`
}

// The JSON bodies are wrapped in the record's name; in XML the body's
// XMLName is the wrapper.
type (
	orderBody struct {
		Order any `json:"order"`
	}
	voucherBody struct {
		Voucher any `json:"voucher"`
	}
)

func (c *Client) orderBody(body any) any {
	if c.format == XML {
		return body
	}
	return orderBody{Order: body}
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
		if strings.TrimSpace(string(it.OfferID)) == "" {
			return pipeline.Invalid(apiName, "place order: items[%d]: empty offer_id", i)
		}
		if it.Quantity < 1 {
			return pipeline.Invalid(apiName, "place order: items[%d]: quantity %d, must be at least 1", i, it.Quantity)
		}
	}
	return nil
}

// Place places an order: POST /orders. The answer is the order, with
// vouchers for "deal" offers. The request is checked before sending; a
// number Adility has seen before matches ErrDuplicateOrderNumber.
//
// When its answer is lost, Place returns an *orderkit.LostCreateError
// (ErrOutcomeUnknown); with the orderkit.ResolveOutcome call option it
// runs Resolve at once, which only reads. See the package doc.
func (s *OrdersService) Place(ctx context.Context, req *PlaceRequest, opts ...orderkit.CallOption) (*Order, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	cs, err := s.c.pc.Calls("Orders.Place", opts, "ResolveOutcome")
	if err != nil {
		return nil, err
	}
	o, _, err := s.place(ctx, req, copyRequest(req), req.Idempotent, cs)
	if err == nil {
		return o, nil
	}
	var lost *orderkit.LostCreateError
	var placed *PlacedError
	switch {
	case errors.As(err, &placed):
		// A retry of this very call was refused as a duplicate: the
		// first attempt placed it.
		if id := placed.OrderID; id != "" {
			if o, _ := s.readPlaced(ctx, id, placed.OrderNumber, cs); o != nil {
				return o, nil
			}
		}
		if cs.Resolve {
			res := orderkit.Resolution[*Order]{State: orderkit.Unresolvable, Cause: placed}
			return nil, res.Err()
		}
	case errors.As(err, &lost) && cs.Resolve:
		res, rerr := s.resolve(ctx, lost, lost.Evidence.(*placeEvidence), cs)
		if rerr != nil {
			l := *lost
			l.LookupErr = rerr
			return nil, &l
		}
		if res.State == orderkit.Created {
			return res.Order, nil
		}
		return nil, res.Err()
	}
	return nil, err
}

// place sends one Place of sent (retried by the pipeline as idempotent
// allows) and turns a lost answer into an *orderkit.LostCreateError whose
// Request is req, and a duplicate refusal of a retry into a *PlacedError.
// It returns the attempts sent.
func (s *OrdersService) place(ctx context.Context, req, sent *PlaceRequest, idempotent bool, cs config.CallSettings) (*Order, int, error) {
	body := placeBody{
		OrderNumber:     sent.OrderNumber,
		CustomerName:    sent.CustomerName,
		ShippingAddress: sent.ShippingAddress,
	}
	for _, it := range sent.Items {
		body.Items = append(body.Items, placeItemBody(it))
	}
	sentAt := time.Now().UTC()
	var ans orderAnswer
	resp, err := s.c.pc.Do(ctx, &pipeline.Request{
		Method:     http.MethodPost,
		Path:       "orders",
		Body:       s.c.orderBody(body),
		Idempotent: idempotent,
		Call:       cs,
	}, &ans)
	if err == nil && !ans.identified() {
		// The server answered 2xx, so the order may exist; an answer
		// without it ({}, a proxy's page, no body) must not pass for one.
		err = s.c.invalidAnswer(http.MethodPost, "orders", resp,
			fmt.Errorf("%w: %w", orderkit.ErrOutcomeUnknown, errNoOrder))
	}
	if err == nil {
		return ans.order, attemptsOf(resp, nil), nil
	}
	attempts := attemptsOf(resp, err)
	var pe *orderkit.Error
	if idempotent && errors.As(err, &pe) && pe.Attempts > 0 && !errors.Is(pe, orderkit.ErrOutcomeUnknown) &&
		(pe.StatusCode == 0 || pe.StatusCode >= 500 || (pe.StatusCode < 300 && errors.Is(pe, orderkit.ErrInvalidResponse))) {
		// The pipeline retried this Place as a safe call and so does not
		// say that its last attempt may have placed the order; it may.
		pe.Kinds = append(pe.Kinds, orderkit.ErrOutcomeUnknown)
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
		case r.api.Kind == orderkit.ErrNotFound || r.api.Kind == ErrAlreadyCancelled:
			// "Offer not found" on a new order is a refusal of the
			// request, not a missing order.
			r.api.Kind = nil
		}
		// Only an idempotent Place is resent after an attempt that may
		// have acted; any other retry followed an attempt that surely did
		// not, so a duplicate then means the number was used before.
		if r.api.Kind == ErrDuplicateOrderNumber && idempotent && attempts > 1 {
			return nil, attempts, &PlacedError{OrderNumber: sent.OrderNumber, Request: req, SentAt: sentAt,
				ServerDate: serverDate(err), OrderID: r.orderID, Err: err}
		}
	}
	if errors.Is(err, orderkit.ErrOutcomeUnknown) {
		ev := &placeEvidence{sent: sent}
		if errors.As(err, &pe) && pe.StatusCode >= 200 && pe.StatusCode < 300 {
			ev.answered = pe.StatusCode
			if ans.order != nil {
				ev.orderID = ans.order.ID
			}
			if ev.orderID == "" {
				ev.orderID = idInExcerpt(pe.Body)
			}
		}
		return nil, attempts, &orderkit.LostCreateError{API: apiName, Request: req, Reference: sent.OrderNumber,
			SentAt: sentAt, EndedAt: time.Now().UTC(), ServerDate: serverDate(err), Err: err, Evidence: ev}
	}
	return nil, attempts, err
}

// errNoOrder: a 2xx answer that names no order (neither id nor
// order_number).
var errNoOrder = errors.New("adility: the answer holds no order (no id, no order_number)")

// Get reads an order: GET /orders/:id. An unknown id matches
// orderkit.ErrNotFound; a 2xx answer that is not shaped like an order ({},
// {"order": null}, an XML root other than <order>) matches
// orderkit.ErrInvalidResponse.
func (s *OrdersService) Get(ctx context.Context, id ID, opts ...orderkit.CallOption) (*Order, error) {
	if strings.TrimSpace(string(id)) == "" {
		return nil, pipeline.Invalid(apiName, "get order: empty id")
	}
	cs, err := s.c.pc.Calls("Orders.Get", opts)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, id, cs)
}

func (s *OrdersService) get(ctx context.Context, id ID, cs config.CallSettings) (*Order, error) {
	path := pipeline.Path("orders", string(id))
	var ans orderAnswer
	resp, err := s.c.pc.Do(ctx, &pipeline.Request{Method: http.MethodGet, Path: path, Call: cs}, &ans)
	if err != nil {
		return nil, err
	}
	if ans.order == nil || !ans.recognised {
		// {}, {"order": null}, no body or a proxy's page in XML mode is
		// no order. (The reference page's own sample, every value empty,
		// is still read.)
		return nil, s.c.invalidAnswer(http.MethodGet, path, resp, errNoOrder)
	}
	return ans.order, nil
}

// Cancel cancels an order with all its vouchers: PUT /orders/:id with the
// status "cancelled". It returns the order as answered, or nil when the
// API answers without a body. An order already cancelled matches
// ErrAlreadyCancelled — unless an earlier attempt of this same call
// cancelled it (its answer lost, the PUT retried): then Cancel reads the
// order back and returns it.
func (s *OrdersService) Cancel(ctx context.Context, id ID, opts ...orderkit.CallOption) (*Order, error) {
	if strings.TrimSpace(string(id)) == "" {
		return nil, pipeline.Invalid(apiName, "cancel order: empty id")
	}
	cs, err := s.c.pc.Calls("Orders.Cancel", opts)
	if err != nil {
		return nil, err
	}
	path := pipeline.Path("orders", string(id))
	body := s.c.orderBody(statusBody{XMLName: xml.Name{Local: "order"}, Status: string(OrderCancelled)})
	var ans orderAnswer
	_, err = s.c.pc.Do(ctx, &pipeline.Request{Method: http.MethodPut, Path: path, Body: body, Call: cs}, &ans)
	switch {
	case err == nil:
		return ans.order, nil
	case noBody(err):
		return nil, nil
	}
	var pe *orderkit.Error
	if errors.Is(err, ErrAlreadyCancelled) && errors.As(err, &pe) && pe.Attempts > 1 {
		if o, gerr := s.get(ctx, id, cs); gerr == nil && o.Status == OrderCancelled {
			return o, nil
		}
	}
	return nil, err
}

// noBody reports whether err says only that a 2xx answer had no body: the
// request was carried out (a cancellation), and there is nothing to read.
func noBody(err error) bool {
	var pe *orderkit.Error
	return errors.As(err, &pe) && pe.StatusCode >= 200 && pe.StatusCode < 300 && pe.Body == "" &&
		errors.Is(err, orderkit.ErrInvalidResponse) && !errors.Is(err, orderkit.ErrResponseTooLarge)
}

// invalidAnswer is the error for a 2xx answer that decoded but holds no
// usable record. It matches orderkit.ErrInvalidResponse.
func (c *Client) invalidAnswer(method, path string, resp *orderkit.Response, cause error) error {
	return c.pc.InvalidAnswer(method, path, resp,
		fmt.Errorf("decoding the answer: %w", cause))
}
