package inventorum

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orderkit/orderkit"
	"github.com/orderkit/orderkit/internal/config"
	"github.com/orderkit/orderkit/internal/paging"
	"github.com/orderkit/orderkit/internal/pipeline"
)

// OrdersService reads orders. Get it from Client.Orders.
type OrdersService struct{ c *Client }

// Page is one page of a list: the orders on it and the total the API
// reports for the whole query. The client reads the documented
// {"total", "data"}, also {"results": [...]} and a bare array of orders
// (Total then 0: unknown).
type Page struct {
	Total int64   `json:"total"`
	Data  []Order `json:"data"`
}

// Limits of the two order endpoints.
const (
	MaxDeltaLimit = 100
	MaxListLimit  = 40
)

// Formats the two endpoints want their times in (UTC).
const (
	deltaTimeLayout = "2006-01-02T15:04:05.000Z"
	listTimeLayout  = "2006.01.02 15:04:05"
)

// SortField is a field the delta feed can be sorted by.
type SortField string

// Sort fields named by the delta page.
const (
	SortByID        SortField = "id"
	SortByChannel   SortField = "channel"
	SortByStartDate SortField = "start_date"
)

// OrderBy is one sort key of the delta feed.
type OrderBy struct {
	Field SortField
	// Desc sorts descending ("-channel").
	Desc bool
}

// String is the order_by form of the field: "id", or "-channel" when
// descending.
func (o OrderBy) String() string {
	if o.Desc {
		return "-" + string(o.Field)
	}
	return string(o.Field)
}

// DeltaOptions are the parameters of GET /orders/delta/. The zero value
// asks for the first page of 100 from the beginning.
type DeltaOptions struct {
	// StartDate: orders created or modified since then. Zero leaves it out.
	StartDate time.Time
	// Limit is 1–100; 0 means 100.
	Limit int
	// Page counts from 0.
	Page int
	// Channel restricts the feed to one channel; empty leaves it to the
	// server (the page says both "all channels" and "Default: shop").
	Channel Channel
	// OrderBy sorts the feed; empty keeps the server's order
	// (start_date, id).
	OrderBy []OrderBy
}

