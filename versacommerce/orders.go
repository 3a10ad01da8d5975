package versacommerce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/paging"
	"github.com/orderkit/orderkit/internal/pipeline"
	"github.com/orderkit/orderkit/money"
)

// Page sizes of GET /api/orders.json.
const (
	DefaultLimit = 150 // what the API answers without a limit
	MaxLimit     = 250 // the most the API answers at once
)

// OrdersService is the order resource: c.Orders.
type OrdersService struct {
	c *Client
}

// Filter selects orders. The zero Filter matches every order; each set
// field narrows it. Amount filters are exact decimals; the time filters
// are sent in UTC (RFC 3339).
type Filter struct {
	// Code is the order number; it is unique, so at most one order matches.
	Code                string
	Status              OrderStatus
	ItemsStatus         ItemStatus
	PaymentStatus       PaymentStatus
	PaymentType         PaymentType
	ShippingType        ShippingType
	ExternalInvoicingID string
	Note                string

	// Exact amounts; nil means no filter.
	CouponValue *money.Amount
	Subtotal    *money.Amount
	Total       *money.Amount

	// Ranges, inclusive; zero or nil means open.
	IDMin, IDMax                   ID
	TotalMin, TotalMax             *money.Amount
	CouponValueMin, CouponValueMax *money.Amount
	// CreatedAtMin and CreatedAtMax bound the creation time. (The vendor's
	// table swaps the words "before" and "after"; min is the earliest.)
	CreatedAtMin, CreatedAtMax time.Time
}

// ListOptions are the filters plus paging for List and All.
type ListOptions struct {
	Filter
	// Limit is the page size, 1 to MaxLimit; 0 sends none (the API answers
	// DefaultLimit orders).
	Limit int
	// Offset skips that many orders. All walks by id instead and refuses
	// an Offset.
	Offset int
	// Include nests associations in each order (IncludeItems, …).
	Include []Include
}

func (f *Filter) query(q url.Values) error {
	if f == nil {
		return nil
	}
	if f.Status != "" && !f.Status.valid() {
		return pipeline.Invalid(api, "unknown order status %q", f.Status)
	}
	if f.ItemsStatus != "" && !f.ItemsStatus.valid() {
		return pipeline.Invalid(api, "unknown items status %q", f.ItemsStatus)
	}
	if f.PaymentStatus != "" && !f.PaymentStatus.valid() {
		return pipeline.Invalid(api, "unknown payment status %q", f.PaymentStatus)
	}
	if f.IDMin < 0 || f.IDMax < 0 {
		return pipeline.Invalid(api, "id_min and id_max must not be negative")
	}
	if f.IDMin > 0 && f.IDMax > 0 && f.IDMin > f.IDMax {
		return pipeline.Invalid(api, "id_min %d is above id_max %d", f.IDMin, f.IDMax)
	}
	if err := amountRange("total", f.TotalMin, f.TotalMax); err != nil {
		return err
	}
	if err := amountRange("coupon_value", f.CouponValueMin, f.CouponValueMax); err != nil {
		return err
	}
	if !f.CreatedAtMin.IsZero() && !f.CreatedAtMax.IsZero() && f.CreatedAtMin.After(f.CreatedAtMax) {
		return pipeline.Invalid(api, "created_at_min is after created_at_max")
	}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("code", f.Code)
	set("status", string(f.Status))
	set("items_status", string(f.ItemsStatus))
	set("payment_status", string(f.PaymentStatus))
	set("payment_type", string(f.PaymentType))
	set("shipping_type", string(f.ShippingType))
	set("external_invoicing_id", f.ExternalInvoicingID)
	set("note", f.Note)
	for k, a := range map[string]*money.Amount{
		"coupon_value": f.CouponValue, "subtotal": f.Subtotal, "total": f.Total,
		"total_min": f.TotalMin, "total_max": f.TotalMax,
		"coupon_value_min": f.CouponValueMin, "coupon_value_max": f.CouponValueMax,
	} {
		if a != nil {
			q.Set(k, a.String())
		}
	}
	if f.IDMin > 0 {
		q.Set("id_min", f.IDMin.String())
	}
	if f.IDMax > 0 {
		q.Set("id_max", f.IDMax.String())
	}
	if !f.CreatedAtMin.IsZero() {
		q.Set("created_at_min", f.CreatedAtMin.UTC().Format(time.RFC3339))
	}
	if !f.CreatedAtMax.IsZero() {
		q.Set("created_at_max", f.CreatedAtMax.UTC().Format(time.RFC3339))
	}
	return nil
}

func amountRange(name string, lo, hi *money.Amount) error {
	if lo != nil && hi != nil && lo.Cmp(*hi) > 0 {
		return pipeline.Invalid(api, "%s_min %s is above %s_max %s", name, lo, name, hi)
	}
	return nil
}

