package attivita

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/paging"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/internal/wire"
	"github.com/orderkit/orderkit/money"
	"github.com/orderkit/orderkit/orderstate"
)

// OrdersService lists, reads and creates orders: GET /api/orders,
// GET /api/orders/:orderNumber and POST /api/orders.
type OrdersService service

// OrderNumber is the id of an order: Attivita numbers its orders (1001),
// and names them by number in every answer and path. The API's other
// objects (products, licence pools, webhooks) have string ids: see ID.
type OrderNumber int64

// OrderStatus is an order's status as the API spells it.
type OrderStatus string

// The documented statuses.
const (
	OrderCompleted        OrderStatus = "completed"
	OrderPending          OrderStatus = "pending"
	OrderFailed           OrderStatus = "failed"
	OrderSandboxCompleted OrderStatus = "sandbox-completed" // a sandbox order: dummy keys, nothing spent
)

// String returns the API's spelling.
func (s OrderStatus) String() string { return string(s) }

// Status maps the status onto the common orderstate.Status. A sandbox order
// is completed (check Order.Sandbox to tell it from a real one).
func (s OrderStatus) Status() orderstate.Status {
	switch strings.ToLower(string(s)) {
	case string(OrderCompleted), string(OrderSandboxCompleted):
		return orderstate.StatusCompleted
	case string(OrderPending):
		return orderstate.StatusPending
	case string(OrderFailed):
		return orderstate.StatusFailed
	}
	return orderstate.StatusUnknown
}

// IsSandbox reports whether the status is "sandbox-completed".
func (s OrderStatus) IsSandbox() bool {
	return strings.HasPrefix(strings.ToLower(string(s)), "sandbox")
}

// License is one licence key.
type License struct {
	LicenseKey string `json:"licenseKey"`
}

// BundleLicense is the keys of one bundle line that came from one licence
// pool.
type BundleLicense struct {
	LicensePoolID ID        `json:"licensePoolId"`
	PoolName      string    `json:"poolName"`
	ProductName   string    `json:"productName"` // display name of the pool's product
	Licenses      []License `json:"licenses"`
}

// Keys returns the pool's keys.
func (b BundleLicense) Keys() []string { return keys(b.Licenses) }

// OrderItem is one line of an order.
type OrderItem struct {
	// ProductID and ProductName identify the product. Lists send
	// {"displayName", "_id"} as "product"; the create answer sends the name
	// as "product" and the id as "productId". Both land here.
	ProductID   ID     `json:"productId"`
	ProductName string `json:"product"`
	Quantity    int    `json:"quantity"`
	// Price is the final price per unit, after discounts.
	Price money.Amount `json:"price"`
	// Subtotal is price × quantity, when the API sends it (lists do).
	Subtotal      *money.Amount `json:"subtotal,omitempty"`
	IsReplacement bool          `json:"isReplacement"`
	// Licenses holds every key of the line, bundle keys included.
	Licenses []License `json:"licenses"`
	// BundleLicenses groups the keys by licence pool for a bundle product;
	// nil for other products.
	BundleLicenses []BundleLicense `json:"bundleLicenses"`
}

// itemWire is an order line as the API sends it.
type itemWire struct {
	ProductID      wire.ID              `json:"productId"`
	Product        productRef           `json:"product"`
	Quantity       wire.Int             `json:"quantity"`
	Price          amountOf[fieldPrice] `json:"price"`
	Subtotal       *money.Amount        `json:"subtotal"`
	IsReplacement  bool                 `json:"isReplacement"`
	Licenses       []License            `json:"licenses"`
	BundleLicenses []BundleLicense      `json:"bundleLicenses"`
}

func (w *itemWire) item() (OrderItem, error) {
	it := OrderItem{
		ProductID:      ID(w.ProductID),
		ProductName:    w.Product.DisplayName,
		Quantity:       int(w.Quantity),
		Subtotal:       w.Subtotal,
		IsReplacement:  w.IsReplacement,
		Licenses:       w.Licenses,
		BundleLicenses: w.BundleLicenses,
	}
	if it.ProductName == "" {
		it.ProductName = w.Product.Name
	}
	if it.ProductID == "" {
		it.ProductID = ID(w.Product.ID)
	}
	var err error
	if it.Price, err = w.Price.required(); err != nil {
		return it, fmt.Errorf("attivita: order item %q: %w", it.ProductName, err)
	}
	return it, nil
}

// UnmarshalJSON reads both shapes of "product" and refuses a line whose
// price is missing, null or unreadable.
func (it *OrderItem) UnmarshalJSON(b []byte) error {
	var w itemWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v, err := w.item()
	if err != nil {
		return err
	}
	*it = v
	return nil
}