func (o *DeltaOptions) query() (url.Values, error) {
	q := url.Values{}
	if !o.StartDate.IsZero() {
		q.Set("start_date", o.StartDate.UTC().Format(deltaTimeLayout))
	}
	switch {
	case o.Limit == 0:
	case o.Limit < 1 || o.Limit > MaxDeltaLimit:
		return nil, pipeline.Invalid(apiName, "delta limit %d is not between 1 and %d", o.Limit, MaxDeltaLimit)
	default:
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Page < 0 {
		return nil, pipeline.Invalid(apiName, "delta page %d is negative (pages start at 0)", o.Page)
	}
	q.Set("page", strconv.Itoa(o.Page))
	if o.Channel != "" {
		if !o.Channel.Valid() {
			return nil, pipeline.Invalid(apiName, "unknown channel %q", o.Channel)
		}
		q.Set("channel", string(o.Channel))
	}
	if len(o.OrderBy) > 0 {
		parts := make([]string, len(o.OrderBy))
		for i, ob := range o.OrderBy {
			switch ob.Field {
			case SortByID, SortByChannel, SortByStartDate:
			default:
				return nil, pipeline.Invalid(apiName, "unknown sort field %q", ob.Field)
			}
			parts[i] = ob.String()
		}
		q.Set("order_by", strings.Join(parts, ","))
	}
	return q, nil
}

// Delta returns one page of orders created or modified since
// opts.StartDate, ordered by (start_date, id); nil opts asks for the first
// page of 100 from the beginning.
//
// GET /orders/delta/
func (s *OrdersService) Delta(ctx context.Context, opts *DeltaOptions, callOpts ...orderkit.CallOption) (*Page, error) {
	cs, err := s.c.pc.Calls("Orders.Delta", callOpts)
	if err != nil {
		return nil, err
	}
	return s.delta(ctx, opts, cs)
}

func (s *OrdersService) delta(ctx context.Context, opts *DeltaOptions, cs config.CallSettings) (*Page, error) {
	if opts == nil {
		opts = &DeltaOptions{}
	}
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	return s.page(ctx, "orders/delta/", q, cs)
}

// page reads one page of path in one pass. The pipeline hands over the
// body as it came, so that a bare array and the documented envelope are
// told apart without decoding the body twice.
func (s *OrdersService) page(ctx context.Context, path string, q url.Values, cs config.CallSettings) (*Page, error) {
	var raw []byte
	res, err := s.c.do(ctx, &pipeline.Request{Method: http.MethodGet, Path: path, Query: q, Call: cs}, &raw)
	if err != nil {
		return nil, err
	}
	var p Page
	if err := decodePage(raw, &p); err != nil {
		return nil, s.c.pc.InvalidAnswer(http.MethodGet, path, res, err)
	}
	return &p, nil
}

// DeltaAll walks every page of the delta feed from opts.Page on, lazily,
// and stops when yield returns false; nil opts starts at the first page
// from the beginning. The call options apply to every page request. For a
// feed that must not miss an order between runs, use Sync.
//
// GET /orders/delta/
func (s *OrdersService) DeltaAll(ctx context.Context, opts *DeltaOptions, callOpts ...orderkit.CallOption) iter.Seq2[Order, error] {
	var o DeltaOptions
	if opts != nil {
		o = *opts
	}
	limit := o.Limit
	if limit == 0 {
		limit = MaxDeltaLimit
	}
	return func(yield func(Order, error) bool) {
		cs, err := s.c.pc.Calls("Orders.DeltaAll", callOpts)
		if err != nil {
			yield(Order{}, err)
			return
		}
		var prev pageMemo
		paging.Walk(o.Page, func(page int) ([]Order, int, bool, error) {
			po := o
			po.Page = page
			p, err := s.delta(ctx, &po, cs)
			if err != nil {
				return nil, 0, false, err
			}
			if err := prev.check(s, "orders/delta/", po.StartDate, page, p.Data); err != nil {
				return nil, 0, false, err
			}
			return p.Data, page + 1, len(p.Data) >= limit, nil
		})(yield)
	}
}

// pageMemo remembers the ids of the last page read, to notice a server (or
// a proxy) that ignores the page parameter and answers every page alike:
// a walk would otherwise ask for ever.
type pageMemo struct {
	start time.Time
	page  int
	ids   []ID
}

// check returns an ErrInvalidResponse error when data, read as page of the
// query from start, holds exactly the orders of the page before it.
func (m *pageMemo) check(s *OrdersService, path string, start time.Time, page int, data []Order) error {
	repeats := page > 0 && m.page == page-1 && m.start.Equal(start) && len(data) > 0 && len(data) == len(m.ids)
	for i := 0; repeats && i < len(data); i++ {
		repeats = data[i].ID == m.ids[i]
	}
	if repeats {
		return s.c.pc.InvalidAnswer(http.MethodGet, path, nil,
			fmt.Errorf("page %d holds the orders of page %d: the server ignores paging", page, page-1))
	}
	m.start, m.page, m.ids = start, page, m.ids[:0]
	for i := range data {
		m.ids = append(m.ids, data[i].ID)
	}
	return nil
}

// ListOptions are the parameters of GET /orders/. Start and End are
// required.
type ListOptions struct {
	// Start and End bound the time the orders were created; the API reads
	// them to the second, in UTC.
	Start, End time.Time
	// Limit is 1–40; 0 means 40.
	Limit int
	// Page counts from 1; 0 means 1.
	Page int
	// Channel restricts the list; empty returns every channel but iPad.
	// The list endpoint does not offer backoffice.
	Channel Channel
	// Search is space separated, case-insensitive terms matched against
	// product code, item name, invoice number, customer and company names.
	Search string
}

func (o *ListOptions) query() (url.Values, error) {
	if o.Start.IsZero() || o.End.IsZero() {
		return nil, pipeline.Invalid(apiName, "list needs both Start and End")
	}
	if o.End.Before(o.Start) {
		return nil, pipeline.Invalid(apiName, "list End %s is before Start %s", o.End.UTC().Format(time.RFC3339), o.Start.UTC().Format(time.RFC3339))
	}
	q := url.Values{}
	q.Set("start", o.Start.UTC().Format(listTimeLayout))
	q.Set("end", o.End.UTC().Format(listTimeLayout))
	switch {
	case o.Limit == 0:
	case o.Limit < 1 || o.Limit > MaxListLimit:
		return nil, pipeline.Invalid(apiName, "list limit %d is not between 1 and %d", o.Limit, MaxListLimit)
	default:
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	switch {
	case o.Page < 0:
		return nil, pipeline.Invalid(apiName, "list page %d is negative (pages start at 1)", o.Page)
	case o.Page == 0:
		q.Set("page", "1")
	default:
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.Channel != "" {
		if !o.Channel.Valid() || o.Channel == ChannelBackoffice {
			return nil, pipeline.Invalid(apiName, "channel %q is not offered by the list endpoint", o.Channel)
		}
		q.Set("channel", string(o.Channel))
	}
	if s := strings.TrimSpace(o.Search); s != "" {
		q.Set("search", s)
	}
	return q, nil
}

// List returns one page of the orders created between opts.Start and
// opts.End, DRAFT orders excluded, ordered by completed_at and time_added.
// opts is required (Start and End are).
//
// GET /orders/
func (s *OrdersService) List(ctx context.Context, opts *ListOptions, callOpts ...orderkit.CallOption) (*Page, error) {
	cs, err := s.c.pc.Calls("Orders.List", callOpts)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, opts, cs)
}

func (s *OrdersService) list(ctx context.Context, opts *ListOptions, cs config.CallSettings) (*Page, error) {
	if opts == nil {
		return nil, pipeline.Invalid(apiName, "list needs options with Start and End")
	}
	q, err := opts.query()
	if err != nil {
		return nil, err
	}
	return s.page(ctx, "orders/", q, cs)
}

// All walks every page of List from opts.Page on, lazily, and stops when
// yield returns false. The call options apply to every page request.
//
// GET /orders/
func (s *OrdersService) All(ctx context.Context, opts *ListOptions, callOpts ...orderkit.CallOption) iter.Seq2[Order, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	return func(yield func(Order, error) bool) {
		cs, err := s.c.pc.Calls("Orders.All", callOpts)
		if err != nil {
			yield(Order{}, err)
			return
		}
		if opts == nil {
			yield(Order{}, pipeline.Invalid(apiName, "list needs options with Start and End"))
			return
		}
		first := o.Page
		if first == 0 {
			first = 1
		}
		limit := o.Limit
		if limit == 0 {
			limit = MaxListLimit
		}
		var prev pageMemo
		paging.Walk(first, func(page int) ([]Order, int, bool, error) {
			po := o
			po.Page = page
			p, err := s.list(ctx, &po, cs)
			if err != nil {
				return nil, 0, false, err
			}
			if err := prev.check(s, "orders/", po.Start, page, p.Data); err != nil {
				return nil, 0, false, err
			}
			more := len(p.Data) >= limit && (p.Total <= 0 || int64(page)*int64(limit) < p.Total)
			return p.Data, page + 1, more, nil
		})(yield)
	}
}
