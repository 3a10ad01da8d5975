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
	IDMin, IDMax                   int64
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
		q.Set("id_min", strconv.FormatInt(f.IDMin, 10))
	}
	if f.IDMax > 0 {
		q.Set("id_max", strconv.FormatInt(f.IDMax, 10))
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
// DefaultLimit orders).
//
// GET /api/orders.json
func (s *OrdersService) List(ctx context.Context, opts *ListOptions) ([]Order, error) {
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	var out []Order
	if _, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: "orders.json", Query: q}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// All walks every order matching opts in ascending id order, page by page
// as the loop asks for them. It pages by id (id_min just above the last
// order seen) rather than by offset, so orders created while it walks are
// neither skipped nor seen twice: they have higher ids and come last.
// opts.Limit is the page size (default MaxLimit); opts.Offset must be 0.
// On an error the sequence yields it once and ends.
//
// GET /api/orders.json?id_min=…
func (s *OrdersService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Order, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
		o.Include = append([]Include(nil), opts.Include...)
	}
	if o.Offset != 0 {
		return paging.One(func() ([]Order, error) {
			return nil, pipeline.Invalid(api, "All walks by id and does not take an offset; set IDMin instead")
		})
	}
	if o.Limit == 0 {
		o.Limit = MaxLimit
	}
	return paging.Walk(o.IDMin, func(idMin int64) ([]Order, int64, bool, error) {
		q := o
		q.IDMin = idMin
		page, err := s.List(ctx, &q)
		if err != nil {
			return nil, 0, false, err
		}
		var last int64
		for i, order := range page {
			if order.ID <= last || order.ID < q.IDMin || (q.IDMax > 0 && order.ID > q.IDMax) {
				// The walk relies on ascending ids; without them an order
				// could be skipped, so say so instead of yielding any of
				// this page.
				return nil, 0, false, s.c.pc.InvalidAnswer("GET", "orders.json", nil, errNotAscending(page, i))
			}
			last = order.ID
		}
		return page, last + 1, len(page) >= q.Limit && last != 0, nil
	})
}

type orderOrderError struct{ prev, id int64 }

func (e orderOrderError) Error() string {
	return "orders are not in ascending id order (" + strconv.FormatInt(e.id, 10) +
		" after " + strconv.FormatInt(e.prev, 10) + "); cannot page by id safely"
}

func (e orderOrderError) Unwrap() error { return ErrInvalidResponse }

func errNotAscending(page []Order, i int) error {
	var prev int64
	if i > 0 {
		prev = page[i-1].ID
	}
	return orderOrderError{prev: prev, id: page[i].ID}
}

// Get returns one order. With include (IncludeItems, …) its associations
// come nested. An unknown id is an error matching ErrNotFound.
//
// GET /api/orders/:id.json
func (s *OrdersService) Get(ctx context.Context, id int64, include ...Include) (*Order, error) {
	if id <= 0 {
		return nil, pipeline.Invalid(api, "order id %d is not positive", id)
	}
	q := url.Values{}
	inc, err := includeParam(include)
	if err != nil {
		return nil, err
	}
	if inc != "" {
		q.Set("include", inc)
	}
	var out Order
	path := pipeline.Path("orders", strconv.FormatInt(id, 10)+".json")
	res, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: path, Query: q}, &out)
	if err != nil {
		return nil, err
	}
	if out.ID != id {
		// An answer without the order asked for (a proxy's {}, another
		// shape) must not pass for an order whose amounts are all zero.
		return nil, s.c.pc.InvalidAnswer("GET", path, res, fmt.Errorf("the answer holds order %d, not order %d", out.ID, id))
	}
	return &out, nil
}

// Count returns how many orders match f (nil: all orders).
//
// GET /api/orders/count.json
func (s *OrdersService) Count(ctx context.Context, f *Filter) (int, error) {
	q := url.Values{}
	if err := f.query(q); err != nil {
		return 0, err
	}
	var out struct {
		Count *json.Number `json:"count"`
	}
	res, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: "orders/count.json", Query: q}, &out)
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
func (s *OrdersService) Items(ctx context.Context, id int64) ([]Item, error) {
	if id <= 0 {
		return nil, pipeline.Invalid(api, "order id %d is not positive", id)
	}
	var out []Item
	if _, err := s.c.pc.Do(ctx, &pipeline.Request{Method: "GET", Path: pipeline.Path("orders", strconv.FormatInt(id, 10), "items.json")}, &out); err != nil {
		return nil, err
	}
	return out, nil
}