// Keys returns every licence key of the line.
func (it OrderItem) Keys() []string { return keys(it.Licenses) }

// IsBundle reports whether the line's keys are grouped by pool.
func (it OrderItem) IsBundle() bool { return len(it.BundleLicenses) > 0 }

// KeyGroup is the keys of a line that belong together: one licence pool of
// a bundle, or the whole line for other products.
type KeyGroup struct {
	PoolID      ID // empty for a product that is not a bundle
	PoolName    string
	ProductName string
	Keys        []string
}

// KeysByPool returns the line's keys grouped by licence pool, in the order
// the API sent them. For a product that is not a bundle it returns one group
// with every key and no pool; for a line without keys, nil.
func (it OrderItem) KeysByPool() []KeyGroup {
	if it.IsBundle() {
		out := make([]KeyGroup, 0, len(it.BundleLicenses))
		for _, b := range it.BundleLicenses {
			out = append(out, KeyGroup{PoolID: b.LicensePoolID, PoolName: b.PoolName, ProductName: b.ProductName, Keys: b.Keys()})
		}
		return out
	}
	if len(it.Licenses) == 0 {
		return nil
	}
	return []KeyGroup{{ProductName: it.ProductName, Keys: it.Keys()}}
}

// Order is an order with its lines and licence keys.
type Order struct {
	OrderNumber OrderNumber `json:"orderNumber"`
	// OrderDate is in UTC. The API documents an ISO 8601 timestamp; one
	// sent without an offset is read as local time in Germany
	// (Europe/Berlin), where Attivita is, as that zone's rules give it
	// (the earlier reading in the hour the clocks go back).
	OrderDate time.Time   `json:"orderDate"`
	Status    OrderStatus `json:"status"`
	Items     []OrderItem `json:"items"`
	// Customer is the customer number; the create answer carries it.
	Customer string `json:"customer,omitempty"`
	// SubTotal is the total before discounts.
	SubTotal money.Amount `json:"subTotal"`
	// Discount fields; nil when the API sends null or leaves them out.
	DiscountPercentage *money.Amount `json:"discountPercentage,omitempty"`
	DiscountAmount     *money.Amount `json:"discountAmount,omitempty"`
	DiscountType       *int          `json:"discountType,omitempty"`
	DiscountTotal      *money.Amount `json:"discountTotal,omitempty"`
	// GrandTotal is the final total, German VAT (19 %) included where it
	// applies.
	GrandTotal    money.Amount `json:"grandTotal"`
	PaymentMethod string       `json:"paymentMethod,omitempty"`
	// OrderFrom is the channel code the API records the order as coming
	// from (undocumented; 2 in the API's examples).
	OrderFrom int `json:"orderFrom,omitempty"`

	// Sandbox is true for an order placed in sandbox mode: its keys are
	// dummies and nothing was spent.
	Sandbox bool `json:"-"`
	// SandboxNotice is the API's notice about sandbox mode, from the body's
	// sandboxNotice or the X-Sandbox-Notice header.
	SandboxNotice string `json:"sandboxNotice,omitempty"`

	// dateSpan is how much later than OrderDate the order may have been
	// made: an hour for a Berlin time without an offset in the hour the
	// clocks go back (or skip), else zero. Resolve reads it.
	dateSpan time.Duration
}

// orderWire is an order as the API sends it, decoded in one pass.
type orderWire struct {
	OrderNumber        wire.Int                  `json:"orderNumber"`
	OrderDate          orderDate                 `json:"orderDate"`
	Status             OrderStatus               `json:"status"`
	Items              []itemWire                `json:"items"`
	Customer           wire.ID                   `json:"customer"`
	SubTotal           amountOf[fieldSubTotal]   `json:"subTotal"`
	DiscountPercentage *money.Amount             `json:"discountPercentage"`
	DiscountAmount     *money.Amount             `json:"discountAmount"`
	DiscountType       *wire.Int                 `json:"discountType"`
	DiscountTotal      *money.Amount             `json:"discountTotal"`
	GrandTotal         amountOf[fieldGrandTotal] `json:"grandTotal"`
	PaymentMethod      string                    `json:"paymentMethod"`
	OrderFrom          wire.Int                  `json:"orderFrom"`
	SandboxNotice      string                    `json:"sandboxNotice"`
}