func (o *ListOptions) query() (url.Values, error) {
	q := url.Values{}
	if o == nil {
		return q, nil
	}
	if o.Limit < 0 || o.Limit > MaxLimit {
		return nil, pipeline.Invalid(api, "limit %d is outside 1..%d", o.Limit, MaxLimit)
	}
	if o.Offset < 0 {
		return nil, pipeline.Invalid(api, "offset %d is negative", o.Offset)
	}
	if err := o.Filter.query(q); err != nil {
		return nil, err
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Offset > 0 {
		q.Set("offset", strconv.Itoa(o.Offset))
	}
	if inc, err := includeParam(o.Include); err != nil {
		return nil, err
	} else if inc != "" {
		q.Set("include", inc)
	}
	return q, nil
}

func includeParam(inc []Include) (string, error) {
	parts := make([]string, 0, len(inc))
	seen := map[Include]bool{}
	for _, i := range inc {
		switch i {
		case IncludeItems, IncludeShipments, IncludePayments, IncludeHistories:
		default:
			if i == "" || strings.ContainsAny(string(i), ",&=# ") {
				return "", pipeline.Invalid(api, "include %q is not an association name", i)
			}
		}
		if !seen[i] {
			seen[i] = true
			parts = append(parts, string(i))
		}
	}
	return strings.Join(parts, ","), nil
}

// List returns one page of the orders matching opts (nil: the first
// DefaultLimit orders). The shop may answer fewer orders than opts.Limit
// even when more match (see All). An entry without a positive id is not
// an order: the page is refused with an error matching
// orderkit.ErrInvalidResponse.
//
// GET /api/orders.json
func (s *OrdersService) List(ctx context.Context, opts *ListOptions, call ...orderkit.CallOption) ([]Order, error) {
	cs, err := s.c.pc.Calls("Orders.List", call)
	if err != nil {
		return nil, err
	}
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	page, _, err := s.list(ctx, q, cs)
	return page, err
}

// list reads one page.
func (s *OrdersService) list(ctx context.Context, q url.Values, cs config.CallSettings) ([]Order, *orderkit.Response, error) {
	var out orderList
	res, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: "orders.json", Query: q, Call: cs}, &out)
	if err != nil {
		return nil, res, err
	}
	for i := range out {
		if id := out[i].get().ID; id <= 0 {
			// Order ids are positive: an entry without one (a proxy's {},
			// another shape) must not pass for an order whose amounts are
			// all zero, as Get refuses it too.
			return nil, res, s.c.pc.InvalidAnswer("GET", "orders.json", res, fmt.Errorf("entry %d of the page has no positive id (%d): not an order", i, id))
		}
	}
	return out.orders(), res, nil
}

// All walks every order matching opts in ascending id order, page by page
// as the loop asks for them, paging by id_min; call applies to every page
// request. opts.Limit is the page size (default MaxLimit); opts.Offset
// must be 0. On an error the sequence yields it once and ends. The package
// doc says what it promises and checks (a page out of order ends it with a
// *PagingError).
//
// GET /api/orders.json?id_min=…
func (s *OrdersService) All(ctx context.Context, opts *ListOptions, call ...orderkit.CallOption) iter.Seq2[Order, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
		o.Include = append([]Include(nil), opts.Include...)
	}
	cs, err := s.c.pc.Calls("Orders.All", call)
	if err != nil {
		return paging.One(func() ([]Order, error) { return nil, err })
	}
	if o.Offset != 0 {
		return paging.One(func() ([]Order, error) {
			return nil, pipeline.Invalid(api, "All walks by id and does not take an offset; set IDMin instead")
		})
	}
	if o.Limit == 0 {
		o.Limit = MaxLimit
	}
	if _, err := o.query(); err != nil {
		return paging.One(func() ([]Order, error) { return nil, err })
	}
	return s.walk(ctx, o, cs, nil)
}

// walk pages by id from o.IDMin on; onPage, when set, sees every answer,
func (s *OrdersService) walk(ctx context.Context, o ListOptions, cs config.CallSettings, onPage func(*orderkit.Response)) iter.Seq2[Order, error] {
	return paging.Walk(o.IDMin, func(idMin ID) ([]Order, ID, bool, error) {
		q := o
		q.IDMin = idMin
		v, err := q.query()
		if err != nil {
			return nil, 0, false, err
		}
		page, res, err := s.list(ctx, v, cs)
		if onPage != nil {
			onPage(res)
		}
		if err != nil {
			return nil, 0, false, err
		}
		if len(page) == 0 {
			return nil, 0, false, nil
		}
		last := idMin - 1
		for i := range page {
			id := page[i].ID
			if id <= last || (q.IDMax > 0 && id > q.IDMax) {
				// The walk relies on ascending ids from id_min on; without
				// them an order could be skipped or yielded twice, so say so
				// instead of yielding any of this page.
				pe := &PagingError{IDMin: idMin, IDMax: q.IDMax, Index: i, ID: id}
				if i > 0 {
					pe.Previous = page[i-1].ID
				}
				return nil, 0, false, s.c.pc.InvalidAnswer("GET", "orders.json", res, pe)
			}
			last = id
		}
		more := q.IDMax == 0 || last < q.IDMax
		return page, last + 1, more, nil
	})
}