// order converts the wire order. The totals may be absent (the API's
// bundle example leaves them out) but never null or unreadable.
func (w *orderWire) order() (Order, error) {
	o := Order{
		OrderNumber:        OrderNumber(w.OrderNumber),
		OrderDate:          w.OrderDate.t,
		dateSpan:           w.OrderDate.span,
		Status:             w.Status,
		Customer:           string(w.Customer),
		DiscountPercentage: w.DiscountPercentage,
		DiscountAmount:     w.DiscountAmount,
		DiscountTotal:      w.DiscountTotal,
		PaymentMethod:      w.PaymentMethod,
		OrderFrom:          int(w.OrderFrom),
		SandboxNotice:      w.SandboxNotice,
	}
	if w.DiscountType != nil {
		v := int(*w.DiscountType)
		o.DiscountType = &v
	}
	var err error
	if o.SubTotal, err = w.SubTotal.optional(); err != nil {
		return o, fmt.Errorf("attivita: order %d: %w", o.OrderNumber, err)
	}
	if o.GrandTotal, err = w.GrandTotal.optional(); err != nil {
		return o, fmt.Errorf("attivita: order %d: %w", o.OrderNumber, err)
	}
	if w.Items != nil {
		o.Items = make([]OrderItem, len(w.Items))
		for i := range w.Items {
			if o.Items[i], err = w.Items[i].item(); err != nil {
				return o, err
			}
		}
	}
	o.Sandbox = o.Status.IsSandbox() || o.SandboxNotice != ""
	return o, nil
}

// orderList is GET /api/orders: an array of orders. A null entry is an
// error, not an order without keys.
type orderList []*orderWire

func (l orderList) orders() ([]Order, error) { return convertList(l, "order", (*orderWire).order) }

// UnmarshalJSON decodes an order: tolerant of ids and counts as strings,
// several timestamp layouts and null discounts; strict about money (an
// unreadable total is an error, never zero).
func (o *Order) UnmarshalJSON(b []byte) error {
	if wire.IsNull(b) {
		// null is no order; decoding it into a zero Order would pass an
		// empty answer off as an order without keys.
		return fmt.Errorf("attivita: order is null")
	}
	var w orderWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v, err := w.order()
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// Keys returns every licence key of the order, line by line.
func (o Order) Keys() []string {
	var out []string
	for _, it := range o.Items {
		out = append(out, it.Keys()...)
	}
	return out
}

// OrderRequest is a new order: POST /api/orders.
type OrderRequest struct {
	// Products are the order's lines: at least one, each with a product
	// id and an amount of at least 1.
	Products []OrderProduct `json:"products"`
}

// OrderProduct is one line of a new order.
type OrderProduct struct {
	ProductID ID `json:"productId"`
	// Amount is the number of units (licences), at least 1.
	Amount int `json:"amount"`
}

func (r *OrderRequest) validate() error {
	if r == nil {
		return pipeline.Invalid(api, "invalid argument: Orders.Create: nil *OrderRequest")
	}
	if len(r.Products) == 0 {
		return pipeline.Invalid(api, "an order needs at least one product")
	}
	for i, p := range r.Products {
		if strings.TrimSpace(string(p.ProductID)) == "" {
			return pipeline.Invalid(api, "products[%d]: empty productId", i)
		}
		if p.Amount < 1 {
			return pipeline.Invalid(api, "products[%d].amount: %d is less than 1", i, p.Amount)
		}
	}
	return nil
}

// Create places an order, spends credit and returns the order with its
// licence keys. req is checked before sending (at least one product, no
// empty id, amount ≥ 1) and never sent twice. Refusals match
// ErrInsufficientStock (*InsufficientStockError), ErrCreditLimitExceeded,
// ErrProductNotAvailable, orderkit.ErrValidation or ErrAccountSuspended.
// In sandbox mode the order has status "sandbox-completed", dummy keys,
// and Sandbox set.
//
// A lost answer is a *orderkit.LostCreateError (see the package doc, Lost
// answers); Resolve reads it. Create takes orderkit.ResolveOutcome, which
// makes it look the order up by itself, and Sandbox; it refuses
// orderkit.Reference, since Attivita stores no reference of the caller's.
//
// POST /api/orders
func (s *OrdersService) Create(ctx context.Context, req *OrderRequest, opts ...orderkit.CallOption) (*Order, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	cs, sandbox, err := s.c.calls(ctx, "Orders.Create", opts, "ResolveOutcome")
	if err != nil {
		return nil, err
	}
	// What is sent, and what the lookup looks for, even if the caller
	// changes req meanwhile.
	products := slices.Clone(req.Products)
	// Counted in flight until Create returns, lookup included, so that a
	// lookup for another lost create does not take this call's order.
	defer s.c.claimed.begin(createKey(sandbox, products))()
	var out orderWire
	sent := s.c.clockNow()
	res, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{
		Method: "POST",
		Path:   "orders",
		Body:   OrderRequest{Products: products},
		// Never Idempotent: a second POST buys a second time.
	}, &out)
	var o Order
	if err == nil {
		if o, err = out.order(); err != nil {
			err = s.c.pc.InvalidAnswer("POST", "orders", res, fmt.Errorf("%w: %w", orderkit.ErrOutcomeUnknown, err))
		} else if o.OrderNumber == 0 && len(o.Items) == 0 {
			// A 2xx answer that names no order and holds no line: the
			// credit may be spent, the keys are not here.
			err = s.c.pc.InvalidAnswer("POST", "orders", res,
				fmt.Errorf("%w: the answer holds no order number and no line", orderkit.ErrOutcomeUnknown))
		}
	}
	if err != nil {
		if !errors.Is(err, orderkit.ErrOutcomeUnknown) {
			return nil, err
		}
		lost := s.c.lostCreate(req, &evidence{products: products}, sandbox, sent, err)
		if !cs.Resolve {
			return nil, lost
		}
		return s.resolveNow(ctx, lost, cs)
	}
	applySandboxHeaders(&o, res)
	// Claimed in the mode it was placed in, even if the answer does not
	// mark a sandbox order: a sandbox number may be a live one too.
	s.c.claimed.claim(orderKeyIn(o.Sandbox || sandbox, o.OrderNumber))
	return &o, nil
}

// List returns every order of the account; in sandbox mode, the
// sandbox's orders (an order's Sandbox field tells a sandbox order from a
// live one; see the package doc).
//
// GET /api/orders
func (s *OrdersService) List(ctx context.Context, opts ...orderkit.CallOption) ([]Order, error) {
	cs, sandbox, err := s.c.calls(ctx, "Orders.List", opts)
	if err != nil {
		return nil, err
	}
	out, _, err := s.list(ctx, cs, sandbox)
	return out, err
}

func (s *OrdersService) list(ctx context.Context, cs config.CallSettings, sandbox bool) ([]Order, *pipeline.Response, error) {
	var out orderList
	res, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{Method: "GET", Path: "orders"}, &out)
	if err != nil {
		return nil, res, err
	}
	orders, err := out.orders()
	if err != nil {
		return nil, res, s.c.pc.InvalidAnswer("GET", "orders", res, err)
	}
	return orders, res, nil
}

// All walks the orders. The API answers the whole list at once, so this
// makes one request (with opts); it stops when yield returns false.
//
// GET /api/orders
func (s *OrdersService) All(ctx context.Context, opts ...orderkit.CallOption) iter.Seq2[Order, error] {
	return paging.One(func() ([]Order, error) { return s.List(ctx, opts...) })
}

// Get returns one order by its number. An unknown number is
// orderkit.ErrNotFound; an answer that is not that order (empty, or
// another number) is orderkit.ErrInvalidResponse.
//
// GET /api/orders/:orderNumber
func (s *OrdersService) Get(ctx context.Context, number OrderNumber, opts ...orderkit.CallOption) (*Order, error) {
	if number <= 0 {
		return nil, pipeline.Invalid(api, "order number %d is not positive", number)
	}
	cs, sandbox, err := s.c.calls(ctx, "Orders.Get", opts)
	if err != nil {
		return nil, err
	}
	var out orderWire
	var buf [32]byte
	path := string(strconv.AppendInt(append(buf[:0], "orders/"...), int64(number), 10))
	res, err := s.c.do(ctx, cs, sandbox, &pipeline.Request{Method: "GET", Path: path}, &out)
	if err != nil {
		return nil, err
	}
	o, err := out.order()
	if err != nil {
		return nil, s.c.pc.InvalidAnswer("GET", path, res, err)
	}
	if o.OrderNumber != number {
		// An empty answer, or another order's keys, must not pass for
		// the order asked for.
		return nil, s.c.pc.InvalidAnswer("GET", path, res,
			fmt.Errorf("asked for order %d, the answer holds order %d", number, o.OrderNumber))
	}
	return &o, nil
}

// applySandboxHeaders marks an order created in sandbox mode from the
// answer's X-Sandbox-Mode and X-Sandbox-Notice headers.
func applySandboxHeaders(o *Order, res *pipeline.Response) {
	if res == nil {
		return
	}
	if n := res.Header.Get(headerSandboxNotice); n != "" && o.SandboxNotice == "" {
		o.SandboxNotice = n
	}
	if strings.EqualFold(res.Header.Get(headerSandboxMode), "true") || o.SandboxNotice != "" {
		o.Sandbox = true
	}
}

func keys(ls []License) []string {
	if len(ls) == 0 {
		return nil
	}
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.LicenseKey)
	}
	return out
}