// PagingError is the cause of the error All ends with when a page breaks
// what paging by id relies on: ascending ids, each at least the id_min
// asked for (and at most id_max). It matches orderkit.ErrInvalidResponse.
type PagingError struct {
	// IDMin and IDMax are the bounds the page was asked for (IDMax 0: none).
	IDMin, IDMax ID
	// Index is the position in the page of the first order out of place,
	// ID its id and Previous the id before it in the page (0 for the first).
	Index        int
	ID, Previous ID
}

// Error says which order broke the order of the walk.
func (e *PagingError) Error() string {
	switch {
	case e.Index == 0 && e.ID < e.IDMin:
		return fmt.Sprintf("the page asked for ids from %d starts at order %d (the shop ignores id_min?); cannot page by id safely", e.IDMin, e.ID)
	case e.IDMax > 0 && e.ID > e.IDMax:
		return fmt.Sprintf("order %d is above the id_max %d asked for; cannot page by id safely", e.ID, e.IDMax)
	}
	return fmt.Sprintf("orders are not in ascending id order (%d after %d); cannot page by id safely", e.ID, e.Previous)
}

// Unwrap makes errors.Is(err, orderkit.ErrInvalidResponse) true.
func (e *PagingError) Unwrap() error { return orderkit.ErrInvalidResponse }

// GetOptions are the options of Get.
type GetOptions struct {
	// Include nests associations in the order (IncludeItems, …).
	Include []Include
}

// Get returns one order (opts may be nil). An unknown id is an error
// matching orderkit.ErrNotFound.
//
// GET /api/orders/:id.json
func (s *OrdersService) Get(ctx context.Context, id ID, opts *GetOptions, call ...orderkit.CallOption) (*Order, error) {
	cs, err := s.c.pc.Calls("Orders.Get", call)
	if err != nil {
		return nil, err
	}
	if id <= 0 {
		return nil, pipeline.Invalid(api, "order id %d is not positive", id)
	}
	q := url.Values{}
	if opts != nil {
		inc, err := includeParam(opts.Include)
		if err != nil {
			return nil, err
		}
		if inc != "" {
			q.Set("include", inc)
		}
	}
	var out orderMaybeRoot
	path := pipeline.Path("orders", id.String()+".json")
	res, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: path, Query: q, Call: cs}, &out)
	if err != nil {
		return nil, err
	}
	w := out.get()
	if w.ID != id {
		// An answer without the order asked for (a proxy's {}, another
		// shape) must not pass for an order whose amounts are all zero.
		return nil, s.c.pc.InvalidAnswer("GET", path, res, fmt.Errorf("the answer holds order %d, not order %d", w.ID, id))
	}
	o := w.order()
	return &o, nil
}

// Count returns how many orders match f (nil: all orders).
//
// GET /api/orders/count.json
func (s *OrdersService) Count(ctx context.Context, f *Filter, call ...orderkit.CallOption) (int, error) {
	cs, err := s.c.pc.Calls("Orders.Count", call)
	if err != nil {
		return 0, err
	}
	q := url.Values{}
	if err := f.query(q); err != nil {
		return 0, err
	}
	var out struct {
		Count *json.Number `json:"count"`
	}
	res, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: "orders/count.json", Query: q, Call: cs}, &out)
	if err != nil {
		return 0, err
	}
	if out.Count == nil {
		return 0, s.c.pc.InvalidAnswer("GET", "orders/count.json", res, errors.New("the answer has no count"))
	}
	n, err := strconv.Atoi(out.Count.String())
	if err != nil || n < 0 {
		return 0, s.c.pc.InvalidAnswer("GET", "orders/count.json", res, fmt.Errorf("the count %q is not a number of orders", out.Count.String()))
	}
	return n, nil
}

// Items returns the items of one order.
//
// GET /api/orders/:id/items.json
func (s *OrdersService) Items(ctx context.Context, id ID, call ...orderkit.CallOption) ([]Item, error) {
	var out []itemMaybeRoot
	if err := s.sub(ctx, "Orders.Items", id, "items.json", call, &out); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	items := make([]Item, len(out))
	for i := range out {
		items[i] = out[i].get().item()
	}
	return items, nil
}

// Payments returns the payments booked on one order (their fields are the
// ones Create takes: category, amount, currency, comment, trans_id). The
// order's shipments, whose fields the vendor does not document, are read
// with Client.Do (see its example).
//
// GET /api/orders/:id/payments.json
func (s *OrdersService) Payments(ctx context.Context, id ID, call ...orderkit.CallOption) ([]Payment, error) {
	var out []paymentMaybeRoot
	if err := s.sub(ctx, "Orders.Payments", id, "payments.json", call, &out); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	payments := make([]Payment, len(out))
	for i := range out {
		payments[i] = out[i].get().payment()
	}
	return payments, nil
}

// sub reads a list below one order: GET /api/orders/:id/<name>.
func (s *OrdersService) sub(ctx context.Context, method string, id ID, name string, call []orderkit.CallOption, out any) error {
	cs, err := s.c.pc.Calls(method, call)
	if err != nil {
		return err
	}
	if id <= 0 {
		return pipeline.Invalid(api, "order id %d is not positive", id)
	}
	_, err = s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: pipeline.Path("orders", id.String(), name), Call: cs}, out)
	return err
}
